"""The story's figures: matplotlib Figures drawn from `policylens.analysis` tables.

Every function takes the loaded `Outputs` and returns a new `Figure`; none draws on global
pyplot state, so figures can be made in a library, a notebook or a test alike and rendered
by the Agg canvas (no display needed). `write_story_figures(folder)` writes them all to
`folder/figures/*.png`, byte for byte the same on every run (no timestamp in the PNGs).
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import matplotlib as mpl
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.ticker import FixedLocator, MaxNLocator

from policylens import analysis
from policylens.analysis import Outputs

DPI = 110
PNG_METADATA: dict[str, str | None] = {"Software": None}  # no version stamp: the same bytes on every machine
COUNCIL_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#8c564b")
RELATION_COLOURS = {"carried_forward": "#2ca02c", "revised": "#1f77b4", "new": "#ff7f0e", "dropped": "#9e9e9e"}
SHARING_COLOURS = {"shared_with_all": "#1b7837", "shared_with_some": "#7fbf7b", "unique": "#bdbdbd"}
KIND_MARKERS = {"baseline": "o", "target": "^", "change": "s"}
# the way a target level moves, after its value: "to at least 70%" is drawn at 70 as "70%↑", never "+70%"
DIRECTION_ARROWS = {"increase": "↑", "decrease": "↓", "maintain": "=", "reach": ""}
# a target stated as a change or a factor is no level: drawn along the top of its panel, not on the scale
RELATIVE_MARKER = "D"
RELATIVE_ROW = 0.95  # its height in the panel (axes fraction)
CHANGE_SIGNS = {"increase": "+", "decrease": "−"}
LABEL_WIDTH = 55


def _figure(width: float, height: float) -> Figure:
    fig = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)  # the Agg canvas: renders without a display, in any process
    return fig


def _theme_colours() -> dict[str, tuple[float, float, float, float]]:
    palette = mpl.colormaps["tab10"]
    return {theme: palette(i % 10) for i, theme in enumerate(analysis.theme_labels())}


def council_colours(outputs: Outputs) -> dict[str, str]:
    return {c: COUNCIL_COLOURS[i % len(COUNCIL_COLOURS)] for i, c in enumerate(analysis.councils(outputs))}


def _wrapped(text: str, width: int = 16) -> str:
    return textwrap.fill(text, width=width)


def _short(text: str, width: int = LABEL_WIDTH) -> str:
    return textwrap.shorten(" ".join(text.split()), width=width, placeholder="…")


# --- 1. the corpus ---------------------------------------------------------------------


def actions_by_section(outputs: Outputs) -> Figure:
    """One panel per document: how many actions each section of its plan holds."""
    counts = analysis.actions_by_section(outputs)
    docs = [d for d in outputs.doc_order if d in set(counts["doc_id"])]
    sizes = [int((counts["doc_id"] == d).sum()) for d in docs]
    fig = _figure(10, 0.28 * sum(sizes) + 0.9 * len(docs))
    axes = fig.subplots(len(docs), 1, gridspec_kw={"height_ratios": sizes}, squeeze=False)[:, 0]
    colours = council_colours(outputs)
    for ax, doc in zip(axes, docs, strict=True):
        rows = counts[counts["doc_id"] == doc]
        labels = [_short(s) for s in rows["section"]]
        ax.barh(range(len(rows)), rows["n_actions"], color=colours[str(rows["council"].iloc[0])])
        ax.set_yticks(range(len(rows)), labels, fontsize=8)
        ax.invert_yaxis()
        for y, n in enumerate(rows["n_actions"]):
            ax.text(int(n) + 0.2, y, str(n), va="center", fontsize=8)
        ax.set_title(
            f"{rows['label'].iloc[0]} ({doc}): {int(rows['n_actions'].sum())} actions", fontsize=10, loc="left"
        )
        ax.set_xlim(0, int(counts["n_actions"].max()) + 2)
        ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))
        ax.spines[["top", "right"]].set_visible(False)
    axes[-1].set_xlabel("actions")
    fig.suptitle("Actions by section of each action plan", fontsize=12)
    return fig


def actions_by_theme(outputs: Outputs) -> Figure:
    """Stacked bars: each document's actions by primary theme."""
    counts = analysis.actions_by_theme(outputs)
    table = counts.pivot(index="label", columns="theme", values="n_actions")
    table = table.loc[list(dict.fromkeys(counts["label"])), list(analysis.theme_labels())]
    fig = _figure(10, 4.2)
    ax = fig.add_subplot()
    _stacked_bars(ax, table, _theme_colours(), analysis.theme_labels())
    ax.set_xlabel("actions")
    ax.set_title("Actions by primary theme", fontsize=12)
    return fig


