"""Which target wordings name the same proposal across articles.

The rule, applied to wordings in a fixed order (most stances first, then alphabetical),
so the groups do not depend on the order of the input files:

1. The user's mapping file decides first. `[[join]]` puts its `wordings` in one group
   (labelled `label`, or its first wording); `[[apart]]` keeps any two of its `wordings`
   in different groups, whatever their similarity.
2. Otherwise a wording joins the group holding its most similar wording when rapidfuzz
   `token_set_ratio` of the two keys is at least TARGET_SIMILARITY (80, the threshold
   that merges stances within an article). A key is `merge.normalize_target` (case,
   punctuation, articles dropped) without GENERIC nouns, so "the ceasefire deal" and
   "30-day ceasefire" meet on "ceasefire". token_set_ratio is 100 when one key's words
   are all in the other: "ceasefire" also joins "permanent ceasefire"; `[[apart]]` is
   the way to keep such pairs separate.

Before either, a stance's wording takes its article's canonical target
(`Stance.canonical_target`, extractor.grounding.targets: the full name, or the article's
one fuller wording holding all its words) as the text it joins by, unless the mapping
file names the wording itself: "Mr. Trump" joins "Donald Trump" where its article writes
the full name, though their keys share one word of two.

Synonyms ("truce" and "ceasefire") are not guessed: join them in the mapping file.
Each member of a group records how it joined, so the output can show every join.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz

from extractor.errors import ConfigError
from extractor.grounding.merge import TARGET_SIMILARITY, normalize_target

# nouns that say what kind of thing a proposal is, not which one
GENERIC = frozenset(
    "deal plan proposal proposals agreement offer idea initiative measure bill call".split()
)


def target_key(wording: str) -> str:
    """The text that joining compares: normalized, without GENERIC nouns (unless that
    leaves nothing, as for "the plan")."""
    normal = normalize_target(wording)
    specific = " ".join(w for w in normal.split() if w not in GENERIC)
    return specific or normal


@dataclass(frozen=True)
class Mapping:
    """The user's joins and separations, as target keys."""

    joins: tuple[tuple[str | None, tuple[str, ...]], ...] = ()  # (label, wordings)
    apart: tuple[frozenset[str], ...] = ()

    def keeps_apart(self, a: str, b: str) -> bool:
        return any(a in keys and b in keys for keys in self.apart)

    def names(self, key: str) -> bool:
        """Does the user's file join or separate this key?"""
        return any(key in keys for _, keys in self.joins) or any(key in k for k in self.apart)


@dataclass
class Member:
    key: str
    wordings: Counter[str] = field(default_factory=Counter)  # as written -> stances
    how: str = "first"  # "first", "mapping file", or "fuzzy 86 with 'ceasefire'"
    via: dict[str, str] = field(default_factory=dict)  # wording -> its article's canonical


@dataclass
class TargetGroup:
    label: str
    members: dict[str, Member] = field(default_factory=dict)  # key -> member
    forced_label: bool = False

    @property
    def wordings(self) -> Counter[str]:
        total: Counter[str] = Counter()
        for m in self.members.values():
            total.update(m.wordings)
        return total

    def joins(self) -> list[tuple[str, str]]:
        """(wording, how it joined) for every wording of a group of several."""
        if len(self.wordings) < 2:
            return []
        out = []
        for m in self.members.values():
            # a wording joined through its article's canonical target is never the first
            ranked = sorted(m.wordings.most_common(), key=lambda wc: wc[0] in m.via)
            first, *others = [w for w, _ in ranked]
            out.append((first, m.how))
            out += [(w, _same(w, first, m)) for w in others]
        return out


def _same(wording: str, first: str, member: Member) -> str:
    if wording in member.via:
        return f"its article's {member.via[wording]!r}"
    return f"same words as {first!r}"


def join_key(wording: str, canonical: str | None, mapping: Mapping | None = None) -> str:
    """The key a stance's `wording` joins by: its article's `canonical` target's, unless
    the mapping file names the wording itself (see the module docstring)."""
    own = target_key(wording)
    if not canonical or canonical == wording or (mapping and mapping.names(own)):
        return own
    return target_key(canonical)


