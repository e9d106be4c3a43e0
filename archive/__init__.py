"""The archive: originals, catalog and search index of one data directory."""
from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Iterable

from .accounts import Accounts
from .audit import AuditLog
from .blobs import BlobStore
from .catalog import Catalog
from .index import IndexDoc, open_backend
from .search import PUBLIC, STAFF, Search, SearchService
from .settings import Settings


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

    @cached_property
    def index(self):
        return open_backend(self.settings)

    @cached_property
    def accounts(self) -> Accounts:
        return Accounts(self.catalog)

    @cached_property
    def audit(self) -> AuditLog:
        return AuditLog(self.catalog)

    @cached_property
    def searcher(self) -> SearchService:
        return SearchService(self.catalog, self.index, self.settings)

    def search(self, s: Search, visibility: tuple[str, ...] = PUBLIC) -> dict:
        return self.searcher.search(s, visibility)

    def document(self, doc_id: str, visibility: tuple[str, ...] = PUBLIC) -> dict | None:
        """The document with its pages if it exists and the caller may see it, else None."""
        doc = self._with_pages(doc_id)
        return doc if doc is not None and doc["disclosure"] in visibility else None

    def index_analysed(self, docs: Iterable[IndexDoc]) -> list[tuple[str, str]]:
        """Index analysed documents, make them searchable, and record each outcome in the catalog."""
        results = self.index.add(docs)
        self.index.commit()
        self.catalog.set_index_state(results)
        return results

    def index_documents(self, doc_ids: list[str]) -> list[tuple[str, str]]:
        """(Re)index these catalog documents."""
        docs = (self._with_pages(i) for i in doc_ids)
        return self.index_analysed(IndexDoc.from_catalog(d) for d in docs if d)

    def reindex(self, pending_only: bool = False) -> list[tuple[str, str]]:
        """Rebuild the index from the catalog alone (or only catch up on unindexed documents)."""
        if pending_only:
            return self.index_analysed(IndexDoc.from_catalog(d) for d in self.catalog.iter_documents("pending"))
        results = self.index.rebuild(IndexDoc.from_catalog(d) for d in self.catalog.iter_documents())
        self.catalog.set_index_state(results)
        return results

    def _with_pages(self, doc_id: str) -> dict | None:
        doc = self.catalog.document(doc_id)
        if doc is not None:
            doc["pages"] = self.catalog.pages(doc_id)
        return doc

    def close(self) -> None:
        if "index" in self.__dict__:
            self.index.close()


__all__ = ["Archive", "PUBLIC", "STAFF", "Search", "Settings"]
