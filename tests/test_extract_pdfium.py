"""PDF body text through pypdfium2: same text as pdfplumber, real encryption, garbled layers, page closing."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pdfplumber
import pytest
from hostile_set import pdf_bytes

from ingest.errors import IngestError
from ingest.extractors import pdf as pdf_module
from ingest.extractors.pdf import PdfExtractor

WS = re.compile(r"\s+")
SAMPLES = Path(__file__).resolve().parents[1] / "ingest" / "samples" / "pdf"
GMT = "ofdrw-samples/pdf/GMT_0031-2014_安全电子签章密码技术规范.pdf"
# PDF Standard security handler padding (ISO 32000-1, 7.6.3.3).
PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def plumber(path: Path) -> list[str]:
    with pdfplumber.open(path) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def rc4(key: bytes, data: bytes) -> bytes:
    s, j = list(range(256)), 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    out, i, j = bytearray(), 0, 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(byte ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


def text_pdf(text: str, user_password: bytes | None = None, owner_password: bytes = b"owner") -> bytes:
    """A one-page PDF showing `text` in Helvetica; RC4 40-bit encrypted (R2) when a user password is given."""
    content = b"BT /F1 24 Tf 20 100 Td (%s) Tj ET" % text.encode("latin-1")
    file_id = hashlib.md5(text.encode()).digest()
    encrypt, key = b"", b""
    if user_password is not None:
        p = -44
        o = rc4(hashlib.md5((owner_password + PAD)[:32]).digest()[:5], (user_password + PAD)[:32])
        key = hashlib.md5((user_password + PAD)[:32] + o + p.to_bytes(4, "little", signed=True) + file_id).digest()[:5]
        u = rc4(key, PAD)
        encrypt = b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P %d >>" % (o.hex().encode(), u.hex().encode(), p)
        content = rc4(hashlib.md5(key + (4).to_bytes(3, "little") + (0).to_bytes(2, "little")).digest()[:10], content)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    if encrypt:
        objects.append(encrypt)
    trailer = (b"/Encrypt 6 0 R " if encrypt else b"") + b"/ID [<%s> <%s>] " % ((file_id.hex().encode(),) * 2)
    return pdf_bytes(objects, trailer)


def test_sample_pdfs_read_exactly_as_pdfplumber_did():
    """The bundled samples (one column, no tables): identical text after whitespace is removed."""
    paths = sorted(SAMPLES.glob("*.pdf"))
    assert len(paths) == 11
    for path in paths:
        ours = PdfExtractor(ocr=False).extract(path)
        theirs = plumber(path)
        assert len(ours.pages) == len(theirs)
        assert [WS.sub("", p) for p in ours.pages] == [WS.sub("", p) for p in theirs], path.name
        assert ours.warnings == []


def test_putuo_tables_hold_the_same_characters_as_pdfplumber(corpus):
    """On the 决算 table pages pdfium keeps content-stream order, pdfplumber sorts by position: same characters.
    (Two of the four files, for time; bench/pdf_extract.py compares all.)"""
    for path in sorted((corpus / "shanghai-putuo-juesuan").glob("*.pdf"))[::2]:
        ours = PdfExtractor(ocr=False).extract(path).pages
        for number, (a, b) in enumerate(zip(ours, plumber(path)), 1):
            assert sorted(WS.sub("", a)) == sorted(WS.sub("", b)), (path.name, number)


def test_pdfium_text_is_normalised():
    """No \\r\\n, no trailing spaces (pdfium ends lines with ' \\r\\n')."""
    for path in sorted(SAMPLES.glob("*.pdf")):
        for page in PdfExtractor(ocr=False).extract(path).pages:
            assert "\r" not in page and not re.search(r"[ \t]$", page, re.M) and page == page.strip("\n")


def test_really_encrypted_pdf_needs_its_password(tmp_path):
    locked = tmp_path / "locked.pdf"
    locked.write_bytes(text_pdf("Budget 2024", user_password=b"secret"))
    with pytest.raises(IngestError) as err:
        PdfExtractor().extract(locked)
    assert err.value.reason == "encrypted PDF"


def test_owner_only_encryption_is_readable(tmp_path):
    """An empty user password (print/copy restrictions only) opens without one: the text is read."""
    restricted = tmp_path / "restricted.pdf"
    restricted.write_bytes(text_pdf("Budget 2024", user_password=b""))
    e = PdfExtractor().extract(restricted)
    assert e.pages == ["Budget 2024"] and e.warnings == []


def test_garbled_text_layer_is_reported_when_ocr_is_off(corpus):
    e = PdfExtractor(ocr=False).extract(corpus / GMT)
    assert len(e.pages) == 11
    assert e.warnings == ["unmapped glyphs (cid:N) on 11 pages: text layer may be garbled"]


def test_ocr_setting_precedence(monkeypatch, tmp_path):
    """PdfExtractor(ocr=) over the settings' ocr."""
    from archive.settings import Settings

    seen = []
    monkeypatch.setattr(pdf_module._Ocr, "__init__", lambda self, enabled, settings, path: seen.append(enabled) or None)
    monkeypatch.setattr(pdf_module._Ocr, "warnings", lambda self: [])
    path = tmp_path / "t.pdf"
    path.write_bytes(text_pdf("Budget 2024"))
    PdfExtractor().extract(path, Settings(ocr=True))
    PdfExtractor().extract(path, Settings(ocr=False))
    PdfExtractor(ocr=False).extract(path, Settings(ocr=True))
    PdfExtractor(ocr=True).extract(path, Settings(ocr=False))
    assert seen == [True, False, False, True]


