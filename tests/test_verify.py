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
