"""Recall harness: sampled verbatim strings vs an exact substring scan, on both backends.

Samples strings of 2–8 characters from the normalized text of real documents (laws cut
into parts, see corpus.py): anywhere, across jieba word boundaries, with digits, with
Latin letters. Each is searched as a phrase; the hit set is compared with a scan of the
same normalized texts.

- recall: share of (query, document that contains the string) pairs that were returned
- precision (index rule): share of returned documents that hold the string with whitespace
  ignored on both sides (segment.sequence)
- precision (verbatim): share of returned documents that hold the string exactly
- precision (verbatim, whitespace folded): the same with line breaks and spaces removed on both
  sides (PDF line breaks and spaced-out titles such as 通　知 are layout, not text)

    GONGKAI_ES_URL=http://127.0.0.1:9201 python bench/recall.py [--docs 3000 --queries 3000] [--keep]
"""
from __future__ import annotations

import argparse
import os
import random
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import fill_catalog, index_analysed, law_parts  # noqa: E402
from measure import scratch  # noqa: E402

from analyzers.normalize import normalize  # noqa: E402
from analyzers.query import parse  # noqa: E402
from analyzers.segment import sequence, units, words  # noqa: E402
from archive import Archive, Settings  # noqa: E402
from archive.index import IndexDoc, SearchRequest  # noqa: E402

ALL = ("主动公开", "依申请公开", "不予公开")
UNIT = re.compile(r"[^\W_]")
_WS = re.compile(r"\s+")


def sample(texts: list[str], n: int, rng: random.Random) -> list[tuple[str, str]]:
    """(kind, string) pairs; every string starts and ends with a letter, digit or CJK character."""
    out = []
    kinds = ["anywhere", "word boundary", "digits", "latin"]
    tries = 0
    while len(out) < n and tries < n * 200:
        tries += 1
        kind = kinds[len(out) % len(kinds)]
        t = rng.choice(texts)
        if kind == "digits":
            spots = [m.start() for m in re.finditer(r"\d", t)]
        elif kind == "latin":
            spots = [m.start() for m in re.finditer(r"[a-z]", t)]
        else:
            spots = None
        if spots == []:
            continue
        length = rng.randint(2, 8)
        start = rng.choice(spots) - rng.randint(0, length - 1) if spots else rng.randrange(len(t))
        start = max(0, start)
        s = t[start:start + length].strip()
        if len(s) < 2 or not UNIT.match(s) or not UNIT.match(s[-1]) or '"' in s:
            continue
        if kind == "word boundary":
            ws = words(s)
            if not ws or ws[0] == s or len(units(s)) < 2:
                continue
        out.append((kind, s))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=3000)
    ap.add_argument("--queries", type=int, default=3000)
    ap.add_argument("--keep", action="store_true", help="leave the temporary data directory behind")
    args = ap.parse_args()
    with scratch("gongkai-recall-", args.keep) as tmp:
        run(args, tmp)


def run(args: argparse.Namespace, tmp: Path) -> None:
    rng = random.Random(20261127)
    docs = law_parts(args.docs)
    archives = {"embedded": Archive(Settings(data_dir=tmp / "e"))}
    if os.environ.get("GONGKAI_ES_URL"):
        archives["elasticsearch"] = Archive(Settings(data_dir=tmp / "s", backend="elasticsearch",
                                                     es_url=os.environ["GONGKAI_ES_URL"],
                                                     es_index="gongkai-recall", es_replicas=0))
    for a in archives.values():
        fill_catalog(a, docs)
    catalog_docs = list(archives["embedded"].catalog.iter_documents())
    analysed = [IndexDoc.from_catalog(d) for d in catalog_docs]
    for a in archives.values():
        index_analysed(a, analysed)

    # Title and body are separate fields: a string counts as present if it is in either.
    norm = {d["id"]: (normalize(d["title"]), normalize("\n".join(d["pages"]))) for d in catalog_docs}
    unit_text = {i: tuple(sequence(x) for x in t) for i, t in norm.items()}
    flat = {i: tuple(_WS.sub("", x) for x in t) for i, t in norm.items()}
    queries = sample([body for _, body in norm.values()], args.queries, rng)
    print(f"{len(docs)} documents, {len(queries)} sampled strings "
          f"({', '.join(f'{k}: {sum(1 for q in queries if q[0] == k)}' for k in ('anywhere', 'word boundary', 'digits', 'latin'))})")

    for name, a in archives.items():
        found = relevant = returned = units_ok = verbatim_ok = spaced_ok = 0
        misses = []
        t0 = time.perf_counter()
        for kind, s in queries:
            want = {i for i, t in norm.items() if s in t[0] or s in t[1]}
            req = SearchRequest(query=parse(f'"{s}"'), visibility=ALL, limit=10000)
            got = {doc_id for doc_id, _ in a.searcher.staff.search(req).hits}
            relevant += len(want)
            found += len(want & got)
            returned += len(got)
            u = sequence(s)
            units_ok += sum(1 for i in got if any(u in x for x in unit_text[i]))
            verbatim_ok += sum(1 for i in got if any(s in x for x in norm[i]))
            squeezed = _WS.sub("", s)
            spaced_ok += sum(1 for i in got if any(squeezed in x for x in flat[i]))
            if want - got:
                misses.append((kind, s, len(want - got)))
        secs = time.perf_counter() - t0
        print(f"\n{name}: recall {found / relevant:.4%} ({found}/{relevant} pairs), "
              f"precision (index rule) {units_ok / max(returned, 1):.4%}, "
              f"precision (verbatim) {verbatim_ok / max(returned, 1):.4%}, "
              f"precision (verbatim, whitespace folded) {spaced_ok / max(returned, 1):.4%}, "
              f"{len(queries) / secs:.0f} queries/s")
        for kind, s, n in misses[:10]:
            print(f"  missed {n} documents for {kind} {s!r}")
    if "elasticsearch" in archives:
        for index in archives["elasticsearch"].indexes.values():
            index.drop()


if __name__ == "__main__":
    main()
