"""Inputs of an ingest run: files under folders, and the members of ZIP bundles, unpacked safely.

A ZIP member is never written where its name points: it is streamed into a temp file with a
generated name inside the data directory, within size and ratio limits, and hashed on the way.
"""
from __future__ import annotations

import hashlib
import os
import re
import stat
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from archive.settings import Settings
from archive.zipcheck import RATIO_FLOOR, member_problem

from .errors import IngestError

CHUNK = 1 << 20
_UTF8_FLAG = 0x800
_SAFE_SUFFIX = re.compile(r"^\.[A-Za-z0-9]{1,10}$")


@dataclass
class Item:
    """One input: a file on disk or a ZIP member (unpacked to a temp file, already hashed)."""

    display: str                   # as reported: the path given, or '<bundle>!/<member name>'
    source: str                    # provenance kept in the catalog: resolved path or '<bundle>!/<member>'
    filename: str                  # the file's own name (member base name for ZIP members)
    path: Path | None = None       # where to read the bytes
    sha256: str = ""               # known already for members
    size: int = 0
    temp: bool = False             # `path` is a temp copy, deleted when the item is done
    error: IngestError | None = None   # failed before extraction (zip bomb, symlink, ...)
    warnings: list[str] = field(default_factory=list)
    nested: bool = False           # a ZIP member that is itself a ZIP

    def discard(self) -> None:
        """Delete the temp copy, if any."""
        if self.temp and self.path is not None:
            self.path.unlink(missing_ok=True)


def iter_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Files under `paths` (folders recursively, sorted); missing paths are yielded to fail."""
    for p in map(Path, paths):
        if p.is_dir():
            for root, dirs, files in os.walk(p):
                dirs.sort()
                for name in sorted(files):
                    yield Path(root) / name
        else:
            yield p


def count_files(paths: Iterable[Path]) -> int:
    """How many files iter_files will yield (for the ETA); bundles count as one."""
    return sum(1 for _ in iter_files(paths))


def is_bundle(name: str) -> bool:
    """ZIP bundles are recognised by name: .docx, .xlsx and .ofd are ZIPs too, but documents."""
    return name.lower().endswith(".zip")


def member_name(info: zipfile.ZipInfo) -> str:
    """The member's real name: UTF-8 when flagged, else the raw bytes as UTF-8 or GB18030 (not cp437)."""
    if info.flag_bits & _UTF8_FLAG:
        return info.filename
    try:
        raw = info.filename.encode("cp437")
    except UnicodeEncodeError:
        return info.filename
    for codec in ("utf-8", "gb18030"):
        try:
            return raw.decode(codec)
        except UnicodeDecodeError:
            continue
    return info.filename


def _unsafe(name: str) -> bool:
    parts = name.replace("\\", "/").split("/")
    return name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name) is not None or ".." in parts


def _check(info: zipfile.ZipInfo, st: Settings) -> None:
    """Refuse symlinks, encrypted members and declared bombs before reading a byte."""
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        raise IngestError("symlink in zip (not followed)", stage="unpack")
    problem = member_problem(info, st)
    if problem:
        raise IngestError("encrypted zip member" if problem == "encrypted" else problem, stage="unpack")


def _unpack(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, tmp_dir: Path, st: Settings,
            spent: list[int]) -> tuple[Path, str, int]:
    """Stream one member into a temp file, enforcing the real (not declared) sizes; (path, sha256, size).

    `spent[0]` counts the bytes unpacked from the bundle so far, failed members included.
    """
    budget = st.zip_max_total_bytes - spent[0]
    suffix = PurePosixPath(name.replace("\\", "/")).suffix
    fd, tmp = tempfile.mkstemp(dir=tmp_dir, prefix="member-",
                               suffix=suffix if _SAFE_SUFFIX.match(suffix) else "")
    h, n = hashlib.sha256(), 0
    try:
        with os.fdopen(fd, "wb") as out, zf.open(info) as src:
            while chunk := src.read(CHUNK):
                n += len(chunk)
                if n > st.zip_max_member_bytes:
                    raise IngestError(f"too large (unpacks to more than {st.zip_max_member_bytes} bytes)",
                                      stage="unpack")
                if n > budget:
                    raise IngestError(f"zip bomb (bundle unpacks to more than {st.zip_max_total_bytes}"
                                      " bytes)", stage="unpack")
                if n > RATIO_FLOOR and n > st.zip_max_ratio * max(info.compress_size, 1):
                    raise IngestError(f"zip bomb (ratio > {st.zip_max_ratio}:1)", stage="unpack")
                h.update(chunk)
                out.write(chunk)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    finally:
        spent[0] += n
    return Path(tmp), h.hexdigest(), n


def open_zip(path: Path) -> zipfile.ZipFile:
    """The ZIP at `path`; IngestError(stage='unpack') if it is not a readable ZIP."""
    try:
        return zipfile.ZipFile(path)
    except Exception as e:  # BadZipFile, OSError, struct errors ... on hostile or truncated ZIPs
        raise IngestError(f"corrupt zip: {e}", stage="unpack") from e


def members(zf: zipfile.ZipFile, display: str, source: str, st: Settings, tmp_dir: Path) -> Iterator[Item]:
    """Each file member of an open ZIP as an Item: unpacked to a temp file, or with its error."""
    spent, count = [0], 0
    for info in zf.infolist():
        if info.is_dir():
            continue
        name = member_name(info)
        base = PurePosixPath(name.replace("\\", "/")).name or "unnamed"
        item = Item(display=f"{display}!/{name}", source=f"{source}!/{name}", filename=base)
        item.nested = is_bundle(base)
        if _unsafe(name):
            item.warnings.append(f"unsafe member path in zip: {name!r} (never extracted to that path)")
        count += 1
        try:
            if count > st.zip_max_members:
                raise IngestError(f"too many members in zip (limit {st.zip_max_members})", stage="unpack")
            if spent[0] >= st.zip_max_total_bytes:
                raise IngestError(f"zip bomb (bundle unpacks to more than {st.zip_max_total_bytes}"
                                  " bytes)", stage="unpack")
            _check(info, st)
            item.path, item.sha256, item.size = _unpack(zf, info, name, tmp_dir, st, spent)
            item.temp = True
        except IngestError as e:
            item.error = e
        except Exception as e:  # CRC errors, unsupported compression, truncated data ...
            item.error = IngestError(f"corrupt zip member: {type(e).__name__}: {e}", stage="unpack")
        yield item
