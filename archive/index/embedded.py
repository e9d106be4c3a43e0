"""The embedded backend: a tantivy index in the data directory, no server needed.

Analysed fields arrive as space-joined tokens (see IndexDoc) and are split by a
whitespace tokenizer, so this engine indexes exactly what every other backend indexes.
Rebuilds write a new generation directory and switch the CURRENT pointer atomically.
"""
from __future__ import annotations

import os
import shutil
import threading
from concurrent.futures import ThreadPoolExecutor
from functools import cached_property
from pathlib import Path
from typing import Iterable

import tantivy

from analyzers import query as q
from analyzers.spelling import one_edit_apart
from ..settings import Settings
from .base import BackendResult, BackendUnavailable, IndexDoc, SearchRequest

Occur = tantivy.Occur
TITLE_BOOST = 3.0
DOC_NUMBER_BOOST = 20.0
PREFER_BOOST = 10.0
KEYWORDS = ("id", "agency", "doc_type", "topic", "disclosure", "doc_number")
COUNT_THREADS = 4  # total and facets are counted beside the ranking, one thread per concurrent search


def _schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("id", stored=True, tokenizer_name="raw", fast=True)
    for name in ("title_words", "body_words"):
        sb.add_text_field(name, tokenizer_name="ws", index_option="freq")
    for name in ("title_bigrams", "body_bigrams"):
        sb.add_text_field(name, tokenizer_name="ws", index_option="position")
    for name in KEYWORDS[1:]:
        sb.add_text_field(name, tokenizer_name="raw", fast=True)
    sb.add_integer_field("year", indexed=True, fast=True)
    sb.add_integer_field("date", indexed=True, fast=True)
    return sb.build()


SCHEMA = _schema()
_WS = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build()


class EmbeddedBackend:
    """A tantivy index under `root`; one writer per process, readers reload on change."""

    def __init__(self, root: Path, settings: Settings):
        self.root = Path(root)
        self.settings = settings
        self.root.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._writer = None
        self._generation = None
        self._index = None  # opened on first use, so a rebuild never needs the old index

    # -- generations -----------------------------------------------------

    def _current(self) -> str:
        pointer = self.root / "CURRENT"
        if not pointer.exists():
            self._switch("gen-1")
        return pointer.read_text().strip()

    def _switch(self, generation: str) -> None:
        (self.root / generation).mkdir(exist_ok=True)
        tmp = self.root / "CURRENT.tmp"
        tmp.write_text(generation)
        os.replace(tmp, self.root / "CURRENT")

    def _open(self, generation: str | None = None) -> tantivy.Index:
        self._generation = generation or self._current()
        try:
            index = tantivy.Index(SCHEMA, path=str(self.root / self._generation))
        except ValueError as e:
            raise BackendUnavailable(
                f"the search index in {self.root} was built by another version of gongkai ({e});"
                " run `gongkai reindex` to rebuild it from the archive") from e
        index.register_tokenizer("ws", _WS)
        return index

    def _fresh_index(self) -> tantivy.Index:
        """The index to search, reopened if another process switched generations."""
        with self._lock:
            current = self._current()
            if self._index is None or (current != self._generation and self._writer is None):
                self._index = self._open(current)
            self._index.reload()
            return self._index

    # -- writing ---------------------------------------------------------

    def _w(self):
        if self._writer is None:
            self._writer = self._fresh_index().writer(self.settings.index_writer_bytes, 1)
        return self._writer

    def add(self, docs: Iterable[IndexDoc]) -> list[tuple[str, str]]:
        """Upsert documents (replacing any with the same id); returns (id, error) for each."""
        return _write(self._w(), docs, upsert=True)

    def delete(self, ids: Iterable[str]) -> None:
        w = self._w()
        for doc_id in ids:
            w.delete_documents_by_term("id", doc_id)

    def commit(self) -> None:
        if self._writer is not None:
            self._writer.commit()
            self._writer.wait_merging_threads()
            self._writer = None

    def rebuild(self, docs: Iterable[IndexDoc]) -> list[tuple[str, str]]:
        """Index `docs` into a new generation, then switch to it; searches go on meanwhile."""
        self.commit()
        old = self._current()
        new = f"gen-{int(old.split('-')[1]) + 1}"
        shutil.rmtree(self.root / new, ignore_errors=True)
        (self.root / new).mkdir()
        index = tantivy.Index(SCHEMA, path=str(self.root / new))
        index.register_tokenizer("ws", _WS)
        writer = index.writer(self.settings.index_writer_bytes, 1)
        results = _write(writer, docs, upsert=False)
        writer.commit()
        writer.wait_merging_threads()
        with self._lock:
            self._switch(new)
            self._index, self._generation = index, new
            self._index.reload()
        for child in self.root.glob("gen-*"):
            if child.name not in (old, new):
                shutil.rmtree(child, ignore_errors=True)
        return results

    def count(self) -> int:
        return self._fresh_index().searcher().num_docs

    def similar_words(self, word: str, visibility: tuple[str, ...]) -> list[tuple[str, int]]:
        """Indexed words near `word` (same first character) with counts among visible documents."""
        searcher = self._fresh_index().searcher()
        return _candidates(searcher, word, _any_of("disclosure", visibility))

    def close(self) -> None:
        self.commit()
        if "_counting" in self.__dict__:
            self._counting.shutdown()

    @cached_property
    def _counting(self) -> ThreadPoolExecutor:
        return ThreadPoolExecutor(COUNT_THREADS, thread_name_prefix="gongkai-count")

    # -- searching -------------------------------------------------------

    def search(self, request: SearchRequest) -> BackendResult:
        index = self._fresh_index()
        searcher = index.searcher()
        filters = _const(_filters(request))
        limit = max(1, request.limit)  # tantivy panics on limit=0
        # The page of hits needs scores; the total and the facets only need the matches, so they
        # come from one aggregation over the query without its scoring clauses, run alongside in
        # another thread (tantivy releases the GIL): a results page costs the slower of the two.
        aggs = {f: {"terms": {"field": f, "size": request.facet_size}} for f in request.facets}
        aggs["total"] = {"value_count": {"field": "date"}}  # every document has a date value
        df = searcher.doc_freq
        matches = _and(_render(request.query, df, scoring=False), filters)
        counted = self._counting.submit(searcher.aggregate, matches, aggs)
        try:
            if request.sort == "date":
                result = searcher.search(matches, limit, count=False, offset=request.offset,
                                         order_by_field="date", order=tantivy.Order.Desc)
            else:
                result = searcher.search(_and(_render(request.query, df), filters), limit, count=False,
                                         offset=request.offset)
            hits = [(searcher.doc(addr)["id"][0], float(score) if request.sort != "date" else 0.0)
                    for score, addr in result.hits][: request.limit]
        except BaseException:
            counted.cancel()
            raise
        raw = counted.result()
        facets = {f: [(b["key"], b["doc_count"]) for b in raw[f]["buckets"]] for f in request.facets}
        return BackendResult(total=int(raw["total"]["value"] or 0), hits=hits, facets=facets)


