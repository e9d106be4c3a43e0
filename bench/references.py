#!/usr/bin/env python3
"""Quality of reference extraction (analyzers.references) on the labelled set tests/data/references/labels.tsv:
precision and recall of the targets found, and of the relation type of each target found.

Every 《》 and 文号 occurrence of each labelled file is labelled (a '-' target: not a reference, e.g. an
abbreviation or a form), so anything extracted from those files and not labelled counts against precision.

    python bench/references.py [--show]     (--show prints every miss and every wrong type)
"""
from __future__ import annotations

import argparse
import csv
import os
import sys
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
CORPUS = Path(os.environ.get("GONGKAI_CORPUS", REPO.parent / "shared" / "corpus"))
LABELS = REPO / "tests" / "data" / "references" / "labels.tsv"


def labels(path: Path = LABELS) -> dict[str, dict[tuple[str, int], tuple[str, str, str]]]:
    """file -> {(written, nth): (target title or '-', target 文号, type)}."""
    out: dict[str, dict] = defaultdict(dict)
    with open(path, encoding="utf-8") as f:
        for row in csv.reader((line for line in f if not line.startswith("#")), delimiter="\t"):
            file, written, nth, target, docno, kind = row
            out[file][(written, int(nth))] = (target, docno, kind)
    return out


def document_text(path: Path) -> tuple[str, str]:
    """(text, 文号) of a corpus file as ingest extracts it."""
    from ingest.extractors import choose

    extraction = choose(path, path.read_bytes()[:4096]).extract(path)
    return "\n".join(extraction.pages), extraction.metadata.get("doc_number", "")


def score(corpus: Path = CORPUS, show: bool = False) -> dict:
    """Counts and ratios of target and type agreement over the labelled set."""
    from analyzers.docnumber import match_key, parse_doc_number
    from analyzers.references import extract, title_key

    c: Counter = Counter()
    per_type: Counter = Counter()
    for file, expected in labels().items():
        text, doc_number = document_text(corpus / file)
        seen: Counter = Counter()
        found = set()
        for r in extract(text, doc_number):
            seen[r.text] += 1
            key = (r.text, seen[r.text])
            target, docno, kind = expected.get(key, ("-", "", "-"))
            c["extracted"] += 1
            per_type[("extracted", r.type)] += 1
            docno_ok = r.kind == "docno" and docno and r.docno_key == match_key(parse_doc_number(docno)["normalized"])
            if target == "-" or not (title_key(target) == r.title_key or docno_ok):
                c["wrong_target"] += 1
                if show:
                    print(f"  extra  {file[-40:]}: {r.text} ({r.type}) | {r.sentence[:80]}")
                continue
            found.add(key)
            c["right_target"] += 1
            if docno and r.docno_key != match_key(parse_doc_number(docno)["normalized"]):
                c["docno_missed"] += 1
            per_type[("expected", kind)] += 1
            if r.type == kind:
                c["right_type"] += 1
                per_type[("right", kind)] += 1
            elif show:
                print(f"  type   {file[-40:]}: {r.text} said {r.type}, is {kind} | {r.sentence[:80]}")
        for key, (target, _, kind) in expected.items():
            if target != "-":
                c["labelled"] += 1
                if key not in found and show:
                    print(f"  missed {file[-40:]}: {key[0]} #{key[1]} ({kind})")
    c.update({f"{k[0]}:{k[1]}": v for k, v in per_type.items()})
    return dict(c)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--show", action="store_true", help="print every miss and every wrong type")
    args = ap.parse_args()
    c = score(show=args.show)
    print(f"labelled references: {c['labelled']}, extracted: {c['extracted']}")
    print(f"target  precision {c['right_target'] / c['extracted']:.3f}  recall {c['right_target'] / c['labelled']:.3f}")
    print(f"type    accuracy on right targets {c['right_type'] / max(c['right_target'], 1):.3f}"
          f"  ({c['right_type']}/{c['right_target']}); 文号 beside a title missed: {c.get('docno_missed', 0)}")
    from analyzers.references import TYPES

    for t in TYPES:
        said, right, truth = c.get(f"extracted:{t}", 0), c.get(f"right:{t}", 0), c.get(f"expected:{t}", 0)
        print(f"  {t:<11} precision {right / said if said else float('nan'):.2f} ({right}/{said})"
              f"  recall {right / truth if truth else float('nan'):.2f} ({right}/{truth})")


if __name__ == "__main__":
    main()
