"""PDF extractor (pypdfium2): one text per page, ruled tables as rows; OCR for pages without a usable text layer.

`tables: bool` — PdfExtractor(tables=...), else settings.pdf_tables. On: ruled tables of pages with a usable text
layer are found by pdfplumber's table finder and written as one line per row, cells tab-separated, where they
stand (pdf_tables.py); a page whose tables cannot be read keeps its plain text, with a warning.

`ocr: bool` — PdfExtractor(ocr=...), else settings.ocr. On: pages with no text but images covering at least 5 % of
the page (scans; not a lone logo or stamp) and pages whose text layer is garbled (glyphs without a Unicode mapping)
— only those — are rendered (settings.ocr_max_side pixels on the longer side) and read with rapidocr: by the ingest
run's OCR service (ingest.ocr_service) in an extraction worker, else in this process (settings.ocr_threads,
ocr_mem_arena); a warning "OCR used on N pages" is added. If rapidocr cannot run, the pages keep their text with a
warning "OCR unavailable: …"; a page the OCR service failed on keeps its text, with a warning; after
settings.ocr_seconds of OCR in one file (the service's pages stop waiting then) the remaining pages are left unread,
with a warning. Off: such pages keep their empty or garbled text, with a warning.

Fonts that are not embedded: pdfium measures CJK ones with a box-glyph stand-in (pdf_fonts), so reading is as fast
and gives the same characters whatever fonts the machine has; pages rendered for OCR are drawn with system fonts.
"""
from __future__ import annotations

import re
import time
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from archive.settings import Settings

from ..errors import IngestError
from ..record import Extraction
from . import ocr as ocr_engine
from . import pdf_fonts, pdf_tables
from .base import DEFAULTS, Extractor

_MAGIC_WINDOW = 1024        # readers accept junk before %PDF- within the first KiB
_SAMPLE_CHARS = 64          # characters checked per page for a missing Unicode mapping
_GARBLED_SHARE = 0.1        # this share of unmapped characters makes a text layer garbled
_FEW_CHARS = 10             # fewer word characters than this on a page with images: try OCR
_SCAN_SHARE = 0.05          # ... if images cover at least this share of the page (a scan, not a logo or stamp)
_WS = re.compile(r"\s+")
_WORD = re.compile(r"\w")
_TRAILING = re.compile(r"[ \t]+$", re.M)
_SPACE = re.compile(r"\s")
_ODD = re.compile("[\x80-\x9f\ue000-\uf8ff\ufffd]")   # C1 controls, private use, replacement
_DROP = dict.fromkeys(map(ord, "\x00\x02\ufffe\uffff"))
_ENOUGH_WORDS = re.compile(rf"(?:\W*\w){{{_FEW_CHARS}}}")  # _FEW_CHARS word characters, found early


def _open_error(exc: pdfium.PdfiumError) -> IngestError:
    code = getattr(exc, "err_code", None)
    if code == pdfium_c.FPDF_ERR_PASSWORD:
        return IngestError("encrypted PDF")
    if code == pdfium_c.FPDF_ERR_SECURITY:
        return IngestError("encrypted PDF (unsupported security handler)")
    detail = str(exc).split("(PDFium: ", 1)[-1].rstrip(").") or type(exc).__name__
    return IngestError(f"corrupt PDF: {detail}")


def _clean(text: str) -> str:
    """pdfium page text with \\r\\n line ends, trailing spaces and marker characters normalised."""
    if any(chr(c) in text for c in _DROP):  # rare; translating every page costs more than looking
        text = text.translate(_DROP)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _TRAILING.sub("", text).strip("\n")


