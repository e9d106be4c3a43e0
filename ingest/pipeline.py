"""Ingest runs: walk inputs, extract each file alone in a worker, archive it, index it, record every outcome.

One parent process is the only writer: it hashes, decides (skip, retry, merge), stores blobs,
writes the catalog and calls the index; workers only extract. A run holds the data directory's
ingest lock, so a killed run (even kill -9) leaves nothing another run could trip on: the next
run marks it interrupted, deletes unfinished temp files, indexes documents still 'pending',
and skips every file already archived (by sha256).
"""
from __future__ import annotations

import logging
import re
import shutil
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from analyzers.fields import LABELS
from archive import Applied, Archive
from archive.blobs import sha256_file
from archive.catalog import document_id
from archive.review import HOLD, held, scan
from archive.settings import Settings

from .dedup import conflicts
from .errors import FILE, SYSTEM, IngestError, from_exception
from .extractors import choose
from .extractors.base import DEFAULTS
from .metadata import read_metadata
from .ocr_service import ocr_service
from .progress import write_report
from .record import ExtractedDocument
from .sources import Item, count_files, is_bundle, iter_files, members, open_zip
from .worker import Done, Pool, Task, default_workers

log = logging.getLogger(__name__)
HEAD_BYTES = 8192
_OPENNESS = {"主动公开": 2, "依申请公开": 1, "不予公开": 0}
_RESOURCE = re.compile(r"^(?:timeout|memory limit|worker killed)")
_OCR_USED = re.compile(r"OCR used on (\d+) pages")
TICK_S = 1.0

__all__ = ["Failure", "Summary", "extract", "ingest", "iter_files", "IngestBusy"]


class IngestBusy(Exception):
    """Another ingest run holds this data directory."""


class Failure(NamedTuple):
    """One file that was not ingested: where it failed, why, and whose fault (ingest.errors kinds)."""

    path: str
    stage: str
    reason: str
    kind: str = FILE


@dataclass
class Summary:
    """The outcome of one run: counts, and every failure with its stage and reason."""

    run_id: int
    seen: int = 0
    ingested: int = 0
    skipped: int = 0
    failed: list[Failure] = field(default_factory=list)   # every file not ingested, the file's fault or not
    not_indexed: int = 0
    index_error: str = ""
    seconds: float = 0.0
    merged: int = 0                # same text as an archived document: added as another original
    failed_before: int = 0         # failed in an earlier run and not retried (see retry_failed)
    bundles: int = 0               # ZIP files opened (their members are counted as files)
    pages: int = 0                 # pages extracted in this run
    ocr_pages: int = 0             # of which read by OCR
    total: int = 0                 # files expected (for the ETA; grows as bundles are opened)
    caught_up: int = 0             # documents of an interrupted run indexed at the start
    interrupted_runs: list[int] = field(default_factory=list)
    temps_removed: int = 0
    report: str = ""               # path of the machine-readable failure report ('' when none failed)
    flagged: list[tuple[str, str, str]] = field(default_factory=list)  # (path, doc id, why): kept, but low
    # quality or kept apart from a document of the same text (the staff attention list shows them)
    conflicts: list[tuple[str, str, str]] = field(default_factory=list)  # (path, doc id, its disclosure):
    # the same file or text is archived as a document more open than this run's disclosure
    held: int = 0                       # documents stored out of public sight until a staff member releases them
    started: float = field(default_factory=time.monotonic)

    @property
    def problems(self) -> list[Failure]:
        """Failures that are the machine's or the configuration's fault (retried on the next run)."""
        return [f for f in self.failed if f.kind != FILE]


def extract(path: Path, sha256: str, size: int, source: str, filename: str | None = None,
            settings: Settings = DEFAULTS) -> ExtractedDocument:
    """Read one file into the pipeline's record, within the limits of `settings`; raises IngestError."""
    filename = filename or path.name
    with open(path, "rb") as f:
        head = f.read(HEAD_BYTES)
    extractor = choose(Path(filename), head)
    extraction = extractor.extract(path, settings)
    found = read_metadata(extraction.text, extraction.metadata, known_sources=extraction.sources, filename=filename)
    extraction.metadata, extraction.sources = found.values, found.sources
    if not extraction.text.strip():  # kept all the same, found by its title and metadata: staff should look
        extraction.warnings.append("low quality: no text (found by its title and metadata only)")
    return ExtractedDocument(sha256=sha256, size=size, filename=filename, source=source,
                             extractor=extractor.name, extraction=extraction)


