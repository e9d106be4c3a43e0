"""Embedded (tantivy) vs Elasticsearch on the same ≥20k documents, side by side in one run.

Prints indexing docs/s (analysis measured once, separately, since both backends index the
same analysed tokens) and query latency p50/p95 per query class, for the backend alone and
for a full results page (count + top 20 + snippets + facets) through the search service.

    GONGKAI_ES_URL=http://127.0.0.1:9201 python bench/backends.py [--docs 20000] [--keep]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import bulk, fill_catalog, index_analysed  # noqa: E402
from measure import QUERIES, pct, scratch, timed  # noqa: E402

from analyzers.query import parse  # noqa: E402
from archive import PUBLIC, Archive, Search, Settings  # noqa: E402
from archive.index import IndexDoc, SearchRequest  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=20000)
    ap.add_argument("--repeat", type=int, default=15)
    ap.add_argument("--keep", action="store_true", help="leave the temporary data directory behind")
    args = ap.parse_args()
    es_url = os.environ.get("GONGKAI_ES_URL")
    if not es_url:
        sys.exit("set GONGKAI_ES_URL (tools/elasticsearch/es.sh start)")
    with scratch("gongkai-bench-", args.keep) as tmp:
        run(args, es_url, tmp)


def run(args: argparse.Namespace, es_url: str, tmp: Path) -> None:
    docs = bulk(args.docs)
    archives = {
        "embedded": Archive(Settings(data_dir=tmp / "embedded")),
        "elasticsearch": Archive(Settings(data_dir=tmp / "es", backend="elasticsearch", es_url=es_url,
                                          es_index="gongkai-bench", es_replicas=0)),
    }
    size = sum(len(d["pages"][0].encode()) for d in docs)
    print(f"{len(docs)} documents, {size / 1e6:.1f} MB of text (laws cut into parts + recombined real paragraphs, bench/corpus.py)")

    t = time.perf_counter()
    for a in archives.values():
        fill_catalog(a, docs)
    catalog_s = (time.perf_counter() - t) / 2
    docs_for_index = list(archives["embedded"].catalog.iter_documents())
    t = time.perf_counter()
    analysed = [IndexDoc.from_catalog(d) for d in docs_for_index]
    analysis_s = time.perf_counter() - t
    print(f"catalog insert {len(docs) / catalog_s:.0f} docs/s; analysis (jieba + bigrams) "
          f"{len(docs) / analysis_s:.0f} docs/s ({size / 1e6 / analysis_s:.2f} MB/s)")

    print(f"\n{'':34}{'embedded':>14}{'elasticsearch':>16}")
    rate = {}
    for name, a in archives.items():
        t = time.perf_counter()
        results = index_analysed(a, analysed)
        rate[name] = len(results) / (time.perf_counter() - t)
        assert all(not e for _, e in results), name
    print(f"{'indexing (docs/s)':34}{rate['embedded']:>14.0f}{rate['elasticsearch']:>16.0f}")

    for a in archives.values():  # warm up
        for qs in QUERIES.values():
            for q in qs:
                a.search(Search(q=q))
    for klass, qs in QUERIES.items():
        for layer in ("backend", "full page"):
            cells = []
            for a in archives.values():
                lat = []
                for q in qs:
                    if layer == "backend":
                        req = SearchRequest(query=parse(q), visibility=PUBLIC)
                        lat += timed(lambda: a.indexes["public"].search(req), args.repeat)
                    else:
                        lat += timed(lambda: a.search(Search(q=q)), args.repeat)
                cells.append(f"{statistics.median(lat):6.1f}/{pct(lat, 95):6.1f}")
            print(f"{klass + ' ' + layer + ' p50/p95 ms':34}{cells[0]:>14}{cells[1]:>16}")
    totals = {n: [a.search(Search(q=q))["total"] for qs in QUERIES.values() for q in qs]
              for n, a in archives.items()}
    print(f"\nsame totals on both backends for all {len(totals['embedded'])} queries: "
          f"{totals['embedded'] == totals['elasticsearch']}")
    index_bytes = sum(f.stat().st_size for f in (tmp / "embedded" / "index").rglob("*") if f.is_file())
    es = archives["elasticsearch"].indexes["public"].es
    es_bytes = es.indices.stats(index="gongkai-bench-*")["_all"]["primaries"]["store"]["size_in_bytes"]
    print(f"index size: embedded {index_bytes / 1e6:.0f} MB ({index_bytes / len(docs):.0f} B/doc), "
          f"elasticsearch primaries {es_bytes / 1e6:.0f} MB ({es_bytes / len(docs):.0f} B/doc)")
    for index in archives["elasticsearch"].indexes.values():
        index.drop()


if __name__ == "__main__":
    main()
