"""Solar Hijri (Iranian calendar) dates, as Persian outlets write them on a date line.

Why a module of its own: the calendar conversion (``persiantools``), the Persian month and
weekday names and the Persian and Arabic-Indic digits are a world of their own; the date-line
source (`storyline.extract.date_sources`) asks only whether a line is such a date.
"""

from __future__ import annotations

import re
from datetime import date

from persiantools.jdatetime import JalaliDate

from storyline.extract.date_values import valid_date

#: Persian and Arabic-Indic digits to Western ones (the Arabic date lines read them too).
EASTERN_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
_JALALI_MONTHS = (
    "فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور",
    "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند",
)  # fmt: skip
_JALALI_WEEKDAY = re.compile(
    r"^(?:شنبه|یک\u200c?\s?شنبه|دو\u200c?\s?شنبه|سه\u200c?\s?شنبه|چهار\u200c?\s?شنبه"
    r"|پنج\u200c?\s?شنبه|جمعه)[\s،,]*"
)
_JALALI_DATE = re.compile(
    rf"(?P<d>\d{{1,2}})\s+(?P<m>{'|'.join(_JALALI_MONTHS)})\s+(?P<y>1[34]\d\d)"
    r"(?:\s*(?:[-–،,|]\s*)?(?:ساعت\s*)?\d{1,2}:\d{2}(?::\d{2})?)?"
)


def jalali_to_gregorian(jy: int, jm: int, jd: int) -> date:
    """The Gregorian date of a Solar Hijri (Iranian calendar) date, by ``persiantools`` (the
    33-year rule with the official calendar's corrections). Raises ValueError for a day the
    month does not have (30 Esfand outside a leap year, 31 Mehr)."""
    return JalaliDate(jy, jm, jd).to_gregorian()


def solar_hijri_date(text: str) -> tuple[str, str] | None:
    """``(iso_day, "day")`` for a line that is only a Solar Hijri date, or None.

    "چهارشنبه ۰۴ مهر ۱۴۰۳ - ۱۱:۲۰" (Wednesday 4 Mehr 1403, 11:20) -> 2024-09-25. Persian and
    Arabic-Indic digits are read; the weekday and the time are allowed around the date.
    """
    line = " ".join(text.translate(EASTERN_DIGITS).split())
    if not line or len(line) > 80:
        return None
    match = _JALALI_DATE.fullmatch(_JALALI_WEEKDAY.sub("", line))
    if match is None:
        return None
    jm = _JALALI_MONTHS.index(match.group("m")) + 1
    try:
        found = jalali_to_gregorian(int(match.group("y")), jm, int(match.group("d")))
    except ValueError:  # a day the month does not have
        return None
    return (found.isoformat(), "day") if valid_date(found.year) else None
