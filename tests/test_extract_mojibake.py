"""Mojibake: real corpus sentences garbled both ways are repaired when certain, kept and flagged otherwise."""
from __future__ import annotations

import csv
import re
import zipfile
from pathlib import Path

import pytest

from ingest.extractors.html import HtmlExtractor
from ingest.extractors.text import TextExtractor
from ingest.mojibake import repair

GBK_ZIP = "provincial-work-reports-2025/original_31省区市政府工作报告_gbk-filenames.zip"
_CP1252_UNDEFINED = b"\x81\x8d\x8f\x90\x9d"
CJK = re.compile(r"[\u4e00-\u9fff]")


def as_cp1252(data: bytes) -> str:
    """Bytes decoded as a browser decodes windows-1252: the five undefined bytes become C1 controls."""
    return "".join(chr(b) if b in _CP1252_UNDEFINED else bytes((b,)).decode("cp1252") for b in data)


@pytest.fixture(scope="module")
def titles(corpus) -> list[str]:
    """The 40 real gov.cn titles plus 60 law titles (of 4 characters or more: shorter is never repaired)."""
    with open(corpus / "govcn-2019-zhouynf" / "metadata.csv", encoding="utf-8") as f:
        govcn = [row["title"].strip() for row in csv.DictReader(f)]
    with open(corpus / "lawrefbook-laws" / "manifest.csv", encoding="utf-8") as f:
        laws = [row["title"].strip() for row in csv.DictReader(f)][::50][:60]
    return [title for title in govcn + laws if len(CJK.findall(title)) >= 4]


def test_gbk_read_as_cp1252_or_latin1_is_repaired(titles):
    """¹ØÓÚ for 关于: GBK bytes shown as Windows-1252 / Latin-1 text, every title back exactly."""
    for title in titles:
        data = title.encode("gb18030")
        for garbled in (as_cp1252(data), data.decode("latin-1")):
            fixed = repair(garbled)
            assert fixed.text == title
            assert fixed.warnings == ["mojibake repaired (GBK read as Windows-1252)"]


def test_utf8_read_as_cp1252_is_repaired(titles):
    for title in titles:
        fixed = repair(as_cp1252(title.encode("utf-8")))
        assert (fixed.text, fixed.warnings) == (title, ["mojibake repaired (UTF-8 read as Windows-1252)"])


def test_utf8_read_as_gbk_is_repaired_when_nothing_was_lost(titles):
    """鍏充簬 for 关于: repaired when the wrong decoding kept every byte (GB18030 keeps odd pairs)."""
    lossless = 0
    for title in titles:
        try:
            garbled = title.encode("utf-8").decode("gb18030")
        except UnicodeDecodeError:
            continue
        lossless += 1
        assert repair(garbled) == (title, ["mojibake repaired (UTF-8 read as GBK)"])
    assert lossless >= 10


def test_lossy_utf8_read_as_gbk_is_kept_and_flagged(titles):
    """With bytes replaced by U+FFFD the repair is not certain: the text stays, with a warning."""
    lossy = flagged = 0
    for title in titles:
        garbled = title.encode("utf-8").decode("gbk", "replace")
        if "\ufffd" not in garbled:
            continue
        lossy += 1
        fixed = repair(garbled)
        assert fixed.text == garbled
        if fixed.warnings:
            assert len(fixed.warnings) == 1 and fixed.warnings[0].startswith(
                "possible mojibake on 1 lines (UTF-8 read as GBK), not repaired:"), title
            flagged += 1
    assert lossy >= 50 and flagged >= 0.9 * lossy


def test_real_gbk_zip_member_names(corpus):
    """The corpus zip stores GBK names without the UTF-8 flag; zipfile shows them as CP437."""
    expected = {p.name for p in (corpus / "provincial-work-reports-2025" / "docx").glob("*.docx")}
    with zipfile.ZipFile(corpus / GBK_ZIP) as z:
        names = [info.filename for info in z.infolist()]
    assert names and not set(names) & expected
    repaired = {repair(name).text for name in names}
    assert repaired == expected


