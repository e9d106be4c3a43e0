"""The hostile set: every file ends ingested or failed with a reason, within limits; no crash; no escape."""
import collections
import os
import re
import time
import uuid
from pathlib import Path

from conftest import SAMPLES
from hostile_set import build

from ingest.pipeline import ingest

# What each category may end as: status -> reason pattern (None: any status with a reason is fine).
EXPECT = {
    "encrypted pdf": ("failed", r"^encrypted PDF$"),
    "zip bomb": ("failed", r"^zip bomb"),
    "binary junk .txt": ("failed", r"^binary content"),
    "1 MB of 中国": ("ingested", r"^$"),
}


def _tree(root: Path, skip: Path) -> set[str]:
    return {str(p) for p in root.rglob("*") if skip not in p.parents and p != skip}


def test_hostile_set_ends_ingested_or_failed_with_reasons(archive, corpus, tmp_path):
    tag = uuid.uuid4().hex[:8]
    pdfs = sorted((SAMPLES / "pdf").glob("*.pdf")) + [corpus / "shanghai-putuo-juesuan" / "附件2_部门决算模板_上海市XX局.pdf"]
    inputs = tmp_path / "in"
    cats = build(inputs, pdfs, mutations=200, tag=tag)
    st = archive.settings
    st.file_timeout_s, st.file_memory_bytes = 20.0, 1024**3
    before = _tree(tmp_path, st.data_dir)

    started = time.monotonic()
    summary = ingest(archive, [inputs], workers=2)
    seconds = time.monotonic() - started

    rows = {r["path"]: r for r in archive.catalog.run_files(summary.run_id) if r["status"] != "bundle"}
    assert summary.seen == len(rows) == len(cats)
    table: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for rel, cat in cats.items():
        r = rows[f"{inputs}/{rel}"]
        assert r["status"] in ("ingested", "merged", "skipped", "failed"), r
        if r["status"] == "failed":
            assert r["reason"], r
        reason = re.sub(r"[:(].*| as document \w+", "", r["reason"]).strip()
        table[cat][f"{r['status']}{': ' + reason if reason else ''}"] += 1
        if cat in EXPECT:
            status, pattern = EXPECT[cat]
            assert r["status"] == status and re.search(pattern, r["reason"]), (rel, r)
    print(f"\nhostile set: {len(cats)} files in {seconds:.1f}s")
    for cat, outcomes in table.items():
        print(f"  {cat:24} " + ", ".join(f"{k} ×{n}" for k, n in outcomes.most_common()))

    assert sum(table["pdf mutation"].values()) == 200
    assert table["zip traversal/symlink"]["failed: symlink in zip"] == 1
    # nothing written outside the data directory, whatever the member names said
    assert _tree(tmp_path, st.data_dir) == before
    assert not Path(f"/tmp/escaped-{tag}.txt").exists()
    assert not any(p.name.endswith(f"-{tag}.txt") for p in tmp_path.parent.rglob(f"*{tag}*"))
    assert not (st.data_dir / "tmp" / "ingest").exists()
    # catalog and index agree after all that
    assert archive.searcher.staff.count() == archive.catalog.count_documents()
    assert os.listdir(st.data_dir / "originals")
