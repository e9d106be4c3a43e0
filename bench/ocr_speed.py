"""OCR per setting: seconds per page, agreement with the known text and peak memory, on two page sets.

Run: python bench/ocr_speed.py [--pages N] [--rounds R] [--no-ingest | --ingest-only]   (13-19 min on the 2-core
machine)

Page sets (written to a temporary folder, removed at the end):
  scan-like  N text-layer PDF pages (half bundled samples, half Putuo 决算 pages of ../shared/corpus) rendered
             at 200 dpi to grey JPEG and wrapped as 1-page image-only PDFs; every other page with a slight
             rotation and noise. Agreement: difflib ratio of the OCR text and the source page's text layer, both
             without whitespace and with dot leaders as one character (mean over the pages, lowest in brackets).
  real       the image-only PDFs of the corpus (handan-renmin-portal/scan2pdf_*: a document camera's empty
             plate; agreement = share of pages where OCR rightly finds no text) and the first pages of the PDF
             with a garbled text layer (ofdrw-samples GMT 0031; agreement with the text that today's settings read).
Each setting runs PdfExtractor on every page in a fresh process (the engine on both cores, loaded and warmed
first; "load s"), the settings taking turns round by round; s/page is the median over rounds, peak memory the
largest maximum RSS of its processes. Then `gongkai ingest --ocr --workers 2` on both sets, once per INGESTED setting
(each worker with its own onnxruntime engine as before the OCR service, and the run's OCR service with one engine
of two threads on onnxruntime or OpenVINO, or two engines of one thread on OpenVINO): s/page is (wall time - the
same ingest with --no-ocr) / OCR pages, peak memory the largest sum of RSS and of PSS (shared pages counted once)
over the ingest's process tree (sampled every 0.1 s), load the mean 1-minute load average during the run (the
machine is shared).
"""
from __future__ import annotations

import argparse
import difflib
import io
import json
import os
import random
import re
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import unicodedata
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
CORPUS = Path(os.environ.get("GONGKAI_CORPUS", REPO.parent / "shared" / "corpus"))
SAMPLES = REPO / "ingest" / "samples" / "pdf"
PUTUO = CORPUS / "shanghai-putuo-juesuan"
SCANS = sorted((CORPUS / "handan-renmin-portal").glob("scan2pdf_*.pdf"))
GARBLED, GARBLED_PAGES = CORPUS / "ofdrw-samples" / "pdf" / "GMT_0031-2014_安全电子签章密码技术规范.pdf", 3
DPI = 200
ORT = {"ocr_engine": "onnxruntime"}
TODAY = {**ORT, "ocr_max_side": 2000, "ocr_mem_arena": False}
CONFIGS = {"onnxruntime 2000 px": TODAY,
           "onnxruntime arena": {**ORT, "ocr_max_side": 2000, "ocr_mem_arena": True},
           "onnxruntime 1600 px": {**ORT, "ocr_max_side": 1600, "ocr_mem_arena": False},
           "onnxruntime arena + 1600 px": {**ORT, "ocr_max_side": 1600, "ocr_mem_arena": True},
           "openvino 1600 px": {"ocr_engine": "openvino", "ocr_max_side": 1600}}
OPENVINO = {"ocr_engine": "openvino"}
INGESTED = {"workers' own engines, ort": {**ORT, "ocr_service": False},     # run through `gongkai ingest` (1600 px)
            "service 1x2 threads, ort": {**ORT, "ocr_service_threads": 1, "ocr_threads": 2},
            "service 1x2 threads, openvino": {**OPENVINO, "ocr_service_threads": 1, "ocr_threads": 2},
            "service 2x1 thread, openvino": {**OPENVINO, "ocr_service_threads": 2, "ocr_threads": 1}}
_WS = re.compile(r"\s+")
_LEADER = re.compile(r"[⋯·.]{2,}")
_DASH = re.compile("[\u2010-\u2015\u2212\uff0d]")
GiB = 1024**3


def _text_layer(page) -> str:
    textpage = page.get_textpage()
    try:
        return textpage.get_text_range()
    finally:
        textpage.close()


