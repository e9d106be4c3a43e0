"""Cost of page images (archive.page_images): first-request time of a page image (the render process already
running), a thumbnail, a page's character boxes, and the disk each takes, over the PDFs and the OFDs under the
given folders (each kind apart, PDFs by pdfium, OFDs by archive.ofd_render), and the files that failed.

Usage: python bench/page_images.py [FOLDER …]   (default: ingest/samples/pdf and the corpus's PDFs and OFDs)
"""
from __future__ import annotations

import hashlib
import statistics
import sys
import tempfile
import time
from pathlib import Path

from archive import Settings
from archive.blobs import BlobStore
from archive.page_images import PAGE_WIDTH, THUMB_WIDTH, PageImageError, PageImages

REPO = Path(__file__).resolve().parents[1]


def main(folders: list[Path]) -> None:
    for suffix in (".pdf", ".ofd"):
        files = sorted(p for f in folders for p in f.rglob("*") if p.suffix.lower() == suffix)
        if files:
            measure(suffix[1:].upper(), files)
    print("(thumbnails are drawn in batches of the following pages: most thumbnail requests find them cached)")


def measure(kind_name: str, pdfs: list[Path]) -> None:
    """Print the figures of one kind of original."""
    failed: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp))
        blobs = BlobStore(Path(tmp) / "originals")
        pages = PageImages(blobs, settings)
        times: dict[str, list[float]] = {"page": [], "thumb": [], "boxes": []}
        sizes: dict[str, list[int]] = {"page": [], "thumb": [], "boxes": []}
        started = time.perf_counter()
        pages.info(_put(blobs, pdfs[0]))  # starts the render process (not counted)
        startup = time.perf_counter() - started
        for pdf in pdfs:
            sha = _put(blobs, pdf)
            try:
                n = pages.info(sha)["pages"]
            except PageImageError as e:
                failed.append(f"{pdf.name}: {e.reason}")
                continue
            for k in range(1, min(n, 20) + 1):
                for kind, call in (("page", lambda: pages.image(sha, k, PAGE_WIDTH)),
                                   ("boxes", lambda: pages.layout(sha, k)),
                                   ("thumb", lambda: pages.image(sha, k, THUMB_WIDTH))):
                    t = time.perf_counter()
                    try:
                        call()
                    except PageImageError as e:
                        failed.append(f"{pdf.name} page {k} {kind}: {e.reason}")
                        continue
                    times[kind].append(time.perf_counter() - t)
                name = {"page": f"{k}-{PAGE_WIDTH}.png", "thumb": f"{k}-{THUMB_WIDTH}.png", "boxes": f"{k}.json"}
                for kind, file in name.items():
                    path = pages.root / sha / file
                    if path.exists():
                        sizes[kind].append(path.stat().st_size)
        pages.close()
    print(f"{len(pdfs)} {kind_name}s, {len(times['page'])} pages; render process start {startup * 1000:.0f} ms; "
          f"{len(failed)} failures")
    for kind in ("page", "thumb", "boxes"):
        ts = sorted(times[kind])
        if not ts:
            continue
        print(f"  {kind:6s} first request: median {statistics.median(ts) * 1000:6.1f} ms, p90 "
              f"{ts[int(0.9 * (len(ts) - 1))] * 1000:6.1f} ms, max {ts[-1] * 1000:6.1f} ms; disk: median "
              f"{statistics.median(sizes[kind]) / 1024:6.1f} KiB, total {sum(sizes[kind]) / 1024:8.1f} KiB")
    for line in failed:
        print(f"  failed: {line}")


def _put(blobs: BlobStore, path: Path) -> str:
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    blobs.put(path, sha)
    return sha


if __name__ == "__main__":
    args = [Path(a) for a in sys.argv[1:]] or [REPO / "ingest" / "samples" / "pdf", REPO.parent / "shared" / "corpus"]
    main(args)
