"""Personal information in a document's text: 身份证号 (GB 11643 check digit and birth date; old 15-digit ones
when labelled), mainland 手机号, bank card and account numbers (Luhn and a card prefix, or a 账号/卡号/开户行
label), and a person's name where it stands next to one of those or in a labelled cell of the same row.

A name alone is not a finding: the names of punished parties in 行政处罚信息公开 and of people in 任免 or
公示 notices are published by law; what disclosure rules withhold or redact is the identifying number beside
a name (and the name that identifies whose number it is). Each finding carries a masked preview only
(110***********1234): the value itself must never reach a log or a page.

Pure (no I/O): every package may import it.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

VERSION = 1  # bump when what is found changes: stored findings of older versions are computed again
KINDS = {"id_card": "身份证号", "phone": "手机号", "bank_card": "银行卡号/账号", "name": "姓名"}
IDENTIFIERS = ("id_card", "phone", "bank_card")  # a finding of these makes a document need a look

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_PROVINCES = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53,
              54, 61, 62, 63, 64, 65, 71, 81, 82, 83}
_NOT_ALNUM_BEFORE, _NOT_ALNUM_AFTER = r"(?<![0-9A-Za-z])(?<!\d\.)", r"(?![0-9A-Za-z])(?!\.\d)"  # (not in 14197.16981)
_ID18 = re.compile(_NOT_ALNUM_BEFORE + r"\d{17}[\dXx]" + _NOT_ALNUM_AFTER)
_ID15 = re.compile(_NOT_ALNUM_BEFORE + r"\d{15}" + _NOT_ALNUM_AFTER)
# 纳税人识别号 of a 个体工商户: the owner's 身份证号 and two more digits.
_TAX_ID = re.compile(r"(?:纳税人识别号|税务登记号|识别号)[:：\s]*(\d{17}[\dXx]\d{2}|\d{17})" + _NOT_ALNUM_AFTER)
_PHONE = re.compile(r"(?:(?<=\+86)|(?<=\+86[\s-])|(?<=\(\+86\))|(?<=（\+86）)|" + _NOT_ALNUM_BEFORE + r")"
                    r"1[3-9]\d(?:\d{8}|([\s-])\d{4}\1\d{4}|\s?\d{4}\s?\d{4})" + _NOT_ALNUM_AFTER)
_CARD = re.compile(_NOT_ALNUM_BEFORE + r"(?:\d{16,19}|\d{4}(?:([ -])\d{4}){3}(?:[ -]?\d{1,3})?)" + _NOT_ALNUM_AFTER)
_CARD_PREFIX = re.compile(r"^(?:62|60|65|4|5[1-5]|35|95)")
# A labelled account: the label, maybe a bank's name, then the digits (groups of digits allowed).
_ACCOUNT = re.compile(r"(?:账号|帐号|卡号|账户|帐户|开户行|开户银行)(?:及账号|及帐号|号码|号)?[:：\s]*"
                      r"[^\d\n\t:：]{0,40}?(\d{4,}(?:[ -]\d+){0,6})" + _NOT_ALNUM_AFTER)
_ACCOUNT_DIGITS = (8, 30)
_ID_LABEL = re.compile(r"(?:身份证|身份证件|公民身份号码|身份号码|证件号码|证件号|身份证号码)[:：\s]*$")
# Numbers that are something else when one of these labels stands just before them on the same line.
_OTHER_NUMBER = re.compile(r"(?:订单|单号|编号|发票号码|发票代码|校验码|机器编号|流水号|客票号码|证号|许可证|索引号|文号|"
                           r"代码|批号|案号|合同号|序列号|交易号|工单|票号|检验码|验证码|No\.?|NO\.?)[^\n]{0,12}$")
_NOT_AN_ID = re.compile(r"(?:订单|单号|发票号码|发票代码|校验码|流水号|交易号|票号|客票号码)[^\n]{0,12}$")
_ANY_NUMBER = re.compile(r"\d{3}[\s-]?\d{4}")  # every kind of number found holds one
_URL = re.compile(r"(?:https?://|www\.|\b[A-Za-z0-9-]+\.(?:cn|com|net|org)/)[^\s\u3000，。；;）)」》\"'<>]*")
_SEP = re.compile(r"[\s-]")
_HALF_WIDTH = str.maketrans("０１２３４５６７８９Ｘｘ＋－", "0123456789Xx+-")   # as OCR and some PDFs print numbers

# A person's name: a surname then one or two characters (three for a compound surname), nothing more.
_SURNAMES_1 = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆"
    "汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍"
    "庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍"
    "华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬"
    "师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘"
    "满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍"
    "辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植"
    "衡富尧闭由")
_SURNAMES_2 = ("欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "夏侯",
               "令狐", "端木", "独孤", "南宫", "西门", "轩辕", "呼延", "万俟", "闻人", "澹台", "公冶", "宗政", "濮阳")
_HAN = "\u4e00-\u9fff"
# Not a person: an organisation, a role, a placeholder, or a name already masked (王某某, 张*).
_NOT_PERSON = re.compile(r"(?:公司|银行|分行|支行|集团|中心|委员会|局|厅|部|处|科|院|所|校|社|站|店|厂|队|办|会|组|行|"
                         r"个人|管理员|某|[*＊×X]|先生|女士|同志|本人|无|不详)")
# Labels of the person a number belongs to: looked for on the number's line and the lines beside it (a form
# of one label and value per line). 法定代表人, 负责人 or 承办人 name a role of an organisation or an office,
# published with it: never a finding.
_HOLDER_LABELS = ("姓名", "名字", "户名", "开户名", "持卡人", "当事人", "当事人姓名", "旅客姓名", "乘机人", "患者",
                  "学生姓名", "申请人", "被申请人", "本人姓名")
# Labels that name whose number it is only on the number's own line (an invoice's 收款人 is a clerk).
_LINE_LABELS = ("名称", "当事人名称", "购买方名称", "购方名称", "联系人", "收款人", "付款人")
_NAME_LABELS = _HOLDER_LABELS + _LINE_LABELS


def _labelled(labels: tuple[str, ...]) -> re.Pattern:
    """A label and the name after it: 姓名张三 (a label ending in 名 may run into its value), 当事人：张三 (the
    others need a colon, a space or a tab: 当事人申请再审 is no name)."""
    tight = "|".join(sorted((re.escape(x) for x in labels if x.endswith(("名", "名字", "名称"))), key=len, reverse=True))
    loose = "|".join(sorted(map(re.escape, labels), key=len, reverse=True))
    return re.compile(rf"(?:(?:{tight})[:：\s]*|(?:{loose})(?:[（(][^）)\n]{{0,8}}[）)])?[:：\s]+)"
                      rf"([{_HAN}·]{{2,5}})(?![{_HAN}])")


_LABELLED_NAME, _HOLDER_NAME = _labelled(_NAME_LABELS), _labelled(_HOLDER_LABELS)
# An unlabelled name just before an ID: 张三，身份证号…; 张三（男，身份证号码…）
_NAME_BEFORE_ID = re.compile(rf"([{_HAN}·]{{2,4}})[，,、\s]*[（(]?(?:[男女][，,、\s]*)?(?:身份证|公民身份号码|证件号码)")


@dataclass(frozen=True)
class Finding:
    """One span of personal information in a text: its kind, where it is, and a masked preview."""

    kind: str        # id_card | phone | bank_card | name
    start: int       # offset in the text (characters)
    end: int
    masked: str      # the value with all but a few characters starred; the only form ever shown
    why: str = ""    # how it was recognised (check digit, label, beside an ID …)

    @property
    def label(self) -> str:
        return KINDS[self.kind]


_Add = Callable[[str, int, int, str], None]  # add(kind, start, end, why): a finding unless its span is taken


def id_check_digit(first17: str) -> str:
    """The GB 11643-1999 check character of the first 17 digits of a 身份证号."""
    return _ID_CHECK[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS)) % 11]


def _valid_date(y: int, m: int, d: int) -> bool:
    try:
        born = date(y, m, d)
    except ValueError:
        return False
    return date(1890, 1, 1) <= born <= date.today()


def valid_id18(s: str) -> bool:
    """Whether `s` is an 18-character 身份证号: a province code, a real birth date, the right check digit."""
    if len(s) != 18 or not s[:17].isdigit() or int(s[:2]) not in _PROVINCES:
        return False
    return _valid_date(int(s[6:10]), int(s[10:12]), int(s[12:14])) and id_check_digit(s[:17]) == s[17].upper()


def valid_id15(s: str) -> bool:
    """Whether `s` may be a first-generation 15-digit 身份证号 (province code and a 19YYMMDD birth date)."""
    return len(s) == 15 and s.isdigit() and int(s[:2]) in _PROVINCES and \
        _valid_date(1900 + int(s[6:8]), int(s[8:10]), int(s[10:12]))


def luhn(digits: str) -> bool:
    """Whether a digit string passes the Luhn check (ISO/IEC 7812), as bank card numbers do."""
    total = 0
    for i, c in enumerate(reversed(digits)):
        n = int(c) * (2 if i % 2 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def mask(kind: str, value: str) -> str:
    """The preview of a value: 身份证号 110***********1234, 手机号 138****5678, card 6222***********0123, name 张*."""
    if kind == "name":
        return value[:2] + "*" * (len(value) - 2) if value[:2] in _SURNAMES_2 else value[:1] + "*" * (len(value) - 1)
    v = _SEP.sub("", value)
    keep = {"id_card": (3, 4), "phone": (3, 4), "bank_card": (4, 4)}[kind]
    if len(v) <= sum(keep):
        return "*" * len(v)
    return v[:keep[0]] + "*" * (len(v) - sum(keep)) + v[-keep[1]:]


def is_person_name(s: str) -> bool:
    """Whether `s` reads as a person's name (a known surname and one to three more characters), not an
    organisation, a role or a placeholder."""
    if _NOT_PERSON.search(s):
        return False
    if s[:2] in _SURNAMES_2:
        return 3 <= len(s) <= 5
    return s[:1] in _SURNAMES_1 and 2 <= len(s) <= 4


def find(text: str) -> list[Finding]:
    """Every finding in `text`, in order of position (overlaps resolved: an ID before a card or phone)."""
    text = text.translate(_HALF_WIDTH)   # one character for one: offsets stay those of the text given
    if not _ANY_NUMBER.search(text):  # (most documents: one quick pass)
        return []
    taken = bytearray(len(text))  # 1 where a URL or an earlier finding is: spans never overlap
    for m in _URL.finditer(text):
        taken[m.start():m.end()] = b"\1" * (m.end() - m.start())
    found: list[Finding] = []

    def add(kind: str, a: int, b: int, why: str) -> None:
        if not any(taken[a:b]):
            taken[a:b] = b"\1" * (b - a)
            found.append(Finding(kind, a, b, mask(kind, text[a:b]), why))

    for m in _ID18.finditer(text):
        if valid_id18(m[0]) and not _other_number(text, m.start(), _NOT_AN_ID):
            add("id_card", m.start(), m.end(), "校验位正确")
    for m in _TAX_ID.finditer(text):  # 个体工商户 纳税人识别号 = 身份证号 + 2 digits
        if valid_id18(m[1][:18]) or (len(m[1]) == 17 and valid_id15(m[1][:15])):
            n = 18 if valid_id18(m[1][:18]) else 15
            add("id_card", m.start(1), m.start(1) + n, "纳税人识别号内含身份证号")
    for m in _ID15.finditer(text):
        if valid_id15(m[0]) and _ID_LABEL.search(text[max(0, m.start() - 12):m.start()]):
            add("id_card", m.start(), m.end(), "身份证标签")
    for m in _ACCOUNT.finditer(text):
        digits = _SEP.sub("", m[1])
        if _ACCOUNT_DIGITS[0] <= len(digits) <= _ACCOUNT_DIGITS[1] and not _looks_like_date(digits):
            add("bank_card", m.start(1), m.end(1), "账号标签")
    for m in _CARD.finditer(text):
        digits = _SEP.sub("", m[0])
        if 16 <= len(digits) <= 19 and _CARD_PREFIX.match(digits) and luhn(digits) \
                and not _other_number(text, m.start()):
            add("bank_card", m.start(), m.end(), "Luhn 校验")
    for m in _PHONE.finditer(text):
        if not _other_number(text, m.start()):
            add("phone", m.start(), m.end(), "手机号段")
    numbers = sorted(found, key=lambda f: f.start)
    for f in numbers:
        _names_beside(text, f, add)
    _names_in_tables(text, numbers, add)
    return sorted(found, key=lambda f: f.start)


def _other_number(text: str, start: int, labels: re.Pattern = _OTHER_NUMBER) -> bool:
    """Whether a label just before `start` on its line says the number is something else (an order number …)."""
    line_start = text.rfind("\n", 0, start) + 1
    return bool(labels.search(text[max(line_start, start - 20):start]))


def _looks_like_date(digits: str) -> bool:
    return len(digits) == 8 and digits[:2] in ("19", "20")


MAX_LINE = 200  # characters of a number's line read on either side (a one-line CSV stays linear)


def _line(text: str, pos: int) -> tuple[int, int]:
    """The line around `pos`, at most MAX_LINE characters on either side of it."""
    lo, hi = max(0, pos - MAX_LINE), min(len(text), pos + MAX_LINE)
    end = text.find("\n", pos, hi)
    return text.rfind("\n", lo, pos) + 1 or lo, end if end >= 0 else hi


def _names_beside(text: str, number: Finding, add: _Add) -> None:
    """The names that say whose number this is: a labelled name on the number's line (姓名：张三 … 手机…),
    or a name just before an ID's label (张三，身份证号…)."""
    a, b = _line(text, number.start)
    line = text[a:b]
    for m in _LABELLED_NAME.finditer(line):
        if is_person_name(m[1]):
            add("name", a + m.start(1), a + m.end(1), f"与{KINDS[number.kind]}同行")
    before, after = _line(text, max(0, a - 1)) if a else (a, a), _line(text, b + 1) if b < len(text) else (b, b)
    for c, d in (before, after):
        for m in _HOLDER_NAME.finditer(text[c:d]):
            if is_person_name(m[1]):
                add("name", c + m.start(1), c + m.end(1), f"与{KINDS[number.kind]}相邻")
    for m in _NAME_BEFORE_ID.finditer(line):
        name = _trim_name(m[1])
        if name and is_person_name(name):
            add("name", a + m.end(1) - len(name), a + m.end(1), f"紧邻{KINDS[number.kind]}")


