"""The text reader's rules, one small realistic input each."""

from __future__ import annotations

from pathlib import Path

import pytest

from policylens import read_document
from policylens.model import Document, Figure, Heading, ListItem, Paragraph, RowKind, Table
from policylens.readers.inline import clean_cell, clean_inline
from policylens.readers.tables import join_split_word


def read(tmp_path: Path, text: str, name: str = "doc.txt") -> Document:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read_document(path)


def kinds(doc: Document) -> list[str]:
    return [b.kind.value for b in doc.blocks]


def test_cell_html_becomes_clean_text_and_keeps_bold() -> None:
    assert clean_cell("<b>HELP CiC BE SAFE</b>") == clean_cell("<b>HELP CiC BE SAFE</b>")
    assert clean_cell("<b>HELP CiC BE SAFE</b>").bold
    assert clean_cell("<b>HELP CiC BE SAFE</b>").text == "HELP CiC BE SAFE"
    assert clean_cell("<p>2007</p> <p>2008</p>").text == "2007\n2008"
    assert clean_cell("as of 1<sup>st</sup> April").text == "as of 1st April"
    assert clean_cell("KS3 &amp; 4 PRUs").text == "KS3 & 4 PRUs"
    assert clean_cell("Review role.  Improve reporting").text == "Review role.\nImprove reporting"
    mixed = clean_cell("Audit systems <b>Explore access</b>")
    assert mixed.text == "Audit systems Explore access" and not mixed.bold


def test_markdown_inline_markup_is_removed() -> None:
    assert clean_inline("***“If this were my child?”*** and **bold**") == "“If this were my child?” and bold"
    assert clean_inline(r"grade A\*-G and the [Pledge](#)") == "grade A*-G and the Pledge"


def test_headings_of_every_style(tmp_path: Path) -> None:
    doc = read(
        tmp_path,
        "# Strategy title\n\n## INTRODUCTION\n\nSome text here that runs on as a sentence.\n\n"
        "PRIORITIES FOR THE YEAR\n\nMore text that is a sentence.\n\n"
        "**Make sure services deliver our promises**\n\n- an item\n\n"
        "Priority one: Live in settled families\n\nWhy is it important?\n\nBecause it is.\n\n"
        "What we will do:\n\n- Work with families\n\n"
        "1. We will help you and stick by you by:\n\nAim\tAction\nGood aim\tA long action sentence here.\n",
    )
    headings = [(h.text, h.level) for h in doc.headings]
    assert headings == [
        ("Strategy title", 1),
        ("INTRODUCTION", 2),
        ("PRIORITIES FOR THE YEAR", 3),
        ("Make sure services deliver our promises", 4),
        ("Priority one: Live in settled families", 5),
        ("Why is it important?", 6),
        ("What we will do:", 6),
        ("1. We will help you and stick by you by:", 6),
    ]


def test_lead_in_lines_statements_and_names_are_not_headings(tmp_path: Path) -> None:
    doc = read(
        tmp_path,
        "Our key partners are:\n\n- Police\n\n"
        "The largest number of children is in the 5-11yr age range\n\n"
        "253 Children in Care (0-17yrs)\n\n"
        "For more information visit http://example.org/\n\n"
        "A handwritten signature in black ink, appearing to read 'Jo Bloggs'.\n\nJo Bloggs\n\n"
        "Director of Children's Services\n\nClosing words of the page.\n",
    )
    assert doc.headings == ()
    assert isinstance(doc.blocks[-4], Figure)


def test_numbered_lines_in_a_run_are_a_list_not_headings(tmp_path: Path) -> None:
    doc = read(tmp_path, "Top promises\n\n1. **To keep children safe**\n2. **A good home**\n\nAfter.\n")
    items = [b for b in doc.blocks if isinstance(b, ListItem)]
    assert [(i.marker, i.text) for i in items] == [("1.", "To keep children safe"), ("2.", "A good home")]


def test_bullets_of_every_glyph_and_nesting(tmp_path: Path) -> None:
    glyphs = ["-", "•", "◆", "✓", "·", "o", "\uf0b7", "\uf0a7"]
    text = "Lead in:\n\n" + "\n".join(f"{g} item {i}" for i, g in enumerate(glyphs))
    text += "\n- ◆ nested glyph\n- 3. numbered in a bullet\n - o second level\n"
    items = [b for b in read(tmp_path, text).blocks if isinstance(b, ListItem)]
    assert [i.marker for i in items] == [*glyphs, "◆", "3.", "o"]
    assert [i.level for i in items][-1] == 1
    assert items[0].text == "item 0"


