"""What fits on the screen: code at 1280 px, and every page on a 390 px phone.

* At 1280 px, no code block (a code cell, a literalinclude) and no printed output
  scrolls sideways: each one's longest line fits its box. A failure lists the page,
  the cell, the characters needed and the characters the column holds, so that the
  chapters can be formatted to fit (ruff's line length). The column's width is
  printed for every page (``column:``): how many monospace characters a code cell
  and an output show.
* On a 390 x 844 phone (conftest.py's ``open_phone_page``): the page is no wider
  than the screen; nothing in the article reaches past its right edge or is cut off
  there, except inside a box that scrolls; every math box that scrolls (display
  math, and inline math wider than the column) shows the cue at its overflowing
  edge (book.js marks it, book.css fades it); every static explorer's picture is as
  wide as the column.
"""
from __future__ import annotations

import pytest

from book_pages import EDITION, toc_pages

PAGES = toc_pages()

# Every <pre> of the article. A hidden one (a solution not opened yet) is measured
# in characters against the column of the same kind of box (code or output).
CODE_REPORT = """() => {
  const article = document.querySelector("article.bd-article") || document.body;
  const cells = Array.from(article.querySelectorAll(".cell"));
  const charWidth = pre => {
    const probe = document.createElement("span");
    probe.textContent = "0".repeat(100);
    probe.style.cssText = "position:absolute;visibility:hidden;white-space:pre";
    pre.appendChild(probe);
    const width = probe.getBoundingClientRect().width / 100;
    probe.remove();
    return width;
  };
  const boxes = Array.from(article.querySelectorAll("pre")).map(pre => {
    const cell = pre.closest(".cell");
    const kind = pre.closest(".cell_output") ? "output" : "code";
    const where = cell ? `cell ${cells.indexOf(cell) + 1} (${kind})`
      : `code block ${Array.from(article.querySelectorAll("pre")).indexOf(pre) + 1} (${pre.closest("section")?.querySelector("h1, h2, h3")?.textContent.replace("#", "").trim() || "page"})`;
    const lines = pre.textContent.replace(/\\n$/, "").split("\\n");
    const longest = lines.reduce((a, b) => (b.length > a.length ? b : a), "");
    const style = getComputedStyle(pre);
    const padding = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
    const visible = pre.clientWidth > 0;
    const cw = charWidth(pre);
    return {where, kind, visible, longest: longest.length, text: longest.trim().slice(0, 50),
            columns: visible && cw ? Math.floor((pre.clientWidth - padding) / cw) : null,
            overflow: visible ? pre.scrollWidth - pre.clientWidth : 0};
  });
  return boxes;
}"""

# On the phone: the page's width, what reaches past the right edge outside a
# scrolling box (or is cut off by a box that does not scroll), the math boxes
# that scroll and whether each shows its cue, and the explorer pictures' widths.
PHONE_REPORT = """() => {
  const vw = document.documentElement.clientWidth;
  const article = document.querySelector("article.bd-article") || document.body;
  const name = el => el.tagName.toLowerCase() + (el.className && typeof el.className === "string"
    ? "." + el.className.trim().split(/\\s+/).slice(0, 2).join(".") : "");
  const text = el => (el.querySelector("mjx-assistive-mml") || el).textContent.trim().replace(/\\s+/g, " ").slice(0, 60);
  const past = [], cut = [];
  for (const el of article.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.right <= vw + 1 || el.closest("mjx-assistive-mml")) continue;
    let clip = null;
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== "visible") { clip = up; break; }
    }
    if (clip === null) { if (!past.some(p => p.el.contains(el))) past.push({el, right: box.right}); continue; }
    const style = getComputedStyle(clip).overflowX;
    if ((style === "hidden" || style === "clip") && box.right > clip.getBoundingClientRect().right + 1
        && !cut.some(c => c.el.contains(el) || c.clip === clip)) cut.push({el, clip, right: box.right});
  }
  const math = Array.from(document.querySelectorAll("div.math mjx-container, span.math"))
    .filter(box => box.scrollWidth > box.clientWidth + 1 && getComputedStyle(box).overflowX !== "visible")
    .map(box => ({what: box.matches("span.math") ? "inline math" : "display math", text: text(box),
                  scrolls: ["auto", "scroll"].includes(getComputedStyle(box).overflowX),
                  cue: box.classList.contains("book-scrolls-right") && getComputedStyle(box).maskImage !== "none",
                  width: box.scrollWidth}));
  const pictures = Array.from(document.querySelectorAll(".static-explorer")).map(root => {
    const img = root.querySelector("img.static-explorer-picture");
    return {name: root.dataset.explorer, width: Math.round(img.getBoundingClientRect().width),
            column: Math.round(root.getBoundingClientRect().width)};
  });
  return {vw, scrollWidth: document.scrollingElement.scrollWidth,
          past: past.slice(0, 10).map(p => `${name(p.el)} "${text(p.el)}" ends at ${Math.round(p.right)} px`),
          cut: cut.slice(0, 10).map(c => `${name(c.el)} "${text(c.el)}" cut off by ${name(c.clip)} at ${Math.round(c.clip.getBoundingClientRect().right)} px`),
          math, pictures};
}"""


