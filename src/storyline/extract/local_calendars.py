"""Date lines dateparser does not read: the Ethiopian calendar in Amharic, the Khmer calendar
words and Mongolian's numeric form.

Why our own: Ethiopian sites, churches and government pages print the Ethiopian calendar's date
alone ("ማክሰኞ ጥር 12 ቀን 2012 ዓ.ም", Tuesday 21 January 2020), a calendar of thirteen months no
library we depend on converts; Cambodian sites write "ថ្ងៃព្រហស្បតិ៍ ទី២៧ ខែតុលា ឆ្នាំ២០២២" (the
27th, month October, year 2022) with Khmer month names dateparser does not know; Mongolian sites
write "2019 оны 3 сарын 12" (the year's, the third month's, 12), which no parser we use reads.
All are read to the day; the digits arrive as ASCII (`date_sources` translates every script's
digits first).
"""

from __future__ import annotations

import re
from datetime import date

__all__ = ["ethiopian_date", "khmer_date", "mongolian_date"]

#: The Ethiopian months in Amharic, with their common spellings; the thirteenth, ጳጉሜ, has five
#: days (six in the year before a leap year).
_ETHIOPIAN_MONTHS = {
    "መስከረም": 1, "ጥቅምት": 2, "ኅዳር": 3, "ህዳር": 3, "ሕዳር": 3, "ታኅሣሥ": 4, "ታህሳስ": 4,
    "ታኅሳስ": 4, "ጥር": 5, "የካቲት": 6, "መጋቢት": 7, "ሚያዝያ": 8, "ሚያዚያ": 8, "ግንቦት": 9,
    "ሰኔ": 10, "ሐምሌ": 11, "ሀምሌ": 11, "ሃምሌ": 11, "ነሐሴ": 12, "ነሃሴ": 12, "ጳጉሜ": 13, "ጳጉሜን": 13,
}  # fmt: skip
#: "ጥር 12 ቀን 2012 ዓ.ም": the month, the day, "ቀን" (day), the year and the era's mark (ዓ.ም,
#: "year of mercy"), which says the calendar is the Ethiopian one.
_ETHIOPIAN = re.compile(
    # a weekday before it ("ማክሰኞ,"), its Gregorian twin or a time in brackets after it: the line
    # is the date, not a sentence that mentions one ("ትናንት እሑድ ኅዳር 19 ቀን …")
    r"(?:[\u1200-\u137F]{2,6},?\s+)?"
    rf"({'|'.join(sorted(_ETHIOPIAN_MONTHS, key=len, reverse=True))})\s*(\d{{1,2}})\s*(?:ቀን\s*)?,?"
    r"\s*(\d{4})\s*ዓ\s?\.?\s?ም\.?(?:\s*\([^()]{1,40}\))?"
)
#: The Julian day number of 1 Meskerem of the year 1 (Amete Mihret).
_ETHIOPIAN_EPOCH = 1724221
#: A date's ordinal in Python's calendar is its Julian day number less this.
_ORDINAL_TO_JDN = 1721425


def ethiopian_date(text: str) -> tuple[str, str] | None:
    """The Gregorian day of an Ethiopian calendar date marked with its era ("ጥር 12 ቀን 2012
    ዓ.ም" is 2020-01-21), or None."""
    match = _ETHIOPIAN.fullmatch(text.strip())
    if match is None:
        return None
    month, day, year = _ETHIOPIAN_MONTHS[match.group(1)], int(match.group(2)), int(match.group(3))
    last = 30 if month < 13 else (6 if year % 4 == 3 else 5)  # ጳጉሜ 6 in a leap year only
    if not 1 <= day <= last or not 1900 <= year <= 2100:
        return None
    jdn = _ETHIOPIAN_EPOCH + 365 * (year - 1) + year // 4 + 30 * (month - 1) + day - 1
    try:
        return date.fromordinal(jdn - _ORDINAL_TO_JDN).isoformat(), "day"
    except ValueError:
        return None


_KHMER_MONTHS = {
    "មករា": 1, "កុម្ភៈ": 2, "កុម្ភ": 2, "មីនា": 3, "មេសា": 4, "ឧសភា": 5, "មិថុនា": 6,
    "កក្កដា": 7, "សីហា": 8, "កញ្ញា": 9, "តុលា": 10, "វិច្ឆិកា": 11, "ធ្នូ": 12,
}  # fmt: skip
#: "ទី27 ខែតុលា ឆ្នាំ2022": "ទី" before the day, "ខែ" (month) before its name, "ឆ្នាំ" (year).
_KHMER = re.compile(
    r"(?:ថ្ងៃ[\u1780-\u17FF]{1,12}\s*)?(?:ទី\s?)?(\d{1,2})\s*ខែ\s?"
    rf"({'|'.join(sorted(_KHMER_MONTHS, key=len, reverse=True))})\s*(?:ឆ្នាំ\s?)?(\d{{4}})"
    # its time: "ម៉ោង 9:30 ព្រឹក" (hour, morning)
    r"(?:\s*ម៉ោង\s?\d{1,2}[:.]\d{2}(?:\s?[\u1780-\u17FF]{1,6})?)?"
)


def khmer_date(text: str) -> tuple[str, str] | None:
    """The day of a Khmer date line ("ថ្ងៃព្រហស្បតិ៍ ទី27 ខែតុលា ឆ្នាំ2022"), or None."""
    match = _KHMER.fullmatch(text.strip())
    if match is None:
        return None
    try:
        found = date(int(match.group(3)), _KHMER_MONTHS[match.group(2)], int(match.group(1)))
    except ValueError:
        return None
    return found.isoformat(), "day"


#: "2019 оны 3 сарын 12", "2019 оны 3-р сарын 12-ны өдөр", with the weekday ("Мягмар гараг") and
#: the time after it: the year, its month's number, the day.
_MONGOLIAN = re.compile(
    r"((?:19|20)\d\d)\s?(?:оны|он)\s(\d{1,2})(?:\s?-?\s?(?:р|дугаар|дүгээр))?\s?сар(?:ын)?\s"
    r"(\d{1,2})(?:\s?-?\s?(?:ны|ний|нд|ны өдөр|ний өдөр))?"
    r"(?:,?\s[А-ЯЁӨҮа-яёөү]{3,10}\sгараг)?(?:,?\s\d{1,2}:\d\d)?"
)


def mongolian_date(text: str) -> tuple[str, str] | None:
    """The day of a Mongolian date line ("2019 оны 3 сарын 12, Мягмар гараг 14:05"), or None."""
    match = _MONGOLIAN.fullmatch(text.strip())
    if match is None:
        return None
    try:
        found = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None
    return found.isoformat(), "day"
