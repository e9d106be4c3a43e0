"""Extractor base class: says what it handles and turns a file into an Extraction."""
from __future__ import annotations

from pathlib import Path

from archive.settings import Settings

from ..record import Extraction

DEFAULTS = Settings()  # the limits an extractor applies when the caller gives none


class Extractor:
    """A format reader. Subclasses set name/extensions/magic/mimes and implement extract()."""

    name: str = ""
    extensions: tuple[str, ...] = ()   # lower-case, with dot: ".pdf"
    magic: tuple[bytes, ...] = ()      # prefixes of the file's first bytes
    mime: str = "application/octet-stream"

    def match(self, path: Path, head: bytes) -> int:
        """How well this extractor fits the file: 0 no, 1 by extension, 2 by content."""
        if self.magic and any(head.startswith(m) for m in self.magic):
            return 2
        if path.suffix.lower() in self.extensions:
            return 1
        return 0

    def extract(self, path: Path, settings: Settings = DEFAULTS) -> Extraction:
        """Read the file within the limits of `settings`; raise IngestError with a clear reason when it
        cannot be read."""
        raise NotImplementedError