def _write(writer, docs: Iterable[IndexDoc], upsert: bool) -> list[tuple[str, str]]:
    """Add each document (replacing its id first if `upsert`); (id, error) for each."""
    results = []
    for d in docs:
        try:
            if upsert:
                writer.delete_documents_by_term("id", d.id)
            writer.add_document(_document(d))
            results.append((d.id, ""))
        except (ValueError, RuntimeError) as e:
            results.append((d.id, f"index: {e}"))
    return results


def _candidates(searcher, word: str, filter_query, limit: int = 200) -> list[tuple[str, int]]:
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


def _document(d: IndexDoc) -> tantivy.Document:
    """Unknown values (empty strings, year 0) are left out, so no facet counts them."""
    fields = {k: v for k, v in vars(d).items() if v not in ("", 0)}
    fields.setdefault("date", 0)  # sorting by date needs a value in every document
    return tantivy.Document(**fields)


def _render(node, df, scoring: bool = True) -> tantivy.Query:
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
            (Occur.MustNot, _render(c.child, df, scoring)) if isinstance(c, q.Not)
            else (Occur.Should, Q.boost_query(_prefer(c.child, df), PREFER_BOOST)) if isinstance(c, q.Prefer)
            else (Occur.Must, _render(c, df, scoring))
            for c in node.children if scoring or not isinstance(c, q.Prefer)])
    if isinstance(node, q.Or):
        return Q.boolean_query([(Occur.Should, _render(c, df, scoring)) for c in node.children])
    raise TypeError(f"cannot render {node!r}")


def _term(term: q.Term, df, scoring: bool = True) -> tantivy.Query:
    """Verbatim match on the bigram fields decides and scores the hit; its jieba words add to the score."""
    Q = tantivy.Query
    where = ("title", "body") if term.field is None else (term.field,)
    boost = {"title": TITLE_BOOST, "body": 1.0}
    match = [(Occur.Should, Q.boost_query(_verbatim(f"{w}_bigrams", term, df), boost[w])) for w in where]
    if not scoring:
        return Q.boolean_query(match)
    score = [(Occur.Should, Q.boost_query(Q.term_query(SCHEMA, f"{w}_words", word), boost[w]))
             for w in where for word in term.score_words]
    return Q.boolean_query(
        [(Occur.Must, Q.boolean_query(match))]
        + ([(Occur.Should, Q.boolean_query(score))] if score else []))


def _prefer(node, df) -> tantivy.Query:
    """A ranking clause: a term that is one jieba word is looked up in the words fields (a phrase of
    frequent bigrams would cost ~5 ms at 100k documents); anything else is matched verbatim."""
    if not isinstance(node, q.Term) or node.word is None:
        return _render(node, df)
    where = ("title", "body") if node.field is None else (node.field,)
    return tantivy.Query.boolean_query([
        (Occur.Should, tantivy.Query.boost_query(tantivy.Query.term_query(SCHEMA, f"{w}_words", node.word),
                                                 TITLE_BOOST if w == "title" else 1.0)) for w in where])


def _verbatim(field: str, term: q.Term, df) -> tantivy.Query:
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
    rarest = min(freq, key=freq.get)
    if 2 * freq[rarest] < min(freq[i] for i in cover):
        cover.add(rarest)
    return tantivy.Query.phrase_query(SCHEMA, field, [(i, grams[i]) for i in sorted(cover)])


def _filters(request: SearchRequest) -> list[tantivy.Query]:
    """Visibility (always) and facet filters; each is a required clause of the query itself."""
    clauses = [_any_of("disclosure", request.visibility)]
    for name, values in request.filters.items():
        if values:
            clauses.append(_any_of(name, values))
    return clauses


def _any_of(field: str, values) -> tantivy.Query:
    if field == "year":
        values = [int(v) for v in values]
    return tantivy.Query.boolean_query(
        [(Occur.Should, tantivy.Query.term_query(SCHEMA, field, v)) for v in values]
        or [(Occur.Must, tantivy.Query.empty_query())])


def _const(clauses: list[tantivy.Query]) -> tantivy.Query:
    return tantivy.Query.const_score_query(
        tantivy.Query.boolean_query([(Occur.Must, c) for c in clauses]), 0.0)


def _and(*queries: tantivy.Query) -> tantivy.Query:
    return tantivy.Query.boolean_query([(Occur.Must, x) for x in queries])
