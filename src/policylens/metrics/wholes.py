"""What a figure measures beyond its subject's words: the words around it, and the whole it is part of.

While a text is read (`ClueReader`, on its spaCy doc), a figure's clues are noted:

- a share's group: in "52% of children who had been in foster care for over 12 months were
  permanently matched" the clause from "who" defines the children the share is of; only the words
  after it ("were permanently matched") name what is measured;
- a population count of those a service reached ("is provided to 27 children in care") is not the
  population; a count of the children the council looks after ("responsible for more than 330
  children and young people") is the children in care;
- a part: "38 of these", a count that names only a group ("131 male"), a share stated after a count
  ("278 (84%)"), a figure in a benchmark table ("LA 2021-22 | 61%");
- a target on a word that points back ("Currently 62% of care leavers are in EET. We aim to increase
  this to 75% by 2027"): it measures what the figure before it measures.

Once the document's figures are read, `settle` gives a part with no indicator of its own the
indicator of its whole, and a target that points back the indicator and subject of its referent.
The cue words are in `data/metric_cues.toml` (`[indicators]`, `[wholes]`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Span

from policylens.metrics.nlp import find_cue, phrases, within
from policylens.metrics.quantities import Candidate
from policylens.metrics.reading import TextUnit
from policylens.metrics.vocab import MetricCues
from policylens.model import Metric, Unit

_WINDOW = 6
"""How many words before a figure may hold a cue about whom it counts ("responsible for more than")."""
_CLAUSE_MARKS = frozenset({",", ";", ":", "(", ")", "."})
_LEAD_WORDS = 4
"""How many words may open a sentence before a change that points back out of its text ("We aim to increase
this to 75%"); after more, the sentence has named what it points to itself ("Establish a baseline of how many
CIC currently participate ... and increase this by 5%")."""


@dataclass(slots=True)
class Clues:
    """What a figure's surroundings say about what it measures."""

    measure: str | None = None
    """For a share of a group defined by a clause: the words that name what is measured."""
    reached: bool = False
    """A count of those a service reached: not a population."""
    cared_for: bool = False
    """A count of the children the council looks after."""
    of_children: bool = False
    """A share of children ("52% of children are ..."): never a count of carers."""
    part: str = ""
    """"partitive", "share", "group" or "table": a figure that may be part of another; "referent": a target
    on a word that points back to another figure ("increase this to 75%")."""
    whole: Candidate | None = None
    """For a partitive, a share or a referent: the figure in the same text it is part of or points to."""


@dataclass(frozen=True, slots=True)
class Place:
    """Where a metric stands, for finding its whole once every figure of the document is read."""

    part: str = ""
    whole: int | None = None
    """Index of the whole among the document's metrics, for a partitive or a share."""
    section: str = ""


class ClueReader:
    """Reads the clues of one figure at a time with one set of cues."""

    def __init__(self, cues: MetricCues) -> None:
        ind = cues.indicators
        self.partitives = phrases(ind.partitives)
        self.reached_by = phrases(ind.reached_by)
        self.cared_for_before = phrases(ind.cared_for_before)
        self.children = ind.children
        self.children_cues = phrases(ind.children)
        self.determiners = frozenset(cues.statements.subject_leading)
        self.openers = frozenset(ind.group_openers)
        self.verbs = frozenset(ind.predicate_verbs)
        self.group_words = frozenset(cues.statements.group_words)
        s = cues.statements
        self.change_words = phrases(s.increase + s.decrease + s.maintain)
        self.referents = phrases(ind.referents)
        self.referent_links = frozenset(ind.referent_links)
        self.change_only = frozenset(
            (*(w for cue in phrases(s.increase + s.decrease + s.change_nouns) for w in cue), *ind.change_only)
        )
        self.trim = frozenset(s.subject_trim)

    def read(self, doc: Doc, c: Candidate, found: list[Candidate], subject: Span | None, unit: TextUnit) -> Clues:
        counted = c.unit is Unit.COUNT
        plain_children = subject is not None and " ".join(subject.text.casefold().split()) in self.children
        part, whole = self.part(doc, c, found, subject, unit)
        return Clues(
            measure=self.measure(c, subject),
            reached=counted and self.cue_before(doc, c.span, self.reached_by),
            cared_for=counted and plain_children and self.cue_before(doc, c.span, self.cared_for_before),
            of_children=c.unit is Unit.PERCENT and self.of_children(doc, c.span),
            part=part,
            whole=whole,
        )

    def measure(self, c: Candidate, subject: Span | None) -> str | None:
        """The predicate of a share whose subject opens with the group it is of ("children who had been
        in foster care for over 12 months | were permanently matched"), else None."""
        if c.unit is not Unit.PERCENT or subject is None or subject.start < c.span.end:
            return None
        # from the figure on: the subject was trimmed of "of those"
        words = subject.doc[c.span.end : subject.end]
        opener = next((k for k, t in enumerate(words) if t.lower_ in self.openers), None)
        if opener is None:
            return None
        for k in range(opener + 2, len(words)):
            if words[k].lower_ in self.verbs and words[k - 1].lower_ not in self.verbs:
                return words[k:].text
        return None

    def names_only_a_change(self, subject: Span | None) -> bool:
        """Whether a figure's own words name only a change ("an increase", "up"), not what changed."""
        words = [t for t in subject or () if t.is_alpha and t.lower_ not in self.trim]
        return bool(words) and all(t.lemma_ in self.change_only or t.lower_ in self.change_only for t in words)

    def of_children(self, doc: Doc, span: Span) -> bool:
        """ "52% of children", "40% of the young people"."""
        i = span.end
        if i >= len(doc) or doc[i].lower_ != "of":
            return False
        i += 1 + (i + 1 < len(doc) and doc[i + 1].lower_ in self.determiners)
        return find_cue(doc, i, self.children_cues) is not None

    def cue_before(self, doc: Doc, span: Span, cues: tuple[tuple[str, ...], ...]) -> bool:
        """A cue among the few words before a figure, in its clause ("is provided to 27")."""
        start = span.start
        while start > span.sent.start and span.start - start < _WINDOW and doc[start - 1].text not in _CLAUSE_MARKS:
            start -= 1
        return any(find_cue(doc, i, cues) for i in range(start, span.start))

    def points_back(self, doc: Doc, span: Span) -> int | None:
        """ "increase this to 75%", "reduce it to at least 10%", "maintain that figure at 95%": in the figure's
        clause, a word of change, a word that points back, then the figure or a link to it. Returns how many
        words of its sentence stand before the change, None when it does not point back."""
        for i in range(_clause_start(doc, span), span.start):
            change = find_cue(doc, i, self.change_words)
            referent = find_cue(doc, i + len(change), self.referents) if change else None
            after = i + len(change or ()) + len(referent or ())
            if referent and (after == span.start or (after < span.start and doc[after].lower_ in self.referent_links)):
                return i - span.sent.start
        return None

    def part(
        self, doc: Doc, c: Candidate, found: list[Candidate], subject: Span | None, unit: TextUnit
    ) -> tuple[str, Candidate | None]:
        earlier = [o for o in found if o is not c and o.emitted and o.span.end <= c.span.start]
        if find_cue(doc, c.span.end, self.partitives) and earlier:
            return "partitive", earlier[-1]
        lead = self.points_back(doc, c.span)
        alike = [o for o in earlier if o.unit is c.unit] or earlier
        if lead is not None and alike:
            # the figure pointed to: the nearest before it in this text, of its unit if one is
            return "referent", alike[-1]
        if lead is not None and lead <= _LEAD_WORDS:
            return "referent", None  # a figure in an earlier text (`settle`)
        described = [o for o in earlier if within(o.span, c.span.sent) and _alike(o.unit, c.unit)]
        if described and self.names_only_a_change(subject):
            # "45% ... had a dental check in 2023, an increase of 5% on 2022": the change of the figure before
            return "referent", described[-1]
        counts = [o for o in earlier if o.unit is Unit.COUNT and within(o.span, c.span.sent)]
        # a share "of children" says what it is a share of: not of the count before it
        if c.unit is Unit.PERCENT and counts and not self.of_children(doc, c.span):
            return "share", counts[-1]
        # "131 male", "72 are boys", "22,800 0-19's are female": only a group, past linking words and ages
        words = [t.lower_ for t in subject or () if t.is_alpha and t.lower_ not in self.trim]
        if c.unit is Unit.COUNT and words and all(w in self.group_words for w in words):
            return "group", None
        if unit.source.table is not None and not unit.in_plan and len(c.span) == len(doc):
            return "table", None
        return "", None


def _alike(unit: Unit, other: Unit) -> bool:
    """Whether a change in one unit can be of a figure in the other ("up 5 percentage points" of "60%")."""
    return _MEASURED.get(unit, unit) is _MEASURED.get(other, other)


_MEASURED = {Unit.PERCENTAGE_POINTS: Unit.PERCENT}


def _clause_start(doc: Doc, span: Span) -> int:
    start = span.start
    while start > span.sent.start and doc[start - 1].text not in _CLAUSE_MARKS:
        start -= 1
    return start


def settle(metrics: Sequence[Metric], places: Sequence[Place]) -> list[Metric]:
    """Each part with no indicator of its own takes its whole's, in reading order (so a whole that
    is itself a part has its indicator by then); a target that points back and names none takes its
    referent's indicator and subject ("We aim to increase" names nothing, "this" does). A breakdown of a
    total of its indicator names it in `part_of`: a partitive, a share, a group count ("131 male" of "253
    Children in Care") and a count narrower than a total before it (`_narrower`)."""
    settled = list(metrics)
    for k, (metric, place) in enumerate(zip(metrics, places, strict=True)):
        if not place.part:
            continue
        if place.part == "referent":
            if metric.indicator != "other":
                continue
            referent = place.whole if place.whole is not None else _whole_before(k, settled, places)
            if referent is not None:
                settled[k] = replace(metric, indicator=settled[referent].indicator, subject=settled[referent].subject)
            continue
        whole = place.whole if place.part in ("partitive", "share") else _whole_before(k, settled, places)
        if whole is None:
            continue
        if metric.indicator == "other":
            settled[k] = replace(metric, indicator=settled[whole].indicator)
        if place.part in _BREAKDOWNS and settled[k].indicator == settled[whole].indicator != "other":
            settled[k] = replace(settled[k], part_of=settled[whole].metric_id)
    return _narrower(settled, places)


_BREAKDOWNS = frozenset({"partitive", "share", "group"})
"""Parts that break a total down; a benchmark table's figure and a target on "this" restate or move it."""


def _narrower(metrics: list[Metric], places: Sequence[Place]) -> list[Metric]:
    """A count whose subject is a total's before it in its section with more words after them ("278 children
    in care recorded as White British" after "330 children in care"), of the same indicator and kind and
    smaller, is part of that total."""
    for k, metric in enumerate(metrics):
        if metric.part_of or metric.unit is not Unit.COUNT or metric.indicator == "other" or places[k].part:
            continue
        words = _words(metric.subject)
        for j in _section_before(k, places):
            whole = metrics[j]
            if (
                whole.unit is Unit.COUNT
                and not whole.part_of
                and (whole.indicator, whole.kind) == (metric.indicator, metric.kind)
                and whole.value > metric.value
                and 0 < len(_words(whole.subject)) < len(words)
                and words[: len(_words(whole.subject))] == _words(whole.subject)
            ):
                metrics[k] = replace(metric, part_of=whole.metric_id)
                break
    return metrics


def _words(text: str) -> list[str]:
    return text.casefold().split()


def _section_before(k: int, places: Sequence[Place]) -> list[int]:
    """The metrics before the k-th in its section, nearest first."""
    section = []
    for j in range(k - 1, -1, -1):
        if places[j].section != places[k].section:
            break
        section.append(j)
    return section


def _whole_before(k: int, metrics: list[Metric], places: Sequence[Place]) -> int | None:
    """For a group count: the nearest count before it in its section at least as large ("253 Children
    in Care" for "131 male"), not another group's ("122 female" is not part of "131 male"). For a benchmark
    table's figure: the figure stated before the table."""
    metric, place = metrics[k], places[k]
    section = _section_before(k, places)
    if place.part == "group":
        return next(
            (
                j
                for j in section
                if metrics[j].unit is Unit.COUNT and metrics[j].value >= metric.value and places[j].part != "group"
            ),
            None,
        )
    if place.part == "table" and metric.comparator:
        return next((j for j in section if metrics[j].source.table != metric.source.table), None)
    if place.part == "referent":
        # the figure pointed to, in an earlier text of the section: of the same unit if one is
        return next((j for j in section if metrics[j].unit is metric.unit), section[0] if section else None)
    return None
