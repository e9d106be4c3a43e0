"""Keeps the search indexes in step with the catalog: the outbox applied in order, under one lock.

The catalog records every change an index must follow in the same transaction as the change
(catalog `changes`). Applying reads the catalog's *current* state of each changed document and
writes it to the index of its visibility (public: 主动公开; restricted: every other one),
dropping it from the other, so applying is idempotent and the order of appliers never matters; each index then records the last change it
holds. One lock (<data>/index.lock) lets one process or thread write at a time; whoever cannot
get it leaves the change in the outbox, where a restriction is already in force (see
archive.search: public searches exclude restricted documents the public index may still hold).
Rebuilds read a snapshot at change N, build new generations, then replay every change after N
under the lock before they are switched in: no edit is ever lost to a rebuild.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field

from analyzers.fields import PUBLIC

from .catalog import Catalog
from .index import INDEXES, IndexDoc, SearchIndex
from .locks import FileLock
from .settings import Settings

log = logging.getLogger(__name__)


@dataclass
class Applied:
    """What one apply, rebuild or catch-up did."""

    busy: bool = False                 # another writer held the lock: nothing done (the outbox keeps it)
    error: str = ""                    # the index could not be written (unreachable, full …): nothing lost
    documents: int = 0                 # documents written or deleted
    failed: list[tuple[str, str]] = field(default_factory=list)   # (id, error) of documents not indexed
    rebuilt: tuple[str, ...] = ()      # indexes rebuilt
    purged: bool = False               # the public index's statistics were purged


class IndexSync:
    """Applies the catalog's outbox to an archive's indexes."""

    def __init__(self, catalog: Catalog, indexes: dict[str, SearchIndex], settings: Settings):
        self.catalog, self.indexes, self.settings = catalog, indexes, settings
        self.lock_path = settings.data_dir / "index.lock"

    # -- applying changes ----------------------------------------------------

    def apply(self, *, wait_s: float = 0.0, only: set[str] | None = None, upto: int | None = None,
              prepared: dict[str, IndexDoc] | None = None) -> Applied:
        """Apply the outbox (changes up to `upto`; with `only`, just those documents' changes) if the lock
        comes within `wait_s`. `prepared` holds documents already analysed (by ingest workers), used
        when their version is still the catalog's. Never raises for an index that cannot be written."""
        lock = FileLock(self.lock_path)
        if not lock.acquire(wait_s):
            return Applied(busy=True)
        try:
            states = {name: ix.state() for name, ix in self.indexes.items()}
            if not all(st.built for st in states.values()):
                return Applied(error="index not built")  # catch_up() rebuilds it
            low = min(st.applied for st in states.values())
            changes = self.catalog.changes_after(low, upto)
            picked = [c for c in changes if c[1] in only] if only is not None else changes
            if not picked:
                return Applied()
            complete = len(picked) == len(changes)  # else the watermark cannot move past the others
            targets = {name: (ix, max(states[name].applied, picked[-1][0]) if complete else states[name].applied)
                       for name, ix in self.indexes.items()}
            return self._write(targets, picked, prepared or {})
        except Exception as e:  # BackendUnavailable, a full disk, a locked index …: the outbox keeps it
            log.warning("index not updated (the change waits in the outbox): %s", e, exc_info=True)
            return Applied(error=f"{type(e).__name__}: {e}")
        finally:
            lock.release()

    def _write(self, targets: dict, changes: list[tuple[int, str, int]], prepared: dict[str, IndexDoc]) -> Applied:
        """Write the catalog's current state of the documents `changes` name to each (target, applied) of `targets`."""
        ids = list(dict.fromkeys(doc_id for _, doc_id, _ in changes))
        hidden = {doc_id for _, doc_id, restricts in changes if restricts}
        docs = self.catalog.for_index(ids)
        analysed = {}
        for doc_id, row in docs.items():
            ready = prepared.get(doc_id)
            analysed[doc_id] = ready.with_status(row) if ready is not None and ready.version == row["version"] \
                else IndexDoc.from_catalog(row)   # (validity and versions: as the catalog derived them since)
        gone = [i for i in ids if i not in docs]
        public = [i for i in ids if i in docs and docs[i]["disclosure"] == PUBLIC]
        restricted = [i for i in ids if i in docs and docs[i]["disclosure"] != PUBLIC]
        out = Applied(documents=len(ids))
        results: dict[str, str] = {}
        for name in ("public", "restricted"):  # the public index first: a restriction must leave it soonest
            if name not in targets:
                continue
            target, applied = targets[name]
            keep, drop = (public, restricted + gone) if name == "public" else (restricted, public + gone)
            # A document the public index holds and must drop, or whose text a change took out of public sight (a
            # redaction; a restriction undone in the same batch), leaves that copy in its statistics: purge.
            stale = drop + [i for i in keep if i in hidden]
            purge = name == "public" and bool(stale) and bool(target.present(stale))
            written = target.write([analysed[i] for i in keep], drop, applied=applied, purge=purge)
            for doc_id, err in written:
                results[doc_id] = results.get(doc_id) or err
        out.failed = [(i, e) for i, e in results.items() if e]
        self.catalog.set_index_state([(i, e, docs[i]["version"]) for i, e in results.items() if i in docs])
        return out

    # -- rebuilding ---------------------------------------------------------

    def rebuild(self, names: tuple[str, ...] = INDEXES, wait_s: float = 600.0) -> Applied:
        """Build `names` afresh from a snapshot of the catalog, replay the changes made meanwhile under the
        lock, and switch them in; searches and edits go on while it runs."""
        gens = {name: self.indexes[name].new_generation() for name in names}
        bulks = {name: gen.open_bulk() for name, gen in gens.items()}
        seq, rows = self.catalog.snapshot_documents(public_only=names == ("public",))  # (both, or the public)
        versions = {}
        for row in rows:
            doc = IndexDoc.from_catalog(row)
            versions[doc.id] = doc.version
            name = "public" if doc.disclosure == PUBLIC else "restricted"
            if name in bulks:
                bulks[name].add(doc)
        results: dict[str, str] = {}
        for bulk in bulks.values():
            for doc_id, err in bulk.close(seq):
                results[doc_id] = results.get(doc_id) or err
        lock = FileLock(self.lock_path)
        if not lock.acquire(wait_s):
            raise TimeoutError(f"the index lock {self.lock_path} stayed busy for {wait_s:g} s; nothing switched")
        try:
            changes = self.catalog.changes_after(seq)
            if changes:
                top = changes[-1][0]
                self._write({name: (gen, top) for name, gen in gens.items()}, changes, {})
            for name, gen in gens.items():
                self.indexes[name].publish(gen)
        finally:
            lock.release()
        self.catalog.set_index_state([(i, e, versions[i]) for i, e in results.items()])
        return Applied(documents=len(versions), failed=[(i, e) for i, e in results.items() if e], rebuilt=names)

    def purge(self) -> bool:
        """Rebuild the public index when documents it had to drop still count in its statistics (neither
        tantivy-py nor Elasticsearch, whose soft deletes outlive merges, can be made to forget them)."""
        if not self.indexes["public"].state().purge:
            return False
        self.rebuild(("public",))
        return True

    # -- keeping up ---------------------------------------------------------

    def catch_up(self, wait_s: float = 0.0) -> Applied:
        """Everything an archive needs before it answers: missing indexes built, the whole outbox applied,
        the public index's statistics purged if a restriction left any behind."""
        missing = tuple(name for name, ix in self.indexes.items() if not ix.state().built)
        result = Applied()
        if missing:   # (a new archive, or one an older gongkai built: its documents' references are read too)
            self.catalog.compute_references()
            result = self.rebuild(missing if len(missing) < len(self.indexes) else INDEXES, wait_s=max(wait_s, 60))
        applied = self.apply(wait_s=wait_s)
        result.busy, result.error = applied.busy, applied.error
        result.documents += applied.documents
        result.failed += applied.failed
        if not applied.busy and not applied.error:
            result.purged = self.purge()
            low = min(ix.state().applied for ix in self.indexes.values())
            self.catalog.prune_changes(low)
        return result

    def backlog(self) -> int:
        """Changes not yet applied to every index."""
        low = min(ix.state().applied for ix in self.indexes.values())
        return len(self.catalog.changes_after(low))
