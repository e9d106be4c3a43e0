"""References between documents (analyzers.references), stored per citing document when its text or
metadata is stored, and resolved both ways through indexed keys: a document resolves its own references,
and the references of others that its title or 文号 answers, without reading any other text."""
from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Iterable

from analyzers.fields import PUBLIC
from analyzers.references import Reference, document_keys, extract

from .versions import VersionsMixin, valid_until

log = logging.getLogger(__name__)

# Raised when extraction changes: documents read with an older version are read again by `gongkai reindex`.
REFS_VERSION = 2  # 2: public_target_id resolved too
_DATE = "coalesce(nullif(d.written_date, ''), nullif(d.published_date, ''), '')"
_BATCH = 200


def merged(refs: Iterable[Reference]) -> list[tuple[Reference, int]]:
    """One reference per target and relation (the first occurrence, with the 文号 any occurrence had), with
    how often it occurs."""
    out: dict[tuple[str, str], list] = {}
    for r in refs:
        key = (r.title_key or r.docno_key, r.type)
        if key not in out:
            out[key] = [r, 1]
        else:
            out[key][1] += 1
            if r.docno_key and not out[key][0].docno_key and r.kind == "title":
                out[key][0] = r
    return [(r, n) for r, n in out.values()]


def choose_version(candidates: list[tuple[str, str]], when: str) -> str | None:
    """Of (id, date) candidates with one key, the version in force at `when` (the latest dated on or before
    it; dates compared to `when`'s precision, YYYY[-MM[-DD]]); with no `when`, the latest. None if every
    dated candidate is later (a text cannot name a later one) and none is undated."""
    if not candidates:
        return None
    dated = [c for c in candidates if c[1]]
    if when:
        dated = [c for c in dated if c[1][:len(when)] <= when]
    if dated:
        return max(dated, key=lambda c: (c[1], c[0]))[0]
    undated = [c for c in candidates if not c[1]]
    return undated[0][0] if len(undated) == 1 else None


