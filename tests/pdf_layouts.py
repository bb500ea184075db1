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
from reportlab.pdfgen import canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    FrameBreak,
    PageBreak,
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


def bullets_drawn_apart(path: Path, bullet: str = "\u2022") -> Path:
    """A commitment list whose bullets are drawn as separate strings, a gap to the left of their text
    (as word processors export them). reportlab's standard fonts map no character to "•": pdfplumber
    reads it as "(cid:127)", as it reads the bullets of many real symbol fonts."""
    page = canvas.Canvas(str(path), pagesize=A4)
    y = A4[1] - 2.5 * cm
    page.setFont("Helvetica-Bold", 14)
    page.drawString(2.5 * cm, y, "Children in Care Strategy 2024-2027")
    page.setFont("Helvetica", 11)
    for sentence in (
        "This strategy sets out how the council will support children in care.",
        "It was written with them.",
    ):
        y -= 18
        page.drawString(2.5 * cm, y, sentence)
    y -= 32
    page.setFont("Helvetica-Bold", 12)
    page.drawString(2.5 * cm, y, "What we will do")
    page.setFont("Helvetica", 11)
    for _, action, *_rest in ACTIONS:
        y -= 20
        page.drawString(2.8 * cm, y, bullet)
        page.drawString(3.4 * cm, y, action)
    page.showPage()
    page.save()
    return path


MERGED_PLAN = (
    ("Recruit more local foster carers", "Relaunch the recruitment campaign", "March 2025", "Head of Fostering"),
    ("Recruit more local foster carers", "Train every new carer in attachment", "", ""),
    ("Support care leavers into work", "Ring-fence three apprenticeships", "September 2024", "Virtual School Head"),
)
"""Rows of an (aim, action, timescale, lead) plan: the second row's lead cell is merged with the first's
(drawn once, spanning both rows); its timescale cell is a cell of its own, left empty."""


def plan_with_a_merged_lead(path: Path) -> Path:
    """A ruled plan (every cell boxed) whose Lead cell spans two rows, as `MERGED_PLAN` describes."""
    data = [[Paragraph(h, _CELL) for h in ("Aim", "Action", "Timescale", "Lead")]]
    data += [[Paragraph(cell, _CELL) for cell in row] for row in MERGED_PLAN]
    data[2][0] = Paragraph("", _CELL)
    style = TableStyle(
        [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("SPAN", (3, 1), (3, 2)), ("SPAN", (0, 1), (0, 2))]
    )
    SimpleDocTemplate(str(path), pagesize=A4).build(
        [*_intro(), Table(data, colWidths=[4 * cm, 6 * cm, 3 * cm, 4 * cm], style=style)]
    )
    return path


def two_pages_with_running_header_and_footer(path: Path) -> Path:
    """A two-page strategy: a running header with the page number, a footer, and the action plan running
    from the first page onto the second without its header row repeated."""

    def furniture(page: canvas.Canvas, doc: SimpleDocTemplate) -> None:
        page.saveState()
        page.setFont("Helvetica", 8)
        page.drawString(2 * cm, A4[1] - 1.2 * cm, f"Children in Care Strategy 2024-2026 | Page {doc.page}")
        page.drawString(2 * cm, 1.2 * cm, "Northshire County Council")
        page.restoreState()

    vision = "Our children told us what matters most to them: a stable home, people who stay, and being heard. " * 6
    story = [Paragraph("Our vision", _STYLES["Heading1"])]
    story += [Paragraph(vision, _STYLES["BodyText"]) for _ in range(6)]
    story += [Paragraph("Action plan", _STYLES["Heading1"])]
    story.append(_table([5 * cm, 5 * cm, 3.5 * cm, 2 * cm, 2.5 * cm], False, True, False))
    SimpleDocTemplate(str(path), pagesize=A4).build(story, onFirstPage=furniture, onLaterPages=furniture)
    return path


SPLIT_ROW = (
    "Raise educational attainment of children in care",
    "Track attendance weekly through the",
    "Virtual School so that no child misses learning without the school knowing within one day",
    "Attainment gap at",
    "Key Stage 4 narrows by five percentage points",
    "July 2026",
    "Virtual School Headteacher",
)
"""A row a page break cuts mid-sentence: its aim, action (two parts), outcome (two parts), timescale, lead."""


