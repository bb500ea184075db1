"""Themes of sections and actions, and links between documents, against hand labels.

tests/expected/themes/sections.csv and tests/expected/links/*.csv were labelled by reading the
documents and their action records (not from program output).
"""

from __future__ import annotations

import csv
import logging
import re
from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import pytest
from numpy.typing import NDArray

from policylens import embeddings
from policylens.embeddings import memoised, wordllama_embedder
from policylens.errors import EmbeddingsUnavailable
from policylens.lemmas import content_lemmas
from policylens.matching import (
    CommitmentMatcher,
    concepts_in,
    default_matcher,
    document_pairs,
    lineages,
    link,
    link_documents,
    load_concepts,
    load_decisions,
    restatements,
    score_links,
    series_key,
    unused_decisions,
)
from policylens.model import (
    Action,
    ActionSource,
    Document,
    Link,
    LinkDecision,
    Origin,
    Question,
    Relation,
    ThemeLevel,
)
from policylens.pipeline import action_themes, actions_of
from policylens.themes import ThemeClassifier, ThemeSettings, action_text, classify, load_taxonomy

from .conftest import DOC_IDS, EXPECTED


def rows(name: str) -> list[dict[str, str]]:
    with (EXPECTED / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def actions(corpus_docs: dict[str, Document]) -> tuple[Action, ...]:
    return actions_of(tuple(corpus_docs[d] for d in DOC_IDS))


@pytest.fixture(scope="module")
def themes(actions):  # type: ignore[no-untyped-def]
    return classify(actions)


def test_the_taxonomy_has_the_ten_themes() -> None:
    ids = [t.id for t in load_taxonomy().themes]
    assert ids == [
        "voice", "placements", "safeguarding", "health", "education",
        "employment", "leaving_care", "relationships", "corporate_parenting", "prevention",
    ]  # fmt: skip


def test_every_section_of_the_five_documents_has_its_hand_labelled_theme(themes) -> None:  # type: ignore[no-untyped-def]
    got = {(t.doc_id, t.target): t for t in themes if t.level is ThemeLevel.SECTION}
    wrong = [
        f"{r['doc_id']} {r['section']!r}: expected {r['primary_theme']}, got {got[(r['doc_id'], r['section'])].primary}"
        for r in rows("themes/sections.csv")
        if got[(r["doc_id"], r["section"])].primary != r["primary_theme"]
    ]
    assert len(got) == 46 and wrong == []


def test_action_themes_agree_with_two_readers(themes) -> None:  # type: ignore[no-untyped-def]
    """Two readers, blind to the program and to each other, gave every commitment a theme
    (themes/readings/); they agree on 272 of 279. The program agrees with them on 221 (79%); by each
    commitment's own text alone, without its section, on 208 (benchmarks/theme_quality.py)."""
    labels = {r["action_id"]: set(r["primary"].split("|")) for r in rows("themes/actions.csv")}
    got = {t.target: t.primary for t in themes if t.level is ThemeLevel.ACTION}
    assert set(got) == set(labels)
    assert sum(got[i] in labels[i] for i in labels) >= 221


def test_a_row_that_says_little_is_read_in_the_light_of_its_section(themes) -> None:  # type: ignore[no-untyped-def]
    by_id = {t.target: t for t in themes if t.level is ThemeLevel.ACTION}
    # "training for foster carers and health staff in relation to emotional support needs", under
    # "Keep me healthy": its words lean to foster carers, its section (and both readers) to health
    training = by_id["cheshire-east-2015#16"]
    assert training.primary == "health" and "placements" not in training.secondary
    assert training.evidence.startswith("its section's other commitments: health ")
    assert "its own text alone: placements (terms: foster" in training.evidence
    # a row clearly about something else keeps its own theme: "Increase the range and choice of
    # accommodation" is leaving care, though five of the eight other rows of its section are employment
    accommodation = by_id["halton-2008#67"]
    assert accommodation.primary == "leaving_care" and accommodation.evidence.startswith("terms: accommodation")
    assert ThemeSettings().section_weight == 0.5
    with pytest.raises(ValueError, match="section_weight"):
        ThemeSettings(section_weight=-1)


def test_assignments_explain_themselves(themes) -> None:  # type: ignore[no-untyped-def]
    health = next(t for t in themes if t.target == "8. We will look after your health by:")
    assert health.primary == "health" and health.evidence.startswith("actions by theme: health 5;")
    assert "terms:" in health.evidence and "nearest example:" in health.evidence
    actions_only = [t for t in themes if t.level is ThemeLevel.ACTION]
    assert len(actions_only) == 279 and all(t.evidence for t in actions_only)
    # each topic of a definition is an example of its own, so "therapeutic service" and "emotional
    # health" outweigh the row's measure "Reduction in placement breakdowns" (one seed's words)
    go4ward = next(t for t in actions_only if t.target == "halton-2017#30")
    assert (go4ward.primary, go4ward.secondary) == ("health", ("placements",))
    assert "therapeutic" in go4ward.evidence


def test_the_classifier_follows_the_estimator_contract() -> None:
    model = ThemeClassifier(secondary_ratio=0.5)
    assert model.get_params() == {"taxonomy": None, "secondary_ratio": 0.5, "min_score": 0.08}
    fitted = model.fit(["Recruit more foster carers"])
    assert fitted is model and hasattr(model, "profiles_")
    primary, _, _, _ = model.assign(model.vectors(["Complete every initial health assessment on time"]))
    assert primary == "health"
    with pytest.raises(ValueError, match="'secondary_ratio' parameter must be in"):
        ThemeClassifier(secondary_ratio=0).fit([])


def test_documents_to_compare() -> None:
    docs = ["halton-2008", "cheshire-east-2015", "halton-2017", "warrington-2022", "halton-2023"]
    pairs = document_pairs(docs)
    assert ("halton-2008", "halton-2017") in pairs and ("halton-2017", "halton-2023") in pairs
    assert ("halton-2008", "halton-2023") not in pairs
    assert ("cheshire-east-2015", "warrington-2022") in pairs and len(pairs) == 9
    assert series_key("halton-2017") == "halton"


def test_matcher_against_the_hand_labelled_links(actions, themes) -> None:  # type: ignore[no-untyped-def]
    true_links = [(r["a_id"], r["b_id"]) for r in rows("links/true_links.csv")]
    negatives = [(r["a_id"], r["b_id"]) for r in rows("links/hard_negatives.csv")]
    pairs = sorted({tuple(r["pair"].replace(">", "~").split("~")) for r in rows("links/true_links.csv")})
    links = link_documents(actions, pairs, action_themes(themes))
    ambiguous = [(r["a_id"], r["b_id"]) for r in rows("links/ambiguous.csv")]
    scores = score_links(links, true_links, negatives, restatements(actions), ambiguous)
    # floors against regressions; the goal is precision 0.85, recall 0.8 and no hard negative (see README)
    # the labels are three readers' majority (benchmarks/adjudicate_links.py, tests/expected/links/readings/)
    assert (len(true_links), len(negatives), len(ambiguous)) == (144, 32, 66)
    assert scores.precision >= 0.91 and scores.recall >= 0.39
    assert scores.negatives_linked == ()
    # Halton 2023 folds 51 actions into 14 objectives: a lower bar there finds the absorbed ones
    assert {("halton-2017#46", "halton-2023#9"), ("halton-2017#37", "halton-2023#11")}.isdisjoint(scores.missed)
    assert ("halton-2017#11", "cheshire-east-2015#37") not in scores.wrong  # a restatement of a labelled one


def test_the_labels_are_the_readers_majority(actions) -> None:  # type: ignore[no-untyped-def]
    """true_links.csv and ambiguous.csv follow from the three readings kept in links/readings/."""
    import importlib.util

    path = EXPECTED.parents[1] / "benchmarks" / "adjudicate_links.py"
    spec = importlib.util.spec_from_file_location("adjudicate_links", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    true_rows, unsure_rows, negatives = module.adjudicated(restatements(actions))
    assert [list(r.values()) for r in rows("links/true_links.csv")] == true_rows
    assert [list(r.values()) for r in rows("links/ambiguous.csv")] == unsure_rows
    assert negatives == 32
    readers = {r["readers"] for r in rows("links/true_links.csv")}
    assert readers == {
        "first: link; second: link",
        "second: link; third: link",
        "first: link; second: ambiguous; third: link",
    }
    # a hard negative is never a link by anyone's reading
    assert not {(r["a_id"], r["b_id"]) for r in rows("links/hard_negatives.csv")} & {(r[0], r[1]) for r in true_rows}


def test_embeddings_on_the_hand_labelled_links(actions, themes) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("wordllama", reason="the optional embeddings extra is not installed")
    root = logging.getLogger()
    before = (list(root.handlers), root.level)
    matcher = default_matcher(wordllama_embedder())
    assert (list(root.handlers), root.level) == before  # importing WordLlama leaves the caller's logging alone
    true_links = [(r["a_id"], r["b_id"]) for r in rows("links/true_links.csv")]
    negatives = [(r["a_id"], r["b_id"]) for r in rows("links/hard_negatives.csv")]
    pairs = sorted({tuple(r["pair"].replace(">", "~").split("~")) for r in rows("links/true_links.csv")})
    links = link_documents(actions, pairs, action_themes(themes), matcher)
    ambiguous = [(r["a_id"], r["b_id"]) for r in rows("links/ambiguous.csv")]
    scores = score_links(links, true_links, negatives, restatements(actions), ambiguous)
    assert scores.precision >= 0.89 and scores.recall >= 0.38  # a little below lexical alone, on these labels
    assert len(scores.negatives_linked) <= 1
    # "Relentlessly pursue the necessary actions to meet your needs" (under advocacy) -> independent advocacy
    assert ("halton-2017#7", "halton-2023#12") not in scores.missed


def test_each_text_is_embedded_once_and_the_oldest_go_first() -> None:
    asked: list[list[str]] = []

    def lengths(texts: Sequence[str]) -> NDArray[np.float32]:
        asked.append(list(texts))
        return np.array([[len(t), 1.0] for t in texts], dtype=np.float32)

    embed = memoised(lengths, 2, max_texts=3)
    assert embed(["ab", "abc", "ab"]).tolist() == [[2, 1], [3, 1], [2, 1]]
    assert embed(["abc", "abcd"]).tolist() == [[3, 1], [4, 1]]
    assert asked == [["ab", "abc"], ["abcd"]]  # "abc" was not embedded again
    embed(["x", "y"])  # five texts seen, three kept: "ab" and "abc" are gone
    embed(["ab"])
    assert asked[-1] == ["ab"] and embed([]).shape == (0, 2)


def test_embeddings_missing_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_module(name: str) -> object:
        raise ImportError(f"No module named {name!r}")

    monkeypatch.setattr(embeddings, "import_module", no_module)
    with pytest.raises(EmbeddingsUnavailable, match=r"pip install 'policylens\[embeddings\]'"):
        embeddings.wordllama_embedder()


def test_restatements_are_matched_once(actions) -> None:  # type: ignore[no-untyped-def]
    first = restatements(actions)
    assert (
        first["cheshire-east-2015#45"] == "cheshire-east-2015#12"
    )  # "Continue to increase the number of local Foster Carers"
    assert first["cheshire-east-2015#47"] == "cheshire-east-2015#15"  # "Cared For Children" / "cared for C&YP"
    assert first["cheshire-east-2015#50"] == "cheshire-east-2015#50"  # SDQ and leisure pass: a different commitment
    assert sum(1 for a, b in first.items() if a != b) == 37


def test_a_link_repeated_for_a_restated_copy_names_the_first_statement(actions, themes) -> None:  # type: ignore[no-untyped-def]
    by_doc = {d: [a for a in actions if a.doc_id == d] for d in DOC_IDS}
    links = link(by_doc["halton-2017"], by_doc["halton-2023"], action_themes(themes))
    health = {k.a_id: k for k in links if k.a_id in ("halton-2017#32", "halton-2017#33")}
    # Review Health Assessments are stated twice in 2017; the link is made once, on the first statement
    assert health["halton-2017#32"].b_id == health["halton-2017#33"].b_id == "halton-2023#7"
    assert (health["halton-2017#32"].restates, health["halton-2017#33"].restates) == ("", "halton-2017#32")
    assert health["halton-2017#33"].evidence.startswith("halton-2017#33 restates halton-2017#32; ")


def test_lineages_follow_every_chain_through_a_link() -> None:
    def linked(a: str, b: str) -> Link:
        relation = Relation.DROPPED if not b else Relation.NEW if not a else Relation.REVISED
        return Link(
            a.split("#", maxsplit=1)[0] or "x-1", a, a, b.split("#", maxsplit=1)[0] or "x-3", b, b, relation, 0.5, ""
        )

    links = [linked("x-1#1", "x-2#1"), linked("x-1#2", "x-2#1"), linked("x-2#1", "x-3#1"), linked("x-2#1", "x-3#2")]
    links += [linked("x-2#2", ""), linked("", "x-3#3")]
    chains = lineages(links)
    assert chains[("x-1#1", "x-2#1")] == ("x-1#1 -> x-2#1 -> x-3#1", "x-1#1 -> x-2#1 -> x-3#2")
    assert chains[("x-2#1", "x-3#2")] == ("x-1#1 -> x-2#1 -> x-3#2", "x-1#2 -> x-2#1 -> x-3#2")
    assert chains[("x-2#2", "")] == ("x-2#2",) and chains[("", "x-3#3")] == ("x-3#3",)


def test_score_links_counts_either_copy_and_either_direction() -> None:
    def one(a: str, b: str) -> Link:
        return Link(a.split("#", maxsplit=1)[0], a, "", b.split("#", maxsplit=1)[0], b, "", Relation.REVISED, 0.5, "")

    predicted = [one("x#1", "y#3"), one("x#2", "y#9")]
    scores = score_links(predicted, [("x#1", "y#2"), ("y#5", "x#2")], [("x#2", "y#9")], {"y#3": "y#2"})
    assert (scores.recall, scores.precision) == (0.5, 0.5)
    assert scores.missed == (("y#5", "x#2"),) and scores.negatives_linked == (("x#2", "y#9"),)
    # a link to a pair a reader could call either way is neither right nor wrong
    unjudged = score_links(predicted, [("x#1", "y#2"), ("y#5", "x#2")], (), {"y#3": "y#2"}, [("y#9", "x#2")])
    assert (unjudged.recall, unjudged.precision, unjudged.wrong) == (0.5, 1.0, ())


def test_links_carry_relation_evidence_and_changes(actions, themes) -> None:  # type: ignore[no-untyped-def]
    by_doc = {d: [a for a in actions if a.doc_id == d] for d in DOC_IDS}
    links = link(by_doc["halton-2008"], by_doc["halton-2017"], action_themes(themes))
    recruit = next(k for k in links if k.a_id == "halton-2008#21" and k.b_id)
    assert recruit.b_id == "halton-2017#1" and recruit.relation is Relation.REVISED
    assert "foster" in recruit.evidence and any(c.startswith("deadline: 2009") for c in recruit.changes)
    kinds = {k.relation for k in links}
    assert {Relation.DROPPED, Relation.NEW} <= kinds
    dropped = next(k for k in links if k.relation is Relation.DROPPED)
    assert dropped.b_doc == "halton-2017" and not dropped.b_id and dropped.a_seq is not None
    assert CommitmentMatcher().get_params()["threshold"] == 0.22


def test_an_unlinked_commitment_names_where_it_came_closest(actions, themes) -> None:  # type: ignore[no-untyped-def]
    by_doc = {d: [a for a in actions if a.doc_id == d] for d in DOC_IDS}
    matcher = CommitmentMatcher().fit([action_text(a) for a in actions])  # as the main job: all five documents
    links = link(by_doc["halton-2017"], by_doc["halton-2023"], action_themes(themes), matcher)
    go4ward = next(k for k in links if k.a_id == "halton-2017#30")
    # absorbed into 2023's mental health objective: few words in common, but the bar is lower where
    # 51 actions fold into 14 objectives (0.22 / (50 / 14) ** 0.3 = 0.15 for the first statements)
    assert (go4ward.relation, go4ward.b_id) == (Relation.REVISED, "halton-2023#7")
    pathway = next(k for k in links if k.a_id == "halton-2017#43")
    # labelled as absorbed into 2023's transition objective, which the matcher misses: the auditor sees it
    assert pathway.relation is Relation.DROPPED and not pathway.b_id
    assert re.search(r"; nearest: halton-2023#9 \(score 0\.13\d, below the 0\.15\d a link needs\)$", pathway.evidence)
    awards = next(k for k in links if k.a_id == "halton-2017#8")  # celebration of achievement awards
    # too little in common too, but what kept it apart is the score: the evidence names what stopped it
    assert awards.evidence.endswith("nearest: halton-2023#12 (score 0.023, below the 0.150 a link needs)")
    new = next(k for k in links if k.relation is Relation.NEW)
    assert new.evidence.startswith("no counterpart in halton-2017")
    # "it matches others better" says which: the later objective is full, or the earlier action prefers another
    (staying_put,) = [k for k in links if k.a_id == "halton-2017#48"]
    assert staying_put.evidence.endswith(
        "nearest: halton-2023#4 (score 0.156, 5 of halton-2017's commitments match halton-2023#4 better, and a link"
        " must be among its best 5)"
    )
    (education,) = [k for k in links if k.b_id == "halton-2023#5" and not k.a_id]
    assert education.evidence.endswith(
        "nearest: halton-2017#23 (score 0.220, halton-2017#23 matches halton-2023#6 better (0.274))"
    )
    (alone,) = [k for k in links if k.a_id == "halton-2017#13"]
    assert alone.evidence == "no counterpart in halton-2023; no candidate shares a distinctive term"


def test_a_concept_phrase_whose_meaning_is_in_its_small_words_is_found_as_written() -> None:
    concepts = load_concepts()

    def found(text: str) -> list[str]:
        return concepts_in(content_lemmas([text])[0], concepts, text)

    # without stop words "staying put" is "stay", "further education" is "education": they must not mark every text
    assert "@accommodation" in found("Ensure the Staying Put Policy is discussed with foster carers")
    assert "@accommodation" not in found("Help children stay in touch with their friends")
    assert "@higher_education" in found("Support care leavers in further education")
    assert "@higher_education" not in found("Improve the education of children in care")
    assert "@independence_skills" not in found("Provide access to independent advocates and independent visitors")
    assert "@placement_stability" in found("Reduce placement moves for children in care")


def test_a_reviewers_decisions_make_and_refuse_links(actions, themes, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """An auditor who has read both commitments records the call once; linking follows it and says so."""
    decisions = tmp_path / "decisions.csv"
    decisions.write_text(
        "a_id,b_id,decision,note\n"
        # missed: a tenancy officer for new tenancies, absorbed by 2023's transition support with housing
        "halton-2017#45,halton-2023#9,link,part of transition support with housing\n"
        # a pair the matcher links wrongly; named by the earlier commitment's restated copy, later side first
        "warrington-2022#71,cheshire-east-2015#59,NOT,tracking destinations is not widening opportunities\n",
        encoding="utf-8",
    )
    reviewed = load_decisions(decisions)
    pairs = [("halton-2017", "halton-2023"), ("cheshire-east-2015", "warrington-2022")]
    before = link_documents(actions, pairs, action_themes(themes))
    after = link_documents(actions, pairs, action_themes(themes), decisions=reviewed)

    def linked(links: Sequence[Link], a_id: str, b_doc: str) -> list[str]:
        return [k.b_id for k in links if k.a_id == a_id and k.b_doc == b_doc and k.b_id]

    assert linked(before, "halton-2017#45", "halton-2023") == []
    assert linked(after, "halton-2017#45", "halton-2023") == ["halton-2023#9"]
    tenancy = next(k for k in after if (k.a_id, k.b_id) == ("halton-2017#45", "halton-2023#9"))
    assert tenancy.relation is Relation.REVISED
    assert tenancy.evidence.startswith(f"linked by review ({decisions}: part of transition support with housing); ")
    assert "warrington-2022#71" in linked(before, "cheshire-east-2015#29", "warrington-2022")
    assert linked(after, "cheshire-east-2015#29", "warrington-2022") == []  # and its restated copy neither
    (refused,) = [k for k in after if k.a_id == "cheshire-east-2015#29" and k.b_doc == "warrington-2022"]
    assert f"; not warrington-2022#71, by review ({decisions})" in refused.evidence  # the auditor sees why
    # nothing else moves: the one pair linked, the refused pair (and its restated copy's row) unlinked
    pairs_before = {(k.a_id, k.b_id) for k in before if k.a_id and k.b_id}
    pairs_after = {(k.a_id, k.b_id) for k in after if k.a_id and k.b_id}
    assert pairs_after - pairs_before == {("halton-2017#45", "halton-2023#9")}
    assert pairs_before - pairs_after == {
        ("cheshire-east-2015#29", "warrington-2022#71"),
        ("cheshire-east-2015#59", "warrington-2022#71"),
    }


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("a_id,b_id,note\nx#1,y#2,\n", "has no column decision"),
        ("a_id,b_id,decision\nhalton-2017#1,halton-2023#4,maybe\n", ":2: decision 'maybe' is neither 'link' nor 'not'"),
        ("a_id,b_id,decision\nhalton-2017#1,,link\n", ":2: needs two commitment ids such as halton-2017#5"),
        (
            "a_id,b_id,decision\nhalton-2017#1,halton-2023#4,link\nhalton-2023#4,halton-2017#1,not\n",
            ":3: contradicts",
        ),
    ],
)
def test_a_bad_decisions_file_names_the_row_and_says_what_to_do(tmp_path, text: str, problem: str) -> None:  # type: ignore[no-untyped-def]
    from policylens.errors import BadDecisions

    path = tmp_path / "decisions.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BadDecisions, match="decision \\(link or not\\)") as raised:
        load_decisions(path)
    assert problem in str(raised.value) and raised.value.code == "PL113"


def test_sharing_only_how_councils_work_is_no_link(actions, themes) -> None:  # type: ignore[no-untyped-def]
    """ "Undertake data and trend analysis" and "items from the Children's Society report are regularly
    reported" share "report" and @governance: how a council works, not what it commits to."""
    links = link_documents(actions, [("halton-2008", "cheshire-east-2015")], action_themes(themes))
    (data,) = [k for k in links if k.a_id == "halton-2008#1"]
    assert data.relation is Relation.DROPPED
    assert data.evidence.endswith("nearest: cheshire-east-2015#7 (score 0.210, too few distinctive terms in common)")
    assert load_concepts().means == {"@governance", "@partnership", "@workforce"}
    # a concept of what is committed to still links on its own with a word ("placement" and @placement_stability)
    matcher = CommitmentMatcher().fit([action_text(a) for a in actions])
    a, b = matcher.tokens(["Reduce placement moves"]), matcher.tokens(["Fewer placement breakdowns"])
    assert matcher._telling(set(a[0]) & set(b[0]))
    # a phrase of such a concept is one thing in common, not a word pair and its two words
    a, b = matcher.tokens(["Make social workers aware of the SDQ"]), matcher.tokens(["See their social workers"])
    assert {"social worker", "@workforce"} <= set(a[0]) & set(b[0]) and not matcher._telling(set(a[0]) & set(b[0]))
    # a concept's phrase that is a stop word alone is still found ("alone": @statutory_visits)
    a, b = matcher.tokens(["Ask to see you alone on a visit"]), matcher.tokens(["See their social workers alone"])
    assert matcher._telling(set(a[0]) & set(b[0]))


def test_what_only_an_aim_shares_does_not_link(actions, themes) -> None:  # type: ignore[no-untyped-def]
    """Halton 2017's row under "meeting your physical, emotional and mental health needs" invites a child to
    an Initial Health Assessment; Cheshire East improves access to mental health services (a hard negative):
    "mental health" is in the one's aim only, so it cannot show they are the same commitment."""
    links = link_documents(actions, [("cheshire-east-2015", "halton-2017")], action_themes(themes))
    assert not [k for k in links if (k.a_id, k.b_id) == ("cheshire-east-2015#15", "halton-2017#31")]
    (assessment,) = [k for k in links if k.b_id == "halton-2017#31"]
    assert assessment.relation is Relation.NEW
    assert assessment.evidence.endswith(
        "nearest: cheshire-east-2015#15 (score 0.210, what they share is only in the aim heading a row)"
    )


def test_a_call_linking_cannot_follow_is_named_with_why(actions, tmp_path) -> None:  # type: ignore[no-untyped-def]
    decisions = tmp_path / "decisions.csv"
    decisions.write_text(
        "a_id,b_id,decision\n"
        "halton-2017#45,halton-2023#9,link\n"
        "halton-2017#99,halton-2023#9,link\n"
        "halton-2017#1,halton-2017#2,link\n"
        "halton-2008#1,halton-2023#1,link\n"
        # cheshire-east-2015#45 restates #12: the two rows call one pair both ways
        "cheshire-east-2015#12,warrington-2022#42,link\n"
        "cheshire-east-2015#45,warrington-2022#42,not\n",
        encoding="utf-8",
    )
    pairs = document_pairs(list(DOC_IDS))
    unused = {d.where.rsplit(":", 1)[1]: why for d, why in unused_decisions(load_decisions(decisions), actions, pairs)}
    assert set(unused) == {"3", "4", "5", "6", "7"}  # row 2 is followed
    assert unused["3"].startswith("halton-2017#99 is no commitment of the documents read")
    assert unused["4"].startswith("both are commitments of halton-2017")
    assert unused["5"].startswith("halton-2008 and halton-2023 are not compared")
    assert unused["6"] == unused["7"] and "the other way; neither is used" in unused["6"]


def test_scope_says_which_side_says_more(actions, themes) -> None:  # type: ignore[no-untyped-def]
    """ "Continue to increase the number of local Foster Carers" -> Warrington's "Increase the recruitment &
    retention of Foster Carers", with a marketing strategy: close words, but Warrington says much more."""
    links = link_documents(actions, [("cheshire-east-2015", "warrington-2022")], action_themes(themes))
    (carers,) = [k for k in links if (k.a_id, k.b_id) == ("cheshire-east-2015#12", "warrington-2022#42")]
    assert carers.relation is Relation.REVISED and carers.score >= default_matcher().same_threshold
    assert carers.changes[-1] == "scope: b adds to a (64% of a's distinctive terms in b, 8% of b's in a)"


def test_another_councils_lead_is_said_but_no_revision(actions, themes) -> None:  # type: ignore[no-untyped-def]
    """Every council names its own officers: between two councils a lead is never the same."""
    by_id = {a.action_id: a for a in actions}
    access = replace(by_id["cheshire-east-2015#15"], leads=("Head of Health Commissioning",))
    timely = replace(by_id["warrington-2022#17"], leads=("Designated Nurse for Children in Care",))
    pair = [a for a in actions if a.action_id not in {access.action_id, timely.action_id}]
    links = link_documents([*pair, access, timely], [("cheshire-east-2015", "warrington-2022")], action_themes(themes))
    (mental_health,) = [k for k in links if (k.a_id, k.b_id) == (access.action_id, timely.action_id)]
    assert mental_health.relation is Relation.CARRIED_FORWARD
    assert mental_health.changes == ("lead: Head of Health Commissioning -> Designated Nurse for Children in Care",)
    # within one council, another lead revises the commitment
    later = replace(timely, doc_id="cheshire-east-2019")
    matcher = default_matcher().fit([action_text(a) for a in actions])
    (kept,) = [k for k in link([access], [later], action_themes(themes), matcher) if k.b_id == later.action_id]
    assert kept.relation is Relation.REVISED and kept.changes[0].startswith("lead: Head of Health")


def test_another_deadline_revises_a_commitment_but_one_left_out_does_not(actions, themes) -> None:  # type: ignore[no-untyped-def]
    """The issue's `revised`: the same aim with another target, deadline, scope or lead. A deadline one side
    leaves out is an omission (Halton 2023 gives none), as a lead named on one side only is."""
    from datetime import date

    from policylens.model import Timescale, TimescaleKind

    by_id = {a.action_id: a for a in actions}
    access, timely = by_id["cheshire-east-2015#15"], by_id["warrington-2022#17"]
    matcher = default_matcher().fit([action_text(a) for a in actions])

    def relation(a: Action, b: Action) -> tuple[Relation, tuple[str, ...]]:
        (found,) = [k for k in link([a], [b], action_themes(themes), matcher) if k.b_id == b.action_id]
        return found.relation, found.changes

    march_2018 = Timescale("March 2018", TimescaleKind.DATE, date(2018, 3, 31), (date(2018, 3, 31),))
    march_2025 = Timescale("March 2025", TimescaleKind.DATE, date(2025, 3, 31), (date(2025, 3, 31),))
    dated = replace(access, timescale=march_2018)
    assert relation(dated, replace(timely, timescale=march_2025)) == (
        Relation.REVISED,
        ("deadline: March 2018 -> March 2025",),
    )
    assert relation(dated, timely) == (Relation.CARRIED_FORWARD, ("deadline: March 2018 -> none",))
    # "Ongoing" gives no date: an omission too; the same date worded otherwise is no change at all
    ongoing = replace(timely, timescale=Timescale("Ongoing", TimescaleKind.ONGOING))
    assert relation(dated, ongoing) == (Relation.CARRIED_FORWARD, ("deadline: March 2018 -> Ongoing",))
    same_day = Timescale("31 March 2018", TimescaleKind.DATE, date(2018, 3, 31), (date(2018, 3, 31),))
    assert relation(dated, replace(timely, timescale=same_day)) == (Relation.CARRIED_FORWARD, ())


def test_a_deadline_says_each_date_once() -> None:
    from policylens.matching import _when
    from policylens.model import Timescale, TimescaleKind

    def when(raw: str, targets: tuple[str, ...] = ()) -> str:
        action = Action("x", 1, "", "a", Origin.TABLE_ROW, ActionSource("x.txt", 0, None, (), ()))
        return _when(replace(action, timescale=Timescale(raw, TimescaleKind.DATE, targets=targets)))

    assert when("2008\n2008") == "2008"
    assert when("2009 Reduce the number to 15% by 2009", ("Reduce the number to 15%",)) == "2009"
    assert when("2009 by 2009 by 2010") == "2009 by 2010"  # only a year said alone before goes
    assert when("Phase 1 by 2010\nPhase 2 by 2010") == "Phase 1 by 2010 Phase 2 by 2010"


def test_the_review_sheet_asks_about_near_misses_and_narrow_links(actions, themes) -> None:  # type: ignore[no-untyped-def]
    """A dropped 2017 tenancy officer, absorbed by 2023's transition support with housing, is asked about;
    so is a link that only just cleared the bar."""
    from policylens.review import review_documents

    sheet = review_documents(actions, [("halton-2017", "halton-2023")], action_themes(themes))
    (tenancy,) = [r for r in sheet if (r.a_id, r.b_id) == ("halton-2017#45", "halton-2023#9")]
    assert tenancy.question is Question.LINK and tenancy.why == (
        "halton-2017#45 is dropped; halton-2023#9 is its nearest (score 0.139, below the 0.150 a link needs);"
        " shared: @accommodation"
    )
    assert tenancy.a_where == "text/halton-2017.txt line 400, table 13 row 3"
    keep = [r for r in sheet if r.question is Question.KEEP]
    assert keep and all(0.150 <= r.score < 0.200 and r.why.startswith("linked at ") for r in keep)
    assert len({(r.a_id, r.b_id) for r in sheet}) == len(sheet)  # each pair asked once
    assert tenancy.a_context.startswith("aim: Providing transitional support when moving into your first home")
    # a pair a reviewer has called is not asked again: the call ends the next sheet as it was made
    called = LinkDecision("halton-2017#45", "halton-2023#9", True, "housing", file="decisions.csv", row=2)
    again = review_documents(actions, [("halton-2017", "halton-2023")], action_themes(themes), decisions=[called])
    (decided,) = [r for r in again if (r.a_id, r.b_id) == ("halton-2017#45", "halton-2023#9")]
    assert again[-1] == decided and decided.question is Question.DECIDED and decided.score is None
    assert (decided.decision, decided.note, decided.why) == ("link", "housing", "called in decisions.csv")
    # a call on a commitment no document has says so where it is kept
    typo = LinkDecision("halton-2017#450", "halton-2023#9", True, "", file="decisions.csv", row=3)
    (kept,) = [
        r
        for r in review_documents(actions, [("halton-2017", "halton-2023")], action_themes(themes), decisions=[typo])
        if r.question is Question.DECIDED
    ]
    assert kept.why == "called in decisions.csv; no document compared has halton-2017#450"


def test_a_review_sheet_answered_once_reaches_the_recall_goal(actions, themes, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The sheet's rows answered as the three readers' labels answer them (a true link: link; a pair of a
    labelled commitment that is neither true nor ambiguous: not; else left blank) and given back as a
    decisions file: what one careful round of review reaches (benchmarks/matching_quality.py --review)."""
    from policylens.review import review_documents
    from policylens.store import REVIEW_COLUMNS, review_row, write_table

    true_links = [(r["a_id"], r["b_id"]) for r in rows("links/true_links.csv")]
    negatives = [(r["a_id"], r["b_id"]) for r in rows("links/hard_negatives.csv")]
    ambiguous = [(r["a_id"], r["b_id"]) for r in rows("links/ambiguous.csv")]
    pairs = sorted({tuple(r["pair"].replace(">", "~").split("~")) for r in rows("links/true_links.csv")})
    same = restatements(actions)

    def key(a_id: str, b_id: str) -> frozenset[str]:
        return frozenset((same.get(a_id, a_id), same.get(b_id, b_id)))

    truth, unsure = {key(*p) for p in true_links}, {key(*p) for p in ambiguous}
    labelled = {same.get(i, i) for p in true_links for i in p}
    sheet = review_documents(actions, pairs, action_themes(themes))
    answered = []
    for row in map(review_row, sheet):
        pair = key(row["a_id"], row["b_id"])
        decision = "link" if pair in truth else "not" if pair & labelled and pair not in unsure else ""
        answered.append(row | {"decision": decision})
    path = write_table(tmp_path / "review.csv", REVIEW_COLUMNS, answered)
    decisions = load_decisions(path)  # the rows left blank are skipped
    assert 0 < len(decisions) < len(sheet) == 474
    links = link_documents(actions, pairs, action_themes(themes), decisions=decisions)
    scores = score_links(links, true_links, negatives, same, ambiguous)
    assert scores.precision >= 0.94 and scores.recall >= 0.78


def test_targets_of_different_measures_say_what_each_measures(actions, themes) -> None:  # type: ignore[no-untyped-def]
    """Three ring-fenced apprenticeships against 75% of care leavers in EET: not one target changed."""
    levels = {
        "halton-2017#25": frozenset({("3", "care_leavers_apprenticeships")}),
        "warrington-2022#73": frozenset({("75%", "care_leavers_eet")}),
    }
    links = link_documents(actions, [("halton-2017", "warrington-2022")], action_themes(themes), levels=levels)
    (jobs,) = [k for k in links if (k.a_id, k.b_id) == ("halton-2017#25", "warrington-2022#73")]
    assert jobs.changes[0] == "target: 3 (care_leavers_apprenticeships) -> 75% (care_leavers_eet)"
    # one measure on both sides: the figures alone
    same = {**levels, "halton-2017#25": frozenset({("70%", "care_leavers_eet")})}
    links = link_documents(actions, [("halton-2017", "warrington-2022")], action_themes(themes), levels=same)
    (jobs,) = [k for k in links if (k.a_id, k.b_id) == ("halton-2017#25", "warrington-2022#73")]
    assert jobs.changes[0] == "target: 70% -> 75%"


def test_a_document_with_no_commitments_is_compared_without_failing(actions) -> None:  # type: ignore[no-untyped-def]
    later = [a for a in actions if a.doc_id == "halton-2017"]
    assert {k.relation for k in link([], later)} == {Relation.NEW} and len(link([], later)) == len(later)
    assert {k.relation for k in link(later, [])} == {Relation.DROPPED}


def test_a_decisions_file_saved_in_another_code_page_says_how_to_save_it(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from policylens.errors import BadDecisions

    path = tmp_path / "review.csv"
    path.write_bytes("a_id,b_id,decision,note\nhalton-2017#45,halton-2023#9,link,£2000 – housing\n".encode("cp1252"))
    with pytest.raises(BadDecisions, match=r"is not UTF-8 text \(line 2, byte 58\)") as raised:
        load_decisions(path)
    assert "Save it as 'CSV UTF-8'" in str(raised.value)
    path.write_text("a_id,b_id\nhalton-2017#45,halton-2023#9\n", encoding="utf-8")
    with pytest.raises(BadDecisions, match="has no column decision") as raised:
        load_decisions(path)
    assert "Give it a header row of the columns a_id, b_id, decision (link or not) and note" in str(raised.value)
    # a spreadsheet where the comma is the decimal mark saves its CSV with semicolons
    path.write_text("a_id;b_id;decision;note\nhalton-2017#45;halton-2023#9;link;housing\n", encoding="utf-8")
    with pytest.raises(BadDecisions, match="separates its columns with semicolons") as raised:
        load_decisions(path)
    assert "comma delimited" in str(raised.value)


@pytest.mark.parametrize(
    ("settings", "problem"),
    [({"per_commitment": 4}, "per_commitment must be 1, 2 or 3"), ({"floor": 1.5}, "floor must be a share")],
)
def test_review_settings_are_checked_once(settings: dict[str, float], problem: str) -> None:
    from policylens.review import ReviewSettings

    with pytest.raises(ValueError, match=problem):
        ReviewSettings(**settings)  # type: ignore[arg-type]


def test_a_timescale_with_no_date_is_no_deadline(actions, themes) -> None:  # type: ignore[no-untyped-def]
    links = link_documents(actions, [("cheshire-east-2015", "warrington-2022")], action_themes(themes))
    (involve,) = [k for k in links if (k.a_id, k.b_id) == ("cheshire-east-2015#3", "warrington-2022#66")]
    assert "timescale: none -> Ongoing Corporate Parenting Forum" in involve.changes
    assert not any(c.startswith("deadline:") for c in involve.changes)
