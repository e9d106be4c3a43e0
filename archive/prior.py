"""Prior decisions of a document, for staff: the chain of documents it cites (and what those cite), the
documents citing it, and earlier documents of the same agency on the same matter — each newest first."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from analyzers import titles
from analyzers.fields import FACETS, facet_values
from analyzers.query import run_words

from .search import Search

if TYPE_CHECKING:
    from . import Archive

FOLLOWED = ("cites", "implements", "amends", "interprets", "repeals")   # relations a chain goes on through
MAX_DEPTH = 3        # links followed from the document
MAX_LINKED = 60      # documents in a chain, at most
EARLIER = 15         # earlier documents of the same agency shown
CANDIDATES = 50      # searched for them, most relevant first
BY_FACET = {f.name: f for f in FACETS}


@dataclass
class Linked:
    """A document reached from the one asked about: through `via` (the title of the one naming it, or of the
    one it names) by a relation `type`, `depth` links away."""

    id: str
    title: str
    date: str
    doc_number: str
    agency: str
    type: str
    depth: int
    via: str = ""


@dataclass
class Prior:
    cites: list[Linked] = field(default_factory=list)      # what it cites, and what those cite, newest first
    cited_by: list[Linked] = field(default_factory=list)   # what cites it, newest first (at most MAX_LINKED)
    citing: int = 0                                        # how many documents cite it in all
    earlier: list[dict] = field(default_factory=list)      # the same agency's earlier documents on the matter
    matter: str = ""                                       # the words they were searched by


def prior_decisions(archive: Archive, doc_id: str, visibility: tuple[str, ...]) -> Prior | None:
    """The prior decisions of `doc_id` as a caller who may see `visibility` may see them; None if they may
    not see the document."""
    doc = archive.catalog.document(doc_id)
    if doc is None or doc["disclosure"] not in visibility:
        return None
    out = Prior()
    out.cites = _chain(archive, doc, visibility, "cites")
    out.cited_by = _chain(archive, doc, visibility, "cited_by", depth=1)
    out.citing = archive.catalog.relations(doc_id, visibility)["citing"]
    out.earlier, out.matter = _earlier(archive, doc, visibility)
    return out


def _date(doc: dict) -> str:
    return doc.get("written_date") or doc.get("published_date") or doc.get("date") or ""


def _chain(archive: Archive, doc: dict, visibility: tuple[str, ...], side: str, depth: int = MAX_DEPTH) -> list[Linked]:
    """Documents `side` of `doc` (what it cites or what cites it), followed breadth first up to `depth` links
    through FOLLOWED relations; each document once, at its shortest distance."""
    seen, frontier = {doc["id"]}, [(doc["id"], doc["title"])]
    found: list[Linked] = []
    for level in range(1, depth + 1):
        ids: list[tuple[str, str, str]] = []
        for current, title in frontier:
            rel = archive.catalog.relations(current, visibility)
            for r in rel[side]:
                target = r["document_id"]
                if target and target not in seen and r["type"] in FOLLOWED:
                    seen.add(target)
                    ids.append((target, r["type"], title))
        docs = archive.catalog.documents([i for i, _, _ in ids])
        frontier = []
        for target, kind, via in ids:
            d = docs.get(target)
            if d is None or d["disclosure"] not in visibility or len(found) >= MAX_LINKED:
                continue
            found.append(Linked(target, d["title"], _date(d), d["doc_number"] or "", d["agency"] or "", kind,
                                level, via if level > 1 else ""))
            frontier.append((target, d["title"]))
        if not frontier:
            break
    return sorted(found, key=lambda x: (x.date, x.id), reverse=True)


def _earlier(archive: Archive, doc: dict, visibility: tuple[str, ...]) -> tuple[list[dict], str]:
    """The agency's documents before this one on the same matter: those whose title holds a word of what its
    title names (analyzers.titles.key, generic words left out), the most relevant first, then dated before it,
    newest first."""
    name = titles.key(doc["title"] or "")
    words = [w for w in run_words(name) or ([name] if name else []) if w not in titles.GENERIC]
    issuers = facet_values(BY_FACET["agency"], doc)
    if not words or not issuers:
        return [], " ".join(words)
    found = archive.search(Search(q=" OR ".join(words), filters={"agency": issuers}, limit=CANDIDATES), visibility)
    before = _date(doc)
    hits = [h for h in found["hits"] if h["id"] != doc["id"] and any(w in h["title"] for w in words)  # its matter
            and (not before or (_date(h) and _date(h) < before))]
    return sorted(hits, key=lambda h: (_date(h), h["id"]), reverse=True)[:EARLIER], " ".join(words)
