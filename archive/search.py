"""The search service: one call behind the CLI, the HTML pages and the JSON API."""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path

from analyzers import highlight
from analyzers.fields import brief_fields
from analyzers.normalize import normalize
from analyzers.query import EXPENSIVE, Limits, Node, Parsed, cost, parse_query, terms, typed_terms
from analyzers.segment import DICT_DIR
from analyzers.spelling import best_alternative
from analyzers.synonyms import parse_synonyms

from . import collapse
from .catalog import Catalog
from .index import FACETS, STAFF_FACETS, BackendResult, MergedIndex, Searchable, SearchIndex, SearchRequest
from .settings import Settings

PUBLIC = ("主动公开",)                          # what anonymous visitors may see
STAFF = ("主动公开", "依申请公开", "不予公开")     # what signed-in staff may see
SORTS = ("relevance", "date")
YEAR_BUCKETS = 1000   # the year facet is counted whole (years are listed and charted in order, not cut at facet_size)


@dataclass
class Search:
    """A validated search request as a user gives it (query string, filters, page)."""

    q: str = ""
    filters: dict | None = None
    sort: str = "relevance"
    offset: int = 0
    limit: int = 20
    versions: str = ""       # "all": every version; else one entry per version group, its latest (archive.collapse)
    group: str = ""          # only the versions of this group (a hit's `version_group`)
    exact_total: bool = False  # count the total exactly however large (staff only; see exact_total_limit)


