"""DOCX extraction: the 31 real provincial work reports, and generated files with tables, text boxes, breaks."""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml

from ingest.errors import IngestError
from ingest.extractors import choose
from ingest.extractors.docx import DocxExtractor
from ingest.metadata import extract_metadata

REPORTS = "provincial-work-reports-2025/docx"
WS = re.compile(r"\s+")
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
MC = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
WPS = 'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
V = 'xmlns:v="urn:schemas-microsoft-com:vml"'


def extract(path: Path):
    return DocxExtractor().extract(path)


@pytest.fixture(scope="module")
def reports(corpus):
    paths = sorted((corpus / REPORTS).glob("*.docx"))
    assert len(paths) == 31
    return [(p, extract(p)) for p in paths]


def test_reports_hold_every_paragraph_in_order(reports):
    """Same text as python-docx's own paragraph list (no tables or text boxes in these WPS files)."""
    for path, e in reports:
        reference = [p.text for p in docx.Document(str(path)).paragraphs]
        assert e.warnings == [] and len(e.pages) == 1, path.name
        assert WS.sub("", e.text) == WS.sub("", "".join(reference)), path.name
        assert [line for line in e.text.splitlines() if line.strip()] == [
            line.rstrip(" \t\xa0\u3000") for t in reference for line in t.split("\n") if line.strip()]


def test_reports_title_and_opening(reports):
    for path, e in reports:
        province = path.stem[len("2025年"):-len("政府工作报告")]
        assert e.text.splitlines()[0] == path.stem, path.name
        m = extract_metadata(e.text, e.metadata, sources=e.sources, filename=path.name)
        assert m["title"].startswith(f"2025年{province}政府工作报告")
        assert "各位代表" in e.text


def text_box_run(text: str) -> str:
    """A floating text box as Word writes it: the DrawingML shape, and a VML copy for old readers."""
    return (f'<w:r {W} {MC} {WPS} {V}><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:wsp>'
            f'<wps:txbx><w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent></wps:txbx>'
            f'</wps:wsp></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>'
            f'<w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict>'
            f'</mc:Fallback></mc:AlternateContent></w:r>')


@pytest.fixture
def generated(tmp_path) -> Path:
    """A 公文-like DOCX: text-box header, title, tracked insertion, table with merges and a nested table,
    a content control, a hard page break and an annex page."""
    d = docx.Document()
    d.core_properties.title = "示例市人民政府关于做好2025年政务公开工作的通知"
    head = d.add_paragraph()
    head._p.append(parse_xml(text_box_run("示例市人民政府文件")))
    d.add_paragraph("示政发〔2025〕3号")
    d.add_paragraph("示例市人民政府关于做好2025年政务公开工作的通知")
    p = d.add_paragraph("各区县人民政府")
    p._p.append(parse_xml(f'<w:ins {W} w:id="1" w:author="x"><w:r><w:t>，市政府各部门</w:t></w:r></w:ins>'))
    p._p.append(parse_xml(f'<w:del {W} w:id="2" w:author="x"><w:r><w:delText>已删除</w:delText></w:r></w:del>'))
    p.add_run("：")
    table = d.add_table(rows=3, cols=3)
    for r, row in enumerate([["序号", "事项", "责任单位"], ["1", "公开目录", "市政府办公室"], ["2", "年度报告", ""]]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    table.cell(2, 1).merge(table.cell(2, 2))
    table.cell(2, 1).text = "年度报告（合并单元格）"
    inner = table.cell(1, 2).add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "内表甲"
    inner.cell(0, 1).text = "内表乙"
    d.element.body.insert(len(d.element.body) - 1, parse_xml(
        f'<w:sdt {W}><w:sdtContent><w:p><w:r><w:t>内容控件中的段落</w:t></w:r></w:p></w:sdtContent></w:sdt>'))
    d.add_paragraph("示例市人民政府").add_run().add_break(docx.enum.text.WD_BREAK.PAGE)
    d.add_paragraph("附件：2025年政务公开重点任务")
    path = tmp_path / "notice.docx"
    d.save(str(path))
    return path


def test_generated_notice_body_order(generated):
    e = extract(generated)
    assert e.warnings == []
    assert e.pages[0].splitlines() == [
        "示例市人民政府文件", "", "示政发〔2025〕3号", "示例市人民政府关于做好2025年政务公开工作的通知",
        "各区县人民政府，市政府各部门：",
        "序号\t事项\t责任单位", "1\t公开目录\t市政府办公室 内表甲 内表乙", "2\t年度报告（合并单元格）",
        "内容控件中的段落", "示例市人民政府"]
    assert e.pages[1] == "附件：2025年政务公开重点任务"
    assert e.text.count("示例市人民政府文件") == 1   # the VML fallback copy of the text box is not read
    assert "已删除" not in e.text


def test_generated_notice_metadata(generated):
    e = extract(generated)
    assert e.metadata == {}   # core title is not where the text starts (the header is)
    m = extract_metadata(e.text, e.metadata, sources=e.sources)
    assert m["doc_number"] == "示政发〔2025〕3号"
    assert m["title"] == "示例市人民政府关于做好2025年政务公开工作的通知"


def test_core_title_used_when_the_text_starts_with_it(tmp_path):
    d = docx.Document()
    d.core_properties.title = "关于开展政务公开检查的通知"
    d.add_paragraph("关于开展政务公开检查的通知")
    d.add_paragraph("正文。")
    d.save(str(tmp_path / "t.docx"))
    assert extract(tmp_path / "t.docx").metadata == {"title": "关于开展政务公开检查的通知"}


def test_empty_document_warns(tmp_path):
    docx.Document().save(str(tmp_path / "empty.docx"))
    e = extract(tmp_path / "empty.docx")
    assert e.pages == [""] and e.warnings == ["no text"]


def test_broken_files_fail_clearly(tmp_path, corpus):
    real = sorted((corpus / REPORTS).glob("*.docx"))[0].read_bytes()
    (tmp_path / "cut.docx").write_bytes(real[: len(real) // 2])
    with zipfile.ZipFile(tmp_path / "noword.docx", "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
    for name in ("cut.docx", "noword.docx"):
        with pytest.raises(IngestError) as err:
            extract(tmp_path / name)
        assert err.value.reason.startswith("corrupt DOCX"), name


def test_zip_bomb_is_refused_before_python_docx_reads_it(tmp_path, corpus):
    real = sorted((corpus / REPORTS).glob("*.docx"))[0]
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(real) as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        dst.writestr("word/media/zeros.bin", bytes(16 << 20))
    with pytest.raises(IngestError, match="zip bomb"):
        extract(bomb)


def test_a_docx_named_doc_is_read_as_docx(corpus):
    path = sorted((corpus / REPORTS).glob("*.docx"))[0]
    head = path.read_bytes()[:8192]
    assert choose(Path("report.doc"), head).name == "docx"
    assert choose(Path("report.docx"), head).name == "docx"
    assert choose(Path("report.docx"), b"junk").name == "docx"
