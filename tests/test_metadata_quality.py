"""The labelled set (tests/data/metadata_labels, read by hand) meets the metadata targets on government
documents: coverage ≥ 95 % and precision ≥ 97 % for title, date and agency; 文号 precision ≥ 99 %."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import metadata_quality as mq  # noqa: E402


def test_the_labelled_set_is_big_and_covers_every_source(corpus):
    labels = mq.load_labels()
    assert len(labels) >= 300
    assert {lab["set"] for lab in labels} >= {"laws_national", "laws_local", "work_reports", "docx_pdf_misc",
                                               "govcn_nfra_ofd", "ofd"}
    assert all((corpus / lab["path"]).is_file() for lab in labels)


def test_metadata_targets_are_met_on_government_documents(corpus):
    counts, rows = mq.evaluate(mq.load_labels())
    wrong = [(r["label"]["path"], f) for r in rows for f, (stated, extracted, right) in r["result"].items()
             if extracted and not right and f in mq.TARGETS]
    assert mq.shortfalls(counts) == [], (mq.table(counts), wrong[:20])