def plan_with_a_row_cut_by_a_page_break(path: Path) -> Path:
    """A ruled plan whose second row is cut by the page break mid-sentence, the rest of its action and
    outcome starting with capitals (proper nouns) on the next page, under the repeated header."""
    aim, action_top, action_rest, outcome_top, outcome_rest, when, lead = SPLIT_ROW
    first = ACTIONS[0]
    style = TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")])
    widths = [4 * cm, 5 * cm, 4 * cm, 2.2 * cm, 2.8 * cm]

    def table(rows: list[tuple[str, ...]]) -> Table:
        data = [[Paragraph(cell, _CELL) for cell in row] for row in [HEADER, *rows]]
        return Table(data, colWidths=widths, style=style)

    story = [*_intro(), Spacer(1, 17 * cm), table([first, (aim, action_top, outcome_top, when, lead)])]
    story += [PageBreak(), table([("", action_rest, outcome_rest, "", ""), ACTIONS[2]])]
    SimpleDocTemplate(str(path), pagesize=A4).build(story)
    return path


BROCHURE_ITEMS = (
    "Recruit 30 new foster carers by working with local employers and faith groups",
    "Open two small children's homes within the borough for children with complex needs",
    "Introduce a placement stability meeting, chaired by an independent reviewing officer, for any child "
    "who has moved twice in a year or whose carers ask for help",
    "Keep brothers and sisters together unless it is unsafe to do so",
    "Register every child in care with a dentist within one month",
)


def two_column_list_across_the_gutter(path: Path) -> Path:
    """A brochure page: a title over both columns, then a "What we will do" list that runs from the
    left column into the right one, its third item cut by the column break."""
    margin, gap = 1.8 * cm, 0.8 * cm
    column = (A4[0] - 2 * margin - gap) / 2
    item = ParagraphStyle("item", parent=_STYLES["BodyText"], leftIndent=12, bulletIndent=2, allowOrphans=1)
    for left_height in range(150, 400, 3):  # the height that cuts the third item between the columns
        top = Frame(margin, A4[1] - margin - 3 * cm, A4[0] - 2 * margin, 3 * cm, id="top")
        left = Frame(margin, A4[1] - margin - 3 * cm - left_height, column, left_height, id="left")
        right = Frame(margin + column + gap, margin, column, A4[1] - 2 * margin - 3 * cm, id="right")
        doc = BaseDocTemplate(str(path), pagesize=A4, pageTemplates=[PageTemplate("cols", [top, left, right])])
        story: list[object] = [Paragraph("Sufficiency Strategy 2024-2027", _STYLES["Title"]), FrameBreak()]
        story += [Paragraph("Priority 1: Stable homes", _STYLES["Heading2"])]
        story += [Paragraph("Our children told us what a good home means to them. " * 4, _STYLES["BodyText"])]
        story += [Paragraph("What we will do", _STYLES["Heading3"])]
        story += [Paragraph(text, item, bulletText="\u2022") for text in BROCHURE_ITEMS]
        doc.build(story)
        if _cut_between_columns(path, BROCHURE_ITEMS[2]):
            return path
    raise AssertionError("no height of the left column cuts the third item")


def _cut_between_columns(path: Path, text: str) -> bool:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        words = page.extract_words()
        left = " ".join(w["text"] for w in words if w["x1"] < page.width / 2)
        right = " ".join(w["text"] for w in words if w["x0"] > page.width / 2)
    first, last = " ".join(text.split()[:3]), " ".join(text.split()[-3:])
    return first in left and last in right and text not in left


