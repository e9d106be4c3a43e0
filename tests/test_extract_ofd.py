"""OFD extraction: reading order of TextCodes, templates, composite objects, annotations, real ofdrw samples."""
from __future__ import annotations

import csv
import re
import zipfile
from pathlib import Path

import pytest

from archive.settings import Settings
from ingest.errors import IngestError
from ingest.extractors import choose
from ingest.extractors.ofd import OfdExtractor
from ingest.metadata import extract_metadata

OFD_DIR = "ofdrw-samples"
NS = 'xmlns:ofd="http://www.ofdspec.org/2016"'
CJK = re.compile(r"[\u4e00-\u9fff]")
WS = re.compile(r"\s+")
# Path-only drawings (outlined text) and photos: no TextCode at all.
NO_TEXT = {"V4RideRight.ofd", "h.ofd", "containsJPEG.ofd"}
# Page counts that differ from the manifest (which counted Pages/Page_N folders): no_page_container keeps
# its one page at Doc_0/Content_0.xml; SignScaleError's Document.xml lists one of its two page files.
UNLISTED = {"ofdrw-layout_src_test_resources_no_page_container.ofd": 1, "SignScaleError.ofd": 1}


def extract(path: Path, **settings):
    return OfdExtractor().extract(path, Settings(**settings))


def manifest(corpus: Path) -> list[dict]:
    with open(corpus / OFD_DIR / "manifest.csv", encoding="utf-8") as f:
        return [row for row in csv.DictReader(f) if row["file"].endswith(".ofd")]


def write_ofd(path: Path, pages: list[str | None], extra: dict[str, str | bytes] | None = None,
              common: str = "", doc_extra: str = "") -> Path:
    """An OFD zip: OFD.xml, Doc_0/Document.xml and one Content.xml per page (`pages` are Layer contents)."""
    page_refs = "".join(f'<ofd:Page ID="{i + 1}" BaseLoc="Pages/Page_{i}/Content.xml"/>' for i in range(len(pages)))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("OFD.xml", f'<ofd:OFD {NS} Version="1.1" DocType="OFD"><ofd:DocBody><ofd:DocInfo>'
                              f'<ofd:Title>关于做好示例工作的通知</ofd:Title></ofd:DocInfo>'
                              f'<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>')
        z.writestr("Doc_0/Document.xml", f'<ofd:Document {NS}><ofd:CommonData><ofd:MaxUnitID>99</ofd:MaxUnitID>'
                                         f'{common}</ofd:CommonData><ofd:Pages>{page_refs}</ofd:Pages>{doc_extra}'
                                         f'</ofd:Document>')
        for i, layer in enumerate(pages):
            if layer is None:   # listed in Document.xml, missing from the zip
                continue
            body = layer if layer.startswith(("<ofd:Page", "<?xml")) else (
                f'<ofd:Page {NS}><ofd:Content><ofd:Layer ID="{50 + i}">{layer}</ofd:Layer></ofd:Content></ofd:Page>')
            z.writestr(f"Doc_0/Pages/Page_{i}/Content.xml", body)
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return path


def text_object(text: str, x: float, y: float, size: float = 5.0, extra: str = "", code: str = "") -> str:
    return (f'<ofd:TextObject ID="1" Boundary="{x} {y} 150 {size * 2}" Font="1" Size="{size}" {extra}>'
            f'<ofd:TextCode X="0" Y="{size}" {code}>{text}</ofd:TextCode></ofd:TextObject>')


@pytest.fixture(scope="module")
def samples(corpus):
    """{file name: extraction} for every OFD in ofdrw-samples."""
    return {p.name: extract(p) for p in sorted((corpus / OFD_DIR / "ofd").glob("*.ofd"))}


def test_every_sample_extracts_with_the_manifest_page_count(corpus, samples):
    rows = manifest(corpus)
    assert len(rows) == len(samples) == 23
    for row in rows:
        e = samples[Path(row["file"]).name]
        assert e.mime == "application/ofd"
        assert len(e.pages) == UNLISTED.get(Path(row["file"]).name, int(row["pages"])), row["file"]
    assert "1 page files not listed in the document left out" in samples["SignScaleError.ofd"].warnings


