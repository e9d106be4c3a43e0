"""Search latency of this installation against another one (e.g. the last release), side by side.

    python bench/search_compare.py --other /path/to/other/venv/bin/gongkai [--docs 20000] [--rounds 8]

Writes N documents built from the real corpus (bench/corpus.py: law parts, then recombined real
paragraphs) as text files, ingests them with each installation's own `gongkai ingest`, then times
the public results page (SearchService: count, top 20 with snippets, facets) in-process per query
class, in alternating rounds (which installation goes first alternates too), each round in a fresh
process of that installation's Python. Prints per class the medians over rounds and the median of
the per-round ratios this/other.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import bulk  # noqa: E402
from measure import QUERIES  # noqa: E402

# Runs inside each installation: only what every release has (Archive, Settings, Search).
CHILD = """
import json, statistics, sys, time
from pathlib import Path
from archive import Archive, Search, Settings
archive = Archive(Settings(data_dir=Path(sys.argv[1])))
out = {}
for klass, queries in json.loads(sys.argv[2]).items():
    for q in queries:
        archive.search(Search(q=q))
    times = []
    for _ in range(int(sys.argv[3])):
        for q in queries:
            start = time.perf_counter()
            archive.search(Search(q=q))
            times.append((time.perf_counter() - start) * 1000)
    out[klass] = statistics.median(times)
print(json.dumps(out))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--other", required=True, help="another installation's gongkai executable")
    ap.add_argument("--docs", type=int, default=20_000)
    ap.add_argument("--rounds", type=int, default=8)
    ap.add_argument("--repeat", type=int, default=30, help="searches of each query per round")
    args = ap.parse_args()
    exes = {"this": Path(sys.executable).with_name("gongkai"), "other": Path(args.other)}
    with tempfile.TemporaryDirectory(prefix="gongkai-compare-") as tmp:
        source = Path(tmp) / "input"
        source.mkdir()
        for i, d in enumerate(bulk(args.docs)):
            text = d["metadata"]["title"] + "\n\n" + "\n".join(d["pages"])
            (source / f"{i:06d}.txt").write_text(text, encoding="utf-8")
        for name, exe in exes.items():  # (in tmp: older installations' workers imported from the cwd)
            subprocess.run([str(exe), "--data", f"{tmp}/{name}", "ingest", str(source)], check=True,
                           capture_output=True, cwd=tmp)
        rounds: dict[str, list[dict]] = {name: [] for name in exes}
        for r in range(args.rounds):
            for name in (list(exes) if r % 2 == 0 else list(exes)[::-1]):
                python = exes[name].with_name("python")
                done = subprocess.run([str(python), "-c", CHILD, f"{tmp}/{name}", json.dumps(QUERIES),
                                       str(args.repeat)], check=True, capture_output=True, text=True, cwd=tmp)
                rounds[name].append(json.loads(done.stdout))
    print(f"{args.docs} documents, {args.rounds} rounds; median ms of a public results page")
    print(f"{'query class':16}{'this':>8}{'other':>8}{'this/other':>12}")
    for klass in QUERIES:
        this = statistics.median(x[klass] for x in rounds["this"])
        other = statistics.median(x[klass] for x in rounds["other"])
        ratio = statistics.median(a[klass] / b[klass] for a, b in zip(rounds["this"], rounds["other"]))
        print(f"{klass:16}{this:>8.2f}{other:>8.2f}{ratio:>12.2f}")


if __name__ == "__main__":
    main()