def _stacked_bars(
    ax: Axes,
    table: pd.DataFrame,
    colours: dict[str, str] | dict[str, tuple[float, float, float, float]],
    labels: dict[str, str],
) -> None:
    left = [0.0] * len(table)
    for column in table.columns:
        values = [float(v) for v in table[column]]
        ax.barh(list(table.index), values, left=left, color=colours[column], label=labels[column])
        for y, (start, value) in enumerate(zip(left, values, strict=True)):
            if value >= 2:
                ax.text(start + value / 2, y, f"{value:g}", ha="center", va="center", fontsize=8)
        left = [a + b for a, b in zip(left, values, strict=True)]
    ax.invert_yaxis()
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)


# --- 2. priorities ------------------------------------------------------------------------


def series_theme_shares(outputs: Outputs, series: str | None = None) -> Figure:
    """Grouped bars: each theme's share of a council's actions, one bar per strategy
    (default: the council with the longest series of strategies)."""
    series = series or analysis.series_council(outputs) or ""
    shares = analysis.theme_shares(outputs)
    shares = shares[shares["council"] == series]
    labels = list(dict.fromkeys(shares["label"]))
    themes = list(analysis.theme_labels())
    fig = _figure(11, 4.5)
    ax = fig.add_subplot()
    width = 0.8 / max(len(labels), 1)
    greys = ["#c6dbef", "#6baed6", "#08519c", "#08306b"]
    for i, label in enumerate(labels):
        row = shares[shares["label"] == label].set_index("theme").loc[themes]
        xs = [t + (i - (len(labels) - 1) / 2) * width for t in range(len(themes))]
        values = [100 * float(v) for v in row["share"]]
        ax.bar(xs, values, width=width, color=greys[i % len(greys)], label=label)
        for x, v in zip(xs, values, strict=True):
            ax.text(x, v + 0.5, f"{v:.0f}", ha="center", fontsize=7)
    ax.set_xticks(range(len(themes)), [_wrapped(analysis.theme_labels()[t]) for t in themes], fontsize=8)
    ax.set_ylabel("% of the strategy's actions")
    ax.set_title(f"How {series}'s priorities moved: share of actions by theme", fontsize=12)
    ax.legend(frameon=False, loc="upper center", ncols=len(labels))
    ax.set_ylim(0, 5 + 100 * float(shares["share"].max()) * 1.15)
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def theme_heatmap(outputs: Outputs) -> Figure:
    """Documents x themes, the share of each document's actions (%), councils side by side."""
    matrix = analysis.theme_share_matrix(outputs)
    order = sorted(matrix.index, key=lambda label: (_council_rank(outputs, label), label))
    matrix = matrix.loc[order] * 100
    fig = _figure(12.5, 0.55 * len(matrix) + 2.2)
    ax = fig.add_subplot()
    image = ax.imshow(matrix.to_numpy(dtype=float), cmap="Blues", vmin=0, vmax=max(30.0, float(matrix.max().max())))
    for y, row in enumerate(matrix.to_numpy(dtype=float)):
        for x, value in enumerate(row):
            ax.text(
                x, y, f"{value:.0f}", ha="center", va="center", fontsize=9, color="white" if value > 18 else "black"
            )
    labels = analysis.theme_labels()
    ax.set_xticks(range(len(matrix.columns)), [_wrapped(labels[t]) for t in matrix.columns], fontsize=8)
    sizes = analysis.actions_by_theme(outputs).groupby("label")["n_actions"].sum()
    ax.set_yticks(range(len(matrix)), [f"{label} ({int(sizes[label])} actions)" for label in matrix.index])
    fig.colorbar(image, ax=ax, label="% of the document's actions", shrink=0.8)
    ax.set_title("Priorities side by side: share of actions by theme (%)", fontsize=12)
    return fig


