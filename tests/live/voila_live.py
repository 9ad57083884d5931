"""Serve notebooks with Voilà and drive their explorers in Chromium: the pieces of the live test.

* :func:`explorer_cells` finds the explorer calls in a chapter (the cells the
  chapter convention allows: only ``registered_name(...)``);
* :func:`explorer_notebook` writes what Voilà serves: each chapter's setup
  cells (up to the one importing its explorers) and explorer cells, as the
  chapter has them, one chapter after another in one notebook (one kernel). The
  rest of a chapter does not run a third time here: nbval has just run every
  cell twice, explorer cells included;
* :class:`VoilaServer` starts Voilà in its own process session on a free local
  port and stops it, and every kernel it started, by their ids;
* :class:`KernelWatch` reads the kernel's websocket, where an exception raised
  in a widget callback shows up (and nowhere else: not in the page, the console
  or the server log);
* :func:`drive_explorer` moves each control of one explorer as a reader would
  and times every step from the key press to the new picture in the page.
"""
from __future__ import annotations

import ast
import json
import os
import re
import signal
import socket
import statistics
import struct
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import numpy as np
import psutil

ROOT = Path(__file__).resolve().parents[2]
#: The chapters under test; BOOK_LIVE_CHAPTERS (a folder) points at others, to try the test out.
CHAPTERS = sorted(Path(os.environ.get("BOOK_LIVE_CHAPTERS", ROOT / "chapters")).resolve().glob("*.ipynb"))
#: A notebook whose explorer raises in its callback: the live test must see it fail.
BROKEN = Path(__file__).with_name("broken_explorer.ipynb")
VOILA = Path(sys.executable).parent / "voila"
#: The notebook Voilà serves: every chapter's explorers (:func:`explorer_notebook`).
LIVE_NOTEBOOK = ROOT / "_build" / "live" / "explorers.ipynb"

#: Where the step times go (read by `make bench`); BOOK_LIVE_RESULTS points elsewhere.
RESULTS = Path(os.environ.get("BOOK_LIVE_RESULTS", ROOT / "benchmarks" / "results" / "live.json"))
#: Steps per explorer, shared among its sliders (at least MIN_STEPS each).
STEPS = int(os.environ.get("BOOK_LIVE_STEPS", "24"))
MIN_STEPS = 3
#: Upper bounds (seconds); every wait ends as soon as its condition holds.
SERVER_TIMEOUT = 60
STEP_TIMEOUT = 20
#: After the kernel has gone idle, how long a step may still take to show its result.
SETTLE = 1.0
#: At the end of an explorer, once the kernel has finished every request the page sent: how long no
#: further message may arrive (output the kernel forwards from its stderr comes a moment after).
QUIET = 0.25

#: The only outside requests a Voilà page makes: the template's Font Awesome style sheets.
EXPECTED_OUTSIDE = re.compile(r"^https://cdn\.jsdelivr\.net/npm/@fortawesome/fontawesome-free@[^/]+/css/"
                              r"(all|v4-shims)\.min\.css$")
#: Kernel stderr that is Voilà's own doing: the page closes a comm the kernel never opened.
BENIGN_STDERR = re.compile(r"^(No such comm: [0-9a-f-]+\n)+$")
ANSI = re.compile(r"\x1b\[[0-9;]*m")

#: An explorer in the page: the VBox of book.widgets.Explorer (controls grid, picture, readout).
EXPLORER_BOX = ".widget-vbox:has(> .widget-gridbox):has(> img.widget-image)"


def explorer_cells(notebook: Path, registered) -> list[str]:
    """The registered explorers a notebook calls, in order: code cells that are one call ``name(...)``."""
    return [ast.parse(cell.source).body[0].value.func.id
            for cell in nbformat.read(notebook, as_version=4).cells
            if cell.cell_type == "code" and _is_explorer_call(cell.source, registered)]


def _is_explorer_call(source: str, registered) -> bool:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return False
    return (len(tree.body) == 1 and isinstance(tree.body[0], ast.Expr)
            and isinstance(tree.body[0].value, ast.Call)
            and isinstance(tree.body[0].value.func, ast.Name)
            and tree.body[0].value.func.id in registered)


