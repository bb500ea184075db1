"""Timescale cells into a kind and a due date.

"March 2018" -> 2018-03-31; "Sept 2006"; "Nov 06" -> 2006-11-30; "2009" -> 2009-12-31;
"2022/2023" (a financial year) -> 2023-03-31; "Annual June/July" -> recurring;
"Within 20 working days of coming into care" -> relative; "Complete" -> complete.
Targets written into the cell ("2009 100%", "2008 from 13.1% to 9%") keep their date here
and the rest of the text in `targets`, for the metrics stage.
"""

from __future__ import annotations

import calendar
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources

from policylens.model import Timescale, TimescaleKind

_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_DAY_MONTH_YEAR = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTHS})\.?,?\s+(\d{{4}})\b", re.IGNORECASE)
_MONTH_YEAR = re.compile(rf"\b({_MONTHS})\.?\s+'?(\d{{4}}|\d{{2}})\b", re.IGNORECASE)
_JOIN = r"\s*[/\-–—]\s*"
"""What joins the two years of a financial or school year: a slash, a hyphen, or an en or em dash as
typeset documents write it ("2021/22", "2021-22", "2021–22")."""
_NOT_A_SHARE = r"(?!\s*%)"
"""After a year's shortened end: "2025 – 60% of care leavers" is a year and a share, not 2025-60."""
_FINANCIAL_YEAR = re.compile(rf"\b(20\d{{2}}|19\d{{2}}){_JOIN}(20\d{{2}}|\d{{2}})\b{_NOT_A_SHARE}")
_QUARTER = re.compile(
    rf"\b(?:Q|quarter\s*)([1-4])\s*(?:of\s+)?\(?((?:19|20)\d{{2}})(?:{_JOIN}((?:19|20)?\d{{2}}))?\)?(?!\d)",
    re.IGNORECASE,
)
_QUARTER_AFTER = re.compile(
    rf"\b((?:19|20)\d{{2}}){_JOIN}((?:19|20)?\d{{2}})\s*,?\s*\(?(?:Q|quarter\s*)([1-4])\b\)?", re.IGNORECASE
)
# what is left of a cell once its date is read, and is a name of a period, not a target: "Year 1", "Phase 2"
_PERIOD_NAME = re.compile(
    r"^\(?(?:year|years|phase|stage|quarter|q|term|month|months)\s*\d+(?:\s*[-–—]\s*\d+)?\)?\W*$", re.IGNORECASE
)
# "Autumn term 2023", "the spring term of 2024", "Summer term 2023/24" (a school year: its spring and summer
# terms are in its second calendar year)
_SEASON = re.compile(
    rf"\b(spring|summer|autumn|fall|winter)(\s+term)?\s+(?:of\s+)?((?:19|20)\d{{2}})(?:{_JOIN}((?:19|20)?\d{{2}})\b{_NOT_A_SHARE})?\b",
    re.IGNORECASE,
)
# "2025-2027", and "2019-22" (its end year shortened)
_YEAR_RANGE = re.compile(rf"\b((?:19|20)\d{{2}})(\s*)[-–—](\s*)((?:19|20)\d{{2}}|\d{{2}})\b{_NOT_A_SHARE}")
_WORD_NEXT = re.compile(r"\s+[A-Za-z]")
_SHORT_RANGE_YEARS = 10
"""The most years a range with its end shortened spans ("2019-22"): "2021 - 25 children" is no range."""
# the last month of each season, and of each quarter of a calendar year and of a financial year
_SEASON_END = {"spring": 5, "summer": 8, "autumn": 11, "fall": 11, "winter": 2}
_TERM_END = {"spring": 4, "summer": 7, "autumn": 12, "fall": 12}  # school terms: Easter, July, Christmas
_SCHOOL_YEAR_START = 9
_CALENDAR_QUARTER_END = {1: 3, 2: 6, 3: 9, 4: 12}
_YEAR = re.compile(r"(?<![\d.,%£\-–—])\b(19[5-9]\d|20\d{2})\b(?![\d%])")
_DATEPARSER_SETTINGS = {"DATE_ORDER": "DMY", "PREFER_DAY_OF_MONTH": "last", "REQUIRE_PARTS": ["month", "year"]}


