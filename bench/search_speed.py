"""Search latency at scale: a full results page (count + top 20 with snippets + facets).

Builds N documents from the real corpus (bench/corpus.py: law parts, then recombined real
paragraphs — say so when quoting figures), indexes them in the embedded engine (and in
Elasticsearch when GONGKAI_ES_URL is set), then times per query class:
  - parse + segmentation alone,
  - the full results page in-process (SearchService.search),
  - the same over HTTP through the Flask app on waitress (/api/search and /search).

    python bench/search_speed.py [--docs 100000] [--repeat 20] [--keep]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import bulk, fill_catalog, index_analysed  # noqa: E402
from measure import QUERIES, pct, scratch, timed  # noqa: E402

from analyzers.query import parse, terms  # noqa: E402
from archive import Archive, Search, Settings  # noqa: E402
from archive.index import IndexDoc  # noqa: E402


def analyse(q: str):
    """Parse and segment a query (what every backend needs before rendering it)."""
    return [(t.units, t.bigrams, t.words) for t in terms(parse(q))]


def serve(archive) -> str:
    import socket

    import waitress

    from web import create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = waitress.create_server(create_app(archive=archive), host="127.0.0.1", port=port, threads=4)
    threading.Thread(target=server.run, daemon=True).start()
    return f"http://127.0.0.1:{port}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--keep", action="store_true", help="leave the temporary data directory behind")
    args = ap.parse_args()
    with scratch("gongkai-speed-", args.keep) as tmp:
        run(args, tmp)


def run(args: argparse.Namespace, tmp: Path) -> None:
    t = time.perf_counter()
    docs = bulk(args.docs)
    print(f"{len(docs)} documents built from the corpus in {time.perf_counter() - t:.0f}s "
          f"({sum(len(d['pages'][0]) for d in docs) / 1e6:.0f} M characters)")
    archives = {"embedded": Archive(Settings(data_dir=tmp / "e"))}
    if os.environ.get("GONGKAI_ES_URL"):
        archives["elasticsearch"] = Archive(Settings(
            data_dir=tmp / "s", backend="elasticsearch", es_url=os.environ["GONGKAI_ES_URL"],
            es_index="gongkai-speed", es_replicas=0))
    t = time.perf_counter()
    for a in archives.values():
        fill_catalog(a, docs)
    print(f"catalog: {time.perf_counter() - t:.0f}s")
    t = time.perf_counter()
    analysed = [IndexDoc.from_catalog(d) for d in archives["embedded"].catalog.iter_documents()]
    print(f"analysis: {time.perf_counter() - t:.0f}s")
    for name, a in archives.items():
        t = time.perf_counter()
        index_analysed(a, analysed)
        print(f"{name} index build: {time.perf_counter() - t:.0f}s")
    del analysed

    cols = list(archives)
    urls = {n: serve(a) for n, a in archives.items()}
    for a in archives.values():  # warm caches
        for qs in QUERIES.values():
            for q in qs:
                a.search(Search(q=q))
    header = f"{'query class':16}{'parse+segment ms':>18}" + "".join(
        f"{n + ' page p50/p95':>26}{n + ' HTTP p50':>22}" for n in cols)
    print("\n" + header)
    for klass, qs in QUERIES.items():
        parse_ms = [x for q in qs for x in timed(lambda: analyse(q), args.repeat)]
        row = f"{klass:16}{statistics.median(parse_ms):>18.2f}"
        for n in cols:
            a, url = archives[n], urls[n]
            page = [x for q in qs for x in timed(lambda: a.search(Search(q=q)), args.repeat)]
            http = [x for q in qs for x in timed(
                lambda: urllib.request.urlopen(f"{url}/api/search?q={urllib.parse.quote(q)}").read(),
                args.repeat)]
            row += f"{statistics.median(page):>13.1f}/{pct(page, 95):<12.1f}{statistics.median(http):>22.1f}"
        print(row)
    for n in archives:
        html = [x for qs in QUERIES.values() for q in qs for x in timed(
            lambda: urllib.request.urlopen(f"{urls[n]}/search?q={urllib.parse.quote(q)}").read(), 5)]
        print(f"{n}: HTML results page over HTTP p50 {statistics.median(html):.1f} ms, p95 {pct(html, 95):.1f} ms")
    if "elasticsearch" in archives:
        for index in archives["elasticsearch"].indexes.values():
            index.drop()


if __name__ == "__main__":
    main()
