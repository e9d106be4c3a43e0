"""Catalog ↔ index agreement: what each index holds compared with what the catalog says it should."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .sync import PUBLIC, Applied

if TYPE_CHECKING:
    from . import Archive


@dataclass
class IndexReport:
    """Disagreements of one index with the catalog (changes still in the outbox are not disagreements)."""

    name: str
    documents: int = 0                                  # documents the index holds
    missing: list[str] = field(default_factory=list)    # the catalog has them, the index does not
    extra: list[str] = field(default_factory=list)      # the index has them and must not (gone, or restricted)
    stale: list[str] = field(default_factory=list)      # held at another version or visibility than the catalog's
    backlog: int = 0                                    # changes not yet applied
    purge: bool = False                                 # statistics of deleted documents still count

    @property
    def ok(self) -> bool:
        return not (self.missing or self.extra or self.stale)


def check(archive: Archive) -> list[IndexReport]:
    """One report per index (public, restricted)."""
    catalog = archive.catalog.index_versions()
    reports = []
    for name, index in archive.indexes.items():
        state = index.state()
        held = index.contents() if state.built else {}
        changes = archive.catalog.changes_after(state.applied)
        pending = {d for _, d, _ in changes}
        want = {i: v for i, v in catalog.items() if (v[1] == PUBLIC) == (name == "public")}
        r = IndexReport(name, documents=len(held), backlog=len(changes), purge=state.purge)
        r.missing = sorted(i for i in want if i not in held and i not in pending)
        r.extra = sorted(i for i in held if i not in want and i not in pending)
        r.stale = sorted(i for i, v in held.items() if i in want and i not in pending and v != want[i])
        reports.append(r)
    return reports


def repair(archive: Archive, reports: list[IndexReport]) -> Applied:
    """Record a change for every document an index disagrees on and apply them; purge if needed."""
    ids = sorted({i for r in reports for i in r.missing + r.extra + r.stale})
    if ids:
        archive.catalog.record_changes(ids)
    return archive.sync.catch_up(wait_s=archive.settings.index_lock_wait_s)
