"""PDF extraction: text per page on real 决算 PDFs, scans without text, encrypted/corrupt files fail clearly."""
from __future__ import annotations

import re
from pathlib import Path

import pypdfium2
import pytest
from hostile_set import pdf_bytes

from ingest.errors import IngestError
from ingest.extractors.pdf import PdfExtractor

CJK = re.compile(r"[\u4e00-\u9fff]")
PUTUO = "shanghai-putuo-juesuan"
# Pages that are blank in the file itself (no characters, no images): 财政局 p.14 is an empty landscape page.
BLANK_PAGES = {"上海市普陀区财政局2024年度部门决算.pdf": [14]}


def extract(path: Path):
    return PdfExtractor(ocr=False).extract(path)


def page_count(path: Path) -> int:
    pdf = pypdfium2.PdfDocument(path)
    try:
        return len(pdf)
    finally:
        pdf.close()


def minimal_pdf(extra_objects: list[bytes] = (), trailer: bytes = b"") -> bytes:
    """A one-page PDF with a correct xref table; objects 4.. and trailer entries can be added."""
    return pdf_bytes([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                      b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>", *extra_objects], trailer)


@pytest.fixture(scope="module")
def putuo(corpus):
    """(path, extraction) of the four Putuo 部门决算 PDFs (Word 2010, WPS, ONLYOFFICE)."""
    paths = sorted((corpus / PUTUO).glob("*.pdf"))
    assert len(paths) == 4
    return [(p, extract(p)) for p in paths]


def test_putuo_pages_match_pdfium_and_hold_chinese_text(putuo):
    for path, e in putuo:
        assert e.mime == "application/pdf"
        assert len(e.pages) == page_count(path), path.name
        blank = BLANK_PAGES.get(path.name, [])
        for number, text in enumerate(e.pages, 1):
            if number in blank:
                assert text == ""
            else:
                assert len(CJK.findall(text)) >= 10, (path.name, number)
            assert "\ufffd" not in text and "(cid:" not in text
        assert e.warnings == ([f"no text on pages {', '.join(map(str, blank))}"] if blank else [])


def test_putuo_text_reads_as_chinese(putuo):
    texts = {path.name: e for path, e in putuo}
    planning = texts["上海市普陀区规划和自然资源局2024年度部门决算.pdf"].pages
    assert planning[0].splitlines() == ["上海市普陀区规划和自然", "资源局", "2024 年度部门决算"]
    assert "第一部分 上海市普陀区规划和自然资源局概况" in planning[3]
    assert "履行全民所有自然资源资产所有者职责" in planning[3]
    assert any("收入支出决算总表" in page for page in planning)
    social = texts["中共上海市普陀区委社会工作部2024年度部门决算.pdf"].pages
    assert "统筹指导人民信访" in social[3]


def test_blank_page_is_blank_for_pdfium_too(corpus):
    path = corpus / PUTUO / "上海市普陀区财政局2024年度部门决算.pdf"
    pdf = pypdfium2.PdfDocument(path)
    try:
        assert pdf[13].get_textpage().get_text_range() == ""
    finally:
        pdf.close()


def test_document_info_title_is_ignored_unless_on_page_one(putuo):
    """Their info Titles are '附件2：预算主管部门公开样张' and a file name: template leftovers, not titles."""
    assert all("title" not in e.metadata for _, e in putuo)


@pytest.mark.parametrize("name, pages", [("scan2pdf_blank_capture_3p.pdf", 3), ("scan2pdf_blank_capture_5p.pdf", 5)])
def test_image_only_scans_warn(corpus, name, pages):
    e = extract(corpus / "handan-renmin-portal" / name)
    assert e.pages == [""] * pages
    assert e.warnings == ["no text layer (scanned?)"]


def test_garbled_text_layer_warns(corpus):
    """GM/T 0031 uses custom font encodings: pdfminer yields (cid:N) glyphs."""
    e = extract(corpus / "ofdrw-samples" / "pdf" / "GMT_0031-2014_安全电子签章密码技术规范.pdf")
    assert len(e.pages) == 11
    assert any(w.startswith("unmapped glyphs (cid:N) on") for w in e.warnings)


@pytest.mark.parametrize("keep", [100, 1000, 0.5, -100])
def test_truncated_pdf_is_corrupt(corpus, tmp_path, keep):
    data = (corpus / PUTUO / "中共上海市普陀区委社会工作部2024年度部门决算.pdf").read_bytes()
    cut = tmp_path / "truncated.pdf"
    cut.write_bytes(data[: int(len(data) * keep) if isinstance(keep, float) else keep])
    with pytest.raises(IngestError) as err:
        extract(cut)
    assert err.value.reason.startswith("corrupt PDF: ")
    assert err.value.stage == "extract"


def test_encrypted_pdf_fails_as_encrypted(tmp_path):
    """A user password that is not empty: the text cannot be read, and the reason says so."""
    encrypt = b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P -44 >>" % (b"ab" * 32, b"cd" * 32)
    file_id = b"<0123456789abcdef0123456789abcdef>"
    path = tmp_path / "locked.pdf"
    path.write_bytes(minimal_pdf([encrypt], b"/Encrypt 4 0 R /ID [%s %s] " % (file_id, file_id)))
    with pytest.raises(IngestError) as err:
        extract(path)
    assert err.value.reason == "encrypted PDF"


def test_minimal_pdf_without_text(tmp_path):
    path = tmp_path / "empty-page.pdf"
    path.write_bytes(minimal_pdf())
    e = extract(path)
    assert e.pages == [""]
    assert e.warnings == ["no text layer (scanned?)"]


def test_not_a_pdf_and_missing_file(tmp_path):
    fake = tmp_path / "fake.pdf"
    fake.write_bytes(b"<html>not a pdf</html>")
    with pytest.raises(IngestError, match="corrupt PDF"):
        extract(fake)
    with pytest.raises(IngestError) as err:
        extract(tmp_path / "missing.pdf")
    assert err.value.stage == "read"


def test_match_by_magic_anywhere_in_the_first_kib():
    x = PdfExtractor()
    assert x.match(Path("scan.bin"), b"%PDF-1.7\n") == 2
    assert x.match(Path("scan.bin"), b"\r\nJUNK HEADER\r\n%PDF-1.4\n") == 2
    assert x.match(Path("a.PDF"), b"garbage") == 1
    assert x.match(Path("a.txt"), b"plain") == 0
