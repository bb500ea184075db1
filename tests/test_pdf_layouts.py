"""Layouts the corpus PDFs do not have, built at test time: the same action records come out."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest

from policylens import read_document
from policylens.actions import extract_actions

from .pdf_layouts import ACTIONS, BROCHURE_COLUMNS, landscape_plan_without_vertical_rules, two_column_brochure


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
