"""One OCR process per ingest run, shared by the extraction workers: the models and their working memory once per
machine, both cores serving whichever worker has a page to read.

The parent (ingest.pipeline) holds a Unix socket and runs the service (`python -m ingest.ocr_service`) on it, with
settings.ocr_service_threads engines reading pages at once and an address-space cap of
settings.ocr_service_memory_bytes; when the service dies (killed, out of memory) the parent starts another on the
same socket, so workers reconnect and the batch goes on. A worker's Client sends a rendered page (raw pixels) and
waits for its text at most the file's OCR time left; a page that was in flight when the service died fails alone,
with a warning.
"""
from __future__ import annotations

import contextlib
import ctypes
import json
import logging
import os
import queue
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING

from archive.settings import Settings

from .extractors.ocr import OcrUnavailable, ServiceError

if TYPE_CHECKING:
    from PIL import Image

log = logging.getLogger(__name__)
RESTARTS = 20          # deaths after which the service stays down (its socket closed: workers give up at once)
_RESTART_PAUSE_S = 0.5


def engine_threads(settings: Settings) -> int:
    """Threads of each of the service's engines: settings.ocr_threads, else the cores shared out."""
    if settings.ocr_threads > 0:
        return settings.ocr_threads
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 1
    return max(1, cores // service_engines(settings))


def service_engines(settings: Settings) -> int:
    """Pages the service reads at once: settings.ocr_service_threads, 0 = one per core."""
    if settings.ocr_service_threads > 0:
        return settings.ocr_service_threads
    return max(1, os.cpu_count() or 1)


@contextlib.contextmanager
def ocr_service(settings: Settings) -> Iterator[str]:
    """An OcrService for an ingest run, yielding its socket's path: '' (none) when settings.ocr or
    settings.ocr_service is off."""
    if not (settings.ocr and settings.ocr_service):
        yield ""
        return
    with OcrService(settings) as service:
        yield service.address


class OcrService:
    """Parent side: the socket, the service process, and a thread that starts a new one when it dies."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.folder = tempfile.mkdtemp(prefix="gongkai-ocr-")   # short: a socket path has at most 107 bytes
        self.address = os.path.join(self.folder, "ocr.sock")
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(self.address)
        self.listener.listen(64)
        self.deaths = 0
        self.proc: subprocess.Popen | None = None
        self._closing = threading.Event()
        self._lock = threading.Lock()
        self._start()
        self._watch = threading.Thread(target=self._watcher, name="gongkai-ocr-watch", daemon=True)
        self._watch.start()

    def __enter__(self) -> OcrService:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _start(self) -> None:
        options = {"threads": engine_threads(self.settings), "engines": service_engines(self.settings),
                   "arena": self.settings.ocr_mem_arena, "engine": self.settings.ocr_engine,
                   "memory": self.settings.ocr_service_memory_bytes, "fd": self.listener.fileno()}
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p), PYTHONSAFEPATH="1",
                   MALLOC_ARENA_MAX=os.environ.get("MALLOC_ARENA_MAX", "2"))   # glibc: not an arena per thread
        self.proc = subprocess.Popen([sys.executable, "-m", "ingest.ocr_service", json.dumps(options)],
                                     stdin=subprocess.PIPE, pass_fds=[self.listener.fileno()], env=env,
                                     start_new_session=True)   # Ctrl-C is the parent's to handle

    def _watcher(self) -> None:
        """Start a new service whenever the running one dies, until close() or RESTARTS deaths."""
        while not self._closing.is_set():
            proc = self.proc
            assert proc is not None
            code = proc.wait()
            with self._lock:
                if self._closing.is_set():
                    return
                self.deaths += 1
                log.warning("the OCR service died (status %s); %s", code,
                            "starting another" if self.deaths < RESTARTS else "OCR stays off for this run")
                if self.deaths >= RESTARTS:
                    self.listener.close()
                    return
                time.sleep(_RESTART_PAUSE_S)
                self._start()

    def close(self) -> None:
        """Stop the service (it is killed if it does not end within 5 s) and remove its socket."""
        with self._lock:
            self._closing.set()
        proc = self.proc
        if proc is not None and proc.poll() is None:
            try:
                proc.stdin.close() if proc.stdin else None   # the service ends on EOF
                proc.wait(5)
            except (OSError, subprocess.TimeoutExpired):
                proc.kill()
                proc.wait()
        self.listener.close()
        shutil.rmtree(self.folder, ignore_errors=True)


class Client:
    """Worker side: one connection to the service, opened when needed and again after the service died."""

    def __init__(self, address: str):
        self.address = address
        self.conn: Connection | None = None
        self.seq = 0

    def _connect(self) -> Connection:
        if self.conn is None:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                sock.connect(self.address)
            except OSError as e:
                sock.close()
                raise ServiceError(f"OCR service unreachable ({e.strerror or e})") from e
            self.conn = Connection(sock.detach())
        return self.conn

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def recognize(self, image: Image.Image, timeout: float) -> str:
        """Text of a PIL image (ingest.extractors.ocr.recognize); TimeoutError after `timeout` seconds (the
        connection is dropped, so the service skips the page if it has not begun), ServiceError if it died,
        OcrUnavailable if it cannot load rapidocr."""
        conn = self._connect()
        self.seq += 1
        try:
            conn.send_bytes(json.dumps([self.seq, image.mode, *image.size]).encode())
            conn.send_bytes(image.tobytes())
            deadline = time.monotonic() + timeout
            while True:
                if not conn.poll(max(0.0, deadline - time.monotonic())):
                    self.close()
                    raise TimeoutError(f"no OCR text within {timeout:.0f} s")
                seq, status, text = json.loads(conn.recv_bytes())
                if seq == self.seq:
                    break
        except (EOFError, OSError) as e:   # (TimeoutError is an OSError: raised as such)
            self.close()
            if isinstance(e, TimeoutError):
                raise
            raise ServiceError("the OCR service stopped while reading the page") from e
        if status == "unavailable":
            raise OcrUnavailable(text)
        if status != "ok":
            raise ServiceError(text)
        return text


# -- the service process ------------------------------------------------------------------------------------------

def _serve(options: dict) -> None:
    """Accept worker connections on the inherited socket; `engines` threads read their pages; exit on stdin EOF."""
    if options["memory"] > 0:
        resource.setrlimit(resource.RLIMIT_AS, (options["memory"], options["memory"]))
    listener = socket.socket(fileno=options["fd"])
    pages: queue.Queue = queue.Queue()
    threading.Thread(target=_until_parent_ends, args=(os.path.dirname(listener.getsockname()),), daemon=True).start()
    for _ in range(options["engines"]):
        threading.Thread(target=_reader, args=(pages, options), daemon=True).start()
    while True:
        sock, _ = listener.accept()
        threading.Thread(target=_receive, args=(Connection(sock.detach()), pages), daemon=True).start()


def _until_parent_ends(folder: str) -> None:
    """Exit when stdin ends (the parent closed it or died), removing the socket's folder: a parent killed outright
    cannot."""
    sys.stdin.buffer.read()
    shutil.rmtree(folder, ignore_errors=True)
    os._exit(0)


class _Peer:
    """One worker's connection: requests are read by one thread, answers sent by the engine threads."""

    def __init__(self, conn: Connection):
        self.conn, self.lock, self.gone = conn, threading.Lock(), False

    def answer(self, seq: int, status: str, text: str) -> None:
        with self.lock:
            if not self.gone:
                try:
                    self.conn.send_bytes(json.dumps([seq, status, text], ensure_ascii=False).encode())
                except OSError:
                    self.gone = True


def _receive(conn: Connection, pages: queue.Queue) -> None:
    peer = _Peer(conn)
    try:
        while True:
            seq, mode, width, height = json.loads(conn.recv_bytes())
            pages.put((peer, seq, mode, (width, height), conn.recv_bytes()))
    except (EOFError, OSError, ValueError):
        peer.gone = True   # the worker gave up (time limit) or ended: its queued pages are skipped
        conn.close()


def _reader(pages: queue.Queue, options: dict) -> None:
    """An engine thread: read queued pages of connected workers, with an engine loaded for the first of them."""
    from PIL import Image

    from .extractors import ocr

    settings = Settings(ocr_threads=options["threads"], ocr_mem_arena=options["arena"], ocr_engine=options["engine"])
    engine, unavailable = None, ""
    while True:
        peer, seq, mode, size, data = pages.get()
        if peer.gone:
            continue
        if engine is None and not unavailable:
            try:
                engine = ocr.new_engine(settings)
            except ocr.OcrUnavailable as e:
                unavailable = str(e)
        if unavailable:
            peer.answer(seq, "unavailable", unavailable)
            continue
        try:
            peer.answer(seq, "ok", ocr.read(engine, Image.frombytes(mode, size, data)))
        except Exception as e:  # MemoryError (the address-space cap), the inference engine failing: this page only
            log.warning("OCR of a page failed", exc_info=True)
            peer.answer(seq, "error", f"OCR service: {type(e).__name__}")
        del data
        _trim()


def _trim() -> None:
    """Give the freed working memory of a page back to the system (glibc keeps it otherwise)."""
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING, format="gongkai ocr service: %(message)s")
    _serve(json.loads(sys.argv[1]))
