"""OCR of PDF pages with no text layer (Tesseract, when installed); pages with text are never OCR'd."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import numpy as np
import pdfplumber
import pytest
from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

import policylens.readers.pdf as pdf_reader
from policylens import IngestSettings, ReaderSettings, read_document
from policylens.actions import extract_actions
from policylens.errors import ScannedPages
from policylens.model import Document, Figure, Heading, Paragraph, Table
from policylens.readers.layout import load_layout_rules
from policylens.readers.pdf.layout import OcrPage, Rule, Word, page_layout
from policylens.readers.pdf.ocr import bullets_restored, tesseract, words_from_tsv
from policylens.readers.pdf.rulings import PixelRule, erased, find_rules, in_points

from .conftest import debian_tool
from .ocr_scoring import FIELDS, field_scores, field_text, scanned_page, text_page, words


@pytest.fixture(scope="module")
def ocr_engine() -> str:
    """Tesseract, installed from Debian's packages when missing; OCR is optional, so a machine that
    cannot install it skips (the reader then reports scanned pages, which other tests check)."""
    found, why = debian_tool("tesseract", ["tesseract-ocr", "tesseract-ocr-eng"])
    if found is None:
        pytest.skip(f"Tesseract could not be installed: {why}")
    tesseract.cache_clear()  # the reader looked for it once, perhaps before it was installed
    return found


TSV = (
    "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
    "1\t1\t0\t0\t0\t0\t0\t0\t2480\t3508\t-1\t\n"
    "4\t1\t1\t1\t1\t0\t300\t600\t900\t50\t-1\t\n"
    "5\t1\t1\t1\t1\t1\t300\t605\t400\t40\t96.5\tAction\n"
    "5\t1\t1\t1\t1\t2\t750\t600\t450\t45\t89.5\tplan\n"
    "5\t1\t1\t1\t1\t3\t1250\t600\t10\t45\t95.0\t \n"
)


def _text_of(doc: Document) -> str:
    parts: list[str] = []
    for block in doc.blocks:
        if isinstance(block, Table):
            parts += [c for row in block.header for c in row] + [c for row in block.rows for c in row.cells]
        elif isinstance(block, Figure):
            parts.append(block.description)
        else:
            parts.append(block.text)
    return " ".join(parts)


def test_tesseract_tsv_into_words_in_points() -> None:
    read = words_from_tsv(TSV, 72 / 300, x0=10.0)
    assert read is not None
    assert [w.text for w in read.words] == ["Action", "plan"]
    first = read.words[0]
    assert (first.x0, first.top, first.x1) == pytest.approx((10 + 72.0, 145.2, 10 + 168.0))
    assert first.size == 12.0  # the line's height, the same for every word of the line
    assert read.confidence == 93.0
    assert words_from_tsv(TSV.splitlines()[0], 1.0) is None


def test_a_scanned_action_page_is_read_by_ocr(tmp_path: Path, ocr_engine: str) -> None:
    path, expected = scanned_page(tmp_path)
    doc = read_document(path)
    got = words(_text_of(doc))
    found = sum(min(n, got[w]) for w, n in expected.items())
    assert found / sum(expected.values()) >= 0.90
    assert doc.tables and all(b.prov.page == 1 for b in doc.blocks)
    # every block and table row says it was read by OCR, with the confidence the warning gives
    confidences = {b.prov.ocr_confidence for b in doc.blocks}
    confidences |= {r.prov.ocr_confidence for t in doc.tables for r in t.rows}
    (confidence,) = confidences
    assert confidence is not None and 50 < confidence <= 100
    (warning,) = doc.warnings
    assert f"mean word confidence {confidence:g}%" in warning
    assert "page 1 has no text layer: its text was read by OCR (Tesseract, mean word confidence" in warning

    with pytest.raises(ScannedPages, match="no page has a text layer"):
        read_document(path, IngestSettings(reader=ReaderSettings(ocr=False)))


def test_pages_with_text_are_never_ocr_d(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_ocr(page: object, timeout_s: float) -> None:
        raise AssertionError("a page with a text layer was sent to OCR")

    monkeypatch.setattr(pdf_reader, "ocr_page", no_ocr)
    path = tmp_path / "text.pdf"
    page = canvas.Canvas(str(path), pagesize=A4)
    page.drawString(72, 760, "Introduction to the strategy")
    page.save()
    doc = read_document(path)
    assert [b.text for b in doc.blocks if isinstance(b, Paragraph | Heading)] == ["Introduction to the strategy"]
    assert all(b.prov.ocr_confidence is None for b in doc.blocks)
    assert doc.warnings == ()


def test_a_scanned_action_plan_gives_the_action_rows_of_its_text_layer(tmp_path: Path, ocr_engine: str) -> None:
    """The ruling lines are found in the scan, so the rows are cut where the text layer's are."""
    scan, _ = scanned_page(tmp_path)
    started = time.perf_counter()
    doc = read_document(scan)
    seconds = time.perf_counter() - started
    got = extract_actions(doc)
    expected = extract_actions(read_document(text_page(tmp_path)))

    assert len(got) == len(expected) == 7
    scores = field_scores(expected, got)
    assert scores["all"].recall >= 0.90 and scores["all"].precision >= 0.90, scores
    assert all(s.recall >= 0.85 and s.precision >= 0.85 for s in scores.values()), scores
    assert not [a for a in got for name in FIELDS if "|" in field_text(a, name)]  # vertical rules read as glyphs
    staying_put = got[3]
    assert staying_put.action.startswith("Ensure the Staying Put Policy is discussed with foster carers")
    assert (staying_put.timescale.raw, staying_put.timescale.due_date) == ("July 2017", dt.date(2017, 7, 31))
    assert staying_put.lead == "Principal Manager, Fostering"
    assert (got[4].lead, got[4].timescale.raw) == ("IRM Service", "March 2018")
    # provenance: the page, the table's rows, and a warning that the page was read by OCR
    assert [(a.source.page, a.source.table, a.source.rows) for a in got] == [(1, 0, (n,)) for n in range(7)]
    table = doc.blocks[got[0].source.block]
    assert isinstance(table, Table) and table.prov.bbox is not None and table.prov.page == 1
    (warning,) = doc.warnings
    assert "page 1 has no text layer: its text was read by OCR (Tesseract, mean word confidence" in warning
    assert seconds < 60


