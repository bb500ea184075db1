"""Kept quantities into statements: comparators, changes, kind, direction, period, subject, quote.

One `StatementReader` holds the cue phrases (as lemmas) and reads one text at a time:

1. a number stated with a benchmark cue ("65% nationally") is a comparator, kept for the local
   figure before it;
2. "from X to Y", "Y (X the previous year)", "Y compared to X", "up from X" and a sentence that
   says "this figure increased to Y" after one that gave X make one change (value Y, from X);
3. every other kept number is a baseline or a target, read from the cues nearest to it, then from
   where it stands (an action plan, a heading that says what "will" happen).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.tokens import Doc, Span

from policylens.metrics.nlp import (
    QUANTITIES,
    QUANTITY_INDEX,
    build_pipeline,
    change_matcher,
    find_cue,
    matches_at,
    mentions,
    phrases,
    unit_of,
    value_of,
    within,
)
from policylens.metrics.periods import Period, as_written, find_periods
from policylens.metrics.quantities import Candidate, Screen
from policylens.metrics.reading import TextUnit
from policylens.metrics.subjects import SubjectReader
from policylens.metrics.vocab import MetricCues
from policylens.metrics.wholes import ClueReader, Clues
from policylens.model import Direction, MetricKind, Unit, ValueIs

Cue = tuple[str, ...]
_CUE_GAP = 2
"""How many words (`comparator_links`) may stand between a benchmark cue and its figure."""
_FIRST_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_CITATION = re.compile(r"\(\s*[A-Z][\w&.' ]*,\s*$")
"""The start of a citation in brackets, up to its year: "(NSPCC, "."""


@dataclass(slots=True)
class Draft:
    """A metric read from one text, before it is numbered and placed."""

    candidate: Candidate
    kind: MetricKind
    value_from: float | None = None
    direction: Direction | None = None
    period: str = ""
    period_norm: str = ""
    subject: str = ""
    group: str = ""
    comparator: str = ""
    quote: str = ""
    context: tuple[str, ...] = ()
    """Texts beyond the subject that may name the indicator, most specific first."""
    wide: tuple[str, ...] = ()
    """The sentence, when this is its only figure: it names the indicator only in the figure's unit."""
    clues: Clues = field(default_factory=Clues)
    """What the figure's surroundings say about what it measures (`wholes`)."""
    unit: Unit | None = None
    """The figure's unit when its measure's name gives one ("Average SDQ score: 14.2"), else None."""
    timed: bool = False
    """A bare figure whose measure's name says it is a time in no named unit ("Average time between ...")."""
    value_is: ValueIs = ValueIs.LEVEL
    compared_with: str = ""
    """For a change: the date it is measured from, as written ("2021" of "41 fewer than in 2021")."""


@lru_cache(maxsize=2048)
def _parse(text: str) -> Doc:
    return build_pipeline()(text)


