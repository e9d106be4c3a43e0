"""DOCX extractor (python-docx): paragraphs, tables and text boxes in body order; hard page breaks split pages."""
from __future__ import annotations

import re
from pathlib import Path

from archive.settings import Settings

from ..errors import IngestError
from ..record import Extraction
from .base import DEFAULTS, Extractor
from .zipsafe import looks_like, open_zip

KIND = "DOCX"
MAX_DEPTH = 32     # tables in tables in text boxes ...: deeper content is skipped
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
W_P, W_TBL, W_TR, W_TC, W_SDT, W_SDT_CONTENT = (f"{{{_W}}}{t}" for t in ("p", "tbl", "tr", "tc", "sdt", "sdtContent"))
W_T, W_TAB, W_BR, W_CR, W_TXBX = (f"{{{_W}}}{t}" for t in ("t", "tab", "br", "cr", "txbxContent"))
W_NB_HYPHEN, W_TYPE = f"{{{_W}}}noBreakHyphen", f"{{{_W}}}type"
# Not text: properties, deleted text, field codes; text boxes are read on their own (as blocks).
_SKIP = frozenset((f"{{{_W}}}pPr", f"{{{_W}}}rPr", f"{{{_W}}}del", f"{{{_W}}}instrText", f"{{{_W}}}sectPr",
                   W_TXBX, f"{{{_MC}}}Fallback"))
_PAGE_BREAK = "\f"
_BLANK_LINES = re.compile(r"\n{3,}")
_WS = re.compile(r"\s+")


def _inline(el, parts: list[str], depth: int = 0) -> None:
    """Text of a paragraph's runs (hyperlinks, insertions, fields, content controls), in order."""
    if depth > MAX_DEPTH:
        return
    for child in el:
        tag = child.tag
        if tag == W_T:
            parts.append(child.text or "")
        elif tag == W_TAB:
            parts.append("\t")
        elif tag == W_BR:
            parts.append(_PAGE_BREAK if child.get(W_TYPE) == "page" else "\n")
        elif tag == W_CR:
            parts.append("\n")
        elif tag == W_NB_HYPHEN:
            parts.append("-")
        elif tag not in _SKIP and isinstance(tag, str):
            _inline(child, parts, depth + 1)


def _text_boxes(p) -> list:
    """The text boxes anchored in paragraph `p` (not those nested in another box, not compatibility copies)."""
    found = []
    for box in p.iter(W_TXBX):
        up = box.getparent()
        while up is not None and up is not p and up.tag not in (W_TXBX, f"{{{_MC}}}Fallback"):
            up = up.getparent()
        if up is p:
            found.append(box)
    return found


def _cell_text(tc, depth: int) -> str:
    lines: list[str] = []
    _blocks(tc, lines, depth + 1)
    return " ".join(_WS.sub(" ", line).strip() for line in lines if line.strip())


def _table(tbl, lines: list[str], depth: int) -> None:
    """A row per line, its cells tab-separated (merged-away cells are empty and trimmed at the end)."""
    for tr in tbl.iter(W_TR):
        if _owner(tr, W_TBL) is not tbl:   # a row of a nested table: read with its cell
            continue
        cells = [_cell_text(tc, depth) for tc in tr.iter(W_TC) if _owner(tc, W_TR) is tr]
        while cells and not cells[-1]:
            cells.pop()
        if any(cells):
            lines.append("\t".join(cells))


def _owner(el, tag: str):
    """The nearest ancestor of `el` with this tag."""
    up = el.getparent()
    while up is not None and up.tag != tag:
        up = up.getparent()
    return up


def _blocks(container, lines: list[str], depth: int = 0) -> None:
    """Paragraphs (a line each, their text boxes first) and tables of a body, cell, box or content control."""
    if depth > MAX_DEPTH:
        return
    for el in container:
        if el.tag == W_P:
            for box in _text_boxes(el):
                _blocks(box, lines, depth + 1)
            parts: list[str] = []
            _inline(el, parts)
            lines.append("".join(parts))
        elif el.tag == W_TBL:
            _table(el, lines, depth)
        elif el.tag in (W_SDT, W_SDT_CONTENT):
            _blocks(el if el.tag == W_SDT_CONTENT else el.iterfind(W_SDT_CONTENT), lines, depth + 1)


def _title(core_title: str | None, first_page: str) -> str | None:
    """The core-properties title, only when the text starts with it (it is often a template leftover)."""
    title = _WS.sub(" ", core_title or "").strip()
    return title if len(title) >= 4 and _WS.sub("", first_page).startswith(_WS.sub("", title)[:40]) else None


class DocxExtractor(Extractor):
    """Word 2007+ documents (.docx; also .doc files that are really DOCX); headers and footers are left out."""

    name = "docx"
    extensions = (".docx", ".docm")
    mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

    def match(self, path: Path, head: bytes) -> int:
        if looks_like(head, b"word/"):
            return 2
        return 1 if path.suffix.lower() in self.extensions else 0

    def extract(self, path: Path, settings: Settings = DEFAULTS) -> Extraction:
        import docx
        from docx.opc.exceptions import PackageNotFoundError

        open_zip(path, KIND, settings).close()   # limits first: python-docx reads whole members
        try:
            document = docx.Document(str(path))
        except (PackageNotFoundError, KeyError) as e:
            raise IngestError(f"corrupt {KIND}: {e}") from e
        except ValueError as e:   # not a Word document part, e.g. a template or a spreadsheet
            raise IngestError(f"corrupt {KIND}: {e}") from e
        except Exception as e:   # lxml and zipfile errors from damaged parts
            raise IngestError(f"corrupt {KIND}: {type(e).__name__}: {e}") from e
        lines: list[str] = []
        _blocks(document.element.body, lines)
        text = _BLANK_LINES.sub("\n\n", "\n".join(line.rstrip(" \t\xa0\u3000") for line in lines))
        pages = [page.strip("\n") for page in text.split(_PAGE_BREAK)]
        warnings = [] if any(p.strip() for p in pages) else ["no text"]
        title = _title(document.core_properties.title, pages[0])
        return Extraction(mime=self.mime, pages=pages, metadata={"title": title} if title else {},
                          warnings=warnings)
