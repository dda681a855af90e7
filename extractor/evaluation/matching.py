"""One-to-one matching of gold records to extracted records, as many pairs as possible.

Contract: `pairs(gold, found, test)` returns (gold index, found index) pairs, each index
at most once, every pair passing `test(found_item, gold_item)`, and no other one-to-one
choice has more pairs (a maximum bipartite matching by augmenting paths, Kuhn 1955).
Deterministic: gold in order, each trying the extracted records in order, so where greedy
matching already finds a maximum it finds the same pairs. Greedy matching ("each gold
takes the first free record that matches") can lose a pair: gold A takes the only record
gold B matches while another record would have served A.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

G = TypeVar("G")
F = TypeVar("F")


def pairs(
    gold: Sequence[G], found: Sequence[F], test: Callable[[F, G], bool]
) -> list[tuple[int, int]]:
    """The matched (gold index, found index) pairs, in gold order."""
    fits = [[j for j, f in enumerate(found) if test(f, g)] for g in gold]
    owner: dict[int, int] = {}  # found index -> gold index

    def augment(i: int, seen: set[int]) -> bool:
        for j in fits[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(len(gold)):
        augment(i, set())
    return sorted((i, j) for j, i in owner.items())