def test_no_textcode_character_is_lost(corpus, samples):
    """Every character of the manifest's TextCode sample (page, template and annotation text) is extracted."""
    for row in manifest(corpus):
        head = WS.sub("", row["text_head"])
        if not head or re.search("&#?\\w+;", head) or Path(row["file"]).name in UNLISTED:   # XML entities kept
            continue
        text = samples[Path(row["file"]).name].text
        assert set(head) <= set(text), (row["file"], set(head) - set(text))


def test_red_header_document_reading_order_and_metadata(samples):
    """n.ofd: a 红头公文 whose watermark 测试符 is part of the header TextCodes."""
    e = samples["n.ofd"]
    assert e.warnings == []
    assert e.pages[0].splitlines()[:4] == ["测试符路桥区卫生局文件", "路卫发〔2011〕76号", "关于同意张阿三同志辞职的批复",
                                           "区中医院："]
    assert "你院《关于给张阿三同志辞职的请示》（路中医发\n〔2011〕10号）收悉。" in e.pages[0]
    assert e.pages[1].splitlines()[-2:] == ["测试符路桥区卫生局办公室 2011年3月10日印发", "— 2 —"]
    m = extract_metadata(e.text, e.metadata, sources=e.sources, filename="n.ofd")
    assert m["doc_number"] == "路卫发〔2011〕76号"
    assert m["title"] == "关于同意张阿三同志辞职的批复"
    assert m["doc_type"] == "批复" and m["written_date"] == "2011-03-10"


def test_text_inside_composite_objects(samples):
    """y.ofd places every TextObject through CompositeObject → CompositeGraphicUnit in DocumentRes."""
    e = samples["y.ofd"]
    assert len(e.pages) == 3 and e.warnings == []
    assert all(len(CJK.findall(page)) > 800 for page in e.pages)
    lines = e.pages[0].splitlines()
    assert "勇立潮头 真抓实干" in lines and "建设新时代海关数字档案室" in lines and "文/海关总署" in lines
    assert lines[0] == "专题·数字档案室建设与实践"


def test_template_and_page_text_share_lines(samples):
    """Invoice labels live in a template page, values in the page: one line each, left to right."""
    lines = samples["1.ofd"].pages[0].splitlines()
    assert "价税合计（大写）\t伍佰贰拾陆圆整 （小写）¥526.00" in lines
    assert lines[5].startswith("名称：江苏京利华新材料有限公司\t密码区\t0062477>")
    assert samples["1.ofd"].warnings == ["1 attachments not extracted"]


def test_overprinted_text_is_read_once(samples):
    """Regression: zsbk.ofd draws its attachment page twice on top of itself (建建筑筑工工程程 before)."""
    lines = samples["zsbk.ofd"].pages[1].splitlines()
    assert lines[0] == "建筑工程施工许可证附件"
    assert "总建筑面积：4101.0 地上建筑面积：4101.0 地下建筑面积：0" in lines


def test_annotation_text_follows_the_page(samples):
    assert samples["20240531141733.ofd"].pages[0].splitlines()[-1] == "下载次数：1"


@pytest.mark.parametrize("name", sorted(NO_TEXT))
def test_files_without_textcode_warn(samples, name):
    e = samples[name]
    assert all(page == "" for page in e.pages)
    assert e.warnings == ["no text (image-only or outlined text?)"]


def test_reading_order_is_by_baseline_then_x(tmp_path):
    page = (text_object("第二行", 20, 40) + text_object("右边", 80, 20) + text_object("左边", 20, 20.5)
            + '<ofd:PageBlock ID="9">' + text_object("第三行", 20, 60) + "</ofd:PageBlock>")
    e = extract(write_ofd(tmp_path / "order.ofd", [page]))
    assert e.pages == ["左边 右边\n第二行\n第三行"]


def test_deltas_ctm_and_g_notation(tmp_path):
    """DeltaX 'g 3 5' repeats; a CTM scales the object; the next TextCode without X/Y continues the line."""
    obj = ('<ofd:TextObject ID="2" Boundary="10 10 100 20" CTM="2 0 0 2 0 0" Font="1" Size="2.5">'
           '<ofd:TextCode X="0" Y="2.5" DeltaX="g 3 2.5">关于印发</ofd:TextCode>'
           '<ofd:TextCode DeltaX="2.5">通知</ofd:TextCode></ofd:TextObject>')
    after = text_object("的补充", 10 + 2 * (4 * 2.5 + 2 * 2.5) + 0.5, 10, size=5.0)
    e = extract(write_ofd(tmp_path / "ctm.ofd", [obj + after]))
    assert e.pages == ["关于印发通知的补充"]


