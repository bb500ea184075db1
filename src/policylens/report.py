"""One self-contained HTML report telling the notebooks' story, with searchable source tables.

    write_report(folder, out=None) -> Path; write_story(folder) -> the figures and the report

The report needs nothing but the file: figures are embedded PNGs (base64), the filter boxes
are a few lines of inline script (no CDN, no library). Every text that comes from a document
(actions, quotes, titles, section names) is escaped with `html.escape`, and a Content Security
Policy lets only the report's own script run, so a document can never inject markup or code.
"""

from __future__ import annotations

import base64
import hashlib
import html
import math
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from policylens import analysis, figures
from policylens.analysis import Outputs
from policylens.model import position_name
from policylens.store import write_atomic

REPORT_NAME = "report.html"

_NUMBERS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def _count(n: int, noun: str, plural: str = "") -> str:
    """ "five strategies", "one council", "12 strategies"."""
    word = _NUMBERS[n] if n < len(_NUMBERS) else str(n)
    return f"{word} {noun if n == 1 else plural or noun + 's'}"


def _corpus_intro(outputs: Outputs) -> str:
    docs, councils = len(outputs.documents), outputs.documents["council"].nunique() if len(outputs.documents) else 0
    return (
        f"{_count(docs, 'strategy', 'strategies').capitalize()} from {_count(councils, 'council')}. Each action plan "
        "may be laid out differently (outcomes, pledges to the child, priorities, objectives); policylens reads them "
        "into one schema and gives every action a primary theme."
    )


def _priorities_intro(outputs: Outputs) -> str:
    sizes = outputs.actions.groupby("doc_id").size() if not outputs.actions.empty else pd.Series(dtype=int)
    text = "A theme's share of a strategy's actions, for the longest series of strategies and for all side by side."
    if len(sizes):
        doc, n = str(sizes.idxmin()), int(sizes.min())
        name = dict(zip(outputs.documents["doc_id"], outputs.documents["label"], strict=True)).get(doc, doc)
        text += f" Short plans move in big steps: one of {name}'s {n} actions is {100 / n:.0f} percentage points."
    return text


def _series_intro(outputs: Outputs) -> str:
    series = analysis.longest_series(outputs)
    where = f" ({series})" if series else " (none here: every council has one strategy)"
    return (
        f"Each commitment of the longest series of strategies{where} linked to its counterpart in the next: carried "
        "forward (the same commitment), revised (another target, deadline, lead or scope: a deadline or lead one side "
        "leaves out is not another one), "
        "dropped or new. The matcher is still short of "
        "its goal: it misses many of the links careful readers find (README, Themes and links), so some 'dropped' "
        "commitments were carried on in other words; each names its nearest candidate, where to start checking, "
        "and review.csv beside this report lists the pairs worth a reviewer's look, as a decisions file to fill in "
        "and give back (README, The review sheet)."
    )


def _councils_intro(outputs: Outputs) -> str:
    per_council = outputs.documents.groupby("council").size() if len(outputs.documents) else pd.Series(dtype=int)
    text = (
        "A commitment is shared with another council when the matcher linked it to a commitment in one of that "
        "council's strategies."
    )
    if len(per_council) and per_council.max() > 1:
        most = str(per_council.idxmax())
        n = _count(int(per_council.max()), "strategy", "strategies")
        text += f" {most} has {n}, so more chances to be matched; read the counts as a lower bound."
    return text


def _targets_intro(outputs: Outputs) -> str:
    return (
        "Baselines (filled circles), targets and changes (arrows) for the indicators most often reported. A target "
        "level is an open triangle at the level aimed for, ↑ or ↓ beside its value for the way it moves (“to at least "
        "70%” is 70%↑); a target stated as a change or a factor (“increase by 10%” +10%, “halve” ×0.5) is no level, "
        "so it is an open diamond in the shaded row along the top of its panel. A figure its action states twice is "
        "drawn once. A figure with no date of its own is placed at the "
        "document's first year (baselines) or last year (targets). The table of targets and metrics below gives "
        "every figure's quote and source."
    )


