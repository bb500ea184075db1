"""The HTML report: self-contained, escaped, and rendered by a real browser without console errors."""

from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from policylens.cli import app
from policylens.report import write_report

from .conftest import ROOT, debian_tool

INJECTED = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


@pytest.fixture(scope="session")
def chromium() -> str:
    """Debian's chromium, installed when missing: the test must see the page, not be skipped quietly."""
    found, why = debian_tool("chromium", ["chromium"])
    if found is None:
        pytest.fail(f"could not install chromium: {why}")
    return found


@pytest.fixture(scope="module")
def hostile_outputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The committed outputs with markup in an action and a quote, as a hostile document would have."""
    folder = tmp_path_factory.mktemp("outputs")
    for table in (ROOT / "extracted").glob("*.csv"):
        shutil.copy(table, folder)
    for name, column in (("actions.csv", "action"), ("metrics.csv", "quote")):
        with (folder / name).open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            rows, columns = list(reader), list(reader.fieldnames or [])
        rows[0][column] = f"{INJECTED} & <b>not bold</b>"
        with (folder / name).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
    return folder


@pytest.fixture(scope="module")
def report(hostile_outputs: Path) -> Path:
    target = hostile_outputs / "story" / "report.html"
    result = CliRunner().invoke(app, ["report", "--from", str(hostile_outputs), "--out", str(target)])
    assert result.exit_code == 0, result.output
    return target


def _browse(chromium: str, url: str, profile: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    command = [
        chromium,
        "--headless",
        "--disable-gpu",
        "--no-sandbox",
        f"--user-data-dir={profile}",  # a profile of its own: other browsers on the machine are left alone
        "--enable-logging=stderr",
        "--v=0",
        "--virtual-time-budget=5000",
        *extra,
        url,
    ]
    return subprocess.run(command, capture_output=True, text=True, check=False, timeout=180)


def _console(stderr: str) -> list[str]:
    # Chromium logs every console message and uncaught error (and CSP violation) as a CONSOLE line
    return [line for line in stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]


def test_document_text_is_escaped_and_nothing_is_fetched(report: Path) -> None:
    text = report.read_text(encoding="utf-8")
    assert ESCAPED in text and INJECTED not in text
    assert "&lt;b&gt;not bold&lt;/b&gt;" in text
    assert "http://" not in text and "https://" not in text  # no CDN, nothing remote
    assert text.count("<script>") == 1
    assert text.count('src="data:image/png;base64,') == 9


def test_the_report_is_the_same_on_every_run(hostile_outputs: Path, report: Path, tmp_path: Path) -> None:
    again = write_report(hostile_outputs, tmp_path / "again.html")
    assert again.read_bytes() == report.read_bytes()


def test_the_report_renders_in_chromium_with_no_console_errors(chromium: str, report: Path, tmp_path: Path) -> None:
    dom = _browse(chromium, report.as_uri(), tmp_path / "profile", "--dump-dom")
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert _console(dom.stderr) == []
    page = dom.stdout
    assert ESCAPED in page and INJECTED not in page
    for table in ("t-documents", "t-actions", "t-metrics", "t-audit", "t-audit-summary", "t-sharing"):
        assert f'id="{table}"' in page, table
    assert 'id="t-actions-count">279 of 279 rows' in page  # the filter script ran

    filtered = _browse(chromium, report.as_uri() + "#filter=alert(1)", tmp_path / "profile", "--dump-dom")
    assert _console(filtered.stderr) == []
    assert 'id="t-actions-count">1 of 279 rows' in filtered.stdout

    shot = tmp_path / "report.png"
    screenshot = _browse(
        chromium, report.as_uri(), tmp_path / "profile", f"--screenshot={shot}", "--window-size=1280,2400"
    )
    assert _console(screenshot.stderr) == []
    assert shot.is_file() and shot.read_bytes().startswith(b"\x89PNG")
    shutil.copy(shot, report.parent / "report-screenshot.png")  # kept beside the report, to look at


def test_report_command_says_what_to_do_without_outputs(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["report", "--from", str(tmp_path / "nowhere")])
    assert result.exit_code == 1 and "run `policylens build` first" in result.output


def test_the_introductions_say_what_these_outputs_hold(report: Path, tmp_path: Path) -> None:
    page = report.read_text("utf-8")
    assert "Five strategies from three councils." in page and "Halton 2023&#x27;s 14 actions" in page
    note = tmp_path / "note.txt"
    note.write_text("# Our plan\n\nWhat we will do:\n\n- Recruit ten more foster carers\n", encoding="utf-8")
    from policylens.pipeline import build

    build([note], tmp_path / "out")
    own = (tmp_path / "out" / "report.html").read_text("utf-8")
    assert "One strategy from one council." in own  # not the bundled corpus's five strategies
    assert "Five strategies" not in own and "Halton" not in own


def test_a_source_is_named_by_what_its_positions_count() -> None:
    from policylens.report import _source

    assert _source("text/halton-2017.txt", None, 301, 302) == "text/halton-2017.txt, line 301–302"
    assert _source("pdf/halton-2017.pdf", 7, None) == "pdf/halton-2017.pdf, page 7"
    assert _source("plans/fostering.docx", None, 12, 12) == "plans/fostering.docx, paragraph 12"


def test_the_report_lists_the_links_between_councils_with_their_sources(report: Path) -> None:
    page = report.read_text("utf-8")
    assert "<h2>Links between councils</h2>" in page and 'id="t-council-links"' in page
    table = page.split('id="t-council-links"')[1].split("</table>")[0]
    rows = table.count("<tr>") - 1  # the header row
    with (ROOT / "extracted" / "links.csv").open(encoding="utf-8") as handle:
        council = {"halton": "Halton", "cheshire-east": "Cheshire East", "warrington": "Warrington"}
        linked = [
            r
            for r in csv.DictReader(handle)
            if r["relation"] in ("carried_forward", "revised")
            and council[r["a_doc"].rsplit("-", 1)[0]] != council[r["b_doc"].rsplit("-", 1)[0]]
        ]
    assert rows == len(linked) > 100
    # both sides' sources, as in links.csv
    assert "cheshire-east-2015#15: text/cheshire-east-2015.txt line 350" in table


def test_the_audit_table_gives_each_step_the_leads_and_the_evidence(report: Path) -> None:
    """An auditor checks a dropped commitment from its nearest candidate, and a commitment new in one step
    and dropped in the next by the step each row is of."""
    page = report.read_text("utf-8")
    table = page.split('id="t-audit"')[1].split("</table>")[0]
    header = table.split("</tr>")[0]
    for column in ("step", "from lead", "to lead", "evidence", "source"):
        assert f">{column}<" in header, column
    # the 2017 pathway plans row, dropped in 2023: where it came closest, and why it was not linked
    assert "nearest: halton-2023#9 (score 0.133, below the 0.150 a link needs)" in table
    assert "halton-2017 → halton-2023" in table and "halton-2008 → halton-2017" in table
    assert "halton-2017#43: text/halton-2017.txt line " in table
