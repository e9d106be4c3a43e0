"""`gongkai verify`: fixity of the stored originals (changed, missing, untracked), non-zero exit on a problem."""
from click.testing import CliRunner

from web.cli import main


def run(*args):
    return CliRunner().invoke(main, list(map(str, args)), catch_exceptions=False)


def test_verify_reports_changed_missing_and_untracked(tmp_path, corpus):
    data = tmp_path / "d"
    files = sorted((corpus / "nfra-penalty-disclosures" / "txt").glob("*.txt"))[:4]
    assert run("--data", data, "ingest", "--quiet", *files).exit_code == 0
    ok = run("--data", data, "verify")
    assert ok.exit_code == 0, ok.output
    assert "verified 4 stored files: 0 changed, 0 missing, 0 untracked" in ok.output

    blobs = sorted(p for p in (data / "originals").rglob("*") if p.is_file())
    corrupt, gone = blobs[0], blobs[1]
    raw = bytearray(corrupt.read_bytes())
    raw[10] ^= 0x01  # one flipped bit
    corrupt.write_bytes(bytes(raw))
    gone.unlink()
    stray = data / "originals" / "stray.pdf"
    stray.write_bytes(b"%PDF-1.4 dropped here by hand")
    temp = corrupt.parent / ".incoming-abc123"
    temp.write_bytes(b"half a file")

    bad = run("--data", data, "verify")
    assert bad.exit_code == 1
    assert f"CHANGED   {corrupt}" in bad.output
    assert f"MISSING   {gone} (original)" in bad.output
    assert f"UNTRACKED {stray} (not a blob name)" in bad.output
    assert f"UNTRACKED {temp} (unfinished write (temp file))" in bad.output
    assert "verified 3 stored files: 1 changed, 1 missing, 2 untracked" in bad.output


def test_next_ingest_removes_unfinished_temp_files(tmp_path, corpus):
    data = tmp_path / "d"
    one = corpus / "nfra-penalty-disclosures" / "txt"
    first = sorted(one.glob("*.txt"))[0]
    run("--data", data, "ingest", "--quiet", first)
    temp = next(p for p in (data / "originals").rglob("*") if p.is_file()).parent / ".incoming-killed"
    temp.write_bytes(b"left by kill -9")
    r = run("--data", data, "ingest", "--quiet", first)
    assert "1 unfinished temp files removed" in r.output and not temp.exists()
    assert run("--data", data, "verify").exit_code == 0


def test_verify_compares_catalog_and_indexes_and_repairs(tmp_path, corpus):
    """Regression guard: `verify` said the archive was clean while the public index held a document the
    catalog said was 不予公开. It now compares what each index holds (ids, versions, visibility) with the
    catalog, and --repair brings them back in line."""
    from archive import Archive, Settings
    from archive.index import IndexDoc

    data = tmp_path / "d"
    files = sorted((corpus / "nfra-penalty-disclosures" / "txt").glob("*.txt"))[:4]
    assert run("--data", data, "ingest", "--quiet", *files).exit_code == 0
    ok = run("--data", data, "verify")
    assert ok.exit_code == 0 and "index public: 4 documents, 0 missing, 0 that must not be there, 0 stale" in ok.output

    a = Archive(Settings(data_dir=data))
    ids = sorted(a.catalog.index_versions())
    secret, lost = ids[0], ids[1]
    row = {**a.catalog.document(secret), "pages": a.catalog.pages(secret)}
    a.catalog.update_document(secret, {"disclosure": "不予公开"}, {"disclosure_reason": "测试"})
    public = a.indexes["public"]
    applied = a.catalog.last_change()
    public.write([IndexDoc.from_catalog(row)], [], applied=applied)  # an index that disagrees in the public's favour
    public.write([], [lost], applied=applied)
    a.close()

    bad = run("--data", data, "verify")
    assert bad.exit_code == 1
    assert f"MUST GO {secret}" in bad.output and f"MISSING {lost}" in bad.output
    fixed = run("--data", data, "verify", "--repair")
    assert fixed.exit_code == 0 and "repaired:" in fixed.output
    again = run("--data", data, "verify")
    assert again.exit_code == 0 and "index public: 3 documents, 0 missing, 0 that must not be there" in again.output
