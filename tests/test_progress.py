"""What a person sees of a run: the live status line, plain progress lines, the failure report."""
import io
import json
import time

from ingest.pipeline import Failure, Summary
from ingest.progress import LineProgress, TerminalProgress, status_line, write_report


def _running(seconds: float = 10.0) -> Summary:
    s = Summary(run_id=7, seen=50, pages=400, total=150)
    s.started = time.monotonic() - seconds
    s.failed = [Failure("/in/a.pdf", "extract", "corrupt PDF: no pages"),
                Failure("/in/b.doc", "extract", "antiword not installed", "system")]
    return s


def test_status_line_has_rates_eta_and_failures():
    line = status_line(_running())
    assert line.startswith("50/150 files · 5.0 files/s · 40 pages/s · ETA 0m20s · 2 failed"), line


def test_terminal_rewrites_one_line_and_scrolls_failures_above_it():
    out = io.StringIO()
    p = TerminalProgress(out)
    s = _running()
    p(s)
    p(s)  # nothing new, too soon: no output
    text = out.getvalue()
    assert text.count("FAILED /in/a.pdf: extract: corrupt PDF: no pages\n") == 1
    assert text.count("PROBLEM (system, will be retried) /in/b.doc: extract: antiword not installed\n") == 1
    assert text.endswith("\r\x1b[K" + status_line(s)) and text.count("files/s") == 1


def test_plain_progress_prints_a_line_per_interval():
    out = io.StringIO()
    p = LineProgress(out, interval=0.0)
    p(_running())
    p(_running())
    assert out.getvalue().count("progress: 50/150 files") == 2


def test_failure_report_is_json_lines(tmp_path):
    path = write_report(tmp_path / "r" / "failures.jsonl", _running())
    rows = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]
    assert rows == [
        {"path": "/in/a.pdf", "stage": "extract", "reason": "corrupt PDF: no pages", "kind": "file", "run": 7},
        {"path": "/in/b.doc", "stage": "extract", "reason": "antiword not installed", "kind": "system", "run": 7}]
