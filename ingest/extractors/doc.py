"""Legacy Word 97-2003 (.doc) and WPS (.wps, Word-compatible) documents, read by antiword (Debian package)."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from archive.settings import Settings

from ..errors import IngestError, system_problem
from ..record import Extraction
from .base import DEFAULTS, Extractor

TOOL = "antiword"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_WORD_STREAM = "WordDocument".encode("utf-16-le")
_WORD_EXTENSIONS = (".doc", ".dot", ".wps", ".wpt")
_PICTURE = re.compile(r"^\s*\[pic\]\s*$", re.M)
_BLANK_LINES = re.compile(r"\n{3,}")


def _run(path: Path, timeout_s: float, max_output: int) -> str:
    """antiword's UTF-8 text of `path` (whole paragraphs per line); IngestError when it fails or is missing."""
    exe = shutil.which(TOOL)
    if exe is None:
        raise system_problem(f"{TOOL} not installed: .doc and .wps files need it (apt-get install {TOOL})")
    env = {**os.environ, "LC_ALL": "C.UTF-8", "HOME": os.environ.get("HOME") or "/tmp"}
    try:
        done = subprocess.run([exe, "-m", "UTF-8.txt", "-w", "0", str(path)], capture_output=True,
                              timeout=timeout_s, env=env, stdin=subprocess.DEVNULL, check=False)
    except subprocess.TimeoutExpired as e:
        raise IngestError(f"{TOOL} timed out after {timeout_s:g} s") from e
    except OSError as e:
        raise IngestError(f"{TOOL} could not run: {e.strerror or e}") from e
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        reason = message[-1] if message else f"exit status {done.returncode}"
        reason = reason.replace(str(path), "file").strip()
        if "not a Word Document" in reason:
            raise IngestError(f"not a Word 97-2003 document ({TOOL}: {reason})")
        raise IngestError(f"{TOOL} failed: {reason}")
    if len(done.stdout) > max_output:
        raise IngestError(f"{TOOL} output larger than {max_output} bytes")
    return done.stdout.decode("utf-8", "replace")


class LegacyWordExtractor(Extractor):
    """Word 97-2003 binary documents and Word-compatible WPS files; one page (antiword does not paginate)."""

    name = "doc"
    extensions = _WORD_EXTENSIONS
    magic = (OLE_MAGIC,)
    mime = "application/msword"

    def match(self, path: Path, head: bytes) -> int:
        if head.startswith(OLE_MAGIC) and (path.suffix.lower() in self.extensions + (".docx",)
                                            or _WORD_STREAM in head):
            return 2   # other OLE files (.xls, .ppt, .msg) are not claimed
        return 1 if path.suffix.lower() in self.extensions else 0

    def extract(self, path: Path, settings: Settings = DEFAULTS) -> Extraction:
        if not path.is_file():
            raise IngestError("no such file", stage="read")
        text = _run(path, settings.antiword_timeout_s, settings.max_text_bytes).replace("\r\n", "\n").replace("\r", "\n")
        text = _BLANK_LINES.sub("\n\n", _PICTURE.sub("", text)).strip("\n")
        lines = [line.rstrip() for line in text.split("\n")]
        text = "\n".join(lines)
        warnings = [] if text.strip() else ["no text"]
        if "\ufffd" in text:
            warnings.append("undecodable characters in antiword output")
        return Extraction(mime=self.mime, pages=[text], warnings=warnings)
