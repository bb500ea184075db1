"""Lemmatised content words, for the stages that compare texts (themes, matching).

A spaCy pipeline that needs no downloaded model: `spacy.blank("en")` and the lookup
lemmatizer from spacy-lookups-data, built once. Stop words (spaCy's English list) and
punctuation are dropped; what is left is lower-case lemmas ("carers" -> "carer").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

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
    nlp = lemma_pipeline()
    lemmatised = []
    for doc in nlp.pipe(t.lower() for t in texts):
        words = []
        for token in doc:
            lemma = (token.lemma_ or token.text).lower()
            if lemma in STOP_WORDS or token.text in STOP_WORDS or not _WORDLIKE.fullmatch(lemma):
                continue
            words.append(lemma)
        lemmatised.append(words)
    return lemmatised
