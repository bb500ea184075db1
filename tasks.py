#!/usr/bin/env python3
"""Project tasks, needing nothing but Python 3.11.

    python3 tasks.py run     install into .venv, then run the main job on corpus/ (writes extracted/)
    python3 tasks.py test    install into .venv, then lint, type-check and run the whole test suite
    python3 tasks.py install install only

The virtual environment is rebuilt only when pyproject.toml or
constraints.txt change (a hash of both is kept in .venv/.policylens-installed).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("POLICYLENS_VENV", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".policylens-installed"


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


def install() -> None:
    if sys.version_info[:2] != (3, 11):
        sys.exit(f"policylens needs Python 3.11; this is {sys.version.split()[0]}. Run tasks.py with python3.11.")
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
