"""Advisory file locks between processes (and threads): released by the kernel however the holder dies."""
from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path


class FileLock:
    """An exclusive flock on `path`; `acquire(wait_s)` gives up after `wait_s` seconds (0: try once).

    Each acquisition opens the file anew, so two threads of one process exclude each other too.
    """

    def __init__(self, path: Path):
        self.path = Path(path)
        self.fd: int | None = None

    def acquire(self, wait_s: float = 0.0) -> bool:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        deadline, pause = time.monotonic() + max(0.0, wait_s), 0.005
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                self.fd = fd
                return True
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    return False
                time.sleep(min(pause, max(0.0, deadline - time.monotonic())))
                pause = min(pause * 2, 0.1)

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None

    def held_elsewhere(self) -> bool:
        """Whether someone holds the lock right now (tried without waiting, released at once)."""
        if self.acquire(0):
            self.release()
            return False
        return True

    def __enter__(self) -> FileLock:
        self.acquire(float("inf"))
        return self

    def __exit__(self, *_: object) -> None:
        self.release()
