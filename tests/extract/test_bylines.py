"""Agencies, bylines, datelines and outlets: tables of invented examples, then the real seeds."""

from __future__ import annotations

import importlib.util
import re
import time
from pathlib import Path

import pytest

from storyline.article import Article, Removed
from storyline.extract import agencies, credits, datelines, outlets
from storyline.extract import bylines as b
from storyline.extract.bylines import (
    BylineStage,
    find_agencies,
    find_byline,
    find_dateline,
    find_outlet,
    find_photo_agencies,
)
from storyline.pipeline import run_one
from storyline.testing import BLOWUP_SECONDS, HOSTILE_BYLINES, compiled_patterns

TAIL = " the officials said in a statement released to the press on Monday."

DATELINES = [
    ("TEHRAN -- Iran's envoy said" + TAIL, "Tehran"),
    ("KABUL: As troops prepare to leave," + TAIL, "Kabul"),
    ("ISLAMABAD (Reuters) - Pakistan reopened the crossing," + TAIL, "Islamabad"),
    ("QUETTA, Pakistan — Gunmen killed five guards," + TAIL, "Quetta"),
    ("Tehran, Aug 5 (IRNA) – The foreign minister met his counterpart," + TAIL, "Tehran"),
    ("NEW DELHI, Aug. 5 (PTI) - The ministry announced a new rule," + TAIL, "New Delhi"),
    ("ISLAMABAD/KABUL (Reuters) - Both sides agreed to talk," + TAIL, "Islamabad"),
    ("WASHINGTON, D.C. — The department will review the policy," + TAIL, "Washington"),
    ("Islamabad (Reuters) - Officials met at the border crossing," + TAIL, "Islamabad"),
    ("Quetta, Pakistan (AP) — A bomb went off near a market," + TAIL, "Quetta"),
    ("MAZAR-I-SHARIF: Fighting resumed near the northern city," + TAIL, "Mazar-I-Sharif"),
    ("DAR ES SALAAM — Ministers gathered for a regional meeting," + TAIL, "Dar es Salaam"),
    ("BEIJING, Sept 3 (Xinhua) -- China called for calm in the region," + TAIL, "Beijing"),
    # Negatives: ordinary sentence starts and labels are not datelines.
    ("Iran and Pakistan on Monday shared concerns over militants," + TAIL, None),
    ("The US presence in the region does not provide security," + TAIL, None),
    ("BREAKING: Fighters entered the palace in the capital," + TAIL, None),
    ("UPDATE - The death toll from the blast rose to twelve," + TAIL, None),
    ("Kabul: the capital was calm as shops reopened," + TAIL, None),
    ("US: Washington said it would not recognise the government," + TAIL, None),
    ("AFP - The agency said its reporter was released," + TAIL, None),
    ("Pakistan's foreign minister — who arrived on Sunday — met his host," + TAIL, None),
    ("", None),
    ("Short line only", None),
]


@pytest.mark.parametrize(("text", "expected"), DATELINES)
def test_find_dateline(text: str, expected: str | None) -> None:
    assert find_dateline(text) == expected


def test_dateline_reads_the_lead_paragraph_not_the_title() -> None:
    text = "Iran, Pakistan agree on border\n\nKABUL: The two neighbours agreed" + TAIL
    assert find_dateline(text) == "Kabul"


def R(text: str, reason: str) -> Removed:  # short name: table helper
    return Removed(text=text, reason=reason)


BODY = "The minister told reporters that talks would continue next week in the capital."

