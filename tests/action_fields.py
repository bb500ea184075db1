"""Actions in the shape of tests/expected/actions/*.json, for comparison field by field."""

from __future__ import annotations

from typing import Any

from policylens.model import Action

COMPARED = (
    "line",
    "origin",
    "section",
    "ref",
    "source_ref",
    "aim",
    "aim_inherited",
    "action",
    "outcome",
    "timescale",
    "lead",
    "inherited",
    "sub_actions",
)


def norm(value: Any) -> Any:
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, list | tuple):
        return [norm(v) for v in value]
    if isinstance(value, dict):
        return {k: norm(v) for k, v in value.items()}
    return value


def action_fields(action: Action) -> dict[str, Any]:
    return norm(
        {
            "line": action.source.line_start,
            "origin": action.origin.value,
            "section": action.section,
            "ref": action.ref,
            "source_ref": action.source_ref,
            "aim": action.aim,
            "aim_inherited": action.aim_inherited,
            "action": action.action,
            "outcome": action.outcome,
            "timescale": action.timescale.raw,
            "lead": action.lead,
            "inherited": sorted(action.inherited),
            "sub_actions": [
                {"action": s.action, "outcome": s.outcome, "timescale": s.timescale, "lead": s.lead}
                for s in action.sub_actions
            ],
        }
    )


def expected_fields(record: dict[str, Any]) -> dict[str, Any]:
    fields = {k: record.get(k) for k in COMPARED}
    fields["inherited"] = sorted(record.get("inherited", []))
    return norm(fields)