def _trim_name(run: str) -> str:
    """The name at the end of a run of characters before an ID label (…经查，张三 → 张三)."""
    for n in (4, 3):  # a compound surname first (欧阳娜娜, not 阳娜娜)
        if len(run) >= n and run[-n:][:2] in _SURNAMES_2:
            return run[-n:]
    for n in (3, 2):
        if len(run) >= n and is_person_name(run[-n:]):
            return run[-n:]
    return ""


def _names_in_tables(text: str, numbers: list[Finding], add: _Add) -> None:
    """Tab-separated tables whose header names a person's column (姓名, 户名 …): the cell of that column in
    each row that also holds an identifying number."""
    rows = set()
    for f in numbers:
        rows.add(_line(text, f.start))
    if not rows:
        return
    header_cols: list[int] = []
    pos = 0
    for line in text.split("\n"):
        a, b = pos, pos + len(line)
        pos = b + 1
        cells = line.split("\t")
        if len(cells) > 1 and any(c.strip() in _NAME_LABELS for c in cells):
            header_cols = [i for i, c in enumerate(cells) if c.strip() in _NAME_LABELS]
            continue
        if len(cells) <= 1:
            header_cols = [] if not line.strip() else header_cols
            continue
        if (a, b) not in rows or not header_cols:
            continue
        offset = a
        for i, cell in enumerate(cells):
            value = cell.strip()
            if i in header_cols and is_person_name(value):
                s = offset + cell.index(value)
                add("name", s, s + len(value), "姓名列")
            offset += len(cell) + 1


