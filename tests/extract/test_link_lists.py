"""An article's own list of sources survives extraction; navigation and "related" lists do not.

The pages are small and written for these tests (a fictional paper's advice column and its
sidebar, the shape of a newspaper-hosted blog).
"""

from __future__ import annotations

import time

import pytest

from storyline.article import Article
from storyline.extract.body import ExtractStage
from storyline.extract.link_lists import keep_source_lists

URL = "https://blogs.harbourgazette.example/money/2026/02/heating-help/"
INTRO = (
    "<p>Every February the same letter arrives in different words: the heating bill is larger "
    "than expected and there is no way to pay all of it this month. What should I do?</p>"
    "<p>There is more help than most readers think, and much of it is not only for the lowest "
    "incomes. The trouble is that it is spread over a dozen offices, each with its own forms.</p>"
)
SOURCES = (
    ("https://energyhelp.state-portal.example/apply", "Home energy assistance application"),
    ("https://county.example/energy-crisis", "County energy crisis programme"),
    ("https://www.harbourgas.example/billing/plans", "Harbour Gas payment plan request"),
    ("https://www.warmhomesfund.example/", "Warm Homes Fund emergency grants"),
    ("https://helpline.example/", "Community helpline: dial 211"),
)
AFTER = (
    "<p>If you have used any of these and have tips for other readers, write in and I will share "
    "the most useful ones in a later column.</p>"
)


def _list(links: tuple[tuple[str, str], ...]) -> str:
    return "<ul>" + "".join(f'<li><a href="{h}">{t}</a></li>' for h, t in links) + "</ul>"


def _page(body: str, side: str = "") -> str:
    return (
        "<html><head><title>Behind on your heating bill?</title>"
        f'<link rel="canonical" href="{URL}"></head><body>'
        '<article><h1>Behind on your heating bill? Start here</h1><div class="entry-content">'
        f"{body}</div></article>{side}</body></html>"
    )


SIDEBAR = (
    '<aside class="widget-area"><h2>Recent posts</h2>'
    + _list(
        (
            (URL + "../tax-forms/", "Your tax forms are coming: what to check first"),
            (URL + "../balance-transfer/", "Is a balance transfer card worth it?"),
            (URL + "../car-insurance/", "Three questions before you renew car insurance"),
        )
    )
    + "</aside>"
)


def _extract(html: str) -> str:
    article = Article(source="column.html", raw_format="html", decoded=html)
    ExtractStage().process(article)
    return article.text


def test_an_introduced_list_of_other_sites_is_the_article_text() -> None:
    page = _page(INTRO + "<h3>Where to get help</h3>" + _list(SOURCES) + AFTER, SIDEBAR)
    text = _extract(page)
    for _, title in SOURCES:
        assert title in text
    assert "Recent posts" not in text and "balance transfer" not in text
    # without the rule trafilatura drops the list by its link density
    assert "Warm Homes Fund" not in _extract(page.replace("<h3>Where to get help</h3>", ""))


def test_a_sentence_ending_in_a_colon_introduces_the_list_too() -> None:
    intro = "<p>These are the offices I send readers to most often, in this order:</p>"
    kept = keep_source_lists(_page(INTRO + intro + _list(SOURCES) + AFTER), URL)
    assert '<a href="https://county.example/energy-crisis">' not in kept
    assert "County energy crisis programme" in kept


def test_furniture_lists_keep_their_links() -> None:
    internal = tuple((URL + f"../post-{n}/", title) for n, (_, title) in enumerate(SOURCES))
    social = tuple(
        (f"https://www.{site}.com/harbourgazette", site.title())
        for site in ("facebook", "twitter", "instagram", "linkedin")
    )
    cases = {
        "a teaser header": INTRO + "<h3>Related stories</h3>" + _list(SOURCES) + AFTER,
        "links inside the site": INTRO + "<h3>More in this series</h3>" + _list(internal) + AFTER,
        "profiles": INTRO + "<h3>Follow the column</h3>" + _list(social) + AFTER,
        "no introduction": INTRO + _list(SOURCES) + AFTER,
        "a marked list": INTRO
        + '<h3>Partners</h3><ul class="sponsor-links">'
        + _list(SOURCES)[4:]
        + AFTER,
    }
    for why, body in cases.items():
        page = _page(body)
        assert keep_source_lists(page, URL) is page, why
    in_aside = _page(
        INTRO + AFTER, f"<aside><h3>Where to get help</h3>{INTRO}{_list(SOURCES)}</aside>"
    )
    assert keep_source_lists(in_aside, URL) is in_aside


