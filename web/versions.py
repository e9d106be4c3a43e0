"""A document's validity (有效性) with its evidence and its 修订沿革 (versions and amending documents), as the
document page and the API show them to the caller (archive.status: derived from what they may see)."""
from __future__ import annotations

from flask import url_for

from .auth import visibility
from .params import archive

SOURCES = {"staff": "人工标注", "document": "文件标注", "derived": "系统推断"}
EVIDENCE = {"repealed": "被以下文件废止", "newer_version": "已有更新的版本", "amended": "被以下文件修改",
            "expired": "有效期已届满", "in_force": "本库中未见废止、修改或失效的记录"}
EVENTS = {"version": "版本", "amends": "修改本文", "repeals": "废止本文", "history": "修订记录"}


def status(doc: dict) -> dict:
    """The caller's view of the document's validity and versions (archive.catalog.versions.status)."""
    return archive().status(doc["id"], visibility()) or {
        "value": "", "source": "derived", "evidence": [], "versions": [], "amendments": [], "history": []}


def timeline(doc: dict, st: dict) -> list[dict]:
    """修订沿革, newest first: the versions of the document (`current` marks this one, `latest` the newest), the
    documents that amended or repealed it, and the amendments its own text records (题注)."""
    events = [{"date": v["date"], "kind": "version", "document_id": v["id"], "title": v["title"],
               "current": v["id"] == doc["id"], "latest": bool(v["latest"]), "text": ""} for v in st["versions"]]
    events += [{"date": a["date"], "kind": a["type"], "document_id": a["id"], "title": a["title"], "current": False,
                "latest": False, "text": ""} for a in st["amendments"]]
    events += [{"date": h["date"], "kind": "history", "document_id": None, "title": "", "current": False,
                "latest": False, "text": h["sentence"] or h["text"]} for h in st["history"]]
    return sorted(events, key=lambda e: e["date"] or "", reverse=True) if len(events) > 1 or st["versions"] else events


def as_json(doc: dict) -> dict:
    """The API's `validity_detail`: value, source (staff | document | derived), evidence, and the 修订沿革."""
    st = status(doc)
    return {"value": st["value"], "source": st["source"],
            "evidence": [{**e, "url": url_for("public.document", doc_id=e["document_id"]) if e["document_id"] else None}
                         for e in st["evidence"]],
            "versions": [{"id": v["id"], "title": v["title"], "date": v["date"], "latest": bool(v["latest"]),
                          "url": url_for("public.document", doc_id=v["id"])} for v in st["versions"]]}
