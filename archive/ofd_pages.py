"""OFD (GB/T 33190) packages read into pages of placed objects, for ingest's text (ingest.extractors.ofd) and
the page images (archive.ofd_render) alike: text runs with each character's box, images and paths, in page
units (mm, y downwards). Follows OFD.xml → DocRoot (Document.xml) → Pages; a page is its templates, its own
content and the composite objects it places (CompositeGraphicUnit in PublicRes / DocumentRes), then its
annotations. Reads an already opened, already checked zip (see open_checked); DTD entities stay unexpanded.
"""
from __future__ import annotations

import math
import posixpath
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree  # type: ignore[import-untyped]

from .ofd_layout import Box, Rule, Run
from .zipcheck import ZipLimits, container_problem

ASCENT, DESCENT = 0.88, 0.12   # a character's box above and below its baseline, in font sizes
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True,
                          remove_pis=True, huge_tree=False)
_RECOVER = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True,
                           remove_pis=True, recover=True)
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)

Matrix = tuple[float, float, float, float, float, float]
Color = tuple[int, int, int, int]   # RGBA
Clip = list[list[list[tuple[float, float]]]]   # per Clip element, its polygons (page units)


class OfdError(ValueError):
    """The file is not a readable OFD (the file's fault); the message says why."""


def numbers(value: str | None) -> list[float]:
    """The finite numbers in an attribute value."""
    return [v for v in (float(n) for n in _NUMBER.findall(value or "")) if math.isfinite(v)]


def deltas(value: str | None, limit: int) -> list[float]:
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


def compose(p: Matrix, q: Matrix) -> Matrix:
    """p after q: points go through q first."""
    a, b, c, d, e, f = p
    a2, b2, c2, d2, e2, f2 = q
    return (a * a2 + c * b2, b * a2 + d * b2, a * c2 + c * d2, b * c2 + d * d2,
            a * e2 + c * f2 + e, b * e2 + d * f2 + f)


def apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


def placement(parent: Matrix, el: Any) -> Matrix:
    """Object space → page: the parent's transform, the Boundary origin, then the object's CTM."""
    box = numbers(el.get("Boundary"))
    m = compose(parent, (1.0, 0.0, 0.0, 1.0, box[0], box[1])) if len(box) >= 2 else parent
    ctm = numbers(el.get("CTM"))
    return compose(m, (ctm[0], ctm[1], ctm[2], ctm[3], ctm[4], ctm[5])) if len(ctm) == 6 else m


def bounds(m: Matrix, x0: float, y0: float, x1: float, y1: float) -> Box:
    """The page box around rectangle (x0, y0)-(x1, y1) of the space `m` maps to the page."""
    xs, ys = zip(*(apply(m, x, y) for x, y in ((x0, y0), (x1, y0), (x0, y1), (x1, y1))))
    return min(xs), min(ys), max(xs), max(ys)


def open_checked(path: Path, limits: ZipLimits) -> zipfile.ZipFile:
    """The zip at `path` after checking its directory against the zip_* limits (archive.zipcheck); OfdError if it
    breaks one or is no zip."""
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, ValueError, EOFError) as e:
        raise OfdError(f"corrupt OFD: not a zip container ({e})") from e
    problem = container_problem(zf.infolist(), "OFD", limits)
    if problem:
        zf.close()
        raise OfdError(problem)
    return zf


def read_zip_member(zf: zipfile.ZipFile, name: str) -> bytes:
    """A member's bytes; OfdError if it cannot be unpacked."""
    try:
        return zf.read(name)
    except (KeyError, zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, NotImplementedError,
            RuntimeError) as e:
        raise OfdError(f"corrupt OFD: cannot unpack {name} ({e})") from e
    except Exception as e:   # zlib.error
        raise OfdError(f"corrupt OFD: cannot unpack {name} ({e})") from e


