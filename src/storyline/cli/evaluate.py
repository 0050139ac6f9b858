"""`storyline eval …`: evaluators that print standard metrics on labelled data anyone can bring.

Each subcommand is a thin wrapper over an ``evaluate_*`` function of the capability it measures,
so benchmarks and tests call the same code the analyst runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from storyline.cli.main import emit_json, fail, out

evaluate_app = typer.Typer(
    help="Evaluate storyline on labelled data (prints standard metrics).", no_args_is_help=True
)


def _existing(path: Path, what: str) -> Path:
    if not path.exists():
        fail(f"{path}: no such {what}")
    return path


def _print(result: dict[str, Any], report: str, as_json: bool) -> None:
    if as_json:
        emit_json(result)
    else:
        out.print(report, markup=False, highlight=False)


@evaluate_app.command("clustering")
def clustering_cmd(
    path: Path = typer.Argument(..., help="JSONL with id, title, text, date, label"),
    shuffles: int = typer.Option(3, help="Shuffled orders for the incremental mode"),
    embedder: str = typer.Option("auto", help="auto | none | wordllama | minilm"),
    batch: int = typer.Option(
        64, min=1, help="Articles per ingest batch in the incremental modes (1: one by one)"
    ),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Story clustering: pairwise and B-cubed P/R/F1, ARI, cluster counts, per mode."""
    from storyline.evaluate.clustering import evaluate_clustering, format_report

    result = evaluate_clustering(
        _existing(path, "file"), shuffles=shuffles, embedder=embedder, batch=batch
    )
    _print(result, format_report(result), as_json)


@evaluate_app.command("copies")
def copies_cmd(
    pairs: Path = typer.Argument(..., help="JSONL of gold copy pairs {a, b, kind}"),
    corpus: Path = typer.Argument(..., help="Folder of the articles the pairs name"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Copy detection: precision and recall of copy pairs."""
    from storyline.evaluate.copies import evaluate_copies, format_report

    result = evaluate_copies(_existing(pairs, "file"), _existing(corpus, "folder"))
    _print(result, format_report(result), as_json)


@evaluate_app.command("entities")
def entities_cmd(
    path: Path = typer.Argument(..., help="CoNLL file (token … tag, BIO/IOB tags)"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Named entities: exact-span P/R/F1 per type."""
    from storyline.evaluate.entities import evaluate_entities, format_report

    result = evaluate_entities(_existing(path, "file"))
    _print(result, format_report(result), as_json)


@evaluate_app.command("actors")
def actors_cmd(
    db: Path = typer.Argument(
        None,
        help="Store to measure [default: ingest the bundled sample corpus into a temporary store]",
    ),
    gold: Path = typer.Option(
        None,
        help="Gold actors JSONL {actor, type, forms} [default: the "
        "sample corpus's labels/actors.jsonl]",
    ),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Actor linking: surface forms collapsed to their actor, wrong merges."""
    from storyline.evaluate.entities import (
        evaluate_actor_linking,
        format_actor_report,
        linking_on_sample,
    )

    gold_path = _existing(gold, "file") if gold else None
    if db is not None:
        result = evaluate_actor_linking(_existing(db, "store"), gold_path)
    else:
        result = linking_on_sample(gold_path)
    _print(result, format_actor_report(result), as_json)


@evaluate_app.command("quotes")
def quotes_cmd(
    folder: Path = typer.Argument(..., help="brat standoff .txt/.ann pairs (PolNeAR format)"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Quote attribution: source, cue and content span P/R/F1."""
    from storyline.evaluate.quotes import evaluate_quotes, format_report

    result = evaluate_quotes(_existing(folder, "folder"))
    _print(result, format_report(result), as_json)


@evaluate_app.command("events")
def events_cmd(
    path: Path = typer.Argument(..., help="PLOVER-style JSONL records"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Coded events: event-type accuracy and actor match."""
    from storyline.evaluate.events import evaluate_events, format_report

    result = evaluate_events(_existing(path, "file"))
    _print(result, format_report(result), as_json)


@evaluate_app.command("metadata")
def metadata_cmd(
    corpus: Path = typer.Argument(
        None, help="Corpus folder with a manifest.jsonl [default: the bundled sample corpus]"
    ),
    manifest: Path = typer.Option(None, help="Gold manifest [default: CORPUS/manifest.jsonl]"),
    through_store: bool = typer.Option(
        False,
        "--through-store",
        help="Ingest into a temporary store so steps after writing (copies, stories, year-less "
        "date bounds from context) count too",
    ),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Extraction and metadata: titles, dates, date bounds, outlets, agencies, datelines, URLs."""
    from storyline.cli.ingest import sample_corpus
    from storyline.evaluate.extraction import evaluate_metadata, format_report

    folder = _existing(corpus, "folder") if corpus else sample_corpus()
    result = evaluate_metadata(folder, manifest, through_store=through_store)
    _print(result, format_report(result), as_json)


def register(app: typer.Typer) -> None:
    app.add_typer(evaluate_app, name="eval")
