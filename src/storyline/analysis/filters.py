"""Checking filter values the same way for every listing (CLI options, API parameters, page
URLs): a bad value is an error naming the filter (E803), never an empty result that reads as
"nothing happened"."""

from __future__ import annotations

import re
from datetime import date

from storyline.errors import QueryError

_DAY = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def check_day(option: str, value: str | None, *, partial: bool = False) -> str | None:
    """``value`` if it is a real ``YYYY-MM-DD`` date (or, with ``partial``, ``YYYY-MM`` or
    ``YYYY``); None for no value."""
    if value is None or value == "":
        return None
    text = value.strip()
    ok = bool(_DAY.match(text)) and (partial or len(text) == 10)
    if ok:
        parts = [int(p) for p in text.split("-")] + [1, 1]
        try:
            date(parts[0], parts[1], parts[2])
        except ValueError:
            ok = False
    if not ok:
        shapes = "YYYY-MM-DD (or YYYY-MM, YYYY)" if partial else "YYYY-MM-DD"
        raise QueryError(f"{option}: {value!r} is not a date; give {shapes}", code="E803")
    return text
