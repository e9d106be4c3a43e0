"""The one error funnel of ingest: every failure is an IngestError that says whose fault it is.

Kinds: FILE (the file is corrupt, encrypted, unsupported, a bomb …: kept as failed until
--retry-failed), SYSTEM (a tool is missing, the disk is full, the machine ran out of time or
memory: shown to the operator and retried on the next run) and CONFIG (a setting makes the file
unreadable: shown to the operator, retried on the next run).
"""
from __future__ import annotations

import errno

FILE, SYSTEM, CONFIG = "file", "system", "config"
KINDS = (FILE, SYSTEM, CONFIG)
_SYSTEM_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.ENOMEM, errno.EMFILE, errno.ENFILE, errno.EROFS}


class IngestError(Exception):
    """A file could not be ingested; `stage` says where (read, unpack, detect, extract, store, index),
    `kind` whose fault it is (FILE, SYSTEM or CONFIG)."""

    def __init__(self, reason: str, stage: str = "extract", kind: str = FILE):
        super().__init__(reason)
        self.reason = reason
        self.stage = stage
        self.kind = kind if kind in KINDS else FILE

    def __str__(self) -> str:
        return f"{self.stage}: {self.reason}"


def system_problem(reason: str, stage: str = "extract") -> IngestError:
    """An IngestError that is the machine's fault, not the file's."""
    return IngestError(reason, stage=stage, kind=SYSTEM)


def from_exception(e: BaseException, stage: str) -> IngestError:
    """Any exception as an IngestError: OS errors of the machine (disk full, out of memory, too many
    open files) are SYSTEM problems; everything else is the file's, with the exception's name."""
    if isinstance(e, IngestError):
        return e
    if isinstance(e, MemoryError):
        return system_problem("memory limit", stage)
    if isinstance(e, OSError) and e.errno in _SYSTEM_ERRNOS:
        return system_problem(f"{e.strerror or e} ({errno.errorcode.get(e.errno, e.errno)})", stage)
    if isinstance(e, RecursionError):
        return IngestError("too deeply nested (recursion limit)", stage)
    return IngestError(f"{type(e).__name__}: {e}{_where(e)}", stage)


def _where(e: BaseException) -> str:
    """ ' (at module.py:123)' of the innermost frame of ours, so that a bug can be found from the reason."""
    tb, where = e.__traceback__, ""
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if any(f"/{package}/" in name for package in _OURS):
            where = f" (at {name.rsplit('/', 1)[-1]}:{tb.tb_lineno})"
        tb = tb.tb_next
    return where


_OURS = ("analyzers", "archive", "ingest", "web")
