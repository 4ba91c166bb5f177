"""The notebooks: committed clean, thin, and run top to bottom in a real Jupyter kernel.

Each runs in a copy of the project's ``notebooks/`` and ``data/`` folders under a
temporary directory, so what a notebook writes (the budget CSV) never lands in the
working tree.
"""

import ast
import shutil
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
#: What each notebook must leave behind, beside it, after a run.
#: What each notebook writes beside itself; any other new file there is a failure
#: (notebook 5 writes its forecast to a temporary folder).
WRITES = {
    "3-budget.ipynb": ["budget-2027.csv", "budget-2027-de.csv", "budget-2027.xlsx"],
}


def test_the_notebooks_are_there():
    assert [p.name for p in NOTEBOOKS] == [
        "1-capacity-planning.ipynb",
        "2-relinquish-timing.ipynb",
        "3-budget.ipynb",
        "4-warmup-and-managed.ipynb",
        "5-from-the-account.ipynb",
        "6-plans-and-the-whole-bill.ipynb",
        "7-forecast-from-history.ipynb",
    ]


def code_cells(path):
    return [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_without_outputs(path):
    for cell in code_cells(path):
        assert cell.outputs == [], f"{path.name}: a cell was committed with its output"
        assert cell.execution_count is None


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_defines_no_code_of_its_own(path):
    # A function or class a notebook needs belongs in planner, where it is tested.
    for cell in code_cells(path):
        for node in ast.walk(ast.parse(cell.source)):
            assert not isinstance(
                node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda
            ), f"{path.name} defines {type(node).__name__} in:\n{cell.source}"
    sources = "\n".join(c.source for c in code_cells(path))
    assert "import planner" in sources


@pytest.fixture
def workspace(tmp_path, monkeypatch):
    """A copy of notebooks/ and data/, and a kernel that shows figures inline."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.copytree(ROOT / "notebooks", tmp_path / "notebooks",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "*.csv"))  # fmt: skip
    # The tests draw with Agg; a kernel must use the inline backend to show figures.
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    monkeypatch.setenv("JUPYTER_PLATFORM_DIRS", "1")
    return tmp_path / "notebooks"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_runs_top_to_bottom_and_shows_a_figure(path, workspace):
    notebook = nbformat.read(workspace / path.name, as_version=4)
    before = {p.name for p in workspace.iterdir()}
    client = NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(workspace)}},
    )
    client.execute()  # raises CellExecutionError, with the cell and traceback, on an error
    outputs = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    figures = [o for o in outputs if "image/png" in o.get("data", {})]
    assert figures, f"{path.name} shows no figure"
    for name in WRITES.get(path.name, []):
        assert (workspace / name).is_file(), f"{path.name} did not write {name}"
    written = {p.name for p in workspace.iterdir()} - before
    assert written <= set(WRITES.get(path.name, [])), f"{path.name} wrote {sorted(written)}"
