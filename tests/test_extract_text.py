"""Text and Markdown extraction: UTF-8, legacy GB2312/GB18030/Big5, UTF-16, and binary junk rejected."""
from __future__ import annotations

import csv
import os
import re
from pathlib import Path

import pytest

from ingest.errors import IngestError
from ingest.extractors import choose
from ingest.extractors.text import TextExtractor, decode_bytes

LEGACY = "chardet-legacy-encodings"


def extract(path: Path):
    return TextExtractor().extract(path)


def legacy_files(corpus: Path, folder: str) -> list[Path]:
    files = sorted((corpus / LEGACY / folder).iterdir())
    assert files, f"no files in {LEGACY}/{folder}"
    return files


def test_gb2312_files_decode_as_gb18030(corpus):
    """All 20 GB2312 pages decode exactly as their strict GB18030 reading, without U+FFFD."""
    for path in legacy_files(corpus, "GB2312"):
        e = extract(path)
        assert e.warnings == ["decoded as gb18030"], path.name
        assert e.text == path.read_bytes().decode("gb18030").replace("\r\n", "\n").replace("\r", "\n")
        assert "\ufffd" not in e.text


def test_big5_files_decode_as_cp950(corpus):
    """All 26 Big5 pages decode as cp950 (not the HKSCS variant that maps ～ ﹑ ‧ differently)."""
    for path in legacy_files(corpus, "Big5"):
        e = extract(path)
        assert e.warnings == ["decoded as cp950"], path.name
        assert e.text == path.read_bytes().decode("cp950").replace("\r\n", "\n").replace("\r", "\n")
        assert "\ufffd" not in e.text


def test_legacy_text_is_readable_chinese(corpus):
    gb = extract(corpus / LEGACY / "GB2312" / "cnblog.org.xml").text
    big5 = extract(corpus / LEGACY / "Big5" / "_ude_1.txt").text
    assert "的" in gb and "网" in gb
    assert "維基大典" in big5


def test_euc_tw_is_reported_undecodable(corpus):
    """EUC-TW has no Python codec and is not among the candidates: fail clearly rather than guess."""
    with pytest.raises(IngestError, match="undecodable text"):
        extract(corpus / LEGACY / "EUC-TW" / "_ude_euc-tw1.txt")


@pytest.mark.parametrize("junk", [
    os.urandom(4096),
    os.urandom(64),
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4,
    b"PK\x03\x04" + bytes(range(256)),
    b"\x00" * 1000,
    b"\x01\x02\x03\x04" * 100,
], ids=["random", "random-small", "png", "zip", "zeros", "control-chars"])
def test_binary_junk_named_txt_fails(tmp_path, junk):
    path = tmp_path / "notes.txt"
    path.write_bytes(junk)
    with pytest.raises(IngestError) as err:
        extract(path)
    assert err.value.reason.startswith(("binary content", "undecodable text"))


@pytest.mark.parametrize("data, encoding", [
    ("国务院办公厅关于印发的通知\n".encode("utf-8-sig"), "utf-8"),
    ("国务院办公厅关于印发的通知\n".encode("utf-16"), "utf-16"),
    ("第一行 2019年\n第二行 abc\n".encode("utf-16-le") * 3, "utf-16"),
    ("国务院办公厅关于印发国家组织药品集中采购和使用试点方案的通知\n".encode("gb18030"), "gb18030"),
    ("國務院辦公廳關於印發國家組織藥品集中採購和使用試點方案的通知\n".encode("cp950"), "cp950"),
])
def test_bom_utf16_and_legacy_encodings(data, encoding):
    decoded = decode_bytes(data)
    assert decoded.encoding == encoding
    assert decoded.text.rstrip("\n").endswith("通知") or decoded.text.startswith("第一行")


def test_utf8_cut_mid_character_keeps_the_text_with_a_warning():
    """Regression: a crawl truncated inside a 3-byte character must not be re-read as GB18030 mojibake."""
    data = ("国务院办公厅关于印发的通知" * 5).encode()[:-1]
    decoded = decode_bytes(data)
    assert decoded.encoding == "utf-8"
    assert decoded.text.startswith("国务院办公厅") and decoded.text.endswith("\ufffd")
    assert decoded.warnings == ["invalid UTF-8 bytes replaced by U+FFFD"]