def test_a_page_without_an_introduced_list_is_not_parsed() -> None:
    page = _page(INTRO + AFTER, SIDEBAR.replace("</h2>", "</h2>\n<p>x</p>"))
    assert keep_source_lists(page, URL) is page
    assert keep_source_lists("<ul><li>not html at all", URL) == "<ul><li>not html at all"


def test_a_paper_s_subdomains_are_one_site_and_an_unknown_site_keeps_its_links() -> None:
    own = tuple(
        (f"https://sport.harbourgazette.example/{n}/", title)
        for n, (_, title) in enumerate(SOURCES)
    )
    page = _page(INTRO + "<h3>Latest from the region</h3>" + _list(own) + AFTER)
    assert keep_source_lists(page, URL) is page
    unknown = _page(INTRO + "<h3>Where to get help</h3>" + _list(SOURCES) + AFTER).replace(
        f'<link rel="canonical" href="{URL}">', ""
    )
    assert keep_source_lists(unknown, None) is unknown


@pytest.mark.parametrize(
    "name",
    ["body._TITLE_ELEMENT", "body._TITLE_PARTS", "embeds._ANY", "link_lists._CANDIDATE"],
)
def test_the_page_passes_patterns_are_linear(name: str) -> None:
    """The page passes' patterns run on whole pages before anything is parsed: each is tried on
    the hostile battery and on runs of its own opening characters."""
    from storyline.extract import body, embeds, link_lists
    from storyline.testing import BLOWUP_SECONDS, HOSTILE_CLEAN

    module, attr = name.split(".")
    pattern = getattr({"body": body, "embeds": embeds, "link_lists": link_lists}[module], attr)
    probes = [
        *HOSTILE_CLEAN,
        "<title" * 40_000,
        "<title>" + "x" * 200_000,
        "</h2><ul><li><a href=" * 20_000,
        ": </p>" * 40_000,
        " - " * 60_000,
        "twitter-twee" * 20_000,
    ]
    for probe in probes:
        start = time.perf_counter()
        pattern.search(probe)
        for _ in pattern.finditer(probe[:100_000]):
            pass
        assert time.perf_counter() - start < BLOWUP_SECONDS, (name, probe[:20])


# ---------------------------------------------------------------- extract stage v5

COUNCIL = (
    '<html><head><title>Old market street works</title></head><body><div class="page">'
    '<div class="news-body">'
    "<p>The city's downtown authority said on Sunday that the second phase of the old market "
    "street works begins next week and will last seven months, closing the street to cars.</p>"
    "<p>Its director said the phase covers about four hundred metres of the street, with new "
    "paving, drains, lighting and trees, and that shops stay open throughout the works.</p>"
    "<p>The temporary measures during the works are the following:</p>"
    "<ol><li>Traffic goes to the parallel streets, following signs at the entrances.</li>"
    "<li>Temporary loading bays serve the traders early in the morning.</li>"
    "<li>A telephone line takes the comments of residents and traders at any hour.</li></ol>"
    "<p>He said the first phase, finished last spring, brought more visitors to the market in "
    "the evenings, and asked drivers to follow the diversions patiently.</p>"
    "</div></div></body></html>"
)