def test_wrapped_item_lines_and_lost_bullet_glyphs(tmp_path: Path) -> None:
    doc = read(
        tmp_path,
        "What we will do:\n\n- Explore funding streams to develop a\n Care Leavers Academy. As well as\n"
        " building links.\n- Prevent homelessness by providing homes.\n We will review our protocols.\n\n"
        " All children will be seen alone.\n\n- Last item\n",
    )
    items = [b for b in doc.blocks if isinstance(b, ListItem)]
    assert [(i.marker, i.text) for i in items] == [
        ("-", "Explore funding streams to develop a Care Leavers Academy. As well as building links."),
        ("-", "Prevent homelessness by providing homes."),
        ("", "We will review our protocols."),
        ("", "All children will be seen alone."),
        ("-", "Last item"),
    ]
    assert items[0].prov.line_start == 3 and items[0].prov.line_end == 5


def test_text_cut_by_a_page_break_is_joined(tmp_path: Path) -> None:
    doc = read(
        tmp_path,
        "Intro:\n\n- Direct work includes producing a CV, applying to college,\n\n- paying bills, budgeting.\n"
        "- more likely to be offending\n- more likely to misuse drugs\n\nWe work together to ensure\n\n"
        "that services are appropriate.\n",
    )
    items = [b for b in doc.blocks if isinstance(b, ListItem)]
    assert items[0].text == "Direct work includes producing a CV, applying to college, paying bills, budgeting."
    assert items[0].prov.line_end == 5
    assert len(items) == 3  # adjacent lower-case items are separate items
    assert doc.blocks[-1] == Paragraph("We work together to ensure that services are appropriate.", doc.blocks[-1].prov)


def test_tab_table_across_page_breaks_is_one_logical_table(tmp_path: Path) -> None:
    header = "Aim\tAction\tOutcome\tTimescale\tLead"
    doc = read(
        tmp_path,
        "ACTION PLAN\n\n"
        f"{header}\nRecruit carers well\tRevise the strategy for carers\tMore carers are found\tMarch 2018\tManager\n"
        "\tDevelop support services\tFewer carers leave us\tMarch 2018\t\n\n\n"
        f"{header}\n\t\tReduction in placement breakdowns\t\t\n"
        "Second aim\tAnother long action goes here\tOutcome text\tJune 2017\tOfficer\n",
    )
    (table,) = doc.tables
    assert table.header == (("Aim", "Action", "Outcome", "Timescale", "Lead"),)
    assert len(table.rows) == 4 and table.page_chunks == 2
    assert [r.continues_above for r in table.rows] == [False, True, True, False]
    assert [r.after_break for r in table.rows] == [False, False, True, False]
    assert table.prov.line_start == 3 and table.prov.line_end == 10


def test_section_rows_bold_plain_and_split_over_two_cells(tmp_path: Path) -> None:
    doc = read(
        tmp_path,
        "Outcome\tActivity\tLead\tTimescale\tMeasure\n"
        "<b>HELP CHILDREN BE SAFE</b>\t\t\t\t\n"
        "\tKeep children safe at all times\tTeam\tOngoing\tFewer incidents\n"
        "Live in settled families\t\t\t\t\n"
        "Successful Adu\tlt Lives\t\t\t\n"
        "Get the best fro\tom school & college\t\t\t\n"
        "Be prepared fo\tBe prepared for independence\t\t\t\n",
    )
    (table,) = doc.tables
    sections = [(r.label, r.bold) for r in table.rows if r.kind is RowKind.SECTION]
    assert sections == [
        ("HELP CHILDREN BE SAFE", True),
        ("Live in settled families", False),
        ("Successful Adult Lives", False),
        ("Get the best from school & college", False),
        ("Be prepared for independence", False),
    ]
    assert join_split_word("Successful Adu", "lt Lives") == "Successful Adult Lives"


def test_headerless_chunk_after_a_break_continues_the_table(tmp_path: Path) -> None:
    doc = read(
        tmp_path,
        "Ref\tAction\tWho\n3e\tConsider whether the leisure pass could include care\tPrincipal Manager\n\n"
        "\tleavers and our neighbours.\tand Care Leavers\n3f\tIncrease awareness amongst staff now\tAll Managers\n",
    )
    (table,) = doc.tables
    assert len(table.rows) == 3
    assert table.rows[1].continues_above and table.rows[1].after_break