AGENCY_CASES: list[tuple[str, list[Removed], list[str]]] = [
    (BODY, [R("By AFP", "byline")], ["AFP"]),
    (BODY, [R("By [AFP](#)", "byline")], ["AFP"]),
    (BODY, [R("AFP/Al Arabiya", "credit")], ["AFP"]),
    ("ISLAMABAD (Reuters) - " + BODY, [], ["Reuters"]),
    ("Tehran, Aug 5 (IRNA) – " + BODY, [], ["IRNA"]),
    (BODY + "\n\n— APP", [], ["APP"]),
    (BODY + " — APP", [], ["APP"]),
    (BODY + " (AFP)", [], ["AFP"]),
    (BODY + "\n\nAFP/Al Arabiya", [], ["AFP"]),
    (BODY, [R("By Jane Roe, Associated Press", "byline")], ["AP"]),
    (BODY, [R("By Staff Reporter with Agence France-Presse", "byline")], ["AFP"]),
    (BODY + "\n\nSource: Xinhua", [], ["Xinhua"]),
    (BODY + "\n\nWith inputs from PTI and ANI", [], ["PTI", "ANI"]),
    (BODY, [R("Associated Press of Pakistan", "credit")], ["APP"]),
    (BODY + "\n\nReuters/AP", [], ["Reuters", "AP"]),
    ("MOSCOW (TASS) -- " + BODY, [], ["TASS"]),
    (BODY + "\n\nAnadolu Agency contributed to this report.", [], ["Anadolu"]),
    (BODY, [R("dpa/EFE", "credit")], ["dpa", "EFE"]),
    # Negatives: mentions in running text are not credits; photo credits are kept apart.
    ("Reuters reported that the talks failed, and officials told AFP they would retry.", [], []),
    ("Tolo News and Ariana News broadcast the speech live from the capital today.", [], []),
    (BODY, [R("President seen at a press conference in Tehran. (AFP)", "caption")], []),
    ("A man is pictured near the ruins of the market in the capital. (AFP)\n\n" + BODY, [], []),
    ("The APPLE of his eye, said the AFPX man, was the APP store." + BODY, [], []),
    (BODY, [R("Read more: Reuters says talks are over", "teaser")], []),
]


@pytest.mark.parametrize(("text", "removed", "expected"), AGENCY_CASES)
def test_find_agencies(text: str, removed: list[Removed], expected: list[str]) -> None:
    assert find_agencies(text, removed) == expected


PHOTO_CASES = [
    ([R("The president speaks in Tehran on June 1. (AFP)", "caption")], "", ["AFP"]),
    ([R("Soldiers at the border. REUTERS/Jane Doe", "caption")], "", ["Reuters"]),
    ([], "Photo: AP\n\n" + BODY, ["AP"]),
    ([], "Rescue workers search the rubble. AFP via Getty Images\n\n" + BODY, ["AFP"]),
    ([R("By AFP", "byline")], BODY, []),
]


@pytest.mark.parametrize(("removed", "text", "expected"), PHOTO_CASES)
def test_find_photo_agencies(removed: list[Removed], text: str, expected: list[str]) -> None:
    assert find_photo_agencies(text, removed) == expected


BYLINE_CASES: list[tuple[list[Removed], str, str | None]] = [
    ([R("By [AFP](#)", "byline")], BODY, "AFP"),
    ([R("By Jane Roe", "byline")], BODY, "Jane Roe"),
    ([R("By Jane Roe | August 5, 2021", "byline")], BODY, "Jane Roe"),
    ([R("By Agence France-Presse", "byline")], BODY, "AFP"),
    ([R("**By Omar Khan**, Published 10:32", "byline")], BODY, "Omar Khan"),
    ([R("Par Camille Rostami – publié le 21 août 2024", "byline")], BODY, "Camille Rostami"),
    ([R("Von Jorinde Mahl, 28. März 2019", "byline")], BODY, "Jorinde Mahl"),
    ([R("Por Ana Gil | 2 de abril de 2020", "byline")], BODY, "Ana Gil"),
    ([], "Paris (AFP) - Talks resumed.\n\n" + BODY, None),
    ([R("About Sara Ahmadi", "author_box")], BODY, "Sara Ahmadi"),
    ([R("About admin", "author_box")], BODY, None),
    ([], "By Web Desk\n\n" + BODY, "Web Desk"),
    ([R("AFP/Al Arabiya", "credit")], BODY, None),
    ([], BODY + "\n\nBy the end of the day nothing was decided.", None),
    ([], BODY, None),
]


@pytest.mark.parametrize(("removed", "text", "expected"), BYLINE_CASES)
def test_find_byline(removed: list[Removed], text: str, expected: str | None) -> None:
    assert find_byline(removed, text) == expected


def _article(**kw: object) -> Article:
    article = Article(source="test", text=str(kw.pop("text", BODY)))
    for key, value in kw.items():
        setattr(article, key, value)
    return article