def test_an_introduced_list_of_sentences_is_read_where_no_article_container_is_found() -> None:
    """trafilatura's recovery path (no container looks like an article) reads paragraphs and
    leaves lists out; the list's items become paragraphs in the extractor's copy."""
    import trafilatura

    assert "parallel streets" not in (trafilatura.extract(COUNCIL) or "")  # why the rule
    text = _extract(COUNCIL)
    lines = text.splitlines()
    for item in ("Traffic goes to the parallel streets", "Temporary loading bays"):
        assert any(line.startswith(item) for line in lines)  # one item a line, no "- "
    # a list of short links after a colon is not prose: left to the extractor as it was
    links = COUNCIL.replace(
        "<li>Traffic goes to the parallel streets, following signs at the entrances.</li>",
        '<li><a href="/streets">Traffic goes to the parallel streets, see the map</a></li>',
    )
    assert "parallel streets" not in _extract(links)
    # a lead-in of three words is a lead-in too ("ახალ მარშრუტებს შორისაა:", "The routes are:")
    short = COUNCIL.replace(
        "The temporary measures during the works are the following:", "The measures are:"
    )
    assert any(line.startswith("Traffic goes to") for line in _extract(short).splitlines())
    # two words is a label ("See also:", "Read more:"), not a sentence introducing a list
    label = COUNCIL.replace(
        "The temporary measures during the works are the following:", "Measures below:"
    )
    assert "parallel streets" not in _extract(label)


HOWTO = (
    "<html><head><title>Off-site backups with a friend</title></head><body><article>"
    '<h1>Off-site backups with a friend</h1><div class="entry-content">'
    "<p>Every backup guide tells you to keep a copy somewhere else and then sells you cloud "
    "storage; my friend and I swapped spare disks instead, and it has run for eleven months.</p>"
    '<div id="toc-box"><p class="toc-title">Contents</p><nav><ul>'
    '<li><a href="#need">What you need</a></li><li><a href="#s1">Step 1: Set up the box</a></li>'
    '<li><a href="#s2">Step 2: Encrypt it</a></li></ul></nav></div>'
    '<h2><span id="need"></span>What you need</h2>'
    "<p>A small computer that can stay on all the time, a USB disk with room to grow, and a "
    "friend with a home connection and some patience for the first copy.</p>"
    '<h2><span id="s1"></span>Step 1: Set up the box</h2>'
    "<p>Install a minimal Linux on the little computer, plug in the disk and give it a fixed "
    "address on your friend's network, reachable only over the VPN between your houses.</p>"
    "</div></article></body></html>"
)


def test_a_table_of_contents_is_navigation() -> None:
    from storyline.extract.link_lists import contents_in_tree, may_hold_contents
    from storyline.extract.page_tree import edited

    assert may_hold_contents(HOWTO)
    copy = edited(HOWTO, contents_in_tree)
    assert "toc-box" not in copy and "Contents" not in copy  # the list and its title
    assert '<span id="need"></span>What you need' in copy  # the headings stay
    text = _extract(HOWTO)
    assert "Contents" not in text.splitlines()
    # links to places on the page inside the article's prose are not a table of contents
    prose = HOWTO.replace('<div id="toc-box">', '<div id="toc-box"><p>See below.</p>', 1)
    assert not may_hold_contents(prose.replace('href="#', 'href="/'))


def test_a_list_under_a_bold_paragraph_of_an_old_page_is_read() -> None:
    """An old page's subheading is a paragraph of bold text over the list
    (``<p><font><b>What we are providing</b></font></p>``); trafilatura dropped the list."""
    from storyline.article import Article
    from storyline.extract.body import ExtractStage

    items = [
        "Ceramic water filters for 2,500 families, each enough for a family of eight",
        "Hygiene kits containing soap, buckets with lids and towels",
        "Latrines and bathing spaces for women at two camps near the town",
    ]
    paras = [
        "Relief teams have begun distributing household water filters and hygiene kits to "
        "displaced families living in camps and host communities in the district this week.",
        "In host communities, where families have taken in relatives, the teams are also "
        "repairing hand pumps and distributing jerry cans to the households that need them.",
    ]
    body = (
        f'<p><font face="Arial" size="2">{paras[0]}</font></p>'
        '<p><font face="Arial" size="2"><b>What we are providing</b></font></p>'
        "<ul>"
        + "".join(f'<li><font face="Arial" size="2">{i}</font></li>' for i in items)
        + f'</ul><p><font face="Arial" size="2">{paras[1]}</font></p>'
    )
    html = (
        "<html><head><title>Relief update</title></head><body><table><tr><td>"
        f"<h1>Relief update</h1>{body}</td></tr></table></body></html>"
    )
    article = Article(source="relief.html", raw_format="html", decoded=html)
    ExtractStage().process(article)
    assert all(item in article.text for item in items)
