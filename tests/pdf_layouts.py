"""Strategy PDFs of layouts the corpus does not have, built at test time with reportlab.

Every layout carries the same action plan (`ACTIONS`), so each must give the same records.
reportlab writes untagged PDFs: nothing here relies on tags.
"""

from __future__ import annotations

from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    PageTemplate,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

HEADER = ("Aim", "Action", "Outcome", "Timescale", "Lead")
ACTIONS = (
    (
        "Recruit more local foster carers",
        "Revise and relaunch the foster carer recruitment campaign with local employers",
        "Ten additional fostering households approved each year",
        "March 2025",
        "Head of Fostering Service",
    ),
    (
        "Improve health outcomes for children in care",
        "Make sure every child has an annual health assessment and a dental check on time",
        "95% of health assessments completed on time",
        "Ongoing",
        "Named Nurse for Children in Care",
    ),
    (
        "Support care leavers into work",
        "Ring-fence three council apprenticeships for care leavers every year",
        "More care leavers in education, employment or training",
        "September 2024",
        "Virtual School Headteacher",
    ),
    (
        "Listen to children in care",
        "Hold a quarterly meeting of the children in care council with senior leaders",
        "Children see their views acted upon",
        "Quarterly",
        "Participation Officer",
    ),
    (
        "Keep children safe from exploitation",
        "Review every missing episode at a multi-agency meeting within five days",
        "Fewer repeat missing episodes",
        "December 2024",
        "Head of Safeguarding",
    ),
    (
        "Prepare young people for adult life",
        "Offer every young person a tenancy skills course before they move on",
        "Care leavers keep their first tenancy",
        "2025/2026",
        "Leaving Care Manager",
    ),
)

_STYLES = getSampleStyleSheet()
_CELL = ParagraphStyle("cell", parent=_STYLES["BodyText"], fontSize=9, leading=11)
_HEAD = ParagraphStyle("head", parent=_CELL, fontName="Helvetica-Bold", textColor=colors.white)


def _intro() -> list[object]:
    return [
        Paragraph("Children in Care Strategy 2024-2026", _STYLES["Title"]),
        Paragraph("Introduction", _STYLES["Heading1"]),
        Paragraph(
            "This strategy sets out what the council and its partners will do for children in care "
            "and care leavers over the next two years, and how we will know it has worked.",
            _STYLES["BodyText"],
        ),
        Paragraph("Action plan", _STYLES["Heading1"]),
    ]


BROCHURE_HEADER = ("Action", "By when", "Lead officer")
BROCHURE_COLUMNS = (1, 3, 4)
"""The brochure's narrow table keeps the action, timescale and lead of each action."""


def _table(
    widths: list[float],
    repeat_header: bool,
    ruled_rows: bool,
    shaded_header: bool,
    *,
    rows: int = 6,
    columns: tuple[int, ...] = (0, 1, 2, 3, 4),
    header: tuple[str, ...] = HEADER,
) -> Table:
    data = [[Paragraph(h, _HEAD if shaded_header else _CELL) for h in header]]
    data += [[Paragraph(action[c], _CELL) for c in columns] for action in ACTIONS[:rows]]
    style = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOTTOMPADDING", (0, 0), (-1, -1), 6)]
    if shaded_header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#5b2c83")))
    if ruled_rows:
        style.append(("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.grey))
    return Table(data, colWidths=widths, repeatRows=1 if repeat_header else 0, style=TableStyle(style))


def landscape_plan_without_vertical_rules(path: Path, repeat_header: bool = True) -> Path:
    """A landscape action plan ruled between rows only, long enough to run onto a second page."""
    doc = SimpleDocTemplate(str(path), pagesize=landscape(A4), leftMargin=1.5 * cm, rightMargin=1.5 * cm)
    widths = [5.5 * cm, 8 * cm, 6 * cm, 3 * cm, 4.5 * cm]
    story = [*_intro(), Spacer(1, 9 * cm), _table(widths, repeat_header, ruled_rows=True, shaded_header=False)]
    doc.build(story)
    return path


def two_column_brochure(path: Path) -> Path:
    """A brochure page: two text columns, the plan in a borderless table with a coloured header row."""
    doc = BaseDocTemplate(str(path), pagesize=A4)
    width = (A4[0] - 4 * cm) / 2
    frames = [
        Frame(2 * cm, 2 * cm, width - 0.5 * cm, A4[1] - 4 * cm, id="left"),
        Frame(2 * cm + width + 0.5 * cm, 2 * cm, width - 0.5 * cm, A4[1] - 4 * cm, id="right"),
    ]
    doc.addPageTemplates([PageTemplate(id="brochure", frames=frames)])
    body = (
        "Our children told us what matters to them: a stable home, people who stay, and being heard. "
        "This page sets out the promises we make in return and who will keep each one. "
    )
    story: list[object] = [*_intro()[:3]]
    story += [Paragraph(body * 3, _STYLES["BodyText"]) for _ in range(3)]
    story += [Paragraph("Action plan", _STYLES["Heading1"])]
    narrow = [3.4 * cm, 2.2 * cm, 2.4 * cm]
    plan = _table(narrow, True, False, True, rows=3, columns=BROCHURE_COLUMNS, header=BROCHURE_HEADER)
    story.append(plan)
    doc.build(story)
    return path
