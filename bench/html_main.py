"""HTML main content: our extractor vs trafilatura vs readability-lxml on the real HTML pages, article found and time.

Run: python bench/html_main.py [--baseline REV] [--repeat N] [--only NAME,...] [--show VARIANT] [--quality]
(trafilatura / readability-lxml are used when importable: pip install trafilatura readability-lxml, in a venv)
Pages: every *.htm* of ../shared/corpus (40 gov.cn pages, the Handan Word export, 3 NFRA fragments, 3 chardet
pages) and the 11 ingest/samples pages. Each page is also rebuilt in the structures that failed on real sites:
  asis      the page as saved
  noid      the known CMS content ids/classes (UCAP-CONTENT, TRS_Editor, zoom ...) renamed: the generic path
  notable   noid without the gov.cn label table (索引号/发文机关/... table)
  stray     noid after a header include that ends in `</html>` (title = file name, ~60 characters of links)
  dupbody   noid after a navigation `<body>` closed early: two <body> elements
  spa       noid inside an Angular layout whose side menu (other documents' titles, half of them <a>-less
            click items) holds ~80 % of the text
Reference article = text of the page's content container (#UCAP-CONTENT) or, when there is none, of the whole
page. 'found' = every reference text chunk (>= 8 characters, whitespace removed) and the title (gov.cn csv,
samples manifest) are in the body, and at most 25 % of its characters are foreign to the reference; 'recall' =
share of reference chunks found; 'noise' = share of body characters in pieces (cells, sentences) absent from the
reference; 'lowq' = pages warned "low quality:"; 'ms' = milliseconds per page, every candidate given the same
decoded markup (ours and baseline also write it to a file and read it back: their ms include that).
--baseline REV also runs ingest/extractors/html.py as of git revision REV (read with `git show`) and times the
whole extract of both, interleaved. --quality: how many real documents of every format ingest.quality flags.

Recorded 2026-12-02 on the 2-core project machine under load 3.6-4.9 from other jobs (ms vary ±40 %; the
interleaved ratio less), trafilatura 2.3.1, readability-lxml 0.9, baseline 90e6c36 (the extractor before this):
  variant  found %: ours baseline trafilatura readability      noise: ours baseline trafil. readab.
  asis            100.0   81.0   77.6   74.1                         0.011 0.000 0.095 0.000
  noid            100.0   91.4   77.6   91.4                         0.011 0.021 0.095 0.025
  notable         100.0   81.0   74.1   91.4                         0.011 0.006 0.035 0.025
  stray            98.3    0.0    0.0    0.0                         0.021 1.000 0.960 0.960
  dupbody         100.0    0.0   81.0   87.9                         0.012 1.000 0.129 0.077
  spa              98.3    0.0   81.0   91.4                         0.028 0.777 0.112 0.025
  all (348)        99.4   42.2   65.2   72.7        ms/page: ours 4.8  baseline 4.6  trafil. 7.7  readab. 5.9
  whole extract of the 58 files as saved: ours 2.08 ms/page, baseline 1.97 ms/page, ratio 1.055
Misses: ours - the chardet Sohu ad box (links only) in stray (nav kept, flagged "low quality") and spa (panel
title taken). trafilatura - nothing from the 3 NFRA table fragments, the samples' label table and site name kept.
readability - the samples' headline (outside the content block) dropped, NFRA tables cut to one cell.
--quality: 0 of 3,476 md, 90 txt, 31 docx, 1 doc, 46 html texts flagged; 5 of 122 PDF pages taken one by one
(table pages holding only column headers: 1 in a 决算, 4 in the empty 决算 template), 0 of the PDFs as a whole.
"""
from __future__ import annotations

import argparse
import csv
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
CORPUS = Path(os.environ.get("GONGKAI_CORPUS", REPO.parent / "shared" / "corpus"))
SAMPLES = REPO / "ingest" / "samples"

import lxml.html  # noqa: E402

from ingest.extractors.text import decode_bytes  # noqa: E402
from ingest.mojibake import repair  # noqa: E402

