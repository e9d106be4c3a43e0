"""The tantivy schema, queries for analyzers.query trees, and the filters every search carries."""
from __future__ import annotations

from collections.abc import Callable, Sequence

import tantivy

from analyzers import query as q
from analyzers.spelling import one_edit_apart

from .base import (
    DOC_NUMBER_BOOST,
    KEYWORDS,
    NAMED_BOOST,
    NATIONAL,
    NATIONAL_BOOST,
    PREFER_BOOST,
    SUBJECT_BOOST,
    TITLE_BOOST,
    SearchRequest,
)

Occur = tantivy.Occur


def _build_schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("id", stored=True, tokenizer_name="raw", fast=True)
    for name in ("title_words", "body_words"):
        sb.add_text_field(name, tokenizer_name="ws", index_option="freq")
    for name in ("title_bigrams", "body_bigrams"):
        sb.add_text_field(name, tokenizer_name="ws", index_option="position")
    for name in (*KEYWORDS, "doc_number", "title_key"):   # the keyword facets of analyzers.fields
        sb.add_text_field(name, tokenizer_name="raw", fast=True)
    sb.add_text_field("disclosure", stored=True, tokenizer_name="raw", fast=True)
    sb.add_integer_field("year", indexed=True, fast=True)
    sb.add_integer_field("date", indexed=True, fast=True)
    sb.add_integer_field("version", stored=True, fast=True)
    sb.add_integer_field("sample", indexed=True, fast=True)   # embedded_count.sample_key of the id
    return sb.build()


SCHEMA = _build_schema()


def candidates(searcher: tantivy.Searcher, word: str, filter_query: tantivy.Query,
               limit: int = 200) -> list[tuple[str, int]]:
    """Indexed words one edit from `word` sharing its first character, with visible counts.

    Prefixes are tried longest first; the search stops at the first length that yields any.
    """
    found: dict[str, int] = {}
    for k in range(len(word) - 1, 0, -1):
        for field in ("title_words", "body_words"):
            for term, count in searcher.terms_with_prefix(field, word[:k], filter_query, limit):
                if one_edit_apart(word, term):
                    found[term] = max(found.get(term, 0), count)
        if found:
            break
    return list(found.items())


DocFreq = Callable[[str, str], int]


def render(node: q.Node, df: DocFreq, scoring: bool = True, within: tantivy.Query | None = None) -> tantivy.Query:
    """The tantivy query for an analyzers.query tree; without `scoring`, only what decides a match.

    `df(field, token)` is the searcher's document frequency (phrases are pinned by their rarest bigram).
    `within`: every leaf restricted to these documents (same scores, matches among them): a disjunction
    (a title or body match, OR) then only visits them, where tantivy would read every match near each
    document it is asked about (see embedded_topk).
    """
    Q = tantivy.Query
    w = within
    if isinstance(node, q.MatchAll):
        return _in(Q.all_query(), w)
    if isinstance(node, q.MatchNone):
        return Q.empty_query()
    if isinstance(node, q.Term):
        return _term(node, df, scoring, w)
    if isinstance(node, q.DocNumber):
        return Q.boolean_query([
            (Occur.Should, Q.boost_query(_in(Q.term_query(SCHEMA, "doc_number", node.key), w), DOC_NUMBER_BOOST)),
            (Occur.Should, _term(q.Term(node.text), df, scoring, w))])
    if isinstance(node, q.Keyword):
        return _in(Q.regex_query(SCHEMA, node.field, node.pattern), w)
    if isinstance(node, q.Range):
        lo = node.lo if node.lo is not None else 0
        hi = node.hi if node.hi is not None else 99999999
        return _in(Q.range_query(SCHEMA, node.field, tantivy.FieldType.Integer, lo, hi), w)
    if isinstance(node, q.And):
        return Q.boolean_query([
            (Occur.MustNot, render(c.child, df, scoring)) if isinstance(c, q.Not)
            else (Occur.Should, render(c.child, df, within=w)) if isinstance(c, q.Prefer) and isinstance(c.child, TIERS)
            else (Occur.Should, Q.boost_query(_prefer(c.child, df, w), PREFER_BOOST)) if isinstance(c, q.Prefer)
            else (Occur.Must, render(c, df, scoring, w))
            for c in node.children if scoring or not isinstance(c, q.Prefer)])
    if isinstance(node, q.Or):
        return Q.boolean_query([(Occur.Should, render(c, df, scoring, w)) for c in node.children])
    if isinstance(node, q.Named):
        named = [(Occur.Should, Q.const_score_query(_in(Q.term_query(SCHEMA, "title_key", node.key), w),
                                                    NAMED_BOOST))]
        if node.national:
            national = _in(Q.term_query(SCHEMA, "title_key", NATIONAL + node.key), w)
            named.append((Occur.Should, Q.const_score_query(national, NATIONAL_BOOST)))
        return Q.boolean_query(named)
    if isinstance(node, q.Subject):
        return Q.const_score_query(conjunction(*(_verbatim("title_bigrams", q.Term(x), df, w) for x in node.words)),
                                   SUBJECT_BOOST)
    raise TypeError(f"cannot render {node!r}")