@dataclass(frozen=True, slots=True)
class TimescaleCues:
    complete: tuple[str, ...]
    ongoing: tuple[str, ...]
    recurring: tuple[str, ...]
    relative: tuple[str, ...]
    deadline: tuple[str, ...] = ()


@lru_cache(maxsize=1)
def load_cues() -> TimescaleCues:
    raw = tomllib.loads(resources.files("policylens.data").joinpath("timescales.toml").read_text("utf-8"))
    return TimescaleCues(
        complete=tuple(raw["complete"]),
        ongoing=tuple(raw["ongoing"]),
        recurring=tuple(raw["recurring"]),
        relative=tuple(raw["relative"]),
        deadline=tuple(raw.get("deadline_cues", ())),
    )


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _parse_month(text: str) -> date | None:
    import dateparser  # slow to import; only timescales with month names need it

    parsed = dateparser.parse(text, languages=["en"], settings=_DATEPARSER_SETTINGS)
    return parsed.date() if parsed else None


@dataclass(frozen=True, slots=True)
class _Found:
    start: int
    end: int
    due: date


def _day_month_year(m: re.Match[str]) -> tuple[date | None, ...]:
    return (_parse_month(m.group(0)),)


def _quarter(m: re.Match[str]) -> tuple[date | None, ...]:
    return (_quarter_end(int(m.group(1)), int(m.group(2)), m.group(3)),)


def _quarter_after(m: re.Match[str]) -> tuple[date | None, ...]:
    """ "2024-25 Q2", "2024/25 (Quarter 2)": a financial year's quarter, the year first."""
    return (_quarter_end(int(m.group(3)), int(m.group(1)), m.group(2)),)


def _season(m: re.Match[str]) -> tuple[date | None, ...]:
    season, term, year = m.group(1).casefold(), m.group(2), int(m.group(3))
    month = _TERM_END[season] if term and season in _TERM_END else _SEASON_END[season]
    if m.group(4) is not None:
        # a season of a school (or financial) year: from September on in its first year, else in its second
        second = _full_year(year, m.group(4))
        return (_month_end(year if month >= _SCHOOL_YEAR_START else second, month),) if second == year + 1 else ()
    # winter 2025 runs into 2026: it ends with February
    return (_month_end(year + 1 if season == "winter" else year, month),)


def _full_year(first: int, written: str) -> int:
    """The year a range ends in, written in full or shortened ("2019-22": 2022)."""
    return int(written) if len(written) == 4 else (first // 100) * 100 + int(written)


def _year_range(m: re.Match[str]) -> tuple[date | None, ...]:
    first, written = int(m.group(1)), m.group(4)
    last = _full_year(first, written)
    if len(written) == 2 and not _short_range(m, last - first):
        return ()
    # "2024-2025" is a financial year, read as one below
    return (date(first, 12, 31), date(last, 12, 31)) if last > first + 1 else ()


def _short_range(m: re.Match[str], years: int) -> bool:
    """Whether "2019-22" is a range: a few years on, and the dash set tight or nothing but punctuation after
    ("2021 - 25 children were adopted" is a year and a count)."""
    spaced = bool(m.group(2) or m.group(3))
    return 1 < years <= _SHORT_RANGE_YEARS and not (spaced and _WORD_NEXT.match(m.string, m.end()))


def _month_year(m: re.Match[str]) -> tuple[date | None, ...]:
    year = m.group(2) if len(m.group(2)) == 4 else f"20{m.group(2)}"
    return (_parse_month(f"{m.group(1)} {year}"),)


def _financial_year(m: re.Match[str]) -> tuple[date | None, ...]:
    first, second = int(m.group(1)), m.group(2)
    end_year = int(second) if len(second) == 4 else (first // 100) * 100 + int(second)
    return (date(end_year, 3, 31),) if end_year == first + 1 else ()


def _year(m: re.Match[str]) -> tuple[date | None, ...]:
    return (date(int(m.group(1)), 12, 31),)


# the forms of a date, most specific first: a span read by one is not read again by a later one
_READINGS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], tuple[date | None, ...]]], ...] = (
    (_DAY_MONTH_YEAR, _day_month_year),
    (_QUARTER, _quarter),
    (_QUARTER_AFTER, _quarter_after),
    (_SEASON, _season),
    (_YEAR_RANGE, _year_range),
    (_MONTH_YEAR, _month_year),
    (_FINANCIAL_YEAR, _financial_year),
    (_YEAR, _year),
)


