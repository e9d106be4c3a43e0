"""The index interface, the analysed document every backend indexes, and what a search asks for.

An archive has two indexes of the same kind, each document in one: `public` holds the 主动公开
ones, `restricted` every other one, so that anonymous searches are scored, ordered and counted over exactly what the
public may see. Each index records the last change of the catalog's outbox it has applied
(IndexState.applied) and whether deleted documents may still count in its statistics (purge).
"""
from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from analyzers import titles
from analyzers.docnumber import match_key, parse_doc_number
from analyzers.fields import AUDIENCE_KEYWORDS, KEYWORD_FACETS, PUBLIC, PUBLIC_FACETS, facet_values
from analyzers.fields import FACETS as FACET_FIELDS
from analyzers.normalize import normalize
from analyzers.query import Node
from analyzers.segment import bigram_text, sequence, unbroken, word_text


class BackendUnavailable(RuntimeError):
    """The search engine cannot be reached; the message names where it was looked for."""


FACETS = PUBLIC_FACETS                  # counted for everybody (each is also an index field)
INDEXES = ("public", "restricted")   # each document is in the index of its visibility
# Ranking boosts, the same in every backend: a title match, an exact 文号, the words side by side as typed.
TITLE_BOOST = 3.0
DOC_NUMBER_BOOST = 20.0
PREFER_BOOST = 10.0
# Tiers, fixed scores added above any text score: a title that names what the query names (national ones
# first), then a title holding every word of the query (what a document is about, not what it mentions).
NAMED_BOOST = 100_000.0
NATIONAL_BOOST = 50_000.0
SUBJECT_BOOST = 10_000.0
NATIONAL = "国家"      # the level (analyzers.agencies.LEVELS) of national documents
SCHEMA_VERSION = 3     # indexes built with another one are rebuilt (archive.sync.catch_up); 2: title_key, unbroken words;
#                        3: validity, version groups (per audience)
# Keyword fields besides visibility: the keyword facets, and the per-audience ones again for the public.
KEYWORDS = tuple(dict.fromkeys([*(f for f in KEYWORD_FACETS if f != "disclosure"), *AUDIENCE_KEYWORDS,
                                *(f"public_{k}" for k in AUDIENCE_KEYWORDS)]))
STATUS_FIELDS = frozenset(KEYWORDS) - set(KEYWORD_FACETS) | set(AUDIENCE_KEYWORDS)


@dataclass
class IndexDoc:
    """A document as the index sees it: analysed text as space-joined tokens, plus keywords."""

    id: str
    title_words: str
    title_bigrams: str
    body_words: str
    body_bigrams: str
    doc_number: str    # match key of the normalized 文号 (analyzers.docnumber), '' if none
    title_key: list[str]  # the name the title gives the document (analyzers.titles.key), and NATIONAL + it
    #                       for a national one (its title or its level says so); [] if none
    keywords: dict[str, list[str]]   # keyword facet -> values (analyzers.fields.FACETS; 主题分类 its top level), and
    #                                  the per-audience validity and version keywords (status_keywords)
    year: int          # 0 when unknown
    date: int          # yyyymmdd of 成文日期 (else 发布日期), 0 when unknown
    disclosure: str
    version: int = 0   # the catalog change this state of the document comes from

    @classmethod
    def from_catalog(cls, doc: dict) -> IndexDoc:
        """Analyse a catalog document (with `pages`) the one way all backends share."""
        title = normalize(doc["title"])
        body = normalize("\n".join(doc["pages"]))
        ymd = _ymd(doc["written_date"]) or _ymd(doc["published_date"])
        return cls(
            id=doc["id"],
            title_words=word_text(unbroken(title)),
            title_bigrams=bigram_text(sequence(title)),
            body_words=word_text(unbroken(body)),
            body_bigrams=bigram_text(sequence(body)),
            doc_number=_doc_number_key(doc["doc_number"]),
            title_key=_title_key(doc),
            keywords={**{f.name: facet_values(f, doc) for f in FACET_FIELDS if f.name in KEYWORDS and not f.audience},
                      **status_keywords(doc)},
            year=ymd // 10000,
            date=ymd,
            disclosure=doc["disclosure"],
            version=doc.get("version", 0),
        )

    def with_status(self, row: dict) -> IndexDoc:
        """This analysed document with the validity and version keywords the catalog row holds now (an ingest
        worker analyses a document before the catalog derives them)."""
        return replace(self, keywords={**{k: v for k, v in self.keywords.items() if k not in STATUS_FIELDS},
                                       **status_keywords(row)})


def status_keywords(doc: dict) -> dict[str, list[str]]:
    """The validity and version keywords of a catalog row (archive.catalog.versions): for staff, and for the
    public on a 主动公开 document only. A validity set on the document (its `extra`) wins over the derived one."""
    extra = doc.get("extra") or {}
    extra = json.loads(extra) if isinstance(extra, str) else extra
    given = extra.get("validity") or ""
    out = {}
    for prefix in ("", "public_") if doc.get("disclosure") == PUBLIC else ("",):
        validity = given or doc.get(f"{prefix}derived_validity") or ""
        group = doc.get(f"{prefix}version_group") or ""
        out.update({f"{prefix}validity": [validity] if validity else [],
                    f"{prefix}version_group": [group] if group else [],
                    f"{prefix}latest": ["1" if doc.get(f"{prefix}latest", 1) else "0"]})
    return out