@pytest.mark.skipif(bool(EDITION), reason="the Chinese edition's code cells and outputs are the English "
                    "edition's, in the same font and column: checked at 1280 px there")
@pytest.mark.parametrize("name", PAGES)
def test_code_fits_at_1280(open_page, name):
    visit = open_page(name)
    boxes = visit.page.evaluate(CODE_REPORT)
    columns = {}
    for kind in ("code", "output"):
        widths = [box["columns"] for box in boxes if box["kind"] == kind and box["columns"]]
        if widths:
            columns[kind] = min(widths)
    print(f"{name}: column: " + ", ".join(f"{kind} {n} characters" for kind, n in columns.items()))
    problems = []
    for box in boxes:
        if box["visible"]:
            if box["overflow"] > 0:
                problems.append(f"{box['where']}: a {box['longest']}-character line in a {box['columns']}-character "
                                f"column (scrolls {box['overflow']} px): {box['text']!r}")
        elif box["kind"] in columns and box["longest"] > columns[box["kind"]]:
            problems.append(f"{box['where']} (hidden): a {box['longest']}-character line, the column holds "
                            f"{columns[box['kind']]}: {box['text']!r}")
    longest = max((box["longest"] for box in boxes), default=0)
    assert not problems, (f"{name}: {len(problems)} of {len(boxes)} code blocks and outputs scroll sideways at "
                          f"1280 px (longest line {longest} characters):\n  " + "\n  ".join(problems))


@pytest.mark.parametrize("name", PAGES)
def test_fits_a_phone(open_phone_page, screenshot, name):
    visit = open_phone_page(name)
    report = visit.page.evaluate(PHONE_REPORT)
    problems = []
    if report["scrollWidth"] > report["vw"]:
        problems.append(f"the page is {report['scrollWidth']} px wide on a {report['vw']} px screen")
    problems += [f"past the right edge: {item}" for item in report["past"]]
    problems += [f"cut off: {item}" for item in report["cut"]]
    for box in report["math"]:
        if not box["scrolls"]:
            problems.append(f"{box['what']} {box['text']!r} is {box['width']} px wide and does not scroll")
        elif not box["cue"]:
            problems.append(f"{box['what']} {box['text']!r} scrolls with no cue at its right edge")
    for picture in report["pictures"]:
        if picture["width"] < picture["column"] - 2:
            problems.append(f"explorer {picture['name']}: picture {picture['width']} px wide in a "
                            f"{picture['column']} px column")
    problems += [f"console error: {message}" for message in visit.console_errors]
    print(f"{name}: {len(report['math'])} math boxes scroll, all with a cue" if not problems else "")
    if problems:
        problems.append(f"screenshot: {screenshot(visit)}")
    assert not problems, f"{name} at 390 px:\n  " + "\n  ".join(problems)
