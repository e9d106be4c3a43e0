"""How well search puts first the document a query names, on the labelled set tests/data/ranking/.

    python bench/ranking.py --data /tmp/ranking-data [--reindex] [--other /path/to/venv/bin/gongkai]
                            [--show 12 [--worst 15] [--explain]] [--query 统计 ...] [--signals]

Builds an archive (or reuses the one in --data) by ingesting the lawrefbook-laws corpus and the gov.cn pages with
this installation's own `gongkai ingest`, searches every labelled query in-process as the public does
(Archive.search, top 50), maps hits to corpus files through the catalog (sha256 of each labelled file -> the
document holding that original) and prints per document kind and query form: MRR (ranks beyond 50 count 0),
P@1 and recall@10 (any acceptable version), now@1 (the version in force first) and, over the queries whose title
has older versions, how often the version in force ranks above every older one.

The same figures for a baseline: an SQLite FTS5 table (trigram tokenizer) over (title, body) of the same
catalog texts, ranked by bm25(); query words are ANDed. A word under 3 characters cannot match a trigram index,
so a query with one is ranked by the same BM25 formula FTS5 uses (k1 1.2, b 0.75, lengths in trigrams), counted
in Python from substring occurrences over every document; see fts5_rank and substring_rank.

A reused archive keeps the index it was built with: after a change to how documents are analysed or indexed,
pass --reindex (an index whose schema the code no longer opens is rebuilt anyway).
--other EXE runs a second installation side by side on its own archive (built by its own ingest, kept in
--other-data or DATA-other). --signals searches again without each ranking signal in turn (by rewriting the
parsed queries) and prints what each adds. Figures are deterministic for a given archive: no timing here.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import json
import math
import sqlite3
import subprocess
import sys
import time
import unicodedata
from collections.abc import Iterable
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import CORPUS  # noqa: E402
from measure import scratch  # noqa: E402

LABELS = Path(__file__).resolve().parents[1] / "tests" / "data" / "ranking" / "named_documents.tsv"
SOURCES = ("lawrefbook-laws", "govcn-2019-zhouynf/html")   # what the archive holds (lawrefbook: its folders)
DEPTH = 50    # hits fetched per query; an answer below this rank counts as not found
CATALOG = "catalog.sqlite3"

# Runs inside another installation: only what every release has (Archive, Settings, Search).
CHILD = """
import json, sys
from pathlib import Path
from archive import Archive, Search, Settings
archive = Archive(Settings(data_dir=Path(sys.argv[1])))
out = {}
for q in json.loads(sys.stdin.read()):
    hits = archive.search(Search(q=q, limit=int(sys.argv[2])))["hits"]
    out[q] = [[h["id"], h.get("title", ""), h.get("score", 0.0)] for h in hits]
print(json.dumps(out, ensure_ascii=False))
"""


@dataclass
class Label:
    """One row of the labelled set: a query and the corpus files that answer it."""

    query: str
    expected: list[str]      # the version(s) in force, relative to the corpus
    older: list[str]         # older versions of the same title
    kind: str
    form: str
    reason: str


@dataclass
class Hit:
    doc_id: str
    title: str
    score: float


@dataclass
class Outcome:
    """Where one system ranked one query's answers (1-based ranks, None: not in the top DEPTH)."""

    label: Label
    hits: list[Hit]
    now: set[str] = field(default_factory=set)     # doc ids of the version in force
    old: set[str] = field(default_factory=set)     # doc ids of older versions

    def rank(self, docs: set[str]) -> int | None:
        return next((i for i, h in enumerate(self.hits, 1) if h.doc_id in docs), None)

    @property
    def rank_any(self) -> int | None:
        return self.rank(self.now | self.old)

    @property
    def rank_now(self) -> int | None:
        return self.rank(self.now)

    def in_force_first(self) -> bool:
        """The version in force is found and ranks above every older version."""
        now, old = self.rank_now, self.rank(self.old)
        return now is not None and (old is None or now < old)


