"""Fixity: re-hash every stored original and compare the store with the catalog."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .blobs import TEMP_PREFIX, BlobStore, sha256_file
from .catalog import Catalog


@dataclass
class FixityReport:
    """Checked blobs, and every problem: changed (hash differs), missing, untracked files."""

    checked: int = 0
    changed: list[tuple[str, str]] = field(default_factory=list)    # (expected sha256, actual)
    missing: list[tuple[str, str]] = field(default_factory=list)    # (sha256, 'original' | 'bundle')
    untracked: list[tuple[str, str]] = field(default_factory=list)  # (path, why)
    unreadable: list[tuple[str, str]] = field(default_factory=list)  # (path, error)

    @property
    def ok(self) -> bool:
        return not (self.changed or self.missing or self.untracked or self.unreadable)


def verify(blobs: BlobStore, catalog: Catalog) -> FixityReport:
    """Re-hash every file in the blob store against its name and the catalog's list of blobs."""
    known = catalog.blob_shas()
    report, seen = FixityReport(), set()
    for path in blobs.walk():
        sha = blobs.sha_of(path)
        if sha is None:
            why = "unfinished write (temp file)" if path.name.startswith(TEMP_PREFIX) else "not a blob name"
            report.untracked.append((str(path), why))
            continue
        if sha not in known:
            report.untracked.append((str(path), "blob not in the catalog"))
            continue
        seen.add(sha)
        report.checked += 1
        try:
            actual = sha256_file(path)
        except OSError as e:
            report.unreadable.append((str(path), e.strerror or str(e)))
            continue
        if actual != sha:
            report.changed.append((sha, actual))
    for sha, kind in sorted(known.items()):
        if sha not in seen and not Path(blobs.path(sha)).is_file():
            report.missing.append((sha, kind))
    return report
