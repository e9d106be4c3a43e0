"""Page images of PDF and OFD originals, rendered on first request (PDF by pdfium, OFD by archive.ofd_render from
the file's own layout) and cached under <data>/pages/<sha256>/:
`<page>-<width>.png`, `<page>.json` (the page's characters and their boxes, to draw a query's hits over the
image) and `info.json` (page count and sizes). A failure is cached too (`failed.json` for the file,
`<page>-<width>.failed` for one page), so that a broken file costs one attempt, not one per request.

The renderer runs in a separate process (one at a time: pdfium is not thread-safe), under the settings' limits on time
(page_render_timeout_s: the process is killed), memory (page_render_memory_bytes) and pixels
(page_image_max_pixels: a larger image is drawn smaller); an OFD is unpacked there within the zip_* limits and
walks at most ofd_max_objects objects a page. A crash, a timeout or a damaged file fails that page alone.
That process never enters ingest's box-font mode (ingest.extractors.pdf_fonts.boxes()): pdfium's own font
lookup applies, so pages render with real glyphs. Files are written to a temporary name and renamed:
a reader never sees half an image, and two requests for one uncached page render it once (the second finds
it after waiting its turn). The cache is trimmed, oldest first, when it outgrows page_cache_bytes.
"""
from __future__ import annotations

import json
import logging
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, BinaryIO

from .blobs import BlobStore
from .settings import Settings

log = logging.getLogger(__name__)

THUMB_WIDTH, PAGE_WIDTH = 200, 1000
WIDTHS = (THUMB_WIDTH, PAGE_WIDTH)
UNIT = 10_000          # character boxes are stored in 1/UNIT of the image's width and height
THUMB_BATCH = 8        # a thumbnail request also draws the next few missing ones (one opening of the file)
TRIM_TO = 0.9          # the cache is trimmed to this share of page_cache_bytes
TEMP_PREFIX = ".tmp-"
START_TIMEOUT_S = 60   # the render process loads pdfium and Pillow
MAX_SOURCE_PIXELS = 32_000_000   # images embedded in an OFD: Pillow refuses to decode more than twice this


class PageImageError(Exception):
    """A page that cannot be shown as an image; `reason` says why. `recorded`: the failure is kept beside the
    cache (a fault of the file, or one it may have caused: a time-out, a crash), not tried again per request."""

    def __init__(self, reason: str, recorded: bool = True):
        super().__init__(reason)
        self.reason, self.recorded = reason, recorded


class NoSuchPage(LookupError):
    """A page number outside the file."""


@dataclass(frozen=True)
class Box:
    """A rectangle in 1/UNIT of the image's width (x, w) and height (y, h), from its top left corner."""

    x: int
    y: int
    w: int
    h: int