def _council_rank(outputs: Outputs, label: str) -> int:
    council = str(outputs.documents.set_index("label").loc[label, "council"])
    return analysis.councils(outputs).index(council)


# --- 3. targets and baselines ----------------------------------------------------------------


def indicator_timelines(outputs: Outputs, indicators: tuple[str, ...] = analysis.STORY_INDICATORS) -> Figure:
    """Small multiples: each indicator's baselines (filled), targets (open) and changes over the years."""
    timeline = analysis.indicator_timeline(outputs, indicators)
    columns = 2
    rows = (len(indicators) + columns - 1) // columns
    fig = _figure(12, 3.6 * rows + 0.8)
    axes = fig.subplots(rows, columns, squeeze=False).ravel()
    colours = council_colours(outputs)
    for ax, indicator in zip(axes, indicators, strict=False):
        _timeline_panel(ax, timeline[timeline["indicator"] == indicator], indicator, colours)
        ax.set_xlim(*_years_shown(timeline))
    for ax in axes[len(indicators) :]:
        ax.set_visible(False)
    handles = [Line2D([], [], color=c, marker="o", linestyle="", label=name) for name, c in colours.items()]
    handles += [
        Line2D([], [], color="black", marker="o", linestyle="", label="baseline (reported)"),
        Line2D(
            [],
            [],
            color="black",
            marker="^",
            markerfacecolor="white",
            linestyle="",
            label="target level (↑/↓ raise/lower)",
        ),
        Line2D(
            [],
            [],
            color="black",
            marker=RELATIVE_MARKER,
            markerfacecolor="white",
            linestyle="",
            label="target change or factor, along the top (+/− by, × times)",
        ),
        Line2D([], [], color="black", marker="s", linestyle="-", label="change (from → to)"),
    ]
    fig.legend(handles=handles, loc="outside lower center", ncols=len(handles), fontsize=8, frameon=False)
    fig.suptitle("Baselines and targets across councils and years", fontsize=12)
    return fig


def _years_shown(timeline: pd.DataFrame) -> tuple[float, float]:
    """Every panel the same span of years: from the first figure's year to the last target's, whatever they are."""
    years = timeline["year"].dropna()
    if not len(years):
        return (2005.5, 2026.5)
    return (float(years.min()) - 1.5, float(years.max()) + 1.5)


