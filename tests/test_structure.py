"""The real structure of each corpus document, against expected files checked by hand.

tests/expected/structure/<doc>.json were written by reading the text files end
to end (not from program output). `known_misreads` lists headings the reader
reports that a person would not; each is asserted so that a fix shows up here.
"""

from __future__ import annotations

import json

import pytest

from policylens.model import Document, RowKind
from policylens.readers.inline import collapse

from .conftest import DOC_IDS, EXPECTED
from .structure import table_structure


def expected(doc_id: str) -> dict:
    return json.loads((EXPECTED / "structure" / f"{doc_id}.json").read_text("utf-8"))


def test_every_corpus_document_is_read(corpus_result) -> None:
    assert corpus_result.failures == ()
    assert [d.meta.doc_id for d in corpus_result.documents] == list(DOC_IDS)


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_headings(corpus_docs: dict[str, Document], doc_id: str) -> None:
    want = expected(doc_id)
    misreads = [m["text"] for m in want["known_misreads"]]
    got = [h.text for h in corpus_docs[doc_id].headings]
    for misread in misreads:
        assert misread in got, f"known misread {misread!r} is gone: update the expected file"
    assert [h for h in got if h not in misreads] == want["headings"]


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_figures_are_picture_descriptions_not_paragraphs(corpus_docs: dict[str, Document], doc_id: str) -> None:
    doc = corpus_docs[doc_id]
    figures = [b.description for b in doc.blocks if b.kind == "figure"]
    assert figures == expected(doc_id)["figures"]
    paragraphs = {collapse(b.text) for b in doc.blocks if b.kind == "paragraph"}
    assert not paragraphs & set(figures)


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_tables(corpus_docs: dict[str, Document], doc_id: str) -> None:
    want = expected(doc_id)["tables"]
    got = [table_structure(t) for t in corpus_docs[doc_id].tables]
    assert len(got) == len(want)
    for number, (g, w) in enumerate(zip(got, want, strict=True)):
        for key, value in w.items():
            assert g[key] == value, f"table {number} ({w['first_line']}-{w['last_line']}): {key}"


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_no_repeated_header_row_survives_in_a_table_body(corpus_docs: dict[str, Document], doc_id: str) -> None:
    for table in corpus_docs[doc_id].tables:
        if not table.header:
            continue
        names = {collapse(c).casefold() for c in table.header[0] if c.strip()}
        for row in table.rows:
            filled = {collapse(c).casefold() for c in row.cells if c.strip()}
            assert not (len(filled) > 1 and filled <= names), row.prov


def test_halton_2008_action_plan_sections_and_breaks(corpus_docs: dict[str, Document]) -> None:
    (plan,) = corpus_docs["halton-2008"].tables
    assert plan.header == (("TARGET FROM", "KEY TASK", "ACTIONS", "OUTCOME", "TARGET/TIMESCALE", "LEAD"),)
    sections = [r for r in plan.rows if r.kind is RowKind.SECTION]
    assert all(r.bold for r in sections)
    assert sections[0].label == "SERVICE MANAGEMENT"
    assert sections[0].prov.line_start == 198
    # a cell's paragraphs (<p> or runs of spaces in the extraction) stay apart
    healthy = next(r for r in plan.rows if r.cells[0] == "CYPP (Health background doc)")
    assert healthy.cells[4] == "2007\n2008"
    assert "<" not in "".join(c for r in plan.rows for c in r.cells)
    ordinals = next(r for r in plan.rows if r.cells[0] == "CYPP EA 4")
    assert "1st April" in ordinals.cells[4]


def test_warrington_action_plan_realigns_a_chunk_that_lost_its_first_column(corpus_docs) -> None:
    plan = corpus_docs["warrington-2022"].tables[1]
    names = ("Strategic Outcome", "Activity", "Lead Agency / Department", "Timescale", "Success Measure")
    assert plan.header == (names,)
    life_long = next(r for r in plan.rows if r.cells[1] == "'Life Long' Links")
    assert life_long.cells == ("", "'Life Long' Links", "Families First", "2022/2023", life_long.cells[4])
    assert life_long.after_break and life_long.continues_above
    assert [r.prov.line_start for r in plan.rows if r.kind is RowKind.SECTION] == [698, 708, 717, 725, 731, 737]


def test_cheshire_rows_split_by_a_page_break_continue_the_row_above(corpus_docs) -> None:
    plan = corpus_docs["cheshire-east-2015"].tables[3]
    assert plan.header == (("Ref", "Action", "Who"),)
    split = next(r for r in plan.rows if r.cells[1].startswith("leavers and reciprocal"))
    assert split.continues_above and split.after_break
    assert split.cells[2] == "and Care Leavers"


def test_heading_levels_follow_markup_then_style(corpus_docs) -> None:
    levels = {h.text: h.level for h in corpus_docs["halton-2008"].headings}
    assert levels["Halton Strategy for Children in Care"] == 1
    assert levels["INTRODUCTION"] == 2
    assert levels["Make sure children and young people in care are helped to be healthy:"] == 3
    h2017 = {h.text: h.level for h in corpus_docs["halton-2017"].headings}
    assert h2017["ACTION PLAN"] < h2017["1. We will help you and stick by you by:"]
    w = {h.text: h.level for h in corpus_docs["warrington-2022"].headings}
    assert w["Priority one: Live in settled families"] < w["Why is it important?"]


def test_running_title_is_page_furniture_not_text(corpus_docs) -> None:
    doc = corpus_docs["halton-2017"]
    texts = [getattr(b, "text", "") for b in doc.blocks]
    assert "Halton Children in Care and Care Leavers Strategy 2017-19" not in texts
    assert any("running title" in w and "line 293" in w for w in doc.warnings)
