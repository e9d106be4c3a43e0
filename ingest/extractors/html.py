"""Saved government web pages: charset (mojibake repaired), main content as paragraphs, label table, meta tags."""
from __future__ import annotations

import re
from pathlib import Path

import lxml.html
from lxml import etree

from archive.settings import Settings

from ..errors import IngestError
from ..metadata.labels import LABELS
from ..metadata.text import parse_date
from ..mojibake import repair
from ..quality import looks_like_boilerplate
from ..record import Extraction
from .base import DEFAULTS, Extractor
from .html_main import headline, main_content, merge_documents, text_sizes
from .text import decode_bytes

_SNIFF = 2048
_MAGIC_TAGS = re.compile(
    rb"<(?:!doctype\s+html|html|head|body|meta|title|div|table|p|span|font|center|h[1-6]|ul|form|br)[\s>/]")
_LEADING = re.compile(rb"^(?:\s|<!--.*?-->|<\?xml[^>]*\?>)*", re.S)
_DECLARED = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)|<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)""", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_MARKDOWN = (".md", ".markdown")

_DROP = ("script", "style", "nav", "header", "footer", "noscript", "iframe", "template", "button", "select",
         "textarea", "object", "embed", "svg")
_BLOCK = frozenset("address article aside blockquote br dd div dl dt figcaption figure form h1 h2 h3 h4 h5 h6 hr "
                   "li main ol p pre section table tbody thead tfoot tr ul caption center".split())
_CELL = frozenset(("td", "th"))
_INLINE_CELL = 500
_CELL_GAP = re.compile(r" *\t[ \t]*")
_SPACES = re.compile(r" {2,}")

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_NEWLINE = re.compile(rf"(?<=[{_CJK}])[ \t\r]*\n\s*(?=[{_CJK}])")
_WS = re.compile(r"\s+")

_META_NAMES = {"articletitle": "title", "pubdate": "published_date", "firstpublishedtime": "published_date",
               "contentsource": "agency"}
_DATE_KEYS = ("written_date", "published_date")
_TITLE_SEPARATOR = re.compile(r"_|\s*[|｜]\s*|\s+[-–—]\s+")


def _sniff(head: bytes) -> bool:
    """Whether the first bytes look like HTML (not an XML feed, not plain text)."""
    for bom in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        if head.startswith(bom):
            head = head[len(bom):]
            if bom != b"\xef\xbb\xbf":
                head = head.decode("utf-16-le" if bom == b"\xff\xfe" else "utf-16-be", "ignore").encode()
            break
    head = head[:_SNIFF].lower()
    body = head[_LEADING.match(head).end():]
    if head.lstrip().startswith(b"<?xml"):
        return b"<html" in head or b"<!doctype html" in head
    return _MAGIC_TAGS.match(body) is not None


def _norm_label(text: str) -> str:
    return _WS.sub("", text).rstrip(":：")


def _text(el) -> str:
    return _WS.sub(" ", el.text_content()).strip()


def _label_value(el) -> str:
    """The value next to a label element: same text after the colon, tail, next cell or next sibling."""
    own = _WS.sub("", el.text or "")
    for sep in ("：", ":"):
        if sep in own and own.split(sep, 1)[1]:
            return el.text.split(sep, 1)[1].strip()
    if el.tail and el.tail.strip():
        return el.tail.strip()
    cell = el
    for _ in range(3):
        if cell.tag in ("td", "th", "dt") or cell.getparent() is None:
            break
        cell = cell.getparent()
    sibling = cell.getnext()
    return _text(sibling) if sibling is not None else ""


def _table_metadata(root) -> dict[str, str]:
    found: dict[str, str] = {}
    for el in root.iter("td", "th", "dt", "b", "strong", "span", "label", "li", "p", "em", "font"):
        own = el.text or ""
        if len(own) > 40 or ("：" not in own and ":" not in own):
            continue
        key = LABELS.get(_norm_label(own.split("：", 1)[0].split(":", 1)[0]))
        if key and key not in found:
            value = _label_value(el)
            if value:
                found[key] = value
    return found


def _meta_metadata(root, body_text: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for meta in root.iter("meta"):
        key = _META_NAMES.get((meta.get("name") or "").strip().lower())
        value = (meta.get("content") or "").strip()
        if key and value and key not in found:
            found[key] = value
    for title in root.iter("title"):   # a page glued from includes may hold several
        if "title" in found:
            break
        # <title> is often 'Title_Column_Site' or a stale Word template name: keep it only if the body shows it.
        candidate = _TITLE_SEPARATOR.split(_text(title))[0]
        if len(candidate) >= 4 and _WS.sub("", candidate) in body_text:
            found["title"] = candidate
    return found


def _drop_boilerplate(root) -> None:
    """Remove scripts, navigation, comments and the like (their tails are kept)."""
    for el in list(root.iter(*_DROP, etree.Comment, etree.ProcessingInstruction)):
        if el.getparent() is not None:
            el.drop_tree()


def _clean_text(s: str) -> str:
    return _WS.sub(" ", _CJK_NEWLINE.sub("", s))


def _paragraphs(el, sizes: dict) -> str:
    """Text of `el`: a line per block element; a table row is one line of tab-separated cells (big layout
    cells that hold the document keep their paragraphs)."""
    parts: list[str] = []
    inline = 0  # depth of small table cells whose inner paragraphs stay on the row's line
    for event, node in etree.iterwalk(el, events=("start", "end")):
        tag = node.tag
        if event == "start":
            if tag in _CELL and node is not el and sizes[node] <= _INLINE_CELL:
                inline += 1
            if tag in _BLOCK:
                parts.append(" " if inline else "\n")
            if node.text:
                parts.append(_clean_text(node.text))
        else:
            if tag in _BLOCK:
                parts.append(" " if inline and tag != "tr" else "\n")
            elif tag in _CELL:
                parts.append("\t")
                if node is not el and sizes[node] <= _INLINE_CELL:
                    inline -= 1
            if node.tail and node is not el:
                parts.append(_clean_text(node.tail))
    lines = (_CELL_GAP.sub("\t", _SPACES.sub(" ", line)).strip(" \t") for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


class HtmlExtractor(Extractor):
    """HTML pages and fragments; body text from the main content, metadata from label tables and meta tags."""

    name = "html"
    extensions = (".html", ".htm", ".shtml", ".xhtml")
    magic = (b"<!doctype html", b"<html")
    mime = "text/html"

    def match(self, path: Path, head: bytes) -> int:
        suffix = path.suffix.lower()
        if suffix not in _MARKDOWN and _sniff(head):   # Markdown may start with inline HTML
            return 2
        return 1 if suffix in self.extensions else 0

    def extract(self, path: Path, settings: Settings = DEFAULTS) -> Extraction:
        try:
            data = path.read_bytes()
        except OSError as e:
            raise IngestError(f"cannot read file: {e.strerror}", stage="read") from e
        declared = _DECLARED.search(data[:4096])
        decoded = decode_bytes(data, (declared[1] or declared[2]).decode("ascii") if declared else None)
        warnings = list(decoded.warnings)
        if decoded.detected:
            warnings.append(f"decoded as {decoded.encoding}")
        repaired = repair(decoded.text)
        warnings += repaired.warnings
        markup = _XML_DECL.sub("", repaired.text)
        if not markup.strip():
            return Extraction(mime=self.mime, pages=[""], warnings=warnings + ["empty document"])
        try:
            root = lxml.html.document_fromstring(markup)
        except (etree.ParserError, ValueError) as e:
            raise IngestError(f"unparsable HTML: {e}") from e
        merge_documents(root)
        _drop_boilerplate(root)
        sizes, weights = text_sizes(root)
        main = main_content(root, sizes, weights)
        text = _paragraphs(main, sizes)
        title = headline(root, main)
        if title and _WS.sub("", title) not in _WS.sub("", text):
            text = f"{title}\n{text}"
        metadata = _table_metadata(root)
        sources = dict.fromkeys(metadata, "label table")
        for key, value in _meta_metadata(root, _WS.sub("", text)).items():
            if key not in metadata:
                metadata[key], sources[key] = value, "meta tag"
        for key in _DATE_KEYS:
            if key in metadata:
                iso = parse_date(metadata[key])
                if iso:
                    metadata[key] = iso
                else:
                    warnings.append(f"unparsable {key}: {metadata.pop(key)}")
                    sources.pop(key, None)
        if not text:
            warnings.append("no text")
        elif reason := looks_like_boilerplate(text):
            warnings.append(reason)
        return Extraction(mime=self.mime, pages=[text], metadata=metadata, warnings=warnings, sources=sources)
