"""The command line as a user runs it: messages, exit codes, outputs kept on failure."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from policylens.cli import app

from .conftest import CORPUS, ROOT

runner = CliRunner()


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_ingest_the_bundled_corpus(tmp_path: Path) -> None:
    result = runner.invoke(app, ["ingest", str(CORPUS), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    docs = rows(tmp_path / "documents.csv")
    assert [d["doc_id"] for d in docs][:2] == ["halton-2008", "cheshire-east-2015"]
    h2008 = docs[0]
    assert (h2008["n_table"], h2008["n_heading"], h2008["n_figure"]) == ("1", "18", "0")
    assert h2008["source"] == "text/halton-2008.txt" and len(h2008["sha256"]) == 64
    first = json.loads((tmp_path / "blocks.jsonl").read_text("utf-8").splitlines()[0])
    assert first["doc_id"] == "halton-2008" and first["kind"] == "heading"
    assert first["text"] == "Halton Strategy for Children in Care"
    prov = {
        "source": "text/halton-2008.txt",
        "page": None,
        "line_start": 5,
        "line_end": 5,
        "bbox": None,
        "ocr_confidence": None,
    }
    assert first["prov"] == prov
    assert rows(tmp_path / "failures.csv") == []


def test_a_file_outside_the_corpus(tmp_path: Path) -> None:
    doc = tmp_path / "My Strategy.md"
    doc.write_text("# Our Strategy\n\nWhat we will do:\n\n- Recruit more foster carers\n", encoding="utf-8")
    result = runner.invoke(app, ["ingest", str(doc), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    (row,) = rows(tmp_path / "out" / "documents.csv")
    assert row["doc_id"] == "my-strategy" and row["title"] == "Our Strategy" and row["n_list_item"] == "1"


def test_bad_files_are_named_and_the_rest_is_still_written(tmp_path: Path) -> None:
    bad_bytes = tmp_path / "latin1.txt"
    bad_bytes.write_bytes(b"TITLE\n\nFirst line\nCaf\xe9 society\n")
    empty = tmp_path / "empty.txt"
    empty.write_text("\n\n  \n", encoding="utf-8")
    odd = tmp_path / "notes.rtf"
    odd.write_text("{\\rtf1}", encoding="utf-8")
    good = CORPUS / "text" / "halton-2023.txt"
    args = ["ingest", str(bad_bytes), str(tmp_path / "nowhere.txt"), str(empty), str(odd), str(good)]
    result = runner.invoke(app, [*args, "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    out = " ".join(result.output.split())
    assert f"{bad_bytes}: line 4 is not valid utf-8" in out and "--encoding" in out
    assert f"{tmp_path / 'nowhere.txt'}: no such file or folder" in out
    assert f"{empty}: no text found" in out
    assert "files ending '.rtf' are not read" in out
    assert "4 failed" in out
    (row,) = rows(tmp_path / "out" / "documents.csv")
    assert row["doc_id"] == "halton-2023"
    failures = rows(tmp_path / "out" / "failures.csv")
    assert [f["code"] for f in failures] == ["PL101", "PL104", "PL103", "PL105"]


def test_the_encoding_option_reads_a_latin1_file(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes(b"TITLE\n\nCaf\xe9 society meets here.\n")
    result = runner.invoke(app, ["ingest", str(path), "--encoding", "latin-1", "--out", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    assert "Café society" in (tmp_path / "o" / "blocks.jsonl").read_text("utf-8")


def test_a_bad_manifest_row_fails_alone(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    with (corpus / "manifest.csv").open("a", encoding="utf-8") as handle:
        handle.write("extra,Nowhere Council,Lost,2020,2021,text/lost.txt,\n")
    result = runner.invoke(app, ["ingest", str(corpus), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "manifest.csv:7" in result.output and "lost.txt" in " ".join(result.output.split())
    assert len(rows(tmp_path / "out" / "documents.csv")) == 5
    # comparing two good documents of that corpus does not stop at the bad row of another
    compared = runner.invoke(app, ["compare", "halton-2017", "halton-2023", "--corpus", str(corpus), "--format", "csv"])
    assert compared.exit_code == 0, compared.output
    assert "halton-2017#1,Revise and implement Foster Carer Recruitment Strategy" in compared.output


def test_compare_two_files_of_the_same_name_and_a_broken_one(tmp_path: Path) -> None:
    for folder, items in (("a", "Recruit more foster carers"), ("b", "Recruit more local foster carers")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "plan.txt").write_text(f"# Plan\n\nWhat we will do:\n\n- {items}\n", encoding="utf-8")
    both = [str(tmp_path / "a" / "plan.txt"), str(tmp_path / "b" / "plan.txt")]
    result = runner.invoke(app, ["compare", *both, "--format", "json"])
    assert result.exit_code == 0, result.output
    links = json.loads(result.stdout)
    assert [(k["a_id"], k["b_id"]) for k in links] == [("plan#1", "plan-2#1")]  # once, each side its own id
    assert "warning PL115 both files are named plan" in " ".join(result.output.split())  # editions of one?
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"x")
    failed = runner.invoke(app, ["compare", both[0], str(broken)])
    assert failed.exit_code != 0 and "PL106" in failed.output and "broken.pdf" in failed.output


def test_formats_and_bad_settings() -> None:
    assert runner.invoke(app, ["formats"]).output.split() == ["text", "pdf", "html", "docx"]
    result = runner.invoke(app, ["ingest", "--prefer", "scroll"])
    text = " ".join(result.output.split())
    assert (
        result.exit_code == 2 and "--prefer: scroll is no format policylens reads; give text, pdf, html, docx" in text
    )
    result = runner.invoke(app, ["ingest", "--encoding", "klingon"])
    assert result.exit_code == 2 and "The --encoding option must be a codec Python knows" in result.output


def test_actions_of_a_corpus_document_and_of_a_file_anywhere(tmp_path: Path) -> None:
    result = runner.invoke(app, ["actions", "halton-2023", "--corpus", str(CORPUS), "--format", "json"])
    assert result.exit_code == 0, result.output
    records = json.loads(result.output)
    assert len(records) == 14
    assert records[0]["section"] == "Objective 1: Early intervention and prevention"
    assert records[0]["origin"] == "list_item" and records[0]["line_start"] == 245

    plan = tmp_path / "plan.txt"
    plan.write_text(
        "ACTION PLAN\n\nAction\tBy when\tResponsible officer\n"
        "Recruit ten more foster carers this year\tMarch 2025\tHead of Fostering Service Lead Member\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["actions", str(plan), "--format", "csv"])
    assert result.exit_code == 0, result.output
    (row,) = list(csv.DictReader(result.output.splitlines()))
    assert row["action"] == "Recruit ten more foster carers this year"
    assert (row["due_date"], row["timescale_kind"]) == ("2025-03-31", "date")
    assert row["leads"] == "Head of Fostering Service | Lead Member"
    assert row["section"] == "ACTION PLAN"


def test_actions_of_an_unknown_id_is_an_error() -> None:
    result = runner.invoke(app, ["actions", "nowhere-2020", "--corpus", str(CORPUS)])
    assert result.exit_code == 1
    assert "nowhere-2020: no such file, and no document with that id" in " ".join(result.output.split())


def test_actions_from_a_pdf_anywhere_and_a_bad_pdf_in_the_same_run(tmp_path: Path) -> None:
    fake = tmp_path / "fake.pdf"
    fake.write_text("not a pdf at all", encoding="utf-8")
    pdf = CORPUS / "pdf" / "halton-2023.pdf"
    result = runner.invoke(app, ["actions", str(pdf), str(fake), "--format", "json"])
    assert result.exit_code == 1
    out = " ".join(result.output.split())
    assert "PL106" in out and "fake.pdf: the file is not a PDF" in out
    records = json.loads(result.output[: result.output.rindex("]") + 1])
    assert len(records) == 14 and records[0]["page"] == 8


def test_metrics_and_the_indicator_table(tmp_path: Path) -> None:
    result = runner.invoke(app, ["metrics", "halton-2017", "--corpus", str(CORPUS), "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(result.output.splitlines()))
    eet = next(r for r in rows if r["indicator"] == "care_leavers_eet")
    assert (eet["value"], eet["unit"], eet["kind"]) == ("73", "percent", "baseline")
    assert eet["quote"].startswith("73% are engaged in Education") and eet["line_start"] == "234"

    result = runner.invoke(app, ["indicators", "--corpus", str(CORPUS), "-i", "care_leavers_eet", "--format", "json"])
    assert result.exit_code == 0, result.output
    table = {row["doc_id"]: row for row in json.loads(result.output)}
    assert set(table) == {"halton-2008", "cheshire-east-2015", "halton-2017", "warrington-2022", "halton-2023"}
    assert table["halton-2023"]["baseline_summary"] == "58%"
    assert [t["value"] for t in table["halton-2008"]["targets"]] == [75.0, 75.0]
    # every figure says where it was read, and quotes it: the researcher checks 73% at line 234
    (baseline,) = table["halton-2017"]["baselines"]
    assert (baseline["place"], baseline["source"]) == ("line 234", "text/halton-2017.txt")
    assert baseline["quote"].startswith("73% are engaged in Education")
    assert table["halton-2017"]["sources"] == "text/halton-2017.txt: line 234"


def test_build_of_documents_without_an_action_plan_writes_every_table(tmp_path: Path) -> None:
    note = tmp_path / "note.txt"
    note.write_text("Just a paragraph about our children, with no plan in it.\n", encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(note), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "report.html").is_file() and (out / "links.csv").read_text("utf-8").count("\n") == 1
    missing = runner.invoke(app, ["build", str(tmp_path / "nowhere"), "--out", str(tmp_path / "out2")])
    assert missing.exit_code == 1 and "PL101" in missing.output and "nowhere" in missing.output
    assert (tmp_path / "out2" / "failures.csv").is_file()


def test_a_missing_path_says_what_to_do_without_a_manifest_hint(tmp_path: Path) -> None:
    result = runner.invoke(app, ["actions", str(tmp_path / "nowhere.txt")])
    text = " ".join(result.output.split())
    assert result.exit_code == 1 and "PL101" in text and "nowhere.txt" in text
    assert "Give a file that exists, or one of those ids" in text and "manifest paths" not in text
    built = runner.invoke(app, ["build", str(tmp_path / "gone"), "--out", str(tmp_path / "out")])
    assert "no such file or folder. Check the path." in " ".join(built.output.split()) and ".." not in built.output


def test_a_comparison_that_cannot_be_made_says_why(tmp_path: Path) -> None:
    same = runner.invoke(
        app, ["compare", "halton-2017", str(CORPUS / "text" / "halton-2017.txt"), "--corpus", str(CORPUS)]
    )
    assert same.exit_code == 1 and "PL115" in same.output and "both name the same document" in same.output
    # a series of one document: the series that have two or more are named, not every council
    alone = runner.invoke(app, ["audit", "--series", "warrington", "--corpus", str(CORPUS)])
    text = " ".join(alone.output.split())
    assert alone.exit_code == 1 and "PL115" in text and "the series has only warrington-2022" in text
    assert "(series that have: halton (3 documents))" in text
    # two files of one name (text/plan.txt, pdf/plan.pdf) are most likely two editions of one document
    for folder, doc in (("a", "halton-2017"), ("b", "halton-2023")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "plan.txt").write_bytes((CORPUS / "text" / f"{doc}.txt").read_bytes())
    editions = runner.invoke(app, ["compare", str(tmp_path / "a" / "plan.txt"), str(tmp_path / "b" / "plan.txt")])
    said = " ".join(editions.output.split())
    assert editions.exit_code == 0 and "warning PL115 both files are named plan: if they are two editions" in said
    nowhere = runner.invoke(app, ["compare", "halton-2017", "halton-2023", "--corpus", str(tmp_path / "nope")])
    text = " ".join(nowhere.output.split())
    assert nowhere.exit_code == 1 and "PL101" in text and "nope does not exist" in text
    folder = runner.invoke(app, ["audit", "--series", "halton", "--corpus", str(tmp_path / "nope")])
    text = " ".join(folder.output.split())
    assert folder.exit_code == 1 and "PL101" in text and "nope: the corpus folder does not exist" in text


def test_an_unknown_indicator_is_named_with_the_known_ones() -> None:
    result = runner.invoke(app, ["indicators", "-i", "nonsense"])
    text = " ".join(result.output.split())
    assert result.exit_code == 2 and "unknown indicator nonsense" in text and "care_leavers_eet" in text


def test_every_command_that_reads_documents_takes_the_reading_options(tmp_path: Path) -> None:
    """compare, audit, metrics and indicators read documents as build does: the same options."""
    result = runner.invoke(
        app,
        [
            "indicators",
            "halton-2017",
            "--corpus",
            str(CORPUS),
            "--prefer",
            "pdf",
            "-f",
            "json",
            "-i",
            "care_leavers_eet",
        ],
    )
    assert result.exit_code == 0, result.output
    (row,) = json.loads(result.output)
    assert row["baseline_summary"].startswith("73%")  # read from corpus/pdf/halton-2017.pdf
    commands = (["compare", "halton-2017", "halton-2023"], ["audit", "--series", "halton"], ["metrics"], ["indicators"])
    for command in commands:
        wrong = runner.invoke(app, [*command, "--corpus", str(CORPUS), "--prefer", "docx,nonsense"])
        assert wrong.exit_code == 2 and "nonsense" in wrong.output, (command, wrong.output)
        helped = runner.invoke(app, [*command, "--help"])
        for option in ("--prefer", "--encoding", "--password", "--time-limit", "--vocabulary"):
            assert option in helped.output, (command, option)


def test_the_table_of_records_says_where_each_was_read() -> None:
    """A PDF's records are found by page, a text file's by line: the table shows the one that applies."""
    pdf = runner.invoke(app, ["actions", str(CORPUS / "pdf" / "halton-2023.pdf")])
    text = runner.invoke(app, ["actions", "halton-2023", "--corpus", str(CORPUS)])
    assert pdf.exit_code == 0 and text.exit_code == 0, pdf.output + text.output
    assert "page" in pdf.output.split("\n")[1] and "line_st" not in pdf.output
    assert "line_st" in text.output and "┃ page" not in text.output


def test_reviewed_decisions_reach_compare_audit_and_build(tmp_path: Path) -> None:
    decisions = tmp_path / "decisions.csv"
    decisions.write_text(
        "a_id,b_id,decision,note\nhalton-2017#45,halton-2023#9,link,housing\nhalton-2017#99,halton-2023#9,link,typo\n",
        encoding="utf-8",
    )
    compared = runner.invoke(
        app,
        ["compare", "halton-2017", "halton-2023", "--corpus", str(CORPUS), "-f", "csv", "--decisions", str(decisions)],
    )
    assert compared.exit_code == 0, compared.output
    (row,) = [r for r in csv.DictReader(compared.output.splitlines()) if r["a_id"] == "halton-2017#45"]
    assert row["b_id"] == "halton-2023#9" and row["evidence"].startswith("linked by review")
    # a reviewer's typo is reported, not silently unused
    assert (
        "warning PL113" in compared.output
        and "decisions.csv:3: not used: halton-2017#99 is no commitment" in compared.output
    )
    audited = runner.invoke(
        app, ["audit", "--series", "halton", "--corpus", str(CORPUS), "-f", "csv", "--decisions", str(decisions)]
    )
    rows = [r for r in csv.DictReader(audited.output.splitlines()) if r["from_id"] == "halton-2017#45"]
    assert [r["to_id"] for r in rows] == ["halton-2023#9"] and "warning PL113" in audited.output
    # a call on two documents of the series that the audit never compares is said, not silently unused
    decisions.write_text("a_id,b_id,decision\nhalton-2008#21,halton-2023#4,link\n", encoding="utf-8")
    audited = runner.invoke(
        app, ["audit", "--series", "halton", "--corpus", str(CORPUS), "--decisions", str(decisions)]
    )
    assert "halton-2008 and halton-2023 are not compared" in " ".join(audited.output.split())
    # a sheet of the whole corpus given to compare: only the calls on the two documents compared count
    decisions.write_text(
        "a_id,b_id,decision\nhalton-2017#45,halton-2023#9,link\nhalton-2008#11,halton-2017#32,not\n", encoding="utf-8"
    )
    compared = runner.invoke(app, ["compare", "halton-2017", "halton-2023", "--decisions", str(decisions), "-f", "csv"])
    assert f"followed 1 of the calls in {decisions}: 1 link" in " ".join(compared.output.split())
    decisions.write_text("a_id,b_id,decision\nhalton-2017#45,halton-2023#9,yes\n", encoding="utf-8")
    built = runner.invoke(app, ["build", str(CORPUS), "--out", str(tmp_path / "out"), "--decisions", str(decisions)])
    text = " ".join(built.output.split())
    assert built.exit_code == 1 and "PL113" in text and "decisions.csv:2: decision 'yes' is neither" in text
    assert not (tmp_path / "out").exists()  # refused before any work


def test_a_preferred_format_a_document_lacks_is_said() -> None:
    result = runner.invoke(app, ["actions", "halton-2017", "--corpus", str(CORPUS), "--prefer", "docx", "-f", "csv"])
    text = " ".join(result.output.split())
    assert (
        result.exit_code == 0 and "'halton-2017' has no edition in docx; it is read from text/halton-2017.txt" in text
    )
    assert "halton-2023" not in text  # only the document asked for


def test_the_review_sheet_goes_back_in_as_decisions(tmp_path: Path) -> None:
    """extracted/review.csv is a decisions file: the rows a reviewer fills in are followed, the rest skipped."""
    with (ROOT / "extracted" / "review.csv").open(encoding="utf-8") as handle:
        sheet = list(csv.DictReader(handle))
    for row in sheet:
        if (row["a_id"], row["b_id"]) == ("halton-2017#45", "halton-2023#9"):
            row |= {"decision": "link", "note": "part of transition support with housing"}
    decisions = tmp_path / "review.csv"
    with decisions.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(sheet[0]))
        writer.writeheader()
        writer.writerows(sheet)
    compared = runner.invoke(
        app,
        ["compare", "halton-2017", "halton-2023", "--corpus", str(CORPUS), "-f", "csv", "--decisions", str(decisions)],
    )
    assert compared.exit_code == 0 and "PL113" not in compared.output, compared.output
    (row,) = [r for r in csv.DictReader(compared.output.splitlines()) if r["a_id"] == "halton-2017#45"]
    assert row["b_id"] == "halton-2023#9"
    # the file, not its row: a sheet given back is written again, and its rows move
    assert row["evidence"].startswith(f"linked by review ({decisions}: ") and "transition support" in row["evidence"]


def test_compare_and_audit_write_a_review_sheet_when_asked(tmp_path: Path) -> None:
    sheet = tmp_path / "review.csv"
    compared = runner.invoke(
        app, ["compare", "halton-2017", "halton-2023", "--corpus", str(CORPUS), "-f", "csv", "--review", str(sheet)]
    )
    assert compared.exit_code == 0, compared.output
    with sheet.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 41 and {r["question"] for r in rows} == {"link?", "keep?"}
    assert all(r["decision"] == "" and r["a_id"].startswith("halton-2017#") for r in rows)
    assert "wrote 41 pairs to review to" in " ".join(compared.output.split())
    audited = runner.invoke(app, ["audit", "--series", "halton", "--corpus", str(CORPUS), "--review", str(sheet)])
    with sheet.open(encoding="utf-8") as handle:
        pairs = {(r["a_id"].split("#")[0], r["b_id"].split("#")[0]) for r in csv.DictReader(handle)}
    assert audited.exit_code == 0 and pairs == {("halton-2008", "halton-2017"), ("halton-2017", "halton-2023")}


def test_a_review_sheet_filled_in_place_and_given_back_loses_no_call(tmp_path: Path) -> None:
    """build --decisions out/review.csv reads the calls, then writes out/review.csv again: with them."""
    out = tmp_path / "out"
    assert runner.invoke(app, ["build", str(CORPUS), "--out", str(out)]).exit_code == 0
    sheet = out / "review.csv"
    with sheet.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    calls = {("halton-2017#45", "halton-2023#9"): "link", ("halton-2008#11", "halton-2017#32"): "not"}
    for row in rows:
        row["decision"] = calls.get((row["a_id"], row["b_id"]), "")
    with sheet.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    for _ in range(2):  # round after round, the same file
        built = runner.invoke(app, ["build", str(CORPUS), "--out", str(out), "--decisions", str(sheet)])
        assert built.exit_code == 0 and f"followed 2 of the calls in {sheet}: 1 link, 1 not" in " ".join(
            built.output.split()
        )
        with sheet.open(encoding="utf-8") as handle:
            decided = {
                (r["a_id"], r["b_id"]): r["decision"] for r in csv.DictReader(handle) if r["question"] == "decided"
            }
        assert decided == calls
    # a build without --decisions never overwrites a sheet that holds calls: the new one goes beside it
    before = sheet.read_bytes()
    plain = runner.invoke(app, ["build", str(CORPUS), "--out", str(out)])
    said = " ".join(plain.output.split())
    assert plain.exit_code == 0 and sheet.read_bytes() == before and (out / "review-new.csv").is_file()
    assert f"warning PL116 {sheet} holds 2 calls not given with --decisions: it was left as it is" in said


def test_compare_gives_the_same_links_whichever_document_is_named_first() -> None:
    def linked(*docs: str) -> tuple[set[tuple[str, str]], str]:
        result = runner.invoke(app, ["compare", *docs, "--corpus", str(CORPUS), "-f", "csv"])
        assert result.exit_code == 0, result.output
        rows = [r for r in csv.DictReader(result.output.splitlines()) if r.get("a_id") and r.get("b_id")]
        return {(r["a_id"], r["b_id"]) for r in rows}, " ".join(result.output.split())

    forward, said_forward = linked("cheshire-east-2015", "warrington-2022")
    backward, said_backward = linked("warrington-2022", "cheshire-east-2015")
    assert forward == backward and len(forward) == 25 and "PL114" not in said_forward
    assert "warning PL114 warrington-2022 was named first but is the newer document" in said_backward


def test_compare_and_audit_print_only_the_relations_asked_for() -> None:
    revised = runner.invoke(app, ["compare", "halton-2017", "halton-2023", "-r", "revised", "-f", "csv"])
    rows = list(csv.DictReader(revised.output.splitlines()))
    assert revised.exit_code == 0 and len(rows) == 23 and {r["relation"] for r in rows} == {"revised"}
    alone = runner.invoke(app, ["audit", "--series", "halton", "-r", "new", "-r", "dropped", "-f", "json"])
    assert alone.exit_code == 0 and {r["relation"] for r in json.loads(alone.output)} == {"new", "dropped"}
    none = runner.invoke(app, ["audit", "--series", "halton", "-r", "carried_forward"])
    assert none.exit_code == 0 and "no rows" in none.output and "┏" not in none.output
    typo = runner.invoke(app, ["compare", "halton-2017", "halton-2023", "-r", "revisd"])
    assert typo.exit_code == 2 and "carried_forward" in typo.output


def test_two_files_with_no_year_are_compared_by_id_as_the_main_job_does(tmp_path: Path) -> None:
    """Without a year, the main job orders documents by id; `compare` does the same whichever is named first,
    and says so when that is not the order named."""
    (tmp_path / "a-plan.txt").write_bytes((CORPUS / "text" / "halton-2017.txt").read_bytes())
    (tmp_path / "b-plan.txt").write_bytes((CORPUS / "text" / "halton-2023.txt").read_bytes())
    named = runner.invoke(app, ["compare", str(tmp_path / "b-plan.txt"), str(tmp_path / "a-plan.txt"), "-f", "csv"])
    assert named.exit_code == 0, named.output
    rows = list(csv.DictReader(named.stdout.splitlines()))
    linked = [r for r in rows if r["relation"] in ("revised", "carried_forward")]
    assert {(r["a_doc"], r["b_doc"]) for r in linked} == {("a-plan", "b-plan")} and len(linked) == 23
    said = " ".join(named.output.split())
    assert "warning PL114 no year known for b-plan or a-plan: compared a-plan -> b-plan, by id" in said


def test_a_table_fits_the_terminal_keeping_what_matters_most() -> None:
    """At 80 columns the audit keeps both ids, the relation and the two actions, and says what it left out."""
    narrow = runner.invoke(app, ["audit", "--series", "halton", "--corpus", str(CORPUS)], env={"COLUMNS": "80"})
    header = narrow.output.split("\n")[1]
    table = [line for line in narrow.output.splitlines() if line[:1] in "┏┃┡│├└"]
    assert narrow.exit_code == 0 and max(len(line) for line in table) <= 80
    assert [c.strip() for c in header.strip("┃").split("┃")] == [
        "from_id",
        "from_action",
        "to_id",
        "to_action",
        "relation",
    ]
    left = "from_due, from_lead, to_due, to_lead, changes, from_where, to_where left out to fit 80 columns"
    assert left + ": -f csv or -f json gives every column" in " ".join(narrow.output.split())
    # wider, the deadlines and leads on both sides, and where to check each by eye
    wide = runner.invoke(app, ["audit", "--series", "halton", "--corpus", str(CORPUS)], env={"COLUMNS": "220"})
    header = [c.strip() for c in wide.output.split("\n")[1].strip("┃").split("┃")]
    assert "left out" not in wide.output and {"changes", "from_lead", "to_lead", "from_where", "to_where"} <= set(
        header
    )


def test_long_ids_stay_whole_and_the_table_still_fits() -> None:
    narrow = runner.invoke(
        app, ["compare", "cheshire-east-2015", "warrington-2022", "--corpus", str(CORPUS)], env={"COLUMNS": "80"}
    )
    header = [c.strip() for c in narrow.output.split("\n")[1].strip("┃").split("┃")]
    assert narrow.exit_code == 0 and header == ["a_id", "a_action", "b_id", "relation"]
    assert all(len(line) <= 80 for line in narrow.output.splitlines()[:40])
    assert "cheshire-east-2015#12" in narrow.output  # a long id whole, never folded


def test_every_review_sheet_row_is_one_line() -> None:
    path = ROOT / "extracted" / "review.csv"
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(path.read_text(encoding="utf-8").splitlines()) == len(rows) + 1