# (section title, its introduction from the outputs, figure names) in the order of the notebooks; the
# introductions say what these outputs hold, never what the bundled corpus holds
STORY: tuple[tuple[str, Callable[[Outputs], str], tuple[str, ...]], ...] = (
    ("1. The corpus", _corpus_intro, figures.NOTEBOOK_FIGURES["1-corpus-tour"]),
    ("2. How priorities changed", _priorities_intro, figures.NOTEBOOK_FIGURES["2-priorities"]),
    ("3. How targets and baselines changed", _targets_intro, figures.NOTEBOOK_FIGURES["3-targets-and-baselines"]),
    ("4. The audit of a series of strategies", _series_intro, figures.NOTEBOOK_FIGURES["4-halton-audit"]),
    ("5. Comparing councils", _councils_intro, figures.NOTEBOOK_FIGURES["5-comparing-councils"]),
)

STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0 auto; max-width: 1200px;
       padding: 1rem 2rem; color: #222; line-height: 1.45; }
h1 { font-size: 1.7rem; } h2 { margin-top: 2.5rem; border-bottom: 1px solid #ddd; }
figure { margin: 1rem 0; } figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption { color: #555; font-size: 0.9rem; }
table { border-collapse: collapse; font-size: 0.85rem; width: 100%; }
th, td { border: 1px solid #ddd; padding: 0.25rem 0.4rem; vertical-align: top; text-align: left; }
td { white-space: pre-wrap; } th { background: #f3f3f3; position: sticky; top: 0; }
.scroll { max-height: 32rem; overflow: auto; border: 1px solid #ddd; }
.filter { width: 24rem; max-width: 100%; padding: 0.3rem; margin: 0.5rem 0; font-size: 0.95rem; }
.count { color: #555; margin-left: 0.6rem; font-size: 0.9rem; }
.source { color: #555; font-size: 0.8rem; }
"""

# Filters every table that has a filter box: a row stays when it contains every word typed.
# A link ending in #filter=words opens the report with those words in every box.
SCRIPT = """
(function () {
  function apply(box) {
    var table = document.getElementById(box.getAttribute("data-table"));
    var count = document.getElementById(box.getAttribute("data-table") + "-count");
    var words = box.value.toLowerCase().split(/\\s+/).filter(function (w) { return w.length > 0; });
    var rows = table.tBodies[0].rows, shown = 0;
    for (var i = 0; i < rows.length; i++) {
      var text = rows[i].textContent.toLowerCase();
      var keep = words.every(function (w) { return text.indexOf(w) !== -1; });
      rows[i].hidden = !keep;
      if (keep) { shown++; }
    }
    count.textContent = shown + " of " + rows.length + " rows";
  }
  var boxes = document.querySelectorAll("input.filter");
  var start = decodeURIComponent((location.hash.match(/^#filter=(.*)$/) || ["", ""])[1]);
  for (var i = 0; i < boxes.length; i++) {
    boxes[i].addEventListener("input", function (event) { apply(event.target); });
    if (start) { boxes[i].value = start; }
    apply(boxes[i]);
  }
})();
"""


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)) or value == ""


def esc(value: object) -> str:
    """Any value as HTML text: documents' words are data, never markup."""
    return "" if _missing(value) else html.escape(str(value), quote=True)


def _source(source: object, page: object, line_start: object, line_end: object = None) -> str:
    """Where a row came from: 'text/halton-2017.txt, line 301', 'pdf/x.pdf, page 4' or 'plan.docx, paragraph 12'."""
    where = str(source)
    if not _missing(page):
        return f"{where}, page {page}"
    if not _missing(line_start):
        lines = f"{line_start}" if _missing(line_end) or line_end == line_start else f"{line_start}–{line_end}"
        return f"{where}, {position_name(where)} {lines}"
    return where


def _figure_html(name: str, png: bytes) -> str:
    doc = figures.FIGURES[name].__doc__ or name
    caption = " ".join(doc.split())
    data = base64.b64encode(png).decode("ascii")
    return (
        f'<figure id="fig-{esc(name)}"><img src="data:image/png;base64,{data}" alt="{esc(caption)}">'
        f"<figcaption>{esc(caption)}</figcaption></figure>"
    )


def _table(table_id: str, columns: Sequence[str], rows: Iterable[Sequence[object]], label: str | None = None) -> str:
    head = "".join(f"<th>{esc(c)}</th>" for c in columns)
    body = "\n".join("<tr>" + "".join(f"<td>{esc(v)}</td>" for v in row) + "</tr>" for row in rows)
    table = f'<table id="{table_id}"><thead><tr>{head}</tr></thead><tbody>\n{body}\n</tbody></table>'
    if label is None:
        return table
    box = (
        f'<label>Filter {esc(label)}: <input type="search" class="filter" data-table="{table_id}" '
        f'placeholder="words to find, e.g. foster 2018"></label><span class="count" id="{table_id}-count"></span>'
    )
    return f'{box}<div class="scroll">{table}</div>'


def _frame_rows(frame: pd.DataFrame, columns: Sequence[str]) -> list[list[object]]:
    return [[row[c] for c in columns] for row in frame.to_dict("records")]


# --- the tables -----------------------------------------------------------------------------------


def documents_table(outputs: Outputs) -> str:
    columns = ["doc_id", "council_name", "title", "period_start", "period_end", "source", "n_blocks"]
    return _table("t-documents", columns, _frame_rows(outputs.documents, columns))


def actions_table(outputs: Outputs) -> str:
    actions = analysis.actions_with_themes(outputs)
    rows = [
        [
            r["doc_id"],
            r["action_id"],
            r["section"],
            r["action"],
            r["outcome"],
            r["timescale"],
            r["lead"],
            r["theme"],
            _source(r["source"], r["page"], r["line_start"], r["line_end"]),
        ]
        for r in actions.to_dict("records")
    ]
    columns = ["document", "id", "section", "action", "outcome", "timescale", "lead", "theme", "source"]
    return _table("t-actions", columns, rows, "actions")


def metrics_table(outputs: Outputs) -> str:
    rows = [
        [
            r["metric_id"],
            r["indicator"],
            r["kind"],
            _figure(r),
            r["unit"],
            r["direction"],
            r["period"],
            r["quote"],
            "" if _missing(r.get("restates")) else f"restates {r['restates']}",
            _source(r["source"], r["page"], r["line_start"], r["line_end"]),
        ]
        for r in outputs.metrics.to_dict("records")
    ]
    columns = ["metric", "indicator", "kind", "value", "unit", "direction", "period", "quote", "note", "source"]
    return _table("t-metrics", columns, rows, "targets and metrics")


def _figure(row: Mapping[Hashable, Any]) -> str:
    """A metric's value as the researcher's table writes it ("+10%" a change, "×4" a factor, "70%" a level),
    and a reported change "from 62 to 58"."""
    from policylens.metrics.table import written  # the metrics package loads spaCy: only when drawn

    if _missing(row["value"]):
        return ""
    if not _missing(row.get("value_from")):
        return f"from {float(row['value_from']):g} to {float(row['value']):g}"
    return written({**row, "direction": "" if _missing(row.get("direction")) else row["direction"]})


def audit_table(outputs: Outputs, series: str | None = None) -> str:
    """Every row of a series' audit as `audit-<series>.csv` gives it: the step, both sides with their
    timescales and leads, the changes, the evidence (for a dropped or new commitment, its nearest candidate and
    why it was not linked) and where to check each side by eye."""
    series = series or analysis.longest_series(outputs) or ""
    audit = analysis.audit_of(outputs, series)
    rows = [
        [
            f"{r['from_doc']} → {r['to_doc']}",
            r["relation"],
            r["from_id"],
            r["from_action"],
            r["from_timescale"],
            r["from_lead"],
            r["to_id"],
            r["to_action"],
            r["to_timescale"],
            r["to_lead"],
            r["changes"],
            r["evidence"],
            "\n".join(
                f"{i}: {where}" for i, where in ((r["from_id"], r["from_where"]), (r["to_id"], r["to_where"])) if i
            ),
        ]
        for r in audit.to_dict("records")
    ]
    columns = [
        "step",
        "relation",
        "from",
        "from action",
        "from timescale",
        "from lead",
        "to",
        "to action",
        "to timescale",
        "to lead",
        "changes",
        "evidence",
        "source",
    ]
    return _table("t-audit", columns, rows, f"the {series.title()} audit")


def council_links_table(links: pd.DataFrame) -> str:
    """Every commitment linked between two councils (`analysis.cross_council_links`), both sides with their
    sources: which councils commit to the same things, checkable row by row."""
    rows = [
        [
            r["relation"],
            r["a_id"],
            r["a_action"],
            r["b_id"],
            r["b_action"],
            f"{r['score']:.3f}",
            r["changes"],
            r["evidence"],
            f"{r['a_id']}: {r['a_where']}\n{r['b_id']}: {r['b_where']}",
        ]
        for r in links.to_dict("records")
    ]
    columns = ["relation", "a", "a action", "b", "b action", "score", "changes", "evidence", "source"]
    return _table("t-council-links", columns, rows, "the links between councils")


def _summary_tables(outputs: Outputs, index: int) -> str:
    """The small tables shown under a story section's figures."""
    if index == 3 and analysis.longest_series(outputs) is not None:
        summary = analysis.audit_summary(outputs)
        columns = ["step", *analysis.RELATIONS, "links"]
        return _table("t-audit-summary", columns, _frame_rows(summary, columns))
    if index == 4:
        summary = analysis.sharing_summary(outputs)
        columns = ["council", "shared_with_all", "shared_with_some", "unique", "n_actions"]
        return _table("t-sharing", columns, _frame_rows(summary, columns))
    return ""


# --- the page -----------------------------------------------------------------------------------------


def render_report(outputs: Outputs, pngs: dict[str, bytes]) -> str:
    """The report as one HTML string; `pngs` holds each story figure's PNG by name."""
    sections = []
    for index, (title, intro, names) in enumerate(STORY):
        shown = "".join(_figure_html(n, pngs[n]) for n in names if n in pngs)
        lead, tables_below = esc(intro(outputs)), _summary_tables(outputs, index)
        sections.append(f"<section><h2>{esc(title)}</h2><p>{lead}</p>{shown}{tables_below}</section>")
    tables = [
        ("Actions", "Every action record with its theme and where it is in its document.", actions_table(outputs)),
        (
            "Targets and metrics",
            "Every baseline, target and change, with its quote and source.",
            metrics_table(outputs),
        ),
    ]
    series = analysis.longest_series(outputs)
    if series is not None:
        note = f"Every link of the {series.title()} audit, with both sides' sources."
        tables.append(("Audit results", note, audit_table(outputs)))
    council_links = analysis.cross_council_links(outputs)
    if len(council_links):
        note = (
            "Every commitment linked to one of another council: carried forward (the same commitment) or revised "
            "(the same aim, with another target, deadline or wording; leads of two councils always differ and are "
            "only said), with the shared terms and both sides' sources."
        )
        tables.append(("Links between councils", note, council_links_table(council_links)))
    sections += [f"<section><h2>{esc(t)}</h2><p>{esc(p)}</p>{body}</section>" for t, p, body in tables]
    script_hash = base64.b64encode(hashlib.sha256(SCRIPT.encode("utf-8")).digest()).decode("ascii")
    # only the report's own script (by hash) may run, even if a document's text were ever left unescaped
    policy = f"default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'sha256-{script_hash}'"
    n_docs, n_actions = len(outputs.documents), len(outputs.actions)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{policy}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>policylens: children in care strategies compared</title>
<style>{STYLE}</style>
</head>
<body>
<h1>Children in care and care leavers strategies: what changed</h1>
<p>{n_docs} documents, {n_actions} actions, {len(outputs.metrics)} baselines, targets and changes, read by policylens
from the strategies below. Every figure and table row can be traced to its document, page or line.</p>
{documents_table(outputs)}
{"".join(sections)}
<script>{SCRIPT}</script>
</body>
</html>
"""


def write_report(folder: Path, out: Path | None = None) -> Path:
    """Build the report of an output folder (default `folder/report.html`)."""
    report, _ = _write(folder, out, None)
    return report


def write_story(folder: Path) -> list[Path]:
    """The main job's story outputs: every figure as `folder/figures/*.png`, and `folder/report.html`."""
    report, pngs = _write(folder, None, figures.figures_folder(folder))
    return [*pngs, report]


def _write(folder: Path, out: Path | None, figure_dir: Path | None) -> tuple[Path, list[Path]]:
    """The report, and with `figure_dir` each figure it embeds as a PNG file too (drawn once for both)."""
    outputs = analysis.load_outputs(folder)
    pngs = {name: figures.png_bytes(figures.FIGURES[name](outputs)) for name in figures.drawable(outputs)}
    written = []
    if figure_dir is not None:
        figure_dir.mkdir(parents=True, exist_ok=True)
        for name, png in pngs.items():
            (figure_dir / f"{name}.png").write_bytes(png)
            written.append(figure_dir / f"{name}.png")
    target = out or Path(folder) / REPORT_NAME
    write_atomic(target, render_report(outputs, pngs))
    return target, written
