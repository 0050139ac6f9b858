"""`storyline eval …`: evaluators that print standard metrics on labelled data anyone can bring.

Each subcommand is a thin wrapper over an ``evaluate_*`` function of `storyline.evaluate`, so
benchmarks and tests call the same code the analyst runs. By default every evaluator measures what
`storyline ingest` does, with the settings this command resolved (``--config``, environment):
the default stages and update steps (`storyline.ingest`), or the same stages over labelled text
where the gold is character offsets. Errors are coded (`InputError` for a file that cannot be
read, `EvaluationError` for malformed labelled data) and printed as one line.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import typer

from storyline.cli.output import emit_json, fail, out, state
from storyline.errors import StorylineError

evaluate_app = typer.Typer(
    help="Evaluate storyline on labelled data (prints standard metrics).", no_args_is_help=True
)


def _existing(path: Path, what: str) -> Path:
    if not path.exists():
        fail(f"{path}: no such {what}")
    return path


def _run(
    measure: Callable[[], dict[str, Any]],
    report: Callable[[dict[str, Any]], str],
    as_json: bool,
) -> None:
    """Run one evaluator and print its result; a coded error becomes one line, exit status 1."""
    try:
        result = measure()
    except StorylineError as exc:
        fail(str(exc), 1)
        raise  # unreachable; keeps type checkers happy
    if as_json:
        emit_json(result)
    else:
        out.print(report(result), markup=False, highlight=False)


@evaluate_app.command("clustering")
def clustering_cmd(
    ctx: typer.Context,
    path: Path = typer.Argument(
        None,
        help="JSONL with id, title, text, date, label (default: the bundled sample corpus, "
        "labelled by its manifest)",
    ),
    shuffles: int = typer.Option(3, help="Shuffled orders for the incremental mode"),
    embedder: str = typer.Option("auto", help="auto | none | wordllama | minilm"),
    batch: int = typer.Option(
        None,
        min=1,
        help="Articles per ingest batch in the incremental modes (1: one by one) "
        "(default: the store's batch_size, 64)",
    ),
    entities: bool = typer.Option(
        True,
        "--entities/--no-entities",
        help="Run ingest's entity and actor stages first, so articles carry the actors and "
        "places the store clusters on; --no-entities leaves them out (faster, text and names "
        "only)",
    ),
    as_ingested: bool = typer.Option(
        False,
        "--as-ingested",
        help="Ingest the file into a throwaway store first and cluster the articles as the store "
        "reads them (cleaned text, headline lines as titles, dates read from the text, the "
        "ingest's actors and places; --no-entities does not apply), and score the store's own "
        "stories as mode 'store'",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON"),
) -> None:
    """Story clustering: pairwise and B-cubed P/R/F1, ARI, cluster counts, per mode."""
    from storyline.evaluate.clustering import (
        clustering_on_sample,
        evaluate_clustering,
        format_report,
    )

    options: dict[str, Any] = {
        "shuffles": shuffles,
        "embedder": embedder,
        "batch": batch,
        "entities": entities,
        "ingest_settings": state(ctx).settings,
        "as_ingested": as_ingested,
    }
    if path is None:
        _run(lambda: clustering_on_sample(**options), format_report, as_json)
    else:
        labelled = _existing(path, "file")
        _run(lambda: evaluate_clustering(labelled, **options), format_report, as_json)


@evaluate_app.command("copies")
def copies_cmd(
    ctx: typer.Context,
    pairs: Path = typer.Argument(
        None,
        help="JSONL of gold copy pairs {a, b, kind, first} (default: from CORPUS/manifest.jsonl)",
    ),
    corpus: Path = typer.Argument(
        None, help="Folder of the articles the pairs name (default: the bundled sample corpus)"
    ),
    detection_only: bool = typer.Option(
        False,
        "--detection-only",
        help="Measure the copy index alone, in memory (timed), instead of a full ingest into a "
        "temporary store",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON"),
) -> None:
    """Copy detection: precision and recall of copy pairs (through a full ingest by default)."""
    from storyline.evaluate.copies import evaluate_copies, format_report
    from storyline.sources.sample import sample_corpus

    gold = _existing(pairs, "file") if pairs else None
    folder = _existing(corpus, "folder") if corpus else sample_corpus()
    settings = state(ctx).settings
    _run(
        lambda: evaluate_copies(gold, folder, through_store=not detection_only, settings=settings),
        format_report,
        as_json,
    )


@evaluate_app.command("entities")
def entities_cmd(
    ctx: typer.Context,
    path: Path = typer.Argument(..., help="CoNLL file (token … tag, BIO/IOB tags)"),
    model_only: bool = typer.Option(
        False,
        "--model-only",
        help="Score the spaCy model alone (no gazetteer or fix rules), for comparison",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON"),
) -> None:
    """Named entities: exact-span P/R/F1 per type (ingest's entity stage on the given text)."""
    from storyline.evaluate.entities import evaluate_entities, format_report

    conll = _existing(path, "file")
    settings = state(ctx).settings
    _run(
        lambda: evaluate_entities(conll, rules=not model_only, settings=settings),
        format_report,
        as_json,
    )


@evaluate_app.command("actors")
def actors_cmd(
    ctx: typer.Context,
    db: Path = typer.Argument(
        None,
        help="Store to measure (default: ingest the bundled sample corpus into a temporary store)",
    ),
    gold: Path = typer.Option(
        None,
        help="Gold actors JSONL {actor, type, forms} (default: the "
        "sample corpus's labels/actors.jsonl)",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON"),
) -> None:
    """Actor linking: surface forms collapsed to their actor, wrong merges."""
    from storyline.evaluate.entities import (
        evaluate_actor_linking,
        format_actor_report,
        linking_on_sample,
    )

    gold_path = _existing(gold, "file") if gold else None
    settings = state(ctx).settings
    if db is not None:
        store = _existing(db, "store")
        _run(lambda: evaluate_actor_linking(store, gold_path), format_actor_report, as_json)
    else:
        _run(lambda: linking_on_sample(gold_path, settings), format_actor_report, as_json)


@evaluate_app.command("quotes")
def quotes_cmd(
    ctx: typer.Context,
    folder: Path = typer.Argument(..., help="brat standoff .txt/.ann pairs (PolNeAR format)"),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON"),
) -> None:
    """Quote attribution: source, cue and content span P/R/F1 (ingest's stages on the text)."""
    from storyline.evaluate.quotes import evaluate_quotes, format_report

    brat = _existing(folder, "folder")
    settings = state(ctx).settings
    _run(lambda: evaluate_quotes(brat, settings), format_report, as_json)


@evaluate_app.command("events")
def events_cmd(
    ctx: typer.Context,
    path: Path = typer.Argument(..., help="PLOVER-style JSONL records"),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON"),
) -> None:
    """Coded events: event-type accuracy and actor match (ingest's stages on each sentence)."""
    from storyline.evaluate.events import evaluate_events, format_report

    records = _existing(path, "file")
    settings = state(ctx).settings
    _run(lambda: evaluate_events(records, settings), format_report, as_json)


@evaluate_app.command("metadata")
def metadata_cmd(
    ctx: typer.Context,
    corpus: Path = typer.Argument(
        None, help="Corpus folder with a manifest.jsonl (default: the bundled sample corpus)"
    ),
    manifest: Path = typer.Option(None, help="Gold manifest (default: CORPUS/manifest.jsonl)"),
    through_store: bool = typer.Option(
        True,
        "--through-store/--foundation-only",
        help="Ingest into a temporary store as `storyline ingest` does and score what was "
        "stored (update steps such as year-less date bounds from context included); "
        "--foundation-only runs the reading stages alone, in memory",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON"),
) -> None:
    """Extraction and metadata: titles, dates, date bounds, outlets, agencies, datelines, URLs."""
    from storyline.evaluate.extraction import evaluate_metadata, format_report
    from storyline.sources.sample import sample_corpus

    folder = _existing(corpus, "folder") if corpus else sample_corpus()
    gold = _existing(manifest, "file") if manifest else None
    settings = state(ctx).settings
    _run(
        lambda: evaluate_metadata(folder, gold, through_store=through_store, settings=settings),
        format_report,
        as_json,
    )


@evaluate_app.command("dates")
def dates_cmd(
    ctx: typer.Context,
    folder: Path = typer.Argument(..., help="Folder of saved HTML pages"),
    gold: Path = typer.Option(
        None,
        help="JSON map of file -> gold date YYYY-MM-DD (or file -> {date, url}, or htmldate's "
        "url -> {file, date}); default: FOLDER/gold.json or the folder's only .json file",
    ),
    htmldate: bool = typer.Option(
        False,
        "--htmldate",
        help="Also score htmldate alone on the same pages (extensive search, original date)",
    ),
    through_store: bool = typer.Option(
        False,
        "--through-store/--in-memory",
        help="Ingest into a temporary store and score what was stored (update steps included); "
        "default: the reading stages in memory",
    ),
    urls: bool = typer.Option(
        True,
        "--urls/--no-urls",
        help="Read each page knowing the URL its gold gives, as an ingest of that URL would "
        "(in memory only; htmldate alone gets it too); --no-urls: pages as bare files",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON"),
) -> None:
    """Publication dates of HTML pages: day-level P/R/F1 against a gold map of file -> date."""
    from storyline.evaluate.dates import evaluate_dates, format_report

    pages = _existing(folder, "folder")
    gold_file = _existing(gold, "file") if gold else None
    settings = state(ctx).settings
    _run(
        lambda: evaluate_dates(
            pages,
            gold_file,
            compare=htmldate,
            through_store=through_store,
            settings=settings,
            urls=urls,
        ),
        format_report,
        as_json,
    )


@evaluate_app.command("text")
def text_cmd(
    ctx: typer.Context,
    folder: Path = typer.Argument(
        ..., help="Folder of saved HTML pages (ID.html, ID.html.gz, or under html/)"
    ),
    gold: Path = typer.Option(
        None,
        help="JSON map of page id -> {articleBody, url} (the article-extraction benchmark's "
        "ground-truth.json) or page -> text; default: FOLDER/ground-truth.json or the folder's "
        "only .json file",
    ),
    trafilatura: bool = typer.Option(
        False,
        "--trafilatura",
        help="Also score trafilatura alone on the same pages (default and favor_precision)",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON"),
) -> None:
    """Main text of HTML pages: 4-token shingle P/R/F1 against gold article bodies."""
    from storyline.evaluate.text import evaluate_text, format_report

    pages = _existing(folder, "folder")
    gold_file = _existing(gold, "file") if gold else None
    settings = state(ctx).settings
    _run(
        lambda: evaluate_text(pages, gold_file, compare=trafilatura, settings=settings),
        format_report,
        as_json,
    )


def register(app: typer.Typer) -> None:
    app.add_typer(evaluate_app, name="eval")
