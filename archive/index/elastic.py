"""The Elasticsearch backend: the same analysed fields as the embedded engine, over HTTP.

Analysed text arrives pre-tokenized (space-joined, see IndexDoc) and is split by a
whitespace analyzer, so both backends index identical tokens and return identical hit
sets and facet counts. The searched name is an alias; rebuilds fill a new versioned index
and move the alias when it is complete.
"""
from __future__ import annotations

from dataclasses import asdict
from typing import Iterable

from elasticsearch import ApiError, Elasticsearch, NotFoundError, TransportError, helpers

from analyzers import query as q
from ..settings import Settings
from .base import BackendResult, BackendUnavailable, IndexDoc, SearchRequest

TITLE_BOOST = 3.0
DOC_NUMBER_BOOST = 20.0
PREFER_BOOST = 5.0
TEXT_FIELDS = ("title_words", "body_words", "title_bigrams", "body_bigrams")


def _mapping() -> dict:
    text = {"type": "text", "analyzer": "whitespace"}  # built in; tokens are at most 64 chars
    props = {
        "id": {"type": "keyword"},
        "doc_number": {"type": "keyword"},
        "title_words": {**text, "index_options": "freqs"},
        "body_words": {**text, "index_options": "freqs"},
        "title_bigrams": text,
        "body_bigrams": text,
        "agency": {"type": "keyword"},
        "doc_type": {"type": "keyword"},
        "topic": {"type": "keyword"},
        "disclosure": {"type": "keyword"},
        "year": {"type": "integer"},
        "date": {"type": "date", "format": "basic_date"},
    }
    return {"dynamic": "strict", "_source": {"excludes": list(TEXT_FIELDS)}, "properties": props}


