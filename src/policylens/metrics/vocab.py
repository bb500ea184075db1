"""What the metrics stage knows about words: cue lists and the indicator catalogue.

Both live in data files (`data/metric_cues.toml`, `data/indicators.toml`) so that a reader can
check and extend them without reading code; this module only loads and validates them.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from policylens.model import Unit


def _packaged(name: str) -> str:
    return resources.files("policylens.data").joinpath(name).read_text("utf-8")


def _words(raw: dict[str, Any], key: str) -> tuple[str, ...]:
    return tuple(str(w).casefold() for w in raw[key])


def _units(raw: dict[str, Any]) -> dict[str, Unit]:
    return {str(k).casefold(): Unit(v) for k, v in raw.items()}


@dataclass(frozen=True, slots=True)
class NumberCues:
    words: dict[str, int]
    tens: dict[str, int]
    ones: dict[str, int]
    scales: dict[str, int]
    fractions: dict[str, int]
    numerators: dict[str, int]
    share_by: tuple[str, ...]
    """Words before a share that make it the size of a change ("reduce ... by a third")."""
    one_in: tuple[str, ...]
    factor_verbs: dict[str, float]
    """Verbs that state a factor of today's level ("halve": 0.5, "double": 2)."""
    units_after: dict[str, Unit]
    units_before: dict[str, Unit]
    rate_per: dict[str, Unit]
    rate_nouns: tuple[str, ...]
    durations: frozenset[Unit]
    named: dict[str, Unit]
    """Words that end a measure's name and give a bare number its unit ("Average SDQ score")."""
    name_links: tuple[str, ...]
    codes: dict[str, Unit]
    """Codes of measures that open their name and give its unit ("A1": days)."""
    unnamed_durations: tuple[str, ...]
    """Words that end a measure's name when it is a time in no named unit ("Average time between ...")."""
    averages: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ScreenCues:
    """Cues that tell a number that is not a metric from one that is."""

    label_words: tuple[str, ...]
    structure_nouns: tuple[str, ...]
    age_skip: tuple[str, ...]
    age_before: tuple[str, ...]
    age_after: tuple[str, ...]
    max_age: int
    or_words: tuple[str, ...]
    duration_conditions: tuple[str, ...]
    average_levels: tuple[str, ...]
    factor_commitments: tuple[str, ...]
    factor_aims: tuple[str, ...]
    condition_before: tuple[str, ...]
    duration_followers: tuple[str, ...]
    determiners: tuple[str, ...]
    rate_links: tuple[str, ...]
    back_references: tuple[str, ...]
    governing_words: tuple[str, ...]
    linkers: tuple[str, ...]
    street_words: tuple[str, ...]
    clock_suffixes: tuple[str, ...]
    distance_units: tuple[str, ...]
    distance_bounds: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class StatementCues:
    """Cues that read a kept number: its kind, direction, change partner, comparator, subject."""

    target_cues: tuple[str, ...]
    target_qualifiers: tuple[str, ...]
    passive_auxiliaries: tuple[str, ...]
    achievements: tuple[str, ...]
    """Words before "to" and a verb that report what was done ("we managed to halve")."""
    baseline_cues: tuple[str, ...]
    deadline_words: tuple[str, ...]
    target_headings: tuple[str, ...]
    target_columns: tuple[str, ...]
    baseline_columns: tuple[str, ...]
    increase: tuple[str, ...]
    decrease: tuple[str, ...]
    maintain: tuple[str, ...]
    ceiling: tuple[str, ...]
    change_links: tuple[str, ...]
    change_nouns: tuple[str, ...]
    added_before: tuple[str, ...]
    added_after: tuple[str, ...]
    plus_signs: tuple[str, ...]
    from_words: tuple[str, ...]
    to_words: tuple[str, ...]
    previous: tuple[str, ...]
    compared: tuple[str, ...]
    anaphora: tuple[str, ...]
    change_verbs: tuple[str, ...]
    comparator_cues: tuple[str, ...]
    comparator_links: tuple[str, ...]
    window_after: int
    window_before: int
    subject_stops: tuple[str, ...]
    subject_clause_subjects: tuple[str, ...]
    subject_leading: tuple[str, ...]
    subject_qualifiers: tuple[str, ...]
    subject_rates: tuple[str, ...]
    subject_trim: tuple[str, ...]
    subject_time_words: tuple[str, ...]
    subject_max: int
    group_words: tuple[str, ...]
    period_prefixes: tuple[str, ...]
    period_comparisons: tuple[str, ...]
    period_comparison_links: tuple[str, ...]
    period_change_comparisons: tuple[str, ...]
    period_terms: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class IndicatorCues:
    """Cues that say what a figure measures beyond its subject's words (`[indicators]`, `[wholes]`)."""

    population_modifiers: tuple[str, ...]
    population_lead_ins: tuple[str, ...]
    reached_by: tuple[str, ...]
    children: tuple[str, ...]
    cared_for_before: tuple[str, ...]
    cared_for: str
    not_of_children: tuple[str, ...]
    reasons: tuple[str, ...]
    group_openers: tuple[str, ...]
    predicate_verbs: tuple[str, ...]
    partitives: tuple[str, ...]
    referents: tuple[str, ...]
    referent_links: tuple[str, ...]
    change_only: tuple[str, ...]
    """Words besides those of change and direction that name only a change ("up", "down")."""


