"""OFD pages drawn with Pillow from the file's own layout (archive.ofd_pages / ofd_walk): text in the machine's
CJK font (fc-list :lang=zh; Pillow's default font, without CJK glyphs, if there is none), embedded images
(PNG, JPEG, BMP, GIF, TIFF; JBIG2 or anything unreadable as a grey box), path outlines and fills; and the
page's characters with their boxes, in the order of the page text ingest stores. Used by the render process of
archive.page_images, under its limits; nothing here writes to disk.
"""
from __future__ import annotations

import io
import math
import subprocess
import time
import zipfile
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from PIL import Image, ImageChops, ImageDraw, ImageFont

from .ofd_layout import Box, lines, placed_lines
from .ofd_pages import Glyphs, Matrix, OfdError, Package, Page, Picture, Shape, apply, compose, open_checked
from .ofd_walk import SEAL, Walker, read_page

POINTS_PER_MM = 72 / 25.4
FAR = 100_000             # pixel coordinates are clamped to this far outside the page (hostile Boundary, CTM)
MAX_GLYPH_PX = 2000       # characters larger than this are not drawn
MISSING_IMAGE = (200, 200, 200, 255)
_PREFERRED = ("Noto Serif CJK SC", "Source Han Serif SC", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi")
_PICTURE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a")
FALLBACK_FONT = "Pillow default font (no CJK font installed: CJK characters are not drawn)"

Limits = dict[str, int]   # zip_max_members, zip_max_member_bytes, zip_max_total_bytes, zip_max_ratio,
#                           ofd_max_pages, ofd_max_objects (archive.settings)
Saver = Callable[[Path, Any], int]   # writes a PNG (an image) or JSON (a value) to the cache; its size


def do_task(path: Path, folder: Path, task: tuple, limits: Limits, save_png: Saver,
            save_json: Saver) -> tuple[str, object, int]:
    """One task of archive.page_images' render process on an OFD: ("info",), ("render", pages, width,
    max_pixels, budget_s) or ("layout", page); returns (status "ok" / "file" / "page", result or reason, bytes
    written). A fault of the whole file is "file", one of a page (its content, a damaged object) "page"."""
    try:
        ofd = OfdFile(path, limits)
    except OfdError as e:
        return "file", str(e), 0
    except OSError as e:
        return "file", f"cannot read the stored original: {e.strerror or e}", 0
    with ofd:
        if task[0] == "info":
            try:
                info = {"pages": len(ofd.pages), "sizes": [ofd.size(k) for k in range(1, len(ofd.pages) + 1)]}
            except OfdError as e:
                return "file", str(e), 0
            return "ok", info, save_json(folder / "info.json", info)
        if task[0] == "render":
            _, pages, width, max_pixels, budget_s = task
            started, written = time.monotonic(), 0
            for k, number in enumerate(pages):
                if k and time.monotonic() - started > budget_s:  # further thumbnails only while it stays quick
                    break
                try:
                    image = ofd.render(number, width, max_pixels)
                except MemoryError:
                    raise
                except Exception as e:   # the file's objects, however damaged, fail this page only
                    if k == 0:
                        return "page", f"page {number} cannot be drawn ({_reason(e)})", written
                    continue
                written += save_png(folder / f"{number}-{width}.png", image)
            return "ok", None, written
        if task[0] == "layout":
            try:
                lay = ofd.layout(task[1])
            except MemoryError:
                raise
            except Exception as e:
                return "page", f"page {task[1]} cannot be read ({_reason(e)})", 0
            return "ok", lay, save_json(folder / f"{task[1]}.json", lay)
        raise ValueError(f"unknown task {task[0]!r}")


def _reason(exc: Exception) -> str:
    return str(exc) if isinstance(exc, OfdError) else f"damaged OFD: {type(exc).__name__}: {exc}"[:300]


class OfdFile:
    """An OFD original opened within `limits`: its pages, in ingest's numbering (every document's pages in
    turn); OfdError if the file cannot be read. Close it (or use it in a with block)."""

    def __init__(self, path: Path, limits: Limits):
        self.limits = limits
        self.zf = open_checked(path, SimpleNamespace(**limits))
        try:
            self.pkg = Package(self.zf, [])
            self.pages = [(doc, page_id, content) for doc in self.pkg.bodies() for page_id, content in doc.pages()]
        except BaseException:
            self.zf.close()
            raise
        if not self.pages:
            self.close()
            raise OfdError("corrupt OFD: no pages")
        if len(self.pages) > limits["ofd_max_pages"]:
            self.close()
            raise OfdError(f"corrupt OFD: more than {limits['ofd_max_pages']} pages")

    def __enter__(self) -> OfdFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.zf.close()

    def size(self, number: int) -> tuple[float, float]:
        """(width, height) of page `number` (1-based) in points."""
        doc, _, content = self.pages[number - 1]
        _, _, w, h = doc.page_box(self.pkg.area(content))
        return round(w * POINTS_PER_MM, 2), round(h * POINTS_PER_MM, 2)

    def page(self, number: int, draw: bool) -> Page:
        """Page `number`'s objects; OfdError if its content is missing."""
        doc, page_id, content = self.pages[number - 1]
        try:
            return read_page(Walker(doc, self.limits["ofd_max_objects"]), page_id, content, draw)
        except LookupError:
            damaged = next((w for w in self.pkg.warnings if content and w.endswith(content)), "")
            raise OfdError(f"page {number}: {damaged or 'content missing'}") from None

    def render(self, number: int, width: int, max_pixels: int) -> Image.Image:
        """Page `number` drawn `width` pixels wide (less if it would exceed max_pixels), RGB."""
        page = self.page(number, draw=True)
        bx, by, bw, bh = page.box
        scale = width / bw
        if width * bh * scale > max_pixels:
            scale = math.sqrt(max_pixels / (bw * bh))
        size = (max(1, min(round(bw * scale), width)), max(1, round(bh * scale)))
        image = Image.new("RGB", size, "white")
        canvas = ImageDraw.Draw(image, "RGBA")
        to_px = (scale, 0.0, 0.0, scale, -bx * scale, -by * scale)
        pictures: dict[str, Image.Image | None] = {}
        for item in page.drawn:
            if isinstance(item, Glyphs):
                if item.fill is not None:
                    _glyphs(image, canvas, compose(to_px, item.m), item)
                continue
            picture = None
            if isinstance(item, Picture):
                m = compose(to_px, item.m)
                picture = self._picture(item, pictures, (math.hypot(m[0], m[1]), math.hypot(m[2], m[3])))
            if item.clip is None:
                _draw(image, canvas, to_px, item, scale, picture)
            else:
                _clipped(image, to_px, item, scale, picture)
        return image

    def _picture(self, item: Picture, cache: dict[str, Image.Image | None],
                 size: tuple[float, float]) -> Image.Image | None:
        """The decoded image of a Picture (once per page; a JPEG decoded at about `size` pixels or more), None if
        missing, JBIG2 or unreadable (a seal without a picture Pillow reads is left out)."""
        if item.member is None or item.format in ("JB2", "JBIG2"):
            return None
        if item.member not in cache:
            try:
                data = self.pkg.read(item.member)
                if item.format == SEAL:   # a seal (GM/T 0031 ASN.1): the picture inside it, if a PNG, JPEG or GIF
                    found = [i for i in (data.find(m) for m in _PICTURE_MAGIC) if i >= 0]
                    data = data[min(found):] if found else b""
                picture = Image.open(io.BytesIO(data))
                picture.draft("RGB", (max(1, min(round(size[0]), FAR)), max(1, min(round(size[1]), FAR))))
                picture.load()
                cache[item.member] = picture
            except (OfdError, OSError, ValueError, SyntaxError, Image.DecompressionBombError, zipfile.BadZipFile):
                cache[item.member] = None
        return cache[item.member]

    def layout(self, number: int) -> dict:
        """{"text": the page text as ingest stores it, "boxes": per character [x, y, w, h] in 1/10000 of the
        image (None for spaces, line ends, and every character if the order could not be matched), "font"}."""
        page = self.page(number, draw=False)
        placed = placed_lines(page.runs, page.rules)
        annots = placed_lines(page.annot_runs)
        bx, by, bw, bh = page.box
        text, boxes = "", list[list[int] | None]()
        if placed is None or annots is None:
            text = "\n".join(lines(page.runs, page.rules) + lines(page.annot_runs))
            return {"text": text, "boxes": [None] * len(text), "font": font_name()}
        for line, line_boxes in placed + annots:
            if text:
                text += "\n"
                boxes.append(None)
            text += line
            boxes += [_unit(b, bx, by, bw, bh) for b in line_boxes]
        return {"text": text, "boxes": boxes, "font": font_name()}


def _unit(box: Box | None, bx: float, by: float, bw: float, bh: float) -> list[int] | None:
    """A page box (mm) as [x, y, w, h] in 1/10000 of the page image, or None if empty."""
    if box is None:
        return None
    x0, y0 = (box[0] - bx) / bw * 10_000, (box[1] - by) / bh * 10_000
    x1, y1 = (box[2] - bx) / bw * 10_000, (box[3] - by) / bh * 10_000
    x0, x1, y0, y1 = (min(max(round(v), -10_000), 20_000) for v in (x0, x1, y0, y1))
    return [x0, y0, x1 - x0, y1 - y0] if x1 > x0 and y1 > y0 else None


def _px(m: Matrix, x: float, y: float) -> tuple[float, float]:
    px, py = apply(m, x, y)
    return min(max(px, -FAR), FAR), min(max(py, -FAR), FAR)


def _draw(image: Image.Image, canvas: ImageDraw.ImageDraw, to_px: Matrix, item: Shape | Picture, scale: float,
          picture: Image.Image | None) -> None:
    """A path or an image object drawn through `to_px` (page units → pixels of `image`)."""
    m = compose(to_px, item.m)
    if isinstance(item, Shape):
        _shape(image, canvas, m, item, scale)
    else:
        _picture(image, canvas, m, item, picture)


def _clipped(image: Image.Image, to_px: Matrix, item: Shape | Picture, scale: float,
             picture: Image.Image | None) -> None:
    """A path or image drawn only inside its clipping areas (on a layer over the clip's bounding box)."""
    clips = [[[_px(to_px, x, y) for x, y in poly] for poly in clip] for clip in item.clip or []]
    x0, y0, x1, y1 = 0, 0, image.width, image.height
    for clip in clips:
        points = [p for poly in clip for p in poly]
        if not points:
            return
        x0, y0 = max(x0, math.floor(min(p[0] for p in points))), max(y0, math.floor(min(p[1] for p in points)))
        x1, y1 = min(x1, math.ceil(max(p[0] for p in points))), min(y1, math.ceil(max(p[1] for p in points)))
    if x1 <= x0 or y1 <= y0:
        return
    layer = Image.new("RGBA", (x1 - x0, y1 - y0), (255, 255, 255, 0))
    _draw(layer, ImageDraw.Draw(layer, "RGBA"), compose((1.0, 0.0, 0.0, 1.0, -x0, -y0), to_px), item, scale, picture)
    alpha = layer.getchannel("A")
    for clip in clips:
        mask = Image.new("L", layer.size, 0)
        for poly in clip:
            ImageDraw.Draw(mask).polygon([(x - x0, y - y0) for x, y in poly], fill=255)
        alpha = ImageChops.multiply(alpha, mask)
    image.paste(layer.convert("RGB"), (x0, y0), alpha)


def _shape(image: Image.Image, canvas: ImageDraw.ImageDraw, m: Matrix, shape: Shape, scale: float) -> None:
    """A path: filled (if it has a fill colour; several subpaths fill even-odd: holes stay open), then
    stroked."""
    wide = shape.width * math.sqrt(abs(shape.m[0] * shape.m[3] - shape.m[1] * shape.m[2])) * scale
    line = max(1, round(wide))
    stroke = shape.stroke
    if stroke is not None and wide < 1:   # a hairline: a 1-pixel line as faint as its width (no anti-aliasing)
        stroke = (*stroke[:3], round(stroke[3] * max(wide, 0.2)))
    polys = [([_px(m, x, y) for x, y in points], closed) for points, closed in shape.subpaths]
    fills = [pts for pts, _ in polys if len(pts) > 2]
    if shape.fill is not None and len(fills) == 1:
        canvas.polygon(fills[0], fill=shape.fill)
    elif shape.fill is not None and fills:
        _compound(image, fills, shape.fill)
    if stroke is not None:
        for pts, closed in polys:
            canvas.line(pts + pts[:1] if closed else pts, fill=stroke, width=min(line, 200))


def _compound(image: Image.Image, polygons: list[list[tuple[float, float]]], fill: tuple[int, ...]) -> None:
    """Polygons filled even-odd (a point inside an odd number of them is painted), within their bounding box."""
    xs = [p[0] for poly in polygons for p in poly]
    ys = [p[1] for poly in polygons for p in poly]
    x0, y0 = max(0, math.floor(min(xs))), max(0, math.floor(min(ys)))
    x1, y1 = min(image.width, math.ceil(max(xs)) + 1), min(image.height, math.ceil(max(ys)) + 1)
    if x1 <= x0 or y1 <= y0:
        return
    mask = Image.new("1", (x1 - x0, y1 - y0), 0)
    for poly in polygons:
        layer = Image.new("1", mask.size, 0)
        ImageDraw.Draw(layer).polygon([(x - x0, y - y0) for x, y in poly], fill=1)
        mask = ImageChops.logical_xor(mask, layer)
    alpha = mask.convert("L").point(lambda v: v * fill[3] // 255)
    image.paste(Image.new("RGB", mask.size, tuple(fill[:3])), (x0, y0), alpha)


def _picture(image: Image.Image, canvas: ImageDraw.ImageDraw, m: Matrix, item: Picture,
             picture: Image.Image | None) -> None:
    """An image object: the unit square of `m` filled with the picture (resampled), or a grey box."""
    corners = [_px(m, x, y) for x, y in ((0, 0), (1, 0), (1, 1), (0, 1))]
    x0, y0 = max(0, math.floor(min(p[0] for p in corners))), max(0, math.floor(min(p[1] for p in corners)))
    x1 = min(image.width, math.ceil(max(p[0] for p in corners)))
    y1 = min(image.height, math.ceil(max(p[1] for p in corners)))
    det = m[0] * m[3] - m[1] * m[2]
    if x1 <= x0 or y1 <= y0 or abs(det) < 1e-9:
        return
    if item.alpha <= 0:
        return
    if picture is None:
        if item.format != SEAL:
            canvas.polygon(corners, fill=MISSING_IMAGE, outline=(150, 150, 150, 255))
        return
    if picture.mode not in ("RGB", "RGBA"):
        picture = picture.convert("RGBA")
    target = max(x1 - x0, y1 - y0, 1)
    if max(picture.size) > 2 * target:   # shrink first: resampling a photo for a thumbnail costs its size
        picture = picture.copy()
        picture.thumbnail((2 * target, 2 * target))
    w, h = picture.size
    # output pixel (u, v) → page pixel (u + x0, v + y0) → unit square (inverse of m) → picture pixel
    ia, ib, ic, id_ = m[3] / det, -m[2] / det, -m[1] / det, m[0] / det
    tx, ty = x0 - m[4], y0 - m[5]
    data = (ia * w, ib * w, (ia * tx + ib * ty) * w, ic * h, id_ * h, (ic * tx + id_ * ty) * h)
    drawn = picture.convert("RGBA").transform((x1 - x0, y1 - y0), Image.Transform.AFFINE, data,
                                              Image.Resampling.BILINEAR)
    mask = drawn.getchannel("A")
    if item.alpha < 1.0:
        mask = mask.point(lambda v: round(v * item.alpha))
    image.paste(drawn, (x0, y0), mask)


def _glyphs(image: Image.Image, canvas: ImageDraw.ImageDraw, m: Matrix, item: Glyphs) -> None:
    """A text object's characters at their baselines, sized by the object's transform (rotation is not drawn:
    characters stay upright at their places)."""
    height = item.size * math.hypot(m[2], m[3])
    width = item.size * math.hypot(m[0], m[1]) * item.hscale
    px = round(height)
    if not 1 <= px <= MAX_GLYPH_PX or width <= 0:
        return
    font = _font(px)
    squeeze = width / height
    stroke = max(1, round(px / 30)) if item.bold else 0
    fill = item.fill or (0, 0, 0, 255)
    for ch, x, y in item.chars:
        at = _px(m, x, y)
        if abs(squeeze - 1) < 0.05:
            canvas.text(at, ch, font=font, fill=fill, anchor="ls", stroke_width=stroke, stroke_fill=fill)
            continue
        mask = Image.new("L", (px * 2, px * 2), 0)
        ImageDraw.Draw(mask).text((0, px * 1.5), ch, font=font, fill=255, anchor="ls", stroke_width=stroke,
                                  stroke_fill=255)
        mask = mask.resize((max(1, round(mask.width * squeeze)), mask.height))
        image.paste(Image.new("RGB", mask.size, fill[:3]), (round(at[0]), round(at[1] - px * 1.5)),
                    mask.point(lambda v: v * fill[3] // 255))


@lru_cache(maxsize=1)
def _font_file() -> tuple[str, int] | None:
    """(file, face index) of the machine's CJK font, preferring a Song/serif face; None if there is none."""
    try:
        listed = subprocess.run(["fc-list", ":lang=zh", "--format", "%{file}\t%{index}\t%{family}\n"],
                                capture_output=True, text=True, timeout=20, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        listed = ""
    faces = [(f, int(i or 0), fam) for f, i, fam in (row.split("\t", 2) for row in listed.splitlines()
                                                      if row.count("\t") >= 2) if i.isdigit() or not i]
    if not faces:
        found = sorted(p for d in ("/usr/share/fonts", "/usr/local/share/fonts")
                       for p in Path(d).rglob("*") if p.suffix.lower() in (".ttc", ".otf", ".ttf")
                       and any(k in p.name for k in ("CJK", "wqy", "Han")))
        return (str(found[0]), 0) if found else None
    ranked = sorted(faces, key=lambda f: next((k for k, name in enumerate(_PREFERRED) if name in f[2]),
                                               len(_PREFERRED)))
    return ranked[0][0], ranked[0][1]


def font_name() -> str:
    """The font the text is drawn in, as the layout records it."""
    found = _font_file()
    return f"{Path(found[0]).name}#{found[1]}" if found else FALLBACK_FONT


@lru_cache(maxsize=64)
def _font(px: int) -> Any:
    found = _font_file()
    if found is None:
        return ImageFont.load_default(px)
    return ImageFont.truetype(found[0], px, index=found[1], layout_engine=ImageFont.Layout.BASIC)