def test_templates_composites_and_annotations_are_followed(tmp_path):
    tpl = f'<ofd:Page {NS}><ofd:Content><ofd:Layer ID="3">{text_object("模板页眉", 10, 5)}</ofd:Layer></ofd:Content></ofd:Page>'
    res = (f'<ofd:Res {NS} BaseLoc="Res"><ofd:CompositeGraphicUnits>'
           f'<ofd:CompositeGraphicUnit ID="70" Width="100" Height="100"><ofd:Content>{text_object("复合对象文字", 0, 0)}'
           f'<ofd:CompositeObject ID="71" ResourceID="70" Boundary="0 0 10 10"/>'   # refers to itself: depth limit
           f'</ofd:Content></ofd:CompositeGraphicUnit></ofd:CompositeGraphicUnits></ofd:Res>')
    annots = f'<ofd:Annotations {NS}><ofd:Page PageID="1"><ofd:FileLoc>Page_0/Annotation.xml</ofd:FileLoc></ofd:Page></ofd:Annotations>'
    annot = (f'<ofd:PageAnnot {NS}><ofd:Annot Type="Watermark"><ofd:Appearance Boundary="0 0 50 50">'
             f'{text_object("内部资料", 0, 0)}</ofd:Appearance></ofd:Annot></ofd:PageAnnot>')
    page = (f'<ofd:Page {NS}><ofd:Template TemplateID="5"/><ofd:Content><ofd:Layer ID="4">'
            f'{text_object("正文第一行", 10, 30)}<ofd:CompositeObject ID="8" ResourceID="70" Boundary="10 50 100 100"/>'
            f'</ofd:Layer></ofd:Content></ofd:Page>')
    path = write_ofd(tmp_path / "res.ofd", [page],
                     extra={"Doc_0/Tpls/Tpl_0/Content.xml": tpl, "Doc_0/DocumentRes.xml": res,
                            "Doc_0/Annots/Annotations.xml": annots, "Doc_0/Annots/Page_0/Annotation.xml": annot},
                     common='<ofd:TemplatePage ID="5" BaseLoc="Tpls/Tpl_0/Content.xml"/>'
                            '<ofd:DocumentRes>DocumentRes.xml</ofd:DocumentRes>',
                     doc_extra="<ofd:Annotations>Annots/Annotations.xml</ofd:Annotations>")
    lines = extract(path).pages[0].splitlines()
    assert lines[:3] == ["模板页眉", "正文第一行", "复合对象文字"]
    assert lines[-1] == "内部资料"
    assert lines.count("复合对象文字") < 20


def test_docinfo_title_only_when_the_page_shows_it(tmp_path):
    shown = extract(write_ofd(tmp_path / "a.ofd", [text_object("关于做好示例工作的通知", 10, 10)]))
    hidden = extract(write_ofd(tmp_path / "b.ofd", [text_object("另一个标题", 10, 10)]))
    assert shown.metadata == {"title": "关于做好示例工作的通知"} and hidden.metadata == {}


def rule(x0: float, y0: float, x1: float, y1: float) -> str:
    """A table ruling: one straight stroked path (page units)."""
    return (f'<ofd:PathObject ID="9" Boundary="0 0 210 297" LineWidth="0.3">'
            f'<ofd:AbbreviatedData>M {x0} {y0} L {x1} {y1}</ofd:AbbreviatedData></ofd:PathObject>')


def boxed(text: str, x: float, y: float, width: float, size: float = 4.0) -> str:
    """A TextObject whose Boundary is its table cell's column (as invoice generators write them)."""
    return (f'<ofd:TextObject ID="2" Boundary="{x} {y} {width} {size + 1}" Font="1" Size="{size}">'
            f'<ofd:TextCode X="0" Y="{size}">{text}</ofd:TextCode></ofd:TextObject>')


