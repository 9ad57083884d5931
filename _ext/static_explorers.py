"""Sphinx extension: every explorer moves in the online book, with no kernel.

A code cell whose whole source is a call of a registered explorer
(``softmax_explorer()``, with literal keyword arguments at most) gets, after its
input, a static version of that explorer: range inputs and selects, a picture
and a readout, driven by ``static/static-explorers.js`` from frames rendered at
build time by the explorer's own code (:mod:`book.static_frames`). The static
version is the online explorer: the cell's saved widget view (which needs a
kernel to move) is dropped from the page, and with it the page's saved widget
state when no other widget view is left, so no widget manager loads; the
notebook itself is unchanged, and its widgets stay live in Jupyter and Voila.
The note above the static version links to the page's launch buttons (Binder,
Colab) for moving every control.

Frames are files of their own, ``_static/explorers/<name>-<key>/<n>.webp``
(lossless WebP of the palette-quantised frames: the same pixels, 20-25 % smaller
than the PNGs; ``_build/static-explorers.json`` gives both sizes), fetched when
the explorer comes near the viewport and cached by the browser; the starting
frame is inline, so the page shows a picture at once. They are cached in
``_build/.static-explorers`` under a hash of the ``book`` package's source, the
frame format and the explorer's arguments, and rendered in two processes.
"""
from __future__ import annotations

import ast
import base64
import hashlib
import html
import io
import json
import pickle
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

from docutils import nodes
from sphinx.locale import get_translation
from sphinx.util import logging

logger = logging.getLogger(__name__)
#: The text a reader sees, through the book's own catalogue (locales/<language>/LC_MESSAGES/book.po,
#: registered by _ext/translation.py): the English as written, or the Chinese edition's.
translate = get_translation("book")

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

