#!/usr/bin/env python3
"""End-to-end ingest speed on text-layer PDFs built from corpus texts, as a ratio to pypdfium2 alone.

Generates PDFs (reportlab, STSong-Light CID font, about 1,200 characters a page) from real laws in
../shared/corpus/lawrefbook-laws into a temp dir, then measures:
  - pypdfium2 text extraction alone, one process and one process per core (the practical limit);
  - `gongkai ingest` end to end (extract, metadata, segment, text hash, store, catalog, index) as a
    subprocess, with the peak RSS of the whole process tree (parent, fork server, workers) sampled;
  - a per-stage profile of the worker's job on a sample, to show where the time goes.

    python bench/ingest_speed.py [--docs 1000] [--repeat 3] [--workers N] [--keep DIR]
                                 [--compare /path/to/other/venv/bin/gongkai]

--compare runs another installation's `gongkai ingest` in the same rounds, side by side (e.g. the
previous release in its own virtualenv), and prints the ratio of the two.

Needs reportlab (dev only). Prints figures; nothing is asserted.
"""
from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
CORPUS = Path(os.environ.get("GONGKAI_CORPUS", REPO.parent / "shared" / "corpus"))


def make_pdfs(dest: Path, docs: int) -> int:
    """Write `docs` PDFs from the largest-first laws of the corpus; returns the page count."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    laws = sorted((CORPUS / "lawrefbook-laws").rglob("*.md"))
    step = max(1, len(laws) // docs)
    pages = 0
    for i, law in enumerate(laws[::step][:docs]):
        text = law.read_text(encoding="utf-8").replace("<!-- INFO END -->", "")
        c = canvas.Canvas(str(dest / f"{i:04d}_{law.stem[:40]}.pdf"), pagesize=A4, pageCompression=1)
        c.setFont("STSong-Light", 11)
        y, per_line = 800, 40
        for para in text.splitlines():
            para = para.strip("# ").strip()
            for k in range(0, max(len(para), 1), per_line):
                if y < 50:
                    c.showPage()
                    c.setFont("STSong-Light", 11)
                    y, pages = 800, pages + 1
                c.drawString(50, y, para[k:k + per_line])
                y -= 16
        c.showPage()
        c.save()
        pages += 1
    return pages


def _pdfium_pages(paths: list[str]) -> int:
    import pypdfium2 as pdfium

    n = 0
    for p in paths:
        doc = pdfium.PdfDocument(p)
        for i in range(len(doc)):
            page = doc[i]
            tp = page.get_textpage()
            tp.get_text_range()
            tp.close()
            page.close()
            n += 1
        doc.close()
    return n


def pdfium_alone(paths: list[str], procs: int) -> float:
    """pages/s of bare pypdfium2 text extraction over `paths` in `procs` processes."""
    started = time.perf_counter()
    if procs == 1:
        n = _pdfium_pages(paths)
    else:
        with mp.get_context("fork").Pool(procs) as pool:
            n = sum(pool.map(_pdfium_pages, [paths[i::procs] for i in range(procs)]))
    return n / (time.perf_counter() - started)


def _tree_rss(sid: int) -> tuple[int, int]:
    """(sum, max) RSS in bytes of the processes of session `sid`."""
    total = biggest = 0
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            stat = (d / "stat").read_text().rsplit(")", 1)[1].split()
            if int(stat[3]) != sid:
                continue
            rss = int(stat[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
        total, biggest = total + rss, max(biggest, rss)
    return total, biggest


def end_to_end(folder: Path, data: Path, workers: int | None, gongkai: list[str] | None = None) -> dict:
    """Run `gongkai ingest` (this checkout's, or the command `gongkai`) as a subprocess; seconds, pages,
    peak RSS of the whole tree."""
    cmd = [*(gongkai or [sys.executable, "-m", "web.cli"]), "--data", str(data), "ingest", "--quiet", str(folder)]
    if workers:
        cmd += ["--workers", str(workers)]
    peak = {"sum": 0, "max": 0, "parent_cpu": 0.0}
    started = time.perf_counter()
    env = {**os.environ, "PYTHONPATH": str(REPO)} if gongkai is None else None  # (this checkout's code)
    proc = subprocess.Popen(cmd, cwd=data.parent, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True, text=True)

    def sample():
        tick = os.sysconf("SC_CLK_TCK")
        while proc.poll() is None:
            total, biggest = _tree_rss(proc.pid)
            peak["sum"], peak["max"] = max(peak["sum"], total), max(peak["max"], biggest)
            try:
                stat = Path(f"/proc/{proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
                peak["parent_cpu"] = (int(stat[11]) + int(stat[12])) / tick
            except (OSError, IndexError):
                pass
            time.sleep(0.1)

    t = threading.Thread(target=sample, daemon=True)
    t.start()
    out, _ = proc.communicate()
    seconds = time.perf_counter() - started
    t.join()
    import re

    pages = int(re.search(r"(\d+) pages \(", out)[1])
    run = re.search(r"in ([\d.]+)s", out)
    return {"seconds": seconds, "run_seconds": float(run[1]), "pages": pages, "peak_sum": peak["sum"],
            "peak_max": peak["max"], "parent_cpu": peak["parent_cpu"], "out": out}


def stage_profile(paths: list[Path]) -> dict[str, float]:
    """Seconds per stage of the worker's job over `paths`, in this process."""
    from analyzers.normalize import normalize
    from analyzers.segment import bigram_text, sequence, word_text
    from archive.blobs import sha256_file
    from ingest.dedup import text_hash
    from ingest.extractors import choose
    from ingest.metadata import extract_metadata

    t = dict.fromkeys(("sha256", "extract", "metadata", "normalize+bigrams", "jieba words",
                       "text hash"), 0.0)
    word_text("预热")
    for p in paths:
        t0 = time.perf_counter()
        sha256_file(p)
        t1 = time.perf_counter()
        ex = choose(p, p.read_bytes()[:8192]).extract(p)
        t2 = time.perf_counter()
        extract_metadata(ex.text, ex.metadata, filename=p.name)
        t3 = time.perf_counter()
        body = normalize("\n".join(ex.pages))
        bigram_text(sequence(body))
        t4 = time.perf_counter()
        word_text(body)
        t5 = time.perf_counter()
        text_hash(ex.pages, 200)
        t6 = time.perf_counter()
        for k, d in zip(t, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4, t6 - t5)):
            t[k] += d
    return t


