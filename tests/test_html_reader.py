"""The HTML reader, on pages written at test time."""

from __future__ import annotations

from html import escape
from pathlib import Path

import pytest

from policylens import IngestSettings, ingest, read_document
from policylens.actions import extract_actions
from policylens.errors import EmptyDocument
from policylens.model import (
    Document,
    DocumentMeta,
    Heading,
    ListItem,
    Origin,
    Paragraph,
    SourceFile,
    SourceFormat,
    Table,
    TimescaleKind,
)
from policylens.readers import READERS
from policylens.readers.html import read_html, read_html_pages
from policylens.settings import ReaderSettings

from .action_fields import COMPARED, action_fields
from .pdf_layouts import MERGED_PLAN

PAGE = """<!DOCTYPE html>
<html lang="en"><head><title>Housing Strategy | Anytown Council</title>
<style>.banner { color: red }</style><script>var cookieBanner = "Accept all cookies";</script></head>
<body>
<a class="skip-link" href="#main">Skip to main content</a>
<header><a href="/">Anytown Council home</a></header>
<nav><ul><li>Bins and recycling</li><li>Council tax</li></ul></nav>
<div id="cookie-banner"><p>We use cookies to improve this site.</p><button>Accept</button></div>
<ol class="govuk-breadcrumbs"><li>Home</li><li>Strategies</li></ol>
<main id="main">
<h1>Housing Strategy 2024&ndash;2029</h1>
<p>This strategy sets out how we will
improve housing for everyone.</p>
<h2>Priorities</h2>
<ul>
  <li>Build homes
    <ul><li>Social rent</li><li>Shared ownership</li></ul>
  </li>
  <li>Repair homes
</ul>
<ol start="3"><li>Third step<li>Fourth step</ol>
<table>
<thead><tr><th>Area</th><th colspan="2">Target</th></tr></thead>
<tbody>
<tr><td rowspan="2">North</td><td>100 homes</td><td>2025</td></tr>
<tr><td>200 homes</td><td>2026</td></tr>
<tr><td>South</td><td colspan="2">Review</td></tr>
</tbody></table>
<h2>Pledge 1: Ending rough sleeping</h2>
<p><strong>We will:</strong> Open a new homelessness hub in the town centre.</p>
<p><strong>Responsible officer:</strong> Head of Housing Options</p>
<p><strong>Timeline:</strong> March 2026</p>
<p><strong>Expected outcome:</strong> Fewer people sleeping rough.</p>
<h2>Pledge 2: Warm homes</h2>
<dl>
  <dt>Action</dt><dd>Insulate 500 council homes.</dd>
  <dt>Lead</dt><dd>Asset Manager</dd>
  <dt>Timescale</dt><dd>Ongoing</dd>
</dl>
<h2>Pledge 3: Tenants</h2>
<p>We will:</p>
<ul><li>Publish a tenant charter.</li><li>Review the allocations policy.</li></ul>
<aside>Related pages: planning</aside>
</main>
<footer role="contentinfo"><p>&copy; Anytown Council 2024</p></footer>
</body></html>
"""

FURNITURE = (
    "Skip to main",
    "Anytown Council home",
    "Bins and recycling",
    "cookies",
    "Accept",
    "Strategies",
    "Related pages",
    "©",
    "color",
    "cookieBanner",
)


def _read(tmp_path: Path, html: str, name: str = "page.html") -> Document:
    path = tmp_path / name
    path.write_text(html, "utf-8")
    source = SourceFile(path=name, format=SourceFormat.HTML, sha256="")
    return read_html(path, DocumentMeta(doc_id="page", title=""), source, ReaderSettings())


def _texts(doc: Document) -> list[str]:
    texts: list[str] = []
    for block in doc.blocks:
        if isinstance(block, Table):
            texts.extend(c for row in block.header for c in row)
            texts.extend(c for row in block.rows for c in row.cells)
        else:
            texts.append(getattr(block, "text", "") or getattr(block, "description", ""))
    return texts


@pytest.fixture
def page(tmp_path: Path) -> Document:
    return _read(tmp_path, PAGE)


def test_the_reader_is_registered_for_html() -> None:
    assert READERS[SourceFormat.HTML] is read_html


