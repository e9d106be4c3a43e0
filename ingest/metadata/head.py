"""The head of a 公文 (GB/T 9704): 发文机关标志, 发文字号, title, 主送机关; and 文号 in a file name."""
from __future__ import annotations

import re

from analyzers.agencies import SUFFIX
from analyzers.docnumber import DOC_NUMBER, DOC_NUMBER_LABEL

from .kinds import doc_type
from .text import CJK, FULLWIDTH_DIGITS, SENTENCE, WS, ZERO_WIDTH, is_date_line, simp, squash

_DOCNUM_FILENAME = re.compile(rf"(?P<code>[{CJK}]{{1,20}})(?P<year>(?:19|20)\d\d)[-_](?P<serial>\d+)号")
_BODY_START = re.compile(
    r"^(?:第[一二三四五六七八九十百零〇\d]+[章条节]|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|\d+[.、．])")
_SUBTITLE = re.compile(r"^(?:[—–\-－─]{2,}|(?:19|20)\d\d年\d{1,2}月\d{1,2}日)")  # ——2025年1月14日在…会议上
_EDITION = re.compile(r"[（(](?:正本|副本)[)）]$")   # 采矿许可证(正本)
_YEAR_MONTH = re.compile(r"^(?:(?:19|20)\d\d|[〇○零一二三四五六七八九]{4})年[\d一二三四五六七八九十]{1,2}月$")
_LABEL_LINE = re.compile(r"^[^：:\s]{1,8}[：:]\S")
_OPEN = re.compile(r"《[^》]*$|（[^）]*$|\([^)]*$")  # a bracket still open at the end of a line
_RECIPIENTS = re.compile(r"^(?P<who>[^。；！？：:]{2,200})[:：]$")


def head_doc_number(line: str) -> str | None:
    """The 发文字号 a header line starts with (as written), e.g. '国发〔2019〕5号  签发人：…'."""
    compact = WS.sub("", line.translate(ZERO_WIDTH))
    label = DOC_NUMBER_LABEL.match(simp(compact))
    compact = compact[label.end():] if label else compact
    m = DOC_NUMBER.match(simp(compact.translate(FULLWIDTH_DIGITS)))
    return compact[: m.end()] if m and m["hao"] else None


def filename_doc_number(filename: str) -> str | None:
    """A 文号 in a file name: 邯组通字〔2018〕39号_… or the bracketless 邯组通字2018-39号."""
    name = filename.translate(FULLWIDTH_DIGITS)
    m = DOC_NUMBER.search(simp(name))
    if m and m["hao"]:
        return name[m.start(): m.end()]
    m = _DOCNUM_FILENAME.search(simp(name))
    return f"{name[m.start('code'): m.end('code')]}〔{m['year']}〕{m['serial']}号" if m else None


def _issuer_mark(line: str) -> str | None:
    """The 发文机关标志 a line is: 'XX人民政府文件' or a bare agency name above the number."""
    name = line[:-2] if line.endswith("文件") else line
    name = WS.sub("", name)
    return name if 2 <= len(name) <= 40 and SUFFIX.search(simp(name)) and not SENTENCE.search(name) else None


def _title_lines(lines: list[str], start: int) -> tuple[list[str], int]:
    """Consecutive short header lines from `start` that make up the title, and the index after them."""
    out: list[str] = []
    for i in range(start, len(lines)):
        line = lines[i]
        if not line:
            if out:
                break
            continue
        if not out and _LABEL_LINE.match(line) and i - start < 3:
            continue  # 发票代码：… above an invoice's or a form's title
        if ("：" in line or ":" in line or "\t" in line or len(line) > 80 or SENTENCE.search(line)
                or head_doc_number(line) or is_date_line(line) or _BODY_START.match(line) or _SUBTITLE.match(line)
                or _YEAR_MONTH.match(line)):
            break
        if out or not (line.endswith("文件") and SUFFIX.search(simp(line[:-2]))):  # 发文机关标志 XX文件
            out.append(line)
        if len(out) == 4 or (out and _complete(squash("".join(out)), lines[i + 1] if i + 1 < len(lines) else "")):
            return out, i + 1
    else:
        i = len(lines)
    return out, i


def _complete(title: str, following: str) -> bool:
    """Whether a title 'XX关于…的函' is whole, so that an unpunctuated next line (主送机关 wrapped over two
    lines) is not part of it."""
    return ("关于" in simp(title) and bool(doc_type(title)) and not _OPEN.search(title)
            and not following.startswith(("的", "和", "及", "与", "、", "》", "）", ")")))


class Head:
    """What the first lines of a document say: title, 文号, 发文机关标志, 主送机关, where the body starts."""

    def __init__(self, head: list[str]):
        self.title: str | None = None
        self.doc_number: str | None = None
        self.issuer: str | None = None
        self.recipients: str | None = None
        self.end = 0
        nonblank = [i for i, line in enumerate(head) if line]
        if not nonblank:
            return
        start = nonblank[0]
        for i in nonblank[:12]:
            self.doc_number = head_doc_number(head[i])
            if self.doc_number:
                before = squash("".join(head[:i]))
                if not (before and ("关于" in simp(before) or doc_type(before))):
                    start = i + 1  # what precedes the number is the 发文机关标志, the title follows it
                    marks = [m for m in (_issuer_mark(head[j]) for j in nonblank if j < i) if m]
                    self.issuer = marks[0] if marks else None
                break
        else:
            first = head[nonblank[0]]
            if first.endswith("文件"):
                self.issuer = _issuer_mark(first)
        lines, end = _title_lines(head, start)
        following = next((line for line in head[end:] if line), "")
        title = _EDITION.sub("", squash("".join(lines)))
        cjk = sum(1 for ch in title if "\u4e00" <= ch <= "\u9fff")
        if (4 <= len(title) <= 120 and cjk >= max(4, len(title) / 3) and not following.startswith(tuple("。，；、）》”"))
                and not any(len(squash(line)) < 4 for line in lines[:-1])):  # (else table cells, not a title)
            self.title = title
        self.end = end
        for line in head[end:end + 4]:
            if not line or head_doc_number(line):
                continue
            m = _RECIPIENTS.match(line)
            if m and _are_recipients(m["who"]):
                self.recipients = m["who"]
            break


def _are_recipients(who: str) -> bool:
    """Whether a line before the body addresses agencies (各省、自治区…人民政府，国务院各部委：), not people."""
    first = re.split("[，、,]", who)[0]
    return not who.startswith("各位") and (first.startswith("各") or bool(SUFFIX.search(simp(first))))