def _in(query: tantivy.Query, within: tantivy.Query | None) -> tantivy.Query:
    """`query` on the documents `within` (adding nothing to its scores), or everywhere."""
    if within is None:
        return query
    return tantivy.Query.boolean_query([(Occur.Must, query), (Occur.Must, tantivy.Query.const_score_query(within, 0.0))])


TIERS = (q.Named, q.Subject)   # ranking clauses with fixed scores of their own (not a Prefer's multiple)


def _term(term: q.Term, df: DocFreq, scoring: bool = True, within: tantivy.Query | None = None) -> tantivy.Query:
    """Verbatim match on the bigram fields decides and scores the hit; its jieba words add to the score."""
    Q = tantivy.Query
    where = ("title", "body") if term.field is None else (term.field,)
    boost = {"title": TITLE_BOOST, "body": 1.0}
    match = [(Occur.Should, Q.boost_query(_verbatim(f"{w}_bigrams", term, df, within), boost[w])) for w in where]
    if term.bounded:  # and each of its words indexed as a word there
        match = [(Occur.Should, conjunction(m, *(_in(Q.term_query(SCHEMA, f"{w}_words", x), within)
                                                 for x in term.whole_words)))
                 for (_, m), w in zip(match, where)]
    if not scoring:
        return Q.boolean_query(match)
    score = [(Occur.Should, Q.boost_query(_in(Q.term_query(SCHEMA, f"{w}_words", word), within), boost[w]))
             for w in where for word in term.score_words]
    return Q.boolean_query(
        [(Occur.Must, Q.boolean_query(match))]
        + ([(Occur.Should, Q.boolean_query(score))] if score else []))


def _prefer(node: q.Node, df: DocFreq, within: tantivy.Query | None = None) -> tantivy.Query:
    """A ranking clause: a term that is one jieba word is looked up in the words fields (a phrase of
    frequent bigrams would cost ~5 ms at 100k documents); anything else is matched verbatim."""
    if not isinstance(node, q.Term) or node.word is None:
        return render(node, df, within=within)
    where = ("title", "body") if node.field is None else (node.field,)
    return tantivy.Query.boolean_query([
        (Occur.Should, tantivy.Query.boost_query(_in(tantivy.Query.term_query(SCHEMA, f"{w}_words", node.word), within),
                                                 TITLE_BOOST if w == "title" else 1.0)) for w in where])


def _verbatim(field: str, term: q.Term, df: DocFreq, within: tantivy.Query | None = None) -> tantivy.Query:
    return _in(_unrestricted(field, term, df), within)


def _unrestricted(field: str, term: q.Term, df: DocFreq) -> tantivy.Query:
    grams = term.bigrams
    if not grams:  # a single unit: any bigram that holds it
        u = term.sequence
        return tantivy.Query.regex_query(SCHEMA, field, f"{u}.|.{u}")
    if len(grams) == 1:
        return tantivy.Query.term_query(SCHEMA, field, grams[0])
    return tantivy.Query.phrase_query(SCHEMA, field, [(i, grams[i]) for i in cover(field, grams, df)])


def cover(field: str, grams: list[str], df: DocFreq) -> list[int]:
    """The positions of the bigrams a verbatim match of `grams` (two or more) in `field` looks up, in order.

    Every other bigram (and the last) already pins every unit: same matches, fewer positions to
    read. A much rarer bigram left out (often where two words meet: 全生 in 安全生产) is added
    back, since the documents holding it are the only ones whose positions need reading."""
    if len(grams) == 1:
        return [0]
    used = set(range(0, len(grams), 2)) | {len(grams) - 1}
    freq = {i: df(field, g) for i, g in enumerate(grams)}
    rarest = min(freq, key=lambda i: freq[i])
    if 2 * freq[rarest] < min(freq[i] for i in used):
        used.add(rarest)
    return sorted(used)


def search_filters(request: SearchRequest, deny: Sequence[str] = (), without: str = "") -> list[tantivy.Query]:
    """Visibility (always), facet filters (but the facet `without`) and the denied ids; each is a clause of
    the query itself."""
    clauses = [any_of("disclosure", request.visibility)]
    for name, values in request.filters.items():
        if values and name != without:
            clauses.append(any_of(name, values))
    if deny:
        clauses.append(tantivy.Query.boolean_query([(Occur.MustNot, any_of("id", list(deny))),
                                                    (Occur.Must, tantivy.Query.all_query())]))
    return clauses


def any_of(field: str, values: Sequence[str | int]) -> tantivy.Query:
    if field == "year":
        values = [int(v) for v in values]
    return tantivy.Query.boolean_query(
        [(Occur.Should, tantivy.Query.term_query(SCHEMA, field, v)) for v in values]
        or [(Occur.Must, tantivy.Query.empty_query())])


def const(clauses: list[tantivy.Query]) -> tantivy.Query:
    return tantivy.Query.const_score_query(
        tantivy.Query.boolean_query([(Occur.Must, c) for c in clauses]), 0.0)


def conjunction(*queries: tantivy.Query) -> tantivy.Query:
    return tantivy.Query.boolean_query([(Occur.Must, x) for x in queries])