def plan_with_a_two_row_header(path: Path, group_over_every_column: bool = False) -> Path:
    """A ruled plan whose header is two rows deep: a group label "Delivery" over "By when | Who", the
    other labels merged down both rows (or, `group_over_every_column`, "What we will do" over the rest)."""
    head = ParagraphStyle("head2", parent=_CELL, fontName="Helvetica-Bold")
    labels = [Paragraph(h, head) for h in ("Aim", "Action", "Outcome", "By when", "Who")]
    if group_over_every_column:
        first: list[object] = [Paragraph("What we will do", head), "", "", Paragraph("Delivery", head), ""]
        second: list[object] = list(labels)
        spans = [("SPAN", (0, 0), (2, 0)), ("SPAN", (3, 0), (4, 0))]
    else:
        first = [*labels[:3], Paragraph("Delivery", head), ""]
        second = ["", "", "", *labels[3:]]
        spans = [*(("SPAN", (c, 0), (c, 1)) for c in range(3)), ("SPAN", (3, 0), (4, 0))]
    data = [first, second, *([Paragraph(cell, _CELL) for cell in action] for action in ACTIONS[:4])]
    style = TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP"), *spans])
    table = Table(data, colWidths=[3.5 * cm, 5 * cm, 4 * cm, 2.2 * cm, 3 * cm], style=style)
    SimpleDocTemplate(str(path), pagesize=A4).build([*_intro(), table])
    return path


def plan_with_decimal_refs_and_no_vertical_rules(path: Path) -> Path:
    """A plan ruled between rows only whose first column numbers the actions "1.1", "1.2", "2.1"."""
    refs = ("1.1", "1.2", "2.1", "2.2")
    data = [[Paragraph(h, _CELL) for h in ("Ref", "Action", "Timescale", "Lead")]]
    rows = [(ref, a[1], a[3], a[4]) for ref, a in zip(refs, ACTIONS, strict=False)]
    data += [[Paragraph(cell, _CELL) for cell in row] for row in rows]
    style = TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP")])
    table = Table(data, colWidths=[1.5 * cm, 8 * cm, 3 * cm, 4.5 * cm], style=style)
    SimpleDocTemplate(str(path), pagesize=A4).build([*_intro(), table])
    return path


SIDE_BY_SIDE = {
    "Objective 1: Stable homes": (
        "Recruit 30 new foster carers from our own communities",
        "Give every child a placement plan agreed within 10 days of moving",
        "Keep brothers and sisters together wherever it is safe to do so",
    ),
    "Objective 2: Healthy lives": (
        "Complete every review health assessment on time",
        "Give care leavers free gym membership until they are 25",
        "Offer every child in care a named CAMHS link worker",
    ),
}


def objectives_side_by_side(path: Path, shaded: bool = False, gap_cm: float = 1.0) -> Path:
    """A page of two objectives side by side, each a heading over its bullets, under a title and an
    introduction set across the page (too few words for a two-column page, a band of two columns).
    `shaded`: each objective in a box drawn as a filled rectangle (`gap_cm=0`: the two boxes touch)."""
    margin, gap = 2 * cm, gap_cm * cm
    column = (A4[0] - 2 * margin - gap) / 2
    top_height = 7 * cm
    height = A4[1] - 2 * margin - top_height
    inset = 6 if shaded else 0  # the text keeps off a box's edges

    def boxes(page: canvas.Canvas, _: BaseDocTemplate) -> None:
        page.saveState()
        page.setFillColor(_LIGHT)
        for x in (margin, margin + column + gap):
            page.rect(x, margin, column, height, stroke=0, fill=1)
        page.restoreState()

    frames = [
        Frame(margin, A4[1] - margin - top_height, A4[0] - 2 * margin, top_height, id="top"),
        Frame(margin + inset, margin, column - 2 * inset, height, id="left"),
        Frame(margin + column + gap + inset, margin, column - 2 * inset, height, id="right"),
    ]
    template = PageTemplate("objectives", frames, onPage=boxes if shaded else _plain)
    doc = BaseDocTemplate(str(path), pagesize=A4, pageTemplates=[template])
    item = ParagraphStyle("objective-item", parent=_STYLES["BodyText"], leftIndent=12, bulletIndent=2)
    intro = "Our children and young people told us what matters most to them: a stable home and good health. " * 3
    story: list[object] = [Paragraph("Corporate Parenting Strategy 2024-2027", _STYLES["Title"])]
    story.append(Paragraph(intro, _STYLES["BodyText"]))
    for heading, items in SIDE_BY_SIDE.items():
        story += [FrameBreak(), Paragraph(heading, _STYLES["Heading3"]), Paragraph("We will:", _STYLES["BodyText"])]
        story += [Paragraph(text, item, bulletText="\u2022") for text in items]
    doc.build(story)
    return path


