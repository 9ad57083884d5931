"""book.figcheck: figures built to fail and to pass, and the kernel-side check under strict nbval."""
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from book.figcheck import MIN_PHONE_PX, PHONE_COLUMN_PX, FigureProblems, check_figure, figure_problems, phone_px

ROOT = Path(__file__).resolve().parents[1]


def figure(width=4.0, height=3.0, layout="constrained", **kw) -> Figure:
    fig = Figure(figsize=(width, height), dpi=80, layout=layout, **kw)
    FigureCanvasAgg(fig)
    return fig


def good() -> Figure:
    fig = figure()
    ax = fig.subplots()
    x = np.linspace(0, 1, 50)
    ax.plot(x, x**2, label="x²")
    ax.set(xlabel="x", ylabel="y", title="a parabola")
    ax.legend(loc="upper left")
    return fig


def test_a_plain_figure_passes():
    assert figure_problems(good()) == []
    check_figure(good())  # does not raise


def test_a_title_past_the_edge_is_clipped():
    fig = figure(layout=None)
    fig.subplots().set_title("a title far too long for a figure that is only four inches wide")
    problems = figure_problems(fig, min_px=None)
    assert any("title 'a title far too long" in p and "runs past the right edge by" in p for p in problems), problems
    assert any("runs past the left edge" in p for p in problems), problems


def test_tight_saving_grows_the_picture_instead_of_clipping():
    fig = figure(layout=None)
    fig.subplots().set_title("a title far too long for a figure that is only four inches wide")
    problems = figure_problems(fig, tight=True, min_px=None)
    assert not any("runs past" in p for p in problems), problems


def test_text_boxes_that_overlap():
    fig = figure()
    ax = fig.subplots()
    ax.text(0.5, 0.5, "first note", transform=ax.transAxes)
    ax.text(0.52, 0.5, "second note", transform=ax.transAxes)
    problems = figure_problems(fig)
    assert any("text 'first note' overlaps" in p and "text 'second note'" in p for p in problems), problems


def test_crowded_tick_labels_overlap():
    fig = figure(width=2.0, height=2.0)
    ax = fig.subplots()
    ax.set_xticks(np.arange(10), [f"label {k}" for k in range(10)])
    problems = figure_problems(fig, min_px=None)
    assert any("x tick label 'label 0' overlaps" in p for p in problems), problems


def test_a_legend_that_covers_the_data_when_a_corner_is_free():
    fig = figure()
    ax = fig.subplots()
    x = np.linspace(0, 1, 100)
    ax.plot(x, 0.8 + 0.2 * x, label="a line near the top right")
    ax.set(ylim=(0, 1))
    ax.legend(loc="upper right")
    problems = figure_problems(fig)
    assert any("legend covers" in p and "at 'lower" in p and "it would cover 0" in p for p in problems), problems
    ax.legend(loc="lower right")
    assert not any("legend covers" in p for p in figure_problems(fig)), figure_problems(fig)


def test_a_legend_over_a_tick_label():
    fig = figure()
    ax = fig.subplots()
    ax.plot([0, 1], [0, 1], label="line")
    ax.legend(loc="upper left", bbox_to_anchor=(-0.15, 0.6))
    problems = figure_problems(fig)
    assert any("y tick label" in p and "overlaps" in p and "legend" in p for p in problems), problems


def test_phone_size_is_the_scaled_point_size():
    # 10 pt in a 10-inch figure shown 360 px wide: 10 · 360 / 720 = 5 CSS px, whatever the dpi.
    assert phone_px(10, 10, 80) == pytest.approx(5.0)
    assert phone_px(10, 10, 200) == pytest.approx(5.0)
    # A 4-inch figure at 80 dpi is 320 px: it keeps its size, 10 pt = 10 · 80/72 px.
    assert phone_px(10, 4, 80) == pytest.approx(100 / 9)
    assert phone_px(10, 4, 80, column_px=160) == pytest.approx(10 * 160 / (72 * 4))


def test_small_text_on_a_phone():
    fig = figure(width=10.0)
    fig.subplots().set(xlabel="x", title="wide")
    problems = figure_problems(fig)
    assert any(p.startswith("text too small on a phone") and "5.0 CSS px" in p for p in problems), problems
    assert not any("too small" in p for p in figure_problems(fig, min_px=None))
    width = 10 * PHONE_COLUMN_PX / (72 * MIN_PHONE_PX)  # the widest figure where 10-point text passes
    fig = figure(width=width - 0.01)
    fig.subplots().set(xlabel="x", title="narrow enough")
    assert figure_problems(fig) == []


def test_check_figure_raises_with_the_list():
    fig = figure(layout=None)
    fig.subplots().set_title("a title far too long for a figure that is only four inches wide")
    with pytest.raises(FigureProblems, match=r"problem\(s\) in the figure:\n- .*runs past"):
        check_figure(fig, min_px=None)


