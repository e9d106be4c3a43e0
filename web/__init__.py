"""The web side: public pages, Atom feeds, the JSON API and the staff pages (`create_app`), and the CLI.

`create_app` is imported on first use, so that `gongkai ingest` and `gongkai search` never load Flask.
"""
from __future__ import annotations


def __getattr__(name: str):
    if name == "create_app":
        from .app import create_app

        return create_app
    raise AttributeError(f"module 'web' has no attribute {name!r}")


__all__ = ["create_app"]
