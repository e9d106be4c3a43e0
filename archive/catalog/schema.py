"""Every table of the catalog, and the migrations that bring an older catalog up to date.

The documents table has one text column per field of analyzers.fields (not kept in `extra`): a field
added there becomes a column here, and older catalogs get it by migration."""
from __future__ import annotations

from analyzers.fields import COLUMNS

# An ordinary rowid table: its primary key is a unique index on (doc_id, page_no) and the texts live in
# the rowid b-tree, which packs them densely. Until issue 18 the table was WITHOUT ROWID, where a text
# over ~1 KB spills into overflow pages that stay mostly empty (442 MB for 212 MB of text at 100k
# documents); migrations.rebuild_pages copies an older catalog's table into this layout.
PAGES_TABLE = """CREATE TABLE IF NOT EXISTS {name} (
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    page_no INTEGER NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (doc_id, page_no)
);"""

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY,
    disclosure TEXT NOT NULL DEFAULT '主动公开',
    extra TEXT NOT NULL DEFAULT '{}',
    warnings TEXT NOT NULL DEFAULT '[]',
    page_count INTEGER NOT NULL DEFAULT 0,
    created_at REAL NOT NULL,
    index_state TEXT NOT NULL DEFAULT 'pending',
    index_error TEXT NOT NULL DEFAULT ''
);
""" + PAGES_TABLE.format(name="pages") + """
CREATE TABLE IF NOT EXISTS originals (
    sha256 TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    filename TEXT NOT NULL,
    source TEXT NOT NULL,
    mime TEXT NOT NULL,
    size INTEGER NOT NULL,
    extractor TEXT NOT NULL,
    added_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS originals_doc ON originals(doc_id);
CREATE INDEX IF NOT EXISTS documents_index_state ON documents(index_state);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at REAL NOT NULL,
    finished_at REAL,
    args TEXT NOT NULL DEFAULT '[]'
);
CREATE TABLE IF NOT EXISTS run_files (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    path TEXT NOT NULL,
    status TEXT NOT NULL,          -- ingested | skipped | merged | failed | bundle
    stage TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT '',
    sha256 TEXT NOT NULL DEFAULT '',
    doc_id TEXT NOT NULL DEFAULT '',
    at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS run_files_run ON run_files(run_id, status);
CREATE TABLE IF NOT EXISTS failures (   -- files (by content and extension) whose last ingest failed
    sha256 TEXT NOT NULL,
    suffix TEXT NOT NULL,                -- lower-case extension: the same bytes as .txt or .html differ
    path TEXT NOT NULL,
    stage TEXT NOT NULL,
    reason TEXT NOT NULL,
    run_id INTEGER NOT NULL,
    at REAL NOT NULL,
    PRIMARY KEY (sha256, suffix)
);
CREATE TABLE IF NOT EXISTS bundles (    -- zip files received; their members are the documents
    sha256 TEXT PRIMARY KEY,
    filename TEXT NOT NULL,
    source TEXT NOT NULL,
    size INTEGER NOT NULL,
    members INTEGER NOT NULL DEFAULT 0,
    run_id INTEGER NOT NULL,
    added_at REAL NOT NULL
);
-- The outbox: every change the search indexes must follow, in order, written in the same
-- transaction as the change itself (archive.sync applies it). `restricts`: 1 if the change takes a
-- document the public could see out of their sight, 2 if it takes text out of a public document (a redaction).
CREATE TABLE IF NOT EXISTS changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_id TEXT NOT NULL,
    restricts INTEGER NOT NULL DEFAULT 0,
    at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS changes_restricts ON changes(restricts, seq);
CREATE TABLE IF NOT EXISTS users (
    username TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS login_failures (
    username TEXT NOT NULL,
    client TEXT NOT NULL,
    at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS login_failures_at ON login_failures(username, at);
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at REAL NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,        -- ingest, edit, view, download, login, user …
    doc_id TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS audit_at ON audit(at);
-- What each document is cited by (analyzers.references.document_keys): its title key, the key of what a
-- 印发/转发 title publishes, its 文号; rewritten with the document's title and 文号.
CREATE TABLE IF NOT EXISTS doc_keys (
    key TEXT NOT NULL,
    kind TEXT NOT NULL,                  -- title | inner | docno
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    PRIMARY KEY (key, kind, doc_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS doc_keys_doc ON doc_keys(doc_id);
-- References from a document to others (a 《title》 or 文号 in its text; `references` is an SQL keyword),
-- one row per target and relation; target_id is the document it resolves to, NULL until one is stored.
CREATE TABLE IF NOT EXISTS doc_references (
    id INTEGER PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,   -- the citing document
    type TEXT NOT NULL,                  -- cites | implements | amends | amended_by | repeals | interprets
    target_text TEXT NOT NULL,           -- the title or 文号 as written
    title_key TEXT NOT NULL DEFAULT '',
    alt_key TEXT NOT NULL DEFAULT '',    -- what a 印发/转发…的通知 title publishes
    docno_key TEXT NOT NULL DEFAULT '',
    target_date TEXT NOT NULL DEFAULT '',  -- a date written beside it (YYYY[-MM[-DD]])
    sentence TEXT NOT NULL,
    article TEXT NOT NULL DEFAULT '',    -- the citing document's 第X条 it stands under
    cited_article TEXT NOT NULL DEFAULT '',  -- the target's 第X条 it names
    occurrences INTEGER NOT NULL DEFAULT 1,
    target_id TEXT REFERENCES documents(id) ON DELETE SET NULL,
    public_target_id TEXT REFERENCES documents(id) ON DELETE SET NULL,  -- the same among 主动公开 documents:
    --   what the public is shown (a restricted version never takes a public one's place, nor shows it exists)
    resolved_by TEXT NOT NULL DEFAULT ''     -- docno | title | '' (unresolved)
);
CREATE INDEX IF NOT EXISTS doc_references_doc ON doc_references(doc_id);
CREATE INDEX IF NOT EXISTS doc_references_target ON doc_references(target_id) WHERE target_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS doc_references_title ON doc_references(title_key);  -- not partial: looked up by a bound key
CREATE INDEX IF NOT EXISTS doc_references_alt ON doc_references(alt_key);  -- not partial: looked up by a bound key
CREATE INDEX IF NOT EXISTS doc_references_docno ON doc_references(docno_key);  -- not partial: looked up by a bound key
-- Web uploads waiting for a staff member to release them (archive.review). A document waiting is stored as
-- 依申请公开, so that every public route keeps it out exactly as any restricted document; `intended` is the
-- 公开属性 the upload asked for.
CREATE TABLE IF NOT EXISTS reviews (
    doc_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    intended TEXT NOT NULL,
    actor TEXT NOT NULL,
    run_id INTEGER NOT NULL DEFAULT 0,
    at REAL NOT NULL
);
-- Personal information in a document's text (analyzers.pii): masked previews and offsets, never the values.
CREATE TABLE IF NOT EXISTS pii_findings (
    doc_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,            -- analyzers.pii.VERSION it was read with
    identifiers INTEGER NOT NULL,        -- 身份证号, 手机号 and card findings (names alone do not count)
    findings TEXT NOT NULL DEFAULT '[]'  -- JSON: analyzers.pii.scan_pages
);
CREATE INDEX IF NOT EXISTS pii_findings_flagged ON pii_findings(doc_id) WHERE identifiers > 0;
-- Documents published with their personal information redacted (archive.review.redact): `pages` holds the text
-- everyone is shown and every index holds; here is the text as it was, for staff only (and for undoing).
CREATE TABLE IF NOT EXISTS redactions (
    doc_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    actor TEXT NOT NULL,
    at REAL NOT NULL,
    spans INTEGER NOT NULL,              -- how many spans were masked
    pages TEXT NOT NULL,                 -- JSON: the page texts before the first redaction
    metadata TEXT NOT NULL DEFAULT '{}'  -- JSON: {"fields": the columns it changed, as they were; "extra": ...}
);
"""

# Columns added after the first release: (table, column, declaration); applied by Catalog.migrate().
ADDED_COLUMNS = (
    ("documents", "text_hash", "TEXT NOT NULL DEFAULT ''"),   # sha256 of the normalized units, '' if short
    ("runs", "state", "TEXT NOT NULL DEFAULT ''"),            # '' running | finished | interrupted
    ("runs", "report", "TEXT NOT NULL DEFAULT ''"),           # path of the failure report
    ("run_files", "kind", "TEXT NOT NULL DEFAULT ''"),        # a failure's kind: file | system | config
    ("failures", "kind", "TEXT NOT NULL DEFAULT 'file'"),     # system/config failures are retried next run
    ("documents", "version", "INTEGER NOT NULL DEFAULT 0"),   # seq of the document's latest change
    ("users", "session_version", "INTEGER NOT NULL DEFAULT 0"),  # bumped to sign every session out
    ("runs", "options", "TEXT NOT NULL DEFAULT '{}'"),        # disclosure, reason, actor: to resume a run
    ("documents", "refs_version", "INTEGER NOT NULL DEFAULT 0"),  # references.REFS_VERSION they were read with
    ("doc_references", "public_target_id", "TEXT REFERENCES documents(id) ON DELETE SET NULL"),  # (see the table)
    # Versions and validity derived by catalog.versions, for staff (every document) and for the public (主动公开
    # ones only): the version group ('' none), whether it is the latest of it, the derived 有效性 and its evidence.
    ("documents", "version_group", "TEXT NOT NULL DEFAULT ''"),
    ("documents", "latest", "INTEGER NOT NULL DEFAULT 1"),
    ("documents", "derived_validity", "TEXT NOT NULL DEFAULT ''"),
    ("documents", "public_version_group", "TEXT NOT NULL DEFAULT ''"),
    ("documents", "public_latest", "INTEGER NOT NULL DEFAULT 1"),
    ("documents", "public_derived_validity", "TEXT NOT NULL DEFAULT ''"),
    ("documents", "validity_evidence", "TEXT NOT NULL DEFAULT '{}'"),  # JSON: {"staff": [...], "public": [...]}
    ("documents", "valid_until", "TEXT NOT NULL DEFAULT ''"),      # the 有效期 its text states (ISO), '' none
    ("documents", "status_version", "INTEGER NOT NULL DEFAULT 0"),  # versions.STATUS_VERSION it was derived with
    *(("documents", column, "TEXT NOT NULL DEFAULT ''") for column in COLUMNS),  # the fields' columns
)
POST_MIGRATION = """
CREATE INDEX IF NOT EXISTS doc_references_public ON doc_references(public_target_id) WHERE public_target_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS documents_text_hash ON documents(text_hash) WHERE text_hash != '';
CREATE INDEX IF NOT EXISTS documents_version_group ON documents(version_group) WHERE version_group != '';
CREATE INDEX IF NOT EXISTS documents_public_version_group ON documents(public_version_group)
    WHERE public_version_group != '';
"""
