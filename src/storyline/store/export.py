"""Export articles as JSON Lines, CSV or Parquet (Parquet shards can be queried with DuckDB)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from storyline.article import Article
from storyline.errors import ConfigError

#: Flat columns for CSV and Parquet; JSON Lines carries every field.
COLUMNS = (
    "id",
    "title",
    "outlet",
    "url",
    "canonical_url",
    "published",
    "date_precision",
    "date_source",
    "date_not_before",
    "language",
    "byline",
    "agencies",
    "dateline",
    "source",
    "text",
)
FORMATS = ("jsonl", "csv", "parquet")


def flat(article: Article) -> dict[str, Any]:
    row = {name: getattr(article, name) for name in COLUMNS}
    row["agencies"] = ";".join(article.agencies)
    return row


def export(articles: Iterable[Article], fmt: str, out: IO[str] | Path) -> int:
    """Write articles to ``out`` (a text stream for jsonl/csv, a path for parquet)."""
    if fmt == "jsonl":
        assert not isinstance(out, Path)
        n = 0
        for article in articles:
            out.write(json.dumps(article.as_dict(), ensure_ascii=False) + "\n")
            n += 1
        return n
    if fmt == "csv":
        assert not isinstance(out, Path)
        writer = csv.DictWriter(out, fieldnames=list(COLUMNS))
        writer.writeheader()
        n = 0
        for article in articles:
            writer.writerow(flat(article))
            n += 1
        return n
    if fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        # Written in row groups, so exporting a large store never holds it all in memory.
        if not isinstance(out, Path):
            raise ConfigError(
                "parquet is written to a file: give --output FILE", setting="--output"
            )
        schema = pa.schema([(c, pa.string()) for c in COLUMNS])
        n = 0
        with pq.ParquetWriter(out, schema) as writer:
            rows: list[dict[str, Any]] = []
            for article in articles:
                rows.append(flat(article))
                if len(rows) == 10_000:
                    writer.write_table(pa.Table.from_pylist(rows, schema=schema))
                    n += len(rows)
                    rows = []
            if rows or n == 0:
                writer.write_table(pa.Table.from_pylist(rows, schema=schema))
                n += len(rows)
        return n
    raise ConfigError(
        f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}",
        setting="--format",
        code="E501",
    )
