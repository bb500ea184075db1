"""Action records of the five corpus documents against expected files written by hand.

tests/expected/actions/<doc>.json were written by reading each document, following
tests/expected/actions/RULES.md, without looking at program output.
"""

from __future__ import annotations

import csv
import json
from datetime import date

import pytest

from policylens import read_document
from policylens.actions import column_roles, extract_actions, is_action_table, load_vocabulary
from policylens.leads import split_leads
from policylens.model import Document, Origin, RowKind, TimescaleKind
from policylens.timescales import parse_timescale, stated_deadline

from .action_fields import COMPARED, action_fields, expected_fields
from .conftest import DOC_IDS, EXPECTED


def expected_records(doc_id: str) -> list[dict]:
    data = json.loads((EXPECTED / "actions" / f"{doc_id}.json").read_text("utf-8"))
    return [expected_fields(r) for r in data["records"]]


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_actions_match_the_hand_written_records_field_by_field(corpus_docs: dict[str, Document], doc_id: str) -> None:
    got = [action_fields(a) for a in extract_actions(corpus_docs[doc_id])]
    want = expected_records(doc_id)
    assert [g["line"] for g in got] == [w["line"] for w in want], "records differ in number or position"
    differences = [
        f"line {w['line']} {name}: expected {w[name]!r}, got {g[name]!r}"
        for g, w in zip(got, want, strict=True)
        for name in COMPARED
        if g[name] != w[name]
    ]
    assert differences == []


def test_record_counts(corpus_docs: dict[str, Document]) -> None:
    counts = {}
    for doc_id, doc in corpus_docs.items():
        actions = extract_actions(doc)
        counts[doc_id] = (
            sum(a.origin is Origin.TABLE_ROW for a in actions),
            sum(a.origin is Origin.LIST_ITEM for a in actions),
        )
    assert counts == {
        "halton-2008": (70, 0),
        "cheshire-east-2015": (31, 38),
        "halton-2017": (51, 0),
        "warrington-2022": (35, 40),
        "halton-2023": (0, 14),
    }


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_every_action_row_is_used_and_no_header_or_section_row_is(corpus_docs, doc_id: str) -> None:
    doc = corpus_docs[doc_id]
    vocabulary = load_vocabulary()
    actions = [a for a in extract_actions(doc) if a.origin is Origin.TABLE_ROW]
    for number, table in enumerate(doc.tables):
        roles = column_roles(table.header[0], vocabulary) if table.header else {}
        used = {r for a in actions if a.source.table == number for r in a.source.rows}
        if not is_action_table(roles):
            assert not used
            continue
        body = {i for i, row in enumerate(table.rows) if row.kind is RowKind.BODY}
        assert used == body
        firsts = [a.source.rows[0] for a in actions if a.source.table == number]
        assert len(firsts) == len(set(firsts)), "a row starts two records"


def test_tables_are_recognised_by_their_headers_not_their_document(corpus_docs) -> None:
    vocabulary = load_vocabulary()
    recognised = {
        doc_id: [is_action_table(column_roles(t.header[0], vocabulary)) if t.header else False for t in doc.tables]
        for doc_id, doc in corpus_docs.items()
    }
    assert recognised["halton-2008"] == [True]
    assert recognised["cheshire-east-2015"] == [False, False, False, True]
    assert recognised["halton-2017"] == [False] + [True] * 12
    assert recognised["warrington-2022"] == [False, True]
    assert recognised["halton-2023"] == [False, False, False]
    roles = column_roles(
        ["Strategic Outcome", "Activity", "Lead Agency / Department", "Timescale", "Success Measure"], vocabulary
    )
    assert roles == {"aim": 0, "action": 1, "lead": 2, "timescale": 3, "outcome": 4}
    assert column_roles(["TARGET FROM", "KEY TASK", "ACTIONS", "OUTCOME", "TARGET/TIMESCALE", "LEAD"], vocabulary) == {
        "source_ref": 0,
        "aim": 1,
        "action": 2,
        "outcome": 3,
        "timescale": 4,
        "lead": 5,
    }
    # "Target" is the timescale only when no column says when: beside "By when" it holds levels
    wide = ["Ref", "Priority", "Action", "Success measure", "Baseline", "Target", "By when", "Lead officer"]
    assert column_roles(wide, vocabulary) == {"ref": 0, "aim": 1, "action": 2, "outcome": 3, "timescale": 6, "lead": 7}
    assert column_roles(["Action", "Target", "Lead"], vocabulary) == {"action": 0, "timescale": 1, "lead": 2}


