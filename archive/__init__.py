"""The archive: originals, catalog and search indexes of one data directory."""
from __future__ import annotations

from functools import cached_property
from pathlib import Path

from .accounts import Accounts
from .audit import AuditLog
from .blobs import BlobStore
from .catalog import Catalog
from .index import SearchIndex, open_indexes
from .locks import FileLock
from .review import scan_missing
from .search import PUBLIC, STAFF, Search, SearchService
from .settings import Settings
from .sync import Applied, IndexSync

CATALOG_FILE = "catalog.sqlite3"


class Archive:
    """Everything stored under one data directory, opened lazily."""

    def __init__(self, settings: Settings | None = None):
        self.settings = settings or Settings()
        self.settings.data_dir.mkdir(parents=True, exist_ok=True)
        self.blobs = BlobStore(self.settings.data_dir / "originals")
        self.catalog = Catalog(self.settings.data_dir / CATALOG_FILE)

    @staticmethod
    def exists(data_dir: Path) -> bool:
        """Whether `data_dir` holds an archive (opening one that does not would create it)."""
        return (Path(data_dir) / CATALOG_FILE).is_file()

    def ingest_lock(self) -> FileLock:
        """The lock an ingest run holds on this data directory for as long as it runs."""
        return FileLock(self.settings.data_dir / "ingest.lock")

    @cached_property
    def indexes(self) -> dict[str, SearchIndex]:
        """The public index (主动公开 documents) and the restricted index (every other one)."""
        return open_indexes(self.settings)

    @cached_property
    def sync(self) -> IndexSync:
        """Applies the catalog's changes to the indexes (see archive.sync)."""
        return IndexSync(self.catalog, self.indexes, self.settings)

    @cached_property
    def accounts(self) -> Accounts:
        return Accounts(self.catalog, self.settings)

    @cached_property
    def audit(self) -> AuditLog:
        return AuditLog(self.catalog)

    @cached_property
    def searcher(self) -> SearchService:
        return SearchService(self.catalog, self.indexes, self.settings)

    def search(self, s: Search, visibility: tuple[str, ...] = PUBLIC) -> dict:
        return self.searcher.search(s, visibility)

    def document(self, doc_id: str, visibility: tuple[str, ...] = PUBLIC) -> dict | None:
        """The document with its pages if it exists and the caller may see it, else None; `redaction` says whether
        its personal information was redacted (then its originals, which still hold it, are listed only for those
        who may see restricted documents: `originals_withheld` counts those left out)."""
        doc = self.catalog.document(doc_id)
        if doc is None or doc["disclosure"] not in visibility:
            return None
        doc["pages"] = self.catalog.pages(doc_id)
        doc["redaction"] = self.catalog.redaction(doc_id)
        doc["originals_withheld"] = 0
        if doc["redaction"] and set(visibility) <= set(PUBLIC):
            doc["originals_withheld"], doc["originals"] = len(doc["originals"]), []
        return doc

    def relations(self, doc_id: str, visibility: tuple[str, ...] = PUBLIC) -> dict | None:
        """The document's references and the references to it, as the caller may see them (a reference to or
        from a document outside `visibility` is left out, counts included); None if they may not see it."""
        doc = self.catalog.document(doc_id)
        if doc is None or doc["disclosure"] not in visibility:
            return None
        return self.catalog.relations(doc_id, visibility)

    def status(self, doc_id: str, visibility: tuple[str, ...] = PUBLIC) -> dict | None:
        """The document's validity (value, source, evidence) and versions as the caller may know them (derived
        from documents of `visibility` only: archive.catalog.versions); None if they may not see it."""
        doc = self.catalog.document(doc_id)
        if doc is None or doc["disclosure"] not in visibility:
            return None
        return self.catalog.status(doc_id, visibility)

    def reindex(self, pending_only: bool = False) -> Applied:
        """Rebuild both indexes from the catalog alone (or only apply the changes they lack); a full rebuild
        first reads the references (and personal information) of documents stored before they were read (or by
        an older reader)."""
        if not pending_only:
            self.catalog.compute_references()
            scan_missing(self)  # personal information in documents stored before it was looked for
        if pending_only:
            self.catalog.compute_status()  # (and 失效 for documents whose 有效期 has passed since)
            return self.sync.catch_up(wait_s=self.settings.index_lock_wait_s)
        return self.sync.rebuild(wait_s=self.settings.index_lock_wait_s)

    def close(self) -> None:
        if "indexes" in self.__dict__:
            for index in self.indexes.values():
                index.close()


__all__ = ["Applied", "Archive", "PUBLIC", "STAFF", "Search", "Settings"]
