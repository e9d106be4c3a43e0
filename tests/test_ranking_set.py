"""The labelled set of bench/ranking.py (tests/data/ranking) is well-formed: one row per query, each with its
reason, kinds and forms from a fixed list, and every answer a file of the shared corpus; older versions are
the same title with an earlier version date."""
from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import ranking  # noqa: E402

KINDS = {"law", "行政法规", "部门规章", "司法解释", "local", "gov.cn"}
FORMS = {"core", "title", "region", "topic"}
VERSION = re.compile(r"^(?P<title>.+)\((?P<date>\d{4}-\d{2}-\d{2})\)\.md$")


def test_the_set_has_its_columns_and_enough_rows_of_every_kind_and_form():
    with open(ranking.LABELS, encoding="utf-8", newline="") as f:
        header = next(csv.reader(f, delimiter="\t"))
    assert header == ["query", "expected", "older", "kind", "form", "reason"]
    labels = ranking.read_labels()
    assert 120 <= len(labels) <= 250
    assert {lab.kind for lab in labels} == KINDS
    assert {lab.form for lab in labels} == FORMS
    assert sum(bool(lab.older) for lab in labels) >= 20   # enough to measure "version in force first"


def test_every_row_has_a_query_an_answer_and_a_reason():
    bad = [lab for lab in ranking.read_labels()
           if not lab.query.strip() or not lab.expected or len(lab.reason) < 10 or lab.kind not in KINDS
           or lab.form not in FORMS or set(lab.expected) & set(lab.older)]
    assert bad == []


def test_no_query_is_asked_twice():
    seen: dict[str, int] = {}
    for lab in ranking.read_labels():
        key = " ".join(lab.query.split())
        seen[key] = seen.get(key, 0) + 1
    assert [q for q, n in seen.items() if n > 1] == []


def test_every_answer_is_a_file_of_the_corpus(corpus):
    missing = [p for lab in ranking.read_labels() for p in lab.expected + lab.older if not (corpus / p).is_file()]
    assert missing == []


def test_older_versions_are_the_same_title_from_an_earlier_date():
    wrong = []
    for lab in ranking.read_labels():
        now = {m["title"]: m["date"] for p in lab.expected if (m := VERSION.match(Path(p).name))}
        for p in lab.older:
            m = VERSION.match(Path(p).name)
            if not m or m["title"] not in now or m["date"] >= now[m["title"]]:
                wrong.append((lab.query, p))
    assert wrong == []
