"""Lead cells into roles.

"Principal Managers, Fostering & CiCCL" -> "Principal Manager, Fostering", "Principal Manager, CiCCL";
"Headteacher of the Virtual School 14-19 Programme Leader" -> two roles, split where a known
role begins (`data/roles.toml`). The raw cell is always kept beside the roles.
"""

from __future__ import annotations

import itertools
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

_DELIMITERS = re.compile(r"\n|;|\s*/\s+|\s+/\s*|(?<=\w)/(?=[A-Z])")


@dataclass(frozen=True, slots=True)
class RoleWords:
    starts: re.Pattern[str]
    plural_heads: tuple[str, ...]
    heads: frozenset[str] = frozenset()
    qualified: tuple[str, ...] = ()


@lru_cache(maxsize=1)
def load_role_words() -> RoleWords:
    raw = tomllib.loads(resources.files("policylens.data").joinpath("roles.toml").read_text("utf-8"))
    phrases = sorted(raw["role_starts"], key=len, reverse=True)
    alternatives = [rf"(?i:{re.escape(p)})(?!\w)" for p in phrases] + list(raw["org_patterns"])
    starts = re.compile(r"(?<![\w'])(?:" + "|".join(alternatives) + ")")
    heads = frozenset(h.casefold() for h in raw.get("role_heads", ()))
    qualified = tuple(t.casefold() for t in raw.get("qualified_titles", ()))
    return RoleWords(starts, tuple(h.casefold() for h in raw["plural_heads"]), heads, qualified)


def split_leads(raw: str) -> tuple[str, ...]:
    """The roles a lead cell names, in order, without repeats."""
    words = load_role_words()
    roles: list[str] = []
    for part in _DELIMITERS.split(raw):
        for piece in _split_at_role_starts(part, words):
            roles.extend(_distribute_plural(piece, words))
    seen: set[str] = set()
    unique = []
    for role in (_tidy(r) for r in roles):
        if role and role.casefold() not in seen:
            seen.add(role.casefold())
            unique.append(role)
    return tuple(unique)


def _tidy(role: str) -> str:
    return " ".join(role.split()).strip(" ,&.-–").removeprefix("and ").removesuffix(" and").strip()


def _split_at_role_starts(text: str, words: RoleWords) -> list[str]:
    text = " ".join(text.split())
    cuts: list[int] = []
    for match in words.starts.finditer(text):
        before = text[cuts[-1] if cuts else 0 : match.start()]
        if match.start() > 0 and _starts_role(before, match.group(0), words):
            cuts.append(match.start())
    bounds = [0, *cuts, len(text)]
    return [text[a:b] for a, b in itertools.pairwise(bounds)]


def _starts_role(before: str, phrase: str, words: RoleWords) -> bool:
    """A role phrase mid-cell starts a new role unless it qualifies the role before it
    ("Head of Education Support Service" is one role; "... Service Head of Youth" is two), or it is
    a title the text before it (since the last role began) qualifies because that text names no role
    ("Leaving Care Service Manager" is one role; "Headteacher of the Virtual School 14-19 Programme
    Leader" two)."""
    before = before.rstrip().casefold()
    if before.endswith((" of", " for", " to", " the", " of the")):
        return False
    if phrase.casefold() not in words.qualified:
        return True
    return any(w in words.heads for w in re.findall(r"[\w'-]+", before))


def _distribute_plural(piece: str, words: RoleWords) -> list[str]:
    """ "Principal Managers, Fostering & CiCCL" -> one role per area."""
    lowered = piece.casefold().strip()
    head = next((h for h in words.plural_heads if lowered.startswith(h)), None)
    if head is None:
        return [piece]
    rest = piece.strip()[len(head) :].lstrip(" ,:;")
    areas = [a for a in re.split(r"\s*(?:&|,| and )\s*", rest) if a.strip()]
    if len(areas) < 2:
        return [piece]
    singular = piece.strip()[: len(head)].removesuffix("s").replace("Heads of", "Head of")
    return [f"{singular}, {area.strip()}" for area in areas]
