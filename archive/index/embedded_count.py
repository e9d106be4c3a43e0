"""Counting a results page's matches in the embedded engine: the total and the facets, exactly or from a sample.

The aggregations run in the search pool while the calling thread ranks (tantivy releases the GIL). A facet with
selected values is counted without its own selection (multi-select), in an aggregation of its own beside the
others; a selected facet whose documents hold one value each (the latest-version flag every collapsed search
selects) is counted in the same pass instead, the others nested under its selected value (see `aggregations`).
"""
from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from concurrent.futures import Executor, Future, wait

import tantivy

from analyzers import query as q

from .embedded_query import SCHEMA

PUSH_COST = 1   # a sampled document looked up again in each leaf costs about one phrase match (bench/sample_cost.py)
SINGLE_VALUED = frozenset({"latest", "public_latest"})   # (base.status_keywords: "1" or "0" in every document)


def aggregations(pool: Executor, searcher: tantivy.Searcher, matches: Callable[[str], tantivy.Query],
                 facets: tuple[str, ...], selected: dict[str, list], size: int) -> dict[str, Future]:
    """The aggregations of a page: the total and every facet of `matches("")` (the query with every filter), each
    selected facet f of `matches(f)` (without f's own selection); gather() merges them."""
    terms = {f: {"terms": {"field": f, "size": size}} for f in facets if f not in selected}
    if len(selected) == 1:
        (f, values), = selected.items()
        if f in SINGLE_VALUED and len(values) == 1:  # one pass: the others within the bucket of the value selected
            nested = {f: {"terms": {"field": f, "size": size}, "aggs": terms}}
            return {"": pool.submit(_lift, searcher.aggregate, matches(f), nested, f, str(values[0]))}
    out = {"": pool.submit(searcher.aggregate, matches(""), {**terms, "total": {"value_count": {"field": "date"}}})}
    for f in selected:   # (every document has a date value)
        out[f] = pool.submit(searcher.aggregate, matches(f), {f: {"terms": {"field": f, "size": size}}})
    return out


def _lift(aggregate: Callable[..., dict], query: tantivy.Query, nested: dict, f: str, value: str) -> dict:
    """A one-pass aggregation shaped like the separate ones: the facet f, and the total and other facets of the
    documents holding `value` in it."""
    raw = aggregate(query, nested)
    inside = next((b for b in raw[f]["buckets"] if str(b["key"]) == value), None)
    out = {k: {"buckets": (inside or {}).get(k, {}).get("buckets", [])} for k in nested[f]["aggs"]}
    out[f] = {"buckets": [{"key": b["key"], "doc_count": b["doc_count"]} for b in raw[f]["buckets"]]}
    out["total"] = {"value": inside["doc_count"] if inside else 0}
    return out


SAMPLE_BITS = 16  # a document's sample key: the first 16 bits of a hash of its id (embedded_query.SCHEMA "sample")
SAMPLE_COST = 2   # collecting the sample (a scan of the sample key's column: ~3 ns a document) costs about as much
#                   as counting this many matches per sampled document (bench/sample_cost.py)


def sample_key(doc_id: str) -> int:
    """The value of the indexed "sample" field of document `doc_id`: uniform over [0, 2**SAMPLE_BITS), fixed by the
    id alone."""
    return int.from_bytes(hashlib.blake2b(doc_id.encode(), digest_size=SAMPLE_BITS // 8).digest(), "big")


def at_most(node: q.Node, df: Callable[[str, str], int], n: int) -> int:
    """An upper bound of the documents matching an analyzers.query tree, from document frequencies alone (`n`, the
    documents searched, where it cannot tell): a word or phrase is in at most as many as its rarest bigram."""
    if isinstance(node, q.MatchNone):
        return 0
    if isinstance(node, q.Term) and node.bigrams:
        fields = ("title", "body") if node.field is None else (node.field,)
        return min(n, sum(min(df(f"{w}_bigrams", g) for g in node.bigrams) for w in fields))
    if isinstance(node, q.DocNumber):
        return min(n, df("doc_number", node.key) + at_most(q.Term(node.text), df, n))
    if isinstance(node, q.Or):
        return min(n, sum(at_most(c, df, n) for c in node.children))
    if isinstance(node, q.And):
        return min([n, *(at_most(c, df, n) for c in node.children if not isinstance(c, (q.Not, q.Prefer)))])
    return n


def sample(n: int, bound: int, exact_total_limit: int | None) -> tuple[tantivy.Query | None, int]:
    """A uniform sample of the `n` documents searched to estimate counts from, and its scale (1/fraction), for a
    query matching at most `bound` of them; (None, 1) when they are to be counted exactly.

    The sample is the documents whose sample_key is below a power of two, so a fixed random fraction of the
    documents, chosen independently of their contents, and the same documents in every archive that holds them
    (an archive with restricted documents and its twin without them estimate alike). The fraction is a power of
    two leaving at least half the limit in the sample if the query matched `bound` documents. Counts are scaled
    by the documents searched over those in the sample (a ratio estimate), so a total estimated from h sampled
    matches, a share p of the documents, is off by about sqrt((1 - p) / h) (relative standard error: at most
    ±1.4 % for h = 5,000). Collecting the sample costs about SAMPLE_COST matches counted per sampled document, so
    there is no sample when it would hold more than 1/SAMPLE_COST of `bound`: such queries are counted exactly.
    """
    if exact_total_limit is None or bound <= 2 * exact_total_limit:
        return None, 1
    j = (bound // max(1, exact_total_limit // 2)).bit_length() - 1  # 2**j <= bound / (limit / 2)
    j = min(j, SAMPLE_BITS)
    if j <= 0 or n >> j > bound // SAMPLE_COST:
        return None, 1
    return tantivy.Query.range_query(SCHEMA, "sample", tantivy.FieldType.Integer, 0, 2 ** (SAMPLE_BITS - j),
                                     include_upper=False), 2**j


def gather(futures: dict[str, Future], deadline: float) -> dict | None:
    """The aggregations' results merged (each selected facet from its own), or None if not all were done in time."""
    finished, pending = wait(list(futures.values()), timeout=max(0.0, deadline - time.monotonic()))
    if pending:
        for future in pending:
            future.cancel()
        return None
    raw = dict(futures[""].result())
    raw.update({f: future.result()[f] for f, future in futures.items() if f})
    return raw


def value(raw: dict) -> int:
    return int(raw["total"]["value"] or 0)


def push_sample(node: q.Node, n: int, scale: int, bound: int) -> bool:
    """Whether to restrict each leaf of the query to the sample (embedded_query.render's `within`) rather than the
    query as a whole: tantivy reads every match of a phrase disjunction (title or body) near each sampled document
    it is asked about, so a query of frequent phrases costs as much sampled as counted, unless each phrase is
    intersected with the sample itself, at the price of drawing the sample again per leaf."""
    leaves, phrases = _leaves(node)
    return phrases and (leaves + 1) * (n // scale) * PUSH_COST < bound


def _leaves(node: q.Node) -> tuple[int, bool]:
    """(the leaves of the query that decide a match, whether one of them is a phrase)."""
    if isinstance(node, q.Term):
        fields = 1 if node.field else 2
        return fields * (1 + (len(node.whole_words) if node.bounded else 0)), len(node.bigrams) > 1
    if isinstance(node, (q.And, q.Or)):
        parts = [_leaves(c) for c in node.children if not isinstance(c, (q.Not, q.Prefer))]
        return sum(k for k, _ in parts), any(p for _, p in parts)
    if isinstance(node, q.DocNumber):
        k, phrase = _leaves(q.Term(node.text))
        return k + 1, phrase
    return 1, False
