#!/usr/bin/env python3
"""The large hostile set: thousands of damaged PDFs (samples and the Putuo 部门决算 PDFs), bombs, junk.

    python bench/ingest_hostile.py [--mutations 2000] [--workers N] [--timeout 30]

Builds the set (tests/hostile_set.py) in a temp dir, ingests it, prints the outcome table per
category and checks that every file ended ingested or failed with a reason.
"""
from __future__ import annotations

import argparse
import collections
import re
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.conftest import CORPUS, SAMPLES  # noqa: E402
from tests.hostile_set import build  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mutations", type=int, default=2000)
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--timeout", type=float, default=30.0)
    args = ap.parse_args()
    from archive import Archive, Settings
    from ingest.pipeline import ingest

    with tempfile.TemporaryDirectory(prefix="gongkai-hostile-") as tmp:
        pdfs = sorted((SAMPLES / "pdf").glob("*.pdf")) + sorted((CORPUS / "shanghai-putuo-juesuan").glob("*.pdf"))
        cats = build(Path(tmp) / "in", pdfs, mutations=args.mutations, tag="bench")
        a = Archive(Settings(data_dir=Path(tmp) / "data", file_timeout_s=args.timeout,
                             file_memory_bytes=2 * 1024**3))
        started = time.monotonic()
        s = ingest(a, [Path(tmp) / "in"], workers=args.workers)
        seconds = time.monotonic() - started
        rows = {r["path"]: r for r in a.catalog.run_files(s.run_id) if r["status"] != "bundle"}
        table: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
        for rel, cat in cats.items():
            r = rows[f"{tmp}/in/{rel}"]
            assert r["status"] != "failed" or r["reason"], r
            reason = re.sub(r"[:(].*| as document \w+", "", r["reason"]).strip()
            table[cat][r["status"] + (f": {reason}" if reason else "")] += 1
        print(f"{len(cats)} files in {seconds:.0f}s: ingested {s.ingested}, merged {s.merged},"
              f" skipped {s.skipped}, failed {len(s.failed)}; 0 crashes of the batch")
        for cat, outcomes in table.items():
            print(f"  {cat:24} " + ", ".join(f"{k} ×{n}" for k, n in outcomes.most_common()))
        a.close()


if __name__ == "__main__":
    main()