class PageImages:
    """Rendered pages, character boxes and page sizes of the PDF and OFD originals in a BlobStore."""

    def __init__(self, blobs: BlobStore, settings: Settings):
        self.blobs, self.settings = blobs, settings
        self.root = settings.data_dir / "pages"
        self.renders = 0   # pdfium calls made by this process (cache misses), for tests and benchmarks
        self._lock = threading.Lock()
        self._worker: _Worker | None = None
        self._cache_bytes: int | None = None

    def info(self, sha256: str) -> dict:
        """{"pages": n, "sizes": [[width, height] in points, …]} of a PDF or OFD original; PageImageError if
        unreadable."""
        path = self._dir(sha256) / "info.json"
        found = _read_json(path)
        if found is None:
            found = self._run(sha256, path, ("info",))
        return found

    def image(self, sha256: str, page: int, width: int) -> Path:
        """The PNG of page `page` (1-based) at `width` pixels (one of WIDTHS; smaller if the page would exceed
        page_image_max_pixels); NoSuchPage, or PageImageError if it cannot be drawn."""
        if width not in WIDTHS:
            raise ValueError(f"width {width} is not one of {WIDTHS}")
        self._check_page(sha256, page)
        path = self._dir(sha256) / f"{page}-{width}.png"
        if path.is_file():
            _touch(path)
            return path
        batch = [page]
        if width == THUMB_WIDTH:
            last = min(self.info(sha256)["pages"], page + THUMB_BATCH - 1)
            batch += [p for p in range(page + 1, last + 1) if not (self._dir(sha256) / f"{p}-{width}.png").exists()]
        self._run(sha256, path, ("render", batch, width, self.settings.page_image_max_pixels,
                                 self.settings.page_render_timeout_s / 4))
        return path

    def layout(self, sha256: str, page: int) -> dict:
        """{"text": the page's characters as pdfium reads them (an OFD's: its page text as ingest stores it),
        "boxes": per character [x, y, w, h] in 1/UNIT of the image, or None where it has no box}; NoSuchPage, or
        PageImageError if unreadable."""
        self._check_page(sha256, page)
        path = self._dir(sha256) / f"{page}.json"
        found = _read_json(path)
        if found is None:
            found = self._run(sha256, path, ("layout", page))
        return found

    def boxes(self, sha256: str, page: int, spans: list[tuple[int, int]]) -> list[Box]:
        """The rectangles covering the characters of `spans` (indexes into layout()["text"]), one per line run."""
        lay = self.layout(sha256, page)
        return spans_to_boxes(lay["boxes"], spans)

    def _check_page(self, sha256: str, page: int) -> None:
        if not 1 <= page <= self.info(sha256)["pages"]:
            raise NoSuchPage(page)

    def _dir(self, sha256: str) -> Path:
        self.blobs.path(sha256)  # ValueError unless a sha256
        return self.root / sha256

    def _run(self, sha256: str, target: Path, task: tuple) -> Any:
        """`task` done by the render process, once: under the lock the cache is looked at again (another request
        may have done it meanwhile); failures are recorded beside the cache and raised as PageImageError."""
        folder = target.parent
        with self._lock:
            failed = _read_json(folder / "failed.json") or _read_json(_failed(target))
            if failed is not None:
                raise PageImageError(failed["reason"])
            if target.is_file():
                return _read_json(target) if target.suffix == ".json" else None
            folder.mkdir(parents=True, exist_ok=True)
            self.renders += 1
            started = time.monotonic()
            try:
                result = self._call(self.blobs.path(sha256), folder, task)
            except _FileFault as e:
                log.warning("page images of %s: %s", sha256, e.reason)
                _write_json(folder / "failed.json", {"reason": e.reason})
                raise PageImageError(e.reason) from None
            except PageImageError as e:
                log.warning("page image %s/%s: %s", sha256, target.name, e.reason)
                if e.recorded:
                    _write_json(_failed(target), {"reason": e.reason})
                raise
            log.info("page images of %s: %s in %.2f s", sha256, task[0], time.monotonic() - started)
        return result

    def _call(self, pdf: Path, folder: Path, task: tuple) -> Any:
        """Run one task in the render process (started if need be), killing it if it overruns the time limit."""
        st = self.settings
        if self._worker is None or not self._worker.alive():
            self._worker = _Worker(st.page_render_memory_bytes)
        worker = self._worker
        try:
            worker.conn.send((str(pdf), str(folder), task, _limits(st)))
            if not worker.conn.poll(st.page_render_timeout_s):
                worker.kill()
                raise PageImageError(f"rendering took longer than {st.page_render_timeout_s:g} s (page_render_timeout_s)")
            status, payload, written = worker.conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            worker.kill()
            raise PageImageError("the renderer stopped (out of memory: page_render_memory_bytes, or a crash)") from None
        finally:
            if not worker.alive():
                self._worker = None
                _clean_temps(folder)
        if status == "file":
            raise _FileFault(payload)
        if status == "page":
            raise PageImageError(payload)
        self._account(written)
        return payload

    def _account(self, written: int) -> None:
        """Count `written` bytes more in the cache (under the lock); trim it, oldest files first, once it exceeds
        page_cache_bytes (the first count walks the cache)."""
        cap = self.settings.page_cache_bytes
        if self._cache_bytes is None:
            self._cache_bytes = sum(p.stat().st_size for p in self.root.rglob("*") if p.is_file())
        else:
            self._cache_bytes += written
        if self._cache_bytes <= cap:
            return
        files = sorted((p.stat().st_mtime, p.stat().st_size, p) for p in self.root.rglob("*") if p.is_file())
        total = sum(size for _, size, _ in files)
        for _, size, p in files:
            if total <= cap * TRIM_TO:
                break
            p.unlink(missing_ok=True)
            total -= size
        self._cache_bytes = total
        log.info("page image cache trimmed to %d bytes (page_cache_bytes %d)", total, cap)

    def close(self) -> None:
        if self._worker is not None:
            self._worker.kill()
            self._worker = None


