"""ZIPs opened within limits (settings zip_*: archive.zipcheck) for ZIP bundles (ingest.sources) and the ZIP
containers OFD, DOCX, XLSX, with failures as IngestError."""
from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

from archive.settings import Settings
from archive.zipcheck import container_problem

from ..errors import IngestError

ZIP_MAGIC = b"PK\x03\x04"


def looks_like(head: bytes, *markers: bytes) -> bool:
    """Whether `head` starts a zip whose first local headers name one of `markers` (e.g. b'word/')."""
    return head.startswith(ZIP_MAGIC) and any(m in head for m in markers)


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
    problem = container_problem(infos, kind, st)
    if problem:
        raise IngestError(problem)


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
