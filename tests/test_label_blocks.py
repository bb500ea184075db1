"""Label/value blocks and "we will:" lists become the same `Action` records in every format."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pdfplumber
import pytest
from typer.testing import CliRunner

from policylens import IngestSettings, read_document
from policylens.actions import action_settings, extract_actions
from policylens.cli import app
from policylens.model import Action, Heading, Paragraph, Provenance, Table
from policylens.pipeline import actions_of
from policylens.readers.pairs import Pair, label_tables
from policylens.readers.pdf.ocr import tesseract
from policylens.settings import ReaderSettings

from .conftest import debian_tool
from .pledge_blocks import EDITIONS, EXPECTED, PRIORITY_1, PRIORITY_2, TITLED, as_pdf

runner = CliRunner()


def _fields(action: Action) -> tuple[object, ...]:
    due = action.timescale.due_date.isoformat() if action.timescale.due_date else None
    timescale = (action.timescale.raw, action.timescale.kind.value, due)
    return (action.section, action.action, action.outcome, *timescale, action.lead, action.leads, action.origin.value)


@pytest.fixture(params=sorted(EDITIONS))
def edition(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    make: Callable[[Path], Path] = EDITIONS[request.param]
    return make(tmp_path / f"fostering.{request.param}")


def test_every_edition_gives_the_same_actions(edition: Path) -> None:
    assert [_fields(a) for a in extract_actions(read_document(edition))] == EXPECTED


# where each record was read: (first line, last line) in the file, or the page of a PDF
WHERE = {
    "txt": [(7, 11), (15, 18), (24, 24), (25, 25)],  # lines of the file
    "docx": [(4, 7), (9, 12), (15, 15), (16, 16)],  # places among the body's paragraphs
    "html": [(6, 9), (11, 15), (20, 20), (21, 21)],  # lines of the page
}


def test_records_say_where_they_were_read(edition: Path) -> None:
    actions = extract_actions(read_document(edition))
    fmt = edition.suffix.lstrip(".")
    if fmt == "pdf":
        assert [(a.source.page, a.source.line_start) for a in actions] == [(1, None)] * 4
    else:
        assert [(a.source.line_start, a.source.line_end) for a in actions] == WHERE[fmt]
    assert all(a.source.source == str(edition) for a in actions)
    # what an auditor is told to look for: a Word file's places are paragraphs, not lines
    # (every one of them, for a row that runs over several)
    position = {"pdf": "page 1", "docx": "paragraphs 4-7", "txt": "lines 7-11", "html": "lines 6-9"}[fmt]
    assert actions[0].source.where.startswith(f"{edition} {position}")
    labelled, titled = actions[0].source, actions[1].source
    assert (labelled.table, titled.table) == (0, 1) and actions[2].source.table is None
    assert labelled.cells == (
        (
            "Recruit twenty new foster carers from local employers.",
            "Head of Fostering; Head of Virtual School",
            "March 2026",
            "Fewer children placed out of area.",
        ),
    )
    assert titled.cells[0][0] == TITLED


def test_the_blocks_are_tables_whose_header_is_the_labels(edition: Path) -> None:
    doc = read_document(edition)
    assert [t.header for t in doc.tables] == [
        (("Action", "Responsible officer", "Timeline", "Expected outcome"),),
        (("Action", "Lead", "Timescale", "Outcome"),),  # "Action" heads the title's column
    ]
    # the bold title is the record's own, not a section
    headings = [b.text for b in doc.blocks if isinstance(b, Heading)]
    assert headings[1:3] == [PRIORITY_1, PRIORITY_2]


def test_the_commands_accept_every_edition(tmp_path: Path) -> None:
    files = [str(make(tmp_path / f"fostering.{ext}")) for ext, make in sorted(EDITIONS.items())]
    shown = runner.invoke(app, ["actions", *files, "--format", "csv"])
    assert shown.exit_code == 0, shown.output
    records = list(csv.DictReader(io.StringIO(shown.output)))
    assert len(records) == 4 * len(files)
    assert {r["lead"] for r in records if r["action"] == TITLED} == {"Early Help Manager"}
    measured = runner.invoke(app, ["metrics", *files, "--format", "json"])
    assert measured.exit_code == 0, measured.output
    # the target in the labelled action, with the record's timescale as its period, from every file
    targets = [(m["source"], m["kind"], m["value"], m["period"]) for m in json.loads(measured.output)]
    assert sorted(targets) == [(f, "target", 20.0, "March 2026") for f in files]  # JSON numbers are numbers
    ingested = runner.invoke(app, ["ingest", *files, "--out", str(tmp_path / "blocks")])
    assert ingested.exit_code == 0, ingested.output
    built = runner.invoke(app, ["build", *files, "--out", str(tmp_path / "built"), "--no-cache"])
    assert built.exit_code == 0, built.output
    with (tmp_path / "built" / "actions.csv").open(encoding="utf-8") as handle:
        assert len(list(csv.DictReader(handle))) == 4 * len(files)


def test_label_blocks_survive_a_scan(tmp_path: Path) -> None:
    """The PDF edition printed to an image: OCR's words go through the same step. Tesseract reads
    the list's bullets "•" as "e" or "«"; they are restored, so the "We will" list is a list again."""
    found, why = debian_tool("tesseract", ["tesseract-ocr", "tesseract-ocr-eng"])
    if found is None:
        pytest.skip(f"Tesseract could not be installed: {why}")
    tesseract.cache_clear()  # the reader looked for it once, perhaps before it was installed
    with pdfplumber.open(as_pdf(tmp_path / "typeset.pdf")) as pdf:
        image = pdf.pages[0].to_image(resolution=300).original.convert("RGB")
    image.save(tmp_path / "scanned.pdf", resolution=300)
    actions = extract_actions(read_document(tmp_path / "scanned.pdf"))
    assert [_fields(a) for a in actions] == EXPECTED
    assert [a.source.page for a in actions] == [1, 1, 1, 1]