def _plain(page: canvas.Canvas, doc: BaseDocTemplate) -> None:
    """Nothing drawn behind the page's frames."""


SIDE_BY_SIDE_PLANS = {
    "Priority 1: Homes and health": ACTIONS[:3],
    "Priority 2: Safety and voice": ACTIONS[3:],
}
"""Two small action plans (action, timescale, lead) set next to each other, each under its own heading."""


SIDE_BY_SIDE_HEADER = ("Action", "Timescale", "Lead")


def two_tables_side_by_side(
    path: Path,
    gap_cm: float = 1.0,
    rows: int = 3,
    right_header: tuple[str, ...] = SIDE_BY_SIDE_HEADER,
    row_heights: float | None = None,
    *,
    one_heading: str = "",
) -> Path:
    """A landscape page: two ruled action tables next to each other, each with its own header row, their
    headings on one line above them. `gap_cm=0`: the tables touch, their rules joining into one grid.
    `rows`: how many rows the right-hand table has (the left one has three); `right_header`: its labels;
    `row_heights` (cm): every row of both tables this tall, so that touching they share outline and rows;
    `one_heading`: one heading over both instead of one over each."""
    widths = [6 * cm, 3 * cm, 3.8 * cm]
    grid = TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")])

    def plan(actions: tuple[tuple[str, ...], ...], header: tuple[str, ...] = SIDE_BY_SIDE_HEADER) -> Table:
        data = [[Paragraph(h, _CELL) for h in header]]
        data += [[Paragraph(a[c], _CELL) for c in (1, 3, 4)] for a in actions]
        return Table(data, colWidths=widths, rowHeights=row_heights and row_heights * cm, style=grid)

    (left_heading, left), (right_heading, right) = SIDE_BY_SIDE_PLANS.items()
    outer = [sum(widths), gap_cm * cm, sum(widths)]
    flush = TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    flush.add("RIGHTPADDING", (0, 0), (-1, -1), 0)
    headings = [Paragraph(left_heading, _STYLES["Heading2"]), "", Paragraph(right_heading, _STYLES["Heading2"])]
    story = [
        Paragraph("Children in Care Action Plan 2024-2026", _STYLES["Title"]),
        Paragraph("This plan sets out what the council will do over the next two years.", _STYLES["BodyText"]),
        Paragraph(one_heading, _STYLES["Heading2"]) if one_heading else Table([headings], colWidths=outer, style=flush),
        Table([[plan(left), "", plan(right[:rows], right_header)]], colWidths=outer, style=flush),
    ]
    SimpleDocTemplate(str(path), pagesize=landscape(A4)).build(story)
    return path


CALL_OUTS = {
    "Our promise": "Every child in care will have a stable home, people who stay with them and a say in their plan.",
    "What you told us": "Children told us that moving home and changing social worker were the hardest parts of care.",
    "Our progress": "Since 2021 the number of children with three or more moves in a year has fallen by a third.",
}
"""Shaded call-out boxes: a heading on a dark strip over a paragraph on a light panel."""
SIDE_PANEL = ("Did you know?", "312 children are in our care. 48 families foster for the council.")
_DARK, _LIGHT = colors.HexColor("#1f4e79"), colors.HexColor("#dbe8f5")


