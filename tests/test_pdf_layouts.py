"""Layouts the corpus PDFs do not have, built at test time: the same action records come out."""

from __future__ import annotations

import itertools
from pathlib import Path

import pdfplumber
import pytest

from policylens import read_document
from policylens.actions import extract_actions
from policylens.model import Figure, Heading, Table
from policylens.readers.pdf import read_pages
from policylens.settings import ReaderSettings

from .pdf_layouts import (
    ACROSS_THE_BREAK,
    ACTIONS,
    BROCHURE_COLUMNS,
    BROCHURE_ITEMS,
    CALL_OUTS,
    MERGED_LEAD,
    MERGED_PLAN,
    OPEN_AT_THE_TOP,
    SIDE_BY_SIDE,
    SIDE_BY_SIDE_HEADER,
    SIDE_BY_SIDE_PLANS,
    SIDE_PANEL,
    SPLIT_ROW,
    STAGGERED_BOXES,
    TWO_PLANS,
    bullets_drawn_apart,
    landscape_plan_without_vertical_rules,
    objectives_side_by_side,
    plan_drawn_open_at_the_top,
    plan_with_a_lead_merged_across_a_page_break,
    plan_with_a_merged_lead,
    plan_with_a_row_cut_by_a_page_break,
    plan_with_a_two_row_header,
    plan_with_decimal_refs_and_no_vertical_rules,
    shaded_boxes_around_a_ruled_plan,
    staggered_boxes,
    two_column_brochure,
    two_column_list_across_the_gutter,
    two_pages_with_running_header_and_footer,
    two_plans_ruled_between_rows,
    two_tables_side_by_side,
)


def records(path: Path) -> list[tuple[str, ...]]:
    return [(a.aim, a.action, a.outcome, a.timescale.raw, a.lead) for a in extract_actions(read_document(path))]


@pytest.mark.parametrize("repeat_header", [True, False], ids=["header-repeated", "header-not-repeated"])
def test_landscape_action_plan_ruled_between_rows_only(tmp_path: Path, repeat_header: bool) -> None:
    path = landscape_plan_without_vertical_rules(tmp_path / "plan.pdf", repeat_header)
    with pdfplumber.open(path) as pdf:
        assert len(pdf.pages) == 2 and pdf.pages[0].width > pdf.pages[0].height
        assert not any(e["orientation"] == "v" and e["height"] > 20 for p in pdf.pages for e in p.edges)
        assert "StructTreeRoot" not in pdf.doc.catalog  # an untagged file
    assert records(path) == [tuple(a) for a in ACTIONS]
    doc = read_document(path)
    (table,) = doc.tables
    assert table.header == (("Aim", "Action", "Outcome", "Timescale", "Lead"),)
    assert [r.prov.page for r in table.rows] == [1, 1, 2, 2, 2, 2]


def test_two_column_brochure_with_a_coloured_header_and_no_borders(tmp_path: Path) -> None:
    path = two_column_brochure(tmp_path / "brochure.pdf")
    doc = read_document(path)
    texts = [getattr(b, "text", "") for b in doc.blocks]
    assert texts[:2] == ["Children in Care Strategy 2024-2026", "Introduction"]
    assert texts[2].startswith("This strategy sets out what the council")
    want = [("", ACTIONS[i][1], "", ACTIONS[i][3], ACTIONS[i][4]) for i in range(3)]
    assert records(path) == want
    (table,) = doc.tables
    assert table.header == (("Action", "By when", "Lead officer"),)
    assert BROCHURE_COLUMNS == (1, 3, 4)


