"""Quote attribution scored against brat standoff annotations (the PolNeAR format).

A folder holds ``NAME.txt`` / ``NAME.ann`` pairs. Text-bound annotations of type ``Source``,
``Cue`` and ``Content`` (``T3\\tContent 10 42;50 61\\t…``; discontinuous spans allowed) are the
gold spans; attributions linking them may be brat relations (``R1\\tSOURCE Arg1:T2 Arg2:T1``)
or events (``E1\\tCue:T2 Source:T1 Content:T3``), as PolNeAR writes them. Each ``.txt`` is
run through the default ingest pipeline's enrichment stages up to the quote stage (language,
entities, actor keys, places, quotes, built by `storyline.ingest.enrichment_stages` with the merged
settings; `storyline.evaluate.ingested.enrich`), and the predicted speaker, cue and content spans
are compared with the gold ones. The reading stages are left out on purpose (this measures quote
attribution, not cleaning): they would re-clean the text and move the offsets the gold refers to.
Scores:

* **exact**: a span counts only when its fragments match character for character;
* **overlap**: one-to-one matching of spans that share at least one character (lenient, as
  reported alongside exact scores in the attribution literature);
* **exact, marks either way** (content only): exact after quote marks, spaces and edge
  punctuation are trimmed from both spans, so a corpus that puts the marks (or the final comma)
  inside its content spans and one that leaves them out score alike; our own convention
  (``docs/quotes.md``) is marks out, the quote's punctuation in;
* **attribution**: a gold attribution is found when a predicted quote overlaps its content
  and the predicted speaker span overlaps its source.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storyline.article import Article
from storyline.errors import InputError
from storyline.evaluate.labelled import read_text

SPAN_TYPES = ("Source", "Cue", "Content")
Fragments = tuple[tuple[int, int], ...]


@dataclass
class Gold:
    """The annotations of one document."""

    spans: dict[str, list[Fragments]] = field(default_factory=lambda: {t: [] for t in SPAN_TYPES})
    #: (source, cue, content) fragments per attribution; None where a role is missing.
    attributions: list[tuple[Fragments | None, Fragments | None, Fragments | None]] = field(
        default_factory=list
    )


def parse_ann(text: str, source: str = "<ann>") -> Gold:
    """Read brat standoff: T lines of the three span types, R and E lines linking them."""
    gold = Gold()
    by_id: dict[str, tuple[str, Fragments]] = {}
    links: list[dict[str, str]] = []
    events: list[dict[str, str]] = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        ident = parts[0]
        if ident.startswith("T"):
            if len(parts) < 2:
                raise InputError(source, f"line {n}: text-bound annotation without type/offsets")
            kind, _, offsets = parts[1].partition(" ")
            try:
                frags = tuple(
                    (int(a), int(b)) for a, b in (piece.split() for piece in offsets.split(";"))
                )
            except ValueError as exc:
                raise InputError(source, f"line {n}: bad offsets {offsets!r}") from exc
            by_id[ident] = (kind, frags)
            if kind in SPAN_TYPES:
                gold.spans[kind].append(frags)
        elif ident.startswith("E") and len(parts) >= 2:
            args = dict(a.split(":", 1) for a in parts[1].split() if ":" in a)
            events.append({k.rstrip("0123456789"): v for k, v in args.items()})
        elif ident.startswith("R") and len(parts) >= 2:
            fields = parts[1].split()
            args = dict(a.split(":", 1) for a in fields[1:] if ":" in a)
            links.append({by_id.get(v, ("?",))[0]: v for v in args.values()})
    merged = events + _merge_links(links, by_id)
    for roles in merged:
        gold.attributions.append(
            tuple(  # type: ignore[arg-type]
                by_id[roles[r]][1] if r in roles and roles[r] in by_id else None for r in SPAN_TYPES
            )
        )
    return gold


def _merge_links(
    links: list[dict[str, str]], by_id: dict[str, tuple[str, Fragments]]
) -> list[dict[str, str]]:
    """Relations come in pairs (source-cue, cue-content): join them on the shared cue."""
    by_cue: dict[str, dict[str, str]] = {}
    out: list[dict[str, str]] = []
    for link in links:
        roles = {(by_id[v][0] if v in by_id else k): v for k, v in link.items()}
        cue = roles.get("Cue")
        if cue is None:
            out.append(roles)
            continue
        by_cue.setdefault(cue, {}).update(roles)
    return out + list(by_cue.values())


def _overlaps(a: Fragments, b: Fragments) -> bool:
    return any(s1 < e2 and s2 < e1 for s1, e1 in a for s2, e2 in b)


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
            "tp": tp, "predicted": n_pred, "gold": n_gold}  # fmt: skip


_EDGE = " \t\n\"'“”‘’«»„‟‚‛,.;:"


def _unmarked(text: str, frags: Fragments) -> Fragments:
    """The fragments without quote marks, spaces and punctuation at their edges."""
    out = []
    for s, e in frags:
        while s < e and text[s] in _EDGE:
            s += 1
        while e > s and text[e - 1] in _EDGE:
            e -= 1
        out.append((s, e))
    return tuple(out)


def _match(pred: list[Fragments], gold: list[Fragments], exact: bool) -> int:
    used: set[int] = set()
    tp = 0
    for p in pred:
        for i, g in enumerate(gold):
            if i in used:
                continue
            if (p == g) if exact else _overlaps(p, g):
                used.add(i)
                tp += 1
                break
    return tp


def predict(articles: Iterable[Article], settings: Mapping[str, Any] | None = None) -> None:
    """Run ingest's enrichment stages up to quotes over the articles in place (``settings``: the
    merged settings; None loads them as the CLI does)."""
    from storyline.evaluate.ingested import enrich

    enrich(list(articles), settings, until="quotes")


def evaluate_quotes(
    folder: str | Path, settings: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """Exact and overlap P/R/F1 for source, cue and content spans, and attribution recall."""
    root = Path(folder)
    pairs = sorted(p for p in root.glob("*.ann") if p.with_suffix(".txt").exists())
    if not pairs:
        raise InputError(str(root), "no brat .ann/.txt pairs in this folder")
    docs: list[tuple[str, Gold, Article]] = []
    for ann in pairs:
        text = read_text(ann.with_suffix(".txt"))
        docs.append(
            (
                ann.stem,
                parse_ann(read_text(ann), str(ann)),
                Article(source=str(ann.with_suffix(".txt")), text=text),
            )
        )
    predict((a for _, _, a in docs), settings)
    counts: dict[str, dict[str, list[int]]] = {
        mode: {t: [0, 0, 0] for t in SPAN_TYPES} for mode in ("exact", "overlap")
    }
    marks = [0, 0, 0]
    found = total = 0
    per_doc = []
    for name, gold, article in docs:
        pred: dict[str, list[Fragments]] = {t: [] for t in SPAN_TYPES}
        for q in article.quotes:
            if q.speaker_start >= 0:
                pred["Source"].append(((q.speaker_start, q.speaker_end),))
            if q.cue_start >= 0:
                pred["Cue"].append(((q.cue_start, q.cue_end),))
            pred["Content"].append(tuple((s, e) for s, e in q.parts) or ((q.start, q.end),))
        pred = {t: sorted(set(v)) for t, v in pred.items()}
        gold_spans = {t: sorted(set(v)) for t, v in gold.spans.items()}
        for mode in ("exact", "overlap"):
            for t in SPAN_TYPES:
                c = counts[mode][t]
                c[0] += _match(pred[t], gold_spans[t], mode == "exact")
                c[1] += len(pred[t])
                c[2] += len(gold_spans[t])
        text = article.text or ""
        marks[0] += _match(
            sorted({_unmarked(text, f) for f in pred["Content"]}),
            sorted({_unmarked(text, f) for f in gold_spans["Content"]}),
            True,
        )
        marks[1] += len(pred["Content"])
        marks[2] += len(gold_spans["Content"])
        doc_found = 0
        for source, _cue, content in gold.attributions:
            if content is None:
                continue
            total += 1
            for q in article.quotes:
                qc = tuple((s, e) for s, e in q.parts) or ((q.start, q.end),)
                if _overlaps(qc, content) and (
                    source is None or _overlaps(((q.speaker_start, q.speaker_end),), source)
                ):
                    doc_found += 1
                    break
        found += doc_found
        per_doc.append({"document": name, "gold": len(gold.attributions),
                        "predicted": len(article.quotes), "found": doc_found})  # fmt: skip
    return {
        "documents": len(docs),
        "exact": {t: _prf(*counts["exact"][t]) for t in SPAN_TYPES},
        "overlap": {t: _prf(*counts["overlap"][t]) for t in SPAN_TYPES},
        "content_marks_either_way": _prf(*marks),
        "attribution_recall": round(found / total, 4) if total else 0.0,
        "attributions": total,
        "per_document": per_doc,
    }


def format_report(result: dict[str, Any]) -> str:
    """A fixed-width table of the scores, for the terminal."""
    lines = [f"quote attribution on {result['documents']} documents, "
             f"{result['attributions']} gold attributions",
             f"{'span':<9}{'mode':<9}{'P':>8}{'R':>8}{'F1':>8}{'pred':>7}{'gold':>7}"]  # fmt: skip
    for mode in ("exact", "overlap"):
        for t in SPAN_TYPES:
            s = result[mode][t]
            lines.append(f"{t:<9}{mode:<9}{s['precision']:>8.3f}{s['recall']:>8.3f}"
                         f"{s['f1']:>8.3f}{s['predicted']:>7}{s['gold']:>7}")  # fmt: skip
    m = result.get("content_marks_either_way")
    if m:
        lines.append(f"{'Content':<9}{'±marks':<9}{m['precision']:>8.3f}{m['recall']:>8.3f}"
                     f"{m['f1']:>8.3f}{m['predicted']:>7}{m['gold']:>7}")  # fmt: skip
    lines.append(f"attribution recall (content and source overlap): "
                 f"{result['attribution_recall']:.3f}")  # fmt: skip
    return "\n".join(lines)
