"""The agency authority list: one canonical name per issuing body, with its level and region.

`resolve("国办")` → 国务院办公厅 (国家); `resolve("河北省政府")` → 河北省人民政府 (省, 河北省);
`resolve("邯郸市财政局")` → 邯郸市财政局 (市, 河北省\\邯郸市). Central bodies come from dict/agencies.tsv,
divisions from dict/regions.tsv (the national division codes); a local body is a division's name (or a
chain of them: 上海市普陀区) followed by a template of agencies.tsv or any name that ends like an agency.
Names that match nothing keep their printed form, with no level or region. Pure: no I/O after loading.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from .normalize import simplified

DICT = Path(__file__).resolve().parent / "dict"
LEVELS = ("国家", "省", "市", "县")
# How an agency's name ends (also used by ingest.metadata to tell a name from a sentence).
SUFFIX = re.compile(
    r"(?:院|厅|部|委|会|局|署|办|室|府|行|处|所|组|队|站|中心|公司|总社|社|馆|团|校|军区|党组|中央|海关|法院|检察院|分局)$")
_SPACE = re.compile(r"\s+")
_DECORATION = re.compile(r"(?:（[印章盖]+）|\([印章盖]+\)|文件)$")
_SEPARATORS = re.compile(r"[、，,；;\s]+")
# Abbreviations of local departments, expanded in canonical names (市发改委 → 市发展和改革委员会).
_ABBREVIATIONS = (
    ("发改委", "发展和改革委员会"), ("发展改革委", "发展和改革委员会"), ("人社局", "人力资源和社会保障局"),
    ("人社厅", "人力资源和社会保障厅"), ("住建局", "住房和城乡建设局"), ("住建厅", "住房和城乡建设厅"),
    ("卫健委", "卫生健康委员会"), ("市场监管局", "市场监督管理局"), ("工信局", "工业和信息化局"),
    ("工信厅", "工业和信息化厅"), ("科技局", "科学技术局"), ("科技厅", "科学技术厅"), ("文旅局", "文化和旅游局"),
    ("文旅厅", "文化和旅游厅"), ("农业农村局", "农业农村局"), ("医保局", "医疗保障局"), ("国资委", "国有资产监督管理委员会"),
    ("政府办", "人民政府办公室"),
)


@dataclass(frozen=True)
class Agency:
    """An issuing body: canonical name, level (国家/省/市/县 or '') and region path (河北省\\邯郸市 or '')."""

    name: str
    level: str = ""
    region: str = ""


@dataclass(frozen=True)
class _Division:
    code: str
    name: str
    level: str
    parent: str


class _Table:
    """The loaded lists: central bodies by every name, divisions by full and short name, templates."""

    def __init__(self) -> None:
        self.central: dict[str, str] = {}
        self.canonical: set[str] = set()
        self.templates: list[tuple[str, list[str]]] = []
        for line in (DICT / "agencies.tsv").read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            name, aliases, *_ = (line.split("\t") + ["", ""])[:3]
            names = [a for a in aliases.split("、") if a]
            if name.startswith("@"):
                self.templates.append((name[1:], names))
                continue
            self.canonical.add(name)
            for alias in [name, *names]:
                self.central.setdefault(_key(alias), name)
        self.divisions: dict[str, _Division] = {}
        self.places: dict[str, list[str]] = {}       # full or short name -> codes
        for line in (DICT / "regions.tsv").read_text(encoding="utf-8").splitlines():
            if line.startswith("#") or not line.strip():
                continue
            code, name, level, parent = (line.split("\t") + [""])[:4]
            self.divisions[code] = _Division(code, name, level, parent)
            self.places.setdefault(name, []).append(code)
            short = _short(name, level)
            if short != name:
                self.places.setdefault(short, []).append(code)
        self.longest_place = max(map(len, self.places))

    def chain(self, text: str, start: int = 0) -> tuple[list[_Division], int]:
        """The divisions `text` names from `start` on, each inside the one before (河北省邯郸市丛台区),
        and where they end; ambiguous names (普陀区: Shanghai or Zhoushan) need a parent to count."""
        out: list[_Division] = []
        i = start
        while True:
            found = None
            for n in range(min(self.longest_place, len(text) - i), 1, -1):
                codes = self.places.get(text[i:i + n])
                if not codes:
                    continue
                inside = [c for c in codes if not out or self._within(c, out[-1].code)]
                if len(inside) == 1:
                    found = (self.divisions[inside[0]], n)
                    break
            if found is None:
                return out, i
            out.append(found[0])
            i += found[1]

    def _within(self, code: str, ancestor: str) -> bool:
        parent = self.divisions[code].parent
        while parent:
            if parent == ancestor:
                return True
            parent = self.divisions[parent].parent if parent in self.divisions else ""
        return False

    def place(self, division: _Division) -> str:
        """A division's name in a canonical agency name, however it was printed (河北省邯郸市 → 邯郸市):
        its own name, a county's after its city's (邯郸市丛台区, 上海市普陀区), since county names repeat."""
        parent = self.divisions.get(division.parent)
        if division.level == "县" and parent is not None and parent.name.endswith("市"):
            return parent.name + division.name
        return division.name

    def region(self, division: _Division) -> str:
        path = [division.name]
        parent = division.parent
        while parent in self.divisions:
            path.append(self.divisions[parent].name)
            parent = self.divisions[parent].parent
        return "\\".join(reversed(path))


def _short(name: str, level: str) -> str:
    """河北省 → 河北, 广西壮族自治区 → 广西, 邯郸市 → 邯郸; county names stay whole (丛台区 alone is a word)."""
    if level == "省":
        for ending in ("壮族自治区", "回族自治区", "维吾尔自治区", "特别行政区", "自治区", "省", "市"):
            if name.endswith(ending) and len(name) - len(ending) >= 2:
                return name[: -len(ending)]
    if level == "市" and name.endswith("市") and len(name) >= 3:
        return name[:-1]
    return name


def _key(name: str) -> str:
    return simplified(_SPACE.sub("", name))


@functools.cache
def _table() -> _Table:
    return _Table()


def clean(name: str) -> str:
    """A printed name without spaces, traditional characters, or a trailing 文件 / （印）."""
    name = _key(name)
    while True:
        stripped = _DECORATION.sub("", name)
        if stripped == name:
            return name
        name = stripped


@functools.lru_cache(maxsize=4096)
def resolve(printed: str) -> Agency:
    """The canonical body of a name as printed (full name, alias, abbreviation, former name, local body)."""
    t = _table()
    name = clean(printed)
    for candidate in (name, name.removeprefix("中华人民共和国")):
        if candidate in t.central:
            return Agency(t.central[candidate], "国家")
    for template, aliases in t.templates:
        for form in (template, *aliases):
            found = _fill(t, form, template, name)
            if found:
                return found
    party = name.startswith("中共")
    divisions, end = t.chain(name, 2 if party else 0)
    rest = name[end:]
    if divisions and rest and SUFFIX.search(rest):
        for short, full in _ABBREVIATIONS:
            if rest.endswith(short):
                rest = rest[: -len(short)] + full
                break
        last = divisions[-1]
        return Agency(("中共" if party else "") + t.place(last) + rest, last.level, t.region(last))
    return Agency(name)


def _fill(t: _Table, form: str, template: str, name: str) -> Agency | None:
    """If `name` is `form` with a division in place of {P}/{p}: the template's body for that division."""
    slot = "{P}" if "{P}" in form else "{p}"
    head, _, tail = form.partition(slot)
    if not (name.startswith(head) and name.endswith(tail)) or len(name) <= len(head) + len(tail):
        return None
    middle = name[len(head): len(name) - len(tail)]
    divisions, end = t.chain(middle)
    if not divisions or end != len(middle):
        return None
    last = divisions[-1]
    place = t.place(last) if "{P}" in template else _short(last.name, last.level)
    canonical = template.replace("{P}", place).replace("{p}", place)
    return Agency(canonical, last.level, t.region(last))