@pytest.mark.parametrize("bullet", ["\u2022", "-", "1.1"], ids=["unmapped-glyph", "hyphen", "decimal-number"])
def test_bullets_drawn_apart_from_their_text_are_a_commitment_list(tmp_path: Path, bullet: str) -> None:
    path = bullets_drawn_apart(tmp_path / "bullets.pdf", bullet)
    with pdfplumber.open(path) as pdf:
        first_words = {line.split()[0] for line in pdf.pages[0].extract_text().splitlines()}
    assert ("(cid:127)" in first_words) == (bullet == "\u2022")  # the glyph the font leaves unmapped
    doc = read_document(path)
    assert not doc.tables  # not a two-column table of bullets and texts
    actions = extract_actions(doc)
    assert [a.action for a in actions] == [a[1] for a in ACTIONS]
    assert {a.section for a in actions} == {"Children in Care Strategy 2024-2027"}  # "What we will do" leads in
    assert [a.source.page for a in actions] == [1] * len(ACTIONS)


def test_a_merged_lead_is_inherited_and_an_empty_timescale_of_its_own_is_not(tmp_path: Path) -> None:
    path = plan_with_a_merged_lead(tmp_path / "merged.pdf")
    first, second, third = extract_actions(read_document(path))
    assert (second.aim, second.action) == MERGED_PLAN[1][:2]
    assert second.lead == "Head of Fostering" and "lead" in second.inherited  # the cell spans both rows
    assert second.timescale.raw == "" and "timescale" not in second.inherited  # a cell of its own, empty
    assert (first.timescale.raw, third.lead) == ("March 2025", "Virtual School Head")


def test_a_two_page_document_drops_its_running_header_and_footer(tmp_path: Path) -> None:
    path = two_pages_with_running_header_and_footer(tmp_path / "two-pages.pdf")
    with pdfplumber.open(path) as pdf:
        assert len(pdf.pages) == 2
    doc = read_document(path)
    texts = " ".join(getattr(b, "text", "") for b in doc.blocks)
    assert "Page 2" not in texts and "Northshire County Council" not in texts
    (plan,) = doc.tables  # the chunks on both pages join: no footer stands between them
    assert {r.prov.page for r in plan.rows} == {1, 2}
    assert records(path) == [tuple(a) for a in ACTIONS]


def action_rest_page(pdf: pdfplumber.PDF) -> int:
    return next(n for n, page in enumerate(pdf.pages, 1) if "misses learning" in page.extract_text())


def test_a_row_cut_mid_sentence_by_a_page_break_is_one_record(tmp_path: Path) -> None:
    path = plan_with_a_row_cut_by_a_page_break(tmp_path / "cut.pdf")
    with pdfplumber.open(path) as pdf:
        assert action_rest_page(pdf) == 2
    aim, action_top, action_rest, outcome_top, outcome_rest, when, lead = SPLIT_ROW
    actions = extract_actions(read_document(path))
    assert [a.action for a in actions] == [ACTIONS[0][1], f"{action_top} {action_rest}", ACTIONS[2][1]]
    cut = actions[1]
    assert (cut.aim, cut.outcome, cut.timescale.raw, cut.lead) == (aim, f"{outcome_top} {outcome_rest}", when, lead)
    assert not cut.sub_actions and cut.source.page == 1


def test_a_list_that_runs_across_the_gutter_under_a_title_over_both_columns(tmp_path: Path) -> None:
    doc = read_document(two_column_list_across_the_gutter(tmp_path / "brochure.pdf"))
    headings = [b.text for b in doc.blocks if isinstance(b, Heading)]
    assert headings[0] == "Sufficiency Strategy 2024-2027"  # one title, not cut at the gutter
    actions = extract_actions(doc)
    assert [a.action for a in actions] == list(BROCHURE_ITEMS)  # the third item rejoined across the columns
    assert {a.section for a in actions} == {"Priority 1: Stable homes"}


@pytest.mark.parametrize("group_over_every_column", [False, True], ids=["group-over-two", "groups-over-all"])
def test_a_header_two_rows_deep_names_each_column_by_its_own_label(tmp_path: Path, group_over_every_column) -> None:
    path = plan_with_a_two_row_header(tmp_path / "plan.pdf", group_over_every_column)
    (plan,) = read_document(path).tables
    assert len(plan.header) == 2 and plan.column_labels == ("Aim", "Action", "Outcome", "By when", "Who")
    assert records(path) == [tuple(a) for a in ACTIONS[:4]]  # "By when" gives the timescale, "Who" the lead


