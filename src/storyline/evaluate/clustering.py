"""Evaluate story clustering on a labelled JSONL file (``storyline eval clustering FILE``).

Each line is an object with ``id``, ``text``, ``label`` (the gold story) and optionally ``title``
and ``date`` (ISO; null when unknown). The clusterer runs in these modes:

* ``incremental``: :meth:`StoryClusterer.add` over the file's order;
* ``shuffled-1`` .. ``shuffled-N``: the same over seeded random orders;
* ``rebuild``: the order-independent full clustering.

Each mode is scored with :func:`storyline.evaluate.metrics.clustering_scores`.
"""

from __future__ import annotations

import json
import random
import time
from pathlib import Path
from typing import Any

from storyline.cluster.embed import Embedder, load_embedder
from storyline.cluster.story_clusterer import ClusterSettings, StoryClusterer, StoryDoc
from storyline.evaluate.metrics import clustering_scores

__all__ = [
    "add_entities",
    "evaluate_clustering",
    "format_report",
    "read_labelled",
    "sample_labelled_rows",
    "write_labelled",
]


class LabelledFileError(ValueError):
    """A line of the labelled file is not JSON or lacks a required field."""


def read_labelled(path: str | Path) -> tuple[list[StoryDoc], dict[str, str]]:
    """Documents and gold labels (by id) from a labelled JSONL file."""
    docs: list[StoryDoc] = []
    gold: dict[str, str] = {}
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise LabelledFileError(f"{path}:{number}: not JSON ({exc.msg})") from exc
            missing = [k for k in ("id", "text", "label") if row.get(k) is None]
            if missing:
                raise LabelledFileError(
                    f"{path}:{number}: missing {', '.join(missing)}; "
                    "each line needs id, text and label"
                )
            doc_id = str(row["id"])
            if doc_id in gold:
                raise LabelledFileError(f"{path}:{number}: duplicate id {doc_id!r}")
            gold[doc_id] = str(row["label"])
            docs.append(
                StoryDoc(
                    id=doc_id,
                    text=str(row["text"]),
                    title=str(row.get("title") or ""),
                    date=row.get("date") or None,
                    date_not_before=row.get("date_not_before") or None,
                    actors=list(row.get("actors") or []),
                    places=list(row.get("places") or []),
                )
            )
    return docs, gold


def sample_labelled_rows(root: str | Path | None = None) -> list[dict[str, Any]]:
    """The package's sample corpus as labelled rows: id, title, text, date, label.

    Each article is read and cleaned by the ingest foundation stages (what the store would hold);
    its gold story, date and lower date bound come from the corpus's ``manifest.jsonl``. Articles
    without a story label (the hostile inputs) are left out. The rows are in manifest order.
    """
    from storyline.ingest import foundation_stages
    from storyline.pipeline import Pipeline
    from storyline.sources.files import read_paths

    base = Path(root) if root else Path(__file__).resolve().parents[1] / "data" / "sample"
    manifest = [
        json.loads(line) for line in (base / "manifest.jsonl").read_text("utf-8").splitlines()
    ]
    wanted = [m for m in manifest if m.get("story")]
    paths = sorted({str(base / m["file"]) for m in wanted})
    pipeline = Pipeline(foundation_stages())
    pipeline.setup()
    articles = pipeline.run_batch(list(read_paths(paths)))
    by_key = {(Path(a.source).name, a.record): a for a in articles}
    rows = []
    for entry in wanted:
        article = by_key.get((Path(entry["file"]).name, entry.get("record")))
        if article is None or not article.text:
            raise LabelledFileError(f"sample article {entry['file']} could not be read")
        record = "" if entry.get("record") is None else f"#{entry['record']}"
        rows.append(
            {
                "id": f"{entry['file']}{record}",
                "title": article.title or "",
                "text": article.text,
                "date": entry.get("date"),
                "date_not_before": entry.get("date_not_before"),
                "label": entry["story"],
            }
        )
    return rows


def write_labelled(rows: list[dict[str, Any]], path: str | Path) -> Path:
    """Write labelled rows as JSONL (the input of :func:`evaluate_clustering`)."""
    out = Path(path)
    out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return out


def add_entities(docs: list[StoryDoc], batch_size: int = 64) -> None:
    """Fill each document's ``actors`` and ``places`` as the store does for ingested articles.

    Runs the enrichment stages that add entity mentions (spaCy NER and actor linking, from
    :func:`storyline.ingest.enrichment_stages`) over articles built from the documents' text and
    title, then maps them with the store's own
    :func:`storyline.update.cluster_stories.story_doc`, so the evaluation sees the same actors and
    places as the product. Costs about 40-80 ms per article on two CPU cores.
    """
    from storyline.article import Article
    from storyline.ingest import enrichment_stages
    from storyline.update.cluster_stories import story_doc

    # the stages run directly: a Pipeline would ask for the reading stages before them
    stages = [s for s in enrichment_stages() if "mentions" in getattr(s, "adds", ())]
    for stage in stages:
        stage.setup()
    for start in range(0, len(docs), batch_size):
        chunk = docs[start : start + batch_size]
        articles = [
            Article(source=d.id, id=d.id, text=d.text, title=d.title or None) for d in chunk
        ]
        for stage in stages:
            stage.process_batch(articles)
        for doc, article in zip(chunk, articles, strict=True):
            mapped = story_doc(article)
            doc.actors = sorted(set(doc.actors) | set(mapped.actors))
            doc.places = sorted(set(doc.places) | set(mapped.places))


def _score(gold: dict[str, str], assignment: dict[str, str]) -> dict[str, float]:
    ids = sorted(gold)
    return clustering_scores([gold[i] for i in ids], [assignment[i] for i in ids])


