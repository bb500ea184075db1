"""The public analysis API: the main job's output folder as tidy pandas tables.

    outputs_folder(start) -> Path            (finds extracted/; builds it when missing)
    open_outputs(start) -> Outputs           ($POLICYLENS_OUTPUTS, else the project's extracted/)
    load_outputs(folder, source="csv"|"duckdb") -> Outputs
    actions_by_section(o), actions_by_theme(o), theme_shares(o), theme_share_matrix(o)
    indicator_timeline(o, indicators)        baselines, targets and changes with their sources
    audit_summary(o, series), audit_changes(o, series)
    cross_council_links(o), shared_commitments(o), sharing_summary(o), sharing_matrix(o)

Everything here reads the written outputs (CSVs, or the DuckDB database built from them),
never the documents, so notebooks, figures and the report tell the story of exactly the
files a reader can open. Every function returns a new DataFrame in a fixed order.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from policylens.metrics.vocab import load_catalogue
from policylens.themes import load_taxonomy

Source = Literal["csv", "duckdb"]
TABLES = ("documents", "actions", "metrics", "themes", "links")
RELATIONS = ("carried_forward", "revised", "new", "dropped")
LINKED = ("carried_forward", "revised")
KINDS = ("baseline", "target", "change")
STORY_INDICATORS = (
    "care_leavers_eet",
    "care_leavers_suitable_accommodation",
    "children_in_care",
    "placed_in_foster_care",
    "placement_stability_long_term",
    "health_assessments",
)
# Columns read as numbers; everything else stays text ("" for empty) so that a CSV
# and the DuckDB database (which infers its own types) give the same frames.
INTEGERS = frozenset({"seq", "a_seq", "b_seq", "period_start", "period_end", "page", "line_start", "line_end"})
FLOATS = frozenset({"value", "value_from", "score"})
_COUNCIL_SUFFIX = re.compile(r"\s+(Borough|City|County)?\s*Council$")


@dataclass(frozen=True)
class Outputs:
    """The tables of one output folder; `audits` by series name (audit-halton.csv -> "halton")."""

    folder: Path
    documents: pd.DataFrame
    actions: pd.DataFrame
    metrics: pd.DataFrame
    themes: pd.DataFrame
    links: pd.DataFrame
    audits: dict[str, pd.DataFrame] = field(default_factory=dict)

    @property
    def doc_order(self) -> list[str]:
        """Document ids, oldest first (the order every table and figure uses)."""
        return [str(d) for d in self.documents["doc_id"]]

    def council_of(self) -> dict[str, str]:
        return dict(zip(self.documents["doc_id"], self.documents["council"], strict=True))


# --- finding and loading ----------------------------------------------------------


def project_root(start: Path | None = None) -> Path:
    """The nearest folder at or above `start` holding pyproject.toml and corpus/ (notebooks run in notebooks/)."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "pyproject.toml").is_file() and (folder / "corpus").is_dir():
            return folder
    raise FileNotFoundError(f"no policylens project (pyproject.toml beside corpus/) at or above {here}")


def outputs_folder(start: Path | None = None, build_if_missing: bool = True) -> Path:
    """The project's extracted/ folder, running the main job first when it has not been run."""
    root = project_root(start)
    folder = root / "extracted"
    if build_if_missing and not (folder / "documents.csv").is_file():
        from policylens.pipeline import build  # lazy: the pipeline writes the report, which uses this module

        build([root / "corpus"], folder)
    return folder


OUTPUTS_VARIABLE = "POLICYLENS_OUTPUTS"


def open_outputs(start: Path | None = None) -> Outputs:
    """The outputs a notebook tells its story from: $POLICYLENS_OUTPUTS if set, else the project's extracted/."""
    chosen = os.environ.get(OUTPUTS_VARIABLE)
    return load_outputs(Path(chosen) if chosen else outputs_folder(start))


def load_outputs(folder: Path | str, source: Source = "csv") -> Outputs:
    """The tables of an output folder, from its CSVs or from its DuckDB database."""
    folder = Path(folder)
    if not (folder / "documents.csv").is_file() and source == "csv":
        raise FileNotFoundError(f"{folder} has no documents.csv: run `policylens build` first")
    raw = _read_duckdb(folder) if source == "duckdb" else _read_csvs(folder)
    frames = {name: _normalise(frame) for name, frame in raw.items()}
    documents = _with_short_council(frames["documents"])
    documents = documents.sort_values(["period_start", "doc_id"], kind="stable").reset_index(drop=True)
    audits = {name.removeprefix("audit-"): frame for name, frame in frames.items() if name.startswith("audit-")}
    return Outputs(
        folder,
        documents,
        frames["actions"],
        frames["metrics"],
        frames["themes"],
        frames["links"],
        audits,
    )