def shaded_boxes_around_a_ruled_plan(path: Path, gap_cm: float = 0.5) -> Path:
    """A designed page: a title on a shaded bar, three shaded call-out boxes side by side, an "Action plan"
    bar set on the top rule of a ruled plan, and a shaded panel beside the plan. Every box is a filled
    rectangle, without a stroke. `gap_cm=0`: the call-outs touch, the middle one on both sides."""
    page = canvas.Canvas(str(path), pagesize=A4)
    left, width = 2 * cm, A4[0] - 4 * cm
    y = A4[1] - 2 * cm
    _bar(page, (left, y - 1.4 * cm, width, 1.4 * cm), "Children in Care Strategy 2024-2026", 18)
    y -= 2 * cm
    box_width = (width - 2 * gap_cm * cm) / 3
    for i, (heading, text) in enumerate(CALL_OUTS.items()):
        _call_out(page, (left + i * (box_width + gap_cm * cm), y - 4 * cm, box_width, 4 * cm), heading, text)
    y -= 5 * cm
    data = [[Paragraph(h, _CELL) for h in ("Action", "Outcome", "Timescale", "Lead")]]
    data += [[Paragraph(a[c], _CELL) for c in (1, 2, 3, 4)] for a in ACTIONS[:3]]
    grid = TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")])
    plan = Table(data, colWidths=[4.3 * cm, 3.4 * cm, 2.4 * cm, 2.4 * cm], style=grid)
    plan_width, plan_height = plan.wrapOn(page, width, y)
    _bar(page, (left, y - 1 * cm, plan_width, 1 * cm), "Action plan", 13)
    plan.drawOn(page, left, y - 1 * cm - plan_height)  # the bar's lower edge is the plan's top rule
    side = (left + plan_width + 0.5 * cm, y - 1 * cm - plan_height, width - plan_width - 0.5 * cm, plan_height)
    _call_out(page, side, *SIDE_PANEL)
    page.showPage()
    page.save()
    return path


Area = tuple[float, float, float, float]
"""x, y (of the lower edge, as reportlab draws), width, height."""


def _bar(page: canvas.Canvas, area: Area, text: str, size: float) -> None:
    x, y, width, height = area
    page.setFillColor(_DARK)
    page.rect(x, y, width, height, stroke=0, fill=1)
    page.setFillColor(colors.white)
    page.setFont("Helvetica-Bold", size)
    page.drawString(x + 0.3 * cm, y + (height - size) / 2 + 2, text)


def _call_out(page: canvas.Canvas, area: Area, heading: str, text: str) -> None:
    """A light panel under a dark strip holding its heading, its paragraph wrapped inside."""
    x, y, width, height = area
    page.setFillColor(_LIGHT)
    page.rect(x, y, width, height, stroke=0, fill=1)
    _bar(page, (x, y + height - 0.9 * cm, width, 0.9 * cm), heading, 11)
    body = Paragraph(text, _STYLES["BodyText"])
    _, used = body.wrapOn(page, width - 0.6 * cm, height)
    body.drawOn(page, x + 0.3 * cm, y + height - 1.2 * cm - used)


MERGED_LEAD = ACTIONS[2][4]
"""The lead of the plan's third row, in a cell merged down over the two rows after it, across the page break."""
ACROSS_THE_BREAK = (
    ACTIONS[0],
    ACTIONS[1],
    ACTIONS[2],  # its lead cell runs on over the page break...
    (*ACTIONS[3][:3], "", MERGED_LEAD),  # ...over this row, whose timescale cell is its own and empty,
    (*ACTIONS[4][:4], MERGED_LEAD),  # ...and this one, where it ends
    (*ACTIONS[5][:4], ""),  # a lead cell of its own, left empty
)
"""The records a plan whose lead cell is merged across a page break must give."""


def plan_with_a_lead_merged_across_a_page_break(path: Path, repeat_header: bool = False, closed: bool = False) -> Path:
    """A ruled plan (aim, action, outcome, timescale, lead) over two pages, drawn as word processors draw
    a cell merged down across a page break: no rule under it at the foot of the first page, and (when the
    header row is not repeated) none over it at the top of the second. Its text stands once, on page 1.
    `closed`: drawn as some writers draw it, closed by a rule at the foot of the first page and again, empty,
    over the two rows it covers on the second."""
    page = canvas.Canvas(str(path), pagesize=A4)
    widths = [3.6 * cm, 4.6 * cm, 3.8 * cm, 2.2 * cm, 2.8 * cm]
    lead = len(widths) - 1
    page.setFont("Helvetica-Bold", 16)
    page.drawString(2 * cm, A4[1] - 2.5 * cm, "Children in Care Strategy 2024-2026")
    page.setFont("Helvetica", 10)
    page.drawString(2 * cm, A4[1] - 3.5 * cm, "The plan below says who will do what, and by when.")
    first = [HEADER, *ACTIONS[:3]]  # the merged cell's text in the third row, where the cell starts
    foot = set() if closed else {(len(first), lead)}
    _ruled_rows(page, widths, 11 * cm, first, open_rules=foot)  # ends near the page foot
    page.showPage()
    rest = [(*row[:4], "") for row in ACROSS_THE_BREAK[3:]]  # the merged cell's text stands on page 1
    head = [HEADER] if repeat_header else []
    below = len(head)  # the rule over the page's first body row, then the one under it
    opened = {(below + 1, lead)} | (set() if repeat_header or closed else {(0, lead)})
    _ruled_rows(page, widths, A4[1] - 2 * cm, [*head, *rest], open_rules=opened)
    page.showPage()
    page.save()
    return path


