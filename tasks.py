#!/usr/bin/env python3
"""Project tasks, needing nothing but Python 3.11.

    python3 tasks.py run     install into .venv, then run the main job on corpus/ (writes extracted/)
    python3 tasks.py test    install into .venv, then lint, type-check and run the whole test suite
    python3 tasks.py install install only

The virtual environment is rebuilt only when pyproject.toml or
constraints.txt change (a hash of both is kept in .venv/.policylens-installed).
Tesseract (OCR of scanned PDF pages, optional) is installed from Debian's packages
when it is missing and apt-get can be run (as root or with passwordless sudo);
otherwise scanned pages are reported, and the set-up goes on.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("POLICYLENS_VENV", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".policylens-installed"
OCR_PACKAGES = ["tesseract-ocr", "tesseract-ocr-eng"]


def _run(*args: str | Path) -> None:
    print("+", " ".join(str(a) for a in args), flush=True)
    completed = subprocess.run([str(a) for a in args], cwd=ROOT, check=False)
    if completed.returncode != 0:
        sys.exit(completed.returncode)


def _wanted() -> str:
    digest = hashlib.sha256()
    for name in ("pyproject.toml", "constraints.txt"):
        digest.update((ROOT / name).read_bytes())
    return digest.hexdigest()


def _apt_prefix() -> list[str] | None:
    """How apt-get can be run here: as root ([]), through passwordless sudo, or not at all (None)."""
    if shutil.which("apt-get") is None:
        return None
    if os.name == "posix" and os.geteuid() == 0:
        return []
    if shutil.which("sudo") is None:
        return None
    try:
        asked = subprocess.run(["sudo", "-n", "true"], capture_output=True, check=False, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return ["sudo", "-n"] if asked.returncode == 0 else None


def debian_tool(binary: str, packages: list[str]) -> tuple[str | None, str]:
    """A system program, installed from Debian's packages when missing: its path, or None and why not.

    Shared with the test suite (tests/conftest.py), which installs Chromium and Tesseract the same way.
    """
    found = shutil.which(binary)
    if found is not None:
        return found, ""
    prefix = _apt_prefix()
    if prefix is None:
        return None, "apt-get needs root or passwordless sudo"
    environment = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in ([*prefix, "apt-get", "update"], [*prefix, "apt-get", "install", "-y", *packages]):
        try:
            done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=900, env=environment)
        except (OSError, subprocess.TimeoutExpired) as error:
            return None, f"{' '.join(command)}: {error}"
        if done.returncode != 0:
            return None, f"{' '.join(command)}: {done.stderr.strip()[-2000:]}"
    found = shutil.which(binary)
    return found, "" if found else f"{binary} is not on PATH after installing {', '.join(packages)}"


def install_ocr() -> None:
    """Tesseract for OCR of scanned PDF pages: optional, so it never stops the set-up."""
    if shutil.which("tesseract") is not None:
        return
    if _apt_prefix() is not None:
        print(f"+ apt-get install {' '.join(OCR_PACKAGES)} (Tesseract, OCR of scanned PDF pages)", flush=True)
    found, why = debian_tool("tesseract", OCR_PACKAGES)
    if found is None:
        reason = " ".join(why.split())[-300:]  # one line, however long apt-get's complaint
        print(f"! no Tesseract ({reason}): scanned PDF pages will be reported, not read by OCR", flush=True)


def install() -> None:
    if sys.version_info[:2] != (3, 11):
        sys.exit(f"policylens needs Python 3.11; this is {sys.version.split()[0]}. Run tasks.py with python3.11.")
    install_ocr()
    if STAMP.is_file() and STAMP.read_text() == _wanted():
        return
    if not (BIN / "python").exists():
        print(f"+ creating {VENV}", flush=True)
        venv.create(VENV, with_pip=True, clear=True)
    python = BIN / "python"
    _run(python, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    _run(python, "-m", "pip", "install", "--quiet", "-c", "constraints.txt", "-e", ".[dev,embeddings]")
    STAMP.write_text(_wanted())


def run() -> None:
    install()
    _run(BIN / "policylens", "build", "corpus", "--out", "extracted")


def test() -> None:
    install()
    _run(BIN / "ruff", "check", "src", "tests", "benchmarks", "tasks.py")
    _run(BIN / "ruff", "format", "--check", "src", "tests", "benchmarks", "tasks.py")
    _run(BIN / "mypy")
    _run(BIN / "lint-imports")
    _run(BIN / "python", "-m", "pytest", *sys.argv[2:])


TASKS = {"install": install, "run": run, "test": test}

if __name__ == "__main__":
    task = sys.argv[1] if len(sys.argv) > 1 else ""
    if task not in TASKS:
        sys.exit(f"usage: python3 tasks.py {{{'|'.join(TASKS)}}}")
    TASKS[task]()
