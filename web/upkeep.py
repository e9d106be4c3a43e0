"""What the server does by itself while it runs: apply the catalog's waiting changes to the indexes
(edits a busy index could not take at once, documents of a killed ingest) and purge the public index's
statistics after a restriction. An ingest in progress applies its own batches, so it is left alone."""
from __future__ import annotations

import logging
import threading

from flask import Flask

log = logging.getLogger(__name__)


class Upkeep(threading.Thread):
    """A daemon thread calling archive.sync.catch_up every `interval` seconds until stop()."""

    def __init__(self, archive, interval: float):
        super().__init__(name="gongkai-upkeep", daemon=True)
        self.archive, self.interval = archive, interval
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(self.interval):
            self.once()

    def once(self) -> None:
        """One round (also called directly, e.g. before the server answers its first request)."""
        try:
            if self.archive.ingest_lock().held_elsewhere():
                return
            done = self.archive.sync.catch_up(wait_s=0)
            if done.documents or done.purged:
                log.info("upkeep: %d documents brought up to date in the indexes%s", done.documents,
                         ", public statistics purged" if done.purged else "")
        except Exception:  # the next round tries again; the outbox keeps everything
            log.exception("upkeep round failed")

    def stop(self) -> None:
        self.stopped.set()


def init_app(app: Flask, interval: float) -> Upkeep:
    """Start the upkeep thread of `app`'s archive (see create_app(upkeep=True))."""
    upkeep = Upkeep(app.extensions["gongkai"], interval)
    app.extensions["gongkai.upkeep"] = upkeep
    upkeep.start()
    return upkeep