def _ruled_rows(
    page: canvas.Canvas, widths: list[float], top: float, rows: list[tuple[str, ...]], open_rules: set[tuple[int, int]]
) -> None:
    """Rows drawn as a ruled grid from `top` (y) down, every rule drawn cell by cell except the
    (rule, column) pairs in `open_rules`: rule i runs over row i, rule len(rows) under the last row."""
    xs = [2 * cm + sum(widths[:i]) for i in range(len(widths) + 1)]
    cells = [[Paragraph(text, _CELL) for text in row] for row in rows]
    heights = [max(p.wrap(w - 8, 1000)[1] for p, w in zip(row, widths, strict=True)) + 8 for row in cells]
    ys = [top - sum(heights[:i]) for i in range(len(rows) + 1)]
    page.setLineWidth(0.5)
    for rule, y in enumerate(ys):
        for column in range(len(widths)):
            if (rule, column) not in open_rules:
                page.line(xs[column], y, xs[column + 1], y)
    for x in xs:
        page.line(x, ys[0], x, ys[-1])
    for row, y in zip(cells, ys, strict=False):
        for paragraph, x, width in zip(row, xs, widths, strict=False):
            _, used = paragraph.wrap(width - 8, 1000)
            paragraph.drawOn(page, x + 4, y - 4 - used)


STAGGERED_BOXES = {
    "Stable homes": "We will recruit thirty new foster carers from our own communities, open two small children's "
    "homes in the borough and hold a stability meeting for any child who has moved twice in a year, so that "
    "children stay close to their schools, their friends and their families.",
    "Healthy lives": "We will complete every review health assessment on time, give every child in care a named "
    "mental health link worker and make sure every child is registered with a dentist within one month of "
    "coming into care, with their health plan shared with their carers.",
    "Good education": "We will track attendance weekly through the Virtual School, give every child a personal "
    "education plan reviewed each term and fund tutoring for any child falling behind in English or maths, "
    "so that the attainment gap at Key Stage 4 narrows year on year.",
    "Ready for adult life": "We will offer every young person a tenancy skills course before they move on, "
    "ring-fence council apprenticeships for care leavers and keep a personal adviser with every care leaver "
    "until they are twenty-five, whatever their plans.",
}
"""Four shaded boxes in a row, the right-hand two set lower than the left-hand two."""


def staggered_boxes(path: Path, drop_cm: float = 5.5) -> Path:
    """A landscape page of four shaded boxes in a row, the right-hand pair `drop_cm` lower than the left-hand
    pair: each pair stands side by side, while the pairs' heights overlap by less than half (two bands of the
    page that overlap)."""
    page = canvas.Canvas(str(path), pagesize=landscape(A4))
    width, height = 6 * cm, 7 * cm
    top = landscape(A4)[1] - 3 * cm
    page.setFont("Helvetica-Bold", 16)
    page.drawString(1.5 * cm, landscape(A4)[1] - 2 * cm, "Corporate Parenting Strategy 2024-2027")
    for i, (heading, text) in enumerate(STAGGERED_BOXES.items()):
        x, y = 1.5 * cm + i * 6.8 * cm, top - height - (drop_cm * cm if i >= 2 else 0.0)
        page.setFillColor(_LIGHT)
        page.rect(x, y, width, height, stroke=0, fill=1)  # one panel, no strip: nothing else links the pairs
        page.setFillColor(colors.black)
        page.setFont("Helvetica-Bold", 12)
        page.drawString(x + 0.3 * cm, y + height - 0.8 * cm, heading)
        body = Paragraph(text, _STYLES["BodyText"])
        _, used = body.wrapOn(page, width - 0.6 * cm, height)
        body.drawOn(page, x + 0.3 * cm, y + height - 1.1 * cm - used)
    page.showPage()
    page.save()
    return path


