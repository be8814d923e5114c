"""UnionFind: the one grouping every stage uses (stories, passages, quotes, entities, figures)."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsprism.grouping import UnionFind


def test_sets_are_named_by_their_smallest_key() -> None:
    sets = UnionFind(["delta", "alpha", "charlie", "bravo"])
    assert sets.union("delta", "charlie") == "charlie"
    assert sets.union("charlie", "alpha") == "alpha"
    assert sets.find("delta") == "alpha"
    assert sets.find("bravo") == "bravo"
    assert sets.groups() == {"alpha": ["delta", "alpha", "charlie"], "bravo": ["bravo"]}


def test_unknown_key_is_a_key_error_until_added() -> None:
    sets = UnionFind(range(3))
    with pytest.raises(KeyError):
        sets.find(7)
    sets.add(7)
    sets.add(7)  # adding twice keeps one set
    assert sets.union(7, 2) == 2
    assert sets.groups() == {0: [0], 1: [1], 2: [2, 7]}


def test_union_of_one_set_with_itself_changes_nothing() -> None:
    sets = UnionFind(range(4))
    sets.union(3, 1)
    assert sets.union(1, 3) == 1
    assert sets.groups() == {0: [0], 1: [1, 3], 2: [2]}


def _components(size: int, pairs: list[tuple[int, int]]) -> set[frozenset[int]]:
    # Reference: graph search over the same pairs.
    neighbours: dict[int, set[int]] = {i: set() for i in range(size)}
    for a, b in pairs:
        neighbours[a].add(b)
        neighbours[b].add(a)
    seen: set[int] = set()
    found = set()
    for start in range(size):
        if start in seen:
            continue
        stack, part = [start], set()
        while stack:
            node = stack.pop()
            if node not in part:
                part.add(node)
                stack.extend(neighbours[node] - part)
        seen |= part
        found.add(frozenset(part))
    return found


@given(
    st.integers(min_value=1, max_value=40).flatmap(
        lambda n: st.tuples(
            st.just(n),
            st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=60),
        )
    ),
    st.randoms(use_true_random=False),
)
def test_groups_match_graph_components_in_any_pair_order(
    case: tuple[int, list[tuple[int, int]]], rnd: random.Random
) -> None:
    size, pairs = case
    shuffled = list(pairs)
    rnd.shuffle(shuffled)
    results = []
    for order in (pairs, shuffled):
        sets = UnionFind(range(size))
        for a, b in order:
            sets.union(a, b)
        results.append(sets.groups())
    assert results[0] == results[1]  # names and members do not depend on the pair order
    assert {frozenset(m) for m in results[0].values()} == _components(size, pairs)
    assert all(name == min(members) for name, members in results[0].items())
