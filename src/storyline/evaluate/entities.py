"""Exact-span precision, recall and F1 of storyline's entities on a CoNLL-format file.

The file has one ``token TAG`` per line (BIO or IOB tags; the tag is the last column, so
CoNLL-2003's four columns work too), blank lines between sentences or paragraphs, and
``-DOCSTART-`` lines between documents. A ``# text = …`` comment before a block gives that block
as written; tokens are then aligned to it, so the model sees real text ("Rahmani-Fard", not
"Rahmani - Fard"). Without it, tokens are joined with spaces.

Each document runs through the entity stage of the default ingest pipeline (the same `EntityStage`,
model and fix rules, built by `storyline.ingest.enrichment_stages` with the merged settings, behind
the language stage; `storyline.evaluate.ingested.enrich`). This measures that stage in isolation on
purpose: the reading stages would re-clean the text and move the character offsets the gold
refers to, and the stages after it (actor keys, places, quotes...) never change a mention's span
or type. A prediction counts only when its span and type both match a gold span. When the gold
file uses CoNLL-2003 types (PER, LOC, MISC), predicted types are mapped onto them.

Span convention: storyline keeps a span as written, with a leading "the" when the model includes
it ("the Foreign Office", as OntoNotes, the model's training data, annotates). CoNLL-2003 gold
never includes a determiner, so with CoNLL-2003 types a leading "the " is also taken off the
predicted spans before matching, just as the types are mapped. Both figures are reported:
``overall``/``per_type`` with the gold's convention applied, ``as_written`` with the spans as
storyline stores them (the same when the gold uses the model's own types: no translation then).

Actor linking (`evaluate_actor_linking`) is measured on a store: by default the bundled sample
corpus ingested into a temporary store exactly as `storyline ingest` does (`linking_on_sample`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storyline.article import Article
from storyline.evaluate.labelled import malformed, read_jsonl, read_text, require

CONLL2003 = {
    "PERSON": "PER",
    "ORG": "ORG",
    "GPE": "LOC",
    "LOC": "LOC",
    "FAC": "LOC",
    "NORP": "MISC",
    "EVENT": "MISC",
    "PRODUCT": "MISC",
    "WORK_OF_ART": "MISC",
    "LAW": "MISC",
    "LANGUAGE": "MISC",
}


@dataclass
class GoldDoc:
    text: str = ""
    spans: set[tuple[int, int, str]] = field(default_factory=set)


def read_conll(path: str | Path) -> list[GoldDoc]:
    """Documents with their text and gold (start, end, type) character spans."""
    docs: list[GoldDoc] = [GoldDoc()]
    block: list[tuple[str, str]] = []
    written: str | None = None
    start = 0  # line number where the current block begins

    def flush() -> None:
        nonlocal block, written
        if block:
            _add_block(docs[-1], block, written, (path, start))
        block, written = [], None

    for number, raw in enumerate(read_text(path).splitlines(), 1):
        line = raw.rstrip()
        if line.startswith("# text = "):
            flush()
            written = line[len("# text = ") :]
            start = number
            continue
        if line.startswith("#"):
            continue
        if line.startswith("-DOCSTART-"):
            flush()
            if docs[-1].text:
                docs.append(GoldDoc())
            continue
        if not line.strip():
            flush()
            continue
        parts = line.split()
        if not block and written is None:
            start = number
        block.append((parts[0], parts[-1]))
    flush()
    return [d for d in docs if d.text]


def _add_block(
    doc: GoldDoc,
    block: list[tuple[str, str]],
    written: str | None,
    where: tuple[str | Path, int | None] = ("<conll>", None),
) -> None:
    base = len(doc.text) + (2 if doc.text else 0)
    text = written if written is not None else " ".join(t for t, _ in block)
    offsets, pos = [], 0
    for token, _ in block:
        found = text.find(token, pos)
        if found == -1:
            raise malformed(
                *where, f"token {token!r} not found in its '# text' line: {text[:80]!r}"
            )
        offsets.append((found, found + len(token)))
        pos = found + len(token)
    current: list[Any] | None = None
    for (start, end), (_, tag) in zip(offsets, block, strict=True):
        kind = tag[2:] if len(tag) > 2 else ""
        if tag.startswith("B-") or (
            tag.startswith("I-") and (current is None or current[2] != kind)
        ):
            if current:
                doc.spans.add((base + current[0], base + current[1], current[2]))
            current = [start, end, kind]
        elif tag.startswith("I-") and current is not None:
            current[1] = end
        else:
            if current:
                doc.spans.add((base + current[0], base + current[1], current[2]))
            current = None
    if current:
        doc.spans.add((base + current[0], base + current[1], current[2]))
    doc.text = (doc.text + "\n\n" if doc.text else "") + text


def evaluate_entities(
    path: str | Path, *, rules: bool = True, settings: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """P/R/F1 per type and overall (micro) of ingest's entity stage against the gold file.

    ``settings``: the merged settings (None: loaded as the CLI does). ``rules=False`` measures
    the model alone (no gazetteer or fix rules), for comparison.
    """
    from storyline.evaluate.ingested import enrichment_pipeline, merged_settings

    merged = merged_settings(settings)
    docs = read_conll(path)
    gold_types = {t for d in docs for _, _, t in d.spans}
    mapping = CONLL2003 if gold_types and gold_types <= {"PER", "ORG", "LOC", "MISC"} else None
    pipeline = enrichment_pipeline(merged, until="entities")
    pipeline.setup()
    if not rules:
        for stage in pipeline.stages:
            if stage.name == "entities":
                stage.fixer = None  # type: ignore[attr-defined]
    articles = [Article(source=f"{path}#{i}", text=d.text) for i, d in enumerate(docs)]
    size = max(1, int(merged["store"]["batch_size"]))
    for start in range(0, len(articles), size):
        pipeline.run_batch(articles[start : start + size])
    scored = _score(docs, articles, mapping, strip_the=mapping is not None)
    written = _score(docs, articles, mapping, strip_the=False) if mapping else scored
    return {
        "file": str(path),
        "documents": len(docs),
        "gold": sum(len(d.spans) for d in docs),
        "span_convention": "conll2003: leading 'the' off predicted spans"
        if mapping
        else "as written",
        **scored,
        "as_written": {"overall": written["overall"], "per_type": written["per_type"]},
    }


def _score(
    docs: list[GoldDoc],
    articles: list[Article],
    mapping: Mapping[str, str] | None,
    *,
    strip_the: bool,
) -> dict[str, Any]:
    """Micro P/R/F1 overall and per type, and the errors; ``strip_the`` takes a leading "the "
    off each predicted span first (CoNLL-2003's convention, module docstring)."""
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    errors: list[dict[str, Any]] = []
    for doc, article in zip(docs, articles, strict=True):
        predicted = set()
        for m in article.mentions:
            label = mapping.get(m.label) if mapping else m.label
            if label:
                start = m.start + 4 if strip_the and m.text[:4] in ("the ", "The ") else m.start
                predicted.add((start, m.end, label))
        for span in predicted & doc.spans:
            tp[span[2]] += 1
        for span in predicted - doc.spans:
            fp[span[2]] += 1
            errors.append(
                {"kind": "false positive", "text": doc.text[span[0] : span[1]], "type": span[2]}
            )
        for span in doc.spans - predicted:
            fn[span[2]] += 1
            errors.append({"kind": "missed", "text": doc.text[span[0] : span[1]], "type": span[2]})
    per_type = {t: _prf(tp[t], fp[t], fn[t]) for t in sorted(set(tp) | set(fp) | set(fn))}
    total = _prf(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    return {"overall": total, "per_type": per_type, "errors": errors}


def _prf(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(f, 4),
        "tp": tp,
        "fp": fp,
        "fn": fn,
    }


def format_report(result: dict[str, Any]) -> str:
    """A plain-text table: one row per type, then the micro average."""
    lines = [
        f"{result['file']}: {result['documents']} documents, {result['gold']} gold entities",
        f"{'type':<12}{'P':>8}{'R':>8}{'F1':>8}{'tp':>6}{'fp':>6}{'fn':>6}",
    ]
    rows = [*result["per_type"].items(), ("overall", result["overall"])]
    for name, s in rows:
        lines.append(
            f"{name:<12}{s['precision']:>8.3f}{s['recall']:>8.3f}{s['f1']:>8.3f}"
            f"{s['tp']:>6}{s['fp']:>6}{s['fn']:>6}"
        )
    written = result.get("as_written")
    if (
        written is not None
        and written is not result["overall"]
        and "conll" in result.get("span_convention", "")
    ):
        w = written["overall"]
        lines.append(
            f"{'as written':<12}{w['precision']:>8.3f}{w['recall']:>8.3f}{w['f1']:>8.3f}"
            f"{w['tp']:>6}{w['fp']:>6}{w['fn']:>6}"
        )
        lines.append(
            "rows above 'as written': CoNLL-2003 gold, so a leading 'the' is taken off predicted"
            " spans (and types mapped); 'as written' keeps the spans as storyline stores them"
        )
    else:
        lines.append("spans compared as written (the gold uses the model's own types)")
    return "\n".join(lines)


# -- actor linking -----------------------------------------------------------------------------


def sample_actor_labels() -> Path:
    """The bundled sample corpus's gold actors (``labels/actors.jsonl``)."""
    from storyline.sources.sample import sample_labels

    return sample_labels("actors.jsonl")


def evaluate_actor_linking(
    store_or_articles: Any, gold_path: str | Path | None = None
) -> dict[str, Any]:
    """How well mentions of the same real actor end up on one actor id, and different actors
    on different ids, against a list of gold actors with their surface forms.

    ``store_or_articles`` is a `Store`, an open SQLite connection or a store path (the resolved
    ``mentions.actor_id``, after store-wide merges), or an iterable of enriched `Article`s (the
    stage's own keys). Each gold line is ``{"actor", "type", "forms": [...]}``. A mention counts
    when its text equals a form (apostrophes, spaces and case aside); a form shared by two gold
    actors is ambiguous and left out.

    - ``collapse_rate``: observed forms whose usual actor id is their gold actor's usual id (the
      id most of its mentions got), over observed forms;
    - ``wrong_merges``: pairs of different gold actors whose forms usually land on one id;
    - ``wrong_gazetteer``: gold actors linked to a gazetteer actor none of whose names is one of
      their forms ("Ayesha Rauf Khan" → Ashraf Ghani);
    - ``mention_accuracy``: mentions on their gold actor's usual id, over all matched mentions.
    """
    from storyline.nlp.gazetteer import default_gazetteer, norm_surface

    def norm(text: str) -> str:
        return norm_surface(text).casefold()

    gold_file = Path(gold_path or sample_actor_labels())
    gold = []
    for number, row in read_jsonl(gold_file):
        require(
            row, ("actor", "forms"), gold_file, number, 'each line is {"actor", "forms": [...]}'
        )
        gold.append(row)
    owners: dict[str, set[str]] = defaultdict(set)
    for g in gold:
        for form in {g["actor"], *g["forms"]}:
            owners[norm(form)].add(g["actor"])
    form_actor = {f: next(iter(a)) for f, a in owners.items() if len(a) == 1}
    # (gold actor, form) → Counter of predicted actor ids (None when unlinked)
    seen: dict[tuple[str, str], Counter[str | None]] = defaultdict(Counter)
    metonyms = 0
    for text, actor_id, link in _linked_mentions(store_or_articles):
        if link == "metonym":
            # "Tehran says …" is the state by design; the gold forms do not tell uses apart.
            metonyms += 1
            continue
        form = norm(text)
        if form in form_actor:
            seen[(form_actor[form], form)][actor_id] += 1
    usual: dict[str, str | None] = {}
    for g in gold:
        counts: Counter[str | None] = Counter()
        for (actor, _), c in seen.items():
            if actor == g["actor"]:
                counts.update(c)
        linked = Counter({k: v for k, v in counts.items() if k is not None})
        if counts:
            usual[g["actor"]] = linked.most_common(1)[0][0] if linked else None
    form_usual: dict[tuple[str, str], str | None] = {}
    for key, c in seen.items():
        top = Counter({k: v for k, v in c.items() if k}).most_common(1)
        form_usual[key] = top[0][0] if top else None
    collapsed = [key for key, pred in form_usual.items() if pred and pred == usual.get(key[0])]
    split = [
        {"actor": a, "form": f, "actor_id": form_usual[(a, f)], "expected": usual.get(a)}
        for a, f in sorted(set(form_usual) - set(collapsed))
    ]
    by_id: dict[str, set[str]] = defaultdict(set)
    for (actor, _), pred in form_usual.items():
        if pred:
            by_id[pred].add(actor)
    merges = sorted(
        {(a, b, pred) for pred, actors in by_id.items() for a in actors for b in actors if a < b}
    )
    gaz = default_gazetteer()
    wrong_gazetteer = []
    for g in gold:
        entry = gaz.entries.get(usual.get(g["actor"]) or "")
        if entry is None:
            continue
        names = {norm(n) for n in (entry.name, *entry.aliases, *entry.demonyms)}
        if not names & {norm(f) for f in (g["actor"], *g["forms"])}:
            wrong_gazetteer.append({"actor": g["actor"], "actor_id": entry.id})
    total = sum(sum(c.values()) for c in seen.values())
    right = sum(c[usual.get(actor)] for (actor, _), c in seen.items() if usual.get(actor))
    return {
        "gold_actors": len(gold),
        "actors_seen": len(usual),
        "forms_seen": len(form_usual),
        "forms_collapsed": len(collapsed),
        "collapse_rate": round(len(collapsed) / len(form_usual), 4) if form_usual else 0.0,
        "mentions": total,
        "metonyms_left_out": metonyms,
        "mention_accuracy": round(right / total, 4) if total else 0.0,
        "wrong_merges": [{"a": a, "b": b, "actor_id": p} for a, b, p in merges],
        "wrong_gazetteer": wrong_gazetteer,
        "split_forms": split,
    }


def _linked_mentions(source: Any) -> Iterator[tuple[str, str | None, str]]:
    """(mention text, actor id, link rule) from a store, connection, store path or articles."""
    import sqlite3

    conn = None
    if isinstance(source, sqlite3.Connection):
        conn = source
    elif hasattr(source, "conn"):
        conn = source.conn
    elif isinstance(source, (str, Path)):
        from storyline.store import Store

        with Store(source) as store:
            yield from _linked_mentions(store)
        return
    if conn is not None:
        yield from conn.execute("SELECT text, actor_id, link FROM mentions")
        return
    for article in source:
        for m in article.mentions:
            yield m.text, m.actor_id, m.link


def format_actor_report(result: dict[str, Any]) -> str:
    """Collapse rate, mention accuracy, then every wrong merge and split form."""
    lines = [
        f"gold actors seen: {result['actors_seen']}/{result['gold_actors']}, "
        f"mentions matched: {result['mentions']} "
        f"({result['metonyms_left_out']} capitals read as their state left out)",
        f"surface forms collapsed to their actor: {result['forms_collapsed']}/"
        f"{result['forms_seen']} ({result['collapse_rate']:.3f})",
        f"mentions on their actor: {result['mention_accuracy']:.3f}",
        f"wrong merges (pairs of gold actors on one id): {len(result['wrong_merges'])}",
    ]
    lines += [f"  {m['a']} + {m['b']} → {m['actor_id']}" for m in result["wrong_merges"]]
    lines.append(f"linked to another gazetteer actor: {len(result['wrong_gazetteer'])}")
    lines += [f"  {w['actor']} → {w['actor_id']}" for w in result["wrong_gazetteer"]]
    lines.append(f"forms on another id: {len(result['split_forms'])}")
    lines += [
        f"  {s['actor']}: {s['form']!r} → {s['actor_id']} (expected {s['expected']})"
        for s in result["split_forms"]
    ]
    return "\n".join(lines)


def linking_on_sample(
    gold_path: str | Path | None = None, settings: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """`evaluate_actor_linking` on the bundled sample corpus, ingested into a temporary store as
    `storyline demo` does (`storyline.ingest.ingest_paths`: the default stages and update steps,
    store-wide actor linking included; the gold files beside the articles left out)."""
    from storyline.evaluate.ingested import temporary_ingest
    from storyline.sources.sample import GOLD_FILES, sample_corpus

    with temporary_ingest([sample_corpus()], settings, exclude=GOLD_FILES) as done:
        return evaluate_actor_linking(done.store, gold_path)
