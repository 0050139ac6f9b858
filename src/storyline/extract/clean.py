"""Plain-text cleaning: find the headline, drop boilerplate, keep every drop with its reason.

No library cleans the *text* of an article: extractors such as trafilatura strip HTML chrome, but
what users paste or save as .txt/.md still carries breadcrumbs, captions, teasers ("Read more:"),
outlet promos, author boxes, link spam and Markdown syntax, and even trafilatura's output keeps
"Read more:" teasers. `clean_text` removes these line by line and records each removal as a
`Removed(text, reason, line)`, so an analyst can see what was dropped and the metadata stage can
read bylines, credits, dates and outlet names from `Article.removed`.

The passes run in this order, each on lines no earlier pass has claimed:

1. "Original url:" lines (the URL becomes `Cleaned.url`) and YAML front matter;
2. the head (first few lines): breadcrumb, headline, repeated headline, caption, date line,
   byline, outlet name;
3. line rules anywhere: link dumps, share/subscribe widgets, "Photo:" captions, date lines,
   bylines, credits, copyright promos, tag lists;
4. teaser blocks ("Check Also" + blurbs, "Read more: ...") and "About <Name>" promo/author boxes;
5. the tail: after a promo, author box or teaser header with no real paragraph behind it,
   whatever is left is junk from the same block;
6. Markdown inline syntax: headings, links, images, bold, quotes become plain text.

Everything is linear in the input size: lines are visited a fixed number of times and every
regex is linear (see `storyline.extract.rules`).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise

from storyline.article import Article, Removed
from storyline.errors import Skip
from storyline.extract import rules as r
from storyline.extract.date_sources import BY_DASH, date_line_values
from storyline.pipeline import Stage

#: Reasons `clean_text` records, the vocabulary shared with the metadata stage.
REASONS: tuple[str, ...] = (
    "breadcrumb", "title", "repeated_headline", "promo", "teaser", "author_box", "link_dump",
    "markdown", "caption", "original_url", "share", "subscribe", "byline", "credit",
    "date_line", "outlet_name", "empty", "comments", "embed", "widget",
)  # fmt: skip

#: How many non-empty lines at the top may hold headline furniture.
HEAD_LINES = 8
#: Teaser header ("Check Also") followed by at most this many blurb lines mid-text.
MAX_BLURBS = 3


@dataclass
class Cleaned:
    """The result of `clean_text`: headline, clean body and what was removed (with reasons)."""

    title: str | None
    text: str
    paragraphs: list[str]
    removed: list[Removed]
    url: str | None
    #: How the title was found: given | markdown-heading | breadcrumb | first-line | front-matter.
    title_source: str | None = None


@dataclass
class _Doc:
    """Lines of one input with the reason each removed line was dropped (None = kept)."""

    lines: list[str]
    reason: list[str | None] = field(default_factory=list)
    removed: list[Removed] = field(default_factory=list)
    headers: list[tuple[int, str]] = field(default_factory=list)  # block starts (index, reason)
    blank_separated: bool = False

    def __post_init__(self) -> None:
        self.reason = [None] * len(self.lines)
        nonempty = [i for i, line in enumerate(self.lines) if line]
        self.blank_separated = any(b - a > 1 for a, b in pairwise(nonempty))

    def drop(self, i: int, reason: str) -> None:
        self.reason[i] = reason
        self.removed.append(Removed(text=self.lines[i], reason=reason, line=i + 1))

    def live(self, start: int = 0) -> list[int]:
        """Indices of non-empty lines not yet claimed by a rule, from ``start``."""
        return [i for i in range(start, len(self.lines)) if self.lines[i] and not self.reason[i]]

    def next_live(self, i: int) -> int | None:
        for j in range(i + 1, len(self.lines)):
            if self.lines[j] and not self.reason[j]:
                return j
        return None

    def block(self, j: int) -> list[int]:
        """Line ``j`` and, in blank-line separated text, the lines of its paragraph after it."""
        out = [j]
        if self.blank_separated:
            k = j + 1
            while k < len(self.lines) and self.lines[k] and not self.reason[k]:
                out.append(k)
                k += 1
        return out


def clean_text(
    text: str, *, title: str | None = None, raw_format: str = "txt", author: str | None = None
) -> Cleaned:
    """Clean one article's plain text; pure, never raises on any string.

    ``title`` is the headline already known (HTML meta, a JSON field): it is kept, and a body line
    repeating it is dropped as ``repeated_headline``. Without it, for every format but ``html``
    the headline is looked for in the first lines: a ``# Title`` heading, the last segment of a
    breadcrumb, or the first short line without a final period that is not a caption, date or
    byline. Text that opens straight into a paragraph (after a caption, say) has no headline and
    gets ``title=None``: inventing one from the lead sentence would put words in the outlet's mouth.

    ``author`` is the byline the page's metadata gives ("Aoife Crowley", "Ana Ruiz and Tom
    Lee"): a head line that is one of its names alone is the template's author label.
    """
    doc = _Doc([r.normalise_line(line) for line in r.split_lines(text)])
    given = title.strip() if title and title.strip() else None
    url = _original_url(doc)
    found, source = _front_matter(doc) if given is None else (None, None)
    title_out = given or found
    source = "given" if given else source
    head_title, head_source = _scan_head(
        doc, title_out, infer=raw_format != "html", authors=_author_names(author)
    )
    if title_out is None and head_title is not None:
        title_out, source = head_title, head_source
    _line_rules(doc)
    _newsletter_boxes(doc)
    _programme_slots(doc)
    _citation_boxes(doc)
    _summary_box(doc)
    _polls(doc)
    _editor_notes(doc)
    _repeated_labels(doc)
    _author_lines(doc, _author_names(author))
    _chapters(doc)
    _embedded_posts(doc)
    _comments_tail(doc)
    _dated_cards(doc)
    _teasers(doc)
    _about_blocks(doc)
    _contact_blocks(doc)
    _taglines(doc)
    _tail_bio(doc)
    _sweep_tail(doc)
    paragraphs = _paragraphs(doc, _inline_markdown(doc))
    doc.removed.sort(key=lambda x: x.line or 0)
    return Cleaned(
        title=title_out,
        text="\n\n".join(paragraphs),
        paragraphs=paragraphs,
        removed=doc.removed,
        url=url,
        title_source=source if title_out else None,
    )


# --- passes ------------------------------------------------------------------------------------


def _bare_url(line: str) -> str | None:
    """The URL when the line is nothing but one URL (angle brackets or a Markdown link allowed)."""
    candidate = r.strip_markdown_links(line).strip().strip("<>").rstrip(".,;)")
    m = r.URL.fullmatch(candidate) if len(candidate) <= 4000 else None
    return m.group(0) if m else None


def _original_url(doc: _Doc) -> str | None:
    """Drop "Original url:" lines (and the URL line after a bare one); return the first URL."""
    found: str | None = None
    for i, line in enumerate(doc.lines):
        if not line or doc.reason[i] or len(line) > 2200 or line[0] not in "OoSsCcAaPp":
            continue
        m = r.ORIGINAL_URL.fullmatch(line)
        if not m:
            continue
        rest = m.group(1).strip()
        if rest:
            url = _bare_url(rest)
            if url is None:
                continue
            doc.drop(i, "original_url")
        else:
            j = doc.next_live(i)
            url = _bare_url(doc.lines[j]) if j is not None and j - i <= 3 else None
            doc.drop(i, "original_url")
            if url is not None and j is not None:
                doc.drop(j, "original_url")
        if found is None and url is not None:
            found = url
    return found


def _front_matter(doc: _Doc) -> tuple[str | None, str | None]:
    """YAML front matter ("---" / key: value / "---") at the top of Markdown; title from it."""
    live = doc.live()
    if not live or doc.lines[live[0]] != "---":
        return None, None
    start = live[0]
    end = next(
        (k for k in range(start + 1, min(len(doc.lines), start + 40)) if doc.lines[k] == "---"),
        None,
    )
    if end is None:
        return None, None
    body = [doc.lines[k] for k in range(start + 1, end) if doc.lines[k]]
    if not body or not all(":" in b or b.startswith("- ") for b in body):
        return None, None
    title: str | None = None
    for k in range(start, end + 1):
        line = doc.lines[k]
        if line:
            if title is None and line.casefold().startswith("title:"):
                title = line[6:].strip().strip("\"'") or None
            doc.drop(k, "markdown")
    return title, ("front-matter" if title else None)


def _once(doc: _Doc, line: str) -> bool:
    """Whether the line stands once in the text (a Q&A repeats its speakers' names)."""
    key = line.casefold()
    return sum(1 for i in doc.live() if doc.lines[i].strip().casefold() == key) == 1


def _author_names(byline: str | None) -> frozenset[str]:
    """The names of a metadata byline, two to four words each, case-folded."""
    if not byline:
        return frozenset()
    names = (n.strip(" ,.") for n in r.CREDIT_SPLIT.split(byline))
    return frozenset(n.casefold() for n in names if 2 <= len(n.split()) <= 4)


def _scan_head(
    doc: _Doc, title: str | None, *, infer: bool, authors: frozenset[str] = frozenset()
) -> tuple[str | None, str | None]:
    """Claim headline furniture in the first lines; return a headline found there, if any.

    Stops at the first line that reads like body text, so a lead paragraph is never taken.
    """
    found: str | None = None
    source: str | None = None
    seen = 0
    known_for: str | None = None  # the headline whose canonical form is in known_canon
    known_canon = ""
    for i in doc.live():
        seen += 1
        if seen > HEAD_LINES:
            break
        if doc.reason[i]:
            continue
        line = doc.lines[i]
        plain = r.strip_markdown_links(line).strip()
        known = title or found
        if known is not known_for:
            known_for, known_canon = known, r.canon(known) if known else ""
        head = r.heading(line)
        if head is not None:
            if known and r.canon(head[1]) == known_canon:
                doc.drop(i, "repeated_headline")
            elif known is None and infer and r.has_alnum(head[1]):
                found, source = r.strip_markdown_links(head[1]).strip(), "markdown-heading"
                doc.drop(i, "title")
            else:
                break
            continue
        segs = r.breadcrumb_segments(_only_cell(plain) or line)  # a layout table's row too
        if segs is not None:
            doc.drop(i, "breadcrumb")
            last = segs[-1]
            if known is None and infer and r.is_headline_like(last) and len(r.words(last)) >= 3:
                found, source = last, "breadcrumb"
            continue
        if known and _same_headline(plain, known, known_canon):
            doc.drop(i, "repeated_headline")
            continue
        if authors and plain.casefold() in authors and _once(doc, plain):
            doc.drop(i, "byline")  # the metadata's author alone on a line: the byline
            continue
        if r.is_caption(plain, head=True):
            doc.drop(i, "caption")
            continue
        if r.is_contact(plain, head=True):
            doc.drop(i, "promo")
            continue
        reason = _line_reason(line, plain)
        if reason is None and r.teaser_kind(plain) == "line":
            reason = "teaser"
        if reason is None and r.is_section_label(plain):
            reason = "breadcrumb"
        if reason is None:
            reason = _head_date_or_byline(plain)
        if reason is None and plain[:2] in _LIST_MARKS and _CLOCK.search(plain):
            # "- Updated 13:05, 31 JAN 2019" (a stamp with its time; "- January 2019" over
            # "- February 2019" is a list)
            reason = _head_date_or_byline(plain[2:])
            reason = reason if reason == "date_line" else None
        if reason is not None:
            doc.drop(i, reason)
            continue
        if known is None and infer and r.is_headline_like(plain):
            found, source = plain, "first-line"
            doc.drop(i, "title")
            continue
        if known and r.is_outlet_name(plain):
            j = doc.next_live(i)
            if j is not None and len(r.words(doc.lines[j])) >= 12:
                doc.drop(i, "outlet_name")
                continue
        if known and _kicker_over_headline(doc, i, plain, known, known_canon):
            doc.drop(i, "breadcrumb")
            continue
        if known and _date_over_headline(doc, i, plain, known, known_canon):
            doc.drop(i, "date_line")
            continue
        break
    return found, source


#: A list item's mark as trafilatura writes it: a header's metadata list ("<ul><li>Updated …")
#: keeps it.
_LIST_MARKS = ("- ", "* ", "• ")
_CLOCK = re.compile(r"\b\d{1,2}[:.]\d\d\b")
#: A kicker alone on its line above the headline has at most this many words ("Data story",
#: "São Paulo", "Chakra").
KICKER_WORDS = 4


def _kicker_over_headline(doc: _Doc, i: int, plain: str, known: str, known_canon: str) -> bool:
    """A section's or place's name alone on the line right above the repeated headline: the
    page's kicker, which the text keeps when the template writes it before the ``<h1>``."""
    if not 1 <= len(r.words(plain)) <= KICKER_WORDS or r.ends_sentence(plain) or ":" in plain:
        return False
    j = doc.next_live(i)
    if j is None:
        return False
    return _same_headline(r.strip_markdown_links(doc.lines[j]).strip(), known, known_canon)


#: A labelled date in a language our date readers do not know, a few words with a year:
#: "Lomiafi: 19 Iuni 2023", "Pubblicato: 3 giugno 2019".
_LABELLED_DATE = re.compile(
    r"[^\W\d_][\w'ʻ’. -]{1,30}:\s?(?:\d{1,2}\.?\s[^\W\d_]{3,12}\.?\s?|[^\W\d_]{3,12}\.?\s"
    r"\d{1,2},?\s)(?:1[89]|20)\d\d"
)


def _date_over_headline(doc: _Doc, i: int, plain: str, known: str, known_canon: str) -> bool:
    """A labelled date (`_LABELLED_DATE`) on the line right above the repeated headline: a site
    builder sets the page's date before its ``<h1>``, in any language."""
    if len(plain) > 60 or not _LABELLED_DATE.fullmatch(plain):
        return False
    j = doc.next_live(i)
    if j is None:
        return False
    return _same_headline(r.strip_markdown_links(doc.lines[j]).strip(), known, known_canon)


#: A kicker before a headline: "Pakistan: ", "Analysis – ", up to three words.
_KICKER = re.compile(rf"{r.KICKER_WORDS} ?[:|–—] ")


def _same_headline(line: str, known: str, known_canon: str) -> bool:
    """The line repeats the headline, with or without a kicker on either side ("Pakistan: Court
    halts evictions" as the page title, "Court halts evictions" as the body's first line)."""
    canon = r.canon(line)
    if canon == known_canon:
        return True
    if len(canon) < 20:  # "Pakistan: Flood" must not equal "Flood"
        return False
    for longer, shorter in ((known, canon), (line, known_canon)):
        kicker = _KICKER.match(longer)
        if kicker and r.canon(longer[kicker.end() :]) == shorter:
            return True
    # the page's title with the site's name after it: "Seven Ways to … Winter — Hearth & Field"
    for sep in _SITE_NAME_SEPARATORS:
        if sep in known:
            head, tail = known.rsplit(sep, 1)
            if len(tail.split()) <= SITE_NAME_WORDS and r.canon(head) == canon:
                return True
    return False


#: Separators between a page title's headline and the site's name, and the most words a site's
#: name has there.
_SITE_NAME_SEPARATORS = (" | ", " — ", " – ", " - ", " · ", " :: ", " « ", " » ")
SITE_NAME_WORDS = 5


#: A filing place before a date on a line of its own ("Kabul, 14 March 2024"): a few words.
_PLACE_BEFORE_DATE = re.compile(r"([^\W\d][\w'’.-]*(?: [^\W\d][\w'’.-]*){0,3}), (.{6,80})")


#: A by-word opening a line: "By", "Par", "Von", "Di", "Por", "Door".
_BY_LEAD = re.compile(r"(?:by|par|von|di|por|door|av|af|przez)\s", re.IGNORECASE)
#: Words that open a phrase, not a place name, before a date: "In Ghazni, 12 March 2024" is
#: the start of a sentence cut short, not a filing place.
_NOT_A_PLACE = frozenset(
    "in on at from by since until till before after during near outside inside across "
    "en dans depuis à au aux im am seit bis desde hasta".split()
)


def _head_date_or_byline(plain: str) -> str | None:
    """Date lines and bylines of the head that the line rules read only in English: "publié le
    21 août 2024 à 05h30", "Par Jeanne Roux – publié le …", "Kabul, 14 March 2024" (a place
    and a date alone on a line). They are read with the date stage's multilingual reader
    (dateparser), which is too slow for every line of a text, so only the head's short lines
    are asked; a sentence that mentions a date is never one."""
    if len(plain) > 160:
        return None
    if not any(ch.isdigit() for ch in plain):
        return "byline" if r.is_byline(plain, foreign=True) else None
    # a byline that gives its date after a dash ("Par Camille Rostami – publié le 21 août 2024")
    # is the author's line first: the date stage reads a removed byline's date too
    if _BY_LEAD.match(plain) and (
        BY_DASH.match(plain)
        or r.is_byline(plain, date_line=lambda tail: bool(date_line_values(tail)), foreign=True)
    ):
        return "byline"
    if date_line_values(plain):
        return "date_line"
    if r.is_byline(plain, date_line=lambda tail: bool(date_line_values(tail)), foreign=True):
        return "byline"
    place = _PLACE_BEFORE_DATE.fullmatch(plain)
    if (
        place
        and place.group(1)[0].isupper()
        and place.group(1).split()[0].casefold() not in _NOT_A_PLACE
        and date_line_values(place.group(2))
    ):
        return "date_line"
    return None


#: A letters page's box title alone on its line.
_WRITE_TO_US = frozenset({"write to us", "write to us:", "contact us", "contact us:"})


#: A table row's cell boundary: a pipe not escaped ("Search \\| Help" keeps its pipes).
_CELL_BOUNDARY = re.compile(r"(?<!\\)\|")


def _only_cell(plain: str) -> str | None:
    """The text of a table row whose cells are all empty but one (a layout table's row of
    navigation, trafilatura writes it as a markdown row), its escaped pipes plain; else None."""
    text = plain.strip()
    if len(text) > 600 or not (text.startswith("|") and text.endswith("|")):
        return None
    cells = [c.strip() for c in _CELL_BOUNDARY.split(text[1:-1])]
    full = [c for c in cells if c]
    if len(cells) < 2 or len(full) != 1:
        return None
    return full[0].replace("\\|", "|")


def _line_reason(line: str, plain: str) -> str | None:
    """The reason a single line is junk wherever it stands, or None when it may be body.

    Most lines are body text, so each rule is guarded by a cheap necessary condition taken from
    the rule itself (its length limit, the first character its pattern needs): the guards only
    skip calls that would answer no, and the rules keep their order.
    """
    if not r.has_alnum(line):
        return "markdown" if r.MD_RULE.fullmatch(line[:400]) else "empty"
    cell = _only_cell(plain)
    if cell is not None:  # an old layout's row holding one line: "| Home > Records > … | | |"
        return _line_reason(cell, cell)
    tool = r.TEXT_SIZE_TAIL.search(plain) if len(plain) <= 200 else None
    if tool is not None:  # "By Dilrukshi Fernando Monday, 25 July 2022 06:20 PM Text size: A-AA+"
        rest = plain[: tool.start()].strip(" |•·")
        if not rest:
            return "share"
        reason = _line_reason(rest, rest)
        if reason in ("byline", "date_line", "share", "credit"):
            return reason
    if len(plain) <= 40 and r.VERDICT_LABEL.match(plain.strip()):
        return "widget"  # a fact check's verdict: "Rating: Misleading"
    if len(plain) <= 50 and r.READING_TIME_LINE.fullmatch(plain.strip(" .·|•-")):
        return "widget"  # a reading time alone: "3 min read", "Lesezeit: 4 Min."
    if len(plain) <= 90 and r.STANDARDS_NOTE.fullmatch(plain.strip()):
        return "credit"  # "Our Standards: The Thomson Reuters Trust Principles."
    if len(plain) <= 300 and r.SITE_CREDIT.fullmatch(plain.strip()):
        return "credit"  # "Site by Savanna Digital", a republished piece's licence note
    if len(plain) <= 140 and r.TRAVEL_DISCLOSURE.fullmatch(plain.strip()):
        return "credit"  # "The writer travelled as a guest of a regional tourism body."
    if len(plain) <= 30 and r.TICKET_BUTTON.fullmatch(plain.strip(" .!→›»")):
        return "promo"  # "Book tickets"
    if (
        len(plain) <= 320
        and plain[:6].casefold() == "catch "
        and r.CATCH_ALL_NEWS.fullmatch(plain.strip())
    ):
        return "promo"  # "Catch all the Business News … on Live Mint. Download The Mint News App …"
    if len(plain) <= 140 and r.RELATED_TOPICS.fullmatch(plain.strip()):
        return "breadcrumb"  # "Read related topics: Perth Property Market"
    if len(plain) <= 240:
        short = plain.strip().replace("İ", "I").replace("ı", "i")  # Turkish capitals
        short = short.strip(" .…!»→¿¡")  # "Video Loading...", "View all »", "¿Ya eres suscriptor?"
        if r.PAYWALL_LINE.fullmatch(short):
            return "subscribe"  # "Este artigo é exclusivo para assinantes", "Já é assinante?"
        if r.AD_LINE.fullmatch(short):
            return "promo"  # "Publicité", "Dalsza część artykułu pod materiałem wideo"
        if r.VIDEO_CHROME.fullmatch(short):
            return "widget"  # "Video Loading", "Click to play", "View All", "‹ Back to all news"
        if r.FOREIGN_COMMENTS.fullmatch(short):
            return "comments"  # "Yorum Yaz", "Bu habere henüz yorum yapılmamış."
    if len(plain) <= 60 and "°" in plain and r.WEATHER_DAY.fullmatch(plain.strip()):
        return "widget"  # a forecast strip's day: "Mon 29°/19° Snow" (a table's rows are a story's)
    if len(plain) <= 60 and r.STAFF_LINE.fullmatch(plain.strip()):
        return "byline"  # a byline's desk alone: "Register staff writer"
    if len(plain) <= 40 and r.END_MARK.fullmatch(plain.strip()):
        return "promo"  # a release's end mark: "-30-", "###", an agency's "/3321/ 2945"
    if len(plain) <= 90 and r.RELEASE_LABEL.fullmatch(plain.strip()):
        return "promo"  # "FOR IMMEDIATE RELEASE", "Press Release No. KCSDB/PR/2011/37"
    if len(plain) <= 14 and plain.strip().casefold() in _WRITE_TO_US:
        return "promo"  # a letters page's box title
    if line[0] in "-*_=" and r.MD_RULE.fullmatch(line[:400]):
        return "markdown"
    if "![" in line and not r.MD_LINK.sub("", line[:20000]).strip():
        return "markdown"
    if r.is_link_dump(line):
        return "link_dump"
    n = len(plain)
    if n <= 120 and r.is_share(plain):
        return "share"
    if n <= 220 and r.is_widget(plain):
        return "widget"
    if n <= 300 and r.is_subscribe(plain):
        return "subscribe"
    if r.is_caption(plain, head=False):
        return "caption"
    if n <= 120 and r.is_date_line(plain):
        return "date_line"
    if len(line) <= 160 and r.is_byline(line):
        return "byline"
    if n <= 200 and r.is_credit(plain):
        return "credit"
    if n <= 300 and r.is_promo_line(plain):
        return "promo"
    if n <= 200 and r.is_contact(plain, head=False):
        return "promo"
    if n <= 300 and r.is_nav(plain):
        return "breadcrumb"
    if r.is_comments(plain):
        return "comments"
    return None


#: A lead-in that introduces a column of links: a clause of at least this many words ending ":".
LEAD_IN_WORDS = 5
#: At most this many one-link lines under a lead-in are kept as the article's own list.
MAX_CITED_LINKS = 40


def _cited_link(line: str) -> bool:
    """One link alone on its line whose host is a name, not a bare IP address (spam lists of
    gambling mirrors are IP addresses, and a list the article cites names its sites)."""
    url = _bare_url(line)
    if url is None:
        return False
    host = r.URL_HOST.match(url)
    return host is None or not r.IP_HOST.fullmatch(host.group(1))


def _line_rules(doc: _Doc) -> None:
    """Line rules, except a column of bare links that a sentence of the article introduces
    ("The ministry published the three decrees here:" and one link per line): that list is the
    article's own content, as a shortened-link list in a wire story is, not a link dump."""
    lead_in = False
    cited = 0
    previous = ""
    for i in doc.live():
        line = doc.lines[i]
        plain = r.strip_markdown_links(line).strip()
        if lead_in and cited < MAX_CITED_LINKS and _cited_link(line):
            cited += 1
            continue
        lead_in = plain.endswith(":") and r.nwords(plain) >= LEAD_IN_WORDS
        cited = 0
        after_table, previous = previous.startswith("|"), line.lstrip()
        reason = _line_reason(line, plain)
        if reason == "credit" and after_table:
            continue  # "Source: Stroud District Council" under a table is the table's note
        if reason is not None:
            doc.drop(i, reason)
            lead_in = False


#: The longest post an embed carries (a tweet is at most 280 characters, with its links).
MAX_EMBED_CHARS = 400
#: A comment section's header counts only after this many body-like lines of the article.
COMMENTS_AFTER_BODY = 2


#: The longest line (in words) that counts as a label when the text repeats it whole.
LABEL_MAX_WORDS = 14
#: Words a template's label uses about the page itself, never a story's subheading: "Article
#: content", "Story continues below", "Advertisement continues below", "Scroll to continue".
_PAGE_WORDS = re.compile(
    r"\b(?:article|story|content|continues?|below|advert\w*|ads?|scroll|sponsored|promoted)\b",
    re.IGNORECASE,
)


#: A summary box lists at least this many points.
SUMMARY_MIN_ITEMS = 2


def _summary_box(doc: _Doc) -> None:
    """A summary box above the story: its label alone on its line (`rules.SUMMARY_LABEL`: "Key
    points", "Key takeaways"), the list of points under it, and an automated summary's note
    after them (widget). It restates the story before the story begins; the held-out sets'
    gold leaves it out in all seven pages of six sets that have one. Only above the first
    paragraph of the story: a "Key points" subheading inside the text is the story's."""
    live = doc.live()
    for pos, i in enumerate(live):
        line = _bare_heading(doc.lines[i])
        if r.is_body_like(doc.lines[i]):
            return  # the story has begun
        if not r.SUMMARY_LABEL.fullmatch(line):
            continue
        items = []
        for k in live[pos + 1 :]:
            if not r.BULLET.match(doc.lines[k].strip()):
                break
            items.append(k)
        if len(items) < SUMMARY_MIN_ITEMS:
            return
        after = live[pos + 1 + len(items)] if pos + 1 + len(items) < len(live) else None
        if after is not None and r.SUMMARY_NOTE.fullmatch(doc.lines[after].strip()):
            items.append(after)
        for k in (i, *items):
            doc.drop(k, "widget")
        return


#: A poll's question is short; a longer question is a story's.
POLL_QUESTION_WORDS = 25


def _polls(doc: _Doc) -> None:
    """A reader poll that trafilatura read from a sidebar: its question, a line that ends with a
    question mark, of 25 words or fewer and reporting nobody's words (no ": "), over bare answers
    alone on their lines or run together on one ("Yes", "No", "Can't say", "Yes No":
    `rules.POLL_OPTION`, `rules.POLL_OPTIONS`) that offer a yes and a no, with the box's label
    above ("Poll") when it has one (widget). An interview's question is answered in sentences,
    and "No." with its full stop is someone's answer."""
    live = doc.live()
    for pos, i in enumerate(live):
        question = doc.lines[i].strip()
        if not question.endswith("?") or r.nwords(question) > POLL_QUESTION_WORDS:
            continue
        if ": " in question:
            continue  # "The question on the ballot reads: Shall …?": the story reports it
        options, answers = [], set()
        for k in live[pos + 1 :]:
            answer = _bare_heading(doc.lines[k]).lstrip("-*• ").strip()
            if not r.POLL_OPTION.fullmatch(answer) and not (
                len(answer) <= 80 and r.POLL_OPTIONS.fullmatch(answer)
            ):
                break
            answers.update(answer.casefold().split())  # "Yes No": the answers run together
            options.append(k)
        if not (answers & r.POLL_YES and answers & r.POLL_NO):
            continue  # a poll offers a yes and a no
        label = live[pos - 1] if pos else None
        if label is not None and r.POLL_LABEL.fullmatch(_bare_heading(doc.lines[label])):
            options.append(label)
        for k in (i, *options):
            doc.drop(k, "widget")


def _editor_notes(doc: _Doc) -> None:
    """A release's "Notes to editors" heading after the story, and everything after it: the
    organisation's boilerplate, photo and interview offers, for the press (promo)."""
    live = doc.live()
    for pos, i in enumerate(live):
        if pos == 0 or not r.EDITOR_NOTES.fullmatch(_bare_heading(doc.lines[i])):
            continue
        if not any(r.is_body_like(doc.lines[k]) for k in live[:pos]):
            continue
        for k in live[pos:]:
            doc.drop(k, "promo")
        return


def _repeated_labels(doc: _Doc) -> None:
    """A short line about the page itself that stands whole two or more times in the text is a
    label the template repeats between the paragraphs ("Article content" between every
    paragraph of some chains' pages, "Story continues below advertisement"). Only such words
    count: a repeated subheading ("Reasons to buy" under each product), a live text's "Goal for
    Arsenal" or a transcript's "Thank you very much." is the story's. Table rows, list items,
    quotes and speaker labels ("JANE ROE:") are never counted."""
    seen: dict[str, list[int]] = {}
    for i in doc.live():
        line = doc.lines[i].strip()
        if line.startswith(("|", "-", "*", "#", ">")) or line.endswith(":"):
            continue
        words = line.split()
        if not 2 <= len(words) <= LABEL_MAX_WORDS or len(line) > 100:
            continue
        if not _PAGE_WORDS.search(line):
            continue
        seen.setdefault(line.casefold(), []).append(i)
    for found in seen.values():
        if len(found) >= 2:
            for i in found:
                doc.drop(i, "promo")


#: A podcast's or video's chapter list: its header alone on a line, then lines that open with a
#: time stamp ("- 02:14 Leaving the garage").
_CHAPTERS_HEADER = re.compile(
    r"(?:episode |video )?(?:chapters|timestamps|time stamps|in this episode)", re.IGNORECASE
)
_CHAPTER = re.compile(r"(?:[-*•] )?\(?\d{1,2}:\d{2}(?::\d{2})?\)? ?[-–—:]? ?\S")
#: A chapter list starts at the episode's start ("00:00 Cold open"); a live page's times do not.
_FIRST_CHAPTER = re.compile(r"(?:[-*•] )?\(?0{1,2}:00(?::00)?\b")
#: A chapter list has at least this many time-stamped lines.
MIN_CHAPTERS = 2


def _chapters(doc: _Doc) -> None:
    """A chapter list under its header ("Chapters", "Timestamps"): the player's navigation, not
    the episode's text. Time-stamped lines without such a header stay (a live page's entries)."""
    for i in doc.live():
        if not _CHAPTERS_HEADER.fullmatch(doc.lines[i].strip(" :")):
            continue
        run: list[int] = []
        for j in doc.live(i + 1):
            if not _CHAPTER.match(doc.lines[j].strip()):
                break
            run.append(j)
        if len(run) >= MIN_CHAPTERS and _FIRST_CHAPTER.match(doc.lines[run[0]].strip()):
            for j in (i, *run):
                doc.drop(j, "promo")


def _author_lines(doc: _Doc, authors: frozenset[str] = frozenset()) -> None:
    """A line that is only the name of an author the text's byline names ("By Desiree Hinds and
    Ryan Gittens · Last updated …", then "Desiree Hinds" over each entry of a live page, or
    over an author box) is the template's author label, not the story's. Only names of two
    words or more taken from a removed byline or the page's metadata (``authors``, when the
    extractor left the byline out, and then only a name standing over two entries or more: a
    name once over an author box heads the bio, which `_tail_bio` reads) count, so a story that
    prints a name alone on a line (a list of the dead, a cast) without such a byline keeps it."""
    repeated = Counter(line.strip().casefold() for line in doc.lines)
    names: set[str] = {name for name in authors if repeated[name] >= 2}
    for i, reason in enumerate(doc.reason):
        if reason != "byline":
            continue
        plain = r.strip_markdown_links(doc.lines[i]).strip()
        m = r.BYLINE.fullmatch(plain) or r.FOREIGN_BYLINE.fullmatch(plain)
        if m is None:
            continue
        rest = r.DATE_SPLIT.split(m.group(1))[0]
        for name in r.CREDIT_SPLIT.split(rest.split(" - ")[0].split(" – ")[0]):
            name = name.strip(" ,.")
            if 2 <= len(name.split()) <= 4:
                names.add(name.casefold())
    if not names:
        return
    bare = [i for i in doc.live() if _bare_name(doc.lines[i])]
    if any(doc.lines[i].strip().casefold() not in names for i in bare):
        return  # other names alone on their lines: a transcript's speakers, the author among them
    for i in bare:
        if doc.lines[i].strip().casefold() in names:
            doc.drop(i, "byline")


def _bare_name(line: str) -> bool:
    """A line that is only a name: two to four capitalised words, no sentence end."""
    words = line.split()
    return 2 <= len(words) <= 4 and not r.ends_sentence(line) and all(w[0].isupper() for w in words)


#: What a post on a platform carries and a story's paragraph seldom does: a handle, a hashtag,
#: an emoji.
_POST_MARKS = re.compile(r"(?<!\w)[@#]\w|[\U0001F300-\U0001FAFF\u2764\u2728]")


def _embedded_posts(doc: _Doc) -> None:
    """An embedded social post: its attribution line ("— Name (@handle) October 20, 2024", a
    photo platform's "A post shared by Name (@handle) on …") and the post's text on the line
    just above it, and the platform's "View this post on …" over a photo's post. Extractors
    keep an embed's blockquote as a paragraph; it is what someone posted, not the article's
    text."""
    for i in doc.live():
        plain = r.strip_markdown_links(doc.lines[i]).strip()
        if len(plain) > 160:
            continue
        if r.VIEW_POST_ON.match(plain):
            doc.drop(i, "embed")
            continue
        m = r.EMBED_ATTRIBUTION.match(plain)
        dated = m is not None and bool(r.is_date_line(m.group(1)) or date_line_values(m.group(1)))
        if not dated and not r.SHARED_BY.match(plain):
            continue
        doc.drop(i, "embed")
        j = i - 1
        while j >= 0 and not doc.lines[j].strip():
            j -= 1  # blank lines only: a line another rule took ends the embed
        if j >= 0 and doc.reason[j] is None and len(doc.lines[j]) <= MAX_EMBED_CHARS:
            above = r.strip_markdown_links(doc.lines[j]).strip()
            # a photo platform's post is under its "View this post on …" (a caption-less embed's
            # line above is the story's)
            k = j - 1
            while k >= 0 and not doc.lines[k].strip():
                k -= 1
            viewed = k >= 0 and doc.reason[k] == "embed"
            posted = bool(_POST_MARKS.search(above))  # a handle, a hashtag or an emoji
            if not r.EMBED_ATTRIBUTION.match(above) and (dated or viewed or posted):
                doc.drop(j, "embed")


#: The messages under an obituary's guest book are short; a subhead of the story is not followed by
#: this few words per line (`rules.GUESTBOOK_HEADER`).
GUESTBOOK_LINE_WORDS = 40


def _comments_header(doc: _Doc, i: int, plain: str) -> bool:
    """A comment section's header (`rules.COMMENTS_HEADER`), or a guest book's over nothing but
    short messages ("Condolences" over a story's paragraphs is a subhead), or a numbered header
    run together with the comments under it (`rules.COMMENTS_LEAD`)."""
    if r.COMMENTS_LEAD.match(plain):
        return True
    if len(plain) > 200:
        return False
    if r.COMMENTS_HEADER.match(plain):
        return True
    header = plain.strip(" .:!")
    if r.GUESTBOOK_COUNT.fullmatch(header):
        # "9 entries" heads a guest book only under an obituary's words
        if not any(r.OBITUARY.search(doc.lines[j]) for j in doc.live() if j < i):
            return False
    elif not r.GUESTBOOK_HEADER.fullmatch(header):
        return False
    after = doc.live(i + 1)
    return bool(after) and all(r.nwords(doc.lines[j]) <= GUESTBOOK_LINE_WORDS for j in after)


def _comments_tail(doc: _Doc) -> None:
    """From a comment section's header on ("12 Comments", "Comentarios (3)", "Leave a reply",
    the whole line), the rest of the text is the readers' words: comments read like
    paragraphs, so the tail sweep cannot tell them from the article. The header must come
    after the article's first lines, and no other rule may have taken it."""
    body = 0
    for i, line in enumerate(doc.lines):
        if doc.reason[i] not in (None, "comments"):
            continue
        plain = r.strip_markdown_links(line).strip()
        if body >= COMMENTS_AFTER_BODY and _comments_header(doc, i, plain):
            if doc.reason[i] is None:
                doc.drop(i, "comments")
            for j in doc.live(i + 1):
                doc.drop(j, "comments")
            return
        if doc.reason[i] is None and r.is_body_like(plain):
            body += 1


#: At least this many (summary, date) pairs make a list of other stories (`_dated_cards`).
DATED_CARDS = 3
#: A card's summary is a paragraph of at most this many words.
CARD_WORDS = 80


def _dated_cards(doc: _Doc) -> None:
    """The text ends in other stories' cards: short paragraphs each followed by a line that is
    only a date ("29 Jan 2025"), three times or more. The extractor dropped the cards' headlines
    (links) and kept their summaries, which read like the article's last paragraphs; an article
    never prints a date after each of its paragraphs. The run must end the text and come after
    the article's first lines. The other order (a date, then its paragraph) is a timeline's, an
    article's own content, and is left alone."""
    seq = [
        i for i in range(len(doc.lines)) if doc.lines[i] and doc.reason[i] in (None, "date_line")
    ]
    pairs: list[int] = []
    k = len(seq) - 1
    while k >= 1:
        date_at, text_at = seq[k], seq[k - 1]
        summary = r.strip_markdown_links(doc.lines[text_at]).strip()
        if (
            doc.reason[date_at] != "date_line"
            or doc.reason[text_at] is not None
            or r.nwords(summary) > CARD_WORDS
        ):
            break
        pairs.append(text_at)
        k -= 2
    if len(pairs) < DATED_CARDS:
        return
    start = min(pairs)
    body = sum(
        1 for i in seq if i < start and doc.reason[i] is None and r.is_body_like(doc.lines[i])
    )
    if body >= COMMENTS_AFTER_BODY:
        for i in sorted(pairs):
            doc.drop(i, "teaser")


def _is_blurb(line: str) -> bool:
    """A related-article blurb: a headline, a snippet ending in an ellipsis, a date."""
    if r.is_body_like(line) or r.URL.search(line):
        return False
    if r.ends_ellipsis(line) and len(r.words(line)) <= 60:
        return True
    return r.is_headline_like(line) or r.is_date_line(line)


def _teasers(doc: _Doc) -> None:
    """ "Read more: <headline>" lines, and teaser headers with the blurbs under them."""
    for i in doc.live():
        if doc.reason[i]:
            continue
        kind = r.teaser_kind(r.strip_markdown_links(doc.lines[i]).strip())
        if kind is None:
            continue
        doc.drop(i, "teaser")
        if kind != "header":
            after = doc.next_live(i)  # an embedded video's title, then its running time
            if (
                after is not None
                and r.VIDEO_TEASER.match(r.strip_markdown_links(doc.lines[i]).strip())
                and r.MEDIA_DURATION.fullmatch(doc.lines[after].strip())
            ):
                doc.drop(after, "teaser")
            continue
        doc.headers.append((i, "teaser"))
        j: int | None = i
        for _ in range(MAX_BLURBS):
            j = doc.next_live(j) if j is not None else None
            if j is None:
                break
            blurb = r.strip_markdown_links(doc.lines[j]).strip()
            if not _is_blurb(blurb) and r.teaser_kind(blurb) is None:
                break
            doc.drop(j, "teaser")


def _about_blocks(doc: _Doc) -> None:
    """ "About <Outlet>" + its self-description (promo); "About admin" + bio (author_box)."""
    for i in doc.live():
        if doc.reason[i]:
            continue
        name = r.about_name(doc.lines[i])
        if name is None:
            continue
        j = doc.next_live(i)
        para = doc.block(j) if j is not None else []
        after = para[-1] + 1 if para else i + 1
        tail = not any(r.is_body_like(doc.lines[k]) for k in doc.live(after))
        text = " ".join(doc.lines[k] for k in para)
        kind = r.promo_or_bio(text, name, tail=tail) if para else None
        if kind is not None:
            doc.drop(i, kind)
            for k in para:
                doc.drop(k, kind)
        elif name.casefold() in r.AUTHOR_NAMES:
            kind = "author_box"
            doc.drop(i, kind)
        elif tail and not para:
            kind = "promo"
            doc.drop(i, kind)
        else:
            continue
        doc.headers.append((i, kind))


#: A contact block lists a name, an office, a number and an address: this many lines at most, each
#: this short.
CONTACT_BLOCK_LINES = 6
CONTACT_LINE_WORDS = 12


def _bare_heading(line: str) -> str:
    """A line without its Markdown heading or emphasis ("## Media contact", "**Contact**")."""
    return line.strip().lstrip("#").strip().strip("*_").strip()


#: A release's "About" paragraph under its contact block: "About the Clearwater Basin Water
#: District: The district provides …" (no paragraph of the story).
_ABOUT_LEAD = re.compile(r"\s*About (?:the )?[A-Z][^:.]{1,80}:\s")


def _contact_blocks(doc: _Doc) -> None:
    """A release's or a news office's contact block at the foot of the text: a heading alone on
    its line (`rules.CONTACT_LABEL`: "Media contact", "Researcher contact") over a few short lines
    that give a telephone number or an e-mail address, with no paragraph of the story after it,
    or at the head of a release, above the story's first paragraph (promo). Labelled lines
    ("Contact: ...") are `rules.is_contact`'s; a heading over a paragraph ("For more information"
    + sentences) is body."""
    for i in doc.live():
        if doc.reason[i] or not r.CONTACT_LABEL.fullmatch(_bare_heading(doc.lines[i])):
            continue
        block: list[int] = []
        end = None
        for k in doc.live(i + 1)[:CONTACT_BLOCK_LINES]:
            line = doc.lines[k]
            if r.nwords(line) > CONTACT_LINE_WORDS:
                break
            if r.CONTACT_LABEL.fullmatch(_bare_heading(line)):
                break
            block.append(k)
            if r.has_address_or_number(line):
                end = len(block)
        if end is None:
            continue
        block = block[:end]
        before = (k for k in range(i) if doc.lines[k] and not doc.reason[k])
        after = (k for k in doc.live(block[-1] + 1) if not _ABOUT_LEAD.match(doc.lines[k]))
        if any(r.is_body_like(doc.lines[k]) for k in after) and any(
            r.ends_sentence(doc.lines[k]) for k in before
        ):
            continue  # between the story's sentences ("Police are asking for the public's help.")
        for k in (i, *block):
            doc.drop(k, "promo")
        doc.headers.append((i, "promo"))


#: Lines after an author's bio that are its box's links ("Tutti gli articoli", "All stories"):
#: this short, they are no paragraph of the article.
_BOX_LINK_WORDS = 6


def _box_link(line: str) -> bool:
    return r.nwords(line) <= _BOX_LINK_WORDS and not r.ends_sentence(line)


#: A reporter's third-person tagline is one of the text's last lines.
TAGLINE_LINES = 3


#: Lines of a newsletter box under its heading, at most (blurb, address field, button).
NEWSLETTER_BOX_LINES = 3
#: A newsletter box's blurb is a line of at most this many words.
NEWSLETTER_BOX_WORDS = 20


def _newsletter_boxes(doc: _Doc) -> None:
    """The lines of a newsletter box under its heading (a line dropped as a subscribe prompt):
    its blurb ("What's happening in Connecticut schools, every Thursday."), its address field and
    its button ("Sign up"), each short and each saying so (`rules.NEWSLETTER_BOX_LINE`); the box
    ends at the first line that does not. Alone, "every Thursday." closes sentences of stories
    too; under "Get the Education newsletter" it is the box's."""
    heads = [i for i, reason in enumerate(doc.reason) if reason == "subscribe"]
    for n, i in enumerate(heads):
        if n + 1 < len(heads) and heads[n + 1] == i + 1:
            continue  # the box's last heading line asks (a run of prompts is asked once)
        for j in range(i + 1, min(len(doc.lines), i + 1 + 2 * NEWSLETTER_BOX_LINES)):
            line = r.strip_markdown_links(doc.lines[j]).strip()
            if not line:
                continue
            if doc.reason[j] is not None or r.nwords(line) > NEWSLETTER_BOX_WORDS:
                break
            if not r.NEWSLETTER_BOX_LINE.search(line):
                break
            doc.drop(j, "subscribe")


def _programme_slots(doc: _Doc) -> None:
    """The programme's slot under a broadcaster's "Dieses Thema im Programm:" note (`rules.
    PROGRAMME_NOTE`): the next line, when it is short and ends with its time ("NDR Info |
    10.03.2026 | 19:30 Uhr"); alone, such a line could be a listing the story gives."""
    for i, reason in enumerate(doc.reason):
        if reason != "promo" or not r.PROGRAMME_NOTE.match(doc.lines[i].strip()):
            continue
        j = doc.next_live(i)
        if j is None:
            continue
        line = doc.lines[j].strip()
        if r.nwords(line) <= r.PROGRAMME_SLOT_WORDS and r.PROGRAMME_SLOT.search(line):
            doc.drop(j, "promo")


#: Lines of a citation box under its "Cite This Page" heading, at most, each of at most
#: `CITATION_WORDS` words: a style's name ("APA") or a citation with its year.
CITATION_LINES, CITATION_WORDS = 6, 60
_CITATION_STYLE = re.compile(r"(?:[-•*] )?(?:APA|MLA|Chicago|Harvard|Vancouver|BibTeX|RIS)\W{0,3}")
_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")


def _citation(line: str) -> bool:
    """A citation: a year with the cited title in quotation marks, a "Retrieved" note, an
    address or a DOI ("Harbour Wire. “Harbour fees.” 18 February 2020.")."""
    if len(line) > 600 or not _YEAR.search(line):
        return False
    low = line.casefold()
    return any(mark in low for mark in ("“", '"', "retrieved", "http", "doi"))


def _citation_boxes(doc: _Doc) -> None:
    """A science page's boxes under its story (`rules.CITATION_HEADER`): "Story Source" over
    its note (a promo line), "Cite This Page" over the citation in a style or three (each line
    a style's name or a citation with its year). The heading goes, and what follows it when no
    paragraph of the story does (`_sweep_tail`)."""
    live = doc.live()
    for n, i in enumerate(live):
        if len(doc.lines[i]) > 40 or not r.CITATION_HEADER.match(doc.lines[i].strip(" #*")):
            continue
        doc.drop(i, "promo")
        doc.headers.append((i, "promo"))
        if not doc.lines[i].strip(" #*").casefold().startswith(("cite", "how to cite")):
            continue
        prev = i
        for j in live[n + 1 : n + 1 + CITATION_LINES]:
            line = doc.lines[j].strip()
            between = [doc.lines[k].strip() for k in range(prev + 1, j) if doc.lines[k].strip()]
            if any(not _CITATION_STYLE.fullmatch(b) for b in between):
                break  # other furniture another rule took ("Advertisement"): the box has ended
            prev = j
            if r.nwords(line) > CITATION_WORDS:
                break
            if not (_CITATION_STYLE.fullmatch(line) or _citation(line)):
                break
            doc.drop(j, "promo")


def _taglines(doc: _Doc) -> None:
    """A reporter's tagline among the text's last lines with no paragraph of the story after it
    (`rules.REACHED_AT`: "Kari Lindahl can be reached at klindahl@…"); in the story, "Officer
    Jane Smith can be reached at …" is the story's (promo)."""
    last = doc.live()[-TAGLINE_LINES:]
    for pos, i in enumerate(last):
        line = doc.lines[i].strip()
        if len(line) > 300 or not r.REACHED_AT.match(line):
            continue
        if any(r.is_body_like(doc.lines[k]) for k in last[pos + 1 :]):
            continue  # a paragraph of the story follows: the story names the officer
        doc.drop(i, "promo")


def _tail_bio(doc: _Doc) -> None:
    """The author's bio at the foot of the text, without an "About" line over it: a paragraph
    that opens with a person's name and what they are (`rules.TAIL_BIO`), or a name alone on its
    line over a paragraph that opens with the role (`rules.ROLE_FIRST`: "Ilaria Brancaleoni" /
    "Giornalista, si occupa di cultura …"), with nothing after them but the box's short links.
    A sentence of the story that names a reporter has the story's paragraphs after it."""
    live = doc.live()
    tail = len(live)
    while tail > 0 and _box_link(doc.lines[live[tail - 1]]):
        tail -= 1  # the box's links
    if tail == 0 or len(live) - tail > 2:
        return
    last = live[tail - 1]
    line = doc.lines[last]
    if r.nwords(line) > 60:
        return
    start = None
    if r.TAIL_BIO.match(line) or (r.WRITER_BIO.match(line) and not r.WRITER_NEWS.search(line)):
        start = tail - 1
    elif tail >= 2 and r.ROLE_FIRST.match(line):
        above = doc.lines[live[tail - 2]]
        if r.PERSON_LINE.fullmatch(above.strip()):
            start = tail - 2
    if start is None:
        return
    for i in live[start:]:
        doc.drop(i, "author_box")
    doc.headers.append((live[start], "author_box"))


def _sweep_tail(doc: _Doc) -> None:
    """After the last real paragraph, lines left behind a promo/author/teaser block are junk."""
    if not doc.headers:
        return
    live = doc.live()
    last_body = max((i for i in live if r.is_body_like(doc.lines[i])), default=-1)
    for start, reason in sorted(doc.headers):
        if start > last_body:
            for i in live:
                if i > start:
                    doc.drop(i, "link_dump" if r.is_link_dump(doc.lines[i]) else reason)
            return


def _inline_markdown(doc: _Doc) -> dict[int, str]:
    """Plain text of each kept line: Markdown syntax removed and recorded as ``markdown``."""
    out: dict[int, str] = {}
    for i in doc.live():
        line = doc.lines[i]
        head = r.heading(line)
        if head is not None:
            doc.removed.append(Removed(text=head[0], reason="markdown", line=i + 1))
            line = head[1]
        elif line.startswith("> "):
            doc.removed.append(Removed(text=">", reason="markdown", line=i + 1))
            line = line[2:]
        if "](" in line:
            for m in r.MD_LINK.finditer(line):
                doc.removed.append(Removed(text=m.group(0), reason="markdown", line=i + 1))
            line = r.MD_LINK.sub(lambda m: "" if m.group(1) else m.group(2), line)
        if "<" in line and r.MD_AUTOLINK.search(line):
            doc.removed.append(Removed(text="<", reason="markdown", line=i + 1))
            line = r.MD_AUTOLINK.sub(lambda m: m.group(1), line)
        if "**" in line and r.MD_BOLD.search(line):
            doc.removed.append(Removed(text="**", reason="markdown", line=i + 1))
            line = r.MD_BOLD.sub(lambda m: m.group(1), line)
        line = " ".join(line.split())
        if r.has_alnum(line):
            out[i] = line
        else:
            doc.drop(i, "empty")
    return out


def _hard_wrapped(doc: _Doc, kept: dict[int, str]) -> bool:
    """Blank-line paragraphs whose lines were wrapped at a fixed width (e-mail style text)."""
    if not doc.blank_separated or len(kept) < 3:
        return False
    lengths = [len(v) for v in kept.values()]
    if max(lengths) > 100 or sum(1 for n in lengths if n >= 40) < 3:
        return False
    joined = sum(1 for i in kept if i + 1 in kept)
    return joined * 2 >= len(kept) - joined


#: A line that stops on a word no clause ends with ("… a collapsed wall near the"): the sentence
#: goes on in the next line, list or not.
_ENDS_MID_PHRASE = re.compile(
    r"\b(?:the|a|an|of|to|in|on|at|by|for|from|with|near|and|or|but|that|which|who|whose|its"
    r"|their|his|her|our|into|onto|than|as)$",
    re.IGNORECASE,
)
#: How a list's lead-in and its items end ("… systems instead:", "… twice a day;"): a lower-case
#: line after one is the next item of a list, not the rest of a broken sentence, and so is each
#: lower-case line after it ("the main library on the Mall" / "the library at Model Town").
LIST_MARKS = (":", ";")


def _paragraphs(doc: _Doc, kept: dict[int, str]) -> list[str]:
    """Group kept lines: blank or removed lines end a paragraph; one line is one paragraph
    unless the text is hard-wrapped or the next line clearly continues a broken sentence."""
    wrapped = _hard_wrapped(doc, kept)
    paragraphs: list[str] = []
    current: list[str] = []
    listing = False  # inside a list that a lead-in's colon opened: its items stay lines
    for i in range(len(doc.lines)):
        line = kept.get(i)
        if line is None:
            if current:
                paragraphs.append(" ".join(current))
                current = []
            continue
        lower = line[0].islower()
        opens_list = bool(current) and lower and current[-1].endswith(LIST_MARKS)
        broken = bool(current) and _ENDS_MID_PHRASE.search(current[-1]) is not None
        listing = (opens_list or (listing and lower and not wrapped)) and not broken
        continues = bool(current) and not r.BULLET.match(line)
        continues = continues and (
            wrapped or (lower and not r.ends_sentence(current[-1]) and not listing)
        )
        if continues:
            current.append(line)
        else:
            if current:
                paragraphs.append(" ".join(current))
            current = [line]
    if current:
        paragraphs.append(" ".join(current))
    return paragraphs


# --- the stage ---------------------------------------------------------------------------------


class CleanStage(Stage):
    """Pipeline stage: clean ``article.text`` (HTML extractor output) or ``article.decoded``.

    Sets the body, paragraphs and removals; sets ``title`` and ``url`` only when no earlier stage
    did, recording how they were found in ``article.provenance``. An article with nothing left
    is skipped, with its removals kept so the analyst can see why.
    """

    name = "clean"
    version = "34"
    reads = ("decoded", "raw_format", "title", "byline")
    adds = ("text", "paragraphs", "removed", "title", "url")

    def process(self, article: Article) -> None:
        source = article.text if article.text.strip() else article.decoded
        author = article.byline if article.provenance.get("byline") == "html-meta" else None
        cleaned = clean_text(
            source, title=article.title, raw_format=article.raw_format, author=author
        )
        article.removed.extend(cleaned.removed)
        if not article.title and cleaned.title:
            article.title = cleaned.title
            if cleaned.title_source:
                article.provenance["title"] = cleaned.title_source
        if not article.url and cleaned.url:
            article.url = cleaned.url
            article.provenance["url"] = "original-url-line"
        article.text = cleaned.text
        article.paragraphs = cleaned.paragraphs
        if not cleaned.text:
            raise Skip("no text left after cleaning")
