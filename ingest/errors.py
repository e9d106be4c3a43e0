"""The single error type for anything that makes one file fail; the pipeline records it."""


class IngestError(Exception):
    """A file could not be ingested; `stage` says where (read, unpack, detect, extract, store, index)."""

    def __init__(self, reason: str, stage: str = "extract"):
        super().__init__(reason)
        self.reason = reason
        self.stage = stage

    def __str__(self) -> str:
        return f"{self.stage}: {self.reason}"
