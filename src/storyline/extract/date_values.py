"""Reading one date value: a record field, a date line's text, a date mentioned in prose.

Why a module of its own: every date source of the date stage (`storyline.extract.date_sources`)
and the scanner for dates a text mentions (`storyline.extract.date_mentions`) read dates with the
same grammar, the month names, the `MENTION` pattern and the rules of `parse_date_value`, and none
of them may guess: a relative or ambiguous value is refused, never completed from today's date.
"""

from __future__ import annotations

import calendar
import email.utils
import re
from datetime import UTC, date, datetime
from typing import Any

PRECISIONS = ("datetime", "day", "month", "year")
PRECISION_RANK = {p: i for i, p in enumerate(PRECISIONS)}  # lower is finer
MIN_YEAR, MAX_YEAR = 1800, 2100

_MONTHS: dict[str, int] = {}
for _i, _name in enumerate(calendar.month_name):
    if _name:
        _MONTHS[_name.lower()] = _i
        _MONTHS[_name[:3].lower()] = _i
_MONTHS["sept"] = 9

# Month names as written in news: "September", "Sept.", "Sep", "SEPTEMBER"; never lower case
# ("may", "march" are words). "May" has no abbreviation to avoid "Mayor".
_MONTH = (
    r"(?:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?"
    r"|Aug(?:ust|\.)?|Sep(?:tember|t\.?|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?"
    r"|JAN(?:UARY)?|FEB(?:RUARY)?|MAR(?:CH)?|APR(?:IL)?|MAY|JUNE?|JULY?|AUG(?:UST)?"
    r"|SEPT?(?:EMBER)?|OCT(?:OBER)?|NOV(?:EMBER)?|DEC(?:EMBER)?)(?![A-Za-z])"
)
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89]\d\d|20\d\d|2100)"
_NB = r"(?<![\d/.,-])"  # no digit or number punctuation just before
_NA = r"(?![\d%])"  # no digit or percent just after

# One pass over the text. Branches are grouped behind a one-character guard (digit, capital,
# lower case) so that most positions are rejected after a single test: ~40 ms per 100 KB of news.
MENTION = re.compile(
    rf"(?=\d){_NB}(?:"
    rf"(?P<iso_y>{_YEAR})-(?P<iso_m>0[1-9]|1[0-2])-(?P<iso_d>[0-3]\d)(?!\d)"
    rf"|(?P<num_a>[0-3]?\d)[./](?P<num_b>[0-3]?\d)[./](?P<num_y>{_YEAR}){_NA}"
    rf"|(?P<dmy_d>{_DAY})\s(?:of\s)?(?P<dmy_m>{_MONTH}),?\s(?P<dmy_y>{_YEAR}){_NA}"
    rf"|(?P<dm_d>{_DAY})\s(?:of\s)?(?P<dm_m>{_MONTH}))"
    rf"|(?=[ADFJMNOS])(?:"
    rf"(?P<mdy_m>{_MONTH})\s(?P<mdy_d>{_DAY}),?\s(?P<mdy_y>{_YEAR}){_NA}"
    rf"|(?P<my_m>{_MONTH}),?\s(?:of\s)?(?P<my_y>{_YEAR}){_NA}"
    rf"|(?P<md_m>{_MONTH})\s(?P<md_d>{_DAY})(?![\d:]))"
    rf"|(?=[ABDEFILMSWYabefilmswy])(?<![A-Za-z])(?:"
    rf"(?P<mo_pre>(?:[Ii]n|[Ss]ince|[Dd]uring|[Ee]arly|[Mm]id|[Ll]ate|[Ee]nd\sof|[Ss]ummer\sof)"
    rf"[\s-](?:(?:early|mid|late)[\s-])?)(?P<mo_m>{_MONTH})(?![.,]?\s(?:of\s)?\d)"
    rf"|(?P<y_pre>(?:[Ii]n|[Ss]ince|[Ff]rom|[Dd]uring|[Bb]etween|and|of|[Ee]arly|[Mm]id|[Ll]ate"
    rf"|year|[Ss]pring|[Ss]ummer|[Aa]utumn|[Ww]inter|[Ff]all)[\s-])(?P<y_y>{_YEAR})"
    rf"(?![\d%]|[,.-]\d))"
)