def _ruled_image() -> Image.Image:
    """A 300 dpi image: a grid of grey hairlines (3 rows, 3 columns) around text, a tinted
    band, a filled black box and a large heading, none of which but the grid is a rule."""
    image = Image.new("L", (1300, 1000), 255)
    draw = ImageDraw.Draw(image)
    draw.rectangle((101, 103, 1099, 250), fill=225)  # a tinted header row
    for y in (100, 250, 500, 800):
        draw.line([(100, y), (1100, y)], fill=130, width=3)
    for x in (100, 500, 800, 1100):
        draw.line([(x, 100), (x, 800)], fill=130, width=3)
    draw.text((120, 150), "Action Timescale Lead IIIII", fill=0, font=ImageFont.load_default(size=40))
    draw.text((120, 850), "HEADING LLLL TTTT", fill=0, font=ImageFont.load_default(size=90))
    draw.rectangle((1150, 100, 1280, 300), fill=0)
    return image


def test_ruling_lines_are_found_in_a_page_image() -> None:
    gray = np.asarray(_ruled_image())
    rules = find_rules(gray, 300 / 72)
    across = sorted(((r.first + r.last) // 2, r.start, r.end) for r in rules if not r.vertical)
    down = sorted(((r.first + r.last) // 2, r.start, r.end) for r in rules if r.vertical)
    assert across == [(100, 99, 1102), (250, 99, 1102), (500, 99, 1102), (800, 99, 1102)]
    assert down == [(100, 99, 802), (500, 99, 802), (800, 99, 802), (1100, 99, 802)]
    clean = erased(gray, rules)
    assert clean[100, 300] == clean[400, 500] == 255  # the rules are gone before OCR reads the page
    assert (clean[140:200, 120:400] < 100).any()  # the text is not


def test_a_rule_in_pixels_into_points() -> None:
    horizontal = in_points(PixelRule(False, 300, 600, 99, 101), 72 / 300, x0=10.0)  # row 100 is 100-101 px
    assert (horizontal.x0, horizontal.top, horizontal.x1) == pytest.approx((10 + 72.0, 100.5 * 0.24, 10 + 144.0))
    assert horizontal.top == horizontal.bottom
    vertical = in_points(PixelRule(True, 0, 300, 499, 500), 72 / 300)
    assert vertical.x0 == vertical.x1 == pytest.approx(120.0)
    assert (vertical.top, vertical.bottom) == pytest.approx((0.0, 72.0))


def test_rules_found_in_a_scan_reach_the_table_finder(tmp_path: Path) -> None:
    """A blank page (no lines of its own) with OCR'd words and the rules of a 2 x 2 grid."""
    path = tmp_path / "blank.pdf"
    page = canvas.Canvas(str(path), pagesize=A4)
    page.showPage()
    page.save()

    def word(text: str, x0: float, top: float) -> Word:
        return Word(text, x0, x0 + 6 * len(text), top, top + 10, 10.0, False, "")

    words = (word("Action", 80, 110), word("Lead", 280, 110), word("Recruit", 80, 160), word("Manager", 280, 160))
    rules = tuple(Rule(70, y, 470, y) for y in (100, 150, 200)) + tuple(Rule(x, 100, x, 200) for x in (70, 270, 470))
    with pdfplumber.open(path) as pdf:
        scanned = page_layout(pdf.pages[0], 1, ocr=OcrPage(words, 90.0, rules))
        unruled = page_layout(pdf.pages[0], 1, ocr=OcrPage(words, 90.0), find_borderless=False)
    (table,) = scanned.tables
    cells = [[ln.text for c in row for ln in c.lines] for row in table.rows]
    assert cells == [["Action", "Lead"], ["Recruit", "Manager"]]
    assert scanned.lines == () and scanned.ocr_confidence == 90.0
    assert unruled.tables == ()


def _word(text: str, x0: float) -> Word:
    return Word(text=text, x0=x0, x1=x0 + 5, top=0.0, bottom=10.0, size=10.0, bold=False, tag="")


def test_bullets_tesseract_misreads_are_restored_only_in_lists() -> None:
    misreads = load_layout_rules().ocr_bullet_misreads
    rows = [
        [("e", 80.4), ("Recruit", 97.0), ("carers", 140.0)],
        [("«", 80.6), ("Give", 97.0), ("advice", 130.0)],
        [("e", 300.0), ("Offer", 317.0)],  # another left edge, and alone there: not a list
        [("e", 80.4), ("mail", 97.0)],  # not a capitalised word after it
        [("I", 80.4), ("Will", 90.0)],  # a real one-letter word is never a misread bullet
    ]
    words = [_word(t, x) for row in rows for t, x in row]
    lines = [(str(n), "1", "1") for n, row in enumerate(rows) for _ in row]
    restored = bullets_restored(words, lines, misreads)
    assert [w.text for w in restored] == [
        "•",
        "Recruit",
        "carers",
        "•",
        "Give",
        "advice",
        "e",
        "Offer",
        "e",
        "mail",
        "I",
        "Will",
    ]