def explorer_notebook(chapters: dict[Path, list[str]], path: Path = LIVE_NOTEBOOK) -> Path:
    """Write ``path``: for each chapter in turn, its code cells up to the one that imports its
    explorers (``book.explorers``), then its explorer cells, unchanged and in order. One notebook,
    so one kernel starts (a kernel's start, imports included, is most of a page's load)."""
    from book.explorers import ALL

    cells = []
    for chapter in chapters:
        code = [cell for cell in nbformat.read(chapter, as_version=4).cells if cell.cell_type == "code"]
        setup = next((i for i, cell in enumerate(code) if "book.explorers" in cell.source), None)
        if setup is None:
            raise ValueError(f"{chapter.name} calls explorers but no code cell imports book.explorers")
        cells.append(nbformat.v4.new_markdown_cell(f"## {chapter.stem}"))
        cells += [nbformat.v4.new_code_cell(cell.source) for cell in code[:setup + 1]]
        cells += [nbformat.v4.new_code_cell(cell.source) for cell in code[setup + 1:]
                  if _is_explorer_call(cell.source, ALL)]
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nbformat.v4.new_notebook(cells=cells, metadata={"kernelspec": {
        "display_name": "Python 3", "language": "python", "name": "python3"}}), path)
    return path


def chapters_with_explorers() -> dict[Path, list[str]]:
    """Every chapter that calls at least one registered explorer: notebook → explorer names."""
    import book.explorers  # noqa: F401  (registers every explorer)
    from book.explorers import ALL

    found = {nb: explorer_cells(nb, ALL) for nb in CHAPTERS}
    return {nb: names for nb, names in found.items() if names}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class VoilaServer:
    """Voilà over ``root`` on a free local port, in its own process session.

    Stopping it terminates its session by id, which makes Voilà shut its kernels
    down; any kernel still alive afterwards (each runs in its own process group)
    is terminated by its id, and :attr:`leftovers` names what had to be.
    """

    def __init__(self, root: Path, log: Path):
        self.root = root
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.leftovers: list[str] = []
        self._log_file = open(log, "w")
        self.process = subprocess.Popen(
            [str(VOILA), str(root), "--no-browser", f"--port={self.port}", "--port_retries=0",
             "--Voila.ip=127.0.0.1", "--show_tracebacks=True"],
            cwd=root, stdout=self._log_file, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            self._wait_for_port()
        except BaseException:
            self.stop()
            raise

    def _wait_for_port(self) -> None:
        deadline = time.monotonic() + SERVER_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Voilà exited with code {self.process.returncode}; log:\n{self.log_text()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"Voilà did not open port {self.port} within {SERVER_TIMEOUT} s; log:\n{self.log_text()}")

    def url(self, notebook: Path) -> str:
        return f"{self.base}/voila/render/{notebook.relative_to(self.root).as_posix()}"

    def log_text(self) -> str:
        self._log_file.flush()
        return self.log.read_text(errors="replace")[-4000:]

    def stop(self) -> None:
        try:
            kernels = self.process_tree()
        except psutil.NoSuchProcess:
            kernels = []
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
                self.leftovers.append(f"voila {self.process.pid} (killed)")
        gone, alive = psutil.wait_procs(kernels, timeout=15)
        for proc in alive:
            self.leftovers.append(f"{proc.pid} {' '.join(proc.cmdline()[:3])}")
            proc.terminate()
        psutil.wait_procs(alive, timeout=10)
        self._log_file.close()

    def process_tree(self) -> list[psutil.Process]:
        """Every process Voilà started (its kernels), found by parent id."""
        return psutil.Process(self.process.pid).children(recursive=True)


def decode_frame(payload) -> dict | None:
    """A kernel websocket frame as {channel, msg_type, msg_id, parent_id, content}: JSON text, or
    the v1 binary protocol."""
    try:
        if isinstance(payload, str):
            msg = json.loads(payload)
            header, parent, content = msg.get("header", {}), msg.get("parent_header") or {}, msg.get("content")
            channel = msg.get("channel")
        else:
            count = struct.unpack_from("<Q", payload, 0)[0]
            offsets = struct.unpack_from(f"<{count}Q", payload, 8)
            part = [payload[offsets[i]:offsets[i + 1]] for i in range(min(count - 1, 5))]
            channel, header, parent, content = (part[0].decode(), json.loads(part[1]),
                                                json.loads(part[2]) or {}, json.loads(part[4]))
        return {"channel": channel, "msg_type": header["msg_type"], "msg_id": header.get("msg_id"),
                "parent_id": parent.get("msg_id"), "content": content or {}}
    except (ValueError, KeyError, IndexError, AttributeError, struct.error):
        return None


@dataclass
class KernelWatch:
    """What the kernel said on its websocket: errors, when it last went idle, and which of the
    page's requests it has not finished yet (no idle status with that request as its parent)."""

    errors: list[str] = field(default_factory=list)
    busy_at: float = 0.0
    idle_at: float = 0.0
    frame_at: float = 0.0
    frames: int = 0
    pending: set[str] = field(default_factory=set)

    def attach(self, page) -> None:
        page.on("websocket", self._on_websocket)

    def _on_websocket(self, ws) -> None:
        if "/api/kernels/" in ws.url:
            ws.on("framereceived", self._on_frame)
            ws.on("framesent", self._on_sent)

    def _on_sent(self, payload) -> None:
        msg = decode_frame(payload)
        if msg is not None and msg["channel"] == "shell" and msg["msg_id"]:
            self.pending.add(msg["msg_id"])

    def _on_frame(self, payload) -> None:
        msg = decode_frame(payload)
        self.frames += 1
        self.frame_at = time.monotonic()
        if msg is None:
            self.errors.append("undecodable frame on the kernel websocket")
            return
        kind, content = msg["msg_type"], msg["content"]
        if kind == "status":
            state = content.get("execution_state")
            if state == "busy":
                self.busy_at = time.monotonic()
            elif state == "idle":
                self.idle_at = time.monotonic()
                self.pending.discard(msg["parent_id"])
        elif kind == "error" or content.get("status") == "error":
            trace = ANSI.sub("", "\n".join(content.get("traceback", [])))
            self.errors.append(f"{content.get('ename')}: {content.get('evalue')}\n{trace[-1500:]}")
        elif kind == "stream" and content.get("name") == "stderr" and not BENIGN_STDERR.match(content.get("text", "")):
            self.errors.append(f"stderr: {content.get('text', '')[-1500:]}")

    def quiet_since(self, moment: float) -> bool:
        """The kernel went busy and then idle after ``moment``, and has stayed idle for SETTLE seconds."""
        return (self.busy_at > moment and self.idle_at >= self.busy_at
                and time.monotonic() - self.idle_at > SETTLE)

    def settle(self, timeout: float = STEP_TIMEOUT) -> None:
        """Wait until the kernel has finished every request the page sent and QUIET seconds have
        passed with no message from it (its last messages are in)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if (not self.pending and self.idle_at >= self.busy_at
                    and time.monotonic() - max(self.idle_at, self.frame_at) > QUIET):
                return
            time.sleep(0.05)


# Arms a one-shot watch on one explorer: the step is done when its picture has
# loaded a new src, or when its readout changed and no new picture followed
# within a grace period. Times are taken in the page, from the key press (or
# from arming, for a drop-down) to the img's load event (or the readout's
# mutation). Returns the focused slider handle's value and range, if any.
ARM = """([box, grace]) => {
  const img = box.querySelector(':scope > img.widget-image');
  const html = box.querySelector(':scope > .widget-html .widget-html-content');
  const src0 = img.getAttribute('src');
  const text0 = html ? html.innerHTML : null;
  const armed = performance.now();
  let key = null, textAt = null, graceTimer = null;
  const onKey = () => { if (key === null) key = performance.now(); };
  const step = window.__bookStep = {result: null, waiters: []};
  const finish = (what, at) => {
    if (step.result !== null) return;
    document.removeEventListener('keydown', onKey, true);
    img.removeEventListener('load', onLoad);
    observer.disconnect();
    clearTimeout(graceTimer);
    step.result = {what, ms: at - (key ?? armed)};
    step.waiters.forEach(resolve => resolve(step.result));
  };
  const onLoad = () => { if (img.getAttribute('src') !== src0) finish('picture', performance.now()); };
  const observer = new MutationObserver(() => {
    if (textAt === null && html.innerHTML !== text0) {
      textAt = performance.now();
      graceTimer = setTimeout(() => finish('readout', textAt), grace);
    }
  });
  document.addEventListener('keydown', onKey, true);
  img.addEventListener('load', onLoad);
  if (html) observer.observe(html, {childList: true, subtree: true, characterData: true});
  const handle = document.activeElement;
  if (!handle || !handle.classList.contains('noUi-handle')) return null;
  return ['aria-valuenow', 'aria-valuemin', 'aria-valuemax'].map(a => parseFloat(handle.getAttribute(a)));
}"""

# The step's result, or null if none came within `ms` (the caller then asks the kernel).
WAIT = """ms => new Promise(resolve => {
  const step = window.__bookStep;
  if (step.result !== null) return resolve(step.result);
  step.waiters.push(resolve);
  setTimeout(() => resolve(null), ms);
})"""


@dataclass
class ControlReport:
    description: str
    kind: str
    steps: int = 0
    changed: int = 0


@dataclass
class ExplorerReport:
    name: str
    controls: list[ControlReport] = field(default_factory=list)
    times_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def summary(self) -> dict:
        t = self.times_ms
        return {
            "steps": len(t),
            "median_ms": round(statistics.median(t), 1) if t else None,
            "p95_ms": round(float(np.percentile(t, 95)), 1) if t else None,
            "max_ms": round(max(t), 1) if t else None,
            "controls": {c.description: {"kind": c.kind, "steps": c.steps, "changed": c.changed}
                         for c in self.controls},
        }


def _step(page, box, kernel: KernelWatch, act) -> dict:
    """Arm the watch, do ``act(value_range)``, and wait for the new picture or readout (or for nothing to come).

    ``value_range`` is the focused slider's (value, min, max), or None.
    """
    value_range = page.evaluate(ARM, [box, int(SETTLE * 1000)])
    pressed = time.monotonic()
    act(value_range)
    deadline = pressed + STEP_TIMEOUT
    while True:
        result = page.evaluate(WAIT, 250)
        if result is not None:
            return result
        if kernel.quiet_since(pressed):
            return page.evaluate(WAIT, 0) or {"what": "nothing", "ms": None}
        if time.monotonic() > deadline:
            return {"what": "timeout", "ms": None}


def _label(control) -> str:
    text = control.locator(".widget-label").first.inner_text().strip()
    return text or "(unlabelled)"


def drive_explorer(page, box, name: str, kernel: KernelWatch, steps: int = STEPS) -> ExplorerReport:
    """Move every slider of one explorer with the arrow keys, pick every drop-down option; time each step."""
    report = ExplorerReport(name)
    errors_before = len(kernel.errors)
    sliders = box.locator(":scope > .widget-gridbox > .widget-slider")
    dropdowns = box.locator(":scope > .widget-gridbox > .widget-dropdown")
    per_slider = max(MIN_STEPS, -(-steps // max(sliders.count(), 1)))
    box_handle = box.element_handle()
    for i in range(sliders.count()):
        slider = sliders.nth(i)
        handle = slider.locator(".noUi-handle").first
        control = ControlReport(_label(slider), "slider")
        report.controls.append(control)
        handle.focus()
        key = "ArrowRight"

        def press(value_range):
            """One arrow key on the focused handle, turning back at either end of the range."""
            nonlocal key
            if value_range is None:  # the handle lost the focus
                handle.focus()
            else:
                now, lo, hi = value_range
                key = "ArrowLeft" if now >= hi else "ArrowRight" if now <= lo else key
            page.keyboard.press(key)

        for _ in range(per_slider):
            result = _step(page, box_handle, kernel, press)
            control.steps += 1
            if result["what"] in ("picture", "readout"):
                control.changed += 1
                report.times_ms.append(result["ms"])
            elif result["what"] == "timeout":
                report.errors.append(f"{name}: a step of {control.description!r} got no answer "
                                     f"within {STEP_TIMEOUT} s")
                break
    for i in range(dropdowns.count()):
        select = dropdowns.nth(i).locator("select")
        control = ControlReport(_label(dropdowns.nth(i)), "dropdown")
        report.controls.append(control)
        values = select.evaluate("s => Array.from(s.options).map(o => o.value)")
        start = select.input_value()
        for value in [v for v in values if v != start] + [start]:
            result = _step(page, box_handle, kernel, lambda _vr: select.select_option(value))
            control.steps += 1
            control.changed += result["what"] in ("picture", "readout")
    kernel.settle()
    for control in report.controls:
        if control.steps and not control.changed:
            report.errors.append(f"{name}: moving {control.description!r} ({control.steps} steps) "
                                 "changed neither the picture nor the readout")
    report.errors += [f"{name}: kernel error while driving it: {e}" for e in kernel.errors[errors_before:]]
    return report
