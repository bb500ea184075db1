"""What action-plan headers and field labels mean (`data/action_plans.toml`).

Shared by the readers, which read label/value blocks ("Responsible officer: ...")
into tables, and by the action stage, which reads tables by what their headers
mean: one vocabulary, so a label the readers group is a header the action stage
understands.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

FIELDS = ("source_ref", "ref", "aim", "action", "outcome", "timescale", "lead")
RECORD_FIELDS = ("outcome", "timescale", "lead")
"""Besides the action, a record needs one of these to be an action record."""


@dataclass(frozen=True, slots=True)
class ActionVocabulary:
    """Header synonyms per field, the headings that open commitment lists, and the
    header given to a label/value record's title (its action)."""

    columns: dict[str, tuple[str, ...]]
    list_lead_ins: tuple[str, ...]
    list_heading_labels: tuple[str, ...]
    generic_headings: tuple[str, ...]
    section_labels: tuple[str, ...]
    title_header: str
    weak: frozenset[str] = frozenset()
    """Header synonyms that give way to a column with a stronger header for the same field."""

    def label_role(self, label: str) -> str | None:
        """The field a label names exactly ("Responsible officer" -> lead), or None."""
        name = norm(label)
        return next((role for role, words in self.columns.items() if name in words), None)


@lru_cache(maxsize=4)
def load_vocabulary(path: Path | None = None) -> ActionVocabulary:
    """The packaged `data/action_plans.toml`, or a user's file of the same shape."""
    if path is None:
        text = resources.files("policylens.data").joinpath("action_plans.toml").read_text("utf-8")
        origin = "policylens/data/action_plans.toml"
    else:
        text = Path(path).read_text("utf-8")
        origin = str(path)
    raw: dict[str, Any] = tomllib.loads(text)
    columns = {name: tuple(norm(w) for w in raw["columns"][name]) for name in FIELDS}
    lists = raw["lists"]
    title_header = str(raw["label_blocks"]["title_header"])
    if norm(title_header) not in columns["action"]:
        raise ValueError(f"{origin}: [label_blocks] title_header {title_header!r} must be one of the action synonyms")
    return ActionVocabulary(
        columns,
        tuple(norm(w) for w in lists["list_lead_ins"]),
        tuple(norm(w) for w in lists["list_heading_labels"]),
        tuple(norm(w) for w in lists["generic_headings"]),
        tuple(norm(w) for w in lists["section_labels"]),
        title_header,
        frozenset(norm(w) for w in raw.get("weak_columns", {}).get("headers", ())),
    )


def norm(text: str) -> str:
    """Lower case, punctuation (but "/", "&", "#", ".") as spaces, spaces folded."""
    return " ".join(re.sub(r"[^\w/&#.]+", " ", text.casefold()).split()).strip(" .")


def column_roles(header: Sequence[str], vocabulary: ActionVocabulary) -> dict[str, int]:
    """Which column holds which field, by what the header cells mean: the first column for each
    field, unless its header is a weak synonym and another column's is not ("Target" holds levels
    when a "By when" column holds the dates)."""
    roles: dict[str, int] = {}
    weak: set[str] = set()
    for index, cell in enumerate(header):
        name = norm(cell)
        if not name:
            continue
        role = vocabulary.label_role(name) or _contained_role(name, vocabulary)
        if role and (role not in roles or (role in weak and name not in vocabulary.weak)):
            roles[role] = index
            weak.discard(role)
            if name in vocabulary.weak:
                weak.add(role)
    return roles


def _contained_role(name: str, vocabulary: ActionVocabulary) -> str | None:
    best: tuple[int, str] | None = None
    padded = f" {name} "
    for role, words in vocabulary.columns.items():
        for word in words:
            if f" {word} " in padded and (best is None or len(word) > best[0]):
                best = (len(word), role)
    return best[1] if best else None


def is_action_table(roles: dict[str, int] | Sequence[str]) -> bool:
    """An action column and one of outcome, timescale or lead (given by column or by role names)."""
    return "action" in roles and any(r in roles for r in RECORD_FIELDS)