OUTLET_CASES: list[tuple[dict[str, object], tuple[str | None, str]]] = [
    ({"fields": {"outlet": "Dawn"}, "url": "https://www.thenews.com.pk/x"}, ("Dawn", "record")),
    (
        {"outlet": "Al Jazeera", "provenance": {"outlet": "html-meta"}, "url": "https://x.org/a"},
        ("Al Jazeera", "html-meta"),
    ),
    ({"url": "https://www.themoscowtimes.com/2021/08/18/a"}, ("The Moscow Times", "url-host")),
    ({"url": "https://english.alarabiya.net/News/2021/08/27/x"}, ("Al Arabiya", "url-host")),
    ({"url": "https://tribune.com.pk/story/1"}, ("The Express Tribune", "url-host")),
    ({"url": "https://news.example.co.uk/a/b"}, ("example.co.uk", "url-host")),
    (
        {"removed": [R("About Track Persia\nTrack Persia is a platform", "promo")]},
        ("Track Persia", "promo-block"),
    ),
    ({"removed": [R("AT News", "outlet_name")]}, ("AT News", "outlet-name")),
    ({"removed": [R("AFP/Al Arabiya", "credit")]}, ("Al Arabiya", "credit-line")),
    ({"text": BODY + "\n\nAl Arabiya/AFP"}, ("Al Arabiya", "credit-line")),
    (
        {
            "removed": [
                R("AFP/Al Arabiya", "credit"),
                R("About Track Persia\nTrack Persia is a platform", "promo"),
            ]
        },
        ("Track Persia", "promo-block"),
    ),
    (
        {
            "removed": [
                R("Original url:\n<https://www.themoscowtimes.com/2021/08/18/a>", "original_url")
            ]
        },
        ("The Moscow Times", "url-host"),
    ),
    ({"url": "http://103.49.239.135/page"}, (None, "")),
    ({"removed": [R("About admin", "promo")]}, (None, "")),
    ({}, (None, "")),
]


@pytest.mark.parametrize(("attrs", "expected"), OUTLET_CASES)
def test_find_outlet(attrs: dict[str, object], expected: tuple[str | None, str]) -> None:
    assert find_outlet(_article(**attrs)) == expected


def test_stage_sets_fields_and_provenance() -> None:
    article = _article(
        text="ISLAMABAD (Reuters) - " + BODY,
        removed=[R("By Jane Roe", "byline"), R("A crowd in Kabul. (AFP)", "caption")],
        url="https://www.dawn.com/news/123",
    )
    run_one(BylineStage(), article)
    assert article.failed is None
    assert article.agencies == ["Reuters"]
    assert article.byline == "Jane Roe"
    assert article.dateline == "Islamabad"
    assert article.outlet == "Dawn"
    assert article.extras["photo_agencies"] == ["AFP"]
    assert article.provenance == {
        "agencies": "credits",
        "byline": "byline-line",
        "dateline": "lead",
        "outlet": "url-host",
    }
    assert article.stages == {"bylines": "3"}


def test_stage_keeps_byline_and_outlet_set_by_earlier_stages() -> None:
    article = _article(
        removed=[R("By AFP", "byline"), R("AT News", "outlet_name")],
        byline="Jane Roe",
        outlet="Kabul Times",
        provenance={"byline": "html-meta", "outlet": "html-meta"},
    )
    BylineStage().process(article)
    assert (article.byline, article.provenance["byline"]) == ("Jane Roe", "html-meta")
    assert (article.outlet, article.provenance["outlet"]) == ("Kabul Times", "html-meta")
    assert article.extras["outlet_candidates"] == [
        ["Kabul Times", "html-meta"],
        ["AT News", "outlet-name"],
    ]


def test_agency_table_has_no_outlets_and_no_duplicate_spellings() -> None:
    spellings = [alias for aliases in b.AGENCIES.values() for alias in aliases]
    assert len(spellings) == len(set(spellings))
    assert "Tolo" not in b.AGENCIES and "TOLOnews" not in spellings


ADVERSARIAL = HOSTILE_BYLINES


