"""PDF extraction: text per page on real 决算 PDFs, scans without text, encrypted/corrupt files fail clearly."""
from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
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


# -- ruled tables (issue 14) --------------------------------------------------------------------------------------
DATA = Path(__file__).resolve().parent / "data" / "pdf"
WS = re.compile(r"\s+")


def test_ruled_table_rows_in_place_without_duplicated_text():
    """ruled_table.pdf (reportlab, STSong-Light): a title and a sentence, a 4x4 table drawn with lines (one cell
    wrapped onto two lines), a sentence after it; page 2 has no rulings."""
    e = PdfExtractor(ocr=False, tables=True).extract(DATA / "ruled_table.pdf")
    assert e.pages[0].split("\n") == [
        "行政处罚信息公开表", "以下为本月作出的行政处罚决定。",
        "序号\t当事人\t违法行为\t处罚结果",
        "1\t某某餐饮有限公司\t超范围经营\t警告",
        "2\t某某商贸公司\t未按规定公示\t罚款人民币五千元",
        "3\t张某\t无照经营\t没收违法所得",
        "当事人对处罚决定不服的，可依法申请行政复议。"]
    assert e.pages[1] == "第二页没有表格，只有正文。"
    assert e.warnings == []


def test_tables_switch_off_keeps_pdfium_text():
    on, off = (PdfExtractor(ocr=False, tables=t).extract(DATA / "ruled_table.pdf").pages for t in (True, False))
    assert "\t" not in off[0] and "罚款人民币\n五千元" in off[0]
    assert WS.sub("", on[0]) == WS.sub("", off[0])   # same characters, none lost or repeated
    assert on[1] == off[1]


def test_pages_without_tables_keep_exactly_the_same_text(corpus):
    """The Putuo 规划 report's pages without rulings, and a sample 公文 whose 版记 rules form no table, read the
    same with tables on as with tables off."""
    from ingest.extractors import pdf_tables

    path = corpus / PUTUO / "上海市普陀区规划和自然资源局2024年度部门决算.pdf"
    on, off = (PdfExtractor(ocr=False, tables=t).extract(path).pages for t in (True, False))
    pdf = pypdfium2.PdfDocument(path)
    try:
        unruled = [n for n in range(len(pdf)) if not pdf_tables.rulings(pdf[n])]
    finally:
        pdf.close()
    assert len(unruled) >= 15 and on != off
    assert [on[n] for n in unruled] == [off[n] for n in unruled]
    sample = Path(__file__).resolve().parents[1] / "ingest/samples/pdf/示财预〔2019〕8号_2019年市级部门预算公开.pdf"
    assert (PdfExtractor(ocr=False, tables=True).extract(sample).pages
            == PdfExtractor(ocr=False, tables=False).extract(sample).pages)


def test_budget_table_rows(corpus):
    """收入支出决算总表 of the 社会工作部 report: a row per line, cells tab-separated, text around it kept."""
    page = extract(corpus / PUTUO / "中共上海市普陀区委社会工作部2024年度部门决算.pdf").pages[4].split("\n")
    assert page[:3] == ["中共上海市普陀区委社会工作部 2024 年度部门决算表", "收入支出决算总表", "单位：万元"]
    assert "项目\t决算数\t项目\t决算数" in page
    assert "一、一般公共预算财政拨款收入\t307.82\t一、一般公共服务支出\t264.87" in page
    assert "\t\t九、卫生健康支出\t2.71" in page
    assert page[-2:] == ["总计\t307.82\t总计\t307.82", "注：本表反映部门本年度的总收支和年末结转结余情况。"]


def plumber_rows(table_rows) -> list[str]:
    out = []
    for row in table_rows:
        cells = [WS.sub("", c or "") for c in row]
        while cells and not cells[-1]:
            cells.pop()
        if cells:
            out.append("\t".join(cells))
    return out


def test_tables_match_pdfplumber_find_tables(corpus):
    """On every Putuo page, the tables found from pdfium's rulings equal pdfplumber's page.find_tables()
    (same rows and cells; cell text compared without whitespace)."""
    from ingest.extractors import pdf_tables

    compared = 0
    for path in sorted((corpus / PUTUO).glob("*.pdf")):
        pdf = pypdfium2.PdfDocument(path)
        try:
            with pdfplumber.open(path) as plumbed:
                for n in range(len(pdf)):
                    page = pdf[n]
                    textpage = page.get_textpage()
                    laid = pdf_tables.page_text(page, textpage, textpage.get_text_range())
                    ours = [plumber_rows(r.split("\t") for r in rows) for rows in
                            (pdf_tables.layout(textpage, textpage.get_text_range(),
                                               pdf_tables.find_tables(pdf_tables.rulings(page)))[1]
                             if laid else [])]
                    theirs = [t for t in (plumber_rows(t.extract()) for t in plumbed.pages[n].find_tables()) if t]
                    assert ours == theirs, (path.name, n + 1)
                    compared += bool(theirs)
        finally:
            pdf.close()
    assert compared >= 50


def test_cells_match_pdfplumber_intersections_to_cells(corpus):
    """cells_of is pdfplumber's intersections_to_cells made fast: the same cells in the same order."""
    from pdfplumber.table import edges_to_intersections, intersections_to_cells, merge_edges
    from pdfplumber.utils import filter_edges

    from ingest.extractors import pdf_tables

    checked = 0
    for path in sorted((corpus / PUTUO).glob("*.pdf"))[:2]:
        pdf = pypdfium2.PdfDocument(path)
        try:
            for n in range(len(pdf)):
                edges = pdf_tables.rulings(pdf[n])
                if not edges:
                    continue
                edges = filter_edges(merge_edges(filter_edges(edges, min_length=1), 3, 3, 3, 3), min_length=3)
                points = edges_to_intersections(edges, 3, 3)
                assert pdf_tables.cells_of(points) == intersections_to_cells(points), (path.name, n + 1)
                checked += 1
        finally:
            pdf.close()
    assert checked >= 20
