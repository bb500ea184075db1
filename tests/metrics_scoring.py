"""Scoring predicted metrics against the hand-written expected files (tests/expected/metrics/)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from policylens.model import Metric

FIELDS = ("kind", "unit", "indicator", "value_is")
"""Fields whose accuracy on matched pairs is asserted (kind, unit, value_is) or held to a floor (indicator)."""
DEFAULTS = {"value_is": "level"}
"""What an expected file means by a field it leaves out (RULES.md: `value_is` is written only where not a level)."""
REPORTED = ("direction", "period")
"""Fields whose accuracy is only reported."""


def expected_metrics(folder: Path, doc_id: str) -> list[dict[str, Any]]:
    data = json.loads((folder / f"{doc_id}.json").read_text("utf-8"))
    return list(data["metrics"])


def _same(metric: Metric, want: dict[str, Any]) -> bool:
    """Same line (the block's or row's span holds it), same value, and same old value for a change."""
    start, end = metric.source.line_start or 0, metric.source.line_end or 0
    if not start <= want["line"] <= end or metric.value != want["value"]:
        return False
    return want["kind"] != "change" or metric.value_from == want["value_from"]


@dataclass
class Score:
    doc_id: str
    pairs: list[tuple[Metric, dict[str, Any]]] = field(default_factory=list)
    misses: list[dict[str, Any]] = field(default_factory=list)
    false_positives: list[Metric] = field(default_factory=list)

    @property
    def precision(self) -> float:
        predicted = len(self.pairs) + len(self.false_positives)
        return len(self.pairs) / predicted if predicted else 1.0

    @property
    def recall(self) -> float:
        expected = len(self.pairs) + len(self.misses)
        return len(self.pairs) / expected if expected else 1.0

    def accuracy(self, name: str) -> float:
        if not self.pairs:
            return 1.0
        return sum(_field(m, name) == _wanted(w, name) for m, w in self.pairs) / len(self.pairs)

    def report(self) -> str:
        lines = [f"{self.doc_id}: precision {self.precision:.3f}, recall {self.recall:.3f}"]
        lines += [f"  miss   line {w['line']}: {w['value']} {w['unit']} {w['quote']!r}" for w in self.misses]
        lines += [
            f"  extra  lines {m.source.line_start}-{m.source.line_end}: {m.value:g} {m.unit.value} {m.quote!r}"
            for m in self.false_positives
        ]
        return "\n".join(lines)


def _wanted(want: dict[str, Any], name: str) -> Any:
    return want.get(name, DEFAULTS.get(name))


def _field(metric: Metric, name: str) -> str | None:
    value = getattr(metric, name)
    return None if value is None else str(getattr(value, "value", value))


def score(doc_id: str, predicted: tuple[Metric, ...], expected: list[dict[str, Any]]) -> Score:
    """Greedy one-to-one matching in reading order: each expected metric takes the first free prediction."""
    result = Score(doc_id)
    free = list(predicted)
    for want in expected:
        hit = next((m for m in free if _same(m, want)), None)
        if hit is None:
            result.misses.append(want)
        else:
            free.remove(hit)
            result.pairs.append((hit, want))
    result.false_positives = free
    return result


def field_mismatches(result: Score, name: str) -> list[str]:
    return [
        f"{result.doc_id} line {w['line']} {w['value']}: {name} expected {_wanted(w, name)!r}, got {_field(m, name)!r}"
        for m, w in result.pairs
        if _field(m, name) != _wanted(w, name)
    ]
