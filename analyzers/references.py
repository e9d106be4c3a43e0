"""References from one document to others: every 《title》 and every 文号 in its text, with the sentence
it stands in, the article (第X条) it stands under, and the relation the sentence states (pure, no I/O).

Titles are keyed the way people write them: without 中华人民共和国, brackets, spaces or a trailing
（2019年修订）/（国发〔2019〕5号）; the title of a 印发/转发…的通知 wrapper also has the key of what it
publishes (`alt_key`). A 文号 beside a title, a date before it and the article after it are read too."""
from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass

from .docnumber import DOC_NUMBER, match_key, parse_doc_number
from .normalize import normalize

# The relation a sentence states, from the citing document to the target. `amended_by`: the citing text
# records that the target changed it (a law's 修正/修订 history); `amends`: the citing text changes it.
TYPES = ("cites", "implements", "amends", "amended_by", "repeals", "interprets")
LABELS = {"cites": "引用", "implements": "贯彻实施", "amends": "修改", "amended_by": "被修改",
          "repeals": "废止", "interprets": "解释"}

_TITLE = re.compile(r"《([^《》。\n]{1,150}(?:\n[^《》。\n]{1,100})?)》")  # one line break: a wrapped heading
_BOUNDARY = "。！？；;!?\n"
_ARTICLE = re.compile(r"(?m)^[ \t\u3000#*]*(第[零〇一二三四五六七八九十百千\d]+条)(?:之[一二三四五六七八九十]+)?")
_CITED_ARTICLE = re.compile(r"^(?:的)?(第[零〇一二三四五六七八九十百千\d]+条)")
_PAREN_AFTER = re.compile(r"^\s*[（(]([^（）()\n]{2,60})[）)]")
_DATE = re.compile(r"((?:19|20)\d\d)年(?:(\d{1,2})月(?:(\d{1,2})日)?)?")
_BRACKET_YEAR = re.compile(r"[〔\[【(（［﹝〖](?:19|20)\d\d[〕\]】)）］﹞〗]")
_ALIAS = re.compile(r"简称[:：]?\s*$")
_ALIAS_IN = re.compile(r"简称[:：]?\s*[《“\"]([^》”\"]{1,30})[》”\"]")

# What ends the title of a document (after a trailing （试行） and the like); anything else between
# 《》 is a book, a newspaper, a form or a certificate.
_DOC_SUFFIX = re.compile(
    r"(?:法|法典|典|汇报|条例|规定|办法|细则|规则|决定|通知|意见|解释|批复|答复|复函|函|规划|方案|纲要|公告|通告|通报|章程|"
    r"标准|准则|决议|目录|名录|清单|请示|报告|修正案|协定|公约|条约|议定书|协议|通则|规程|守则|制度|规范|指南|"
    r"指引|要点|计划|命令|令|批示|纪要|规约|宪章|程序|措施|要求|须知|说明)$")
_GENERIC = frozenset(("决定", "通知", "意见", "办法", "条例", "规定", "细则", "规则", "方案", "规划", "解释", "批复",
                      "公告", "通告", "函", "报告", "请示", "纲要", "实施细则", "实施办法", "实施意见", "实施方案",
                      "法", "本法", "本条例", "本办法", "本规定", "决议", "章程", "标准", "协定", "目录", "清单"))
_TRAILING_PAREN = re.compile(r"[(（][^()（）]*(?:\d{4}|修订|修正|修改|号)[^()（）]*[)）]$")
_QUALIFIER = re.compile(r"[(（](?:试行|暂行|草案|征求意见稿|修订稿|修正案)[)）]$")
_KEY_DROP = re.compile(r"[\s《》〈〉<>“”\"'‘’「」『』、，,·・:：]|中华人民共和国")
_WRAPPED = re.compile(r"(?:印发|转发|发布|颁布|公布)(.+)的(?:通知|决定|命令|公告|通告|令)$")

# Keywords read from the sentence, nearest to the reference first; `_AFTER` ones follow the title.
_AFTER = (
    ("repeals", re.compile(r"^[^，,。；;]{0,12}?(?:同时废止|予以废止|即行废止|废止|停止执行|不再执行|同时停止|作废|失效)")),
    ("amended_by", re.compile(r"^\s*(?:第[一二三四五六七八九十\d]+次)?(?:修正|修订)(?!案|草案|的)")),
    ("amends", re.compile(r"^[^，,。；;]{0,8}?(?:作如下修改|作出如下修改|作如下修订|作相应修改|修改如下|的修改|进行修改|"
                          r"予以修改|部分条款)")),
    ("interprets", re.compile(r"^[^，,。；;]{0,20}?的(?:解释|理解)")),
    ("repeals", re.compile(r"^[^，,。；;]{0,4}?(?:代替|取代|替代)")),
    # the last of a list (《A》、…《B》和《C》同时废止): the sentence ends with the repeal
    ("repeals", re.compile(r"^[^，,。；;]*?(?:同时废止|予以废止|废止|停止执行|不再执行)[。；;]?\s*$")),
)
_BEFORE = re.compile(
    r"(根据|依据|依照|按照|遵照|参照|适用|依|据)|(贯彻落实|贯彻执行|贯彻|落实|执行|(?<!调整)实施)|(修改|修订|修正)|"
    r"(废止|代替|取代|替代|停止执行|不再执行)|(解释)")
