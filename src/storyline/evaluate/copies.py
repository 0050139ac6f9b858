"""Copy detection evaluator: precision and recall of copy pairs against labelled reprints.

Gold pairs come from a corpus manifest (``copy_of``/``copy_kind`` per article, as in the bundled
sample corpus): every two articles in one reprint group (an original and its copies, joined
through ``copy_of``) share text and are a gold pair. Direct pairs (a copy and the article it
copies) also carry the gold kind and which article had it first; pairs between two copies of the
same original are ``sibling`` pairs, scored for detection only.

The corpus is read and cleaned by the real foundation pipeline, so the figures include what the
cleaner keeps or drops. Articles are identified by their manifest key: the file path relative to
the corpus folder, plus ``#record`` for a record of a JSON Lines file.

    python -m storyline.evaluate.copies [CORPUS] [--pairs PAIRS.jsonl]
"""

from __future__ import annotations

import argparse
import itertools
import json
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from storyline.cluster.copy_index import CopyIndex, CopyLink, independent_sources

__all__ = ["evaluate_copies", "format_report", "gold_pairs", "manifest_key", "write_gold"]


def manifest_key(file: str, record: int | None) -> str:
    return file if record is None else f"{file}#{record}"


def gold_pairs(manifest: Path) -> list[dict[str, Any]]:
    """All gold copy pairs of a manifest, each ``{"a", "b", "kind", "first"}`` with a < b.

    ``kind`` is the labelled kind for a copy and its original, ``sibling`` for two copies of one
    original; ``first`` is the original for direct pairs, else None.
    """
    rows = [json.loads(line) for line in manifest.read_text("utf-8").splitlines() if line.strip()]
    parent: dict[str, str] = {}
    direct: dict[frozenset[str], tuple[str, str]] = {}
    for row in rows:
        if row.get("hostile") or not row.get("copy_of"):
            continue
        key = manifest_key(row["file"], row.get("record"))
        original = str(row["copy_of"])
        parent[key] = original
        direct[frozenset((key, original))] = (str(row.get("copy_kind") or "partial"), original)

    def root(key: str) -> str:
        seen = set()
        while key in parent and key not in seen:
            seen.add(key)
            key = parent[key]
        return key

    groups: dict[str, set[str]] = {}
    for key in parent:
        groups.setdefault(root(key), {root(key)}).add(key)
    pairs = []
    for members in groups.values():
        for a, b in itertools.combinations(sorted(members), 2):
            kind, first = direct.get(frozenset((a, b)), ("sibling", None))
            pairs.append({"a": a, "b": b, "kind": kind, "first": first})
    return sorted(pairs, key=lambda p: (p["a"], p["b"]))


def write_gold(manifest: Path, out: Path) -> int:
    """Write the gold pairs of ``manifest`` as JSON Lines; returns how many."""
    pairs = gold_pairs(manifest)
    out.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in pairs), "utf-8")
    return len(pairs)


def _read_corpus(corpus: Path) -> list[tuple[str, Any]]:
    """(manifest key, cleaned article) for every readable article of the corpus."""
    from storyline.ingest import foundation_stages
    from storyline.pipeline import Pipeline
    from storyline.sources.files import read_paths

    articles = list(read_paths([str(corpus)]))
    Pipeline(foundation_stages()).run_batch([a for a in articles if a.ok])
    out = []
    for article in articles:
        if not article.ok:
            continue
        rel = Path(article.source).resolve().relative_to(corpus.resolve()).as_posix()
        out.append((manifest_key(rel, article.record), article))
    return out


def detect(items: Iterable[tuple[str, Any]]) -> tuple[list[CopyLink], float, int]:
    """Run the copy index over (key, article) in key order; (links, seconds, paragraphs)."""
    index = CopyIndex()
    links: list[CopyLink] = []
    paragraphs = 0
    started = time.perf_counter()
    for key, a in sorted(items, key=lambda item: item[0]):
        paragraphs += len(a.paragraphs)
        links.extend(
            index.add(
                key,
                a.paragraphs,
                a.published,
                a.date_source,
                a.agencies,
                a.outlet,
                not_before=a.date_not_before,
                byline=a.byline,
            )
        )
    return links, time.perf_counter() - started, paragraphs


