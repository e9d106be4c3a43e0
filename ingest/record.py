"""The one record type that flows from an extractor through the pipeline into the archive.

Metadata keys are the catalog columns of analyzers.fields (all values str; dates ISO YYYY-MM-DD)."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Extraction:
    """What an extractor reads out of one file: page texts, format metadata, warnings."""

    mime: str
    pages: list[str]
    metadata: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)   # field -> where its value came from (ingest.metadata)

    @property
    def text(self) -> str:
        """All page texts joined by blank lines."""
        return "\n\n".join(self.pages)


@dataclass
class ExtractedDocument:
    """One ingested file: its identity, provenance, extracted text and metadata."""

    sha256: str
    size: int
    filename: str
    source: str
    extractor: str
    extraction: Extraction

    @property
    def metadata(self) -> dict[str, str]:
        return self.extraction.metadata