class Package:
    """The members of one OFD zip, parsed on demand and looked up case-insensitively; `read` unpacks one."""

    def __init__(self, zf: zipfile.ZipFile, warnings: list[str],
                 read: Callable[[zipfile.ZipFile, str], bytes] = read_zip_member):
        self.zf, self.warnings, self._read = zf, warnings, read
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

    def read(self, name: str) -> bytes:
        return self._read(self.zf, self.names[name])

    def xml(self, name: str | None) -> Any:
        """Root element of member `name`, or None if it is missing (recovering from damaged XML)."""
        if name is None or name not in self.names:
            return None
        if name not in self.cache:
            data = self.read(name)
            try:
                root = etree.fromstring(data, _PARSER)
            except etree.XMLSyntaxError:
                try:
                    root = etree.fromstring(data, _RECOVER) if data.strip() else None
                except etree.XMLSyntaxError:   # beyond repair, or too large to hold as a tree
                    root = None
                self.warnings.append(f"damaged XML {'recovered' if root is not None else 'unreadable'}: {name}")
            self.cache[name] = root
        return self.cache[name]

    def area(self, name: str | None) -> Any:
        """The Area element of page member `name`, read up to its Content only (no tree of the whole page), or
        None."""
        if name is None or name not in self.names:
            return None
        try:
            with self.zf.open(self.names[name]) as stream:
                for event, el in etree.iterparse(stream, events=("start", "end"), resolve_entities=False,
                                                 no_network=True, huge_tree=False):
                    if not isinstance(el.tag, str):
                        continue
                    tag = etree.QName(el).localname
                    if event == "end" and tag == "Area":
                        return el
                    if event == "start" and tag == "Content":
                        return None
        except (etree.XMLSyntaxError, OSError, ValueError, EOFError, zipfile.BadZipFile):
            return None
        except Exception:   # zlib.error
            return None
        return None

    def bodies(self) -> list[Document]:
        """The package's documents (DocBody) in order; OfdError without OFD.xml."""
        root = self.root()
        return [Document(self, self.resolve("", body.findtext("{*}DocRoot")) or "Doc_0/Document.xml",
                         self.resolve("", body.findtext("{*}Signatures")))
                for body in root.findall("{*}DocBody")]

    def root(self):
        root = self.xml(self.resolve("", "OFD.xml"))
        if root is None:
            raise OfdError("corrupt OFD: missing OFD.xml")
        return root


