"""Titles and short extractive summaries of stories and storylines; every sentence cites.

A summary is a few sentences copied verbatim from the story's articles, each with the id of the
article it came from and its character span in that article's text, so an analyst can click from
any line to the report behind it. Nothing is generated, so nothing is invented.

Method:

* candidate sentences come from the entity stage's sentence spans (or a plain splitter when the
  article has none), 8 to 70 words long, ending like a sentence (captions, datelines and link
  lines do not);
* articles that copy another article of the story (wire reprints, found by copy detection) are
  left out, so one agency text is not summarised twice;
* each sentence is a TF-IDF vector over the story's sentences; its centrality is the cosine with
  the centroid of all candidate sentences (what most reports say), nudged towards the top of each
  article (news puts the main fact first);
* Maximal Marginal Relevance picks the next sentence as ``λ·centrality − (1−λ)·max similarity to
  those already picked``, and skips near-repeats, so the summary covers several facts;
* the picked sentences are shown in time order (article date, then position).

A story's **title** is the headline of its most central original article (ties: the earliest).
A storyline's summary is the lead sentence of each of its main stories, in time order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from storyline.article import Article, article_date
from storyline.cluster.stop_words import ENGLISH_STOP_WORDS

__all__ = [
    "SummarySentence",
    "candidate_sentences",
    "central_article",
    "centrality",
    "story_title",
    "storyline_summary",
    "summarise",
]

_SPLIT = re.compile(r"(?<=[.!?…])[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9À-ÖØ-Þ])")
_ENDS_LIKE_SENTENCE = re.compile(r"[.!?…][\"'”’)]*$")
_WORD = re.compile(r"\w+", re.UNICODE)
MIN_WORDS, MAX_WORDS = 8, 70


@dataclass
class SummarySentence:
    """One summary sentence and where it came from (``text == article.text[start:end]``)."""

    text: str
    article_id: str
    start: int
    end: int
    score: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _spans(article: Article) -> Iterable[tuple[int, int]]:
    if article.sentences:
        for span in article.sentences:
            yield span.start, span.end
        return
    text = article.text
    for para in re.finditer(r"[^\n]+", text):
        start = para.start()
        chunk = para.group()
        last = 0
        for cut in _SPLIT.finditer(chunk):
            yield start + last, start + cut.start()
            last = cut.end()
        yield start + last, start + len(chunk)


def candidate_sentences(article: Article) -> list[tuple[int, int, int]]:
    """(position, start, end) of the sentences of an article worth quoting in a summary."""
    out: list[tuple[int, int, int]] = []
    text = article.text
    for start, end in _spans(article):
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        sentence = text[start:end]
        if "\n" in sentence or not _ENDS_LIKE_SENTENCE.search(sentence):
            continue
        words = len(_WORD.findall(sentence))
        if MIN_WORDS <= words <= MAX_WORDS:
            out.append((len(out), start, end))
    return out


_TOKEN = re.compile(r"(?u)\b\w\w+\b")


def _vectorise(texts: Sequence[str]) -> np.ndarray | None:
    """Rows of L2-normalised TF-IDF (sublinear tf, smoothed idf, English stop words dropped).

    The same weighting as scikit-learn's ``TfidfVectorizer(sublinear_tf=True,
    stop_words="english")`` (a test compares the two), written out because the vectoriser's
    per-call validation cost 2 ms, three times per story on every ingest batch: the story
    refresh spent most of its time there.
    """
    counts: list[dict[str, int]] = []
    df: dict[str, int] = {}
    for text in texts:
        row: dict[str, int] = {}
        for token in _TOKEN.findall(text.lower()):
            if token not in ENGLISH_STOP_WORDS:
                row[token] = row.get(token, 0) + 1
        counts.append(row)
        for token in row:
            df[token] = df.get(token, 0) + 1
    if not df:  # only stop words, or nothing
        return None
    vocabulary = {token: i for i, token in enumerate(sorted(df))}
    n = len(texts)
    idf = np.array([np.log((1 + n) / (1 + df[t])) + 1.0 for t in sorted(df)])
    matrix = np.zeros((n, len(vocabulary)))
    for i, row in enumerate(counts):
        if row:
            columns = np.fromiter((vocabulary[t] for t in row), dtype=np.intp, count=len(row))
            tf = np.fromiter(row.values(), dtype=float, count=len(row))
            matrix[i, columns] = (1.0 + np.log(tf)) * idf[columns]
    norms = np.linalg.norm(matrix, axis=1)
    return matrix / np.where(norms > 0, norms, 1.0)[:, None]


def _originals(articles: Sequence[Article], copies: Iterable[str]) -> list[Article]:
    skip = set(copies)
    kept = [a for a in articles if a.id not in skip and a.text]
    return kept or [a for a in articles if a.text]


def _article_scores(pool: Sequence[Article]) -> np.ndarray:
    matrix = _vectorise([f"{a.title or ''}\n{a.text}" for a in pool])
    if matrix is None:
        return np.zeros(len(pool))
    centroid = matrix.mean(axis=0)
    norm = np.linalg.norm(centroid)
    return matrix @ centroid / norm if norm > 0 else np.zeros(len(pool))


def centrality(articles: Sequence[Article], copies: Iterable[str] = ()) -> dict[str, float]:
    """Cosine of each article (TF-IDF of title and text) with the centroid of the originals."""
    pool = [a for a in articles if a.text]
    if not pool:
        return {}
    skip = set(copies)
    matrix = _vectorise([f"{a.title or ''}\n{a.text}" for a in pool])
    if matrix is None:
        return {a.id: 0.0 for a in pool}
    originals = [i for i, a in enumerate(pool) if a.id not in skip] or list(range(len(pool)))
    centroid = matrix[originals].mean(axis=0)
    norm = np.linalg.norm(centroid)
    scores = matrix @ centroid / norm if norm > 0 else np.zeros(len(pool))
    return {a.id: float(s) for a, s in zip(pool, scores, strict=True)}


def central_article(articles: Sequence[Article], copies: Iterable[str] = ()) -> Article | None:
    """The original article closest to what the story's articles say together (ties: earliest)."""
    pool = [a for a in _originals(articles, copies) if a.title] or _originals(articles, copies)
    if not pool:
        return None
    scores = _article_scores(pool)
    best = max(
        range(len(pool)),
        key=lambda i: (round(float(scores[i]), 6), _neg(article_date(pool[i])), _neg(pool[i].id)),
    )
    return pool[best]


