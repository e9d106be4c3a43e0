"""Content-addressed store of original files: <root>/ab/cd/<sha256>, written atomically."""
from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

CHUNK = 1 << 20
TEMP_PREFIX = ".incoming-"


def sha256_file(path: Path) -> str:
    """The hex sha256 of a file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(CHUNK), b""):
            h.update(chunk)
    return h.hexdigest()


class BlobStore:
    """Stores each distinct original once, named by its sha256."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)

    def path(self, sha256: str) -> Path:
        """Where the blob with this hash lives (whether or not it exists)."""
        if len(sha256) != 64 or not all(c in "0123456789abcdef" for c in sha256):
            raise ValueError(f"not a sha256: {sha256!r}")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def has(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def put(self, src: Path, sha256: str) -> Path:
        """Copy `src` in, verifying it hashes to `sha256`: temp file, fsync, verify, rename."""
        dest = self.path(sha256)
        if dest.is_file():
            return dest
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=TEMP_PREFIX)
        try:
            h = hashlib.sha256()
            with os.fdopen(fd, "wb") as out, open(src, "rb") as f:
                for chunk in iter(lambda: f.read(CHUNK), b""):
                    h.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            if h.hexdigest() != sha256:
                raise OSError(f"{src} changed while being stored (hash mismatch)")
            os.replace(tmp, dest)
            _fsync_dir(dest.parent)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return dest

    def open(self, sha256: str) -> BinaryIO:
        return open(self.path(sha256), "rb")

    def walk(self) -> Iterator[Path]:
        """Every file under the store (blobs, temp leftovers, strays), in sorted order."""
        for root, dirs, files in os.walk(self.root):
            dirs.sort()
            for name in sorted(files):
                yield Path(root) / name

    def sha_of(self, path: Path) -> str | None:
        """The sha256 a file's place in the store claims (ab/cd/<sha>), or None for anything else."""
        try:
            rel = path.relative_to(self.root).parts
        except ValueError:
            return None
        name = rel[-1]
        if (len(rel) == 3 and len(name) == 64 and all(c in "0123456789abcdef" for c in name)
                and rel[0] == name[:2] and rel[1] == name[2:4]):
            return name
        return None

    def temp_leftovers(self) -> list[Path]:
        """Temp files of writes that never finished (the process was killed mid-copy)."""
        return [p for p in self.walk() if p.name.startswith(TEMP_PREFIX)]

    def clean_temps(self) -> int:
        """Delete unfinished-write temp files; call only while no other writer runs (ingest lock)."""
        leftovers = self.temp_leftovers()
        for p in leftovers:
            p.unlink(missing_ok=True)
        return len(leftovers)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
