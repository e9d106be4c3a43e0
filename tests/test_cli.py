"""The gongkai command on real files: ingest summary, search output, paging, reindex, --data."""
import json
import re
import shutil

from click.testing import CliRunner

from web.cli import main


def run(*args, env=None, input=None):
    return CliRunner().invoke(main, list(map(str, args)), env=env, input=input, catch_exceptions=False)


def test_ingest_search_reindex(tmp_path, corpus):
    data = tmp_path / "a"
    src = tmp_path / "in"
    shutil.copytree(corpus / "govcn-2019-zhouynf" / "html", src / "html")
    (src / "broken.pdf").write_bytes(b"%PDF-1.4 not really")

    r = run("--data", data, "ingest", "--quiet", src)
    assert r.exit_code == 1  # one failure
    assert "seen 41, ingested 40, skipped (already present) 0, failed 1" in r.output
    assert "FAILED" in r.output and "broken.pdf" in r.output

    r = run("--data", data, "ingest", "--quiet", src / "html")
    assert r.exit_code == 0 and "ingested 0, skipped (already present) 40, failed 0" in r.output

    out = json.loads(run("--data", data, "search", "国务院办公厅", "--json", "--limit", "100").output)
    assert out["total"] == len(out["hits"]) > 10
    hit = out["hits"][0]
    assert set(hit) == {"id", "title", "doc_number", "agency", "written_date", "doc_type",
                        "source", "score", "snippet"}
    assert hit["source"].startswith(str(src.resolve()))
    assert {b["value"] for b in out["facets"]["agency"]} >= {"国务院办公厅"}

    pages = []
    for offset in range(0, out["total"], 4):
        page = json.loads(run("--data", data, "search", "国务院办公厅", "--json", "--limit", 4,
                              "--offset", offset).output)
        pages += [h["id"] for h in page["hits"]]
    assert pages == [h["id"] for h in out["hits"]]

    text = run("--data", data, "search", "融资担保").output
    assert "国办发〔2019〕6号" in text and "【融资担保】" in text

    r = run("--data", data, "reindex")
    assert r.exit_code == 0 and "indexed 40 documents, 0 failed" in r.output
    again = json.loads(run("--data", data, "search", "国务院办公厅", "--json", "--limit", "100").output)
    assert [h["id"] for h in again["hits"]] == [h["id"] for h in out["hits"]]


def test_data_directories_are_separate(tmp_path, corpus):
    one, two = sorted((corpus / "govcn-2019-zhouynf" / "html").glob("*.html"))[:2]
    run("--data", tmp_path / "x", "ingest", one)
    run("--data", tmp_path / "y", "ingest", two)
    env_out = run("search", "双随机", "--json", env={"GONGKAI_DATA": str(tmp_path / "x")}).output
    assert json.loads(env_out)["total"] == 1
    assert json.loads(run("--data", tmp_path / "y", "search", "双随机", "--json").output)["total"] == 0


def test_ingest_failure_report_retry_flag_and_lock(tmp_path, corpus):
    import fcntl
    import os

    data, src = tmp_path / "d", tmp_path / "in"
    src.mkdir()
    shutil.copy(corpus / "govcn-2019-zhouynf" / "html" / "001_content_5365945.html", src)
    (src / "junk.txt").write_bytes(bytes(range(256)) * 40)
    report = tmp_path / "failures.jsonl"

    r = run("--data", data, "ingest", "--quiet", "--workers", "1", "--report", report, src)
    assert r.exit_code == 1 and f"failure report: {report}" in r.output
    [row] = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]
    assert row["path"] == str(src / "junk.txt") and row["stage"] == "extract" and row["reason"]

    r = run("--data", data, "ingest", "--quiet", src)  # kept failed, not extracted again
    assert "1 failed in an earlier run and were not retried" in r.output
    assert f"failure report: {data / 'reports' / 'run-2-failures.jsonl'}" in r.output
    r = run("--data", data, "ingest", "--quiet", "--retry-failed", src)
    assert r.exit_code == 1 and "failed in an earlier run" not in r.output

    fd = os.open(data / "ingest.lock", os.O_RDWR)
    fcntl.flock(fd, fcntl.LOCK_EX)  # as a running ingest holds it
    try:
        r = run("--data", data, "ingest", "--quiet", src)
        assert r.exit_code == 2 and "another ingest is running" in r.output
    finally:
        os.close(fd)


