"""OFD (GB/T 33190) extractor: text of TextObject/TextCode per page in reading order.

Follows OFD.xml → DocRoot (Document.xml) → Pages; a page's text comes from its own content, its
templates (TemplatePage) and the composite objects it places (CompositeGraphicUnit in PublicRes /
DocumentRes), laid out top to bottom, left to right; annotation text (watermarks, stamps) follows.
"""
from __future__ import annotations

import math
import posixpath
import re
from pathlib import Path

from lxml import etree

from analyzers.agencies import is_agency
from archive.settings import Settings

from ..errors import IngestError
from ..record import Extraction
from .base import DEFAULTS, Extractor
from .ofd_layout import MAX_RULES, Box, Rule, Run, lines, path_rules
from .zipsafe import looks_like, open_zip, read_member

KIND = "OFD"
MAX_DEPTH = 16            # nesting of blocks and composite objects
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True,
                          remove_pis=True, huge_tree=False)
_RECOVER = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True,
                           remove_pis=True, recover=True)
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_WS = re.compile(r"\s+")
_IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)

Matrix = tuple[float, float, float, float, float, float]


def _numbers(value: str | None) -> list[float]:
    return [float(n) for n in _NUMBER.findall(value or "")]


def _deltas(value: str | None, limit: int) -> list[float]:
    """The first `limit` DeltaX/DeltaY values, with the 'g N d' repeat notation expanded."""
    out: list[float] = []
    tokens = (value or "").split()
    i = 0
    while i < len(tokens) and len(out) < limit:
        if tokens[i] == "g" and i + 2 < len(tokens):
            try:
                out.extend([float(tokens[i + 2])] * min(int(float(tokens[i + 1])), limit - len(out)))
            except (ValueError, OverflowError):
                pass
            i += 3
            continue
        try:
            out.append(float(tokens[i]))
        except ValueError:
            pass
        i += 1
    return [d if math.isfinite(d) else 0.0 for d in out]


def _compose(p: Matrix, q: Matrix) -> Matrix:
    """p after q: points go through q first."""
    a, b, c, d, e, f = p
    a2, b2, c2, d2, e2, f2 = q
    return (a * a2 + c * b2, b * a2 + d * b2, a * c2 + c * d2, b * c2 + d * d2,
            a * e2 + c * f2 + e, b * e2 + d * f2 + f)


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


def _placement(parent: Matrix, el) -> Matrix:
    """Object space → page: the parent's transform, the Boundary origin, then the object's CTM."""
    box = _numbers(el.get("Boundary"))
    m = _compose(parent, (1.0, 0.0, 0.0, 1.0, box[0], box[1])) if len(box) >= 2 else parent
    ctm = _numbers(el.get("CTM"))
    return _compose(m, tuple(ctm)) if len(ctm) == 6 else m


def _box(parent: Matrix, el) -> Box | None:
    """An object's Boundary on the page: (left, top, right, bottom)."""
    box = _numbers(el.get("Boundary"))
    if len(box) < 4 or not all(math.isfinite(v) for v in box[:4]):
        return None
    (x0, y0), (x1, y1) = _apply(parent, box[0], box[1]), _apply(parent, box[0] + box[2], box[1] + box[3])
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


class _Package:
    """The members of one OFD zip, parsed on demand and looked up case-insensitively."""

    def __init__(self, zf, warnings: list[str]):
        self.zf = zf
        self.warnings = warnings
        self.names = {i.filename.lstrip("/"): i.filename for i in zf.infolist() if not i.is_dir()}
        self.lower = {n.lower(): n for n in self.names}
        self.cache: dict[str, object] = {}

    def resolve(self, base: str, loc: str | None) -> str | None:
        """Member name for `loc` (absolute, or relative to the folder `base`); None if absent."""
        loc = (loc or "").strip().replace("\\", "/")
        if not loc:
            return None
        name = posixpath.normpath(loc.lstrip("/") if loc.startswith("/") else posixpath.join(base, loc))
        if name in self.names:
            return name
        return self.lower.get(name.lower()) or (self.lower.get(loc.lower()) if not loc.startswith("/") else None)

    def xml(self, name: str | None):
        """Root element of member `name`, or None if it is missing (recovering from damaged XML)."""
        if name is None or name not in self.names:
            return None
        if name not in self.cache:
            data = read_member(self.zf, self.names[name], KIND)
            try:
                root = etree.fromstring(data, _PARSER)
            except etree.XMLSyntaxError:
                root = etree.fromstring(data, _RECOVER) if data.strip() else None
                self.warnings.append(f"damaged XML {'recovered' if root is not None else 'unreadable'}: {name}")
            self.cache[name] = root
        return self.cache[name]


