"""Versions of one document and its validity (有效性), derived from the catalog and kept current.

Versions: laws, regulations and rules (a title ending in 法, 条例, 规定, 办法 …; not a 决定 or 通知, whose
namesakes are separate acts) with one title key (analyzers.references.title_key) and one issuer (a congress
and its standing committee count as one; a document without an issuer joins the only group of its title)
are one group when their dates differ; the latest is the one dated last (several on one date are all
latest: parts or copies of one text). Validity: 已废止 when a document repeals it (a resolved `repeals`
reference naming no single article), 失效 when its own text says 有效期至 a past date, 已修改 when a later
version exists or a later amending act (a title saying 修改, 修正, 修订 or 废止) amends it, 现行有效 for a law or
regulation with none of these, else ''.
A value set on the document (by staff, or read from its own label table) wins.

Everything is derived twice: for staff from every document, for the public from 主动公开 documents only
(a restricted version or repeal never shows, not even as a count). Whenever a document is written, the
documents whose group, latest flag or validity change get a change in the outbox, so their index
entries are rewritten too.
"""
from __future__ import annotations

import datetime
import hashlib
import json
import re
import sqlite3
from collections.abc import Iterable

from analyzers import agencies
from analyzers.fields import PUBLIC

from .base import CatalogBase

STATUS_VERSION = 1   # raised when the derivation changes: `reindex` derives every document again
_DATE = "coalesce(nullif(d.written_date, ''), nullif(d.published_date, ''), '')"
_TRAILING = re.compile(r"[（(][^（）()]*[)）]\s*$")
VERSIONED = re.compile(r"(?:法|法典|条例|规定|办法|细则|规则|解释|章程|准则|规程|守则|通则)$")
_COMMITTEE = re.compile(r"常务委员会$")
_AMENDING = re.compile(r"修改|修正|修订|废止")   # in the title of an act that changes others
_SELF = r"本(?:通知|办法|规定|意见|方案|细则|决定|公告|通告|规则|条例|指引|指南|措施|规划|计划|政策|实施意见|实施方案|实施细则)"
_UNTIL = re.compile(_SELF + r"[^。；;]{0,60}?有效期(?:至|到|截至|截止到?)\s*((?:19|20)\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_YEARS = re.compile(r"自\s*((?:19|20)\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日起(?:施行|实施|执行|生效)[^。；;]{0,12}?"
                    r"有效期(?:为)?\s*([一二两三四五六七八九十\d]{1,2})\s*年")
_NUMERALS = {c: i for i, c in enumerate("零一二三四五六七八九十")} | {"两": 2}
AUDIENCES = ("staff", "public")
# Columns of `documents` this module writes, per audience (schema.ADDED_COLUMNS declares them).
COLUMNS = {"staff": ("version_group", "latest", "derived_validity"),
           "public": ("public_version_group", "public_latest", "public_derived_validity")}


def versioned(title: str) -> bool:
    """Whether documents of this title are revised in place (laws, regulations, rules, interpretations)."""
    t = (title or "").strip()
    while (s := _TRAILING.sub("", t).strip()) != t:
        t = s
    return bool(VERSIONED.search(t)) and not t.endswith("修正案")


def valid_until(text: str) -> str:
    """The date a document's own text says it is valid until (本通知…有效期至2025年12月31日; 自…起施行，有效期
    5年), ISO; '' if it says none."""
    found = []
    for m in _UNTIL.finditer(text):
        found.append(_iso(int(m[1]), int(m[2]), int(m[3])))
    for m in _YEARS.finditer(text):
        n = int(m[4]) if m[4].isdigit() else _cn(m[4])
        start = _iso(int(m[1]), int(m[2]), int(m[3]))
        if start and n:
            end = datetime.date.fromisoformat(start)
            try:
                end = end.replace(year=end.year + n) - datetime.timedelta(days=1)
            except ValueError:  # 2月29日
                end = end.replace(year=end.year + n, day=28)
            found.append(end.isoformat())
    found = [f for f in found if f]
    return max(found) if found else ""


def _cn(s: str) -> int:
    if s == "十":
        return 10
    if s.startswith("十"):
        return 10 + _NUMERALS.get(s[1:], 0)
    if s.endswith("十"):
        return 10 * _NUMERALS.get(s[:-1], 0)
    return _NUMERALS.get(s, 0) if len(s) == 1 else 10 * _NUMERALS.get(s[0], 0) + _NUMERALS.get(s[-1], 0)


def _iso(y: int, m: int, d: int) -> str:
    try:
        return datetime.date(y, m, d).isoformat()
    except ValueError:
        return ""


def issuers(agency: str) -> frozenset[str]:
    """The issuers a group is told apart by: canonical names, a standing committee as its congress."""
    return frozenset(_COMMITTEE.sub("", a.name) for a in agencies.canonical(agency or ""))


def clusters(key: str, members: list[sqlite3.Row]) -> dict[str, str]:
    """doc id -> version group of the members (id, title, agency, date) sharing the title key `key`: '' for
    one that is no version of another."""
    docs = [m for m in members if versioned(m["title"])]
    parent = {m["id"]: m["id"] for m in docs}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    named = [m for m in docs if issuers(m["agency"])]
    for i, a in enumerate(named):
        for b in named[i + 1:]:
            if issuers(a["agency"]) & issuers(b["agency"]):
                parent[root(a["id"])] = root(b["id"])
    roots = {root(m["id"]) for m in named}
    unnamed = [m for m in docs if not issuers(m["agency"])]
    for m in unnamed:   # joins the only group of its title; with none, the unnamed ones are one group
        if len(roots) == 1:
            parent[m["id"]] = next(iter(roots))
        elif not roots:
            parent[m["id"]] = unnamed[0]["id"]
    groups: dict[str, list[sqlite3.Row]] = {}
    for m in docs:
        groups.setdefault(root(m["id"]), []).append(m)
    out = {m["id"]: "" for m in members}
    for group in groups.values():
        if len({m["date"] for m in group}) > 1:
            names = sorted(set().union(*(issuers(m["agency"]) for m in group)))
            gid = hashlib.sha1(f"{key}|{'、'.join(names)}".encode()).hexdigest()[:16]
            out.update((m["id"], gid) for m in group)
    return out


def _newest(members: list[sqlite3.Row]) -> str:
    dated = [m["date"] for m in members if m["date"]]
    return max(dated) if dated else ""


class VersionsMixin(CatalogBase):
    """Version groups and derived validity of the Catalog's documents (schema.py: documents' status columns)."""

    def _update_status(self, db: sqlite3.Connection, doc_ids: Iterable[str], skip: str = "") -> int:
        """Within a write transaction: derive again the versions and validity of `doc_ids`, of the documents
        sharing a title key or a version group with them and of those they amend or repeal; record a change
        for each whose status changed but `skip` (whose caller records its own). Returns how many changed."""
        ids = sorted(set(doc_ids))
        if not ids:
            return 0
        marks = ", ".join("?" * len(ids))
        keys = {r[0] for r in db.execute(f"SELECT key FROM doc_keys WHERE kind = 'title' AND doc_id IN ({marks})", ids)}
        old = {r[0] for r in db.execute(
            f"SELECT version_group FROM documents WHERE id IN ({marks}) AND version_group != ''"
            f" UNION SELECT public_version_group FROM documents WHERE id IN ({marks}) AND public_version_group != ''",
            ids + ids)}
        if old:
            gm = ", ".join("?" * len(old))
            keys |= {r[0] for r in db.execute(
                f"SELECT k.key FROM doc_keys k JOIN documents d ON d.id = k.doc_id WHERE k.kind = 'title' AND"
                f" (d.version_group IN ({gm}) OR d.public_version_group IN ({gm}))", [*old, *old])}
        groups: dict[str, dict[str, str]] = {a: {} for a in AUDIENCES}
        members: dict[str, dict[str, list[sqlite3.Row]]] = {a: {} for a in AUDIENCES}
        touched = set(ids)
        for key in sorted(keys):
            found = db.execute(
                f"SELECT d.id, d.title, d.agency, d.disclosure, {_DATE} AS date FROM doc_keys k"
                " JOIN documents d ON d.id = k.doc_id WHERE k.key = ? AND k.kind = 'title'", (key,)).fetchall()
            touched |= {m["id"] for m in found}
            for audience in AUDIENCES:
                seen = {m["id"]: m for m in found if audience == "staff" or m["disclosure"] == PUBLIC}
                for doc_id, gid in clusters(key, list(seen.values())).items():
                    groups[audience][doc_id] = gid
                    if gid:
                        members[audience].setdefault(gid, []).append(seen[doc_id])
        # the documents this one repeals or amends (their validity rests on it)
        touched |= {r[0] for r in db.execute(
            f"SELECT target_id FROM doc_references WHERE doc_id IN ({marks}) AND target_id IS NOT NULL"
            f" AND type IN ('repeals', 'amends') UNION SELECT public_target_id FROM doc_references"
            f" WHERE doc_id IN ({marks}) AND public_target_id IS NOT NULL AND type IN ('repeals', 'amends')",
            ids + ids)}
        changed = 0
        for doc_id in sorted(touched):
            row = db.execute(f"SELECT d.*, {_DATE} AS date FROM documents d WHERE d.id = ?", (doc_id,)).fetchone()
            if row is None:
                continue
            status: dict[str, tuple[str, int, str, list]] = {}
            for audience in AUDIENCES:
                public = audience == "public"
                if public and row["disclosure"] != PUBLIC:
                    status[audience] = ("", 0, "", [])
                    continue
                if doc_id in groups[audience] or doc_id in ids:   # (a document of no title key is in no group)
                    group = groups[audience].get(doc_id, "")
                    peers = members[audience].get(group, [])
                else:   # its title was not looked at: its group stands
                    group = row[COLUMNS[audience][0]]
                    peers = _members(db, group, public)
                status[audience] = _derive(db, row, group, peers, public)
            new = {**{c: v for a in AUDIENCES for c, v in zip(COLUMNS[a], status[a][:3])},
                   "validity_evidence": json.dumps({a: status[a][3] for a in AUDIENCES}, ensure_ascii=False),
                   "status_version": STATUS_VERSION}
            if any(row[c] != v for c, v in new.items()):
                db.execute(f"UPDATE documents SET {', '.join(f'{c} = ?' for c in new)} WHERE id = ?",
                           (*new.values(), doc_id))
                if doc_id != skip:
                    self._record_change(db, doc_id)  # type: ignore[attr-defined]  # ChangesMixin's
                changed += 1
        return changed

    def compute_status(self, every: bool = False) -> int:
        """Derive versions and validity of the documents derived by an older derivation (or of `every` one),
        reading their texts for a 有效期; returns how many documents changed. (Also brings derived 失效 up to
        date: documents whose 有效期 has passed since.)"""
        db = self._db()
        where = "" if every else (f"status_version < {STATUS_VERSION} OR (valid_until != '' AND valid_until < ?"
                                  " AND derived_validity NOT IN ('已废止', '失效'))")
        args = () if every else (datetime.date.today().isoformat(),)
        ids = [r[0] for r in db.execute(f"SELECT id FROM documents{' WHERE ' + where if where else ''}"
                                        " ORDER BY rowid", args)]
        changed = 0
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            with self.tx() as tx:
                for doc_id in chunk:
                    text = "\n".join(r[0] for r in tx.execute(
                        "SELECT text FROM pages WHERE doc_id = ? ORDER BY page_no", (doc_id,)))
                    tx.execute("UPDATE documents SET valid_until = ? WHERE id = ?", (valid_until(text), doc_id))
                changed += self._update_status(tx, chunk)
        return changed

    def version_counts(self, groups: list[str], visibility: tuple[str, ...]) -> dict[str, int]:
        """group -> how many earlier versions of it the caller may see (documents of `visibility`)."""
        public = set(visibility) <= {PUBLIC}
        col, flag = ("public_version_group", "public_latest") if public else ("version_group", "latest")
        groups = [g for g in dict.fromkeys(groups) if g]
        if not groups:
            return {}
        gm, vm = ", ".join("?" * len(groups)), ", ".join("?" * len(visibility))
        return {r[0]: r[1] for r in self._db().execute(
            f"SELECT {col}, count(*) FROM documents WHERE {col} IN ({gm}) AND {flag} = 0 AND disclosure IN ({vm})"
            f" GROUP BY {col}", (*groups, *visibility))}

    def status(self, doc_id: str, visibility: tuple[str, ...]) -> dict:
        """The document's validity as the caller may know it — value, source (staff | document | derived),
        evidence — and its versions (`versions`: the group's documents they may see, newest first, with
        `latest`) and the documents that amended it (`amendments`), for 修订沿革."""
        db = self._db()
        row = db.execute(f"SELECT d.*, {_DATE} AS date FROM documents d WHERE d.id = ?", (doc_id,)).fetchone()
        if row is None:
            return {}
        public = set(visibility) <= {PUBLIC}
        audience = "public" if public else "staff"
        group, flag, derived = (row[c] for c in COLUMNS[audience])
        extra = json.loads(row["extra"] or "{}")
        set_value = extra.get("validity") or ""
        source = ("staff" if (extra.get("sources") or {}).get("validity", "staff") == "staff" else "document") \
            if set_value else "derived"
        evidence = json.loads(row["validity_evidence"] or "{}").get(audience, [])
        vm = ", ".join("?" * len(visibility))
        versions = [dict(r) for r in db.execute(
            f"SELECT d.id, d.title, {_DATE} AS date, d.{COLUMNS[audience][1]} AS latest FROM documents d"
            f" WHERE d.{COLUMNS[audience][0]} = ? AND d.disclosure IN ({vm}) ORDER BY date DESC, d.id",
            (group, *visibility))] if group else []
        target = "public_target_id" if public else "target_id"
        amendments = [dict(r) for r in db.execute(
            f"SELECT DISTINCT r.doc_id AS id, d.title, {_DATE} AS date, r.type FROM doc_references r"
            f" JOIN documents d ON d.id = r.doc_id WHERE r.{target} = ? AND r.doc_id != ?"
            f" AND r.type IN ('amends', 'repeals') AND d.disclosure IN ({vm}) ORDER BY date DESC",
            (doc_id, doc_id, *visibility))]
        history = [dict(r) for r in db.execute(
            "SELECT target_text AS text, target_date AS date, sentence FROM doc_references"
            " WHERE doc_id = ? AND type = 'amended_by' ORDER BY target_date DESC, id", (doc_id,))]
        return {"value": set_value or derived, "source": source, "derived": derived,
                "evidence": [] if set_value else evidence, "group": group, "latest": bool(flag),
                "versions": versions, "amendments": amendments, "history": history}


def _members(db: sqlite3.Connection, group: str, public: bool) -> list[sqlite3.Row]:
    """The documents of a version group as stored (of the public's group, public ones only)."""
    col = "public_version_group" if public else "version_group"
    vis = " AND d.disclosure = '主动公开'" if public else ""
    return db.execute(f"SELECT d.id, d.title, {_DATE} AS date FROM documents d WHERE d.{col} = ?{vis}",
                      (group,)).fetchall() if group else []


def _derive(db: sqlite3.Connection, doc: sqlite3.Row, group: str, peers: list[sqlite3.Row],
            public: bool) -> tuple[str, int, str, list]:
    """(group, latest, validity, evidence) of a document as staff (or, if `public`, the public) may know it."""
    vis = " AND d.disclosure = '主动公开'" if public else ""
    members = [m for m in peers if m["id"] != doc["id"]] + [doc]
    newest = _newest(members)
    latest = int(not group or doc["date"] == newest)
    evidence: list[dict] = []
    target = "public_target_id" if public else "target_id"
    acts = db.execute(
        f"SELECT r.doc_id, r.type, r.sentence, r.cited_article, d.title, {_DATE} AS date FROM doc_references r"
        f" JOIN documents d ON d.id = r.doc_id WHERE r.{target} = ? AND r.doc_id != ?"
        f" AND r.type IN ('repeals', 'amends'){vis} ORDER BY date, r.id", (doc["id"], doc["id"])).fetchall()
    for a in acts:
        if a["type"] == "repeals" and not a["cited_article"]:
            evidence.append(_evidence("repealed", a, a["sentence"]))
    until = doc["valid_until"]
    if until and until < datetime.date.today().isoformat():
        evidence.append({"kind": "expired", "date": until, "document_id": None, "title": "", "sentence": ""})
    if not latest:
        newer = max((m for m in members if m["date"] == newest), key=lambda m: m["id"])
        evidence.append(_evidence("newer_version", newer, ""))
    for a in acts:   # an amending act (关于修改…的决定, …修正案) changing it, or repealing articles of it, dated after it
        if (a["type"] == "amends" or a["cited_article"]) and _AMENDING.search(a["title"] or "") \
                and doc["date"] and a["date"] > doc["date"]:
            evidence.append(_evidence("amended", a, a["sentence"]))
    kinds = [e["kind"] for e in evidence]
    if "repealed" in kinds:
        validity = "已废止"
    elif "expired" in kinds:
        validity = "失效"
    elif "newer_version" in kinds or "amended" in kinds:
        validity = "已修改"
    elif versioned(doc["title"]):
        validity = "现行有效"
        evidence.append({"kind": "in_force", "document_id": None, "title": "", "date": "", "sentence": ""})
    else:
        validity = ""
    return group, latest, validity, evidence


def _evidence(kind: str, r: sqlite3.Row, sentence: str) -> dict:
    return {"kind": kind, "document_id": r["doc_id"] if "doc_id" in r.keys() else r["id"], "title": r["title"],
            "date": r["date"], "sentence": sentence}
