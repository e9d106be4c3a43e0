"""Load on loopback: public searches against `gongkai serve`, with and without expensive queries from
other clients, while an ingest and staff edits run. Rounds alternate (normal only, normal + expensive)
and the medians are reported side by side, with the ratio of normal throughput.

    python bench/load.py [--docs 5000] [--seconds 10] [--rounds 3] [--clients 4] [--expensive 4]

Bounded: every round runs `--seconds`, every request has a 30 s timeout; loopback only.
"""
from __future__ import annotations

import argparse
import http.client
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import CORPUS, bulk, fill_catalog  # noqa: E402
from measure import QUERIES, pct  # noqa: E402

NORMAL = [q for qs in QUERIES.values() for q in qs] + ["征地 补偿", "政府信息公开", "税收", "土地 管理 办法"]
EXPENSIVE = [
    " ".join("的了是在和有我这人中大为上个国"[i % 14] for i in range(250)),   # 250 single characters
    "(" * 240 + "人民政府" + ")" * 240,                                        # deep nesting
    " OR ".join(f"{a}{b}" for a, b in zip("国家人民政府部门管理规定办法条例", "务院法院委员会局厅处科室所站中心")),
    " ".join(f"词{i}" for i in range(120)),                                    # many terms
]
GONGKAI = str(Path(sys.executable).with_name("gongkai"))
PASSWORD = "load bench password"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Client(threading.Thread):
    """Sends GET /api/search for queries drawn from `pool` until `stop` — as fast as answers come, or at
    `rate` requests a second (an attacker's pace); records (latency ms, status)."""

    def __init__(self, port: int, pool: list[str], stop: threading.Event, seed: int, rate: float = 0.0):
        super().__init__(daemon=True)
        self.port, self.pool, self.stop, self.rng, self.rate = port, pool, stop, random.Random(seed), rate
        self.results: list[tuple[float, int]] = []

    def run(self) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        next_at = time.monotonic()
        while not self.stop.is_set():
            if self.rate:
                next_at += 1.0 / self.rate
                if self.stop.wait(max(0.0, next_at - time.monotonic())):
                    break
            q = self.rng.choice(self.pool)
            started = time.perf_counter()
            try:
                conn.request("GET", "/api/search?" + urlencode({"q": q, "limit": 20}))
                resp = conn.getresponse()
                resp.read()
                status = resp.status
            except (OSError, http.client.HTTPException):
                status = 0
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            self.results.append(((time.perf_counter() - started) * 1000, status))