def _read_csvs(folder: Path) -> dict[str, pd.DataFrame]:
    names = [*TABLES, *sorted(p.stem for p in folder.glob("audit-*.csv"))]
    return {name: pd.read_csv(folder / f"{name}.csv", dtype=str, keep_default_na=False) for name in names}


def _read_duckdb(folder: Path) -> dict[str, pd.DataFrame]:
    import duckdb

    from policylens.export import DATABASE_NAME

    path = folder / DATABASE_NAME
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: run `policylens build` or `policylens export --format duckdb`")
    with duckdb.connect(str(path), read_only=True) as db:
        names = [str(r[0]) for r in db.execute("select table_name from information_schema.tables").fetchall()]
        wanted = [n for n in names if n in TABLES or n.startswith("audit_")]
        return {n.replace("_", "-", 1) if n.startswith("audit_") else n: _as_text(db, n) for n in wanted}


def _as_text(db: Any, table: str) -> pd.DataFrame:  # duckdb ships no type hints
    """A table with every column cast to text, as the CSV wrote it (dates as ISO, 131 not 131.0)."""
    columns = [(str(r[0]), str(r[1])) for r in db.execute(f'describe "{table}"').fetchall()]
    casts = ", ".join(f"coalesce({_cast(name, kind)}, '') as \"{name}\"" for name, kind in columns)
    frame: pd.DataFrame = db.execute(f'select {casts} from "{table}"').df()
    return frame


def _cast(column: str, kind: str) -> str:
    if kind == "BOOLEAN":  # the CSV writes Python's True / False
        return f"case when \"{column}\" then 'True' when not \"{column}\" then 'False' end"
    return f'cast("{column}" as varchar)'


