"""Legacy Word (.doc, .wps) via antiword: the real 邯郸 notice in Chinese, and clear failures."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import require

from archive.settings import Settings
from ingest.errors import IngestError
from ingest.extractors import choose
from ingest.extractors import doc as doc_module
from ingest.extractors.doc import LegacyWordExtractor
from ingest.extractors.html import HtmlExtractor
from ingest.metadata import extract_metadata

HANDAN = "handan-renmin-portal"
NOTICE = "邯组通字〔2018〕39号_关于开展纪念建党97周年系列活动的通知.doc"
CJK = re.compile(r"[\u4e00-\u9fff]")
WS = re.compile(r"\s+")


@pytest.fixture(scope="module")
def antiword():
    require(shutil.which("antiword") is not None, "antiword not installed (apt-get install antiword)")


@pytest.fixture(scope="module")
def notice(corpus, antiword):
    return LegacyWordExtractor().extract(corpus / HANDAN / NOTICE)


def test_real_doc_reads_as_chinese(notice):
    assert notice.mime == "application/msword" and notice.warnings == []
    lines = [line.strip() for line in notice.text.splitlines() if line.strip()]
    assert lines[:5] == ["中共邯郸市委组织部", "邯组通字〔2018〕39号", "中共邯郸市委组织部", "关于开展纪念建党97周年系列活动的",
                         "通      知"]
    assert lines[-3:] == ["中共邯郸市委组织部", "2018年6月16日", "中共邯郸市委组织部办公室              2018年6月16日印发"]
    assert len(CJK.findall(notice.text)) > 1500
    assert "?" not in notice.text and "\ufffd" not in notice.text


def test_real_doc_metadata_matches_its_html_export(corpus, notice):
    """The same notice saved by Word as GB2312 HTML gives the same 公文 metadata."""
    html = HtmlExtractor().extract(corpus / HANDAN / "邯组通字2018-39号_word-export_gb2312.html")
    from_doc = extract_metadata(notice.text, notice.metadata, filename=NOTICE)
    assert from_doc == extract_metadata(html.text, html.metadata, sources=html.sources) == {
        "title": "中共邯郸市委组织部关于开展纪念建党97周年系列活动的通知", "doc_number": "邯组通字〔2018〕39号",
        "agency": "中共邯郸市委组织部", "written_date": "2018-06-16", "doc_type": "通知",
        "level": "市", "region": "河北省\\邯郸市", "printed_by": "中共邯郸市委组织部办公室",
        "printed_date": "2018-06-16",
        "recipients": "各县（市、区）委组织部、市直各党（工）委组织部（处），冀南新区、经济开发区组织人事局"}
    assert WS.sub("", "“七一”主题党日活动") in WS.sub("", notice.text)


def test_detection(corpus):
    head = (corpus / HANDAN / NOTICE).read_bytes()[:8192]
    assert choose(Path("notice.doc"), head).name == "doc"
    assert choose(Path("notice.wps"), head).name == "doc"
    assert choose(Path("notice.docx"), head).name == "doc"      # an old .doc renamed .docx
    x = LegacyWordExtractor()
    assert x.match(Path("budget.xls"), doc_module.OLE_MAGIC + bytes(100)) == 0   # other OLE files
    assert x.match(Path("a.wps"), b"junk") == 1


def test_not_a_word_file_fails_clearly(tmp_path, antiword):
    path = tmp_path / "fake.doc"
    path.write_bytes(doc_module.OLE_MAGIC + bytes(4096))
    with pytest.raises(IngestError) as err:
        LegacyWordExtractor().extract(path)
    assert err.value.reason.startswith("not a Word 97-2003 document")
    with pytest.raises(IngestError) as err:
        LegacyWordExtractor().extract(tmp_path / "missing.doc")
    assert err.value.stage == "read"


def test_missing_tool_is_a_system_problem_not_the_files(corpus, monkeypatch):
    monkeypatch.setattr(doc_module.shutil, "which", lambda name: None)
    with pytest.raises(IngestError) as err:
        LegacyWordExtractor().extract(corpus / HANDAN / NOTICE)
    assert err.value.reason == "antiword not installed: .doc and .wps files need it (apt-get install antiword)"
    assert err.value.kind == "system"


def test_missing_tool_is_reported_and_the_file_retried_on_the_next_run(corpus, tmp_path, gongkai):
    """Without antiword on PATH the .doc is a system problem (not kept as the file's failure); once the
    tool is there, the next run reads it without --retry-failed."""
    import json
    import os
    import subprocess

    data = tmp_path / "data"
    notice = tmp_path / NOTICE
    notice.write_bytes((corpus / HANDAN / NOTICE).read_bytes())
    cmd = [*gongkai, "--data", str(data), "ingest", "--quiet", str(notice)]
    first = subprocess.run(cmd, env={**os.environ, "PATH": str(tmp_path / "empty")}, capture_output=True,
                           text=True, timeout=300)
    assert first.returncode == 1, first.stderr
    assert "not the files' fault: antiword not installed" in first.stdout
    [row] = [json.loads(x) for x in (data / "reports" / "run-1-failures.jsonl").read_text().splitlines()]
    assert row["kind"] == "system" and row["stage"] == "extract"
    second = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert second.returncode == 0, second.stdout + second.stderr
    assert "ingested 1," in second.stdout and "earlier run" not in second.stdout


def test_hanging_tool_times_out(corpus, tmp_path, monkeypatch):
    slow = tmp_path / "slow-antiword"
    slow.write_text("#!/bin/sh\nsleep 30\n")
    slow.chmod(0o755)
    monkeypatch.setattr(doc_module, "TOOL", str(slow))
    with pytest.raises(IngestError, match="timed out after 0.5 s"):
        LegacyWordExtractor().extract(corpus / HANDAN / NOTICE, Settings(antiword_timeout_s=0.5))
