#!/usr/bin/env python3
"""Kill soak: `gongkai ingest` killed with SIGKILL many times at random moments, then checked for consistency.

Same inputs and checks as tests/test_resume.py, with more kills and several rounds:

    python bench/ingest_soak.py [--rounds 3] [--kills 25] [--seed N]

Prints per round the kill moments and the check result; exits non-zero on the first inconsistency.
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.conftest import CORPUS, SAMPLES  # noqa: E402
from tests.test_resume import _check_consistent, _ingest, _kill_at_random, build_inputs  # noqa: E402

GONGKAI = [str(Path(sys.executable).with_name("gongkai"))]  # the installed command


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--kills", type=int, default=25)
    ap.add_argument("--seed", type=int, default=random.randrange(1 << 30))
    args = ap.parse_args()
    from archive import Archive, Settings

    rng = random.Random(args.seed)
    print(f"seed {args.seed}")
    for n in range(args.rounds):
        with tempfile.TemporaryDirectory(prefix="gongkai-soak-") as tmp:
            inputs, data = Path(tmp) / "in", Path(tmp) / "data"
            build_inputs(CORPUS, SAMPLES, inputs)
            started = time.monotonic()
            moments = _kill_at_random(GONGKAI, data, inputs, rng, args.kills)
            final = _ingest(GONGKAI, data, inputs)
            out, _ = final.communicate(timeout=600)
            a = Archive(Settings(data_dir=data))
            try:
                _check_consistent(a, inputs, out)
            finally:
                a.close()
            killed = sum(1 for files, _ in moments if files >= 0)
            print(f"round {n + 1}: {killed} kills (of {len(moments)} runs) at {moments}; final run ok;"
                  f" {a.catalog.count_documents()} documents; {time.monotonic() - started:.0f}s")


if __name__ == "__main__":
    main()
