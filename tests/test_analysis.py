"""The analysis API and the story figures, on the committed extracted/ folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from policylens import analysis, figures

from .conftest import ROOT

EXTRACTED = ROOT / "extracted"


@pytest.fixture(scope="module")
def outputs() -> analysis.Outputs:
    return analysis.load_outputs(EXTRACTED)


def _values(timeline, doc_id: str, kind: str) -> list[float]:
    rows = timeline[(timeline["doc_id"] == doc_id) & (timeline["kind"] == kind)]
    return [float(v) for v in rows["value"]]


def test_indicator_timeline_holds_the_documents_figures_with_sources(outputs) -> None:
    eet = analysis.indicator_timeline(outputs, ["care_leavers_eet"])
    assert _values(eet, "halton-2008", "baseline") == []  # its 42 is a count of young people NOT in EET
    assert set(_values(eet, "halton-2008", "target")) == {75.0}
    assert _values(eet, "halton-2017", "baseline") == [73.0]
    assert _values(eet, "halton-2023", "baseline") == [58.0]
    assert _values(eet, "warrington-2022", "baseline") == [58.0, 84.0]
    assert set(_values(eet, "warrington-2022", "target")) == {70.0, 75.0}
    assert _values(eet, "cheshire-east-2015", "baseline") == [68.0, 66.7]
    row = eet[eet["doc_id"] == "halton-2017"].iloc[0]
    assert (row["line_start"], row["source"], row["year"], bool(row["year_stated"])) == (
        234,
        "text/halton-2017.txt",
        2017,
        False,
    )
    assert "73%" in row["quote"]
    neet = analysis.indicator_timeline(outputs, ["care_leavers_neet"])
    assert _values(neet, "warrington-2022", "baseline") == [42.0]  # "not in employment, education or training"
    assert _values(neet, "halton-2008", "baseline") == [42.0]  # "42 young people are not be in education, ..."
    assert _values(neet, "cheshire-east-2015", "change") == [15.0]  # "levels of NEET rose from 3% to 15%"


def test_target_levels_and_changes_are_drawn_apart(outputs) -> None:
    fig = figures.indicator_timelines(outputs, ("care_leavers_eet", "foster_carer_households"))
    eet, carers = fig.axes[:2]
    # Warrington's "to at least 70%" is a level: an open triangle at 70, labelled 70%↑ (never "+70%")
    assert "70%↑" in {t.get_text() for t in eet.texts} and "+70%" not in {t.get_text() for t in eet.texts}
    triangles = [line for line in eet.lines if line.get_marker() == "^"]
    assert 70.0 in {float(line.get_ydata()[0]) for line in triangles}
    # Halton 2008's 75% stated twice in one action is one point
    assert sum(float(line.get_ydata()[0]) == 75.0 for line in triangles) == 2  # Halton 2008 and Warrington
    # changes are no levels: labelled with their sign in the row along the top, not on the scale
    row = [t for t in carers.texts if t.get_transform() != carers.transData]
    assert {t.get_text() for t in row} >= {"+5", "+10%", "+10"}  # Halton 2017: 10 more households a year
    assert all(t.get_position()[1] == figures.RELATIVE_ROW for t in row)
    legend = {t.get_text() for t in fig.legends[0].get_texts()}
    assert {"target level (↑/↓ raise/lower)", "target change or factor, along the top (+/− by, × times)"} <= legend


def test_theme_shares_sum_to_one_and_counts_match_actions(outputs) -> None:
    shares = analysis.theme_shares(outputs)
    for doc_id, group in shares.groupby("doc_id"):
        assert group["share"].sum() == pytest.approx(1.0), doc_id
    assert shares["n_actions"].sum() == len(outputs.actions)
    by_section = analysis.actions_by_section(outputs)
    assert (
        by_section.groupby("doc_id")["n_actions"].sum().to_dict() == outputs.actions.groupby("doc_id").size().to_dict()
    )


def test_audit_summary_counts_each_commitment_once(outputs) -> None:
    summary = analysis.audit_summary(outputs, "halton").set_index("step")
    assert list(summary.index) == ["halton-2008 → halton-2017", "halton-2017 → halton-2023"]
    # every 2008 commitment once (two of them link to halton-2017#32 and to its restated copy #33), and the
    # 2017 ones but #33, which restates #32
    assert summary.loc["halton-2008 → halton-2017", ["revised", "dropped", "new", "links"]].tolist() == [14, 56, 40, 14]
    assert summary.loc["halton-2017 → halton-2023", ["revised", "dropped", "new", "links"]].tolist() == [22, 28, 6, 22]
    assert summary["carried_forward"].sum() == 0
    changes = analysis.audit_changes(outputs, "halton")
    first = changes[changes["from_id"] == "halton-2008#65"].iloc[0]  # CiC Council involvement
    # 5% more satisfied with their services -> 50% more young people on the Councils: two measures, each named
    assert (first["target_change"], first["to_id"]) == ("+5% (satisfaction) -> +50% (participation)", "halton-2017#39")
    assert first["deadline_change"] == "by 2009 -> Ongoing"
    # a cell that gives a date per sub-action ("2008" twice), and one whose target ends "by 2009" after
    # "2009": each date said once
    deadlines = changes.set_index(["from_id", "to_id"])["deadline_change"]
    assert deadlines[("halton-2008#62", "halton-2017#23")] == "2008 -> March 2018"
    assert deadlines[("halton-2008#67", "halton-2017#47")] == "2009 -> Dec 2018"
    assert analysis.longest_series(outputs) == "halton" and analysis.series_council(outputs) == "Halton"


def test_each_audit_row_gives_its_lineage_through_the_series(outputs) -> None:
    audit = outputs.audits["halton"].drop(columns="score").fillna("").set_index(["from_id", "to_id"])
    # foster carer recruitment, 2008 -> the 2017 recruitment strategy -> 2023's in-house carers objective
    recruit = "halton-2008#21 -> halton-2017#1 -> halton-2023#4"
    assert audit.loc[("halton-2008#21", "halton-2017#1"), "lineage"] == recruit
    assert audit.loc[("halton-2017#1", "halton-2023#4"), "lineage"].split(" | ")[0] == recruit
    # two 2008 health commitments linked to the 2017 review health assessments, then 2023's health objective
    assert audit.loc[("halton-2017#32", "halton-2023#7"), "lineage"] == (
        "halton-2008#11 -> halton-2017#32 -> halton-2023#7 | halton-2008#20 -> halton-2017#32 -> halton-2023#7"
    )
    assert audit.loc[("halton-2017#45", ""), "lineage"] == "halton-2017#45"  # dropped, and new in 2017


def test_sharing_is_symmetric_in_links_and_partitions_each_councils_actions(outputs) -> None:
    summary = analysis.sharing_summary(outputs).set_index("council")
    parts = summary[["shared_with_all", "shared_with_some", "unique"]].sum(axis=1)
    assert (parts == summary["n_actions"]).all()
    assert summary["n_actions"].sum() == len(outputs.actions)
    links = analysis.cross_council_links(outputs)
    assert (links["a_council"] != links["b_council"]).all()


def test_csv_and_duckdb_give_the_same_tables(tmp_path: Path) -> None:
    from policylens.export import write_database

    for csv in EXTRACTED.glob("*.csv"):
        shutil.copy(csv, tmp_path)
    write_database(tmp_path)
    from_csv, from_db = analysis.load_outputs(tmp_path), analysis.load_outputs(tmp_path, "duckdb")
    for name in analysis.TABLES:
        assert getattr(from_csv, name).equals(getattr(from_db, name)), name
    assert from_csv.audits["halton"].equals(from_db.audits["halton"])


def test_project_root_is_found_from_a_subfolder() -> None:
    assert analysis.project_root(ROOT / "src" / "policylens") == ROOT
    assert analysis.outputs_folder(ROOT / "tests", build_if_missing=False) == EXTRACTED


def test_story_figures_are_written_and_identical_on_every_run(outputs, tmp_path: Path) -> None:
    first = [p.read_bytes() for p in (figures.write_figure(outputs, n, tmp_path / "a") for n in figures.FIGURES)]
    again = figures.write_figure(outputs, "indicator-timelines", tmp_path / "b").read_bytes()
    assert all(data.startswith(b"\x89PNG") for data in first)
    assert again == first[list(figures.FIGURES).index("indicator-timelines")]
    assert {n for names in figures.NOTEBOOK_FIGURES.values() for n in names} == set(figures.FIGURES)


def test_documents_are_labelled_by_council_and_year(outputs) -> None:
    labels = list(outputs.documents["label"])
    assert labels == ["Halton 2008", "Cheshire East 2015", "Halton 2017", "Warrington 2022", "Halton 2023"]


def test_the_review_sheet_of_a_series(outputs) -> None:  # type: ignore[no-untyped-def]
    sheet = analysis.review_sheet(outputs, "halton")
    counts = sheet.groupby(["a_doc", "b_doc", "question"]).size().to_dict()
    assert counts == {
        ("halton-2008", "halton-2017", "keep?"): 6,
        ("halton-2008", "halton-2017", "link?"): 105,
        ("halton-2017", "halton-2023", "keep?"): 11,
        ("halton-2017", "halton-2023", "link?"): 30,
    }
    (tenancy,) = sheet[(sheet["a_id"] == "halton-2017#45") & (sheet["b_id"] == "halton-2023#9")].to_dict("records")
    assert tenancy["decision"] == "" and tenancy["why"].startswith("halton-2017#45 is dropped; halton-2023#9 is")
    assert len(analysis.review_sheet(outputs)) == 818  # every pair of documents compared
