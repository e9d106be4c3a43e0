"""The embedded backend: tantivy indexes in the data directory, no server needed.

Analysed fields arrive as space-joined tokens (see IndexDoc) and are split by a whitespace
tokenizer, so this engine indexes exactly what every other backend indexes. Each index (public,
restricted) lives in `index/<name>/gen-N/` with its state in `gen-N.state` and a CURRENT pointer;
rebuilds write a new generation and switch the pointer atomically. A writer is opened for one
write and closed after its commit (callers serialize writes with archive.sync's lock).
"""
from __future__ import annotations

import json
import os
import shutil
import threading
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from functools import cached_property
from pathlib import Path

import tantivy

from ..settings import Settings
from .base import SCHEMA_VERSION, BackendResult, BackendUnavailable, IndexDoc, IndexState, SearchRequest
from .embedded_count import aggregations, at_most, gather, push_sample, sample_key, value
from .embedded_count import sample as draw
from .embedded_query import SCHEMA, any_of, candidates, conjunction, const, render, search_filters
from .embedded_topk import WORTH, best

LAYOUT = 1   # fields of the embedded index beyond SCHEMA_VERSION's (indexes of another layout are rebuilt): 1 sample

_WS = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build()


def _open(path: Path) -> tantivy.Index:
    try:
        index = tantivy.Index(SCHEMA, path=str(path))
    except ValueError as e:
        raise BackendUnavailable(
            f"the search index in {path} was built by another version of gongkai ({e});"
            " run `gongkai reindex` to rebuild it from the archive") from e
    index.register_tokenizer("ws", _WS)
    return index


def _commit_mark(path: Path) -> tuple[int, int, int]:
    """Changes whenever a commit or merge replaces the index's meta.json (written by rename)."""
    st = os.stat(path / "meta.json")
    return st.st_ino, st.st_mtime_ns, st.st_size


class _Generation:
    """One tantivy index directory and its state file; documents are written here."""

    def __init__(self, root: Path, name: str, settings: Settings):
        self.name, self.settings = name, settings
        self.path = root / name
        self.state_path = root / f"{name}.state"

    def state(self) -> IndexState:
        try:
            raw = json.loads(self.state_path.read_text())
        except FileNotFoundError:
            return IndexState(built=False)
        if (raw.get("schema", 1), raw.get("layout", 0)) != (SCHEMA_VERSION, LAYOUT):  # catch_up() rebuilds it
            return IndexState(built=False)
        return IndexState(built=True, applied=int(raw["applied"]), purge=bool(raw["purge"]))

    def _set_state(self, applied: int, purge: bool) -> None:
        tmp = self.state_path.with_name(self.state_path.name + ".tmp")
        with open(tmp, "w") as f:
            json.dump({"applied": applied, "purge": purge, "schema": SCHEMA_VERSION, "layout": LAYOUT}, f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.state_path)

    def write(self, upserts: list[IndexDoc], deletes: list[str], *, applied: int,
              purge: bool = False) -> list[tuple[str, str]]:
        before = self.state()
        purge = purge or before.purge
        if purge and not before.purge:  # announced before the commit that leaves statistics behind
            self._set_state(before.applied, True)
        writer = _open(self.path).writer(self.settings.index_writer_bytes, 1)
        for doc_id in deletes:
            writer.delete_documents_by_term("id", doc_id)
        results = _add(writer, upserts, upsert=True)
        writer.commit()
        writer.wait_merging_threads()
        self._set_state(max(applied, before.applied), purge)
        return results

    def present(self, ids: list[str]) -> set[str]:
        """Which of `ids` this generation holds (as last committed)."""
        index = _open(self.path)
        index.reload()
        searcher = index.searcher()
        found = searcher.search(any_of("id", ids), max(1, len(ids))) if ids else None
        return {searcher.doc(addr)["id"][0] for _, addr in found.hits} if found else set()

    def open_bulk(self) -> _Bulk:
        """A writer for filling this (new) generation: add() documents, then close(applied)."""
        return _Bulk(self, _open(self.path).writer(self.settings.index_writer_bytes, 1))