def test_bad_arguments_are_refused():
    with pytest.raises(TypeError, match="fig must be a matplotlib Figure"):
        figure_problems("figure")
    with pytest.raises(ValueError, match="column_px must be"):
        figure_problems(good(), column_px=0)
    with pytest.raises(ValueError, match="min_px must be"):
        figure_problems(good(), min_px=-1)
    with pytest.raises(ValueError, match="tol must be"):
        figure_problems(good(), tol=-1)
    with pytest.raises(TypeError, match="width_in must be"):
        phone_px(10, "wide", 80)


# --- the kernel-side check: tools/ipython_kernel_config.py loads book.figcheck under nbval ---------

# The inline backend saves with bbox_inches="tight", so nothing is clipped there: overlap instead.
OVERLAP = "fig, ax = plt.subplots(figsize=(4, 3))\nax.text(0.5, 0.5, 'first note')\nax.text(0.52, 0.5, 'second note')"
CELLS = {
    "imports": "import matplotlib.pyplot as plt",
    "good": "fig, ax = plt.subplots(figsize=(4, 3), layout='constrained')\nax.plot([0, 1], [0, 1])\n"
            "ax.set(xlabel='x', ylabel='y', title='fine')\nplt.show()",
    "bad": f"{OVERLAP}\nplt.show()",
    "left open": OVERLAP,  # shown by the inline backend at the end of the cell
    "wide": "fig, ax = plt.subplots(figsize=(10, 3), layout='constrained')\nax.plot([0, 1], [0, 1])\n"
            "ax.set(xlabel='x', ylabel='y', title='wide: 10-point text at 5 CSS px on a phone')\nplt.show()",
}


@pytest.fixture(scope="module")
def nbval_run(tmp_path_factory):
    """Strict nbval of a notebook of CELLS with BOOK_FIGURE_CHECK=1: (returncode, output).

    The kernel reads the repository's tools/ipython_kernel_config.py (from a profile in a
    temporary IPYTHONDIR), as the venv's kernels read their copy of it. The figure cells are
    tagged nbval-ignore-output, as explorer cells are: the check must fail them all the same.
    """
    folder = tmp_path_factory.mktemp("figcheck")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source, metadata={} if key == "imports" else
                                          {"tags": ["nbval-ignore-output"]}) for key, source in CELLS.items()]
    nbformat.write(nb, folder / "figures.ipynb")
    profile = folder / "ipython" / "profile_default"
    profile.mkdir(parents=True)
    shutil.copy(ROOT / "tools" / "ipython_kernel_config.py", profile / "ipython_kernel_config.py")
    # -rN: no short test summary. Under CI (CI or BUILD_NUMBER set) pytest does not shorten that
    # summary's lines, and each failure's whole message, its traceback included, is printed twice.
    (folder / "pytest.ini").write_text("[pytest]\naddopts = -p no:cacheprovider -p no:randomly -rN\n")
    env = dict(os.environ, IPYTHONDIR=str(folder / "ipython"), BOOK_FIGURE_CHECK="1",
               PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    run = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:anyio", "--nbval", "--nbval-current-env", "-v",
                          "figures.ipynb"], cwd=folder, env=env, capture_output=True, text=True, timeout=300)
    return run.returncode, run.stdout + run.stderr


def test_nbval_fails_a_bad_figure_with_the_check_on(nbval_run):
    code, out = nbval_run
    assert code != 0, out
    assert "::Cell 1 PASSED" in out, out
    assert "::Cell 2 FAILED" in out and "::Cell 3 FAILED" in out and "::Cell 4 FAILED" in out, out
    # Each failure is the check's, not an error of the cell's own code: IPython heads each
    # traceback with the exception's name.
    raised = re.findall(r"(\w+)\s+Traceback \(most recent call last\)", re.sub(r"\x1b\[[0-9;]*m", "", out))
    assert raised == ["FigureProblems"] * 3, (raised, out)
    assert "text 'first note' overlaps axes 1 text 'second note'" in out, out
    assert "text too small on a phone" in out and "CSS px (< 8) on a 360 px column" in out, out


def kernel_extensions(value: str | None) -> list[str]:
    """The extensions tools/ipython_kernel_config.py gives a kernel with BOOK_FIGURE_CHECK=value."""
    from traitlets.config import Config

    config = Config()
    saved = os.environ.pop("BOOK_FIGURE_CHECK", None)
    try:
        if value is not None:
            os.environ["BOOK_FIGURE_CHECK"] = value
        code = (ROOT / "tools" / "ipython_kernel_config.py").read_text()
        exec(compile(code, "ipython_kernel_config.py", "exec"), {"get_config": lambda: config})
    finally:
        os.environ.pop("BOOK_FIGURE_CHECK", None)
        if saved is not None:
            os.environ["BOOK_FIGURE_CHECK"] = saved
    return list(config.InteractiveShellApp.get("extensions", []))


def test_only_the_check_turns_the_check_on():
    """A reader's kernel (the variable unset), and the passes that check numbers only (0), load nothing."""
    assert kernel_extensions("1") == ["book.figcheck"]
    assert kernel_extensions(None) == [] and kernel_extensions("0") == [] and kernel_extensions("") == []
