"""Search backends behind one interface; `open_backend` picks one from settings."""
from __future__ import annotations

from ..settings import Settings
from .base import FACETS, BackendResult, IndexDoc, SearchBackend, SearchRequest


def open_backend(settings: Settings) -> SearchBackend:
    """The configured backend, opened on the archive's data directory or server."""
    if settings.backend == "embedded":
        from .embedded import EmbeddedBackend

        return EmbeddedBackend(settings.data_dir / "index", settings)
    raise ValueError(f"unknown backend {settings.backend!r} (known: embedded)")


__all__ = ["FACETS", "BackendResult", "IndexDoc", "SearchBackend", "SearchRequest", "open_backend"]
