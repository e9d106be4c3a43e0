#!/usr/bin/env python3
"""PDF text reading speed with and without system CJK fonts, before and after the box-font stand-in (pdf_fonts).

Three sets, side by side in each round, each read by the PDF extractor (ocr off) in its own process:
  - non-embedded: the ingest bench's PDFs (reportlab, STSong-Light not embedded), with the system fonts pdfium
    finds (or those of --fonts DIR) and with none (pdfium pointed at an empty font folder);
  - embedded: the Putuo 决算 PDFs of the corpus (Word 2010, WPS and ONLYOFFICE exports, fonts embedded).
"before" reads as pdfium does by itself, "after" with ingest/extractors/pdf_fonts.py. Prints pages/s (medians of
the rounds) and the characters read per set (white space aside), which must not depend on the fonts.

    python bench/pdf_fonts.py [--docs 200] [--repeat 3] [--fonts DIR] [--keep DIR]

--fonts DIR: the fonts pdfium may use in the "fonts" condition (e.g. the Noto CJK .ttc files unpacked from the
fonts-noto-cjk package) instead of the system's. Needs reportlab (dev only). Prints figures; nothing is asserted.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
CORPUS = Path(os.environ.get("GONGKAI_CORPUS", REPO.parent / "shared" / "corpus"))


def _read(mode: str, font_dir: str, paths: list[str]) -> dict:
    """In this process: point pdfium at `font_dir` ('' = the system's), read `paths`; pages, seconds, characters."""
    import contextlib
    import ctypes
    import re

    import pypdfium2.raw as pdfium_c

    if font_dir:  # pdfium looks for fonts only where its library config says: start it again with our folder
        pdfium_c.FPDF_DestroyLibrary()
        char_p = ctypes.POINTER(ctypes.c_char)
        folders = (char_p * 2)(ctypes.cast(ctypes.c_char_p(font_dir.encode()), char_p), char_p())
        pdfium_c.FPDF_InitLibraryWithConfig(pdfium_c.FPDF_LIBRARY_CONFIG(
            version=2, m_pUserFontPaths=ctypes.cast(folders, ctypes.POINTER(char_p)), m_pIsolate=None,
            m_v8EmbedderSlot=0))
    from ingest.extractors import pdf

    if mode == "before":
        pdf.pdf_fonts.boxes = contextlib.nullcontext
    extractor = pdf.PdfExtractor(ocr=False)
    ws = re.compile(r"\s+")
    pages = chars = 0
    started = time.perf_counter()
    for p in paths:
        texts = extractor.extract(Path(p)).pages
        pages += len(texts)
        chars += sum(len(ws.sub("", t)) for t in texts)
    return {"pages": pages, "seconds": time.perf_counter() - started, "chars": chars}


def run(mode: str, font_dir: str, paths: list[Path]) -> dict:
    """_read in a fresh process (pdfium's font lookup is per process)."""
    code = ("import json, sys; sys.path.insert(0, sys.argv[1]); from bench.pdf_fonts import _read; "
            "print(json.dumps(_read(sys.argv[2], sys.argv[3], sys.argv[4:])))")
    out = subprocess.run([sys.executable, "-c", code, str(REPO), mode, font_dir, *map(str, paths)],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out.splitlines()[-1])


def main() -> None:
    from bench.ingest_speed import make_pdfs

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--fonts", default="", help="font folder for the 'fonts' condition (default: the system's)")
    ap.add_argument("--keep", type=Path, default=None, help="generate into / reuse this folder")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="gongkai-fonts-"))
    try:
        folder = args.keep or tmp / "pdf"
        if not folder.exists() or not any(folder.glob("*.pdf")):
            folder.mkdir(parents=True, exist_ok=True)
            make_pdfs(folder, args.docs)
        empty = tmp / "no-fonts"
        empty.mkdir()
        plain = sorted(folder.glob("*.pdf"))
        embedded = sorted((CORPUS / "shanghai-putuo-juesuan").glob("*.pdf"))
        fonts = args.fonts and str(Path(args.fonts).resolve())
        cases = {"non-embedded, fonts": (fonts, plain), "non-embedded, no fonts": (str(empty), plain),
                 "embedded (Putuo 决算)": ("", embedded)}
        results: dict[tuple[str, str], list[dict]] = {}
        for r in range(args.repeat):
            line = []
            for name, (font_dir, paths) in cases.items():
                for mode in ("before", "after"):
                    res = run(mode, font_dir, paths)
                    results.setdefault((name, mode), []).append(res)
                    line.append(f"{res['pages'] / res['seconds']:5.0f}")
            print(f"round {r + 1}: pages/s " + " ".join(line) + f"  (load {os.getloadavg()[0]:.1f})", flush=True)
        print(f"fonts: {fonts or 'the system folders pdfium searches'}; {len(plain)} non-embedded PDFs,"
              f" {len(embedded)} embedded; medians of {args.repeat} rounds, one process each")
        print(f"{'set':28} {'before':>14} {'after':>14} {'after/before':>13}   characters before → after")
        for name in cases:
            before, after = results[(name, "before")], results[(name, "after")]
            rate = lambda rs: statistics.median(x["pages"] / x["seconds"] for x in rs)  # noqa: E731
            print(f"{name:28} {rate(before):8.0f} pp/s {rate(after):8.0f} pp/s {rate(after) / rate(before):12.2f}×"
                  f"   {before[0]['chars']:,} → {after[0]['chars']:,} ({before[0]['pages']} pages)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