def _timeline_panel(ax: Axes, rows: pd.DataFrame, indicator: str, colours: dict[str, str]) -> None:
    unit = _unit_of(indicator)
    rows = rows[rows["year"].notna()]  # a document with no period (a file outside a corpus) has no place in time
    rows = rows[rows["restates"].fillna("") == ""]  # a figure its action states twice is drawn once
    relative = _relative_targets(rows)
    levels = rows.drop(relative.index)
    plotted = levels[levels["unit"] == unit]
    others = levels[levels["unit"] != unit]
    if unit == "count":
        # a document states one total a year; its smaller counts of the same thing are parts of it
        # ("278 children in care recorded as White British" of 330), listed under the panel, not drawn
        largest = plotted.groupby(["doc_id", "kind", "year"])["value"].transform("max")
        others = pd.concat([others, plotted[plotted["value"] < largest]])
        plotted = plotted[plotted["value"] >= largest]
    # a figure stated twice (in the text and again in the plan) is one point; the tables keep both
    points = plotted.drop_duplicates(["doc_id", "kind", "year", "value"]).sort_values(["year", "value"], kind="stable")
    dodge = {name: 0.3 * (i - (len(colours) - 1) / 2) for i, name in enumerate(colours)}
    # an empty panel (a document with no figure for this indicator) still needs a scale
    top = float(plotted["value"].max()) if len(plotted) else 0.0
    span = 110.0 if unit == "percent" else 1.2 * (top or 1.0)
    records = _records(points)
    xs = [float(r["year"]) + dodge[str(r["council"])] for r in records]
    taken = [
        _Box(x - 0.25, float(r["value"]) - 0.025 * span, 0.5, 0.05 * span) for x, r in zip(xs, records, strict=True)
    ]
    for x, record in zip(xs, records, strict=True):
        _timeline_point(ax, record, x, colours[str(record["council"])], taken=taken, span=span)
    _relative_row(ax, relative, dodge, colours)
    ax.set_title(analysis.indicator_labels().get(indicator, indicator), fontsize=10, loc="left")
    ax.set_ylabel("%" if unit == "percent" else unit)
    level_top = 110.0 if unit == "percent" else (1.2 * float(plotted["value"].max()) if len(plotted) else 1.0)
    # room above the levels for the row of changes and factors
    ax.set_ylim(0, level_top * (1.2 if len(relative) else 1.0))
    if len(relative):
        _level_ticks(ax, 100.0 if unit == "percent" else level_top)
    ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True, nbins=8))
    ax.grid(axis="y", color="#eeeeee")
    ax.spines[["top", "right"]].set_visible(False)
    if len(others):
        # values in another unit, or parts of a total, are listed, not drawn on this scale
        stated = "; ".join(
            f"{r['label']} {r['value']:g} ({r['unit'] if r['unit'] != unit else 'part of a total'})"
            for r in _records(others)
        )
        ax.text(0.0, -0.16, _short(f"also stated: {stated}", 110), transform=ax.transAxes, fontsize=7, color="#555555")
    if not len(rows):
        ax.text(0.5, 0.5, "no figures stated", transform=ax.transAxes, ha="center", color="#777777")


def _relative_targets(rows: pd.DataFrame) -> pd.DataFrame:
    """Targets whose value is the size of a change ("increase by 10%") or a factor ("halve"): no level."""
    return rows[(rows["kind"] == "target") & rows["value_is"].isin(["change", "factor"])]


def _relative_row(ax: Axes, relative: pd.DataFrame, dodge: dict[str, float], colours: dict[str, str]) -> None:
    """Changes and factors in a shaded row along the top of a panel, off its scale, at their years: one
    marker per document and year, labelled "+10, −50%" (each label once, as a level's point is drawn once)."""
    if not len(relative):
        return
    top = ax.get_xaxis_transform()  # x in years, y a fraction of the panel's height
    ax.add_patch(Rectangle((0, RELATIVE_ROW - 0.05), 1, 0.1, transform=ax.transAxes, color="#f3f3f3", zorder=0))
    for (council, year), group in relative.groupby(["council", "year"], sort=True):
        x, colour = float(str(year)) + dodge[str(council)], colours[str(council)]
        labels = ", ".join(dict.fromkeys(_relative_label(r) for r in _records(group)))
        ax.plot([x], [RELATIVE_ROW], marker=RELATIVE_MARKER, color=colour, markerfacecolor="white", transform=top)
        ax.text(x + 0.3, RELATIVE_ROW, labels, fontsize=7, va="center", transform=top)


def _level_ticks(ax: Axes, top: float) -> None:
    """Ticks only up to the levels' scale: the row of changes above it is on no scale."""
    ax.yaxis.set_major_locator(FixedLocator([t for t in MaxNLocator(nbins=6).tick_values(0, top) if 0 <= t <= top]))


def _relative_label(record: dict[str, Any]) -> str:
    value, unit = float(record["value"]), str(record["unit"])
    if record["value_is"] == "factor":
        return f"×{value:g}"
    sign = CHANGE_SIGNS.get(str(record["direction"]), "±")
    return f"{sign}{value:g}{_RELATIVE_SUFFIXES.get(unit, '')}"


