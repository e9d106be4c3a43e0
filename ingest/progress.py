"""What a person sees of a run: a live status line on a terminal, plain lines in a log, a failure report."""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import TextIO


def rates(s) -> dict:
    """files/s, pages/s, done, ETA seconds (None while unknown) of a running Summary."""
    elapsed = max(time.monotonic() - s.started, 1e-6)
    done = s.seen
    files_s = done / elapsed
    left = max(s.total - done, 0)
    eta = left / files_s if files_s > 0 and done else None
    return {"elapsed": elapsed, "done": done, "files_s": files_s, "pages_s": s.pages / elapsed, "eta": eta}


def _clock(seconds: float | None) -> str:
    if seconds is None:
        return "?"
    seconds = int(seconds)
    h, rest = divmod(seconds, 3600)
    return f"{h}h{rest // 60:02d}m" if h else f"{rest // 60}m{rest % 60:02d}s"


def status_line(s) -> str:
    """One line: done/total, files/s, pages/s, ETA, failures so far."""
    r = rates(s)
    ocr = f" ({s.ocr_pages} by OCR)" if s.ocr_pages else ""
    return (f"{r['done']}/{max(s.total, r['done'])} files · {r['files_s']:.1f} files/s · "
            f"{r['pages_s']:.0f} pages/s{ocr} · ETA {_clock(r['eta'])} · {len(s.failed)} failed")


class TerminalProgress:
    """A status line rewritten in place (at most `hz` times a second); failures scroll above it."""

    def __init__(self, out: TextIO = sys.stderr, hz: float = 4.0):
        self.out, self.interval, self.last, self.failed = out, 1.0 / hz, 0.0, 0

    def __call__(self, s) -> None:
        scrolled = len(s.failed) > self.failed
        for f in s.failed[self.failed:]:
            self.out.write(f"\r\x1b[K{failure_line(f)}\n")
        self.failed = len(s.failed)
        now = time.monotonic()
        if scrolled or now - self.last >= self.interval:
            self.last = now
            self.out.write("\r\x1b[K" + status_line(s))
            self.out.flush()

    def close(self) -> None:
        self.out.write("\r\x1b[K")
        self.out.flush()


class LineProgress:
    """A plain status line every `interval` seconds, for logs and pipes."""

    def __init__(self, out: TextIO = sys.stderr, interval: float = 10.0):
        self.out, self.interval = out, interval
        self.last = time.monotonic()

    def __call__(self, s) -> None:
        now = time.monotonic()
        if now - self.last >= self.interval:
            self.last = now
            self.out.write("progress: " + status_line(s) + "\n")
            self.out.flush()

    def close(self) -> None:
        pass


def failure_line(f) -> str:
    """One failure as the operator reads it: FAILED for the file's fault, PROBLEM for the machine's."""
    if f.kind == "file":
        return f"FAILED {f.path}: {f.stage}: {f.reason}"
    return f"PROBLEM ({f.kind}, will be retried) {f.path}: {f.stage}: {f.reason}"


def write_report(path: Path, s) -> Path:
    """Every failure of the run as JSON lines {path, stage, reason, kind, run}; written atomically."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        for x in s.failed:
            f.write(json.dumps({"path": x.path, "stage": x.stage, "reason": x.reason, "kind": x.kind,
                                "run": s.run_id}, ensure_ascii=False) + "\n")
    tmp.replace(path)
    return path