def test_page_furniture_is_left_out(page: Document) -> None:
    text = "\n".join(_texts(page))
    assert [word for word in FURNITURE if word in text] == []
    assert page.blocks[0] == Heading("Housing Strategy 2024–2029", 1, page.blocks[0].prov)


def test_title_comes_from_the_first_h1(page: Document) -> None:
    assert page.meta.title == "Housing Strategy 2024–2029"


def test_title_falls_back_to_the_title_element(tmp_path: Path) -> None:
    doc = _read(tmp_path, "<html><head><title>Play Strategy</title></head><body><p>Text.</p></body></html>")
    assert doc.meta.title == "Play Strategy"


def test_paragraphs_keep_their_source_lines(page: Document) -> None:
    paragraph = page.blocks[1]
    assert isinstance(paragraph, Paragraph)
    assert paragraph.text == "This strategy sets out how we will improve housing for everyone."
    assert (paragraph.prov.source, paragraph.prov.page) == ("page.html", None)
    assert (paragraph.prov.line_start, paragraph.prov.line_end) == (12, 13)


def test_lists_keep_nesting_and_markers(page: Document) -> None:
    items = [(b.text, b.marker, b.level) for b in page.blocks if isinstance(b, ListItem)]
    assert items[:6] == [
        ("Build homes", "-", 0),
        ("Social rent", "-", 1),
        ("Shared ownership", "-", 1),
        ("Repair homes", "-", 0),
        ("Third step", "3.", 0),
        ("Fourth step", "4.", 0),
    ]


def test_spanned_cells_make_a_rectangular_grid(page: Document) -> None:
    table = page.tables[0]
    assert table.header == (("Area", "Target", ""),)
    assert [row.cells for row in table.rows] == [
        ("North", "100 homes", "2025"),
        ("", "200 homes", "2026"),
        ("South", "Review", ""),
    ]
    assert table.rows[1].continues_above
    assert (table.prov.line_start, table.prov.line_end) == (22, 28)


def test_label_value_blocks_become_one_row_tables(page: Document) -> None:
    pledge, warm = page.tables[1], page.tables[2]
    assert pledge.header == (("We will", "Responsible officer", "Timeline", "Expected outcome"),)
    assert pledge.rows[0].cells == (
        "Open a new homelessness hub in the town centre.",
        "Head of Housing Options",
        "March 2026",
        "Fewer people sleeping rough.",
    )
    assert (pledge.prov.line_start, pledge.prov.line_end) == (30, 33)
    assert warm.header == (("Action", "Lead", "Timescale"),)


def test_pledge_blocks_and_we_will_lists_become_actions(page: Document) -> None:
    actions = extract_actions(page)
    assert [(a.origin, a.section) for a in actions] == [
        (Origin.TABLE_ROW, "Pledge 1: Ending rough sleeping"),
        (Origin.TABLE_ROW, "Pledge 2: Warm homes"),
        (Origin.LIST_ITEM, "Pledge 3: Tenants"),
        (Origin.LIST_ITEM, "Pledge 3: Tenants"),
    ]
    hub = actions[0]
    assert hub.action == "Open a new homelessness hub in the town centre."
    assert hub.lead == "Head of Housing Options"
    assert hub.outcome == "Fewer people sleeping rough."
    assert (hub.timescale.raw, hub.timescale.due_date and hub.timescale.due_date.isoformat()) == (
        "March 2026",
        "2026-03-31",
    )
    assert (actions[1].lead, actions[1].timescale.kind) == ("Asset Manager", TimescaleKind.ONGOING)
    assert actions[2].action == "Publish a tenant charter."


def test_repeated_labels_start_new_rows_of_the_same_table(tmp_path: Path) -> None:
    pairs = "".join(
        f"<p><b>Action:</b> {action}</p><p><b>Lead:</b> {lead}</p>"
        for action, lead in (("Plant trees.", "Parks"), ("Fix roads.", "Highways"))
    )
    doc = _read(tmp_path, f"<main><h2>Plan</h2>{pairs}</main>")
    assert [(t.header, [r.cells for r in t.rows]) for t in doc.tables] == [
        ((("Action", "Lead"),), [("Plant trees.", "Parks"), ("Fix roads.", "Highways")])
    ]
    assert [a.lead for a in extract_actions(doc)] == ["Parks", "Highways"]


