"""The words and patterns quote attribution reads: speech cues, speaker nouns, fillers, bounds.

Plain data for `storyline.nlp.quotes` and its rule modules; no lemmatiser runs in the pipeline,
so every inflection is spelled out. Every regex is linear (no nested quantifiers)."""

from __future__ import annotations

import re

# -- lexicons ---------------------------------------------------------------------------------

#: Speech and statement verbs (all inflections spelled out: no lemmatiser in the pipeline).
CUE_VERBS: frozenset[str] = frozenset(
    """
    say says said saying tell tells told telling add adds added adding states stated
    remark remarks remarked note notes noted explain explains explained assert asserts asserted
    announce announces announced declare declares declared stress stresses stressed stressing
    underline underlines underlined underlining underscore underscores underscored
    emphasise emphasises emphasised emphasising emphasize emphasizes emphasized emphasizing
    insist insists insisted insisting warn warns warned warning argue argues argued claim claims
    claimed maintain maintains maintained urge urges urged acknowledge acknowledged admit admits
    admitted confirm confirms confirmed deny denies denied reply replies replied respond responds
    responded continue continued conclude concluded suggest suggests suggested write writes
    wrote tweet tweets tweeted post posted affirm affirms affirmed reiterate reiterates
    reiterated vow vows vowed pledge pledged promise promised predict predicted allege alleged
    accuse accused complain complained caution cautioned observe observed recall recalled
    indicate indicated report reported reveal revealed mention mentioned
    """.split()
)
#: Cues too common in other senses ("maintained its embassy") to stand without "that" in
#: indirect speech; after a quote they are fine ("…," he continued).
WEAK_CUES = frozenset(
    {
        "maintain",
        "maintains",
        "maintained",
        "report",
        "reported",
        "indicate",
        "indicated",
        "observe",
        "observed",
        "reveal",
        "revealed",
        "post",
        "posted",
        "note",
        "noted",
        "mention",
        "mentioned",
        "promise",
        "promised",
        "continue",
        "continued",
        "predict",
        "predicted",
        "recall",
        "recalled",
        "write",
        "writes",
        "wrote",
        "confirm",
        "confirmed",
        "pledge",
        "pledged",
        "vow",
        "vowed",
        "complain",
        "complained",
        "accuse",
        "accused",
    }
)
#: Cues that take the addressee right after them ("told reporters that ...").
ADDRESSEE_CUES = frozenset(
    {"tell", "tells", "told", "telling", "urge", "urges", "urged", "warn", "warned", "warns"}
)
#: Cues that, alone before a quote, usually continue the previous speaker.
CONTINUATION_CUES = frozenset({"added", "adds", "continued", "concluded", "went"})
#: ``-ing`` cues after a comma take the sentence's subject as speaker.
PARTICIPLE_CUES = frozenset(
    {
        "saying",
        "stressing",
        "adding",
        "noting",
        "warning",
        "insisting",
        "emphasising",
        "emphasizing",
        "underlining",
        "arguing",
        "telling",
    }
)