def spans_to_boxes(boxes: list, spans: list[tuple[int, int]]) -> list[Box]:
    """Rectangles over the characters of `spans`: consecutive characters on one line (their boxes overlap
    vertically) share one rectangle; characters without a box (line ends) are skipped."""
    out: list[Box] = []
    for start, end in spans:
        run: list[int] | None = None   # x0, y0, x1, y1
        for b in boxes[start:end]:
            if not b:
                continue
            x0, y0, x1, y1 = b[0], b[1], b[0] + b[2], b[1] + b[3]
            if run and y0 < run[3] and y1 > run[1] and x0 >= run[0]:
                run = [run[0], min(run[1], y0), max(run[2], x1), max(run[3], y1)]
                continue
            if run:
                out.append(Box(run[0], run[1], run[2] - run[0], run[3] - run[1]))
            run = [x0, y0, x1, y1]
        if run:
            out.append(Box(run[0], run[1], run[2] - run[0], run[3] - run[1]))
    return out


def _limits(st: Settings) -> dict[str, int]:
    """The settings the render process applies to an OFD (archive.ofd_render.Limits)."""
    return {name: getattr(st, name) for name in ("zip_max_members", "zip_max_member_bytes", "zip_max_total_bytes",
                                                 "zip_max_ratio", "ofd_max_pages", "ofd_max_objects")}


class _FileFault(Exception):
    """The whole file cannot be opened (damaged, encrypted): recorded for the file, not one page."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class _Worker:
    """The render process (a fresh interpreter that loads only pdfium, Pillow and the OFD reader, never ingest's
    fonts) and its socket; PageImageError(recorded=False) if it does not start (the system's fault, not the
    file's)."""

    def __init__(self, memory_bytes: int):
        mine, child = socket.socketpair()
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p), "PYTHONSAFEPATH": "1"}
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-c", f"from archive.page_images import _serve; _serve({child.fileno()}, {memory_bytes})"],
                pass_fds=[child.fileno()], env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
        finally:
            child.close()
        self.conn = Connection(mine.detach())
        if not self.conn.poll(START_TIMEOUT_S) or self._ready() != "ready":
            self.kill()
            raise PageImageError("the page renderer did not start", recorded=False)

    def _ready(self) -> object:
        try:
            return self.conn.recv()
        except (EOFError, OSError):
            return None

    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(5)
        self.conn.close()


def _serve(fd: int, memory_bytes: int) -> None:
    """Render process main loop: (file, folder, task, OFD limits) in, (status, result or reason, bytes written)
    out."""
    import resource
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if memory_bytes > 0:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    conn = Connection(fd)
    import PIL.Image  # (loaded before "ready": the first task's time limit is the task's own)
    import pypdfium2  # type: ignore[import-untyped]  # noqa: F401

    from . import ofd_render  # noqa: F401

    PIL.Image.MAX_IMAGE_PIXELS = MAX_SOURCE_PIXELS

    conn.send("ready")
    while True:
        try:
            path, folder, task, limits = conn.recv()
        except (EOFError, OSError):
            return
        try:
            status, payload, written = _do(Path(path), Path(folder), task, limits)
        except MemoryError:
            status, payload, written = "page", "out of memory (page_render_memory_bytes)", 0
        conn.send((status, payload, written))


def _do(pdf_path: Path, folder: Path, task: tuple, limits: dict[str, int]) -> tuple[str, object, int]:
    """One task on a PDF or (a zip) an OFD: (status, result or reason, bytes written to the cache)."""
    import pypdfium2 as pdfium

    try:
        with open(pdf_path, "rb") as f:
            head = f.read(4)
    except OSError as e:
        return "file", f"cannot read the stored original: {e.strerror or e}", 0
    if head == b"PK\x03\x04":
        from .ofd_render import do_task

        return do_task(pdf_path, folder, task, limits, _save_png, _write_json)

    try:
        pdf = pdfium.PdfDocument(pdf_path)
    except pdfium.PdfiumError as e:
        return "file", _open_error(e), 0
    except OSError as e:
        return "file", f"cannot read the stored original: {e.strerror or e}", 0
    try:
        if task[0] == "info":
            info = {"pages": len(pdf), "sizes": [[round(v, 2) for v in pdf.get_page_size(i)] for i in range(len(pdf))]}
            if not info["pages"]:
                return "file", "damaged PDF: no pages", 0
            return "ok", info, _write_json(folder / "info.json", info)
        if task[0] == "render":
            _, pages, width, max_pixels, budget_s = task
            started, written = time.monotonic(), 0
            for k, number in enumerate(pages):
                if k and time.monotonic() - started > budget_s:  # further thumbnails only while it stays quick
                    break
                try:
                    written += _render(pdf, number, width, max_pixels, folder / f"{number}-{width}.png")
                except pdfium.PdfiumError as e:
                    if k == 0:
                        return "page", f"page {number} cannot be drawn ({e})", written
            return "ok", None, written
        if task[0] == "layout":
            lay = _layout(pdf, task[1])
            return "ok", lay, _write_json(folder / f"{task[1]}.json", lay)
        raise ValueError(f"unknown task {task[0]!r}")
    except pdfium.PdfiumError as e:
        return "page", f"damaged page ({e})", 0
    finally:
        pdf.close()


