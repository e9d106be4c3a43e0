"""Every setting in one declared table: name, default, type, and what it limits."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
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
    es_url: str = "http://127.0.0.1:9200"     # Elasticsearch 8 cluster (backend=elasticsearch)
    es_index: str = "gongkai"                 # alias searched; rebuilds create <alias>-<n> behind it
    es_shards: int = 1                        # primary shards of a new index
    es_replicas: int = 1                      # replicas of a new index
    es_timeout_s: float = 30.0                # per-request timeout
    max_query_chars: int = 500                # longer queries are cut, with a notice
    max_query_depth: int = 8                  # deeper parentheses are ignored, with a notice
    max_query_terms: int = 32                 # words/phrases/fields of one query; more are left out
    max_query_single_chars: int = 3           # one-character terms of one query (each is costly)
    max_expensive_searches: int = 1           # costly searches (analyzers.query.cost) running at once
    max_query_clauses: int = 64               # terms plus synonym alternatives of one query
    page_size: int = 20                       # hits per results page
    max_page_size: int = 100                  # largest --limit / ?limit accepted
    max_offset: int = 10_000                  # deepest hit reachable by paging
    facet_size: int = 20                      # values shown per facet
    snippet_chars: int = 160                  # length of a result snippet
    max_file_bytes: int = 200 * 1024 * 1024   # larger input files fail with "too large"
    index_batch: int = 500                    # documents per index commit during ingest
    index_writer_bytes: int = 128 * 1024 * 1024  # embedded index writer heap
    workers: int = 0                          # extraction processes during ingest; 0 = one per core
    file_timeout_s: float = 300.0             # per-file extraction time limit ("timeout")
    file_memory_bytes: int = 3 * 1024**3      # per-worker address-space cap ("memory limit")
    zip_max_members: int = 10_000             # members read from one bundle; the rest fail
    zip_max_member_bytes: int = 200 * 1024 * 1024   # one unpacked member larger fails "too large"
    zip_max_total_bytes: int = 2 * 1024**3    # all members of one bundle unpacked; beyond: "zip bomb"
    zip_max_ratio: int = 200                  # unpacked/packed size above this (and > 1 MiB): "zip bomb"
    zip_max_depth: int = 1                    # zips inside zips followed this deep; deeper fail
    dedup_min_units: int = 200                # texts with fewer units never merge as the same document
    progress_interval_s: float = 10.0         # plain (non-TTY) progress line every this many seconds
    ocr: bool = True                          # OCR pages without a usable text layer (slow; --no-ocr)
    index_batch_bytes: int = 64 * 1024 * 1024  # analysed text held for one index commit during ingest
    edit_index_wait_s: float = 5.0            # a staff edit waits this long for the index lock, then queues
    index_lock_wait_s: float = 600.0          # reindex and catch-up at start wait this long for the index lock
    sync_interval_s: float = 2.0              # the server applies waiting changes this often
    search_timeout_s: float = 5.0             # time budget of one search (Elasticsearch `timeout`)
    max_request_bytes: int = 1024 * 1024      # body of any request but a signed-in editor's upload (413 beyond)
    max_upload_bytes: int = 1024**3           # body of one staff upload request (files or a zip)

    def __post_init__(self):
        self.data_dir = Path(self.data_dir).expanduser()

