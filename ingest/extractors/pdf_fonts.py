"""pdfium's stand-in for non-embedded CJK fonts: a tiny box-glyph font, so reading a text layer neither waits for
nor depends on the machine's fonts.

Why: a PDF font that is not embedded (reportlab's STSong-Light, many PDF printers' 宋体) is replaced by pdfium with a
system font. pdfium then measures every character's glyph box in that font, twice per character (when the page
is parsed and when its text page is built), and caches the box only for character codes below 256. With the Noto
CJK fonts installed (CFF outlines) that is 70 % of the reading time (5–9× slower than with no CJK font);
with no CJK font at all the boxes are empty, and a text object that holds one character (a 。 alone on its line)
has no width and is dropped from the text. The text layer needs the boxes only to place characters, not their
shapes: inside `boxes()` pdfium uses, for every font request of a CJK character set (GB2312, Big5, Shift-JIS,
Hangul), a generated TrueType font whose glyphs are plain boxes the size of a CJK ideograph (half width for
ASCII and half-width forms, empty for white space). Other requests go to pdfium's own font lookup.

Outside `boxes()` (and inside `real_fonts()`) pdfium finds fonts as it does by itself: rendering wants real glyphs.
pdfium picks a page's fonts when the page loads, so the context must hold while pages load, not while they render.
"""
from __future__ import annotations

import contextlib
import ctypes
import struct
import threading
from collections.abc import Iterator

import pypdfium2  # noqa: F401  (initialises pdfium)
import pypdfium2.raw as pdfium_c

FACE_NAME = b"GongkaiCJKBoxes"
CJK_CHARSETS = frozenset({pdfium_c.FXFONT_SHIFTJIS_CHARSET, pdfium_c.FXFONT_HANGEUL_CHARSET,
                          pdfium_c.FXFONT_GB2312_CHARSET, pdfium_c.FXFONT_CHINESEBIG5_CHARSET})
_EM = 1000
_FULL = (40, -80, 960, 830)   # ideograph-like ink box in 1/1000 em: x_min, y_min, x_max, y_max
_HALF = (40, 0, 460, 730)     # Latin letters, digits and half-width forms
# (first, last, glyph) code point ranges of the character map; code points outside them show nothing (glyph 0).
_RANGES = ((0x21, 0x7E, 1), (0xA1, 0x167F, 1), (0x1681, 0x1FFF, 2), (0x2010, 0x2027, 2), (0x2030, 0x205E, 2),
           (0x2070, 0x2FFF, 2), (0x3001, 0xFEFE, 2), (0xFF00, 0xFF60, 2), (0xFF61, 0xFFDC, 1), (0xFFDD, 0xFFE7, 2),
           (0xFFE8, 0xFFEE, 1), (0xFFEF, 0xFFFD, 2), (0x10000, 0x10FFFF, 2))
_TTCF = 0x74746366  # 'ttcf': pdfium asks whether the font is a collection


def _box_glyph(x0: int, y0: int, x1: int, y1: int) -> bytes:
    """A TrueType simple glyph: one closed rectangle, four on-curve points, 2-byte coordinate deltas."""
    head = struct.pack(">hhhhhHH", 1, x0, y0, x1, y1, 3, 0)
    xs, ys = (x0, x0, x1, x1), (y0, y1, y1, y0)
    deltas = lambda v: struct.pack(">4h", v[0], *(b - a for a, b in zip(v, v[1:])))  # noqa: E731
    body = head + bytes([1, 1, 1, 1]) + deltas(xs) + deltas(ys)
    return body + b"\0" * (-len(body) % 4)


def _checksum(data: bytes) -> int:
    data += b"\0" * (-len(data) % 4)
    return sum(struct.unpack(f">{len(data) // 4}L", data)) & 0xFFFFFFFF