class StatementReader:
    """Reads the statements of one text at a time with one set of cues."""

    def __init__(self, cues: MetricCues) -> None:
        s = cues.statements
        self.cues = cues
        self.screen = Screen(cues)
        self.subjects = SubjectReader(s, cues.numbers)
        self.clues = ClueReader(cues)
        self.target_cues, self.qualifiers = phrases(s.target_cues), phrases(s.target_qualifiers)
        self.baseline_cues, self.headings = phrases(s.baseline_cues), phrases(s.target_headings)
        self.columns = (
            (MetricKind.BASELINE, phrases(s.baseline_columns)),
            (MetricKind.TARGET, phrases(s.target_columns)),
        )
        self.directions: tuple[tuple[Direction, tuple[Cue, ...]], ...] = (
            (Direction.DECREASE, phrases(s.decrease)),
            (Direction.INCREASE, phrases(s.increase)),
            (Direction.MAINTAIN, phrases(s.maintain)),
        )
        self.ceilings = phrases(s.ceiling)
        self.change_words = phrases(s.increase + s.decrease)
        self.change_links, self.change_nouns = phrases(s.change_links), phrases(s.change_nouns)
        self.added_before, self.added_after = phrases(s.added_before), phrases(s.added_after)
        self.plus_signs = phrases(s.plus_signs)
        self.previous, self.compared = phrases(s.previous), phrases(s.compared)
        self.anaphora, self.change_verbs = phrases(s.anaphora), set(s.change_verbs)
        self.comparators = phrases(s.comparator_cues)
        self.term_words = phrases(s.period_terms)
        self.averages = phrases(cues.numbers.averages)

    def read(self, doc: Doc, unit: TextUnit) -> tuple[list[Draft], list[str]]:
        """The drafts of one text, and comparators that found no local figure in it."""
        periods = find_periods(doc.text)
        found = self.screen(doc, [(p.start, p.end) for p in periods], measured=self.measured_cell(unit))
        self.mark_comparators(doc, found, unit)
        self.link_changes(doc, found)
        drafts = self.drafts(doc, found, unit, periods)
        return drafts, _attach_comparators(found, drafts)

    def measured_cell(self, unit: TextUnit) -> bool:
        """Whether a table cell is one of measured figures, so that a duration alone in it ("520 days") is
        the measure, not a deadline: its column gives its figures a kind ("Baseline", "Target 2025") or a
        period ("Halton 2019-22"), or is a plan's success measures ("Outcome"), or its row states an average
        ("Average time between ..."). A column of dates or deadlines ("Timescale", "By when") never is."""
        if unit.source.table is None:
            return False
        kind = self.column_kind(unit.column)
        if unit.timescale_column and (unit.in_plan or kind is None):
            return False
        if unit.in_plan:
            return unit.role == "outcome" or (not unit.role and kind is not None)
        if kind is not None or find_periods(unit.column):
            return True
        return mentions(_parse(unit.row_label), self.averages)

    # --- comparators ------------------------------------------------------------

    def mark_comparators(self, doc: Doc, found: list[Candidate], unit: TextUnit) -> None:
        for c in found:
            if c.kept:
                c.comparator = self.comparator_text(doc, c, found) or self.row_comparator(doc, c, unit)
                c.role = "comparator" if c.comparator else c.role

    def comparator_text(self, doc: Doc, c: Candidate, found: list[Candidate]) -> str:
        """The benchmark as written, when a cue stands just after or just before the number."""
        sent, s = c.span.sent, self.cues.statements
        others = [o.span for o in found if o is not c and o.kept]
        for i in range(c.span.end, min(sent.end, c.span.end + s.window_after)):
            if any(o.start == i for o in others):
                break
            cue = find_cue(doc, i, self.comparators)
            # "58% (England 55%)": a cue just before another figure is that figure's
            if cue and any(self.introduces(doc, i + len(cue), o) for o in others):
                break
            if cue:
                return doc.text[c.span.start_char : _end_char(doc, i + len(cue) - 1)]
        for i in range(c.span.start - 1, max(sent.start, c.span.start - s.window_before) - 1, -1):
            # "Compared with the national average, 40 children waited ...": a cue in another clause is not this figure's
            if any(o.end == i + 1 for o in others) or doc[i].text in {",", ";"}:
                break
            cue = find_cue(doc, i, self.comparators)
            # "65% nationally and 95% ...": a cue just after another figure is that figure's, unless
            # it opens a bracket ("58% (England 55%)")
            if cue and any(o.end == i or (o.end == i - 1 and doc[i - 1].text != "(") for o in others):
                break
            if cue and i + len(cue) <= c.span.start:
                return doc.text[doc[i].idx : c.span.end_char]
        return ""

    def introduces(self, doc: Doc, end: int, figure: Span) -> bool:
        """Whether a cue ending before token `end` introduces the figure ("England average of 52%")."""
        gap = doc[end : figure.start] if end <= figure.start else None
        links = self.cues.statements.comparator_links
        return gap is not None and len(gap) <= _CUE_GAP and all(t.lower_ in links for t in gap)

    def row_comparator(self, doc: Doc, c: Candidate, unit: TextUnit) -> str:
        """A table row labelled as a benchmark ("SNs 2021-22 | 73%") next to the local row, or a
        benchmark column ("Statistical neighbours", "England") beside the council's own columns."""
        if unit.in_plan or len(c.span) != len(doc):
            return ""
        for label in (unit.column, unit.row_label):
            words = _parse(label)
            if mentions(words, self.comparators):
                return f"{label} {doc.text}"
        return ""

    # --- changes ----------------------------------------------------------------

    def link_changes(self, doc: Doc, found: list[Candidate]) -> None:
        kept = [c for c in found if c.kept and not c.role]
        self.from_to(doc, kept)
        for c in kept:
            if not c.role and not c.origin and (self.says_previous(doc, c.span) or self.says_compared(doc, c.span)):
                partner = _nearest_before(c, kept)
                if partner is not None:
                    partner.origin, c.role = c, "from"
        self.anaphoric(doc, kept)

    def from_to(self, doc: Doc, kept: list[Candidate]) -> None:
        """ "from 49 on 31 September 2020, to 43 ..., to 23": value 23, from 49; 43 is a step."""
        for token in doc:
            token._.set(QUANTITY_INDEX, -1)
        for k, c in enumerate(kept):
            for token in c.span:
                token._.set(QUANTITY_INDEX, k)
        for _, start, end in sorted(change_matcher()(doc), key=lambda m: m[1]):
            first, last = kept[doc[start + 1]._.get(QUANTITY_INDEX)], kept[doc[end - 1]._.get(QUANTITY_INDEX)]
            if first is last or first.role or last.role or last.origin or not _compatible(first, last):
                continue
            steps = [c for c in kept if first.span.end <= c.span.start and c.span.end <= last.span.start]
            if any(not _word_before(doc, step.span, self.cues.statements.to_words) for step in steps):
                continue
            for step in steps:
                step.role = "step"
            last.origin, first.role = first, "from"

    def says_previous(self, doc: Doc, span: Span) -> bool:
        """ "(9% the previous year)", "1 last year"."""
        return find_cue(doc, span.end, self.previous) is not None

    def says_compared(self, doc: Doc, span: Span) -> bool:
        """ "compared to 16.5%", "up from 1"."""
        return any(matches_at(doc, span.start - len(cue), cue) for cue in self.compared)

    def anaphoric(self, doc: Doc, kept: list[Candidate]) -> None:
        """ "... was 50%. ... this figure had increased to 71%": the old values are in the sentence before."""
        sentences = list(doc.sents)
        for before, sent in itertools.pairwise(sentences):
            if not self.tells_change(sent):
                continue
            new = [c for c in kept if within(c.span, sent) and not c.role and not c.origin]
            old = [c for c in kept if within(c.span, before) and not c.role and not c.origin]
            if new and len(new) == len(old) and all(_compatible(o, n) for o, n in zip(old, new, strict=True)):
                for o, n in zip(old, new, strict=True):
                    n.origin, o.role = o, "from"

    def refers_back(
        self, doc: Doc, c: Candidate, found: list[Candidate], periods: list[Period], subject: Span | None
    ) -> bool:
        """A figure with no subject whose words point to the sentence before ("this figure was 27%")."""
        if subject is not None:
            return False
        words = self.subjects.statement(doc, c, found, periods)
        return mentions(words, self.anaphora)

    def tells_change(self, sent: Span) -> bool:
        refers = mentions(sent, self.anaphora)
        return refers and any(t.lemma_ in self.change_verbs for t in sent)

    # --- drafts -----------------------------------------------------------------

    def drafts(self, doc: Doc, found: list[Candidate], unit: TextUnit, periods: list[Period]) -> list[Draft]:
        drafts: list[Draft] = []
        for c in (c for c in found if c.emitted):
            kind, origin = self.kind(doc, c, unit, periods), c.origin
            if origin is not None and kind is MetricKind.TARGET and not unit.in_plan:
                # "Increase ... from 87% to 100%": the old level is today's figure, the new one the target.
                origin.role = ""
                drafts.append(self.draft(doc, origin, MetricKind.BASELINE, found=found, unit=unit, periods=periods))
                origin = None
            elif origin is not None and kind is not MetricKind.TARGET:
                kind = MetricKind.CHANGE
            drafts.append(self.draft(doc, c, kind, found=found, unit=unit, periods=periods, origin=origin))
        return sorted(drafts, key=lambda d: d.candidate.span.start)

    def draft(
        self,
        doc: Doc,
        c: Candidate,
        kind: MetricKind,
        *,
        found: list[Candidate],
        unit: TextUnit,
        periods: list[Period],
        origin: Candidate | None = None,
    ) -> Draft:
        subject = self.subjects.subject(doc, c, found, periods)
        # The quote is the shortest stretch of the figure's own sentence that states it.
        sent = c.span.sent
        spans = [x for x in (c.span, origin.span if origin else None, subject) if x is not None and within(x, sent)]
        start, end = min(s.start_char for s in spans), max(s.end_char for s in spans)
        if len(spans) == 1:
            start = self.subjects.lead_in(doc, c, found, periods)
        value_is = self.value_is(doc, c, found, origin)
        relative = value_is is not ValueIs.LEVEL
        reported = value_is is ValueIs.CHANGE and kind is not MetricKind.TARGET
        compared = self.compared_period(doc, c, periods) if reported else ""
        if compared:
            # "41 fewer children in care than in 2021": a change since the date it names, not today's level
            kind = MetricKind.CHANGE
        period, norm = self.period(doc, c, unit, kind, periods=periods, found=found, relative=relative)
        # a target's old value, even when it is stated as today's level ("from 15 to 30"), gives its direction;
        # a reported change stated as its size ("41 fewer", "rose by 20") goes the way its words say
        direction: Direction | None = None
        if kind is MetricKind.TARGET:
            direction = self.direction(doc, c, unit, origin or c.origin)
        elif reported:
            direction = self.direction_reported(doc, c.span)
        # A table cell holding only a figure is named by its row ("LA 2021-22 | 61%").
        label = unit.row_label if not unit.in_plan else ""
        subject_text = subject.text if subject is not None else label
        quote = doc.text[start:end]
        return Draft(
            c,
            kind,
            origin.value if origin else None,
            direction,
            period,
            norm,
            subject_text,
            self.subjects.group(doc, c, found, subject_text),
            quote=quote,
            context=(
                quote,
                *self.context(doc, c, found=found, unit=unit, periods=periods, origin=origin, subject=subject),
            ),
            wide=_own_sentence(c, found),
            clues=self.clues.read(doc, c, found, subject, unit),
            unit=self.subjects.unit(doc, c, found, periods, subject_text),
            timed=self.subjects.timed(doc, c, found, periods, subject_text),
            value_is=value_is,
            compared_with=compared,
        )

    def compared_period(self, doc: Doc, c: Candidate, periods: list[Period]) -> str:
        """The date a change is measured from, as written: after "than" ("41 fewer than in 2021", "20 more than
        at the end of March 2021": `periods.comparisons`), or after "on" or "since" ("an increase of 5% on
        2022", "rose by 20 since 2019": `periods.change_comparisons`), or a previous year in words after "than"
        ("12 more than last year": `changes.previous`); "" when its sentence names none after it."""
        sent = c.span.sent
        for p in periods:
            if c.span.end_char <= p.start and p.end <= sent.end_char:
                before = doc.text[: p.start].rstrip().casefold()
                if self.after_comparison(before) or self.compared_with(doc.text, p):
                    return as_written(doc.text, p, self.cues.statements.period_prefixes)
        comparisons = self.cues.statements.period_comparisons
        for i in range(c.span.end, sent.end - 1):
            previous = find_cue(doc, i + 1, self.previous) if doc[i].lower_ in comparisons else None
            if previous:
                return doc[i + 1 : i + 1 + len(previous)].text
        return ""

    def context(
        self,
        doc: Doc,
        c: Candidate,
        *,
        found: list[Candidate],
        unit: TextUnit,
        periods: list[Period],
        origin: Candidate | None,
        subject: Span | None,
    ) -> tuple[str, ...]:
        """Where else the measure may be named: the old value's subject ("... was 50%. ... this figure
        increased to 71%"), the sentence before a figure that only refers back to it ("As of the 31
        March 2022 this figure was 27%"), a table row's label for a cell holding only a figure, the
        action a bare timescale figure pairs with ("2009 8%" -> "Reduce the percentage of CiC missing
        school") unless the figure has a label of its own ("Accredited Outcome: 4.7%")."""
        texts = []
        if origin is not None:
            before = self.subjects.subject(doc, origin, found, periods)
            texts.append(before.text if before is not None else "")
        elif self.refers_back(doc, c, found, periods, subject):
            sentences = [sent for sent in doc.sents if sent.end <= c.span.sent.start]
            texts.append(sentences[-1].text if sentences else "")
        if len(c.span) == len(doc) and not unit.in_plan:
            texts.append(f"{unit.row_label} {unit.column} {unit.heading}")
        if unit.role == "timescale" and self.subjects.label(doc, c, found, periods) is None:
            # a figure that labels itself ("Accredited Outcome: 4.7%") is what its label names
            texts.append(unit.paired_action)
        return tuple(t for t in texts if t.strip())

    # --- kind and direction -----------------------------------------------------

    def kind(self, doc: Doc, c: Candidate, unit: TextUnit, periods: list[Period]) -> MetricKind:
        """The nearest cue decides; then where the number stands. A factor verb kept is a commitment, unless
        it reports what was done ("we managed to halve"); so is no figure whose sentence reports so."""
        if c.factor:
            return MetricKind.BASELINE if unit.complete or c.achieved else MetricKind.TARGET
        sent = c.span.sent
        nearest = self.nearest_kind_cue(doc, c.span)
        if nearest is MetricKind.BASELINE:
            return MetricKind.BASELINE
        if nearest is MetricKind.TARGET and self.reported_change(doc, c.span):
            return MetricKind.CHANGE
        cued = nearest is MetricKind.TARGET or self.qualified(doc, c.span)
        if cued:
            return MetricKind.TARGET
        if any(self.screen.achieved(doc, i) for i in range(_clause_start(doc, c.span), c.span.start)):
            # "we managed to reduce placement moves by 10% by 2023": done, whatever its date or place
            return MetricKind.BASELINE
        column = self.column_kind(unit.column) if not unit.in_plan else None
        if column is not None:
            return column
        # "Placement stability is 68% and we aim to reach 75% by 2026": the aim is the next clause's
        own_end = _own_clause_end(doc, c.span)
        later = any(self.is_target_cue(doc, i) for i in range(c.span.end, min(own_end, _clause_end(doc, c.span))))
        if later or self.has_deadline(doc, doc[sent.start : max(own_end, c.span.end)], periods):
            return MetricKind.TARGET
        if unit.in_plan:
            return MetricKind.BASELINE if unit.complete else MetricKind.TARGET
        return MetricKind.TARGET if self.is_target_heading(unit.heading) else MetricKind.BASELINE

    def column_kind(self, column: str) -> MetricKind | None:
        """The kind a table column's header gives its figures ("Baseline 2023", "Target 2025")."""
        if not column.strip():
            return None
        tokens = _parse(column)
        for kind, cues in self.columns:
            if mentions(tokens, cues):
                return kind
        return None

    def nearest_kind_cue(self, doc: Doc, span: Span) -> MetricKind | None:
        for i in range(span.start - 1, span.sent.start - 1, -1):
            cue = find_cue(doc, i, self.baseline_cues)
            if cue and not (i + len(cue) < len(doc) and doc[i + len(cue)].text == "+"):
                return MetricKind.BASELINE
            if self.is_target_cue(doc, i):
                return MetricKind.TARGET
        return None

    def reported_change(self, doc: Doc, span: Span) -> bool:
        """ "…, an increase of 5% on 2022": a change named by a noun ("an increase", "a reduction") in a
        sentence that commits to nothing ("we will", "aim to") reports what happened; it is no target."""
        cue_at = next((i for i in range(span.start - 1, span.sent.start - 1, -1) if self.is_target_cue(doc, i)), None)
        if cue_at is None or cue_at == span.sent.start or doc[cue_at - 1].lower_ not in {"a", "an"}:
            return False
        screen = self.cues.screen
        commits = {*screen.factor_commitments, *screen.factor_aims} - {"to", "and", "or"}
        return not any(t.lemma_.lower() in commits or t.lower_ in commits for t in doc[span.sent.start : cue_at])

    def is_target_cue(self, doc: Doc | Span, i: int) -> bool:
        return find_cue(doc, i, self.target_cues) is not None and self.in_force(doc, i)

    def in_force(self, doc: Doc | Span, i: int) -> bool:
        """A cue verb counts in its base form; its past form only after a passive auxiliary ("is reduced")."""
        token = doc[i]
        if self.screen.achieved(doc, i):
            return False  # "we managed to reduce": what was done
        past = token.lower_.endswith("ed") and token.lower_ != token.lemma_
        return not past or (i > 0 and doc[i - 1].lower_ in self.cues.statements.passive_auxiliaries)

    def qualified(self, doc: Doc, span: Span) -> bool:
        """ "at least 75%"."""
        return any(matches_at(doc, span.start - len(cue), cue) for cue in self.qualifiers)

    def has_deadline(self, doc: Doc, sent: Span, periods: list[Period]) -> bool:
        """ "by 2009" in the sentence."""
        deadline = self.cues.statements.deadline_words
        inside = (p for p in periods if sent.start_char <= p.start < sent.end_char)
        return any(as_written(doc.text, p, deadline) != p.raw for p in inside)

    def is_target_heading(self, heading: str) -> bool:
        if not heading:
            return False
        tokens = _parse(heading)
        return mentions(tokens, self.headings)

    def direction(self, doc: Doc, c: Candidate, unit: TextUnit, origin: Candidate | None) -> Direction:
        if c.factor:
            # "halve" (0.5) brings today's level down, "double" (2) up
            return Direction.DECREASE if c.value < 1 else Direction.INCREASE
        if origin is not None and origin.value != c.value:
            return Direction.INCREASE if c.value > origin.value else Direction.DECREASE
        if any(matches_at(doc, c.span.start - len(cue), cue) for cue in self.ceilings):
            # "to below 10%", "no more than 8%": a ceiling is a level to come down to
            return Direction.DECREASE
        baseline = self.row_baseline(c, unit)
        if baseline is not None:
            # a target column beside a baseline column: the target moves the figure from the baseline
            return _towards(baseline, c.value)
        near = self.direction_near(doc, c.span)
        sent = c.span.sent
        bare = not any(self.is_target_cue(doc, i) for i in range(sent.start, sent.end))
        if near is None and bare and unit.role == "timescale" and unit.paired_action:
            # A bare figure in a timescale cell ("2009 8%") moves the way its action says ("Reduce ...").
            near = self.first_direction(_parse(unit.paired_action))
        return near or Direction.REACH

    def row_baseline(self, c: Candidate, unit: TextUnit) -> float | None:
        """The figure of the same unit in the row's baseline column, for a target in a table."""
        if unit.in_plan:
            return None
        for column, text in unit.row_cells:
            if self.column_kind(column) is not MetricKind.BASELINE:
                continue
            cell = _parse(text)
            spans = [q for q in cell.spans[QUANTITIES] if unit_of(q) is c.unit]
            if len(spans) == 1:
                return value_of(spans[0], self.cues.numbers)
        return None

    def first_direction(self, doc: Doc) -> Direction | None:
        """The first direction a text gives, past thresholds ("5 or more GCSEs" is not an increase)."""
        for i in range(len(doc)):
            found = None if _after_number(doc, i) else self.direction_at(doc, i)
            if found:
                return found
        return None

    def direction_near(self, doc: Doc, span: Span) -> Direction | None:
        if span.start > 0 and doc[span.start - 1].text == "+":
            return Direction.INCREASE
        for i in range(span.start - 1, span.sent.start - 1, -1):
            # "with 3 or more placement moves": a threshold's words say nothing of the direction
            found = None if _after_number(doc, i) else self.direction_at(doc, i)
            if found:
                return found
        after = range(span.end, min(span.end + 2, span.sent.end))
        return next((d for i in after if (d := self.direction_at(doc, i))), None)

    def direction_reported(self, doc: Doc, span: Span) -> Direction | None:
        """The way a reported change went: the word right after its size ("41 fewer", "12 more"), else the
        nearest before it in its clause ("rose by 20", "an increase of 5%")."""
        after = self.direction_at(doc, span.end) if span.end < span.sent.end else None
        before = (self.direction_at(doc, i) for i in range(span.start - 1, _clause_start(doc, span) - 1, -1))
        return after or next((d for d in before if d is not None and d is not Direction.MAINTAIN), None)

    def direction_at(self, doc: Doc | Span, i: int) -> Direction | None:
        for direction, cues in self.directions:
            if find_cue(doc, i, cues) and self.in_force(doc, i):
                return direction
        return None

    # --- what the value states -------------------------------------------------

    def value_is(self, doc: Doc, c: Candidate, found: list[Candidate], origin: Candidate | None) -> ValueIs:
        """A factor by its unit ("halve", "four times"); the size of a change when its words say so
        ("increase this by 5%", "a 5% increase", "5 additional carers"); else a level ("to at least 70%").
        The new value of "from X to Y" is a level: X is stated beside it. A figure in percentage points is
        the difference of two percentages, always a change ("up 5 percentage points")."""
        if c.unit is Unit.OTHER:
            return ValueIs.FACTOR
        if c.unit is Unit.PERCENTAGE_POINTS:
            return ValueIs.CHANGE
        if origin is None and c.origin is None and self.states_change(doc, c, found):
            return ValueIs.CHANGE
        return ValueIs.LEVEL

    def states_change(self, doc: Doc, c: Candidate, found: list[Candidate]) -> bool:
        """Whether the words around a figure make it an amount added or taken away."""
        span = c.span
        nouns_of = tuple((*noun, "of") for noun in self.change_nouns)
        if any(_ends_at(doc, span.start, cue) for cue in self.added_before + nouns_of):
            return True
        if span.end < span.sent.end and find_cue(doc, span.end, self.added_after + self.change_nouns):
            return True
        if any(_ends_at(doc, span.start, cue) for cue in self.plus_signs):
            # "£2000 per annum + £500": a sum of two amounts, not a rise
            start = _clause_start(doc, span)
            return not any(o.emitted and start <= o.span.start and o.span.end < span.start for o in found)
        linked = any(_ends_at(doc, span.start, cue) for cue in self.change_links)
        return linked and self.change_word_before(doc, span)

    def change_word_before(self, doc: Doc, span: Span) -> bool:
        """ "increase this by 5%": a word of change earlier in the figure's clause."""
        return any(find_cue(doc, i, self.change_words) for i in range(_clause_start(doc, span), span.start))

    # --- period, subject, group -------------------------------------------------

    def period(
        self,
        doc: Doc,
        c: Candidate,
        unit: TextUnit,
        kind: MetricKind,
        *,
        periods: list[Period],
        found: list[Candidate],
        relative: bool = False,
    ) -> tuple[str, str]:
        """The date written with the figure; else its row's, its plan's timescale, its heading's. `relative`: the
        figure is a change or a factor, whose date after "on" or "since" is the one it is compared with."""
        sent = c.span.sent
        inside = [
            p
            for p in periods
            if sent.start_char <= p.start
            and p.end <= sent.end_char
            and not self.is_reference(doc.text, p)
            and not (relative and self.compared_with(doc.text, p))
            and not (self.compared_with(doc.text, p) and _figure_between(c, p, found))
        ]
        if kind is MetricKind.BASELINE:
            # today's level is never dated by a deadline in the clause that follows it ("from 12% to 6%, by
            # 2026"; "is 68% and we aim to reach 75% by 2026"): the deadline is the target's
            own_end = doc[_own_clause_end(doc, c.span) - 1].idx
            deadline = self.cues.statements.deadline_words
            is_target_of = any(o.origin is c for o in found)
            inside = [
                p
                for p in inside
                if as_written(doc.text, p, deadline) == p.raw or (not is_target_of and p.start < own_end)
            ]
        if c.origin is not None and within(c.origin.span, sent):
            # "from 10 in 2019/20 to 17 in 2021/22": the date written after the old value is its own.
            old = c.origin.span
            inside = [
                p
                for p in inside
                if p.start < old.end_char or _distance(doc.text, p, c.span) < _distance(doc.text, p, old)
            ]
        if inside:
            p = min(inside, key=lambda p: _distance(doc.text, p, c.span))
            return as_written(doc.text, p, self.cues.statements.period_prefixes), p.norm
        return self.period_around(doc, c, unit, kind)

    def is_reference(self, text: str, period: Period) -> bool:
        """A date the figure is compared with ("compared with 2013/14", "41 fewer than in 2021") or a
        citation ("(NSPCC, 2015)")."""
        before = text[: period.start].rstrip().casefold()
        compared = any(before.endswith(" ".join(cue)) for cue in self.compared)
        cited = bool(_CITATION.search(text[: period.start]) and text[period.end :].startswith(")"))
        return compared or self.after_comparison(before) or cited

    def compared_with(self, text: str, period: Period) -> bool:
        """Whether a change's date is the one it is compared with ("an increase of 5% on 2022", "since 2019")."""
        s = self.cues.statements
        words = text[: period.start].casefold().split()
        while words and words[-1] in s.period_comparison_links and words[-1] not in s.period_change_comparisons:
            words.pop()
        return bool(words) and words[-1] in s.period_change_comparisons

    def after_comparison(self, before: str) -> bool:
        """Whether a text ends with a comparison's "than", and only linking words after it ("fewer than in")."""
        s = self.cues.statements
        words = before.split()
        while words and words[-1] in s.period_comparison_links:
            words.pop()
        return bool(words) and words[-1] in s.period_comparisons

    def period_around(self, doc: Doc, c: Candidate, unit: TextUnit, kind: MetricKind) -> tuple[str, str]:
        """A figure with no date of its own takes its table column's or row's ("LA 2021-22 | 61%"), the paired
        timescale of its plan row ("March 2018"), or its heading's ("Vital Statistics 2013-14"; a
        plan's heading dates the plan, not its figures)."""
        if not unit.in_plan and len(c.span) == len(doc):
            texts = [unit.column, unit.row_label]
        elif unit.in_plan and kind is MetricKind.TARGET:
            texts = [unit.paired_timescale, unit.earlier if unit.role == "timescale" else ""]
        else:
            dated_by_heading = kind is not MetricKind.TARGET and not unit.in_plan and not self.names_term(unit.heading)
            texts = [unit.heading] if dated_by_heading else []
        for text in texts:
            found = find_periods(text)
            if found:
                # A timescale cell may name several dates ("Dec 2007 March 2008"): the last is the deadline.
                last = found[-1] if unit.in_plan else found[0]
                return as_written(text, last, self.cues.statements.period_prefixes), last.norm
        return "", ""

    def names_term(self, heading: str) -> bool:
        """Whether a heading names a plan and the years it runs for ("Anytown Care Leavers Plan 2024-2027"):
        its term, not the date of the figures under it."""
        spans = any(_years_spanned(p) > 1 for p in find_periods(heading))
        return spans and mentions(_parse(heading), self.term_words)