def ingest(archive: Archive, paths: Iterable[Path], *, disclosure: str = "主动公开",
           on_file: Callable[[str, str, str], None] | None = None, workers: int | None = None,
           retry_failed: bool = False, report: Path | None = None,
           progress: Callable[[Summary], None] | None = None, review: bool | None = None,
           actor: str = "") -> Summary:
    """Ingest every file under `paths` (ZIP bundles unpacked); one bad file never stops the run.

    `on_file(path, status, reason)` is called after each file, `progress(summary)` after each
    file and about once a second. Files that failed in an earlier run fail again with their
    recorded reason unless `retry_failed`. Raises IngestBusy if another run holds the data dir.
    A 主动公开 run whose documents must be reviewed first (`review`, else the settings review_uploads for web
    uploads and review_ingest for the rest: archive.review.held) stores them as 依申请公开, waiting for review.
    """
    paths = list(paths)
    hold = held(archive, paths, disclosure, review)
    lock = archive.ingest_lock()
    if not lock.acquire(wait_s=2.0):  # (a server checking whether an ingest runs holds it for an instant)
        raise IngestBusy(f"another ingest is running on {archive.settings.data_dir}")
    try:
        return _Run(archive, disclosure, on_file, progress, retry_failed, hold, actor).run(paths, workers, report)
    finally:
        lock.release()


