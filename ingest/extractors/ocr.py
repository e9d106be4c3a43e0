"""OCR of page images with rapidocr (its Chinese models ship inside the wheel; onnxruntime; no downloads)."""
from __future__ import annotations

import re

from archive.settings import Settings

from .base import DEFAULTS

# A scanner plate, a stamp or a photo yields a few short labels (A4, 证件); a page of text has lines.
MIN_CHARS = 10         # fewer recognised word characters on a page: noise
MIN_LINE = 5           # no line with at least this many word characters: noise
_WORD = re.compile(r"\w")
_engines: dict[tuple[int, bool], object] = {}
_error: str | None = None


class OcrUnavailable(Exception):
    """rapidocr (or onnxruntime) cannot be loaded here; the reason is the message."""


def engine(settings: Settings = DEFAULTS):
    """The process's rapidocr engine for settings.ocr_threads (onnxruntime threads, 0 = all cores) and
    settings.ocr_mem_arena, loaded once per such pair; OcrUnavailable if it cannot be."""
    global _error
    key = (settings.ocr_threads, settings.ocr_mem_arena)
    if key not in _engines and _error is None:
        try:
            from rapidocr import RapidOCR

            params = {"Global.log_level": "error", "EngineConfig.onnxruntime.enable_cpu_mem_arena": key[1]}
            if key[0] > 0:
                params["EngineConfig.onnxruntime.intra_op_num_threads"] = key[0]
                params["EngineConfig.onnxruntime.inter_op_num_threads"] = 1
            _engines[key] = RapidOCR(params=params)
        except Exception as e:  # ImportError, a missing model file, onnxruntime failing to start ...
            _error = f"{type(e).__name__}: {e}"
    if _error is not None:
        raise OcrUnavailable(_error)
    return _engines[key]


def scale_for(width: float, height: float, max_side: int = DEFAULTS.ocr_max_side) -> float:
    """Render scale that makes the longer side of a page of this size (in points) `max_side` pixels
    (settings.ocr_max_side; rapidocr scales images over 2000 pixels down anyway)."""
    return min(4.0, max_side / max(width, height, 1.0))


def _lines(boxes, texts) -> list[str]:
    """Recognised boxes grouped into lines (by vertical centre), each read left to right."""
    items = []
    for box, text in zip(boxes, texts):
        ys, xs = [p[1] for p in box], [p[0] for p in box]
        items.append(((min(ys) + max(ys)) / 2, max(max(ys) - min(ys), 1.0), min(xs), text.strip()))
    lines: list[list[tuple]] = []
    for item in sorted(items):
        if lines and abs(item[0] - lines[-1][0][0]) <= 0.5 * min(item[1], lines[-1][0][1]):
            lines[-1].append(item)
        else:
            lines.append([item])
    return [" ".join(t for *_, t in sorted(line, key=lambda i: i[2]) if t) for line in lines]


def recognize(image, settings: Settings = DEFAULTS) -> str:
    """Text read from a PIL image by engine(settings), a line per text line; '' when it is noise (see MIN_CHARS,
    MIN_LINE)."""
    import numpy as np

    result = engine(settings)(np.asarray(image.convert("RGB")))
    if result is None or not result.txts:
        return ""
    lines = [line for line in _lines(result.boxes, result.txts) if line]
    words = [len(_WORD.findall(line)) for line in lines]
    return "\n".join(lines) if sum(words) >= MIN_CHARS and max(words, default=0) >= MIN_LINE else ""