def summary(findings: list) -> dict[str, int]:
    """How many findings of each kind (Finding objects or scan_pages entries; kinds without any left out)."""
    out: dict[str, int] = {}
    for f in findings:
        kind = f["kind"] if isinstance(f, dict) else f.kind
        out[kind] = out.get(kind, 0) + 1
    return out


def describe(counts: dict[str, int]) -> str:
    """身份证号 2、手机号 1 (the kinds in a fixed order)."""
    return "、".join(f"{KINDS[k]} {counts[k]}" for k in KINDS if counts.get(k))


def scan_pages(pages: list[str]) -> list[dict]:
    """The findings of a document's pages as stored and shown: kind, page (from 1), offset, length, masked."""
    return [{"kind": f.kind, "page": n, "offset": f.start, "length": f.end - f.start, "masked": f.masked,
             "why": f.why} for n, text in enumerate(pages, 1) for f in find(text)]


def redact(text: str, findings: list[Finding]) -> str:
    """`text` with each finding's span replaced by its masked preview (lengths may differ)."""
    out, last = [], 0
    for f in sorted(findings, key=lambda f: f.start):
        out += [text[last:f.start], f.masked]
        last = f.end
    return "".join(out) + text[last:]


_LONG_DIGITS = re.compile(r"\d(?:[\s-]?\d){6,}")   # 7 digits or more, spaced or not: could be anyone's number


