"""Mojibake: real corpus sentences garbled both ways are repaired when certain, kept and flagged otherwise."""
from __future__ import annotations

import csv
import difflib
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


def kept(original: str, fixed: str) -> int:
    """Characters of `original` found in order in `fixed`."""
    return sum(block.size for block in difflib.SequenceMatcher(None, original, fixed, autojunk=False).get_matching_blocks())


def test_lossy_utf8_read_as_gbk_is_repaired_when_clearly_better(titles):
    """With bytes replaced by U+FFFD the repair loses characters: made when the result reads clearly better
    (most titles), one U+FFFD a lost character, saying how many; otherwise kept and flagged."""
    lossy = repaired = 0
    for title in titles:
        garbled = title.encode("utf-8").decode("gbk", "replace")
        if "\ufffd" not in garbled:
            continue
        lossy += 1
        fixed = repair(garbled)
        if fixed.text == garbled:   # too short to tell (公务员法), or too much lost
            assert all(w.startswith("possible mojibake on 1 lines (UTF-8 read as GBK), not repaired:")
                       for w in fixed.warnings)
            continue
        repaired += 1
        lost = fixed.text.count("\ufffd")
        assert fixed.warnings == [f"mojibake repaired on 1 lines (UTF-8 read as GBK): {lost} characters lost"]
        assert kept(title, fixed.text) == len(fixed.text) - lost >= len(title) - 2 * lost, (title, fixed.text)
    assert lossy >= 50 and repaired >= 0.6 * lossy   # 63 of 91; none before


def test_lossy_mojibake_paragraph_is_repaired(corpus):
    """Regression: UTF-8 shown as Windows-1252 by a decoder that replaces its five undefined bytes (发 is
    E5 8F 91: 0x8F is lost) was left garbled; now repaired, the lost characters counted."""
    text = sorted((corpus / "wikisource-gov-work-reports" / "txt").glob("*.txt"))[0].read_text(encoding="utf-8")
    paragraph = next(line for line in text.splitlines() if len(CJK.findall(line)) >= 60)
    garbled = paragraph.encode("utf-8").decode("cp1252", "replace")
    assert "\ufffd" in garbled
    fixed = repair(garbled)
    lost = fixed.text.count("\ufffd")
    assert fixed.warnings == [f"mojibake repaired on 1 lines (UTF-8 read as Windows-1252): {lost} characters lost"]
    assert kept(paragraph, fixed.text) == len(fixed.text) - lost >= len(paragraph) - 2 * lost


def test_gbk_with_damaged_bytes_read_as_latin1_is_repaired():
    """GBK shown as Latin-1 where three bytes were then replaced by '?': GB18030 cannot read those pairs."""
    paragraph = "各县区人民政府，市政府各部门：现将《关于进一步做好政务公开工作的实施意见》印发给你们，请结合实际认真贯彻执行。"
    data = bytearray(paragraph.encode("gbk"))
    for i in (11, 41, 75):   # the second byte of three characters
        data[i] = ord("?")
    garbled = bytes(data).decode("latin-1")
    assert repair(garbled).text != garbled
    fixed = repair(garbled)
    assert fixed.warnings == ["mojibake repaired on 1 lines (GBK read as Windows-1252): 3 characters lost"]
    assert fixed.text.count("\ufffd") == 3
    assert kept(paragraph, fixed.text) == len(paragraph) - 3


def test_correct_text_is_never_repaired():
    """Simplified, traditional, English and mixed text, with stray U+FFFD and '?', read well already."""
    for text in ("关于进一步做好政务公开工作的实施意见", "關於進一步做好政務公開工作的實施意見（繁體）",
                 "The State Council issued the plan on 3 March.", "国务院关于印发《Made in China 2025》的通知",
                 "财政部 Ministry of Finance ¥1,000 × 3 ≈ 3,000 元", "国务院办公厅\ufffd关于印发的通知？", "é à ü ß ø"):
        assert repair(text) == (text, []), text


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