@dataclass(frozen=True, slots=True)
class MetricCues:
    numbers: NumberCues
    screen: ScreenCues
    statements: StatementCues
    populations: tuple[str, ...]
    population_qualifiers: tuple[str, ...]
    skip_roles: tuple[str, ...]
    page_number_min: int
    indicators: IndicatorCues


@lru_cache(maxsize=1)
def load_cues() -> MetricCues:
    """The packaged `data/metric_cues.toml`."""
    raw: dict[str, Any] = tomllib.loads(_packaged("metric_cues.toml"))
    return MetricCues(
        _number_cues(raw["numbers"], raw["units"]),
        _screen_cues(raw["not_metrics"]),
        _statement_cues(raw),
        _words(raw["indicators"], "populations"),
        _words(raw["indicators"], "population_qualifiers"),
        _words(raw["tables"], "skip_roles"),
        int(raw["tables"]["page_number_min"]),
        _indicator_cues(raw["indicators"], raw["wholes"]),
    )


def _indicator_cues(indicators: dict[str, Any], wholes: dict[str, Any]) -> IndicatorCues:
    from_wholes = ("partitives", "referents", "referent_links", "change_only")
    names = [n for n in IndicatorCues.__dataclass_fields__ if n != "cared_for" and n not in from_wholes]
    return IndicatorCues(
        **{name: _words(indicators, name) for name in names},
        **{name: _words(wholes, name) for name in from_wholes},
        cared_for=str(indicators["cared_for"]),
    )


def _number_cues(numbers: dict[str, Any], units: dict[str, Any]) -> NumberCues:
    return NumberCues(
        {k.casefold(): int(v) for k, v in numbers["words"].items()},
        {k.casefold(): int(v) for k, v in numbers["tens"].items()},
        {k.casefold(): int(v) for k, v in numbers["ones"].items()},
        {k.casefold(): int(v) for k, v in numbers["scales"].items()},
        {k.casefold(): int(v) for k, v in numbers["fractions"].items()},
        {k.casefold(): int(v) for k, v in numbers["numerators"].items()},
        _words(numbers, "share_by"),
        _words(numbers, "one_in"),
        {k.casefold(): float(v) for k, v in numbers["factor_verbs"].items()},
        _units(units["after"]),
        _units(units["before"]),
        _units(units["rate_per"]),
        _words(units, "rate_nouns"),
        frozenset(Unit(u) for u in units["durations"]),
        _units(units["named"]),
        _words(units, "name_links"),
        _units(units["codes"]),
        _words(units, "unnamed_durations"),
        _words(units, "averages"),
    )


def _screen_cues(raw: dict[str, Any]) -> ScreenCues:
    names = [n for n in ScreenCues.__dataclass_fields__ if n != "max_age"]
    lists = {name: _words(raw, name) for name in names}
    return ScreenCues(max_age=int(raw["max_age"]), **lists)


