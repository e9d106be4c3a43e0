"""The end of a 公文: the 落款 (issuer and 成文日期 under the body) and the 版记 (抄送, 印发机关 and 印发日期)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from analyzers.agencies import SUFFIX

from .text import DATE, SENTENCE, WS, is_date_line, match_date, parse_date, simp

_PRINTED = re.compile(r"^(?P<by>\S.{1,40}?)\s*(?P<date>\S{2,6}年\S{1,3}月\S{1,3}日)\s*印发$")
_COPIED = re.compile(r"^抄送[:：](?P<to>.+)$")
_TAIL_LINES = 60


@dataclass
class Closing:
    """落款 and 版记 values ('' when absent); `last_date` is the last bare date line (a weak 成文日期)."""

    signed: str = ""
    signer: str = ""
    last_date: str = ""
    printed_by: str = ""
    printed_date: str = ""
    copied_to: str = ""


def closing(lines: list[str]) -> Closing:
    """The first signature block after the body starts (later ones belong to forwarded documents or
    attachments), and the 版记 lines of the document's end."""
    c = Closing()
    body_started, prev = False, ""
    for line in lines:
        if not line:
            continue
        if is_date_line(line):
            iso = parse_date(line)
            if iso:
                if not c.signed and body_started and prev and len(prev) <= 40 and not SENTENCE.search(prev):
                    c.signed = iso
                    c.signer = "、".join(prev.split()) if SUFFIX.search(simp(prev.split()[-1])) else ""
                c.last_date = iso
        elif not body_started and (SENTENCE.search(line) or line.endswith(("：", ":"))):
            body_started = True
        prev = line
    for line in lines[-_TAIL_LINES:]:
        line = line.strip()
        m = _PRINTED.match(line) if line.endswith("印发") and len(line) <= 80 else None
        if m:
            d = DATE.search(m["date"])
            iso = match_date(d) if d else None
            if iso:
                c.printed_by, c.printed_date = WS.sub("", m["by"]), iso
        m = _COPIED.match(WS.sub("", line))
        if m:
            c.copied_to = m["to"].rstrip("。")
    return c