_ISO_FULL = re.compile(
    r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?\s?(?:Z|[+-]\d{2}:?\d{2})?)?$"
)
# RSS pubDate with a zone email.utils knows; "10:32 PKT" would silently become UTC.
_RFC2822 = re.compile(
    r"(?:[A-Za-z]{3},\s*)?\d{1,2}\s[A-Za-z]{3}\s\d{4}\s\d{2}:\d{2}(?::\d{2})?"
    r"\s(?:[+-]\d{4}|GMT|UTC?|Z|[ECMP][SD]T)"
)
_WEEKDAY = re.compile(
    r"^(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)[a-z]*\.?,?\s+", re.IGNORECASE
)
#: Weekdays in the other languages of the news we read, Monday first, as they open a date line
#: before a numeric date ("Freitag, 12.10.2007", "jueves 02/04/2020", "Пятница, 12.10.2007").
_FOREIGN_WEEKDAYS = (
    "montag|lundi|lunes|lunedì|lunedi|segunda(?:-feira)?|maandag|poniedziałek|pondělí"
    "|понедельник|pazartesi|måndag|mandag|mo",
    "dienstag|mardi|martes|martedì|martedi|terça(?:-feira)?|dinsdag|wtorek|úterý|вторник|salı"
    "|tisdag|tirsdag|di",
    "mittwoch|mercredi|miércoles|miercoles|mercoledì|mercoledi|quarta(?:-feira)?|woensdag"
    "|środa|středa|среда|çarşamba|onsdag|mi",
    "donnerstag|jeudi|jueves|giovedì|giovedi|quinta(?:-feira)?|donderdag|czwartek|čtvrtek"
    "|четверг|perşembe|torsdag|do",
    "freitag|vendredi|viernes|venerdì|venerdi|sexta(?:-feira)?|vrijdag|piątek|pátek|пятница"
    "|cuma|fredag|fr",
    "samstag|sonnabend|samedi|sábado|sabado|sabato|zaterdag|sobota|суббота|cumartesi|lördag"
    "|lørdag|sa",
    "sonntag|dimanche|domingo|domenica|zondag|niedziela|neděle|воскресенье|pazar|söndag|søndag|so",
)
_FOREIGN_WEEKDAY = re.compile(rf"^(?:{'|'.join(_FOREIGN_WEEKDAYS)})\.?,?\s+(?=\d)", re.IGNORECASE)
_TIME_TAIL = re.compile(
    r"(?:\s{0,3}[|,•·-]?\s{0,3}(?:at\s{1,3})?\d{1,2}[:.]\d{2}(?::\d{2})?\s?(?:[AaPp]\.?[Mm]\.?)?"
    r"\s?(?:[A-Z]{2,5}|[+-]\d{2}:?\d{2})?)?\s*\Z"
)


def valid_date(y: int, m: int = 1, d: int = 1) -> date | None:
    """The date, or None for a year outside `MIN_YEAR`..`MAX_YEAR` or a day the month lacks."""
    if not MIN_YEAR <= y <= MAX_YEAR:
        return None
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _month_number(name: str) -> int:
    return _MONTHS[
        name.rstrip(".").lower()[:4]
        if name.lower().startswith("sept")
        else name.rstrip(".").lower()[:3]
    ]


def _day_number(text: str) -> int:
    return int(re.match(r"\d+", text).group(0))  # type: ignore[union-attr]


def format_date(value: date, precision: str) -> str:
    """``value`` written to ``precision``: "2021", "2021-08" or "2021-08-18"."""
    if precision == "year":
        return f"{value.year:04d}"
    if precision == "month":
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


# ---------------------------------------------------------------- parsing one date string


def _from_datetime(moment: datetime) -> tuple[str, str] | None:
    if valid_date(moment.year) is None:
        return None
    if (moment.hour, moment.minute, moment.second, moment.microsecond) == (0, 0, 0, 0):
        # Date-only values are often serialised as midnight; midnight says nothing more.
        return moment.date().isoformat(), "day"
    return moment.isoformat(), "datetime"


def _parse_words(text: str) -> tuple[str, str] | None:
    """ "August 27, 2021", "Friday, 27 August 2021 10:32 GMT", "Aug 2021": our own patterns."""
    weekday = _WEEKDAY.match(text.strip())
    text = _WEEKDAY.sub("", text.strip())
    foreign = _FOREIGN_WEEKDAY.match(text) if weekday is None else None
    if foreign is not None:
        text = text[foreign.end() :]  # "Freitag, 12.10.2007": read as the date after it
    text = _TIME_TAIL.sub("", text).strip(" ,|")
    named = (
        _weekday_of(weekday.group(0))
        if weekday
        else _foreign_weekday_of(foreign.group(0))
        if foreign
        else -1
    )
    match = MENTION.fullmatch(text)
    if match is None:
        said = weekday or foreign
        name = said.group(0).strip(" ,.") if said is not None else ""
        # a two-letter weekday is ambiguous across languages ("Do": Donnerstag or domingo)
        return _two_digit_year_with_weekday(text, named) if len(name) >= 3 else None
    found = mention_date(match)
    if found is None or found[2]:  # needs a year of its own
        return None
    value, precision = found[0], found[1]
    if match.group("num_y") and match.group("num_a") != match.group("num_b"):
        a, b = int(match.group("num_a")), int(match.group("num_b"))
        if a <= 12 and b <= 12:
            # 07/09/2021: 7 September or 9 July? A date line must not guess, unless its weekday
            # ("Wed, 02/10/2021") fits one reading only, or its dots say day first: "07.12.2020"
            # is how German, Russian, Turkish and Balkan sites write 7 December (month-first
            # dates are written with slashes).
            y = int(match.group("num_y"))
            readings = (valid_date(y, b, a), valid_date(y, a, b))  # day first, month first
            fits = [d for d in readings if d and named >= 0 and named == d.weekday()]
            if not fits and "." in match.group(0) and readings[0]:
                fits = [readings[0]]
            if len(fits) != 1:
                return None
            value = fits[0]
    return format_date(value, precision), precision


