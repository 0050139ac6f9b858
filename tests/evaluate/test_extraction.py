"""Quality floors for extraction and metadata on the sample corpus (floors may only be raised)."""

from __future__ import annotations

from pathlib import Path

from storyline.evaluate.extraction import evaluate_metadata, format_report

FLOORS = {
    "stored": 1.0,
    "title": 0.98,
    "date": 0.98,
    "agencies": 0.98,
    "dateline": 0.97,
    "url": 1.0,
    "language": 1.0,
    "outlet": 0.77,
    "date_not_before": 0.0,
}
#: Through a real ingest (the evaluator's default: every stage, the update steps): copies and
#: stories give the undated reprints the year of their year-less dates. The other fields must
#: not change.
STORE_FLOORS = {**FLOORS, "date_not_before": 0.99}


def test_metadata_quality_floors_of_the_foundation_alone(sample_dir: Path) -> None:
    """The reading stages in isolation, in memory (``--foundation-only``)."""
    result = evaluate_metadata(sample_dir, through_store=False)
    report = format_report(result)
    assert result["mode"] == "foundation"
    for field, floor in FLOORS.items():
        assert result["fields"][field]["accuracy"] >= floor, f"{field} below {floor}\n{report}"
    assert result["hostile"]["handled"] == result["hostile"]["total"] == 8
    assert result["articles"] == 49


def test_metadata_quality_floors_through_a_full_ingest(sample_dir: Path) -> None:
    """The default measures what `storyline ingest` does: a full ingest into a temporary store."""
    result = evaluate_metadata(sample_dir)
    report = format_report(result)
    assert result["mode"] == "store, full pipeline"
    for field, floor in STORE_FLOORS.items():
        assert result["fields"][field]["accuracy"] >= floor, f"{field} below {floor}\n{report}"
    assert result["hostile"]["handled"] == result["hostile"]["total"] == 8
    assert result["articles"] == 49
