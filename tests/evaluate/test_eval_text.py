"""`storyline eval text`: the shingle scoring, its layouts, and the development pages."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storyline.errors import EvaluationError
from storyline.evaluate.text import evaluate_text, format_report, page_counts, read_gold, summarize

DEV = Path(__file__).resolve().parents[1] / "data" / "text"

BODY = [
    "The harbour board said the quay wall would be rebuilt in two stages so that the fishing "
    "boats can keep landing their catch while the first half is closed.",
    "Fishers at the market said they had been asking for the repair for many years and were "
    "glad to see the engineers on the site at last this week.",
    "The first stage is due to end before the spring storms, the board's engineer told "
    "reporters on the quay, and the second will begin once the boats return in autumn.",
]
PAGE = (
    "<!doctype html><html><head><title>Quay works</title></head><body>"
    '<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>'
    "<article><h1>Quay works to begin</h1>{paragraphs}</article>"
    '<aside class="related"><h3>Most read</h3><ul><li><a href="/a">Ferry fares rise again '
    'for the winter season</a></li><li><a href="/b">New school opens on the hill road</a></li>'
    "</ul></aside><footer>Copyright The Harbour Gazette. All rights reserved.</footer>"
    "</body></html>"
)


def _page(paragraphs: list[str]) -> str:
    return PAGE.format(paragraphs="".join(f"<p>{p}</p>" for p in paragraphs))


def test_page_counts_are_shingles_normalised_per_page() -> None:
    gold = "one two three four five"  # shingles: (1..4), (2..5)
    assert page_counts(gold, gold) == (1.0, 0.0, 0.0)
    # one shingle right, one missed, three extra: 5 in all
    tp, fp, fn = page_counts(gold, "one two three four six seven eight")
    assert (tp, fp, fn) == pytest.approx((1 / 5, 3 / 5, 1 / 5))
    # a repeated paragraph is counted twice, as the benchmark's multiset does
    assert page_counts(gold, gold + " " + gold)[1] > 0
    # a text under four tokens is one shingle of what it has; empty texts count nothing
    assert page_counts("two words", "two words") == (1.0, 0.0, 0.0)
    assert page_counts("", "") == (0.0, 0.0, 0.0)
    assert page_counts(gold, "") == (0.0, 0.0, 1.0)


def test_summary_means_precision_over_pages_with_output_only() -> None:
    perfect, empty, half = (1.0, 0.0, 0.0), (0.0, 0.0, 1.0), (0.5, 0.5, 0.0)
    result = summarize([perfect, empty, half], bootstrap=0)
    # precision over the two pages that found something, recall over all three with gold
    assert result["precision"] == 0.75
    assert result["recall"] == round((1 + 0 + 1) / 3, 3)
    assert result["nothing_found"] == 1
    assert result["f1"] == round(2 * 0.75 * (2 / 3) / (0.75 + 2 / 3), 3)
    with_ci = summarize([perfect, empty, half] * 5)
    assert 0 < with_ci["f1_ci"] < 1


def test_read_gold_accepts_the_benchmark_and_plain_maps(tmp_path: Path) -> None:
    path = tmp_path / "ground-truth.json"
    path.write_text(
        json.dumps(
            {
                "abc": {"articleBody": "Body one.", "url": "https://x.example/1"},
                "b.html": "Body two.",
                "c.html": {"text": "Body three."},
                "d.html": None,
            }
        ),
        "utf-8",
    )
    assert read_gold(path) == {
        "abc": "Body one.",
        "b.html": "Body two.",
        "c.html": "Body three.",
        "d.html": "",
    }


@pytest.mark.parametrize(
    ("gold", "message"),
    [
        ({"a": {"url": "https://x"}}, "no 'articleBody'"),
        ({"a": 3}, "must be a string"),
        ([], "non-empty JSON object"),
    ],
)
def test_bad_gold_is_a_coded_error_naming_the_file(
    tmp_path: Path, gold: object, message: str
) -> None:
    (tmp_path / "a.html").write_text(_page(BODY), "utf-8")
    path = tmp_path / "ground-truth.json"
    path.write_text(json.dumps(gold), "utf-8")
    with pytest.raises(EvaluationError) as err:
        evaluate_text(tmp_path, bootstrap=0)
    assert message in str(err.value) and str(path) in str(err.value)


def test_a_missing_page_is_named(tmp_path: Path) -> None:
    (tmp_path / "ground-truth.json").write_text(json.dumps({"gone": "text"}), "utf-8")
    with pytest.raises(EvaluationError, match="gone"):
        evaluate_text(tmp_path, bootstrap=0)


def test_benchmark_layout_gzipped_pages_score_the_stored_text(tmp_path: Path) -> None:
    """Pages in html/ID.html.gz as the benchmark ships them; the navigation, the list of other
    stories and the footer are not the article, so a clean extraction scores 1.0, and a gold
    body that holds more than the page costs recall, not precision."""
    (tmp_path / "html").mkdir()
    (tmp_path / "html" / "p1.html.gz").write_bytes(gzip.compress(_page(BODY).encode()))
    (tmp_path / "html" / "p2.html.gz").write_bytes(gzip.compress(_page(BODY[:2]).encode()))
    extra = (
        "A paragraph the page does not hold at all, written only into the gold body so that "
        "recall must fall while precision stays whole."
    )
    (tmp_path / "ground-truth.json").write_text(
        json.dumps(
            {
                "p1": {"articleBody": "\n".join(BODY), "url": "https://x.example/1"},
                "p2": {"articleBody": "\n".join([*BODY[:2], extra]), "url": None},
            }
        ),
        "utf-8",
    )
    result = evaluate_text(tmp_path, compare=True, bootstrap=0)
    assert result["storyline"]["precision"] == 1.0
    assert result["storyline"]["recall"] < 1.0
    assert [row["page"] for row in result["weak_pages"]] == ["p2"]
    assert "trafilatura" in result and "trafilatura_precision" in result
    report = format_report(result)
    assert "storyline" in report and "p2:" in report and "trafilatura" in report


def test_cli_prints_the_table_and_json(tmp_path: Path) -> None:
    from storyline.cli.main import app

    (tmp_path / "one.html").write_text(_page(BODY), "utf-8")
    (tmp_path / "gold.json").write_text(json.dumps({"one.html": "\n".join(BODY)}), "utf-8")
    runner = CliRunner()
    shown = runner.invoke(app, ["eval", "text", str(tmp_path)])
    assert shown.exit_code == 0, shown.output
    assert "main text on 1 pages" in shown.output
    as_json = runner.invoke(app, ["eval", "text", str(tmp_path), "--json"])
    assert json.loads(as_json.output)["storyline"]["f1"] == 1.0
    missing = runner.invoke(app, ["eval", "text", str(tmp_path / "nowhere")])
    assert missing.exit_code != 0


@pytest.mark.skipif(not (DEV / "ground-truth.json").is_file(), reason="no development pages")
def test_development_pages_hold_their_figure() -> None:
    """The development pages (written for the patterns extractors fail on; `patterns.json`):
    storyline stays at or above trafilatura alone there."""
    result = evaluate_text(DEV, compare=True, bootstrap=0)
    assert result["storyline"]["pages"] == len(json.loads((DEV / "patterns.json").read_text()))
    assert result["storyline"]["nothing_found"] == 0
    assert result["storyline"]["f1"] >= result["trafilatura"]["f1"]
    assert result["storyline"]["f1"] >= 0.9


@pytest.mark.skipif(not (DEV.parent / "text_heldout").is_dir(), reason="no held-out pages")
def test_held_out_pages_keep_their_figure() -> None:
    """The 16 pages a helper wrote without seeing the rules (scored once at F1 .946 before the
    two rules they led to; docs/evaluation.md): not below that, and not below trafilatura."""
    held = DEV.parent / "text_heldout"
    result = evaluate_text(held, compare=True, bootstrap=0)
    assert result["storyline"]["pages"] == 16
    assert result["storyline"]["f1"] >= 0.946
    assert result["storyline"]["f1"] >= result["trafilatura_precision"]["f1"]


def test_unreadable_pages_are_named_and_bare_ids_are_read_as_html(tmp_path: Path) -> None:
    (tmp_path / "html").mkdir()
    (tmp_path / "html" / "broken.html.gz").write_bytes(b"not gzip at all")
    saved = "<!-- saved from url=(0040)https://x.example/ -->\n" + _page(BODY)
    (tmp_path / "html" / "bare").write_text(saved, "utf-8")
    (tmp_path / "ground-truth.json").write_text(
        json.dumps({"broken": {"articleBody": BODY[0]}, "bare": {"articleBody": "\n".join(BODY)}}),
        "utf-8",
    )
    result = evaluate_text(tmp_path, bootstrap=0)
    assert list(result["failed"]) == ["broken"] and "cannot read" in result["failed"]["broken"]
    assert "no text for broken" in format_report(result)
    assert result["storyline"]["nothing_found"] == 1
    # the bare page scored as HTML: no markup in its text, so nothing but the article
    assert [row["page"] for row in result["weak_pages"]] == ["broken"]


@pytest.mark.parametrize(
    ("name", "floor"),
    [("text_heldout2", 0.95), ("text_heldout3", 0.975), ("text_heldout4", 0.985),
     ("text_heldout5", 0.98), ("text_heldout6", 0.99), ("text_heldout7", 0.98),
     ("text_heldout8", 0.965), ("text_heldout9", 0.99), ("text_heldout10", 0.97),
     ("text_heldout11", 0.975), ("text_heldout12", 0.98), ("text_heldout13", 0.985),
     ("text_heldout14", 0.975), ("text_heldout15", 0.98), ("text_heldout16", 0.98),
     ("text_heldout17", 0.985), ("text_heldout18", 0.985), ("text_heldout19", 0.985),
     ("text_heldout20", 0.99), ("text_heldout21", 0.98),
     ("text_heldout22", 0.98), ("text_heldout23", 0.98), ("text_heldout24", 0.985),
     ("text_heldout25", 0.99), ("text_heldout26", 0.97), ("text_heldout27", 0.96),
     ("text_heldout28", 0.98), ("text_heldout29", 0.98), ("text_heldout30", 0.985),
     ("text_heldout31", 0.98), ("text_heldout32", 0.98), ("text_heldout33", 0.98),
     ("text_heldout34", 0.98), ("text_heldout35", 0.99), ("text_heldout36", 0.985),
     ("text_heldout37", 0.985), ("text_heldout38", 0.965), ("text_heldout39", 0.97),
     ("text_heldout40", 0.975), ("text_heldout41", 0.98), ("text_heldout42", 0.985),
     ("text_heldout43", 0.99), ("text_heldout44", 0.985), ("text_heldout45", 0.99),
     ("text_heldout46", 0.985), ("text_heldout47", 0.99), ("text_heldout48", 0.975),
     ("text_heldout49", 0.955), ("text_heldout50", 0.99), ("text_heldout51", 0.985),
     ("text_heldout52", 0.995), ("text_heldout53", 0.995), ("text_heldout54", 0.995),
     ("text_heldout55", 0.99), ("text_heldout56", 0.985), ("text_heldout57", 0.985),
     ("text_heldout58", 0.99), ("text_heldout59", 0.985), ("text_heldout60", 0.99),
     ("text_heldout61", 0.99), ("text_heldout62", 0.99), ("text_heldout63", 0.99),
     ("text_heldout64", 0.98), ("text_heldout65", 0.99), ("text_heldout66", 0.985),
     ("text_heldout67", 0.965), ("text_heldout68", 0.985), ("text_heldout69", 0.99),
     ("text_heldout70", 0.99), ("text_heldout71", 0.98)],
)  # fmt: skip
def test_the_later_held_out_sets_keep_their_figures(name: str, floor: float) -> None:
    """The sets written blind from 2026-12-05 on, each scored once before the rules it led to
    (docs/evaluation.md: .891, .964, .984, .981, .993, then .981, .940, .995, .979, .976, .988,
    .977, .981, .980, .992, .983, .985, .982, .973, .984, .947, .984, .993, .968, .964, .980,
    .989, .992, .986, .989, .986, .964, .993, .986, .978, .966, .977, .971, .979, .984, .989, .994,
    .989, .982, .989, .977, .960, .991, .991, .984, .970, .994, .984, .985, .988, .979,
    .992, .988, .987, .982, .988, .982, .990, .990, .963, .990, .997, .994, .987):
    the figures reached since must not fall back, and storyline stays above trafilatura in both
    modes on the same pages."""
    held = DEV.parent / name
    result = evaluate_text(held, compare=True, bootstrap=0)
    assert result["storyline"]["f1"] >= floor
    assert result["storyline"]["f1"] > result["trafilatura_precision"]["f1"]
    assert result["storyline"]["f1"] > result["trafilatura"]["f1"]