_WS = re.compile(r"\s+")
_DECLARED = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)|<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)""", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_IDS = re.compile(r"""\b(id|class)\s*=\s*(["'])(UCAP-CONTENT|zoom|Zoom|TRS_Editor|TRS_UEDITOR|pages_content|article-content)\2""")
_LABEL_TABLE = re.compile(r"""<table[^>]*class=["'](?:bd1|xxgk)["'][^>]*>.*?</table>""", re.S | re.I)
_CHARSET = re.compile(r"charset\s*=\s*[\w.:-]+", re.I)
_NOISE = 0.25   # an article found with more foreign text than this is not found
_CELLS = re.compile(r"[\t|]")   # our cells are tab-separated, trafilatura's "| a | b |"
_CHUNK = re.compile(r"[。；;！？!?]")
VARIANTS = ("asis", "noid", "notable", "stray", "dupbody", "spa")


def decoded(path: Path) -> str:
    """The page as our extractor decodes it (declared charset, detection, mojibake repair)."""
    data = path.read_bytes()
    declared = _DECLARED.search(data[:4096])
    text = decode_bytes(data, (declared[1] or declared[2]).decode("ascii") if declared else None).text
    return _XML_DECL.sub("", repair(text).text)


def pages() -> list[dict]:
    """Every real page: name, decoded markup, title (when known), reference chunks."""
    titles = {}
    with open(CORPUS / "govcn-2019-zhouynf" / "metadata.csv", encoding="utf-8") as f:
        titles.update({str(CORPUS / "govcn-2019-zhouynf" / r["file"]): r["title"] for r in csv.DictReader(f)})
    with open(SAMPLES / "manifest.csv", encoding="utf-8") as f:
        titles.update({str(SAMPLES / r["file"]): r["title"] for r in csv.DictReader(f) if r["format"] == "html"})
    files = sorted(CORPUS.rglob("*.htm*")) + sorted((SAMPLES / "html").glob("*.htm*"))
    out = []
    for path in files:
        markup = decoded(path)
        out.append({"name": path.stem[:40], "group": path.relative_to(path.parents[1]).parts[0]
                    if path.is_relative_to(CORPUS) else "samples",
                    "markup": markup, "title": _WS.sub("", titles.get(str(path), "")), **reference(markup)})
    return out


def reference(markup: str) -> dict:
    """The page's article: 'text' of its content container (whitespace removed) and its 'chunks' (text nodes
    split at sentence ends, the longer ones)."""
    root = lxml.html.document_fromstring(markup)
    for el in root.iter("script", "style", "noscript"):
        el.text = ""
    found = root.xpath('//*[@id="UCAP-CONTENT"]')
    el = found[0] if found else root
    chunks = []
    for node in el.itertext():
        for part in _CHUNK.split(_WS.sub("", node)):
            if len(part) >= 8:
                chunks.append(part)
    return {"chunks": chunks, "text": _WS.sub("", "".join(el.itertext()))}


def variant(page: dict, kind: str, menu: list[str]) -> str:
    """The page rebuilt in one of the structures of VARIANTS."""
    markup = page["markup"]
    if kind == "asis":
        return markup
    markup = _IDS.sub(lambda m: f'{m[1]}={m[2]}x{len(m[3])}{m[2]}', markup)
    if kind == "noid":
        return markup
    if kind == "notable":
        return _LABEL_TABLE.sub("", markup)
    if "<html" not in markup[:2000].lower():
        markup = f"<html><head></head><body>{markup}</body></html>"
    if kind == "stray":
        return ('<!DOCTYPE html><html><head><meta charset="utf-8"><title>page.html</title></head><body>'
                '<div class="head"><a href="/">首页</a> <a href="/zw">政务公开</a> <a href="/fw">政务服务</a> '
                '<a href="/hd">互动交流</a> <a href="/zc">政策文件</a> <a href="/jd">政策解读</a> '
                '<a href="/en">English</a> <a href="/wza">无障碍</a></div></body></html>\n' + markup)
    if kind == "dupbody":
        return re.sub(r"<body[^>]*>", '<body><div class="nav"><a href="/">首页</a> <a href="/zw">政务公开</a> '
                      '<a href="/fw">政务服务</a> <a href="/hd">互动交流</a></div></body>\n<body>', markup, count=1,
                      flags=re.I)
    # spa: the side menu gets ~4x the article's characters (at most 20,000) of other documents' titles
    body = re.search(r"<body[^>]*>(.*)</body>", markup, re.S | re.I)
    inner = body[1] if body else markup
    size = sum(map(len, page["chunks"])) or 1000
    items, chars, i = [], 0, 0
    while chars < min(4 * size, 20000):
        title = menu[i % len(menu)]
        items.append(f'<li class="menu-item"><a _ngcontent-c1 href="#/zcwj/{i}">{title}</a></li>' if i % 2 else
                     f'<li class="menu-item" _ngcontent-c1><span class="title">{title}</span></li>')
        chars, i = chars + len(title), i + 1
    return ('<!DOCTYPE html><html><head><meta charset="utf-8"><title>政策文件库</title><base href="/"></head><body>'
            '<app-root _nghost-c0 ng-version="8.2.14"><div class="layout"><div class="left-panel" _ngcontent-c0>'
            '<div class="panel-title">政策文件</div><ul class="menu">' + "".join(items) + '</ul></div>'
            '<div class="right-panel"><router-outlet></router-outlet><app-detail _nghost-c2>'
            f'<div class="detail" _ngcontent-c2>{inner}</div></app-detail></div></div></app-root>'
            '<script src="runtime.js"></script><script src="main.js"></script></body></html>')


def load_revision(rev: str):
    """ingest/extractors/html.py as of git revision `rev`, as a module of the ingest.extractors package."""
    source = subprocess.run(["git", "-C", str(REPO), "show", f"{rev}:ingest/extractors/html.py"], check=True,
                            capture_output=True, text=True).stdout
    spec = importlib.util.spec_from_loader(f"ingest.extractors._html_{rev}", loader=None)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    module.__package__ = "ingest.extractors"
    exec(compile(source, f"html.py@{rev}", "exec"), module.__dict__)
    return module


def via_extractor(module, folder: Path) -> Callable[[str], tuple[str, list[str]]]:
    """(body, warnings) from an html.py module's extractor, given decoded markup (written to a file in `folder`)."""
    extractor = module.HtmlExtractor()

    def run(markup: str) -> tuple[str, list[str]]:
        path = folder / "page.html"
        path.write_text(_CHARSET.sub("charset=utf-8", markup, count=1), encoding="utf-8")
        e = extractor.extract(path)
        return e.text, e.warnings
    return run


def via_trafilatura(markup: str) -> tuple[str, list[str]]:
    import trafilatura

    return trafilatura.extract(markup, include_tables=True, include_comments=False, favor_recall=True) or "", []


def via_readability(markup: str) -> tuple[str, list[str]]:
    from readability import Document

    summary = Document(markup).summary(html_partial=True)
    root = lxml.html.fragment_fromstring(summary, create_parent="div")
    return "\n".join(t.strip() for t in root.itertext() if t.strip()), []


def score(page: dict, body: str) -> tuple[bool, float, float]:
    """(article found without much else, share of reference chunks found, share of body characters on lines not in the reference)."""
    flat = _WS.sub("", body)
    found = sum(c in flat for c in page["chunks"])
    recall = found / len(page["chunks"]) if page["chunks"] else 1.0
    pieces = [_WS.sub("", p) for line in body.splitlines() for cell in _CELLS.split(line) for p in _CHUNK.split(cell)]
    total = sum(map(len, pieces)) or 1
    noise = sum(len(p) for p in pieces if p not in page["text"]) / total
    ok = recall >= 1.0 and (page["title"] in flat if page["title"] else True) and bool(flat) and noise <= _NOISE
    return ok, recall, noise


def quality() -> None:
    """How many real documents of every format ingest.quality flags (all should pass: they are documents)."""
    from ingest.extractors import choose
    from ingest.quality import looks_like_boilerplate

    flagged: dict[str, list[str]] = {}
    counts: dict[str, int] = {}
    for path in sorted(p for p in CORPUS.rglob("*") if p.is_file()):
        suffix = path.suffix.lower()
        if suffix in (".csv", ".zip", ".xml", ".ofd"):
            continue
        try:
            extractor = choose(path, path.read_bytes()[:8192])
            texts = extractor.extract(path).pages if suffix != ".md" else [path.read_text(encoding="utf-8")]
        except Exception as e:   # noqa: BLE001 - a bench: count what cannot be read and go on
            print(f"  cannot read {path.name}: {e}")
            continue
        kind = "pdf page" if suffix == ".pdf" else suffix.lstrip(".")
        for text in texts if suffix == ".pdf" else ["\n\n".join(texts)]:
            counts[kind] = counts.get(kind, 0) + 1
            reason = looks_like_boilerplate(text)
            if reason:
                flagged.setdefault(kind, []).append(f"{path.relative_to(CORPUS)}: {reason}")
    for kind, n in sorted(counts.items()):
        print(f"{kind:9} {n:5} texts, {len(flagged.get(kind, [])):3} flagged")
        for line in flagged.get(kind, [])[:10]:
            print(f"    {line}")


def speed_ratio(module, repeat: int) -> None:
    """Whole HtmlExtractor.extract (read, decode, parse, body, metadata) on the real files: ours against the
    baseline, runs interleaved, best of `repeat` (the ratio holds on a busy machine; the ms do not)."""
    from ingest.extractors.html import HtmlExtractor

    files = sorted(CORPUS.rglob("*.htm*")) + sorted((SAMPLES / "html").glob("*.htm*"))
    best = {"ours": float("inf"), "baseline": float("inf")}
    for _ in range(max(repeat, 5)):
        for name, extractor in (("ours", HtmlExtractor()), ("baseline", module.HtmlExtractor())):
            start = time.perf_counter()
            for f in files:
                extractor.extract(f)
            best[name] = min(best[name], time.perf_counter() - start)
    print(f"\nwhole extract, {len(files)} real files as saved: ours {1000 * best['ours'] / len(files):.2f} ms/page, "
          f"baseline {1000 * best['baseline'] / len(files):.2f} ms/page, ratio {best['ours'] / best['baseline']:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", help="git revision whose html.py runs as 'baseline'")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--only", help="comma-separated candidates (ours,baseline,trafilatura,readability)")
    parser.add_argument("--show", help="print the pages where a candidate misses the article in this variant")
    parser.add_argument("--quality", action="store_true",
                        help="instead: how many real documents of every format ingest.quality flags")
    args = parser.parse_args()
    if args.quality:
        quality()
        return
    scratch = Path(tempfile.mkdtemp(prefix="html_main_"))
    try:
        compare(args, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def compare(args: argparse.Namespace, scratch: Path) -> None:
    from ingest.extractors import html

    candidates: dict[str, Callable] = {"ours": via_extractor(html, scratch)}
    baseline = load_revision(args.baseline) if args.baseline else None
    if baseline:
        candidates["baseline"] = via_extractor(baseline, scratch)
    for name, fn, module in (("trafilatura", via_trafilatura, "trafilatura"),
                             ("readability", via_readability, "readability")):
        if importlib.util.find_spec(module):
            candidates[name] = fn
        else:
            print(f"({name} not installed: skipped)")
    if args.only:
        candidates = {k: v for k, v in candidates.items() if k in args.only.split(",")}
    real = pages()
    menu = sorted({p["title"] for p in real if p["title"]})
    print(f"{len(real)} real pages x {len(VARIANTS)} structures\n")
    print(f"{'variant':8} {'candidate':12} {'pages':>5} {'found':>7} {'recall':>7} {'noise':>6} {'lowq':>5} {'ms':>7}")
    totals: dict[str, list[float]] = {name: [0, 0, 0.0] for name in candidates}
    for kind in VARIANTS:
        markups = [variant(p, kind, menu) for p in real]
        for name, fn in candidates.items():
            found = lowq = 0
            recall = noise = 0.0
            start = time.perf_counter()
            for _ in range(args.repeat):
                results = [fn(m) for m in markups]
            seconds = (time.perf_counter() - start) / args.repeat
            for p, (body, warnings) in zip(real, results):
                ok, r, n = score(p, body)
                found, recall, noise = found + ok, recall + r, noise + n
                lowq += any(w.startswith("low quality:") for w in warnings)
                if args.show == kind and not ok:
                    print(f"    miss {name}: {p['group']}/{p['name']} recall {r:.2f} noise {n:.2f} "
                          f"{len(body)} chars: {body[:80]!r}")
            n_pages = len(real)
            print(f"{kind:8} {name:12} {n_pages:5} {100 * found / n_pages:6.1f}% {recall / n_pages:7.3f} "
                  f"{noise / n_pages:6.3f} {lowq:5} {1000 * seconds / n_pages:7.2f}")
            totals[name][0] += found
            totals[name][1] += n_pages
            totals[name][2] += seconds
        print()
    for name, (all_found, all_pages, all_seconds) in totals.items():
        print(f"{'all':8} {name:12} {int(all_pages):5} {100 * all_found / all_pages:6.1f}%{'':22} "
              f"{1000 * all_seconds / all_pages:7.2f}")
    if baseline:
        speed_ratio(baseline, args.repeat)


if __name__ == "__main__":
    main()