PRONOUNS: dict[str, str] = {"he": "m", "she": "f", "they": "p", "we": "p", "i": "s", "it": "n"}
#: Person roles: "the minister said" resolves to the last person introduced with that role.
PERSON_ROLES: frozenset[str] = frozenset(
    """
    spokesman spokeswoman spokesperson minister president envoy ambassador official leader chief
    secretary premier chancellor diplomat commander general governor mayor director chairman
    chairwoman chair head representative counterpart deputy adviser advisor lawmaker senator
    mp prosecutor judge cleric king queen prince emir sheikh officer negotiator delegate
    commissioner analyst expert researcher economist professor doctor resident witness farmer
    trader driver activist lawyer founder owner manager executive coordinator administrator
    shopkeeper worker elder pilgrim smuggler student teacher nurse engineer journalist reporter
    source
    """.split()
)
#: Institutions and documents that speak without being a person.
BODY_ROLES: frozenset[str] = frozenset(
    """
    ministry office government statement website presidency embassy agency police army military
    council committee commission court parliament administration department authority
    authorities media report reports newspaper broadcaster tv television radio channel
    spokesperson's communique communiqué announcement release bureau service company group
    organisation organization union party movement mission delegation side team
    """.split()
)
GROUP_SPEAKERS: frozenset[str] = frozenset(
    """
    analysts sources officials experts diplomats observers critics residents witnesses
    people villagers farmers traders activists lawmakers authorities aides researchers
    economists leaders ministers officers reports elders workers pilgrims families
    """.split()
)
#: Words between a speaker and the cue that do not break the attribution.
FILLERS: frozenset[str] = frozenset(
    """
    also further then later earlier again reportedly repeatedly previously once has have had
    was is were are would will had has already recently separately publicly privately however
    too herself himself themselves itself on its part
    """.split()
)
TIME_WORDS: frozenset[str] = frozenset(
    """
    monday tuesday wednesday thursday friday saturday sunday today yesterday tonight week weeks
    month months year years day days morning evening afternoon night weekend january february
    march april may june july august september october november december
    """.split()
)
TIME_PREPS = frozenset(
    {"on", "in", "last", "this", "earlier", "late", "early", "over", "during", "recent", "past"}
)
TRAILING_PREPS = frozenset(
    {
        "on",
        "in",
        "at",
        "after",
        "during",
        "before",
        "while",
        "from",
        "following",
        "late",
        "earlier",
        "last",
        "this",
        "yesterday",
        "today",
        "when",
        "as",
    }
)
DETERMINERS = frozenset({"the", "a", "an", "its", "his", "her", "their", "our", "this", "that"})
#: Determiners of someone not named: "a health official", "one deputy" stay anonymous.
INDEFINITE = frozenset({"a", "an", "one", "another", "some", "several", "many"})
#: Quantifiers that stand for a group of people: "Several said …", "Many said …".
QUANTIFIERS = frozenset({"several", "many", "some", "others", "most", "few", "both", "all"})
#: Prepositions that put a place after a speaker ("diplomats in Islamabad said"): the place is
#: where the speaker is, not who speaks.
LOCATIVE_PREPS = frozenset({"in", "from", "at", "near", "of", "across", "outside", "inside"})
#: A dateline: a place at the start of a line followed by ":" or "--" (with an optional
#: country and agency: "ZABOL, Iran (AP) —").
DATELINE_AFTER_RE = re.compile(
    r"(?:,\s*[A-Z][\w .]{0,30})?(?:\s*\([A-Za-z ]{1,30}\))?\s*(?::|--|—|–)"
)
STOP_LEFT = frozenset(
    {
        "and",
        "but",
        "or",
        "which",
        "who",
        "what",
        "as",
        "while",
        "because",
        "that",
        "if",
        "when",
        "than",
    }
)


# -- patterns and bounds ----------------------------------------------------------------------

WORD_RE = re.compile(r"[A-Za-z\u00C0-\u024F][\w\u00C0-\u024F'’.\-]*|\d[\d.,]*|[^\w\s]")
CUE_RE = re.compile(r"\b(?:according\s+to|quoted|[A-Za-z]+)\b", re.IGNORECASE)
THAT_RE = re.compile(r"\bthat\b", re.IGNORECASE)
AS_SAYING_RE = re.compile(r"\bas\s+(?:saying|telling)\b", re.IGNORECASE)
NEED_RE = re.compile(r"\s*the\s+(?:need|importance|necessity)\b", re.IGNORECASE)
CAP_NAME_RE = re.compile(r"(?:[A-Z][\w'’\-]*\s){0,2}[A-Z][\w'’\-]*$")

SPEAKER_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
MAX_SPEAKER_WORDS = 9
#: How far left of a cue or quote a speaker phrase is looked for, and the longest sentence
#: read for indirect speech: bounds that keep hostile input linear.
LEFT_WINDOW = 300
MAX_SENTENCE = 3000
