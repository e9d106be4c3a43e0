"""The limits a zip must keep before any member is unpacked (settings zip_*): member count, declared sizes,
compression ratio, encryption. One check for ingest's ZIP bundles and containers (ingest.extractors.zipsafe) and
for the OFD page renderer (archive.ofd_pages). Python's zipfile never unpacks more than a member's declared size,
so checking the declared sizes bounds what any reader of the zip can be made to unpack."""
from __future__ import annotations

import zipfile
from typing import Protocol

RATIO_FLOOR = 1 << 20   # compression ratios only count for members unpacking to more than this


class ZipLimits(Protocol):
    """The zip_* settings (archive.settings.Settings has them)."""

    zip_max_members: int
    zip_max_member_bytes: int
    zip_max_total_bytes: int
    zip_max_ratio: int


def member_problem(info: zipfile.ZipInfo, st: ZipLimits) -> str | None:
    """Why a member must not be unpacked, from its declared sizes and flags (encrypted, a bomb, too large)."""
    if info.flag_bits & 0x1:
        return "encrypted"
    ratio = info.file_size // max(info.compress_size, 1)
    if info.file_size > RATIO_FLOOR and ratio > st.zip_max_ratio:
        return f"zip bomb (declared ratio {ratio}:1 > {st.zip_max_ratio}:1)"
    if info.file_size > st.zip_max_member_bytes:
        return f"too large ({info.file_size} bytes unpacked > limit {st.zip_max_member_bytes})"
    return None


def container_problem(infos: list[zipfile.ZipInfo], kind: str, st: ZipLimits) -> str | None:
    """Why a container of `kind` (OFD, DOCX, …) must not be read: a limit its members break, or encryption."""
    if len(infos) > st.zip_max_members:
        return f"corrupt {kind}: {len(infos)} zip members (limit {st.zip_max_members})"
    total = 0
    for info in infos:
        problem = member_problem(info, st)
        if problem == "encrypted":
            return f"encrypted {kind}"
        if problem:
            return f"{problem}: {kind} member {info.filename}"
        total += info.file_size
    if total > st.zip_max_total_bytes:
        return f"zip bomb: {kind} unpacks to {total} bytes (limit {st.zip_max_total_bytes})"
    return None
