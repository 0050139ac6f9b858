"""Evaluate story clustering on a labelled JSONL file (``storyline eval clustering [FILE]``).

Each line is an object with ``id``, ``text``, ``label`` (the gold story) and optionally ``title``,
``date`` (ISO; null when unknown), ``date_not_before``, ``actors`` and ``places``. Without a file,
the bundled sample corpus is measured (:func:`sample_labelled_rows`). The clusterer runs in these
modes:

* ``incremental``: :meth:`StoryClusterer.add` over the file's order;
* ``shuffled-1`` .. ``shuffled-N``: the same over seeded random orders;
* ``rebuild``: the order-independent full clustering.

By default the documents are what ingest gives the clusterer: the entity and actor stages of the
default pipeline run over each text first (:func:`add_entities`; the language stage decides, as in
ingest, which texts get English NER) and their actors and places are mapped with the store's own
:func:`storyline.update.cluster_stories.story_doc`; the clusterer settings are ``[stories]`` of
the merged settings and the incremental modes add the articles in ``[store] batch_size`` batches.
``entities=False`` (``--no-entities``) leaves the entity stages out, for speed: the documents then
carry only the file's own ``actors``/``places``. Each mode is scored with
:func:`storyline.evaluate.metrics.clustering_scores`.

``as_ingested`` (``--as-ingested``) measures the documents exactly as the store's clustering step
reads them: the file is ingested into a throwaway store
(`storyline.evaluate.ingested.temporary_ingest`: every default stage and update step), so texts
are cleaned (a headline line becomes the title; a title ingest derives from the lead is not
clustered on), a line without a ``date`` gets the date or lower bound that ingest reads from its
text, and actors and places come from that ingest (the file's own ``actors``, ``places`` and
``date_not_before`` are not read, as ingest does not read them; ``entities`` is moot);
the modes then run over those documents, and the extra mode ``store`` scores the stories the
store itself made while ingesting (what a user of that store sees; it embeds with the store's
``[stories] embedder`` whatever ``embedder`` says). Lines ingest did not store
(no text left after cleaning) count as stories of their own in every mode.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any, NamedTuple

from storyline.cluster.embed import Embedder
from storyline.cluster.story_clusterer import ClusterSettings, StoryClusterer, StoryDoc
from storyline.errors import EvaluationError
from storyline.evaluate.labelled import malformed, read_jsonl, require
from storyline.evaluate.metrics import clustering_scores

__all__ = [
    "IngestedLines",
    "add_entities",
    "clustering_on_sample",
    "evaluate_clustering",
    "format_report",
    "ingested_docs",
    "read_labelled",
    "sample_labelled_rows",
    "write_labelled",
]


def read_labelled(path: str | Path) -> tuple[list[StoryDoc], dict[str, str]]:
    """Documents and gold labels (by id) from a labelled JSONL file.

    A file that cannot be read or a line that is not JSON is an `InputError`; a line without
    ``id``, ``text`` or ``label``, or repeating an id, an `EvaluationError` naming ``file:line``.
    """
    docs, gold, _ = _read_labelled(path)
    return docs, gold


def _read_labelled(
    path: str | Path,
) -> tuple[list[StoryDoc], dict[str, str], dict[str, str]]:
    """:func:`read_labelled` plus the gold storylines: ``storyline`` (else ``topic``) by id,
    for the lines that have one."""
    docs: list[StoryDoc] = []
    gold: dict[str, str] = {}
    lines: dict[str, str] = {}
    for number, row in read_jsonl(path):
        require(row, ("id", "text", "label"), path, number, "each line needs id, text and label")
        doc_id = str(row["id"])
        if doc_id in gold:
            raise malformed(path, number, f"duplicate id {doc_id!r}")
        gold[doc_id] = str(row["label"])
        line = row.get("storyline") or row.get("topic")
        if line is not None:
            lines[doc_id] = str(line)
        docs.append(
            StoryDoc(
                id=doc_id,
                text=str(row["text"]),
                title=str(row.get("title") or ""),
                date=row.get("date") or None,
                date_not_before=row.get("date_not_before") or None,
                actors=list(row.get("actors") or []),
                places=list(row.get("places") or []),
                language=row.get("language") or None,
            )
        )
    return docs, gold, lines


def sample_labelled_rows(
    root: str | Path | None = None, settings: Mapping[str, Any] | None = None
) -> list[dict[str, Any]]:
    """The package's sample corpus as labelled rows: id, title, text, date, label.

    Each article is read and cleaned by the ingest foundation stages with the merged ``settings``
    (what the store would hold); its gold story, date and lower date bound come from the corpus's
    ``manifest.jsonl``. Articles without a story label (the hostile inputs) are left out. The rows
    are in manifest order.
    """
    from storyline.evaluate.ingested import merged_settings, read_options
    from storyline.ingest import foundation_stages
    from storyline.pipeline import Pipeline
    from storyline.sources.files import read_paths
    from storyline.sources.sample import sample_corpus

    merged = merged_settings(settings)
    base = Path(root) if root else sample_corpus()
    manifest_path = base / "manifest.jsonl"
    manifest = []
    for number, row in read_jsonl(manifest_path):
        if row.get("story"):
            require(row, ("file",), manifest_path, number, "each labelled article names its file")
            manifest.append((number, row))
    paths = sorted({str(base / m["file"]) for _, m in manifest})
    pipeline = Pipeline(foundation_stages(merged))
    pipeline.setup()
    articles = pipeline.run_batch(list(read_paths(paths, read_options(merged))))
    by_key = {(Path(a.source).name, a.record): a for a in articles}
    rows = []
    for number, entry in manifest:
        article = by_key.get((Path(entry["file"]).name, entry.get("record")))
        if article is None or not article.text:
            why = (article.failed or article.skipped or "no text") if article else "not read"
            raise malformed(
                manifest_path, number, f"sample article {entry['file']} could not be read ({why})"
            )
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


def add_entities(docs: list[StoryDoc], settings: Mapping[str, Any] | None = None) -> None:
    """Fill each document's ``actors`` and ``places`` as the store does for ingested articles.

    Runs the default pipeline's enrichment stages up to actor linking (the language stage, spaCy
    NER and actor keys: :func:`storyline.evaluate.ingested.enrich`, with the merged ``settings``
    and ingest's batches) over articles built from the documents' text and title, then maps them
    with the store's own :func:`storyline.update.cluster_stories.story_doc`, so the evaluation
    sees the same actors and places as the product. Not replayed: the store-wide ``link_actors``
    update step (an acronym defined in another article, analysts' merges), which the store's
    clusterer sees. Costs about 40-140 ms per article on two shared CPU cores.
    """
    from storyline.article import Article
    from storyline.evaluate.ingested import enrich
    from storyline.update.cluster_stories import story_doc

    articles = [Article(source=d.id, id=d.id, text=d.text, title=d.title or None) for d in docs]
    enrich(articles, settings, until="actors")
    for doc, article in zip(docs, articles, strict=True):
        mapped = story_doc(article)
        doc.language = doc.language or mapped.language
        doc.actors = sorted(set(doc.actors) | set(mapped.actors))
        doc.places = sorted(set(doc.places) | set(mapped.places))


class IngestedLines(NamedTuple):
    """What `ingested_docs` returns."""

    #: each stored line's article as the clustering step reads it (ids are the labelled ids)
    docs: list[StoryDoc]
    #: labelled id -> the story the store made ("unstored:<id>" for a line it did not store)
    stories: dict[str, str]
    #: the labelled ids of the lines the store did not keep
    unstored: list[str]
    #: labelled id -> what the store's storyline linker counts for its article
    #: (`storyline.cluster.storyline_linker.article_features`)
    features: dict[str, dict[str, dict[str, str]]]


def ingested_docs(
    path: str | Path, rows: list[StoryDoc], merged: Mapping[str, Any]
) -> IngestedLines:
    """The labelled lines as the store's clustering step reads them after ingesting the file.

    Returns the documents (ids are the labelled ids), the stories the store made (labelled id ->
    story id), the labelled ids of the lines it did not store, and what the store's storyline
    linker counts for each stored line's article. A line not stored was refused by the reader (too
    deep, too long), left without text by cleaning, or replaced by a later line with the same
    ``url`` (the store keys an article by its address). Lines pair with ingest's records by line
    number (ingest's ``record`` is the line's number less one). Two lines with the same text and
    no address are one stored article, read by both.
    """
    from storyline.cluster.storyline_linker import article_features
    from storyline.evaluate.ingested import temporary_ingest
    from storyline.store.articles import read_articles
    from storyline.update.cluster_stories import add_copies, story_doc

    number_of = {str(row["id"]): number for number, row in read_jsonl(path)}
    with temporary_ingest([path], merged) as ingested:
        by_record = {int(a.record): a for a in ingested.read if a.record is not None}
        if rows and not by_record:
            raise EvaluationError(
                f"{path}: ingest read no JSON Lines records from it; a labelled file for "
                "--as-ingested must be JSON Lines named *.jsonl, one line per article"
            )
        read = {row.id: by_record.get(number_of[row.id] - 1) for row in rows}
        article_of = {k: a.id for k, a in read.items() if a is not None and a.ok and a.id}
        conn = ingested.store.conn
        stored = {a.id: a for a in read_articles(conn, sorted(set(article_of.values())))}
        by_article = {article_id: story_doc(article) for article_id, article in stored.items()}
        add_copies(conn, by_article)  # what the step gives undated articles: their copies
        story_of = dict(conn.execute("SELECT article_id, story_id FROM story_articles").fetchall())
    label_of = {article_id: row_id for row_id, article_id in article_of.items()}
    docs: list[StoryDoc] = []
    store: dict[str, str] = {}
    unstored: list[str] = []
    features: dict[str, dict[str, dict[str, str]]] = {}
    for row in rows:
        article_id = article_of.get(row.id)
        doc = by_article.get(article_id) if article_id else None
        line = read[row.id]
        replaced = (
            article_id in stored
            and line is not None
            and line.content_hash != stored[article_id].content_hash
        )  # a later line with the same address replaced this one's article
        if doc is None or article_id is None or article_id not in story_of or replaced:
            unstored.append(row.id)
            store[row.id] = "unstored:" + row.id
            continue
        copies = [label_of[c] for c in doc.copies if c in label_of]
        docs.append(replace(doc, id=row.id, copies=copies))  # two lines may share an article
        store[row.id] = str(story_of[article_id])
        features[row.id] = article_features(stored[article_id])
    return IngestedLines(docs, store, unstored, features)


def _score(gold: dict[str, str], assignment: dict[str, str]) -> dict[str, float]:
    ids = sorted(gold)
    return clustering_scores([gold[i] for i in ids], [assignment[i] for i in ids])


def evaluate_clustering(
    path: str | Path,
    settings: ClusterSettings | None = None,
    shuffles: int = 3,
    seed: int = 0,
    embedder: str | Embedder | None = "auto",
    entities: bool = True,
    batch: int | None = None,
    ingest_settings: Mapping[str, Any] | None = None,
    as_ingested: bool = False,
) -> dict[str, Any]:
    """Run every mode on a labelled file and return their metrics.

    Defaults measure what ingest does. ``ingest_settings`` are the merged storyline settings
    (None: loaded as the CLI does); the clusterer settings default to their ``[stories]``
    section (:func:`storyline.update.cluster_stories.cluster_settings`, as the store's step).
    ``entities`` (default on) runs the pipeline's entity and actor stages first
    (:func:`add_entities`) so the documents carry the actors and places the store gives the
    clusterer; off, only the file's own ``actors``/``places`` are used (faster: the stages cost
    40-140 ms per article). The incremental modes feed the clusterer as ingest does: in batches
    of ``batch`` articles (default ``[store] batch_size``, 64), each batch's document
    frequencies counted (:meth:`StoryClusterer.observe`) before its articles are added one by
    one; 1 is article by article.

    ``as_ingested``: the documents come from a real ingest of the file (see the module's
    docstring); ``entities`` is then moot (the ingest runs every stage) and the result also holds
    the mode ``store`` (unless ``settings`` are given: the store follows the merged settings)
    and ``unstored``, the lines ingest did not store.

    ``embedder`` is ``"auto"`` (what the store's step embeds with: ``[stories] embedder``,
    WordLlama by default), ``"none"``, a name from :data:`storyline.cluster.embed.EMBEDDERS`, or
    an :class:`Embedder`; it is only loaded when the clusterer reads embeddings (the same-week
    boost follows their cosine by default, ``near_embed_boost``; ``embed_weight`` makes them a
    channel). The result holds
    ``modes`` (mode -> metrics, plus ``ms_per_article`` for incremental modes), ``articles``,
    ``gold_stories``, ``embedder``, ``entities``, ``batch`` and the ``settings`` used.
    """
    from storyline.evaluate.ingested import merged_settings
    from storyline.update.cluster_stories import cluster_settings

    merged = merged_settings(ingest_settings)
    own_settings = settings is None  # the store's own stories follow the merged settings
    settings = settings or cluster_settings(merged)
    batch = int(merged["store"]["batch_size"]) if batch is None else batch
    docs, gold, gold_lines = _read_labelled(path)
    entity_seconds = 0.0
    store: dict[str, str] | None = None
    unstored: list[str] = []
    line_features: dict[str, dict[str, dict[str, str]]] | None = None
    if as_ingested and docs:
        started = time.perf_counter()
        docs, store, unstored, line_features = ingested_docs(path, docs, merged)
        entity_seconds = time.perf_counter() - started
    elif entities and docs:
        started = time.perf_counter()
        add_entities(docs, merged)
        entity_seconds = time.perf_counter() - started
    model = None
    if settings.embed_weight > 0 or settings.near_embed_boost > 0:  # else never read
        from storyline.update.story_state import shared_embedder

        if isinstance(embedder, str):  # "auto": what the store's step embeds with
            model = shared_embedder(settings.embedder if embedder == "auto" else embedder, merged)
        else:
            model = embedder
    embed_seconds = 0.0
    if model is not None and docs:
        from storyline.extract.language import identify
        from storyline.update.story_state import embed_docs

        floor = float(merged["language"]["min_score"])
        for doc in docs:  # as ingest's language stage decides (the entity stages set it)
            if doc.language is None:
                code, score = identify(f"{doc.title}\n{doc.text}")
                doc.language = code if score >= floor else "und"
        started = time.perf_counter()
        embed_docs(docs, model)  # as the store's step: only the languages the model knows
        embed_seconds = time.perf_counter() - started
    orders: list[tuple[str, list[StoryDoc]]] = [("incremental", list(docs))]
    rng = random.Random(seed)
    for k in range(1, shuffles + 1):
        order = list(docs)
        rng.shuffle(order)
        orders.append((f"shuffled-{k}", order))
    modes: dict[str, dict[str, float]] = {}
    finals: dict[str, dict[str, str]] = {}
    for name, order in orders:
        clusterer = StoryClusterer(settings)
        started = time.perf_counter()
        assignment = {}
        step = max(1, batch)
        for start in range(0, len(order), step):
            chunk = order[start : start + step]
            clusterer.observe(chunk)  # one article: the same counts add would take
            assignment.update({doc.id: clusterer.add(doc) for doc in chunk})
            clusterer.settle(doc.id for doc in chunk)  # as the store does after each batch
        elapsed = time.perf_counter() - started
        # stories may have merged after an article joined: read the final assignment
        final = {doc_id: clusterer.story_of(doc_id) or sid for doc_id, sid in assignment.items()}
        final.update({doc_id: "unstored:" + doc_id for doc_id in unstored})
        finals[name] = final
        modes[name] = _score(gold, final)
        modes[name]["ms_per_article"] = 1000.0 * elapsed / max(1, len(order))
    started = time.perf_counter()
    rebuilt = StoryClusterer(settings).rebuild(docs)
    rebuilt.update({doc_id: "unstored:" + doc_id for doc_id in unstored})
    modes["rebuild"] = _score(gold, rebuilt)
    modes["rebuild"]["ms_per_article"] = (
        1000.0 * (time.perf_counter() - started) / max(1, len(docs))
    )
    finals["rebuild"] = rebuilt
    if store is not None and own_settings:
        modes["store"] = _score(gold, store)
        modes["store"]["ms_per_article"] = 1000.0 * entity_seconds / max(1, len(gold))
    storylines = {
        mode: _storyline_scores(docs, finals[mode], gold, gold_lines, merged, line_features)
        for mode in ("incremental", "rebuild")
    }
    incremental = [m["bcubed_f1"] for k, m in modes.items() if k not in ("rebuild", "store")]
    return {
        "path": str(path),
        "articles": len(gold),
        "gold_stories": len(set(gold.values())),
        "embedder": getattr(model, "name", None),
        "embed_articles_per_s": len(docs) / embed_seconds if embed_seconds > 0 else None,
        "entities": entities,
        "as_ingested": as_ingested,
        "unstored": len(unstored),
        "batch": batch,
        "entity_ms_per_article": (
            1000.0 * entity_seconds / max(1, len(gold)) if entity_seconds else None
        ),
        "settings": settings.__dict__.copy(),
        "modes": modes,
        "order_spread_bcubed_f1": max(incremental) - min(incremental) if incremental else 0.0,
        "storylines": storylines,
    }


def _storyline_features(doc: StoryDoc) -> dict[str, dict[str, str]]:
    """What the storyline linker counts for one document: its actors and places (as the store's
    :func:`storyline.cluster.storyline_linker.article_features` keys them), its subject terms,
    and capitalised names standing in as actors when it has neither."""
    from storyline.cluster.features import text_features

    actors = {" ".join(a.lower().split()): a for a in doc.actors}
    places = {" ".join(p.lower().split()): p for p in doc.places}
    counts, names = text_features(f"{doc.title}\n\n{doc.text}")
    if not actors and not places:
        for name, _ in names.most_common(30):
            if not name.startswith("#") and len(name) > 3:
                actors.setdefault("name:" + name, name.title())
    terms = {t: t for t, _ in counts.most_common(80) if not t[0].isdigit()}
    return {"actors": actors, "places": places, "terms": terms}


def _storyline_scores(
    docs: list[StoryDoc],
    stories: dict[str, str],
    gold: dict[str, str],
    gold_lines: dict[str, str],
    merged: Mapping[str, Any],
    features: Mapping[str, dict[str, dict[str, str]]] | None = None,
) -> dict[str, dict[str, float]]:
    """Storylines over a mode's stories (the store's linker, ``[storylines]`` settings, its
    order-independent rebuild), scored against the gold happenings (``label``: a happening that
    spans months should sit in one storyline) and, when every line names one, against the gold
    storylines (``storyline``, else ECB+'s ``topic``)."""
    from storyline.cluster.story_model import day_number
    from storyline.cluster.storyline_linker import StorylineLinker, StoryProfile
    from storyline.update.story_state import storyline_settings

    profiles: dict[str, StoryProfile] = {}
    for doc in sorted(docs, key=lambda d: d.id):
        story_id = stories[doc.id]
        profile = profiles.setdefault(story_id, StoryProfile(story_id))
        counted = features.get(doc.id) if features else None  # as the store's linker counts
        profile.add_article(
            counted or _storyline_features(doc), day_number(doc.date or doc.date_not_before)
        )
    line_of = StorylineLinker(storyline_settings(merged)).rebuild(list(profiles.values()))
    # a line ingest did not store is a story of its own, and a storyline of its own
    lines = {doc_id: line_of.get(story_id, story_id) for doc_id, story_id in stories.items()}
    out = {"label": _score(gold, lines)}
    if gold_lines and set(gold_lines) == set(gold):
        out["storyline"] = _score(gold_lines, lines)
        out["stories_vs_storyline"] = _score(gold_lines, stories)
    return out


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


def clustering_on_sample(**kwargs: Any) -> dict[str, Any]:
    """:func:`evaluate_clustering` on the bundled sample corpus (:func:`sample_labelled_rows`,
    written to a temporary file); keyword arguments go to :func:`evaluate_clustering`."""
    import tempfile

    rows = sample_labelled_rows(settings=kwargs.get("ingest_settings"))
    with tempfile.TemporaryDirectory(prefix="storyline-eval-") as tmp:
        result = evaluate_clustering(write_labelled(rows, Path(tmp) / "sample.jsonl"), **kwargs)
    result["path"] = "sample corpus"
    return result


def format_report(result: dict[str, Any]) -> str:
    """A plain-text table of :func:`evaluate_clustering`'s result."""
    if result.get("as_ingested"):
        how = "as ingested (a throwaway store: every stage and update step"
        unstored = int(result.get("unstored") or 0)
        how += f"; {unstored} line{'s' if unstored > 1 else ''} not stored)" if unstored else ")"
    elif result.get("entities"):
        how = "actors and places from the ingest stages"
    else:
        how = "no entity stages (--no-entities)"
    head = (
        f"{result['path']}: {result['articles']} articles, {result['gold_stories']} gold stories, "
        f"embedder: {result['embedder'] or 'none'}, "
        + how
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
    for mode, scored in result.get("storylines", {}).items():
        parts = [
            f"vs gold {what}: B3 P {m['bcubed_p']:.3f} R {m['bcubed_r']:.3f} "
            f"F1 {m['bcubed_f1']:.3f}, {int(m['clusters'])} clusters"
            for what, m in (
                ("happenings", scored["label"]),
                ("storylines", scored.get("storyline")),
            )
            if m is not None
        ]
        lines.append(f"storylines over the {mode} stories: " + "; ".join(parts))
    return "\n".join(lines)