#: A numeric date with a two-digit year between slashes: "11/04/08" (with dots the time
#: reader takes "04.08"; with dashes Swedish writes the year first, "09-03-10").
_TWO_DIGIT_YEAR = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{2})")


def _two_digit_year_with_weekday(text: str, named: int) -> tuple[str, str] | None:
    """A numeric date with a two-digit year, read only where its weekday fits exactly one of
    its readings, day first or month first ("Tuesday 11/04/08" is 4 November 2008: 11 April
    2008 was a Friday); alone, "11/04/08" is any of four days. Years up to this year's two digits
    are this century's, 70-99 the last's, and those between are refused (never a future year)."""
    if named < 0:
        return None
    match = _TWO_DIGIT_YEAR.fullmatch(text)
    if match is None:
        return None
    a, b, yy = int(match.group(1)), int(match.group(2)), int(match.group(3))
    this_year = datetime.now(UTC).year % 100
    if this_year < yy < 70:
        return None
    year = 2000 + yy if yy <= this_year else 1900 + yy
    readings = {d for d in (valid_date(year, b, a), valid_date(year, a, b)) if d is not None}
    fits = [d for d in readings if d.weekday() == named]
    return (format_date(fits[0], "day"), "day") if len(fits) == 1 else None


_WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _weekday_of(name: str) -> int:
    """Monday 0 .. Sunday 6 for an English weekday name or abbreviation (-1 if none)."""
    head = name.strip(" ,.").casefold()[:3]
    return _WEEKDAY_NAMES.index(head) if head in _WEEKDAY_NAMES else -1


def _foreign_weekday_of(name: str) -> int:
    """Monday 0 .. Sunday 6 for a weekday of `_FOREIGN_WEEKDAYS` (-1 if none)."""
    word = name.strip(" ,.\t\n").casefold()
    for number, names in enumerate(_FOREIGN_WEEKDAYS):
        if re.fullmatch(names, word):
            return number
    return -1


#: A day of the month in digits, not part of a longer number ("18", "1er", "2.", "18日").
DAY_NUMBER = re.compile(r"(?<!\d)(?:0?[1-9]|[12]\d|3[01])(?!\d)")


#: A numeric day and month with a year ("07/02/2023", "7.2.23"): the two numbers before the year.
_NUMERIC_DATE = re.compile(r"(?<!\d)(\d{1,2})[/.-](\d{1,2})[/.-](?:\d{4}|\d{2})(?!\d)")