def test_a_stray_nul_byte_is_removed_not_read_as_utf16():
    decoded = decode_bytes("国务院办公厅关于".encode() + b"\x00" + "印发的通知".encode())
    assert decoded.text == "国务院办公厅关于印发的通知"
    assert decoded.warnings == ["1 NUL bytes removed"]


def test_real_utf8_texts_need_no_warning(corpus):
    paths = [*sorted((corpus / "wikisource-gov-work-reports" / "txt").glob("*.txt"))[:5],
             *sorted((corpus / "nfra-penalty-disclosures" / "txt").glob("*.txt")),
             *sorted((corpus / "seed-workplans").glob("*.txt"))]
    for path in paths:
        e = extract(path)
        assert e.warnings == [], path.name
        assert e.mime == "text/plain"
        assert e.pages == [path.read_text(encoding="utf-8")]


def test_damaged_question_marks_are_kept_as_text(corpus):
    """seed-workplans lost characters before it was saved (办事公??): text, not an encoding failure."""
    text = extract(corpus / "seed-workplans" / "2024年政务公开工作计划6篇.txt").text
    assert "办事公??" in text


def test_markdown_title_is_the_first_heading_and_the_text_has_no_markup(corpus):
    root = corpus / "lawrefbook-laws"
    with open(root / "manifest.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))[::300]
    for row in rows:
        e = extract(root / row["path"])
        assert e.mime == "text/markdown"
        assert e.metadata["title"] == e.text.splitlines()[0] and e.sources == {"title": "heading"}
        assert not re.search(r"^#|\*\*|<!--|INFO END", e.text, re.M), row["path"]
        source = (root / row["path"]).read_text(encoding="utf-8")
        visible = re.sub(r"<!--.*?-->|[#*\s]", "", source, flags=re.S)
        assert re.sub(r"\s", "", e.text) == visible, row["path"]   # every character shown is kept


MARKDOWN = """<!-- a comment before the title -->
## 说明

# 示例市数据管理办法

2019年6月20日 示例市人民政府令第18号公布

<!-- INFO END -->

## 第一章　总则

**第一条**　为了规范数据管理，根据<中华人民共和国数据安全法>，*制定*本办法。
本办法自公布之日起施行。

34. 拍卖成交后，必须即时钱物两清。

- 甲
- 乙

9．麦角酸*

<!-- TABLE -->
| 刑法条文 | 罪名 |
|-----|-----|
| 第152条第2款 | 走私废物罪 |

[示例网站](https://example.org) `代码` ![附图一](a.png)
"""


def test_markdown_is_rendered_as_the_plain_text_it_shows(tmp_path):
    path = tmp_path / "办法.md"
    path.write_text(MARKDOWN, encoding="utf-8")
    e = extract(path)
    assert e.metadata == {"title": "示例市数据管理办法"} and e.sources == {"title": "heading"}
    assert e.text == (
        "说明\n\n示例市数据管理办法\n\n2019年6月20日 示例市人民政府令第18号公布\n\n第一章　总则\n\n"
        "第一条　为了规范数据管理，根据<中华人民共和国数据安全法>，制定本办法。\n本办法自公布之日起施行。\n\n"
        "34. 拍卖成交后，必须即时钱物两清。\n\n甲\n乙\n\n9．麦角酸*\n\n"
        "刑法条文\t罪名\n第152条第2款\t走私废物罪\n\n示例网站 代码 附图一\n")


def test_markdown_without_a_level_one_heading_has_no_title(tmp_path):
    path = tmp_path / "a.md"
    path.write_text("## 第一章 总则\n\n第一条 正文。\n", encoding="utf-8")
    e = extract(path)
    assert e.metadata == {} and e.sources == {} and e.text == "第一章 总则\n\n第一条 正文。\n"


def test_crlf_is_normalized_and_empty_files_warn(tmp_path):
    crlf = tmp_path / "a.txt"
    crlf.write_bytes("第一行\r\n第二行\r\n".encode("gb18030"))
    assert extract(crlf).text == "第一行\n第二行\n"
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert extract(empty).warnings == ["empty document"]


def test_text_is_chosen_by_extension_only(tmp_path):
    """A .txt that is really a PDF goes to the PDF extractor; unknown extensions are not claimed."""
    assert choose(Path("a.txt"), b"plain words").name == "text"
    assert choose(Path("a.MD"), b"# title").name == "text"
    assert choose(Path("a.txt"), b"%PDF-1.4\n").name == "pdf"
    with pytest.raises(IngestError):
        choose(Path("a.xml"), b"<?xml version='1.0'?><rss>")
