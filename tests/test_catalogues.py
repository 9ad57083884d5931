"""The Chinese edition's message catalogues (locales/zh_CN/LC_MESSAGES/*.po) are complete and keep
the English text's markup.

Complete: every message has a translation, none is fuzzy (a guess ``make catalogues`` made from a
changed English sentence) and none is obsolete (a sentence the English book no longer has). The
strict Chinese build then fails on any English sentence a catalogue does not cover
(``_ext/translation.py``), so a changed sentence fails until its translation follows.

Markup: a translation keeps the message's math, inline code, link targets, footnotes,
placeholders and cross-references exactly (a reference's shown text may change: ``{term}`交叉熵
<cross-entropy>```); only words inside ``\\text{...}`` in math may be translated. A message left
in English must be a name or a formula (at most one Latin word), not a sentence.
"""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from book_pages import toc_pages

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "locales" / "zh_CN" / "LC_MESSAGES"
CATALOGUES = sorted(LOCALE.rglob("*.po"))

CJK = re.compile(r"[\u3400-\u9fff]")
DISPLAY_MATH = re.compile(r"\$\$.*?\$\$", re.S)
INLINE_MATH = re.compile(r"(?<![\\$])\$(?!\$)(?:\\.|[^$\\])+?\$")
TEXT_IN_MATH = re.compile(r"\\(?:text|textrm|mbox)\{[^{}]*\}")
ROLE = re.compile(r"\{([a-z:-]+)\}`([^`]*)`")
CODE = re.compile(r"(?<![`}])(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.S)
LINK = re.compile(r"\]\(([^)\s]+)\)")
FOOTNOTE = re.compile(r"\[\^([^\]]+)\]")
PLACEHOLDER = re.compile(r"(?<![\w$\\])\{([a-z_]+)\}(?!`)")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'-]+")


def messages(path: Path):
    with path.open("rb") as f:
        catalogue = read_po(f, locale="zh_CN", abort_invalid=True)
    return catalogue, [m for m in catalogue if m.id]


def math_of(text: str) -> list[str]:
    """The message's math, with the words of ``\\text{...}`` taken out (they may be translated)."""
    found = DISPLAY_MATH.findall(text) + INLINE_MATH.findall(DISPLAY_MATH.sub(" ", text))
    return sorted(TEXT_IN_MATH.sub(r"\\text{}", m) for m in found)


def without_math(text: str) -> str:
    return INLINE_MATH.sub(" ", DISPLAY_MATH.sub(" ", text))


def role_target(name: str, content: str) -> tuple[str, str]:
    target = re.search(r"<([^<>]+)>\s*$", content)
    return name, (target.group(1) if target else content).strip()


def markup(text: str, display_math: bool) -> dict[str, list]:
    """What a translation must keep of ``text``."""
    if display_math:
        return {"math": [TEXT_IN_MATH.sub(r"\\text{}", text).strip()]}
    prose = without_math(text)
    roles = sorted(role_target(name, content) for name, content in ROLE.findall(prose))
    bare = ROLE.sub(" ", prose)
    return {
        "math": math_of(text),
        "references": roles,
        "code": sorted(code for _, code in CODE.findall(bare)),
        "links": sorted(LINK.findall(bare)),
        "footnotes": sorted(FOOTNOTE.findall(bare)),
        "placeholders": sorted(PLACEHOLDER.findall(CODE.sub(" ", bare))),
    }


def is_display_math(message) -> bool:
    """A math block's content (MyST gives it as the message, starting with a new line)."""
    return message.id.startswith("\n")


def latin_words(text: str) -> int:
    prose = CODE.sub(" ", ROLE.sub(" ", without_math(text)))
    return len(LATIN_WORD.findall(LINK.sub("", prose)))


def test_every_page_has_a_catalogue():
    expected = {f"{page}.po" for page in toc_pages()} | {"sphinx.po", "book.po"}
    found = {path.relative_to(LOCALE).as_posix() for path in CATALOGUES}
    assert expected <= found, f"no catalogue for: {sorted(expected - found)}"
    assert found <= expected, f"catalogues of no page: {sorted(found - expected)}"


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.relative_to(LOCALE).as_posix())
def test_catalogue_is_complete(path):
    catalogue, entries = messages(path)
    assert entries, f"{path.name} holds no message"
    assert not catalogue.obsolete, f"obsolete messages (no longer in the English book): {list(catalogue.obsolete)[:5]}"
    fuzzy = [m.id[:80] for m in entries if m.fuzzy]
    assert not fuzzy, f"{len(fuzzy)} fuzzy messages (check the translation, then drop the flag): {fuzzy[:5]}"
    missing = [m.id[:80] for m in entries if not (m.string or "").strip()]
    assert not missing, f"{len(missing)} messages without a translation: {missing[:5]}"


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.relative_to(LOCALE).as_posix())
def test_translations_keep_the_markup(path):
    _, entries = messages(path)
    problems = []
    for m in entries:
        if not (m.string or "").strip():
            continue  # test_catalogue_is_complete reports it
        wanted, got = markup(m.id, is_display_math(m)), markup(m.string, is_display_math(m))
        for kind in wanted:
            if Counter(map(str, wanted[kind])) != Counter(map(str, got[kind])):
                problems.append(f"{kind} differ in {m.id[:70]!r}:\n    English: {wanted[kind]}\n    Chinese: {got[kind]}")
    assert not problems, f"{len(problems)} translations change the markup:\n" + "\n".join(problems[:8])


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.relative_to(LOCALE).as_posix())
def test_english_left_only_in_names_and_formulas(path):
    _, entries = messages(path)
    english = [m.id[:80] for m in entries
               if (m.string or "").strip() and not is_display_math(m) and not CJK.search(m.string)
               and latin_words(m.string) > 1]
    assert not english, f"{len(english)} messages left in English: {english[:5]}"


def test_the_checks_can_fail():
    """The markup check sees a changed formula, a dropped reference and a changed link."""
    english = "The {term}`softmax` of $o$ is in [the docs](https://example.org) `code`."
    assert markup(english, False) == markup("$o$ 的 {term}`softmax 函数 <softmax>` 见[文档](https://example.org) `code`。", False)
    assert markup(english, False) != markup("$o_1$ 的 {term}`softmax` 见[文档](https://example.org) `code`。", False)
    assert markup(english, False) != markup("$o$ 的 softmax 见[文档](https://example.org) `code`。", False)
    assert markup(english, False) != markup("$o$ 的 {term}`softmax` 见[文档](https://example.com) `code`。", False)
    assert markup("\nx\\qquad\\text{or}\\qquad y\n", True) == markup("\nx\\qquad\\text{或}\\qquad y\n", True)
    assert latin_words("Newton's method") == 2 and latin_words("XOR") == 1


def test_a_sentence_is_translated_alike_everywhere():
    """A message that several catalogues hold (the book's title: intro.po and book.po) has one
    translation (a glossary term adds its English name: 牛顿法（Newton's method）)."""
    seen: dict[str, dict[str, str]] = {}
    for path in CATALOGUES:
        for m in messages(path)[1]:
            if m.string:
                term = re.sub(r"（[^（）]*）$", "", m.string) if path.name == "glossary.po" else m.string
                seen.setdefault(m.id, {})[path.relative_to(LOCALE).as_posix()] = term
    differ = {msgid[:60]: where for msgid, where in seen.items() if len(set(where.values())) > 1}
    assert not differ, f"translated differently: {differ}"
