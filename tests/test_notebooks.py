"""notebooks/: stored without outputs, and each runs top to bottom (small)."""

import pathlib

import pytest

NOTEBOOKS = sorted((pathlib.Path(__file__).parent.parent / "notebooks").glob("*.ipynb"))
CELL_TIMEOUT = 300  # seconds; quick mode needs a few, a stuck kernel fails here

nbformat = pytest.importorskip("nbformat", reason="pip install -e '.[test]'")


def test_every_lecture_program_has_a_notebook():
    names = {path.stem for path in NOTEBOOKS}
    assert {"hello_world", "multiply_matrices", "quadratic_fit",
            "mantle_stability", "image_demo", "representations"} <= names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_notebook_is_stored_without_outputs(path):
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.source[:60]


@pytest.mark.notebook
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_notebook_runs_in_quick_mode(path, monkeypatch):
    nbclient = pytest.importorskip("nbclient", reason="pip install -e '.[test]'")
    if path.stem == "image_demo":
        pytest.importorskip("skimage", reason='pip install -e ".[demo]"')

    # The kernel inherits this environment: the setup cell reads the flag,
    # and Agg keeps plt.show() from looking for a display.
    monkeypatch.setenv("LECTURE1_QUICK", "1")
    monkeypatch.setenv("MPLBACKEND", "Agg")
    notebook = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(notebook, timeout=CELL_TIMEOUT,
                                     kernel_name="python3",
                                     resources={"metadata": {"path": str(path.parent)}})
    client.execute()

    # The last code cell of each lecture notebook compares with our scripts
    # and raises if they differ; reaching here means they agreed.
    errors = [output for cell in notebook.cells if cell.cell_type == "code"
              for output in cell.outputs if output.output_type == "error"]
    assert errors == []
