"""A catalog written by an older version opens and upgrades: before bulk ingestion (no text_hash, run state,
failures, bundles), and before issue 18 (a WITHOUT ROWID pages table, rebuilt with no page lost)."""
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive import Archive, Search, Settings
from archive.catalog import Catalog
from archive.catalog.migrations import compact, rebuild_pages, without_rowid
from web.cli import main

OLD_SCHEMA = """
CREATE TABLE documents (
    id TEXT PRIMARY KEY, title TEXT NOT NULL DEFAULT '', doc_number TEXT NOT NULL DEFAULT '',
    agency TEXT NOT NULL DEFAULT '', written_date TEXT NOT NULL DEFAULT '',
    published_date TEXT NOT NULL DEFAULT '', doc_type TEXT NOT NULL DEFAULT '',
    index_number TEXT NOT NULL DEFAULT '', topic TEXT NOT NULL DEFAULT '',
    disclosure TEXT NOT NULL DEFAULT '主动公开', extra TEXT NOT NULL DEFAULT '{}',
    warnings TEXT NOT NULL DEFAULT '[]', page_count INTEGER NOT NULL DEFAULT 0, created_at REAL NOT NULL,
    index_state TEXT NOT NULL DEFAULT 'pending', index_error TEXT NOT NULL DEFAULT '');
CREATE TABLE runs (id INTEGER PRIMARY KEY AUTOINCREMENT, started_at REAL NOT NULL, finished_at REAL,
    args TEXT NOT NULL DEFAULT '[]');
INSERT INTO documents (id, title, created_at, index_state) VALUES ('abc', '旧文件', 1.0, 'indexed');
INSERT INTO runs (started_at, args) VALUES (1.0, '[]');
"""


def test_old_catalog_is_upgraded_in_place(tmp_path):
    path = tmp_path / "catalog.sqlite3"
    db = sqlite3.connect(path)
    db.executescript(OLD_SCHEMA)
    db.close()

    cat = Catalog(path)
    assert cat.document("abc")["text_hash"] == ""
    assert cat.mark_interrupted_runs() == [1]  # the old unfinished run
    assert cat.run(1)["state"] == "interrupted"
    cat.set_failure("f" * 64, "/in/x.pdf", "extract", "corrupt PDF", 2, ".pdf")
    assert cat.known_failure("f" * 64, ".PDF")["reason"] == "corrupt PDF"
    assert cat.known_failure("f" * 64, ".txt") is None
    Catalog(path)  # opening again changes nothing
    cols = [r[1] for r in sqlite3.connect(path).execute("PRAGMA table_info(documents)")]
    assert cols.count("text_hash") == 1


# The pages table as catalogs before issue 18 held it: WITHOUT ROWID, where a text over ~1 KB spills into
# overflow pages that stay mostly empty.
OLD_PAGES = """CREATE TABLE pages_old (
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    page_no INTEGER NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (doc_id, page_no)
) WITHOUT ROWID"""


def to_old_pages_layout(path):
    """Give the catalog at `path` the old pages table (same rows), compacted like a catalog that never had another."""
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("BEGIN")
    db.execute(OLD_PAGES)
    db.execute("INSERT INTO pages_old SELECT doc_id, page_no, text FROM pages ORDER BY rowid")
    db.execute("DROP TABLE pages")
    db.execute("ALTER TABLE pages_old RENAME TO pages")
    db.execute("COMMIT")
    db.execute("VACUUM")
    assert without_rowid(db, "pages")
    db.close()


def page_rows(path):
    db = sqlite3.connect(path)
    try:
        return {(r[0], r[1]): r[2] for r in db.execute("SELECT doc_id, page_no, text FROM pages")}
    finally:
        db.close()


def run(*args):
    return CliRunner().invoke(main, list(map(str, args)), catch_exceptions=False)