def test_decimal_references_in_a_table_are_a_column_not_list_markers(tmp_path: Path) -> None:
    actions = extract_actions(read_document(plan_with_decimal_refs_and_no_vertical_rules(tmp_path / "refs.pdf")))
    assert [(a.ref, a.action, a.timescale.raw, a.lead) for a in actions] == [
        (ref, a[1], a[3], a[4]) for ref, a in zip(("1.1", "1.2", "2.1", "2.2"), ACTIONS, strict=False)
    ]


@pytest.mark.parametrize(
    ("shaded", "gap_cm"), [(False, 1.0), (True, 1.0), (True, 0.0)], ids=["plain", "shaded-boxes", "touching-boxes"]
)
def test_objectives_side_by_side_under_text_set_across_the_page(tmp_path: Path, shaded: bool, gap_cm: float) -> None:
    doc = read_document(objectives_side_by_side(tmp_path / "objectives.pdf", shaded, gap_cm))
    assert not doc.tables  # boxes drawn as filled rectangles are not the cells of a table
    actions = extract_actions(doc)
    assert [(a.section, a.action) for a in actions] == [
        (heading, text) for heading, items in SIDE_BY_SIDE.items() for text in items
    ]


OTHER_HEADER = ("Commitment", "By when", "Who")


@pytest.mark.parametrize(
    ("gap_cm", "rows", "right_header", "row_heights"),
    [
        (1.0, 3, SIDE_BY_SIDE_HEADER, None),
        (0.0, 2, SIDE_BY_SIDE_HEADER, None),
        (0.0, 3, SIDE_BY_SIDE_HEADER, 1.5),
        (0.0, 3, OTHER_HEADER, 1.5),
    ],
    ids=["apart", "touching-one-ends-higher", "touching-same-outline", "touching-same-outline-other-header"],
)
def test_two_tables_side_by_side_are_two_tables_under_their_own_headings(
    tmp_path: Path, gap_cm: float, rows: int, right_header: tuple[str, ...], row_heights: float | None
) -> None:
    path = two_tables_side_by_side(tmp_path / "side-by-side.pdf", gap_cm, rows, right_header, row_heights)
    with pdfplumber.open(path) as pdf:
        grids = pdf.pages[0].find_tables()
        assert len(grids) == (2 if gap_cm else 1)  # touching, their rules are one grid to the table finder
        if row_heights:  # one outline, every row rule running across both
            (grid,) = grids
            assert len({round(c[1]) for c in grid.cells}) == 4 and len({round(c[3]) for c in grid.cells}) == 4
    doc = read_document(path)
    assert [t.header for t in doc.tables] == [(SIDE_BY_SIDE_HEADER,), (right_header,)]
    assert [len(t.rows) for t in doc.tables] == [3, rows]
    headings = [b.text for b in doc.blocks if isinstance(b, Heading)]
    assert headings[1:] == list(SIDE_BY_SIDE_PLANS)  # one heading each, not one line across both
    want = [
        (heading, a[1], "", a[3], a[4], 1)
        for heading, actions in SIDE_BY_SIDE_PLANS.items()
        for a in actions[: 3 if heading.startswith("Priority 1") else rows]
    ]
    got = [(a.section, a.action, a.outcome, a.timescale.raw, a.lead, a.source.page) for a in extract_actions(doc)]
    assert got == want