def test_every_page_is_closed(monkeypatch, corpus):
    """Regression (pdfplumber kept pages: 731 MiB on a 200-page file): each page is closed after use."""
    import pypdfium2

    opened, closed = [], []
    real_get, real_close = pypdfium2.PdfDocument.__getitem__, pypdfium2.PdfPage.close
    monkeypatch.setattr(pypdfium2.PdfDocument, "__getitem__",
                        lambda self, i: opened.append(i) or real_get(self, i))
    monkeypatch.setattr(pypdfium2.PdfPage, "close", lambda self, *a: closed.append(1) or real_close(self, *a))
    PdfExtractor(ocr=False).extract(corpus / "shanghai-putuo-juesuan" / "上海市普陀区财政局2024年度部门决算.pdf")
    assert len(opened) == 25 and len(closed) >= 25


def cid_pdf(lines: list[tuple[float, str]], font: bytes = b"STSong-Light", ordering: bytes = b"GB1",
            cmap: bytes = b"UniGB-UCS2-H") -> bytes:
    """A one-page PDF showing (y, text) lines at x=50 in a non-embedded CJK CID font (as reportlab writes them)."""
    shows = b"".join(b"BT /F1 11 Tf 50 %g Td <%s> Tj ET\n" % (y, text.encode("utf-16-be").hex().encode())
                     for y, text in lines)
    return pdf_bytes([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(shows) + shows + b"\nendstream",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /%s /Encoding /%s /DescendantFonts [6 0 R] >>" % (font, cmap),
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /%s /CIDSystemInfo << /Registry (Adobe) /Ordering (%s)"
        b" /Supplement 4 >> /FontDescriptor 7 0 R /DW 1000 /W [1 95 500] >>" % (font, ordering),
        b"<< /Type /FontDescriptor /FontName /%s /Flags 6 /FontBBox [-25 -254 1000 880] /ItalicAngle 0"
        b" /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>" % font,
    ])


# Lines cut every 40 characters as the ingest bench and many PDF printers do: some lines are one mark.
LONE_MARKS = [(800, "第一条 为了规范口岸开放，提高口岸通关效率，保障口岸安全畅通"), (784, "。"),
              (768, "第二条 本条例所称的口岸，是指供人员出入境的港口"), (752, "；"), (736, "第三条（一）"), (720, "："),
              (704, "国"), (688, "2024年")]