def test_archive_with_old_pages_table_migrates_with_no_page_lost(tmp_path, corpus):
    """An archive ingested before issue 18 opens with its pages rebuilt as a rowid table: every page text as
    it was, `verify` clean, search shows snippets from the pages, and new documents go into the new table."""
    data = tmp_path / "d"
    laws = sorted((corpus / "lawrefbook-laws").rglob("*.md"), key=lambda p: p.stat().st_size)
    files = [corpus / "shanghai-putuo-juesuan" / "中共上海市普陀区委社会工作部2024年度部门决算.pdf",  # 24 pages
             *sorted((corpus / "nfra-penalty-disclosures" / "txt").glob("*.txt"))[:2],
             laws[len(laws) // 2], laws[-40]]  # texts well over 1 KB: they overflowed in the old layout
    assert run("--data", data, "ingest", "--quiet", *files).exit_code == 0
    catalog = data / "catalog.sqlite3"
    to_old_pages_layout(catalog)
    before = page_rows(catalog)
    assert len(before) > 25 and max(len(t.encode()) for t in before.values()) > 4096

    verified = run("--data", data, "verify")  # the first open migrates
    assert verified.exit_code == 0, verified.output
    assert "0 changed, 0 missing, 0 untracked" in verified.output
    assert "0 missing, 0 that must not be there, 0 stale" in verified.output
    db = sqlite3.connect(catalog)
    assert not without_rowid(db, "pages")
    assert db.execute("SELECT count(*) FROM sqlite_master WHERE name = 'pages_rebuilt'").fetchone()[0] == 0
    assert db.execute("SELECT sum(page_count) FROM documents").fetchone()[0] == len(before)
    db.close()
    assert page_rows(catalog) == before
    archive = Archive(Settings(data_dir=data))
    found = archive.search(Search(q="一般公共预算财政拨款"))
    hit = next(h for h in found["hits"] if h["id"] == next(d for d, p in before if p == 24))
    assert "<mark>" in hit["snippet"] and hit["page"] > 1  # the snippet is read from the rebuilt table
    archive.close()

    more = sorted((corpus / "nfra-penalty-disclosures" / "txt").glob("*.txt"))[2:4]
    assert run("--data", data, "ingest", "--quiet", *more).exit_code == 0  # the new table takes new documents
    assert len(page_rows(catalog)) == len(before) + 2
    assert run("--data", data, "verify").exit_code == 0
    size, compacted = compact(catalog)  # the old table's pages were left free in the file
    assert compacted < size
    after = page_rows(catalog)
    assert {k: after[k] for k in before} == before


def old_catalog(path, documents=30):
    """A catalog in the old layout with pages of 300 to 6,000 bytes of text (several pages per document)."""
    cat = Catalog(path)
    for i in range(documents):
        pages = [f"第{i}号文件第{p}页。" + "县级以上人民政府应当依法公开政府信息。" * (5 + 17 * ((i + p) % 6))
                 for p in range(1, 2 + i % 4)]
        sha = f"{i:064x}"
        cat.add_document(sha[-16:], {"title": f"文件{i}"}, pages, {
            "sha256": sha, "filename": f"{i}.txt", "source": f"/in/{i}.txt", "mime": "text/plain",
            "size": 1, "extractor": "text"}, [])
    to_old_pages_layout(path)
    return page_rows(path)


def test_disk_full_during_the_rebuild_leaves_the_old_table_whole(tmp_path):
    """A rebuild that fails midway (here: the catalog may not grow, as on a full disk) changes nothing;
    the next open rebuilds it."""
    path = tmp_path / "catalog.sqlite3"
    before = old_catalog(path)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute(f"PRAGMA max_page_count={db.execute('PRAGMA page_count').fetchone()[0] + 3}")
    with pytest.raises(sqlite3.OperationalError, match="full"):
        rebuild_pages(db)
    assert not db.in_transaction and db.execute("PRAGMA foreign_keys").fetchone()[0] == 0
    db.close()
    db = sqlite3.connect(path)
    assert without_rowid(db, "pages")
    assert db.execute("SELECT count(*) FROM sqlite_master WHERE name = 'pages_rebuilt'").fetchone()[0] == 0
    db.close()
    assert page_rows(path) == before

    cat = Catalog(path)
    assert not without_rowid(cat._db(), "pages")
    assert page_rows(path) == before
    assert cat.pages("0" * 15 + "6") == [before[("0" * 15 + "6", p)] for p in (1, 2, 3)]


KILLED_MIDWAY = """
import sqlite3, sys, time
from pathlib import Path
from archive.catalog.migrations import rebuild_pages

db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("PRAGMA journal_mode=WAL")
db.execute("PRAGMA cache_size=5")  # spill the copy into the WAL as it goes
copying = []
db.set_trace_callback(lambda sql: copying.append(sql) if sql.startswith("INSERT INTO pages_rebuilt") else None)

def stall():
    if copying:
        copying.append("")
        if len(copying) > 20:  # some rows copied
            Path(sys.argv[2]).touch()
            time.sleep(120)
    return 0

db.set_progress_handler(stall, 20)
rebuild_pages(db)
"""


def test_rebuild_killed_midway_leaves_a_working_catalog_that_migrates_on_next_open(tmp_path):
    path, copying = tmp_path / "catalog.sqlite3", tmp_path / "copying"
    before = old_catalog(path)
    proc = subprocess.Popen([sys.executable, "-c", KILLED_MIDWAY, str(path), str(copying)],
                            cwd=Path(__file__).resolve().parents[1])
    try:
        for _ in range(600):
            if copying.exists() or proc.poll() is not None:
                break
            time.sleep(0.05)
        assert copying.exists(), "the rebuild never reached the copy"
        assert Path(f"{path}-wal").stat().st_size > 0  # it had written part of the copy
    finally:
        proc.kill()  # SIGKILL: no rollback, no cleanup
        proc.wait()

    cat = Catalog(path)  # the old table was still whole; this open rebuilds it
    assert not without_rowid(cat._db(), "pages")
    assert page_rows(path) == before
    assert [d["id"] for d in cat.iter_documents()][:2] == ["0" * 16, "0" * 15 + "1"]


@pytest.mark.parametrize("made", ["new", "migrated"])
def test_every_query_on_pages_searches_by_its_key(tmp_path, made):
    """The rowid table must still find a document's pages through the (doc_id, page_no) key, never a scan,
    in a new catalog and in one whose table was rebuilt."""
    path = tmp_path / "catalog.sqlite3"
    if made == "migrated":
        old_catalog(path, documents=3)
    cat = Catalog(path)
    ids = [f"{i:016x}" for i in range(3)]
    if made == "new":
        for doc_id in ids:
            cat.add_document(doc_id, {"title": "t"}, ["一", "二"], {
                "sha256": doc_id * 4, "filename": "x.txt", "source": "/in/x.txt", "mime": "text/plain",
                "size": 1, "extractor": "text"}, [])
    statements: list[str] = []
    cat._db().set_trace_callback(statements.append)
    cat.pages(ids[0])
    cat.texts(ids)
    cat.for_index(ids)
    list(cat.iter_documents())
    cat._db().set_trace_callback(None)
    reads = {s for s in statements if " pages " in f"{s} " and s.lstrip().upper().startswith("SELECT")}
    assert len(reads) >= 3
    for sql in reads:
        plan = " | ".join(r[3] for r in cat._db().execute("EXPLAIN QUERY PLAN " + sql))
        assert "SEARCH pages USING INDEX sqlite_autoindex_pages_1 (doc_id=?)" in plan, (sql, plan)
