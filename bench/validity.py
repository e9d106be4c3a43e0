"""Derived versions and validity (archive.catalog.versions) against the lawrefbook manifest: prints how many
version groups there are, how many documents are 已废止/已修改/失效/现行有效, the agreement of the derived
validity with the manifest's `expired` column (1: no longer in force; 0: in force), and whether every title
that the manifest lists with several dates is one group whose latest member is the one dated last.

    python bench/validity.py [--data DIR] [--corpus DIR] [--examples N]

Without --data an archive is built from the corpus in a scratch directory (about a minute).
"""
from __future__ import annotations

import argparse
import collections
import csv
import sqlite3
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from archive import Archive, Settings  # noqa: E402

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "lawrefbook-laws"
NOT_IN_FORCE = {"已废止", "已修改", "失效"}
REPEALED = {"已废止", "失效"}


def build(corpus: Path, data: Path) -> None:
    from ingest.pipeline import ingest

    a = Archive(Settings(data_dir=data))
    try:
        ingest(a, [corpus])
    finally:
        a.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, help="an archive built from the corpus (else one is built)")
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--examples", type=int, default=10, help="disagreements to print")
    args = ap.parse_args()
    if args.data is None:
        from measure import scratch  # bench/measure.py

        with scratch("validity") as data:
            build(args.corpus, data)
            report(data, args.corpus, args.examples)
    else:
        report(args.data, args.corpus, args.examples)


def report(data: Path, corpus: Path, examples: int) -> None:
    Archive(Settings(data_dir=data)).close()   # (migrates an older catalog)
    db = sqlite3.connect(data / "catalog.sqlite3")
    db.row_factory = sqlite3.Row
    if db.execute("SELECT count(*) FROM documents WHERE status_version = 0").fetchone()[0]:
        sys.exit(f"{data}: versions and validity not derived yet; run `gongkai --data {data} reindex`")
    rows = {r["source"]: r for r in db.execute(
        "SELECT o.source, d.id, d.title, d.version_group, d.latest, d.derived_validity, d.extra,"
        " coalesce(nullif(d.written_date, ''), nullif(d.published_date, ''), '') AS date"
        " FROM originals o JOIN documents d ON d.id = o.doc_id")}
    manifest = list(csv.DictReader(open(corpus / "manifest.csv", encoding="utf-8")))
    counts = collections.Counter(r["derived_validity"] or "(unknown)" for r in rows.values())
    groups = db.execute("SELECT count(DISTINCT version_group), count(*) FROM documents WHERE version_group != ''").fetchone()
    print(f"documents {len(rows)}; version groups {groups[0]} holding {groups[1]} documents")
    print("derived validity: " + ", ".join(f"{k} {n}" for k, n in counts.most_common()))
    table: collections.Counter = collections.Counter()
    wrong = []
    for m in manifest:
        r = rows.get(str(corpus / m["path"]))
        if r is None or m["expired"] not in ("0", "1"):
            continue
        derived = r["derived_validity"]
        table[(m["expired"], derived or "(unknown)")] += 1
        if (m["expired"] == "1") != (derived in NOT_IN_FORCE):
            wrong.append((m["expired"], derived, m["title"], m["version_date_from_filename"], m["path"]))
    known = sum(table.values())
    print(f"\nagainst manifest.csv `expired` ({known} documents with a value):")
    for expired in ("1", "0"):
        print(f"  expired={expired}: " + ", ".join(f"{v} {n}" for (e, v), n in sorted(table.items()) if e == expired))
    agree = known - len(wrong)
    print(f"  agreement (expired=1 <-> 已废止/已修改/失效) {agree}/{known} = {agree / known:.1%}")
    strict = sum(n for (e, v), n in table.items() if (e == "1") == (v in REPEALED))
    print(f"  agreement (expired=1 <-> 已废止/失效; the manifest keeps most earlier versions as not expired)"
          f" {strict}/{known} = {strict / known:.1%}")
    derived_out = sum(n for (e, v), n in table.items() if v in NOT_IN_FORCE)
    right_out = sum(n for (e, v), n in table.items() if v in NOT_IN_FORCE and e == "1")
    expired_n = sum(n for (e, _), n in table.items() if e == "1")
    print(f"  derived not in force: precision {right_out}/{derived_out} = {right_out / max(1, derived_out):.1%},"
          f" recall {right_out}/{expired_n} = {right_out / max(1, expired_n):.1%}")
    for w in wrong[:examples]:
        print(f"    manifest expired={w[0]} derived={w[1] or '(unknown)'}: {w[2]} {w[3]}  ({w[4]})")
    # every title the manifest lists with several dates: one group, latest = dated last
    by_title: dict[tuple[str, str], list] = collections.defaultdict(list)
    for m in manifest:
        r = rows.get(str(corpus / m["path"]))
        if r is not None:
            by_title[(m["title"], m["region"])].append(r)
    several = {k: v for k, v in by_title.items() if len({r["date"] for r in v}) > 1}
    bad = []
    for (title, region), members in several.items():
        gids = {r["version_group"] for r in members}
        newest = max(r["date"] for r in members)
        latest_ok = all(bool(r["latest"]) == (r["date"] == newest) for r in members)
        if len(gids) != 1 or "" in gids or not latest_ok:
            bad.append((title, region, sorted((r["date"], r["version_group"], r["latest"]) for r in members)))
    print(f"\ntitles with several dates: {len(several)}; one group with the right latest: {len(several) - len(bad)}")
    for b in bad[:examples]:
        print(f"    {b[0]} ({b[1]}): {b[2]}")


if __name__ == "__main__":
    main()
