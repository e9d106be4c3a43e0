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
    monkeypatch.setattr(pdf_module._Ocr, "__init__", lambda self, enabled, settings: seen.append(enabled) or None)
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