#: How frames are stored and served; part of the cache key (a change re-encodes every frame).
FRAME_FORMAT = "webp-lossless-m2"
FRAME_MIME = "image/webp"
#: Where the frames go in the built site, under _static/.
FRAMES_DIR = "explorers"
#: Replaced, when the page is written, by the page's launch links (tools/book_site.py's buttons).
LAUNCH_PLACEHOLDER = "<!--static-explorer-launch-links-->"
LAUNCHERS = ("Binder", "Colab", "JupyterHub")
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def _source_hash() -> str:
    """A hash of every source file of the book package: any change re-renders every frame."""
    digest = hashlib.sha256()
    for path in sorted((ROOT / "book").rglob("*.py")):
        digest.update(path.relative_to(ROOT).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def webp(png: bytes) -> bytes:
    """A palette PNG frame as lossless WebP: the same pixels in fewer bytes.

    Effort 2 of 6 (``method``): about 35 ms a frame for 20 % fewer bytes than the PNG; 4 saves 3 %
    more in twice the time, 6 about nothing more in a hundred times the time.
    """
    from PIL import Image

    out = io.BytesIO()
    Image.open(io.BytesIO(png)).convert("RGB").save(out, format="webp", lossless=True, quality=100, method=2)
    return out.getvalue()


def _render(name: str, kwargs: dict):
    """The explorer's static version with its frames as WebP; ``png_bytes`` keeps the PNGs' size."""
    from book.static_frames import render  # imported in the worker: it imports book.explorers, which registers every explorer

    static = render(name, **kwargs)
    static.png_bytes = sum(map(len, static.frames))
    static.frames = [webp(frame) for frame in static.frames]
    return static


class FrameCache:
    """Static explorers by (name, kwargs), on disk between builds."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.tag = _source_hash()
        self.stats: dict[str, dict] = {}

    def key(self, name: str, kwargs: dict) -> str:
        """What the frames of ``name`` built with ``kwargs`` depend on, as 20 hex digits."""
        return hashlib.sha256(repr((self.tag, FRAME_FORMAT, name, sorted(kwargs.items()))).encode()).hexdigest()[:20]

    def path(self, name: str, kwargs: dict) -> Path:
        return self.folder / f"{name}-{self.key(name, kwargs)}.pickle"

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
    """"a", "a and b", "a, b and c" (in the edition's language)."""
    if len(names) == 1:
        return names[0]
    return translate("{items} and {last}").format(items=translate(", ").join(names[:-1]), last=names[-1])


def note(static) -> str:
    """The line above a static explorer: what moves here, what stays (in grammatical English, or
    the edition's language), and where every control moves: the notebook, through the page's
    launch links (HTML, escaped). The controls' names are the explorer's own (in English)."""
    e = html.escape
    text = translate("Interactive without Python: move {controls}.").format(
        controls=e(_joined([c.description for c in static.controls])))
    if static.fixed:
        if len(static.fixed) == 1:
            text += translate(" Here the control {control} stays at its starting value.").format(
                control=e(static.fixed[0]))
        else:
            text += translate(" Here the controls {controls} stay at their starting values.").format(
                controls=e(_joined(static.fixed)))
        text += translate(" To move every control, run the notebook{launch_links}.").format(
            launch_links=LAUNCH_PLACEHOLDER)
    else:
        text += translate(" To run the explorer's own code, open the notebook{launch_links}.").format(
            launch_links=LAUNCH_PLACEHOLDER)
    return text


def _size(frame: bytes) -> tuple[int, int]:
    from PIL import Image

    return Image.open(io.BytesIO(frame)).size


def frame_files(static, key: str) -> list[str]:
    """The frames' paths under _static/ (``explorers/<name>-<key>/<n>.webp``)."""
    return [f"{FRAMES_DIR}/{static.name}-{key}/{n}.webp" for n in range(len(static.frames))]


def write_frames(static, key: str, static_dir: Path) -> None:
    """Write the frames into the built site's _static/ (once per build and explorer)."""
    for path, frame in zip(frame_files(static, key), static.frames):
        target = static_dir / path
        if not target.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(frame)


def markup(static, anchor: str = "", frames: str = "", key: str = "") -> str:
    """The static explorer's HTML: controls, picture (the starting frame, inline), readout, and
    as JSON the controls, the readouts and where the frames are.

    ``anchor`` is the explorer's id on its page (the target of the page's contents
    entry and skip link). ``frames`` is the URL of the site's _static/ from the
    page (``../_static/``), ``key`` the frames' folder key (:func:`frame_files`).
    A range input's ``aria-valuetext`` is the value shown beside it (a screen
    reader would otherwise say the grid position, 6, for 2.0);
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
    data = {**static.to_json(), "frames": [frames + path for path in frame_files(static, key)]}
    data = json.dumps(data).replace("</", "<\\/")
    picture = base64.b64encode(static.frames[start]).decode("ascii")
    width, height = _size(static.frames[start])
    ident = f' id="{e(anchor)}"' if anchor else ""
    return (
        f'<div class="static-explorer"{ident} data-explorer="{e(static.name)}" data-frame="{start}">'
        f'<p class="static-explorer-note">{note(static)}</p>'
        f'<div class="static-explorer-controls">{"".join(controls)}</div>'
        f'<img class="static-explorer-picture" alt="{e(static.alt)}" width="{width}" height="{height}" '
        f'src="data:{FRAME_MIME};base64,{picture}">'
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
    head, colon, rest = section.replace("\uff1a", ":").partition(":")
    heads = {word.lower() for word in ("explore", "explorers", "explorer",
                                        translate("Explore"), translate("Explorers"))}
    if colon and head.strip().lower() in heads and rest.strip():
        return translate("Explorer: {title}").format(title=rest.strip())
    return translate("Explorer: {title}").format(title=name.removesuffix("_explorer").replace("_", " "))


def _section_title(node) -> str:
    """The title of the innermost section around ``node`` ("" at the top of a page)."""
    while node is not None:
        if isinstance(node, nodes.section) and node.children and isinstance(node[0], nodes.title):
            return node[0].astext()
        node = node.parent
    return ""


def _is_widget_view(node) -> bool:
    return isinstance(node, nodes.raw) and WIDGET_VIEW in node.astext()


def drop_widget_state(env, docname: str) -> None:
    """Forget the page's saved widget state and widget scripts (MyST-NB writes them from the
    notebook's metadata into every page whose notebook saved any, whatever nb_ipywidgets_js says)."""
    files = getattr(env, "nb_metadata", {}).get(docname, {}).get("js_files", {})
    for key in [k for k in files if k.startswith("ipywidgets_")]:
        del files[key]


def inject(app, doctree) -> None:
    """Put a static version in place of the saved widget view of every explorer cell of a document."""
    from book.explorers import ALL

    cache = app.env.static_explorer_cache
    docname = app.env.docname
    to_static = "../" * docname.count("/") + "_static/"
    explorers: list[tuple[str, str]] = []  # (anchor, contents label), in page order
    for cell in list(doctree.findall(nodes.container)):
        if cell.get("nb_element") != "cell_code":
            continue
        sources = [n for n in cell.findall(nodes.literal_block)]
        if not sources:
            continue
        found = explorer_call(sources[0].astext(), ALL)
        if found is None:
            continue
        name, kwargs = found
        static = cache.get(name, kwargs)
        key = cache.key(name, kwargs)
        write_frames(static, key, Path(app.outdir, "_static"))
        size = sum(map(len, static.frames))
        cache.stats[f"{docname}:{name}"] = {
            "explorer": name, "page": docname, "frames": len(static.frames), "bytes": size,
            "format": FRAME_FORMAT, "png_bytes": getattr(static, "png_bytes", None)}
        logger.info(f"static explorer {name} on {docname}: {len(static.frames)} frames, {size / 1024:.0f} KiB")
        taken = {target for target, _ in explorers}
        anchor = base = f"explorer-{name.removesuffix('_explorer').replace('_', '-')}"
        for n in range(2, 100):
            if anchor not in taken:
                break
            anchor = f"{base}-{n}"
        explorers.append((anchor, contents_label(name, _section_title(cell))))
        for output in [child for child in cell.children if child.get("nb_element") == "cell_code_output"]:
            cell.remove(output)  # the saved widget view: the static version below replaces it
        cell["classes"].append("has-static-explorer")
        cell.append(nodes.raw("", markup(static, anchor, to_static, key), format="html"))
    if explorers:
        app.env.static_explorer_anchors[docname] = explorers
        if not any(True for _ in doctree.findall(_is_widget_view)):
            drop_widget_state(app.env, docname)


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


def _launch_links(buttons) -> list[tuple[str, str]]:
    """(text, url) of every launch button (Binder, Colab, JupyterHub) in the theme's header."""
    found = []
    for button in buttons:
        if button.get("type") == "group":
            found += _launch_links(button.get("buttons", []))
        elif button.get("text") in LAUNCHERS and button.get("url"):
            found.append((button["text"], button["url"]))
    return found


def fill_launch_links(app, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Replace each note's placeholder with this page's launch links (after the theme made them)."""
    body = context.get("body", "")
    if LAUNCH_PLACEHOLDER not in body:
        return
    links = _launch_links(context.get("header_buttons", []))
    text = ""
    if links:
        anchors = translate(" or ").join(
            f'<a class="reference external" href="{html.escape(url)}">{html.escape(text)}</a>'
            for text, url in links
        )
        text = translate(" (launch this chapter on {links}, also in the rocket menu at the top)").format(
            links=anchors)
    context["body"] = body.replace(LAUNCH_PLACEHOLDER, text)


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
    # After sphinx-book-theme's own handlers (priority 500), which make the header buttons.
    app.connect("html-page-context", fill_launch_links, priority=510)
    app.connect("build-finished", report)
    app.config.html_static_path.append(str(HERE / "static"))
    app.add_js_file("static-explorers.js")
    app.add_css_file("static-explorers.css")
    return {"version": "1.0", "parallel_read_safe": False, "parallel_write_safe": True}
