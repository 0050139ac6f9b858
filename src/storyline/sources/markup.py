"""What every reader of an HTML page needs before lxml parses it.

Why here: the sources (a fetched page's canonical link) and the extractor (its date readers and
page edits) both parse pages, and the extractor may use the sources' helpers but not the reverse
(tests/test_architecture.py), so the one rule they share lives in the lower package.
"""

from __future__ import annotations

import re

__all__ = ["without_xml_declaration"]

#: An XHTML page's ``<?xml version="1.0" encoding="utf-8"?>``, before anything else.
_XML_DECLARATION = re.compile(r"^\ufeff?\s{0,200}<\?xml[^>]{0,200}\?>")


def without_xml_declaration(html: str) -> str:
    """The page without its XML declaration: lxml refuses a decoded string that declares an
    encoding (ValueError), so an XHTML page of the 2000s would not be parsed at all."""
    return _XML_DECLARATION.sub("", html, count=1)
