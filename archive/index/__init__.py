"""Search indexes behind one interface; `open_indexes` opens an archive's staff and public index."""
from __future__ import annotations

from analyzers.fields import STAFF_FACETS

from ..settings import Settings
from .base import FACETS, INDEXES, BackendResult, BackendUnavailable, IndexDoc, IndexState, SearchIndex, SearchRequest


def open_indexes(settings: Settings) -> dict[str, SearchIndex]:
    """{'staff': …, 'public': …} of the configured backend, on the archive's data directory or server."""
    if settings.backend == "embedded":
        from .embedded import EmbeddedIndex

        return {name: EmbeddedIndex(settings.data_dir / "index", name, settings) for name in INDEXES}
    if settings.backend == "elasticsearch":
        from .elastic import ElasticIndex

        staff = ElasticIndex(settings, "staff")
        return {"staff": staff, "public": ElasticIndex(settings, "public", es=staff.es)}
    raise ValueError(f"unknown backend {settings.backend!r} (known: embedded, elasticsearch)")


__all__ = ["FACETS", "INDEXES", "STAFF_FACETS", "BackendResult", "BackendUnavailable", "IndexDoc", "IndexState",
           "SearchIndex", "SearchRequest", "open_indexes"]