class Editor(threading.Thread):
    """A signed-in editor toggling documents between 主动公开 and 不予公开 once a second."""

    def __init__(self, port: int, doc_ids: list[str], stop: threading.Event):
        super().__init__(daemon=True)
        self.port, self.doc_ids, self.stop = port, doc_ids, stop
        self.edits, self.errors = 0, 0

    def run(self) -> None:
        import urllib.request
        from http.cookiejar import CookieJar

        base = f"http://127.0.0.1:{self.port}"
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        token = _csrf(opener.open(base + "/staff/login").read().decode())
        opener.open(base + "/staff/login", data=urlencode({"username": "loadbench", "password": PASSWORD,
                                                           "csrf_token": token}).encode()).read()
        k = 0
        while not self.stop.wait(1.0):
            doc_id = self.doc_ids[k % len(self.doc_ids)]
            disclosure = "不予公开" if (k // len(self.doc_ids)) % 2 == 0 else "主动公开"
            k += 1
            try:
                form = opener.open(f"{base}/staff/doc/{doc_id}/edit").read().decode()
                opener.open(f"{base}/staff/doc/{doc_id}/edit", data=urlencode({
                    "csrf_token": _csrf(form), "disclosure": disclosure, "disclosure_reason": "负载测试"}).encode()).read()
                self.edits += 1
            except OSError:
                self.errors += 1


class Ingester(threading.Thread):
    """`gongkai ingest` run after run, each over 100 regulations made new (a line added), until `stop`."""

    def __init__(self, data: Path, work: Path, stop: threading.Event):
        super().__init__(daemon=True)
        self.data, self.work, self.stop = data, work, stop
        self.runs = self.documents = 0
        self.sources = sorted((CORPUS / "lawrefbook-laws" / "行政法规").rglob("*.md"))

    def run(self) -> None:
        while not self.stop.is_set():
            batch = self.work / f"batch-{self.runs}"
            batch.mkdir(parents=True)
            for i, src in enumerate(self.sources[(self.runs * 100) % len(self.sources):][:100]):
                (batch / f"{i:03d}-{src.name}").write_text(src.read_text(encoding="utf-8") + f"\n副本 {self.runs}\n",
                                                           encoding="utf-8")
            done = subprocess.run([GONGKAI, "--data", str(self.data), "ingest", "--quiet", "--workers", "1",
                                   str(batch)], capture_output=True, text=True)
            m = re.search(r"ingested (\d+)", done.stdout)
            self.documents += int(m.group(1)) if m else 0
            self.runs += 1
            shutil.rmtree(batch, ignore_errors=True)


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def summary(clients: list[Client], seconds: float) -> dict:
    lat = [ms for c in clients for ms, status in c.results if status == 200]
    bad = [status for c in clients for _, status in c.results if status != 200]
    return {"rps": len(lat) / seconds, "p50": pct(lat, 50) if lat else 0, "p95": pct(lat, 95) if lat else 0,
            "p99": pct(lat, 99) if lat else 0, "errors": len(bad), "requests": len(lat) + len(bad),
            "statuses": sorted(set(bad))}


def one_round(port: int, seconds: float, clients: int, expensive: int, rate: float,
              seed: int) -> tuple[dict, dict | None]:
    stop = threading.Event()
    normal = [Client(port, NORMAL, stop, seed + i) for i in range(clients)]
    costly = [Client(port, EXPENSIVE, stop, seed + 100 + i, rate) for i in range(expensive)]
    for c in normal + costly:
        c.start()
    time.sleep(seconds)
    stop.set()
    for c in normal + costly:
        c.join(60)
    return summary(normal, seconds), (summary(costly, seconds) if costly else None)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=5000, help="documents in the archive (built from the corpus)")
    ap.add_argument("--seconds", type=float, default=10.0, help="length of one round")
    ap.add_argument("--rounds", type=int, default=3, help="rounds of each kind (alternating)")
    ap.add_argument("--clients", type=int, default=4, help="normal clients")
    ap.add_argument("--expensive", type=int, default=4, help="clients sending expensive queries")
    ap.add_argument("--rate", type=float, default=2.0,
                    help="requests a second per expensive client (0: as fast as answers come)")
    args = ap.parse_args()

    from archive import Archive, Settings

    tmp = Path(tempfile.mkdtemp(prefix="gongkai-load-"))
    server = None
    try:
        data = tmp / "data"
        a = Archive(Settings(data_dir=data))
        docs = bulk(args.docs)
        started = time.perf_counter()
        fill_catalog(a, docs)
        a.sync.catch_up(wait_s=600)
        a.accounts.add("loadbench", PASSWORD, "editor")
        print(f"archive: {args.docs} documents built from {CORPUS} in {time.perf_counter() - started:.0f} s")
        a.close()
        port = free_port()
        server = subprocess.Popen([GONGKAI, "--data", str(data), "serve", "--port", str(port), "--threads", "8"],
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        while f"open http://127.0.0.1:{port}/" not in server.stdout.readline():
            if server.poll() is not None:
                raise SystemExit("gongkai serve did not start")
        threading.Thread(target=server.stdout.read, daemon=True).start()

        # Background writers for the whole measurement: ingest runs one after another, and staff edits.
        stop_writers = threading.Event()
        ingester = Ingester(data, tmp / "inputs", stop_writers)
        editor = Editor(port, [d["id"] for d in docs[:5]], stop_writers)
        ingester.start()
        editor.start()

        rows = {"normal only": [], "normal, with expensive clients": [], "expensive clients": []}
        for r in range(args.rounds):
            base, _ = one_round(port, args.seconds, args.clients, 0, args.rate, seed=r * 1000)
            mixed, costly = one_round(port, args.seconds, args.clients, args.expensive, args.rate, seed=r * 1000 + 500)
            rows["normal only"].append(base)
            rows["normal, with expensive clients"].append(mixed)
            rows["expensive clients"].append(costly)
            print(f"round {r + 1}: normal {base['rps']:.1f} req/s alone, {mixed['rps']:.1f} with expensive clients"
                  f" ({costly['rps']:.1f} expensive req/s)", flush=True)
        stop_writers.set()
        editor.join(30)
        ingester.join(300)

        pace = f"{args.rate:g} requests/s each" if args.rate else "as fast as answered"
        print(f"\n{args.clients} normal clients, {args.expensive} expensive clients ({pace}), {args.rounds} rounds of "
              f"{args.seconds:g} s each kind; during all of it: {ingester.runs} `gongkai ingest` runs one after another"
              f" ({ingester.documents} regulations ingested) and {editor.edits} staff edits ({editor.errors} failed)\n")
        print("| traffic | requests/s | p50 ms | p95 ms | p99 ms | errors | requests |")
        print("| --- | --- | --- | --- | --- | --- | --- |")
        for name, runs in rows.items():
            med = {k: statistics.median(x[k] for x in runs) for k in ("rps", "p50", "p95", "p99")}
            statuses = sorted({st for x in runs for st in x["statuses"]})
            print(f"| {name} | {med['rps']:.1f} | {med['p50']:.0f} | {med['p95']:.0f} | {med['p99']:.0f} |"
                  f" {sum(x['errors'] for x in runs)}{f' (status {statuses})' if statuses else ''} |"
                  f" {sum(x['requests'] for x in runs)} |")
        ratios = [m["rps"] / b["rps"] for b, m in zip(rows["normal only"], rows["normal, with expensive clients"])]
        print(f"\nnormal throughput with the expensive clients / without (median of {len(ratios)} paired rounds):"
              f" {statistics.median(ratios):.2f} (per round: {', '.join(f'{x:.2f}' for x in ratios)})")
    finally:
        if server is not None and server.poll() is None:
            server.terminate()
            server.wait(30)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
