"""The set-up (`tasks.py`) installs Tesseract when it can, and never fails for want of it."""

from __future__ import annotations

import subprocess
from collections.abc import Sequence

import pytest
import tasks


def _machine(monkeypatch: pytest.MonkeyPatch, *, programs: set[str], root: bool, apt_works: bool) -> list[list[str]]:
    """A machine with these programs on PATH; apt-get installs Tesseract when `apt_works`."""
    ran: list[list[str]] = []

    def which(name: str) -> str | None:
        return f"/usr/bin/{name}" if name in programs else None

    def run(command: Sequence[str], **_: object) -> subprocess.CompletedProcess[str]:
        ran.append(list(command))
        if apt_works and "install" in command:
            programs.add("tesseract")
        return subprocess.CompletedProcess(list(command), 0 if apt_works else 100, "", "E: Unable to locate package")

    monkeypatch.setattr(tasks.shutil, "which", which)
    monkeypatch.setattr(tasks.subprocess, "run", run)
    monkeypatch.setattr(tasks.os, "geteuid", lambda: 0 if root else 1000)
    return ran


def test_nothing_happens_when_tesseract_is_installed(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    ran = _machine(monkeypatch, programs={"tesseract", "apt-get"}, root=True, apt_works=True)
    tasks.install_ocr()
    assert ran == [] and capsys.readouterr().out == ""


def test_root_installs_the_debian_packages(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    ran = _machine(monkeypatch, programs={"apt-get"}, root=True, apt_works=True)
    tasks.install_ocr()
    assert ran == [["apt-get", "update"], ["apt-get", "install", "-y", "tesseract-ocr", "tesseract-ocr-eng"]]
    assert capsys.readouterr().out.splitlines() == [
        "+ apt-get install tesseract-ocr tesseract-ocr-eng (Tesseract, OCR of scanned PDF pages)"
    ]


def test_passwordless_sudo_is_used_when_not_root(monkeypatch: pytest.MonkeyPatch) -> None:
    ran = _machine(monkeypatch, programs={"apt-get", "sudo"}, root=False, apt_works=True)
    tasks.install_ocr()
    assert ran[0] == ["sudo", "-n", "true"]
    assert ran[-1][:4] == ["sudo", "-n", "apt-get", "install"]


@pytest.mark.parametrize(("programs", "apt_works"), [(set(), False), ({"apt-get"}, False)])
def test_without_a_way_to_install_it_the_set_up_says_so_and_goes_on(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], programs: set[str], apt_works: bool
) -> None:
    _machine(monkeypatch, programs=programs, root=bool(programs), apt_works=apt_works)
    tasks.install_ocr()  # never raises, never exits
    last = capsys.readouterr().out.splitlines()[-1]
    assert last.startswith("! no Tesseract") and "scanned PDF pages will be reported" in last