def test_provenance_points_at_the_source_rows(corpus_docs) -> None:
    actions = extract_actions(corpus_docs["cheshire-east-2015"])
    split = next(a for a in actions if a.ref == "3e")
    assert split.source.line_start == 524 and split.source.line_end == 526
    assert split.action.endswith("reciprocal arrangements with our “New Belongings” neighbours.")
    assert split.lead == "Principal Manager Cared For Children and Care Leavers"
    assert split.source.cells[1][0] == "" and split.source.source == "text/cheshire-east-2015.txt"
    merged = next(a for a in actions if a.ref == "5b")
    assert merged.inherited == ("lead",) and merged.leads == (
        "Group Manager – Permanence & Through Care",
        "Head of the Virtual School & Youth Support Area Delivery Manager South",
    )
    # where an auditor looks: every line the row runs over, and a merged cell's action said to be the row above's
    assert split.where.startswith("text/cheshire-east-2015.txt lines 524-526, table ")
    review = {a.seq: a for a in extract_actions(corpus_docs["halton-2017"])}
    assert review[32].where == (
        "text/halton-2017.txt lines 367-370, table 9 row 5-6 (its lead is the row above's: merged cells)"
    )
    assert (
        review[33].where
        == "text/halton-2017.txt line 370, table 9 row 6 (its action and lead are the row above's: merged cells)"
    )
    assert review[2].where == "text/halton-2017.txt line 301, table 2 row 2 (its lead is the row above's: merged cells)"


def test_several_actions_in_one_cell_keep_their_own_timescales_and_leads(corpus_docs) -> None:
    actions = extract_actions(corpus_docs["halton-2008"])
    ready = next(a for a in actions if a.aim == "Ensure CiC are ready for school")
    assert [(s.timescale, s.outcome[:20]) for s in ready.sub_actions] == [
        ("2009 100%", "CiC have the best st"),
        ("2009 8%", "CiC miss fewer days "),
    ]
    police = next(a for a in actions if a.source.line_start == 277)
    assert police.sub_actions[1].action.endswith("written agreement with all contracted providers.")
    assert police.sub_actions[1].lead == (
        "Head of Youth Offending Team and Contracts Officer Planning and Performance Division CYPD"
    )


def read_timescales() -> list[tuple[str, str, str]]:
    with (EXPECTED / "timescales.csv").open(encoding="utf-8") as handle:
        return [(r["timescale"], r["kind"], r["due_date"]) for r in csv.DictReader(handle)]


@pytest.mark.parametrize(("raw", "kind", "due"), read_timescales())
def test_every_timescale_form_in_the_corpus(raw: str, kind: str, due: str) -> None:
    parsed = parse_timescale(raw)
    assert parsed.kind.value == kind
    assert (parsed.due_date.isoformat() if parsed.due_date else "") == due


def test_timescale_details() -> None:
    assert parse_timescale("2009 100%").targets == ("100%",)
    assert parse_timescale("2008 from 13.1% to 9%").targets == ("from 13.1% to 9%",)
    assert parse_timescale("December 2008\nSeptember 2008").dates == (date(2008, 12, 31), date(2008, 9, 30))
    assert parse_timescale("31 March 2022").due_date == date(2022, 3, 31)
    assert parse_timescale("2022/23").due_date == date(2023, 3, 31)
    assert parse_timescale("").kind is TimescaleKind.NONE
    assert parse_timescale("Under 5 years old bi- annually").due_date is None


