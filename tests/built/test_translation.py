"""The Chinese edition in the built site (_build/html/zh_CN/, _ext/translation.py).

Every page of the table of contents has its Chinese page, in Chinese (``lang``), linked both ways
by the language switch; the edition shares the English edition's files instead of copying them,
and every file its pages name exists; it adds at most 3 MB to the site; its search finds Chinese
words (交叉熵 finds the cross-entropy chapter, which jieba's own dictionary would split).
"""
from __future__ import annotations

import json
from pathlib import Path
import re
from urllib.parse import urljoin, urlparse

import pytest

from book_pages import HTML, toc_pages

ZH = HTML / "zh_CN"
PAGES = toc_pages()
#: The most the Chinese edition may add to the site (issue 18).
EDITION_BYTES = 3_000_000
LOCAL = re.compile(r"""(?:src|href)="(?!https?:|data:|mailto:|#|javascript:)([^"#?]+)""")


@pytest.fixture(scope="module", autouse=True)
def built():
    if not (ZH / "index.html").is_file():
        pytest.fail("_build/html/zh_CN/index.html is missing: run `make book` first")


def html_of(path):
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("page", PAGES)
def test_every_page_has_its_chinese_page_linked_both_ways(page):
    english, chinese = HTML / f"{page}.html", ZH / f"{page}.html"
    assert chinese.is_file(), f"no Chinese page for {page}"
    zh, en = html_of(chinese), html_of(english)
    assert '<html lang="zh-CN"' in zh and '<html lang="en"' in en
    assert re.search(r"[\u4e00-\u9fff]{4}", re.sub(r"<[^>]+>", "", zh.split('<article', 1)[-1]))
    for source, text, target in ((english, en, chinese), (chinese, zh, english)):
        switch = re.search(r'<a class="[^"]*book-language-switch[^"]*" href="([^"]+)"', text)
        assert switch, f"{source.relative_to(HTML)} has no language switch"
        landed = (source.parent / switch.group(1)).resolve()
        assert landed == target.resolve(), f"{source.relative_to(HTML)}'s switch leads to {landed}"


def test_the_edition_shares_the_english_files():
    assert not (ZH / "_static" / "explorers").exists(), "the frames are copied into zh_CN/"
    assert not (ZH / "_images").exists() or not any((ZH / "_images").iterdir()), "the figures are copied"
    missing = []
    for page in ZH.rglob("*.html"):
        for ref in set(LOCAL.findall(html_of(page))):
            target = urlparse(urljoin(page.as_uri(), ref)).path
            if not Path(target).exists():
                missing.append(f"{page.relative_to(HTML)} → {ref}")
    assert not missing, f"{len(missing)} references to missing files: {missing[:8]}"
    frames = re.findall(r'"frames": \["([^"]+)"', html_of(ZH / "chapters" / "02-softmax.html"))
    assert frames and frames[0].startswith("../../_static/explorers/"), frames[:1]


def test_the_edition_is_small():
    size = sum(f.stat().st_size for f in ZH.rglob("*") if f.is_file())
    assert size <= EDITION_BYTES, f"the Chinese edition adds {size / 1e6:.2f} MB"


def test_chinese_search_finds_chinese_words():
    text = html_of(ZH / "searchindex.js")
    index = json.loads(text[text.index("(") + 1:text.rindex(")")])
    found = {}
    for word in ("交叉熵", "指数族", "逻辑回归", "反向传播"):
        hits = []
        for kind in ("titleterms", "terms"):
            entry = index[kind].get(word, [])
            hits += [index["docnames"][i] for i in (entry if isinstance(entry, list) else [entry])]
        found[word] = hits
    assert "chapters/03-cross-entropy" in found["交叉熵"], found
    assert "chapters/04-exponential-families" in found["指数族"], found
    assert all(found.values()), found


def test_chinese_pages_name_a_cjk_font():
    css = (HTML / "_static" / "book.css").read_text(encoding="utf-8")
    rule = re.search(r'html\[lang\|="zh"\]\s*\{[^}]*--pst-font-family-base:([^;]+);', css)
    assert rule and "Noto Sans CJK SC" in rule.group(1) and "Microsoft YaHei" in rule.group(1)
