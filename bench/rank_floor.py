"""What ranking a frequent word costs in the embedded engine, term by term: its best 20, its best 640 and counting
every match, for each term of the score bound (archive.index.embedded_topk) of the search bench's frequent-word and
AND queries, and for the bound itself. Where block-max pruning works, the best 20 cost a fraction of counting them
all; where it does not (scores of a frequent bigram are alike in most blocks), ranking costs a pass over the postings.

Searches an archive built earlier (`bench/search_speed.py --keep`, e.g. at 1M documents) with --data, or builds N
documents from the real corpus (bench/corpus.py, recombined real paragraphs) in a temporary folder, removed afterwards.

    python bench/rank_floor.py [--data DIR | --docs 30000] [--repeat 7]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import tantivy  # noqa: E402
from corpus import build_streaming, stream  # noqa: E402
from measure import QUERIES, scratch  # noqa: E402

from analyzers.query import parse  # noqa: E402
from archive import Archive, Settings  # noqa: E402
from archive.index.embedded_query import SCHEMA  # noqa: E402
from archive.index.embedded_topk import bound, disjunction  # noqa: E402


def report(archive: Archive, repeat: int) -> None:
    searcher, _ = archive.indexes["public"]._snapshot()

    def ms(query: tantivy.Query, limit: int, count: bool = False) -> float:
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            searcher.search(query, limit, count=count)
            times.append((time.perf_counter() - started) * 1000)
        return statistics.median(times)

    print(f"{searcher.num_docs} documents, {searcher.num_segments} segments; median ms of {repeat} searches")
    print(f"{'query':16} {'term (or the bound)':28} {'matches':>9} {'best 20':>8} {'best 640':>9} {'count all':>10}"
          f" {'20/all':>7} {'ns/match':>9}")
    for text in QUERIES["frequent word"] + QUERIES["two-word AND"]:
        upper = bound(parse(text), searcher.doc_freq, searcher.num_docs) or {}
        rows = [(f"{field}:{token}", tantivy.Query.term_query(SCHEMA, field, token), searcher.doc_freq(field, token))
                for field, token in sorted(upper)]
        whole = disjunction(upper)
        rows.append(("the bound", whole, searcher.search(whole, 1, count=True).count))
        for name, query, matches in rows:
            best, deep, every = ms(query, 20), ms(query, 640), ms(query, 1, count=True)
            print(f"{text:16} {name:28} {matches:9d} {best:8.2f} {deep:9.2f} {every:10.2f} {best / every:7.2f}"
                  f" {best * 1e6 / max(1, matches):9.1f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, help="an archive built earlier (bench/search_speed.py --keep)")
    ap.add_argument("--docs", type=int, default=30_000)
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    if args.data:
        archive = Archive(Settings(data_dir=args.data))
        report(archive, args.repeat)
        archive.close()
        return
    with scratch("gongkai-rankfloor-") as tmp:
        archive = Archive(Settings(data_dir=tmp))
        build_streaming(archive, stream(args.docs))
        report(archive, args.repeat)
        archive.close()


if __name__ == "__main__":
    main()
