"""Bytes per document of an archive: originals, the catalog (each table and index, from dbstat) and each
search index, with the catalog's `pages` table in the old WITHOUT ROWID layout and the rowid layout side by
side; then the migration from the one to the other and the VACUUM after it, timed.

Takes N documents spread evenly over the first M of the real-corpus set of bench/corpus.py (law parts, then
recombined real paragraphs — say so when quoting figures), so that a small run has the mix of text lengths
of an M-document archive; their originals are the texts themselves, far smaller than real PDFs.

The new layout is the archive as ingest fills it; the old one is a page-for-page copy of that catalog
whose pages table is rebuilt WITHOUT ROWID by inserting the rows in the order ingest did.

    python bench/storage.py [--docs 10000] [--like 100000] [--keep]

Prints figures; nothing is asserted.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import bulk, fill_catalog, index_analysed  # noqa: E402

from archive import Archive, Settings  # noqa: E402
from archive.catalog import Catalog  # noqa: E402
from archive.catalog.migrations import compact, free_bytes, without_rowid  # noqa: E402
from archive.index import IndexDoc  # noqa: E402

OLD_PAGES = """CREATE TABLE pages_old (
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    page_no INTEGER NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (doc_id, page_no)
) WITHOUT ROWID"""


def with_real_originals(docs: list[dict]) -> list[dict]:
    """The documents with originals named by the sha256 of their text (what the blob store checks), one
    document per distinct text."""
    out, seen = [], set()
    for d in docs:
        data = d["pages"][0].encode()
        sha = hashlib.sha256(data).hexdigest()
        if sha not in seen:
            seen.add(sha)
            out.append({**d, "original": {**d["original"], "sha256": sha, "size": len(data)}})
    return out


def store_originals(archive: Archive, docs: list[dict], scratch: Path) -> None:
    """Put each document's original (its text) into the archive's blob store."""
    src = scratch / "original.md"
    for d in docs:
        src.write_bytes(d["pages"][0].encode())
        archive.blobs.put(src, d["original"]["sha256"])


def copy_catalog(src: Path, dest: Path) -> None:
    """A page-for-page copy (the backup API), keeping the source's layout and free pages."""
    a, b = sqlite3.connect(src), sqlite3.connect(dest)
    a.backup(b)
    a.close()
    b.close()


def make_old_layout(path: Path) -> None:
    """Rebuild the catalog's pages table WITHOUT ROWID, rows inserted in the order ingest added them."""
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("BEGIN")
    db.execute(OLD_PAGES)
    db.execute("INSERT INTO pages_old SELECT doc_id, page_no, text FROM pages ORDER BY rowid")
    db.execute("DROP TABLE pages")
    db.execute("ALTER TABLE pages_old RENAME TO pages")
    db.execute("COMMIT")
    assert without_rowid(db, "pages")
    db.close()


def catalog_stats(path: Path) -> dict[str, int]:
    """Bytes of the catalog: file, in use (file less free pages), and per table/index (dbstat, if built in)."""
    db = sqlite3.connect(path)
    out = {"file": path.stat().st_size}
    out["in use"] = out["file"] - free_bytes(db)
    out["page texts (payload)"] = db.execute("SELECT sum(length(CAST(text AS BLOB))) FROM pages").fetchone()[0]
    try:
        for name, size in db.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name"):
            out[name.replace("sqlite_autoindex_pages_1", "pages key index")] = size
    except sqlite3.OperationalError:  # SQLite without SQLITE_ENABLE_DBSTAT_VTAB
        pass
    db.close()
    return out