OPEN_AT_THE_TOP = ((*ACTIONS[0][:4], ""), *ACTIONS[1:3])
"""A plan whose first row's lead cell is a cell of its own, left empty."""


def plan_drawn_open_at_the_top(path: Path, header: bool = True) -> Path:
    """A one-page ruled plan, `OPEN_AT_THE_TOP` under its header row (or with none, `header=False`), drawn
    with no rule over its lead column: the grid's top rule stops short, as at the top of a page a cell
    merged down across the break is drawn, but here nothing is above it."""
    page = canvas.Canvas(str(path), pagesize=A4)
    widths = [3.6 * cm, 4.6 * cm, 3.8 * cm, 2.2 * cm, 2.8 * cm]
    page.setFont("Helvetica-Bold", 16)
    page.drawString(2 * cm, A4[1] - 2.5 * cm, "Children in Care Strategy 2024-2026")
    page.setFont("Helvetica-Bold", 12)
    page.drawString(2 * cm, A4[1] - 4 * cm, "Action plan")
    rows = [HEADER, *OPEN_AT_THE_TOP] if header else list(OPEN_AT_THE_TOP)
    _ruled_rows(page, widths, A4[1] - 4.5 * cm, rows, open_rules={(0, len(widths) - 1)})
    page.showPage()
    page.save()
    return path


TWO_PLANS = {
    "Priority 1: Homes and health": ACTIONS[:3],
    "Priority 2: Safety and voice": ACTIONS[3:],
}
"""Two action plans (action, timescale, lead) one under the other, each under its own heading."""


def two_plans_ruled_between_rows(path: Path, gap_pt: float = 44.0, section_row: bool = False) -> Path:
    """Two plans of the same width, ruled across every row and between columns but with no frame at their
    sides (the rules' ends are the frame), one under the other: `gap_pt` from the foot rule of the first
    to the top rule of the second, the second's heading between. `section_row`: one plan, the second
    heading a row across it (no rule between its columns, no header row under it)."""
    page = canvas.Canvas(str(path), pagesize=A4)
    widths = [8 * cm, 3 * cm, 5 * cm]
    x0, x1 = 2 * cm, 2 * cm + sum(widths)
    page.setFont("Helvetica-Bold", 16)
    page.drawString(x0, A4[1] - 2.5 * cm, "Children in Care Action Plan 2024-2026")
    y = A4[1] - 3.5 * cm
    for number, (heading, actions) in enumerate(TWO_PLANS.items()):
        if number and section_row:
            page.setFont("Helvetica-Bold", 9)
            page.drawString(x0 + 4, y - 13, heading)
            y -= 18
        elif number:
            y -= gap_pt
            page.setFont("Helvetica-Bold", 12)
            page.drawString(x0, y + gap_pt / 2 - 4, heading)
        else:
            page.setFont("Helvetica-Bold", 12)
            page.drawString(x0, y - 16, heading)
            y -= 24
        header = [] if number and section_row else [("Action", "Timescale", "Lead")]
        rows = [*header, *((a[1], a[3], a[4]) for a in actions)]
        page.setLineWidth(0.5)
        page.line(x0, y, x1, y)
        top = y
        for cells in rows:
            paragraphs = [Paragraph(text, _CELL) for text in cells]
            height = max(p.wrap(w - 8, 1000)[1] for p, w in zip(paragraphs, widths, strict=True)) + 8
            x = x0
            for paragraph, width in zip(paragraphs, widths, strict=True):
                _, used = paragraph.wrap(width - 8, 1000)
                paragraph.drawOn(page, x + 4, y - 4 - used)
                x += width
            y -= height
            page.line(x0, y, x1, y)
        for x in (x0 + widths[0], x0 + widths[0] + widths[1]):
            page.line(x, top, x, y)
    page.showPage()
    page.save()
    return path
