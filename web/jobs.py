"""Ingest runs started from the browser: uploads saved under <data>/uploads, one run at a time in a
background thread of the server, its progress kept in memory for the progress endpoint.

The run itself (every file's outcome) is recorded in the catalog by ingest.pipeline; a job is
only the live view of it. Uploaded files that were archived (or skipped, or merged) are deleted
after the run; failed ones stay so that they can be retried.
"""
from __future__ import annotations

import logging
import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask, current_app

from archive.editing import record_reason

from . import reasons

log = logging.getLogger(__name__)
UPLOADS = "uploads"
MAX_FAILURES_SHOWN = 200       # failures sent with each progress answer
_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]')
_UPLOADED = re.compile(rf"/{UPLOADS}/[0-9a-f]+/\d+/(.+)$")


class JobBusy(RuntimeError):
    """A run started from the web is still going."""


@dataclass
class Job:
    """The live state of one ingest run started from the web."""

    id: str
    actor: str
    disclosure: str
    files: list[str]
    retry: bool = False
    reason: str = ""               # legal reason when the run's disclosure is 不予公开
    state: str = "queued"          # queued | running | finished | error
    run_id: int | None = None
    seen: int = 0
    total: int = 0
    ingested: int = 0
    skipped: int = 0
    merged: int = 0
    held: int = 0                  # documents waiting for a staff member's release (archive.review)
    pages: int = 0
    failed: list = field(default_factory=list)    # ingest.pipeline.Failure
    conflicts: list = field(default_factory=list)  # (path, doc id, disclosure): archived more openly before
    error: str = ""
    started: float = field(default_factory=time.time)
    finished: float | None = None

    def as_json(self) -> dict:
        """What the progress endpoint answers: counts, done fraction, failures with reasons (as stored, and
        `failed_shown` in the interface language)."""
        elapsed = (self.finished or time.time()) - self.started
        total = max(self.total, self.seen)
        return {
            "id": self.id, "state": self.state, "run_id": self.run_id, "disclosure": self.disclosure,
            "seen": self.seen, "total": total, "ingested": self.ingested, "skipped": self.skipped,
            "merged": self.merged, "held": self.held, "pages": self.pages, "failed_count": len(self.failed),
            "failed": [{"path": display_name(f.path), "stage": f.stage, "reason": f.reason, "kind": f.kind}
                       for f in self.failed[:MAX_FAILURES_SHOWN]],
            "failed_shown": [{"stage": reasons.stage(f.stage), "reason": reasons.shown(f.reason)}  # as pages say it
                             for f in self.failed[:MAX_FAILURES_SHOWN]],
            "percent": 100 if self.state == "finished" else (round(100 * self.seen / total) if total else 0),
            "elapsed_s": round(elapsed, 1), "error": self.error,
            "conflicts": [{"path": display_name(p), "doc_id": d, "disclosure": disc, "title": t}
                          for p, d, disc, t in self.conflicts],
            "done": self.state in ("finished", "error"),
        }