def _parse_with_dateparser(text: str) -> tuple[str, str] | None:
    """Last resort for other languages and formats ("27. August 2021", "18 août 2021").

    Only absolute parsers, all of day, month and year required, and the year must be written in
    the string: dateparser otherwise fills missing parts from today's date.
    """
    years = re.findall(r"(?<!\d)(?:1[89]|20)\d\d(?!\d)", text)
    if not years or len(text) > 40 or len(text.split()) > 6:
        return None  # a sentence that mentions a date is not a date line
    for a, b in _NUMERIC_DATE.findall(text):
        if a != b and int(a) <= 12 and int(b) <= 12:
            return None  # "07/02/2023 14:05": the same refusal as `_parse_words` makes
    if not DAY_NUMBER.search(text):
        # A day is written in digits in nearly every language ("18 août", "2 de abril", "1er",
        # "18日"); without one dateparser can only fail, and failing costs it ~45 ms a line
        # (trying every language), seconds for the first line of a process.
        return None
    import dateparser  # slow import (~0.2 s): only when our own patterns failed

    settings: Any = {
        "REQUIRE_PARTS": ["day", "month", "year"],
        "PARSERS": ["custom-formats", "absolute-time"],
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    try:
        moment = dateparser.parse(text, settings=settings)
    except Exception:  # dateparser raises many types on odd input
        return None
    if moment is None or str(moment.year) not in years:
        return None
    return _from_datetime(moment)


#: A numeric day written year first with dots or slashes (Korean, Chinese, Japanese,
#: Hungarian, Lithuanian sites): never ambiguous, the month comes before the day.
_YEAR_FIRST = re.compile(r"((?:19|20)\d\d)\s?[./]\s?(\d{1,2})\s?[./]\s?(\d{1,2})")


def parse_date_value(value: Any) -> tuple[str, str] | None:
    """An ISO value and its precision from a record field or a date line, or None.

    Accepts ISO 8601, RFC 2822 (RSS ``pubDate``), Unix epochs in seconds or milliseconds,
    English written dates, and (through dateparser, strictly) other written dates. Relative
    expressions ("yesterday", "2 hours ago") are refused: they would need the ingest time.
    """
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        seconds = float(value) / 1000 if value > 10_000_000_000 else float(value)
        if not 0 < seconds < 4_102_444_800:
            return None
        return _from_datetime(datetime.fromtimestamp(seconds, tz=UTC))
    text = str(value).strip()
    if not text or len(text) > 100:
        return None
    if re.fullmatch(r"\d{10}|\d{13}", text):
        return parse_date_value(int(text))
    if re.fullmatch(r"\d{4}", text):
        year = valid_date(int(text))
        return (text, "year") if year else None
    if re.fullmatch(r"\d{4}-\d{2}", text):
        month = valid_date(int(text[:4]), int(text[5:]))
        return (text, "month") if month else None
    if _ISO_FULL.match(text):
        try:
            moment = datetime.fromisoformat(text.replace(" ", "T", 1).replace("Z", "+00:00"))
        except ValueError:
            return None
        if len(text) == 10:
            return (text, "day") if valid_date(moment.year) else None
        return _from_datetime(moment)
    if _RFC2822.fullmatch(text):
        try:
            return _from_datetime(email.utils.parsedate_to_datetime(text))
        except (TypeError, ValueError, IndexError):
            pass
    year_first = _YEAR_FIRST.fullmatch(text)
    if year_first is not None:  # "2021.07.08", "2021. 05. 04": the year first, then the month
        day = valid_date(*(int(part) for part in year_first.groups()))
        return (format_date(day, "day"), "day") if day else None
    if re.fullmatch(r"[\d\s./-]+", text):
        return _parse_words(text)  # numeric: our own rules refuse the ambiguous ones
    return _parse_words(text) or _parse_with_dateparser(text)


# ---------------------------------------------------------------- one mention in running text


def mention_date(match: re.Match[str]) -> tuple[date, str, bool] | None:
    """(date, precision, needs_context_year) for one `MENTION` match, or None if invalid.

    Mentions without a year get year 1 as a placeholder and ``needs_context_year=True``.
    """
    g = match.group
    if g("iso_y"):
        found = valid_date(int(g("iso_y")), int(g("iso_m")), int(g("iso_d")))
        return (found, "day", False) if found else None
    if g("num_y"):
        # 07/09/2021 is 7 September or 9 July: for a lower bound the earlier reading is safe.
        a, b, y = int(g("num_a")), int(g("num_b")), int(g("num_y"))
        readings = [d for d in (valid_date(y, b, a), valid_date(y, a, b)) if d]
        return (min(readings), "day", False) if readings else None
    if g("mdy_y"):
        found = valid_date(int(g("mdy_y")), _month_number(g("mdy_m")), _day_number(g("mdy_d")))
        return (found, "day", False) if found else None
    if g("dmy_y"):
        found = valid_date(int(g("dmy_y")), _month_number(g("dmy_m")), _day_number(g("dmy_d")))
        return (found, "day", False) if found else None
    if g("my_y"):
        found = valid_date(int(g("my_y")), _month_number(g("my_m")))
        return (found, "month", False) if found else None
    if g("md_m"):
        return _placeholder(_month_number(g("md_m")), _day_number(g("md_d")), "day")
    if g("dm_m"):
        return _placeholder(_month_number(g("dm_m")), _day_number(g("dm_d")), "day")
    if g("mo_m"):
        return _placeholder(_month_number(g("mo_m")), 1, "month")
    if g("y_y"):
        found = valid_date(int(g("y_y")))
        return (found, "year", False) if found else None
    return None


def _placeholder(month: int, day: int, precision: str) -> tuple[date, str, bool] | None:
    try:
        return date(2000, month, day), precision, True  # 2000: leap year, so 29 Feb is valid
    except ValueError:
        return None