def test_a_grid_of_two_tables_with_one_heading_over_both_stays_one_table(tmp_path: Path) -> None:
    heading = "Priorities 1 and 2: Homes, health, safety and voice"
    path = two_tables_side_by_side(tmp_path / "wide.pdf", 0.0, 3, OTHER_HEADER, 1.5, one_heading=heading)
    doc = read_document(path)
    (table,) = doc.tables  # one outline, one row rule across, nothing to part it: one table of six columns
    assert table.header == ((*SIDE_BY_SIDE_HEADER, *OTHER_HEADER),)
    assert [b.text for b in doc.blocks if isinstance(b, Heading)][1:] == [heading]


@pytest.mark.parametrize("gap_cm", [0.5, 0.0], ids=["call-outs-apart", "call-outs-touching"])
def test_shaded_boxes_are_text_and_the_ruled_plan_beside_them_is_read(tmp_path: Path, gap_cm: float) -> None:
    path = shaded_boxes_around_a_ruled_plan(tmp_path / "boxes.pdf", gap_cm)
    with pdfplumber.open(path) as pdf:
        filled = [r for r in pdf.pages[0].rects if r["fill"] and not r["stroke"]]
        assert len(filled) == 2 + 2 * len(CALL_OUTS) + 2  # two bars, a strip and a panel per box, the side panel
        boxes = sorted((r for r in filled if round(r["height"]) == round(4 * 72 / 2.54)), key=lambda r: r["x0"])
        assert len(boxes) == len(CALL_OUTS)
        touching = [abs(a["x1"] - b["x0"]) < 0.5 for a, b in itertools.pairwise(boxes)]
        assert touching == [not gap_cm] * 2  # touching, the middle box meets a box on both sides
    doc = read_document(path)
    (plan,) = doc.tables  # no box is a table, and the bar on the plan's top rule is not a row of it
    assert plan.header == (("Action", "Outcome", "Timescale", "Lead"),)
    texts = [(type(b).__name__, b.text) for b in doc.blocks if not isinstance(b, Table)]
    boxes = [
        (kind, text)
        for heading, body in CALL_OUTS.items()
        for kind, text in (("Heading", heading), ("Paragraph", body))
    ]
    assert texts == [
        ("Heading", "Children in Care Strategy 2024-2026"),
        *boxes,  # box by box, left to right: their lines side by side are not one line
        ("Heading", "Action plan"),
        ("Heading", SIDE_PANEL[0]),
        ("Paragraph", SIDE_PANEL[1]),
    ]
    assert not any(isinstance(b, Figure) for b in doc.blocks)  # filled rectangles holding text are no chart
    got = [(a.section, a.action, a.outcome, a.timescale.raw, a.lead, a.source.page) for a in extract_actions(doc)]
    assert got == [("Action plan", a[1], a[2], a[3], a[4], 1) for a in ACTIONS[:3]]


@pytest.mark.parametrize(
    ("repeat_header", "closed"),
    [(False, False), (True, False), (False, True), (True, True)],
    ids=["open-at-both-sides", "header-repeated", "closed-on-both-pages", "closed-header-repeated"],
)
def test_a_lead_merged_across_a_page_break_is_given_to_the_rows_it_covers(
    tmp_path: Path, repeat_header: bool, closed: bool
) -> None:
    path = plan_with_a_lead_merged_across_a_page_break(tmp_path / "merged.pdf", repeat_header, closed)
    with pdfplumber.open(path) as pdf:
        assert MERGED_LEAD not in pdf.pages[1].extract_text()  # the merged cell's text stands once, on page 1
    (plan,) = read_document(path).tables
    assert [r.prov.page for r in plan.rows] == [1, 1, 1, 2, 2, 2]
    actions = extract_actions(read_document(path))
    got = [(a.aim, a.action, a.outcome, a.timescale.raw, a.lead, a.source.page) for a in actions]
    assert got == [(*row, page) for row, page in zip(ACROSS_THE_BREAK, [1, 1, 1, 2, 2, 2], strict=True)]
    assert [a.inherited for a in actions] == [(), (), (), ("lead",), ("lead",), ()]  # not the empty cells' own