def test_wrapped_ruled_cell_is_one_value_and_a_row_one_line(tmp_path):
    """Regression: a 文号 wrapped inside its ruled cell came out as two lines (吉金罚决字〔2025〕89- / 93号)."""
    grid = "".join(rule(x, 20, x, 50) for x in (10, 55, 100, 150)) + "".join(rule(10, y, 150, y) for y in (20, 30, 50))
    header = text_object("文号", 12, 22, 4.0) + text_object("当事人", 57, 22, 4.0) + text_object("罚款金额", 102, 22, 4.0)
    row = (text_object("吉金罚决字〔2025〕89-", 11, 31, 4.0) + text_object("93号", 11, 36, 4.0)
           + text_object("某某有限公司", 57, 33.5, 4.0) + text_object("10000元", 102, 33.5, 4.0))
    e = extract(write_ofd(tmp_path / "table.ofd", [grid + header + row]))
    assert e.pages == ["文号\t当事人\t罚款金额\n吉金罚决字〔2025〕89-93号\t某某有限公司\t10000元"]


def test_wrapped_cell_of_a_table_without_rulings(tmp_path):
    """Text boxes of one column stacked under a full line: the rest of a wrapped company name. The next
    row, and the header above a value, are not joined."""
    rows = (boxed("当事人名称", 10, 20, 50) + boxed("单位", 70, 20, 12) + boxed("日期", 90, 20, 30)
            + boxed("北京某某科技发展有限责任公", 10, 26, 50) + boxed("批", 72, 26, 12) + boxed("2025-01-02", 90, 26, 30)
            + boxed("司", 10, 31, 50)
            + boxed("上海某某公司", 10, 37, 50) + boxed("个", 72, 37, 12) + boxed("2025-02-03", 90, 37, 30))
    e = extract(write_ofd(tmp_path / "plain.ofd", [rows]))
    assert e.pages[0].splitlines() == ["当事人名称 单位 日期", "北京某某科技发展有限责任公司 批 2025-01-02",
                                       "上海某某公司 个 2025-02-03"]


def test_wrapped_cells_of_real_invoices_are_joined(samples):
    assert "*信息技术服务*技术服务费 14197.16981132075 4197.17 6% 251.83" in samples["20240531141733.ofd"].text
    assert samples["20240531141733.ofd"].pages[0].splitlines()[2].startswith("购买方信息\t名称：海南麒麟云服科技有限公司\t销售方信息")
    assert "*金属制品*A系列一字形螺丝批3.2x75MM\t62202\t批\t" in samples["SignScaleError.ofd"].text
    # a framed page of paragraphs keeps its lines; a narrow column's header stays apart from its value
    assert "人资格，根据《矿产资源勘查区块登记管理办法》的规定，探矿权人" in samples["testImageNotFound.ofd"].pages[0].splitlines()
    assert "项目名称\t规格型号\t单位\t数量\t单价\t金额\t税率\t税额" in samples["发票示例.ofd"].pages[0].splitlines()


def test_docinfo_author_is_an_agency_only_when_it_names_one(tmp_path):
    def with_author(name: str, author: str) -> Path:
        path = write_ofd(tmp_path / name, [text_object("正文", 10, 10)])
        with zipfile.ZipFile(path) as z:
            members = {n: z.read(n) for n in z.namelist()}
        members["OFD.xml"] = members["OFD.xml"].replace(b"</ofd:Title>", f"</ofd:Title><ofd:Author>{author}</ofd:Author>".encode())
        with zipfile.ZipFile(path, "w") as z:
            for n, data in members.items():
                z.writestr(n, data)
        return path

    e = extract(with_author("a.ofd", "国家税务总局上海市税务局"))
    assert e.metadata == {"agency": "国家税务总局上海市税务局"} and e.sources == {"agency": "DocInfo"}
    assert extract(with_author("b.ofd", "China Tax")).metadata == {}
    assert extract(with_author("c.ofd", "WPS_1634086482")).metadata == {}


def test_missing_and_damaged_pages_warn(tmp_path):
    damaged = f'<ofd:Page {NS}><ofd:Content><ofd:Layer ID="5">{text_object("第二页", 10, 10)}<ofd:TextObject'
    e = extract(write_ofd(tmp_path / "damaged.ofd", [text_object("第一页", 10, 10), damaged, None]))
    assert e.pages == ["第一页", "第二页", ""]
    assert e.warnings == ["damaged XML recovered: Doc_0/Pages/Page_1/Content.xml", "page 3: content missing",
                          "no text on pages 3"]


@pytest.mark.parametrize("content, reason", [
    (b"not a zip at all", "corrupt OFD: not a zip container"),
    (None, "corrupt OFD: missing OFD.xml"),
])
def test_broken_containers_fail_clearly(tmp_path, content, reason):
    path = tmp_path / "broken.ofd"
    if content is None:
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("Doc_0/Document.xml", "<x/>")
    else:
        path.write_bytes(content)
    with pytest.raises(IngestError) as err:
        extract(path)
    assert err.value.reason.startswith(reason)


