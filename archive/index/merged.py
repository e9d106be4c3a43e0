"""The staff's view of an archive: its public index and its restricted index searched as one.

Every document is indexed once, in the index of its visibility (public: 主动公开; restricted: the
others), so the public's statistics never include a restricted document and nothing is indexed twice.
A staff search runs on both and merges: hits by score (or date), totals and facet counts added up (an
estimate if either part's is).
Scores of the two indexes come from their own statistics, so staff ranking across them is close to,
not exactly, that of one index over everything.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from .base import BackendResult, SearchIndex, SearchRequest

FACET_SLACK = 20        # extra public facet values fetched, so that added-up counts keep their top values
RESTRICTED_FACETS = 1000  # the restricted index is small: its values are fetched whole


class MergedIndex:
    """Searches `public` and `restricted` as one index (read-only; writes go to each index)."""

    name = "staff"

    def __init__(self, public: SearchIndex, restricted: SearchIndex):
        self.parts = (public, restricted)

    def search(self, request: SearchRequest) -> BackendResult:
        window = replace(request, offset=0, limit=request.offset + request.limit, guard=None)
        public = self.parts[0].search(replace(window, facet_size=request.facet_size + FACET_SLACK))
        restricted = self.parts[1].search(replace(window, facet_size=RESTRICTED_FACETS))
        hits = sorted(public.hits + restricted.hits, key=lambda hit: -hit[1])  # stable: ties keep public first
        facets = {}
        for name in request.facets:
            counts: dict = {}
            for value, count in public.facets.get(name, []) + restricted.facets.get(name, []):
                counts[value] = counts.get(value, 0) + count
            facets[name] = sorted(counts.items(), key=lambda vc: (-vc[1], str(vc[0])))[:request.facet_size]
        return BackendResult(total=public.total + restricted.total,
                             hits=hits[request.offset:request.offset + request.limit], facets=facets,
                             timed_out=public.timed_out or restricted.timed_out,
                             total_exact=public.total_exact and restricted.total_exact,
                             total_bound=public.total_bound or restricted.total_bound)

    def similar_words(self, word: str, visibility: tuple[str, ...],
                      exclude: Sequence[str] = ()) -> list[tuple[str, int]]:
        counts: dict[str, int] = {}
        for part in self.parts:
            for term, n in part.similar_words(word, visibility, exclude):
                counts[term] = counts.get(term, 0) + n
        return list(counts.items())

    def count(self) -> int:
        return sum(part.count() for part in self.parts)

    def contents(self) -> dict[str, tuple[int, str]]:
        return {**self.parts[1].contents(), **self.parts[0].contents()}

    def present(self, ids: list[str]) -> set[str]:
        return self.parts[0].present(ids) | self.parts[1].present(ids)