def read_labels(path: Path = LABELS) -> list[Label]:
    """The labelled set (a TSV with a header; paths separated by ';')."""
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    split = lambda s: [p for p in s.split(";") if p]  # noqa: E731
    return [Label(r["query"], split(r["expected"]), split(r["older"]), r["kind"], r["form"], r["reason"])
            for r in rows]


def source_paths(corpus: Path) -> list[Path]:
    """What the archive is built from: every lawrefbook-laws folder (not its manifest) and the gov.cn pages."""
    laws = corpus / SOURCES[0]
    return sorted(p for p in laws.iterdir() if p.is_dir()) + [corpus / SOURCES[1]]


def build(exe: Path, data: Path, corpus: Path) -> None:
    """Ingest the sources into `data` with installation `exe` unless it already holds an archive."""
    if (data / CATALOG).is_file():
        print(f"reusing the archive in {data} ({exe})")
        return
    data.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    # (cwd = the data directory: older installations' workers imported from the cwd)
    done = subprocess.run([str(exe), "--data", str(data), "ingest", "--quiet", *map(str, source_paths(corpus))],
                          capture_output=True, text=True, cwd=data)
    if done.returncode != 0:
        raise SystemExit(f"ingest by {exe} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    summary = done.stdout.strip().splitlines()[:2]
    print(f"built {data} with {exe} in {time.perf_counter() - started:.0f} s: " + " / ".join(summary))


def reindex(exe: Path, data: Path) -> None:
    """Rebuild the archive's search indexes from its catalog with installation `exe`."""
    started = time.perf_counter()
    done = subprocess.run([str(exe), "--data", str(data), "reindex"], capture_output=True, text=True, cwd=data)
    if done.returncode != 0:
        raise SystemExit(f"reindex by {exe} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    print(f"reindexed {data} with {exe} in {time.perf_counter() - started:.0f} s")


def search_here(exe: Path, data: Path, queries: list[str]) -> dict[str, list[Hit]]:
    """Every query searched in this process, as the public does; an index that the code in this checkout cannot
    open (its schema changed) is rebuilt first."""
    from archive.index.base import BackendUnavailable
    try:
        return _search(data, queries)
    except BackendUnavailable as e:
        print(f"index unusable ({e}): rebuilding it")
    reindex(exe, data)
    return _search(data, queries)


def _search(data: Path, queries: list[str], without: str = "") -> dict[str, list[Hit]]:
    """Every query searched in-process; `without` one of SIGNALS: the same search with that signal taken out."""
    from archive import Archive, Search, Settings
    archive = Archive(Settings(data_dir=data))
    try:
        with _without(archive, without):
            return {q: [Hit(h["id"], h.get("title", ""), h.get("score", 0.0))
                        for h in archive.search(Search(q=q, limit=DEPTH))["hits"]] for q in queries}
    finally:
        archive.close()


SIGNALS = {
    "named": "a title that names what the query names ranks first (analyzers.titles.key)",
    "national": "of those, national documents first",
    "subject": "then titles holding every word of the query",
    "side-by-side": "words standing together as typed preferred",
    "words": "an unspaced run searched as its words (else as one exact string)",
    "newest": "versions of one title newest first",
}


@contextmanager
def _without(archive, signal: str):
    """The archive's search with one ranking signal taken out (by rewriting parsed trees), for --signals."""
    import dataclasses

    import archive.search as service
    from analyzers import query as q

    def strip(node):
        if isinstance(node, q.Words) and signal == "words":
            return q.Term(node.text)
        if isinstance(node, q.Named) and signal == "national":
            return dataclasses.replace(node, national=False)
        if isinstance(node, (q.And, q.Or)):
            kept = [strip(c) for c in node.children if not _signal_of(c, signal)]
            return dataclasses.replace(node, children=tuple(kept)) if len(kept) > 1 or isinstance(node, q.Words) \
                else kept[0]
        if isinstance(node, q.Prefer):
            return q.Prefer(strip(node.child))
        return node

    parse, newest = archive.searcher.parse, service._newest_first
    if signal:
        archive.searcher.parse = lambda text: dataclasses.replace(parse(text), tree=strip(parse(text).tree))
    if signal == "newest":
        service._newest_first = lambda hits, docs: hits
    try:
        yield
    finally:
        archive.searcher.parse, service._newest_first = parse, newest


def _signal_of(node, signal: str) -> bool:
    from analyzers import query as q
    if not isinstance(node, q.Prefer):
        return False
    return {"named": isinstance(node.child, q.Named), "subject": isinstance(node.child, q.Subject),
            "side-by-side": isinstance(node.child, q.Term)}.get(signal, False)


def search_there(exe: Path, data: Path, queries: list[str]) -> dict[str, list[Hit]]:
    """Every query searched by another installation's Python (next to its `gongkai`)."""
    python = exe.with_name("python")
    done = subprocess.run([str(python), "-c", CHILD, str(data), str(DEPTH)], input=json.dumps(queries),
                          capture_output=True, text=True, cwd=data)
    if done.returncode != 0:
        raise SystemExit(f"searching with {python} failed ({done.returncode}):\n{done.stderr}")
    return {q: [Hit(*h) for h in hits] for q, hits in json.loads(done.stdout).items()}


def doc_ids(data: Path, corpus: Path, paths: Iterable[str]) -> dict[str, set[str]]:
    """For each corpus path, the catalog documents holding its bytes as an original (empty if not ingested)."""
    db = sqlite3.connect(f"file:{data / CATALOG}?mode=ro", uri=True)
    try:
        out = {}
        for p in paths:
            sha = hashlib.sha256((corpus / p).read_bytes()).hexdigest()
            out[p] = {r[0] for r in db.execute("SELECT doc_id FROM originals WHERE sha256 = ?", (sha,))}
        return out
    finally:
        db.close()


# --- the baseline ----------------------------------------------------------------------------------------


class Baseline:
    """SQLite FTS5 (trigram) over the catalog's titles and texts, ranked by bm25(); cached in `cache`."""

    K1, B = 1.2, 0.75   # FTS5's bm25() constants

    def __init__(self, data: Path, cache: Path):
        catalog = data / CATALOG
        src = sqlite3.connect(f"file:{catalog}?mode=ro", uri=True)
        stamp = "{}:{}:{}".format(*src.execute("SELECT count(*), max(version), max(created_at) FROM documents").fetchone())
        self.db = sqlite3.connect(cache)
        fresh = self.db.execute("SELECT name FROM sqlite_master WHERE name = 'meta'").fetchone() and \
            self.db.execute("SELECT value FROM meta WHERE key = 'catalog'").fetchone() == (stamp,)
        if not fresh:
            started = time.perf_counter()
            self.db.executescript("DROP TABLE IF EXISTS t; DROP TABLE IF EXISTS ids; DROP TABLE IF EXISTS meta;"
                                  "CREATE VIRTUAL TABLE t USING fts5(title, body, tokenize='trigram');"
                                  "CREATE TABLE ids (rowid INTEGER PRIMARY KEY, doc_id TEXT);"
                                  "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);")
            rows = src.execute("SELECT d.rowid, d.id, d.title, (SELECT group_concat(text, char(10)) FROM"
                               " (SELECT text FROM pages WHERE doc_id = d.id ORDER BY page_no))"
                               " FROM documents d WHERE d.disclosure = '主动公开'").fetchall()
            self.db.executemany("INSERT INTO t (rowid, title, body) VALUES (?, ?, ?)",
                                [(r[0], r[2], r[3] or "") for r in rows])
            self.db.executemany("INSERT INTO ids VALUES (?, ?)", [(r[0], r[1]) for r in rows])
            self.db.execute("INSERT INTO meta VALUES ('catalog', ?)", (stamp,))
            self.db.commit()
            print(f"built the FTS5 baseline {cache} in {time.perf_counter() - started:.0f} s")
        src.close()
        self.ids = dict(self.db.execute("SELECT rowid, doc_id FROM ids"))
        self._texts: list[tuple[int, str, str]] | None = None
        self._lengths: dict[int, int] = {}
        self._titles: dict[int, str] = {}

    def search(self, q: str) -> list[Hit]:
        words = [w.strip('"') for w in q.split() if w.strip('"')]
        if not words:
            return []
        ranked = self.fts5_rank(words) if min(map(len, words)) >= 3 else self.substring_rank(words)
        return [Hit(self.ids[rowid], title, score) for rowid, title, score in ranked[:DEPTH]]

    def fts5_rank(self, words: list[str]) -> list[tuple[int, str, float]]:
        """Words of 3+ characters: FTS5 itself, each word a phrase, ANDed, by bm25() (sign flipped: higher is better)."""
        match = " AND ".join('"' + w.replace('"', '""') + '"' for w in words)
        return [(r, t, -s) for r, t, s in self.db.execute(
            "SELECT rowid, title, bm25(t) FROM t WHERE t MATCH ? ORDER BY bm25(t) LIMIT ?", (match, DEPTH))]

    def substring_rank(self, words: list[str]) -> list[tuple[int, str, float]]:
        """Any word under 3 characters: documents holding every word, by FTS5's bm25 formula computed here:
        term frequency = occurrences in title + body, document length = trigrams of title + body."""
        if self._texts is None:
            self._texts = list(self.db.execute("SELECT rowid, title, body FROM t"))
            self._lengths = {r: max(len(t) - 2, 0) + max(len(b) - 2, 0) for r, t, b in self._texts}
            self._titles = {r: t for r, t, _ in self._texts}
        lengths, n_docs = self._lengths, len(self._texts)
        avgdl = sum(lengths.values()) / max(n_docs, 1)
        freqs: list[dict[int, int]] = []
        for w in words:
            freqs.append({r: n for r, t, b in self._texts if (n := t.count(w) + b.count(w))})
        scores = []
        for r in set.intersection(*(set(f) for f in freqs)):
            score = 0.0
            for f in freqs:
                idf = max(math.log((n_docs - len(f) + 0.5) / (len(f) + 0.5)), 1e-6)
                tf = f[r]
                score += idf * tf * (self.K1 + 1) / (tf + self.K1 * (1 - self.B + self.B * lengths[r] / avgdl))
            scores.append((r, self._titles[r], score))
        return sorted(scores, key=lambda s: (-s[2], s[0]))

    def close(self) -> None:
        self.db.close()


# --- figures -----------------------------------------------------------------------------------------------


def outcomes(labels: list[Label], hits: dict[str, list[Hit]], ids: dict[str, set[str]]) -> list[Outcome]:
    out = []
    for lab in labels:
        now = set().union(*(ids[p] for p in lab.expected))
        old = set().union(*(ids[p] for p in lab.older)) - now if lab.older else set()
        out.append(Outcome(lab, hits[lab.query], now, old))
    return out


@dataclass
class Figures:
    """MRR (0 beyond DEPTH), P@1, recall@10 (any version), now@1 (version in force first), and over the queries
    whose title has older versions: how many put the version in force above them, of how many."""

    MRR: float
    p1: float
    r10: float
    now1: float
    vers: tuple[int, int]


def figures(group: list[Outcome]) -> Figures:
    n = len(group)
    ranks = [o.rank_any for o in group]
    versioned = [o for o in group if o.label.older]
    return Figures(
        MRR=sum(1 / r for r in ranks if r) / n,
        p1=sum(r == 1 for r in ranks) / n,
        r10=sum(bool(r and r <= 10) for r in ranks) / n,
        now1=sum(o.rank_now == 1 for o in group) / n,
        vers=(sum(o.in_force_first() for o in versioned), len(versioned)),
    )


def table(results: dict[str, list[Outcome]]) -> None:
    """Per document kind, per query form and overall: each system's figures side by side."""
    systems = list(results)
    first = results[systems[0]]
    groups: list[tuple[str, list[int]]] = [("all", list(range(len(first))))]
    for attr, title in (("kind", "kind"), ("form", "form")):
        values = sorted({getattr(o.label, attr) for o in first}, key=lambda v: [getattr(o.label, attr) for o in first].index(v))
        groups += [(f"{title} {v}", [i for i, o in enumerate(first) if getattr(o.label, attr) == v]) for v in values]
    head = f"{'':18}{'n':>4}" + "".join(f" | {s:>8}: {'MRR':>5} {'P@1':>5} {'R@10':>5} {'now@1':>5} {'vers':>6}"
                                         for s in systems)
    print(head)
    print("-" * len(head))
    for name, idx in groups:
        line = f"{_pad(name, 18)}{len(idx):>4}"
        for s in systems:
            f = figures([results[s][i] for i in idx])
            vers = f"{f.vers[0]}/{f.vers[1]}" if f.vers[1] else "-"
            line += f" | {'':8}  {f.MRR:5.3f} {f.p1:5.3f} {f.r10:5.3f} {f.now1:5.3f} {vers:>6}"
        print(line)
    print("MRR: mean 1/rank of the first acceptable version (0 below rank 50); P@1, R@10: that version first / in"
          " the top 10;\nnow@1: the version in force first; vers: queries with older versions where the version in"
          " force ranks above them.")


def show(results: dict[str, list[Outcome]], n: int, worst: int | None, explain: bool) -> None:
    """The queries whose answer the first system did not put first, worst first: its top `n` titles."""
    systems = list(results)
    main = results[systems[0]]
    failing = [i for i, o in enumerate(main) if o.rank_now != 1]
    failing.sort(key=lambda i: (-(main[i].rank_now or DEPTH + 1), -(main[i].rank_any or DEPTH + 1), i))
    if worst is not None:
        failing = failing[:worst]
    print(f"\n{len(failing)} queries whose version in force {systems[0]} does not put first"
          f"{' (the worst)' if worst is not None else ''}; * version in force, ° older version")
    for i in failing:
        o = main[i]
        ranks = ", ".join(f"{s} {_rank(results[s][i])}" for s in systems)
        answer = next((h.title for h in o.hits if h.doc_id in o.now), "") or Path(o.label.expected[0]).stem
        print(f"\n{o.label.query!r} [{o.label.kind}/{o.label.form}] -> {answer}  (rank: {ranks})")
        for rank, h in enumerate(o.hits[:n], 1):
            mark = "*" if h.doc_id in o.now else "°" if h.doc_id in o.old else " "
            score = f"{h.score:10.4f}  " if explain else ""
            print(f"  {rank:3}{mark} {score}{h.title}")
        if (o.rank_now or DEPTH + 1) > n:
            print(f"  ... version in force at {_rank(o)}")


def _pad(text: str, width: int) -> str:
    """`text` padded to `width` terminal columns (CJK characters take two)."""
    wide = sum(unicodedata.east_asian_width(c) in "WF" for c in text)
    return text + " " * max(width - len(text) - wide, 0)


def _rank(o: Outcome) -> str:
    now, anyv = o.rank_now, o.rank_any
    text = str(now) if now else f">{DEPTH}"
    return text if anyv == now else f"{text} (older version {anyv})"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, help="archive to build or reuse (default: a temporary one, removed after)")
    ap.add_argument("--other", type=Path, help="another installation's gongkai executable, compared side by side")
    ap.add_argument("--other-data", type=Path, help="its archive to build or reuse (default: DATA-other)")
    ap.add_argument("--reindex", action="store_true", help="rebuild the indexes of a reused archive first (after"
                    " a change to how documents are analysed or indexed)")
    ap.add_argument("--labels", type=Path, default=LABELS, help="the labelled set (TSV)")
    ap.add_argument("--corpus", type=Path, default=CORPUS, help="the shared corpus ($GONGKAI_CORPUS)")
    ap.add_argument("--show", type=int, default=0, metavar="N", help="print the top N titles of each query whose"
                    " version in force is not first")
    ap.add_argument("--worst", type=int, metavar="K", help="with --show: only the K worst queries")
    ap.add_argument("--explain", action="store_true", help="with --show: print each hit's score")
    ap.add_argument("--query", action="append", help="only these queries of the set (repeatable)")
    ap.add_argument("--signals", action="store_true", help="also search without each ranking signal in turn and"
                    " print what each adds")
    args = ap.parse_args()
    labels = read_labels(args.labels)
    if args.query:
        labels = [lab for lab in labels if lab.query in args.query]
        if not labels:
            raise SystemExit(f"none of {args.query} is in {args.labels}")
    queries = [lab.query for lab in labels]
    this_exe = Path(sys.executable).with_name("gongkai")
    with ExitStack() as stack:
        data = args.data or stack.enter_context(scratch("gongkai-ranking-"))
        build(this_exe, data, args.corpus)
        if args.reindex:
            reindex(this_exe, data)
        runs: dict[str, tuple[Path, dict[str, list[Hit]]]] = {}
        started = time.perf_counter()
        runs["gongkai"] = data, search_here(this_exe, data, queries)
        print(f"searched {len(queries)} queries in {time.perf_counter() - started:.1f} s")
        ablated = {signal: _search(data, queries, signal) for signal in (SIGNALS if args.signals else ())}
        if args.other:
            other = args.other_data or (Path(f"{args.data}-other") if args.data
                                        else stack.enter_context(scratch("gongkai-ranking-other-")))
            build(args.other, other, args.corpus)
            if args.reindex:
                reindex(args.other, other)
            runs["other"] = other, search_there(args.other, other, queries)
        cache = Path(f"{args.data}-fts5.sqlite3") if args.data else data / "fts5.sqlite3"
        baseline = Baseline(data, cache)
        try:
            runs["fts5"] = data, {q: baseline.search(q) for q in queries}
        finally:
            baseline.close()
        paths = sorted({p for lab in labels for p in lab.expected + lab.older})
        results: dict[str, list[Outcome]] = {}
        for name, (where, hits) in runs.items():
            ids = doc_ids(where, args.corpus, paths)
            missing = [p for p in paths if not ids[p]]
            if missing:
                print(f"{name}: {len(missing)} labelled files are not in {where}: {', '.join(missing[:5])}")
            results[name] = outcomes(labels, hits, ids)
    print(f"\ngongkai: {this_exe} on {data}" + (f"; other: {args.other} on {runs['other'][0]}" if args.other else "")
          + "; fts5: SQLite FTS5 trigram + bm25() over the gongkai catalog's texts\n")
    table(results)
    if ablated:
        ids = doc_ids(data, args.corpus, paths)
        whole = figures(results["gongkai"])
        print(f"\nwhat each signal adds (gongkai with it minus gongkai without it, all {len(labels)} queries):")
        print(f"{'signal':14}{'MRR':>8}{'P@1':>8}{'now@1':>8}  what it is")
        for signal, hits in ablated.items():
            f = figures(outcomes(labels, hits, ids))
            print(f"{signal:14}{whole.MRR - f.MRR:>+8.3f}{whole.p1 - f.p1:>+8.3f}{whole.now1 - f.now1:>+8.3f}"
                  f"  {SIGNALS[signal]}")
    if args.show:
        show(results, args.show, args.worst, args.explain)


if __name__ == "__main__":
    main()