_BEFORE_TYPES = ("cites", "implements", "amends", "repeals", "interprets")
_WINDOW = 80  # how far before a reference its keyword may stand (within the sentence)
# Words that run into a bare 文号's 机关代字 in running text (按照国办发〔2018〕15号): cut before them.
_CODE_LEAD = re.compile(r"^.*(?:根据|按照|依照|依据|参照|执行|落实|贯彻|印发|转发|关于|的|和|及|与|了|是|在|对|以|将|经|见|即|为|按|号|文)")


@dataclass(frozen=True)
class Reference:
    """One reference: a 《title》 (kind 'title', perhaps with a 文号 beside it) or a bare 文号 ('docno')."""
    kind: str
    text: str           # the title as written, without 《》 (or the 文号 as written)
    title_key: str      # title_key(text); '' for a bare 文号
    alt_key: str        # what a 印发/转发…的通知 title publishes, keyed; else ''
    docno_key: str      # match key of the 文号 beside the title or of the bare 文号; else ''
    date: str           # a date written before it or beside it: 'YYYY-MM-DD', 'YYYY-MM' or 'YYYY'; else ''
    type: str           # one of TYPES
    sentence: str
    article: str        # the 第X条 of the citing text it stands under, else ''
    cited_article: str  # the 第X条 of the target written right after it, else ''
    start: int          # offset in the text


def title_key(title: str) -> str:
    """The key titles are matched by: normalized characters, no brackets, quotes, spaces, 中华人民共和国,
    or a trailing （2019年修订） or （…号）; (试行) and the like are kept."""
    t = normalize(title.strip())
    while True:
        stripped = _TRAILING_PAREN.sub("", t).strip()
        if stripped == t:
            break
        t = stripped
    return _KEY_DROP.sub("", t)


def wrapped_key(title: str) -> str:
    """For 关于印发〈X〉的通知 and the like, the key of X; else ''."""
    m = _WRAPPED.search(normalize(title.strip()))
    return title_key(m[1]) if m and is_document_title(m[1].strip("〈〉<>《》")) else ""


def document_keys(title: str, doc_number: str) -> list[tuple[str, str]]:
    """The (key, kind) a document is found by: kind 'title', 'inner' (what its 印发 wrapper publishes)
    and 'docno'."""
    keys = []
    if title and (k := title_key(title)):
        keys.append((k, "title"))
        if (inner := wrapped_key(title)) and inner != k:
            keys.append((inner, "inner"))
    parsed = parse_doc_number(doc_number, whole=True) if doc_number else None
    if parsed:
        keys.append((match_key(parsed["normalized"]), "docno"))
    return keys


def is_document_title(title: str) -> bool:
    """Whether the text between 《》 names a document (not a book, form, newspaper or an abbreviation)."""
    t = re.sub(r"\s+", "", title)
    while (q := _QUALIFIER.sub("", t)) != t or (q := _TRAILING_PAREN.sub("", t)) != t:
        t = q
    t = re.sub(r"[〈<][^〉>]*[〉>]$", "x", t) if t.endswith(("〉", ">")) else t
    return len(t) >= 2 and t not in _GENERIC and bool(_DOC_SUFFIX.search(t))


def _date_hint(before: str, paren: str) -> str:
    """The date written before a reference (same clause) or in the parenthesis after it."""
    m = next(reversed(list(_DATE.finditer(before))), None)
    if m is None and paren:
        m = _DATE.search(paren)
    if m is None:
        return ""
    return "-".join(p.zfill(2) if i else p for i, p in enumerate(g for g in m.groups() if g))


def relation_type(before: str, after: str) -> str:
    """The relation a sentence states for a reference, from the text `before` it (in its sentence) and
    `after` it (to the end of the sentence); 'cites' when it states none."""
    for kind, pattern in _AFTER:
        if pattern.search(after):
            return kind
    best = None
    for m in _BEFORE.finditer(before[-_WINDOW:]):
        best = m
    if best is None:
        return "cites"
    return _BEFORE_TYPES[(best.lastindex or 1) - 1]


