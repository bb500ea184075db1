"""Edge cases of the PDF reader on geometry and rows set by hand: bands of boxes side by side
(`readers/pdf/bands.py`) and the columns a page is read in; what a grid drawn open at a page break says
about the rows after it (`readers/tables.py`)."""

from __future__ import annotations

import pytest

from policylens.model import BBox, Provenance
from policylens.readers.layout import load_layout_rules
from policylens.readers.pdf import _band_columns
from policylens.readers.pdf.bands import Band, side_by_side_bands
from policylens.readers.pdf.layout import Line, Word
from policylens.readers.tables import Chunk, RawRow, logical_tables


def line(text: str, x0: float, top: float, size: float = 10.0) -> Line:
    return Line((Word(text, x0, x0 + 6 * len(text), top, top + size, size, False, ""),), 1)


def box_lines(box: BBox, name: str, pitch: float = 12.0) -> list[Line]:
    """Lines filling a box from its top to its foot."""
    tops = [box.top + 4 + pitch * i for i in range(int((box.bottom - box.top - 14) // pitch) + 1)]
    return [line(f"{name}{i}", box.x0 + 4, top) for i, top in enumerate(tops)]


def test_bands_that_overlap_in_height_give_every_line_once() -> None:
    lines = [
        line(f"L{i}", x, top)
        for i, (x, top) in enumerate(
            [(10, 50), (10, 120), (130, 120), (10, 260), (130, 270), (250, 280), (370, 290), (10, 500)]
        )
    ]
    bands = [Band(100, 300, (110,)), Band(250, 450, (230, 350))]
    read = [ln for column in _band_columns(lines, [], bands) for ln in column.lines]
    assert sorted(read, key=lambda ln: ln.text) == sorted(lines, key=lambda ln: ln.text)


def test_two_pairs_of_boxes_set_at_two_heights_are_one_band_read_box_by_box() -> None:
    a, b = BBox(0, 100, 100, 300), BBox(120, 100, 220, 300)
    c, d = BBox(240, 250, 340, 450), BBox(360, 250, 460, 450)  # lower by 150: the pairs overlap by a quarter
    lines = [ln for box, name in ((a, "A"), (b, "B"), (c, "C"), (d, "D")) for ln in box_lines(box, name)]
    (band,) = side_by_side_bands([a, b, c, d], lines)
    assert (band.top, band.bottom, band.cuts) == (100, 450, (110, 230, 350))
    parts = [[ln.text[0] for ln in column.lines] for column in _band_columns(lines, [], [band])]
    assert parts == [
        [],
        ["A"] * len(box_lines(a, "A")),
        ["B"] * len(box_lines(b, "B")),
        ["C"] * len(box_lines(c, "C")),
        ["D"] * len(box_lines(d, "D")),
        [],
    ]


def test_a_band_under_another_takes_no_line_of_it_for_its_heading() -> None:
    a, b = BBox(0, 100, 100, 200), BBox(120, 100, 220, 200)
    c, d = BBox(0, 215, 100, 315), BBox(120, 215, 220, 315)  # the same columns, just below
    lines = [ln for box, name in ((a, "A"), (b, "B"), (c, "C"), (d, "D")) for ln in box_lines(box, name)]
    first, second = side_by_side_bands([a, b, c, d], lines)
    assert first.bottom <= second.top  # the lines at the foot of the first band are not the second's heading
    read = [ln for column in _band_columns(lines, [], [first, second]) for ln in column.lines]
    assert len(read) == len(lines) == len(set(read))


def test_a_box_reaching_into_two_columns_of_a_band_leaves_the_band_whole() -> None:
    a, b = BBox(0, 100, 100, 300), BBox(120, 100, 220, 300)
    badge = BBox(90, 140, 130, 160)  # set over the white space between the boxes, into both
    under = BBox(130, 250, 210, 290)  # within the right-hand column: it belongs with the band
    (band,) = side_by_side_bands([a, b, badge, under], [])
    assert (band.top, band.bottom, band.cuts) == (100, 300, (110,))


def row(cells: tuple[str, ...], page: int, ruled: bool = True, **flags: tuple[bool, ...]) -> RawRow:
    """A row as the PDF reader hands it over: a ruled grid's row says which of its cells are merged from
    above (none here unless given), a row found by text alignment says nothing (`ruled=False`)."""
    merged = flags.pop("merged", (False,) * len(cells)) if ruled else ()
    return RawRow(cells, (False,) * len(cells), Provenance(source="plan.pdf", page=page), merged, **flags)


HEAD = ("Action", "Timescale", "Lead")
LEAD_OPEN = (False, False, True)
CLOSED = (False, False, False)


def across_a_break(first_page: RawRow, second_page: RawRow) -> tuple[bool, ...]:
    """What is merged in the first row after the break, once the two pages' chunks are one table."""
    chunks = [Chunk((row(HEAD, 1), first_page)), Chunk((second_page,), follows_previous=True)]
    (table,) = logical_tables(chunks, load_layout_rules())
    assert [r.prov.page for r in table.rows] == [1, 2]
    return table.rows[1].merged


@pytest.mark.parametrize(
    ("above", "below", "merged"),
    [
        ({"open_below": LEAD_OPEN}, {}, LEAD_OPEN),  # open at the foot of page 1
        ({}, {"open_above": LEAD_OPEN}, LEAD_OPEN),  # open at the top of page 2
        ({}, {}, ()),  # nothing drawn open: a merged cell and an empty one cannot be told apart
        ({"open_below": LEAD_OPEN}, {"ruled": False}, ()),  # no grid on page 2: no cell geometry to tell
    ],
    ids=["open-below", "open-above", "closed", "unruled-row-after-the-break"],
)
def test_a_cell_drawn_open_at_a_page_break_covers_the_ruled_row_after_it(
    above: dict[str, tuple[bool, ...]], below: dict[str, object], merged: tuple[bool, ...]
) -> None:
    first = row(("Relaunch the campaign", "March 2025", "Head of Fostering"), 1, **above)
    second = row(("Train every new carer", "April 2025", ""), 2, **below)  # type: ignore[arg-type]
    assert across_a_break(first, second) == merged