_RELATIVE_SUFFIXES = {"percent": "%", "percentage_points": " pp"}
"""How a change's unit is written beside it in a chart ("+5%", "+5 pp" for percentage points)."""


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(k): v for k, v in row.items()} for row in frame.to_dict("records")]


@dataclass(frozen=True, slots=True)
class _Box:
    """A label's or marker's extent in data units, to keep labels from overprinting each other."""

    x: float
    y: float
    width: float
    height: float

    def overlaps(self, other: _Box) -> bool:
        return (
            self.x < other.x + other.width
            and other.x < self.x + self.width
            and self.y < other.y + other.height
            and other.y < self.y + self.height
        )


# where a value label may go, in order of preference: (x offset in years, y offset in label heights, alignment)
LABEL_SPOTS = (
    (0.35, -0.5, "left"),
    (-0.35, -0.5, "right"),
    (0.35, 0.6, "left"),
    (0.35, -1.6, "left"),
    (-0.35, 0.6, "right"),
    (-0.35, -1.6, "right"),
    (0.35, 1.7, "left"),
    (0.35, -2.7, "left"),
)
YEARS_PER_CHARACTER = 0.24  # a 7-point character on a panel spanning 21 years


def _label_spot(x: float, y: float, text: str, taken: list[_Box], span: float) -> tuple[float, float, str]:
    width, height = YEARS_PER_CHARACTER * len(text), 0.05 * span
    for dx, dy, align in LABEL_SPOTS:
        left = x + dx if align == "left" else x + dx - width
        box = _Box(left, y + dy * height, width, height)
        if not any(box.overlaps(other) for other in taken):
            taken.append(box)
            return x + dx, y + (dy + 0.5) * height, align
    dx, dy, align = LABEL_SPOTS[0]
    return x + dx, y + (dy + 0.5) * height, align


def _timeline_point(
    ax: Axes, record: dict[str, Any], year: float, colour: str, *, taken: list[_Box], span: float
) -> None:
    value = float(record["value"])
    kind = str(record["kind"])
    face = "white" if kind == "target" else colour
    if kind == "change" and not pd.isna(record["value_from"]):
        ax.annotate(
            "",
            xy=(year, value),
            xytext=(year, float(record["value_from"])),
            arrowprops={"arrowstyle": "->", "color": colour, "lw": 1.2},
        )
    ax.plot([year], [value], marker=KIND_MARKERS.get(kind, "o"), color=colour, markerfacecolor=face, markersize=7)
    suffix = "%" if str(record["unit"]) == "percent" else ""
    arrow = DIRECTION_ARROWS.get(str(record["direction"]), "") if kind == "target" else ""
    text = f"{value:g}{suffix}{arrow}"
    x, y, align = _label_spot(year, value, text, taken, span)
    ax.text(x, y, text, fontsize=7, ha=align, va="center")


def _unit_of(indicator: str) -> str:
    from policylens.metrics.vocab import load_catalogue

    units = {i.id: i.unit.value for i in load_catalogue()}
    return units.get(indicator, "percent")


# --- 4. the audit -------------------------------------------------------------------------------


def audit_flow(outputs: Outputs, series: str | None = None) -> Figure:
    """Per step of a series (default: the longest): commitments carried forward, revised, new and dropped."""
    series = series or analysis.longest_series(outputs) or ""
    summary = analysis.audit_summary(outputs, series).set_index("step")[list(analysis.RELATIONS)]
    fig = _figure(10, 1.0 * len(summary) + 1.8)
    ax = fig.add_subplot()
    names = {r: f"{r.replace('_', ' ')} ({int(summary[r].sum())} in all)" for r in analysis.RELATIONS}
    _stacked_bars(ax, summary, RELATION_COLOURS, names)
    ax.set_xlabel("commitments (carried forward, revised, dropped: of the earlier strategy; new: of the later)")
    ax.set_title(f"{series.title()}: what happened to each commitment at each new strategy", fontsize=12)
    return fig


