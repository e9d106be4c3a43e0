"""Search indexes behind one interface; `open_indexes` opens an archive's public and restricted index."""
from __future__ import annotations

from analyzers.fields import STAFF_FACETS

from ..settings import Settings
from .base import FACETS, INDEXES, BackendResult, BackendUnavailable, IndexDoc, IndexState, Searchable, SearchIndex, SearchRequest
from .merged import MergedIndex


def open_indexes(settings: Settings) -> dict[str, SearchIndex]:
    """{'public': …, 'restricted': …} of the configured backend, on the archive's data directory or server."""
    if settings.backend == "embedded":
        from .embedded import EmbeddedIndex, remove_old_layout

        remove_old_layout(settings.data_dir / "index")
        return {name: EmbeddedIndex(settings.data_dir / "index", name, settings) for name in INDEXES}
    if settings.backend == "elasticsearch":
        from .elastic import ElasticIndex

        public = ElasticIndex(settings, "public")
        return {"public": public, "restricted": ElasticIndex(settings, "restricted", es=public.es)}
    raise ValueError(f"unknown backend {settings.backend!r} (known: embedded, elasticsearch)")


__all__ = ["MergedIndex", "FACETS", "INDEXES", "STAFF_FACETS", "BackendResult", "BackendUnavailable", "IndexDoc", "IndexState",
           "Searchable", "SearchIndex", "SearchRequest", "open_indexes"]
