"""The parts of a law or regulation: 编/分编/章/节 headings and 第X条 articles found in its text, and the
references in its sentences (依照本法第十二条) to its own articles."""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

NUMERAL = "零〇一二两三四五六七八九十百千0-9０-９"
_DIGITS = {**{c: i for i, c in enumerate("零一二三四五六七八九")}, "〇": 0, "两": 2}
_UNITS = {"十": 10, "百": 100, "千": 1000}
HEADING_KINDS = ("编", "分编", "章", "节")  # outermost first
_ANCHOR_PART = {"编": "part", "分编": "subpart", "章": "ch", "节": "sec"}
_CELL = 40  # a tab this close after 第X条 makes the line a table row, not an article
_PUNCT = "，。；：？！,;:?!"

# A heading is a line of its own: 第一章 总则, 第一章　总　则, 第一分编  通则, 第五章法律责任 (a short title
# without punctuation may follow the label directly), or the bare label. A title after a space may hold commas
# (第三章 审查和批准决算，听取…) but is no sentence (第一章 增加一条，作为第五条：).
_HEADING = re.compile(
    rf"^[^\S\n]*(?P<label>第(?P<n>[{NUMERAL}]+)(?P<kind>分编|编|章|节))"
    rf"(?:[^\S\n]+(?P<title>[^\n。；：？！;:?!]{{1,60}}?。?)|(?P<tight>[^\s\d的之中规和及或、{_PUNCT}][^\n{_PUNCT}]{{0,24}}?))?"
    r"[^\S\n]*$", re.M)
# An article begins a line: 第十二条 then a space (or a bracketed short title: 第一条【立法目的】, 第一条（目的）)
# or the end of the line. 第三十一条的决定》… (a history line broken in two) is no article.
_ARTICLE = re.compile(
    rf"^[^\S\n]*(?P<label>第(?P<n>[{NUMERAL}]+)条(?:之(?P<sub>[{NUMERAL}]+))?)"
    r"(?=[^\S\n]|$|【[^】\n]{1,20}】|（[^（）\n]{1,20}）)", re.M)
_REFERENCE = re.compile(rf"第(?P<n>[{NUMERAL}]+)条(?:之(?P<sub>[{NUMERAL}]+))?")
# What a cited 第X条 belongs to when another law's name (or its title in 《》) stands right before it.
_OWN = re.compile(r"本(?:法|条例|规定|办法|细则|实施细则|规则|决定|章程|准则|通则|解释)$")
_OTHER = re.compile(r"(?:[》〉>」]|法|法典|条例|规定|办法|细则|规则|决定|章程|准则|通则|解释|公约|协定|修正案)$")
# Between two cited articles of one list: 第十二条、第十三条; 第十二条第二款和第十五条; 第十二条至第十五条.
_TITLE_REACH = 200   # how far back an open 《 can make a 第X条 part of a cited title
_CHAIN = re.compile(rf"^(?:第[{NUMERAL}]+[款项目])*(?:、|，|和|或者|或|及|以及|与|至|到)$")


@dataclass(frozen=True)
class Section:
    """A heading (kind 编/分编/章/节, with its title) or an article (kind 条) found at the start of a line."""

    kind: str
    number: int
    sub: int        # 之一 of 第十七条之一 → 1; else 0
    label: str      # as written: 第十七条之一, 第三章
    title: str      # a heading's text after its label ("总则"); "" for articles
    line: int       # 0-based line number
    start: int      # offset of the label in the text
    end: int        # end of the label (articles) or of the heading line (headings)
    anchor: str     # a unique HTML id: art-12, art-17-1, ch-3, part-1-ch-2-sec-1

    @property
    def heading(self) -> bool:
        return self.kind != "条"


@dataclass(frozen=True)
class Reference:
    """A 第X条 inside a sentence that cites one of the document's own articles (`anchor`)."""

    start: int
    end: int
    anchor: str


def cn_number(s: str) -> int | None:
    """The value of a numeral as laws write them (十二, 一百零五, 一千二百六十, 二〇, 12, １２); None if malformed."""
    if not s:
        return None
    if s.isdigit():
        return int(s)
    total, digit = 0, None
    for ch in s:
        if ch in _DIGITS:
            digit = _DIGITS[ch] if digit is None else digit * 10 + _DIGITS[ch]
        elif ch in _UNITS:
            total += (1 if digit is None else digit) * _UNITS[ch]
            digit = None
        else:
            return None
    return total + (digit or 0)


