"""OPML import and export: how feed readers hand a list of followed feeds to each other.

Parsed with defusedxml (an OPML file from elsewhere is untrusted XML: no DTDs, no entities).
Nested outlines are folders; their titles become tags on the feeds inside them.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from storyline.errors import InputError

#: OPML files larger than this are refused before parsing.
MAX_OPML_BYTES = 5_000_000


@dataclass
class Outline:
    url: str
    name: str | None = None
    kind: str = "feed"
    tags: list[str] = field(default_factory=list)


def read_opml(data: bytes, source: str) -> list[Outline]:
    """The feeds listed in an OPML document (``xmlUrl`` outlines), folders as tags."""
    if len(data) > MAX_OPML_BYTES:
        raise InputError(source, f"OPML larger than {MAX_OPML_BYTES:,} bytes; refused")
    try:
        root = SafeET.fromstring(data, forbid_dtd=True)
    except (ET.ParseError, DefusedXmlException, ValueError) as exc:
        raise InputError(source, f"not a valid OPML document: {exc}") from exc
    if root.tag.lower() != "opml":
        raise InputError(source, f"not an OPML document (root element <{root.tag}>)")
    body = root.find("body")
    if body is None:
        raise InputError(source, "OPML document has no <body>")
    found: list[Outline] = []

    def walk(node: Any, folders: list[str]) -> None:
        for child in node.findall("outline"):
            url = (child.get("xmlUrl") or child.get("xmlurl") or "").strip()
            title = (child.get("title") or child.get("text") or "").strip() or None
            if url:
                kind = "sitemap" if (child.get("type") or "").lower() == "sitemap" else "feed"
                tags = [t for t in (child.get("category") or "").replace("/", ",").split(",")]
                found.append(
                    Outline(
                        url,
                        title,
                        kind,
                        sorted({*folders, *(t.strip() for t in tags if t.strip())}),
                    )
                )
            else:
                walk(child, [*folders, title] if title else folders)

    walk(body, [])
    return found


def write_opml(sources: Iterable[Mapping[str, Any]], title: str = "storyline sources") -> bytes:
    """An OPML 2.0 document of the followed feeds and sitemaps (tags as ``category``)."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    body = ET.SubElement(root, "body")
    for s in sources:
        attrs = {
            "type": "sitemap" if s.get("kind") == "sitemap" else "rss",
            "text": s.get("name") or s["url"],
            "title": s.get("name") or s["url"],
            "xmlUrl": s["url"],
        }
        if s.get("tags"):
            attrs["category"] = ",".join(s["tags"])
        ET.SubElement(body, "outline", attrs)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
