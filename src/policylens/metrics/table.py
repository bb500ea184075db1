"""The researcher's table: one row per indicator and document, baselines beside targets."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from policylens.metrics.vocab import Indicator, load_catalogue
from policylens.model import Metric, MetricKind, Unit, ValueIs

_SIGNS = {
    Unit.PERCENT: "{}%",
    Unit.PERCENTAGE_POINTS: "{} percentage points",
    Unit.GBP: "£{}",
    Unit.RATE_PER_10000: "{} per 10,000",
    Unit.DAYS: "{} days",
    Unit.OTHER: "×{}",  # a factor: "halve" ×0.5, "four times" ×4
}
_CHANGE_SIGNS = {"increase": "+", "decrease": "−"}
"""A target stated as a change is written with its sign ("+5%", "−50%"); a level never is ("70%")."""


def indicator_table(
    metrics: Sequence[Metric], catalogue: Sequence[Indicator] | None = None, include_other: bool = False
) -> list[dict[str, Any]]:
    """One row per (indicator, doc_id), in catalogue order then document order of first mention.

    Baselines include reported changes (their new value); targets carry their direction. Each
    side is a list of {value, unit, value_is, period, period_norm, metric_id, restates} and a readable
    summary ("73% (2017); 60%") that names each figure once: a metric that restates another (`restates`:
    a target stated in an action and again in its timescale cell, "75% … by 2008" / "2008 75%") is in
    the list, not the summary, and a figure written the same twice (the text and the plan) is summarised
    once. A level is written as it is ("70% (2025)"), a change with its sign ("+5% (by 2009)"), a factor
    "×0.5". Metrics with indicator "other" are left out unless `include_other`.
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
        "value_is": m.value_is.value,
        "period": m.period,
        "period_norm": m.period_norm,
        "metric_id": m.metric_id,
        "restates": m.restates,
    }
    if m.kind is MetricKind.CHANGE:
        entry["value_from"] = m.value_from
    if m.direction is not None:
        entry["direction"] = m.direction.value
    return entry


def _summary(entries: list[dict[str, Any]]) -> str:
    """Each figure once, as a reader scans the row: what restates another is left out, and a figure the
    document states in two places (its text and its plan: Warrington's "70%" and "75%") is written once;
    the list beside the summary keeps every metric id."""
    shown: dict[tuple[str, str], str] = {}
    for e in entries:
        if not e["restates"]:
            # one figure however its period is written ("2021/22", "2021.22": both end March 2022)
            key = (written(e), e["period_norm"] or e["period"])
            shown.setdefault(key, written(e) + (f" ({e['period']})" if e["period"] else ""))
    return "; ".join(shown.values())


def figure_text(m: Metric) -> str:
    """A figure as the table writes it: "75%", "+10" (a change), "×0.5" (a factor), "520 days"."""
    return written(_entry(m))


def written(entry: Mapping[Any, Any]) -> str:
    """A figure from its fields (value, unit, value_is, direction: a metrics.csv row will do), as the
    researcher's table writes it."""
    value = entry["value"]
    number = f"{value:g}" if value < 1e6 else f"{value:,.0f}"
    amount = _SIGNS.get(Unit(entry["unit"]), "{}").format(number)
    if entry["value_is"] != ValueIs.CHANGE:
        return amount
    sign = _CHANGE_SIGNS.get(entry.get("direction", ""), "")
    # a change reported, or one whose way is not said: named a change, so it never reads as a level
    return f"{sign}{amount}" if sign else f"change of {amount}"