def _ymd(iso: str) -> int:
    """yyyymmdd of a valid ISO date, else 0 (a 2月30日 must not reach an engine as a date)."""
    try:
        return int(datetime.date.fromisoformat(iso).strftime("%Y%m%d")) if len(iso) == 10 else 0
    except ValueError:
        return 0


def _title_key(doc: dict) -> list[str]:
    name = titles.key(doc["title"])
    if not name:
        return []
    return [name, NATIONAL + name] if titles.national(doc["title"]) or doc.get("level") == NATIONAL else [name]


def _doc_number_key(written: str) -> str:
    parsed = parse_doc_number(written) if written else None
    return match_key(parsed["normalized"]) if parsed else ""


@dataclass
class IndexState:
    """What an index holds: built or not, every change up to `applied` applied, statistics to purge."""

    built: bool = False
    applied: int = 0
    purge: bool = False      # deleted documents may still count in term statistics


@dataclass
class SearchRequest:
    """What to search: a parsed query tree, filters, the visibility allowed, sort and page.

    `guard`, on public searches: given the index's applied change, the documents a later change took out
    of public sight. They are excluded, and while there are any (or the index has statistics to purge)
    hits are ordered by date with no scores, so that nothing computed from them reaches the answer.
    """

    query: Node                         # analyzers.query tree
    visibility: tuple[str, ...]         # disclosure values the caller may see; required
    filters: dict[str, list] = field(default_factory=dict)   # facet -> accepted values (OR)
    sort: str = "relevance"             # relevance | date
    offset: int = 0
    limit: int = 20
    facet_size: int = 20
    facets: tuple[str, ...] = FACETS    # which facets to count
    guard: Callable[[int], list[str]] | None = None
    budget_s: float = 5.0               # a search not done by then is answered as timed out
    exact_total_limit: int | None = None  # totals above this may be estimated (BackendResult.total_exact);
    #                                       None: count exactly


@dataclass
class BackendResult:
    total: int
    hits: list[tuple[str, float]]               # (doc id, score) in rank order; ordered by date: (id, yyyymmdd)
    facets: dict[str, list[tuple[object, int]]]  # facet -> [(value, count)] by count desc
    degraded: bool = False                      # ranked by date without statistics (see SearchRequest.guard)
    timed_out: bool = False                     # over its time budget: hits and counts may be incomplete
    total_exact: bool = True                    # False: `total` and the facet counts are estimates, or (when
    #                                             total_bound) `total` is a lower bound and the facets exact
    total_bound: bool = False


class Searchable(Protocol):
    """What a search needs of an index (one index, or the staff's two as one: index.merged)."""

    def search(self, request: SearchRequest) -> BackendResult: ...
    def similar_words(self, word: str, visibility: tuple[str, ...],
                      exclude: Sequence[str] = ()) -> list[tuple[str, int]]: ...
    def count(self) -> int: ...
    def contents(self) -> dict[str, tuple[int, str]]: ...
    def present(self, ids: list[str]) -> set[str]: ...


class Target(Protocol):
    """Something documents are written to: a live index or a generation being built for a rebuild."""

    def write(self, upserts: list[IndexDoc], deletes: list[str], *, applied: int,
              purge: bool = False) -> list[tuple[str, str]]:
        """Delete ids, upsert documents, make it searchable, then record `applied` (and, before the
        commit, `purge`, which stays set until a purge); returns (id, error) per upserted document."""
        ...

    def present(self, ids: list[str]) -> set[str]:
        """Which of `ids` it holds."""
        ...


class Bulk(Protocol):
    """Fills a new generation: add() documents, then close(applied) -> (id, error) per document."""

    def add(self, doc: IndexDoc) -> None: ...
    def close(self, applied: int) -> list[tuple[str, str]]: ...


class Generation(Target, Protocol):
    """A new generation of an index, built for a rebuild and switched in by SearchIndex.publish()."""

    def open_bulk(self) -> Bulk: ...


class SearchIndex(Target, Protocol):
    """One index (`name`: public or restricted) of one backend."""

    name: str

    def state(self) -> IndexState: ...
    def new_generation(self) -> Generation: ...
    def publish(self, generation: Any) -> None: ...  # (a Generation of the same backend)
    def search(self, request: SearchRequest) -> BackendResult: ...
    def similar_words(self, word: str, visibility: tuple[str, ...],
                      exclude: Sequence[str] = ()) -> list[tuple[str, int]]: ...
    def contents(self) -> dict[str, tuple[int, str]]: ...
    def count(self) -> int: ...
    def close(self) -> None: ...
    def drop(self) -> None: ...
