"""OFD (GB/T 33190) extractor: text of TextObject/TextCode per page in reading order.

The package is read by archive.ofd_pages / archive.ofd_walk (shared with the page images): a page's text comes
from its own content, its templates (TemplatePage) and the composite objects it places (CompositeGraphicUnit in
PublicRes / DocumentRes), laid out top to bottom, left to right (archive.ofd_layout); annotation text
(watermarks, stamps) follows.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from analyzers.agencies import is_agency
from archive.ofd_layout import lines
from archive.ofd_pages import OfdError, Package
from archive.ofd_walk import Walker, read_page
from archive.settings import Settings

from ..errors import IngestError
from ..record import Extraction
from .base import DEFAULTS, Extractor
from .zipsafe import looks_like, open_zip, read_member

KIND = "OFD"
_WS = re.compile(r"\s+")


def page_text(walker: Walker, page_id: str | None, content_name: str | None) -> str:
    """One page's text: its templates and content in reading order, then its annotations; LookupError if
    missing."""
    page = read_page(walker, page_id, content_name)
    return "\n".join(lines(page.runs, page.rules) + lines(page.annot_runs))


def _title(root: Any, first_page: str) -> str | None:
    """DocInfo Title, only when page 1 shows it (generators often put a file or template name there)."""
    title = _WS.sub(" ", root.findtext("{*}DocBody/{*}DocInfo/{*}Title") or "").strip()
    return title if len(title) >= 4 and _WS.sub("", title) in _WS.sub("", first_page) else None


def _docinfo(root: Any, first_page: str) -> dict[str, str]:
    """Fallback metadata from DocInfo: the Title page 1 shows, and the Author when it is an agency's name
    (generators put their own name there: China Tax, WPS_…, dzzz)."""
    found = {"title": _title(root, first_page)}
    author = _WS.sub("", root.findtext("{*}DocBody/{*}DocInfo/{*}Author") or "")
    found["agency"] = author if 4 <= len(author) <= 60 and is_agency(author) else None
    return {key: value for key, value in found.items() if value}


class OfdExtractor(Extractor):
    """OFD files: one text per page from the page XML; signatures, fonts and images are ignored."""

    name = "ofd"
    extensions = (".ofd",)
    mime = "application/ofd"

    def match(self, path: Path, head: bytes) -> int:
        if looks_like(head, b"OFD.xml", b"Doc_0/"):
            return 2
        return 1 if path.suffix.lower() in self.extensions else 0

    def extract(self, path: Path, settings: Settings = DEFAULTS) -> Extraction:
        warnings: list[str] = []
        try:
            with open_zip(path, KIND, settings) as zf:
                pkg = Package(zf, warnings, lambda z, name: read_member(z, name, KIND))
                root = pkg.root()
                bodies = pkg.bodies()
                pages = self._pages(bodies, settings, warnings)
        except OfdError as e:
            raise IngestError(str(e)) from e
        if not pages:
            raise IngestError(f"corrupt {KIND}: no pages")
        if len(bodies) > 1:
            warnings.append(f"{len(bodies)} documents in one file; pages concatenated")
        empty = [str(n) for n, text in enumerate(pages, 1) if not text.strip()]
        if len(empty) == len(pages):
            warnings.append("no text (image-only or outlined text?)")
        elif empty:
            more = " …" if len(empty) > 20 else ""
            warnings.append(f"no text on pages {', '.join(empty[:20])}{more}")
        metadata = _docinfo(root, pages[0])
        return Extraction(mime=self.mime, pages=pages, metadata=metadata, warnings=warnings,
                          sources={key: "DocInfo" for key in metadata})

    @staticmethod
    def _pages(bodies: list, settings: Settings, warnings: list[str]) -> list[str]:
        """The texts of every page of every document, with warnings on what was left out."""
        pages: list[str] = []
        for doc in bodies:
            walker = Walker(doc, settings.ofd_max_objects)
            for number, (page_id, content) in enumerate(doc.pages(), len(pages) + 1):
                if number > settings.ofd_max_pages:
                    raise IngestError(f"corrupt {KIND}: more than {settings.ofd_max_pages} pages")
                try:
                    pages.append(page_text(walker, page_id, content))
                except LookupError:
                    pages.append("")
                    warnings.append(f"page {number}: content missing")
            if walker.left < 0:
                warnings.append(f"more than {settings.ofd_max_objects} objects: the rest left out")
            if doc.unlisted_pages():
                warnings.append(f"{doc.unlisted_pages()} page files not listed in the document left out")
            if doc.attachments():
                warnings.append(f"{doc.attachments()} attachments not extracted")
        return pages