@pytest.mark.parametrize("text", ADVERSARIAL, ids=lambda t: repr(t[:12]))
def test_no_pathological_regex_time(text: str) -> None:
    article = _article(text=text, removed=[R(text, "byline"), R(text, "credit"), R(text, "promo")])
    start = time.perf_counter()
    find_dateline(text)
    find_agencies(text, article.removed)
    find_photo_agencies(text, [R(text, "caption")])
    find_byline(article.removed, text)
    find_outlet(article)
    # Linear scans of 100 KB take milliseconds; a backtracking blow-up takes minutes (the speed
    # goal is measured by benchmarks/regex_safety.py, not asserted on a shared machine).
    assert time.perf_counter() - start < BLOWUP_SECONDS


# ---------------------------------------------------------------- the real seeds


def _seed(seeds_dir: Path, prefix: str) -> str:
    path = next(seeds_dir.glob(f"{prefix}_*.txt"), None)
    if path is None:
        pytest.skip(f"seed {prefix} is not in {seeds_dir}")
    return path.read_text(encoding="utf-8")


def _lines(raw: str) -> list[str]:
    return [line.strip() for line in raw.splitlines() if line.strip()]


def _emulated(seeds_dir: Path, prefix: str) -> Article:
    """What the cleaner produces for a seed, rebuilt by line position at run time."""
    lines = _lines(_seed(seeds_dir, prefix))
    removed: list[Removed] = []
    body = lines
    if prefix == "000":  # caption, date line, body..., credit line, promo block
        removed = [
            R(lines[0], "caption"),
            R(lines[1], "date_line"),
            R(lines[-3], "credit"),
            R("\n".join(lines[-2:]), "promo"),
        ]
        body = lines[2:-3]
    elif prefix == "002":  # heading, byline, date line, body..., "Original url:" and the URL
        removed = [
            R(lines[0], "title"),
            R(lines[1], "byline"),
            R(lines[2], "date_line"),
            R("\n".join(lines[-2:]), "original_url"),
        ]
        body = lines[3:-2]
    elif prefix == "004":  # breadcrumb, headline, outlet name, body..., author box and teasers
        about = next(i for i, line in enumerate(lines) if line.startswith("About "))
        removed = [
            R(lines[0], "breadcrumb"),
            R(lines[1], "repeated_headline"),
            R(lines[2], "outlet_name"),
            R(lines[about], "author_box"),
        ]
        removed += [R(line, "teaser") for line in lines[about + 1 :]]
        body = lines[3:about]
    else:  # 001 and 003: the first line is the title
        removed = [R(lines[0], "title")]
        body = lines[1:]
    return Article(source=prefix, text="\n\n".join(body), removed=removed)


def _cleaned(seeds_dir: Path, prefix: str) -> Article:
    if importlib.util.find_spec("storyline.extract.clean") is None:
        pytest.skip("storyline.extract.clean (CleanStage) is not written yet")
    from storyline.extract.clean import CleanStage

    raw = _seed(seeds_dir, prefix)
    article = Article(source=prefix, raw=raw.encode(), decoded=raw, raw_format="txt")
    run_one(CleanStage(), article)
    assert article.ok, article.failed or article.skipped
    return article


SEED_EXPECTED = {
    # prefix: (agencies, byline, dateline, outlet, outlet provenance, photo agencies)
    "000": (["AFP"], None, None, "Track Persia", "promo-block", ["AFP"]),
    "001": ([], None, None, None, None, None),
    "002": (["AFP"], "AFP", None, "The Moscow Times", "url-host", None),
    "003": ([], None, "Tehran", None, None, None),
    "004": ([], None, "Kabul", "AT News", "outlet-name", None),
}


@pytest.mark.parametrize("make", [_emulated, _cleaned], ids=["emulated-cleaner", "clean-stage"])
@pytest.mark.parametrize("prefix", sorted(SEED_EXPECTED))
def test_seeds(seeds_dir: Path, prefix: str, make: object) -> None:
    article = make(seeds_dir, prefix)  # type: ignore[operator]
    run_one(BylineStage(), article)
    assert article.failed is None
    agencies, byline, dateline, outlet, how, photo = SEED_EXPECTED[prefix]
    assert article.agencies == agencies
    assert article.byline == byline
    assert article.dateline == dateline
    assert article.outlet == outlet
    assert article.provenance.get("outlet") == how
    assert article.extras.get("photo_agencies") == photo