@pytest.mark.parametrize(
    ("raw", "due", "dates"),
    [
        ("Q3 2024/25", "2024-12-31", 1),  # a financial year's third quarter: October to December
        ("Q4 2024/25", "2025-03-31", 1),
        ("Q1 2025", "2025-03-31", 1),  # no financial year named: the calendar's quarter
        ("2025-2027", "2027-12-31", 2),  # a range of years: its end, and both years
        ("2024-2025", "2025-03-31", 1),  # two years in a row: a financial year, as "2024/25"
        ("Spring 2025", "2025-05-31", 1),
        ("Winter 2025", "2026-02-28", 1),
        ("Autumn term 2024", "2024-12-31", 1),  # the school term ends at Christmas
        ("the autumn term of 2024", "2024-12-31", 1),
        ("Summer term 2023/24", "2024-07-31", 1),  # a school year's summer term is in its second year
        ("Autumn term 2023/24", "2023-12-31", 1),
        ("(2019-22)", "2022-12-31", 2),  # a range whose end year is shortened: its end, and both years
        ("2024-25 Q2", "2024-09-30", 1),  # the quarter after its year
        ("Q2 2024-25", "2024-09-30", 1),
        ("Quarter 3 2024/25", "2024-12-31", 1),
        ("Q2 (2024/25)", "2024-09-30", 1),
        ("Year 1 (2024/25)", "2025-03-31", 1),
        # typeset documents join a year's two halves with an en or em dash, as others with a hyphen
        ("2021–22", "2022-03-31", 1),
        ("2021 — 2022", "2022-03-31", 1),
        ("Q2 2024–25", "2024-09-30", 1),
        ("Summer term 2023–24", "2024-07-31", 1),
        ("2019–22", "2022-12-31", 2),
        ("our 2022-25 strategy", "2025-12-31", 2),
    ],
)
def test_timescale_forms_beyond_the_corpus(raw: str, due: str, dates: int) -> None:
    parsed = parse_timescale(raw)
    assert parsed.kind is TimescaleKind.DATE
    assert (parsed.due_date.isoformat() if parsed.due_date else "", len(parsed.dates)) == (due, dates)
    assert parsed.targets == ()  # "Quarter 3", "Year 1" name periods: they are not targets


@pytest.mark.parametrize(
    ("text", "deadline"),
    [
        ("Recruit 10 more foster carers every year by March 2025.", "by March 2025"),
        ("Review our Local Offer for care leavers by the end of 2024/25", "by the end of 2024/25"),
        ("Audit every pathway plan before 31st December 2025, then by 2026", "before 31st December 2025"),
        ("Identify candidates for Higher Education commencing September 2014.", ""),  # a start, not a deadline
        ("We will review our Local Offer for care Leavers (2022) based on feedback", ""),
        ("Offer every child a health assessment within 20 days.", ""),
    ],
)
def test_a_deadline_stated_in_a_commitments_words(text: str, deadline: str) -> None:
    assert stated_deadline(text) == deadline


def test_a_list_item_takes_the_deadline_it_states(tmp_path) -> None:
    path = tmp_path / "plan.txt"
    path.write_text(
        "Our plan\n\nWhat we will do:\n\n• Recruit 10 more foster carers by March 2025.\n"
        "• Listen to children in care.\n",
        encoding="utf-8",
    )
    first, second = extract_actions(read_document(path))
    assert (first.timescale.raw, first.timescale.kind, first.timescale.due_date) == (
        "by March 2025",
        TimescaleKind.DATE,
        date(2025, 3, 31),
    )
    assert second.timescale.kind is TimescaleKind.NONE