def deadline_shifts(outputs: Outputs, series: str | None = None) -> Figure:
    """Linked commitments whose deadline or target changed: the old and new due dates, and the target change."""
    series = series or analysis.longest_series(outputs) or ""
    changes = analysis.audit_changes(outputs, series)
    # a commitment a strategy states twice is one row here (the audit table keeps both copies)
    changes = changes[changes["restates"].fillna("") == ""].reset_index(drop=True)
    fig = _figure(13, 0.5 * len(changes) + 1.8)
    ax = fig.add_subplot()
    for y, row in enumerate(_records(changes)):
        start, end = _year(str(row["from_due"])), _year(str(row["to_due"]))
        if start is not None and end is not None:
            ax.annotate("", xy=(end, y), xytext=(start, y), arrowprops={"arrowstyle": "->", "color": "#1f77b4"})
        for when, face in ((start, "white"), (end, "#1f77b4")):
            if when is not None:
                ax.plot([when], [y], marker="o", color="#1f77b4", markerfacecolor=face)
        ax.text(2024.5, y, textwrap.fill(_shift_note(row), 62), va="center", fontsize=7, linespacing=1.1)
    ax.set_yticks(range(len(changes)), [_shift_label(row, series) for row in _records(changes)])
    ax.tick_params(axis="y", labelsize=8)
    ax.invert_yaxis()
    ax.set_xlim(2005, 2042)
    ax.set_xticks(range(2006, 2025, 2))
    ax.grid(axis="x", color="#eeeeee")
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(
        f"{series.title()}: revised commitments, old deadline (open) → new deadline (filled), and target changes",
        fontsize=11,
    )
    return fig


def _shift_label(row: dict[str, object], series: str) -> str:
    """ "2008#21 → 2017#1  Increase the number of foster…": ids without the series, and what was promised."""
    ids = [str(row[k]).removeprefix(f"{series}-") for k in ("from_id", "to_id")]
    return f"{ids[0]} → {ids[1]}  {_short(str(row['from_action']), 42)}"


def _shift_note(row: dict[str, object]) -> str:
    note = f"target {row['target_change']}".replace("->", "→") if row["target_change"] else ""
    if _year(str(row["from_due"])) is None:
        old = _short(str(row["from_timescale"]), 40) or "none given"
        note = "; ".join(n for n in (note, f"old timescale: {old}") if n)
    if _year(str(row["to_due"])) is None:
        new = _short(str(row["to_timescale"]), 40) or "none given"
        note = "; ".join(n for n in (note, f"new timescale: {new}") if n)
    return note


def _year(iso: str) -> float | None:
    """An ISO date as a fractional year, for a year axis."""
    if not iso:
        return None
    day = date.fromisoformat(iso)
    return day.year + (day.timetuple().tm_yday - 1) / 365.0


# --- 5. councils compared ---------------------------------------------------------------------------


def council_sharing(outputs: Outputs) -> Figure:
    """Per council: commitments with a counterpart in every other council, in some, or in none."""
    summary = analysis.sharing_summary(outputs).set_index("council")[list(SHARING_COLOURS)]
    fig = _figure(10, 3.4)
    ax = fig.add_subplot()
    others = len(summary) - 1
    names = {
        "shared_with_all": f"shared with all {others} other councils",
        "shared_with_some": "shared with one other council",
        "unique": "unique to the council",
    }
    _stacked_bars(ax, summary, SHARING_COLOURS, names)
    ax.set_xlabel("actions (all of the council's strategies)")
    ax.set_title("Which commitments councils share", fontsize=12)
    return fig


