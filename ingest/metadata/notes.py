"""题注: the dated lines under the title of a law, regulation, resolution or speech.

Laws and regulations list their history (`2004年6月25日 第十届全国人民代表大会常务委员会第十次会议通过`,
`1986年12月26日 公安部、外交部、交通部发布`, `2019年3月2日《国务院关于修改部分行政法规的决定》修订`), a
resolution its adoption (`（2024年3月11日第十四届全国人民代表大会第二次会议通过）`), a report its delivery
(`——2025年1月14日在吉林省第十四届人民代表大会第四次会议上`). Each dated phrase is an Event; Facts say
what they mean for the version the file holds: its date, its issuer, its own 令 number, when it applies.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from analyzers.agencies import SUFFIX, resolve
from analyzers.docnumber import DOC_NUMBER_LING

from .kinds import title_agency
from .text import DATE, WS, match_date, simp

ADOPT, APPROVE, PUBLISH, REVISE, EFFECTIVE = "adopted", "approved", "published", "revised", "effective"
_ACTIONS = ((re.compile(r"(?:审议)?通过$"), ADOPT), (re.compile(r"批准$"), APPROVE),
            (re.compile(r"(?:公告)?(?:公布|发布|颁布|印发)$"), PUBLISH),
            (re.compile(r"(?:修订|修正|修改)$"), REVISE), (re.compile(r"(?:起)?(?:施行|实施|生效)$"), EFFECTIVE))
_TITLES = re.compile(r"《[^》]*》|<[^>]*>")
_ORDINAL = r"第[一二三四五六七八九十百零〇\d]+"
_TERM = re.compile(_ORDINAL + "届")
_SESSION = re.compile(rf"(?:{_ORDINAL}次|\d{{4}}年第?\d+次)?(?:全体|常务|委员长|部务|局务|主任)?会议.*$")
_COUNCIL = re.compile(r"(?:审判委员会|检察委员会)$")
_ORDER_OF = re.compile(r"第[一二三四五六七八九十\d]+次$")
_NOTICE = re.compile(r"(?:第[一二三四五六七八九十百零〇\d]+号)?公告$")
_NOTICE_NUMBER = re.compile(r"(?P<code>[\u4e00-\u9fff]{2,40}?公告)第[\d一二三四五六七八九十百零〇]+号")
_AND_IN_FORCE = re.compile(r"(?:公布|发布)并?(?:施行|实施)$")
_LEAD = re.compile(r"^[（(\s]*(?:根据)?")
_LEADING = re.compile(r"^[\s，、；　]+")
_TRAILING = ("根据", "自", "并", "于", " ", "，", "、", "；", "　", "\t")
_BY_LINE = re.compile(r"^(?P<who>[^，。；：:]{2,40}?)(?:发布|公布|印发)$")
_SPEECH = re.compile(r"^[—–\-－─]{0,4}\s*(?P<rest>.*)$")
_SPEAKER = re.compile(r"(?P<place>[^\s，,]{0,20}?)(?:代理|代)?(?P<office>省长|市长|主席|区长|县长|州长|盟长|旗长|总理)"
                      r"[\s　]*[\u4e00-\u9fff]{2,4}(?:同志)?(?:作政府工作报告|$)")
_OFFICES = re.compile("省长|市长|主席|区长|县长|州长|盟长|旗长|总理")   # lines worth the _SPEAKER search
_ON_BEHALF = re.compile(r"我(?:代表|受)(?P<who>[^\s，,。；]{0,20}?(?:人民政府|政府|国务院))")
_CONGRESS = re.compile(r"^(?P<meeting>[^，。；]{4,40}?会议)(?:听取|审议|认真审议|审查)")
_EFFECTIVE = re.compile(r"自(?P<when>[^，。；]{4,16}?日)起(?:施行|实施|生效)")


@dataclass
class Event:
    """One dated phrase: when, what happened (ADOPT …), by whom, under which 令 number."""

    date: str
    action: str
    bodies: list[str] = field(default_factory=list)
    number: str = ""



def _strip_connectives(phrase: str) -> str:
    """A 题注 phrase without the punctuation before it and the connectives (根据, 自, 并, 于) after it."""
    phrase = _LEADING.sub("", phrase)
    while phrase.endswith(_TRAILING):
        phrase = phrase[: -next(len(t) for t in _TRAILING if phrase.endswith(t))]
    return phrase

def _body(phrase: str) -> tuple[list[str], str]:
    """The bodies a phrase names (meetings become the body that met), and a 令 number in it."""
    number = ""
    m = DOC_NUMBER_LING.search(simp(phrase))
    if m:
        number = phrase[m.start(): m.end()]
        phrase = phrase[: m.start()] + m["code"][:-1]
    else:
        m = _NOTICE_NUMBER.search(phrase)
        if m:
            number = m[0]
            phrase = phrase[: m.start()] + m["code"][:-2]
    decision = _TITLES.search(phrase)
    phrase = _TITLES.sub("", phrase)
    out = []
    for part in re.split("[、，,]", phrase):
        part = _SESSION.sub("", _TERM.sub("", part)).strip()
        part = _NOTICE.sub("", _ORDER_OF.sub("", part))
        part = _COUNCIL.sub("", part)
        if len(part) >= 2 and (SUFFIX.search(simp(part)) or resolve(part).level):
            out.append(part)
    if not out and decision:  # 《国务院关于修改…的决定》修订: the decision's issuer
        issuer = title_agency(decision[0].strip("《》<>"))
        out = [issuer] if issuer else []
    return out, number


def events(lines: list[str]) -> list[Event]:
    """The dated phrases of 题注 lines (lines that, brackets and 根据 aside, start with a date)."""
    out: list[Event] = []
    for line in lines:
        text = WS.sub("", _LEAD.sub("", line)).rstrip("）)")
        dates = list(DATE.finditer(text))
        if not dates or dates[0].start() != 0:
            continue
        pending: list[tuple[str, str]] = []
        for i, m in enumerate(dates):
            iso = match_date(m)
            phrase = text[m.end(): dates[i + 1].start() if i + 1 < len(dates) else len(text)]
            phrase = _strip_connectives(phrase)
            if not iso:
                continue
            bare = _TITLES.sub("", phrase)
            action = next((a for pattern, a in _ACTIONS if pattern.search(bare)), "")
            if _AND_IN_FORCE.search(bare):  # 公布施行: published, in force the same day
                action = PUBLISH
                out.append(Event(iso, EFFECTIVE))
                phrase = re.sub("并?(?:施行|实施)$", "", phrase)
            pending.append((iso, phrase))
            if action:  # dates without their own verb share the next one: one joint event
                bodies, number = [], ""
                for _, words in pending:
                    found, num = _body(_strip_action(words))
                    bodies += [b for b in found if b not in bodies]
                    number = number or num
                out.append(Event(max(when for when, _ in pending), action, bodies, number))
                pending = []
    nonblank = [line for line in lines if line.strip()]
    for before, line in zip(nonblank, nonblank[1:]):  # 最高人民法院发布 / 2022-03-15
        m = _BY_LINE.match(WS.sub("", before))
        d = DATE.fullmatch(WS.sub("", line))
        if m and d and match_date(d):
            bodies, number = _body(m["who"])
            if bodies:
                out.append(Event(match_date(d) or "", PUBLISH, bodies, number))
    return out


def _strip_action(phrase: str) -> str:
    for pattern, _ in _ACTIONS:
        phrase = pattern.sub("", phrase)
    return re.sub(r"(?:第[一二三四五六七八九十]+次)?$", "", phrase)


@dataclass
class Facts:
    """What the events say of the version the file holds."""

    written_date: str = ""
    published_date: str = ""
    effective_date: str = ""
    agency: str = ""
    doc_number: str = ""
    promulgated: str = ""          # the version's 公布/发布 date, whether or not it is the written date
    revised: list[str] = field(default_factory=list)


def facts(found: list[Event], version_date: str = "") -> Facts:
    """The version's date (its latest event or the file name's version date, whichever is later), its
    issuer (who adopted or published it last: not an approving body), its own 令 number (only if that
    promulgation is the version's), its publication and effective dates."""
    f = Facts()
    dated = [e for e in found if e.action != EFFECTIVE]
    if not dated and not version_date:
        return f
    f.written_date = max([e.date for e in dated] + ([version_date] if version_date else []))
    for actions in ((ADOPT, PUBLISH), (REVISE,), (APPROVE,)):
        issuing = [e for e in dated if e.action in actions and e.bodies]
        if issuing:
            f.agency = "、".join(max(issuing, key=lambda e: e.date).bodies)
            break
    published = [e for e in dated if e.action == PUBLISH]
    latest = max(dated, key=lambda e: (e.date, bool(e.number))) if dated else None
    if latest and latest.number and latest.action in (PUBLISH, REVISE) and latest.date >= (version_date or ""):
        f.doc_number = latest.number  # promulgated (or re-promulgated) under its own number
    if published:
        last = max(published, key=lambda e: e.date)
        newer = [e for e in dated if e.date > last.date]
        if not newer and (not version_date or version_date <= last.date):
            f.promulgated = last.date
            if last.date != f.written_date:
                f.published_date = last.date
    f.revised = sorted(e.date for e in dated if e.action == REVISE)
    effective = [e for e in found if e.action == EFFECTIVE]
    if effective:
        f.effective_date = max(e.date for e in effective)
    return f


def effective_from_text(lines: list[str], published: str = "") -> str:
    """施行日期 from the closing articles: the last '自2022年3月1日起施行' (自公布之日起 → `published`)."""
    for line in reversed(lines):
        for m in reversed(list(_EFFECTIVE.finditer(line))):
            when = m["when"]
            if "公布之日" in when or "发布之日" in when or "印发之日" in when:
                return published
            iso = None
            for d in DATE.finditer(when):
                iso = match_date(d)
            if iso:
                return iso
    return ""


@dataclass
class Speech:
    """A report's 题注: when and where it was delivered, and the government it speaks for."""

    date: str = ""
    agency: str = ""


def speech(head: list[str]) -> Speech:
    """`——2025年1月14日在吉林省第十四届人民代表大会第四次会议上` / `省长 胡玉亭` / `我代表省政府向大会…`;
    a resolution (`…会议听取和审议了…报告`) speaks for the congress that met."""
    s = Speech()
    place = ""
    for line in head:
        m = _SPEECH.match(line) if "会议" in line else None
        d = DATE.match(m["rest"]) if m else None
        if m and d and not s.date and "会议" in m["rest"] and "在" in m["rest"]:
            s.date = match_date(d) or ""
            place = _place(m["rest"][m["rest"].find("在") + 1:])
    for line in head[:6]:
        m = _CONGRESS.match(WS.sub("", line))
        if m:
            bodies, _ = _body(m["meeting"])
            s.agency = bodies[0] if bodies else ""
            return s
    for line in head:
        m = _ON_BEHALF.search(WS.sub("", line)) if "我" in line else None
        if m:
            s.agency = _government(m["who"], place)
            if s.agency:
                return s
    for line in head:
        m = _SPEAKER.search(WS.sub("", line)) if len(line) <= 60 and _OFFICES.search(line) else None
        if m:
            if m["office"] == "总理":
                s.agency = "国务院"
            else:
                s.agency = _government((m["place"] or place) + "人民政府", place)
            if s.agency:
                return s
    return s


def _place(text: str) -> str:
    """The division a meeting's name starts with (吉林省第十四届人民代表大会… → 吉林省)."""
    agency = resolve(WS.sub("", _SESSION.sub("", _TERM.sub("", text))))
    return agency.region.replace("\\", "")


def _government(who: str, place: str) -> str:
    """The government a speaker speaks for (省政府 + 吉林省 → 吉林省人民政府); '' if it is not one."""
    who = WS.sub("", who)
    if who in ("国务院", "中华人民共和国国务院", "中央人民政府"):
        return "国务院"
    if not who.endswith(("政府", "人民政府")):
        return ""
    a = resolve(who)
    if a.level:
        return a.name
    if place and who.startswith(("省", "市", "自治区", "区", "县", "州")):
        a = resolve(place + "人民政府")
        return a.name if a.level else ""
    return ""
