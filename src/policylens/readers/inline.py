"""Inline markup in text extractions: HTML inside table cells, markdown in prose.

Extractions put `<b>`, `<p>`, `<sup>` and entities inside table cells, and
markdown emphasis, escapes and links in running text. These helpers turn both
into clean text while keeping the one fact that matters downstream: whether a
cell was bold (a bold single-cell row is a section title).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser

from spacy.lang.en.stop_words import STOP_WORDS

# Extractions join the paragraphs of a cell with two or more spaces.
_CELL_PARAGRAPH_GAP = re.compile(r" {2,}")
_SPACES = re.compile(r"[ \t\u00a0]+")
_BREAK_TAGS = frozenset({"p", "br", "div", "li", "tr"})
_BOLD_TAGS = frozenset({"b", "strong"})


@dataclass(frozen=True, slots=True)
class CellText:
    text: str
    bold: bool


class _CellParser(HTMLParser):
    """Collects text runs, marking paragraph breaks and bold runs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[tuple[str, bool]] = []
        self._bold_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BREAK_TAGS:
            self.parts.append(("\n", False))
        elif tag in _BOLD_TAGS:
            self._bold_depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _BREAK_TAGS:
            self.parts.append(("\n", False))
        elif tag in _BOLD_TAGS:
            self._bold_depth = max(0, self._bold_depth - 1)

    def handle_data(self, data: str) -> None:
        self.parts.append((data, self._bold_depth > 0))


def clean_cell(raw: str) -> CellText:
    """Clean one table cell: HTML removed, paragraphs separated by "\\n"."""
    if "<" in raw or "&" in raw:
        parser = _CellParser()
        parser.feed(raw)
        parser.close()
        parts = parser.parts
    else:
        parts = [(raw, False)]
    text = "".join(p for p, _ in parts)
    visible = [(p, b) for p, b in parts if p.strip()]
    bold = bool(visible) and all(b for _, b in visible)
    return CellText(text=_paragraphs(text), bold=bold)


def _paragraphs(text: str) -> str:
    chunks: list[str] = []
    for line in text.split("\n"):
        pieces = (_SPACES.sub(" ", piece).strip() for piece in _CELL_PARAGRAPH_GAP.split(line))
        chunks.extend(piece for piece in pieces if piece)
    return "\n".join(chunks)


_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MD_EMPHASIS = re.compile(r"(\*{1,3}|_{2,3})(?=\S)(.+?)(?<=\S)\1", re.DOTALL)
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>])")


def clean_inline(text: str) -> str:
    """Markdown inline markup removed: emphasis, links, backslash escapes."""
    text = _MD_LINK.sub(r"\1", text)
    previous = None
    while previous != text:  # nested emphasis such as ***x*** or **a *b* c**
        previous = text
        text = _MD_EMPHASIS.sub(r"\2", text)
    text = _MD_ESCAPE.sub(r"\1", text)
    if "&" in text:
        text = unescape(text)
    return _SPACES.sub(" ", text).strip()


def squash(text: str) -> str:
    """Text reduced to lower-case letters and digits, to compare titles however they are typeset."""
    return re.sub(r"\W+", "", clean_inline(text).casefold())


def collapse(text: str) -> str:
    """All whitespace, line breaks included, folded to single spaces."""
    return " ".join(text.split())


_WHOLLY_BOLD = re.compile(r"^\s*\*\*(?!\*)(.+?)\*\*\s*$", re.DOTALL)


def wholly_bold(text: str) -> str | None:
    """The inner text if the whole of `text` is one `**bold**` run."""
    match = _WHOLLY_BOLD.match(text)
    if match is None or "**" in match.group(1):
        return None
    return match.group(1)


def cut_short(text: str) -> bool:
    """Text that stops on a word no sentence ends with ("… through the", "Attainment gap at"):
    a cell a page break cut, whose rest is in the row below, even when that starts with a capital."""
    words = text.rstrip().split()
    return bool(words) and words[-1].casefold() in STOP_WORDS and words[-1][-1:].isalpha()
