"""The Word reader: styles into blocks, merged cells into empty cells, damaged files into errors."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from policylens import read_document
from policylens.actions import extract_actions
from policylens.errors import CorruptDocx
from policylens.model import Action, Document, Heading, ListItem, Paragraph, SourceFormat, Table

from .pdf_layouts import MERGED_PLAN

ACTION_HEADER = ("Action", "Outcome", "Timescale", "Lead")


def _action_plan(path: Path) -> Path:
    """A small strategy: title, headings, nested lists, an action plan with a merged Lead cell."""
    word = docx.Document()
    word.add_paragraph("Children in Care Strategy", style="Title")
    word.add_heading("Introduction", level=1)
    word.add_paragraph("This strategy sets out how we will support children in care.")
    word.add_paragraph("")
    word.add_heading("Our priorities", level=2)
    word.add_paragraph("Keep children safe", style="List Bullet")
    word.add_paragraph("Safe at home", style="List Bullet 2")
    word.add_paragraph("Improve school results", style="List Number")
    word.add_paragraph("Raise attendance", style="List Number")
    word.add_heading("Action plan", level=1)
    rows = [
        ACTION_HEADER,
        ("Review the placement policy", "More stable placements", "March 2018", "Head of Service"),
        ("Train foster carers", "Carers feel supported", "Ongoing", ""),
        ("Publish an annual report", "Better accountability", "April 2019", "Virtual School"),
    ]
    table = word.add_table(rows=len(rows), cols=len(ACTION_HEADER))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    table.cell(1, 3).merge(table.cell(2, 3))  # one Lead for the first two actions
    word.add_paragraph("Progress will be reported to the Corporate Parenting Board.")
    out = path / "plan.docx"
    word.save(str(out))
    return out


def test_blocks_in_document_order(tmp_path: Path) -> None:
    doc = read_document(_action_plan(tmp_path))
    assert [type(b).__name__ for b in doc.blocks] == [
        "Heading", "Heading", "Paragraph", "Heading",
        "ListItem", "ListItem", "ListItem", "ListItem",
        "Heading", "Table", "Paragraph",
    ]  # fmt: skip
    headings = [(b.text, b.level) for b in doc.blocks if isinstance(b, Heading)]
    assert headings == [
        ("Children in Care Strategy", 1),
        ("Introduction", 1),
        ("Our priorities", 2),
        ("Action plan", 1),
    ]
    assert doc.meta.title == "Children in Care Strategy"
    paragraph = doc.blocks[2]
    assert isinstance(paragraph, Paragraph)
    assert paragraph.prov.page is None
    # the body's 3rd element (1-based), the empty paragraph after it counted
    assert (paragraph.prov.line_start, paragraph.prov.line_end) == (3, 3)
    assert doc.blocks[-1].prov.line_start == 12


def test_nested_lists_keep_level_and_marker(tmp_path: Path) -> None:
    doc = read_document(_action_plan(tmp_path))
    items = [(b.text, b.marker, b.level) for b in doc.blocks if isinstance(b, ListItem)]
    assert items == [
        ("Keep children safe", "•", 0),
        ("Safe at home", "•", 1),
        ("Improve school results", "1.", 0),
        ("Raise attendance", "2.", 0),
    ]


def test_merged_cell_keeps_text_in_first_cell(tmp_path: Path) -> None:
    (table,) = read_document(_action_plan(tmp_path)).tables
    assert isinstance(table, Table)
    assert table.header == (ACTION_HEADER,)
    assert [r.cells[3] for r in table.rows] == ["Head of Service", "", "Virtual School"]
    assert [r.continues_above for r in table.rows] == [False, False, False]
    assert table.rows[1].cells[0] == "Train foster carers"


def test_vertically_merged_first_column_continues_above(tmp_path: Path) -> None:
    word = docx.Document()
    table = word.add_table(rows=3, cols=3)
    for c, value in enumerate(("Aim", "Action", "Lead")):
        table.cell(0, c).text = value
    table.cell(1, 0).text = "Settled families"
    table.cell(1, 1).text = "Recruit carers"
    table.cell(2, 1).text = "Support carers"
    table.cell(1, 0).merge(table.cell(2, 0))
    wide = table.add_row()
    wide.cells[0].merge(wide.cells[2]).text = "Priority two"
    path = tmp_path / "merged.docx"
    word.save(str(path))
    (read,) = read_document(path).tables
    assert [r.cells for r in read.rows[:2]] == [("Settled families", "Recruit carers", ""), ("", "Support carers", "")]
    assert [r.continues_above for r in read.rows[:2]] == [False, True]
    assert read.rows[2].cells == ("Priority two", "", "")
    assert read.rows[2].label == "Priority two"


def test_actions_from_a_word_action_plan(tmp_path: Path) -> None:
    actions = extract_actions(read_document(_action_plan(tmp_path)))
    got = [(a.action, a.outcome, a.timescale.raw, a.lead) for a in actions]
    assert got == [
        ("Review the placement policy", "More stable placements", "March 2018", "Head of Service"),
        ("Train foster carers", "Carers feel supported", "Ongoing", "Head of Service"),
        ("Publish an annual report", "Better accountability", "April 2019", "Virtual School"),
    ]


@pytest.mark.parametrize("content", [b"", b"not a zip at all", b"PK\x03\x04truncated"])
def test_damaged_word_file_is_a_clear_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "broken.docx"
    path.write_bytes(content)
    with pytest.raises(CorruptDocx) as caught:
        read_document(path)
    assert caught.value.code == "PL111"
    assert "broken.docx" in str(caught.value) and "save it again as .docx" in str(caught.value)


def _as_docx(doc: Document, out: Path) -> Path:
    """A document's headings, paragraphs, list items and tables written as a Word file."""
    word = docx.Document()
    for block in doc.blocks:
        if isinstance(block, Heading):
            word.add_heading(block.text, level=min(block.level, 6))
        elif isinstance(block, ListItem):
            word.add_paragraph(block.text, style="List Bullet 2" if block.level else "List Bullet")
        elif isinstance(block, Paragraph):
            word.add_paragraph(block.text)
        elif isinstance(block, Table):
            rows = [*block.header, *(r.cells for r in block.rows)]
            table = word.add_table(rows=len(rows), cols=block.n_cols)
            for i, cells in enumerate(rows):
                for j, text in enumerate(cells):
                    table.cell(i, j).text = text
    word.save(str(out))
    return out