class ReferencesMixin(VersionsMixin):
    """Keys, references and their resolution (schema.py: doc_keys, doc_references); versions and validity
    follow them (catalog.versions)."""

    def _store_references(self, db: sqlite3.Connection, doc_id: str, pages: list[str] | None = None) -> None:
        """Within a write transaction: (re)write the document's keys and references (from `pages`, else its
        stored pages), resolve them, and resolve again the references its old and new keys answer; then derive
        again the versions and validity of every document this changes (catalog.versions)."""
        row = db.execute("SELECT title, doc_number FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if pages is None:
            pages = [r[0] for r in db.execute("SELECT text FROM pages WHERE doc_id = ? ORDER BY page_no", (doc_id,))]
        old = {r[0] for r in db.execute("SELECT key FROM doc_keys WHERE doc_id = ?", (doc_id,))}
        keys = document_keys(row["title"], row["doc_number"])
        db.execute("DELETE FROM doc_keys WHERE doc_id = ?", (doc_id,))
        db.executemany("INSERT OR IGNORE INTO doc_keys (key, kind, doc_id) VALUES (?, ?, ?)",
                       [(k, kind, doc_id) for k, kind in keys])
        touched = {t for r in db.execute(  # documents its old references amended or repealed
            "SELECT target_id, public_target_id FROM doc_references WHERE doc_id = ? AND target_id IS NOT NULL"
            " AND type IN ('repeals', 'amends')", (doc_id,)) for t in r if t}
        db.execute("DELETE FROM doc_references WHERE doc_id = ?", (doc_id,))
        db.executemany(
            "INSERT INTO doc_references (doc_id, type, target_text, title_key, alt_key, docno_key, target_date,"
            " sentence, article, cited_article, occurrences) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(doc_id, r.type, r.text, r.title_key, r.alt_key, r.docno_key, r.date, r.sentence, r.article,
              r.cited_article, n) for r, n in merged(extract("\n".join(pages), row["doc_number"]))])
        db.execute("UPDATE documents SET refs_version = ?, valid_until = ? WHERE id = ?",
                   (REFS_VERSION, valid_until("\n".join(pages)), doc_id))
        self._resolve(db, "r.doc_id = ?", [doc_id])
        answered = sorted(old | {k for k, _ in keys})
        if answered:
            marks = ", ".join("?" * len(answered))
            touched |= self._resolve(db, f"r.doc_id != ? AND (? IN (r.target_id, r.public_target_id) OR r.title_key"
                                         f" IN ({marks}) OR r.alt_key IN ({marks}) OR r.docno_key IN ({marks}))",
                                     [doc_id, doc_id, *answered, *answered, *answered])
        else:
            touched |= self._resolve(db, "r.doc_id != ? AND ? IN (r.target_id, r.public_target_id)", [doc_id, doc_id])
        self._update_status(db, touched | {doc_id}, skip=doc_id)

    def _resolve(self, db: sqlite3.Connection, where: str, args: list) -> set[str]:
        """Resolve the references `where` selects (alias r) again; returns the documents an amending or repealing
        reference among them names, or named before, where it changed target."""
        rows = db.execute(
            f"SELECT r.id, r.doc_id, r.type, r.title_key, r.alt_key, r.docno_key, r.target_date, r.target_id,"
            f" r.public_target_id, r.resolved_by, {_DATE} AS date FROM doc_references r"
            f" JOIN documents d ON d.id = r.doc_id"
            f" WHERE {where}", args).fetchall()
        cache: dict[tuple, list] = {}

        def candidates(sql: str, params: tuple) -> list:
            if (sql, params) not in cache:
                cache[(sql, params)] = db.execute(sql, params).fetchall()
            return cache[(sql, params)]

        def resolve(r: sqlite3.Row, public: bool) -> tuple[str | None, str]:
            """The document `r` names (among 主动公开 ones only if `public`) and how it was found."""
            if r["docno_key"]:
                found = candidates(f"SELECT d.id, {_DATE}, d.disclosure FROM doc_keys k JOIN documents d"
                                   " ON d.id = k.doc_id WHERE k.key = ? AND k.kind = 'docno'", (r["docno_key"],))
                target = choose_version([(c[0], c[1]) for c in found
                                         if c[0] != r["doc_id"] and (not public or c[2] == PUBLIC)], "")
                if target:
                    return target, "docno"
            if r["title_key"] or r["alt_key"]:
                found = candidates(
                    f"SELECT d.id, {_DATE}, (k.key = ? AND k.kind = 'title') AS exact,"
                    " (SELECT key FROM doc_keys n WHERE n.doc_id = d.id AND n.kind = 'docno') AS docno,"
                    " d.disclosure FROM doc_keys k JOIN documents d ON d.id = k.doc_id"
                    " WHERE k.kind IN ('title', 'inner') AND k.key IN (?, ?)",
                    (r["title_key"], r["title_key"], r["alt_key"] or r["title_key"]))
                fits = [c for c in found if c[0] != r["doc_id"] and (not public or c[4] == PUBLIC)
                        and not (r["docno_key"] and c[3] and c[3] != r["docno_key"])]  # another 文号: another text
                best = [c for c in fits if c[2]] or fits
                target = choose_version([(c[0], c[1]) for c in best], r["target_date"] or r["date"])
                if target:
                    return target, "title"
            return None, ""

        changed, touched = [], set()
        for r in rows:
            target, how = resolve(r, public=False)
            public_target = resolve(r, public=True)[0] if target else None
            if (target, public_target, how) != (r["target_id"], r["public_target_id"], r["resolved_by"]):
                changed.append((target, public_target, how, r["id"]))
                if r["type"] in ("repeals", "amends"):
                    touched |= {t for t in (target, public_target, r["target_id"], r["public_target_id"]) if t}
        db.executemany("UPDATE doc_references SET target_id = ?, public_target_id = ?, resolved_by = ? WHERE id = ?",
                       changed)
        return touched

    def compute_references(self, every: bool = False) -> int:
        """Read the references of the documents read with an older extractor (or of `every` one) from their
        stored pages, in batches of their own transactions; returns how many documents were read."""
        started, done = time.perf_counter(), 0
        where = "" if every else f" WHERE refs_version < {REFS_VERSION}"
        ids = [r[0] for r in self._db().execute(f"SELECT id FROM documents{where} ORDER BY rowid")]
        for i in range(0, len(ids), _BATCH):
            with self.tx() as db:
                for doc_id in ids[i:i + _BATCH]:
                    self._store_references(db, doc_id)
            done += len(ids[i:i + _BATCH])
        if ids:
            log.info("references read from %d documents in %.1f s", done, time.perf_counter() - started)
        self.compute_status(every)
        return done

    def references_behind(self) -> int:
        """How many documents have references read by an older extractor, or none yet (`gongkai reindex`)."""
        return self._db().execute("SELECT count(*) FROM documents WHERE refs_version < ?",
                                  (REFS_VERSION,)).fetchone()[0]

    def relations(self, doc_id: str, visibility: tuple[str, ...], limit: int = 200) -> dict:
        """The document's references (`cites`: each with its target if resolved to a document of these
        disclosures, else its text) and the references to it from documents of these disclosures
        (`cited_by`, newest first, at most `limit`, with `counts` per type and `citing` documents of them all). A reference to or from a
        document outside `visibility` is left out everywhere, counts included."""
        vis = ", ".join("?" * len(visibility))
        # The public sees references resolved among public documents only: one naming a restricted document
        # reads exactly like one naming a document the archive does not hold.
        col = "public_target_id" if set(visibility) <= {PUBLIC} else "target_id"
        db = self._db()
        out_rows = db.execute(
            f"SELECT r.*, r.{col} AS shown_id, d.title AS target_title, d.disclosure AS target_disclosure,"
            f" {_DATE} AS target_date_of FROM doc_references r LEFT JOIN documents d ON d.id = r.{col}"
            " WHERE r.doc_id = ? ORDER BY r.id", (doc_id,)).fetchall()
        cites = [_relation(r, "out") if r["shown_id"] is None or r["target_disclosure"] in visibility
                 else _relation(r, "out", unresolved=True) for r in out_rows]
        counts = {t: n for t, n in db.execute(
            f"SELECT r.type, count(DISTINCT r.doc_id) FROM doc_references r JOIN documents d ON d.id = r.doc_id"
            f" WHERE r.{col} = ? AND r.doc_id != ? AND d.disclosure IN ({vis}) GROUP BY r.type",
            (doc_id, doc_id, *visibility))}
        in_rows = db.execute(
            f"SELECT r.*, d.title AS source_title, {_DATE} AS source_date FROM doc_references r"
            f" JOIN documents d ON d.id = r.doc_id WHERE r.{col} = ? AND r.doc_id != ?"
            f" AND d.disclosure IN ({vis}) ORDER BY source_date DESC, r.doc_id, r.id LIMIT ?",
            (doc_id, doc_id, *visibility, limit)).fetchall()
        seen, cited_by = set(), []
        for r in in_rows:
            if (r["doc_id"], r["type"]) not in seen:
                seen.add((r["doc_id"], r["type"]))
                cited_by.append(_relation(r, "in"))
        citing = db.execute(
            f"SELECT count(DISTINCT r.doc_id) FROM doc_references r JOIN documents d ON d.id = r.doc_id"
            f" WHERE r.{col} = ? AND r.doc_id != ? AND d.disclosure IN ({vis})",
            (doc_id, doc_id, *visibility)).fetchone()[0]
        return {"cites": cites, "cited_by": cited_by, "counts": counts, "citing": citing}


def _relation(r: sqlite3.Row, direction: str, unresolved: bool = False) -> dict:
    """A stored reference as pages and the API show it, from the side of the document asked about: `out` (it
    names `document_id`, or an unresolved `text` when that is None) or `in` (`document_id` names it)."""
    rel = {"type": r["type"], "direction": direction, "text": r["target_text"], "evidence": r["sentence"],
           "article": r["article"], "cited_article": r["cited_article"], "occurrences": r["occurrences"]}
    if direction == "out" and unresolved:
        rel.update(document_id=None, title="", date="")
    elif direction == "out":
        rel.update(document_id=r["shown_id"], title=r["target_title"] or "", date=r["target_date_of"] or "")
    else:
        rel.update(document_id=r["doc_id"], title=r["source_title"], date=r["source_date"])
    return rel
