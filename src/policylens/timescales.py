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
_FINANCIAL_YEAR = re.compile(r"\b(20\d{2}|19\d{2})\s*[/-]\s*(20\d{2}|\d{2})\b")
_YEAR = re.compile(r"(?<![\d.,%£-])\b(19[5-9]\d|20\d{2})\b(?![\d%])")
_DATEPARSER_SETTINGS = {"DATE_ORDER": "DMY", "PREFER_DAY_OF_MONTH": "last", "REQUIRE_PARTS": ["month", "year"]}


@dataclass(frozen=True, slots=True)
class TimescaleCues:
    complete: tuple[str, ...]
    ongoing: tuple[str, ...]
    recurring: tuple[str, ...]
    relative: tuple[str, ...]


@lru_cache(maxsize=1)
def load_cues() -> TimescaleCues:
    raw = tomllib.loads(resources.files("policylens.data").joinpath("timescales.toml").read_text("utf-8"))
    return TimescaleCues(*(tuple(raw[k]) for k in ("complete", "ongoing", "recurring", "relative")))


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


def find_dates(text: str) -> list[_Found]:
    """Every date a timescale names, as the last day it allows, in reading order."""
    found: list[_Found] = []
    taken: list[tuple[int, int]] = []

    def free(m: re.Match[str]) -> bool:
        return all(m.end() <= a or m.start() >= b for a, b in taken)

    def add(m: re.Match[str], due: date | None) -> None:
        if due is not None:
            found.append(_Found(m.start(), m.end(), due))
            taken.append((m.start(), m.end()))

    for m in _DAY_MONTH_YEAR.finditer(text):
        add(m, _parse_month(m.group(0)))
    for m in _MONTH_YEAR.finditer(text):
        if free(m):
            year = m.group(2) if len(m.group(2)) == 4 else f"20{m.group(2)}"
            add(m, _parse_month(f"{m.group(1)} {year}"))
    for m in _FINANCIAL_YEAR.finditer(text):
        if free(m):
            first, second = int(m.group(1)), m.group(2)
            end_year = int(second) if len(second) == 4 else (first // 100) * 100 + int(second)
            if end_year == first + 1:
                add(m, date(end_year, 3, 31))
    for m in _YEAR.finditer(text):
        if free(m):
            add(m, date(int(m.group(1)), 12, 31))
    return sorted(found, key=lambda f: f.start)


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
    for found in sorted(dates, key=lambda f: f.start, reverse=True):
        rest = rest[: found.start] + "\n" + rest[found.end :]
    pieces = [re.sub(r"\s+(by|in|from)$", "", " ".join(p.split())).strip(" ,;-–") for p in rest.split("\n")]
    return tuple(p for p in pieces if re.search(r"\d", p))
