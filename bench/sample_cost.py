"""What drawing the count sample costs in the embedded engine: the sample alone and a query counted within it, by
the indexed sample key (a range over its column: today) against the id-prefix regex it replaced, with the sample
pushed into each leaf of the query or not, next to counting every match.

Builds N documents from the real corpus (bench/corpus.py, recombined real paragraphs) in a temporary folder
(removed afterwards), then prints median milliseconds of `repeat` aggregations (the total) per query and sample.

    python bench/sample_cost.py [--docs 30000] [--repeat 7]
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
from measure import scratch  # noqa: E402

from analyzers.query import parse  # noqa: E402
from archive import Archive, Settings  # noqa: E402
from archive.index.embedded_count import SAMPLE_BITS  # noqa: E402
from archive.index.embedded_query import SCHEMA, conjunction, render  # noqa: E402

QUERIES = ("人民政府", "环境 保护", '"县级以上人民政府"', "野生动物")
TOTAL = {"total": {"value_count": {"field": "date"}}}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=30_000)
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    with scratch("gongkai-sample-") as tmp:
        archive = Archive(Settings(data_dir=tmp))
        build_streaming(archive, stream(args.docs))
        searcher, _ = archive.indexes["public"]._snapshot()

        def ms(query: tantivy.Query) -> str:
            times = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                total = searcher.aggregate(query, TOTAL)["total"]["value"]
                times.append((time.perf_counter() - started) * 1000)
            return f"{statistics.median(times):6.2f} ({int(total or 0)})"

        print(f"{searcher.num_docs} documents; median ms (matches) of {args.repeat} counts")
        for j in (3, 5):
            digits, part = divmod(j, 4)
            regex = tantivy.Query.regex_query(SCHEMA, "id", "0" * digits + (
                f"[0-{'0123456789abcdef'[16 // 2**part - 1]}]" if part else "") + ".*")
            key = tantivy.Query.range_query(SCHEMA, "sample", tantivy.FieldType.Integer, 0, 2 ** (SAMPLE_BITS - j),
                                            include_upper=False)
            print(f"\nsample 1/{2**j}: alone: id regex {ms(regex)}, sample key {ms(key)}")
            print(f"{'query':22} {'every match':>16} {'id regex':>16} {'key':>16} {'key in each leaf':>16}")
            for text in QUERIES:
                node = parse(text)
                unscored = render(node, searcher.doc_freq, scoring=False)
                pushed = render(node, searcher.doc_freq, scoring=False, within=key)
                print(f"{text:22} {ms(unscored):>16} {ms(conjunction(unscored, regex)):>16} "
                      f"{ms(conjunction(unscored, key)):>16} {ms(conjunction(pushed, key)):>16}")
        archive.close()


if __name__ == "__main__":
    main()
