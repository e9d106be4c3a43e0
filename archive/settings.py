"""Every setting in one declared table: name, default, type, bounds and help text.

Values come from, in order (later wins): the defaults below, `<data>/settings.toml`, environment
variables `GONGKAI_<NAME>` (upper case), and `--setting name=value` on the command line. Each value
is checked against its type and bounds; a wrong one is a configuration error naming the setting and
where it came from. `gongkai settings` prints the table with the values in force.
"""
from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

SETTINGS_FILE = "settings.toml"


class SettingsError(ValueError):
    """A setting that is unknown, of the wrong type or out of its bounds (a configuration problem)."""


def default_data_dir() -> Path:
    """$GONGKAI_DATA, else $XDG_DATA_HOME/gongkai, else ~/.local/share/gongkai."""
    if os.environ.get("GONGKAI_DATA"):
        return Path(os.environ["GONGKAI_DATA"])
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "gongkai"


def _s(default: Any, help: str, lo: float | None = None, hi: float | None = None,
       choices: tuple[str, ...] = (), group: str = "") -> Any:
    return field(default=default, metadata={"help": help, "lo": lo, "hi": hi, "choices": choices, "group": group})


KiB, MiB, GiB = 1024, 1024**2, 1024**3


@dataclass
class Settings:
    """Runtime settings with defaults; limits are explicit here, nowhere else."""

    data_dir: Path = field(default_factory=default_data_dir, metadata={
        "help": "Data directory: originals, catalog, indexes (GONGKAI_DATA)", "group": "archive"})
    # -- search engine
    backend: str = _s("embedded", "Search engine: the embedded index or an Elasticsearch 8 cluster",
                      choices=("embedded", "elasticsearch"), group="engine")
    es_url: str = _s("http://127.0.0.1:9200", "Elasticsearch URL (backend elasticsearch)", group="engine")
    es_index: str = _s("gongkai", "Elasticsearch alias prefix; the indexes are <prefix>-public and <prefix>-restricted",
                       group="engine")
    es_shards: int = _s(1, "Primary shards of a new Elasticsearch index", 1, 1024, group="engine")
    es_replicas: int = _s(1, "Replicas of a new Elasticsearch index", 0, 16, group="engine")
    es_timeout_s: float = _s(30.0, "Timeout of one Elasticsearch request (s)", 1, 3600, group="engine")
    index_writer_bytes: int = _s(128 * MiB, "Heap of the embedded index writer (bytes)", 15 * MiB, 4 * GiB,
                                 group="engine")
    search_threads: int = _s(8, "Threads of the embedded engine for concurrent searches (two per search)",
                             2, 256, group="engine")
    # -- searching
    max_query_chars: int = _s(500, "Longer queries are cut, with a notice", 10, 100_000, group="search")
    max_query_depth: int = _s(8, "Deeper parentheses are ignored, with a notice", 1, 100, group="search")
    max_query_terms: int = _s(32, "Words, phrases and fields of one query; more are left out", 1, 1000, group="search")
    max_query_single_chars: int = _s(3, "One-character terms of one query (each is costly)", 0, 100, group="search")
    max_query_clauses: int = _s(64, "Terms plus synonym alternatives of one query", 1, 10_000, group="search")
    max_expensive_searches: int = _s(1, "Costly searches running at once; others wait their turn", 1, 64,
                                     group="search")
    search_timeout_s: float = _s(5.0, "Time budget of one search (s)", 0, 600, group="search")
    page_size: int = _s(20, "Hits per results page", 1, 1000, group="search")
    max_page_size: int = _s(100, "Largest --limit / ?limit accepted", 1, 10_000, group="search")
    max_offset: int = _s(10_000, "Deepest hit reachable by paging", 0, 1_000_000, group="search")
    facet_size: int = _s(20, "Values shown per facet", 1, 1000, group="search")
    exact_total_limit: int = _s(10_000, "Totals up to this are counted exactly; larger ones are estimated"
                                " (约 …), with the facets, unless staff ask for the exact count", 10, 1_000_000_000,
                                group="search")
    snippet_chars: int = _s(160, "Length of a result snippet (characters)", 20, 10_000, group="search")
    feed_size: int = _s(30, "Entries of an Atom feed", 1, 1000, group="search")
    related_limit: int = _s(8, "Similar documents shown with a document", 0, 100, group="search")
    # -- ingest
    workers: int = _s(0, "Extraction processes during ingest; 0 = one per core", 0, 256, group="ingest")
    file_timeout_s: float = _s(300.0, "Time limit of one file's extraction (s)", 0.1, 86_400, group="ingest")
    file_memory_bytes: int = _s(3 * GiB, "Memory cap of one extraction worker (bytes)", 64 * MiB, 1024 * GiB,
                                group="ingest")
    max_file_bytes: int = _s(200 * MiB, "Larger input files fail as too large (bytes)", 1, 1024 * GiB, group="ingest")
    ocr: bool = _s(True, "OCR pages without a usable text layer (slow)", group="ingest")
    ocr_seconds: float = _s(240.0, "OCR time per file (s); later pages are left unread. At most 80 % of"
                            " file_timeout_s is used, so that a file stops OCR before it times out", 0, 86_400,
                            group="ingest")
    ocr_max_side: int = _s(1600, "Pages are rendered for OCR at most this many pixels on their longer side (2000:"
                           " slower, not more accurate; bench/ocr_speed.py)", 200, 10_000, group="ingest")
    ocr_engine: str = _s("openvino", "Inference engine of the OCR models (the same models, the same text): openvino"
                         " reads a page in 0.4x the time of onnxruntime with a third of its CPU, but the ingest's"
                         " processes peak at 1.4 GiB instead of 0.9 (bench/ocr_speed.py)",
                         choices=("openvino", "onnxruntime"), group="ingest")
    ocr_mem_arena: bool = _s(False, "onnxruntime's CPU memory arena (ocr_engine onnxruntime): 5-12 % faster, about"
                             " 0.4 GiB more per OCR process (bench/ocr_speed.py)", group="ingest")
    ocr_threads: int = _s(0, "Threads of one OCR engine; 0 = all cores, shared out among the OCR"
                          " service's engines (ingest workers without the service use 1 each)", 0, 256, group="ingest")
    ocr_service: bool = _s(True, "During ingest one OCR process reads the pages of every worker: the models and"
                           " their working memory once, every core on whichever page waits (off: each worker loads"
                           " its own engine)", group="ingest")
    ocr_service_threads: int = _s(1, "Pages the OCR service reads at once, each with an engine of its own; 0 = one"
                                  " per core (2 engines of 1 thread on OpenVINO: 0.6 GiB more and slower;"
                                  " bench/ocr_speed.py)", 0, 256, group="ingest")
    ocr_service_memory_bytes: int = _s(8 * GiB, "Memory cap (address space) of the OCR service (bytes); a page"
                                       " that runs over fails alone. OpenVINO reserves about 4 GiB of address space"
                                       " per engine (onnxruntime 2)", 256 * MiB, 1024 * GiB, group="ingest")
    pdf_tables: bool = _s(True, "Ruled tables of PDF pages as rows of tab-separated cells (pdfplumber's table"
                          " finder on pages with rulings)", group="ingest")
    antiword_timeout_s: float = _s(60.0, "Time limit of antiword on one .doc/.wps file (s)", 1, 3600, group="ingest")
    max_text_bytes: int = _s(64 * MiB, "Text one external tool (antiword) may return (bytes)", 1 * MiB, 4 * GiB,
                             group="ingest")
    max_sheet_cells: int = _s(2_000_000, "Cells read from one workbook; the rest is left out with a warning",
                              1000, 10**9, group="ingest")
    ofd_max_pages: int = _s(10_000, "Pages of one OFD file; more fail the file", 1, 10**6, group="ingest")
    ofd_max_objects: int = _s(1_000_000, "Objects visited in one OFD file", 1000, 10**9, group="ingest")
    zip_max_members: int = _s(10_000, "Members read from one ZIP (a bundle, or a DOCX/XLSX/OFD container)",
                              1, 10**7, group="ingest")
    zip_max_member_bytes: int = _s(200 * MiB, "One unpacked ZIP member larger than this fails as too large (bytes)",
                                   1, 1024 * GiB, group="ingest")
    zip_max_total_bytes: int = _s(2 * GiB, "All members of one ZIP unpacked; beyond: zip bomb (bytes)", 1,
                                  1024 * GiB, group="ingest")
    zip_max_ratio: int = _s(500, "Unpacked/packed size of a member above this (and over 1 MiB): zip bomb", 2,
                            100_000, group="ingest")
    zip_max_depth: int = _s(1, "ZIPs inside ZIP bundles are followed this deep; deeper fail", 0, 10, group="ingest")
    dedup_min_units: int = _s(200, "Texts with fewer characters never merge as the same document", 1, 10**7,
                              group="ingest")
    index_batch: int = _s(500, "Documents per index commit during ingest", 1, 1_000_000, group="ingest")
    index_batch_bytes: int = _s(64 * MiB, "Analysed text held for one index commit during ingest (bytes)",
                                1 * MiB, 64 * GiB, group="ingest")
    progress_interval_s: float = _s(10.0, "A plain (non-terminal) progress line every this many seconds", 0.1,
                                    86_400, group="ingest")
    review_uploads: bool = _s(True, "Files uploaded through the web as 主动公开 wait, out of public sight, until a staff"
                              " member releases them (staff page 待审核)", group="ingest")
    review_ingest: bool = _s(False, "The same for `gongkai ingest` runs (by default they publish at once)", group="ingest")
    # -- keeping the indexes up to date
    edit_index_wait_s: float = _s(5.0, "A staff edit waits this long for the index lock, then its change queues (s)",
                                  0, 600, group="sync")
    index_lock_wait_s: float = _s(600.0, "Rebuilds, ingest batches and start-up wait this long for the index lock (s)",
                                  0, 86_400, group="sync")
    sync_interval_s: float = _s(2.0, "The server applies waiting changes this often (s)", 0.1, 3600, group="sync")
    # -- web
    max_request_bytes: int = _s(1 * MiB, "Body of any request but a signed-in editor's upload (bytes; 413 beyond)",
                                1 * KiB, 1 * GiB, group="web")
    max_upload_bytes: int = _s(1 * GiB, "Body of one staff upload request: files or a ZIP (bytes)", 1 * MiB,
                               1024 * GiB, group="web")
    session_hours: float = _s(8.0, "A staff sign-in lasts this long (h)", 0.1, 24 * 30, group="web")
    login_failures: int = _s(5, "Failed sign-ins for one name within login_window_s before sign-in is refused",
                             1, 1000, group="web")
    login_client_failures: int = _s(30, "Failed sign-ins from one address within login_window_s", 1, 100_000,
                                    group="web")
    login_window_s: float = _s(900.0, "Window of the sign-in throttle (s)", 1, 86_400, group="web")
    min_password: int = _s(10, "Shortest staff password (characters)", 8, 1024, group="web")
    jobs_kept: int = _s(50, "Finished web ingest runs whose live page is kept in memory", 1, 10_000, group="web")
    export_max_rows: int = _s(5000, "Rows of one CSV/Excel export (a result list, the attention list, the audit log)",
                              1, 1_000_000, group="web")
    page_image_max_pixels: int = _s(6_000_000, "Pixels of one rendered PDF page image; a larger page is drawn smaller",
                                    10_000, 100_000_000, group="web")
    page_render_timeout_s: float = _s(20.0, "Time limit of rendering one PDF page image (s); the render process is"
                                      " killed and the page shown as not renderable", 1, 600, group="web")
    page_render_memory_bytes: int = _s(1 * GiB, "Memory cap of the process that renders PDF page images (bytes)",
                                       256 * MiB, 64 * GiB, group="web")
    page_cache_bytes: int = _s(2 * GiB, "Disk for cached page images under <data>/pages; the oldest go beyond (bytes)",
                               16 * MiB, 1024 * GiB, group="web")

    def __post_init__(self) -> None:
        self.data_dir = Path(self.data_dir).expanduser()

    @classmethod
    def load(cls, data_dir: Path | None = None, env: Mapping[str, str] | None = None,
             overrides: Mapping[str, str] | None = None, **given: Any) -> Settings:
        """Defaults < <data>/settings.toml < GONGKAI_* environment < `overrides` (name=value strings) < `given`."""
        env = os.environ if env is None else env
        base = cls(data_dir=data_dir) if data_dir else cls()
        values: dict[str, Any] = {}
        path = base.data_dir / SETTINGS_FILE
        if path.is_file():
            try:
                table = tomllib.loads(path.read_text(encoding="utf-8"))
            except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
                raise SettingsError(f"{path}: not valid TOML ({e})") from None
            for k, v in table.items():  # a setting, or a group of them (`[ingest]`, as `gongkai settings` prints)
                items = v.items() if isinstance(v, dict) and k in _GROUPS else [(k, v)]
                values.update((name, (value, str(path))) for name, value in items)
        for f in fields(cls):
            key = f"GONGKAI_{f.name.upper()}"
            if f.name != "data_dir" and key in env:
                values[f.name] = (env[key], f"environment {key}")
        values.update((k, (v, "--setting")) for k, v in (overrides or {}).items())
        values.update((k, (v, "argument")) for k, v in given.items() if v is not None)
        parsed = {name: parse_value(name, raw, origin) for name, (raw, origin) in values.items()}
        parsed.pop("data_dir", None)
        settings = replace(base, **parsed)
        settings.check()
        return settings

    @property
    def ocr_budget_s(self) -> float:
        """OCR time one file may use: ocr_seconds, but never past 80 % of the file's time limit."""
        return min(self.ocr_seconds, 0.8 * self.file_timeout_s)

    def check(self) -> None:
        """SettingsError unless the values agree with each other."""
        if self.page_size > self.max_page_size:
            raise SettingsError(f"page_size ({self.page_size}) must not exceed max_page_size ({self.max_page_size})")

    def table(self) -> list[dict]:
        """Every setting: name, value, default, bounds or choices, help — for `gongkai settings`."""
        out = []
        for f in fields(self):
            m = f.metadata
            default = default_data_dir() if f.name == "data_dir" else f.default
            out.append({"name": f.name, "value": getattr(self, f.name), "default": default, "group": m.get("group", ""),
                        "lo": m.get("lo"), "hi": m.get("hi"), "choices": m.get("choices", ()), "help": m.get("help", "")})
        return out


