"""The event coder's own word lists and bounds: clause stops, place and link words, windows.

Unlike the PLOVER dictionary these are grammar, not vocabulary: the same for every category."""

from __future__ import annotations

from storyline.article import ACTOR_LABELS

#: Who can be an event's source or target: actors, and countries acting as states ("Iran said").
AGENT_LABELS = ACTOR_LABELS | {"GPE"}
PLACE_WORDS = frozenset({"in", "at", "near", "inside", "outside", "across", "around", "into"})
BE_WORDS = frozenset({"was", "were", "been", "being", "is", "are", "be", "got", "get", "gets"})
#: Tokens a clause never reaches across when looking for a source or target.
HARD_STOPS = frozenset({";", ":", '"', "“", "”", "—", "–", "-", "?", "!"})
#: Words that open another clause: the search for an actor stops there if it has found none.
SOFT_STOPS = frozenset(
    {
        "that",
        "which",
        "whom",
        "whose",
        "because",
        "while",
        "although",
        "though",
        "but",
        "whereas",
        "if",
        "unless",
        "after",
        "before",
        "when",
    }
)
#: Reporting verbs end the search for a target ("condemned the attack and said Pakistan ...").
#: "during", "amid" open the setting ("during a meeting on the sidelines of the X Forum"): a name
#: there is where or when, not whom.
FORWARD_STOPS = SOFT_STOPS | frozenset(
    {"said", "says", "told", "added", "saying", "stressed", "during", "amid"}
)
#: Between a possessor and the actor it qualifies ("China's Xi Jinping"), none of these.
LINK_WORDS = frozenset(
    {
        "to",
        "of",
        "for",
        "and",
        "or",
        "with",
        "in",
        "on",
        "at",
        "by",
        "from",
        "against",
        "over",
        "about",
        ",",
        "that",
        "which",
        "who",
    }
)
#: Before an -ing form, these make it a verb ("after meeting X"); anything else, a noun.
ING_VERB_BEFORE = BE_WORDS | frozenset(
    {
        "after",
        "before",
        "while",
        "by",
        "of",
        "for",
        "in",
        "on",
        "without",
        "from",
        "about",
        "and",
        ",",
        "not",
        "continue",
        "continues",
        "continued",
        "keep",
        "keeps",
        "kept",
        "started",
        "began",
    }
)
TARGET_PREPS = frozenset(
    {"on", "against", "with", "to", "toward", "towards", "between", "for", "upon", "from"}
)
#: Categories where "X and Y <verb>" codes X -> Y even when an object follows.
SYMMETRIC = frozenset({"AGREE", "CONSULT", "COOPERATE"})

MAX_GAP = 5
SOURCE_WINDOW = 25
TARGET_WINDOW = 15
ABSORB_WINDOW = 10
MODIFIER_WINDOW = 5
#: Sentences longer than this (tokens) are link dumps or run-ons, not reporting: left uncoded.
MAX_SENTENCE_TOKENS = 200
MAX_EVIDENCE_CHARS = 1000
DATE_WINDOW_CHARS = 160
