"""Optional sentence embeddings for matching commitments (the `embeddings` extra).

The default matcher is lexical and needs nothing beyond the base install. With
`pip install 'policylens[embeddings]'`, WordLlama's static token embeddings (256 dimensions,
about 16 MB) can add a semantic similarity to each pair's score. They are chosen because the
weights ship inside the package's wheel, so nothing is fetched at run time; WordLlama's own
`load()` looks for its tokenizer in the wrong folder and then tries the network, so the files
shipped in the wheel are opened here directly.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable, Sequence
from importlib import import_module
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from policylens.errors import EmbeddingsUnavailable

Embedder = Callable[[Sequence[str]], NDArray[np.float32]]
"""Texts to L2-normalised row vectors, one row per text."""

_TOKENIZER = ("tokenizers", "l2_supercat_tokenizer_config.json")
_WEIGHTS = ("weights", "l2_supercat_256.safetensors")


def wordllama_embedder() -> Embedder:
    """An embedder from the WordLlama files shipped in its wheel; no download, ever."""
    root_logger = logging.getLogger()
    handlers, level = list(root_logger.handlers), root_logger.level
    try:
        wordllama: Any = import_module("wordllama")
        inference: Any = import_module("wordllama.inference")
        safetensors: Any = import_module("safetensors")
    except ImportError as error:
        raise EmbeddingsUnavailable("embeddings", f"the optional extra is not installed ({error})") from error
    finally:
        # WordLlama configures the root logger when imported; the caller's logging is not its to change
        root_logger.handlers[:], root_logger.level = handlers, level
    root = Path(wordllama.__file__).parent
    tokenizer_path, weights_path = root.joinpath(*_TOKENIZER), root.joinpath(*_WEIGHTS)
    missing = [str(p) for p in (tokenizer_path, weights_path) if not p.is_file()]
    if missing:
        raise EmbeddingsUnavailable("embeddings", f"WordLlama's packaged files are missing: {', '.join(missing)}")
    tokenizer = wordllama.WordLlama.load_tokenizer(tokenizer_path)
    with safetensors.safe_open(str(weights_path), framework="np", device="cpu") as weights:
        table = weights.get_tensor("embedding.weight")
    model = inference.WordLlamaInference(table, tokenizer)

    def embed(texts: Sequence[str]) -> NDArray[np.float32]:
        if not texts:
            return np.zeros((0, table.shape[1]), dtype=np.float32)
        return np.asarray(model.embed(list(texts), norm=True), dtype=np.float32)

    return memoised(embed, int(table.shape[1]))


def memoised(embedder: Embedder, dimensions: int, max_texts: int = 200_000) -> Embedder:
    """The embedder, each text embedded once: a document is in a link step for every document it is
    compared with (nine pairs for five documents, thousands at national scale). At most `max_texts`
    vectors are kept (200,000 of 256 floats: about 200 MB); past that the oldest go first."""
    vectors: dict[str, NDArray[np.float32]] = {}

    def embed(texts: Sequence[str]) -> NDArray[np.float32]:
        new = list(dict.fromkeys(t for t in texts if t not in vectors))
        if new:
            for text, vector in zip(new, embedder(new), strict=True):
                vectors[text] = vector
            for oldest in list(itertools.islice(vectors, max(0, len(vectors) - max_texts))):
                del vectors[oldest]
        if not texts:
            return np.zeros((0, dimensions), dtype=np.float32)
        return np.stack([vectors[t] if t in vectors else embedder([t])[0] for t in texts])

    return embed
