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
#: Afghanistan's names of the same twelve months: Dari writes the zodiac's (Hamal, Sawr, Jawza
#: …), Pashto its own; an Afghan date line is "شنبه، ۱۲ سنبله ۱۴۰۱" (Saturday 12 Sunbula 1401).
_AFGHAN_MONTHS = (
    ("حمل",), ("ثور",), ("جوزا", "جوزای"), ("سرطان",), ("اسد",), ("سنبله",),
    ("میزان",), ("عقرب",), ("قوس",), ("جدی",), ("دلو",), ("حوت",),
)  # fmt: skip
_PASHTO_MONTHS = (
    ("وری",), ("غویی", "غوایی"), ("غبرگولی",), ("چنګاښ", "چنگاښ"), ("زمری",), ("وږی",),
    ("تله",), ("لړم",), ("لیندۍ", "لیندی"), ("مرغومی", "مرغومې"), ("سلواغه",), ("کب",),
)  # fmt: skip
#: Every month name -> its number (1 for Farvardin, Hamal and Wray).
_MONTH_NUMBER = {
    name: n
    for table in ([(m,) for m in _JALALI_MONTHS], _AFGHAN_MONTHS, _PASHTO_MONTHS)
    for n, names in enumerate(table, start=1)
    for name in names
}
_JALALI_WEEKDAY = re.compile(
    r"^(?:شنبه|یک\u200c?\s?شنبه|دو\u200c?\s?شنبه|سه\u200c?\s?شنبه|چهار\u200c?\s?شنبه"
    r"|پنج\u200c?\s?شنبه|جمعه"
    # Pashto: Saturday … Friday
    r"|خالي\s?ورځ|اتوار|ګل\s?ورځ|نهه\s?ورځ|شورو\s?ورځ|زیارت\s?ورځ|جمعه)[\s،,]*"
)
#: A clock time after the date: "، ۲۱:۳۴", " - ساعت ۱۱:۲۰".
_TIME = r"(?:\s*(?:[-–،,|]\s*)?(?:ساعت\s*)?\d{1,2}:\d{2}(?::\d{2})?)?"
#: The calendar's mark after the year: "هـ.ش", "ه.ش", "هجری شمسی", "ش" (solar Hijri).
_SOLAR_MARK = r"(?:\s?(?:هـ?\u200d?\s?\.?\s?ش\.?|هجری\s+(?:شمسی|خورشیدی)|ش\.?))?"
_MONTH_NAMES = "|".join(sorted(_MONTH_NUMBER, key=len, reverse=True))
_JALALI_DATE = re.compile(
    rf"(?P<d>\d{{1,2}})\s+(?P<m>{_MONTH_NAMES})\s+(?P<y>1[34]\d\d){_SOLAR_MARK}{_TIME}"
)
#: The numeric form, year first: "۱۳۹۱/۱۰/۲۰" (20 Dey 1391), "1401-06-12 هـ.ش". A year from 1300
#: to 1499 written first is no Gregorian year; a lunar Hijri date of those years carries its
#: own mark ("هـ" without "ش") and is not read, nor one in Arabic-Indic digits (Persian writes
#: its own, "۱۳۹۱"; an Arabic page's "١٤٠٠/٠٥/١٢" is a lunar date of 1980).
_JALALI_NUMERIC = re.compile(
    rf"(?P<y>1[34]\d\d)(?P<sep>[/.-])(?P<m>\d{{1,2}})(?P=sep)(?P<d>\d{{1,2}}){_SOLAR_MARK}{_TIME}"
)


def jalali_to_gregorian(jy: int, jm: int, jd: int) -> date:
    """The Gregorian date of a Solar Hijri (Iranian calendar) date, by ``persiantools`` (the
    33-year rule with the official calendar's corrections). Raises ValueError for a day the
    month does not have (30 Esfand outside a leap year, 31 Mehr)."""
    return JalaliDate(jy, jm, jd).to_gregorian()


def solar_hijri_date(text: str) -> tuple[str, str] | None:
    """``(iso_day, "day")`` for a line that is only a Solar Hijri date, or None.

    "چهارشنبه ۰۴ مهر ۱۴۰۳ - ۱۱:۲۰" (Wednesday 4 Mehr 1403, 11:20) -> 2024-09-25; Afghanistan's
    Dari and Pashto month names ("۱۲ سنبله ۱۴۰۱"), and the numeric form year first ("۱۳۹۱/۱۰/۲۰
    هـ.ش"). Persian and Arabic-Indic digits are read; the weekday, the calendar's mark and the
    time are allowed around the date.
    """
    arabic_digits = any("\u0660" <= ch <= "\u0669" for ch in text)
    line = " ".join(text.translate(EASTERN_DIGITS).split())
    if not line or len(line) > 80:
        return None
    line = _JALALI_WEEKDAY.sub("", line)
    match = _JALALI_DATE.fullmatch(line)
    if match is not None:
        jy, jm = int(match.group("y")), _MONTH_NUMBER[match.group("m")]
    else:
        match = _JALALI_NUMERIC.fullmatch(line)
        if match is None or arabic_digits:
            return None  # an Arabic page's numeric date "١٤٠٠/٠٥/١٢" is a lunar one
        jy, jm = int(match.group("y")), int(match.group("m"))
        if jy > JalaliDate.today().year:
            return None  # a lunar Hijri year (1440s), not yet a solar one
    try:
        found = jalali_to_gregorian(jy, jm, int(match.group("d")))
    except ValueError:  # a day the month does not have, a month past 12
        return None
    return (found.isoformat(), "day") if valid_date(found.year) else None
