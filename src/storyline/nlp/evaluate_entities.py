"""Exact-span precision, recall and F1 of storyline's entities on a CoNLL-format file.

The file has one ``token TAG`` per line (BIO or IOB tags; the tag is the last column, so
CoNLL-2003's four columns work too), blank lines between sentences or paragraphs, and
``-DOCSTART-`` lines between documents. A ``# text = …`` comment before a block gives that block
as written; tokens are then aligned to it, so the model sees real text ("Rahmani-Fard", not
"Rahmani - Fard"). Without it, tokens are joined with spaces.

Each document runs through the same `EntityStage` that ingest uses (model and fix rules). A
prediction counts only when its span and type both match a gold span. When the gold file uses
CoNLL-2003 types (PER, LOC, MISC), predicted types are mapped onto them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storyline.article import Article

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

    def flush() -> None:
        nonlocal block, written
        if block:
            _add_block(docs[-1], block, written)
        block, written = [], None

    for raw in Path(path).read_text("utf-8").splitlines():
        line = raw.rstrip()
        if line.startswith("# text = "):
            flush()
            written = line[len("# text = ") :]
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
        block.append((parts[0], parts[-1]))
    flush()
    return [d for d in docs if d.text]


def _add_block(doc: GoldDoc, block: list[tuple[str, str]], written: str | None) -> None:
    base = len(doc.text) + (2 if doc.text else 0)
    text = written if written is not None else " ".join(t for t, _ in block)
    offsets, pos = [], 0
    for token, _ in block:
        found = text.find(token, pos)
        if found == -1:
            raise ValueError(f"token {token!r} not found in its '# text' line: {text[:80]!r}")
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


def evaluate_entities(path: str | Path, *, rules: bool = True) -> dict[str, Any]:
    """P/R/F1 per type and overall (micro) of `EntityStage` against the gold file.

    ``rules=False`` measures the model alone (no gazetteer or fix rules), for comparison.
    """
    from storyline.nlp.entities import EntityStage

    docs = read_conll(path)
    gold_types = {t for d in docs for _, _, t in d.spans}
    mapping = CONLL2003 if gold_types and gold_types <= {"PER", "ORG", "LOC", "MISC"} else None
    stage = EntityStage()
    stage.setup()
    if not rules:
        stage.fixer = None
    articles = [Article(source=f"{path}#{i}", text=d.text) for i, d in enumerate(docs)]
    stage.process_batch(articles)
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    errors: list[dict[str, Any]] = []
    for doc, article in zip(docs, articles, strict=True):
        predicted = set()
        for m in article.mentions:
            label = mapping.get(m.label) if mapping else m.label
            if label:
                predicted.add((m.start, m.end, label))
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
    return {
        "file": str(path),
        "documents": len(docs),
        "gold": sum(len(d.spans) for d in docs),
        "overall": total,
        "per_type": per_type,
        "errors": errors,
    }


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
    return "\n".join(lines)