def _statement_cues(raw: dict[str, Any]) -> StatementCues:
    kinds, directions, values, changes = raw["kinds"], raw["directions"], raw["values"], raw["changes"]
    comparators, subjects = raw["comparators"], raw["subjects"]
    return StatementCues(
        **{k: _words(kinds, k) for k in kinds if k != "version"},
        **{k: _words(directions, k) for k in directions},
        **{k: _words(values, k) for k in values},
        **{k: _words(changes, k) for k in changes},
        comparator_cues=_words(comparators, "cues"),
        comparator_links=_words(comparators, "links"),
        window_after=int(comparators["window_after"]),
        window_before=int(comparators["window_before"]),
        subject_stops=_words(subjects, "stop_words"),
        subject_clause_subjects=_words(subjects, "clause_subjects"),
        subject_leading=_words(subjects, "leading"),
        subject_qualifiers=_words(subjects, "qualifiers"),
        subject_rates=_words(subjects, "rates"),
        subject_trim=_words(subjects, "trim"),
        subject_time_words=_words(subjects, "time_words"),
        subject_max=int(subjects["max_words"]),
        group_words=_words(raw["groups"], "words"),
        period_prefixes=_words(raw["periods"], "prefixes"),
        period_comparisons=_words(raw["periods"], "comparisons"),
        period_comparison_links=_words(raw["periods"], "comparison_links"),
        period_change_comparisons=_words(raw["periods"], "change_comparisons"),
        period_terms=_words(raw["periods"], "term_words"),
    )


# --- the indicator catalogue ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class Indicator:
    """One measure researchers compare across councils (`data/indicators.toml`)."""

    id: str
    label: str
    unit: Unit
    patterns: tuple[str, ...]


@lru_cache(maxsize=4)
def load_catalogue(path: Path | None = None) -> tuple[Indicator, ...]:
    """The packaged indicator catalogue, or a user's file of the same shape."""
    where = "data/indicators.toml" if path is None else str(path)
    text = _packaged("indicators.toml") if path is None else Path(path).read_text("utf-8")
    raw: dict[str, Any] = tomllib.loads(text)
    indicators = tuple(_indicator(entry, where) for entry in raw.get("indicator", []))
    ids = [i.id for i in indicators]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates or "other" in ids:
        raise ValueError(f"{where}: indicator ids must be unique and not 'other'; repeated: {duplicates or ['other']}.")
    return indicators


def _indicator(entry: dict[str, Any], where: str) -> Indicator:
    try:
        unit = Unit(entry["unit"])
        return Indicator(str(entry["id"]), str(entry["label"]), unit, _words(entry, "patterns"))
    except (KeyError, ValueError) as exc:
        raise ValueError(
            f"{where}: indicator {entry.get('id', '?')!r} needs id, label, a known unit and patterns ({exc})."
        ) from exc


_NOT_BE = re.compile(r"\bnot be\b")
_AMPERSAND = re.compile(r"\s&\s")


def _normal(text: str) -> str:
    # "will not be in education" says what "not in education" says, and "health & dental check" what
    # "health and dental check" says: one form for the patterns
    text = _AMPERSAND.sub(" and ", " ".join(text.casefold().replace("’", "'").split()))
    return _NOT_BE.sub("not", text)


@lru_cache(maxsize=2048)
def _pattern(pattern: str) -> re.Pattern[str]:
    # Word boundaries only where the pattern itself starts or ends with a word character ("£" has none).
    before = r"(?<!\w)" if pattern[:1].isalnum() else ""
    after = r"(?!\w)" if pattern[-1:].isalnum() else ""
    return re.compile(f"{before}{re.escape(pattern)}{after}")