def _normalise(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    for column in frame.columns:
        text = frame[column].astype(object).where(frame[column].notna(), "").map(str)
        if column in INTEGERS:
            frame[column] = pd.to_numeric(text.replace("", None), errors="coerce").astype("Int64")
        elif column in FLOATS:
            frame[column] = pd.to_numeric(text.replace("", None), errors="coerce").astype("Float64")
        else:
            frame[column] = text.astype(str)
    return frame


def _with_short_council(documents: pd.DataFrame) -> pd.DataFrame:
    documents = documents.copy()
    documents["council_name"] = documents["council"]
    documents["council"] = [_COUNCIL_SUFFIX.sub("", c).strip() for c in documents["council"]]
    documents["label"] = [
        _label(c, y, d)
        for c, y, d in zip(documents["council"], documents["period_start"], documents["doc_id"], strict=True)
    ]
    if documents.empty:
        return documents
    repeated = documents["label"].duplicated(keep=False)
    documents.loc[repeated, "label"] = documents.loc[repeated, "label"] + " (" + documents.loc[repeated, "doc_id"] + ")"
    return documents


def _label(council: object, year: object, doc_id: str) -> str:
    """'Halton 2017'; a file from outside a corpus (no council or year known) goes by its id."""
    known = [_text(council), _text(year)]
    return " ".join(known) if all(known) else doc_id


def _text(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):  # type: ignore[call-overload]
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _doc_columns(outputs: Outputs) -> pd.DataFrame:
    return outputs.documents[["doc_id", "council", "label", "period_start", "period_end"]]


def _in_doc_order(frame: pd.DataFrame, outputs: Outputs, *then: str) -> pd.DataFrame:
    order = {doc: i for i, doc in enumerate(outputs.doc_order)}
    frame = frame.assign(_order=frame["doc_id"].map(order))
    return frame.sort_values(["_order", *then], kind="stable").drop(columns="_order").reset_index(drop=True)


# --- actions and themes -----------------------------------------------------------


def theme_labels() -> dict[str, str]:
    """Theme id -> label, in the taxonomy's order."""
    return {t.id: t.label for t in load_taxonomy().themes}


def actions_with_themes(outputs: Outputs) -> pd.DataFrame:
    """Every action with its council and primary theme."""
    themes = outputs.themes[outputs.themes["level"] == "action"][["target", "primary_theme", "secondary_themes"]]
    themes = themes.rename(columns={"target": "action_id", "primary_theme": "theme"})
    merged = outputs.actions.merge(themes, on="action_id", how="left").merge(_doc_columns(outputs), on="doc_id")
    merged["theme"] = merged["theme"].fillna("")
    return _in_doc_order(merged, outputs, "seq")


def actions_by_section(outputs: Outputs) -> pd.DataFrame:
    """Action counts per document and section, sections in document order."""
    actions = actions_with_themes(outputs)
    grouped = actions.groupby(["doc_id", "section"], sort=False).agg(
        n_actions=("action_id", "size"), first_seq=("seq", "min")
    )
    counts = grouped.reset_index().merge(_doc_columns(outputs), on="doc_id")
    counts = _in_doc_order(counts, outputs, "first_seq").drop(columns="first_seq")
    return counts[["doc_id", "council", "label", "section", "n_actions"]]


def actions_by_theme(outputs: Outputs) -> pd.DataFrame:
    """Action counts per document and theme (every theme of the taxonomy, zeros included)."""
    actions = actions_with_themes(outputs)
    labels = theme_labels()
    grid = pd.MultiIndex.from_product([outputs.doc_order, list(labels)], names=["doc_id", "theme"])
    counts = actions.groupby(["doc_id", "theme"]).size().reindex(grid, fill_value=0).rename("n_actions")
    frame = counts.reset_index().merge(_doc_columns(outputs), on="doc_id")
    frame["theme_label"] = frame["theme"].map(labels)
    frame = _in_doc_order(frame, outputs)
    return frame[["doc_id", "council", "label", "theme", "theme_label", "n_actions"]]


def theme_shares(outputs: Outputs) -> pd.DataFrame:
    """Each theme's share of a document's actions (0-1): how its priorities are spread."""
    counts = actions_by_theme(outputs)
    totals = counts.groupby("doc_id")["n_actions"].transform("sum")
    counts["share"] = (counts["n_actions"] / totals.where(totals > 0)).fillna(0.0).astype(float)
    return counts


def theme_share_matrix(outputs: Outputs, doc_ids: list[str] | None = None) -> pd.DataFrame:
    """Documents (rows, labelled "Halton 2008") x themes (columns), shares 0-1."""
    shares = theme_shares(outputs)
    if doc_ids is not None:
        shares = shares[shares["doc_id"].isin(doc_ids)]
    matrix = shares.pivot(index="label", columns="theme", values="share")
    rows = [label for label in outputs.documents["label"] if label in matrix.index]
    return matrix.loc[rows, [t for t in theme_labels() if t in matrix.columns]]


# --- metrics ------------------------------------------------------------------------


def indicator_labels() -> dict[str, str]:
    return {i.id: i.label for i in load_catalogue()}


def indicator_timeline(outputs: Outputs, indicators: tuple[str, ...] | list[str] = STORY_INDICATORS) -> pd.DataFrame:
    """Every baseline, target and change of the indicators, placed in a year, with its source.

    `year` is the year the document states (period_norm); when it states none, a baseline or
    change is dated to the document's first year and a target to its last (`year_stated` False).
    `value_is` says whether a value is a level or a target's change or factor ("+5%", "×0.5"); `restates`
    names the first statement of a figure its action states again (count a figure once without those).
    """
    metrics = outputs.metrics[outputs.metrics["indicator"].isin(list(indicators))]
    frame = metrics.merge(_doc_columns(outputs), on="doc_id")
    stated = frame["period_norm"].str.extract(r"^(\d{4})", expand=False)
    fallback = frame["period_start"].where(frame["kind"] != "target", frame["period_end"])
    frame["year"] = pd.to_numeric(stated, errors="coerce").astype("Int64").fillna(fallback).astype("Int64")
    frame["year_stated"] = stated.notna()
    frame["indicator_label"] = frame["indicator"].map(indicator_labels())
    order = {name: i for i, name in enumerate(indicators)}
    frame = frame.assign(_ind=frame["indicator"].map(order))
    frame = _in_doc_order(frame.sort_values(["_ind"], kind="stable"), outputs, "seq")
    frame = frame.sort_values(["_ind"], kind="stable").drop(columns="_ind").reset_index(drop=True)
    columns = [
        "indicator",
        "indicator_label",
        "doc_id",
        "council",
        "label",
        "year",
        "year_stated",
        "kind",
        "value",
        "value_from",
        "unit",
        "value_is",
        "direction",
        "period",
        "group",
        "quote",
        "source",
        "page",
        "line_start",
        "line_end",
        "metric_id",
        "restates",
    ]
    return frame[columns]


# --- the audit of a series ------------------------------------------------------------


def longest_series(outputs: Outputs) -> str | None:
    """The series whose audit has the most steps (the longest lineage of strategies), or None."""
    steps = {name: len(audit[["from_doc", "to_doc"]].drop_duplicates()) for name, audit in outputs.audits.items()}
    steps = {name: n for name, n in steps.items() if n}  # a series of one strategy has no step
    return min(steps, key=lambda name: (-steps[name], name)) if steps else None


def series_council(outputs: Outputs, series: str | None = None) -> str | None:
    """The council of a series (default: the longest), as the documents table names it."""
    series = series or longest_series(outputs)
    if series is None:
        return None
    audit = outputs.audits[series]
    docs = outputs.documents.set_index("doc_id")
    first = str(audit["from_doc"].iloc[0]) if len(audit) else ""
    return str(docs.at[first, "council"]) if first in docs.index else None


def audit_of(outputs: Outputs, series: str | None = None) -> pd.DataFrame:
    """The audit of a series (default: the longest)."""
    series = series or longest_series(outputs) or ""
    if series not in outputs.audits:
        known = ", ".join(sorted(outputs.audits)) or "none"
        raise KeyError(f"no audit-{series}.csv in {outputs.folder} (series: {known})")
    return outputs.audits[series]


def audit_summary(outputs: Outputs, series: str | None = None) -> pd.DataFrame:
    """Per step of a series (2008 -> 2017, ...): how many of the earlier strategy's commitments were carried
    forward, revised or dropped, and how many of the later one's are new; `links` the links between them (a
    link repeated for a restated copy counted once).

    Each commitment counts once: one linked to several later ones (a split) by its closest relation
    (carried forward before revised), and one stated twice in its document (`restates`) as its first
    statement, so carried forward, revised and dropped add up to the earlier strategy's commitments."""
    audit = audit_of(outputs, series)
    steps = audit[["from_doc", "to_doc"]].drop_duplicates()
    first = audit[audit["restates"].fillna("").astype(str) == ""]
    linked = first[first["relation"].isin(list(LINKED))]
    # each earlier commitment keeps its closest relation: carried forward before revised
    rank = linked["relation"].map({r: k for k, r in enumerate(RELATIONS)})
    closest = linked.assign(_rank=rank).sort_values("_rank", kind="stable")
    closest = closest.drop_duplicates(["from_doc", "to_doc", "from_id"]).drop(columns="_rank")
    alone = first[~first["relation"].isin(list(LINKED))]
    one_each = pd.concat([closest, alone])
    counts = one_each.groupby(["from_doc", "to_doc", "relation"]).size().unstack(fill_value=0)
    counts = counts.reindex(columns=list(RELATIONS), fill_value=0).reset_index()
    links = linked.groupby(["from_doc", "to_doc"]).size().rename("links").reset_index()
    frame = steps.merge(counts, on=["from_doc", "to_doc"]).merge(links, on=["from_doc", "to_doc"], how="left")
    frame["links"] = frame["links"].fillna(0).astype(int)
    frame.insert(0, "step", [f"{a} → {b}" for a, b in zip(frame["from_doc"], frame["to_doc"], strict=True)])
    frame.columns.name = None
    return frame.reset_index(drop=True)


def _change(changes: str, kind: str) -> str:
    """The `kind: old -> new` part of a link's changes, or ""."""
    # changes are "kind: old -> new" parts joined by " | "; a lead's own " | " belongs to it
    parts = re.split(r"\s\|\s(?=(?:target|deadline|timescale|lead|scope):)", changes)
    found = [p.split(":", 1)[1].strip() for p in parts if p.startswith(f"{kind}:")]
    return found[0] if found else ""


def review_sheet(outputs: Outputs, series: str | None = None) -> pd.DataFrame:
    """The review sheet (`review.csv`): pairs of commitments worth a reviewer's look, with the document of each
    side; of one series' steps when `series` is given (both sides documents of its audit)."""
    path = outputs.folder / "review.csv"
    if not path.is_file():
        raise FileNotFoundError(f"{outputs.folder} has no review.csv: run `policylens build` again")
    sheet = pd.read_csv(path, dtype=str, keep_default_na=False)
    sheet = sheet.assign(a_doc=sheet["a_id"].str.split("#").str[0], b_doc=sheet["b_id"].str.split("#").str[0])
    if series is not None:  # the series' documents as its audit names them
        audit = audit_of(outputs, series)
        members = set(audit["from_doc"]) | set(audit["to_doc"])
        sheet = sheet[sheet["a_doc"].isin(members) & sheet["b_doc"].isin(members)]
    return sheet.reset_index(drop=True)


def audit_changes(outputs: Outputs, series: str | None = None) -> pd.DataFrame:
    """Linked commitments of a series whose deadline or target changed, with both sides and sources."""
    audit = audit_of(outputs, series)
    linked = audit[audit["relation"].isin(list(LINKED))].copy()
    linked["target_change"] = linked["changes"].map(lambda c: _change(c, "target"))
    linked["deadline_change"] = linked["changes"].map(lambda c: _change(c, "deadline"))
    linked["lead_change"] = linked["changes"].map(lambda c: _change(c, "lead"))
    changed = linked[(linked["target_change"] != "") | (linked["deadline_change"] != "")]
    lines = outputs.actions.set_index("action_id")["line_start"]
    changed = changed.assign(from_line=changed["from_id"].map(lines), to_line=changed["to_id"].map(lines))
    columns = [
        "from_doc",
        "from_id",
        "from_action",
        "from_timescale",
        "from_due",
        "from_line",
        "to_doc",
        "to_id",
        "to_action",
        "to_timescale",
        "to_due",
        "to_line",
        "relation",
        "score",
        "target_change",
        "deadline_change",
        "lead_change",
        "restates",
        "evidence",
    ]
    return changed[columns].reset_index(drop=True)


# --- councils compared --------------------------------------------------------------------


def cross_council_links(outputs: Outputs) -> pd.DataFrame:
    """Links between documents of different councils (both sides named), relation carried_forward or revised."""
    council = outputs.council_of()
    links = outputs.links[outputs.links["relation"].isin(list(LINKED))].copy()
    links["a_council"] = links["a_doc"].map(council)
    links["b_council"] = links["b_doc"].map(council)
    links = links[links["a_council"] != links["b_council"]]
    return links.sort_values(["a_doc", "a_seq", "b_doc", "b_seq"], kind="stable").reset_index(drop=True)


def shared_commitments(outputs: Outputs) -> pd.DataFrame:
    """Every action with the other councils it shares a commitment with ("" when unique to its council)."""
    links = cross_council_links(outputs)
    partners: dict[str, set[str]] = {}
    for a_id, b_id, a_council, b_council in links[["a_id", "b_id", "a_council", "b_council"]].itertuples(index=False):
        partners.setdefault(a_id, set()).add(b_council)
        partners.setdefault(b_id, set()).add(a_council)
    actions = actions_with_themes(outputs)
    actions["shared_with"] = [" | ".join(sorted(partners.get(a, set()))) for a in actions["action_id"]]
    actions["n_councils_shared"] = [len(partners.get(a, set())) for a in actions["action_id"]]
    columns = ["doc_id", "council", "action_id", "section", "action", "theme", "shared_with", "n_councils_shared"]
    return actions[[*columns, "source", "page", "line_start"]]


def councils(outputs: Outputs) -> list[str]:
    """Council short names in the order of their first document."""
    return list(dict.fromkeys(outputs.documents["council"]))


def sharing_summary(outputs: Outputs) -> pd.DataFrame:
    """Per council: commitments shared with every other council, with some, and unique to it."""
    shared = shared_commitments(outputs)
    others = len(councils(outputs)) - 1
    category = shared["n_councils_shared"].map(
        lambda n: "unique" if n == 0 else ("shared_with_all" if n >= others else "shared_with_some")
    )
    counts = shared.assign(category=category).groupby(["council", "category"]).size().unstack(fill_value=0)
    counts = counts.reindex(index=councils(outputs), columns=["shared_with_all", "shared_with_some", "unique"])
    counts = counts.fillna(0).astype(int)
    counts["n_actions"] = counts.sum(axis=1)
    counts.columns.name = None
    return counts.reset_index()


def sharing_matrix(outputs: Outputs) -> pd.DataFrame:
    """Council x council: how many of the row council's commitments have a counterpart in the column council."""
    shared = shared_commitments(outputs)
    names = councils(outputs)
    partners = shared["shared_with"].str.split(" | ", regex=False)
    rows = {
        row: [int((shared["council"].eq(row) & partners.map(lambda s, c=col: c in s)).sum()) for col in names]
        for row in names
    }
    matrix = pd.DataFrame.from_dict(rows, orient="index", columns=names)
    for name in names:
        matrix.loc[name, name] = int(shared["council"].eq(name).sum())
    return matrix
