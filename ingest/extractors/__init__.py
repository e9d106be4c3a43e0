"""The extractor registry: one explicit list; the highest match for a file wins."""
from __future__ import annotations

from pathlib import Path

from ..errors import IngestError
from .base import Extractor
from .doc import LegacyWordExtractor
from .docx import DocxExtractor
from .html import HtmlExtractor
from .ofd import OfdExtractor
from .pdf import PdfExtractor
from .text import TextExtractor
from .xlsx import XlsxExtractor

REGISTRY: list[Extractor] = [PdfExtractor(), HtmlExtractor(), TextExtractor(), OfdExtractor(), DocxExtractor(),
                             XlsxExtractor(), LegacyWordExtractor()]


def choose(path: Path, head: bytes) -> Extractor:
    """The registered extractor that fits best; IngestError(stage='detect') if none does."""
    best, score = None, 0
    for extractor in REGISTRY:
        s = extractor.match(path, head)
        if s > score:
            best, score = extractor, s
    if best is None:
        raise IngestError(f"unsupported file type ({path.suffix or 'no extension'})", stage="detect")
    return best