class _Document:
    """One DocBody: its pages, templates, composite units and annotations."""

    def __init__(self, pkg: _Package, doc_name: str):
        self.pkg = pkg
        self.base = posixpath.dirname(doc_name)
        self.root = pkg.xml(doc_name)
        if self.root is None:
            raise IngestError(f"corrupt {KIND}: missing {doc_name}")
        common = self.root.find("{*}CommonData")
        self.templates = {t.get("ID"): pkg.resolve(self.base, t.get("BaseLoc"))
                          for t in (common.iterfind("{*}TemplatePage") if common is not None else ())}
        self.res_files = [pkg.resolve(self.base, r.text) for r in
                          (common.iterfind("{*}PublicRes") if common is not None else ())]
        self.res_files += [pkg.resolve(self.base, r.text) for r in
                           (common.iterfind("{*}DocumentRes") if common is not None else ())]
        self._units: dict[str, object] | None = None

    def pages(self) -> list[tuple[str | None, str | None]]:
        """(page ID, content member) in document order."""
        return [(p.get("ID"), self.pkg.resolve(self.base, p.get("BaseLoc")))
                for p in self.root.iterfind("{*}Pages/{*}Page")]

    def unit(self, resource_id: str | None):
        """The CompositeGraphicUnit with this ID from the document's resource files."""
        if self._units is None:
            self._units = {}
            for name in self.res_files:
                res = self.pkg.xml(name)
                if res is not None:
                    for u in res.iter("{*}CompositeGraphicUnit"):
                        self._units.setdefault(u.get("ID"), u)
        return self._units.get(resource_id)

    def annotations(self) -> dict[str, list]:
        """Page ID -> its Annot elements."""
        out: dict[str, list] = {}
        name = self.pkg.resolve(self.base, self.root.findtext("{*}Annotations"))
        index = self.pkg.xml(name)
        if index is None:
            return out
        for page in index.iterfind("{*}Page"):
            page_annot = self.pkg.xml(self.pkg.resolve(posixpath.dirname(name), page.findtext("{*}FileLoc")))
            if page_annot is not None:
                out.setdefault(page.get("PageID"), []).extend(page_annot.iter("{*}Annot"))
        return out

    def unlisted_pages(self) -> int:
        """Content.xml files in the document's folder that no Page or TemplatePage refers to."""
        used = {name for _, name in self.pages()} | set(self.templates.values())
        prefix = f"{self.base}/" if self.base else ""
        return sum(1 for n in self.pkg.names if n.startswith(prefix) and n.endswith("/Content.xml") and n not in used)

    def attachments(self) -> int:
        name = self.pkg.resolve(self.base, self.root.findtext("{*}Attachments"))
        index = self.pkg.xml(name)
        return 0 if index is None else sum(1 for _ in index.iter("{*}Attachment"))


