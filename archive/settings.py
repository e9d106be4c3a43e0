"""Every setting in one declared table: name, default, type, and what it limits."""
from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path


def default_data_dir() -> Path:
    """$GONGKAI_DATA, else $XDG_DATA_HOME/gongkai, else ~/.local/share/gongkai."""
    if os.environ.get("GONGKAI_DATA"):
        return Path(os.environ["GONGKAI_DATA"])
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "gongkai"


@dataclass
class Settings:
    """Runtime settings with defaults; limits are explicit here, nowhere else."""

    data_dir: Path = field(default_factory=default_data_dir)
    backend: str = "embedded"                 # embedded | elasticsearch
    max_query_chars: int = 500                # longer queries are cut, with a notice
    page_size: int = 20                       # hits per results page
    max_page_size: int = 100                  # largest --limit / ?limit accepted
    max_offset: int = 10_000                  # deepest hit reachable by paging
    facet_size: int = 20                      # values shown per facet
    snippet_chars: int = 160                  # length of a result snippet
    max_file_bytes: int = 200 * 1024 * 1024   # larger input files fail with "too large"
    index_batch: int = 500                    # documents per index commit during ingest
    index_writer_bytes: int = 128 * 1024 * 1024  # embedded index writer heap

    def __post_init__(self):
        self.data_dir = Path(self.data_dir).expanduser()

    @classmethod
    def names(cls) -> list[str]:
        return [f.name for f in fields(cls)]
