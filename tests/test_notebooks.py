"""The notebooks run top to bottom on the bundled corpus, are stored without
outputs, and use the public API only.

They are executed with nbclient (a Jupyter kernel, as a person would run them),
from the ``notebooks/`` folder so their relative ``../corpus`` paths hold.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
# notebook -> how many figures it must show
FIGURES = {
    "01-quickstart.ipynb": 0,
    "02-decision-history.ipynb": 4,
    "03-case-trajectories.ipynb": 1,
}
TIMEOUT = 300
# "referat_nlp._x", "from referat_nlp.analysis.frames import _typed", "frames._builder"
RE_PRIVATE = re.compile(r"\b(?:referat_nlp|frames|plots|history|index)\._\w|import _\w")


def read(name: str) -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOKS / name, as_version=4)


def code(notebook: nbformat.NotebookNode) -> list[str]:
    return [cell.source for cell in notebook.cells if cell.cell_type == "code"]


def test_every_notebook_is_listed() -> None:
    assert sorted(p.name for p in NOTEBOOKS.glob("*.ipynb")) == sorted(FIGURES)


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_stored_without_outputs(name: str) -> None:
    notebook = read(name)
    nbformat.validate(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], cell.source[:60]
            assert cell.execution_count is None, cell.source[:60]


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_public_api_only(name: str) -> None:
    source = "\n".join(code(read(name)))
    assert "referat_nlp" in source
    assert not RE_PRIVATE.search(source)
    assert "/work/" not in source and "shared" not in source


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_runs_top_to_bottom(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JUPYTER_PLATFORM_DIRS", "1")
    notebook = read(name)
    client = NotebookClient(
        notebook,
        timeout=TIMEOUT,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    )
    client.execute()  # raises CellExecutionError on the first failing cell
    outputs = [out for cell in notebook.cells for out in cell.get("outputs", [])]
    assert not [out for out in outputs if out.output_type == "error"]
    figures = [out for out in outputs if "image/png" in out.get("data", {})]
    assert len(figures) == FIGURES[name]
    cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert all(cell.execution_count for cell in cells)
