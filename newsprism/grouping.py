"""Grouping things that are pairwise "the same": one union-find for every stage.

Stories (linkage), shared passages, quote groups, entities and figures all join items two at a
time and then read off the groups. Each set is named by its smallest key, so which pair is
joined first never changes a set's name: results do not depend on the order pairs come in.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Any, Generic, Protocol, TypeVar


class _OrderedKey(Hashable, Protocol):
    def __lt__(self, other: Any, /) -> bool: ...


K = TypeVar("K", bound=_OrderedKey)


class UnionFind(Generic[K]):
    """Disjoint sets of keys (path compression); each set is named by its smallest key.

    Keys are given up front (or with `add`); asking about an unknown key is a KeyError, as it is
    a caller's mistake, not a set of one.
    """

    __slots__ = ("_parent",)

    def __init__(self, keys: Iterable[K] = ()) -> None:
        self._parent: dict[K, K] = {key: key for key in keys}

    def add(self, key: K) -> None:
        """Make *key* a set of its own (no change if it is known already)."""
        self._parent.setdefault(key, key)

    def find(self, key: K) -> K:
        """The name (smallest key) of the set holding *key*."""
        parent = self._parent
        root = key
        while parent[root] != root:
            root = parent[root]
        while parent[key] != root:  # point the whole path at the root
            parent[key], key = root, parent[key]
        return root

    def union(self, a: K, b: K) -> K:
        """Join the sets of *a* and *b*; returns the joined set's name (the smaller one)."""
        root_a, root_b = self.find(a), self.find(b)
        if root_b < root_a:
            root_a, root_b = root_b, root_a
        self._parent[root_b] = root_a
        return root_a

    def groups(self) -> dict[K, list[K]]:
        """Set name -> its keys; sets and keys in the order the keys were first given."""
        found: dict[K, list[K]] = {}
        for key in self._parent:
            found.setdefault(self.find(key), []).append(key)
        return found
