"""What story clustering compares: one article's features, the settings, and the date rule.

The incremental clusterer (`storyline.cluster.story_clusterer`) and the order-independent rebuild
(`storyline.cluster.story_rebuild`) both score with these, so they live below both of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np

from storyline.cluster.sparse import SparseVector
from storyline.config import shipped

__all__ = [
    "ClusterSettings",
    "Features",
    "StoryDoc",
    "date_factor",
    "day_number",
    "embed_boost",
    "interval_gap",
    "near_boost",
    "near_days",
]


@dataclass
class StoryDoc:
    """What story clustering reads from one article (no store, no pipeline objects)."""

    id: str
    text: str
    title: str = ""
    date: str | None = None  # ISO date (or datetime) of publication, when known
    date_not_before: str | None = None  # lower bound when only that is known
    actors: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    embedding: np.ndarray | None = None
    #: ISO 639-1 code of the text when known: an embedder trained on some languages embeds only
    #: those (`storyline.update.story_state.embed_docs`).
    language: str | None = None
    #: Ids of articles this one shares its text with (its copies): an undated article may join
    #: their stories however old they are, as it joined them when they were new.
    copies: list[str] = field(default_factory=list)


@dataclass
class ClusterSettings:
    """Settings of story clustering. Defaults were chosen on ECB+ train topics, checked on dev.

    The fields that are also user settings (``[stories]``) take their defaults from the shipped
    settings.toml, where they are written once."""

    #: Minimum similarity (0..1) of an article to a story for it to join; also the rebuild's cut.
    threshold: float = field(default_factory=shipped("stories", "threshold"))
    #: Weight of the TF-IDF cosine over terms (what the article is about).
    text_weight: float = 0.5
    #: Weight of the TF-IDF cosine over names, numbers, actors and places (which happening).
    names_weight: float = 0.5
    #: Weight of the embedding cosine (meaning beyond shared words), when embeddings are given.
    #: Off by default: the store gives no embeddings, and WordLlama at 0.2 was worse than none on
    #: ECB+ train and dev in both modes (docs/clustering.md). Set it (0.2) to use embeddings.
    embed_weight: float = 0.0
    #: Embedding cosines below this count as 0: unrelated news already scores about this high.
    embed_floor: float = 0.7
    #: Dated articles this many days apart or closer are not penalised (reports trail a happening).
    date_grace_days: float = field(default_factory=shipped("stories", "date_grace_days"))
    #: Dated articles within ``date_grace_days`` of each other have their similarity multiplied
    #: by this (against a story: within the grace days of its nearest day and within `NEAR_SPAN`
    #: grace periods of every one of its days): reports of one happening on the same days share
    #: a few names and numbers but paraphrase the rest. A story whose days spread wider boosts
    #: no one, so a long story never becomes a magnet; undated articles (a lower bound
    #: included) are never boosted.
    date_near_boost: float = field(default_factory=shipped("stories", "date_near_boost"))
    #: The embedder the store embeds articles with for the boost below (`storyline.cluster.embed`:
    #: "auto", "wordllama", "minilm", "none"); the clusterer itself reads only the vectors it is
    #: given.
    embedder: str = field(default_factory=shipped("stories", "embedder"))
    #: When both sides carry embeddings, the same-week boost follows their cosine instead: 1
    #: (no boost) at ``near_embed_low`` and below, rising to ``near_embed_boost`` at
    #: ``near_embed_high`` and above. Reports of one happening on the same days paraphrase each
    #: other (median WordLlama cosine .46-.59 on our dated sets) while two happenings of those
    #: days do not (.08-.17), so the boost goes to the first and no longer to the second
    #: (docs/clustering.md, round 12). ``near_embed_boost`` 0 keeps the flat boost.
    near_embed_boost: float = 3.0
    near_embed_low: float = 0.2
    near_embed_high: float = 0.5
    #: A dated article with an embedding also scores the ``near_candidates`` stories of its own
    #: days (within the grace period) whose embeddings are closest to its own (cosine at least
    #: ``near_embed_low``), among the ``near_scan`` most recently updated stories of those days:
    #: a paraphrasing report shares too few strong words with its story for the key index to
    #: find it (round 12). 0 turns it off.
    near_candidates: int = 8
    near_scan: int = 256
    #: Beyond the grace period, similarity halves every this many days.
    date_half_life_days: float = field(default_factory=shipped("stories", "date_half_life_days"))
    #: Against a story, the half-life is at least this share of the story's own span (its first
    #: to its last day): a happening already told over weeks pauses for weeks between bursts (a
    #: trial's hearings, a takeover's bids), while a one-week happening's look-alike a month
    #: later is another happening. Pairs of articles have no span (docs/clustering.md round 21).
    date_span_share: float = field(default_factory=shipped("stories", "date_span_share"))
    #: Dated articles further apart than this never share a story.
    max_gap_days: float = field(default_factory=shipped("stories", "max_gap_days"))
    #: An article (or story) whose content similarity to a story, before the date factor,
    #: reaches this is not decayed by the gap (up to ``max_gap_days``): a happening that runs
    #: for weeks (a strike, a trial, a hostage ordeal) is told with the same particulars in
    #: every report, while two happenings of one topic weeks apart mostly share its words
    #: (docs/clustering.md, round 16). 0 turns it off.
    date_strong: float = field(default_factory=shipped("stories", "date_strong"))
    #: Beyond ``max_gap_days`` and up to this, a report whose content similarity reaches
    #: ``date_strong`` still joins a story of at least ``far_min_story`` reports: a happening
    #: told in bursts (a crash and its investigators' report, a takeover's bids) pauses for
    #: months. Smaller stories are never reached that far: chains of one happening of a
    #: storyline into the next start from them in some arrival orders (round 22). 0: off.
    far_gap_days: float = field(default_factory=shipped("stories", "far_gap_days"))
    far_min_story: int = 3
    #: With ``far_gap_days`` set, the days a story must already span (first to last dated
    #: report) to be reached beyond ``max_gap_days``: a happening told in bursts has run for a
    #: while, a storyline's one-day burst has not, and its next happening months later is another
    #: (round 23). 0: any story of ``far_min_story`` reports.
    far_min_span: float = field(default_factory=shipped("stories", "far_min_span"))
    #: Stories whose newest article is more than this many days older than the newest article
    #: seen leave memory (the candidate index) for an archive, and come back when a late article
    #: dated within ``max_gap_days`` of them arrives. Keeps the cost of an article flat however
    #: long the feed runs; 0 keeps every story in memory. Must exceed the furthest reach
    #: (`reach_days`), with a margin: one day more brings stories back for every article dated a
    #: day before the newest (round 21).
    active_days: float = field(default_factory=shipped("stories", "active_days"))
    #: Drop titles and offices ("Foreign Minister", "President") from name runs: they open
    #: names but do not tell two happenings of one topic apart.
    strip_titles: bool = True
    #: Title words count this many times in the term and name channels.
    title_repeat: int = 2
    #: How many of an article's strongest terms and names its story is indexed by.
    index_keys: int = 16
    #: How many of them an article looks candidate stories up by: more than a story is indexed
    #: by, so a report whose strongest words (a title's, a quote's) are not its story's still
    #: finds it (the sample corpus: a follow-up scoring 0.378 against its story, twice the
    #: threshold, was never scored at 16). Round 9 in docs/clustering.md.
    lookup_keys: int = 24
    #: Stories kept per index key (most recently updated first); bounds the cost of ``add``.
    postings_per_key: int = 400
    #: How many candidate stories (most shared keys) are scored for one article.
    candidates: int = 40
    #: Joining a story of n articles needs ``threshold + small_story_margin / n``: one article is
    #: a noisier witness than many, and this keeps the incremental mode close to the rebuild.
    small_story_margin: float = 0.03
    #: Merge two stories when an article shows their average link reaches the threshold (off:
    #: on ECB+ it merged more wrong pairs than right ones).
    merge_stories: bool = False
    #: Merge two **dated** stories when an article shows their average link reaches the
    #: threshold without the same-week boost (`StoryClusterer._mergeable`): two halves of one
    #: happening that arrived apart (a tournament's first and second week, an election's two
    #: rounds) become one; undated stories and the boost's look-alikes are left alone
    #: (docs/clustering.md round 19; on since round 20).
    merge_dated: bool = field(default_factory=shipped("stories", "merge_dated"))
    #: ``merge_dated`` leaves two stories further apart than this alone: beyond it a report
    #: joins a paused happening only by its own strong similarity (``date_strong``), never by
    #: two stories' average (round 20: with a 90-day window it joined a dust storm's story
    #: with a dam opening's 63 days later, in one of four orders of the sample corpus).
    merge_gap_days: float = 45.0
    #: Only stories that scored at least this share of the threshold with the article are probed.
    merge_probe: float = 0.6
    #: Terms kept per story centroid; the weakest are pruned beyond this (bounds memory).
    max_story_terms: int = 1500
    #: The first sentences of the text count once more (news states the happening in its lead).
    lead_sentences: int = 2
    #: Soft "cannot link": similarity is multiplied by ``1 - conflict_penalty * share`` for each
    #: signature kind (years, ages, magnitudes, death tolls), where ``share`` is the share of the
    #: other side's articles that state values of that kind and none of this article's values.
    conflict_penalty: float = 0.5
    #: Also a signature kind per country: the linked people (gazetteer persons with a country)
    #: an article names as acting for it. Two meetings of the same two countries rarely have the
    #: same cast on one side.
    people_conflicts: bool = True
    #: Distinct signature value sets remembered per story and kind (bounds memory).
    max_story_signatures: int = 32
    #: Local repair of the incremental mode: each story keeps the vectors of its last
    #: ``repair_members`` articles, and after an article joins a story the recent members of that
    #: story and of its ``repair_candidates`` closest rivals are re-scored; a member that now
    #: fits the other story better moves (``take_moves``). 0 turns the repair off.
    repair_members: int = 16
    #: How many rival stories (the best-scoring others for the new article) the repair visits.
    repair_candidates: int = 3
    #: A recent member that no longer reaches its own story (without itself) and fits no rival
    #: leaves it to start a story of its own.
    repair_evict: bool = True
    #: After each batch (`StoryClusterer.settle`), how many passes re-ask each of its articles
    #: where it belongs, against the stories its index keys return. 0 turns it off.
    settle_passes: int = 2
    #: After each batch, a lone article joins the story of two or more articles it scores best
    #: with when that reaches this share of the threshold and ``settle_ratio`` times its next
    #: best candidate (one clear home, not two happenings of a topic). 1.0 turns it off. 0.5
    #: since round 10 (docs/clustering.md): the lead over the next candidate is what decides.
    settle_lone: float = 0.5
    #: How far the best story must lead the next candidate for a lone article to join it.
    settle_ratio: float = 1.5
    #: After each batch, the lone articles of earlier batches among the batch's candidate
    #: stories are asked again (the same move and adoption rules): their happening may have
    #: grown since their own batch. False leaves them where their batch settled them.
    settle_revisit: bool = True
    #: Eviction leaves a member below the threshold that the adoption rule would place in its
    #: story now (``settle_lone``, ``settle_ratio``): as a burst grows, its average link to a
    #: paraphrasing report falls below the threshold while no rival wants that report, and
    #: evicting it only strands a report the next settle would adopt again (round 18). False
    #: evicts it on the threshold alone.
    evict_adopted: bool = True
    #: After each batch, a story the batch touched gives up a group of at least this many of
    #: its recent members that forms a second happening (`storyline.cluster.story_split`).
    #: 0 (the default) turns the split off; 2 turns it on (docs/clustering.md, rounds 5, 6).
    split_min_group: int = 0
    #: The group leaves when its average link to the rest of the story is below this share of
    #: the threshold (1.0: where the rebuild's average link would not join them).
    split_link: float = 1.0
    #: After each batch, the stories its articles sit in and, per article, this many of its
    #: best-scoring other stories are clustered again with the rebuild's average link
    #: (`storyline.cluster.story_regroup`). Stories holding more than ``repair_members``
    #: articles are left as they are (their older members' vectors are not kept).
    regroup_rivals: int = 3
    #: Only rival stories scoring at least this share of the threshold join the neighbourhood.
    regroup_probe: float = 0.5
    #: At most this many articles are regrouped after one batch (bounds the work); 0 turns the
    #: regroup off. It pulls the incremental result towards the rebuild, which narrows the
    #: spread over orders and helps undated news (docs/clustering.md, rounds 5, 8 and 10).
    regroup_max_articles: int = 600
    #: Whether every story takes part in the regroup, however many of its members are dated.
    #: Off (the default): on dated news the incremental mode with the same-week boost is above
    #: the rebuild, and regrouping dated stories lowers it (rounds 8 and 10).
    regroup_dated: bool = False
    #: Unless ``regroup_dated``, a story takes part when at most this share of its members is
    #: dated: undated stories, and the mixed ones of an archive whose dates were read from only
    #: some texts, where the same-week boost has little to say (round 13). 0: only stories
    #: none of whose members is dated (rounds 10-12 also left out a story whose dated member
    #: had since left it).
    regroup_dated_share: float = 0.5
    #: Where the average-link tree (the rebuild's, the regroup's) joins two groups of at least
    #: this many articles, it does not when each group has a **subject** the other never
    #: names: a name in the title or lead of at least ``subject_lead_share`` of its articles
    #: and in at least ``subject_share`` of them, which no article of the other group names.
    #: Two look-alike happenings of one topic (two missile tests, two strikes at two ports)
    #: share every topic word but each is told by its own place or person; two halves of one
    #: happening name each other's subject somewhere. Groups mostly of dated articles are left
    #: to the date rule. 0 turns it off (round 14).
    subject_min_group: int = 3
    subject_share: float = 2 / 3
    subject_lead_share: float = 0.5


def day_number(value: str | None) -> int | None:
    """Day number of an ISO date or datetime string, ``None`` when absent or unreadable."""
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10]).toordinal()
    except ValueError:
        return None


#: A story boosts an article only when every one of its days lies within this many grace periods
#: of the article (two: eight days with the shipped four, round 19), so a story that has run for
#: weeks never becomes a magnet for whatever is dated inside its range.
NEAR_SPAN = 2.0


def near_boost(cosine: float | None, settings: ClusterSettings) -> float:
    """The same-week boost for a pair (or an article and a story) whose mean embedding cosine is
    ``cosine``: the flat ``date_near_boost`` without embeddings, else rising from 1 at
    ``near_embed_low`` to ``near_embed_boost`` at ``near_embed_high``."""
    if cosine is None or settings.near_embed_boost <= 0:
        return settings.date_near_boost
    return float(embed_boost(cosine, settings))


def embed_boost(cosine: float | np.ndarray, settings: ClusterSettings) -> float | np.ndarray:
    """`near_boost` of a cosine, or of a matrix of them (the rebuild's pairs)."""
    span = max(1e-9, settings.near_embed_high - settings.near_embed_low)
    share = np.clip((cosine - settings.near_embed_low) / span, 0.0, 1.0)
    return 1.0 + (settings.near_embed_boost - 1.0) * share


def date_factor(
    gap_days: float | None,
    settings: ClusterSettings,
    near: bool = False,
    cosine: float | None = None,
    content: float = 0.0,
    span: float = 0.0,
    members: int = 0,
) -> float:
    """Multiplier for a gap in days between an article and a story (None: neutral, 1): 0 beyond
    ``max_gap_days``, halving after the grace period, 1 within it, the same-week boost when
    ``near`` (both dated, every day involved within the grace period of the other side;
    `near_boost` of the embedding ``cosine`` when there is one). A ``content`` similarity of
    at least ``date_strong`` (when set) is not decayed within ``max_gap_days``. ``span``: the
    story's own days from first to last, which lengthen the half-life (``date_span_share``).
    ``members``: the story's reports, which decide whether it is reached beyond ``max_gap_days``
    (`far_reach`)."""
    if gap_days is None:
        return 1.0
    if gap_days > settings.max_gap_days:
        far = gap_days <= far_reach(settings, members, span)
        return 1.0 if far and 0 < settings.date_strong <= content else 0.0
    excess = gap_days - settings.date_grace_days
    if excess <= 0:
        return near_boost(cosine, settings) if near else 1.0
    if 0 < settings.date_strong <= content:
        return 1.0
    half = max(settings.date_half_life_days, settings.date_span_share * span)
    return 0.5 ** (excess / half)


def far_reach(settings: ClusterSettings, members: int, span: float = 0.0) -> float:
    """How many days apart a story of ``members`` reports spanning ``span`` days may still take a
    report: the window, or ``far_gap_days`` for a story large and long enough (only by content
    of ``date_strong`` or more)."""
    if (
        members >= settings.far_min_story
        and span >= settings.far_min_span
        and settings.far_gap_days > settings.max_gap_days
    ):
        return settings.far_gap_days
    return settings.max_gap_days


def reach_days(settings: ClusterSettings) -> float:
    """The furthest any story may take a report: how long stories must stay findable."""
    return max(settings.max_gap_days, settings.far_gap_days)


def near_days(day: int | None, lo: int | None, hi: int | None, settings: ClusterSettings) -> bool:
    """Whether a dated article lies within `NEAR_SPAN` grace periods of every day from ``lo`` to
    ``hi`` (a story's first and last days): the reports of one happening's first week. The
    boost also needs the date factor's own test, the article within the grace period of the
    story's nearest day (`date_factor`)."""
    if day is None or lo is None or hi is None:
        return False
    return max(abs(day - lo), abs(day - hi)) <= NEAR_SPAN * settings.date_grace_days


def interval_gap(day: int | None, bound: int | None, lo: int | None, hi: int | None) -> int | None:
    """Days between an article (date or lower bound) and a story's date range, None if unknown."""
    if lo is None or hi is None:
        return None
    if day is not None:
        return max(0, lo - day, day - hi)
    if bound is not None:
        return max(0, bound - hi)  # published no earlier than ``bound``
    return None


@dataclass
class Features:
    """One article's weighed vectors."""

    terms: SparseVector
    names: SparseVector
    embedding: np.ndarray | None
    day: int | None
    bound: int | None
    signature: dict[str, frozenset[str]] = field(default_factory=dict)
    #: The hashed ids (as in ``names``) of the names in its title and lead, numbers left out,
    #: sorted: what the article says the happening is about (`story_rebuild`'s subject test).
    #: An array, not a set: every story keeps its recent members' features in memory.
    subject: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    #: Stories an undated article reaches beyond the active window: those of its copies. Known
    #: while it is added, not kept in the state.
    reach: frozenset[str] = frozenset()