# --- the shared step on its own ------------------------------------------------


def _prov(line: int, end: int | None = None) -> Provenance:
    return Provenance("plan.txt", None, line, end or line)


def test_known_labels_that_do_not_make_an_action_stay_paragraphs() -> None:
    blocks = [
        Paragraph("Date: 12 March 2024\nSource: Ofsted", _prov(1, 2)),  # no action
        Paragraph("For more detail ask the team.\nLead: Jane Smith", _prov(4, 5)),  # a title and one field
        Paragraph("What we will do:", _prov(7)),  # a lead-in labels nothing
    ]
    assert label_tables(blocks) == blocks


def test_labels_run_together_on_one_line_are_split_at_their_capitals() -> None:
    """PDF paragraphs fold their lines into one: later labels are found by their capital letter."""
    flat = Paragraph("Action: Plant 500 trees. Lead: Parks Team Timescale: 2026 Outcome: More shade.", _prov(3))
    (table,) = label_tables([flat])
    assert isinstance(table, Table)
    assert table.header == (("Action", "Lead", "Timescale", "Outcome"),)
    assert table.rows[0].cells == ("Plant 500 trees.", "Parks Team", "2026", "More shade.")


def test_a_repeated_label_starts_the_next_record_of_the_same_table() -> None:
    text = "Action: Plant trees.\nLead: Parks\nAction: Fix roads.\nLead: Highways"
    (table,) = label_tables([Paragraph(text, _prov(10, 13))])
    assert isinstance(table, Table)
    assert [(r.cells, r.prov.line_start, r.prov.line_end) for r in table.rows] == [
        (("Plant trees.", "Parks"), 10, 11),
        (("Fix roads.", "Highways"), 12, 13),
    ]


def test_a_heading_just_above_fields_with_no_action_label_is_their_title() -> None:
    blocks = [
        Heading("Priority 1: Safe at home", 2, _prov(1)),
        Heading("Review every missing episode", 3, _prov(3)),
        Paragraph("Lead: Head of Safeguarding\nTimescale: Monthly", _prov(5, 6)),
    ]
    heading, table = label_tables(blocks)
    assert heading == blocks[0]
    assert isinstance(table, Table)
    assert table.rows[0].cells == ("Review every missing episode", "Head of Safeguarding", "Monthly")
    assert (table.prov.line_start, table.prov.line_end) == (3, 6)


