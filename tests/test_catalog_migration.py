"""A catalog written before bulk ingestion (no text_hash, run state, failures, bundles) opens and upgrades."""
import sqlite3

from archive.catalog import Catalog

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
