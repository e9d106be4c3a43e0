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


def render(node: q.Node, df: DocFreq, scoring: bool = True) -> tantivy.Query:
    """The tantivy query for an analyzers.query tree; without `scoring`, only what decides a match.

    `df(field, token)` is the searcher's document frequency (phrases are pinned by their rarest bigram).
    """
    Q = tantivy.Query
    if isinstance(node, q.MatchAll):
        return Q.all_query()
    if isinstance(node, q.MatchNone):
        return Q.empty_query()
    if isinstance(node, q.Term):
        return _term(node, df, scoring)
    if isinstance(node, q.DocNumber):
        return Q.boolean_query([
            (Occur.Should, Q.boost_query(Q.term_query(SCHEMA, "doc_number", node.key), DOC_NUMBER_BOOST)),
            (Occur.Should, _term(q.Term(node.text), df, scoring))])
    if isinstance(node, q.Keyword):
        return Q.regex_query(SCHEMA, node.field, node.pattern)
    if isinstance(node, q.Range):
        lo = node.lo if node.lo is not None else 0
        hi = node.hi if node.hi is not None else 99999999
        return Q.range_query(SCHEMA, node.field, tantivy.FieldType.Integer, lo, hi)
    if isinstance(node, q.And):
        return Q.boolean_query([
            (Occur.MustNot, render(c.child, df, scoring)) if isinstance(c, q.Not)
            else (Occur.Should, render(c.child, df)) if isinstance(c, q.Prefer) and isinstance(c.child, TIERS)
            else (Occur.Should, Q.boost_query(_prefer(c.child, df), PREFER_BOOST)) if isinstance(c, q.Prefer)
            else (Occur.Must, render(c, df, scoring))
            for c in node.children if scoring or not isinstance(c, q.Prefer)])
    if isinstance(node, q.Or):
        return Q.boolean_query([(Occur.Should, render(c, df, scoring)) for c in node.children])
    if isinstance(node, q.Named):
        named = [(Occur.Should, Q.const_score_query(Q.term_query(SCHEMA, "title_key", node.key), NAMED_BOOST))]
        if node.national:
            national = Q.term_query(SCHEMA, "title_key", NATIONAL + node.key)
            named.append((Occur.Should, Q.const_score_query(national, NATIONAL_BOOST)))
        return Q.boolean_query(named)
    if isinstance(node, q.Subject):
        return Q.const_score_query(conjunction(*(_verbatim("title_bigrams", q.Term(w), df) for w in node.words)),
                                   SUBJECT_BOOST)
    raise TypeError(f"cannot render {node!r}")


TIERS = (q.Named, q.Subject)   # ranking clauses with fixed scores of their own (not a Prefer's multiple)


def _term(term: q.Term, df: DocFreq, scoring: bool = True) -> tantivy.Query:
    """Verbatim match on the bigram fields decides and scores the hit; its jieba words add to the score."""
    Q = tantivy.Query
    where = ("title", "body") if term.field is None else (term.field,)
    boost = {"title": TITLE_BOOST, "body": 1.0}
    match = [(Occur.Should, Q.boost_query(_verbatim(f"{w}_bigrams", term, df), boost[w])) for w in where]
    if term.bounded:  # and each of its words indexed as a word there
        match = [(Occur.Should, conjunction(m, *(Q.term_query(SCHEMA, f"{w}_words", x) for x in term.whole_words)))
                 for (_, m), w in zip(match, where)]
    if not scoring:
        return Q.boolean_query(match)
    score = [(Occur.Should, Q.boost_query(Q.term_query(SCHEMA, f"{w}_words", word), boost[w]))
             for w in where for word in term.score_words]
    return Q.boolean_query(
        [(Occur.Must, Q.boolean_query(match))]
        + ([(Occur.Should, Q.boolean_query(score))] if score else []))


def _prefer(node: q.Node, df: DocFreq) -> tantivy.Query:
    """A ranking clause: a term that is one jieba word is looked up in the words fields (a phrase of
    frequent bigrams would cost ~5 ms at 100k documents); anything else is matched verbatim."""
    if not isinstance(node, q.Term) or node.word is None:
        return render(node, df)
    where = ("title", "body") if node.field is None else (node.field,)
    return tantivy.Query.boolean_query([
        (Occur.Should, tantivy.Query.boost_query(tantivy.Query.term_query(SCHEMA, f"{w}_words", node.word),
                                                 TITLE_BOOST if w == "title" else 1.0)) for w in where])


def _verbatim(field: str, term: q.Term, df: DocFreq) -> tantivy.Query:
    grams = term.bigrams
    if not grams:  # a single unit: any bigram that holds it
        u = term.sequence
        return tantivy.Query.regex_query(SCHEMA, field, f"{u}.|.{u}")
    if len(grams) == 1:
        return tantivy.Query.term_query(SCHEMA, field, grams[0])
    # Every other bigram (and the last) already pins every unit: same matches, fewer positions to
    # read. A much rarer bigram left out (often where two words meet: 全生 in 安全生产) is added
    # back, since the documents holding it are the only ones whose positions need reading.
    cover = set(range(0, len(grams), 2)) | {len(grams) - 1}
    freq = {i: df(field, g) for i, g in enumerate(grams)}
    rarest = min(freq, key=lambda i: freq[i])
    if 2 * freq[rarest] < min(freq[i] for i in cover):
        cover.add(rarest)
    return tantivy.Query.phrase_query(SCHEMA, field, [(i, grams[i]) for i in sorted(cover)])


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