def evaluate_clustering(
    path: str | Path,
    settings: ClusterSettings | None = None,
    shuffles: int = 3,
    seed: int = 0,
    embedder: str | Embedder | None = "auto",
    entities: bool = False,
    batch: int = 64,
) -> dict[str, Any]:
    """Run every mode on a labelled file and return their metrics.

    The incremental modes feed the clusterer as ingest does: in batches of ``batch`` articles,
    each batch's document frequencies counted (:meth:`StoryClusterer.observe`) before its
    articles are added one by one; 64 is the store's default batch, 1 is article by article.

    ``embedder`` is ``"auto"`` (the default offline embedder when installed), ``"none"``, a name
    from :data:`storyline.cluster.embed.EMBEDDERS`, or an :class:`Embedder`; it is only loaded
    when ``settings.embed_weight`` is above 0 (the default settings leave embeddings out, as the
    store does). The result holds
    ``modes`` (mode -> metrics, plus ``ms_per_article`` for incremental modes), ``articles``,
    ``gold_stories``, ``embedder`` and the ``settings`` used. ``entities`` runs the pipeline's
    entity stages first (:func:`add_entities`), as the store does; it is off by default because
    it costs 40-80 ms per article and did not help on ECB+ (``docs/clustering.md``).
    """
    settings = settings or ClusterSettings()
    docs, gold = read_labelled(path)
    entity_seconds = 0.0
    if entities and docs:
        started = time.perf_counter()
        add_entities(docs)
        entity_seconds = time.perf_counter() - started
    model = None
    if settings.embed_weight > 0:  # embeddings off in the settings: do not compute them
        model = load_embedder(embedder) if isinstance(embedder, str) else embedder
    embed_seconds = 0.0
    if model is not None and docs:
        started = time.perf_counter()
        vectors = model.embed([(d.title + "\n" + d.text).strip() for d in docs])
        embed_seconds = time.perf_counter() - started
        for doc, vector in zip(docs, vectors, strict=True):
            doc.embedding = vector
    orders: list[tuple[str, list[StoryDoc]]] = [("incremental", list(docs))]
    rng = random.Random(seed)
    for k in range(1, shuffles + 1):
        order = list(docs)
        rng.shuffle(order)
        orders.append((f"shuffled-{k}", order))
    modes: dict[str, dict[str, float]] = {}
    for name, order in orders:
        clusterer = StoryClusterer(settings)
        started = time.perf_counter()
        assignment = {}
        step = max(1, batch)
        for start in range(0, len(order), step):
            chunk = order[start : start + step]
            clusterer.observe(chunk)  # one article: the same counts add would take
            assignment.update({doc.id: clusterer.add(doc) for doc in chunk})
        elapsed = time.perf_counter() - started
        # stories may have merged after an article joined: read the final assignment
        final = {doc_id: clusterer.story_of(doc_id) or sid for doc_id, sid in assignment.items()}
        modes[name] = _score(gold, final)
        modes[name]["ms_per_article"] = 1000.0 * elapsed / max(1, len(order))
    started = time.perf_counter()
    rebuilt = StoryClusterer(settings).rebuild(docs)
    modes["rebuild"] = _score(gold, rebuilt)
    modes["rebuild"]["ms_per_article"] = (
        1000.0 * (time.perf_counter() - started) / max(1, len(docs))
    )
    incremental = [m["bcubed_f1"] for k, m in modes.items() if k != "rebuild"]
    return {
        "path": str(path),
        "articles": len(docs),
        "gold_stories": len(set(gold.values())),
        "embedder": getattr(model, "name", None),
        "embed_articles_per_s": len(docs) / embed_seconds if embed_seconds > 0 else None,
        "entities": entities,
        "batch": batch,
        "entity_ms_per_article": 1000.0 * entity_seconds / len(docs) if entity_seconds else None,
        "settings": settings.__dict__.copy(),
        "modes": modes,
        "order_spread_bcubed_f1": max(incremental) - min(incremental) if incremental else 0.0,
    }


_COLUMNS = [
    ("mode", None),
    ("pair P", "pairwise_p"),
    ("pair R", "pairwise_r"),
    ("pair F1", "pairwise_f1"),
    ("B3 P", "bcubed_p"),
    ("B3 R", "bcubed_r"),
    ("B3 F1", "bcubed_f1"),
    ("ARI", "ari"),
    ("clusters", "clusters"),
    ("ms/art", "ms_per_article"),
]


def format_report(result: dict[str, Any]) -> str:
    """A plain-text table of :func:`evaluate_clustering`'s result."""
    head = (
        f"{result['path']}: {result['articles']} articles, {result['gold_stories']} gold stories, "
        f"embedder: {result['embedder'] or 'none'}"
        + (", entities from the pipeline" if result.get("entities") else "")
        + f", incremental batches of {result.get('batch', 1)}"
    )
    rows = [[c for c, _ in _COLUMNS]]
    for mode, m in result["modes"].items():
        row = [mode]
        for _, key in _COLUMNS[1:]:
            value = m[key]
            row.append(
                str(int(value))
                if key == "clusters"
                else f"{value:.3f}"
                if key != "ms_per_article"
                else f"{value:.2f}"
            )
        rows.append(row)
    widths = [max(len(r[i]) for r in rows) for i in range(len(_COLUMNS))]
    lines = [head, ""]
    for n, row in enumerate(rows):
        lines.append(
            "  ".join(
                cell.ljust(w) if i == 0 else cell.rjust(w)
                for i, (cell, w) in enumerate(zip(row, widths, strict=True))
            )
        )
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    lines.append("")
    lines.append(f"spread of B3 F1 over incremental orders: {result['order_spread_bcubed_f1']:.3f}")
    return "\n".join(lines)
