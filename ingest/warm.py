"""Imported once by the worker fork server: loads extractors and the jieba dictionary, so workers start warm."""
from analyzers.segment import words
from archive.index.base import IndexDoc  # noqa: F401  (imported for the workers)

from . import extractors, metadata  # noqa: F401  (imported for the workers)

words("预热")