def _open_error(exc: Exception) -> str:
    import pypdfium2.raw as pdfium_c  # type: ignore[import-untyped]

    code = getattr(exc, "err_code", None)
    if code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
        return "encrypted PDF: no page images without its password"
    detail = str(exc).split("(PDFium: ", 1)[-1].rstrip(").") or type(exc).__name__
    return f"damaged PDF: {detail}"


def _render(pdf: Any, number: int, width: int, max_pixels: int, target: Path) -> int:
    """Page `number` drawn `width` pixels wide (less if it would exceed max_pixels), saved as a 256-colour PNG;
    returns its size in bytes."""
    page = pdf[number - 1]
    try:
        w_pt, h_pt = page.get_size()
        scale = width / w_pt
        if width * h_pt * scale > max_pixels:
            scale = (max_pixels / (w_pt * h_pt)) ** 0.5
        bitmap = page.render(scale=scale, draw_annots=True)
        try:
            image = bitmap.to_pil()
        finally:
            bitmap.close()
    finally:
        page.close()
    return _save_png(target, image)


def _save_png(target: Path, image: Any) -> int:
    """A PIL image saved as a 256-colour PNG (see _write); returns its size in bytes."""
    image = image.convert("RGB").quantize(256)
    return _write(target, lambda out: image.save(out, format="PNG", optimize=False, compress_level=6))


def _layout(pdf: Any, number: int) -> dict:
    """The page's characters (one per pdfium character index) and their loose boxes in 1/UNIT of the image."""
    import ctypes

    import pypdfium2.raw as pdfium_c

    page = pdf[number - 1]
    try:
        textpage = page.get_textpage()
        try:
            count = pdfium_c.FPDFText_CountChars(textpage.raw)
            chars: list[str] = []
            boxes: list[list[int] | None] = []
            rect, dx, dy = pdfium_c.FS_RECTF(), ctypes.c_int(), ctypes.c_int()
            for i in range(max(count, 0)):
                code = pdfium_c.FPDFText_GetUnicode(textpage.raw, i)
                chars.append(chr(code) if 0 < code < 0x110000 and not 0xD800 <= code < 0xE000 else "\ufffd")
                if chars[-1].isspace() or not pdfium_c.FPDFText_GetLooseCharBox(textpage.raw, i, rect):
                    boxes.append(None)
                    continue
                corners = []
                for x, y in ((rect.left, rect.top), (rect.right, rect.bottom)):
                    pdfium_c.FPDF_PageToDevice(page.raw, 0, 0, UNIT, UNIT, 0, x, y, dx, dy)
                    corners.append((dx.value, dy.value))
                (x0, y0), (x1, y1) = corners
                x0, x1, y0, y1 = min(x0, x1), max(x0, x1), min(y0, y1), max(y0, y1)
                boxes.append([x0, y0, x1 - x0, y1 - y0] if x1 > x0 and y1 > y0 else None)
        finally:
            textpage.close()
    finally:
        page.close()
    return {"text": "".join(chars), "boxes": boxes}


def _failed(target: Path) -> Path:
    return target.with_name(target.name.split(".")[0] + ".failed")


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None


def _write_json(path: Path, value: object) -> int:
    """`value` as JSON (see _write); returns its size in bytes."""
    data = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return _write(path, lambda out: out.write(data))


def _write(path: Path, fill: Callable[[BinaryIO], object]) -> int:
    """A file filled by `fill` under a temporary name and renamed (a reader never sees half of it); its size."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=TEMP_PREFIX, suffix=path.suffix)
    try:
        with os.fdopen(fd, "wb") as out:
            fill(out)
        size = os.path.getsize(tmp)
        os.replace(tmp, path)
        return size
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _touch(path: Path) -> None:
    try:
        os.utime(path)
    except OSError:
        pass


def _clean_temps(folder: Path) -> None:
    """Temporary files a killed render process left behind."""
    if folder.is_dir():
        for p in folder.glob(TEMP_PREFIX + "*"):
            p.unlink(missing_ok=True)
