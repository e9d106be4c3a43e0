"""XLSX extractor (openpyxl, read-only): one page per sheet, a row per line, cells tab-separated."""
from __future__ import annotations

import datetime
import re
from pathlib import Path

from archive.settings import Settings

from ..errors import IngestError
from ..record import Extraction
from .base import DEFAULTS, Extractor
from .zipsafe import looks_like, open_zip

KIND = "XLSX"
_CELL_WS = re.compile(r"\s+")


def _cell(value) -> str:
    """A cell value as text: whole floats without '.0', dates as ISO, whitespace inside collapsed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return _CELL_WS.sub(" ", str(value)).strip()


class XlsxExtractor(Extractor):
    """Excel 2007+ workbooks (.xlsx, .xlsm): cached values of formulas, not the formulas."""

    name = "xlsx"
    extensions = (".xlsx", ".xlsm")
    mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    def match(self, path: Path, head: bytes) -> int:
        if looks_like(head, b"xl/"):
            return 2
        return 1 if path.suffix.lower() in self.extensions else 0

    def extract(self, path: Path, settings: Settings = DEFAULTS) -> Extraction:
        open_zip(path, KIND, settings).close()   # limits first: openpyxl reads whole members
        with open(path, "rb") as f:   # a file object: openpyxl would refuse a name not ending in .xlsx
            return self._read(f, settings.max_sheet_cells)

    def _read(self, f, max_cells: int) -> Extraction:
        import openpyxl  # imported on first use: it is slow to import and most files are not workbooks

        try:
            workbook = openpyxl.load_workbook(f, read_only=True, data_only=True)
        except Exception as e:   # zipfile, KeyError for missing parts, XML errors, InvalidFileException
            raise IngestError(f"corrupt {KIND}: {type(e).__name__}: {e}") from e
        pages: list[str] = []
        warnings: list[str] = []
        cells = 0
        try:
            for sheet in workbook.worksheets:
                lines = []
                try:
                    for row in sheet.iter_rows(values_only=True):
                        cells += len(row)
                        if cells > max_cells:
                            warnings.append(f"more than {max_cells} cells: the rest left out")
                            break
                        values = [_cell(v) for v in row]
                        while values and not values[-1]:
                            values.pop()
                        if values:
                            lines.append("\t".join(values))
                except Exception as e:   # a damaged sheet part: the other sheets are still read
                    warnings.append(f"sheet {sheet.title}: unreadable ({type(e).__name__})")
                pages.append("\n".join(lines))
                if cells > max_cells:
                    break
        finally:
            workbook.close()
        if not pages:
            raise IngestError(f"corrupt {KIND}: no worksheets")
        if not any(pages):
            warnings.append("no text")
        return Extraction(mime=self.mime, pages=pages, warnings=warnings)