class _Bulk:
    def __init__(self, gen: _Generation, writer: tantivy.IndexWriter):
        self.results: list[tuple[str, str]]
        self.gen, self.writer, self.results = gen, writer, []

    def add(self, doc: IndexDoc) -> None:
        self.results += _add(self.writer, [doc], upsert=False)

    def close(self, applied: int) -> list[tuple[str, str]]:
        """Commit everything added and record the change it is complete up to."""
        self.writer.commit()
        self.writer.wait_merging_threads()
        self.gen._set_state(applied, False)
        return self.results


def remove_old_layout(root: Path) -> None:
    """Delete the single index of gongkai 0.1 (index/CURRENT, index/gen-N): the two indexes that replace it
    are built from the catalog (archive.sync.catch_up)."""
    if (root / "CURRENT").is_file():
        for child in root.glob("gen-*"):
            shutil.rmtree(child, ignore_errors=True)
        (root / "CURRENT").unlink(missing_ok=True)


class EmbeddedIndex:
    """One tantivy index (public or restricted) under <data>/index/<name>; readers reload on change."""

    def __init__(self, root: Path, name: str, settings: Settings):
        self.name = name
        self.root = Path(root) / name
        self.settings = settings
        self._lock = threading.Lock()
        self._index: tantivy.Index | None = None
        self._generation: str | None = None
        self._searcher: tantivy.Searcher | None = None
        self._seen: tuple[int, int, int] | None = None
        self._population: tuple[tantivy.Searcher | None, dict[tuple, Future]] = (None, {})  # see _sampled

    # -- generations -----------------------------------------------------

    def _current(self) -> _Generation | None:
        try:
            name = (self.root / "CURRENT").read_text().strip()
        except FileNotFoundError:
            return None
        return _Generation(self.root, name, self.settings)

    def state(self) -> IndexState:
        gen = self._current()
        return gen.state() if gen else IndexState(built=False)

    def new_generation(self) -> _Generation:
        """An empty generation next to the current one (not searched until published)."""
        self.root.mkdir(parents=True, exist_ok=True)
        numbers = [int(p.name.split("-")[1]) for p in self.root.glob("gen-*") if p.name.split("-")[1].isdigit()]
        gen = _Generation(self.root, f"gen-{max(numbers, default=0) + 1}", self.settings)
        shutil.rmtree(gen.path, ignore_errors=True)
        gen.path.mkdir(parents=True)
        return gen

    def publish(self, generation: _Generation) -> None:
        """Switch searches to `generation` and delete the older ones."""
        tmp = self.root / "CURRENT.tmp"
        tmp.write_text(generation.name)
        os.replace(tmp, self.root / "CURRENT")
        with self._lock:
            self._index, self._generation = None, None
        for child in self.root.glob("gen-*"):
            if child.name != generation.name and not child.name.startswith(generation.name + "."):
                if child.is_dir():
                    shutil.rmtree(child, ignore_errors=True)
                else:
                    child.unlink(missing_ok=True)

    # -- writing ---------------------------------------------------------

    def write(self, upserts: list[IndexDoc], deletes: list[str], *, applied: int,
              purge: bool = False) -> list[tuple[str, str]]:
        gen = self._current()
        if gen is None:
            raise RuntimeError(f"the {self.name} index is not built (archive.sync rebuilds it)")
        return gen.write(upserts, deletes, applied=applied, purge=purge)

    # -- reading ---------------------------------------------------------

    def _snapshot(self) -> tuple[tantivy.Searcher, IndexState]:
        """A searcher and the state it may be trusted with: the changes it holds at least (`applied`,
        read before the searcher: writers commit, then record) and whether deleted documents may count
        in its statistics (`purge`, read before and after: writers announce it before they commit)."""
        for attempt in (1, 2):  # a rebuild in another process may delete the generation just read
            with self._lock:
                gen = self._current()
                if gen is None or (gen.name != self._generation and not gen.path.is_dir()):
                    raise BackendUnavailable(f"the {self.name} search index in {self.root} is not built yet"
                                             " (`gongkai reindex` builds it from the archive)")
                before = gen.state()
                try:
                    if self._index is None or gen.name != self._generation:
                        self._index, self._generation, self._seen = _open(gen.path), gen.name, None
                    # Reloading costs ~0.2 ms a search: only when a commit or merge replaced meta.json
                    # since the last one (stat first, so the reloaded searcher holds at least that).
                    seen = _commit_mark(gen.path)
                    if seen != self._seen or self._searcher is None:
                        self._index.reload()
                        self._searcher, self._seen = self._index.searcher(), seen
                    searcher = self._searcher
                except (ValueError, OSError, BackendUnavailable):
                    self._index, self._generation = None, None
                    if attempt == 2:
                        raise
                    continue
            purge = before.purge or gen.state().purge
            return searcher, IndexState(built=before.built, applied=before.applied, purge=purge)
        raise AssertionError("unreachable")

    def present(self, ids: list[str]) -> set[str]:
        gen = self._current()
        return gen.present(ids) if gen else set()

    def count(self) -> int:
        return self._snapshot()[0].num_docs

    def contents(self) -> dict[str, tuple[int, str]]:
        """id -> (version, disclosure) of every document in the index."""
        searcher, _ = self._snapshot()
        if not searcher.num_docs:
            return {}
        found = searcher.search(tantivy.Query.all_query(), searcher.num_docs)
        out = {}
        for _, addr in found.hits:
            d = searcher.doc(addr)
            out[d["id"][0]] = (int(d["version"][0]), d["disclosure"][0])
        return out

    def similar_words(self, word: str, visibility: tuple[str, ...], exclude: Sequence[str] = ()) -> list[tuple[str, int]]:
        """Indexed words near `word` (same first character) with counts among visible documents."""
        searcher, _ = self._snapshot()
        visible = any_of("disclosure", visibility)
        if exclude:
            visible = tantivy.Query.boolean_query([(tantivy.Occur.Must, visible),
                                                   (tantivy.Occur.MustNot, any_of("id", list(exclude)))])
        return candidates(searcher, word, visible)

    def close(self) -> None:
        if "_pool" in self.__dict__:
            self._pool.shutdown(wait=False, cancel_futures=True)

    def drop(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    @cached_property
    def _pool(self) -> ThreadPoolExecutor:
        return ThreadPoolExecutor(self.settings.search_threads, thread_name_prefix="gongkai-search")

    def search(self, request: SearchRequest) -> BackendResult:
        deadline = time.monotonic() + request.budget_s
        searcher, state = self._snapshot()
        deny = request.guard(state.applied) if request.guard else []
        degraded = request.guard is not None and (state.purge or bool(deny))
        filters = const(search_filters(request, deny))
        limit = max(1, request.limit)  # tantivy panics on limit=0
        # The page of hits needs scores; the total and the facets only need the matches, so they come
        # from one aggregation over the query without its scoring clauses, run in the pool while this
        # thread ranks (tantivy releases the GIL): a results page costs the slower of the two. A facet
        # with selected values is counted without its own selection (multi-select; see
        # embedded_count.aggregations). Above exact_total_limit, the counts are estimated from a sample
        # (embedded_count.sample). Counts not done within the time budget are given up: the search is
        # answered at once, as cut short.
        df = searcher.doc_freq
        unscored = render(request.query, df, scoring=False)
        selected = [f for f in request.facets if request.filters.get(f)]
        # The documents that may be counted (the denied ones the index still holds are not), and at most how
        # many match: degraded, the statistics may include documents out of public sight, so the sample is
        # chosen without them.
        n = searcher.num_docs - (len(searcher.search(any_of("id", deny), len(deny)).hits) if deny else 0)
        bound = n if degraded else at_most(request.query, df, n)
        sample, scale = draw(n, bound, request.exact_total_limit)

        def count(within: tantivy.Query | None) -> dict[str, Future]:
            """The aggregations (the total and every facet) of the matches `within` a sample, or of all."""
            pushed = within is not None and push_sample(request.query, n, scale, bound)
            matching = render(request.query, df, scoring=False, within=within) if pushed else unscored

            def matches(without: str) -> tantivy.Query:
                query = conjunction(matching, const(search_filters(request, deny, without=without)) if without
                                    else filters)
                return conjunction(query, within) if within is not None else query
            return aggregations(self._pool, searcher, matches, request.facets,
                                {f: request.filters[f] for f in selected}, request.facet_size)

        counting = count(sample)
        population = self._sampled(searcher, sample, scale, request, deny) if sample is not None else None
        matches = conjunction(unscored, filters)
        if request.sort == "date" or degraded:
            page = searcher.search(matches, limit, count=False, offset=request.offset,
                                   order_by_field="date", order=tantivy.Order.Desc).hits
        else:  # the best hits without scoring every match where that can be proven the same (embedded_topk)
            def scored(within: tantivy.Query | None = None) -> tantivy.Query:
                return conjunction(render(request.query, df, within=within), filters)
            found = best(searcher, request.query, scored, df, request.offset + limit) if bound >= WORTH else None
            page = searcher.search(scored(), limit, count=False, offset=request.offset).hits if found is None \
                else found[request.offset:]
        raw = gather(counting, deadline)
        estimated = raw is not None and sample is not None
        if raw is not None and estimated and value(raw) * scale <= 2 * (request.exact_total_limit or 0):
            # (Whatever the sample drew, a total this small is counted exactly: it is cheap, and a total
            # within the limit must be exact. Twice the limit keeps the sample's error out of that rule.)
            raw, estimated = gather(count(None), deadline), False
        if raw is None:
            return BackendResult(total=0, hits=[], facets={f: [] for f in request.facets}, degraded=degraded,
                                 timed_out=True)
        hits = [(searcher.doc(addr)["id"][0], float(score)) for score, addr in page][: request.limit]
        # An estimate scales the sample's counts by the documents counted over those sampled (a ratio: the
        # sample's own size varies around n / scale, alike for every query).
        k = n / max(1, value(population.result())) if estimated and population is not None else 1.0
        facets = {f: [(b["key"], round(b["doc_count"] * k)) for b in raw[f]["buckets"]] for f in request.facets}
        return BackendResult(total=round(value(raw) * k), hits=hits, facets=facets, degraded=degraded,
                             total_exact=not estimated)

    def _sampled(self, searcher: tantivy.Searcher, sample: tantivy.Query, scale: int, request: SearchRequest,
                 deny: list[str]) -> Future:
        """How many documents searched (visible, not denied) the sample (of 1/`scale`) holds: counted once per
        searcher."""
        key = (scale, request.visibility, tuple(deny))
        with self._lock:
            if self._population[0] is not searcher:
                self._population = (searcher, {})
            cache = self._population[1]
            if key not in cache:
                everyone = const(search_filters(replace(request, filters={}), deny))
                cache[key] = self._pool.submit(searcher.aggregate, conjunction(sample, everyone),
                                               {"total": {"value_count": {"field": "date"}}})
            return cache[key]


def _add(writer: tantivy.IndexWriter, docs: Iterable[IndexDoc], upsert: bool) -> list[tuple[str, str]]:
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


def _document(d: IndexDoc) -> tantivy.Document:
    """Unknown values (empty strings, year 0) are left out, so no facet counts them."""
    fields = {k: v for k, v in vars(d).items() if k != "keywords" and v not in ("", 0, [])}
    fields.update((k, values) for k, values in d.keywords.items() if values)
    fields.setdefault("date", 0)  # sorting by date needs a value in every document
    fields["version"] = d.version
    fields["sample"] = sample_key(d.id)
    return tantivy.Document(**fields)


__all__ = ["EmbeddedIndex"]