def sharing_matrix(outputs: Outputs) -> Figure:
    """Council x council: how many of the row council's commitments have a counterpart in the column council."""
    matrix = analysis.sharing_matrix(outputs)
    fig = _figure(6.5, 4.8)
    ax = fig.add_subplot()
    values = matrix.to_numpy(dtype=float)
    shares = values / values.diagonal()[:, None].clip(min=1)
    ax.imshow(shares, cmap="Greens", vmin=0, vmax=1)
    for y in range(len(matrix)):
        for x in range(len(matrix.columns)):
            share = values[y, x] / values[y, y] if values[y, y] else 0.0
            text = f"{values[y, x]:.0f} of {values[y, y]:.0f}" if x != y else f"{values[y, y]:.0f} actions"
            colour = "white" if x == y or share > 0.6 else "black"
            ax.text(
                x, y, text if x == y else f"{text}\n({share:.0%})", ha="center", va="center", fontsize=9, color=colour
            )
    ax.set_xticks(range(len(matrix.columns)), list(matrix.columns))
    ax.set_yticks(range(len(matrix)), list(matrix.index))
    ax.set_xlabel("has a counterpart in")
    ax.set_ylabel("commitments of")
    ax.set_title("Shared commitments between councils", fontsize=12)
    return fig


# --- writing ------------------------------------------------------------------------------------------

FIGURES: dict[str, Callable[[Outputs], Figure]] = {
    "actions-by-section": actions_by_section,
    "actions-by-theme": actions_by_theme,
    "series-theme-shares": series_theme_shares,
    "theme-heatmap": theme_heatmap,
    "indicator-timelines": indicator_timelines,
    "series-audit": audit_flow,
    "series-deadline-shifts": deadline_shifts,
    "council-sharing": council_sharing,
    "council-sharing-matrix": sharing_matrix,
}
NOTEBOOK_FIGURES: dict[str, tuple[str, ...]] = {
    "1-corpus-tour": ("actions-by-section", "actions-by-theme"),
    "2-priorities": ("series-theme-shares", "theme-heatmap"),
    "3-targets-and-baselines": ("indicator-timelines",),
    "4-halton-audit": ("series-audit", "series-deadline-shifts"),
    "5-comparing-councils": ("council-sharing", "council-sharing-matrix"),
}


def png_bytes(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, metadata=PNG_METADATA)
    return buffer.getvalue()


def save(fig: Figure, path: Path) -> Path:
    """Write a figure as PNG (parent folders made), the same bytes on every run."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(png_bytes(fig))
    return path


def figures_folder(folder: Path) -> Path:
    return Path(folder) / "figures"


SERIES_FIGURES = ("series-theme-shares", "series-audit", "series-deadline-shifts")
"""Figures of one series of strategies: drawn only when the outputs hold one."""


def write_figure(outputs: Outputs, name: str, out: Path | None = None) -> Path:
    """Draw one story figure by name and write it to `out` (default: the outputs' figures/ folder)."""
    if name not in FIGURES:
        raise KeyError(f"unknown figure {name!r}: one of {', '.join(FIGURES)}")
    target = (out or figures_folder(outputs.folder)) / f"{name}.png"
    return save(FIGURES[name](outputs), target)


def write_story_figures(folder: Path, out: Path | None = None) -> list[Path]:
    """Every story figure of an output folder, as `folder/figures/<name>.png`."""
    outputs = analysis.load_outputs(folder)
    return [write_figure(outputs, name, out) for name in drawable(outputs)]


COUNCIL_FIGURES = ("council-sharing", "council-sharing-matrix")
"""Figures comparing councils: drawn only when the outputs hold two councils or more."""
ACTION_FIGURES = ("actions-by-section", "actions-by-theme", "theme-heatmap")
"""Figures of the action plans: drawn only when some action was extracted."""


def drawable(outputs: Outputs) -> list[str]:
    """The story figures the outputs have data for: one document per council has no series to audit,
    one council none to compare, a folder of documents with no action plan no plan to draw."""
    has_series = analysis.longest_series(outputs) is not None
    councils = outputs.documents["council"].nunique() if len(outputs.documents) else 0
    skipped = set() if has_series else set(SERIES_FIGURES)
    skipped |= set(COUNCIL_FIGURES) if councils < 2 else set()
    skipped |= set(ACTION_FIGURES) if outputs.actions.empty else set()
    skipped |= {"indicator-timelines"} if outputs.metrics.empty else set()
    return [name for name in FIGURES if name not in skipped]