def _fields(action: Action) -> tuple[str, ...]:
    return (action.section, action.aim, action.action, action.outcome, action.timescale.raw, action.lead)


def test_corpus_action_plan_survives_a_word_edition(corpus_docs: dict[str, Document], tmp_path: Path) -> None:
    text = corpus_docs["halton-2017"]
    assert text.source.format is SourceFormat.TEXT
    word = read_document(_as_docx(text, tmp_path / "halton.docx"))
    expected, got = extract_actions(text), extract_actions(word)
    assert len(expected) > 40
    pairs = [(x, y) for a, b in zip(expected, got, strict=False) for x, y in zip(_fields(a), _fields(b), strict=True)]
    agreement = sum(x == y for x, y in pairs) / (len(expected) * 6)
    assert agreement >= 0.95, f"{agreement:.1%} of action fields agree"


def test_a_merged_lead_is_inherited_and_an_empty_timescale_of_its_own_is_not(tmp_path: Path) -> None:
    word = docx.Document()
    word.add_heading("Action plan", 1)
    table = word.add_table(rows=len(MERGED_PLAN) + 1, cols=4)
    for r, row in enumerate([("Aim", "Action", "Timescale", "Lead"), *MERGED_PLAN]):
        for c, value in enumerate(row):
            if not (r == 2 and c in (0, 3)):  # covered by the merges below
                table.cell(r, c).text = value
    table.cell(1, 3).merge(table.cell(2, 3))
    table.cell(1, 0).merge(table.cell(2, 0))
    path = tmp_path / "merged.docx"
    word.save(str(path))
    (plan,) = read_document(path).tables
    assert plan.rows[1].merged == (True, False, False, True)
    _, second, _ = extract_actions(read_document(path))
    assert second.lead == "Head of Fostering" and "lead" in second.inherited
    assert second.timescale.raw == "" and "timescale" not in second.inherited


def test_a_lead_in_heading_as_high_as_the_heading_before_it_is_a_section_of_its_own(tmp_path: Path) -> None:
    word = docx.Document()
    word.add_heading("Introduction", 1)
    word.add_paragraph("This strategy sets out how we will support children in care.")
    word.add_heading("Our commitments", 1)
    word.add_paragraph("Recruit ten more foster carers by March 2025", style="List Bullet")
    word.add_heading("Priority one: Stay safe", 1)
    word.add_heading("What we will do", 2)
    word.add_paragraph("Review every missing episode within five days", style="List Bullet")
    path = tmp_path / "commitments.docx"
    word.save(str(path))
    first, second = extract_actions(read_document(path))
    assert (first.section, first.timescale.raw) == ("Our commitments", "by March 2025")  # not "Introduction"
    assert second.section == "Priority one: Stay safe"  # a lead-in under it belongs to it