def outline(text: str) -> list[Section]:
    """Every heading and article of `text` in order; anchors are unique within the text (an article number
    seen again, as in a text holding two regulations, gets -2, -3 …)."""
    found: list[tuple[int, re.Match, str]] = [(m.start("label"), m, "heading") for m in _HEADING.finditer(text)]
    found += [(m.start("label"), m, "article") for m in _ARTICLE.finditer(text)]
    found.sort(key=lambda f: f[0])
    sections: list[Section] = []
    used: dict[str, int] = {}
    path: dict[str, int] = {}
    line, pos = 0, 0
    for start, m, what in found:
        n = cn_number(m["n"])
        sub = cn_number(m["sub"]) if what == "article" and m["sub"] else 0
        if n is None or sub is None:
            continue
        if what == "article" and "\t" in text[m.end("label"):m.end("label") + _CELL].split("\n", 1)[0]:
            continue  # a table row (cells joined by tabs) that starts with a cited article: 第236条\t强奸罪
        line += text.count("\n", pos, start)
        pos = start
        if what == "article":
            kind, title, end = "条", "", m.end("label")
            anchor = f"art-{n}" + (f"-{sub}" if sub else "")
        else:
            kind, title, end = m["kind"], (m["title"] or m["tight"] or "").strip(), m.end()
            rank = HEADING_KINDS.index(kind)
            path = {k: v for k, v in path.items() if HEADING_KINDS.index(k) < rank}
            path[kind] = n
            anchor = "-".join(f"{_ANCHOR_PART[k]}-{path[k]}" for k in HEADING_KINDS if k in path)
        anchor = _unique(anchor, used)
        sections.append(Section(kind, n, sub, m["label"], title, line, start, end, anchor))
    return sections


def _unique(anchor: str, used: dict[str, int]) -> str:
    """`anchor`, or `anchor_2`, `anchor_3`… when it is taken (base anchors hold no '_', so these are new)."""
    used[anchor] = used.get(anchor, 0) + 1
    return anchor if used[anchor] == 1 else f"{anchor}_{used[anchor]}"


def runs(sections: list[Section]) -> list[int]:
    """For each article of `sections` (in order), which run of consecutively numbered articles it is in: a
    number not above the one before starts a new run (a second regulation in the same text)."""
    out, run, last = [], 0, (0, -1)
    for s in sections:
        if s.heading:
            continue
        if (s.number, s.sub) <= last:
            run += 1
        last = (s.number, s.sub)
        out.append(run)
    return out


def references(text: str, sections: list[Section] | None = None) -> list[Reference]:
    """The 第X条 in `text`'s sentences that cite its own articles (本法第十二条, 依照第三十条规定,
    第十二条、第十三条), each pointing at the article of that number in the same run; citations of other
    laws (刑法第十二条, 《…》第五条), titles in 《》 and articles the text does not hold are left out."""
    sections = outline(text) if sections is None else sections
    articles = [s for s in sections if not s.heading]
    if not articles:
        return []
    labels = {s.start for s in articles}
    headings = [(s.start, s.end) for s in sections if s.heading]
    article_runs = runs(sections)
    by_number = {(r, s.number, s.sub): s.anchor for s, r in zip(articles, article_runs)}
    starts = [s.start for s in articles]
    out: list[Reference] = []
    prev_end, prev_own = -1, False
    for m in _REFERENCE.finditer(text):
        if m.start() in labels or any(s <= m.start() < e for s, e in headings):
            continue
        line_start = text.rfind("\n", 0, m.start()) + 1
        before = text[max(line_start, m.start() - _TITLE_REACH):m.start()]   # bounded: long lines stay linear
        if prev_end >= line_start and _CHAIN.match(text[prev_end:m.start()]):
            own = prev_own
        elif before.count("《") > before.count("》") or before.count("〈") > before.count("〉"):
            own = False  # inside a title: 《国务院关于修改〈…〉第十二条的决定》
        else:
            own = bool(_OWN.search(before[-8:])) or not _OTHER.search(before[-8:])
        prev_end, prev_own = m.end(), own
        n, sub = cn_number(m["n"]), cn_number(m["sub"]) if m["sub"] else 0
        if not own or n is None or sub is None:
            continue
        run = article_runs[max(0, bisect.bisect_left(starts, m.start()) - 1)]
        anchor = by_number.get((run, n, sub))
        if anchor:
            out.append(Reference(m.start(), m.end(), anchor))
    return out
