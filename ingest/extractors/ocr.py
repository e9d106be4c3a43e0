"""OCR of page images with rapidocr (its Chinese models ship inside the wheel; OpenVINO or onnxruntime; no downloads)."""
from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

from archive.settings import Settings

from .base import DEFAULTS

if TYPE_CHECKING:
    from PIL import Image

    from ..ocr_service import Client

log = logging.getLogger(__name__)
# A scanner plate, a stamp or a photo yields a few short labels (A4, 证件); a page of text has lines.
MIN_CHARS = 10         # fewer recognised word characters on a page: noise
MIN_LINE = 5           # no line with at least this many word characters: noise
_WORD = re.compile(r"\w")
_engines: dict[tuple[str, int, bool], object] = {}
# The models rapidocr 3.x ships in its wheel (what its onnxruntime engine loads by default), by rapidocr part.
_MODELS = {"Det": "PP-OCRv6_det_small.onnx", "Cls": "ch_ppocr_mobile_v2.0_cls_mobile.onnx",
           "Rec": "PP-OCRv6_rec_small.onnx"}
# OpenVINO keeps the kernels and buffers of every input shape it met (up to 5,000): each batch of text lines has a
# width of its own, so an engine grew by ~20 MB a page (1.24 GiB after 14 pages, and on) until the archive's widths
# ran out. With the last 16 shapes kept it stays at 1.07 GiB, no slower (bench/ocr_speed.py pages, docs/benchmarks.md).
SHAPE_CACHE = 16
_error: str | None = None
_service: Client | None = None   # an ingest.ocr_service.Client: the run's OCR service reads this process's pages


class OcrUnavailable(Exception):
    """rapidocr (or its inference engine) cannot be loaded here; the reason is the message."""


class ServiceError(Exception):
    """The run's OCR service (ingest.ocr_service) did not read a page: it stopped, or failed on it; the message
    says which."""


def use_service(client: Client | None) -> None:
    """Send this process's pages to the run's OCR service (`client`: ingest.ocr_service.Client); None: read them
    here."""
    global _service
    _service = client


def remote() -> bool:
    """Whether this process's pages go to an OCR service."""
    return _service is not None


def new_engine(settings: Settings = DEFAULTS) -> Any:
    """A rapidocr engine on settings.ocr_engine (openvino or onnxruntime, the wheel's own models either way) with
    settings.ocr_threads threads (0 = all cores) and, on onnxruntime, settings.ocr_mem_arena; OcrUnavailable if it
    cannot be loaded."""
    try:
        from rapidocr import RapidOCR

        params: dict[str, Any] = {"Global.log_level": "error"}
        if settings.ocr_engine == "openvino":
            params.update(_openvino_params(settings.ocr_threads))
        else:
            params["EngineConfig.onnxruntime.enable_cpu_mem_arena"] = settings.ocr_mem_arena
            if settings.ocr_threads > 0:
                params["EngineConfig.onnxruntime.intra_op_num_threads"] = settings.ocr_threads
                params["EngineConfig.onnxruntime.inter_op_num_threads"] = 1
        return RapidOCR(params=params)
    except Exception as e:  # ImportError, a missing model file, the inference engine failing to start ...
        raise OcrUnavailable(f"{type(e).__name__}: {e}") from e


def _openvino_params(threads: int) -> dict[str, Any]:
    """rapidocr parameters that run the ONNX models inside its wheel on OpenVINO (which reads them as they are,
    their character list too; rapidocr would otherwise download OpenVINO's own files)."""
    from pathlib import Path

    import rapidocr
    from rapidocr import EngineType

    _bound_shape_cache()
    params: dict[str, Any] = {}
    for part, model in _MODELS.items():
        path = Path(rapidocr.__file__).parent / "models" / model
        if not path.is_file():
            raise FileNotFoundError(f"rapidocr's model {path} is missing")
        params[f"{part}.engine_type"] = EngineType.OPENVINO
        params[f"{part}.model_path"] = str(path)
    if threads > 0:
        params["EngineConfig.openvino.inference_num_threads"] = threads
    return params


def _bound_shape_cache() -> None:
    """Have rapidocr's OpenVINO sessions compile with at most SHAPE_CACHE shapes cached (its settings cannot say so;
    a Core's properties are its own, so the one rapidocr builds must be told); a rapidocr laid out otherwise runs
    unbounded, with a warning."""
    try:
        from rapidocr.inference_engine.openvino import main

        base = main.CPUConfig
    except (ImportError, AttributeError) as e:
        log.warning("OpenVINO's shape cache left unbounded (OCR memory grows with each new line width): %s", e)
        return
    if getattr(base, "shape_cache", None) == SHAPE_CACHE:
        return

    class Bounded(base):  # type: ignore[misc,valid-type]
        shape_cache = SHAPE_CACHE

        def get_config(self) -> dict[str, Any]:
            return {**super().get_config(), "CPU_RUNTIME_CACHE_CAPACITY": str(SHAPE_CACHE)}

    main.CPUConfig = Bounded


def engine(settings: Settings = DEFAULTS) -> Any:
    """The process's rapidocr engine (new_engine) for settings.ocr_engine, ocr_threads and ocr_mem_arena, loaded
    once per such choice; OcrUnavailable if it cannot be (then at once for later calls)."""
    global _error
    key = (settings.ocr_engine, settings.ocr_threads, settings.ocr_mem_arena)
    if key not in _engines and _error is None:
        try:
            _engines[key] = new_engine(settings)
        except OcrUnavailable as e:
            _error = str(e)
    if _error is not None:
        raise OcrUnavailable(_error)
    return _engines[key]


def scale_for(width: float, height: float, max_side: int = DEFAULTS.ocr_max_side) -> float:
    """Render scale that makes the longer side of a page of this size (in points) `max_side` pixels
    (settings.ocr_max_side; rapidocr scales images over 2000 pixels down anyway)."""
    return min(4.0, max_side / max(width, height, 1.0))


def _lines(boxes: Any, texts: Any) -> list[str]:
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


def recognize(image: Image.Image, settings: Settings = DEFAULTS, timeout: float = 86_400.0) -> str:
    """Text read from a PIL image, a line per text line, '' when it is noise (read()): by the run's OCR service if
    this process has one (TimeoutError after `timeout` s, ServiceError if it stopped or failed), else by
    engine(settings) here; OcrUnavailable if rapidocr cannot run."""
    if _service is not None:
        return _service.recognize(image, timeout)
    return read(engine(settings), image)


def read(loaded: Any, image: Image.Image) -> str:
    """Text read from a PIL image by the rapidocr engine `loaded`, a line per text line; '' when it is noise (see
    MIN_CHARS, MIN_LINE)."""
    import numpy as np

    result = loaded(np.asarray(image.convert("RGB")))
    if result is None or not result.txts:
        return ""
    lines = [line for line in _lines(result.boxes, result.txts) if line]
    words = [len(_WORD.findall(line)) for line in lines]
    return "\n".join(lines) if sum(words) >= MIN_CHARS and max(words, default=0) >= MIN_LINE else ""
