"""Search latency at scale: a full results page (count + top 20 with snippets + facets).

Builds N documents from the real corpus (bench/corpus.py: law parts, then recombined real
paragraphs — say so when quoting figures) in a child process, streaming (catalog and index written
in batches: memory bounded whatever N), indexes them in the embedded engine (and in Elasticsearch
when GONGKAI_ES_URL is set), then times per query class:
  - parse + segmentation alone,
  - the full results page in-process (SearchService.search; wall time, and the CPU time of every thread of this
    process, steadier on a shared machine), with totals counted exactly
    (exact_total_limit above the archive's size: "exact") and as configured ("limited", estimated
    above exact_total_limit) on the same archive,
  - the same over HTTP through the Flask app on waitress (/api/search and /search).
It reports build time and peak memory, index and catalog size, and this (serving) process's memory.

    python bench/search_speed.py [--docs 100000] [--repeat 20] [--keep] [--data DIR [--add-es --docs N]]
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import build_streaming, stream  # noqa: E402
from measure import QUERIES, pct, scratch, timed  # noqa: E402

from analyzers.query import parse, terms  # noqa: E402
from archive import CATALOG_FILE, Archive, Search, Settings  # noqa: E402


def analyse(q: str):
    """Parse and segment a query (what every backend needs before rendering it)."""
    return [(t.units, t.bigrams, t.words) for t in terms(parse(q))]


def cpu_timed(fn, repeat):
    """Milliseconds of CPU this process (every thread) spent in each of `repeat` calls of fn(): unlike wall time,
    hardly affected by other processes on a busy machine."""
    out = []
    for _ in range(repeat):
        t = time.process_time()
        fn()
        out.append((time.process_time() - t) * 1000)
    return out


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
    ap.add_argument("--data", type=Path, help="search this archive (built by an earlier --keep run) instead")
    ap.add_argument("--limit", type=int, default=Settings().exact_total_limit,
                    help="exact_total_limit of the 'limited' column")
    ap.add_argument("--add-es", action="store_true",
                    help="with --data and --docs: first build the Elasticsearch side (GONGKAI_ES_URL) of an archive"
                         " kept without it, from the same --docs documents")
    ap.add_argument("--build-into", type=Path, help=argparse.SUPPRESS)  # the child process that builds ...
    ap.add_argument("--only", help=argparse.SUPPRESS)                   # ... this backend alone
    args = ap.parse_args()
    if args.build_into:
        return build(args)
    if args.data:
        if args.add_es:
            if not os.environ.get("GONGKAI_ES_URL") or (args.data / "s").exists():
                sys.exit("--add-es needs GONGKAI_ES_URL, and a --data folder without an s/ folder")
            kept = Archive(Settings(data_dir=args.data / "e"))
            held = kept.catalog.count_documents()
            kept.close()
            if held != args.docs:   # the same documents on both sides: the first --docs of the same stream
                sys.exit(f"the kept archive holds {held} documents: pass --docs {held}")
            subprocess.run([sys.executable, __file__, "--docs", str(args.docs), "--build-into", str(args.data),
                            "--only", "elasticsearch"], check=True)
        return run(args, args.data)
    with scratch("gongkai-speed-", args.keep) as tmp:
        t = time.perf_counter()
        subprocess.run([sys.executable, __file__, "--docs", str(args.docs), "--build-into", str(tmp)], check=True)
        print(f"build: {time.perf_counter() - t:.0f}s in all")
        run(args, tmp)


def build(args: argparse.Namespace) -> None:
    """Build the archive(s) in args.build_into, streaming; print the time per step and peak memory."""
    tmp = args.build_into
    targets = {"embedded": Settings(data_dir=tmp / "e")}
    if os.environ.get("GONGKAI_ES_URL"):
        targets["elasticsearch"] = Settings(data_dir=tmp / "s", backend="elasticsearch",
                                            es_url=os.environ["GONGKAI_ES_URL"], es_index="gongkai-speed",
                                            es_replicas=0)
    for name, settings in targets.items():
        if args.only and name != args.only:
            continue
        t = time.perf_counter()
        a = Archive(settings)
        spent = build_streaming(a, stream(args.docs))
        a.close()
        print(f"{name}: {spent['docs']:.0f} documents in {time.perf_counter() - t:.0f}s (catalog {spent['catalog']:.0f}s,"
              f" waiting for analysis {spent['analysis wait']:.0f}s, index {spent['index']:.0f}s)")
    me, kids = (resource.getrusage(w).ru_maxrss / 1024 for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    print(f"build peak RSS: {me:.0f} MiB (largest analysis worker {kids:.0f} MiB)")


def _mib(path: Path) -> float:
    """Size of a file, or of the files under a directory (MiB)."""
    if path.is_file():
        return path.stat().st_size / 2**20
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20


def _rss() -> tuple[float, float]:
    """This process's resident memory now and at its peak (MiB)."""
    status = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines() if ":" in line)
    return int(status["VmRSS"].split()[0]) / 1024, int(status["VmHWM"].split()[0]) / 1024


