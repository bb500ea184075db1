"""Periods: the dates a text names, as written and normalised.

Dates come from `timescales.find_dates` (month names through dateparser, years, financial years);
two years joined by a dash are one span ("2007 – 2008", "2019-22"). `norm` is the END of what is named:
"2013-14" -> "2014", "2019-22" -> "2022", "31 March 2022" -> "2022-03-31", "March 2018" -> "2018-03",
"autumn term 2023" -> "2023-12", "by 2009" -> "2009"; a term without its year ("the autumn term") is a
period that names no date (norm "");
"between 1st April 2021 and 31st March 2022" is one span ending "2022-03-31".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from policylens.timescales import find_dates

_DAY = re.compile(r"\b\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]")
_MONTH_WORD = re.compile(r"[A-Za-z]{3,}")
_DOTTED_YEAR = re.compile(r"\b((?:19|20)\d\d)\.\d\d\b")
"""A financial year written with a dot ("2021.22"), which `find_dates` reads as a bare year."""
_TERM = re.compile(r"\b(?:spring|summer|autumn)\s+term\b", re.IGNORECASE)
"""A school term named without its year ("in the autumn term"): the figure's period, which names no date."""
_JOIN = re.compile(r"^\s*[-–—/]\s*$|^\s+to\s+$")
_BETWEEN = re.compile(r"\bbetween\s+(?:the\s+)?$", re.IGNORECASE)
_AND = re.compile(r"^\s+and\s+(?:the\s+)?$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Period:
    start: int
    end: int
    raw: str
    norm: str


def find_periods(text: str) -> list[Period]:
    """Every date or year span of a text, in order, two years joined by a dash made one range."""
    dotted = [Period(m.start(), m.end(), m.group(0), str(int(m.group(1)) + 1)) for m in _DOTTED_YEAR.finditer(text)]
    found = [
        Period(f.start, f.end, text[f.start : f.end], _norm(text[f.start : f.end], f.due.isoformat()))
        for f in find_dates(text)
        if not any(d.start <= f.start < d.end for d in dotted)
    ]
    terms = [Period(m.start(), m.end(), m.group(0), "") for m in _TERM.finditer(text)]
    dated = dotted + found
    terms = [t for t in terms if not any(d.start <= t.start < d.end for d in dated)]
    periods: list[Period] = []
    for period in sorted(dated + terms, key=lambda p: p.start):
        last = periods[-1] if periods else None
        if last is not None and (last.start, last.end) == (period.start, period.end):
            # a range read as the years it spans ("2019-2022", "2019-22"): one period, ending with its last
            periods[-1] = period
        elif last is not None and _joined(text, last, period):
            periods[-1] = Period(last.start, period.end, text[last.start : period.end], period.norm)
        else:
            periods.append(period)
    return periods


def _joined(text: str, first: Period, second: Period) -> bool:
    """ "2007 – 2008" (two years and a dash), "between 1st April 2021 and 31st March 2022"."""
    gap = text[first.end : second.start]
    if _JOIN.match(gap) and len(first.raw) == len(second.raw) == 4:
        return True
    return bool(_BETWEEN.search(text[: first.start]) and _AND.match(gap))


def _norm(raw: str, iso: str) -> str:
    if _DAY.search(raw):
        return iso
    if _MONTH_WORD.search(raw):
        return iso[:7]
    return iso[:4]


def as_written(text: str, period: Period, prefixes: tuple[str, ...]) -> str:
    """The period with the words that say how it applies ("by 2009", "end of March 2022")."""
    before = text[: period.start].rstrip().casefold()
    prefix = next((p for p in prefixes if before == p or before.endswith(f" {p}")), "")
    if not prefix:
        return period.raw
    start = len(text[: period.start].rstrip()) - len(prefix)
    return text[start : period.end]