def place_chain(text: str) -> tuple[list[str], int]:
    """The divisions `text` starts with (上海市, 河北省邯郸市 …), by name, and where they end."""
    divisions, end = _table().chain(text)
    return [d.name for d in divisions], end


def is_agency(printed: str) -> bool:
    """Whether a name is a known body or is shaped like one (a division's name + an agency ending)."""
    a = resolve(printed)
    return bool(a.level) or a.name in _table().canonical


def split_issuers(printed: str) -> list[str]:
    """Joint issuers as printed (国务院、中央军委 → two names); a name that is one body stays whole."""
    whole = clean(printed)
    if is_agency(whole):
        return [whole]
    parts = [p for p in _SEPARATORS.split(printed) if p]
    if len(parts) > 1 and all(SUFFIX.search(clean(p)) or is_agency(p) for p in parts):
        return [clean(p) for p in parts]
    return [whole] if whole else []


def canonical(printed: str) -> list[Agency]:
    """The bodies a printed issuer line names, canonical, without repeats, in printed order."""
    out: list[Agency] = []
    for part in split_issuers(printed):
        a = resolve(part)
        if a.name and a not in out:
            out.append(a)
    return out


def names() -> list[str]:
    """Every canonical central name (for pickers; local bodies are resolved, not listed)."""
    return sorted(_table().canonical)


def size() -> dict[str, int]:
    """How big the authority list is: central bodies, their aliases, templates, divisions."""
    t = _table()
    return {"central bodies": len(t.canonical), "names of central bodies": len(t.central),
            "templates per division": len(t.templates), "divisions": len(t.divisions)}
