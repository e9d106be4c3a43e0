"""Ingest runs: walk inputs, extract each file alone, archive it, index it, record every outcome."""
from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from archive import Archive
from archive.blobs import sha256_file

from .errors import IngestError
from .extractors import choose
from .metadata import extract_metadata
from .record import ExtractedDocument

HEAD_BYTES = 8192


@dataclass
class Summary:
    """The outcome of one run: counts, and every failure with its stage and reason."""

    run_id: int
    seen: int = 0
    ingested: int = 0
    skipped: int = 0
    failed: list[tuple[str, str, str]] = field(default_factory=list)  # (path, stage, reason)
    not_indexed: int = 0
    index_error: str = ""
    seconds: float = 0.0


def iter_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Files under `paths` (folders recursively, sorted); missing paths are yielded to fail."""
    for p in map(Path, paths):
        if p.is_dir():
            for root, dirs, files in os.walk(p):
                dirs.sort()
                for name in sorted(files):
                    yield Path(root) / name
        else:
            yield p


def extract(path: Path, sha256: str, size: int, source: str) -> ExtractedDocument:
    """Read one file into the pipeline's record; raises IngestError with a reason."""
    with open(path, "rb") as f:
        head = f.read(HEAD_BYTES)
    extractor = choose(path, head)
    extraction = extractor.extract(path)
    extraction.metadata = extract_metadata(extraction.text, extraction.metadata, filename=path.name)
    if not extraction.metadata.get("title"):
        extraction.metadata["title"] = path.stem
    return ExtractedDocument(sha256=sha256, size=size, filename=path.name, source=source,
                             extractor=extractor.name, extraction=extraction)


def ingest(archive: Archive, paths: Iterable[Path], *, disclosure: str = "主动公开",
           on_file: Callable[[str, str, str], None] | None = None) -> Summary:
    """Ingest every file under `paths`; one bad file never stops the run.

    `on_file(path, status, reason)` is called after each file (for progress output).
    """
    started = time.monotonic()
    paths = list(paths)
    catalog = archive.catalog
    summary = Summary(run_id=catalog.start_run([str(p) for p in paths]))
    pending: list[str] = []

    for path in iter_files(paths):
        summary.seen += 1
        status, stage, reason, sha, doc_id = "ingested", "", "", "", ""
        try:
            sha, size = _identify(path, archive.settings.max_file_bytes)
            doc_id = catalog.doc_for_sha(sha) or ""
            if doc_id:
                status = "skipped"
            else:
                doc = extract(path, sha, size, str(path.resolve()))
                doc_id = sha[:16]
                archive.blobs.put(path, sha)
                catalog.add_document(
                    doc_id, doc.metadata, doc.extraction.pages,
                    {"sha256": sha, "filename": doc.filename, "source": doc.source,
                     "mime": doc.extraction.mime, "size": size, "extractor": doc.extractor},
                    doc.extraction.warnings, disclosure,
                )
                pending.append(doc_id)
        except IngestError as e:
            status, stage, reason = "failed", e.stage, e.reason
        except Exception as e:  # the error funnel: anything else is this file's failure too
            status, stage, reason = "failed", "extract", f"{type(e).__name__}: {e}"
        catalog.record_file(summary.run_id, str(path), status, stage=stage, reason=reason,
                            sha256=sha, doc_id=doc_id)
        if status == "failed":
            summary.failed.append((str(path), stage, reason))
        elif status == "skipped":
            summary.skipped += 1
        else:
            summary.ingested += 1
        if on_file:
            on_file(str(path), status, reason)
        if len(pending) >= archive.settings.index_batch:
            _index(archive, pending, summary)

    _index(archive, pending, summary)
    catalog.finish_run(summary.run_id)
    summary.seconds = time.monotonic() - started
    return summary


def _identify(path: Path, max_bytes: int) -> tuple[str, int]:
    if not path.exists():
        raise IngestError("no such file", stage="read")
    if not path.is_file():
        raise IngestError("not a regular file", stage="read")
    size = path.stat().st_size
    if size > max_bytes:
        raise IngestError(f"too large ({size} bytes > limit {max_bytes})", stage="read")
    try:
        return sha256_file(path), size
    except OSError as e:
        raise IngestError(f"cannot read: {e.strerror or e}", stage="read") from e


def _index(archive: Archive, pending: list[str], summary: Summary) -> None:
    """Index archived documents; if the index is unavailable they stay 'pending' for reindex."""
    if not pending:
        return
    try:
        results = archive.index_documents(pending)
        summary.not_indexed += sum(1 for _, err in results if err)
    except Exception as e:
        summary.not_indexed += len(pending)
        summary.index_error = f"{type(e).__name__}: {e}"
    pending.clear()
