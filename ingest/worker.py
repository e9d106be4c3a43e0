"""Isolated extraction: a pool of worker processes, each file alone in one, within a time and memory limit.

Workers only read files and return plain data (the ExtractedDocument, its text hash and its
analysed IndexDoc); the parent decides, stores and indexes. A worker that runs over its time
is killed, one that dies (segfault, killed, out of memory) is replaced: only its file fails.
Workers are forked from a fork server that has the extractors and jieba loaded (see warm.py).
"""
from __future__ import annotations

import ctypes
import logging
import math
import multiprocessing as mp
import os
import resource
import signal
import sys
import tempfile
import time
from collections import deque
from dataclasses import dataclass, replace
from multiprocessing.connection import wait as wait_any
from pathlib import Path

from archive.catalog import DOCUMENT_FIELDS, document_id
from archive.settings import Settings

from .errors import FILE, SYSTEM, from_exception

PRELOAD = ["ingest.warm"]      # modules the fork server imports once (a benchmark may add its own)
ALARM_GRACE_S = 5              # a worker kills itself this long after its deadline if orphaned
_PR_SET_PDEATHSIG = 1


@dataclass
class Task:
    """One file to extract: where its bytes are and what it will be called."""

    key: int
    path: str
    filename: str
    source: str
    sha256: str
    size: int
    disclosure: str
    settings: Settings             # limits and options of the extraction (ocr, time limits, …)


@dataclass
class Done:
    """The outcome of a Task: a document (with text hash and IndexDoc) or (stage, reason)."""

    key: int
    doc: object = None             # ExtractedDocument
    text_hash: str = ""
    index_doc: object = None       # archive.index.IndexDoc, analysed in the worker
    stage: str = ""
    reason: str = ""
    seconds: float = 0.0
    kind: str = FILE               # whose fault a failure is (ingest.errors)

    @property
    def failed(self) -> bool:
        return bool(self.reason)


def run_task(task: Task) -> Done:
    """Extract, read metadata, hash the text and analyse for the index: the whole per-file job."""
    from archive.index.base import IndexDoc

    from .dedup import text_hash
    from .pipeline import extract

    started = time.monotonic()
    settings = replace(task.settings, ocr_threads=1)  # without the OCR service: one engine per worker and core
    doc = extract(Path(task.path), task.sha256, task.size, task.source, filename=task.filename, settings=settings)
    pages = doc.extraction.pages
    row = {k: doc.metadata.get(k, "") or "" for k in DOCUMENT_FIELDS}
    row.update(id=document_id(task.sha256), pages=pages, disclosure=task.disclosure)
    furniture = any(w.startswith("low quality") for w in doc.extraction.warnings)  # never merged on its text
    return Done(task.key, doc=doc, text_hash="" if furniture else text_hash(pages, settings.dedup_min_units),
                index_doc=IndexDoc.from_catalog(row), seconds=time.monotonic() - started)


def _die_with_parent() -> None:
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the alarm below still bounds an orphan
        pass


