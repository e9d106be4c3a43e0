"""Page images of OFD originals (archive.ofd_render through archive.page_images, the image route and the document
page's image view): drawn from the file's own layout, hits boxed where the words are, the layout's text in the
order ingest stores, hostile files failing alone with their reason."""
from __future__ import annotations

import hashlib
import io
import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from PIL import Image
from staff_support import add_users, staff_client
from test_extract_ofd import NS, text_object, write_ofd

from archive.blobs import BlobStore
from archive.ofd_render import OfdFile
from archive.page_images import PAGE_WIDTH, PageImageError, PageImages, _limits
from archive.settings import Settings
from ingest.extractors.ofd import OfdExtractor
from web import create_app

OFD_DIR = "ofdrw-samples"
RED_HEAD = "n.ofd"   # 红头公文 路卫发〔2011〕76号, 2 A4 pages
PAD_X, PAD_Y = 30, 20   # the margin _page_viewer.html draws around a hit's box


def _store(archive, path: Path, disclosure: str = "主动公开", title: str = "OFD 页面图像测试") -> tuple[str, str]:
    """Store `path` as a document's only original, its text read by the real OFD extractor."""
    raw = path.read_bytes()
    sha = hashlib.sha256(raw).hexdigest()
    archive.blobs.put(path, sha)
    try:
        pages = OfdExtractor().extract(path).pages
    except Exception:
        pages = ["损坏的 OFD 文件"]
    archive.catalog.add_document(sha[:16], {"title": title}, pages,
                                 {"sha256": sha, "filename": path.name, "source": str(path), "mime": "application/ofd",
                                  "size": len(raw), "extractor": "ofd"}, [], disclosure)
    return sha[:16], sha


def _url(doc_id: str, sha: str, **args) -> str:
    query = "&".join(f"{k}={v}" for k, v in args.items())
    return f"/doc/{doc_id}/original/{sha}/page" + (f"?{query}" if query else "")


@pytest.fixture
def site(archive, corpus, tmp_path):
    """(app, {name: (doc_id, sha256)}): the public 红头 OFD, a restricted copy of an invoice, a broken OFD."""
    ofd = corpus / OFD_DIR / "ofd"
    docs = {"public": _store(archive, ofd / RED_HEAD),
            "restricted": _store(archive, ofd / "1.ofd", disclosure="依申请公开", title="不公开的 OFD")}
    broken = tmp_path / "broken.ofd"
    with zipfile.ZipFile(broken, "w") as z:   # OFD.xml names a document that is not in the file
        z.writestr("OFD.xml", f"<ofd:OFD {NS}><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>"
                              "</ofd:DocBody></ofd:OFD>")
    docs["broken"] = _store(archive, broken)
    assert not archive.sync.catch_up().failed
    add_users(archive)
    app = create_app(archive=archive, config={"SECRET_KEY": "test"})
    yield app, docs
    if "gongkai.page_images" in app.extensions:
        app.extensions["gongkai.page_images"].close()


def test_ofd_page_renders_as_png_of_its_physical_box(site):
    app, docs = site
    client = app.test_client()
    doc_id, sha = docs["public"]
    for width, page in ((1000, 1), (200, 2)):
        resp = client.get(_url(doc_id, sha, page=page, width=width))
        assert resp.status_code == 200 and resp.mimetype == "image/png"
        image = Image.open(io.BytesIO(resp.get_data())).convert("RGB")
        assert image.width == width and abs(image.height - width * 297 / 210) <= 1   # PhysicalBox 0 0 210 297
    assert client.get(_url(doc_id, sha, page=3)).status_code == 404
    html = client.get(f"/doc/{doc_id}").get_data(as_text=True)
    assert "view=image" in html and "暂不提供页面图像" not in html