def reference_segmentation(paths: list[Path]) -> float:
    """Seconds pure-Python jieba (reference_words) takes on the text of `paths`."""
    from analyzers.normalize import normalize
    from analyzers.segment import reference_words
    from ingest.extractors import choose

    texts = [normalize("\n".join(choose(p, p.read_bytes()[:8192]).extract(p).pages)) for p in paths]
    reference_words("预热")
    started = time.perf_counter()
    for t in texts:
        reference_words(t)
    return time.perf_counter() - started


def _median(xs: list[float]) -> float:
    return statistics.median(xs)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--repeat", type=int, default=3, help="rounds of (pypdfium2 alone, end to end), side by side")
    ap.add_argument("--keep", type=Path, default=None, help="generate into / reuse this folder")
    ap.add_argument("--compare", default=None, help="another gongkai command to measure side by side")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="gongkai-bench-"))
    folder = args.keep or tmp / "pdf"
    try:
        if not folder.exists() or not any(folder.glob("*.pdf")):
            folder.mkdir(parents=True, exist_ok=True)
            t = time.perf_counter()
            make_pdfs(folder, args.docs)
            print(f"generated {args.docs} PDFs into {folder} in {time.perf_counter() - t:.1f}s (reportlab)")
        paths = sorted(folder.glob("*.pdf"))
        mb = sum(p.stat().st_size for p in paths) / 1e6
        procs = args.workers or len(os.sched_getaffinity(0))
        rounds, compared = [], []
        for r in range(args.repeat):
            one = pdfium_alone([str(p) for p in paths], 1)
            many = pdfium_alone([str(p) for p in paths], procs)
            e2e = end_to_end(folder, tmp / f"data-{r}", args.workers)
            e2e["rate"] = e2e["pages"] / e2e["run_seconds"]
            rounds.append((one, many, e2e))
            other = ""
            if args.compare:
                o = end_to_end(folder, tmp / f"other-{r}", args.workers, args.compare.split())
                o["rate"] = o["pages"] / o["run_seconds"]
                compared.append(e2e["rate"] / o["rate"])
                other = f", compared command {o['rate']:4.0f} pages/s (this / that {compared[-1]:.2f})"
            print(f"round {r + 1}: pypdfium2 {one:4.0f} / {many:4.0f} pages/s (1 / {procs} processes), gongkai"
                  f" {e2e['rate']:4.0f} pages/s ({e2e['run_seconds']:.1f}s){other}, load {os.getloadavg()[0]:.1f}")
        pages = rounds[0][2]["pages"]
        med = lambda f: _median([f(*x) for x in rounds])  # noqa: E731
        print(f"input: {len(paths)} PDFs, {pages} pages, {mb:.1f} MB; {procs} cores; medians of {len(rounds)} rounds")
        print(f"pypdfium2 text alone:  {med(lambda o, m, e: o):7.0f} pages/s (1 process),"
              f" {med(lambda o, m, e: m):7.0f} pages/s ({procs} processes)")
        print(f"gongkai ingest:        {med(lambda o, m, e: e['rate']):7.0f} pages/s end to end"
              f" ({med(lambda o, m, e: e['run_seconds']):.1f}s in the run,"
              f" {med(lambda o, m, e: e['seconds']):.1f}s with start-up)")
        if compared:
            print(f"this / compared:       {_median(compared):.2f} (median of per-round ratios: "
                  f"{', '.join(f'{x:.2f}' for x in compared)})")
        print(f"ratio to pypdfium2:    {med(lambda o, m, e: e['rate'] / o):.2f} of 1 process,"
              f" {med(lambda o, m, e: e['rate'] / m):.2f} of {procs} processes (median of per-round ratios)")
        print(f"peak RSS:              {max(e['peak_sum'] for _, _, e in rounds) / 2**20:.0f} MiB whole tree,"
              f" {max(e['peak_max'] for _, _, e in rounds) / 2**20:.0f} MiB largest process")
        print(f"parent (single writer): {med(lambda o, m, e: e['parent_cpu']):.1f} s CPU of"
              f" {med(lambda o, m, e: e['seconds']):.1f} s (hashing, blobs, catalog, index thread, start-up)")
        sample = paths[:: max(1, len(paths) // 20)]
        prof = stage_profile(sample)
        total = sum(prof.values())
        pages = _pdfium_pages([str(p) for p in sample])
        print(f"stage profile on {len(sample)} files ({pages} pages), one process:")
        for k, v in prof.items():
            print(f"  {k:24} {v:6.2f}s  {100 * v / total:5.1f}%  ({pages / v if v else 0:8.0f} pages/s alone)")
        ref = reference_segmentation(sample)
        print(f"  (pure-Python jieba, the reference, would take {ref:.2f}s: {pages / ref:.0f} pages/s alone)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