# -- a CLI that forgives newcomers -------------------------------------------------------------


def test_global_options_before_or_after_the_subcommand(tmp_path, corpus):
    one = corpus / "govcn-2019-zhouynf" / "html" / "001_content_5365945.html"
    data = tmp_path / "d"
    assert run("ingest", "--quiet", "--data", data, one).exit_code == 0
    after = json.loads(run("search", "--data", data, "双随机", "--json").output)
    before = json.loads(run("--data", data, "search", "双随机", "--json").output)
    assert after["total"] == before["total"] == 1
    r = run("search", "--data", data, "--backend", "embedded", "双随机")
    assert r.exit_code == 0 and "1 hits" in r.output
    r = run("user", "add", "--data", data, "zhang", "--password-stdin", input="correct horse battery\n")
    assert r.exit_code == 0 and run("--data", data, "user", "list").output.startswith("zhang")


def test_version():
    from importlib.metadata import version

    r = run("--version")
    assert r.exit_code == 0 and r.output == f"gongkai {version('gongkai')}\n"


def test_search_without_an_archive_says_so_and_creates_nothing(tmp_path):
    missing = tmp_path / "nowhere"
    for args in (["search", "通知"], ["reindex"], ["verify"], ["user", "list"]):
        r = run("--data", missing, *args)
        assert r.exit_code == 1, args
        assert r.stderr.splitlines() == [f"gongkai: no archive at {missing} (ingest documents first: gongkai"
                                         f" ingest --data {missing} FILES…, or try `gongkai serve --demo`)"]
    assert not missing.exists()


def test_ingest_of_an_empty_folder_says_so_and_writes_no_report(tmp_path):
    empty, data = tmp_path / "empty", tmp_path / "d"
    empty.mkdir()
    r = run("--data", data, "ingest", empty)
    assert r.exit_code == 1
    assert r.stderr.splitlines() == [f"gongkai: nothing to ingest in {empty} (no files found)"]
    assert not data.exists()


def test_failure_report_only_when_something_failed(tmp_path, corpus):
    data = tmp_path / "d"
    r = run("--data", data, "ingest", "--quiet", corpus / "govcn-2019-zhouynf" / "html" / "001_content_5365945.html")
    assert r.exit_code == 0 and "failure report" not in r.output
    assert not (data / "reports").exists()


def _listening_socket():
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen()
    return s


def test_serve_on_a_busy_port_is_one_line(tmp_path, corpus, gongkai):
    import subprocess

    data = tmp_path / "d"
    run("--data", data, "ingest", "--quiet", corpus / "govcn-2019-zhouynf" / "html" / "001_content_5365945.html")
    with _listening_socket() as busy:
        port = busy.getsockname()[1]
        p = subprocess.run([*gongkai, "serve", "--data", str(data), "--port", str(port)], capture_output=True,
                           text=True, timeout=120)
    assert p.returncode == 1
    assert p.stderr.splitlines() == [f"gongkai: cannot listen on 127.0.0.1:{port}: Address already in use"]
    assert p.stdout == ""


def test_serve_rejects_a_port_out_of_range(tmp_path):
    r = run("--data", tmp_path, "serve", "--port", "99999")
    assert r.exit_code == 2 and "99999 is not in the range 1<=x<=65535" in r.stderr


def test_compact_gives_the_catalogs_free_space_back(tmp_path, corpus):
    data = tmp_path / "d"
    run("--data", data, "ingest", "--quiet", corpus / "govcn-2019-zhouynf" / "html")
    r = run("--data", data, "compact")
    assert r.exit_code == 0 and re.fullmatch(r"catalog [\d.]+ MiB → [\d.]+ MiB\n", r.output)
    assert run("--data", data, "search", "国务院").exit_code == 0
