"""Zip containers (OFD, DOCX, XLSX) opened within limits: member count, unpacked sizes, compression ratio."""
from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

from ..errors import IngestError

MAX_MEMBERS = 20_000
MAX_MEMBER_BYTES = 256 * 1024 * 1024     # one unpacked member
MAX_TOTAL_BYTES = 1024 * 1024 * 1024     # all members unpacked
MAX_RATIO = 500                          # unpacked / packed: XML reaches 100-300 on repetitive sheets, zeros ~1000
_RATIO_FLOOR = 8 * 1024 * 1024           # ... checked for members larger than this

ZIP_MAGIC = b"PK\x03\x04"


def looks_like(head: bytes, *markers: bytes) -> bool:
    """Whether `head` starts a zip whose first local headers name one of `markers` (e.g. b'word/')."""
    return head.startswith(ZIP_MAGIC) and any(m in head for m in markers)


def open_zip(path: Path, kind: str) -> zipfile.ZipFile:
    """The zip at `path` after checking its directory against the limits; IngestError naming `kind` if not.

    Python's zipfile never unpacks more than a member's declared size, so checking the declared sizes
    bounds what any reader of this ZipFile can be made to unpack.
    """
    try:
        zf = zipfile.ZipFile(path)
    except OSError as e:
        raise IngestError(f"cannot read file: {e.strerror or e}", stage="read") from e
    except (zipfile.BadZipFile, ValueError, EOFError) as e:
        raise IngestError(f"corrupt {kind}: not a zip container ({e})") from e
    try:
        check(zf.infolist(), kind)
    except BaseException:
        zf.close()
        raise
    return zf


def check(infos: list[zipfile.ZipInfo], kind: str) -> None:
    """Raise IngestError when the members break a limit (count, size, total, ratio) or are encrypted."""
    if len(infos) > MAX_MEMBERS:
        raise IngestError(f"corrupt {kind}: {len(infos)} zip members (limit {MAX_MEMBERS})")
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise IngestError(f"encrypted {kind}")
        if info.file_size > MAX_MEMBER_BYTES:
            raise IngestError(f"zip bomb: {kind} member {info.filename} unpacks to {info.file_size} bytes "
                              f"(limit {MAX_MEMBER_BYTES})")
        if info.file_size > _RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise IngestError(f"zip bomb: {kind} member {info.filename} compressed "
                              f"{info.file_size // max(info.compress_size, 1)}:1")
        total += info.file_size
    if total > MAX_TOTAL_BYTES:
        raise IngestError(f"zip bomb: {kind} unpacks to {total} bytes (limit {MAX_TOTAL_BYTES})")


def read_member(zf: zipfile.ZipFile, name: str, kind: str) -> bytes:
    """The unpacked bytes of member `name`; IngestError if it is missing or damaged."""
    try:
        return zf.read(name)
    except KeyError as e:
        raise IngestError(f"corrupt {kind}: missing {name}") from e
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, ValueError, EOFError, NotImplementedError) as e:
        raise IngestError(f"corrupt {kind}: cannot unpack {name} ({e})") from e
    except OSError as e:
        raise IngestError(f"cannot read file: {e.strerror or e}", stage="read") from e
