"""The README promises what the project does: check the promises."""

from __future__ import annotations

from typer.main import get_command

from policylens.cli import app

from .conftest import ROOT

README = (ROOT / "README.md").read_text("utf-8")


def test_readme_opens_with_the_two_setup_commands() -> None:
    lines = README.splitlines()
    assert lines[0] == "```sh"
    assert lines[1].startswith("python3 tasks.py run ")
    assert lines[2].startswith("python3 tasks.py test ")
    assert lines[3] == "```"


def test_ci_runs_the_readme_test_command() -> None:
    assert "python3 tasks.py test" in (ROOT / ".ci" / "run").read_text("utf-8")


def test_every_cli_command_is_documented() -> None:
    commands = get_command(app).commands  # type: ignore[attr-defined]
    for name in commands:
        if name != "version":
            assert f"policylens {name}" in README, name
