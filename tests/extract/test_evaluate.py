"""Quality floors for extraction and metadata on the sample corpus (floors may only be raised)."""

from __future__ import annotations

from pathlib import Path

from storyline.extract.evaluate import evaluate_metadata, format_report

FLOORS = {"stored": 1.0, "title": 0.95, "date": 0.9, "agencies": 0.95, "dateline": 0.88,
          "url": 1.0, "language": 1.0, "outlet": 0.6, "date_not_before": 0.0}


def test_metadata_quality_floors(sample_dir: Path) -> None:
    result = evaluate_metadata(sample_dir)
    report = format_report(result)
    for field, floor in FLOORS.items():
        assert result["fields"][field]["accuracy"] >= floor, f"{field} below {floor}\n{report}"
    assert result["hostile"]["handled"] == result["hostile"]["total"] == 8
    assert result["articles"] == 49
