"""ZIP bundles: members ingested as documents with the bundle as provenance; GBK names; hostile members."""
import io
import random
import stat
import zipfile

from archive.blobs import sha256_file
from ingest.pipeline import ingest
from ingest.sources import member_name

TEXT = "示例市人民政府关于做好二〇二五年政务公开工作的通知。各区人民政府，市政府各部门：" * 8


def _zip(path, entries):
    """Write a ZIP from (ZipInfo or name, bytes) pairs."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in entries:
            z.writestr(info, data)
    return path


def _mark_encrypted(path, name: bytes):
    """Set the 'encrypted' flag of one member in both its local and central headers (zipfile won't)."""
    data = bytearray(path.read_bytes())
    for sig, flag_at, name_at in ((b"PK\x03\x04", 6, 30), (b"PK\x01\x02", 8, 46)):
        at = data.find(sig)
        while at != -1:
            if data[at + name_at: at + name_at + len(name)] == name:
                data[at + flag_at] |= 0x1
            at = data.find(sig, at + 4)
    path.write_bytes(bytes(data))


def _nested(name, entries):
    buf = io.BytesIO()
    _zip(buf, entries)
    return name, buf.getvalue()


def test_gbk_member_names_without_utf8_flag_are_decoded(archive, corpus):
    """Regression guard: zipfile's cp437 reading of GBK names gives mojibake like 2025─Ω╔╧║ú."""
    bundle = corpus / "provincial-work-reports-2025" / "original_31省区市政府工作报告_gbk-filenames.zip"
    expected = {p.name for p in (corpus / "provincial-work-reports-2025" / "docx").glob("*.docx")}
    with zipfile.ZipFile(bundle) as z:
        assert not any(i.flag_bits & 0x800 for i in z.infolist())
        assert {member_name(i) for i in z.infolist()} == expected

    summary = ingest(archive, [bundle])
    assert summary.bundles == 1 and summary.seen == 31
    rows = [r for r in archive.catalog.run_files(summary.run_id) if r["status"] != "bundle"]
    assert {r["path"].split("!/")[1] for r in rows} == expected
    assert all(r["status"] == "ingested" or r["reason"] for r in rows)  # .docx may not be readable yet
    for r in rows:
        if r["status"] == "ingested":
            src = archive.catalog.document(r["doc_id"])["originals"][0]["source"]
            assert src == f"{bundle.resolve()}!/{r['path'].split('!/')[1]}"
    kept = archive.catalog.bundle(sha256_file(bundle))
    assert kept["members"] == 31 and archive.blobs.has(kept["sha256"])


def test_members_nested_and_hostile(archive, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    st = archive.settings
    st.zip_max_member_bytes = 5_000_000
    link = zipfile.ZipInfo("link-to-passwd.txt")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    inner = _nested("inner.zip", [("deep/a.txt", ("内层" + TEXT).encode("utf-8"))])
    deeper = _nested("twice.zip", [_nested("again.zip", [("b.txt", b"x" * 300)])])
    bundle = _zip(tmp_path / "bundle.zip", [
        ("政务/通知.txt", TEXT.encode("gb18030")),
        ("../../outside/escape.txt", ("越界" + TEXT).encode()),
        ("/tmp/absolute-escape.txt", ("绝对" + TEXT).encode()),
        (link, b"/etc/passwd"),
        ("locked.txt", b"secret"),
        ("bomb.txt", b"\0" * 30_000_000),   # ~1000:1, over the ratio limit
        ("big.txt", random.Random(4).randbytes(6_000_000)),  # incompressible, over the member limit
        inner,
        deeper,
        ("empty/", b""),
    ])
    _mark_encrypted(bundle, b"locked.txt")
    summary = ingest(archive, [bundle])
    rows = {r["path"].split("bundle.zip!/", 1)[1]: r for r in archive.catalog.run_files(summary.run_id)
            if "!/" in r["path"]}
    status = {k: (r["status"], r["reason"]) for k, r in rows.items()}
    assert status["政务/通知.txt"][0] == "ingested"
    assert status["../../outside/escape.txt"][0] == "ingested"
    assert status["/tmp/absolute-escape.txt"][0] == "ingested"
    assert status["link-to-passwd.txt"] == ("failed", "symlink in zip (not followed)")
    assert status["locked.txt"] == ("failed", "encrypted zip member")
    assert status["bomb.txt"][0] == "failed" and "zip bomb" in status["bomb.txt"][1]
    assert status["big.txt"][0] == "failed" and "too large" in status["big.txt"][1]
    assert status["inner.zip!/deep/a.txt"][0] == "ingested"
    assert status["twice.zip!/again.zip"] == ("failed", "nested zip deeper than 1 level(s)")
    assert "empty/" not in status
    assert list(outside.iterdir()) == []
    assert not (tmp_path.parent / "absolute-escape.txt").exists()
    doc = archive.catalog.document(rows["../../outside/escape.txt"]["doc_id"])
    assert any("unsafe member path" in w for w in doc["warnings"])
    assert doc["originals"][0]["source"] == f"{bundle.resolve()}!/../../outside/escape.txt"
    nested = archive.catalog.document(rows["inner.zip!/deep/a.txt"]["doc_id"])
    assert nested["originals"][0]["source"].endswith("bundle.zip!/inner.zip!/deep/a.txt")
    # nothing is left unpacked anywhere in the data directory
    assert not (st.data_dir / "tmp" / "ingest").exists()
    assert [p for p in st.data_dir.rglob("*") if p.suffix == ".txt"] == []


def test_rerun_of_a_bundle_skips_its_members(archive, tmp_path):
    bundle = _zip(tmp_path / "b.zip", [("a.txt", TEXT.encode()), ("b.txt", ("二" + TEXT).encode())])
    first = ingest(archive, [bundle])
    second = ingest(archive, [bundle])
    assert (first.ingested, second.ingested, second.skipped) == (2, 0, 2)
    assert archive.catalog.count_documents() == 2


def test_corrupt_zip_fails_with_a_reason(archive, tmp_path):
    bad = tmp_path / "broken.zip"
    bad.write_bytes(b"PK\x03\x04 this is not a zip")
    summary = ingest(archive, [bad])
    assert summary.failed == [(str(bad), "unpack", "corrupt zip: File is not a zip file", "file")]