def _garbled(textpage, raw_text: str) -> bool:
    """Whether the text layer is garbage: glyphs without a Unicode mapping (sampled) or private/control codes."""
    count = pdfium_c.FPDFText_CountChars(textpage.raw)
    visible = len(raw_text) - len(_SPACE.findall(raw_text))
    if count <= 0 or visible <= 0:
        return False
    step = max(1, count // _SAMPLE_CHARS)
    indices = range(0, count, step)
    unmapped = sum(1 for i in indices if pdfium_c.FPDFText_HasUnicodeMapError(textpage.raw, i) == 1)
    odd = len(_ODD.findall(raw_text))
    return unmapped + odd >= 3 and unmapped / len(indices) + odd / visible >= _GARBLED_SHARE


def _scan_like(page) -> bool:
    """Whether images cover at least _SCAN_SHARE of the page (their boxes, clipped to it; nothing is drawn): a
    page worth rendering for OCR, unlike one with only a logo, a stamp or a rule."""
    left, bottom, right, top = page.get_bbox()
    enough, covered = _SCAN_SHARE * max((right - left) * (top - bottom), 1.0), 0.0
    for image in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=4):
        x0, y0, x1, y1 = image.get_bounds()
        covered += max(0.0, min(x1, right) - max(x0, left)) * max(0.0, min(y1, top) - max(y0, bottom))
        if covered >= enough:
            return True
    return False


def _numbers(pages: list[int]) -> str:
    more = " …" if len(pages) > 20 else ""
    return ", ".join(map(str, pages[:20])) + more


def _title(info: dict, first_page: str) -> str | None:
    """The document-info Title, only when page 1 shows it (it is often a template or file name)."""
    title = info.get("Title")
    if not isinstance(title, str):
        return None
    title = title.strip()
    return title if len(title) >= 4 and _WS.sub("", title) in _WS.sub("", first_page) else None


def _with_tables(page, textpage, raw_text: str, number: int, warnings: list[str]) -> str | None:
    """The page's text with its ruled tables as rows (pdf_tables.page_text); None without tables or when they
    cannot be read (recorded in `warnings`)."""
    try:
        laid = pdf_tables.page_text(page, textpage, raw_text)
    except MemoryError:
        raise
    except Exception as e:  # odd geometry must not cost the page its text
        warnings.append(f"page {number}: tables not read ({type(e).__name__})")
        return None
    return _clean(laid[0]) if laid else None


class _Ocr:
    """OCR for one document: whether it may run, where it ran, what it found, why it could not."""

    def __init__(self, enabled: bool, settings: Settings, path: Path):
        self.enabled, self.settings, self.path = enabled, settings, path
        self.used: list[int] = []
        self.empty: list[int] = []
        self.late: list[int] = []
        self.failed: list[str] = []
        self.unavailable = ""
        self.seconds = 0.0

    def read(self, number: int) -> str | None:
        """OCR text of page `number`, '' if it holds none; None when OCR is off, unavailable, out of time or failed."""
        if not self.enabled or self.unavailable:
            return None
        if self.seconds >= self.settings.ocr_budget_s:
            self.late.append(number)
            return None
        started = time.monotonic()
        try:
            if not ocr_engine.remote():  # (the OCR service says so itself)
                ocr_engine.engine(self.settings)
            text = self._recognize(number, self.settings.ocr_budget_s - self.seconds)
        except ocr_engine.OcrUnavailable as e:
            self.unavailable = str(e)
            return None
        except TimeoutError:   # only the OCR service can stop a page on time
            self.late.append(number)
            return None
        except MemoryError:
            raise
        except Exception as e:  # the OCR service stopped (the ServiceError says how), the inference engine failed ...
            detail = str(e) if isinstance(e, ocr_engine.ServiceError) else type(e).__name__
            self.used.append(number)
            self.failed.append(f"page {number}: OCR failed ({detail})")
            return None
        finally:
            self.seconds += time.monotonic() - started
        self.used.append(number)
        if not text:
            self.empty.append(number)
        return text

    def _recognize(self, number: int, timeout: float) -> str:
        """OCR text of page `number` (ocr.recognize, within `timeout` s), rendered with system fonts for
        non-embedded fonts (a second, brief opening of the file: pdfium picks a page's fonts when it loads)."""
        with pdf_fonts.real_fonts():
            pdf = pdfium.PdfDocument(self.path)
            try:
                page = pdf[number - 1]
                try:
                    bitmap = page.render(scale=ocr_engine.scale_for(*page.get_size(), self.settings.ocr_max_side))
                    try:
                        return ocr_engine.recognize(bitmap.to_pil(), self.settings, timeout)
                    finally:
                        bitmap.close()
                finally:
                    page.close()
            finally:
                pdf.close()

    def warnings(self) -> list[str]:
        out = [f"OCR unavailable: {self.unavailable}"] if self.unavailable else []
        if self.used:
            out.append(f"OCR used on {len(self.used)} pages")
        if self.empty:
            out.append(f"OCR found no text on pages {_numbers(self.empty)}")
        if self.late:
            out.append(f"OCR time limit ({self.settings.ocr_budget_s:g} s) reached: pages {_numbers(self.late)} not read")
        return out + self.failed