def load_mapping(path: str | Path) -> Mapping:
    """The mapping file (TOML); a mistake in it is one ConfigError line saying what to fix."""
    example = 'e.g. [[join]] label = "ceasefire" wordings = ["the truce", "the ceasefire deal"]'
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the mapping file ({exc.strerror}).") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not a TOML mapping file ({exc}); {example}.") from exc
    unknown = set(data) - {"join", "apart"}
    if unknown:
        first = sorted(unknown)[0]
        raise ConfigError(f"{path}: unknown section {first!r}; use [[join]] or [[apart]].")
    joins, apart = [], []
    for section in ("join", "apart"):
        entries = data.get(section, [])
        if not isinstance(entries, list):
            raise ConfigError(f"{path}: write [[{section}]] tables; {example}.")
        for n, entry in enumerate(entries, 1):
            words = entry.get("wordings") if isinstance(entry, dict) else None
            label = entry.get("label") if isinstance(entry, dict) else None
            if (
                not isinstance(words, list)
                or len(words) < 2
                or not all(isinstance(w, str) and w.strip() for w in words)
                or not (label is None or isinstance(label, str))
            ):
                raise ConfigError(
                    f"{path}: [[{section}]] number {n} needs wordings = [two or more strings]; "
                    f"{example}."
                )
            keys = tuple(dict.fromkeys(target_key(w) for w in words))
            if section == "join":
                joins.append((label, keys))
            else:
                apart.append(frozenset(keys))
    mapping = Mapping(tuple(joins), tuple(apart))
    for _, keys in mapping.joins:
        for i, a in enumerate(keys):
            for b in keys[i + 1 :]:
                if mapping.keeps_apart(a, b):
                    raise ConfigError(f"{path}: {a!r} and {b!r} are both joined and kept apart.")
    return mapping


def join_targets(
    wordings: Iterable[str | tuple[str, str | None]], mapping: Mapping | None = None
) -> list[TargetGroup]:
    """The groups of `wordings` (one per stance; repeats count), most stances first. A
    wording may come with its article's canonical target, `(wording, canonical)`."""
    mapping = mapping or Mapping()
    by_key: dict[str, Counter[str]] = {}
    via: dict[str, dict[str, str]] = {}
    for item in wordings:
        w, canonical = (item, None) if isinstance(item, str) else item
        key = join_key(w, canonical, mapping)
        if canonical and key != target_key(w):
            via.setdefault(key, {})[w] = canonical
        by_key.setdefault(key, Counter())[w] += 1
    groups: list[TargetGroup] = []
    placed: dict[str, TargetGroup] = {}
    for label, keys in mapping.joins:
        present = [k for k in keys if k in by_key and k not in placed]
        if not present:
            continue
        group = TargetGroup(label=label or "", forced_label=label is not None)
        for k in present:
            how = "first" if not group.members else "mapping file"
            group.members[k] = Member(k, by_key[k], how, via.get(k, {}))
            placed[k] = group
        groups.append(group)
    for key in sorted(by_key, key=lambda k: (-by_key[k].total(), k)):
        if key in placed:
            continue
        best: tuple[float, TargetGroup, str] | None = None
        for group in groups:
            if any(mapping.keeps_apart(key, other) for other in group.members):
                continue
            for other in group.members:
                score = fuzz.token_set_ratio(key, other)
                if score >= TARGET_SIMILARITY and (best is None or score > best[0]):
                    best = (score, group, other)
        if best is None:
            group = TargetGroup(label="")
            group.members[key] = Member(key, by_key[key], via=via.get(key, {}))
            groups.append(group)
        else:
            score, group, other = best
            shown = group.members[other].wordings.most_common(1)[0][0]
            how = f"fuzzy {score:.0f} with {shown!r}"
            group.members[key] = Member(key, by_key[key], how, via.get(key, {}))
        placed[key] = group
    for g in groups:
        if not g.forced_label or not g.label:
            counts = g.wordings
            g.label = min(counts, key=lambda w: (-counts[w], len(w), w))
    groups.sort(key=lambda g: (-g.wordings.total(), g.label.casefold()))
    return groups