def pdfium_text(path: Path) -> list[str]:
    """pypdfium2's own page texts: pages loaded with the system fonts pdfium finds by itself."""
    import pypdfium2

    from ingest.extractors import pdf_fonts

    pdf = pypdfium2.PdfDocument(path)
    out = []
    try:
        for i in range(len(pdf)):
            with pdf_fonts.real_fonts():
                page = pdf[i]
            textpage = page.get_textpage()
            out.append(pdf_module._clean(textpage.get_text_range()))
            textpage.close()
            page.close()
    finally:
        pdf.close()
    return out


def pdfium_has_cjk_font() -> bool:
    """Whether pdfium finds a system font with Chinese glyphs: then it keeps a lone 。 by itself."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "mark.pdf"
        path.write_bytes(cid_pdf([(700, "。")]))
        return pdfium_text(path) == ["。"]


@pytest.mark.parametrize("font, ordering, cmap", [(b"STSong-Light", b"GB1", b"UniGB-UCS2-H"),
                                                  (b"MSung-Light", b"CNS1", b"UniCNS-UCS2-H"),
                                                  (b"HeiseiMin-W3", b"Japan1", b"UniJIS-UCS2-H")])
def test_lone_marks_in_a_non_embedded_cjk_font_are_kept(tmp_path, font, ordering, cmap):
    """Regression (382 of 1,543 bench pages lost a lone 。；： on a machine without CJK fonts): a line holding one
    character of a non-embedded CJK font is read, whatever fonts the machine has (GB1: same as pdfplumber)."""
    path = tmp_path / "marks.pdf"
    path.write_bytes(cid_pdf(LONE_MARKS, font, ordering, cmap))
    pages = PdfExtractor(ocr=False).extract(path).pages
    assert pages == ["\n".join(text for _, text in LONE_MARKS)]
    if ordering == b"GB1":  # (pdfminer misses simplified characters shown through the CNS1 and Japan1 maps)
        assert [WS.sub("", p) for p in pages] == [WS.sub("", p) for p in plumber(path)]


def test_non_embedded_cjk_text_is_pdfiums_own_with_system_fonts(tmp_path):
    """The box-glyph stand-in (pdf_fonts) changes no character nor line of what pdfium reads with a system CJK
    font: the bundled samples (STSong-Light, not embedded), the ruled table and the lone marks, page by page."""
    if not pdfium_has_cjk_font():
        pytest.skip("pdfium finds no CJK system font here (apt-get install fonts-wqy-microhei or fonts-noto-cjk)")
    marks = tmp_path / "marks.pdf"
    marks.write_bytes(cid_pdf(LONE_MARKS))
    paths = [*sorted(SAMPLES.glob("*.pdf")), Path(__file__).parent / "data" / "pdf" / "ruled_table.pdf", marks]
    for path in paths:
        assert PdfExtractor(ocr=False, tables=False).extract(path).pages == pdfium_text(path), path.name


def test_box_font_glyphs():
    """The stand-in font as FreeType reads it: ideographs and full-width marks a full em wide, ASCII half,
    white space empty."""
    import io

    from PIL import ImageFont

    from ingest.extractors.pdf_fonts import FACE_NAME, build_font

    font = ImageFont.truetype(io.BytesIO(build_font()), 1000)
    assert font.getname()[0] == FACE_NAME.decode()
    assert [font.getmask(ch).getbbox() is not None for ch in "国。；Ａ\U00020000A1 \u3000"] == [True] * 7 + [False] * 2
    assert [font.getlength(ch) for ch in "国。A"] == [1000, 1000, 500]


def test_pages_for_ocr_are_rendered_with_system_fonts(tmp_path, monkeypatch):
    """OCR sees the page as pdfium draws it by itself, not the box glyphs text reading uses."""
    import pypdfium2

    from archive.settings import Settings
    from ingest.extractors import ocr, pdf_fonts

    path = tmp_path / "marks.pdf"
    path.write_bytes(cid_pdf(LONE_MARKS))
    seen = []
    monkeypatch.setattr(ocr, "engine", lambda settings: None)
    monkeypatch.setattr(ocr, "recognize", lambda image, settings, timeout: seen.append(image.tobytes()) or "")
    settings = Settings(ocr_max_side=400)
    with pdf_fonts.boxes():
        pdf_module._Ocr(True, settings, path).read(1)

    scale = ocr.scale_for(*pypdfium2.PdfDocument(path)[0].get_size(), 400)
    assert seen == [rendered(path, scale, pdf_fonts.real_fonts())]
    assert seen != [rendered(path, scale, pdf_fonts.boxes())]


def rendered(path, scale: float, mode=None) -> bytes:
    """The first page of `path` drawn at `scale` (loaded within `mode`, a pdf_fonts context, if given)."""
    import contextlib

    import pypdfium2

    pdf = pypdfium2.PdfDocument(path)
    with mode or contextlib.nullcontext():
        page = pdf[0]
    bitmap = page.render(scale=scale)
    try:
        return bitmap.to_pil().tobytes()
    finally:
        bitmap.close()
        page.close()
        pdf.close()


def font_family(page) -> str:
    """The family pdfium stands in for the font of the page's first text object."""
    import ctypes

    import pypdfium2.raw as pdfium_c

    obj = next(o for o in page.get_objects() if o.type == pdfium_c.FPDF_PAGEOBJ_TEXT)
    font = pdfium_c.FPDFTextObj_GetFont(obj.raw)
    size = pdfium_c.FPDFFont_GetFamilyName(font, None, 0)
    buffer = ctypes.create_string_buffer(size)
    pdfium_c.FPDFFont_GetFamilyName(font, buffer, size)
    return buffer.value.decode()