def _neg(value: str) -> tuple[int, ...]:
    """Reverse string order inside a max() key (earliest date or smallest id wins ties)."""
    return tuple(-ord(c) for c in (value or "\uffff"))


def story_title(articles: Sequence[Article], copies: Iterable[str] = ()) -> str:
    """The headline of the most central original article, else the lead of its text."""
    article = central_article(articles, copies)
    if article is None:
        return ""
    if article.title:
        return " ".join(article.title.split())
    lead = " ".join(article.text.split())
    return lead if len(lead) <= 90 else lead[:89].rsplit(" ", 1)[0] + "…"


def summarise(
    articles: Sequence[Article],
    copies: Iterable[str] = (),
    *,
    max_sentences: int = 3,
    diversity: float = 0.3,
    redundancy: float = 0.5,
    lead_bonus: float = 0.15,
) -> list[SummarySentence]:
    """A short extractive summary of one story (see the module doc); each sentence cites.

    ``diversity`` is 1 − λ of MMR; a sentence whose cosine with one already picked exceeds
    ``redundancy`` is never picked; ``lead_bonus`` is the extra weight of an article's first
    sentence, fading over the next ones.
    """
    pool = _originals(articles, copies)
    rows: list[tuple[Article, int, int, int]] = []
    for article in pool:
        for position, start, end in candidate_sentences(article):
            rows.append((article, position, start, end))
    if not rows:
        return []
    matrix = _vectorise([a.text[s:e] for a, _, s, e in rows])
    if matrix is None:
        return []
    norms = np.linalg.norm(matrix, axis=1)
    unit = matrix / np.where(norms > 0, norms, 1.0)[:, None]
    centroid = unit.mean(axis=0)
    c_norm = np.linalg.norm(centroid)
    centrality = unit @ centroid / c_norm if c_norm > 0 else np.zeros(len(rows))
    prior = np.array([1.0 + lead_bonus / (1 + pos) for _, pos, _, _ in rows])
    relevance = centrality * prior
    # MMR over every sentence at once: each pick updates every sentence's overlap with the
    # picked ones (one matrix-vector product), instead of a Python loop over sentences and
    # picks (that loop, and the tie-break keys it built, were half of a story refresh)
    picked: list[int] = []
    open_ = norms > 0
    overlap = np.zeros(len(rows))
    while len(picked) < max_sentences:
        candidates = np.flatnonzero(open_ & (overlap <= redundancy))
        if not len(candidates):
            break
        values = (1 - diversity) * relevance[candidates] - diversity * overlap[candidates]
        top = values.max()
        # ties: the earliest-sorting article id, then the earliest sentence
        best = int(max(candidates[values == top], key=lambda i: (_neg(rows[i][0].id), -rows[i][2])))
        picked.append(best)
        open_[best] = False
        overlap = np.maximum(overlap, unit @ unit[best])
    chosen = sorted(picked, key=lambda i: (article_date(rows[i][0]), rows[i][0].id, rows[i][2]))
    return [
        SummarySentence(
            text=rows[i][0].text[rows[i][2] : rows[i][3]],
            article_id=rows[i][0].id,
            start=rows[i][2],
            end=rows[i][3],
            score=round(float(relevance[i]), 4),
        )
        for i in chosen
    ]


def storyline_summary(
    stories: Sequence[Mapping[str, Any]], *, max_sentences: int = 6
) -> list[dict[str, Any]]:
    """Lead sentence of each of a storyline's main stories, in time order; each cites.

    ``stories`` are rows with ``id``, ``first_seen``, ``n_articles`` and ``summary`` (a list of
    sentence dicts as :meth:`SummarySentence.as_dict` writes them). The stories with most
    articles are kept when there are more than ``max_sentences``.
    """
    with_summary = [s for s in stories if s.get("summary")]
    main = sorted(with_summary, key=lambda s: (-int(s.get("n_articles") or 0), s["id"]))
    main = main[:max_sentences]
    out = []
    for story in sorted(main, key=lambda s: (s.get("first_seen") or "", s["id"])):
        best = max(story["summary"], key=lambda x: (x.get("score", 0.0), -x["start"]))
        out.append({**best, "story_id": story["id"]})
    return out