_FIELDS = {f.name: f for f in fields(Settings)}
_GROUPS = {f.metadata.get("group") for f in fields(Settings)}


def parse_value(name: str, raw: Any, origin: str = "") -> Any:
    """A setting's value from a string (environment, --setting) or TOML value, checked; SettingsError if not."""
    where = f" (from {origin})" if origin else ""
    f = _FIELDS.get(name)
    if f is None:
        raise SettingsError(f"unknown setting {name!r}{where}; `gongkai settings` lists them")
    kind = f.type if isinstance(f.type, type) else {"Path": Path, "str": str, "int": int, "float": float,
                                                      "bool": bool}[str(f.type)]
    try:
        if kind is bool:
            value: Any = raw if isinstance(raw, bool) else {"1": True, "true": True, "yes": True, "on": True,
                                                             "0": False, "false": False, "no": False,
                                                             "off": False}[str(raw).strip().lower()]
        elif kind is int:
            value = raw if isinstance(raw, int) and not isinstance(raw, bool) else int(str(raw).replace("_", ""))
        elif kind is float:
            value = float(raw)
        else:
            value = kind(raw)
    except (KeyError, ValueError, TypeError):
        raise SettingsError(f"setting {name} = {raw!r}{where}: not a valid {kind.__name__}") from None
    m = f.metadata
    if m.get("choices") and value not in m["choices"]:
        raise SettingsError(f"setting {name} = {value!r}{where}: one of {', '.join(m['choices'])}")
    if m.get("lo") is not None and value < m["lo"] or m.get("hi") is not None and value > m["hi"]:
        raise SettingsError(f"setting {name} = {value!r}{where}: between {m['lo']:g} and {m['hi']:g}")
    return value
