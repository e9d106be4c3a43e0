"""The Elasticsearch backend: the same analysed fields as the embedded engine, over HTTP.

Analysed text arrives pre-tokenized (space-joined, see IndexDoc) and is split by a
whitespace analyzer, so both backends index identical tokens and return identical hit
sets and facet counts. Each index (public, restricted) is searched through an alias; rebuilds
fill a new versioned index and move the alias when it is complete.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict

from elasticsearch import ApiError, Elasticsearch, NotFoundError, TransportError, helpers

from analyzers import query as q

from ..settings import Settings
from .base import (
    DOC_NUMBER_BOOST,
    KEYWORDS,
    NAMED_BOOST,
    NATIONAL,
    NATIONAL_BOOST,
    PREFER_BOOST,
    SCHEMA_VERSION,
    SUBJECT_BOOST,
    TITLE_BOOST,
    BackendResult,
    BackendUnavailable,
    IndexDoc,
    IndexState,
    SearchRequest,
)

TEXT_FIELDS = ("title_words", "body_words", "title_bigrams", "body_bigrams")


def _mapping() -> dict:
    text = {"type": "text", "analyzer": "whitespace"}  # built in; tokens are at most 64 chars
    props = {
        "id": {"type": "keyword"},
        "doc_number": {"type": "keyword"},
        "title_key": {"type": "keyword"},
        "title_words": {**text, "index_options": "freqs"},
        "body_words": {**text, "index_options": "freqs"},
        "title_bigrams": text,
        "body_bigrams": text,
        **{name: {"type": "keyword"} for name in KEYWORDS},   # the keyword facets of analyzers.fields
        "disclosure": {"type": "keyword"},
        "year": {"type": "integer"},
        "date": {"type": "date", "format": "basic_date"},
        "version": {"type": "long"},
    }
    return {"dynamic": "strict", "_source": {"excludes": list(TEXT_FIELDS)}, "properties": props}


class ElasticIndex:
    """One index (public or restricted) behind the alias `<settings.es_index>-<name>`; its state (applied
    change, purge) lives in the `_meta` of the index behind the alias."""

    def __init__(self, settings: Settings, name: str, es: Elasticsearch | None = None):
        self.settings = settings
        self.name = name
        self.alias = f"{settings.es_index}-{name}"
        self.url = settings.es_url
        self.es = es or Elasticsearch(settings.es_url, request_timeout=settings.es_timeout_s,
                                      retry_on_timeout=True, max_retries=2)
        try:
            self.es.cluster.health(timeout=f"{int(settings.es_timeout_s)}s")
        except (TransportError, ApiError) as e:
            raise BackendUnavailable(f"Elasticsearch at {self.url} is unreachable: {e}") from e

    def _call(self, fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except TransportError as e:
            raise BackendUnavailable(f"Elasticsearch at {self.url} is unreachable: {e}") from e

    # -- generations -----------------------------------------------------

    def state(self) -> IndexState:
        return _Generation(self, self.alias).state()

    def new_generation(self) -> _Generation:
        numbers = [int(n.rsplit("-", 1)[1]) for n in self._call(self.es.indices.get, index=f"{self.alias}-*")
                   if n.rsplit("-", 1)[1].isdigit()]
        name = f"{self.alias}-{max(numbers, default=0) + 1}"
        st = self.settings
        self._call(self.es.indices.create, index=name, settings={
            "number_of_shards": st.es_shards, "number_of_replicas": 0, "refresh_interval": "-1",
            "max_result_window": st.max_offset + st.max_page_size}, mappings=_mapping())
        return _Generation(self, name)

    def publish(self, generation: _Generation) -> None:
        """Make `generation` the one behind the alias (in one step) and delete the older ones."""
        new = generation.index
        self._call(self.es.indices.put_settings, index=new, settings={
            "refresh_interval": None, "number_of_replicas": self.settings.es_replicas})
        self._call(self.es.cluster.health, index=new, wait_for_status="yellow", timeout="60s")
        try:
            old = list(self._call(self.es.indices.get_alias, name=self.alias))
        except NotFoundError:
            old = []
        actions = [{"remove": {"index": o, "alias": self.alias}} for o in old]
        self._call(self.es.indices.update_aliases, actions=actions + [{"add": {"index": new, "alias": self.alias}}])
        for o in old:
            self._call(self.es.indices.delete, index=o, ignore_unavailable=True)

    # -- writing ---------------------------------------------------------

    def write(self, upserts: list[IndexDoc], deletes: list[str], *, applied: int,
              purge: bool = False) -> list[tuple[str, str]]:
        return _Generation(self, self.alias).write(upserts, deletes, applied=applied, purge=purge)

    # -- reading ---------------------------------------------------------

    def count(self) -> int:
        return self._call(self.es.count, index=self.alias)["count"]

    def present(self, ids: list[str]) -> set[str]:
        return _Generation(self, self.alias).present(ids)

    def contents(self) -> dict[str, tuple[int, str]]:
        """id -> (version, disclosure) of every document in the index."""
        out = {}
        for h in helpers.scan(self.es, index=self.alias, query={"query": {"match_all": {}}},
                              _source=["version", "disclosure"]):
            out[h["_id"]] = (int(h["_source"].get("version", 0)), h["_source"].get("disclosure", ""))
        return out

    def similar_words(self, word: str, visibility: tuple[str, ...], exclude: Sequence[str] = ()) -> list[tuple[str, int]]:
        """Indexed words near `word` (same first character) with counts among visible documents.

        The term suggester proposes candidates from the whole index; each is then counted
        with the visibility filter, and words no visible document holds are dropped.
        """
        spec = {"text": word, "term": {"field": "body_words", "suggest_mode": "always", "max_edits": 1,
                                       "prefix_length": 1, "min_word_length": 2, "size": 10}}
        r = self._call(self.es.search, index=self.alias, size=0, suggest={"w": spec})
        candidates = {o["text"] for entry in r["suggest"]["w"] for o in entry["options"]}
        counted = []
        for term in sorted(candidates):
            query = {"bool": {"filter": [{"terms": {"disclosure": list(visibility)}}],
                              "must_not": [{"ids": {"values": list(exclude)}}] if exclude else [],
                              "should": [{"term": {"title_words": term}}, {"term": {"body_words": term}}],
                              "minimum_should_match": 1}}
            n = self._call(self.es.count, index=self.alias, query=query)["count"]
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
        state = self.state() if request.guard else IndexState(built=True)
        deny = request.guard(state.applied) if request.guard else []
        degraded = request.guard is not None and (state.purge or bool(deny))
        # Visibility and the denied ids filter the query itself (statistics, counts, everything); the
        # user's facet selections filter the hits (post_filter), and each facet is counted with every
        # selection but its own (multi-select), in the same request.
        selections = {name: _any_of(name, values) for name, values in request.filters.items() if values}
        body = {
            "query": {"bool": {"must": [_render(request.query)],
                               "filter": [{"terms": {"disclosure": list(request.visibility)}}],
                               "must_not": [{"ids": {"values": list(deny)}}] if deny else []}},
            "from": request.offset,
            "size": request.limit,
            # counted exactly up to the limit, then "gte" the limit (the aggregations still see every match)
            "track_total_hits": request.exact_total_limit if request.exact_total_limit is not None else True,
            "_source": False,
            "aggs": {f: {"filter": {"bool": {"filter": [c for n, c in selections.items() if n != f]}},
                         "aggs": {"values": {"terms": {"field": f, "size": request.facet_size}}}}
                     for f in request.facets},
            "timeout": f"{int(request.budget_s * 1000)}ms",
        }
        if selections:
            body["post_filter"] = {"bool": {"filter": list(selections.values())}}
        if request.sort == "date" or degraded:
            body["sort"] = [{"date": {"order": "desc", "missing": "_last"}}, {"id": "asc"}]
        r = self._call(self.es.search, index=self.alias, **body)
        by_date = "sort" in body  # (then the date is the hit's key, as in every backend)
        hits = [(h["_id"], float(h["sort"][0] if by_date else h["_score"] or 0.0)) for h in r["hits"]["hits"]]
        facets = {f: [(b["key"], b["doc_count"]) for b in r["aggregations"][f]["values"]["buckets"]]
                  for f in request.facets}
        exact = r["hits"]["total"]["relation"] == "eq"
        return BackendResult(total=r["hits"]["total"]["value"], hits=hits, facets=facets, degraded=degraded,
                             timed_out=bool(r.get("timed_out")), total_exact=exact, total_bound=not exact)


class _Bulk:
    CHUNK = 500

    def __init__(self, gen: _Generation):
        self.gen = gen
        self.pending: list[dict] = []
        self.results: list[tuple[str, str]] = []

    def add(self, doc: IndexDoc) -> None:
        self.pending.append({"_index": self.gen.index, "_id": doc.id, "_source": _source(doc)})
        if len(self.pending) >= self.CHUNK:
            self.results += self.gen._bulk(self.pending)
            self.pending = []

    def close(self, applied: int) -> list[tuple[str, str]]:
        """Send what is left, refresh, and record the change the index is complete up to."""
        self.results += self.gen._bulk(self.pending)
        self.gen.owner._call(self.gen.es.indices.refresh, index=self.gen.index)
        self.gen.set_state(applied, False)
        return self.results


class _Generation:
    """A concrete Elasticsearch index (or the alias of the live one) that documents are written to."""

    def __init__(self, owner: ElasticIndex, index: str):
        self.owner, self.es, self.index = owner, owner.es, index

    def state(self) -> IndexState:
        try:
            mappings = self.owner._call(self.es.indices.get_mapping, index=self.index)
        except NotFoundError:
            return IndexState(built=False)
        meta = next(iter(mappings.values()))["mappings"].get("_meta", {}).get("gongkai")
        if not meta or meta.get("schema", 1) != SCHEMA_VERSION:  # (built by an older gongkai: rebuilt)
            return IndexState(built=False)
        return IndexState(built=True, applied=int(meta["applied"]), purge=bool(meta["purge"]))

    def present(self, ids: list[str]) -> set[str]:
        if not ids:
            return set()
        r = self.owner._call(self.es.search, index=self.index, query={"ids": {"values": list(ids)}},
                             size=len(ids), _source=False)
        return {h["_id"] for h in r["hits"]["hits"]}

    def set_state(self, applied: int, purge: bool) -> None:
        self.owner._call(self.es.indices.put_mapping, index=self.index,
                         meta={"gongkai": {"applied": applied, "purge": purge, "schema": SCHEMA_VERSION}})

    def write(self, upserts: list[IndexDoc], deletes: list[str], *, applied: int,
              purge: bool = False) -> list[tuple[str, str]]:
        before = self.state()
        purge = purge or before.purge
        if purge and not before.purge:  # announced before the refresh that leaves statistics behind
            self.set_state(before.applied, True)
        actions = [{"_op_type": "delete", "_index": self.index, "_id": i} for i in deletes]
        results = self._bulk(actions + [{"_index": self.index, "_id": d.id, "_source": _source(d)} for d in upserts])
        self.owner._call(self.es.indices.refresh, index=self.index)
        self.set_state(max(applied, before.applied), purge)
        return results

    def open_bulk(self) -> _Bulk:
        """A writer for filling this (new) generation: add() documents, then close(applied)."""
        return _Bulk(self)

    def _bulk(self, actions: Iterable[dict]) -> list[tuple[str, str]]:
        """(id, error) per indexed document; a delete of an absent id is not an error."""
        results = []
        try:
            for ok, item in helpers.streaming_bulk(
                self.es, actions, chunk_size=200, max_chunk_bytes=20 * 1024 * 1024,
                max_retries=6, initial_backoff=1, max_backoff=30,  # 429s back off and retry
                raise_on_error=False, raise_on_exception=False,
            ):
                op, info = next(iter(item.items()))
                if op == "delete":
                    if not ok and info.get("status") != 404:
                        raise RuntimeError(f"delete of {info.get('_id')} failed: {info.get('error')}")
                    continue
                err = "" if ok else f"index: {info.get('error') or info.get('status')}"
                results.append((info.get("_id", ""), err))
        except TransportError as e:
            raise BackendUnavailable(f"Elasticsearch at {self.owner.url} is unreachable: {e}") from e
        return results


def _source(d: IndexDoc) -> dict:
    """Unknown values (empty strings, year/date 0) are left out, so no facet counts them."""
    src = {k: v for k, v in asdict(d).items() if k != "keywords" and v not in ("", 0, [])}
    src.update((k, values) for k, values in d.keywords.items() if values)
    if "date" in src:
        src["date"] = str(src["date"])
    src["version"] = d.version
    return src


def _render(node: q.Node) -> dict:
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
        bounds: dict[str, int | str] = {k: v for k, v in (("gte", node.lo), ("lte", node.hi)) if v is not None}
        if node.field == "date":
            bounds = {k: str(v) for k, v in bounds.items()}
        return {"range": {node.field: bounds}}
    if isinstance(node, q.And):
        clauses: dict[str, list] = {"must": [], "must_not": [], "should": []}
        for c in node.children:
            if isinstance(c, q.Not):
                clauses["must_not"].append(_render(c.child))
            elif isinstance(c, q.Prefer) and isinstance(c.child, (q.Named, q.Subject)):   # fixed scores
                clauses["should"].append(_render(c.child))
            elif isinstance(c, q.Prefer):
                clauses["should"].append({"bool": {"must": [_prefer(c.child)], "boost": PREFER_BOOST}})
            else:
                clauses["must"].append(_render(c))
        return {"bool": clauses}
    if isinstance(node, q.Or):
        return {"bool": {"should": [_render(c) for c in node.children], "minimum_should_match": 1}}
    if isinstance(node, q.Named):
        named = [{"constant_score": {"filter": {"term": {"title_key": node.key}}, "boost": NAMED_BOOST}}]
        if node.national:
            named.append({"constant_score": {"filter": {"term": {"title_key": NATIONAL + node.key}},
                                             "boost": NATIONAL_BOOST}})
        return {"bool": {"should": named}}
    if isinstance(node, q.Subject):
        title = [_verbatim("title_bigrams", q.Term(w), 1.0) for w in node.words]
        return {"constant_score": {"filter": {"bool": {"filter": title}}, "boost": SUBJECT_BOOST}}
    raise TypeError(f"cannot render {node!r}")


def _term(term: q.Term) -> dict:
    """Verbatim match on the bigram fields decides and scores the hit; its jieba words add to the score."""
    where = ("title", "body") if term.field is None else (term.field,)
    boost = {"title": TITLE_BOOST, "body": 1.0}
    verbatim = [_verbatim(f"{w}_bigrams", term, boost[w]) for w in where]
    if term.bounded:  # and each of its words indexed as a word there
        verbatim = [{"bool": {"must": [v], "filter": [{"term": {f"{w}_words": x}} for x in term.whole_words]}}
                    for v, w in zip(verbatim, where)]
    match = {"bool": {"should": verbatim, "minimum_should_match": 1}}
    score = [{"term": {f"{w}_words": {"value": word, "boost": boost[w]}}}
             for w in where for word in term.score_words]
    return {"bool": {"must": [match], "should": score}}


def _prefer(node: q.Node) -> dict:
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


def _any_of(name: str, values: Iterable[str | int]) -> dict:
    return {"terms": {name: list(values)}}