class ElasticBackend:
    """An Elasticsearch 8 index behind the alias `settings.es_index`."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.alias = settings.es_index
        self.url = settings.es_url
        self.es = Elasticsearch(settings.es_url, request_timeout=settings.es_timeout_s,
                                retry_on_timeout=True, max_retries=2)
        try:
            self.es.cluster.health(timeout=f"{int(settings.es_timeout_s)}s")
            if not self.es.indices.exists_alias(name=self.alias):
                self._create(f"{self.alias}-1", alias=True)
        except (TransportError, ApiError) as e:
            raise BackendUnavailable(f"Elasticsearch at {self.url} is unreachable: {e}") from e

    def _create(self, name: str, alias: bool = False, bulk_load: bool = False) -> None:
        st = self.settings
        body_settings = {
            "number_of_shards": st.es_shards,
            "number_of_replicas": 0 if bulk_load else st.es_replicas,
            "max_result_window": st.max_offset + st.max_page_size,
        }
        if bulk_load:
            body_settings["refresh_interval"] = "-1"
        self.es.indices.create(index=name, settings=body_settings, mappings=_mapping(),
                               aliases={self.alias: {}} if alias else None)

    # -- writing ---------------------------------------------------------

    def add(self, docs: Iterable[IndexDoc]) -> list[tuple[str, str]]:
        """Index documents under their stable ids (re-adding replaces); (id, error) for each."""
        return self._bulk(self.alias, docs)

    def _bulk(self, index: str, docs: Iterable[IndexDoc]) -> list[tuple[str, str]]:
        actions = ({"_index": index, "_id": d.id, "_source": _source(d)} for d in docs)
        results = []
        try:
            for ok, item in helpers.streaming_bulk(
                self.es, actions, chunk_size=200, max_chunk_bytes=20 * 1024 * 1024,
                max_retries=6, initial_backoff=1, max_backoff=30,  # 429s back off and retry
                raise_on_error=False, raise_on_exception=False,
            ):
                info = item.get("index", {})
                err = "" if ok else f"index: {info.get('error') or info.get('status')}"
                results.append((info.get("_id", ""), err))
        except TransportError as e:
            raise BackendUnavailable(f"Elasticsearch at {self.url} is unreachable: {e}") from e
        return results

    def delete(self, ids: Iterable[str]) -> None:
        actions = ({"_op_type": "delete", "_index": self.alias, "_id": i} for i in ids)
        for ok, item in helpers.streaming_bulk(self.es, actions, raise_on_error=False):
            if not ok and item.get("delete", {}).get("status") != 404:
                raise RuntimeError(f"delete failed: {item}")

    def commit(self) -> None:
        """Make everything written so far searchable."""
        self.es.indices.refresh(index=self.alias)

    def rebuild(self, docs: Iterable[IndexDoc]) -> list[tuple[str, str]]:
        """Fill a new versioned index, then move the alias to it in one step; drop the old."""
        old = list(self.es.indices.get_alias(name=self.alias))
        numbers = [int(n.rsplit("-", 1)[1]) for n in self.es.indices.get(index=f"{self.alias}-*")
                   if n.rsplit("-", 1)[1].isdigit()]
        new = f"{self.alias}-{max(numbers, default=0) + 1}"
        self._create(new, bulk_load=True)
        results = self._bulk(new, docs)
        self.es.indices.put_settings(index=new, settings={
            "refresh_interval": None, "number_of_replicas": self.settings.es_replicas})
        self.es.indices.refresh(index=new)
        self.es.cluster.health(index=new, wait_for_status="yellow", timeout="60s")
        actions = [{"remove": {"index": o, "alias": self.alias}} for o in old]
        self.es.indices.update_aliases(actions=actions + [{"add": {"index": new, "alias": self.alias}}])
        for o in old:
            self.es.indices.delete(index=o, ignore_unavailable=True)
        return results

    def count(self) -> int:
        return self.es.count(index=self.alias)["count"]

    def similar_words(self, word: str, visibility: tuple[str, ...]) -> list[tuple[str, int]]:
        """Indexed words near `word` (same first character) with counts among visible documents.

        The term suggester proposes candidates from the whole index; each is then counted
        with the visibility filter, and words no visible document holds are dropped.
        """
        spec = {"text": word, "term": {"field": "body_words", "suggest_mode": "always", "max_edits": 1,
                                       "prefix_length": 1, "min_word_length": 2, "size": 10}}
        r = self.es.search(index=self.alias, size=0, suggest={"w": spec})
        candidates = {o["text"] for entry in r["suggest"]["w"] for o in entry["options"]}
        counted = []
        for term in sorted(candidates):
            query = {"bool": {"filter": [{"terms": {"disclosure": list(visibility)}}],
                              "should": [{"term": {"title_words": term}}, {"term": {"body_words": term}}],
                              "minimum_should_match": 1}}
            n = self.es.count(index=self.alias, query=query)["count"]
            if n:
                counted.append((term, n))
        return counted

    def drop(self) -> None:
        """Delete the alias and every index behind it (for tests and decommissioning)."""
        try:
            for name in self.es.indices.get(index=f"{self.alias}-*"):
                self.es.indices.delete(index=name)
        except NotFoundError:
            pass

    def close(self) -> None:
        self.es.close()

    # -- searching -------------------------------------------------------

    def search(self, request: SearchRequest) -> BackendResult:
        body = {
            "query": {"bool": {"must": [_render(request.query)], "filter": _filters(request)}},
            "from": request.offset,
            "size": request.limit,
            "track_total_hits": True,
            "_source": False,
            "aggs": {f: {"terms": {"field": f, "size": request.facet_size}} for f in request.facets},
        }
        if request.sort == "date":
            body["sort"] = [{"date": {"order": "desc", "missing": "_last"}}, {"id": "asc"}]
        try:
            r = self.es.search(index=self.alias, **body)
        except TransportError as e:
            raise BackendUnavailable(f"Elasticsearch at {self.url} is unreachable: {e}") from e
        hits = [(h["_id"], float(h["_score"] or 0.0)) for h in r["hits"]["hits"]]
        facets = {f: [(b["key"], b["doc_count"]) for b in r["aggregations"][f]["buckets"]]
                  for f in request.facets}
        return BackendResult(total=r["hits"]["total"]["value"], hits=hits, facets=facets)


def _source(d: IndexDoc) -> dict:
    """Unknown values (empty strings, year/date 0) are left out, so no facet counts them."""
    src = {k: v for k, v in asdict(d).items() if v not in ("", 0)}
    if "date" in src:
        src["date"] = str(src["date"])
    return src


def _render(node) -> dict:
    """The Elasticsearch query for an analyzers.query tree (never query_string syntax)."""
    if isinstance(node, q.MatchAll):
        return {"match_all": {}}
    if isinstance(node, q.MatchNone):
        return {"match_none": {}}
    if isinstance(node, q.Term):
        return _term(node)
    if isinstance(node, q.DocNumber):
        return {"bool": {"should": [
            {"term": {"doc_number": {"value": node.key, "boost": DOC_NUMBER_BOOST}}},
            _term(q.Term(node.text))], "minimum_should_match": 1}}
    if isinstance(node, q.Keyword):
        return {"regexp": {node.field: {"value": node.pattern}}}
    if isinstance(node, q.Range):
        bounds = {k: v for k, v in (("gte", node.lo), ("lte", node.hi)) if v is not None}
        if node.field == "date":
            bounds = {k: str(v) for k, v in bounds.items()}
        return {"range": {node.field: bounds}}
    if isinstance(node, q.And):
        clauses: dict[str, list] = {"must": [], "must_not": [], "should": []}
        for c in node.children:
            if isinstance(c, q.Not):
                clauses["must_not"].append(_render(c.child))
            elif isinstance(c, q.Prefer):
                clauses["should"].append({"bool": {"must": [_prefer(c.child)], "boost": PREFER_BOOST}})
            else:
                clauses["must"].append(_render(c))
        return {"bool": clauses}
    if isinstance(node, q.Or):
        return {"bool": {"should": [_render(c) for c in node.children], "minimum_should_match": 1}}
    raise TypeError(f"cannot render {node!r}")


def _term(term: q.Term) -> dict:
    """Verbatim match on the bigram fields decides and scores the hit; its jieba words add to the score."""
    where = ("title", "body") if term.field is None else (term.field,)
    boost = {"title": TITLE_BOOST, "body": 1.0}
    match = {"bool": {"should": [_verbatim(f"{w}_bigrams", term, boost[w]) for w in where],
                      "minimum_should_match": 1}}
    score = [{"term": {f"{w}_words": {"value": word, "boost": boost[w]}}}
             for w in where for word in term.score_words]
    return {"bool": {"must": [match], "should": score}}


def _prefer(node) -> dict:
    """A ranking clause: a term that is one jieba word is looked up in the words fields, else verbatim."""
    if not isinstance(node, q.Term) or node.word is None:
        return _render(node)
    where = ("title", "body") if node.field is None else (node.field,)
    return {"bool": {"should": [{"term": {f"{w}_words": {"value": node.word,
                                                         "boost": TITLE_BOOST if w == "title" else 1.0}}}
                                for w in where], "minimum_should_match": 1}}


def _verbatim(field: str, term: q.Term, boost: float) -> dict:
    grams = term.bigrams
    if not grams:  # a single unit: any bigram that holds it
        u = term.sequence
        return {"regexp": {field: {"value": f"{u}.|.{u}", "boost": boost}}}
    if len(grams) == 1:
        return {"term": {field: {"value": grams[0], "boost": boost}}}
    return {"match_phrase": {field: {"query": " ".join(grams), "boost": boost}}}


def _filters(request: SearchRequest) -> list[dict]:
    """Visibility (always) and facet filters, in the query's filter clause (never post_filter)."""
    clauses = [{"terms": {"disclosure": list(request.visibility)}}]
    for name, values in request.filters.items():
        if values:
            clauses.append({"terms": {name: list(values)}})
    return clauses
