"""Layout cues (bullet glyphs, picture words, heading limits) from a data file."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

PACKAGED_RULES = "text_layout.toml"

LIST_NUMBER = r"\d{1,2}[.)]|\d{1,2}(?:\.\d{1,2})+\.?"
"""A list item's number, as every reader finds it: "1.", "2)", and the decimal numbers of
commitments numbered under their priority ("1.1", "1.2.", "2.3.1")."""


@dataclass(frozen=True, slots=True)
class LayoutRules:
    bullet_glyphs: frozenset[str]
    ocr_bullet_misreads: frozenset[str]
    figure_openers: frozenset[str]
    figure_nouns: frozenset[str]
    figure_noun_within_words: int
    section_label_words: frozenset[str]
    plain_heading_max_words: int
    plain_heading_max_words_no_verb: int
    heading_max_words: int
    colon_heading_max_words: int
    question_words: frozenset[str]
    header_cell_max_words: int
    header_cell_max_chars: int
    statement_verbs: frozenset[str]


@lru_cache(maxsize=8)
def load_layout_rules(path: Path | None = None) -> LayoutRules:
    """Read the layout cues; `None` reads the file shipped with the package."""
    if path is None:
        text = resources.files("policylens.data").joinpath(PACKAGED_RULES).read_text("utf-8")
        origin = f"policylens/data/{PACKAGED_RULES}"
    else:
        text = Path(path).read_text("utf-8")
        origin = str(path)
    try:
        return _rules_from(tomllib.loads(text))
    except (tomllib.TOMLDecodeError, KeyError, TypeError) as exc:
        raise ValueError(f"{origin}: not a valid layout rules file ({exc})") from exc


def _words(raw: dict[str, Any], key: str) -> frozenset[str]:
    return frozenset(str(w).casefold() for w in raw[key])


def _rules_from(raw: dict[str, Any]) -> LayoutRules:
    glyphs = [str(g) for g in raw["bullet_glyphs"]]
    if not all(g.strip() for g in glyphs):
        raise TypeError("bullet_glyphs must not contain empty or blank strings")
    return LayoutRules(
        bullet_glyphs=frozenset(glyphs),
        # optional, so that a user's rules file written before it still loads
        ocr_bullet_misreads=frozenset(str(g) for g in raw.get("ocr_bullet_misreads", ())),
        figure_openers=_words(raw, "figure_openers"),
        figure_nouns=_words(raw, "figure_nouns"),
        figure_noun_within_words=int(raw["figure_noun_within_words"]),
        section_label_words=_words(raw, "section_label_words"),
        plain_heading_max_words=int(raw["plain_heading_max_words"]),
        plain_heading_max_words_no_verb=int(raw["plain_heading_max_words_no_verb"]),
        heading_max_words=int(raw["heading_max_words"]),
        colon_heading_max_words=int(raw["colon_heading_max_words"]),
        question_words=_words(raw, "question_words"),
        header_cell_max_words=int(raw["header_cell_max_words"]),
        header_cell_max_chars=int(raw["header_cell_max_chars"]),
        statement_verbs=_words(raw, "statement_verbs"),
    )