def _scan_like(page, noisy: bool, seed: int):
    """A grey 200 dpi scan of `page`: JPEG-compressed, with a small rotation and noise when `noisy`."""
    import numpy as np
    from PIL import Image

    image = page.render(scale=DPI / 72).to_pil().convert("L")
    if noisy:
        rng = random.Random(seed)
        image = image.rotate(rng.uniform(-0.8, 0.8), resample=Image.Resampling.BICUBIC, fillcolor=255)
        pixels = np.asarray(image, dtype=np.float32) - 12   # a greyish paper
        pixels += np.random.default_rng(seed).normal(0, 10, pixels.shape)
        image = Image.fromarray(pixels.clip(0, 255).astype(np.uint8))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return Image.open(buffer)


def _source_pages(count: int) -> list[tuple[Path, int]]:
    """(PDF, page index) of `count` text pages: page 1 of half as many samples, the rest spread over the Putuo
    PDFs (pages with at least 100 characters)."""
    import pypdfium2 as pdfium

    chosen = [(path, 0) for path in sorted(SAMPLES.glob("*.pdf"))[:(count + 1) // 2]]
    putuo = sorted(PUTUO.glob("*.pdf"))
    for index in range(1, 40, 6):
        for path in putuo:
            if len(chosen) == count:
                return chosen
            pdf = pdfium.PdfDocument(path)
            if index < len(pdf):
                page = pdf[index]
                if len(_WS.sub("", _text_layer(page))) >= 100:
                    chosen.append((path, index))
                page.close()
            pdf.close()
    return chosen


def make_sets(folder: Path, count: int) -> dict:
    """Write the page sets under `folder`; {set: {pdf name: known text or None}} (None: no known text)."""
    import pypdfium2 as pdfium

    scan_dir, real_dir = folder / "scan-like", folder / "real"
    scan_dir.mkdir()
    real_dir.mkdir()
    known: dict[str, dict[str, str | None]] = {"scan-like": {}, "real": {}}
    for n, (path, index) in enumerate(_source_pages(count)):
        pdf = pdfium.PdfDocument(path)
        page = pdf[index]
        name = f"{n:02d}_{path.stem[:24]}_p{index + 1}.pdf"
        _scan_like(page, noisy=n % 2 == 1, seed=n).save(scan_dir / name, "PDF", resolution=DPI)
        known["scan-like"][name] = _WS.sub("", _text_layer(page))
        page.close()
        pdf.close()
    for path in SCANS:
        shutil.copy(path, real_dir / path.name)
        known["real"][path.name] = ""
    if GARBLED.is_file():
        source, target = pdfium.PdfDocument(GARBLED), pdfium.PdfDocument.new()
        target.import_pages(source, list(range(GARBLED_PAGES)))
        target.save(real_dir / GARBLED.name)
        target.close()
        source.close()
        known["real"][GARBLED.name] = None
    return known


def run_config(folder: Path, config: dict) -> dict:
    """In this process: load and warm the engine, then extract every set's PDFs with OCR once; seconds, texts,
    peak RSS."""
    from PIL import Image, ImageDraw

    from archive.settings import Settings
    from ingest.extractors import ocr
    from ingest.extractors.pdf import PdfExtractor

    settings = Settings(ocr=True, ocr_seconds=86_400, file_timeout_s=86_400, **config)
    started = time.perf_counter()
    warm = Image.new("RGB", (320, 64), "white")
    ImageDraw.Draw(warm).rectangle((20, 20, 300, 44), fill="black")
    ocr.recognize(warm, settings)   # rapidocr opens its models on first use
    out: dict = {"load_s": time.perf_counter() - started, "sets": {}}
    for name in ("scan-like", "real"):
        texts = {}
        started = time.perf_counter()
        for path in sorted((folder / name).glob("*.pdf")):
            texts[path.name] = PdfExtractor(ocr=True).extract(path, settings).pages
        out["sets"][name] = {"seconds": time.perf_counter() - started, "texts": texts,
                             "pages": sum(len(t) for t in texts.values())}
    out["peak_rss"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return out


def _norm(text: str) -> str:
    """Text as compared: NFKC (full-width ：（） as the search index reads them), no whitespace, dashes as '-', a
    run of dot leaders (a table of contents: OCR reads more or fewer dots) as one '…'."""
    text = _WS.sub("", unicodedata.normalize("NFKC", text))
    return _LEADER.sub("…", _DASH.sub("-", text))


def ratios(a: str, b: str) -> tuple[float, float]:
    """(in order: difflib ratio, in any order: the same for the characters as multisets) of two texts, _norm'ed."""
    a, b = _norm(a), _norm(b)
    if a == b:
        return 1.0, 1.0
    common = sum((Counter(a) & Counter(b)).values())
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio(), 2 * common / (len(a) + len(b))


def agreement(texts: dict, known: dict, today: dict) -> list[tuple[float, float]]:
    """Per page, ratios() with the known text; for a page without one ('') (1, 1) when OCR found none; for a
    page with unknown text (None) ratios() with the text today's settings read."""
    out = []
    for name, pages in sorted(texts.items()):
        for number, text in enumerate(pages):
            ref = known[name]
            if ref is None:
                out.append(ratios(text, today[name][number]))
            elif ref == "":
                out.append((1.0, 1.0) if not text.strip() else (0.0, 0.0))
            else:
                out.append(ratios(text, ref))
    return out


def _summary(pairs: list[tuple[float, float]]) -> str:
    """'order (lowest)  any order (lowest)' of agreement() pairs."""
    order, bag = [p[0] for p in pairs], [p[1] for p in pairs]
    return f"{statistics.mean(order):.4f} ({min(order):.3f}) {statistics.mean(bag):.4f} ({min(bag):.3f})"


def _tree_memory(root: int) -> tuple[int, int]:
    """Sums of the resident memory (RSS) and of the proportional set size (PSS: a page shared by n processes counts
    1/n in each, so the sum is what the tree takes from the machine) of `root` and its descendants (from /proc)."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    parents[int(entry)] = int(f.read().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
    rss = pss = 0
    todo = [root]
    while todo:
        pid = todo.pop()
        todo.extend(child for child, parent in parents.items() if parent == pid)
        try:
            with open(f"/proc/{pid}/smaps_rollup") as f:
                fields = dict(line.split(":", 1) for line in f if line[:4] in ("Rss:", "Pss:"))
        except OSError:
            continue
        rss += int(fields["Rss"].split()[0]) * 1024
        pss += int(fields["Pss"].split()[0]) * 1024
    return rss, pss


def ingest(folder: Path, config: dict, ocr: bool) -> dict:
    """`gongkai ingest` of both sets into a fresh data folder: wall seconds, peak tree RSS and PSS, texts by file
    name."""
    from archive import CATALOG_FILE

    data = Path(tempfile.mkdtemp(prefix="ocr-bench-data-", dir=folder))
    cmd = [sys.executable, "-m", "web.cli", "--data", str(data)]
    for name, value in config.items():
        cmd += ["--setting", f"{name}={str(value).lower()}"]
    cmd += ["ingest", "--quiet", "--workers", "2", "--ocr" if ocr else "--no-ocr", "--timeout", "3000",
            str(folder / "scan-like"), str(folder / "real")]
    peak, loads, started = [0, 0], [], time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.1):
            peak[:] = map(max, peak, _tree_memory(proc.pid))
            loads.append(os.getloadavg()[0])

    sampler = threading.Thread(target=sample)
    sampler.start()
    output = proc.communicate()[0]
    wall = time.perf_counter() - started
    done.set()
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"ingest failed ({proc.returncode}): {' '.join(cmd)}\n{output}")
    texts: dict[str, list[str]] = {}
    with sqlite3.connect(data / CATALOG_FILE) as db:
        rows = db.execute("SELECT o.filename, p.page_no, p.text FROM originals o JOIN pages p ON p.doc_id = o.doc_id"
                          " ORDER BY o.filename, p.page_no").fetchall()
    for filename, _, text in rows:
        texts.setdefault(filename, []).append(text)
    shutil.rmtree(data, ignore_errors=True)
    return {"wall": wall, "peak": peak[0], "peak_pss": peak[1], "texts": texts, "load": statistics.mean(loads or [0.0])}


def _child(folder: Path, config: dict) -> dict:
    """run_config() in a fresh process (the engine, its arena and the peak RSS are per process)."""
    cmd = [sys.executable, __file__, "--child", json.dumps(config), "--folder", str(folder)]
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"{config} failed:\n{result.stderr}")
    return json.loads(result.stdout.splitlines()[-1])


def measure(folder: Path, rounds: int) -> dict:
    """{setting: {load_s, peak_rss, sets: {set: {seconds: [per round], pages, texts}}}}, the settings taking turns
    round by round (a load spike on the shared machine then hits all of them alike)."""
    results: dict = {}
    for _ in range(rounds):
        for name, config in CONFIGS.items():
            run = _child(folder, config)
            got = results.setdefault(name, {"load_s": [], "peak_rss": 0, "sets": {}})
            got["load_s"].append(run["load_s"])
            got["peak_rss"] = max(got["peak_rss"], run["peak_rss"])
            for s, one in run["sets"].items():
                into = got["sets"].setdefault(s, {"seconds": [], "pages": one["pages"]})
                into["seconds"].append(one["seconds"])
                into["texts"] = one["texts"]
    return results


def ingest_runs(folder: Path, known: dict, today: dict | None, rounds: int) -> None:
    """Print `gongkai ingest --workers 2` of both sets per INGESTED setting (taking turns round by round; medians):
    s/page beyond the --no-ocr run, peak tree RSS, agreement (with `today`'s texts for pages of unknown text; None:
    those of the first setting), load."""
    plain = [ingest(folder, TODAY, ocr=False)["wall"] for _ in range(rounds)]
    runs: dict[str, list[dict]] = {}
    for _ in range(rounds):
        for name, config in INGESTED.items():
            runs.setdefault(name, []).append(ingest(folder, config, ocr=True))
    if today is None:
        first = runs[next(iter(INGESTED))][0]["texts"]
        today = {s: {k: first.get(k) or [""] for k in known[s]} for s in known}
    ocr_pages = sum(len(p) for s in ("scan-like", "real") for p in today[s].values())
    print(f"\n`gongkai ingest --workers 2` of both sets ({ocr_pages} OCR pages); --no-ocr took "
          f"{statistics.median(plain):.1f} s (subtracted) · {rounds} rounds")
    print(f"{'setting':30} {'wall s':>7} {'s/page':>7} {'× first':>8} {'peak tree RSS':>13} {'PSS':>9} {'load':>5}"
          "   agreement: "
          f"order (min), any order (min) per set")
    base = None
    for name, got in runs.items():
        wall = statistics.median(r["wall"] for r in got)
        per_page = (wall - statistics.median(plain)) / ocr_pages
        base = base or per_page
        agree = []
        for s in known:   # a file that failed counts as pages without text
            texts = {k: got[-1]["texts"].get(k) or [""] * len(today[s][k]) for k in known[s]}
            agree.append(f"{s} {_summary(agreement(texts, known[s], today[s]))}")
        print(f"{name:30} {wall:7.1f} {per_page:7.2f} {per_page / base:8.2f} {max(r['peak'] for r in got) / GiB:9.2f} GiB"
              f" {max(r['peak_pss'] for r in got) / GiB:5.2f} GiB"
              f" {statistics.mean(r['load'] for r in got):5.1f}   " + " · ".join(agree))
    print(f"load average {_load()}")


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=14, help="scan-like pages (default 14)")
    ap.add_argument("--rounds", type=int, default=2, help="rounds per setting; s/page is their median")
    ap.add_argument("--no-ingest", action="store_true", help="skip the `gongkai ingest` runs")
    ap.add_argument("--ingest-only", action="store_true", help="only the `gongkai ingest` runs")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--folder", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(run_config(Path(args.folder), json.loads(args.child)), ensure_ascii=False))
        return
    folder = Path(tempfile.mkdtemp(prefix="ocr-bench-"))
    try:
        known = make_sets(folder, args.pages)
        sizes = {name: len(files) for name, files in known.items()}
        print(f"load average {_load()} · {os.cpu_count()} cores · sets: scan-like {sizes['scan-like']} pages, "
              f"real {sizes['real']} files · {args.rounds} rounds")
        if args.ingest_only:
            ingest_runs(folder, known, None, args.rounds)
            return
        results = measure(folder, args.rounds)
        today = {s: results[next(iter(CONFIGS))]["sets"][s]["texts"] for s in known}
        print(f"\n{'setting':28} {'set':10} {'pages':>5} {'s/page':>7} {'× today':>8} {'agreement: order (min)':>22} "
              f"{'any order (min)':>16} {'peak RSS':>9} {'load s':>6}")
        base: dict[str, float] = {}
        for name, result in results.items():
            for s, got in result["sets"].items():
                per_page = statistics.median(got["seconds"]) / got["pages"]
                base.setdefault(s, per_page)
                print(f"{name:28} {s:10} {got['pages']:5} {per_page:7.2f} {per_page / base[s]:8.2f} "
                      f"{_summary(agreement(got['texts'], known[s], today[s])):>39} {result['peak_rss'] / GiB:5.2f} GiB "
                      f"{statistics.median(result['load_s']):6.1f}")
        print(f"load average {_load()}")
        if not args.no_ingest:
            ingest_runs(folder, known, today, args.rounds)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