def test_red_head_is_drawn_in_its_own_colour_where_the_file_places_it(site):
    app, docs = site
    doc_id, sha = docs["public"]
    image = Image.open(io.BytesIO(app.test_client().get(_url(doc_id, sha)).get_data())).convert("RGB")
    scale = image.width / 210
    # 发文机关标志 "测试符路桥区卫生局文件": TextObject Boundary 39.14 37.0 133.71 16.17, FillColor #ee #20 #25
    head = image.crop((round(39.14 * scale), round(37.0 * scale), round(172.85 * scale), round(53.17 * scale)))
    red = sum(1 for r, g, b in head.get_flattened_data() if r > 180 and g < 100 and b < 100)
    assert red > 0.15 * head.width * head.height
    # the red rule under the 文号: PathObject S 0 0 L 156 0 at (28, 83.49)
    rule = [image.getpixel((round(x * scale), round(83.49 * scale))) for x in (40, 100, 170)]
    assert all(r > 180 and g < 100 for r, g, _ in rule), rule
    # the margin stays white
    assert image.crop((0, 0, round(20 * scale), image.height)).getextrema() == ((255, 255),) * 3


def _word_boxes(path: Path, page: int, word: str) -> list[tuple[float, float, float, float]]:
    """Where `word` is on an OFD page, in 1/10000 of the page, from the file's TextObjects: Boundary, TextCode X
    and DeltaX (one box per TextCode occurrence; horizontal text without CTM only)."""
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read(f"Doc_0/Pages/Page_{page - 1}/Content.xml"))
    w, h = (float(v) for v in root.findtext(".//{*}PhysicalBox").split()[2:])
    out = []
    for obj in root.iter("{*}TextObject"):
        bx, by, bw, bh = (float(v) for v in obj.get("Boundary").split())
        for code in obj.iter("{*}TextCode"):
            text, steps = code.text or "", [float(v) for v in (code.get("DeltaX") or "").split()]
            for m in re.finditer(word, text):
                x0 = bx + float(code.get("X")) + sum(steps[:m.start()])
                x1 = bx + float(code.get("X")) + sum(steps[:m.end() - 1]) + float(obj.get("Size"))
                out.append((x0 / w * 1e4, by / h * 1e4, x1 / w * 1e4, (by + bh) / h * 1e4))
    return out


