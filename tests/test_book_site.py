"""The book's Sphinx extensions: the Markdown download, lazy images, the icon subset and the source
maps (tools/book_site.py), and the static explorers' launch links (_ext/static_explorers.py)."""
import sys
from pathlib import Path

import nbformat
from hypothesis import given, strategies as st
from myst_nb.core.read import is_myst_markdown_notebook, read_myst_markdown_notebook

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "_ext"))
import book_site  # noqa: E402
import static_explorers  # noqa: E402


def notebook(cells):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    nb.cells = cells
    return nb


def as_myst(nb, tmp_path):
    path = tmp_path / "chapter.ipynb"
    nbformat.write(nb, path)
    return book_site.notebook_as_myst(path)


def test_markdown_download_reads_back_as_the_same_notebook(tmp_path):
    code = nbformat.v4.new_code_cell("x = 1\nprint(f'{x:.1f}')", metadata={"tags": ["nbval-ignore-output"]})
    code.outputs = [nbformat.v4.new_output("stream", text="1.0\n")]
    nb = notebook([
        nbformat.v4.new_markdown_cell("(ch-x)=\n# A title\n\nSome $x^2$ math."),
        code,
        nbformat.v4.new_code_cell("```not a fence```\ny = 2"),
        nbformat.v4.new_markdown_cell("```{exercise}\n:label: ex-x\n\nDo it.\n```"),
    ])
    text = as_myst(nb, tmp_path)
    assert is_myst_markdown_notebook(text)
    back = read_myst_markdown_notebook(text)
    assert [(c.cell_type, c.source) for c in back.cells] == [(c.cell_type, c.source) for c in nb.cells]
    assert back.cells[1].metadata["tags"] == ["nbval-ignore-output"]
    assert "1.0" not in text.split("print")[1]  # outputs are left out
    assert back.metadata["kernelspec"]["name"] == "python3"


@given(st.lists(st.tuples(st.sampled_from(["code", "markdown", "raw"]),
                          st.text(st.sampled_from("ab `\n$#{}"), min_size=1, max_size=30)
                          # The reader trims blank edges and reads a leading ":" or "---" as cell options.
                          .filter(lambda s: s.strip() and s == s.strip() and "+++" not in s
                                  and not s.startswith(("---", "```", ":")))),
                min_size=1, max_size=5))
def test_cells_survive_any_backticks(cells):
    """Every cell comes back whole and in its place, however many backticks its source holds."""
    import tempfile

    make = {"code": nbformat.v4.new_code_cell, "markdown": nbformat.v4.new_markdown_cell,
            "raw": nbformat.v4.new_raw_cell}
    nb = notebook([make[kind](src) for kind, src in cells])
    with tempfile.TemporaryDirectory() as folder:
        text = as_myst(nb, Path(folder))
    back = read_myst_markdown_notebook(text)
    assert [(c.cell_type, c.source) for c in back.cells] == [(c.cell_type, c.source) for c in nb.cells]


def test_launch_links_found_in_the_theme_buttons():
    buttons = [
        {"type": "group", "label": "launch-buttons", "buttons": [
            {"type": "link", "text": "Binder", "url": "https://mybinder.org/v2/gh/o/r/main?urlpath=x"},
            {"type": "link", "text": "Colab", "url": "https://colab.research.google.com/github/o/r/blob/main/x"},
        ]},
        {"type": "link", "text": ".ipynb", "url": "../_sources/x.ipynb"},
    ]
    assert static_explorers._launch_links(buttons) == [
        ("Binder", "https://mybinder.org/v2/gh/o/r/main?urlpath=x"),
        ("Colab", "https://colab.research.google.com/github/o/r/blob/main/x"),
    ]
    context = {"body": f"<p>run the notebook{static_explorers.LAUNCH_PLACEHOLDER}.</p>", "header_buttons": buttons}
    static_explorers.fill_launch_links(None, "p", "page.html", context, None)
    assert 'on <a class="reference external" href="https://mybinder.org/v2/gh/o/r/main?urlpath=x">Binder</a> or' \
        in context["body"]


def test_note_without_launch_buttons_still_reads():
    context = {"body": f"<p>To move every control, run the notebook{static_explorers.LAUNCH_PLACEHOLDER}.</p>",
               "header_buttons": []}
    static_explorers.fill_launch_links(None, "p", "page.html", context, None)
    assert static_explorers.LAUNCH_PLACEHOLDER not in context["body"]
    assert "run the notebook.</p>" in context["body"]


def test_every_image_but_the_first_loads_lazily():
    context = {"body": '<img src="a.png"><p>x</p><img alt="b" src="b.png"/><img loading="eager" src="c.png">'
                       '<img class="static-explorer-picture" src="data:image/webp;base64,AA">'}
    book_site.lazy_images(None, "p", "page.html", context, None)
    assert context["body"] == ('<img src="a.png"><p>x</p><img loading="lazy" decoding="async" alt="b" src="b.png"/>'
                               '<img loading="eager" src="c.png">'
                               '<img class="static-explorer-picture" src="data:image/webp;base64,AA">')


def test_icon_code_points_read_from_the_theme_css():
    css = '.fa-bars:before,.fa-navicon:before{content:"\\f0c9"}.fa-github:before{content:"\\f09b"}.x{color:red}'
    assert book_site.icon_codepoints(css) == {"fa-bars": 0xF0C9, "fa-navicon": 0xF0C9, "fa-github": 0xF09B}


def test_source_map_comments_are_removed():
    for tail in (b"\n//# sourceMappingURL=x.js.map", b"\n/*# sourceMappingURL=x.css.map */\n"):
        assert book_site.SOURCE_MAP_COMMENT.sub(b"\n", b"body{}" + tail) == b"body{}\n"
    assert book_site.SOURCE_MAP_COMMENT.sub(b"\n", b"var a = 1;\n") == b"var a = 1;\n"


def test_css_glyphs_are_the_theme_own_not_the_icon_classes():
    css = ('.fa-bars:before{content:"\\f0c9"}.onthispage:after{content:"\\f107"}'
           '--pst-icon-github:"\uf09b";.x{color:red}')
    assert book_site.css_glyphs(css) == {0xF107, 0xF09B}
