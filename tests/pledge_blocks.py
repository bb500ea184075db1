"""One small strategy written in every format the readers take, built at test time.

It holds what councils write instead of an action table: a block of labelled fields
opening with an action label, a bold title followed by its fields, and a "we will:"
lead-in followed by bullets. Every edition must give the same `Action` records.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

import docx
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.platypus import Paragraph, SimpleDocTemplate

TITLE = "Fostering Strategy 2025-2028"
INTRO = "This strategy sets out how we will find and keep the homes our children need."
PRIORITY_1 = "Priority 1: More homes for children"
LABELLED = (
    ("Action", "Recruit twenty new foster carers from local employers."),
    ("Responsible officer", "Head of Fostering; Head of Virtual School"),
    ("Timeline", "March 2026"),
    ("Expected outcome", "Fewer children placed out of area."),
)
PRIORITY_2 = "Priority 2: Staying close to home"
TITLED = "Open a family hub in every district"
TITLED_FIELDS = (
    ("Lead", "Early Help Manager"),
    ("Timescale", "Ongoing"),
    ("Outcome", "Families get help before a crisis."),
)
PRIORITY_3 = "Priority 3: Leaving care"
LEAD_IN = "Over the next three years we will:"
BULLETS = (
    "Publish a local offer for care leavers.",
    "Review the staying put policy with young people.",
)

# (section, action, outcome, timescale, timescale kind, due date, lead, leads, origin)
EXPECTED = [
    (
        PRIORITY_1,
        LABELLED[0][1],
        LABELLED[3][1],
        "March 2026",
        "date",
        "2026-03-31",
        LABELLED[1][1],
        ("Head of Fostering", "Head of Virtual School"),
        "table_row",
    ),
    (
        PRIORITY_2,
        TITLED,
        TITLED_FIELDS[2][1],
        "Ongoing",
        "ongoing",
        None,
        "Early Help Manager",
        ("Early Help Manager",),
        "table_row",
    ),
    (PRIORITY_3, BULLETS[0], "", "", "none", None, "", (), "list_item"),
    (PRIORITY_3, BULLETS[1], "", "", "none", None, "", (), "list_item"),
]


def as_text(path: Path) -> Path:
    """A text extraction: markdown headings, one field per line, a wrapped value, a bold title."""
    lines = [
        f"# {TITLE}",
        "",
        INTRO,
        "",
        f"## {PRIORITY_1}",
        "",
        *(f"{label}: {value}" for label, value in LABELLED[:3]),
        "Expected outcome: Fewer children placed out",  # a value wrapped onto the next line
        "of area.",
        "",
        f"## {PRIORITY_2}",
        "",
        f"**{TITLED}**",
        *(f"{label}: {value}" for label, value in TITLED_FIELDS),
        "",
        f"## {PRIORITY_3}",
        "",
        LEAD_IN,
        "",
        *(f"- {item}" for item in BULLETS),
    ]
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


def as_docx(path: Path) -> Path:
    """A Word file: heading styles, each field a paragraph opening with a bold label, a bold title
    paragraph, and list-style bullets."""
    word = docx.Document()
    word.add_paragraph(TITLE, style="Title")
    word.add_paragraph(INTRO)
    word.add_heading(PRIORITY_1, level=1)
    for label, value in LABELLED:
        paragraph = word.add_paragraph()
        paragraph.add_run(f"{label}:").bold = True
        paragraph.add_run(f" {value}")
    word.add_heading(PRIORITY_2, level=1)
    word.add_paragraph().add_run(TITLED).bold = True
    for label, value in TITLED_FIELDS:
        word.add_paragraph(f"{label}: {value}")  # no bold: the label's words are enough
    word.add_heading(PRIORITY_3, level=1)
    word.add_paragraph(LEAD_IN)
    for item in BULLETS:
        word.add_paragraph(item, style="List Bullet")
    word.save(str(path))
    return path


def as_pdf(path: Path) -> Path:
    """A PDF with a text layer (reportlab): heading styles, bold labels, a bold title, bullets."""
    styles = getSampleStyleSheet()
    body = styles["BodyText"]
    bold = ParagraphStyle("bold", parent=body, fontName="Helvetica-Bold")
    # the Symbol font draws "•" as a bullet glyph a text layer keeps (Helvetica's has none)
    bullet = ParagraphStyle("bullet", parent=body, bulletFontName="Symbol", leftIndent=18, bulletIndent=6)
    story: list[object] = [Paragraph(TITLE, styles["Title"]), Paragraph(INTRO, body)]
    story.append(Paragraph(PRIORITY_1, styles["Heading2"]))
    story += [Paragraph(f"<b>{escape(label)}:</b> {escape(value)}", body) for label, value in LABELLED]
    story += [Paragraph(PRIORITY_2, styles["Heading2"]), Paragraph(escape(TITLED), bold)]
    story += [Paragraph(f"<b>{escape(label)}:</b> {escape(value)}", body) for label, value in TITLED_FIELDS]
    story += [Paragraph(PRIORITY_3, styles["Heading2"]), Paragraph(escape(LEAD_IN), body)]
    story += [Paragraph(escape(item), bullet, bulletText="•") for item in BULLETS]
    SimpleDocTemplate(str(path), pagesize=A4).build(story)
    return path


def as_html(path: Path) -> Path:
    """A web page: `<strong>` labels, a `<dl>` of fields under a bold title, a list."""
    fields = "".join(f"<p><strong>{escape(label)}:</strong> {escape(value)}</p>\n" for label, value in LABELLED)
    titled = "".join(f"<dt>{escape(label)}</dt><dd>{escape(value)}</dd>\n" for label, value in TITLED_FIELDS)
    items = "".join(f"<li>{escape(item)}</li>\n" for item in BULLETS)
    page = (
        f"<!DOCTYPE html>\n<html><head><title>{TITLE}</title></head><body><main>\n"
        f"<h1>{TITLE}</h1>\n<p>{INTRO}</p>\n<h2>{PRIORITY_1}</h2>\n{fields}"
        f"<h2>{PRIORITY_2}</h2>\n<p><strong>{escape(TITLED)}</strong></p>\n<dl>\n{titled}</dl>\n"
        f"<h2>{PRIORITY_3}</h2>\n<p>{escape(LEAD_IN)}</p>\n<ul>\n{items}</ul>\n</main></body></html>\n"
    )
    path.write_text(page, "utf-8")
    return path


EDITIONS = {"txt": as_text, "docx": as_docx, "pdf": as_pdf, "html": as_html}