def test_a_table_without_a_header_row(tmp_path: Path) -> None:
    doc = read(tmp_path, "CONTENTS\n\nFOREWORD\t3\nINTRODUCTION\t4\nACTION PLAN\t16\n")
    (table,) = doc.tables
    assert table.header == () and len(table.rows) == 3


def test_a_tab_row_of_labels_over_columns_of_figures_is_the_header(tmp_path: Path) -> None:
    doc = read(
        tmp_path,
        "Indicator\tBaseline 2023\tTarget 2025\nCare leavers in EET\t52%\t60%\nFostering households\t148\t160\n",
    )
    (table,) = doc.tables
    assert table.header == (("Indicator", "Baseline 2023", "Target 2025"),)
    assert [r.cells[1] for r in table.rows] == ["52%", "148"]


def test_pipe_tables_with_and_without_header(tmp_path: Path) -> None:
    doc = read(
        tmp_path,
        "| | |\n|---|----|\n| LA 2021-22 | 61% |\n| Eng 2021-22 | 70% |\n\nText between the tables.\n\n"
        "| Report | Priority | Interactions |\n|---|--|---|\n| Annual report | All | Every year the board |\n\n"
        "| Report | Priority | Interactions |\n|--|---|---|\n| | | reports on progress. |\n",
    )
    first, second = doc.tables
    assert first.header == () and first.rows[0].cells == ("LA 2021-22", "61%")
    assert first.prov.line_start == 1
    assert second.header == (("Report", "Priority", "Interactions"),)
    assert len(second.rows) == 2 and second.rows[1].continues_above and second.rows[1].after_break


@pytest.mark.parametrize(
    "text",
    [
        "A vibrant, circular illustration of a park scene with a rainbow.",
        "A handwritten signature in black ink, appearing to read 'Rachel Bailey'.",
        "An aerial photograph of the town centre.",
    ],
)
def test_picture_descriptions_are_figures(tmp_path: Path, text: str) -> None:
    doc = read(tmp_path, f"Heading\n\n{text}\n\nA smaller group are cared for under a voluntary agreement.\n")
    assert [type(b) for b in doc.blocks] == [Paragraph, Figure, Paragraph] or [type(b) for b in doc.blocks] == [
        Heading,
        Figure,
        Paragraph,
    ]
    assert doc.blocks[1].description == text


def test_running_title_repeated_on_later_pages_is_dropped(tmp_path: Path) -> None:
    doc = read(tmp_path, "Our Strategy 2022 – 2025\n\nIntroduction\n\nBody text.\n\nOur Strategy 2022 – 2025\n")
    assert [getattr(b, "text", "") for b in doc.blocks] == ["Our Strategy 2022 – 2025", "Introduction", "Body text."]
    assert len(doc.warnings) == 1


def test_every_block_has_provenance_in_line_order(corpus_docs: dict[str, Document]) -> None:
    for doc in corpus_docs.values():
        starts = [b.prov.line_start for b in doc.blocks]
        assert all(isinstance(s, int) for s in starts)
        assert starts == sorted(starts)
        assert all(b.prov.source == doc.source.path for b in doc.blocks)
        assert all(b.prov.line_end >= b.prov.line_start for b in doc.blocks)
        for table in doc.tables:
            assert isinstance(table, Table)
            assert all(r.prov.line_start is not None for r in table.rows)


def test_windows_line_ends_and_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "crlf.txt"
    path.write_bytes("\ufeffTITLE PAGE\r\n\r\nBody text here.\r\n".encode())
    doc = read_document(path)
    assert [getattr(b, "text", "") for b in doc.blocks] == ["TITLE PAGE", "Body text here."]


def test_a_section_number_over_its_numbered_paragraphs_is_a_heading(tmp_path: Path) -> None:
    path = tmp_path / "numbered.txt"
    path.write_text(
        "1. INTRODUCTION\n\n1.1 This strategy sets out our promises to the children we look after.\n\n"
        "1.2 It was written with our Children in Care Council.\n\n"
        "2. OUR CHILDREN AT A GLANCE (31 March 2023)\n\nChildren in care: 355\n",
        encoding="utf-8",
    )
    blocks = read_document(path).blocks
    headings = [b.text for b in blocks if isinstance(b, Heading)]
    assert headings == ["1. INTRODUCTION", "2. OUR CHILDREN AT A GLANCE (31 March 2023)"]
    items = [b for b in blocks if isinstance(b, ListItem)]
    assert [(i.marker, i.text[:13]) for i in items] == [("1.1", "This strategy"), ("1.2", "It was writte")]