def find_dates(text: str) -> list[_Found]:
    """Every date a timescale names, as the last day it allows, in reading order."""
    found: list[_Found] = []
    taken: list[tuple[int, int]] = []
    for pattern, read in _READINGS:
        for m in pattern.finditer(text):
            if not all(m.end() <= a or m.start() >= b for a, b in taken):
                continue
            dates = [d for d in read(m) if d is not None]
            found += [_Found(m.start(), m.end(), d) for d in dates]
            if dates:
                taken.append((m.start(), m.end()))
    return sorted(found, key=lambda f: f.start)


def stated_deadline(text: str) -> str:
    """The deadline a commitment states in its own words, cue and date as written ("by March
    2025", "by the end of 2024/25"), or "" when it states none. A date without a cue is not a
    deadline: "commencing September 2014", "the Local Offer (2022)"."""
    flat = " ".join(text.split())
    cues = "|".join(re.escape(c) for c in sorted(load_cues().deadline, key=len, reverse=True))
    if not cues:
        return ""
    for found in find_dates(flat):
        cue = re.search(rf"(?<!\w)(?:{cues})\s+$", flat[: found.start], re.IGNORECASE)
        if cue:
            return flat[cue.start() : found.end]
    return ""


def _quarter_end(quarter: int, year: int, second: str | None) -> date:
    """The last day of a quarter: of a financial year ("Q3 2024/25": October to December 2024) when
    one is named, else of the calendar year ("Q3 2025": July to September)."""
    if second is None:
        return _month_end(year, _CALENDAR_QUARTER_END[quarter])
    # a financial year runs April to March: its fourth quarter is in the second calendar year
    return _month_end(year + 1, 3) if quarter == 4 else _month_end(year, {1: 6, 2: 9, 3: 12}[quarter])


def _has(text: str, cues: tuple[str, ...]) -> bool:
    return any(re.search(rf"(?<!\w){re.escape(cue)}(?!\w)", text) for cue in cues)


def parse_timescale(raw: str) -> Timescale:
    """Read a timescale cell. Never raises: what cannot be read is `unknown`."""
    text = "\n".join(" ".join(line.split()) for line in raw.splitlines() if line.strip())
    lowered = text.casefold()
    cues = load_cues()
    if not text:
        return Timescale(raw, TimescaleKind.NONE)
    dates = find_dates(text)
    targets = _targets(text, dates)
    if _has(lowered, cues.complete) and not dates:
        kind = TimescaleKind.COMPLETE
    elif dates:
        kind = TimescaleKind.DATE
    elif _has(lowered, cues.relative):
        kind = TimescaleKind.RELATIVE
    elif _has(lowered, cues.ongoing):
        kind = TimescaleKind.ONGOING
    elif _has(lowered, cues.recurring) or _MONTH_NAME.search(text):
        kind = TimescaleKind.RECURRING
    else:
        kind = TimescaleKind.UNKNOWN
    due = max((f.due for f in dates), default=None)
    return Timescale(raw, kind, due, tuple(f.due for f in dates), targets)


_MONTH_NAME = re.compile(rf"\b({_MONTHS})\b", re.IGNORECASE)


def _targets(text: str, dates: list[_Found]) -> tuple[str, ...]:
    """What is left of each line once its date is taken out, when it holds a number."""
    if not dates:
        return ()
    rest = text
    for start, end in sorted({(f.start, f.end) for f in dates}, reverse=True):  # a range gives two dates, one span
        rest = rest[:start] + "\n" + rest[end:]
    pieces = [re.sub(r"\s+(by|in|from)$", "", " ".join(p.split())).strip(" ,;-–") for p in rest.split("\n")]
    return tuple(p for p in pieces if re.search(r"\d", p) and not _PERIOD_NAME.match(p))