def _years_spanned(period: Period) -> int:
    """How many years a period runs past its first: 0 for "2013" or "March 2022", 1 for a financial year
    ("2013-14"), 3 for "2024-2027"."""
    first = _FIRST_YEAR.search(period.raw)
    return int(period.norm[:4]) - int(first.group(0)) if first and period.norm[:4].isdigit() else 0


def _figure_between(c: Candidate, period: Period, found: list[Candidate]) -> bool:
    """Whether another figure stands between a figure and a date after it ("58%, up 5 percentage points on
    2021": 2021 is what the change is compared with, not the date of 58%)."""
    return any(o is not c and o.emitted and c.span.end_char <= o.span.start_char < period.start for o in found)


def _own_sentence(c: Candidate, found: list[Candidate]) -> tuple[str, ...]:
    """The sentence of a figure when no other figure shares it (then it is about this one)."""
    shared = any(o is not c and o.emitted and within(o.span, c.span.sent) for o in found)
    return () if shared else (c.span.sent.text,)


def _after_number(doc: Doc | Span, i: int) -> bool:
    """Token i closes a threshold ("3 or more", "three moves or more", "5 or fewer")."""
    return i > 1 and doc[i - 1].lower_ == "or" and any(t.like_num for t in doc[max(0, i - 3) : i - 1])


