"""Shaded panels: filled rectangles behind text that are boxes of text, not table cells.

A call-out box ("Our promise"), a coloured title bar or a panel of commitments is drawn as a
filled rectangle, and the table finder reads every rectangle's sides as rules: a panel with a
title strip became a table of one column, a bar set on a table's top rule one more row of it.
Tables drawn with shading are different: their shaded cells are tiles, met by a neighbour or a
rule on two sides or more, or crossed by the grid's rules (a grey band under column rules). A
panel is met on one side at most (a bar on a table's rule) and nothing runs into it; rectangles
nested in it (its title strip) or holding it (the page's background) are its own. Boxes set edge to
edge in a row (three call-outs touching) meet their neighbours, the middle one on both sides: a row of
them, one height, is a row of panels when the row as a whole is met on one side at most and nothing
runs into it, as one panel is; tiles of a table are met above or below by its other rows or rules.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from policylens.model import BBox

RULE_MAX_THICKNESS = 3.0
"""A filled rectangle no thicker than this (points) is a rule: word processors draw cell borders so."""
TOUCH = 2.0
"""Drawings closer than this (points) to a rectangle's side meet it."""


def shaded(obj: dict[str, Any]) -> bool:
    """A filled, unstroked rectangle thicker than a rule: a shaded area."""
    if obj.get("object_type") != "rect" or not obj.get("fill") or obj.get("stroke"):
        return False
    return min(float(obj["width"]), float(obj["height"])) > RULE_MAX_THICKNESS


def rect_box(obj: dict[str, Any]) -> BBox:
    return BBox(*_corners(obj))


def _corners(obj: dict[str, Any]) -> tuple[float, float, float, float]:
    return float(obj["x0"]), float(obj["top"]), float(obj["x1"]), float(obj["bottom"])


def panels(page: Any) -> list[BBox]:
    """The page's shaded rectangles that are panels: met on one side at most, nothing running into them."""
    rects = list(page.rects)
    candidates = [i for i, r in enumerate(rects) if shaded(r)]
    if not candidates:
        return []
    boxes = np.array([_corners(r) for r in rects], dtype=float).reshape(-1, 4)
    segments, owners = _segments(boxes, page.lines)
    owns = {i: _own(boxes, boxes[i]) for i in candidates}
    alone = {i for i in candidates if _stands_alone(boxes[i], segments, owners, owns[i])}
    for row in _rows_edge_to_edge(boxes, candidates):
        if alone.issuperset(row):
            continue
        together = np.logical_or.reduce([owns[i] for i in row])
        outline = np.array([boxes[row, 0].min(), boxes[row, 1].min(), boxes[row, 2].max(), boxes[row, 3].max()])
        if _stands_alone(outline, segments, owners, together):
            alone.update(row)
    return [rect_box(rects[i]) for i in candidates if i in alone]


def _rows_edge_to_edge(boxes: np.ndarray, candidates: Sequence[int]) -> list[list[int]]:
    """Shaded rectangles of one height set edge to edge (each one's side on the next one's), two or more,
    left to right: boxes in a row that touch."""
    rows: list[list[int]] = []
    for i in sorted(candidates, key=lambda i: (boxes[i, 1], boxes[i, 0])):
        x0, top, _, bottom = boxes[i]
        row = next(
            (
                r
                for r in rows
                if abs(boxes[r[-1], 1] - top) <= TOUCH
                and abs(boxes[r[-1], 3] - bottom) <= TOUCH
                and abs(boxes[r[-1], 2] - x0) <= TOUCH
            ),
            None,
        )
        if row is None:
            rows.append([i])
        else:
            row.append(i)
    return [r for r in rows if len(r) > 1]


def _segments(boxes: np.ndarray, lines: Sequence[dict[str, Any]]) -> tuple[np.ndarray, np.ndarray]:
    """Every drawn side and line as (x0, top, x1, bottom), with the rectangle it is a side of (-1: a line)."""
    x0, top, x1, bottom = boxes.T
    sides = [
        np.stack([x0, top, x1, top], axis=1),
        np.stack([x0, bottom, x1, bottom], axis=1),
        np.stack([x0, top, x0, bottom], axis=1),
        np.stack([x1, top, x1, bottom], axis=1),
    ]
    drawn = np.array([_corners(ln) for ln in lines], dtype=float)
    segments = np.concatenate([*sides, drawn.reshape(-1, 4)])
    owners = np.concatenate([np.tile(np.arange(len(boxes)), 4), np.full(len(lines), -1)])
    return segments, owners


def _own(boxes: np.ndarray, rect: np.ndarray) -> np.ndarray:
    """Which rectangles belong with this one: it holds them or they hold it (itself included)."""

    def holds(outer: np.ndarray, inner: np.ndarray) -> np.ndarray:
        return (
            (outer[..., 0] <= inner[..., 0] + 1)
            & (outer[..., 1] <= inner[..., 1] + 1)
            & (outer[..., 2] >= inner[..., 2] - 1)
            & (outer[..., 3] >= inner[..., 3] - 1)
        )

    own: np.ndarray = holds(boxes, rect) | holds(rect, boxes)
    return own


def _stands_alone(rect: np.ndarray, segments: np.ndarray, owners: np.ndarray, own: np.ndarray) -> bool:
    others = segments[(owners < 0) | ~own[np.maximum(owners, 0)]]
    x0, top, x1, bottom = rect
    t = TOUCH
    if _meets(others, (x0 + t, top + t, x1 - t, bottom - t)).any():
        return False  # a rule runs into it
    sides = [
        (x0 + t, top - t, x1 - t, top + t),
        (x0 + t, bottom - t, x1 - t, bottom + t),
        (x0 - t, top + t, x0 + t, bottom - t),
        (x1 - t, top + t, x1 + t, bottom - t),
    ]
    return sum(bool(_meets(others, side).any()) for side in sides) <= 1


def _meets(segments: np.ndarray, area: tuple[float, float, float, float]) -> np.ndarray:
    x0, top, x1, bottom = area
    met: np.ndarray = (
        (segments[:, 2] >= x0) & (segments[:, 0] <= x1) & (segments[:, 3] >= top) & (segments[:, 1] <= bottom)
    )
    return met
