#!/usr/bin/env python3
"""Matching at national scale: 50,000 commitments made by rewording the real ones.

    .venv/bin/python benchmarks/matching_scale.py [--n 50000] [--seed 7]

The corpus's commitments are reworded at random (a phrase swapped for another phrase of the same
concept from data/concepts.toml, words dropped, clauses reordered, numbers and years changed) into
two synthetic documents of n/2 commitments each, every one a rewording of a known original, and
the two are matched as one pair: the worst case for a comparison (every commitment of one against
every commitment of the other, through sparse nearest neighbours, never all pairs). Prints the time
of each stage, the peak memory of the process, and how many rewordings were linked to a rewording
of the same original. Targets (issue 7): under 60 s and under 4 GB on the 2-core machine.
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import time
import tomllib
from dataclasses import replace
from importlib import resources
from pathlib import Path

from policylens import IngestSettings, ingest
from policylens.matching import CommitmentMatcher, link
from policylens.model import Action
from policylens.pipeline import action_themes, actions_of
from policylens.themes import action_text, classify

ROOT = Path(__file__).resolve().parents[1]


def _phrase_groups() -> list[list[str]]:
    raw = tomllib.loads(resources.files("policylens.data").joinpath("concepts.toml").read_text("utf-8"))
    return [[p for p in phrases if len(p) > 3] for phrases in raw["concepts"].values()]


def reword(text: str, rng: random.Random, groups: list[list[str]]) -> str:
    """One random rewording: what a later strategy or another council might write."""
    lowered = text
    for phrases in rng.sample(groups, k=min(6, len(groups))):
        present = [p for p in phrases if p in lowered.lower()]
        if present:
            old = rng.choice(present)
            lowered = re.sub(re.escape(old), rng.choice(phrases), lowered, count=1, flags=re.IGNORECASE)
    clauses = [c.strip() for c in re.split(r"[,;]", lowered) if c.strip()]
    if len(clauses) > 1 and rng.random() < 0.5:
        rng.shuffle(clauses)
    words = " ".join(clauses).split()
    if len(words) > 6:
        del words[rng.randrange(len(words))]
    text = " ".join(words)
    text = re.sub(r"\b(19|20)\d\d\b", lambda _: str(rng.randint(2008, 2030)), text)
    return re.sub(r"\b\d{1,2}%", lambda _: f"{rng.randint(5, 95)}%", text)


def local_detail(vocabulary: list[str], rng: random.Random) -> str:
    """A few words of local detail, so that no two synthetic commitments are copies of each other."""
    return " ".join(rng.sample(vocabulary, k=rng.randint(4, 8)))


def synthetic(actions: list[Action], n: int, doc_id: str, rng: random.Random) -> tuple[list[Action], list[int]]:
    groups = _phrase_groups()
    vocabulary = sorted({w for a in actions for w in re.findall(r"[a-z]{4,}", a.action.lower())})
    made, origins = [], []
    for i in range(n):
        k = rng.randrange(len(actions))
        base = actions[k]
        made.append(
            replace(
                base,
                doc_id=doc_id,
                seq=i + 1,
                action=f"{reword(base.action, rng, groups)} {local_detail(vocabulary, rng)}",
                aim=reword(base.aim, rng, groups),
            )
        )
        origins.append(k)
    return made, origins


def peak_memory_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2  # kilobytes on Linux


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=50_000, help="commitments in all (half in each document)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    real = list(actions_of(tuple(ingest([ROOT / "corpus"], IngestSettings()).documents)))
    a_actions, a_origin = synthetic(real, args.n // 2, "synthetic-a", rng)
    b_actions, b_origin = synthetic(real, args.n - args.n // 2, "synthetic-b", rng)
    total = len(a_actions) + len(b_actions)
    print(f"{total} synthetic commitments from {len(real)} real ones; peak {peak_memory_gb():.2f} GB")

    started = time.perf_counter()
    themes = action_themes(classify([*a_actions, *b_actions]))
    themed = time.perf_counter()
    matcher = CommitmentMatcher().fit([action_text(a) for a in [*a_actions, *b_actions]])
    fitted = time.perf_counter()
    links = link(a_actions, b_actions, themes, matcher)
    linked = time.perf_counter()

    index_a = {a.action_id: i for i, a in enumerate(a_actions)}
    index_b = {b.action_id: j for j, b in enumerate(b_actions)}
    pairs = [(index_a[k.a_id], index_b[k.b_id]) for k in links if k.a_id and k.b_id]
    same_origin = sum(
        a_origin[i] == b_origin[j] or real[a_origin[i]].action == real[b_origin[j]].action for i, j in pairs
    )
    print(f"themes   {themed - started:6.1f} s")
    print(f"fit      {fitted - themed:6.1f} s")
    print(f"link     {linked - fitted:6.1f} s")
    print(f"total    {linked - started:6.1f} s   (target: under 60 s)")
    print(f"peak memory {peak_memory_gb():.2f} GB   (target: under 4 GB)")
    share = same_origin / max(1, len(pairs))
    print(f"links {len(pairs)}: {same_origin} ({share:.0%}) join rewordings of the same commitment")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
