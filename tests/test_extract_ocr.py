"""OCR (rapidocr, offline) for PDF pages without a usable text layer; one page per test, a few seconds each."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pypdfium2
import pytest
from conftest import require

from analyzers.docnumber import parse_doc_number
from archive.settings import Settings
from ingest.extractors import ocr
from ingest.extractors.pdf import PdfExtractor
from ingest.metadata import extract_metadata

SAMPLE = Path(__file__).resolve().parents[1] / "ingest/samples/pdf/示政办发〔2023〕12号_2023年政务公开工作要点.pdf"
GMT = "ofdrw-samples/pdf/GMT_0031-2014_安全电子签章密码技术规范.pdf"
SCAN = "handan-renmin-portal/scan2pdf_blank_capture_3p.pdf"


def first_page(src: Path, out: Path) -> Path:
    """A copy of page 1 of `src` (OCR costs seconds per page)."""
    source, target = pypdfium2.PdfDocument(src), pypdfium2.PdfDocument.new()
    try:
        target.import_pages(source, [0])
        target.save(out)
    finally:
        target.close()
        source.close()
    return out


@pytest.fixture(scope="module")
def engine():
    try:
        return ocr.engine()
    except ocr.OcrUnavailable as e:
        pytest.fail(f"rapidocr must load offline from its wheel: {e}")


def cjk_font() -> bool:
    """Whether fontconfig has a Chinese font: pdfium draws the sample's non-embedded CJK text with one."""
    try:
        out = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, timeout=30).stdout
    except OSError:
        return False
    return bool(out.strip())


def test_image_only_pdf_is_read_by_ocr(tmp_path, engine):
    """A text page rendered to an image and saved as an image-only PDF: OCR gives its 文号 and title back.

    Asserted on the parsed 文号, not on raw characters: OCR may read 〔2023〕 as 〔2023] (regression)."""
    require(cjk_font(), "no Chinese font for pdfium to render the sample page (apt-get install fonts-wqy-microhei)")
    pdf = pypdfium2.PdfDocument(SAMPLE)
    try:
        page = pdf[0]
        image = page.render(scale=2).to_pil().convert("RGB")
        page.close()
    finally:
        pdf.close()
    scan = tmp_path / "scan.pdf"
    image.save(scan, "PDF", resolution=144)
    assert PdfExtractor(ocr=False).extract(scan).warnings == ["no text layer (scanned?)"]
    e = PdfExtractor(ocr=True).extract(scan)
    assert e.warnings == ["OCR used on 1 pages"]
    meta = extract_metadata(e.text, {})
    parsed = parse_doc_number(meta["doc_number"])
    assert (parsed["agency_code"], parsed["year"], parsed["serial"]) == ("示政办发", 2023, "12")
    assert meta["doc_number"] == "示政办发〔2023〕12号"
    assert "2023年政务公开工作要点" in meta["title"] and meta["agency"] == "示例市人民政府办公室"


def test_blank_scanner_plate_gives_no_text(corpus, tmp_path, engine):
    """The 邯郸 captures show an empty scanner plate (OCR sees its labels A4 A5 A6 证件): empty, with a warning."""
    e = PdfExtractor(ocr=True).extract(first_page(corpus / SCAN, tmp_path / "plate.pdf"))
    assert e.pages == [""]
    assert e.warnings == ["no text layer (scanned?)", "OCR used on 1 pages", "OCR found no text on pages 1"]


def test_garbled_text_layer_is_replaced_by_ocr(corpus, tmp_path, engine):
    e = PdfExtractor(ocr=True).extract(first_page(corpus / GMT, tmp_path / "gmt.pdf"))
    assert e.warnings == ["OCR used on 1 pages"]
    assert "安全电子签章密码技术规范" in e.pages[0].splitlines()
    assert "国家密码管理局 发布" in e.pages[0]


def test_ocr_unavailable_keeps_the_page_and_says_why(corpus, tmp_path, monkeypatch):
    def broken(settings=None):
        raise ocr.OcrUnavailable("ImportError: No module named 'onnxruntime'")

    monkeypatch.setattr(ocr, "engine", broken)
    e = PdfExtractor(ocr=True).extract(first_page(corpus / SCAN, tmp_path / "plate.pdf"))
    assert e.pages == [""]
    assert e.warnings == ["no text layer (scanned?)", "OCR unavailable: ImportError: No module named 'onnxruntime'"]


def test_text_pages_never_go_to_ocr(corpus, monkeypatch):
    monkeypatch.setattr(ocr, "recognize", lambda image, settings=None, timeout=None: pytest.fail("OCR ran on a text page"))
    e = PdfExtractor(ocr=True).extract(corpus / "shanghai-putuo-juesuan" / "上海市普陀区财政局2024年度部门决算.pdf")
    assert e.warnings == ["no text on pages 14"]   # blank page without images: nothing to read


def test_noise_filter():
    boxes = [[[0, 0], [20, 0], [20, 10], [0, 10]], [[30, 0], [60, 0], [60, 10], [30, 10]]]
    assert ocr._lines(boxes, ["A4", "证件"]) == ["A4 证件"]


def test_ocr_time_limit_leaves_later_pages_unread(corpus):
    e = PdfExtractor(ocr=True).extract(corpus / SCAN, Settings(ocr_seconds=0))
    assert e.pages == ["", "", ""]
    assert e.warnings == ["no text layer (scanned?)", "OCR time limit (0 s) reached: pages 1, 2, 3 not read"]