def test_garbled_twice_is_repaired_twice(titles):
    title = titles[0]
    twice = title.encode("gb18030").decode("latin-1").encode("utf-8").decode("latin-1")
    fixed = repair(twice)
    assert fixed.text == title
    assert fixed.warnings == ["mojibake repaired (UTF-8 read as Windows-1252)",
                              "mojibake repaired (GBK read as Windows-1252)"]


def test_one_garbled_line_in_a_good_text(titles):
    good = "\n".join(titles[1:6])
    garbled = titles[0].encode("gb18030").decode("latin-1")
    fixed = repair(f"{garbled}\n{good}")
    assert fixed.text == f"{titles[0]}\n{good}"
    assert fixed.warnings == ["mojibake repaired on 1 lines (GBK read as Windows-1252)"]


def test_clean_texts_are_left_alone(corpus):
    """No false alarm on real simplified, traditional (Big5) and damaged-but-not-mojibake (办事公??) texts."""
    paths = [corpus / "seed-workplans" / "2024年政务公开工作计划6篇.txt",
             *sorted((corpus / "wikisource-gov-work-reports" / "txt").glob("*.txt"))[:10],
             *sorted((corpus / "lawrefbook-laws").rglob("*.md"))[::400]]
    for path in paths:
        text = path.read_text(encoding="utf-8")
        assert repair(text) == (text, []), path.name
    for path in sorted((corpus / "chardet-legacy-encodings" / "Big5").iterdir()):
        text = path.read_bytes().decode("cp950")
        assert repair(text) == (text, []), path.name
    for text in ("", "plain ASCII", "Café crème, naïve résumé — déjà vu", "价格 ¥12.5 × 3 ≈ 37.5 °C"):
        assert repair(text) == (text, [])


def test_replacement_characters_are_flagged():
    text = "国务院办公厅" + "\ufffd" * 12 + "关于印发的通知" * 20
    assert repair(text).warnings == ["12 replacement characters (U+FFFD): text damaged by a wrong decoding"]


def test_text_and_html_extractors_repair(tmp_path, titles):
    title = titles[1]
    garbled = title.encode("gb18030").decode("latin-1")
    txt = tmp_path / "garbled.txt"
    txt.write_text(f"{garbled}\n正文。\n", encoding="utf-8")
    e = TextExtractor().extract(txt)
    assert e.text == f"{title}\n正文。\n"
    assert e.warnings == ["mojibake repaired on 1 lines (GBK read as Windows-1252)"]
    page = tmp_path / "garbled.html"
    page.write_text(f'<html><head><meta charset="utf-8"><meta name="ArticleTitle" content="{garbled}"></head>'
                    f"<body><p>{garbled}</p></body></html>", encoding="utf-8")
    e = HtmlExtractor().extract(page)
    assert e.metadata["title"] == title and e.text == title
    assert e.warnings == ["mojibake repaired (GBK read as Windows-1252)"]


def test_damaged_seed_workplans_is_kept(corpus):
    path = corpus / "seed-workplans" / "2024年政务公开工作计划6篇.txt"
    e = TextExtractor().extract(Path(path))
    assert "办事公??" in e.text and e.warnings == []


def test_gbk_page_declared_latin1(tmp_path, titles):
    """Old gov sites often declare iso-8859-1 for GBK pages: the declared reading is mojibake, repaired here."""
    title = titles[2]
    page = tmp_path / "latin1.html"
    page.write_bytes(f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'
                     f"</head><body><p>{title}</p><p>各县区人民政府：现将有关事项通知如下。</p></body></html>"
                     .encode("gb18030"))
    e = HtmlExtractor().extract(page)
    assert e.text.splitlines() == [title, "各县区人民政府：现将有关事项通知如下。"]
    assert e.warnings == ["mojibake repaired (GBK read as Windows-1252)"]