class SearchService:
    """Parses, runs, and dresses up searches: hits carry catalog metadata and marked snippets.

    The public searches the public index (only 主动公开 documents: its scores, order and counts are
    those of an archive without the others), guarded by the catalog: documents a change took out of
    public sight that the index may still hold are excluded, and ranked around by date, until the
    index no longer holds them or their statistics. Staff search both indexes as one (MergedIndex).
    """

    def __init__(self, catalog: Catalog, indexes: dict[str, SearchIndex], settings: Settings):
        self.catalog = catalog
        self.indexes = indexes
        self.staff = MergedIndex(indexes["public"], indexes["restricted"])
        self.settings = settings
        self._synonyms = _SynonymFiles([DICT_DIR / "synonyms.txt", settings.data_dir / "synonyms.txt"])
        self._heavy = threading.BoundedSemaphore(max(1, settings.max_expensive_searches))

    def search(self, s: Search, visibility: tuple[str, ...] = PUBLIC) -> dict:
        """Run `s` as a caller who may see `visibility`; returns the result as plain data."""
        started = time.perf_counter()
        st = self.settings
        parsed = self.parse(s.q)
        tree, notices = parsed.tree, self.notices(parsed)
        limit = min(max(s.limit, 1), st.max_page_size)
        offset = min(max(s.offset, 0), st.max_offset)
        public = visibility == PUBLIC
        facets = STAFF_FACETS if not public else FACETS
        filters = clean_filters(s.filters or {}, facets)
        request = SearchRequest(
            query=tree, visibility=visibility, filters=collapse.index_filters(filters, s.versions, s.group, public),
            sort=s.sort if s.sort in SORTS else "relevance", offset=offset, limit=limit,
            facet_size=max(st.facet_size, YEAR_BUCKETS),  # every year; the others cut below
            facets=collapse.index_facets(facets, s.versions, s.group, public),
            guard=self.catalog.restricted_after if public else None, budget_s=st.search_timeout_s,
            # (the public may not ask for exact counts: a huge one costs a pass over every match)
            exact_total_limit=None if s.exact_total and not public else st.exact_total_limit,
        )
        index = self._index(visibility)
        heavy = cost(tree) >= EXPENSIVE  # costly searches take turns: they cannot crowd out the others
        if heavy and not self._heavy.acquire(timeout=st.search_timeout_s):
            result = BackendResult(total=0, hits=[], facets={f: [] for f in request.facets})
            notices.append("同时进行的复杂检索太多，请稍后再试，或简化检索式。")
        else:
            try:
                result = index.search(request)
            finally:
                if heavy:
                    self._heavy.release()
        if result.degraded:
            notices.append("部分文件的公开属性刚刚调整，结果暂按日期排列。")
        if result.timed_out:
            notices.append(f"检索用时超过 {st.search_timeout_s:g} 秒，结果可能不完整。请缩短或简化检索式。")
        # Alternatives for an empty result cost searches of their own: not for a costly or cut query.
        simple = not heavy and not parsed.cut
        suggestion = self._respell(s.q, tree, request, index) if result.total == 0 and simple else None
        ids = [doc_id for doc_id, _ in result.hits]
        docs = self.catalog.documents(ids)
        texts = self.catalog.texts(ids)
        withheld = self.catalog.redacted(ids) if public else set()   # (their originals' names too)
        needles = _needles(tree)
        brief = brief_fields(staff=not public)
        hits = []
        by_date = result.degraded or request.sort == "date"   # (then `score` is the date hits are ordered by)
        ranked = result.hits if by_date else _newest_first(result.hits, docs)
        for doc_id, score in ranked:
            doc = docs.get(doc_id)
            if doc is None:  # indexed but gone from the catalog: never show a ghost
                continue
            pages = texts[doc_id]
            snippet, at = highlight.snippet("\n".join(pages), needles, st.snippet_chars)
            hits.append({
                "id": doc_id,
                **{k: doc[k] or "" for k in brief},
                "filename": "" if doc_id in withheld else doc["filename"] or "",
                "score": 0.0 if by_date else round(score, 4),
                "title_html": str(highlight.mark(doc["title"], highlight.find_spans(doc["title"], needles))),
                "snippet": str(snippet),
                "page": _page_of(pages, at) if len(pages) > 1 else None,
            })
        collapse.dress(hits, docs, self.catalog, visibility, public)
        counted, older = collapse.user_facets(result.facets, facets, public)
        return {
            "query": s.q,
            "total": result.total,
            "total_exact": result.total_exact,   # False: an estimate (with the facet counts), or a lower bound
            "total_bound": result.total_bound,   # (total_bound: Elasticsearch counted no further)
            "offset": offset,
            "limit": limit,
            "sort": request.sort,
            "filters": filters,
            "versions": {"shown": "group" if s.group else s.versions or "latest", "group": s.group, "older": older},
            "hits": hits,
            "facets": {f: [{"value": v, "count": c} for v, c in counted.get(f, [])[:_shown(f, st)]]
                       for f in facets},
            "suggestion": suggestion,
            "notices": notices,
            "ranked": "date" if result.degraded else request.sort,
            "simple": simple,
            "took_ms": round((time.perf_counter() - started) * 1000, 1),
        }


    def parse(self, q: str) -> Parsed:
        """The query as every surface reads it: with the synonym table and within the settings' limits."""
        st = self.settings
        limits = Limits(max_chars=st.max_query_chars, max_depth=st.max_query_depth, max_terms=st.max_query_terms,
                        max_single_chars=st.max_query_single_chars, max_clauses=st.max_query_clauses)
        return parse_query(q, limits, self._synonyms.table())

    def notices(self, parsed: Parsed) -> list[str]:
        """What a user is told about the parts of their query that were left out."""
        st = self.settings
        said = {
            "chars": f"查询过长，只使用了前 {st.max_query_chars} 个字符。",
            "depth": f"括号嵌套过深，超过 {st.max_query_depth} 层的括号已忽略。",
            "terms": f"检索词过多，只使用了前 {st.max_query_terms} 个。",
            "single_chars": f"单字检索词过多，只使用了前 {st.max_query_single_chars} 个单字。",
            "clauses": "检索式（连同同义词）过于复杂，后面的部分未使用。",
        }
        return [said[k] for k in ("chars", "depth", "terms", "single_chars", "clauses") if k in parsed.cut]

    def needles(self, q: str) -> list[highlight.Needle]:
        """What to mark in a text for the query `q`: exactly what its results page marks (every surface
        marks with these and analyzers.highlight)."""
        return _needles(self.parse(q).tree)

    def _index(self, visibility: tuple[str, ...]) -> Searchable:
        return self.indexes["public"] if visibility == PUBLIC else self.staff

    def _respell(self, q: str, tree: Node, request: SearchRequest, index: Searchable) -> str | None:
        """A query one character away per word that does find visible documents, or None."""
        typed = typed_terms(tree)[:4]
        if not typed:
            return None
        exclude = request.guard(self.indexes["public"].state().applied) if request.guard else []
        respelled = q
        for term in typed:
            alt = self._closest(index, term.units, request.visibility, exclude)
            if alt:
                respelled = respelled.replace(term.text, alt, 1)
                continue
            for word in term.words:
                alt = self._closest(index, word, request.visibility, exclude) if len(word) >= 2 else None
                if alt:
                    respelled = respelled.replace(word, alt, 1)
        if respelled == q:
            return None
        check = replace(request, query=self.parse(respelled).tree, offset=0, limit=1)
        return respelled if index.search(check).total else None

    @staticmethod
    def _closest(index: Searchable, word: str, visibility: tuple[str, ...], exclude: list[str]) -> str | None:
        if not 2 <= len(word) <= 12:
            return None
        return best_alternative(word, index.similar_words(word, visibility, exclude))


