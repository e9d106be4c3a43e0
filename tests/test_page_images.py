"""Page images of PDF originals (archive.page_images, the route /doc/<id>/original/<sha256>/page and the document
page's image view): rendered once and cached, shown only to whoever may download the original, hits drawn where
the words are, broken files failing alone with a clear answer."""
from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path

import pytest
from PIL import Image
from staff_support import add_users, staff_client

from ingest.extractors.pdf import PdfExtractor
from web import create_app

SAMPLES = Path(__file__).resolve().parents[1] / "ingest" / "samples" / "pdf"
SAMPLE = SAMPLES / "示政办发〔2023〕12号_2023年政务公开工作要点.pdf"
WORD = "政务公开"
PAD_X, PAD_Y = 30, 20   # the margin _page_viewer.html draws around a hit's box


def _store(archive, path: Path, disclosure: str = "主动公开", pages: list[str] | None = None,
           title: str = "页面图像测试文件") -> tuple[str, str]:
    """Store `path` as a document's only original (text read by the real PDF extractor unless given)."""
    raw = path.read_bytes()
    sha = hashlib.sha256(raw).hexdigest()
    archive.blobs.put(path, sha)
    if pages is None:
        pages = PdfExtractor(ocr=False).extract(path).pages
    doc_id = sha[:16]
    archive.catalog.add_document(doc_id, {"title": title}, pages,
                                 {"sha256": sha, "filename": path.name, "source": str(path), "mime": "application/pdf",
                                  "size": len(raw), "extractor": "pdf"}, [], disclosure)
    return doc_id, sha


@pytest.fixture
def site(archive, tmp_path):
    """(app, {name: (doc_id, sha256)}): a public sample PDF, a restricted copy of another, a damaged one."""
    docs = {"public": _store(archive, SAMPLE)}
    docs["restricted"] = _store(archive, SAMPLES / "示政发〔2016〕4号_表彰2015年度政务公开工作先进单位的决定.pdf",
                                disclosure="依申请公开", title="不公开的页面图像测试文件")
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\nthis is not a PDF body\n%%EOF\n")
    docs["broken"] = _store(archive, broken, pages=["损坏的文件 政务公开"])
    assert not archive.sync.catch_up().failed
    add_users(archive)
    app = create_app(archive=archive, config={"SECRET_KEY": "test"})
    yield app, docs
    if "gongkai.page_images" in app.extensions:
        app.extensions["gongkai.page_images"].close()


def _url(doc_id: str, sha: str, **args) -> str:
    query = "&".join(f"{k}={v}" for k, v in args.items())
    return f"/doc/{doc_id}/original/{sha}/page" + (f"?{query}" if query else "")


def test_public_page_renders_as_png_of_the_asked_width(site):
    app, docs = site
    client = app.test_client()
    doc_id, sha = docs["public"]
    for width, page in ((1000, 1), (200, 2)):
        resp = client.get(_url(doc_id, sha, page=page, width=width))
        assert resp.status_code == 200 and resp.mimetype == "image/png"
        image = Image.open(io.BytesIO(resp.get_data()))
        assert image.format == "PNG" and image.width == width
        assert abs(image.height - width * 841.89 / 595.28) <= 1   # A4 portrait
        assert resp.headers["Cache-Control"] == "public, no-cache" and "Cookie" in resp.headers["Vary"]
    for bad in ({"page": 4}, {"page": 0}, {"page": "x"}, {"width": 300}, {"width": "-1"}):
        assert client.get(_url(doc_id, sha, **bad)).status_code == 404, bad