def test_a_lone_line_of_a_field_is_not_read_as_a_heading(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_text("# Plan\n\nTimeline: March 2026\n\nSome closing words here.\n", "utf-8")
    doc = read_document(path)
    assert [type(b).__name__ for b in doc.blocks] == ["Heading", "Paragraph", "Paragraph"]


def test_markup_pairs_need_no_known_label() -> None:
    """A reader that saw labels set apart (bold, <dt>) hands over pairs of any short label."""
    pairs = [Pair("Ward", "Riverside", _prov(1), marked=True), Pair("Budget", "£20,000", _prov(2), marked=True)]
    (table,) = label_tables(pairs)
    assert isinstance(table, Table) and table.header == (("Ward", "Budget"),)
    assert label_tables(pairs[:1]) == [Paragraph("Ward: Riverside", _prov(1))]


def test_records_written_one_after_another_are_told_apart_by_their_labels(tmp_path: Path) -> None:
    """With no blank line between records, a line of text before a label the record already has
    titles the next record; any other line of text carries the value above on."""
    path = tmp_path / "plan.txt"
    lines = [
        "## Priority 1: Homes",
        "",
        "Recruit carers",
        "Lead: Head of Fostering",
        "Timescale: March 2026",
        "Open a family hub in",
        "every district",
        "Lead: Early Help Manager",
        "Timescale: Ongoing",
        "Outcome: Families get help",
        "before a crisis.",
    ]
    path.write_text("\n".join(lines) + "\n", "utf-8")
    got = [
        (a.action, a.lead, a.timescale.raw, a.outcome, a.source.line_start, a.source.line_end)
        for a in extract_actions(read_document(path))
    ]
    assert got == [
        ("Recruit carers", "Head of Fostering", "March 2026", "", 3, 5),
        (
            "Open a family hub in every district",
            "Early Help Manager",
            "Ongoing",
            "Families get help before a crisis.",
            6,
            11,
        ),
    ]


def test_a_manifest_may_name_word_and_web_editions(tmp_path: Path) -> None:
    editions = tmp_path / "files"
    editions.mkdir()
    for ext in ("docx", "html"):
        EDITIONS[ext](editions / f"fostering.{ext}")
    (tmp_path / "manifest.csv").write_text(
        "id,council,title,period_start,period_end,docx,html\n"
        "fostering-2025,Anytown,Fostering Plan,2025,2028,files/fostering.docx,files/fostering.html\n",
        "utf-8",
    )
    for prefer, source in (("docx,html", "files/fostering.docx"), ("html,docx", "files/fostering.html")):
        out = tmp_path / f"built-{prefer}"
        built = runner.invoke(app, ["build", str(tmp_path), "--prefer", prefer, "--out", str(out), "--no-cache"])
        assert built.exit_code == 0, built.output
        with (out / "actions.csv").open(encoding="utf-8") as handle:
            records = list(csv.DictReader(handle))
        assert {r["doc_id"] for r in records} == {"fostering-2025"} and len(records) == 4
        assert {r["source"] for r in records} == {source}
        assert {r["lead"] for r in records if r["action"] == TITLED} == {"Early Help Manager"}


USER_LABELS = """\
Fostering plan

Our promise to you: Recruit twenty new foster carers from local employers.
Who makes it happen: Head of Fostering
Done by: March 2026
Difference it makes: Fewer children placed out of area.

Our promise to you: Give every care leaver a personal adviser.
Who makes it happen: Leaving Care Manager
Done by: April 2027
Difference it makes: Care leavers know who to call.
"""


def _user_vocabulary(folder: Path) -> Path:
    """The packaged header synonyms with a council's own labels added, as a user would write them."""
    packaged = (Path(__file__).parents[1] / "src" / "policylens" / "data" / "action_plans.toml").read_text("utf-8")
    added = {
        '"our commitment", "our pledge",': '"our commitment", "our pledge", "our promise to you",',
        '"led by",': '"led by", "who makes it happen",',
        '"milestone",': '"milestone", "done by",',
        '"how we will know",': '"how we will know", "difference it makes",',
    }
    for old, new in added.items():
        assert old in packaged
        packaged = packaged.replace(old, new)
    path = folder / "our-labels.toml"
    path.write_text(packaged, encoding="utf-8")
    return path


def test_a_users_vocabulary_reaches_the_readers_and_the_action_stage(tmp_path: Path) -> None:
    document = tmp_path / "plan.txt"
    document.write_text(USER_LABELS, encoding="utf-8")
    vocabulary = _user_vocabulary(tmp_path)
    # without the user's file the labels mean nothing: no action records
    assert extract_actions(read_document(document)) == ()
    settings = IngestSettings(reader=ReaderSettings(vocabulary=vocabulary))
    actions = actions_of((read_document(document, settings),), action_settings(settings))
    assert [(a.action, a.lead, a.timescale.raw, a.timescale.due_date, a.outcome) for a in actions] == [
        (
            "Recruit twenty new foster carers from local employers.",
            "Head of Fostering",
            "March 2026",
            date(2026, 3, 31),
            "Fewer children placed out of area.",
        ),
        (
            "Give every care leaver a personal adviser.",
            "Leaving Care Manager",
            "April 2027",
            date(2027, 4, 30),
            "Care leavers know who to call.",
        ),
    ]
    assert [(a.source.line_start, a.source.line_end) for a in actions] == [(3, 6), (8, 11)]
    # the command line: one option for readers and actions alike
    result = runner.invoke(app, ["actions", str(document), "--vocabulary", str(vocabulary), "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["action"], r["lead"], r["due_date"]) for r in rows] == [
        ("Recruit twenty new foster carers from local employers.", "Head of Fostering", "2026-03-31"),
        ("Give every care leaver a personal adviser.", "Leaving Care Manager", "2027-04-30"),
    ]


def test_a_broken_vocabulary_file_fails_once_naming_itself(tmp_path: Path) -> None:
    broken = tmp_path / "labels.toml"
    broken.write_text("[columns]\naction = ['do']\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"'vocabulary' setting '.*labels\.toml' is not a vocabulary file .*missing"):
        ReaderSettings(vocabulary=broken)
    with pytest.raises(ValueError, match="must be an existing TOML file"):
        ReaderSettings(vocabulary=tmp_path / "absent.toml")