def _towards(baseline: float, value: float) -> Direction:
    if value == baseline:
        return Direction.MAINTAIN
    return Direction.INCREASE if value > baseline else Direction.DECREASE


def _clause_end(doc: Doc, span: Span) -> int:
    """Where the clause of a number ends: the next comma, semicolon or colon, or the sentence end."""
    end = span.sent.end
    return next((i for i in range(span.end, end) if doc[i].text in (",", ";", ":")), end)


_NEW_CLAUSE = (frozenset({"and", "but", "while", "whereas"}), frozenset({"we", "our", "they", "it", "this", "the"}))
"""A conjunction and the subject of a new clause ("… is 68% and we aim to …"): where a figure's statement ends."""


def _own_clause_end(doc: Doc, span: Span) -> int:
    """Where the statement of a number ends: at a conjunction opening a new clause with its own subject
    ("and we aim", "but the target"), or the sentence end."""
    joins, subjects = _NEW_CLAUSE
    end = span.sent.end
    return next((i for i in range(span.end, end - 1) if doc[i].lower_ in joins and doc[i + 1].lower_ in subjects), end)


def _clause_start(doc: Doc, span: Span) -> int:
    """Where the clause of a number starts: after the last comma, semicolon or colon before it, or at its sentence."""
    start = span.sent.start
    return next((i + 1 for i in range(span.start - 1, start - 1, -1) if doc[i].text in (",", ";", ":")), start)


