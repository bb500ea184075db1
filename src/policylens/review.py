"""Review sheets: the pairs of commitments where a person's call changes the links most.

The matcher misses commitments worded differently and can link two that share words but differ (README,
"Matching quality"). A review sheet lists, for each pair of documents compared, the pairs worth a look:
each commitment left dropped or new with its nearest candidates (`link?`), and each link that only just
cleared the bar (`keep?`). It is written as a decisions file (`matching.load_decisions`): fill in
`decision` (link or not) on the rows you have read and give the file back with `--decisions`; rows left
blank are skipped; a pair already called is not asked about again, and the calls given end the next sheet
as they were made (`decided`), so the one file can be filled in, given back and written again, round after
round, without losing a call.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from policylens.matching import (
    CommitmentMatcher,
    Linking,
    Reasons,
    Scored,
    TargetLevels,
    link_documents,
)
from policylens.model import Action, Link, LinkDecision, Question, ReviewPair, ThemeAssignment

_ORDINALS = ("", "", "2nd ", "3rd ")


@dataclass(frozen=True, slots=True)
class ReviewSettings:
    """What a review sheet asks about.

    per_commitment: the nearest candidates asked about for each commitment left dropped or new.
    floor: a candidate scoring under this share of the score a link needs is not asked about (it shares
        too little for a reader to call it a link without reading every other commitment too).
    margin: a link scoring within this of the score a link needs is asked about.
    """

    per_commitment: int = 2
    floor: float = 0.5
    margin: float = 0.05

    def __post_init__(self) -> None:
        if not 1 <= self.per_commitment <= 3:
            raise ValueError(f"per_commitment must be 1, 2 or 3; got {self.per_commitment!r}")
        if not 0 <= self.floor <= 1:
            raise ValueError(f"floor must be a share of the score a link needs, 0 to 1; got {self.floor!r}")
        if not 0 <= self.margin < 1:
            raise ValueError(f"margin must be a score, 0 or more and below 1; got {self.margin!r}")


def review_pairs(linking: Linking, settings: ReviewSettings | None = None) -> tuple[ReviewPair, ...]:
    """The pairs of one comparison worth a person's look: links that only just cleared the bar, then each
    commitment left unlinked (the earlier document's, then the later's) with its nearest candidates."""
    settings = settings or ReviewSettings()
    a_side, b_side, bar = linking.a_actions, linking.b_actions, linking.threshold
    sheet: dict[tuple[int, int], ReviewPair] = {}
    for s in linking.kept:
        if (s.a, s.b) not in linking.forced and s.score < bar + settings.margin:
            why = f"linked at {s.score:.3f}, within {settings.margin:.2f} of the {bar:.3f} a link needs"
            sheet[(s.a, s.b)] = _row(a_side[s.a], b_side[s.b], Question.KEEP, s, why)
    apart = Reasons(linking)
    floor = settings.floor * bar
    of_a, of_b = linking.nearest_unlinked(settings.per_commitment)
    for place, nearest, sides, other_side in (("dropped", of_a, a_side, b_side), ("new", of_b, b_side, a_side)):
        for own, candidates in nearest.items():
            this = sides[own]
            for rank, s in enumerate((c for c in candidates if c.score >= floor and c.score > 0), start=1):
                other = other_side[s.b if place == "dropped" else s.a]
                why = (
                    f"{this.action_id} is {place}; {other.action_id} is its {_ORDINALS[rank]}nearest"
                    f" (score {s.score:.3f}, {apart(s)})"
                )
                sheet.setdefault((s.a, s.b), _row(a_side[s.a], b_side[s.b], Question.LINK, s, why))
    return tuple(sheet.values())


def _row(a: Action, b: Action, question: Question, s: Scored, why: str) -> ReviewPair:
    shared = f"; shared: {', '.join(s.shared)}" if s.shared else ""
    return _pair(a.action_id, b.action_id, a, b, question=question, score=s.score, why=why + shared)


def _decided(decision: LinkDecision, by_id: Mapping[str, Action]) -> ReviewPair:
    """A reviewer's call, carried into the next sheet as it was made (texts blank for an id no document has)."""
    return _pair(
        decision.a_id,
        decision.b_id,
        by_id.get(decision.a_id),
        by_id.get(decision.b_id),
        question=Question.DECIDED,
        score=None,
        why=f"called in {decision.file}"
        + "".join(f"; no document compared has {i}" for i in (decision.a_id, decision.b_id) if i not in by_id),
        decision="link" if decision.linked else "not",
        note=decision.note,
    )


def _pair(a_id: str, b_id: str, a: Action | None, b: Action | None, **fields: Any) -> ReviewPair:
    """A sheet row with each side's action, where it is and the rest of its row (aim, outcome)."""
    return ReviewPair(
        a_id=a_id,
        b_id=b_id,
        a_action=a.action if a else "",
        b_action=b.action if b else "",
        a_where=a.where if a else "",
        b_where=b.where if b else "",
        a_context=_context(a) if a else "",
        b_context=_context(b) if b else "",
        **fields,
    )


def _context(action: Action) -> str:
    """The rest of a commitment's row: what the terms it shares may come from besides its action."""
    return " | ".join(f"{name}: {text}" for name, text in (("aim", action.aim), ("outcome", action.outcome)) if text)


def review_documents(
    actions: Sequence[Action],
    pairs: Sequence[tuple[str, str]],
    themes: Mapping[str, ThemeAssignment] | None = None,
    matcher: CommitmentMatcher | None = None,
    *,
    decisions: Sequence[LinkDecision] = (),
    settings: ReviewSettings | None = None,
) -> tuple[ReviewPair, ...]:
    """The review sheet of every pair of documents compared, as `link_documents` links them (see
    `links_and_sheet`)."""
    return links_and_sheet(actions, pairs, themes, matcher, decisions=decisions, settings=settings)[1]


def links_and_sheet(
    actions: Sequence[Action],
    pairs: Sequence[tuple[str, str]],
    themes: Mapping[str, ThemeAssignment] | None = None,
    matcher: CommitmentMatcher | None = None,
    *,
    decisions: Sequence[LinkDecision] = (),
    levels: TargetLevels | None = None,
    settings: ReviewSettings | None = None,
) -> tuple[tuple[Link, ...], tuple[ReviewPair, ...]]:
    """The links of every pair of documents compared (`link_documents`) and their review sheet, from one
    matching: `decisions` are a reviewer's calls so far, which the links follow; they are not asked again,
    and they end the sheet as they were made, so that a sheet filled in and given back with `--decisions`
    can be written over without losing a call."""
    asked: list[ReviewPair] = []

    def read(linking: Linking) -> None:
        asked.extend(review_pairs(linking, settings))

    links = link_documents(actions, pairs, themes, matcher, decisions=decisions, levels=levels, observe=read)
    by_id = {a.action_id: a for a in actions}
    return links, (*asked, *(_decided(d, by_id) for d in decisions))