def _name_table(family: bytes) -> bytes:
    """name table with family, subfamily, full and PostScript names (Windows, Unicode BMP)."""
    strings = [(1, family), (2, b"Regular"), (4, family), (6, family)]
    records, blob = b"", b""
    for name_id, text in strings:
        utf16 = text.decode("ascii").encode("utf-16-be")
        records += struct.pack(">6H", 3, 1, 0x409, name_id, len(utf16), len(blob))
        blob += utf16
    return struct.pack(">3H", 0, len(strings), 6 + 12 * len(strings)) + records + blob


def _cmap_table() -> bytes:
    """cmap with one (3,10) format-13 subtable: many code points to one glyph."""
    groups = b"".join(struct.pack(">3L", first, last, glyph) for first, last, glyph in _RANGES)
    sub = struct.pack(">HHLLL", 13, 0, 16 + len(groups), 0, len(_RANGES)) + groups
    return struct.pack(">HHHHL", 0, 1, 3, 10, 12) + sub


def build_font() -> bytes:
    """The box-glyph TrueType font (under 1 KB): .notdef empty, glyph 1 half width, glyph 2 full width."""
    glyphs = [b"", _box_glyph(*_HALF), _box_glyph(*_FULL)]
    offsets = [0]
    for glyph in glyphs:
        offsets.append(offsets[-1] + len(glyph))
    tables = {
        b"cmap": _cmap_table(),
        b"glyf": b"".join(glyphs),
        b"head": struct.pack(">LLLLHHqqhhhhHHhhh", 0x00010000, 0x00010000, 0, 0x5F0F3CF5, 0x000B, _EM, 0, 0,
                             _FULL[0], _FULL[1], _FULL[2], _FULL[3], 0, 8, 2, 1, 0),
        b"hhea": struct.pack(">LhhhHhhhhhh4hhH", 0x00010000, 880, -120, 0, _EM, 0, 0, _FULL[2], 1, 0, 0,
                             0, 0, 0, 0, 0, len(glyphs)),
        b"hmtx": struct.pack(">HhHhHh", _EM // 2, 0, _EM // 2, _HALF[0], _EM, _FULL[0]),
        b"loca": struct.pack(f">{len(offsets)}L", *offsets),
        b"maxp": struct.pack(">L14H", 0x00010000, len(glyphs), 4, 1, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0),
        b"name": _name_table(FACE_NAME),
        b"post": struct.pack(">LLhhLLLLL", 0x00030000, 0, -100, 50, 0, 0, 0, 0, 0),
    }
    count = len(tables)
    power = 1 << (count.bit_length() - 1)
    header = struct.pack(">LHHHH", 0x00010000, count, power * 16, power.bit_length() - 1, count * 16 - power * 16)
    offset = len(header) + 16 * count
    directory, body, head_at = b"", b"", 0
    for tag in sorted(tables):
        data = tables[tag]
        if tag == b"head":
            head_at = offset + len(body)
        directory += struct.pack(">4sLLL", tag, _checksum(data), offset + len(body), len(data))
        body += data + b"\0" * (-len(data) % 4)
    font = bytearray(header + directory + body)
    struct.pack_into(">L", font, head_at + 8, (0xB1B0AFBA - _checksum(bytes(font))) & 0xFFFFFFFF)  # checkSumAdjustment
    return bytes(font)


class _BoxFontInfo:
    """An FPDF_SYSFONTINFO that answers CJK font requests with the box font and passes the rest to pdfium's."""

    def __init__(self) -> None:
        self.font = build_font()
        self.tables = _tables(self.font)
        self._state = threading.local()  # per thread: pdfium calls MapFont in the thread that loads the page
        self.handle = ctypes.create_string_buffer(1)  # its address identifies the box font to pdfium
        self.default = pdfium_c.FPDF_GetDefaultSystemFontInfo()
        if not self.default:
            raise RuntimeError("pdfium has no default system font info on this platform")
        slots = dict(pdfium_c.FPDF_SYSFONTINFO._fields_)
        self.callbacks = {name: slots[name](getattr(self, name)) for name in
                          ("Release", "EnumFonts", "MapFont", "GetFont", "GetFontData", "GetFaceName",
                           "GetFontCharset", "DeleteFont")}
        self.raw = pdfium_c.FPDF_SYSFONTINFO(version=1, **self.callbacks)

    def _ours(self, font: int | None) -> bool:
        return font == ctypes.addressof(self.handle)

    def Release(self, _this: object) -> None:
        self.default.contents.Release(self.default)
        pdfium_c.FPDF_FreeDefaultSystemFontInfo(self.default)

    def EnumFonts(self, _this: object, mapper: int | None) -> None:
        self.default.contents.EnumFonts(self.default, mapper)

    def MapFont(self, _this: object, weight: int, italic: int, charset: int, pitch_family: int, face: object,
                exact: object) -> int | None:
        if getattr(self._state, "metrics", False) and charset in CJK_CHARSETS:
            return ctypes.addressof(self.handle)
        return self.default.contents.MapFont(self.default, weight, italic, charset, pitch_family, face, exact)

    def GetFont(self, _this: object, face: object) -> int | None:
        return self.default.contents.GetFont(self.default, face)

    def GetFontData(self, _this: object, font: int | None, table: int, buffer: ctypes._Pointer, size: int) -> int:
        if not self._ours(font):
            return self.default.contents.GetFontData(self.default, font, table, buffer, size)
        data = self.font if table == 0 else self.tables.get(table, b"")
        if buffer and size >= len(data):
            ctypes.memmove(buffer, data, len(data))
        return len(data)

    def GetFaceName(self, _this: object, font: int | None, buffer: ctypes._Pointer, size: int) -> int:
        if not self._ours(font):
            return self.default.contents.GetFaceName(self.default, font, buffer, size)
        if buffer and size > len(FACE_NAME):
            ctypes.memmove(buffer, FACE_NAME + b"\0", len(FACE_NAME) + 1)
        return len(FACE_NAME) + 1

    def GetFontCharset(self, _this: object, font: int | None) -> int:
        if not self._ours(font):
            return self.default.contents.GetFontCharset(self.default, font)
        return pdfium_c.FXFONT_GB2312_CHARSET

    def DeleteFont(self, _this: object, font: int | None) -> None:
        if not self._ours(font):
            self.default.contents.DeleteFont(self.default, font)


def _tables(font: bytes) -> dict[int, bytes]:
    """The font's tables by their tag as a big-endian number (how pdfium names them)."""
    count = struct.unpack_from(">H", font, 4)[0]
    out = {}
    for i in range(count):
        tag, _, offset, length = struct.unpack_from(">LLLL", font, 12 + 16 * i)
        out[tag] = font[offset:offset + length]
    return out


_installed: _BoxFontInfo | None = None


def _info() -> _BoxFontInfo:
    """The font info given to pdfium, installed on first use (a forked worker inherits it with pdfium's state)."""
    global _installed
    if _installed is None:
        info = _BoxFontInfo()
        pdfium_c.FPDF_SetSystemFontInfo(ctypes.byref(info.raw))
        _installed = info
    return _installed


@contextlib.contextmanager
def _mode(metrics: bool) -> Iterator[None]:
    """Inside boxes() (metrics) or real_fonts(), for the calling thread only: a render in another thread
    of the same process keeps real fonts while this one reads text."""
    state = _info()._state
    before, state.metrics = getattr(state, "metrics", False), metrics
    try:
        yield
    finally:
        state.metrics = before


def boxes() -> contextlib.AbstractContextManager[None]:
    """Within: pages that load measure non-embedded CJK fonts with the box font (for reading their text)."""
    return _mode(True)


def real_fonts() -> contextlib.AbstractContextManager[None]:
    """Within: pages that load take system fonts as pdfium does by itself (for rendering)."""
    return _mode(False)