class Jobs:
    """The web's ingest runs of one app: start one in a thread, read its state."""

    def __init__(self, archive):
        self.archive = archive
        self.lock = threading.Lock()
        self.jobs: dict[str, Job] = {}
        self.root = archive.settings.data_dir / UPLOADS

    def get(self, job_id: str) -> Job | None:
        with self.lock:
            return self.jobs.get(job_id)

    def recent(self) -> list[Job]:
        with self.lock:
            return sorted(self.jobs.values(), key=lambda j: j.started, reverse=True)

    def running(self) -> Job | None:
        with self.lock:
            return next((j for j in self.jobs.values() if j.state in ("queued", "running")), None)

    @staticmethod
    def new_id() -> str:
        return secrets.token_hex(6)

    def new_upload_dir(self) -> tuple[str, Path]:
        """A fresh job id and the folder its uploaded files go into."""
        job_id = self.new_id()
        folder = self.root / job_id
        folder.mkdir(parents=True)
        return job_id, folder

    def start(self, job_id: str, paths: list[Path], disclosure: str, actor: str, retry: bool = False,
              reason: str = "", audit_detail: dict | None = None) -> Job:
        """Run `paths` through the ingest pipeline in a background thread; JobBusy if one runs."""
        job = Job(job_id, actor, disclosure, [str(p) for p in paths], retry=retry, reason=reason)
        with self.lock:
            if any(j.state in ("queued", "running") for j in self.jobs.values()):
                raise JobBusy("another ingest started from the web is still running")
            self.jobs[job_id] = job
            kept = self.archive.settings.jobs_kept  # in memory; the catalog keeps every run
            for old in sorted(self.jobs.values(), key=lambda j: j.started)[:-kept]:
                if old.state in ("finished", "error"):
                    del self.jobs[old.id]
        _ = self.archive.indexes  # open the indexes here, not concurrently from two threads
        thread = threading.Thread(target=self._run, args=(job, paths, audit_detail or {}),
                                  name=f"ingest-{job_id}", daemon=True)
        thread.start()
        return job

    def _run(self, job: Job, paths: list[Path], audit_detail: dict) -> None:
        from ingest.pipeline import IngestBusy, ingest

        audited = False

        def progress(s) -> None:
            nonlocal audited
            with self.lock:
                job.state, job.run_id, job.seen, job.total = "running", s.run_id, s.seen, s.total
                job.ingested, job.skipped, job.merged, job.pages = s.ingested, s.skipped, s.merged, s.pages
                job.held = s.held
                job.failed = list(s.failed)
            if len(s.conflicts) > len(job.conflicts):
                titles = self.archive.catalog.documents([d for _, d, _ in s.conflicts])
                with self.lock:
                    job.conflicts = [(p, d, disc, titles.get(d, {}).get("title", d)) for p, d, disc in s.conflicts]
            if not audited and s.run_id:
                audited = True
                self._audit(job, audit_detail)

        job.state = "running"
        try:
            summary = ingest(self.archive, paths, disclosure=job.disclosure, progress=progress,
                             retry_failed=job.retry, actor=job.actor)
            progress(summary)
            if job.reason:
                ingested = self.archive.catalog.run_files(summary.run_id, "ingested")
                record_reason(self.archive, [f["doc_id"] for f in ingested], job.reason)
            self._clean(job, paths)  # after an error nothing is deleted: the files may not be archived
            with self.lock:
                job.state, job.finished = "finished", time.time()
        except Exception as e:  # IngestBusy (a CLI run holds the data dir) or anything unexpected
            if isinstance(e, IngestBusy):
                log.warning("web ingest %s not started: %s", job.id, e)
            else:
                log.exception("web ingest %s failed", job.id)
            with self.lock:
                job.state, job.error = "error", f"{type(e).__name__}: {e}"
            if not audited:
                self._audit(job, {**audit_detail, "error": job.error})
        finally:
            job.finished = job.finished or time.time()

    def _audit(self, job: Job, detail: dict) -> None:
        extra = {"reason": job.reason} if job.reason else {}
        self.archive.audit.record(job.actor, "ingest", run=job.run_id, job=job.id, disclosure=job.disclosure,
                                  files=[Path(f).name for f in job.files][:100], retry=job.retry, **extra, **detail)

    def _clean(self, job: Job, paths: list[Path]) -> None:
        """Delete uploaded files that nothing failed in (they are archived); keep failed ones."""
        failed = {f.path for f in job.failed}
        for path in paths:
            path = Path(path)
            if not _inside(path, self.root) or not path.is_file():
                continue
            if str(path) not in failed and not any(f.startswith(f"{path}!/") for f in failed):
                path.unlink(missing_ok=True)
        for folder in sorted({p.parent for p in map(Path, paths) if _inside(Path(p), self.root)}, reverse=True):
            while _inside(folder, self.root) and folder != self.root and not any(folder.iterdir()):
                folder.rmdir()
                folder = folder.parent


def retry_paths(failed: list[str]) -> list[Path]:
    """The files to read again for these failed paths: the file itself, or the ZIP it came in."""
    out: dict[str, Path] = {}
    for display in failed:
        path = Path(display.split("!/", 1)[0])
        if path.is_file():
            out[str(path)] = path
    return list(out.values())


def display_name(path: str) -> str:
    """A run's input as staff know it: an uploaded file's own name (with any ZIP member), else the path."""
    m = _UPLOADED.search(path or "")
    return m[1] if m else path


def safe_filename(name: str, fallback: str = "upload") -> str:
    """An uploaded file's own name (Chinese kept) without directories or characters a path forbids."""
    base = re.split(r"[/\\]", name or "")[-1]
    base = _UNSAFE.sub("_", base).strip().lstrip(".")[:200]
    return base or fallback


def _inside(path: Path, root: Path) -> bool:
    try:
        Path(path).resolve().relative_to(Path(root).resolve())
        return True
    except ValueError:
        return False


def jobs() -> Jobs:
    return current_app.extensions["gongkai.jobs"]


def init_app(app: Flask) -> None:
    app.extensions["gongkai.jobs"] = Jobs(app.extensions["gongkai"])