def match_indicator(
    subject: str,
    context: tuple[str, ...],
    unit: Unit,
    catalogue: tuple[Indicator, ...],
    *,
    populations: tuple[str, ...] = (),
    qualifiers: tuple[str, ...] = (),
    modifiers: tuple[str, ...] = (),
    lead_ins: tuple[str, ...] = (),
    reasons: tuple[str, ...] = (),
    wide: tuple[str, ...] = (),
    change: bool = False,
) -> str:
    """The catalogue id whose pattern names what a metric measures, or "other".

    The subject is tried first, then each context text in order (the quote, a table row's label),
    then the `wide` texts (the sentence), where only an indicator of the metric's own unit counts.
    Within one text an indicator of the metric's own unit beats one of another unit, then one named
    after a cause (`reasons`: "ceased to be looked after due to ... Special Guardianship" is a
    special guardianship figure), then one that is not a population, then the longest pattern wins.
    Money, durations and scores only go to indicators of their own unit. A population count
    (`populations`: children in care, care leavers) is what is measured only when the subject starts
    with it, or with it after one of `modifiers` ("extended Care Leavers") or after words ending in one
    of `lead_ins` ("Reduce the number of looked after children"), and goes on, if at all, with one of
    `qualifiers` ("in Warrington", "recorded as White British"; not "ambassadors"), only for a count
    or a factor of one ("halve the number of children in care"; a share or a rate is not the count), or a
    change of it in percent (`change`: "reduce the number of children in care by 20%").
    A count of a population that names what happened to it
    ("5 children in care were permanently excluded") counts what happened: an indicator named after
    the population's words beats the population (not one inside them: "young people who have left
    care" are care leavers, not children leaving care).
    """
    shape = _Shape(qualifiers, modifiers, lead_ins)
    # a difference in percentage points is a change of what a percentage measures ("EET up 5 points")
    unit = _MEASURES.get(unit, unit)
    texts = [(subject, "subject")] + [(t, "context") for t in context] + [(t, "wide") for t in wide]
    for text, tier in texts:
        normal = _normal(text)
        cause = _cause(normal, reasons)
        found = [
            (indicator, pattern, at)
            for indicator in catalogue
            if _fits(indicator, unit, strict=tier == "wide")
            and (indicator.id not in populations or (tier == "subject" and (unit in _COUNTED or change)))
            for pattern in indicator.patterns
            if (at := _position(pattern, normal, indicator.id in populations, shape)) >= 0
        ]
        past = max((at + len(pattern) for i, pattern, at in found if i.id in populations), default=0)
        scored = [
            ((i.unit is unit, at >= cause, i.id not in populations and at >= past, len(pattern)), i.id)
            for i, pattern, at in found
        ]
        if scored:
            return max(scored)[1]
    return "other"


_MEASURES = {Unit.PERCENTAGE_POINTS: Unit.PERCENT}
"""The unit of the indicators a figure in another unit measures."""
_COUNTED = frozenset({Unit.COUNT, Unit.OTHER})
"""Units of a figure that may be a population's count: a count, or a factor of one ("double", "4 times")."""
_OWN_UNIT_ONLY = frozenset({Unit.GBP, Unit.DAYS, Unit.WEEKS, Unit.MONTHS, Unit.YEARS, Unit.HOURS, Unit.SCORE})


def _fits(indicator: Indicator, unit: Unit, strict: bool) -> bool:
    """Money, time and scores are only ever measured by indicators of the same unit."""
    return indicator.unit is unit if strict or unit in _OWN_UNIT_ONLY else True


def _cause(text: str, reasons: tuple[str, ...]) -> int:
    """Where the first cause named in a text begins (past its cue), or past the end when none is."""
    ends = [m.end() for reason in reasons if (m := _pattern(reason).search(text))]
    return min(ends, default=len(text) + 1)


@dataclass(frozen=True, slots=True)
class _Shape:
    """The words that may stand around a population's pattern (see `match_indicator`)."""

    qualifiers: tuple[str, ...] = ()
    modifiers: tuple[str, ...] = ()
    lead_ins: tuple[str, ...] = ()

    def opens(self, before: str) -> bool:
        before = before.strip()
        return not before or before in self.modifiers or any(_ends_with(before, lead) for lead in self.lead_ins)


def _ends_with(text: str, words: str) -> bool:
    return text == words or text.endswith(f" {words}")


def _position(pattern: str, text: str, at_start: bool, shape: _Shape) -> int:
    """Where a pattern names what a text measures, or -1. A population's pattern must open the text
    (after a modifier or lead-in at most) and be followed by nothing or by a qualifier."""
    match = _pattern(pattern).search(text)
    if match is None or not at_start:
        return -1 if match is None else match.start()
    rest = text[match.end() :].split()
    qualifiers = shape.qualifiers
    # a pattern that ends in a qualifier ("in the care of") has its qualifier already
    qualified = not rest or not qualifiers or pattern.rsplit(maxsplit=1)[-1] in qualifiers
    opens = shape.opens(text[: match.start()])
    return match.start() if opens and (qualified or rest[0] in qualifiers or rest[0][0] in qualifiers) else -1
