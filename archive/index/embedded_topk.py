"""The top hits by relevance without scoring every match, and provably the same as scoring them all.

A results page needs the best `offset + limit` scores; tantivy finds them by scoring every match of the
query (its block-max WAND only prunes pure disjunctions of term queries). Here an upper bound of each
document's score is written as such a disjunction (see `bound`), its best documents are scored exactly
(the query itself, each of its leaves restricted to them: a disjunction asked about a document
reads every match near it), and the page is kept only if its last score beats the bound of
every document left out; otherwise more candidates are tried, then the whole query (`top` returns None).
The engine takes this way for queries that may match WORTH documents or more (embedded.EmbeddedIndex.search):
at a million documents it costs 15-60 ms where scoring every match of a phrase costs 40-400 ms; a query of
frequent single bigrams gains less, and one that gives up pays both.

The bound, per scoring clause of analyzers.query trees rendered by embedded_query.render:
  - a verbatim match (a phrase of bigrams, BM25 with the summed idf of its bigrams) occurs at most as
    often as its rarest bigram g in the same field (same length norm), so its score is at most
    sum(idf) / idf(g) times the score of the term query for g;
  - word term queries (jieba words, a Prefer's word) are their own bound;
  - tiers (Named, Subject: constant scores, see `tiers`) are not bounded: the bound's best documents
    within each tier are candidates too (see `top`).
Trees with anything else that scores (keyword and range clauses, 文号, single characters, match-all) are
searched whole.
"""
from __future__ import annotations

import math
from collections.abc import Callable

import tantivy

from analyzers import query as q

from .base import NAMED_BOOST, NATIONAL, NATIONAL_BOOST, PREFER_BOOST, SUBJECT_BOOST, TITLE_BOOST
from .embedded_query import SCHEMA, TIERS, cover, render

Occur = tantivy.Occur
Q = tantivy.Query
DocFreq = Callable[[str, str], int]
Bound = dict[tuple[str, str], float]   # (field, token) -> boost: sum of boost * BM25(token) bounds the score

WORTH = 80_000     # queries that may match fewer documents are scored whole (at a million documents, cheaper so)
FIRST = 2          # candidates first tried: FIRST times the hits asked for (at least MIN_CANDIDATES) ...
MIN_CANDIDATES = 40
GROWTH = 8         # ... then GROWTH times more, up to ROUNDS in all; then the whole query is scored
ROUNDS = 2
MAX_WINDOW = 200   # deeper pages (offset + limit) are searched whole
SLACK = 1e-3       # relative, on a bound's idf ratio: computed in float64 here, float32 in tantivy
ROUNDING = 1e-5    # relative, on a score: float32 sums of the same clauses in another order


def _idf(doc_freq: int, docs: int) -> float:
    """tantivy's BM25 idf."""
    return math.log1p((docs - doc_freq + 0.5) / (doc_freq + 0.5))


def bound(node: q.Node, df: DocFreq, docs: int, factor: float = 1.0) -> Bound | None:
    """Term queries whose weighted BM25 sum bounds the score `node` renders to, for every document, held by
    every document it matches (tiers aside); None if the tree holds a clause that cannot be bounded so."""
    out: Bound = {}

    def add(more: Bound | None) -> bool:
        if more is None:
            return False
        for key, boost in more.items():
            out[key] = out.get(key, 0.0) + boost
        return True

    if isinstance(node, q.Term):
        return _term_bound(node, df, docs, factor)
    if isinstance(node, q.And):
        required = [c for c in node.children if not isinstance(c, (q.Not, q.Prefer))]
        if not required:
            return None
        for c in node.children:
            if isinstance(c, q.Not) or (isinstance(c, q.Prefer) and isinstance(c.child, TIERS)):
                continue
            if isinstance(c, q.Prefer):
                more = (_word_bound(c.child, factor * PREFER_BOOST) if isinstance(c.child, q.Term)
                        and c.child.word is not None else bound(c.child, df, docs, factor * PREFER_BOOST))
            else:
                more = bound(c, df, docs, factor)
            if not add(more):
                return None
        return out
    if isinstance(node, q.Or):
        for c in node.children:
            if not add(bound(c, df, docs, factor)):
                return None
        return out
    return None


def _fields(term: q.Term) -> tuple[str, ...]:
    return ("title", "body") if term.field is None else (term.field,)


def _boost(where: str) -> float:
    return TITLE_BOOST if where == "title" else 1.0


def _word_bound(term: q.Term, factor: float) -> Bound:
    """A Prefer of one jieba word: its word term queries (embedded_query._prefer)."""
    return {(f"{w}_words", term.word or ""): factor * _boost(w) for w in _fields(term)}


def _term_bound(term: q.Term, df: DocFreq, docs: int, factor: float) -> Bound | None:
    grams = term.bigrams
    if not grams:   # a single character: matched by a regex query
        return None
    out: Bound = {}
    for w in _fields(term):
        field = f"{w}_bigrams"
        used = cover(field, grams, df)
        rarest = min(used, key=lambda i: (df(field, grams[i]), i))
        ratio = sum(_idf(df(field, grams[i]), docs) for i in used) / _idf(df(field, grams[rarest]), docs)
        key = (field, grams[rarest])
        out[key] = out.get(key, 0.0) + factor * _boost(w) * ratio * (1 + SLACK)
        # words that score beside the verbatim match: a bounded term's whole words (unboosted, in its
        # match), then the score words (boosted like the field)
        for word, boost in [*((x, 1.0) for x in (term.whole_words if term.bounded else [])),
                            *((x, _boost(w)) for x in term.score_words)]:
            key = (f"{w}_words", word)
            out[key] = out.get(key, 0.0) + factor * boost
    return out


