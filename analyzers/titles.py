"""The name people give a document: its title without the issuer, the place and the kind of document.

`key("中华人民共和国环境保护法（2014年修订）")` → 环境保护; `key("上海市统计条例")` → 统计; `key("国务院关于
加强地方政府性债务管理的意见")` → 加强地方政府性债务管理. A query and a title name the same document when their
keys are equal (search ranks such titles first). Only one kind ending is taken off (森林法实施条例 → 森林法).
"""
from __future__ import annotations

import re

from . import agencies
from .normalize import normalize
from .segment import units

_NATION = re.compile(r"^(?:中华人民共和国|中国共产党|中共中央|全国人民代表大会(?:常务委员会)?|国务院(?:办公厅)?|"
                     r"最高人民法院|最高人民检察院)")
_LOCAL_ISSUER = re.compile(r"^(?:人民代表大会(?:常务委员会)?|人大常委会|人民政府(?:办公厅|办公室)?)")
_ABOUT = re.compile(r"^关于(?:印发|转发|颁布|公布)?")
_VERSION = re.compile(r"\d{4}(?:年(?:修正|修订|修改|版)?|修正|修订|修改)$|(?<=[\u3400-\u9fff])(?:19|20)\d\d$")
_CJK = re.compile(r"[\u3400-\u9fff]")
_WRAPPER = re.compile(r"的(?:决定|通知|意见|批复|公告|通告|函|报告|决议)$")
_KIND = re.compile(r"(?:实施条例|实施细则|实施办法|实施意见|暂行条例|暂行办法|暂行规定|试行办法|条例|办法|规定|细则|规则|"
                   r"决定|通知|意见|法)$")
MIN_KEY = 2   # a shorter core is not a name
# Words of titles that name no matter (the kind of document, the act of issuing it, common adverbs).
GENERIC = frozenset(
    "关于 印发 转发 通知 通报 通告 公告 决定 意见 批复 报告 请示 函 纪要 办法 规定 实施 实施方案 方案"
    " 进一步 加强 做好 开展 推进 全面 有关 事项 工作 年度 我市 本市 全市 示例 示例市 的".split())


def key(text: str) -> str:
    """The core name of a title or a query (units only), or '' when too little is left to name anything."""
    core = units(normalize(text))
    core = re.sub(r"(?:试行|暂行|草案)$", "", _VERSION.sub("", core))
    core = _strip_issuer(core)
    core = _WRAPPER.sub("", core)
    name = re.sub(r"(?:试行|暂行)$", "", _KIND.sub("", core))
    if len(name) < MIN_KEY:   # 刑法, 立法法: the kind is the name
        name = core
    return name if len(name) >= MIN_KEY and _CJK.search(name) else ""


def local(text: str) -> bool:
    """Whether a title or query starts with a place (上海市, 河北省邯郸市): a local document's name."""
    return _place_end(units(normalize(text))) > 0


_RULES = re.compile(r"(?:法|条例|规定|办法|细则|规则)$")


def national(title: str) -> bool:
    """Whether a title is of a national document: 中华人民共和国…法, 国务院关于…, or a law or regulation that
    names no place (local ones always do: 上海市…条例) and is not a notice about one (关于印发…办法的通知)."""
    core = re.sub(r"(?:试行|暂行|草案)$", "", _VERSION.sub("", units(normalize(title))))
    return bool(_NATION.match(core)) or (not _place_end(core) and not core.startswith("关于") and
                                         bool(_RULES.search(core)))


def _strip_issuer(core: str) -> str:
    """Leading 中华人民共和国 / 国务院 / a chain of places and their congress or government, then 关于."""
    core = _NATION.sub("", core)
    end = _place_end(core)
    if end:
        core = _LOCAL_ISSUER.sub("", core[end:])
    core = _ABOUT.sub("", core)
    return core[_place_end(core):]   # what it publishes may name the place again (关于印发邯郸市…办法)


def _place_end(core: str) -> int:
    """Where the places `core` starts with end, if their last is a full name (上海市), not a short one
    inside a word (中山大学); else 0."""
    places, end = agencies.place_chain(core)
    return end if places and core[end - 1] in "省市区县州盟旗" else 0