def tree_bytes(root: Path) -> tuple[int, int]:
    """(apparent bytes, bytes allocated on disk) of every file under `root`."""
    files = [p.stat() for p in root.rglob("*") if p.is_file()]
    return sum(s.st_size for s in files), sum(s.st_blocks * 512 for s in files)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--like", type=int, default=100_000, help="take the documents evenly from this many")
    ap.add_argument("--keep", action="store_true", help="leave the temporary data directory behind")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="gongkai-storage-"))
    try:
        run(args.docs, max(args.like, args.docs), tmp)
    finally:
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def run(n_docs: int, like: int, tmp: Path) -> None:
    docs = with_real_originals(bulk(like)[:: like // n_docs][:n_docs])
    n = len(docs)
    text = sum(len(d["pages"][0].encode()) for d in docs)
    archive = Archive(Settings(data_dir=tmp / "new"))
    t = time.perf_counter()
    fill_catalog(archive, docs)
    store_originals(archive, docs, tmp)
    print(f"{n} documents (distinct texts of {n_docs} taken evenly from {like} of bench/corpus.py;"
          f" {text / n:.0f} bytes of text each on average) into catalog and blob store: {time.perf_counter() - t:.0f} s")
    t = time.perf_counter()
    index_analysed(archive, [IndexDoc.from_catalog(d) for d in archive.catalog.iter_documents()])
    print(f"indexes (analysis + bulk build): {time.perf_counter() - t:.0f} s")
    archive.close()

    new_path = tmp / "new" / "catalog.sqlite3"
    old_path = tmp / "old.sqlite3"
    copy_catalog(new_path, old_path)
    make_old_layout(old_path)
    old, new = catalog_stats(old_path), catalog_stats(new_path)

    print(f"\nbytes per document, {n} documents ({os.getloadavg()[0]:.1f} load)")
    print(f"{'':32}{'old (WITHOUT ROWID)':>20}{'new (rowid)':>14}{'new / old':>11}")
    originals, on_disk = tree_bytes(tmp / "new" / "originals")
    print(f"{'originals (blob store)':32}{originals / n:>20.0f}{originals / n:>14.0f}"
          f"   ({on_disk / n:.0f} B/doc allocated on disk)")
    print(f"{'catalog (file less free pages)':32}{old['in use'] / n:>20.0f}{new['in use'] / n:>14.0f}"
          f"{new['in use'] / old['in use']:>11.2f}")
    rows = ["page texts (payload)", "pages", "pages key index"]
    rows += sorted(k for k in set(old) | set(new) if k not in rows and k not in ("in use", "file"))
    for key in rows:
        a, b = old.get(key, 0), new.get(key, 0)
        if key in rows[:3] or a + b >= 50 * n:  # tables of a few bytes a document are noise here
            print(f"{'  ' + key:32}{a / n:>20.0f}{b / n:>14.0f}{f'{b / a:.2f}' if a else '':>11}")
    index_root = tmp / "new" / "index"
    for sub in sorted(p for p in index_root.iterdir() if p.is_dir()):
        size, _ = tree_bytes(sub)
        print(f"{'index ' + sub.name:32}{size / n:>20.0f}{size / n:>14.0f}")

    migrated = tmp / "migrated" / "catalog.sqlite3"
    migrated.parent.mkdir()
    copy_catalog(old_path, migrated)
    db = sqlite3.connect(migrated)
    pages_before = db.execute("SELECT count(*), sum(length(text)) FROM pages").fetchone()
    db.close()
    t = time.perf_counter()
    Catalog(migrated)
    seconds = time.perf_counter() - t
    db = sqlite3.connect(migrated)
    assert not without_rowid(db, "pages")
    same = db.execute("SELECT count(*), sum(length(text)) FROM pages").fetchone() == pages_before
    size, free = migrated.stat().st_size, free_bytes(db)
    wal = Path(f"{migrated}-wal")
    wal_size = wal.stat().st_size if wal.exists() else 0
    db.close()
    t = time.perf_counter()
    before, after = compact(migrated)
    vacuum_s = time.perf_counter() - t
    print(f"\nmigration (first open of the old catalog): {seconds:.1f} s = {seconds * 10_000 / n:.1f} s per 10k"
          f" documents; same pages: {same}; catalog {old['in use'] / 1e6:.0f} MB -> file of {size / 1e6:.0f} MB, of which"
          f" {free / 1e6:.0f} MB free pages; WAL {wal_size / 1e6:.0f} MB")
    print(f"VACUUM after it: {vacuum_s:.1f} s = {vacuum_s * 10_000 / n:.1f} s per 10k documents;"
          f" file {before / 1e6:.0f} MB -> {after / 1e6:.0f} MB ({after / n:.0f} B/doc)")


if __name__ == "__main__":
    main()
