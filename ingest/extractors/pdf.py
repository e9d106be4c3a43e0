"""PDF extractor (pdfplumber): one text per page; encrypted and corrupt files fail with a clear reason."""
from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException

from ..errors import IngestError
from ..record import Extraction
from .base import Extractor

_MAGIC_WINDOW = 1024  # readers accept junk before %PDF- within the first KiB
_CID = re.compile(r"\(cid:\d+\)")
_WS = re.compile(r"\s+")


def _open_error(exc: BaseException) -> IngestError:
    inner = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc
    if isinstance(inner, (PDFPasswordIncorrect, PDFEncryptionError)):
        return IngestError("encrypted PDF")
    detail = str(inner) or type(inner).__name__
    return IngestError(f"corrupt PDF: {detail}")


def _title(info: dict, first_page: str) -> str | None:
    """The document-info Title, only when page 1 shows it (it is often a template or file name)."""
    title = info.get("Title")
    if not isinstance(title, str):
        return None
    title = title.strip()
    return title if len(title) >= 4 and _WS.sub("", title) in _WS.sub("", first_page) else None


class PdfExtractor(Extractor):
    """PDF text layer per page via pdfplumber; pages without text are '' and reported in warnings."""

    name = "pdf"
    extensions = (".pdf",)
    magic = (b"%PDF-",)
    mime = "application/pdf"

    def match(self, path: Path, head: bytes) -> int:
        if b"%PDF-" in head[:_MAGIC_WINDOW]:
            return 2
        return 1 if path.suffix.lower() in self.extensions else 0

    def extract(self, path: Path) -> Extraction:
        pages: list[str] = []
        warnings: list[str] = []
        try:
            with pdfplumber.open(path) as pdf:
                info = pdf.metadata
                for number, page in enumerate(pdf.pages, 1):
                    try:
                        pages.append(page.extract_text() or "")
                    except MemoryError:
                        raise
                    except Exception as e:  # one broken content stream must not lose the other pages
                        pages.append("")
                        warnings.append(f"page {number}: unreadable ({type(e).__name__})")
                    finally:
                        page.close()
        except OSError as e:
            raise IngestError(f"cannot read file: {e.strerror}", stage="read") from e
        except MemoryError:
            raise
        except Exception as e:  # pdfminer raises assorted errors on damaged files, pdfplumber wraps some
            raise _open_error(e) from e
        if not pages:
            raise IngestError("corrupt PDF: no pages")
        empty = [str(n) for n, text in enumerate(pages, 1) if not text.strip()]
        if len(empty) == len(pages):
            warnings.append("no text layer (scanned?)")
        elif empty:
            more = " …" if len(empty) > 20 else ""
            warnings.append(f"no text on pages {', '.join(empty[:20])}{more}")
        garbled = sum(1 for text in pages if len(_CID.findall(text)) > 10)
        if garbled:
            warnings.append(f"unmapped glyphs (cid:N) on {garbled} pages: text layer may be garbled")
        title = _title(info, pages[0])
        return Extraction(mime=self.mime, pages=pages, metadata={"title": title} if title else {},
                          warnings=warnings)