def tiers(node: q.Node, df: DocFreq) -> list[tuple[tantivy.Query, float]]:
    """The tier clauses anywhere in the tree, as (the documents that get it, the constant score they get)."""
    if isinstance(node, q.Prefer):
        if isinstance(node.child, q.Named):
            named = [(Q.term_query(SCHEMA, "title_key", node.child.key), NAMED_BOOST)]
            return named + ([(Q.term_query(SCHEMA, "title_key", NATIONAL + node.child.key), NATIONAL_BOOST)]
                            if node.child.national else [])
        if isinstance(node.child, q.Subject):
            return [(render(node.child, df, scoring=False), SUBJECT_BOOST)]
        return tiers(node.child, df)
    if isinstance(node, (q.And, q.Or)):
        return [t for c in node.children for t in tiers(c, df)]
    if isinstance(node, q.Not):
        return tiers(node.child, df)
    return []


def disjunction(b: Bound) -> tantivy.Query:
    """The bound as a query: a flat disjunction of boosted term queries (ranked with block-max WAND)."""
    return Q.boolean_query([(Occur.Should, Q.boost_query(Q.term_query(SCHEMA, field, token), boost))
                            for (field, token), boost in sorted(b.items())])


Hit = tuple[float, tantivy.DocAddress]
Scored = Callable[[tantivy.Query], tantivy.Query]   # the query with its filters, its leaves within some documents


def top(searcher: tantivy.Searcher, scored: Scored, upper: tantivy.Query,
        tiered: list[tuple[tantivy.Query, float]], window: int) -> list[Hit] | None:
    """The best `window` hits of `scored` (the query with its filters) in tantivy's order, given `upper`, a
    disjunction of term queries whose score bounds that of `scored` less its tiers, held by every match of it,
    and the tiers (documents, constant score); None when the candidates could not prove it (the caller then
    scores every match).

    Candidates: the best of `upper`, and the best of it within each tier. A document left out of them is in
    no tier, or only in tiers whose candidates were cut; it scores at most the last candidate score of
    `upper` (in no tier) or the constants of the cut tiers plus their highest last candidate score. A round that
    cannot prove its page takes GROWTH times more candidates of the lists whose bound it did not beat."""
    k = max(MIN_CANDIDATES, FIRST * window)
    # The bound's best are searched once, as many as the last round takes, and each round takes its first k.
    most = k * GROWTH ** (ROUNDS - 1)
    full = [searcher.search(upper, most, count=False).hits]
    full += [searcher.search(_within(upper, docs), most, count=False).hits for docs, _ in tiered]
    takes = [k] * len(full)
    for _ in range(ROUNDS):
        lists = [found[:n] for found, n in zip(full, takes)]
        candidates = {_key(h): h[1] for found in lists for h in found}
        if not candidates:
            return []
        ids = [searcher.doc(address)["id"][0] for address in candidates.values()]
        among = _any_id(ids)
        exact = searcher.search(_within(scored(among), among), window, count=False).hits
        more = [len(found) > n or len(found) == most for found, n in zip(full, takes)]   # documents left out
        cut = [(const, found[-1][0]) for (_, const), found, left in zip(tiered, lists[1:], more[1:]) if left]
        alone = lists[0][-1][0] if more[0] else None   # at most what a document in no tier scores, left out
        in_cut = sum(c for c, _ in cut) + max(s for _, s in cut) if cut else None   # ... in cut tiers only
        last = exact[-1][0] if len(exact) == window else None
        if _beats(last, alone) and _beats(last, in_cut):   # (also when every match was a candidate)
            return exact
        takes = [n * GROWTH if left and not _beats(last, alone if i == 0 else in_cut) else n
                 for i, (n, left) in enumerate(zip(takes, more))]
    return None


def _beats(last: float | None, left_out: float | None) -> bool:
    """Whether a page whose last score is `last` (None: not full) outscores documents left out scoring at most
    `left_out` (None: none left out)."""
    return left_out is None or (last is not None and last > left_out + ROUNDING * abs(left_out) + 1e-6)


def _within(query: tantivy.Query, subset: tantivy.Query) -> tantivy.Query:
    """`query` on the documents of `subset` (which adds nothing to scores)."""
    return Q.boolean_query([(Occur.Must, query), (Occur.Must, Q.const_score_query(subset, 0.0))])


def _any_id(ids: list[str]) -> tantivy.Query:
    """The documents with these ids (a disjunction of term queries: a term set query costs a pass over the
    term dictionary)."""
    return Q.boolean_query([(Occur.Should, Q.term_query(SCHEMA, "id", i)) for i in ids])


def _key(hit: Hit) -> tuple[int, int]:
    return hit[1].segment_ord, hit[1].doc


def best(searcher: tantivy.Searcher, tree: q.Node, scored: Scored, df: DocFreq, window: int) -> list[Hit] | None:
    """The best `window` hits of `tree` rendered with its filters (`scored(within)`: its leaves restricted to the
    documents `within`, see embedded_query.render) in tantivy's order, as scoring every match would find them; None
    when this way cannot tell (the caller scores every match)."""
    if window > MAX_WINDOW:
        return None
    upper = bound(tree, df, searcher.num_docs)
    if not upper:
        return None
    return top(searcher, scored, disjunction(upper), tiers(tree, df), window)