class PdfExtractor(Extractor):
    """PDF text layer per page via pypdfium2, OCR where it is missing or garbled (see the module doc)."""

    name = "pdf"
    extensions = (".pdf",)
    magic = (b"%PDF-",)
    mime = "application/pdf"

    def __init__(self, ocr: bool | None = None, tables: bool | None = None):
        self.ocr, self.tables = ocr, tables

    def match(self, path: Path, head: bytes) -> int:
        if b"%PDF-" in head[:_MAGIC_WINDOW]:
            return 2
        return 1 if path.suffix.lower() in self.extensions else 0

    def extract(self, path: Path, settings: Settings = DEFAULTS) -> Extraction:
        enabled = settings.ocr if self.ocr is None else self.ocr
        try:
            with open(path, "rb"):
                pass
            pdf = pdfium.PdfDocument(path)
        except OSError as e:
            raise IngestError(f"cannot read file: {e.strerror or e}", stage="read") from e
        except pdfium.PdfiumError as e:
            raise _open_error(e) from e
        try:
            try:
                info = pdf.get_metadata_dict(skip_empty=True)
            except (UnicodeDecodeError, pdfium.PdfiumError):  # damaged info dictionary: text still counts
                info = {}
            tables = settings.pdf_tables if self.tables is None else self.tables
            with pdf_fonts.boxes():
                pages, warnings, garbled, reader = self._pages(pdf, _Ocr(enabled, settings, path), tables)
        finally:
            pdf.close()
        if not pages:
            raise IngestError("corrupt PDF: no pages")
        warnings += reader.warnings()
        if garbled:
            warnings.append(f"unmapped glyphs (cid:N) on {len(garbled)} pages: text layer may be garbled")
        empty = [n for n, text in enumerate(pages, 1) if not text.strip()]
        if len(empty) == len(pages):
            warnings.insert(0, "no text layer (scanned?)")
        elif empty:
            warnings.insert(0, f"no text on pages {_numbers(empty)}")
        title = _title(info, pages[0])
        return Extraction(mime=self.mime, pages=pages, metadata={"title": title} if title else {},
                          warnings=warnings)

    def _pages(self, pdf, reader: _Ocr, tables: bool) -> tuple[list[str], list[str], list[int], _Ocr]:
        """(page texts, warnings, numbers of pages left garbled, the OCR record); each page closed after use."""
        pages: list[str] = []
        warnings: list[str] = []
        garbled: list[int] = []
        for number in range(1, len(pdf) + 1):
            try:
                page = pdf[number - 1]
            except pdfium.PdfiumError as e:
                pages.append("")
                warnings.append(f"page {number}: unreadable ({e})")
                continue
            try:
                textpage = page.get_textpage()
                try:
                    raw_text = textpage.get_text_range()
                    text, bad = _clean(raw_text), _garbled(textpage, raw_text)
                    if tables and not bad:
                        text = _with_tables(page, textpage, raw_text, number, warnings) or text
                finally:
                    textpage.close()
                if bad or (not _ENOUGH_WORDS.match(text) and _scan_like(page)):
                    read = reader.read(number)
                    if read and (bad or len(_WORD.findall(read)) > len(_WORD.findall(text))):
                        text, bad = read, False
                if bad:
                    garbled.append(number)
                pages.append(text)
            except MemoryError:
                raise
            except Exception as e:  # one broken content stream must not lose the other pages
                pages.append("")
                warnings.append(f"page {number}: unreadable ({type(e).__name__})")
            finally:
                page.close()
        return pages, warnings, garbled, reader
