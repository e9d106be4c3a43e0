"""The one record type that flows from an extractor through the pipeline into the archive."""
from __future__ import annotations

from dataclasses import dataclass, field

# Metadata keys every extractor and the metadata module agree on (all values are str).
METADATA_KEYS = (
    "title",           # 标题
    "doc_number",      # 发文字号, as written (e.g. 国办发〔2019〕6号)
    "agency",          # 发文机关
    "written_date",    # 成文日期, ISO YYYY-MM-DD
    "published_date",  # 发布日期, ISO YYYY-MM-DD
    "doc_type",        # 公文种类 (通知, 意见, 决定 ...)
    "index_number",    # 索引号, opaque
    "topic",           # 主题分类
)


@dataclass
class Extraction:
    """What an extractor reads out of one file: page texts, format metadata, warnings."""

    mime: str
    pages: list[str]
    metadata: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

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