class Document:
    """One DocBody: its pages, templates, resources (composite units, media, fonts, colours) and annotations."""

    def __init__(self, pkg: Package, doc_name: str, signatures: str | None = None):
        self.pkg, self.signatures = pkg, signatures
        self.base = posixpath.dirname(doc_name)
        self.root = pkg.xml(doc_name)
        if self.root is None:
            raise OfdError(f"corrupt OFD: missing {doc_name}")
        common = self.root.find("{*}CommonData")
        self.common = common
        self.templates = {t.get("ID"): pkg.resolve(self.base, t.get("BaseLoc"))
                          for t in (common.iterfind("{*}TemplatePage") if common is not None else ())}
        self.res_files = [pkg.resolve(self.base, r.text) for tag in ("PublicRes", "DocumentRes")
                          for r in (common.iterfind("{*}" + tag) if common is not None else ())]
        self._res: dict[str, dict[str | None, tuple[Any, str]]] | None = None
        self._annots: dict[str, list] | None = None

    def pages(self) -> list[tuple[str | None, str | None]]:
        """(page ID, content member) in document order."""
        return [(p.get("ID"), self.pkg.resolve(self.base, p.get("BaseLoc")))
                for p in self.root.iterfind("{*}Pages/{*}Page")]

    def resource(self, kind: str, resource_id: str | None) -> tuple[Any, str] | None:
        """The resource element of `kind` (CompositeGraphicUnit, MultiMedia, DrawParam, ColorSpace, Font) with
        this ID, and the member folder its files are relative to, or None."""
        if self._res is None:
            self._res = {}
            for name in self.res_files:
                res = self.pkg.xml(name)
                if res is None or name is None:
                    continue
                folder = posixpath.join(posixpath.dirname(name), res.get("BaseLoc") or "")
                for el in res.iter("{*}CompositeGraphicUnit", "{*}MultiMedia", "{*}DrawParam", "{*}ColorSpace",
                                   "{*}Font"):
                    self._res.setdefault(etree.QName(el).localname, {}).setdefault(el.get("ID"), (el, folder))
        return self._res.get(kind, {}).get(resource_id)

    def media(self, resource_id: str | None) -> tuple[str | None, str]:
        """(member name or None if missing, declared format) of a MultiMedia resource."""
        found = self.resource("MultiMedia", resource_id)
        if found is None:
            return None, ""
        el, folder = found
        return self.pkg.resolve(folder, el.findtext("{*}MediaFile")), (el.get("Format") or "").upper()

    def page_box(self, page_area: Any) -> tuple[float, float, float, float]:
        """(x, y, width, height) of the PhysicalBox of a page's Area, else the document's, else A4."""
        for area in (page_area, self.common.find("{*}PageArea") if self.common is not None else None):
            box = numbers(area.findtext("{*}PhysicalBox")) if area is not None else []
            if len(box) == 4 and box[2] > 0 and box[3] > 0:
                return box[0], box[1], box[2], box[3]
        return 0.0, 0.0, 210.0, 297.0

    def annotations(self) -> dict[str, list]:
        """Page ID -> its Annot elements."""
        if self._annots is not None:
            return self._annots
        out: dict[str, list] = {}
        self._annots = out
        name = self.pkg.resolve(self.base, self.root.findtext("{*}Annotations"))
        index = self.pkg.xml(name)
        if index is None or name is None:
            return out
        for page in index.iterfind("{*}Page"):
            page_annot = self.pkg.xml(self.pkg.resolve(posixpath.dirname(name), page.findtext("{*}FileLoc")))
            if page_annot is not None:
                out.setdefault(page.get("PageID"), []).extend(page_annot.iter("{*}Annot"))
        return out

    def stamps(self) -> dict[str, list[tuple[list[float], str | None]]]:
        """Page ID -> the seals its electronic signatures stamp on it: (Boundary x, y, w, h; the member holding
        the seal: Seal.esl, else the signed value)."""
        out: dict[str, list[tuple[list[float], str | None]]] = {}
        index = self.pkg.xml(self.signatures)
        if index is None or self.signatures is None:
            return out
        for sig in index.iterfind("{*}Signature"):
            name = self.pkg.resolve(posixpath.dirname(self.signatures), sig.get("BaseLoc"))
            root = self.pkg.xml(name)
            if root is None or name is None:
                continue
            folder = posixpath.dirname(name)
            seal = (self.pkg.resolve(folder, root.findtext("{*}SignedInfo/{*}Seal/{*}BaseLoc"))
                    or self.pkg.resolve(folder, root.findtext("{*}SignedValue")))
            for stamp in root.iter("{*}StampAnnot"):
                box = numbers(stamp.get("Boundary"))
                if len(box) == 4 and stamp.get("PageRef"):
                    out.setdefault(stamp.get("PageRef"), []).append((box, seal))
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


@dataclass
class Glyphs:
    """A TextObject to draw: characters at (x, y) baselines of the space `m` maps to the page."""

    m: Matrix
    size: float
    chars: list[tuple[str, float, float]]
    fill: Color | None
    hscale: float = 1.0
    bold: bool = False


@dataclass
class Picture:
    """An ImageObject: the unit square of the space `m` maps to the page; `member` None when missing."""

    m: Matrix
    member: str | None
    format: str
    alpha: float = 1.0
    clip: Clip | None = None


@dataclass
class Shape:
    """A PathObject: subpaths (points of the space `m` maps to the page, closed or not), stroked and/or filled."""

    m: Matrix
    subpaths: list[tuple[list[tuple[float, float]], bool]]
    fill: Color | None
    stroke: Color | None
    width: float
    even_odd: bool = False
    clip: Clip | None = None


@dataclass
class Page:
    """One page's objects: text `runs` (templates then content) and `rules` for the reading order,
    `annot_runs` read after them, and `drawn` in painting order; `box` its PhysicalBox (x, y, w, h)."""

    box: tuple[float, float, float, float]
    runs: list[Run] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    annot_runs: list[Run] = field(default_factory=list)
    drawn: list[Glyphs | Picture | Shape] = field(default_factory=list)
