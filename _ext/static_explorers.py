"""Sphinx extension: every explorer moves in the online book, with no kernel.

A code cell whose whole source is a call of a registered explorer
(``softmax_explorer()``, with literal keyword arguments at most) gets, after its
output, a static version of that explorer: range inputs and selects, a picture
and a readout, driven by ``static/static-explorers.js`` from frames rendered at
build time by the explorer's own code (:mod:`book.static_frames`). The inert
saved-state view of the widget is hidden in that cell (CSS), so a page shows one
explorer, not two; the notebook itself is unchanged.

Frames are cached in ``_build/.static-explorers`` under a hash of the ``book``
package's source and the explorer's arguments, and rendered in two processes.
"""
from __future__ import annotations

import ast
import base64
import hashlib
import html
import json
import pickle
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

from docutils import nodes
from sphinx.util import logging

logger = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def _source_hash() -> str:
    """A hash of every source file of the book package: any change re-renders every frame."""
    digest = hashlib.sha256()
    for path in sorted((ROOT / "book").rglob("*.py")):
        digest.update(path.relative_to(ROOT).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _render(name: str, kwargs: dict):
    from book.static_frames import render  # imported in the worker: it imports book.explorers, which registers every explorer

    return render(name, **kwargs)


class FrameCache:
    """Static explorers by (name, kwargs), on disk between builds."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.tag = _source_hash()
        self.stats: dict[str, dict] = {}

    def path(self, name: str, kwargs: dict) -> Path:
        key = hashlib.sha256(repr((self.tag, name, sorted(kwargs.items()))).encode()).hexdigest()[:20]
        return self.folder / f"{name}-{key}.pickle"

    def get(self, name: str, kwargs: dict):
        path = self.path(name, kwargs)
        if path.exists():
            return pickle.loads(path.read_bytes())
        result = _render(name, kwargs)
        path.write_bytes(pickle.dumps(result))
        return result

    def prerender(self, names: list[str]) -> None:
        """Render, in parallel, every explorer (default arguments) that is not cached yet."""
        todo = [n for n in names if not self.path(n, {}).exists()]
        if not todo:
            return
        with ProcessPoolExecutor(max_workers=2, mp_context=get_context("spawn")) as pool:
            for name, result in zip(todo, pool.map(_render, todo, [{}] * len(todo))):
                self.path(name, {}).write_bytes(pickle.dumps(result))


def explorer_call(source: str, known) -> tuple[str, dict] | None:
    """(name, kwargs) when ``source`` is exactly one call of a known explorer with literal kwargs."""
    try:
        tree = ast.parse(source.strip())
    except SyntaxError:
        return None
    if len(tree.body) != 1 or not isinstance(tree.body[0], ast.Expr):
        return None
    call = tree.body[0].value
    if not isinstance(call, ast.Call) or call.args:
        return None
    func = call.func
    name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
    if name not in known:
        return None
    try:
        kwargs = {kw.arg: ast.literal_eval(kw.value) for kw in call.keywords}
    except ValueError:
        return None
    return name, kwargs


def _joined(names: list[str]) -> str:
    """"a", "a and b", "a, b and c"."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def note(static) -> str:
    """The line above a static explorer: what moves here, and what stays (in grammatical English)."""
    text = f"Interactive without Python: move {_joined([c.description for c in static.controls])}."
    if static.fixed:
        if len(static.fixed) == 1:
            text += f" Here the control {static.fixed[0]} stays at its starting value;"
        else:
            text += f" Here the controls {_joined(static.fixed)} stay at their starting values;"
        text += " run the notebook to move every control."
    return text


def markup(static, anchor: str = "") -> str:
    """The static explorer's HTML: controls, picture, readout, and its frames as JSON.

    ``anchor`` is the explorer's id on its page (the target of the page's contents
    entry and skip link). A range input's ``aria-valuetext`` is the value shown
    beside it (a screen reader would otherwise say the grid position, 6, for 2.0);
    static/static-explorers.js keeps it up to date.
    """
    e = html.escape
    controls = []
    for c in static.controls:
        if c.kind == "range":
            widget = (f'<input type="range" min="0" max="{len(c.values) - 1}" step="1" value="{c.start}" '
                      f'data-key="{e(c.key)}" aria-label="{e(c.description)}" '
                      f'aria-valuetext="{e(c.labels[c.start])}">'
                      f'<output class="static-explorer-value" aria-hidden="true">{e(c.labels[c.start])}</output>')
        else:
            options = "".join(f'<option value="{i}"{" selected" if i == c.start else ""}>{e(label)}</option>'
                              for i, label in enumerate(c.labels))
            widget = f'<select data-key="{e(c.key)}" aria-label="{e(c.description)}">{options}</select>'
        controls.append(f'<label class="static-explorer-control"><span>{e(c.description)}</span>{widget}</label>')
    start = static.index(tuple(c.start for c in static.controls))
    data = json.dumps(static.to_json()).replace("</", "<\\/")
    picture = base64.b64encode(static.frames[start]).decode("ascii")
    ident = f' id="{e(anchor)}"' if anchor else ""
    return (
        f'<div class="static-explorer"{ident} data-explorer="{e(static.name)}" data-frame="{start}">'
        f'<p class="static-explorer-note">{e(note(static))}</p>'
        f'<div class="static-explorer-controls">{"".join(controls)}</div>'
        f'<img class="static-explorer-picture" alt="{e(static.alt)}" src="data:image/png;base64,{picture}">'
        f'<output class="static-explorer-readout">{static.readouts[start]}</output>'
        f'<script type="application/json" class="static-explorer-data">{data}</script>'
        "</div>"
    )


def contents_label(name: str, section: str) -> str:
    """The explorer's entry in its page's contents.

    The chapters put explorers in sections called "Explore" or "Explorers", which
    say nothing; "Explore: the race, step by step" names one. So: "Explorer: the
    race, step by step", or else the explorer's name ("Explorer: softmax").
    """
    head, _, rest = section.partition(":")
    if head.strip().lower() in ("explore", "explorers", "explorer") and rest.strip():
        return f"Explorer: {rest.strip()}"
    return f"Explorer: {name.removesuffix('_explorer').replace('_', ' ')}"


def _section_title(node) -> str:
    """The title of the innermost section around ``node`` ("" at the top of a page)."""
    while node is not None:
        if isinstance(node, nodes.section) and node.children and isinstance(node[0], nodes.title):
            return node[0].astext()
        node = node.parent
    return ""


def inject(app, doctree) -> None:
    """Add a static version after every explorer cell of a document."""
    from book.explorers import ALL

    explorers: list[tuple[str, str]] = []  # (anchor, contents label), in page order
    for cell in doctree.findall(nodes.container):
        if cell.get("nb_element") != "cell_code":
            continue
        sources = [n for n in cell.findall(nodes.literal_block)]
        if not sources:
            continue
        found = explorer_call(sources[0].astext(), ALL)
        if found is None:
            continue
        name, kwargs = found
        static = app.env.static_explorer_cache.get(name, kwargs)
        size = sum(map(len, static.frames))
        app.env.static_explorer_cache.stats[f"{app.env.docname}:{name}"] = {
            "explorer": name, "page": app.env.docname, "frames": len(static.frames), "bytes": size}
        logger.info(f"static explorer {name} on {app.env.docname}: {len(static.frames)} frames, {size / 1024:.0f} KiB")
        taken = {target for target, _ in explorers}
        anchor = base = f"explorer-{name.removesuffix('_explorer').replace('_', '-')}"
        for n in range(2, 100):
            if anchor not in taken:
                break
            anchor = f"{base}-{n}"
        explorers.append((anchor, contents_label(name, _section_title(cell))))
        cell["classes"].append("has-static-explorer")
        cell.append(nodes.raw("", markup(static, anchor), format="html"))
    if explorers:
        app.env.static_explorer_anchors[app.env.docname] = explorers


def setup_cache(app) -> None:
    from book.explorers import ALL

    cache = FrameCache(Path(app.doctreedir).parent / ".static-explorers")
    cache.prerender(sorted(ALL))
    app.env.static_explorer_cache = cache
    app.env.static_explorer_anchors = {}


def contents_links(app, pagename, templatename, context, doctree) -> None:
    """Let a reader jump to a page's explorers from its top.

    Each explorer gets an entry at the head of the page's contents (the theme's
    "Contents" list, beside the page on a wide screen and in the header's menu on a
    phone; :func:`contents_label`); and ``static_explorers`` in the template
    context gives _templates/layout.html its "Skip to the explorers" link.
    """
    explorers = getattr(app.env, "static_explorer_anchors", {}).get(pagename)
    if not explorers:
        return
    from bs4 import BeautifulSoup

    labelled = []
    for n, (anchor, label) in enumerate(explorers):
        if sum(1 for _, other in explorers[:n] if other == label):
            label += f" ({sum(1 for _, other in explorers[:n + 1] if other == label)})"
        labelled.append((anchor, label))
    context["static_explorers"] = labelled
    toc = BeautifulSoup(context.get("toc") or "", "html.parser")
    top = toc.find("ul")
    # The page title's entry holds the sections: the explorers go first among them.
    title = top.find("li", recursive=False) if top is not None else None
    target = title.find("ul", recursive=False) if title is not None else None
    if target is None:
        return
    for anchor, label in reversed(labelled):
        item = toc.new_tag("li", attrs={"class": "book-explorer-entry"})
        link = toc.new_tag("a", attrs={"class": "reference internal", "href": f"#{anchor}"})
        link.string = label
        item.append(link)
        target.insert(0, item)
    context["toc"] = str(toc)


def report(app, exception) -> None:
    """Write each explorer's frame count and bytes to _build/static-explorers.json."""
    cache = getattr(app.env, "static_explorer_cache", None)
    if exception is None and cache is not None:
        out = Path(app.doctreedir).parent / "static-explorers.json"
        out.write_text(json.dumps(sorted(cache.stats.values(), key=lambda s: (s["page"], s["explorer"])), indent=1))


def setup(app):
    app.connect("builder-inited", setup_cache)
    app.connect("doctree-read", inject)
    app.connect("html-page-context", contents_links)
    app.connect("build-finished", report)
    app.config.html_static_path.append(str(HERE / "static"))
    app.add_js_file("static-explorers.js")
    app.add_css_file("static-explorers.css")
    return {"version": "1.0", "parallel_read_safe": False, "parallel_write_safe": True}