def test_seed_000_keeps_the_credited_outlet_as_a_candidate(seeds_dir: Path) -> None:
    article = _emulated(seeds_dir, "000")
    BylineStage().process(article)
    assert ["Al Arabiya", "credit-line"] in article.extras["outlet_candidates"]


REGEX_PROBES = [
    "A" * 20_000,
    "TEHRAN " * 3_000,
    "ISLAMABAD, " * 2_000,
    "(" * 20_000,
    "[a](" * 5_000,
    "AFP/" * 5_000,
    "Aa " * 7_000,
    " " * 20_000,
    "- " * 10_000,
    "By " * 7_000,
]


#: Every compiled pattern of the bylines stage's modules, once each, as "module.NAME".
BYLINE_PATTERNS: dict[str, re.Pattern[str]] = compiled_patterns(
    b, credits, agencies, datelines, outlets
)


@pytest.mark.parametrize("name", sorted(BYLINE_PATTERNS))
def test_every_module_regex_is_linear(name: str) -> None:
    """Each compiled pattern, scanned over 20 KB of hostile text: linear scans take a few ms;
    one that backtracks catastrophically takes seconds (it was 8 s for an early dateline)."""
    pattern = BYLINE_PATTERNS[name]
    for probe in REGEX_PROBES:
        start = time.process_time()  # this process's CPU: other processes' load does not count
        for _ in pattern.finditer(probe):
            pass
        assert time.process_time() - start < 0.5, (name, probe[:10])


# ---------------------------------------------------------------- datelines: more shapes

MORE_DATELINES = [
    ("QUETTA, April 23: Levies personnel arrested two men near the crossing," + TAIL, "Quetta"),
    ("ISLAMABAD, June 19 (APP): The committee approved the new rules," + TAIL, "Islamabad"),
    ("PESHAWAR, Feb. 2 — Traders closed their shops in protest," + TAIL, "Peshawar"),
    # Accented capitals; the gazetteer's English name when it knows the spelling (Teheran).
    (
        "TÉHÉRAN — Le ministre a reçu son homologue pakistanais pour des entretiens," + TAIL,
        "Tehran",
    ),
    ("MÜNCHEN – Die Polizei hat am Montag drei Männer festgenommen und verhört," + TAIL, "München"),
    ("SÃO PAULO — A polícia prendeu três suspeitos na segunda-feira," + TAIL, "São Paulo"),
    # Persian-script datelines: a place and a dash, optionally the agency and a second dash.
    ("مشهد - استاندار خراسان رضوی روز دوشنبه از بازگشایی مرز دوغارون خبر داد و گفت", "مشهد"),
    ("تهران- ایرنا- سخنگوی وزارت امور خارجه روز شنبه در نشست خبری هفتگی گفت که", "تهران"),
    # A local credit between two dashes is still a dateline; a dash later in a sentence is not.
    ("تهران - خبرگزاری محلی - سخنگوی وزارت امور خارجه روز شنبه در نشست خبری گفت", "تهران"),
    ("وزیر امور خارجه روز دوشنبه - پس از دیدار با همتای خود - گفت که مذاکرات ادامه دارد", None),
]


@pytest.mark.parametrize(("text", "expected"), MORE_DATELINES)
def test_more_datelines(text: str, expected: str | None) -> None:
    assert find_dateline(text) == expected


def test_dateline_skips_a_long_posted_on_line() -> None:
    text = "Posted on April 23, 2024 by Staff Reporter\n\nQUETTA, Pakistan — Police said" + TAIL
    assert find_dateline(text) == "Quetta"


def test_persian_dateline_agency_is_credited() -> None:
    text = "تهران- ایرنا- سخنگوی وزارت امور خارجه روز شنبه در نشست خبری هفتگی گفت که"
    assert find_agencies(text, []) == ["IRNA"]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Avec AFP", ["AFP"]),
        ("Avec AFP et Reuters", ["AFP", "Reuters"]),
        ("Mit Material von dpa", ["dpa"]),
        ("Con EFE", ["EFE"]),
        ("With AFP", ["AFP"]),
        ("Avec nos correspondants", []),
    ],
)
def test_credit_lines_in_other_languages(line: str, expected: list[str]) -> None:
    assert find_agencies(BODY + "\n\n" + line, []) == expected


