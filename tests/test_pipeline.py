"""Ingest runs on real files: metadata into the catalog, originals stored once, failures recorded."""
import csv
import hashlib

from archive.blobs import sha256_file
from ingest.pipeline import ingest


def test_govcn_pages_land_in_catalog_with_their_metadata(govcn, corpus):
    rows = list(csv.DictReader(open(corpus / "govcn-2019-zhouynf" / "metadata.csv", encoding="utf-8")))
    for row in rows:
        path = corpus / "govcn-2019-zhouynf" / row["file"]
        doc_id = govcn.catalog.doc_for_sha(sha256_file(path))
        doc = govcn.catalog.document(doc_id)
        assert doc["title"] == row["title"]
        assert doc["doc_number"] == row["doc_number"]
        assert doc["agency"] == row["issuing_agency"]
        y, m, d = row["written_date_from_page"][:4], row["written_date_from_page"][5:7], row["written_date_from_page"][8:10]
        assert doc["written_date"] == f"{y}-{m}-{d}"
        assert doc["originals"][0]["source"] == str(path.resolve())
        assert govcn.catalog.pages(doc_id)[0].strip()
        assert doc["index_state"] == "indexed"


def test_same_file_twice_is_stored_once(archive, corpus, tmp_path):
    src = corpus / "govcn-2019-zhouynf" / "html" / "001_content_5365945.html"
    copy = tmp_path / "copy-of-notice.html"
    copy.write_bytes(src.read_bytes())
    first = ingest(archive, [src])
    second = ingest(archive, [src, copy])
    assert (first.ingested, second.ingested, second.skipped) == (1, 0, 2)
    assert archive.catalog.count_documents() == 1
    blobs = [p for p in (archive.settings.data_dir / "originals").rglob("*") if p.is_file()]
    assert len(blobs) == 1
    assert hashlib.sha256(blobs[0].read_bytes()).hexdigest() == blobs[0].name
    rows = archive.catalog.run_files(second.run_id)
    assert sorted(r["status"] for r in rows) == ["skipped", "skipped"]


def test_bad_files_fail_alone_with_reasons(archive, corpus, tmp_path):
    good = corpus / "govcn-2019-zhouynf" / "html" / "002_content_5365711.html"
    ingest(archive, [good])
    before = archive.catalog.count_documents()
    bad = tmp_path / "bad"
    bad.mkdir()
    pdf = (corpus / "shanghai-putuo-juesuan").glob("*.pdf").__next__().read_bytes()
    (bad / "truncated.pdf").write_bytes(pdf[: len(pdf) // 3])
    (bad / "junk.txt").write_bytes(bytes(range(256)) * 40)
    (bad / "data.bin").write_bytes(b"\x00\x01\x02")
    (bad / "ok.txt").write_text("示例市人民政府关于做好政务公开工作的通知", encoding="gb18030")
    summary = ingest(archive, [bad, tmp_path / "missing.pdf"])
    reasons = {p.split("/")[-1]: (stage, reason) for p, stage, reason, _ in summary.failed}
    assert set(reasons) == {"truncated.pdf", "junk.txt", "data.bin", "missing.pdf"}
    assert reasons["data.bin"][0] == "detect"
    assert reasons["missing.pdf"] == ("read", "no such file")
    assert all(reason for _, reason in reasons.values())
    assert summary.ingested == 1
    assert archive.catalog.count_documents() == before + 1
    failed_rows = archive.catalog.run_files(summary.run_id, "failed")
    assert {r["path"].split("/")[-1] for r in failed_rows} == set(reasons)


def test_documents_wait_in_the_outbox_when_the_index_is_busy(archive, corpus):
    """Regression guard: a busy index (another process holds the index lock) loses nothing."""
    from archive import Search
    from archive.locks import FileLock

    archive.settings.index_lock_wait_s = 0.5
    ingest(archive, [corpus / "govcn-2019-zhouynf" / "html" / "001_content_5365945.html"])
    other = FileLock(archive.settings.data_dir / "index.lock")
    assert other.acquire()  # as another writer would hold it
    try:
        summary = ingest(archive, [corpus / "govcn-2019-zhouynf" / "html" / "003_content_5365341.html"])
    finally:
        other.release()
    assert summary.ingested == 1 and summary.not_indexed == 1
    assert "lock" in summary.index_error.lower()
    assert [d["id"] for d in archive.catalog.iter_documents("pending")]
    assert archive.search(Search(q="职业教育"))["total"] == 0
    assert archive.sync.backlog() == 1

    done = archive.reindex(pending_only=True)
    assert done.documents == 1 and not done.failed
    assert archive.search(Search(q="职业教育"))["total"] == 1