def test_two_column_tables_of_row_labels_are_label_value_blocks(tmp_path: Path) -> None:
    rows = "".join(
        f"<tr><th>{label}</th><td>{value}</td></tr>"
        for label, value in (("Commitment", "Recruit foster carers."), ("Responsible officer", "Fostering Manager"))
    )
    doc = _read(tmp_path, f"<article><h1>Care</h1><table>{rows}</table></article>")
    assert doc.tables[0].header == (("Commitment", "Responsible officer"),)
    assert [(a.action, a.lead) for a in extract_actions(doc)] == [("Recruit foster carers.", "Fostering Manager")]


def test_a_lone_label_stays_a_paragraph(tmp_path: Path) -> None:
    doc = _read(tmp_path, "<p><strong>Note:</strong> figures are provisional.</p>")
    assert doc.blocks == (Paragraph("Note: figures are provisional.", doc.blocks[0].prov),)


def test_a_page_of_nothing_but_navigation_is_an_empty_document(tmp_path: Path) -> None:
    with pytest.raises(EmptyDocument, match=r"empty\.html"):
        _read(tmp_path, "<nav><a href='/'>Home</a></nav>", name="empty.html")


def test_several_pages_read_as_one_document_with_provenance_per_file(tmp_path: Path) -> None:
    first, second = tmp_path / "1-intro.html", tmp_path / "2-actions.html"
    first.write_text("<main><h1>Play Strategy</h1><p>Intro.</p></main>", "utf-8")
    second.write_text("<main>\n<h2>Actions</h2>\n<p>More.</p></main>", "utf-8")
    source = SourceFile(path=str(tmp_path), format=SourceFormat.HTML, sha256="")
    doc = read_html_pages([first, second], DocumentMeta("play", ""), source, ReaderSettings())
    assert [(type(b).__name__, Path(b.prov.source).name, b.prov.line_start) for b in doc.blocks] == [
        ("Heading", "1-intro.html", 1),
        ("Paragraph", "1-intro.html", 1),
        ("Heading", "2-actions.html", 2),
        ("Paragraph", "2-actions.html", 3),
    ]
    assert doc.meta.title == "Play Strategy"


def test_loose_html_files_are_ingested(tmp_path: Path) -> None:
    (tmp_path / "strategy.html").write_text(PAGE, "utf-8")
    result = ingest([tmp_path / "strategy.html"], IngestSettings())
    assert result.ok
    assert len(extract_actions(result.documents[0])) == 4


# --- the same action tables as HTML -------------------------------------------


def _cell(text: str, bold: bool, tag: str = "td") -> str:
    inner = "<br>".join(escape(line) for line in text.split("\n"))
    return f"<{tag}>{f'<strong>{inner}</strong>' if bold and inner else inner}</{tag}>"


def _table_html(table: Table) -> str:
    head = "".join(f"<tr>{''.join(_cell(c, False, 'th') for c in row)}</tr>" for row in table.header)
    body = "".join(f"<tr>{''.join(_cell(c, row.bold) for c in row.cells)}</tr>" for row in table.rows)
    return f"<table><thead>{head}</thead><tbody>{body}</tbody></table>"


def as_html(doc: Document) -> str:
    """The document's headings, paragraphs, lists and tables written as a web page."""
    parts = ["<html><head><title>x</title></head><body><main>"]
    for block in doc.blocks:
        if isinstance(block, Heading):
            level = min(block.level, 6)
            parts.append(f"<h{level}>{escape(block.text)}</h{level}>")
        elif isinstance(block, Paragraph):
            parts.append(f"<p>{escape(block.text)}</p>")
        elif isinstance(block, ListItem):
            nested = "<ul><li>" * block.level
            parts.append(f"<ul><li>{nested}{escape(block.text)}{'</li></ul>' * block.level}</li></ul>")
        elif isinstance(block, Table):
            parts.append(_table_html(block))
    parts.append("</main></body></html>")
    return "\n".join(parts)


