"""Exact top-k BM25 from the kept search index, with the scores FTS5's `bm25()` gives.

FTS5 computes, for each matching row and each phrase *i* of the query (numbered left to right),
``idf_i * f_i * (k1 + 1) / (f_i + k1 * (1 - b + b * D / avgdl))`` and sums them, where ``f_i`` is
the phrase's instances in the row weighted by column (title 5, text 1), ``D`` the row's tokens,
``avgdl`` the store's mean, ``idf_i = log((N - n_i + 0.5) / (n_i + 0.5))`` (1e-6 when not
positive) and ``n_i`` the rows holding the phrase; k1 = 1.2, b = 0.75. This module evaluates the
same formula, in the same order of floating-point operations, over numpy arrays built from the
kept postings (`storyline.store.search_index`): the boolean query picks the matching rows, each
phrase's counts come from its postings, and the best rows are cut with a partial sort. Ties are
broken by rowid, as the FTS5 query orders them. The cost is a pass over the postings of the query's
terms at C speed, instead of FTS5's `bm25()` call per matching row.

What it answers: single words, prefixes (``word*``) and two-word phrases (``"joint patrol"``,
from the postings of the adjacent pair) as phrases, combined with AND, OR, NOT, implicit AND and
parentheses, ASCII words only. Everything else returns None and the caller asks FTS5: phrases of
three words or more and a two-word phrase with a prefix (positions are not kept), NEAR, a NOT
inside an OR (which phrase instances FTS5 counts there is an implementation detail), words with
non-ASCII letters (FTS5's case and diacritic folding is not re-implemented here), and any query
while the index is more than `search_index.PENDING_MAX` article changes behind the store. Less
behind (an ingest's batch committed, its `index_search` step still to run), the changed
articles are tokenised once per store state and ranked with the kept postings
(`search_index.pending`): the scores stay FTS5's.
"""

from __future__ import annotations

import math
import re
import sqlite3
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from storyline.errors import SearchFallback
from storyline.store import search_index

__all__ = ["K1", "B", "Ranking", "SearchFallback", "parse", "rank", "top"]

K1 = 1.2
B = 0.75

_SCAN = re.compile(r'\s*(?:(\()|(\))|"([^"]*)"(\*?)|([^\s()"]+))')
_WORDS = re.compile(r"[A-Za-z0-9]+")


@dataclass
class Node:
    op: str  # "term", "and", "or", "not"
    children: list[Node] = field(default_factory=list)
    term: str = ""
    prefix: bool = False
    index: int = -1  # the phrase's number, for terms
    mask: np.ndarray | None = None


def _lex(query: str) -> list[tuple[str, str, bool]]:
    """(kind, text, prefix) tokens: "(", ")", "op" or "phrase"."""
    out: list[tuple[str, str, bool]] = []
    pos = 0
    while pos < len(query):
        if not query[pos:].strip():
            break
        m = _SCAN.match(query, pos)
        if m is None or m.end() == pos:
            raise SearchFallback(query)
        pos = m.end()
        if m.group(1):
            out.append(("(", "(", False))
        elif m.group(2):
            out.append((")", ")", False))
        elif m.group(3) is not None:
            out.append(("quoted", m.group(3), bool(m.group(4))))
        else:
            word = m.group(5)
            if word in ("AND", "OR", "NOT"):
                out.append(("op", word, False))
            elif word == "NEAR" or "*" in word.rstrip("*") or word.startswith("*"):
                raise SearchFallback(word)
            else:
                star = word.endswith("*")
                out.append(("phrase", word.rstrip("*"), star))
    return out


def _term(text: str, *, quoted: bool, prefix: bool) -> str:
    """The index's key of a phrase: its word, or its two words' pair (`search_index.pair_key`)."""
    if not text.isascii():
        raise SearchFallback(text)
    words = [w.lower() for w in _WORDS.findall(text)]
    if len(words) == 1:
        return words[0]
    if len(words) == 2 and quoted and not prefix:
        return search_index.pair_key(*words)
    raise SearchFallback(text)  # three words or more, a two-word prefix, or none


