"""Every notebook runs top to bottom in a fresh kernel and writes its story's figures."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient

from policylens.figures import NOTEBOOK_FIGURES

from .conftest import ROOT

NOTEBOOKS = ROOT / "notebooks"
KERNEL = "python3"


def test_every_notebook_is_known_and_committed_without_outputs() -> None:
    found = sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb"))
    assert found == sorted(NOTEBOOK_FIGURES)
    for name in found:
        notebook = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
        for cell in notebook.cells:
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None, (
                    f"{name}: clear the outputs before committing"
                )


def test_the_kernel_is_this_environments_python() -> None:
    # ipykernel's own "python3" spec names plain `python`, which jupyter_client runs as sys.executable;
    # a stray spec elsewhere on the machine (another Python) would shadow it
    spec = KernelSpecManager().get_kernel_spec(KERNEL)
    command = KernelManager(kernel_name=KERNEL).format_kernel_cmd()
    assert spec.argv[0] in {"python", "python3", sys.executable}
    assert command[0] == sys.executable


@pytest.fixture(scope="module")
def outputs_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the committed text outputs, so the notebooks' figures do not touch extracted/."""
    folder = tmp_path_factory.mktemp("outputs")
    for table in (ROOT / "extracted").glob("*.csv"):
        shutil.copy(table, folder)
    return folder


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(NOTEBOOK_FIGURES))
def test_notebook_runs_and_writes_its_figures(name: str, outputs_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POLICYLENS_OUTPUTS", str(outputs_copy))  # the kernel inherits this process's environment
    monkeypatch.setenv("MPLBACKEND", "Agg")
    notebook = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    client = NotebookClient(notebook, kernel_name=KERNEL, timeout=120, resources={"metadata": {"path": str(NOTEBOOKS)}})
    client.execute()
    errors = [o for c in notebook.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
    images = [o for c in notebook.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
    assert len(images) == len(NOTEBOOK_FIGURES[name])
    for figure in NOTEBOOK_FIGURES[name]:
        path = outputs_copy / "figures" / f"{figure}.png"
        assert path.is_file() and path.read_bytes().startswith(b"\x89PNG"), figure