def _own_number_lines(text: str) -> set[str]:
    """文号 standing alone on a line in the head of the text: the document's own, not references."""
    own = set()
    for line in text[:2000].splitlines()[:20]:
        if "号" not in line or len(line) > 40:
            continue
        parsed = parse_doc_number(line.strip(), whole=True)
        if parsed:
            own.add(match_key(parsed["normalized"]))
    return own


def _bare_numbers(text: str) -> Iterator[re.Match]:
    """DOC_NUMBER matches, looked for only where a bracketed year stands (scanning the whole text with
    DOC_NUMBER tries a match at every character)."""
    for y in _BRACKET_YEAR.finditer(text):
        m = DOC_NUMBER.search(text, max(0, y.start() - 20), y.end() + 12)
        if m and m.start("year") == y.start() + 1:
            yield m


MAX_SENTENCE = 400  # characters read on each side of a reference: a text without 。；or line breaks stays linear


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around text[start:end], at most MAX_SENTENCE characters on each side."""
    lo, hi = max(0, start - MAX_SENTENCE), min(len(text), end + MAX_SENTENCE)
    s = max(lo - 1, *(text.rfind(c, lo, start) for c in _BOUNDARY)) + 1
    ends = [i for i in (text.find(c, end, hi) for c in _BOUNDARY) if i >= 0]
    e = min(ends) + 1 if ends else hi
    return s, e


def _clip(text: str, s: int, e: int, start: int, end: int, width: int = 200) -> str:
    """The sentence, cut to about `width` characters around the reference when longer."""
    if e - s > width:
        s = max(s, start - width // 2)
        e = min(e, max(end + width // 2, s + width))
    return re.sub(r"\s+", " ", text[s:e]).strip()


def extract(text: str, doc_number: str = "") -> list[Reference]:
    """Every reference in `text`, in order; the document's own 文号 (`doc_number`, or one standing alone on a
    line of its head) is not one."""
    own = _own_number_lines(text)
    parsed_own = parse_doc_number(doc_number, whole=True) if doc_number else None
    if parsed_own:
        own.add(match_key(parsed_own["normalized"]))
    articles = [(m.start(), m[1]) for m in _ARTICLE.finditer(text)]
    positions = [p for p, _ in articles]
    aliases: set[str] = set()
    refs: list[Reference] = []
    covered: list[tuple[int, int]] = []  # spans of titles and the 文号 read beside them

    def article_at(pos: int) -> str:
        i = bisect.bisect_right(positions, pos) - 1
        return articles[i][1] if i >= 0 else ""

    for m in _TITLE.finditer(text):
        title = m[1].strip()
        s, e = _sentence(text, m.start(), m.end())
        before, after_all = text[s:m.start()], text[m.end():e]
        if _ALIAS.search(before[-6:]):
            aliases.add(title)
            covered.append((m.start(), m.end()))
            continue
        paren = _PAREN_AFTER.match(after_all)
        paren_text = paren[1] if paren else ""
        alias = _ALIAS_IN.search(paren_text)
        if alias:
            aliases.add(alias[1])
        docno = parse_doc_number(paren_text.split("，")[0].split(",")[0]) if paren_text else None
        end = m.end() + (paren.end() if paren and (docno or _DATE.search(paren_text)) else 0)
        covered.append((m.start(), end))
        if title in aliases or not is_document_title(title):
            continue
        after = text[end:e]
        clause = re.split(r"[，,、》]", before)[-1]
        cited = _CITED_ARTICLE.match(after.lstrip())
        refs.append(Reference(
            kind="title", text=re.sub(r"\s+", "", title), title_key=title_key(title), alt_key=wrapped_key(title),
            docno_key=match_key(docno["normalized"]) if docno else "",
            date=_date_hint(clause, paren_text), type=relation_type(before, after),
            sentence=_clip(text, s, e, m.start(), end), article=article_at(m.start()),
            cited_article=cited[1] if cited else "", start=m.start()))
    starts = [c[0] for c in covered]
    for m in _bare_numbers(text):
        i = bisect.bisect_right(starts, m.start()) - 1
        if i >= 0 and covered[i][0] <= m.start() < covered[i][1]:
            continue  # inside or beside a title: read with it
        lead = _CODE_LEAD.match(m["code"][-10:])
        written = m[0][len(m["code"]) - len(m["code"][-10:]) + (lead.end() if lead else 0):]
        parsed = parse_doc_number(written)
        if parsed is None or not m["hao"]:
            continue
        key = match_key(parsed["normalized"])
        if key in own:
            continue
        s, e = _sentence(text, m.start(), m.end())
        start = m.end() - len(written)
        refs.append(Reference(
            kind="docno", text=written, title_key="", alt_key="", docno_key=key, date=str(parsed["year"]),
            type=relation_type(text[s:start], text[m.end():e]), sentence=_clip(text, s, e, start, m.end()),
            article=article_at(start), cited_article="", start=start))
    refs.sort(key=lambda r: r.start)
    return refs