class _Run:
    def __init__(self, archive: Archive, disclosure: str, on_file, progress, retry_failed: bool, hold: bool = False,
                 actor: str = ""):
        self.archive, self.catalog, self.st = archive, archive.catalog, archive.settings
        self.disclosure, self.on_file, self.progress = disclosure, on_file, progress
        self.retry_failed = retry_failed
        self.hold, self.actor = hold, actor               # documents wait for review, uploaded by `actor`
        self.stored = HOLD if hold else disclosure       # the disclosure documents are stored with
        self.tmp = self.st.data_dir / "tmp" / "ingest"
        self.items: dict[int, Item] = {}          # in flight, by task key
        self.inflight: dict[str, int] = {}        # sha256 -> task key
        self.waiting: dict[str, list[Item]] = {}  # same bytes as a file in flight: decided after it
        self.ready: deque[Item] = deque()         # waiting items whose twin is done
        self.pending_index: list = []             # IndexDocs archived but not yet sent to the index
        self.pending_bytes = 0
        self.indexer = ThreadPoolExecutor(1, thread_name_prefix="gongkai-index")  # commits block; we go on
        self.indexing: tuple[Future, int] | None = None  # the batch being indexed, and its size
        self.keys = 0

    # -- the run ---------------------------------------------------------

    def run(self, paths: list[Path], workers: int | None, report: Path | None) -> Summary:
        self.summary = s = Summary(run_id=0)
        s.interrupted_runs = self.catalog.mark_interrupted_runs()
        s.temps_removed = self.archive.blobs.clean_temps()
        shutil.rmtree(self.tmp, ignore_errors=True)
        self.tmp.mkdir(parents=True, exist_ok=True)
        s.run_id = self.catalog.start_run([str(p) for p in paths], {"disclosure": self.disclosure, "review": self.hold})
        s.total = count_files(paths)
        self._catch_up()
        size = workers or self.st.workers or default_workers()
        last_tick = time.monotonic()
        try:
            with ocr_service(self.st) as service, Pool(size, self.st.file_timeout_s, self.st.file_memory_bytes,
                                                        self.tmp / "workers", ocr_service=service) as pool:
                stream, exhausted, finished = self._inputs(paths), False, []
                while True:
                    # Refill idle workers first, then store what they returned: no worker waits
                    # while the parent copies, fsyncs and catalogs.
                    while pool.idle() and (self.ready or not exhausted):
                        item = self.ready.popleft() if self.ready else next(stream, None)
                        if item is None:
                            exhausted = True
                        else:
                            self._admit(item, pool)
                    for done in finished:
                        self._finish(done)
                    if finished:
                        finished = []
                        continue  # storing may have released twins or filled an index batch
                    if exhausted and not self.ready and not pool.busy():
                        break
                    finished = pool.wait(TICK_S)
                    if self.progress and time.monotonic() - last_tick >= TICK_S:
                        last_tick = time.monotonic()
                        self.progress(s)
        except KeyboardInterrupt:  # Ctrl-C: index what is archived; the run stays unfinished (resumable)
            self._flush_index(wait=True)
            raise
        finally:
            for item in [*self.items.values(), *self.ready, *(i for w in self.waiting.values() for i in w)]:
                item.discard()
            shutil.rmtree(self.tmp, ignore_errors=True)
        self._flush_index(wait=True)
        self.indexer.shutdown()
        s.not_indexed = max(s.not_indexed, self.catalog.count_index_states().get("pending", 0))
        s.seconds = time.monotonic() - s.started
        if s.failed:
            s.report = str(write_report(report or self._default_report(), s))
        self.catalog.finish_run(s.run_id, s.report)
        return s

    def _default_report(self) -> Path:
        return self.st.data_dir / "reports" / f"run-{self.summary.run_id}-failures.jsonl"

    def _catch_up(self) -> None:
        """Apply what the indexes lack (documents of an interrupted run, edits waiting in the outbox)."""
        try:
            done = self.archive.sync.catch_up(wait_s=self.st.index_lock_wait_s)
        except Exception as e:  # the index is busy or down: the changes wait in the outbox, as before
            log.warning("indexes not brought up to date before the run: %s", e, exc_info=True)
            self.summary.index_error = f"{type(e).__name__}: {e}"
            return
        self.summary.caught_up = done.documents - len(done.failed)
        if done.error or done.busy:
            self.summary.index_error = done.error or "the index lock stayed busy"

    # -- inputs ----------------------------------------------------------

    def _inputs(self, paths: list[Path]) -> Iterator[Item]:
        for path in iter_files(paths):
            item = Item(display=str(path), source=str(path.resolve()), filename=path.name, path=path)
            if is_bundle(path.name):
                yield from self._bundle(item, depth=0)
            else:
                yield item

    def _bundle(self, bundle: Item, depth: int) -> Iterator[Item]:
        """The members of a ZIP (nested ZIPs followed to zip_max_depth); the ZIP itself is kept as a blob."""
        try:
            if depth > self.st.zip_max_depth:
                raise IngestError(f"nested zip deeper than {self.st.zip_max_depth} level(s)", stage="unpack")
            if not bundle.sha256:
                bundle.sha256, bundle.size = _identify(bundle.path, self.st.max_file_bytes)
            zf = open_zip(bundle.path)
        except IngestError as e:
            bundle.error = e
            yield bundle
            return
        try:
            yield from self._unpack_bundle(bundle, zf, depth)
        except Exception as e:  # the error funnel: whatever a hostile ZIP does fails the bundle only
            err = from_exception(e, "unpack")
            bundle.error = err if err.kind != FILE else IngestError(f"unreadable zip: {err.reason}", stage="unpack")
            yield bundle

    def _unpack_bundle(self, bundle: Item, zf, depth: int) -> Iterator[Item]:
        s = self.summary
        with zf:
            try:  # a readable ZIP is kept as received (members are the documents)
                self.archive.blobs.put(bundle.path, bundle.sha256)
            except OSError as e:
                bundle.error = from_exception(e, "store")
                yield bundle
                return
            self.catalog.add_bundle(bundle.sha256, bundle.filename, bundle.source, bundle.size, 0, s.run_id)
            s.bundles += 1
            s.total -= 1  # the bundle was counted as one file; its members are counted instead
            count = 0
            for member in members(zf, bundle.display, bundle.source, self.st, self.tmp):
                count += 1
                s.total += 1
                if member.nested and member.error is None:
                    yield from self._bundle(member, depth + 1)
                    member.discard()
                else:
                    yield member
            self.catalog.add_bundle(bundle.sha256, bundle.filename, bundle.source, bundle.size, count,
                                    s.run_id)
            self.catalog.record_file(s.run_id, bundle.display, "bundle", reason=f"{count} members",
                                     sha256=bundle.sha256)

    # -- one file --------------------------------------------------------

    def _admit(self, item: Item, pool: Pool) -> None:
        """Hash and decide: skip, fail, wait for a twin in flight, or hand to a worker."""
        try:
            self._decide(item, pool)
        except Exception as e:  # the error funnel: a catalog or disk error fails this file only
            if item.sha256 in self.inflight and self.items.get(self.inflight[item.sha256]) is item:
                raise  # submitted already: its outcome comes from the worker
            log.warning("%s: not admitted", item.display, exc_info=not isinstance(e, (IngestError, OSError)))
            self._fail(item, from_exception(e, "read"), remember=False)

    def _decide(self, item: Item, pool: Pool) -> None:
        self.summary.seen += 1
        if item.error is not None:
            return self._fail(item, item.error)
        try:
            if not item.sha256:
                item.sha256, item.size = _identify(item.path, self.st.max_file_bytes)
        except IngestError as e:
            return self._fail(item, e)
        sha = item.sha256
        doc_id = self.catalog.doc_for_sha(sha)
        if doc_id:
            self._note_conflict(item, doc_id)
            return self._done(item, "skipped", doc_id=doc_id)
        if sha in self.inflight:
            self.waiting.setdefault(sha, []).append(item)
            self.summary.seen -= 1  # counted when re-admitted
            return None
        known = self.catalog.known_failure(sha, _suffix(item))
        if known and (known["run_id"] == self.summary.run_id or (known["kind"] == FILE and not self.retry_failed)):
            self.summary.failed_before += known["run_id"] != self.summary.run_id
            return self._fail(item, IngestError(known["reason"], known["stage"], known["kind"]), remember=False)
        self.keys += 1
        self.items[self.keys] = item
        self.inflight[sha] = self.keys
        pool.submit(Task(self.keys, str(item.path), item.filename, item.source, sha, item.size,
                         self.stored, self.st))
        return None

    def _finish(self, done: Done) -> None:
        """Store and catalog a worker's outcome (the parent is the only writer)."""
        item = self.items.pop(done.key)
        if done.failed:
            self._fail(item, IngestError(done.reason, done.stage, done.kind))
        else:
            try:
                self._store(item, done)
            except Exception as e:  # disk full, catalog error ...: this file fails, the run goes on
                log.warning("%s: not stored", item.display, exc_info=not isinstance(e, (IngestError, OSError)))
                self._fail(item, from_exception(e, "store"))
        self.inflight.pop(item.sha256, None)
        self.ready.extend(self.waiting.pop(item.sha256, []))  # same bytes: now skipped, failed alike, or run
        if len(self.pending_index) >= self.st.index_batch or self.pending_bytes >= self.st.index_batch_bytes:
            self._flush_index()

    def _store(self, item: Item, done: Done) -> None:
        doc, sha = done.doc, item.sha256
        self.summary.pages += len(doc.extraction.pages)
        self.summary.ocr_pages += sum(int(m[1]) for w in doc.extraction.warnings if (m := _OCR_USED.search(w)))
        original = {"sha256": sha, "filename": item.filename, "source": item.source,
                    "mime": doc.extraction.mime, "size": item.size, "extractor": doc.extractor}
        metadata = {**doc.metadata, "sources": doc.extraction.sources}
        twin, differ = None, []
        for other in self.catalog.docs_for_text(done.text_hash):
            self._note_conflict(item, other)
            if twin is not None:
                continue
            same = self.catalog.document(other) or {}
            waiting = not self.hold and self.catalog.review(other) is not None  # would be published with it
            if same.get("disclosure") == self.stored and not waiting:  # copies never cross a visibility boundary
                clash = conflicts(metadata, same)
                differ += [(other, clash)] if clash else []
                twin = None if clash else other
        self.archive.blobs.put(item.path, sha)
        if twin:
            self.catalog.add_original(twin, original)
            self.catalog.clear_failure(sha)
            return self._done(item, "merged", reason=f"same text as document {twin}", doc_id=twin)
        warnings = doc.extraction.warnings + item.warnings
        for other, clash in differ[:1]:  # the same text but not the same document: kept apart, and said
            warnings.append(f"same text as document {other} but another {', '.join(LABELS[k] for k in clash)}:"
                            " kept as a document of its own")
        doc_id = document_id(sha)
        done.index_doc.version = self.catalog.add_document(
            doc_id, metadata, doc.extraction.pages, original, warnings, self.stored, text_hash=done.text_hash,
            review=(self.disclosure, self.actor, self.summary.run_id) if self.hold else None)
        self.summary.held += self.hold
        try:  # personal information, for review and the attention list
            scan(self.archive, doc_id, doc.extraction.pages)
        except Exception:  # a reader's fault never fails a stored document; a full reindex reads it again
            log.warning("%s: not read for personal information", item.display, exc_info=True)
        flags = [w for w in warnings if w.startswith("low quality") or w.endswith("kept as a document of its own")]
        self.catalog.clear_failure(sha)
        self.pending_index.append(done.index_doc)
        self.pending_bytes += len(done.index_doc.body_words) + len(done.index_doc.body_bigrams)
        return self._done(item, "ingested", doc_id=doc_id, reason="; ".join(flags))

    def _fail(self, item: Item, e: IngestError, remember: bool = True) -> None:
        """Record a failure. Running out of time or memory is the machine's problem (retried on the next
        run) the first time; when the same file ran out in an earlier run too, it is the file's."""
        kind, reason = e.kind, e.reason
        if remember and item.sha256 and kind == SYSTEM and _RESOURCE.match(reason):
            before = self.catalog.known_failure(item.sha256, _suffix(item))
            if before and before["run_id"] != self.summary.run_id and _RESOURCE.match(before["reason"]):
                kind, reason = FILE, f"{reason}, again (also in run {before['run_id']})"
        self._done(item, "failed", e.stage, reason, remember=remember, kind=kind)

    def _note_conflict(self, item: Item, doc_id: str) -> None:
        """The same file (or text) is archived as a document more open than this run's disclosure: the
        uploader is told, so that they can restrict the existing document (nothing changes by itself)."""
        existing = self.catalog.document(doc_id)
        if existing and _OPENNESS.get(existing["disclosure"], 0) > _OPENNESS.get(self.disclosure, 0):
            self.summary.conflicts.append((item.display, doc_id, existing["disclosure"]))

    def _done(self, item: Item, status: str, stage: str = "", reason: str = "", doc_id: str = "",
              remember: bool = True, kind: str = FILE) -> None:
        """Record one file's outcome (run row, known failure), report it, delete its temp copy."""
        s = self.summary
        self.catalog.record_file(s.run_id, item.display, status, stage=stage, reason=reason,
                                 sha256=item.sha256, doc_id=doc_id or "", kind=kind if status == "failed" else "")
        if status == "failed":
            s.failed.append(Failure(item.display, stage, reason, kind))
            if remember and item.sha256:
                self.catalog.set_failure(item.sha256, item.display, stage, reason, s.run_id, _suffix(item), kind)
        elif status == "skipped":
            s.skipped += 1
        elif status == "merged":
            s.merged += 1
        else:
            s.ingested += 1
            if reason:
                s.flagged.append((item.display, doc_id, reason))
        item.discard()
        if self.on_file:
            self.on_file(item.display, status, reason)
        if self.progress:
            self.progress(s)

    def _flush_index(self, wait: bool = False) -> None:
        """Send the documents archived since the last flush to the index thread, one batch at a time.

        While a batch is being indexed the next one grows; `wait` also waits until every batch is
        indexed. Documents whose batch fails stay 'pending' (the next run or `reindex --pending` retries).
        """
        if self.indexing is not None:
            if not (wait or self.indexing[0].done()):
                return
            self._indexed(*self.indexing)
            self.indexing = None
        docs, self.pending_index, self.pending_bytes = self.pending_index, [], 0
        if docs:
            self.indexing = (self.indexer.submit(self._apply, docs), len(docs))
            if wait:
                self._flush_index(wait=True)

    def _apply(self, docs: list) -> Applied:
        """Apply the outbox up to this batch's last document, with the batch's analysed documents."""
        try:
            return self.archive.sync.apply(wait_s=self.st.index_lock_wait_s, upto=max(d.version for d in docs),
                                           prepared={d.id: d for d in docs})
        except Exception as e:  # the index cannot even be opened (unreachable): the outbox keeps them
            log.warning("index batch not applied (it waits in the outbox): %s", e)
            return Applied(error=f"{type(e).__name__}: {e}")

    def _indexed(self, batch: Future, size: int) -> None:
        """Count a finished batch's documents that were not indexed (all `size` if the batch failed)."""
        done = batch.result()
        if done.busy or done.error:
            self.summary.not_indexed += size
            self.summary.index_error = done.error or "the index lock stayed busy"
        else:
            self.summary.not_indexed += len(done.failed)


def _suffix(item: Item) -> str:
    return Path(item.filename).suffix.lower()


def _identify(path: Path, max_bytes: int) -> tuple[str, int]:
    if not path.exists():
        raise IngestError("no such file", stage="read")
    if not path.is_file():
        raise IngestError("not a regular file", stage="read")
    size = path.stat().st_size
    if size > max_bytes:
        raise IngestError(f"too large ({size} bytes > limit {max_bytes})", stage="read")
    try:
        return sha256_file(path), size
    except OSError as e:
        raise IngestError(f"cannot read: {e.strerror or e}", stage="read") from e
