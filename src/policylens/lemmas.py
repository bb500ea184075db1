"""Lemmatised content words, for the stages that compare texts (themes, matching).

A spaCy pipeline that needs no downloaded model: `spacy.blank("en")` and the lookup
lemmatizer from spacy-lookups-data, built once. Stop words (spaCy's English list) and
punctuation are dropped; what is left is lower-case lemmas ("carers" -> "carer").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import spacy
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language

_WORDLIKE = re.compile(r"[a-z][a-z0-9'-]*[a-z0-9]|[a-z]")


@lru_cache(maxsize=1)
def lemma_pipeline() -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    return nlp


def content_lemmas(texts: Iterable[str]) -> list[list[str]]:
    """For each text, its content words as lower-case lemmas, in order."""
    return [list(_content_lemmas_of(text)) for text in texts]


@lru_cache(maxsize=200_000)
def _content_lemmas_of(text: str) -> tuple[str, ...]:
    # Themes and matching read the same commitments several times (fit, vectors, scores): a text is
    # lemmatised once. The lookup table is applied to the tokenizer's tokens directly, which is what
    # the lookup lemmatizer does, without building a Doc through the whole pipeline.
    nlp = lemma_pipeline()
    table = _lookup_table()
    words = []
    for token in nlp.tokenizer(text.lower()):
        lemma = str(table.get(token.text, token.text)).lower()
        if lemma in STOP_WORDS or token.text in STOP_WORDS or not _WORDLIKE.fullmatch(lemma):
            continue
        words.append(lemma)
    return tuple(words)


@lru_cache(maxsize=1)
def _lookup_table() -> Any:
    lemmatizer: Any = lemma_pipeline().get_pipe("lemmatizer")
    return lemmatizer.lookups.get_table("lemma_lookup")