def test_extraction_measures_non_embedded_cjk_fonts_with_the_box_font(monkeypatch):
    """Regression (76–92 pages/s with the Noto CJK fonts installed, 726 without): text reading never measures a
    non-embedded CJK font with a system font; pages loaded outside the extractor do, as pdfium does by itself."""
    import pypdfium2

    from ingest.extractors.pdf_fonts import FACE_NAME

    families = []
    real_textpage = pypdfium2.PdfPage.get_textpage
    monkeypatch.setattr(pypdfium2.PdfPage, "get_textpage",
                        lambda self: families.append(font_family(self)) or real_textpage(self))
    sample = sorted(SAMPLES.glob("*.pdf"))[0]
    PdfExtractor(ocr=False).extract(sample)
    assert families and set(families) == {FACE_NAME.decode()}
    pdf = pypdfium2.PdfDocument(sample)
    try:
        page = pdf[0]
        assert font_family(page) != FACE_NAME.decode()
        page.close()
    finally:
        pdf.close()


def test_reading_text_in_one_thread_leaves_another_threads_render_alone(tmp_path):
    """boxes() holds for the thread that enters it: a page rendered meanwhile in another thread of the same
    process (a web page image while an upload is read) gets real fonts."""
    import threading

    from ingest.extractors import pdf_fonts

    path = tmp_path / "marks.pdf"
    path.write_bytes(cid_pdf(LONE_MARKS))

    def render() -> bytes:
        return rendered(path, 0.5)

    alone = render()
    inside, out = threading.Event(), threading.Event()

    def reader() -> None:
        with pdf_fonts.boxes():
            inside.set()
            out.wait(10)

    t = threading.Thread(target=reader)
    t.start()
    assert inside.wait(10)
    try:
        assert render() == alone
    finally:
        out.set()
        t.join()
    with pdf_fonts.boxes():
        assert render() != alone   # (the test can fail: inside, the box font is used)
