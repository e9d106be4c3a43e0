"""Start-up time of the CLI: `gongkai --help`, an ingest whose files are all archived already (the
cost of starting, not of extracting), and one `gongkai search`; medians of wall-clock seconds.

    python bench/startup.py [--rounds 9] [--compare /path/to/other/venv/bin/gongkai]

--compare times another installation's `gongkai` in the same rounds, alternating, so both see the
same noise (e.g. the last release: `git worktree add /tmp/old <tag>`, a venv with it installed).
Each installation gets its own data directory, ingested once before timing.
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "seed-workplans"
COMMANDS = {"--help": ["--help"], "ingest (all archived)": ["ingest", "{input}"], "search": ["search", "政务公开"]}


def timed(argv: list[str], cwd: str) -> float:
    start = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd)
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=9)
    ap.add_argument("--compare", help="another installation's gongkai executable")
    args = ap.parse_args()
    this = str(Path(sys.executable).with_name("gongkai"))
    programs = {"this": this} | ({"other": args.compare} if args.compare else {})
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "input"
        shutil.copytree(CORPUS, source)
        for name, exe in programs.items():
            subprocess.run([exe, "--data", f"{tmp}/{name}", "ingest", str(source)], check=True,
                           capture_output=True, cwd=tmp)  # (not this tree: older installations'
            # workers imported packages from the working directory)
        times: dict[tuple[str, str], list[float]] = {}
        for _ in range(args.rounds):
            for command, argv in COMMANDS.items():
                for name, exe in programs.items():
                    cmd = [exe, "--data", f"{tmp}/{name}"] + [a.format(input=source) for a in argv]
                    times.setdefault((command, name), []).append(timed(cmd, tmp))
    print(f"median of {args.rounds} rounds, seconds")
    for command in COMMANDS:
        row = {name: statistics.median(times[command, name]) for name in programs}
        line = f"  {command:24} " + "  ".join(f"{name} {t:.3f}" for name, t in row.items())
        if "other" in row:
            line += f"  this/other {row['this'] / row['other']:.2f}"
        print(line)


if __name__ == "__main__":
    main()