def _ends_at(doc: Doc, i: int, cue: Cue) -> bool:
    """Whether a cue is written right before token i ("by" in "by 5%", "increase of" in "increase of 5%")."""
    return matches_at(doc, i - len(cue), cue)


def _end_char(doc: Doc, i: int) -> int:
    return doc[i].idx + len(doc[i])


def _word_before(doc: Doc, span: Span, words: tuple[str, ...]) -> bool:
    return span.start > 0 and doc[span.start - 1].lower_ in words


def _compatible(old: Candidate, new: Candidate) -> bool:
    """Two numbers of one change share a unit; a bare old value takes the new one's ("from 4 to 18%")."""
    if old.unit is new.unit:
        return True
    if old.bare:
        old.unit = new.unit
        return True
    return False


def _nearest_before(c: Candidate, kept: list[Candidate]) -> Candidate | None:
    before = [
        o for o in kept if o.span.end <= c.span.start and within(o.span, c.span.sent) and not o.role and not o.origin
    ]
    return before[-1] if before and _compatible(c, before[-1]) else None


def _distance(text: str, period: Period, span: Span) -> int:
    """How far a date is from a figure; a date across a comma or semicolon counts as far."""
    before = period.end <= span.start_char
    gap = text[period.end : span.start_char] if before else text[span.end_char : period.start]
    return len(gap) + (1000 if any(mark in gap for mark in ",;") else 0)


def _attach_comparators(found: list[Candidate], drafts: list[Draft]) -> list[str]:
    """Each comparator goes to the local figure before it; those with none are returned."""
    loose: list[str] = []
    for c in (c for c in found if c.role == "comparator"):
        before = [d for d in drafts if d.candidate.span.start < c.span.start]
        if before:
            target = before[-1]
            target.comparator = "; ".join(x for x in (target.comparator, c.comparator) if x)
        else:
            loose.append(c.comparator)
    return loose