def run(args: argparse.Namespace, tmp: Path) -> None:
    archives = {}
    for name in ("e", "s"):
        if not (tmp / name).is_dir():
            continue
        base = Settings(data_dir=tmp / name)
        if name == "s":
            base = replace(base, backend="elasticsearch", es_url=os.environ.get("GONGKAI_ES_URL", ""),
                           es_index="gongkai-speed", es_replicas=0)
        archives[f"{base.backend} exact"] = Archive(replace(base, exact_total_limit=10**9))
        archives[f"{base.backend} limited"] = Archive(replace(base, exact_total_limit=args.limit))
    if not archives:
        sys.exit(f"{tmp} holds no archive built by this bench (its e/ and s/ folders): pass the folder --keep printed")
    first = next(iter(archives.values()))
    count = first.indexes["public"].count()
    data = first.settings.data_dir
    print(f"{count} documents; catalog {_mib(data / CATALOG_FILE):.0f} MiB"
          f" (with WAL {sum(_mib(p) for p in data.glob(CATALOG_FILE + '*')):.0f}),"
          f" index {_mib(data / 'index'):.0f} MiB, originals {_mib(data / 'originals'):.0f} MiB"
          f"; limited = exact_total_limit {args.limit:,}")

    cols = list(archives)
    urls = {name: serve(a) for name, a in archives.items()}
    for a in archives.values():  # warm caches
        for qs in QUERIES.values():
            for q in qs:
                a.search(Search(q=q))
    header = f"{'query class':16}{'parse+segment ms':>18}" + "".join(
        f"{name + ' page p50/p95':>34}{'CPU p50':>9}{name + ' HTTP p50':>28}" for name in cols)
    print("\n" + header)
    errors: list[float] = []
    for klass, qs in QUERIES.items():
        parse_ms = [x for q in qs for x in timed(lambda: analyse(q), args.repeat)]
        row = f"{klass:16}{statistics.median(parse_ms):>18.2f}"
        for name in cols:
            a, url = archives[name], urls[name]
            page = [x for q in qs for x in timed(lambda: a.search(Search(q=q)), args.repeat)]
            cpu = [x for q in qs for x in cpu_timed(lambda: a.search(Search(q=q)), max(1, args.repeat // 2))]
            http = [x for q in qs for x in timed(
                lambda: urllib.request.urlopen(f"{url}/api/search?q={urllib.parse.quote(q)}").read(),
                args.repeat)]
            row += (f"{statistics.median(page):>21.1f}/{pct(page, 95):<12.1f}{statistics.median(cpu):>9.1f}"
                    f"{statistics.median(http):>28.1f}")
        print(row)
    print("\ntotals (exact / limited, estimates marked ~):")
    for klass, qs in QUERIES.items():
        out = []
        for q in qs:
            exact = archives[cols[0]].search(Search(q=q))["total"]
            limited = archives[cols[1]].search(Search(q=q))
            mark = "" if limited.get("total_exact", True) else "~"
            if mark and exact:
                errors.append(abs(limited["total"] - exact) / exact)
            out.append(f"{q} {exact}/{mark}{limited['total']}")
        print(f"  {klass}: " + ", ".join(out))
    if errors:
        print(f"estimate error over {len(errors)} estimated totals: mean {statistics.mean(errors):.2%},"
              f" max {max(errors):.2%}")
    for name in archives:
        html = [x for qs in QUERIES.values() for q in qs for x in timed(
            lambda: urllib.request.urlopen(f"{urls[name]}/search?q={urllib.parse.quote(q)}").read(), 5)]
        print(f"{name}: HTML results page over HTTP p50 {statistics.median(html):.1f} ms, p95 {pct(html, 95):.1f} ms")
    now, peak = _rss()
    print(f"serving process: RSS {now:.0f} MiB now, peak {peak:.0f} MiB (both settings' archives open)")
    if "elasticsearch exact" in archives and not args.keep and not args.data:
        for index in archives["elasticsearch exact"].indexes.values():
            index.drop()


if __name__ == "__main__":
    main()