class _Parser:
    """FTS5's precedence: juxtaposed phrases (implicit AND) bind tightest, then NOT, AND, OR."""

    def __init__(self, tokens: list[tuple[str, str, bool]]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.phrases: list[Node] = []

    def peek(self) -> tuple[str, str, bool] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def binary(self, op: str, lower: str) -> Node:
        nodes = [self.level(lower)]
        while (t := self.peek()) is not None and t[0] == "op" and t[1] == op:
            self.pos += 1
            nodes.append(self.level(lower))
        if len(nodes) == 1:
            return nodes[0]
        if op == "NOT":
            left = nodes[0]
            for right in nodes[1:]:
                left = Node("not", [left, right])
            return left
        return Node(op.lower(), nodes)

    def level(self, name: str) -> Node:
        if name == "or":
            return self.binary("OR", "and")
        if name == "and":
            return self.binary("AND", "not")
        if name == "not":
            return self.binary("NOT", "list")
        items: list[Node] = []
        while (t := self.peek()) is not None and t[0] in ("phrase", "quoted", "("):
            if t[0] == "(":
                if items:
                    raise SearchFallback("a group after a phrase")
                self.pos += 1
                inner = self.level("or")
                if self.peek() is None or self.peek()[0] != ")":  # type: ignore[index]
                    raise SearchFallback("unbalanced parentheses")
                self.pos += 1
                nxt = self.peek()
                if nxt is not None and nxt[0] in ("phrase", "quoted", "("):
                    raise SearchFallback("a phrase after a group")
                return inner
            self.pos += 1
            term = _term(t[1], quoted=t[0] == "quoted", prefix=t[2])
            node = Node("term", term=term, prefix=t[2], index=len(self.phrases))
            self.phrases.append(node)
            items.append(node)
        if not items:
            raise SearchFallback("an operator without an operand")
        return items[0] if len(items) == 1 else Node("and", items)


def parse(fts_query: str) -> tuple[Node, list[Node]]:
    """The query's tree and its phrases in FTS5's numbering; `SearchFallback` for what FTS5 must
    answer itself."""
    parser = _Parser(_lex(fts_query))
    root = parser.level("or")
    if parser.pos != len(parser.tokens) or not parser.phrases:
        raise SearchFallback(fts_query)
    _check_not(root, under_or=False)
    return root, parser.phrases


def _check_not(node: Node, under_or: bool) -> None:
    if node.op == "not" and under_or:
        raise SearchFallback("NOT inside OR")
    for child in node.children:
        _check_not(child, under_or or node.op == "or")


def _masks(node: Node, present: list[np.ndarray]) -> np.ndarray:
    if node.op == "term":
        node.mask = present[node.index]
    elif node.op == "and":
        node.mask = np.logical_and.reduce([_masks(c, present) for c in node.children])
    elif node.op == "or":
        node.mask = np.logical_or.reduce([_masks(c, present) for c in node.children])
    else:
        node.mask = _masks(node.children[0], present) & ~_masks(node.children[1], present)
    return node.mask


def _ancestors(node: Node, above: list[Node], out: dict[int, list[Node]]) -> None:
    if node.op == "term":
        out[node.index] = above
    for child in node.children:
        _ancestors(child, [*above, node], out)


@dataclass
class Ranking:
    """Every match of a query (rowids, ascending) and its BM25 score (positive: higher is
    better; FTS5's `bm25()` is its negation)."""

    rowids: np.ndarray
    scores: np.ndarray

    def top(self, limit: int) -> list[tuple[int, float]]:
        """The best ``limit`` as (rowid, bm25), in FTS5's order: bm25 ascending, then rowid."""
        keep = self.best(limit)
        order = keep[np.lexsort((self.rowids[keep], -self.scores[keep]))][:limit]
        return [(int(self.rowids[i]), -1.0 * float(self.scores[i])) for i in order]

    def best(self, limit: int) -> np.ndarray:
        """Positions of the best ``limit`` matches and of every match tied with the last."""
        if limit >= len(self.scores):
            return np.arange(len(self.scores))
        if limit <= 0:
            return np.zeros(0, dtype=np.int64)
        # the limit-th best of every 32nd score is at most the limit-th best of all: a floor
        # that leaves few candidates to partition
        scores = self.scores
        sample = scores[::32]
        if len(sample) > limit:
            floor = np.partition(sample, len(sample) - limit)[len(sample) - limit]
            scores = scores[scores >= floor]
        cut = np.partition(scores, len(scores) - limit)[len(scores) - limit]
        return np.flatnonzero(self.scores >= cut)

    def of(self, rowids: np.ndarray) -> dict[int, float]:
        """bm25 of those of ``rowids`` that match."""
        at = np.searchsorted(self.rowids, rowids)
        at = np.minimum(at, max(len(self.rowids) - 1, 0))
        out: dict[int, float] = {}
        if not len(self.rowids):
            return out
        for r, i in zip(rowids.tolist(), at.tolist(), strict=True):
            if int(self.rowids[i]) == r:
                out[r] = -1.0 * float(self.scores[i])
        return out


#: Recent rankings per connection, keyed by what would change them (see `rank`).
_CACHE: OrderedDict[tuple[Any, ...], Ranking] = OrderedDict()
_CACHE_SIZE = 8
#: Every rowid's length normalisation ``K1 * (1 - B + B * length / avgdl)``, for the last
#: indexed state seen (8 MB at a million articles).
_NORMS: dict[tuple[Any, ...], np.ndarray] = {}
#: The articles the index is behind by, for the last state seen (`search_index.pending`); None:
#: that state is left to FTS5 (kept too, so each query does not tokenise the batch again).
_PENDING: dict[tuple[Any, ...], search_index.Pending | None] = {}
_LOCK = threading.Lock()


def rank(
    conn: sqlite3.Connection, fts_query: str, weights: tuple[float, float] = (5.0, 1.0)
) -> Ranking | None:
    """Every match of ``fts_query`` with its score; None when FTS5 must answer (see the
    module's docstring).

    One request asks several questions of one query (how many match, the best window, whether
    these copies match and their scores): the ranking is kept for the connection until anything
    is committed to the store (``PRAGMA data_version`` for other connections' commits,
    ``total_changes`` for this one's; the store file, FTS5's totals and the index step's mark
    as well, for a connection object whose id is reused), so the answer is the store's current
    one.
    """
    try:
        root, phrases = parse(fts_query)
    except SearchFallback:
        return None
    key = (
        id(conn),
        int(conn.execute("PRAGMA data_version").fetchone()[0]),
        conn.total_changes,
        search_index.state(conn),
        fts_query,
        weights,
    )
    with _LOCK:  # the server's threads share the caches
        cached = _CACHE.get(key)
        if cached is not None:
            _CACHE.move_to_end(key)
            return cached
        norms = _NORMS.get(key[3])
    behind = None
    if not search_index.is_current(conn):
        behind = _pending(conn, key)
        if behind is None:
            return None
    if norms is None:
        norms = _norms(conn, search_index.lengths(conn))
    found = _evaluate(conn, root, phrases, weights, _with_pending(conn, norms, behind), behind)
    with _LOCK:
        _NORMS.clear()
        _NORMS[key[3]] = norms
        _CACHE[key] = found
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return found


def _pending(conn: sqlite3.Connection, key: tuple[Any, ...]) -> search_index.Pending | None:
    """`search_index.pending` once per store state (the index's state and the newest change),
    shared by the server's threads."""
    newest = conn.execute("SELECT COALESCE(MAX(seq), 0) FROM changes").fetchone()[0]
    state = (key[3], int(newest))
    with _LOCK:
        if state in _PENDING:
            return _PENDING[state]
    found = search_index.pending(conn)
    with _LOCK:
        _PENDING.clear()
        _PENDING[state] = found
    return found


def _with_pending(
    conn: sqlite3.Connection, norms: np.ndarray, behind: search_index.Pending | None
) -> np.ndarray:
    """The kept rows' normalisations with the pending articles' own (a copy, longer when they
    took new rowids); the same operations per element as `_norms`."""
    if behind is None or not len(behind.rowids):
        return norms
    size = max(len(norms), int(behind.rowids.max()) + 1)
    out = np.zeros(size, dtype=np.float64)
    out[: len(norms)] = norms
    rows, tokens = search_index.fts_averages(conn)
    if rows:
        avgdl = float(tokens) / float(rows)
        out[behind.rowids] = K1 * (1 - B + B * behind.lengths / avgdl)
    return out


def _norms(conn: sqlite3.Connection, length: np.ndarray) -> np.ndarray:
    """Every rowid's ``K1 * (1 - B + B * D / avgdl)``, computed once per indexed state (the
    same operations per element as over a query's matches alone)."""
    rows, tokens = search_index.fts_averages(conn)
    if rows == 0:
        return length
    avgdl = float(tokens) / float(rows)
    norm: np.ndarray = K1 * (1 - B + B * length / avgdl)
    return norm


def _evaluate(
    conn: sqlite3.Connection,
    root: Node,
    phrases: list[Node],
    weights: tuple[float, float],
    norm: np.ndarray,
    behind: search_index.Pending | None = None,
) -> Ranking:
    rows = search_index.fts_averages(conn)[0]
    empty = Ranking(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64))
    if rows == 0 or len(norm) == 0:
        return empty
    size = len(norm)
    freq: list[np.ndarray] = []
    for node in phrases:
        f = np.zeros(size, dtype=np.float64)
        _add(f, search_index.postings(conn, node.term, prefix=node.prefix), weights, node.prefix)
        if behind is not None:
            f[behind.stale[behind.stale < size]] = 0.0
            _add(f, behind.postings(node.term, prefix=node.prefix), weights, node.prefix)
        freq.append(f)
    present = [f > 0 for f in freq]
    match = np.flatnonzero(_masks(root, present))
    if not len(match):
        return empty
    above: dict[int, list[Node]] = {}
    _ancestors(root, [], above)
    k = norm[match]
    score = np.zeros(len(match), dtype=np.float64)
    part = np.empty(len(match), dtype=np.float64)
    below = np.empty(len(match), dtype=np.float64)
    for node in phrases:
        hits = int(np.count_nonzero(present[node.index]))
        idf = math.log((rows - hits + 0.5) / (hits + 0.5))
        if idf <= 0.0:
            idf = 1e-6
        f = freq[node.index][match]
        for parent in above[node.index]:
            if parent.op in ("and", "or") and parent is not root:
                assert parent.mask is not None
                f = np.where(parent.mask[match], f, 0.0)
        # score + idf * ((f * (K1 + 1)) / (f + k)), the same operations in the same order
        np.multiply(f, K1 + 1.0, out=part)
        np.add(f, k, out=below)
        np.divide(part, below, out=part)
        np.multiply(idf, part, out=part)
        np.add(score, part, out=score)
    return Ranking(match.astype(np.int64), score)


def _add(
    f: np.ndarray, found: tuple[np.ndarray, ...], weights: tuple[float, float], prefix: bool
) -> None:
    """One term's postings into the per-row frequencies ``f``."""
    rowids, title, text = found
    if not len(rowids):
        return
    # weights[0] * title + weights[1] * text, in place (arrays of a million: every temporary is
    # a fresh allocation)
    weighted = title.astype(np.float64)
    weighted *= weights[0]
    other = text.astype(np.float64)
    other *= weights[1]
    weighted += other
    if prefix:
        f += np.bincount(rowids, weights=weighted, minlength=len(f))
    else:
        f[rowids] = weighted


def top(
    conn: sqlite3.Connection,
    fts_query: str,
    limit: int,
    weights: tuple[float, float] = (5.0, 1.0),
) -> list[tuple[int, float]] | None:
    """The best ``limit`` matches as (rowid, bm25) pairs, in FTS5's order (bm25 ascending, then
    rowid); None when FTS5 must answer (see the module's docstring)."""
    found = rank(conn, fts_query, weights)
    return None if found is None else found.top(limit)
