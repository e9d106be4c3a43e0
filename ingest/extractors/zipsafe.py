"""ZIPs opened within limits (settings zip_*): member count, unpacked sizes, compression ratio. One check of
a member's declared sizes serves both ZIP bundles (ingest.sources) and the ZIP containers OFD, DOCX, XLSX."""
from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

from archive.settings import Settings

from ..errors import IngestError

RATIO_FLOOR = 1 << 20   # compression ratios only count for members unpacking to more than this

ZIP_MAGIC = b"PK\x03\x04"


def looks_like(head: bytes, *markers: bytes) -> bool:
    """Whether `head` starts a zip whose first local headers name one of `markers` (e.g. b'word/')."""
    return head.startswith(ZIP_MAGIC) and any(m in head for m in markers)


def member_problem(info: zipfile.ZipInfo, st: Settings) -> str | None:
    """Why a member must not be unpacked, from its declared sizes and flags (encrypted, a bomb, too large)."""
    if info.flag_bits & 0x1:
        return "encrypted"
    ratio = info.file_size // max(info.compress_size, 1)
    if info.file_size > RATIO_FLOOR and ratio > st.zip_max_ratio:
        return f"zip bomb (declared ratio {ratio}:1 > {st.zip_max_ratio}:1)"
    if info.file_size > st.zip_max_member_bytes:
        return f"too large ({info.file_size} bytes unpacked > limit {st.zip_max_member_bytes})"
    return None


def open_zip(path: Path, kind: str, st: Settings) -> zipfile.ZipFile:
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
        check(zf.infolist(), kind, st)
    except BaseException:
        zf.close()
        raise
    return zf


def check(infos: list[zipfile.ZipInfo], kind: str, st: Settings) -> None:
    """Raise IngestError when a container's members break a limit (count, size, total, ratio) or are encrypted."""
    if len(infos) > st.zip_max_members:
        raise IngestError(f"corrupt {kind}: {len(infos)} zip members (limit {st.zip_max_members})")
    total = 0
    for info in infos:
        problem = member_problem(info, st)
        if problem == "encrypted":
            raise IngestError(f"encrypted {kind}")
        if problem:
            raise IngestError(f"{problem}: {kind} member {info.filename}")
        total += info.file_size
    if total > st.zip_max_total_bytes:
        raise IngestError(f"zip bomb: {kind} unpacks to {total} bytes (limit {st.zip_max_total_bytes})")


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