def test_restricted_page_is_hidden_from_the_public_like_an_unknown_id_and_shown_to_staff(site, archive):
    app, docs = site
    doc_id, sha = docs["restricted"]
    anonymous = app.test_client()
    hidden = anonymous.get(_url(doc_id, sha))
    unknown = anonymous.get(_url("0000000000000000", sha))
    assert hidden.status_code == unknown.status_code == 404
    # the same page (it names its own URL: the id differs there)
    assert hidden.get_data().replace(f"/doc/{doc_id}/".encode(), b"/doc/0000000000000000/") == unknown.get_data()
    assert {k: v for k, v in hidden.headers.items() if k not in ("Date", "ETag")} == \
        {k: v for k, v in unknown.headers.items() if k not in ("Date", "ETag")}
    assert anonymous.get(f"/doc/{doc_id}?view=image").status_code == 404
    # the public document's page route does not serve the restricted original either
    public_id = docs["public"][0]
    assert anonymous.get(_url(public_id, sha)).status_code == 404

    staff = staff_client(app, "viewer")
    resp = staff.get(_url(doc_id, sha))
    assert resp.status_code == 200 and resp.mimetype == "image/png"
    assert resp.headers["Cache-Control"] == "private, no-store"
    seen = archive.audit.entries(limit=5)
    assert any(e["doc_id"] == doc_id and e["detail"].get("page") == 1 for e in seen), seen
    assert staff.get(f"/doc/{doc_id}?view=image").status_code == 200


