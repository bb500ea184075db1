"""Document -> `Metric` records: every baseline, target and change, in reading order."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from policylens.actions import extract_actions
from policylens.metrics.nlp import build_pipeline
from policylens.metrics.reading import TextUnit, read_units
from policylens.metrics.statements import Draft, StatementReader
from policylens.metrics.vocab import Indicator, load_catalogue, load_cues, match_indicator
from policylens.metrics.wholes import Place, settle
from policylens.model import Action, Document, Metric, Unit, ValueIs


@dataclass(frozen=True, slots=True)
class MetricSettings:
    """catalogue: a TOML file replacing the packaged indicator catalogue (None: packaged)."""

    catalogue: Path | None = None

    def __post_init__(self) -> None:
        if self.catalogue is None:
            return
        if not Path(self.catalogue).is_file():
            raise ValueError(f"The 'catalogue' setting must be an existing TOML file. Got {self.catalogue!r}.")
        try:
            load_catalogue(Path(self.catalogue))
        except (ValueError, OSError) as exc:
            raise ValueError(f"The 'catalogue' setting names a file that is not an indicator catalogue: {exc}") from exc


@lru_cache(maxsize=1)
def _reader() -> StatementReader:
    return StatementReader(load_cues())


def extract_metrics(
    doc: Document, actions: Sequence[Action] = (), settings: MetricSettings | None = None
) -> tuple[Metric, ...]:
    """Every quantitative statement of a document, in reading order, `seq` from 1.

    `actions` are the document's action records (`extract_actions(doc)` when none are given):
    a figure read inside one is a target unless the plan marks it done, and carries its `action_id`.
    A figure that is part of another ("131 male" after "253 Children in Care", "38 of these") and
    names no indicator of its own takes its whole's (`wholes.settle`).
    """
    catalogue = load_catalogue((settings or MetricSettings()).catalogue)
    plan = tuple(actions) or extract_actions(doc)
    units = list(read_units(doc, plan, load_cues()))
    reader = _reader()
    metrics: list[Metric] = []
    places: list[Place] = []
    for unit, parsed in zip(units, build_pipeline().pipe(u.text for u in units), strict=True):
        drafts, loose = reader.read(parsed, unit)
        placed: dict[int, int] = {}
        for d in drafts:
            placed[id(d.candidate)] = len(metrics)
            whole = placed.get(id(d.clues.whole)) if d.clues.whole is not None else None
            places.append(Place(d.clues.part, whole, unit.heading))
            metrics.append(_metric(doc, len(metrics) + 1, d, unit, catalogue))
        _attach_loose(metrics, loose, unit)
    return tuple(mark_restatements(settle(metrics, places)))


def mark_restatements(metrics: Sequence[Metric]) -> list[Metric]:
    """The same figure stated twice in one action (its words and again its timescale cell: "Ensure at least
    75% … by 2008" and "2008 75%") is two metrics, each with its provenance; the later names the first in
    `restates`, so that a count leaves it out. The same figure: same action, indicator, kind, value, unit,
    what the value is and period end, and the same measure (both name the same subject, or one names none
    of its own, as a bare figure in a timescale cell). "Contacts: 14%" and "Participants: 14%" are two."""
    firsts: dict[tuple[object, ...], list[Metric]] = {}
    marked: list[Metric] = []
    for m in metrics:
        if not m.action_id:
            marked.append(m)
            continue
        stated = firsts.setdefault(_figure(m), [])
        first = next((f for f in stated if _same_measure(f, m)), None)
        if first is None:
            stated.append(m)
        marked.append(m if first is None else replace(m, restates=first.metric_id))
    return marked


def _figure(m: Metric) -> tuple[object, ...]:
    return (m.doc_id, m.action_id, m.indicator, m.kind, m.value, m.unit, m.value_is, m.period_norm)


def _same_measure(first: Metric, later: Metric) -> bool:
    return not first.subject or not later.subject or first.subject.casefold() == later.subject.casefold()


def _metric(doc: Document, seq: int, d: Draft, unit: TextUnit, catalogue: tuple[Indicator, ...]) -> Metric:
    c = d.candidate
    cues = load_cues()
    ids = {i.id for i in catalogue}
    clues = d.clues
    if clues.reached:
        # those a service reached are not the population
        catalogue = tuple(i for i in catalogue if i.id not in cues.populations)
    if clues.of_children:
        catalogue = tuple(i for i in catalogue if i.id not in cues.indicators.not_of_children)
    added = cues.statements.added_before + cues.statements.added_after
    subject, context, wide = (clues.measure, (), ()) if clues.measure is not None else (d.subject, d.context, d.wide)
    measured_in = d.unit or c.unit
    if d.timed:
        # "Average time between a child entering care and moving in with its adoptive family | 520": a time
        # whose unit its name leaves out is in the unit of the duration indicator the name names
        measured_in = _duration_unit(subject, context, catalogue) or measured_in
    indicator = match_indicator(
        subject,
        context,
        measured_in,
        catalogue,
        populations=cues.populations,
        qualifiers=cues.population_qualifiers,
        # "41 fewer children in care than in 2021": a difference of the population, as "97 extended Care Leavers"
        modifiers=cues.indicators.population_modifiers + (added if d.value_is is ValueIs.CHANGE else ()),
        lead_ins=cues.indicators.population_lead_ins,
        reasons=cues.indicators.reasons,
        wide=wide,
        change=d.value_is is ValueIs.CHANGE,
    )
    if clues.cared_for and indicator == "other" and cues.indicators.cared_for in ids:
        # "responsible for more than 330 children and young people": the children the council looks after
        indicator = cues.indicators.cared_for
    return Metric(
        doc_id=doc.meta.doc_id,
        seq=seq,
        value=c.value,
        unit=measured_in,
        kind=d.kind,
        quote=d.quote,
        source=unit.source,
        value_from=d.value_from,
        direction=d.direction,
        period=d.period,
        period_norm=d.period_norm,
        subject=d.subject,
        indicator=indicator,
        group=d.group,
        comparator=d.comparator,
        action_id=unit.action.action_id if unit.action else "",
        value_is=d.value_is,
        compared_with=d.compared_with,
    )


def _duration_unit(subject: str, context: tuple[str, ...], catalogue: tuple[Indicator, ...]) -> Unit | None:
    """The unit of the first duration indicator of the catalogue that names a measure, or None."""
    durations = load_cues().numbers.durations
    for unit in dict.fromkeys(i.unit for i in catalogue if i.unit in durations):
        timed = tuple(i for i in catalogue if i.unit is unit)
        if match_indicator(subject, context, unit, timed) != "other":
            return unit
    return None


def _attach_loose(metrics: list[Metric], loose: list[str], unit: TextUnit) -> None:
    """A benchmark row or sentence with no figure of its own goes to the last figure of its block."""
    if not loose or not metrics or metrics[-1].source.block != unit.source.block:
        return
    last = metrics[-1]
    comparator = "; ".join(x for x in (last.comparator, *loose) if x)
    metrics[-1] = replace(last, comparator=comparator)