def test_boxes_in_a_row_set_at_two_heights_are_read_once_box_by_box(tmp_path: Path) -> None:
    doc = read_document(staggered_boxes(tmp_path / "staggered.pdf"))
    assert not doc.tables  # the boxes' lines side by side are not the rows of a table
    texts = [(type(b).__name__, b.text) for b in doc.blocks]
    assert texts == [
        ("Heading", "Corporate Parenting Strategy 2024-2027"),
        *(
            (kind, text)
            for heading, body in STAGGERED_BOXES.items()
            for kind, text in (("Heading", heading), ("Paragraph", body))
        ),
    ]


@pytest.mark.parametrize("header", [True, False], ids=["under-its-header", "no-header-row"])
def test_a_grid_drawn_open_at_the_top_of_its_first_page_merges_nothing(tmp_path: Path, header: bool) -> None:
    path = plan_drawn_open_at_the_top(tmp_path / "open.pdf", header)
    (page,) = read_pages(path, ReaderSettings())
    (grid,) = page.tables
    assert not any(cell.merged_from_above for cell in grid.rows[0])  # nothing above it to merge with
    assert grid.rows[0][-1].open_above  # what the drawing says is kept: open at the top
    (plan,) = read_document(path).tables
    assert not any(flag for row in plan.rows for flag in row.merged)
    if header:
        actions = extract_actions(read_document(path))
        assert records(path) == list(OPEN_AT_THE_TOP)  # the first row's empty lead stays empty
        assert [a.inherited for a in actions] == [(), (), ()]


@pytest.mark.parametrize("gap_pt", [44.0, 30.0], ids=["44pt-apart", "30pt-apart"])
def test_two_plans_one_under_the_other_without_side_frames_stay_two_tables(tmp_path: Path, gap_pt: float) -> None:
    path = two_plans_ruled_between_rows(tmp_path / "two-plans.pdf", gap_pt)
    doc = read_document(path)
    assert [(t.header, len(t.rows)) for t in doc.tables] == [((("Action", "Timescale", "Lead"),), 3)] * 2
    headings = [(b.text, b.level) for b in doc.blocks if isinstance(b, Heading)]
    assert headings == [("Children in Care Action Plan 2024-2026", 1), *((h, 2) for h in TWO_PLANS)]
    got = [(a.section, a.action, a.timescale.raw, a.lead) for a in extract_actions(doc)]
    assert got == [(heading, a[1], a[3], a[4]) for heading, actions in TWO_PLANS.items() for a in actions]


def test_a_row_across_a_plan_without_side_frames_keeps_the_plan_whole(tmp_path: Path) -> None:
    doc = read_document(two_plans_ruled_between_rows(tmp_path / "plan.pdf", section_row=True))
    (plan,) = doc.tables  # the row with no rule between its columns is a row of the plan, not space between two
    assert [r.kind.value for r in plan.rows] == ["body"] * 3 + ["section"] + ["body"] * 3
    got = [(a.section, a.action, a.timescale.raw, a.lead) for a in extract_actions(doc)]
    assert [g[1:] for g in got] == [(a[1], a[3], a[4]) for a in ACTIONS]
    assert {g[0] for g in got[3:]} == {"Priority 2: Safety and voice"}


def test_a_bold_heading_over_a_frameless_plan_under_a_larger_title_is_a_heading(tmp_path: Path) -> None:
    doc = read_document(two_plans_ruled_between_rows(tmp_path / "plan.pdf", section_row=True))
    (title, heading, plan) = doc.blocks  # all the running text is bold: a 16-pt title, a 12-pt heading
    assert (type(title), title.text, title.level) == (Heading, "Children in Care Action Plan 2024-2026", 1)
    assert (type(heading), heading.text, heading.level) == (Heading, "Priority 1: Homes and health", 2)
    assert isinstance(plan, Table)
    sections = [a.section for a in extract_actions(doc)]
    assert sections == [heading.text] * 3 + ["Priority 2: Safety and voice"] * 3
