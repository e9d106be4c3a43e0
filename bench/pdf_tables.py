"""Ruled tables in PDFs: PdfExtractor pages/s without and with tables, side by side; pages with rulings and tables.

Run: python bench/pdf_tables.py [--rounds N]. Uses every PDF of the real corpus (../shared/corpus) and the
bundled sample PDFs (OCR off: scans cost the same either way). Each round times both extractors on every
file; the median of the rounds is printed, with their ratio. Also counts the pages that reached the table
finder (enough rulings) and those where tables were found, and times pdfplumber's own
`page.find_tables()` route (pdfminer parses the page) on the same pages, once, for comparison.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
CORPUS = Path(os.environ.get("GONGKAI_CORPUS", REPO.parent / "shared" / "corpus"))


def files() -> list[Path]:
    return sorted(p for p in CORPUS.rglob("*") if p.suffix.lower() == ".pdf") + \
        sorted((REPO / "ingest" / "samples" / "pdf").glob("*.pdf"))


def pages_per_second(extractor, paths: list[Path]) -> float:
    pages, start = 0, time.perf_counter()
    for path in paths:
        pages += len(extractor.extract(path).pages)
    return pages / (time.perf_counter() - start)


def census(paths: list[Path]) -> tuple[int, int, int, int, list[tuple[int, int]], set[int]]:
    """(pages, pages with rulings, pages with tables, tables, (file, page) indexes with rulings, files with tables)."""
    import pypdfium2 as pdfium

    from ingest.extractors import pdf_tables

    pages = ruled = tabled = tables = 0
    ruled_pages = []
    with_tables = set()
    for n, path in enumerate(paths):
        pdf = pdfium.PdfDocument(path)
        try:
            for i in range(len(pdf)):
                page = pdf[i]
                textpage = page.get_textpage()
                pages += 1
                if pdf_tables.rulings(page):
                    ruled += 1
                    ruled_pages.append((n, i))
                laid = pdf_tables.page_text(page, textpage, textpage.get_text_range())
                if laid:
                    tabled += 1
                    with_tables.add(n)
                    tables += laid[1]
                textpage.close()
                page.close()
        finally:
            pdf.close()
    return pages, ruled, tabled, tables, ruled_pages, with_tables


def plumber_seconds(paths: list[Path], ruled_pages) -> float:
    """pdfplumber's find_tables() with extract() on the pages with rulings (the page parsed by pdfminer)."""
    import pdfplumber

    start = time.perf_counter()
    for n, i in ruled_pages:
        with pdfplumber.open(paths[n]) as pdf:
            for table in pdf.pages[i].find_tables():
                table.extract()
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5, help="rounds of both extractors (median printed)")
    args = ap.parse_args()
    from ingest.extractors.pdf import PdfExtractor

    paths = files()
    plain, tables = PdfExtractor(ocr=False, tables=False), PdfExtractor(ocr=False, tables=True)
    for x in (plain, tables):      # warm up: imports, first page loads
        x.extract(paths[0])
    pages, ruled, tabled, count, ruled_pages, with_tables = census(paths)
    print(f"{len(paths)} PDFs, {pages} pages; {ruled} pages with rulings, {tabled} with tables ({count} tables)")
    sets = {"all PDFs": paths, "PDFs with tables": [p for n, p in enumerate(paths) if n in with_tables],
            "PDFs without tables": [p for n, p in enumerate(paths) if n not in with_tables]}
    for name, group in sets.items():
        without, with_ = [], []
        for _ in range(args.rounds):
            without.append(pages_per_second(plain, group))
            with_.append(pages_per_second(tables, group))
        a, b = statistics.median(without), statistics.median(with_)
        print(f"{name:20} ({len(group):2} files) PdfExtractor without tables {a:6.1f} pages/s, with {b:6.1f} pages/s,"
              f" ratio {b / a:.2f} (median of {args.rounds} rounds)")
        if name == "all PDFs":
            total = pages / a
    seconds = plumber_seconds(paths, ruled_pages)
    print(f"pdfplumber find_tables() on the {ruled} pages with rulings: {seconds:.2f} s "
          f"({ruled / seconds:.1f} pages/s; the whole set without tables takes {total:.2f} s)")


if __name__ == "__main__":
    main()