def evaluate_copies(pairs_file: Path | str, corpus: Path | str) -> dict[str, Any]:
    """Precision, recall and F1 of detected copy pairs; kind and "who first" on direct pairs;
    independent-source counts per story when the manifest has stories."""
    corpus = Path(corpus)
    gold = [
        json.loads(line)
        for line in Path(pairs_file).read_text("utf-8").splitlines()
        if line.strip()
    ]
    items = _read_corpus(corpus)
    links, seconds, paragraphs = detect(items)
    found = {frozenset((link.a, link.b)): link for link in links}
    gold_set = {frozenset((p["a"], p["b"])): p for p in gold}
    tp = len(found.keys() & gold_set.keys())
    precision = tp / len(found) if found else 1.0
    recall = tp / len(gold_set) if gold_set else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    kinds = {"right": 0, "wrong": []}  # type: dict[str, Any]
    first = {"right": 0, "unknown": 0, "wrong": []}  # type: dict[str, Any]
    for pair, g in gold_set.items():
        link = found.get(pair)
        if link is None or g["kind"] == "sibling":
            continue
        if link.kind == g["kind"]:
            kinds["right"] += 1
        else:
            kinds["wrong"].append([g["a"], g["b"], g["kind"], link.kind])
        if link.first == "unknown":
            first["unknown"] += 1
        elif link.first == g["first"]:
            first["right"] += 1
        else:
            first["wrong"].append([g["a"], g["b"], g["first"], link.first])
    report: dict[str, Any] = {
        "articles": len(items),
        "paragraphs": paragraphs,
        "gold_pairs": len(gold_set),
        "found_pairs": len(found),
        "true_positives": tp,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "false_positives": sorted(sorted(p) for p in found.keys() - gold_set.keys()),
        "missed": sorted(sorted(p) for p in gold_set.keys() - found.keys()),
        "kind": kinds,
        "first": first,
        "seconds": round(seconds, 3),
        "articles_per_second": round(len(items) / seconds, 1) if seconds else None,
    }
    manifest = corpus / "manifest.jsonl"
    if manifest.exists():
        report["sources"] = _source_counts(manifest, items, links, gold)
    return report


def _source_counts(
    manifest: Path, items: list[tuple[str, Any]], links: list[CopyLink], gold: list[dict[str, Any]]
) -> dict[str, Any]:
    """Per story: articles, gold independent sources, detected independent sources."""
    stories: dict[str, list[str]] = {}
    present = {key for key, _ in items}
    for line in manifest.read_text("utf-8").splitlines():
        row = json.loads(line) if line.strip() else {}
        key = manifest_key(row.get("file", ""), row.get("record"))
        if row.get("story") and key in present:
            stories.setdefault(str(row["story"]), []).append(key)
    gold_links = [(p["a"], p["b"]) for p in gold]
    per_story = {
        story: {
            "articles": len(keys),
            "gold": independent_sources(keys, gold_links),
            "found": independent_sources(keys, links),
        }
        for story, keys in sorted(stories.items())
    }
    agree = sum(1 for s in per_story.values() if s["gold"] == s["found"])
    return {"stories": len(per_story), "agree": agree, "per_story": per_story}


def format_report(report: dict[str, Any]) -> str:
    """The evaluation as a few lines of text."""
    lines = [
        f"copy pairs: gold {report['gold_pairs']}, found {report['found_pairs']}, "
        f"true {report['true_positives']}",
        f"precision {report['precision']:.4f}  recall {report['recall']:.4f}  "
        f"F1 {report['f1']:.4f}",
        f"kind on direct pairs: {report['kind']['right']} right, "
        f"{len(report['kind']['wrong'])} wrong",
        f"who had it first on direct pairs: {report['first']['right']} right, "
        f"{report['first']['unknown']} unknown, {len(report['first']['wrong'])} wrong",
        f"{report['articles']} articles, {report['paragraphs']} paragraphs in "
        f"{report['seconds']} s ({report['articles_per_second']} articles/s, detection only)",
    ]
    if "sources" in report:
        s = report["sources"]
        lines.append(
            f"independent sources per story: {s['agree']}/{s['stories']} stories agree "
            "with the gold count"
        )
    for label in ("false_positives", "missed"):
        for pair in report[label]:
            lines.append(f"  {label.replace('_', ' ')}: {pair[0]} ~ {pair[1]}")
    for a, b, want, got in report["kind"]["wrong"]:
        lines.append(f"  kind: {a} ~ {b}: gold {want}, found {got}")
    for a, b, want, got in report["first"]["wrong"]:
        lines.append(f"  first: {a} ~ {b}: gold {want}, found {got}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    from importlib import resources

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sample = Path(str(resources.files("storyline").joinpath("data", "sample")))
    parser.add_argument("corpus", nargs="?", default=str(sample))
    parser.add_argument("--pairs", help="gold pairs (JSON Lines); default: from the manifest")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    corpus = Path(args.corpus)
    pairs = Path(args.pairs) if args.pairs else None
    if pairs is None:
        import tempfile

        pairs = Path(tempfile.mkdtemp()) / "copy_pairs.jsonl"
        write_gold(corpus / "manifest.jsonl", pairs)
    report = evaluate_copies(pairs, corpus)
    print(json.dumps(report, indent=2) if args.json else format_report(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
