"""The metrics stage: every baseline, target and change in a document, normalised to indicators.

    extract_metrics(doc, actions) -> tuple[Metric, ...]
    indicator_table(metrics) -> list[dict]   (one row per indicator and document)
    build_pipeline() -> spacy.Language        (rule-based; no model download)
    load_catalogue(path=None) -> tuple[Indicator, ...]

Modules, in the order a text goes through them: `reading` (document -> texts with context),
`nlp` (the spaCy pipeline and its quantity matcher), `quantities` (which numbers are metrics),
`periods`, `statements` (kind, change, comparator, subject), `wholes` (what a figure is part of),
`extract` (records), `table`.
Domain words are in `data/metric_cues.toml` and `data/indicators.toml`; no rule names a document.
"""

from __future__ import annotations

from policylens.metrics.extract import MetricSettings, extract_metrics
from policylens.metrics.nlp import build_pipeline
from policylens.metrics.table import indicator_table
from policylens.metrics.vocab import Indicator, load_catalogue

__all__ = ["Indicator", "MetricSettings", "build_pipeline", "extract_metrics", "indicator_table", "load_catalogue"]