def test_a_cached_page_is_not_rendered_again(site):
    app, docs = site
    client = app.test_client()
    doc_id, sha = docs["public"]
    first = client.get(_url(doc_id, sha, page=3))
    assert first.status_code == 200
    pages = app.extensions["gongkai.page_images"]
    renders = pages.renders
    again = client.get(_url(doc_id, sha, page=3))
    assert again.status_code == 200 and again.get_data() == first.get_data()
    assert pages.renders == renders
    assert client.get(_url(doc_id, sha, page=3), headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    assert not list((pages.root / sha).glob(".tmp-*"))  # no temporary file left behind


def test_a_killed_render_process_is_replaced(site):
    app, docs = site
    client = app.test_client()
    doc_id, sha = docs["public"]
    assert client.get(_url(doc_id, sha, page=1)).status_code == 200
    pages = app.extensions["gongkai.page_images"]
    pages._worker.proc.kill()
    pages._worker.proc.wait()
    assert client.get(_url(doc_id, sha, page=2)).status_code == 200


def _pdfplumber_boxes(path: Path, page_no: int, word: str) -> list[tuple[float, float, float, float]]:
    """(x0, top, x1, bottom) in 1/10000 of the page of each occurrence of `word` (each line of it), by pdfplumber."""
    pdfplumber = pytest.importorskip("pdfplumber")
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[page_no - 1]
        chars = [c for c in page.chars if c["text"].strip()]
        text = "".join(c["text"] for c in chars)
        out = []
        for m in re.finditer(word, text):
            lines: dict[int, list[dict]] = {}
            for c in chars[m.start():m.end()]:   # a word split over two lines: a box on each
                lines.setdefault(round(c["top"] / 4), []).append(c)
            out += [(min(c["x0"] for c in run) / page.width * 1e4, min(c["top"] for c in run) / page.height * 1e4,
                     max(c["x1"] for c in run) / page.width * 1e4, max(c["bottom"] for c in run) / page.height * 1e4)
                    for run in lines.values()]
        return out


def test_hit_boxes_land_on_the_word(site):
    app, docs = site
    client = app.test_client()
    doc_id, _ = docs["public"]
    html = client.get(f"/doc/{doc_id}?q={WORD}&view=image&page=1").get_data(as_text=True)
    drawn = [(int(x) + PAD_X, int(y) + PAD_Y, int(x) + int(w) - PAD_X, int(y) + int(h) - PAD_Y) for x, y, w, h in
             re.findall(r'<rect x="(-?\d+)" y="(-?\d+)" width="(\d+)" height="(\d+)"', html)]
    expected = _pdfplumber_boxes(SAMPLE, 1, WORD)
    assert len(expected) >= 2
    assert len(drawn) == len(expected)
    for e in expected:
        cx, cy = (e[0] + e[2]) / 2, (e[1] + e[3]) / 2
        match = [d for d in drawn if d[0] <= cx <= d[2] and d[1] <= cy <= d[3]]
        assert len(match) == 1, (e, drawn)
        d = match[0]
        assert abs((d[2] - d[0]) - (e[2] - e[0])) < 0.1 * (e[2] - e[0]) + 20  # as wide as the word, within 10 %
    assert f"本页标出 {len(drawn)} 处" in html


def test_image_view_opens_at_the_first_page_with_a_hit_and_links_every_page(site):
    app, docs = site
    client = app.test_client()
    doc_id, sha = docs["public"]
    html = client.get(f"/doc/{doc_id}?q=考核&view=image").get_data(as_text=True)
    first_hit = next(n for n, text in enumerate(PdfExtractor(ocr=False).extract(SAMPLE).pages, 1) if "考核" in text)
    assert f"第 {first_hit} / 3 页" in html
    assert _url(doc_id, sha, page=first_hit).replace("&", "&amp;") in html
    assert html.count('loading="lazy"') == 3   # a thumbnail per page
    assert 'aria-current="page"' in html
    text_view = client.get(f"/doc/{doc_id}?q=考核").get_data(as_text=True)
    assert "view=image" in text_view and '<mark id="hit-1"' in text_view


def test_a_damaged_pdf_fails_alone_with_a_clear_answer(site, caplog):
    app, docs = site
    client = app.test_client()
    doc_id, sha = docs["broken"]
    resp = client.get(_url(doc_id, sha))
    assert resp.status_code == 422
    assert "无法显示为图像" in resp.get_data(as_text=True)
    assert "damaged PDF" in caplog.text
    pages = app.extensions["gongkai.page_images"]
    renders = pages.renders
    assert client.get(_url(doc_id, sha, page=2)).status_code == 422   # recorded: not tried again
    assert pages.renders == renders
    page = client.get(f"/doc/{doc_id}?view=image&q={WORD}")
    assert page.status_code == 200 and "无法显示为页面图像" in page.get_data(as_text=True)
    good_id, good_sha = docs["public"]
    assert client.get(_url(good_id, good_sha)).status_code == 200   # the server goes on


def test_an_encrypted_pdf_is_refused_with_its_reason(archive, tmp_path, caplog):
    from reportlab.pdfgen import canvas

    path = tmp_path / "locked.pdf"
    c = canvas.Canvas(str(path), encrypt="secret")
    c.drawString(100, 700, "locked")
    c.save()
    doc_id, sha = _store(archive, path, pages=["locked"])
    assert not archive.sync.catch_up().failed
    app = create_app(archive=archive, config={"SECRET_KEY": "test"})
    try:
        assert app.test_client().get(_url(doc_id, sha)).status_code == 422
        assert "encrypted PDF" in caplog.text
    finally:
        app.extensions["gongkai.page_images"].close()


def test_a_scanned_page_shows_its_image_and_says_hits_cannot_be_placed(archive, tmp_path):
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    scan = Image.new("RGB", (400, 560), "white")
    path = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(path), pagesize=(400, 560))
    c.drawImage(ImageReader(scan), 0, 0, 400, 560)
    c.save()
    doc_id, sha = _store(archive, path, pages=["扫描件 政务公开 （OCR 文字）"])
    assert not archive.sync.catch_up().failed
    app = create_app(archive=archive, config={"SECRET_KEY": "test"})
    try:
        client = app.test_client()
        html = client.get(f"/doc/{doc_id}?view=image&q={WORD}").get_data(as_text=True)
        assert "没有文字层" in html and "<rect" not in html
        resp = client.get(_url(doc_id, sha))
        assert resp.status_code == 200 and Image.open(io.BytesIO(resp.get_data())).width == 1000
    finally:
        app.extensions["gongkai.page_images"].close()


def test_a_document_without_a_pdf_says_so(archive, tmp_path):
    path = tmp_path / "plain.txt"
    path.write_text("文字文件 政务公开", encoding="utf-8")
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    archive.blobs.put(path, sha)
    archive.catalog.add_document(sha[:16], {"title": "文字文件"}, ["文字文件 政务公开"],
                                 {"sha256": sha, "filename": "plain.txt", "source": str(path), "mime": "text/plain",
                                  "size": path.stat().st_size, "extractor": "text"}, [], "主动公开")
    assert not archive.sync.catch_up().failed
    client = create_app(archive=archive, config={"SECRET_KEY": "test"}).test_client()
    assert client.get(_url(sha[:16], sha)).status_code == 404
    html = client.get(f"/doc/{sha[:16]}?view=image").get_data(as_text=True)
    assert "页面图像只提供给 PDF 和 OFD 原件" in html
    assert "view=image" not in client.get(f"/doc/{sha[:16]}").get_data(as_text=True)
