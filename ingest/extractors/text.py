"""Plain text and Markdown (mojibake repaired; Markdown rendered as plain text), and the byte decoding (BOM, declared,
UTF-8, detection) HTML shares."""
from __future__ import annotations

import codecs
import re
from pathlib import Path
from typing import NamedTuple

from charset_normalizer import from_bytes
from markdown_it import MarkdownIt
from markdown_it.token import Token

from archive.settings import Settings

from ..errors import IngestError
from ..mojibake import repair
from ..record import Extraction
from .base import DEFAULTS, Extractor

_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
# Legacy Chinese encodings are decoded by their supersets so that rarer characters survive.
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "hz": "gb18030", "big5": "cp950", "latin_1": "cp1252",
              "iso8859-1": "cp1252", "ascii": "utf-8"}
# UTF-16 is not a candidate: with any ASCII (newlines) it has NUL bytes and is recognised before detection.
_CANDIDATES = ("gb18030", "cp950", "big5hkscs")
_RANK = {name: i for i, name in enumerate(_CANDIDATES)}
# Detection cannot tell Big5 variants apart; Windows' cp950 is the common one, HKSCS the fallback.
_PREFERRED = {"big5hkscs": ("cp950", "big5hkscs"), "big5": ("cp950", "big5hkscs")}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f\x7f]")
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f\x7f]")
# Characters real Chinese text is made of; UTF-16-decoding other bytes gives mostly anything else.
_PLAUSIBLE = re.compile("[\t\n\r\x20-\x7e\xa0-\xff\u2000-\u206f\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
_ESCAPED = re.compile("[\udc80-\udcff]")                 # undecodable bytes under surrogateescape
_WIDE = re.compile("[\u0800-\ud7ff\ue000-\U0010ffff]")     # characters that take 3-4 UTF-8 bytes
_SAMPLE = 1 << 16
_STRAY_NULS = 8  # a few NUL bytes in a text file are damage, more mean binary content
_MARKDOWN = MarkdownIt("commonmark").enable(["table", "strikethrough"])
_COMMENT = re.compile(r"^\s*<!--.*?-->\s*$", re.S)


class Decoded(NamedTuple):
    text: str
    encoding: str          # Python codec name actually used
    detected: bool         # True when the encoding was guessed rather than BOM / declared / valid UTF-8
    warnings: list[str]


def codec_name(label: str) -> str | None:
    """Python codec for a charset label (GB2312 -> gb18030, Big5 -> cp950); None if unknown."""
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except (LookupError, ValueError):
        return None
    return _SUPERSETS.get(name, name)


def _too_many_controls(text: str) -> bool:
    sample = text[:_SAMPLE]
    return len(_CONTROL.findall(sample)) > max(2, len(sample) // 100)


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without BOM: NUL bytes (high bytes of ASCII) nearly all on one parity, and plausible text."""
    if len(data) % 2:
        return None
    sample = data[:_SAMPLE]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if min(even, odd) * 4 > max(even, odd):  # a few on the other side: characters like 一 (U+4E00)
        return None
    try:
        text = data.decode("utf-16-le" if odd > even else "utf-16-be")
    except UnicodeDecodeError:
        return None
    sample_text = text[:_SAMPLE]
    return text if len(_PLAUSIBLE.findall(sample_text)) >= 0.9 * len(sample_text) else None


def _almost_utf8(data: bytes) -> str | None:
    """UTF-8 with a few damaged bytes (e.g. cut mid-character): decoded with U+FFFD replacements."""
    text = data.decode("utf-8", "surrogateescape")
    bad = len(_ESCAPED.findall(text))
    if bad <= 8 and len(_WIDE.findall(text)) >= 20 * bad:
        return data.decode("utf-8", "replace")
    return None


def decode_bytes(data: bytes, declared: str | None = None) -> Decoded:
    """Decode file bytes: BOM, then the declared charset, UTF-8, then detection; IngestError if none fits
    or the result is binary (NUL bytes, control characters)."""
    decoded = _decode(data, declared)
    if _too_many_controls(decoded.text):
        raise IngestError("binary content (control characters)")
    return decoded


def _decode(data: bytes, declared: str | None) -> Decoded:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data.decode(codec), codec.replace("-sig", ""), False, [])
            except UnicodeDecodeError as e:
                raise IngestError(f"undecodable text: invalid {codec} after BOM at byte {e.start}") from e
    warnings = []
    nuls = data.count(b"\x00")
    if nuls:
        text = _utf16_without_bom(data)
        if text is not None:
            return Decoded(text, "utf-16", True, [])
        if nuls > _STRAY_NULS:
            raise IngestError("binary content (NUL bytes)")
        data = data.replace(b"\x00", b"")
        warnings.append(f"{nuls} NUL bytes removed")
    codec = declared and codec_name(declared)
    if codec:
        try:
            return Decoded(data.decode(codec), codec, False, warnings)
        except UnicodeDecodeError:
            warnings.append(f"declared charset {declared} does not match the content")
    try:
        return Decoded(data.decode("utf-8"), "utf-8", False, warnings)
    except UnicodeDecodeError:
        pass
    text = _almost_utf8(data)
    if text is not None:
        return Decoded(text, "utf-8", False, warnings + ["invalid UTF-8 bytes replaced by U+FFFD"])
    sample = data[:_SAMPLE]
    if len(_CONTROL_BYTES.findall(sample)) > max(2, len(sample) // 100):
        raise IngestError("binary content (control bytes)")
    # Short texts often tie between GB18030 and Big5; ties go to the candidate listed first.
    matches = sorted(from_bytes(data, cp_isolation=list(_CANDIDATES)),
                     key=lambda m: (m.chaos, -m.coherence, _RANK.get(m.encoding, len(_RANK))))
    for match in matches:
        for codec in _PREFERRED.get(match.encoding, (match.encoding,)):
            try:
                return Decoded(data.decode(codec), codec, True, warnings)
            except UnicodeDecodeError:
                continue
    raise IngestError(f"undecodable text: not UTF-8 and not {', '.join(_CANDIDATES)}")


class TextExtractor(Extractor):
    """Plain text and Markdown, matched by extension only; one page; the Markdown title is the first '# ' heading."""

    name = "text"
    extensions = (".txt", ".text", ".md", ".markdown")
    mime = "text/plain"

    def extract(self, path: Path, settings: Settings = DEFAULTS) -> Extraction:
        try:
            data = path.read_bytes()
        except OSError as e:
            raise IngestError(f"cannot read file: {e.strerror}", stage="read") from e
        decoded = decode_bytes(data)
        repaired = repair(decoded.text.replace("\r\n", "\n").replace("\r", "\n"))
        text = repaired.text
        warnings = list(decoded.warnings)
        if decoded.encoding != "utf-8":
            warnings.append(f"decoded as {decoded.encoding}")
        warnings += repaired.warnings
        if not text.strip():
            warnings.append("empty document")
        markdown = path.suffix.lower() in (".md", ".markdown")
        title = None
        if markdown:
            text, title = markdown_text(text)
        return Extraction(mime="text/markdown" if markdown else self.mime, pages=[text],
                          metadata={"title": title} if title else {}, warnings=warnings,
                          sources={"title": "heading"} if title else {})


def markdown_text(source: str) -> tuple[str, str | None]:
    """Markdown as the plain text it shows, and its first level-1 heading (None without one).

    Blocks are separated by a blank line (the items of a tight list by a line break); headings are lines
    without '#', emphasis and links keep only their text, HTML comments are dropped, ordered list items keep
    their number (1. …), table rows are their cells joined by tabs.
    """
    out: list[str] = []
    title = None
    heading, hidden, after_item, prefix = 0, False, False, ""
    row: list[str] | None = None
    rows: list[str] = []

    def add(text: str, item: bool = False) -> None:
        nonlocal after_item
        if out:
            out.append("\n" if item and after_item else "\n\n")
        out.append(text)
        after_item = item

    for token in _MARKDOWN.parse(source):
        kind = token.type
        if kind == "heading_open":
            heading = int(token.tag[1:])
        elif kind == "heading_close":
            heading = 0
        elif kind in ("paragraph_open", "paragraph_close"):
            hidden = token.hidden and kind == "paragraph_open"  # a paragraph of a tight list's item
        elif kind in ("bullet_list_open", "ordered_list_open") and token.level == 0:
            after_item = False  # a new list, not the next item
        elif kind == "list_item_open":
            prefix = f"{token.info}{token.markup} " if token.info else ""
        elif kind == "tr_open":
            row = []
        elif kind == "tr_close" and row is not None:
            rows.append("\t".join(row))
            row = None
        elif kind == "table_close":
            add("\n".join(rows))
            rows = []
        elif kind == "inline":
            text = _inline(token.children or [])
            if row is not None:
                row.append(text.replace("\n", " "))
                continue
            if heading == 1 and title is None:
                title = text.strip() or None
            add(prefix + text, item=hidden)
            prefix = ""
        elif kind in ("fence", "code_block") or kind == "html_block" and not _COMMENT.match(token.content):
            add(token.content.rstrip("\n"))
    return "".join(out) + ("\n" if out else ""), title


def _inline(children: list[Token]) -> str:
    """The text of an inline run: markup dropped, line breaks kept, HTML comments left out, images by their alt text."""
    parts = []
    for t in children:
        if t.type in ("text", "code_inline", "image"):
            parts.append(t.content)
        elif t.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif t.type == "html_inline" and not _COMMENT.match(t.content):
            parts.append(t.content)
    return "".join(parts)