def test_zip_bomb_member_is_refused(tmp_path):
    path = write_ofd(tmp_path / "bomb.ofd", [text_object("正文", 10, 10)], extra={"Doc_0/Res/big.bin": bytes(16 << 20)})
    with pytest.raises(IngestError, match="zip bomb"):
        extract(path)


def test_detection_by_extension_and_content(corpus):
    n = corpus / OFD_DIR / "ofd" / "n.ofd"
    head = n.read_bytes()[:8192]
    assert choose(Path("n.ofd"), head).name == "ofd"
    assert choose(Path("download.bin"), head).name == "ofd"   # first member Doc_0/...
    assert OfdExtractor().match(Path("x.zip"), b"PK\x03\x04 other") == 0


def test_xml_entities_are_not_expanded(tmp_path):
    """External entities (XXE) are not fetched and entity bombs are not expanded."""
    evil = (f'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY xxe SYSTEM "file:///etc/passwd">'
            f'<!ENTITY a "哈哈哈哈哈哈哈哈"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>'
            f'<ofd:Page {NS}><ofd:Content><ofd:Layer ID="5">{text_object("正文&xxe;&c;", 10, 10)}</ofd:Layer>'
            f'</ofd:Content></ofd:Page>')
    e = extract(write_ofd(tmp_path / "evil.ofd", [evil]))
    assert e.pages == ["正文"] and e.warnings == []


def test_composite_fan_out_is_bounded(tmp_path, monkeypatch):
    """Units that each place the next one 10 times, 8 deep (10^8 text objects): cut at the object budget."""
    units = "".join(
        f'<ofd:CompositeGraphicUnit ID="{100 + i}" Width="10" Height="10"><ofd:Content>'
        + "".join(f'<ofd:CompositeObject ID="{i}{k}" ResourceID="{101 + i}" Boundary="{k} 0 1 1"/>' for k in range(10))
        + "</ofd:Content></ofd:CompositeGraphicUnit>" for i in range(8))
    units += (f'<ofd:CompositeGraphicUnit ID="108" Width="10" Height="10"><ofd:Content>{text_object("叶", 0, 0)}'
              f"</ofd:Content></ofd:CompositeGraphicUnit>")
    res = f'<ofd:Res {NS}><ofd:CompositeGraphicUnits>{units}</ofd:CompositeGraphicUnits></ofd:Res>'
    path = write_ofd(tmp_path / "fan.ofd", ['<ofd:CompositeObject ID="7" ResourceID="100" Boundary="0 0 10 10"/>'],
                     extra={"Doc_0/PublicRes.xml": res}, common="<ofd:PublicRes>PublicRes.xml</ofd:PublicRes>")
    e = extract(path, ofd_max_objects=5000)
    assert e.warnings == ["more than 5000 objects: the rest left out"]
    assert e.pages[0].startswith("叶")


@pytest.mark.parametrize("infos, reason", [
    ([("a", 10, 10, 0)] * 3, "corrupt OFD: 3 zip members (limit 2)"),
    ([("big.xml", 2000, 1500, 0)], "too large (2000 bytes unpacked > limit 1000): OFD member big.xml"),
    ([("zeros.xml", 3 << 20, 1000, 0)], "zip bomb (declared ratio 3145:1 > 500:1): OFD member zeros.xml"),
    ([("a", 900, 900, 0), ("b", 900, 900, 0)], "zip bomb: OFD unpacks to 1800 bytes (limit 1500)"),
    ([("OFD.xml", 10, 10, 0x1)], "encrypted OFD"),
])
def test_container_limits(infos, reason):
    from ingest.extractors import zipsafe

    limits = Settings(zip_max_members=2, zip_max_member_bytes=1000 if infos[0][1] < 1 << 20 else 1 << 30,
                      zip_max_total_bytes=1500 if infos[0][1] < 1 << 20 else 1 << 30)
    members = []
    for name, size, packed, flags in infos:
        info = zipfile.ZipInfo(name)
        info.file_size, info.compress_size, info.flag_bits = size, packed, flags
        members.append(info)
    with pytest.raises(IngestError) as err:
        zipsafe.check(members, "OFD", limits)
    assert err.value.reason == reason
