"""Search backends behind one interface; `open_backend` picks one from settings."""
from __future__ import annotations

from ..settings import Settings
from .base import FACETS, STAFF_FACETS, BackendResult, BackendUnavailable, IndexDoc, SearchBackend, SearchRequest


def open_backend(settings: Settings) -> SearchBackend:
    """The configured backend, opened on the archive's data directory or server."""
    if settings.backend == "embedded":
        from .embedded import EmbeddedBackend

        return EmbeddedBackend(settings.data_dir / "index", settings)
    if settings.backend == "elasticsearch":
        from .elastic import ElasticBackend

        return ElasticBackend(settings)
    raise ValueError(f"unknown backend {settings.backend!r} (known: embedded, elasticsearch)")


__all__ = ["FACETS", "STAFF_FACETS", "BackendResult", "BackendUnavailable", "IndexDoc", "SearchBackend", "SearchRequest", "open_backend"]