# ---------------------------------------------------------------- outlets: bios, copyright, hosts

BIO = "Nadia Rahimi is the Herat Courier's correspondent for the western provinces."
MORE_OUTLETS: list[tuple[dict[str, object], tuple[str | None, str]]] = [
    # A staff bio in an author box or at the end of the text.
    ({"removed": [R(BIO, "author_box")]}, ("Herat Courier", "staff-bio")),
    (
        {"text": BODY + "\n\nOmid Karimi reports on trade and the border for The Balkh Gazette."},
        ("The Balkh Gazette", "staff-bio"),
    ),
    (
        {"removed": [R("Sana Baloch covers health for the Makran Post.", "author_box")]},
        ("Makran Post", "staff-bio"),
    ),
    (
        {"removed": [R("Farid Noori is a correspondent for Kandahar Weekly.", "author_box")]},
        ("Kandahar Weekly", "staff-bio"),
    ),
    # A bio naming an agency is not an outlet of its own; a bio without a name gives nothing.
    ({"removed": [R("Farid Noori is a correspondent for AFP.", "author_box")]}, (None, "")),
    ({"removed": [R("She reports on water and climate.", "author_box")]}, (None, "")),
    # Copyright lines, in the text, in removed lines or in the page's footer.
    (
        {"text": BODY + "\n\n© 2023 Helmand Times. All rights reserved."},
        ("Helmand Times", "copyright"),
    ),
    (
        {"removed": [R("Copyright © 2019-2024 The Sindh Observer", "promo")]},
        ("The Sindh Observer", "copyright"),
    ),
    (
        {"html": "<p class='c'>&copy; 2022 Gilgit Review. Terms</p>"},
        ("Gilgit Review", "copyright"),
    ),
    # An unknown host becomes the name the article writes for it, letter for letter...
    (
        {"url": "https://www.heratcourier.example/2023/01/02/a", "removed": [R(BIO, "author_box")]},
        ("Herat Courier", "host-name"),
    ),
    (
        {
            "url": "https://makran-post.example/a",
            "text": BODY + "\n\nSubscribe to Makran Post for the full archive.",
        },
        ("Makran Post", "host-name"),
    ),
    (
        {
            "url": "https://thesindhobserver.example/a",
            "text": BODY + "\n\nLetters to The Sindh Observer are welcome.",
        },
        ("The Sindh Observer", "host-name"),
    ),
    # ... and stays the host when nothing in the article spells it.
    (
        {"url": "https://www.heratcourier.example/a", "text": BODY + "\n\nThe Herat Daily Courier"},
        ("heratcourier.example", "url-host"),
    ),
    (
        {"url": "https://www.kabulnow.example/a", "text": BODY + "\n\nKabul said on Monday."},
        ("kabulnow.example", "url-host"),
    ),
    # A host name set by the HTML extractor is replaced by the page's own spelling.
    (
        {
            "outlet": "quettapost.example",
            "provenance": {"outlet": "html-meta"},
            "html": "<html><head><title>Road reopens | Quetta Post</title></head></html>",
        },
        ("Quetta Post", "host-name"),
    ),
]


@pytest.mark.parametrize(("attrs", "expected"), MORE_OUTLETS)
def test_more_outlets(attrs: dict[str, object], expected: tuple[str | None, str]) -> None:
    assert find_outlet(_article(**attrs)) == expected


def test_a_known_host_outranks_a_bio_copied_from_elsewhere() -> None:
    article = _article(url="https://www.dawn.com/news/1", removed=[R(BIO, "author_box")])
    assert find_outlet(article) == ("Dawn", "url-host")


def test_byline_from_an_author_bio_not_the_about_heading() -> None:
    removed = [R("About the author", "author_box"), R(BIO, "author_box")]
    assert find_byline(removed, BODY) == "Nadia Rahimi"
    assert find_byline([R("About the author", "author_box")], BODY) is None