def hide_numbers(text: str) -> str:
    """`text` with every run of 7 or more digits masked (its first 3 and last 2 kept): for showing text
    around findings or a document's first page to staff, where a number the detector missed is hidden too."""
    def masked(m: re.Match) -> str:
        v = _SEP.sub("", m[0])
        return v[:3] + "*" * (len(v) - 5) + v[-2:]
    return _LONG_DIGITS.sub(masked, text)


def context(text: str, offset: int, length: int, masked: str, width: int = 16) -> tuple[str, str, str]:
    """(before, masked, after) around a finding, the text on either side with its own findings masked
    (a neighbouring number is never shown whole)."""
    others = [f for f in find(text[max(0, offset - width * 3):offset + length + width * 3])]
    window_start = max(0, offset - width * 3)
    shown = {(window_start + f.start, window_start + f.end): f.masked for f in others}

    def clean(a: int, b: int) -> str:
        piece, pos = [], a
        for (s, e), m in sorted(shown.items()):
            if e <= a or s >= b or (s, e) == (offset, offset + length):
                continue
            piece += [text[pos:max(pos, s)], m]
            pos = max(pos, e)
        piece.append(text[pos:b] if pos < b else "")
        return "".join(piece).replace("\n", " ")

    return (hide_numbers(clean(max(0, offset - width), offset)), masked,
            hide_numbers(clean(offset + length, offset + length + width)))
