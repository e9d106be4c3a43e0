"""The backend interface and the analysed document every backend indexes."""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Iterable, Protocol

from analyzers.docnumber import match_key, parse_doc_number
from analyzers.normalize import normalize
from analyzers.segment import bigram_text, sequence, word_text

class BackendUnavailable(RuntimeError):
    """The search engine cannot be reached; the message names where it was looked for."""


# Facets every backend counts: name -> index field.
FACETS = ("agency", "doc_type", "year", "topic")
STAFF_FACETS = FACETS + ("disclosure",)  # 公开属性 only means something to staff


@dataclass
class IndexDoc:
    """A document as the index sees it: analysed text as space-joined tokens, plus keywords."""

    id: str
    title_words: str
    title_bigrams: str
    body_words: str
    body_bigrams: str
    doc_number: str    # match key of the normalized 文号 (analyzers.docnumber), '' if none
    agency: str
    doc_type: str
    topic: str         # 主题分类, its top level (before any backslash)
    year: int          # 0 when unknown
    date: int          # yyyymmdd of 成文日期 (else 发布日期), 0 when unknown
    disclosure: str

    @classmethod
    def from_catalog(cls, doc: dict) -> "IndexDoc":
        """Analyse a catalog document (with `pages`) the one way all backends share."""
        title = normalize(doc["title"])
        body = normalize("\n".join(doc["pages"]))
        ymd = _ymd(doc["written_date"]) or _ymd(doc["published_date"])
        return cls(
            id=doc["id"],
            title_words=word_text(title),
            title_bigrams=bigram_text(sequence(title)),
            body_words=word_text(body),
            body_bigrams=bigram_text(sequence(body)),
            doc_number=_doc_number_key(doc["doc_number"]),
            agency=doc["agency"],
            doc_type=doc["doc_type"],
            topic=doc["topic"].split("\\")[0].strip(),
            year=ymd // 10000,
            date=ymd,
            disclosure=doc["disclosure"],
        )


def _ymd(iso: str) -> int:
    """yyyymmdd of a valid ISO date, else 0 (a 2月30日 must not reach an engine as a date)."""
    try:
        return int(datetime.date.fromisoformat(iso).strftime("%Y%m%d")) if len(iso) == 10 else 0
    except ValueError:
        return 0


def _doc_number_key(written: str) -> str:
    parsed = parse_doc_number(written) if written else None
    return match_key(parsed["normalized"]) if parsed else ""


@dataclass
class SearchRequest:
    """What to search: a parsed query tree, filters, the visibility allowed, sort and page."""

    query: object                       # analyzers.query tree
    visibility: tuple[str, ...]         # disclosure values the caller may see; required
    filters: dict[str, list] = field(default_factory=dict)   # facet -> accepted values (OR)
    sort: str = "relevance"             # relevance | date
    offset: int = 0
    limit: int = 20
    facet_size: int = 20
    facets: tuple[str, ...] = FACETS    # which facets to count


@dataclass
class BackendResult:
    total: int
    hits: list[tuple[str, float]]               # (doc id, score) in rank order
    facets: dict[str, list[tuple[object, int]]]  # facet -> [(value, count)] by count desc


class SearchBackend(Protocol):
    """add/delete/commit/search over IndexDocs; rebuild swaps in a fresh index atomically."""

    def add(self, docs: Iterable[IndexDoc]) -> list[tuple[str, str]]: ...
    def delete(self, ids: Iterable[str]) -> None: ...
    def commit(self) -> None: ...
    def search(self, request: SearchRequest) -> BackendResult: ...
    def rebuild(self, docs: Iterable[IndexDoc]) -> list[tuple[str, str]]: ...
    def count(self) -> int: ...
    def similar_words(self, word: str, visibility: tuple[str, ...]) -> list[tuple[str, int]]: ...
    def close(self) -> None: ...