def _serve(conn, timeout_s: float, memory_bytes: int, log: str, ocr_service: str = "") -> None:
    """Worker main loop: receive Tasks, send (Done, retire) back; exit on None or EOF. Pages for OCR go to the
    OCR service at `ocr_service` (ingest.ocr_service) if one is given.

    The worker's stderr goes to `log`, emptied before each task, so that the parent can tell why
    a worker died (Rust and C++ abort on a failed allocation) and the terminal stays clean.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    logging.disable(logging.WARNING)  # complaints about damaged files: the outcome says it
    _die_with_parent()
    err = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(err, 2)
    if memory_bytes > 0:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    if ocr_service:
        from .extractors import ocr
        from .ocr_service import Client

        ocr.use_service(Client(ocr_service))
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        os.ftruncate(2, 0)
        os.lseek(2, 0, os.SEEK_SET)
        signal.alarm(math.ceil(timeout_s) + ALARM_GRACE_S)
        retire = False
        try:
            done = run_task(task)
        except Exception as e:  # the error funnel: the error says whose fault it is
            err = from_exception(e, "extract")
            done = Done(task.key, stage=err.stage, reason=err.reason, kind=err.kind)
            retire = isinstance(e, MemoryError)
        finally:
            signal.alarm(0)
        try:
            conn.send((done, retire))
        except MemoryError:
            conn.send((Done(task.key, stage="extract", reason="memory limit (result too large)", kind=SYSTEM), True))
            return
        if retire:
            return


class _Worker:
    def __init__(self, ctx, timeout_s: float, memory_bytes: int, log: Path, ocr_service: str = ""):
        self.conn, child = ctx.Pipe()
        self.log = log
        self.proc = ctx.Process(target=_serve, args=(child, timeout_s, memory_bytes, str(log), ocr_service),
                                daemon=True)
        self.proc.start()
        child.close()
        self.tasks: deque[Task] = deque()  # sent, in order; the first is the one running
        self.deadline = 0.0                # of the first task

    @property
    def task(self) -> Task | None:
        """The task running now, if any."""
        return self.tasks[0] if self.tasks else None

    def stop(self, kill: bool = False) -> None:
        if kill or not self.proc.is_alive():
            self.proc.kill()
        else:
            try:
                self.conn.send(None)
            except OSError:
                self.proc.kill()
        self.proc.join(5)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join()
        self.conn.close()
        self.log.unlink(missing_ok=True)

    def last_words(self) -> list[str]:
        """The lines the worker wrote to stderr during its current task (the first 64 KiB)."""
        try:
            with open(self.log, "rb") as f:  # the first lines say why; backtraces follow
                return [x.strip() for x in f.read(65536).decode("utf-8", "replace").splitlines() if x.strip()]
        except OSError:
            return []


_OUT_OF_MEMORY = ("memory allocation of", "MemoryError", "bad_alloc", "Cannot allocate memory",
                  "out of memory", "capacity overflow")
_TELLING = ("panicked", "error", "Error", "fault", "abort")


def _death(exitcode: int | None, timeout_s: float, last_words: list[str]) -> tuple[str, str]:
    """(reason, kind) of a worker's death, from its exit status and what it last wrote to stderr:
    running out of time or memory is first the machine's problem (see ingest.pipeline), a crash the file's."""
    oom = [x for x in last_words if any(s in x for s in _OUT_OF_MEMORY)]
    if oom:
        return f"memory limit ({oom[0][:160]})", SYSTEM
    telling = [x for x in last_words if any(s in x for s in _TELLING)] or last_words[:1]
    said = f": {telling[0][:160]}" if telling else ""
    if exitcode is not None and exitcode < 0:
        sig = signal.Signals(-exitcode)
        if sig == signal.SIGALRM:
            return f"timeout (over {timeout_s:g} s)", SYSTEM
        if sig == signal.SIGKILL:
            return "worker killed (SIGKILL; out of memory?)", SYSTEM
        return f"worker crashed ({sig.name}{said})", FILE
    return f"worker exited unexpectedly (status {exitcode}{said})", FILE


class Pool:
    """`size` extraction processes; submit() to an idle one, wait() for outcomes (timeouts included).

    Each worker is sent up to `depth` tasks ahead, so it starts its next file the moment it sends
    a result instead of waiting for the parent to store that result; a task's time limit starts
    when the one before it ends. When a worker dies or is killed, its queued tasks go to another.
    Workers send pages for OCR to the OCR service at `ocr_service` (its socket) if one is given.
    """

    def __init__(self, size: int, timeout_s: float, memory_bytes: int, log_dir: Path | None = None,
                 depth: int = 2, ocr_service: str = ""):
        self._own_logs = None if log_dir else tempfile.TemporaryDirectory(prefix="gongkai-workers-")
        self.log_dir = Path(log_dir or self._own_logs.name)
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self.started = 0
        self.ctx = mp.get_context("forkserver")
        self.ctx.set_forkserver_preload(PRELOAD)
        self.size = max(1, size)
        self.depth = max(1, depth)
        self.timeout_s = timeout_s
        self.memory_bytes = memory_bytes
        self.ocr_service = ocr_service
        self.workers: list[_Worker] = []
        self.replaced = 0

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, *_) -> None:
        self.close()

    def busy(self) -> int:
        """Tasks sent and not yet answered."""
        return sum(len(w.tasks) for w in self.workers)

    def idle(self) -> bool:
        """Whether submit() can take a task now."""
        return len(self.workers) < self.size or any(len(w.tasks) < self.depth for w in self.workers)

    def submit(self, task: Task) -> None:
        """Hand `task` to the least loaded worker, starting one while fewer than `size` run."""
        for dead in [w for w in self.workers if not w.tasks and not w.proc.is_alive()]:
            self._replace(dead)
        worker = min((w for w in self.workers if len(w.tasks) < self.depth), key=lambda w: len(w.tasks),
                     default=None)
        if worker is None or (worker.tasks and len(self.workers) < self.size):
            if not self.started:
                _start_forkserver()  # (not before: a run whose files are all archived needs no worker)
            self.started += 1
            worker = _Worker(self.ctx, self.timeout_s, self.memory_bytes,
                             self.log_dir / f"worker-{os.getpid()}-{self.started}.log", self.ocr_service)
            self.workers.append(worker)
        if not worker.tasks:
            worker.deadline = time.monotonic() + self.timeout_s
        worker.tasks.append(task)
        try:
            worker.conn.send(task)
        except OSError:  # died while idle: the outcome is reported by wait() as a crash
            pass

    def wait(self, timeout: float | None = None) -> list[Done]:
        """Outcomes of finished tasks (at least one unless `timeout` passes); kills overdue workers."""
        busy = [w for w in self.workers if w.tasks]
        if not busy:
            return []
        now = time.monotonic()
        limit = min(w.deadline for w in busy) - now
        limit = max(0.0, limit if timeout is None else min(limit, timeout))
        ready = set(wait_any([w.conn for w in busy] + [w.proc.sentinel for w in busy], limit))
        out: list[Done] = []
        for w in busy:
            if w.conn in ready or w.proc.sentinel in ready:
                out += self._collect(w)
            elif time.monotonic() >= w.deadline:
                task = w.tasks.popleft()
                out.append(Done(task.key, stage="extract", reason=f"timeout (over {self.timeout_s:g} s)",
                                seconds=self.timeout_s, kind=SYSTEM))
                self._replace(w, kill=True)
        return out

    def _collect(self, w: _Worker) -> list[Done]:
        """Every answer `w` has sent; if it died, its running task fails and the rest go elsewhere."""
        out = []
        while w.tasks:
            try:
                done, retire = w.conn.recv() if w.conn.poll() else (None, True)
            except (EOFError, OSError):
                done, retire = None, True
            task = w.tasks.popleft()
            if done is None:
                w.proc.join(1)
                reason, kind = _death(w.proc.exitcode, self.timeout_s, w.last_words())
                done = Done(task.key, stage="extract", reason=reason, kind=kind)
            out.append(done)
            if retire:
                self._replace(w)
                break
            w.deadline = time.monotonic() + self.timeout_s
            if not w.conn.poll():
                break
        return out

    def _replace(self, w: _Worker, kill: bool = False) -> None:
        """Stop `w` and send the tasks queued behind its last one to other workers."""
        orphans, w.tasks = list(w.tasks), deque()
        w.stop(kill=kill)
        self.workers.remove(w)
        self.replaced += 1
        for task in orphans:
            self.submit(task)

    def close(self) -> None:
        """Stop every worker (busy ones are killed)."""
        for w in list(self.workers):
            w.stop(kill=bool(w.tasks))
        self.workers.clear()
        if self._own_logs is not None:
            self._own_logs.cleanup()


def _start_forkserver() -> None:
    """Start the fork server (once per process) importing exactly what this process imports.

    Regression guard: the server is started with `python -c`, which puts the current directory first
    on its path; run from a folder holding packages named like ours (a checkout of another version),
    the workers ran that code instead of the parent's."""
    from multiprocessing import forkserver

    saved = {k: os.environ.get(k) for k in ("PYTHONPATH", "PYTHONSAFEPATH")}
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    os.environ["PYTHONSAFEPATH"] = "1"
    try:
        forkserver.ensure_running()
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def default_workers() -> int:
    """One per usable core."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1
