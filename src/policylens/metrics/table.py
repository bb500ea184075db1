"""The researcher's table: one row per indicator and document, baselines beside targets."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from policylens.metrics.vocab import Indicator, load_catalogue, load_cues
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
    side is a list of {value, unit, value_is, period, period_norm, metric_id, restates, part_of, ...} and a
    readable summary ("73% (2017); 60%") that names each figure once: a metric that restates another
    (`restates`: a target stated in an action and again in its timescale cell, "75% … by 2008" / "2008 75%")
    is in the list, not the summary, and a figure written the same twice (the text and the plan) is
    summarised once. A level is written as it is ("70% (2025)"), a change with its sign ("+5% (by 2009)"), a
    factor "×0.5". The summary states totals: a breakdown of a total in the row (`part_of`: "131 male" of
    "253") is in the list and in `parts` ("male: 131; female: 122"; a share of a part in brackets, "recorded
    as White British: 278 (84%)"), not in the summary. Metrics with indicator "other" are left out unless
    `include_other`.
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
        entries = {e["metric_id"]: e for e in (*row["baselines"], *row["targets"])}
        parts = [e for e in entries.values() if e["part_of"] in entries]
        totals = [e for e in entries.values() if e["part_of"] not in entries]
        row["baseline_summary"] = _summary([e for e in row["baselines"] if e in totals])
        row["target_summary"] = _summary([e for e in row["targets"] if e in totals])
        row["parts"] = _parts(parts, entries)
        row["sources"] = _sources(entries.values())
    return ordered


def _sources(entries: Iterable[dict[str, Any]]) -> str:
    """Where the row's figures were read, each place once, in the order of the file ("text/warrington-2022.txt:
    line 158; line 545; line 568"); a file alone when no place in it is known."""
    by_file: dict[str, dict[tuple[int, int, str], None]] = {}
    for e in entries:
        by_file.setdefault(e["source"], {})[(e["page"] or 0, e["line"] or 0, e["place"])] = None
    said = []
    for name, places in by_file.items():
        ordered = [place for _, _, place in sorted(places) if place]
        said.append(f"{name}: {'; '.join(ordered)}" if ordered else name)
    return " | ".join(said)


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
        "part_of": m.part_of,
        "subject": m.subject,
        "group": m.group,
        "quote": m.quote,
        "source": m.source.source,
        "place": m.source.place,
        "page": m.source.page,
        "line": m.source.line_start,
    }
    if m.compared_with:
        entry["compared_with"] = m.compared_with
    if m.kind is MetricKind.CHANGE:
        entry["value_from"] = m.value_from
    if m.direction is not None:
        entry["direction"] = m.direction.value
    return entry


def _summary(entries: list[dict[str, Any]]) -> str:
    """Each figure once, as a reader scans the row: what restates another is left out, and a figure the
    document states in two places (its text and its plan: Warrington's "70%" and "75%") is written once;
    the list beside the summary keeps every metric id."""
    shown: dict[tuple[str, str, str], str] = {}
    for e in entries:
        if not e["restates"]:
            # one figure however its period is written ("2021/22", "2021.22": both end March 2022)
            key = (written(e), e["period_norm"] or e["period"], e.get("compared_with", ""))
            shown.setdefault(key, written(e) + _when(e))
    return "; ".join(shown.values())


def _when(entry: Mapping[str, Any]) -> str:
    """A figure's period in brackets; a change's with the date it is measured from ("−41 (since 2021)",
    "+5% (2022 → 2023)")."""
    since, period = entry.get("compared_with", ""), entry["period"]
    if since:
        return f" ({since} → {period})" if period else f" (since {since})"
    return f" ({period})" if period else ""


def _parts(parts: list[dict[str, Any]], entries: dict[str, dict[str, Any]]) -> str:
    """The breakdowns of a row's totals, each once, as "what it counts: figure" in the document's words
    ("male: 131", "recorded as White British: 278 (84%)", "returning home: 38 (2013-14)"); a share of a part
    is written in brackets after it."""
    shares: dict[str, list[str]] = {}
    for e in parts:
        whole = entries[e["part_of"]]
        if whole["part_of"] in entries and e["unit"] == Unit.PERCENT and whole["unit"] != Unit.PERCENT:
            shares.setdefault(whole["metric_id"], []).append(e["metric_id"])
    attached = {metric_id for ids in shares.values() for metric_id in ids}
    shown: dict[str, str] = {}
    for e in parts:
        if e["restates"] or e["metric_id"] in attached:
            continue
        figure = " ".join((written(e), *(f"({written(entries[s])})" for s in shares.get(e["metric_id"], ()))))
        figure += _when(e)
        label = _part_label(e, entries[e["part_of"]])
        shown.setdefault(f"{label}|{figure}", f"{label}: {figure}" if label else figure)
    return "; ".join(shown.values())


def _part_label(part: Mapping[str, Any], whole: Mapping[str, Any]) -> str:
    """What a part counts beyond its total: its group ("male") if not the total's, else its subject past the total's
    ("recorded as White British" of "children in care recorded as White British"), past linking words and
    the pronouns of partitives ("them are over 18": "over 18")."""
    group = part["group"] if part["group"] != whole["group"] else ""  # "22.2% of the population": its whole's
    words = (group or part["subject"]).split()
    whole_words = whole["subject"].casefold().split()
    if not group and [w.casefold() for w in words[: len(whole_words)]] == whole_words:
        words = words[len(whole_words) :]
    linking = _linking_words()
    while words and words[0].casefold() in linking:
        words = words[1:]
    return " ".join(words)


def _linking_words() -> frozenset[str]:
    cues = load_cues()
    pronouns = (w for phrase in cues.indicators.partitives for w in phrase.split())
    return frozenset((*cues.statements.subject_trim, *pronouns))


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