class _Walker:
    """Collects the text runs of one document's pages within a budget of visited objects."""

    def __init__(self, doc: _Document, max_objects: int):
        self.doc = doc
        self.left = max_objects   # objects visited per document (composite units can multiply them)
        self.units: set[str | None] = set()   # composite units being walked: a unit inside itself is a cycle
        self.rules: list[Rule] = []            # straight segments drawn on the page being walked

    def walk(self, container, m: Matrix, out: list[Run], depth: int = 0) -> None:
        """Text runs of the objects under `container` (layers, blocks, composite units, pattern cells)."""
        if depth > MAX_DEPTH:
            return
        for el in container:
            self.left -= 1
            if self.left < 0 or not isinstance(el.tag, str):
                continue
            tag = etree.QName(el).localname
            if tag == "TextObject":
                self.text_runs(el, m, out)
            elif tag == "PathObject":   # text tiled by a fill pattern (watermarks): read one tile
                place = _placement(m, el)
                for cell in el.iter("{*}CellContent"):
                    self.walk(cell, place, out, depth + 1)
                if len(self.rules) < MAX_RULES and el.get("Stroke", "true") != "false":
                    self.rules += path_rules(el.findtext("{*}AbbreviatedData"), lambda x, y: _apply(place, x, y))
            elif tag in ("Layer", "PageBlock", "Content"):
                self.walk(el, m, out, depth + 1)
            elif tag == "Appearance":
                self.walk(el, _placement(m, el), out, depth + 1)
            elif tag == "CompositeObject":
                unit_id = el.get("ResourceID")
                unit = self.doc.unit(unit_id)
                content = unit.find("{*}Content") if unit is not None and unit_id not in self.units else None
                if content is not None:
                    self.units.add(unit_id)
                    self.walk(content, _placement(m, el), out, depth + 1)
                    self.units.discard(unit_id)

    @staticmethod
    def text_runs(obj, parent: Matrix, out: list[Run]) -> None:
        """Place the TextCodes of one TextObject (transform `parent` = the object's parent space → page)."""
        m = _placement(parent, obj)
        box = _box(parent, obj)
        size = float((_numbers(obj.get("Size")) or [0.0])[0])
        scale = math.sqrt(abs(m[0] * m[3] - m[1] * m[2])) or 1.0
        x = y = 0.0
        for code in obj.iterfind("{*}TextCode"):
            # DTD entities stay unexpanded (no XXE, no entity bombs): skip them, keep the text after them.
            text = (code.text or "") + "".join(child.tail or "" for child in code)
            x = float((_numbers(code.get("X")) or [x])[0])
            y = float((_numbers(code.get("Y")) or [y])[0])
            given = _deltas(code.get("DeltaX"), len(text) - 1)
            # Advances not given follow the font's metrics, unknown here: a full width, half for ASCII.
            width = sum(given) + sum(size * (0.5 if ch.isascii() else 1.0) for ch in text[len(given):])
            dy = sum(_deltas(code.get("DeltaY"), len(text) - 1))
            start, end = _apply(m, x, y), _apply(m, x + width, y + dy)
            if text.strip():
                out.append(Run(start[0], start[1], max(end[0], start[0]), size * scale, text, box=box))
            x, y = x + width, y + dy


def _page_text(walker: _Walker, content_name: str | None, annots: list) -> str:
    """One page: its templates and content in reading order, then its annotations; LookupError if missing."""
    doc = walker.doc
    page = doc.pkg.xml(content_name)
    if page is None:
        raise LookupError(content_name)
    runs: list[Run] = []
    walker.rules = []
    for tpl in page.iterfind("{*}Template"):
        tpl_root = doc.pkg.xml(doc.templates.get(tpl.get("TemplateID")))
        if tpl_root is not None:
            walker.walk(tpl_root.iterfind("{*}Content"), _IDENTITY, runs)
    walker.walk(page.iterfind("{*}Content"), _IDENTITY, runs)
    rules = walker.rules[:MAX_RULES] if runs else []
    annot_runs: list[Run] = []
    for annot in annots:
        walker.walk(annot.iterfind("{*}Appearance"), _IDENTITY, annot_runs)
    return "\n".join(lines(runs, rules) + lines(annot_runs))


def _title(root, first_page: str) -> str | None:
    """DocInfo Title, only when page 1 shows it (generators often put a file or template name there)."""
    title = _WS.sub(" ", root.findtext("{*}DocBody/{*}DocInfo/{*}Title") or "").strip()
    return title if len(title) >= 4 and _WS.sub("", title) in _WS.sub("", first_page) else None


def _docinfo(root, first_page: str) -> dict[str, str]:
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
        with open_zip(path, KIND, settings) as zf:
            pkg = _Package(zf, warnings)
            root = pkg.xml(pkg.resolve("", "OFD.xml"))
            if root is None:
                raise IngestError(f"corrupt {KIND}: missing OFD.xml")
            bodies = root.findall("{*}DocBody")
            pages: list[str] = []
            for body in bodies:
                doc = _Document(pkg, pkg.resolve("", body.findtext("{*}DocRoot")) or "Doc_0/Document.xml")
                annots, walker = doc.annotations(), _Walker(doc, settings.ofd_max_objects)
                for number, (page_id, content) in enumerate(doc.pages(), len(pages) + 1):
                    if number > settings.ofd_max_pages:
                        raise IngestError(f"corrupt {KIND}: more than {settings.ofd_max_pages} pages")
                    try:
                        pages.append(_page_text(walker, content, annots.get(page_id, [])))
                    except LookupError:
                        pages.append("")
                        warnings.append(f"page {number}: content missing")
                if walker.left < 0:
                    warnings.append(f"more than {settings.ofd_max_objects} objects: the rest left out")
                if doc.unlisted_pages():
                    warnings.append(f"{doc.unlisted_pages()} page files not listed in the document left out")
                if doc.attachments():
                    warnings.append(f"{doc.attachments()} attachments not extracted")
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
