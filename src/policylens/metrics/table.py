"""The researcher's table: one row per indicator and document, baselines beside targets."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from policylens.metrics.vocab import Indicator, load_catalogue
from policylens.model import Metric, MetricKind, Unit

_SIGNS = {
    Unit.PERCENT: "{}%",
    Unit.GBP: "£{}",
    Unit.RATE_PER_10000: "{} per 10,000",
    Unit.DAYS: "{} days",
    Unit.OTHER: "×{}",  # a factor: "halve" ×0.5, "four times" ×4
}


def indicator_table(
    metrics: Sequence[Metric], catalogue: Sequence[Indicator] | None = None, include_other: bool = False
) -> list[dict[str, Any]]:
    """One row per (indicator, doc_id), in catalogue order then document order of first mention.

    Baselines include reported changes (their new value); targets carry their direction. Each
    side is a list of {value, unit, period, period_norm, metric_id} and a readable summary
    ("73% (2017); 60%") that names each figure once: a target stated in an action and again in its
    timescale cell ("75% … by 2008" / "2008 75%") is one target, with both metric ids in the list.
    Metrics with indicator "other" are left out unless `include_other`.
    """
    labels = {i.id: i.label for i in (catalogue if catalogue is not None else load_catalogue())}
    order = {name: k for k, name in enumerate(labels)}
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for m in metrics:
        if m.indicator == "other" and not include_other:
            continue
        row = rows.setdefault((m.indicator, m.doc_id), _row(m, labels))
        side = "targets" if m.kind is MetricKind.TARGET else "baselines"
        row[side].append(_entry(m))
    ordered = sorted(rows.values(), key=lambda r: order.get(r["indicator"], len(order)))
    for row in ordered:
        row["baseline_summary"] = _summary(row["baselines"])
        row["target_summary"] = _summary(row["targets"])
    return ordered


def _row(m: Metric, labels: dict[str, str]) -> dict[str, Any]:
    label = labels.get(m.indicator, "Other")
    return {"indicator": m.indicator, "label": label, "doc_id": m.doc_id, "baselines": [], "targets": []}


def _entry(m: Metric) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "value": m.value,
        "unit": m.unit.value,
        "period": m.period,
        "period_norm": m.period_norm,
        "metric_id": m.metric_id,
    }
    if m.kind is MetricKind.CHANGE:
        entry["value_from"] = m.value_from
    if m.direction is not None:
        entry["direction"] = m.direction.value
    return entry


def _summary(entries: list[dict[str, Any]]) -> str:
    distinct = {(e["value"], e["unit"], e["period_norm"] or e["period"]): e for e in reversed(entries)}
    shown = sorted(distinct.values(), key=entries.index)  # the first statement of each, in order
    return "; ".join(_written(e) + (f" ({e['period']})" if e["period"] else "") for e in shown)


def _written(entry: dict[str, Any]) -> str:
    value = entry["value"]
    number = f"{value:g}" if value < 1e6 else f"{value:,.0f}"
    return _SIGNS.get(Unit(entry["unit"]), "{}").format(number)