@pytest.mark.parametrize("side", [1200, 2000])
def test_pages_are_rendered_at_ocr_max_side(corpus, tmp_path, monkeypatch, side):
    """The page image handed to OCR has settings.ocr_max_side pixels on its longer side (not a fixed size)."""
    seen = []
    monkeypatch.setattr(ocr, "recognize", lambda image, settings, timeout: seen.append((image.size, settings)) or "")
    settings = Settings(ocr_max_side=side)
    PdfExtractor(ocr=True).extract(first_page(corpus / SCAN, tmp_path / "plate.pdf"), settings)
    assert [(max(size), s) for size, s in seen] == [(side, settings)]


@pytest.mark.parametrize("arena", [True, False])
def test_engine_follows_ocr_mem_arena(engine, arena):
    """onnxruntime sessions are built with the CPU memory arena as settings.ocr_mem_arena says; one engine per
    (engine, threads, arena), kept."""
    from PIL import Image

    settings = Settings(ocr_engine="onnxruntime", ocr_threads=1, ocr_mem_arena=arena)
    loaded = ocr.engine(settings)
    assert ocr.engine(Settings(ocr_engine="onnxruntime", ocr_threads=1, ocr_mem_arena=arena)) is loaded
    assert ocr.engine(Settings(ocr_engine="onnxruntime", ocr_threads=1, ocr_mem_arena=not arena)) is not loaded
    ocr.read(loaded, Image.new("RGB", (320, 64), "white"))   # rapidocr opens its models on first use
    options = loaded.text_det.session.session.get_session_options()
    assert options.enable_cpu_mem_arena is arena


def test_openvino_engine_runs_the_wheels_models_on_its_threads(engine):
    """settings.ocr_engine openvino: the models inside rapidocr's wheel compiled by OpenVINO with ocr_threads
    threads and a bounded cache of input shapes (nothing downloaded), reading the same text as onnxruntime."""
    from PIL import Image, ImageDraw, ImageFont

    require(cjk_font(), "no Chinese font to draw the line with (apt-get install fonts-wqy-microhei)")
    font = subprocess.run(["fc-list", ":lang=zh", "file"], capture_output=True, text=True).stdout.split(":")[0]
    image = Image.new("RGB", (1200, 160), "white")
    ImageDraw.Draw(image).text((20, 50), "关于印发政务公开工作要点的通知", fill="black",
                               font=ImageFont.truetype(font, 48))
    loaded = ocr.engine(Settings(ocr_engine="openvino", ocr_threads=1))
    assert loaded is not ocr.engine(Settings(ocr_engine="onnxruntime", ocr_threads=1))
    texts = {name: ocr.read(ocr.engine(Settings(ocr_engine=name, ocr_threads=1)), image)
             for name in ("openvino", "onnxruntime")}
    assert texts["openvino"] == texts["onnxruntime"] == "关于印发政务公开工作要点的通知"
    for part in (loaded.text_det, loaded.text_rec):
        assert type(part.session).__name__ == "OpenVINOInferSession"
        assert part.session.session.get_compiled_model().get_property("INFERENCE_NUM_THREADS") == 1
    # (OpenVINO does not report the cache's capacity back: what rapidocr hands its Core is checked instead)
    from rapidocr.inference_engine.openvino import main
    assert main.CPUConfig({}).get_config()["CPU_RUNTIME_CACHE_CAPACITY"] == str(ocr.SHAPE_CACHE)


def test_a_rapidocr_without_the_openvino_config_class_reads_on_with_a_warning(engine, monkeypatch, caplog):
    """The shape cache is bounded through a class inside rapidocr: if a release moves it, OCR still runs."""
    from rapidocr.inference_engine.openvino import main

    monkeypatch.delattr(main, "CPUConfig")
    ocr._bound_shape_cache()
    assert "shape cache left unbounded" in caplog.text


def image_page(tmp_path, name: str, side: float):
    """A 1-page PDF (A4) holding only a grey square image `side` points wide: a logo or a full-page scan."""
    from PIL import Image

    pdf = pypdfium2.PdfDocument.new()
    page = pdf.new_page(595, 842)
    image = pypdfium2.PdfImage.new(pdf)
    bitmap = pypdfium2.PdfBitmap.from_pil(Image.new("RGB", (64, 64), (90, 90, 90)))
    image.set_bitmap(bitmap)
    image.set_matrix(pypdfium2.PdfMatrix().scale(side, side).translate(20, 20))
    page.insert_obj(image)
    page.gen_content()
    path = tmp_path / name
    pdf.save(path)
    return path


def test_only_scan_like_pages_are_rendered_for_ocr(tmp_path, monkeypatch):
    """A page without text whose only image is a logo (under 5 % of the page) is not rendered for OCR; one whose
    image covers the page is."""
    seen = []
    monkeypatch.setattr(ocr, "engine", lambda settings: None)
    monkeypatch.setattr(ocr, "recognize", lambda image, settings, timeout: seen.append(image.size) or "")
    logo = PdfExtractor(ocr=True).extract(image_page(tmp_path, "logo.pdf", 100))   # 1.996 % of A4
    assert seen == [] and logo.warnings == ["no text layer (scanned?)"]
    scan = PdfExtractor(ocr=True).extract(image_page(tmp_path, "scan.pdf", 560))
    assert len(seen) == 1 and scan.warnings[1:] == ["OCR used on 1 pages", "OCR found no text on pages 1"]