def test_hit_boxes_land_on_the_word_and_on_ink(site, corpus):
    app, docs = site
    client = app.test_client()
    doc_id, sha = docs["public"]
    word = "辞职"
    html = client.get(f"/doc/{doc_id}?q={word}&view=image&page=1").get_data(as_text=True)
    drawn = [(int(x) + PAD_X, int(y) + PAD_Y, int(x) + int(w) - PAD_X, int(y) + int(h) - PAD_Y) for x, y, w, h in
             re.findall(r'<rect x="(-?\d+)" y="(-?\d+)" width="(\d+)" height="(\d+)"', html)]
    expected = _word_boxes(corpus / OFD_DIR / "ofd" / RED_HEAD, 1, word)
    assert len(expected) >= 3 and len(drawn) == len(expected)
    image = Image.open(io.BytesIO(client.get(_url(doc_id, sha)).get_data())).convert("L")
    for e in expected:
        cx, cy = (e[0] + e[2]) / 2, (e[1] + e[3]) / 2
        match = [d for d in drawn if d[0] <= cx <= d[2] and d[1] <= cy <= d[3]]
        assert len(match) == 1, (e, drawn)
        d = match[0]
        assert abs((d[2] - d[0]) - (e[2] - e[0])) < 0.15 * (e[2] - e[0]) + 20   # as wide as the word
        ink = image.crop((d[0] * image.width // 10_000, d[1] * image.height // 10_000,
                          d[2] * image.width // 10_000, d[3] * image.height // 10_000))
        assert ink.getextrema()[0] < 100, d   # the characters were drawn inside their box
    assert f"本页标出 {len(drawn)} 处" in html and "OFD 页面按文件自身的版式绘制" in html


def test_restricted_ofd_page_is_hidden_from_the_public_and_shown_to_staff(site):
    app, docs = site
    doc_id, sha = docs["restricted"]
    assert app.test_client().get(_url(doc_id, sha)).status_code == 404
    assert app.test_client().get(f"/doc/{doc_id}?view=image").status_code == 404
    staff = staff_client(app, "viewer")
    resp = staff.get(_url(doc_id, sha))
    assert resp.status_code == 200 and resp.headers["Cache-Control"] == "private, no-store"


def test_a_broken_ofd_fails_alone_with_a_clear_answer(site, caplog):
    app, docs = site
    client = app.test_client()
    doc_id, sha = docs["broken"]
    assert client.get(_url(doc_id, sha)).status_code == 422
    pages = app.extensions["gongkai.page_images"]
    renders = pages.renders
    assert client.get(_url(doc_id, sha, page=2)).status_code == 422   # recorded: not tried again
    assert pages.renders == renders
    page = client.get(f"/doc/{doc_id}?view=image").get_data(as_text=True)
    assert "这个 OFD 文件无法显示为页面图像" in page
    good_id, good_sha = docs["public"]
    assert client.get(_url(good_id, good_sha)).status_code == 200


def _limits_of(**given) -> dict[str, int]:
    return _limits(Settings(**given))


def test_every_corpus_ofd_page_draws_and_its_layout_text_is_the_stored_page_text(corpus):
    """Guards against the image's character boxes following another order than the text ingest stores (then
    find_spans on the layout would box other words than the hit counts say)."""
    files = sorted((corpus / OFD_DIR / "ofd").glob("*.ofd"))
    assert len(files) == 23
    for path in files:
        stored = OfdExtractor().extract(path).pages
        with OfdFile(path, _limits_of()) as ofd:
            assert len(ofd.pages) == len(stored), path.name
            for number, text in enumerate(stored, 1):
                lay = ofd.layout(number)
                assert lay["text"] == text, (path.name, number)
                assert len(lay["boxes"]) == len(text)
                boxed = [b for ch, b in zip(text, lay["boxes"]) if not ch.isspace()]
                # (only text placed off the page has no box: 20240531141733.ofd draws a name below its foot)
                assert sum(b is not None for b in boxed) >= 0.98 * len(boxed), (path.name, number)
                image = ofd.render(number, 200, 6_000_000)
                assert image.width == 200 and image.convert("L").getextrema()[0] < 128, (path.name, number)


def _pages(tmp_path: Path, **given) -> tuple[PageImages, BlobStore]:
    settings = Settings(data_dir=tmp_path / "data", **given)
    blobs = BlobStore(tmp_path / "data" / "originals")
    return PageImages(blobs, settings), blobs


def _put(blobs: BlobStore, path: Path) -> str:
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    blobs.put(path, sha)
    return sha


def test_hostile_ofds_fail_alone_with_their_reason(tmp_path):
    pages, blobs = _pages(tmp_path, zip_max_ratio=100)
    try:
        bomb = tmp_path / "bomb.ofd"
        write_ofd(bomb, [text_object("正文", 20, 20)], extra={"Doc_0/Res/big.png": b"\0" * (8 << 20)})
        notzip = tmp_path / "notzip.ofd"
        notzip.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
        no_root = tmp_path / "noroot.ofd"
        with zipfile.ZipFile(no_root, "w") as z:
            z.writestr("Doc_0/Document.xml", "<x/>")
        for path, reason in ((bomb, "zip bomb"), (notzip, "not a zip container"), (no_root, "missing OFD.xml")):
            sha = _put(blobs, path)
            with pytest.raises(PageImageError) as e:
                pages.image(sha, 1, PAGE_WIDTH)
            assert reason in e.value.reason and e.value.recorded, e.value.reason
        damaged = write_ofd(tmp_path / "damaged.ofd", ['<?xml version="1.0"?>', text_object("政务公开", 20, 20)])
        sha = _put(blobs, damaged)
        with pytest.raises(PageImageError) as e:   # a page whose XML cannot be read fails alone
            pages.image(sha, 1, PAGE_WIDTH)
        assert "damaged XML unreadable: Doc_0/Pages/Page_0/Content.xml" in e.value.reason
        assert pages.image(sha, 2, PAGE_WIDTH).is_file()   # and the renderer goes on
    finally:
        pages.close()


def test_huge_boundaries_missing_resources_and_millions_of_objects_still_draw(tmp_path):
    pages, blobs = _pages(tmp_path, ofd_max_objects=1000)
    huge = ('<ofd:TextObject ID="2" Boundary="0 0 1e30 1e30" CTM="1e30 0 0 1e30 1e30 0" Font="1" Size="1e20">'
            '<ofd:TextCode X="1e30" Y="1e30" DeltaX="1e30">巨大</ofd:TextCode></ofd:TextObject>'
            '<ofd:PathObject ID="3" Boundary="0 0 1e30 1e30" Fill="true"><ofd:FillColor Value="0 0 0"/>'
            '<ofd:AbbreviatedData>M 0 0 L 1e30 0 L 1e30 1e30 C A 1e30 1e30 0 1 1 -1e30 5</ofd:AbbreviatedData>'
            '</ofd:PathObject>')
    missing = '<ofd:ImageObject ID="4" Boundary="20 20 50 50" CTM="50 0 0 50 0 0" ResourceID="404"/>'
    many = text_object("正文", 20, 20) * 50_000
    path = write_ofd(tmp_path / "hostile.ofd", [huge + text_object("政务公开", 20, 100), missing, many,
                                                 f'<ofd:Page {NS}><ofd:Area><ofd:PhysicalBox>0 0 1e9 1e9</ofd:PhysicalBox>'
                                                 f'</ofd:Area><ofd:Content/></ofd:Page>'])
    sha = _put(blobs, path)
    try:
        assert pages.info(sha)["pages"] == 4
        for number in (1, 2, 3, 4):
            image = Image.open(pages.image(sha, number, PAGE_WIDTH))
            assert image.width * image.height <= Settings().page_image_max_pixels
        grey = Image.open(pages.image(sha, 2, PAGE_WIDTH)).convert("RGB")
        scale = grey.width / 210
        assert grey.getpixel((round(45 * scale), round(45 * scale))) == (200, 200, 200)   # the missing image's box
        lay = pages.layout(sha, 1)
        assert "政务公开" in lay["text"]
        assert all(b is None or all(abs(v) <= 30_000 for v in b) for b in lay["boxes"])
    finally:
        pages.close()


def test_seals_are_stamped_and_clipped_objects_stay_inside_their_clip(corpus):
    """Guards against leaving out electronic seals (StampAnnot of Signatures.xml) and against painting a clipped
    fill over its whole path (testPathClip's national emblem: a red radial fill clipped to the emblem)."""
    ofd = corpus / OFD_DIR / "ofd"
    with OfdFile(ofd / RED_HEAD, _limits_of()) as red_head:
        image = red_head.render(2, PAGE_WIDTH, 6_000_000)
    scale = image.width / 210   # StampAnnot Boundary 122.94 37.0 33.0 33.0 on page 2
    seal = image.crop((round(122.94 * scale), round(37 * scale), round(155.94 * scale), round(70 * scale)))
    red = sum(1 for r, g, b in seal.get_flattened_data() if r > 180 and g < 90 and b < 90)
    assert red > 0.05 * seal.width * seal.height
    with OfdFile(ofd / "testPathClip.ofd", _limits_of()) as licence:
        image = licence.render(1, PAGE_WIDTH, 6_000_000)
    scale = image.width / 419.9996   # the fill's Boundary: 180.05 15.21 57.94 61.98; the emblem in its middle
    assert image.getpixel((round(209 * scale), round(40 * scale))) == (217, 37, 40)
    for x, y in ((181, 16), (237, 16), (181, 76)):
        assert image.getpixel((round(x * scale), round(y * scale))) != (217, 37, 40), (x, y)