def _shown(facet: str, st: Settings) -> int:
    """How many values of `facet` a result carries: every year, facet_size of the others."""
    return YEAR_BUCKETS if facet == "year" else st.facet_size


def _newest_first(hits: list[tuple[str, float]], docs: dict[str, dict]) -> list[tuple[str, float]]:
    """`hits` with the versions of one document (the same title) in the places they hold, newest first: the
    version in force before the ones it replaced, though their texts score alike."""
    by_title: dict[str, list[int]] = {}
    for i, (doc_id, _) in enumerate(hits):
        if doc_id in docs:
            by_title.setdefault(normalize(docs[doc_id]["title"] or doc_id), []).append(i)
    out = list(hits)
    for places in by_title.values():
        if len(places) > 1:
            newest = sorted(places, key=lambda i: _date(docs[hits[i][0]]), reverse=True)
            for place, i in zip(places, newest):
                out[place] = hits[i]
    return out


def _date(doc: dict) -> str:
    return doc["written_date"] or doc["published_date"] or ""


def _needles(tree: Node) -> list[highlight.Needle]:
    """The positive terms of a parsed query as highlight needles (synonyms only where they stand as words)."""
    return [highlight.Needle(t.sequence, t.bounded) for t in terms(tree)]


def _page_of(pages: list[str], offset: int) -> int:
    """1-based page holding character `offset` of the pages joined by newlines."""
    end = 0
    for number, text in enumerate(pages, 1):
        end += len(text) + 1
        if offset < end:
            return number
    return len(pages)


def clean_filters(raw: dict, facets: tuple[str, ...] = FACETS) -> dict[str, list]:
    """Only the given facets, non-empty values; years as ints (bad years are dropped)."""
    out: dict[str, list] = {}
    for name in facets:
        values = raw.get(name) or []
        if isinstance(values, (str, int)):
            values = [values]
        if name == "year":
            values = [int(v) for v in values if str(v).isdigit() and len(str(v)) == 4]
        else:
            values = [str(v) for v in values if str(v).strip()]
        if values:
            out[name] = list(dict.fromkeys(values))
    return out

class _SynonymFiles:
    """The bundled synonym table plus the staff's own file, re-read when either changes."""

    def __init__(self, paths: list[Path]):
        self.paths = paths
        self._stamp: tuple[int, ...] | None = None
        self._table: dict[str, list[str]] = {}

    def table(self) -> dict[str, list[str]]:
        stamp = tuple(p.stat().st_mtime_ns if p.exists() else 0 for p in self.paths)
        if stamp != self._stamp:
            text = "\n".join(p.read_text(encoding="utf-8") for p in self.paths if p.exists())
            self._table, self._stamp = parse_synonyms(text), stamp
        return self._table
