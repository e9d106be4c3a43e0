"""The kill test: `gongkai ingest` killed with SIGKILL at random moments, rerun to the end, stays consistent."""
import hashlib
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import time
import zipfile
from pathlib import Path

from archive import Archive, Search, Settings
from archive.blobs import sha256_file
from archive.fixity import verify
from ingest.sources import iter_files

KILLS = int(os.environ.get("GONGKAI_KILLS", "6"))


def build_inputs(corpus: Path, samples: Path, dest: Path) -> None:
    """~150 real files: gov.cn pages, penalty notices, work reports, sample PDFs/HTML/text, a ZIP, a copy, junk."""
    dest.mkdir()
    pick = [
        *sorted((corpus / "govcn-2019-zhouynf" / "html").glob("*.html")),
        *sorted((corpus / "nfra-penalty-disclosures" / "txt").glob("*.txt")),
        *sorted((corpus / "wikisource-gov-work-reports" / "txt").glob("*.txt"))[:45],
        *sorted(samples.rglob("*.pdf")), *sorted(samples.rglob("*.txt")), *sorted(samples.rglob("*.md")),
        *sorted((samples / "html").glob("*.html")),
        corpus / "shanghai-putuo-juesuan" / "中共上海市普陀区委社会工作部2024年度部门决算.pdf",
    ]
    for i, src in enumerate(pick):
        sub = dest / f"box{i % 7}"
        sub.mkdir(exist_ok=True)
        shutil.copy(src, sub / src.name)
    laws = sorted((corpus / "lawrefbook-laws" / "行政法规").rglob("*.md"))[:10]
    with zipfile.ZipFile(dest / "法规汇编.zip", "w", zipfile.ZIP_DEFLATED) as z:
        for law in laws:
            z.write(law, f"行政法规/{law.name}")
    shutil.copy(pick[0], dest / "copy-of-first.html")          # same bytes twice
    (dest / "broken.pdf").write_bytes(b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF")  # fails with a reason


def _session_alive(sid: int) -> list[int]:
    """Pids still running in session `sid` (the killed run's workers and fork server must not linger)."""
    pids = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                fields = (d / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[3]) == sid and fields[0] != "Z":
                pids.append(int(d.name))
    return pids


def _ingest(gongkai: list[str], data: Path, inputs: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [*gongkai, "--data", str(data), "ingest", "--quiet", str(inputs)],
        cwd=data.parent, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True, text=True)


def _catalog(data: Path, sql: str, *args) -> int:
    """One number from the catalog (0 before it exists)."""
    try:
        db = sqlite3.connect(f"file:{data / 'catalog.sqlite3'}?mode=ro", uri=True, timeout=1)
        try:
            return db.execute(sql, args).fetchone()[0] or 0
        finally:
            db.close()
    except sqlite3.Error:
        return 0


def _files_stored(data: Path, after_run: int) -> int:
    """Input files recorded so far by runs newer than `after_run`."""
    return _catalog(data, "SELECT count(*) FROM run_files WHERE run_id > ?", after_run)


def _kill_at_random(gongkai, data: Path, inputs: Path, rng: random.Random, kills: int) -> list[tuple[int, float]]:
    """Run the ingest `kills` times, each killed with SIGKILL after a random number of files was stored
    (and a random extra delay), unless it finishes first; (files stored, seconds) per kill, (-1, -1) if none."""
    moments = []
    for _ in range(kills):
        last_run = _catalog(data, "SELECT max(id) FROM runs")
        proc = _ingest(gongkai, data, inputs)
        after, extra, started = rng.randint(1, 40), rng.uniform(0, 0.2), time.monotonic()
        while proc.poll() is None and _files_stored(data, last_run) < after:
            time.sleep(0.01)
        time.sleep(extra)
        if proc.poll() is not None:
            moments.append((-1, -1.0))  # it finished before the kill: fine, the next run has less to do
            continue
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        moments.append((_files_stored(data, last_run), round(time.monotonic() - started, 2)))
        deadline = time.monotonic() + 10
        while _session_alive(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _session_alive(proc.pid), "workers outlived the killed ingest"
    return moments


def test_kill_9_at_random_moments_then_rerun_is_consistent(corpus, tmp_path, gongkai):
    from conftest import SAMPLES

    inputs, data = tmp_path / "in", tmp_path / "data"
    build_inputs(corpus, SAMPLES, inputs)
    seed = int(os.environ.get("GONGKAI_KILL_SEED", random.randrange(1 << 30)))
    moments = _kill_at_random(gongkai, data, inputs, random.Random(seed), KILLS)
    print(f"seed {seed}, killed after (files stored, seconds): {moments}")
    db = sqlite3.connect(data / "catalog.sqlite3")
    try:  # the test proves something only if kills landed while a run was storing files
        cut = db.execute("SELECT count(*) FROM runs r WHERE finished_at IS NULL"
                         " AND EXISTS (SELECT 1 FROM run_files f WHERE f.run_id = r.id)").fetchone()[0]
    finally:
        db.close()
    assert cut >= 1, f"no kill landed in the middle of a run (moments {moments})"

    final = _ingest(gongkai, data, inputs)
    out, _ = final.communicate(timeout=240)
    assert final.returncode == 1, out  # 1: broken.pdf failed (and was reported)
    assert "failure report:" in out

    a = Archive(Settings(data_dir=data))
    try:
        _check_consistent(a, inputs, out)
    finally:
        a.close()


def _check_consistent(a: Archive, inputs: Path, out: str) -> None:
    cat = a.catalog
    db = cat._db()
    last = db.execute("SELECT max(id) FROM runs").fetchone()[0]
    assert cat.run(last)["state"] == "finished"
    assert {r[0] for r in db.execute("SELECT state FROM runs WHERE id < ?", (last,))} <= {"finished", "interrupted"}

    # every input: archived once (by sha256) or failed with a reason, and reported in the last run
    rows = [r for r in cat.run_files(last) if r["status"] != "bundle"]
    paths = [r["path"] for r in rows]
    assert len(paths) == len(set(paths))
    plain = [p for p in iter_files([inputs]) if p.suffix != ".zip"]
    with zipfile.ZipFile(inputs / "法规汇编.zip") as z:
        members = {f"{inputs / '法规汇编.zip'}!/{n}": z.read(n) for n in z.namelist()}
    assert set(paths) == {str(p) for p in plain} | set(members)
    for r in rows:
        if r["status"] == "failed":
            assert r["reason"], r
            assert cat.known_failure(r["sha256"], Path(r["path"]).suffix)["reason"] == r["reason"]
        else:
            assert r["status"] in ("skipped", "ingested", "merged"), r
    failed = {r["path"] for r in rows if r["status"] == "failed"}
    assert failed == {str(inputs / "broken.pdf")}
    shas = {sha256_file(p) for p in plain if str(p) not in failed}
    shas |= {hashlib.sha256(b).hexdigest() for b in members.values()}
    originals = {r[0]: r[1] for r in db.execute("SELECT sha256, doc_id FROM originals")}
    assert set(originals) == shas  # each once (sha256 is the primary key), nothing extra

    # catalog and index agree: every document indexed exactly once, none waiting
    docs = [r[0] for r in db.execute("SELECT id FROM documents")]
    assert cat.count_index_states() == {"indexed": len(docs)}
    assert a.searcher.staff.count() == len(docs) and a.sync.backlog() == 0
    seen = []
    for offset in range(0, len(docs) + 100, 100):
        seen += [h["id"] for h in a.search(Search(q="", offset=offset, limit=100, versions="all"))["hits"]]
    assert sorted(seen) == sorted(docs)   # (every version: by default a group shows its latest)
    assert a.search(Search(q="", limit=1, versions="all"))["total"] == len(docs)
    hashes = [r[0] for r in db.execute("SELECT text_hash FROM documents WHERE text_hash != ''")]
    assert len(hashes) == len(set(hashes))

    # originals intact, no half-written or stray files, nothing left unpacked
    report = verify(a.blobs, cat)
    assert report.ok, report
    assert report.checked == len(originals) + 1  # + the ZIP bundle itself
    assert not list((a.settings.data_dir / "tmp").rglob("*"))