def test_an_html_edition_gives_the_text_editions_actions(tmp_path: Path, corpus_docs: dict[str, Document]) -> None:
    text_doc = corpus_docs["halton-2017"]
    html_doc = _read(tmp_path, as_html(text_doc), name="halton-2017.html")
    compared = [name for name in COMPARED if name != "line"]  # line numbers are the page's own
    want = [action_fields(a) for a in extract_actions(text_doc) if a.origin is Origin.TABLE_ROW]
    got = [action_fields(a) for a in extract_actions(html_doc) if a.origin is Origin.TABLE_ROW]
    assert len(want) > 10 and len(got) == len(want)
    same = sum(g[name] == w[name] for g, w in zip(got, want, strict=True) for name in compared)
    assert same / (len(want) * len(compared)) >= 0.95


def test_a_manifest_may_name_a_folder_of_pages_as_one_document(tmp_path: Path) -> None:
    pages = tmp_path / "web" / "play-2024"
    pages.mkdir(parents=True)
    (pages / "2-actions.html").write_text("<main><h2>Actions</h2>\n<p>Open two play areas.</p></main>", "utf-8")
    (pages / "10-annex.html").write_text("<main><h2>Annex</h2></main>", "utf-8")
    (pages / "1-intro.html").write_text("<main><h1>Play Strategy</h1></main>", "utf-8")
    (pages / "notes.txt").write_text("not a page", "utf-8")
    (tmp_path / "manifest.csv").write_text(
        "id,council,title,period_start,period_end,html\nplay-2024,Anytown,Play Strategy,2024,2027,web/play-2024\n",
        "utf-8",
    )
    result = ingest([tmp_path], IngestSettings())
    assert result.ok and len(result.documents) == 1
    doc = result.documents[0]
    assert doc.source.path == "web/play-2024" and len(doc.source.sha256) == 64
    assert [(b.prov.source, b.prov.line_start) for b in doc.blocks] == [
        ("web/play-2024/1-intro.html", 1),
        ("web/play-2024/2-actions.html", 1),
        ("web/play-2024/2-actions.html", 2),
        ("web/play-2024/10-annex.html", 1),
    ]
    (pages / "10-annex.html").write_text("<main><h2>Annex A</h2></main>", "utf-8")
    assert ingest([tmp_path], IngestSettings()).documents[0].source.sha256 != doc.source.sha256


def test_role_main_is_the_content_and_captions_stay_above_their_tables(tmp_path: Path) -> None:
    doc = _read(
        tmp_path,
        "<body><div class='site-menu' role='navigation'>Menu</div><p>Site banner text</p>"
        "<div role='main'><h1>Plan</h1><table><caption>Action plan</caption>"
        "<tr><th>Action</th><th>Lead</th></tr><tr><td>Plant trees.</td><td>Parks</td></tr></table></div></body>",
    )
    assert [type(b).__name__ for b in doc.blocks] == ["Heading", "Paragraph", "Table"]
    assert doc.blocks[1] == Paragraph("Action plan", doc.blocks[1].prov)
    assert [(a.action, a.lead) for a in extract_actions(doc)] == [("Plant trees.", "Parks")]


def test_a_merged_lead_is_inherited_and_an_empty_timescale_of_its_own_is_not(tmp_path: Path) -> None:
    first, second, third = MERGED_PLAN
    rows = (
        f"<tr><td rowspan='2'>{first[0]}</td><td>{first[1]}</td><td>{first[2]}</td><td rowspan='2'>{first[3]}</td></tr>"
        f"<tr><td>{second[1]}</td><td></td></tr>"
        f"<tr><td>{third[0]}</td><td>{third[1]}</td><td>{third[2]}</td><td>{third[3]}</td></tr>"
    )
    path = tmp_path / "plan.html"
    path.write_text(
        "<html><body><main><h1>Action plan</h1><table><thead><tr><th>Aim</th><th>Action</th><th>Timescale</th>"
        f"<th>Lead</th></tr></thead><tbody>{rows}</tbody></table></main></body></html>",
        encoding="utf-8",
    )
    _, merged, _ = extract_actions(read_document(path))
    assert merged.lead == "Head of Fostering" and "lead" in merged.inherited
    assert merged.timescale.raw == "" and "timescale" not in merged.inherited
