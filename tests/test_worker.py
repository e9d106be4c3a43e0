"""Isolated extraction: time limit, memory cap and crashes fail only their own file; workers are replaced."""
import os
import signal
import time
from dataclasses import replace
from pathlib import Path

import pytest

from archive.blobs import sha256_file
from archive.index import IndexDoc
from archive.settings import Settings
from ingest.pipeline import ingest
from ingest.worker import Pool, Task


def _task(key: int, path: Path) -> Task:
    return Task(key, str(path), path.name, str(path), sha256_file(path), path.stat().st_size, "主动公开", Settings())


def _outcome(pool: Pool, limit: float = 60) -> list:
    deadline, out = time.monotonic() + limit, []
    while pool.busy() and time.monotonic() < deadline:
        out += pool.wait(1.0)
    return out


@pytest.fixture
def slow_text(tmp_path) -> Path:
    """Takes seconds to segment: 8 MB of real law text."""
    p = tmp_path / "slow.txt"
    laws = sorted(Path(__file__).parent.joinpath("..", "ingest", "samples", "md").glob("*.md"))
    text = "\n".join(x.read_text(encoding="utf-8") for x in laws)
    p.write_text(text * (8_000_000 // len(text.encode()) + 1), encoding="utf-8")
    return p


@pytest.fixture
def small_text(tmp_path) -> Path:
    p = tmp_path / "通知.txt"
    p.write_text("示例市人民政府办公室关于做好政务公开工作的通知\n" * 20, encoding="utf-8")
    return p


def test_timeout_kills_the_worker_and_the_next_file_still_works(slow_text, small_text, tmp_path):
    """A file's time limit counts a new worker's start too: 3 s leave a loaded machine room to start the replacement
    and read the small file (0.5 s did not, once in CI), and the slower file takes 5-10 times that."""
    slower = tmp_path / "slower.txt"
    slower.write_text(slow_text.read_text(encoding="utf-8") * 4, encoding="utf-8")
    with Pool(1, timeout_s=3, memory_bytes=0) as pool:
        pool.submit(_task(1, slower))
        [done] = _outcome(pool)
        assert (done.key, done.stage, done.reason) == (1, "extract", "timeout (over 3 s)")
        assert pool.replaced == 1
        pool.submit(_task(2, small_text))
        [done] = _outcome(pool)
        assert not done.failed and done.doc.extraction.pages[0].startswith("示例市")


def test_memory_cap_fails_the_file_with_memory_limit(tmp_path, small_text):
    hog = tmp_path / "one-line.txt"
    hog.write_bytes(b"a" * 40_000_000)  # its 40M bigrams need gigabytes
    with Pool(1, timeout_s=60, memory_bytes=600 * 1024 * 1024) as pool:
        pool.submit(_task(1, hog))
        [done] = _outcome(pool)
        assert done.reason.startswith("memory limit"), done.reason
        pool.submit(_task(2, small_text))
        [done] = _outcome(pool)
        assert not done.failed


def test_a_crashed_worker_fails_only_its_file(slow_text, small_text):
    with Pool(2, timeout_s=60, memory_bytes=0) as pool:
        pool.submit(_task(1, slow_text))
        pool.submit(_task(2, small_text))
        victim = next(w for w in pool.workers if w.task.key == 1)
        os.kill(victim.proc.pid, signal.SIGSEGV)  # whether it has begun reading the task or not
        outcomes = {d.key: d for d in _outcome(pool)}
        assert outcomes[1].reason == "worker crashed (SIGSEGV)"
        assert not outcomes[2].failed
        pool.submit(_task(3, small_text))
        assert not _outcome(pool)[0].failed


def test_a_file_queued_behind_a_crash_or_timeout_is_extracted_by_another_worker(slow_text, small_text):
    with Pool(1, timeout_s=60, memory_bytes=0, depth=2) as pool:
        pool.submit(_task(1, slow_text))
        pool.submit(_task(2, small_text))
        [worker] = pool.workers
        assert [t.key for t in worker.tasks] == [1, 2]
        os.kill(worker.proc.pid, signal.SIGSEGV)
        outcomes = {d.key: d for d in _outcome(pool)}
        assert outcomes[1].reason == "worker crashed (SIGSEGV)"
        assert not outcomes[2].failed
    with Pool(1, timeout_s=0.5, memory_bytes=0, depth=2) as pool:
        pool.submit(_task(3, slow_text))
        pool.submit(_task(4, small_text))
        outcomes = {d.key: d for d in _outcome(pool)}
        assert outcomes[3].reason == "timeout (over 0.5 s)"
        assert not outcomes[4].failed and pool.replaced == 1


def test_worker_analysis_equals_analysis_of_the_catalog_row(archive, corpus):
    """The IndexDoc built in the worker must be what reindex would build from the catalog."""
    files = sorted((corpus / "govcn-2019-zhouynf" / "html").glob("*.html"))[:5]
    ingest(archive, files)
    with Pool(1, timeout_s=60, memory_bytes=0) as pool:
        for i, f in enumerate(files):
            pool.submit(_task(i, f))
            [done] = _outcome(pool)
            doc_id = archive.catalog.doc_for_sha(sha256_file(f))
            row = archive.catalog.document(doc_id)
            row["pages"] = archive.catalog.pages(doc_id)
            assert replace(done.index_doc, version=row["version"]) == IndexDoc.from_catalog(row)


def test_parallel_ingest_records_every_file_once(archive, corpus):
    files = sorted((corpus / "nfra-penalty-disclosures" / "txt").glob("*.txt"))
    summary = ingest(archive, files + files[:3], workers=2)
    assert summary.seen == len(files) + 3
    assert summary.ingested + summary.merged == len(files) and summary.skipped == 3
    rows = archive.catalog.run_files(summary.run_id)
    assert len(rows) == len(files) + 3
    assert archive.searcher.staff.count() == archive.catalog.count_documents()


def test_workers_import_what_the_parent_imports_whatever_the_working_directory(tmp_path, gongkai):
    """Regression guard: the fork server put the working directory first on its path, so `gongkai ingest`
    run from a folder holding packages named like ours (another checkout) ran that code in its workers."""
    import subprocess

    decoy = tmp_path / "cwd"
    for name in ("ingest", "archive", "analyzers"):
        (decoy / name).mkdir(parents=True)
        (decoy / name / "__init__.py").write_text("raise SystemExit('the wrong package was imported')\n")
    text = tmp_path / "通知.txt"
    text.write_text("关于渔港建设的通知\n\n渔港 建设 资金 安排。", encoding="utf-8")
    done = subprocess.run([*gongkai, "--data", str(tmp_path / "data"), "ingest", "--quiet", str(text)],
                          cwd=decoy, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "ingested 1," in done.stdout, done.stdout + done.stderr