def test_commitments_numbered_under_their_priority_are_a_list(tmp_path) -> None:
    path = tmp_path / "plan.txt"
    path.write_text(
        "# Plan\n\n## Priority 1: Children are safe at home\n\nWe will:\n\n"
        "1.1 Expand the Family Safeguarding model\n1.2 Introduce a pre-birth assessment pathway by March 2025\n"
        "1.3. Reduce repeat child protection plans\n",
        encoding="utf-8",
    )
    actions = extract_actions(read_document(path))
    assert [a.action for a in actions] == [
        "Expand the Family Safeguarding model",
        "Introduce a pre-birth assessment pathway by March 2025",
        "Reduce repeat child protection plans",
    ]
    assert {a.section for a in actions} == {"Priority 1: Children are safe at home"}
    assert actions[1].timescale.raw == "by March 2025"


def test_only_sufficiency_statement_stays_unknown() -> None:
    unknown = [raw for raw, kind, _ in read_timescales() if kind == "unknown"]
    assert unknown == ["Sufficiency Statement"]


@pytest.mark.parametrize(
    ("raw", "roles"),
    [
        ("Principal Managers, Fostering & CiCCL", ("Principal Manager, Fostering", "Principal Manager, CiCCL")),
        (
            "Headteacher of the Virtual School 14-19 Programme Leader",
            ("Headteacher of the Virtual School", "14-19 Programme Leader"),
        ),
        ("Children in Care Health Team Halton CCG", ("Children in Care Health Team", "Halton CCG")),
        ("IRM Service Social Workers Health Team", ("IRM Service", "Social Workers", "Health Team")),
        # a title with a qualifier in front is one role: the qualifier names no role of its own
        ("Leaving Care Service Manager", ("Leaving Care Service Manager",)),
        ("Virtual School Headteacher", ("Virtual School Headteacher",)),
        ("Youth Service Team Manager", ("Youth Service Team Manager",)),
        (
            "Headteacher of the Virtual School 14-19 Programme Leader",
            ("Headteacher of the Virtual School", "14-19 Programme Leader"),
        ),
        (
            "Head of Education Support Service and Integrated Children's Commissioning Manager",
            ("Head of Education Support Service", "Integrated Children's Commissioning Manager"),
        ),
        (
            "Principal Manager Young People's Team /HITS\nRegional Manager Greater Merseyside Connexions Partnership",
            (
                "Principal Manager Young People's Team",
                "HITS",
                "Regional Manager Greater Merseyside Connexions Partnership",
            ),
        ),
        ("CiC Nurse/ Preventative Mini Trust", ("CiC Nurse", "Preventative Mini Trust")),
        ("Principal Manager, CICCL", ("Principal Manager, CICCL",)),
        ("Head of Youth Offending Team\nHead of Youth Offending Team", ("Head of Youth Offending Team",)),
        ("", ()),
    ],
)
def test_leads_split_into_roles(raw: str, roles: tuple[str, ...]) -> None:
    assert split_leads(raw) == roles


def test_a_line_ending_in_a_lead_in_opens_a_commitment_list(tmp_path) -> None:
    path = tmp_path / "plan.txt"
    path.write_text("## Priority 3: Leaving care\n\nOver the next three years we will:\n\n- Publish a local offer.\n")
    (action,) = extract_actions(read_document(path))
    assert (action.section, action.action, action.origin) == (
        "Priority 3: Leaving care",
        "Publish a local offer.",
        Origin.LIST_ITEM,
    )


@pytest.mark.parametrize(
    ("text", "due"),
    [
        # a year's shortened end is never a share or a count that follows the year
        ("By 2025 – 60% of care leavers will be in EET", ["2025-12-31"]),
        ("By 2020 - 50% of care leavers", ["2020-12-31"]),
        ("In 2021 - 25 children were adopted.", ["2021-12-31"]),
        ("by spring 2024 - 25% of children", ["2024-05-31"]),
        ("Strategy 2019-22", ["2019-12-31", "2022-12-31"]),
    ],
)
def test_a_year_then_a_figure_is_no_range(text: str, due: list[str]) -> None:
    from policylens.timescales import find_dates

    assert [f.due.isoformat() for f in find_dates(text)] == due
