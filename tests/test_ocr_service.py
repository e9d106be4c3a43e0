"""The ingest run's OCR service: real rapidocr in its own process, shared by the workers; a killed service, a page
over the time limit. A few seconds to a minute each (the service loads its models on the first page)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pypdfium2
import pytest
from conftest import require
from test_extract_ocr import SAMPLE, cjk_font

from analyzers.docnumber import parse_doc_number
from archive.settings import Settings
from ingest.extractors import ocr
from ingest.extractors.pdf import PdfExtractor
from ingest.ocr_service import Client, OcrService, ocr_service


def scan_of_sample(out: Path, copies: int = 1) -> Path:
    """An image-only PDF of `copies` pages, each page 1 of the bundled sample rendered at 144 dpi."""
    require(cjk_font(), "no Chinese font for pdfium to render the sample page (apt-get install fonts-wqy-microhei)")
    pdf = pypdfium2.PdfDocument(SAMPLE)
    try:
        page = pdf[0]
        image = page.render(scale=2).to_pil().convert("RGB")
        page.close()
    finally:
        pdf.close()
    image.save(out, "PDF", resolution=144, save_all=True, append_images=[image] * (copies - 1))
    return out


@pytest.fixture
def service():
    """An OCR service with its own socket; this process's pages go to it while the test runs."""
    with OcrService(Settings()) as running:
        client = Client(running.address)
        ocr.use_service(client)
        try:
            yield running
        finally:
            ocr.use_service(None)
            client.close()


def read_sample_number(text: str) -> tuple:
    from ingest.metadata import extract_metadata

    parsed = parse_doc_number(extract_metadata(text, {})["doc_number"])
    return parsed["agency_code"], parsed["year"], parsed["serial"]


def test_page_is_read_by_the_service_process(tmp_path, service):
    """A rendered page goes to the service process, which reads it with real rapidocr (the models are never loaded
    in this process)."""
    before = set(ocr._engines)
    e = PdfExtractor(ocr=True).extract(scan_of_sample(tmp_path / "scan.pdf"))
    assert e.warnings == ["OCR used on 1 pages"]
    assert read_sample_number(e.text) == ("示政办发", 2023, "12")
    assert set(ocr._engines) == before
    assert service.proc.poll() is None and service.deaths == 0


def test_killed_service_fails_its_page_only_and_is_restarted(tmp_path, service, monkeypatch):
    """Regression guard: the service killed (as by the OOM killer) while it reads page 1: that page fails with a
    warning, the file does not hang, and pages 2 and 3 are read by the service started in its place."""
    sent = threading.Event()
    send = Client.recognize

    def recognize(self, image, timeout):
        sent.set()
        return send(self, image, timeout)

    monkeypatch.setattr(Client, "recognize", recognize)
    scan, out = scan_of_sample(tmp_path / "scan.pdf", copies=3), {}
    reader = threading.Thread(target=lambda: out.update(e=PdfExtractor(ocr=True).extract(scan)))
    reader.start()
    first = service.proc
    listening = _sockets(first.pid)
    assert sent.wait(60)
    deadline = time.monotonic() + 60
    while _sockets(first.pid) == listening and time.monotonic() < deadline:
        time.sleep(0.01)   # until the service has accepted the worker: then it loads its models, reads page 1
    os.kill(first.pid, signal.SIGKILL)
    reader.join(300)
    assert not reader.is_alive()
    e = out["e"]
    assert e.warnings == ["no text on pages 1", "OCR used on 3 pages",
                          "page 1: OCR failed (the OCR service stopped while reading the page)"]
    assert e.pages[0] == "" and all(read_sample_number(page) == ("示政办发", 2023, "12") for page in e.pages[1:])
    assert service.deaths == 1 and service.proc is not first and service.proc.poll() is None


def test_page_over_the_time_limit_is_left_unread_on_time(tmp_path, service):
    """The service reads a page for longer than the file's OCR time (1 s; loading the models alone takes more): the
    worker stops waiting when the time is up, the page and those after it are left unread, with a warning."""
    scan = scan_of_sample(tmp_path / "scan.pdf", copies=2)
    started = time.monotonic()
    e = PdfExtractor(ocr=True).extract(scan, Settings(ocr_seconds=1))
    assert time.monotonic() - started < 5
    assert e.pages == ["", ""]
    assert e.warnings == ["no text layer (scanned?)", "OCR time limit (1 s) reached: pages 1, 2 not read"]
    assert service.proc.poll() is None   # and it still serves: the next file is read
    assert read_sample_number(PdfExtractor(ocr=True).extract(scan, Settings(ocr_seconds=600)).pages[0])[0] == "示政办发"


def test_service_is_started_only_when_ocr_is_on(tmp_path):
    for settings in (Settings(ocr=False), Settings(ocr_service=False)):
        with ocr_service(settings) as address:
            assert address == ""
    with ocr_service(Settings()) as address:
        assert Path(address).exists()
    assert not Path(address).parent.exists()


def test_ingest_sends_pages_to_one_service(tmp_path, archive):
    """`gongkai ingest` with two workers: their pages are read by the run's service; nothing is left running."""
    from ingest.pipeline import ingest

    folder = tmp_path / "in"
    folder.mkdir()
    for n in (1, 2):
        scan_of_sample(folder / f"scan{n}.pdf", copies=n)
    summary = ingest(archive, [folder], workers=2)
    assert (summary.ingested, summary.ocr_pages, summary.failed) == (2, 3, [])
    pages = [page for d in archive.catalog.iter_documents() for page in archive.catalog.pages(d["id"])]
    assert [read_sample_number(page) for page in pages] == [("示政办发", 2023, "12")] * 3
    assert not [pid for pid in _children() if b"ingest.ocr_service" in _cmdline(pid)]


def _sockets(pid: int) -> int:
    """Sockets process `pid` holds open."""
    count = 0
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            count += os.readlink(f"/proc/{pid}/fd/{fd}").startswith("socket:")
        except OSError:   # closed meanwhile
            continue
    return count


def _children() -> list[int]:
    """This process's child processes (from /proc)."""
    out = []
    for entry in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{entry}/stat") as f:
                if int(f.read().rsplit(")", 1)[1].split()[1]) == os.getpid():
                    out.append(int(entry))
        except OSError:
            continue
    return out


def _cmdline(pid: int) -> bytes:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read()
    except OSError:
        return b""


def test_service_of_a_killed_run_ends_and_removes_its_socket(tmp_path):
    """Regression guard: an ingest run killed outright (SIGKILL: no close()) left its service's socket folder behind
    in the temporary directory; the service, seeing its stdin end, now exits and removes it."""
    run = subprocess.Popen([sys.executable, "-c", "import sys, time\n"
                            "from archive.settings import Settings\nfrom ingest.ocr_service import OcrService\n"
                            "s = OcrService(Settings())\nprint(s.folder, s.proc.pid, flush=True)\ntime.sleep(600)"],
                           stdout=subprocess.PIPE, text=True, env=dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path)))
    try:
        folder, pid = run.stdout.readline().split()
        assert Path(folder, "ocr.sock").exists()
    finally:
        run.kill()
        run.wait()
    deadline = time.monotonic() + 60
    while Path(folder).exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not Path(folder).exists()
    while _cmdline(int(pid)) and time.monotonic() < deadline:   # the service ended too (gone, or a zombie: no
        time.sleep(0.2)                                           # command line)
    assert not _cmdline(int(pid))
