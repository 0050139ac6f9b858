"""Evaluate the event coder against PLOVER-style labelled sentences.

Input: JSON Lines, one record per sentence::

    {"text": "...", "date": "2024-03-06", "type": "AGREE", "source": "Pakistan", "target": "Iran",
     "mode": "negated", "event_date": "2024-03-05"}

``type`` is a PLOVER category or ``NONE`` (no event); ``source``/``target`` are actor names or
null; ``date`` (the article date), ``mode`` and ``event_date`` are optional. Each sentence runs
through all the enrichment stages of the default ingest pipeline
(`storyline.ingest.enrichment_stages` with the merged settings, in ``[store] batch_size``
batches, through the pipeline's language gate and failure handling:
`storyline.evaluate.ingested.enrich`), as an English article published on ``date``. The
reading stages are left out on purpose: a record is one sentence with its date given, not a
document to clean and date, and the event coder is what is measured.

Reported, as standard event-coding evaluations do:

- **type accuracy** over all records, "no event" counted as a class: the coder's *first* event in
  the sentence (strict), and whether any of its events has the gold type (lenient);
- precision, recall and F1 of detecting that a sentence holds an event at all;
- **source and target match**: among sentences whose gold type the coder found, how often the
  source (target) of that event names the gold actor, an absent actor matching an absent one.
  Names match when one's words are contained in the other's ("Raisi" ~ "Ebrahim Raisi") or one is
  the other's adjective ("Iranian" ~ "Iran"), on the surface form or the linked actor;
- mode accuracy and event-date accuracy where the records give them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from storyline.article import Article, Event
from storyline.evaluate.labelled import malformed, read_jsonl

NONE = "NONE"
_WORD = re.compile(r"\w+")
_STRIP = frozenset({"the", "of", "s"})


def load_records(path: str | Path) -> list[dict[str, Any]]:
    """Read labelled records; a bad line names the file and line number (`InputError` when it
    cannot be read or is not JSON, `EvaluationError` when it lacks ``text`` or ``type``)."""
    records: list[dict[str, Any]] = []
    for number, record in read_jsonl(path):
        if not record.get("text") or "type" not in record:
            raise malformed(path, number, "a record needs 'text' and 'type'")
        record["type"] = (record["type"] or NONE).upper()
        records.append(record)
    return records


def _words(name: str) -> list[str]:
    return [w for w in _WORD.findall(name.casefold().replace("’", "'")) if w not in _STRIP]


def names_match(gold: str | None, *predicted: str | None) -> bool:
    """Whether a predicted actor (surface form or canonical key) names the gold actor."""
    names = [p for p in predicted if p]
    if not gold:
        return not names
    gold_words = _words(gold)
    for name in names:
        words = _words(name)
        if not words or not gold_words:
            continue
        a, b = set(gold_words), set(words)
        if a <= b or b <= a:
            return True
        # "Iranian" ~ "Iran", "Pakistani" ~ "Pakistan", "Afghan" ~ "Afghanistan".
        if len(gold_words) == 1 and len(words) == 1:
            x, y = sorted((gold_words[0], words[0]), key=len)
            if len(x) >= 4 and y.startswith(x):
                return True
    return False


def code_records(
    records: list[dict[str, Any]], settings: Mapping[str, Any] | None = None
) -> list[list[Event]]:
    """Run the default enrichment over each record's text; the events of each."""
    from storyline.evaluate.ingested import enrich

    articles = [
        Article(source=f"record:{i}", text=r["text"], published=r.get("date"), language="en")
        for i, r in enumerate(records)
    ]
    enrich(articles, settings, detect_language=False)
    return [a.events if a.ok else [] for a in articles]


def evaluate_events(path: str | Path, settings: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Score the coder on a labelled file; a dict of figures and the per-record outcomes.
    ``settings``: the merged settings (None: loaded as the CLI does)."""
    records = load_records(path)
    predictions = code_records(records, settings)
    strict = lenient = 0
    tp = fp = fn = 0
    found = source_ok = target_ok = 0
    mode_total = mode_ok = date_total = date_ok = 0
    confusion: Counter[tuple[str, str]] = Counter()
    outcomes: list[dict[str, Any]] = []
    for record, events in zip(records, predictions, strict=True):
        gold = record["type"]
        first = events[0].type if events else NONE
        types = {e.type for e in events} or {NONE}
        strict += first == gold
        lenient += gold in types
        confusion[(gold, first)] += 1
        if gold != NONE and events:
            tp += 1
        elif gold == NONE and events:
            fp += 1
        elif gold != NONE and not events:
            fn += 1
        match = next((e for e in events if e.type == gold), None)
        row = {"id": record.get("id"), "gold": gold, "predicted": [e.type for e in events]}
        if match is not None:
            found += 1
            s_ok = names_match(record.get("source"), match.source, match.source_actor)
            t_ok = names_match(record.get("target"), match.target, match.target_actor)
            source_ok += s_ok
            target_ok += t_ok
            row.update(source=match.source, target=match.target, source_ok=s_ok, target_ok=t_ok)
            if "mode" in record:
                mode_total += 1
                mode_ok += (record["mode"] or "") == match.mode
            if record.get("event_date"):
                date_total += 1
                date_ok += match.date == record["event_date"]
                row["date"] = match.date
        outcomes.append(row)
    n = len(records)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "records": n,
        "events_gold": sum(r["type"] != NONE for r in records),
        "type_accuracy": strict / n if n else 0.0,
        "type_found": lenient / n if n else 0.0,
        "detection": {"precision": precision, "recall": recall, "f1": f1},
        "matched_type": found,
        "source_match": source_ok / found if found else 0.0,
        "target_match": target_ok / found if found else 0.0,
        "mode_accuracy": mode_ok / mode_total if mode_total else None,
        "mode_records": mode_total,
        "date_accuracy": date_ok / date_total if date_total else None,
        "date_records": date_total,
        "events_predicted": sum(len(e) for e in predictions),
        "confusion": {f"{g}->{p}": c for (g, p), c in sorted(confusion.items()) if g != p},
        "outcomes": outcomes,
    }


def format_report(result: dict[str, Any]) -> str:
    """A short plain-text report of `evaluate_events` figures."""
    det = result["detection"]
    lines = [
        f"records                 {result['records']} ({result['events_gold']} with an event)",
        f"event-type accuracy     {result['type_accuracy']:.3f}  (first event; NONE is a class)",
        f"type found              {result['type_found']:.3f}  (any event of the sentence)",
        f"event detection         P {det['precision']:.3f}  R {det['recall']:.3f}  "
        f"F1 {det['f1']:.3f}",
        f"source actor match      {result['source_match']:.3f}  (of {result['matched_type']} "
        "sentences whose type was found)",
        f"target actor match      {result['target_match']:.3f}",
    ]
    if result["mode_accuracy"] is not None:
        lines.append(
            f"mode accuracy           {result['mode_accuracy']:.3f}  ({result['mode_records']})"
        )
    if result["date_accuracy"] is not None:
        lines.append(
            f"event date accuracy     {result['date_accuracy']:.3f}  ({result['date_records']})"
        )
    if result["confusion"]:
        worst = sorted(result["confusion"].items(), key=lambda kv: -kv[1])[:8]
        lines.append("most frequent errors    " + ", ".join(f"{k} ({v})" for k, v in worst))
    return "\n".join(lines)
