#!/usr/bin/env python3
"""Regenerate ingest/samples/: fictional 公文 as PDF, HTML, TXT and Markdown, plus README.md and manifest.csv.

Every document here was written for gongkai's demo and tests; the issuers (示例市…) do not exist.
Dev-only: writing PDFs needs reportlab, verifying them needs pdfplumber. The output is byte-for-byte
deterministic, so `--check` can tell whether the committed files still match this script.

    python tools/make_samples.py            # rewrite ingest/samples/ and verify it
    python tools/make_samples.py --check    # regenerate into a temp dir and compare with the committed files
"""
from __future__ import annotations

import argparse
import csv
import datetime
import filecmp
import html
import io
import re
import sys
import tempfile
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "ingest" / "samples"

SHI = "示例市人民政府"
BAN = "示例市人民政府办公室"
XIAN = "示例县人民政府"

# 印发机关 for the 版记 of each 发文机关.
PRINTER = {SHI: BAN, BAN: BAN, XIAN: "示例县人民政府办公室"}

MANIFEST_FIELDS = ["file", "format", "encoding", "title", "doc_number", "agency", "written_date", "doc_type"]

_CN_DIGITS = "〇一二三四五六七八九"
_NO_LINE_START = "，。、；：？！）》〕”’"  # 避头: never at the start of a line
_NO_LINE_END = "（《〔“‘"  # 避尾: never at the end of a line


# ---------------------------------------------------------------- helpers

def cn_small(n: int) -> str:
    """1..31 in Chinese numerals as used in dates (十, 十五, 二十, 三十一)."""
    if n < 10:
        return _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")


def date_text(iso: str, style: str = "arabic") -> str:
    """A date as written at the end of a 公文: 2023年3月15日, 二〇二三年三月十五日 or ○ for 〇 (Big5)."""
    d = datetime.date.fromisoformat(iso)
    if style == "arabic":
        return f"{d.year}年{d.month}月{d.day}日"
    year = "".join(_CN_DIGITS[int(c)] for c in str(d.year))
    if style == "big5":
        year = year.replace("〇", "○")  # Big5 has no 〇; legacy files use ○ (U+25CB)
    return f"{year}年{cn_small(d.month)}月{cn_small(d.day)}日"


def table_date(iso: str) -> str:
    """Dates in a gov web page's metadata table: 2023年03月15日."""
    d = datetime.date.fromisoformat(iso)
    return f"{d.year}年{d.month:02d}月{d.day:02d}日"


def next_day(iso: str) -> str:
    return (datetime.date.fromisoformat(iso) + datetime.timedelta(days=1)).isoformat()


def paragraphs(text: str) -> list[str]:
    """Non-empty stripped lines of a body text."""
    return [line.strip() for line in text.strip().splitlines() if line.strip()]


def printer(doc: dict) -> str:
    return doc.get("printer") or PRINTER.get(doc["agency"], doc["agency"] + "办公室")


def attachment_lines(doc: dict) -> list[str]:
    """附件说明 lines: '附件：名称' or '附件：1.甲' + aligned '2.乙'."""
    att = doc.get("att") or []
    if len(att) == 1:
        return [f"附件：{att[0]}"]
    return [("附件：" if i == 0 else "　　　") + f"{i + 1}.{name}" for i, name in enumerate(att)]


def doc_text_parts(doc: dict) -> dict:
    """The pieces every renderer lays out, in reading order."""
    return {
        "to": doc.get("to"),
        "body": paragraphs(doc["body"]),
        "att": attachment_lines(doc),
        "sign": doc.get("sign", doc["agency"]),
        "date": date_text(doc["date"], doc.get("style", "arabic")),
        "note": doc.get("note"),
        "app": (doc["app"][0], paragraphs(doc["app"][1])) if doc.get("app") else None,
        "cc": doc.get("cc"),
        # 版记: 通告 and 公告 are posted, not distributed, so they carry none unless copied to someone
        "print": None if doc["type"] in ("通告", "公告") and not doc.get("cc") else printer(doc),
        "print_date": date_text(doc.get("print_date") or next_day(doc["date"]), doc.get("style", "arabic"))
        + doc.get("issued", "印发"),
    }


def mark(doc: dict) -> str:
    """发文机关标志: '…文件' for documents in 文件格式, the bare name for 函/通告/公告."""
    if doc["type"] in ("函", "通告", "公告"):
        return doc["agency"]
    return doc.get("mark", doc["agency"] + "文件")


# ---------------------------------------------------------------- plain text

def render_txt(doc: dict) -> str:
    p = doc_text_parts(doc)
    width = 30
    out = [mark(doc), "", doc["number"], "", doc["title"], ""]
    if p["to"]:
        out.append(p["to"])
    out += ["　　" + para for para in p["body"]]
    if p["att"]:
        out.append("")
        out += ["　　" + line for line in p["att"]]
    out += ["", "　" * max(2, width - 4 - len(p["sign"])) + p["sign"],
            "　" * max(2, width - 4 - len(p["date"])) + p["date"]]
    if p["note"]:
        out += ["", "　　" + p["note"]]
    if p["app"]:
        title, body = p["app"]
        out += ["", "", "附件", "", title, ""] + ["　　" + para for para in body]
    if p["print"]:
        out += ["", "─" * width]
        if p["cc"]:
            out += ["抄送：" + p["cc"], "─" * width]
        out.append(p["print"] + "　" * max(2, width - len(p["print"]) - len(p["print_date"])) + p["print_date"])
        out.append("─" * width)
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- Markdown (regulations)

_CHAPTER = re.compile(r"^第[一二三四五六七八九十]+章")
_ARTICLE = re.compile(r"^(第[一二三四五六七八九十百]+条)\s*")


def render_md(doc: dict) -> str:
    """A 规章 as Markdown: '# 名称', the 公布 note, '## 第一章 …', '**第一条**　…'."""
    out = [f"# {doc['title']}", "",
           f"（{date_text(doc['date'])}{doc['number']}公布　自{date_text(doc['effective'])}起施行）", ""]
    for para in paragraphs(doc["body"]):
        if _CHAPTER.match(para):
            out += [f"## {para}", ""]
            continue
        m = _ARTICLE.match(para)
        if m:
            out += [f"**{m[1]}**　{para[m.end():]}", ""]
        else:
            out += [para, ""]
    return "\n".join(out).rstrip("\n") + "\n"


# ---------------------------------------------------------------- HTML (gov web page)

_SITE = {
    "city": ("示例市人民政府门户网站", "示例市人民政府办公室", "9999000001"),
    "county": ("示例县人民政府网", "示例县人民政府办公室", "9999000021"),
}

_CSS = """body{margin:0;font:14px/1.8 "Microsoft YaHei",SimSun,sans-serif;color:#333}
.top{background:#b40000;color:#fff;padding:12px 0}.w{width:1000px;margin:0 auto}
.nav a{color:#fff;margin-right:24px;text-decoration:none}.crumb{color:#666;margin:12px 0}
table.xxgk{width:100%;border-collapse:collapse;background:#f7f7f7;margin-bottom:20px}
table.xxgk td{border:1px solid #ddd;padding:6px 10px}table.xxgk td.t{width:90px;font-weight:bold}
h1.atitle{font-size:22px;text-align:center;color:#b40000}#UCAP-CONTENT p{text-indent:2em;margin:0 0 8px}
#UCAP-CONTENT p.r{text-align:right;text-indent:0}#UCAP-CONTENT p.c{text-align:center;text-indent:0}
.foot{background:#eee;color:#666;text-align:center;padding:16px 0;margin-top:30px;font-size:12px}"""


def _p(text: str, cls: str = "") -> str:
    attr = f' class="{cls}"' if cls else ""
    return f"<p{attr}>{html.escape(text, quote=False)}</p>"


def render_html(doc: dict, charset: str) -> str:
    p = doc_text_parts(doc)
    e = lambda s: html.escape(s, quote=True)  # noqa: E731
    site, host, site_code = _SITE[doc.get("site", "city")]
    pub_time = f"{doc['pub']} {doc.get('pub_time', '10:00')}"
    meta = (f'<meta charset="{charset}">' if charset != "utf-8" or doc.get("meta_style") != "http-equiv"
            else '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">')
    content = []
    if doc.get("number_in_content", True):
        content.append(_p(doc["number"], "c"))
    if p["to"]:
        content.append(f'<p style="text-indent:0">{html.escape(p["to"], quote=False)}</p>')
    content += [_p(para) for para in p["body"]]
    content += [f'<p style="padding-left:2em;text-indent:0">{html.escape(a.strip("　"), quote=False)}</p>'
                for a in p["att"]]
    content += [_p(p["sign"], "r"), _p(p["date"], "r")]
    if p["note"]:
        content.append(_p(p["note"]))
    if p["app"]:
        title, body = p["app"]
        content += ['<p style="text-indent:0">附件</p>', f'<p class="c"><strong>{html.escape(title)}</strong></p>']
        content += [_p(para) for para in body]
    if p["cc"]:
        content.append(f'<p style="text-indent:0">抄送：{html.escape(p["cc"], quote=False)}</p>')
    related = "\n".join(f'<li><a href="#">{html.escape(t)}</a></li>' for t in doc.get("related", []))
    body = f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
{meta}
<title>{e(doc['title'])}_政策文件_{site}</title>
<meta name="SiteName" content="{site}">
<meta name="SiteDomain" content="www.shili.example">
<meta name="SiteIDCode" content="{site_code}">
<meta name="ColumnName" content="政策文件">
<meta name="ColumnType" content="政府信息公开">
<meta name="ArticleTitle" content="{e(doc['title'])}">
<meta name="PubDate" content="{pub_time}">
<meta name="ContentSource" content="{e(doc['agency'])}">
<meta name="Keywords" content="{e(doc.get('keywords', ''))}">
<style>
{_CSS}
</style>
<script>var _site = "{site_code}"; function printPage() {{ window.print(); }}</script>
</head>
<body>
<div class="top"><div class="w">
<div class="logo">{site}</div>
<div class="nav"><a href="#">首页</a><a href="#">政务公开</a><a href="#">政务服务</a><a href="#">互动交流</a><a href="#">走进示例</a></div>
</div></div>
<div class="w">
<div class="crumb">当前位置：<a href="#">首页</a> &gt; <a href="#">政务公开</a> &gt; <a href="#">政策文件</a></div>
<table class="xxgk">
<tr><td class="t">索 引 号：</td><td>{e(doc['index'])}</td><td class="t">主题分类：</td><td>{e(doc['topic'])}</td></tr>
<tr><td class="t">发文机关：</td><td>{e(doc['agency'])}</td><td class="t">成文日期：</td><td>{table_date(doc['date'])}</td></tr>
<tr><td class="t">标　　题：</td><td colspan="3">{e(doc['title'])}</td></tr>
<tr><td class="t">发文字号：</td><td>{e(doc['number'])}</td><td class="t">发布日期：</td><td>{table_date(doc['pub'])}</td></tr>
</table>
<div class="article">
<h1 class="atitle">{e(doc['title'])}</h1>
<div class="info">发布时间：{pub_time}　来源：{e(doc['agency'])}　【字体：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>】</div>
<div id="UCAP-CONTENT">
{chr(10).join(content)}
</div>
<div class="tools"><a href="javascript:printPage()">打印本页</a>　<a href="javascript:window.close()">关闭窗口</a></div>
</div>
<div class="related"><h3>相关文件</h3><ul>
{related}
</ul></div>
</div>
<div class="foot">
<p>主办：{host}　承办：{site}运行维护中心</p>
<p>网站标识码：{site_code}　示ICP备00000000号　版权所有：{host}</p>
</div>
</body>
</html>
"""
    return body


# ---------------------------------------------------------------- PDF (GB/T 9704-like layout)

def render_pdf(doc: dict, path: Path) -> int:
    """Lay out the 公文 on A4 with the STSong-Light CID font; return the page count."""
    from reportlab.lib.colors import black, red
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    font = "STSong-Light"
    if font not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(font))
    width_pt, height_pt = A4
    left, right, top, bottom = 28 * mm, width_pt - 26 * mm, height_pt - 37 * mm, 35 * mm
    text_w = right - left
    fs, lead = 15.75, 28.9  # 3号 body, 22 lines of 28 characters
    p = doc_text_parts(doc)

    c = canvas.Canvas(str(path), pagesize=A4, invariant=1, pageCompression=1)
    meta = doc.get("pdf_meta", {"title": doc["title"], "author": doc["agency"], "subject": doc["number"]})
    c.setTitle(meta["title"])
    c.setAuthor(meta["author"])
    if meta.get("subject"):
        c.setSubject(meta["subject"])
    c.setCreator("gongkai tools/make_samples.py")
    try:  # CreationDate/ModDate: the day it was printed, not reportlab's invariant 2000-01-01
        stamp = datetime.date.fromisoformat(doc.get("print_date") or next_day(doc["date"]))
        c._doc._timeStamp.YMDhms = (stamp.year, stamp.month, stamp.day, 9, 30, 0)
        c._doc._timeStamp.dhh, c._doc._timeStamp.dmm = 8, 0
    except AttributeError:
        pass
    state = {"y": top, "page": 1}

    def sw(s: str, size: float) -> float:
        return pdfmetrics.stringWidth(s, font, size)

    def page_number():
        c.setFillColor(black)
        c.setFont(font, 14)
        label = f"— {state['page']} —"
        x = right - 14 - sw(label, 14) if state["page"] % 2 else left + 14
        c.drawString(x, bottom - 28, label)

    def new_page():
        page_number()
        c.showPage()
        state["page"] += 1
        state["y"] = top

    def need(h: float):
        if state["y"] - h < bottom:
            new_page()

    def wrap(text: str, size: float, first_indent: float, avail: float) -> list[tuple[str, float]]:
        """Greedy CJK wrap: ASCII runs stay whole, closing punctuation never starts a line."""
        tokens = re.findall(r"[A-Za-z0-9.,%/:+\-]+|.", text)
        lines, cur, indent = [], "", first_indent
        for tok in tokens:
            if cur and sw(cur + tok, size) > avail - indent and tok not in _NO_LINE_START:
                carry = ""
                while len(cur) > 1 and cur[-1] in _NO_LINE_END:  # an opening bracket moves down with its text
                    cur, carry = cur[:-1], cur[-1] + carry
                lines.append((cur, indent))
                cur, indent = carry, 0.0
            cur += tok
        if cur:
            lines.append((cur, indent))
        return lines

    def para(text: str, indent_chars: float = 2, size: float = fs, hang: float = 0):
        for line, ind in wrap(text, size, indent_chars * size, text_w - hang * size):
            need(lead)
            state["y"] -= lead
            c.setFont(font, size)
            c.drawString(left + ind + (0 if ind else hang * size), state["y"], line)

    def centered(text: str, size: float, color=black, leading: float | None = None):
        need(leading or lead)
        state["y"] -= leading or lead
        c.setFillColor(color)
        c.setFont(font, size)
        c.drawString(left + (text_w - sw(text, size)) / 2, state["y"], text)
        c.setFillColor(black)

    def blank(n: float = 1):
        state["y"] -= n * lead

    def title_lines(title: str, size: float) -> list[str]:
        """Split a long title into balanced lines, never inside a number or next to a bracket."""
        per_line = int(text_w * 0.92 // size)
        n = -(-len(title) // per_line)
        cuts = []
        for k in range(1, n):
            i = round(len(title) * k / n)
            while i > 1 and (title[i] in _NO_LINE_START or title[i - 1] in _NO_LINE_END
                             or (title[i - 1].isascii() and title[i].isascii())):
                i -= 1
            cuts.append(i)
        return [title[a:b] for a, b in zip([0] + cuts, cuts + [len(title)])]

    # 版头
    head = mark(doc)
    head_size = min(30.0, text_w / (len(head) + 1))
    state["y"] -= 10
    centered(head, head_size, red, leading=head_size + 6)
    blank(1)
    centered(doc["number"], fs)
    state["y"] -= 12
    c.setStrokeColor(red)
    c.setLineWidth(1.2)
    c.line(left, state["y"], right, state["y"])
    c.setStrokeColor(black)
    blank(0.8)
    # 主体
    for line in title_lines(doc["title"], 20):
        centered(line, 20, leading=32)
    blank(0.6)
    if p["to"]:
        para(p["to"], indent_chars=0)
    for text in p["body"]:
        para(text)
    if p["att"]:
        blank(1)
        for line in p["att"]:
            para(line.strip("　"), indent_chars=2 if line.startswith("附件") else 5)
    blank(1.5)
    need(2 * lead)
    date_w = sw(p["date"], fs)
    date_x = right - 4 * fs - date_w
    state["y"] -= lead
    c.setFont(font, fs)
    c.drawString(date_x + (date_w - sw(p["sign"], fs)) / 2, state["y"], p["sign"])
    state["y"] -= lead
    c.drawString(date_x, state["y"], p["date"])
    if p["note"]:
        blank(0.5)
        para(p["note"])
    if p["app"]:
        new_page()
        title, body = p["app"]
        para("附件", indent_chars=0)
        blank(0.5)
        for line in title_lines(title, 20):
            centered(line, 20, leading=32)
        blank(0.5)
        for text in body:
            para(text)
    # 版记 at the foot of the last page
    rows = ([("抄送：" + p["cc"], "")] if p["cc"] else []) + ([(p["print"], p["print_date"])] if p["print"] else [])
    if not rows:
        page_number()
        c.showPage()
        c.save()
        return state["page"]
    block_h = sum(len(wrap(a, 14, 14, text_w - 14)) for a, _ in rows) * 24 + 16
    if state["y"] - block_h < bottom + 6:
        new_page()
    y = bottom + block_h
    c.setLineWidth(0.9)
    c.line(left, y, right, y)
    for a, b in rows:
        for line, _ in wrap(a, 14, 14, text_w - 14 - (sw(b, 14) if b else 0)):
            y -= 24
            c.setFont(font, 14)
            c.drawString(left + 14, y, line)
        if b:
            c.drawString(right - 14 - sw(b, 14), y, b)
        y -= 8
        c.setLineWidth(0.5)
        c.line(left, y, right, y)
    page_number()
    c.showPage()
    c.save()
    return state["page"]


# ---------------------------------------------------------------- writing and checking

def file_name(doc: dict) -> str:
    ext = {"pdf": "pdf", "html": "html", "txt": "txt", "md": "md"}[doc["fmt"]]
    if doc["fmt"] == "md":
        return f"md/{doc['title']}.{ext}"
    return f"{doc['fmt']}/{doc['number']}_{doc['short']}.{ext}"


def encode(text: str, enc: str, crlf: bool) -> bytes:
    if crlf:
        text = text.replace("\n", "\r\n")
    if enc == "big5":
        data = text.encode("cp950")
        if data.decode("big5") != text:
            raise ValueError("text differs between cp950 and big5")
        return data
    return text.encode(enc)


def build(out: Path) -> list[dict]:
    """Write every sample under `out`; return manifest rows."""
    rows = []
    for doc in DOCS:
        name = file_name(doc)
        path = out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        enc = doc.get("enc", "utf-8")
        if doc["fmt"] == "pdf":
            doc["_pages"] = render_pdf(doc, path)
            enc = ""
        elif doc["fmt"] == "html":
            path.write_bytes(encode(render_html(doc, enc), enc, False))
        elif doc["fmt"] == "md":
            path.write_bytes(encode(render_md(doc), enc, False))
        else:
            path.write_bytes(encode(render_txt(doc), enc, doc.get("crlf", False)))
        rows.append({"file": name, "format": doc["fmt"], "encoding": enc, "title": doc["title"],
                     "doc_number": doc["number"], "agency": doc["agency"], "written_date": doc["date"],
                     "doc_type": doc["type"]})
    write_manifest(out, rows)
    write_readme(out, rows)
    return rows


def write_manifest(out: Path, rows: list[dict]) -> None:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=MANIFEST_FIELDS, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    (out / "manifest.csv").write_text(buf.getvalue(), encoding="utf-8")


_README_HEAD = """# 示例文件 / Sample documents

本目录中的全部文件均为虚构公文，专为 gongkai 的演示（`gongkai serve --demo`）和测试而编写；
文中的机关（示例市、示例县及其部门）、文号、数字和事件都不是真实的，请勿当作真实政府信息引用。

Every file here is a fictional Chinese government document written for gongkai's demo and tests.
The issuers (示例市 "Sample City", 示例县 "Sample County" and their bureaus), document numbers, figures
and events are invented. The files are generated by `tools/make_samples.py`; edit that script, not the files.

- `pdf/` — PDF with a real text layer in the Adobe CID font STSong-Light (not embedded: a viewer needs a
  CJK fallback font to draw it), titles wrapped over two or three lines, 8 of 11 files 2–3 pages long.
  One (示政办发〔2020〕21号) carries a misleading document-info title ("Microsoft Word - …"), as real
  exported PDFs often do; the others carry title, author (发文机关) and subject (发文字号).
- `html/` — saved gov-portal pages with the 信息公开 metadata table (索引号, 主题分类, 发文机关, 成文日期,
  标题, 发文字号, 发布日期), TRS meta tags (ArticleTitle, PubDate, ContentSource) and the body in
  `div#UCAP-CONTENT`, with navigation and footer around it; three are GB2312 with `<meta charset="gb2312">`.
- `txt/` — plain text in UTF-8, GB18030 (CRLF, no BOM; 示县政发〔2017〕28号 holds a 4-byte GB18030
  character, 䢺, so it cannot be read as GBK) and Big5 (traditional characters, CRLF). The Big5 files give
  their numbers as written (示政發〔2018〕7號), and 示政發〔2018〕7號 writes its date with ○ for 〇,
  because Big5 has no 〇.
- `md/` — municipal regulations (规章) in Markdown: `# 名称`, then a line
  "（2019年6月20日示例市人民政府令第18号公布　自2019年8月1日起施行）" that carries number, issuer and date.

`manifest.csv` lists the expected metadata of every file (columns: file, format, encoding, title,
doc_number, agency, written_date (ISO), doc_type). `doc_type` is the kind the title ends with
(通知, 意见, …; 办法/规定 for the regulations). The PDF rows have an empty encoding.
The demo loader skips this README and the manifest.

| 文件 file | 格式/编码 format/encoding | 标题 title | 发文字号 | 发文机关 | 成文日期 | 公文种类 |
| --- | --- | --- | --- | --- | --- | --- |
"""


def write_readme(out: Path, rows: list[dict]) -> None:
    lines = [_README_HEAD.rstrip("\n")]
    for r in rows:
        fmt = r["format"].upper() + (f" / {r['encoding'].upper()}" if r["encoding"] else "")
        lines.append(f"| `{r['file']}` | {fmt} | {r['title']} | {r['doc_number']} | {r['agency']} | "
                     f"{r['written_date']} | {r['doc_type']} |")
    (out / "README.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def verify(out: Path) -> list[str]:
    """Check every sample against the manifest; return problems (empty when all is well)."""
    problems = []
    with open(out / "manifest.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    by_file = {file_name(d): d for d in DOCS}
    for r in rows:
        path = out / r["file"]
        data = path.read_bytes()
        doc = by_file[r["file"]]
        if r["format"] == "pdf":
            import pdfplumber

            with pdfplumber.open(path) as pdf:
                pages = [pg.extract_text() or "" for pg in pdf.pages]
            text = "\n".join(pages)
            flat = _squash(re.sub(r"^— \d+ —$", "", text, flags=re.M))
            if r["doc_number"] not in text:
                problems.append(f"{r['file']}: doc number not in extracted text")
            if r["title"] not in flat:
                problems.append(f"{r['file']}: title not in extracted text")
            for para in paragraphs(doc["body"]) + (paragraphs(doc["app"][1]) if doc.get("app") else []):
                if _squash(para) not in flat:
                    problems.append(f"{r['file']}: paragraph missing: {para[:20]}…")
            if doc.get("pages") and len(pages) != doc["pages"]:
                problems.append(f"{r['file']}: {len(pages)} pages, expected {doc['pages']}")
            continue
        enc = r["encoding"]
        try:
            text = data.decode(enc)
        except UnicodeDecodeError as exc:
            problems.append(f"{r['file']}: does not decode as {enc}: {exc}")
            continue
        if text.encode("cp950" if enc == "big5" else enc) != data:
            problems.append(f"{r['file']}: {enc} round trip changed the bytes")
        if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
            problems.append(f"{r['file']}: has a BOM")
        if enc != "utf-8":
            try:
                data.decode("utf-8")
                problems.append(f"{r['file']}: legacy-encoded file is also valid UTF-8")
            except UnicodeDecodeError:
                pass
        if enc == "big5" and data.decode("cp950") != text:
            problems.append(f"{r['file']}: big5 and cp950 decode differently")
        for field in ("title", "doc_number", "agency"):
            if r[field] not in text:
                problems.append(f"{r['file']}: {field} {r[field]!r} not in text")
        if r["format"] == "html":
            if f'<meta charset="{enc}">' not in text and f"charset={enc}" not in text:
                problems.append(f"{r['file']}: charset {enc} not declared")
            if 'id="UCAP-CONTENT"' not in text:
                problems.append(f"{r['file']}: no UCAP-CONTENT div")
            for label in ("索 引 号：", "主题分类：", "发文机关：", "成文日期：", "标　　题：", "发文字号：", "发布日期："):
                if label not in text:
                    problems.append(f"{r['file']}: label {label} missing")
            if f"<td>{table_date(r['written_date'])}</td>" not in text:
                problems.append(f"{r['file']}: 成文日期 cell wrong")
        elif r["format"] == "txt":
            if date_text(r["written_date"], doc.get("style", "arabic")) not in text:
                problems.append(f"{r['file']}: 成文日期 not in text")
        n = len(re.findall(r"[\u3400-\u9fff]", doc["body"] + (doc["app"][1] if doc.get("app") else "")))
        if not 200 <= n <= 1500:
            problems.append(f"{r['file']}: body has {n} CJK characters")
    total = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    if total >= 2 * 1024 * 1024:
        problems.append(f"samples take {total} bytes")
    return problems


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="compare a fresh build with the committed files")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    if args.check:
        with tempfile.TemporaryDirectory() as tmp:
            build(Path(tmp))
            fresh = sorted(str(p.relative_to(tmp)) for p in Path(tmp).rglob("*") if p.is_file())
            have = sorted(str(p.relative_to(args.out)) for p in args.out.rglob("*") if p.is_file())
            diff = [n for n in fresh if n not in have or not filecmp.cmp(Path(tmp) / n, args.out / n, shallow=False)]
            diff += [n for n in have if n not in fresh]
            for n in diff:
                print("differs:", n)
            return 1 if diff else 0
    for old in [args.out / "README.md", args.out / "manifest.csv"] + [
            f for sub in ("pdf", "html", "txt", "md") for f in (args.out / sub).glob("*")]:
        if old.is_file():
            old.unlink()  # only what this script writes, so a stale sample cannot linger
    rows = build(args.out)
    problems = verify(args.out)
    for msg in problems:
        print("PROBLEM:", msg)
    print(f"{len(rows)} samples written to {args.out}, {len(problems)} problems")
    return 1 if problems else 0


# ---------------------------------------------------------------- the documents (fictional, written for gongkai)

CZJ = "示例市财政局"
HJJ = "示例市生态环境局"
ZJJ = "示例市住房和城乡建设局"
JYJ = "示例市教育局"
SJJ = "示例市市场监督管理局"

TO_SHI = "各县（区）人民政府，市政府各部门、各直属机构："
CC_SHI = "市委各部门，市人大常委会办公室，市政协办公室，市中级人民法院，市人民检察院。"
PUBLIC = "（此件公开发布）"

DOCS: list[dict] = [
    # ============================================================ PDF
    dict(
        fmt="pdf", short="2023年政务公开工作要点", pages=3, style="chinese",
        agency=BAN, number="示政办发〔2023〕12号", type="通知", date="2023-03-15",
        title="示例市人民政府办公室关于印发示例市2023年政务公开工作要点的通知",
        to=TO_SHI,
        body="""
现将《示例市2023年政务公开工作要点》印发给你们，请结合实际认真抓好落实。
各地各部门要于2023年4月30日前制定本地区、本部门政务公开年度任务分解表，明确责任科室和完成时限，报市政务公开办公室备案。工作要点落实情况将纳入年度政务公开考核。
""",
        att=["示例市2023年政务公开工作要点"], note=PUBLIC, cc=CC_SHI,
        app=("示例市2023年政务公开工作要点", """
为进一步提升政务公开质量，助力法治政府和服务型政府建设，现提出2023年全市政务公开工作要点如下。
一、围绕稳经济促发展加强政策公开
（一）及时公开惠企政策。各地各部门出台的惠企政策，应当在印发后5个工作日内通过政府网站政策文件库集中发布，同步推出图文解读，标注政策兑现的办理渠道和咨询方式。
（二）做好重大项目信息公开。市发展改革委牵头，按季度公开市级重点项目的审批、核准、备案和建设进展情况，主动回应社会关切。
二、围绕民生关切深化重点领域信息公开
（三）推进财政预决算公开。市财政局要指导市级部门在预算批复后20日内公开部门预算，细化说明“三公”经费安排和增减变化原因，预算公开统一平台的数据应当可检索、可下载。
（四）加强征地补偿信息公开。示例县及各区人民政府征收土地时，应当依法公开征收土地预公告、征地补偿安置方案和补偿标准，接受群众监督。
（五）做好生态环境信息公开。市生态环境局每月公布各县（区）PM2.5平均浓度及排名，及时发布重污染天气预警信息。
三、围绕优化服务提升政务公开质效
（六）规范依申请公开办理。严格执行法定答复时限，统一使用规范的答复文书，对内容复杂的申请加强与申请人沟通，减少行政复议和诉讼风险。
（七）加强政府网站和政务新媒体管理。开展季度抽查，对内容更新不及时、互动回应差的栏目限期整改，抽查结果在市政府门户网站公开通报。
（八）深化基层政务公开标准化规范化。在乡镇（街道）便民服务中心设立政务公开专区，提供政府信息查阅、政策咨询和办事指引等服务。
四、强化工作保障
各地各部门要配齐配强政务公开工作人员，加强业务培训。市政务公开办公室将组织开展第三方评估，评估结果在全市范围内通报。
"""),
    ),
    dict(
        fmt="pdf", short="2019年市级部门预算公开",
        agency=CZJ, number="示财预〔2019〕8号", type="通知", date="2019-02-20",
        title="示例市财政局关于做好2019年市级部门预算公开工作的通知",
        to="市直各部门、各单位：",
        body="""
根据《中华人民共和国预算法》和《地方预决算公开操作规程》有关规定，为进一步提高财政透明度，现就做好2019年市级部门预算公开工作通知如下：
一、公开范围。除涉及国家秘密的部门外，使用财政拨款的市级部门及所属单位均应公开部门预算。
二、公开时间。各部门应当在市财政局批复预算后20日内，在本部门门户网站“预算公开”专栏集中公开，并同步报送市财政局预算公开统一平台。
三、公开内容。部门预算公开应当包括部门职责及机构设置情况、收支总表、财政拨款收支总表、一般公共预算支出表、政府性基金预算支出表等9张报表，对“三公”经费预算安排和增减变化原因作出说明，机关运行经费、政府采购和国有资产占有使用情况一并公开。
四、工作要求。各部门要指定专人负责预算公开工作，公开前做好保密审查。市财政局将会同市政务公开办公室对公开情况进行检查，检查结果纳入部门预算管理绩效考核。对公开不及时、内容不完整的部门，予以通报并督促整改。
""",
        att=["2019年市级部门预算公开参考格式", "市级部门预算公开情况统计表"], note=PUBLIC,
        cc="市人民政府办公室，市审计局。",
    ),
    dict(
        fmt="pdf", short="2020年度生态环境状况报告", pages=3,
        agency=HJJ, number="示环发〔2021〕5号", type="报告", date="2021-04-22",
        title="示例市生态环境局关于2020年度示例市生态环境状况的报告",
        to="示例市人民政府：",
        body="""
2020年，我局深入打好污染防治攻坚战，全市生态环境质量持续改善。现将有关情况报告如下。
一、环境质量状况
（一）大气环境。全市环境空气质量优良天数为301天，优良天数比例为82.2%，同比上升4.1个百分点。细颗粒物（PM2.5）年均浓度为38微克/立方米，同比下降9.5%；可吸入颗粒物（PM10）年均浓度为66微克/立方米。全年发生重度及以上污染6天，主要集中在1月和12月。
（二）水环境。全市12个国控、省控地表水断面中，Ⅰ—Ⅲ类水质断面10个，占83.3%，无劣Ⅴ类断面。县级及以上集中式饮用水水源地水质达标率保持100%。
（三）声环境和土壤环境。城市区域环境噪声昼间平均等效声级为53.6分贝，总体处于较好水平。受污染耕地安全利用率达到90%以上。
二、主要工作
（一）推进大气污染综合治理。完成燃煤锅炉淘汰改造43台，对86家涉挥发性有机物企业实施深度治理，加强建筑工地扬尘管控。
（二）强化水污染防治。完成5座城镇污水处理厂提标改造，新建污水管网62公里，整治城市黑臭水体3处。
（三）加强环境信息公开。按月公布各县（区）空气质量排名，依法公开重点排污单位名录和环境影响评价审批信息，全年主动公开环境信息1260条，办理环境信息公开申请23件。
三、存在的问题
秋冬季大气污染防治压力依然较大，PM2.5浓度距国家二级标准仍有差距；部分乡镇污水收集管网不完善，农村生活污水治理率偏低。
四、下一步工作
2021年，我局将以PM2.5和臭氧协同控制为重点，持续推进工业企业深度治理和移动源污染防治，加快补齐污水收集处理设施短板，进一步做好生态环境信息公开，保障公众环境知情权。
特此报告。
""",
        cc="省生态环境厅。",
    ),
    dict(
        fmt="pdf", short="示例县第三批次征地补偿安置方案的批复", style="chinese",
        agency=SHI, number="示政复〔2016〕23号", type="批复", date="2016-09-12",
        title="示例市人民政府关于示例县2016年度第三批次城镇建设用地征地补偿安置方案的批复",
        to="示例县人民政府：",
        body="""
你县《关于示例县2016年度第三批次城镇建设用地征地补偿安置方案的请示》（示县政〔2016〕56号）收悉。经研究，现批复如下：
一、同意你县上报的征地补偿安置方案。该批次征收集体土地12.36公顷，其中耕地8.41公顷，涉及城关镇东关村、南湖村两个村民小组。
二、征地补偿按照市人民政府公布的征地区片综合地价标准执行，耕地每亩补偿4.6万元。地上附着物和青苗补偿费按照《示例县征地地上附着物和青苗补偿标准》执行。
三、被征地农民社会保障费用应当足额落实，按规定将被征地农民纳入社会保障体系，做到应保尽保。
四、你县要严格按照批准的方案组织实施，在被征收土地所在村组范围内公告征地补偿安置方案，听取被征地农村集体经济组织和农民的意见；补偿费用未足额到位的，不得强行征收土地。实施过程中的重大问题及时报告。
此复。
""",
        note=PUBLIC, cc="市国土资源局，市财政局，市人力资源和社会保障局。",
    ),
    dict(
        fmt="pdf", short="优化营商环境便利市场主体登记的意见", pages=2,
        agency=SJJ, number="示市监发〔2022〕17号", type="意见", date="2022-06-08",
        title="示例市市场监督管理局关于进一步优化营商环境便利市场主体登记的意见",
        to="各县（区）市场监督管理局，局机关各科室、各直属单位：",
        body="""
为深入贯彻《优化营商环境条例》和《中华人民共和国市场主体登记管理条例》，进一步降低制度性交易成本，激发市场主体活力，现就便利市场主体登记提出如下意见。
一、推行登记“一网通办”。依托全市企业开办平台，将设立登记、公章刻制、发票申领、社保登记、住房公积金缴存登记等事项整合为一个环节，企业开办全程网上办理，办理时间压缩至1个工作日以内。
二、放宽住所登记条件。实行住所（经营场所）申报承诺制，申请人对住所的真实性、合法性作出承诺即可办理登记，无需提交产权证明。允许“一照多址”，在本市范围内增设经营场所的，可直接申请备案，不再另行办理分支机构登记。
三、优化经营范围登记。全面使用经营范围规范表述目录，申请人可自主选择经营范围条目；对涉及许可审批的经营项目，在登记时即时告知审批部门和办理方式。
四、完善歇业和简易注销制度。因自然灾害、公共卫生事件等原因造成经营困难的市场主体，可以自主决定在一定时期内歇业。未发生债权债务的市场主体，可通过简易注销程序退出市场，公示期由45日压缩为20日。
五、加强登记信息公开和信用监管。通过国家企业信用信息公示系统依法公示市场主体登记、备案信息，推进登记档案电子化查询。对提交虚假材料取得登记的，依法撤销登记并列入严重违法失信名单。
六、强化组织保障。各县（区）市场监督管理局要明确专人负责，梳理登记环节中的堵点难点，于每季度末向市局报送工作进展。市局将适时开展“营商环境体验官”活动，邀请企业代表体验登记流程，查找和解决问题。
""",
        note=PUBLIC, cc="市人民政府办公室，市发展改革委，市政务服务管理局。",
    ),
    dict(
        fmt="pdf", short="住房租赁市场专项整治工作方案", pages=3,
        agency=ZJJ, number="示建发〔2024〕9号", type="通知", date="2024-05-10",
        title="示例市住房和城乡建设局关于印发示例市住房租赁市场专项整治工作方案的通知",
        to="各县（区）住房城乡建设主管部门，局属各单位：",
        body="""
为规范住房租赁市场秩序，切实维护租赁当事人合法权益，我局制定了《示例市住房租赁市场专项整治工作方案》，现印发给你们，请认真组织实施。整治中遇到的问题，请及时报告市住房和城乡建设局房地产市场监管科。
""",
        att=["示例市住房租赁市场专项整治工作方案"], cc="市市场监督管理局，市公安局，市委网信办。",
        app=("示例市住房租赁市场专项整治工作方案", """
一、工作目标。通过为期6个月的专项整治，重点查处发布虚假房源信息、违规克扣押金、哄抬租金等突出问题，建立住房租赁企业信用评价体系，推动住房租赁市场健康发展。
二、整治重点。（一）住房租赁企业未按规定开业报告、未开立交易资金监管账户的；（二）通过互联网平台发布虚假、过期房源信息，或者以低价吸引承租人后加价的；（三）“高收低租”“长收短付”等高风险经营行为；（四）将非居住用房改建为住房出租，或者将厨房、卫生间、阳台单独出租的；（五）住房租赁合同未进行网签备案的。
三、实施步骤。（一）自查自纠阶段（2024年5月至6月）。各住房租赁企业、房地产经纪机构对照整治重点开展自查，形成自查报告。（二）集中整治阶段（2024年7月至9月）。各县（区）住房城乡建设主管部门会同市场监管、网信、公安等部门开展联合检查，对发现的问题建立台账、限期整改。（三）总结提升阶段（2024年10月）。梳理整治成效，完善租赁合同网签备案、资金监管等长效机制。
四、工作要求。各地要畅通投诉举报渠道，对群众反映的租赁纠纷及时调处；整治中发现的典型案例，要通过政府网站和新闻媒体公开曝光，形成震慑。
"""),
    ),
    dict(
        fmt="pdf", short="调整征地区片综合地价标准的通告",
        agency=XIAN, number="示县政发〔2020〕31号", type="通告", date="2020-11-05",
        title="示例县人民政府关于调整示例县征地区片综合地价标准的通告",
        body="""
为保障被征地农民合法权益，根据《中华人民共和国土地管理法》及省人民政府关于调整征地区片综合地价的有关规定，经县人民政府研究，决定自2021年1月1日起调整我县征地区片综合地价标准。现将有关事项通告如下：
一、本县征地区片综合地价划分为三个区片：一类区片为城关镇、临河镇规划区范围，综合地价为每亩5.8万元；二类区片为其他乡镇政府驻地周边区域，综合地价为每亩5.1万元；三类区片为一类、二类区片以外的区域，综合地价为每亩4.5万元。
二、征地区片综合地价包括土地补偿费和安置补助费，不包括地上附着物和青苗补偿费以及被征地农民社会保障费用。土地补偿费和安置补助费按照4:6的比例分配。
三、2021年1月1日前已依法公告征地补偿安置方案的，仍按原标准执行。
四、征收土地时，县自然资源局应当在被征收土地所在乡镇和村、村民小组范围内公示征地区片综合地价标准，接受群众监督。
特此通告。
""",
    ),
    dict(
        fmt="pdf", short="2017年度教育经费执行情况的报告",
        agency=JYJ, number="示教发〔2018〕6号", type="报告", date="2018-03-02",
        title="示例市教育局关于2017年度教育经费执行情况的报告",
        to="示例市人民政府：",
        body="""
现将我市2017年度教育经费预算执行情况报告如下：
一、教育经费总体情况。2017年全市教育经费总投入28.64亿元，其中一般公共预算教育支出23.17亿元，同比增长7.3%，占一般公共预算支出的18.6%，实现了一般公共预算教育支出只增不减的目标。
二、分项执行情况。学前教育支出2.05亿元，主要用于新建、改扩建公办幼儿园17所；义务教育支出13.42亿元，落实城乡统一的义务教育经费保障机制，小学、初中生均公用经费分别达到每生每年650元和850元；普通高中支出3.96亿元；职业教育支出2.31亿元；学生资助资金1.43亿元，惠及学生4.2万人次。
三、预算管理和公开情况。我局严格执行部门预算，全年“三公”经费支出38.6万元，比预算数减少11.2%。局本级及所属单位的部门预算和决算均已按要求在局门户网站公开。
四、存在问题和下一步打算。部分县（区）城区学校大班额问题仍未完全化解，个别项目资金拨付进度偏慢。2018年，我局将加强预算绩效管理，对重点项目开展绩效评价，评价结果向社会公开，切实提高教育资金使用效益。
特此报告。
""",
        cc="市财政局。",
    ),
    dict(
        fmt="pdf", short="表彰2015年度政务公开工作先进单位的决定", style="chinese",
        agency=SHI, number="示政发〔2016〕4号", type="决定", date="2016-01-28",
        title="示例市人民政府关于表彰2015年度政务公开工作先进单位的决定",
        to=TO_SHI,
        body="""
2015年，全市各级各部门认真落实全面推进政务公开工作的部署，围绕权力清单、财政预决算、保障性住房、食品药品安全等重点领域加大信息公开力度，政府网站信息发布、解读回应和依申请公开办理水平明显提升，涌现出一批工作成效突出的先进单位。
为表彰先进、树立典型，市人民政府决定，对示例县人民政府、市财政局、市住房和城乡建设局等10个单位授予“2015年度政务公开工作先进单位”称号，予以通报表彰。
希望受表彰的单位珍惜荣誉，再接再厉，继续发挥示范带动作用。各地各部门要以先进单位为榜样，坚持以公开为常态、不公开为例外，进一步拓展公开范围，创新公开方式，提升公开实效，为建设法治政府、服务型政府作出新的贡献。
""",
        att=["2015年度政务公开工作先进单位名单"], note=PUBLIC, cc=CC_SHI,
        app=("2015年度政务公开工作先进单位名单", """
示例县人民政府、示例市城关区人民政府、示例市财政局、示例市住房和城乡建设局、示例市环境保护局、示例市教育局、示例市国土资源局、示例市食品药品监督管理局、示例市人力资源和社会保障局、示例市地方税务局（共10个）
"""),
    ),
    dict(
        fmt="pdf", short="加快5G网络建设实施方案", pages=3,
        pdf_meta={"title": "Microsoft Word - 5G方案（定稿）0518.doc", "author": "Administrator"},
        agency=BAN, number="示政办发〔2020〕21号", type="通知", date="2020-05-18",
        title="示例市人民政府办公室关于印发示例市加快5G网络建设实施方案的通知",
        to=TO_SHI,
        body="""
《示例市加快5G网络建设实施方案》已经市人民政府同意，现印发给你们，请认真贯彻执行。
""",
        att=["示例市加快5G网络建设实施方案"], note=PUBLIC, cc=CC_SHI,
        app=("示例市加快5G网络建设实施方案", """
为加快第五代移动通信（5G）网络建设，推动5G与经济社会各领域融合发展，制定本方案。
一、发展目标。到2020年底，全市累计建成5G基站2000个，实现中心城区和县城城区5G网络连续覆盖；到2022年底，累计建成5G基站6000个，实现乡镇以上区域和重点行政村5G网络全覆盖。
二、重点任务。（一）科学编制站址规划。市工业和信息化局会同市自然资源和规划局，将5G基站站址纳入国土空间规划，新建住宅小区、商务楼宇和公共建筑应当按标准预留通信机房、管线和基站站址。（二）开放公共资源。党政机关、事业单位办公场所和车站、体育场馆、公园等公共场所，以及路灯杆、监控杆、交通信号杆等杆塔资源，原则上免费向5G基站建设开放。（三）降低建设运营成本。供电企业对具备条件的5G基站实施转供电改直供电，落实电价优惠政策；基站建设涉及的占道施工、绿地占用等审批事项实行并联审批，办理时限不超过5个工作日。（四）加强站址保护。任何单位和个人不得阻挠依法依规建设5G基站，不得违规收取进场费、协调费等费用。
三、保障措施。建立由分管副市长任召集人的5G网络建设联席会议制度，协调解决建设中的重大问题。市生态环境局负责做好基站电磁辐射环境监测，依法公开监测结果，及时回应群众关于电磁辐射的关切。各县（区）人民政府每月向市工业和信息化局报送基站建设进度。
"""),
    ),
    dict(
        fmt="pdf", short="征求细颗粒物和臭氧协同控制行动方案意见的函",
        agency=HJJ, number="示环函〔2025〕12号", type="函", date="2025-06-03",
        title="示例市生态环境局关于征求《示例市细颗粒物和臭氧协同控制行动方案（征求意见稿）》意见的函",
        to="市发展改革委、市工业和信息化局、市公安局、市住房和城乡建设局、市交通运输局，各县（区）人民政府：",
        body="""
为持续改善全市环境空气质量，推动PM2.5和臭氧协同控制，我局起草了《示例市细颗粒物和臭氧协同控制行动方案（征求意见稿）》，现送你们征求意见。请认真研究，于2025年6月20日前将书面意见反馈我局大气环境科，逾期未反馈的视为无意见。
征求意见稿主要内容包括：一是确定2025年至2027年全市PM2.5年均浓度和优良天数比例目标；二是推进钢铁、水泥、焦化等重点行业超低排放改造；三是加强挥发性有机物源头替代，在夏季臭氧污染高发时段实行错峰生产；四是加快淘汰国三及以下排放标准柴油货车；五是完善区域联防联控和重污染天气应急响应机制。
本函同步在市生态环境局门户网站公开征求社会公众意见，公开征求意见时间不少于30日。
""",
        att=["示例市细颗粒物和臭氧协同控制行动方案（征求意见稿）"],
    ),
    # ============================================================ HTML
    dict(
        fmt="html", enc="utf-8", short="推进政务公开标准化规范化工作的意见",
        agency=SHI, number="示政发〔2021〕8号", type="意见", date="2021-03-26", pub="2021-03-31",
        index="000014999/2021-00008", topic="综合政务\\政务公开", keywords="政务公开,标准化,规范化,公开目录",
        related=["示例市政务公开办法", "示例市人民政府办公室关于印发示例市2023年政务公开工作要点的通知"],
        title="示例市人民政府关于进一步推进政务公开标准化规范化工作的意见",
        to=TO_SHI,
        body="""
为贯彻落实《中华人民共和国政府信息公开条例》，推动基层政务公开标准化规范化工作在全市全面铺开，现提出如下意见。
一、总体要求。到2022年底，全市县乡两级政府全面编制完成政务公开事项标准目录，覆盖重大建设项目、公共资源配置、财政预决算、征地补偿、义务教育、生态环境等26个领域，形成主动公开、依申请公开、解读回应相互衔接的工作体系。
二、编制公开事项标准目录。各县（区）人民政府要以国务院部门制定的基层政务公开标准指引为基础，逐项明确公开事项的名称、内容、依据、时限、主体、渠道和对象。目录实行动态调整，每年至少更新一次。
三、规范公开程序。建立政府信息公开前保密审查和风险评估机制，按照“谁制作、谁公开，谁保存、谁公开”的原则确定公开主体。涉及公众切身利益的重要决策，应当在决策前通过政府网站公开征求意见，征求意见期限一般不少于30日。
四、拓宽公开渠道。优化政府网站政府信息公开专栏，统一设置法定主动公开内容、政府信息公开指南、政府信息公开年度报告等栏目。充分利用政务新媒体、村（居）务公开栏和便民服务中心，方便群众就近获取信息。
五、加强组织领导。各地各部门主要负责同志要定期听取政务公开工作汇报，协调解决重大问题。市政务公开办公室要加强业务指导，将标准化规范化工作落实情况纳入政务公开年度考核。
""",
        note=PUBLIC,
    ),
    dict(
        fmt="html", enc="utf-8", short="公开2024年市级部门三公经费预算的公告", meta_style="http-equiv",
        agency=CZJ, number="示财预〔2024〕3号", type="公告", date="2024-02-06", pub="2024-02-07",
        index="SL-CZJ-2024-0003", topic="财政、金融、审计\\预算", keywords="三公经费,预算公开,公务接待费",
        related=["示例市财政局关于做好2019年市级部门预算公开工作的通知"],
        title="示例市财政局关于公开2024年市级部门“三公”经费预算的公告",
        body="""
根据《中华人民共和国预算法》和政府信息公开有关规定，经市人民代表大会批准，现将2024年市级部门“三公”经费预算安排情况公告如下：
一、总体情况。2024年市级部门一般公共预算财政拨款“三公”经费预算合计3862.5万元，比2023年预算减少214.3万元，下降5.3%。其中：因公出国（境）费186.0万元，公务用车购置及运行维护费2741.8万元（其中公务用车购置费412.0万元、公务用车运行维护费2329.8万元），公务接待费934.7万元。
二、增减变化原因。一是严格执行中央八项规定精神，各部门压减一般性支出，公务接待费比上年减少96.4万元；二是深化公务用车制度改革，全市公务用车保有量继续下降，公务用车运行维护费相应减少；三是因公出国（境）团组按照计划从严审批，预算与上年持平。
三、公开方式。各市级部门“三公”经费预算的详细情况，随部门预算在各部门门户网站和市财政局预算公开统一平台公开，社会公众可查询下载。
四、监督渠道。对“三公”经费预算公开情况的意见和建议，可通过市政府门户网站“政民互动”栏目反映。
特此公告。
""",
    ),
    dict(
        fmt="html", enc="gb2312", short="实施重污染天气应急减排措施的通告",
        agency=HJJ, number="示环发〔2019〕42号", type="通告", date="2019-11-28", pub="2019-11-28",
        pub_time="16:30", number_in_content=False,
        index="11999900SL0013/2019-00042", topic="环境监测、保护与治理", keywords="重污染天气,PM2.5,应急减排,预警",
        related=["示例市建筑工地扬尘污染防治规定"],
        title="示例市生态环境局关于实施重污染天气应急减排措施的通告",
        body="""
为有效应对秋冬季重污染天气，减轻污染程度，保障公众身体健康，根据《中华人民共和国大气污染防治法》和《示例市重污染天气应急预案》，现就重污染天气应急减排措施通告如下：
一、预警分级。重污染天气预警按照严重程度由轻到重分为黄色、橙色、红色三级。预测全市PM2.5日均浓度将连续2天达到150微克/立方米以上时发布黄色预警，连续3天达到150微克/立方米以上时发布橙色预警，连续3天达到250微克/立方米以上时发布红色预警。
二、减排措施。黄色预警期间，列入应急减排清单的工业企业按照“一厂一策”要求限产；橙色及以上预警期间，城市建成区内停止土石方作业和建筑拆除工程，国四及以下排放标准的重型柴油货车禁止在城区道路行驶，禁止露天烧烤和燃放烟花爆竹。
三、健康防护。预警期间，儿童、老年人和呼吸道、心脑血管疾病患者应当尽量留在室内；中小学校、幼儿园停止户外活动，红色预警期间可以采取弹性教学或者停课措施。
四、信息发布。预警信息通过市政府门户网站、市生态环境局网站、电视、广播和手机短信及时发布，公众可登录市生态环境局网站实时查询各监测站点空气质量数据。
五、对违反本通告的行为，由生态环境、公安、住房城乡建设等部门依法查处。
本通告自发布之日起施行。
""",
    ),
    dict(
        fmt="html", enc="utf-8", short="棚户区改造项目安置住房建设方案的批复",
        agency=ZJJ, number="示建复〔2019〕15号", type="批复", date="2019-07-30", pub="2019-08-02",
        index="11999900SL0021/2019-00015", topic="城乡建设、环境保护\\住房", keywords="棚户区改造,安置住房,批复",
        title="示例市住房和城乡建设局关于城关区棚户区改造项目（二期）安置住房建设方案的批复",
        to="城关区住房和城乡建设局：",
        body="""
你局《关于城关区棚户区改造项目（二期）安置住房建设方案的请示》（城建〔2019〕33号）收悉。经审查，现批复如下：
一、原则同意城关区棚户区改造项目（二期）安置住房建设方案。项目位于城关区北关路以东、纬三路以南，规划用地面积4.2公顷，建设安置住房1160套，总建筑面积约13.8万平方米，其中住宅建筑面积12.1万平方米。
二、安置住房户型以60平方米、75平方米、90平方米三种为主，户型比例应当根据被征收人选房意愿确定。配套建设社区服务用房、幼儿园和地下停车库，与安置住房同步设计、同步建设、同步交付使用。
三、项目建设资金由城关区人民政府通过棚户区改造专项资金、地方政府专项债券等渠道统筹解决，严禁违规举债。
四、你局要严格执行工程建设基本程序和质量安全标准，在项目现场和区政府网站公开安置住房的建设进度、分配办法和分配结果，接受被安置群众监督。
此复。
""",
        cc="城关区人民政府，市财政局。",
    ),
    dict(
        fmt="html", enc="gb2312", short="做好2025年义务教育招生入学工作的通知",
        agency=JYJ, number="示教发〔2025〕11号", type="通知", date="2025-04-18", pub="2025-04-21",
        index="11999900SL0031/2025-00011", topic="科技、教育\\教育", keywords="义务教育,招生入学,免试就近,随迁子女",
        related=["示例市教育局关于推进中小学校务公开工作的意见"],
        title="示例市教育局关于做好2025年义务教育招生入学工作的通知",
        to="各县（区）教育局，市直各学校：",
        body="""
为进一步规范义务教育招生入学管理，保障适龄儿童少年依法接受义务教育，现就做好2025年全市义务教育招生入学工作通知如下：
一、坚持免试就近入学。公办义务教育学校严格按照划定的招生片区招生，不得以任何形式举行或者变相举行入学考试，不得以各类竞赛证书、考级证书作为招生依据。民办义务教育学校与公办学校同步招生，报名人数超过招生计划的，一律实行电脑随机录取。
二、及时公开招生信息。各县（区）教育局应当于5月31日前通过政府网站、官方公众号等渠道公开招生政策、学校招生片区、招生计划和报名方式；学校应当在招生结束后10个工作日内公开录取结果。
三、保障特殊群体入学。进城务工人员随迁子女入学以居住证为主要依据，按照“两为主”原则统筹安排；适龄残疾儿童少年通过随班就读、特殊教育学校就读、送教上门等方式接受义务教育。
四、全面推行网上报名。依托全市义务教育招生平台实现“一网通办”，家长通过手机即可完成信息登记和材料提交，户籍、不动产登记等信息通过部门数据共享核验，不再要求家长提交纸质证明。
五、加强监督检查。市教育局设立招生入学监督举报电话，对违规招生、择校收费等行为，一经查实，严肃追究相关学校和责任人的责任。
""",
        note=PUBLIC,
    ),
    dict(
        fmt="html", enc="utf-8", short="商请协助开展住宅小区电梯安全隐患排查的函",
        agency=SJJ, number="示市监函〔2023〕27号", type="函", date="2023-08-14", pub="2023-08-18",
        index="11999900SL0052/2023-00027", topic="市场监管、安全生产监管\\其他", keywords="电梯安全,特种设备,物业服务,维修资金",
        title="示例市市场监督管理局关于商请协助开展住宅小区电梯安全隐患排查的函",
        to="示例市住房和城乡建设局：",
        body="""
近年来，我市住宅小区电梯保有量快速增长。截至2023年6月底，全市在用住宅电梯9870台，其中使用年限超过15年的老旧电梯1215台。部分小区因物业服务企业更替、维修资金使用困难等原因，存在电梯维护保养不到位、安全管理人员缺失等隐患，群众反映较多。
为切实保障群众乘梯安全，我局拟于2023年9月至11月在全市开展住宅小区电梯安全隐患专项排查。鉴于物业服务企业和住宅专项维修资金由贵局负责监督管理，特商请贵局给予以下协助：
一、督促物业服务企业落实电梯使用单位主体责任，配备电梯安全管理人员，配合特种设备检验机构和维保单位开展排查；
二、对排查中发现需要更新、改造、大修的老旧电梯，指导业主委员会依法申请使用住宅专项维修资金，简化审批流程；
三、将电梯安全管理情况纳入物业服务企业信用评价。
请贵局于2023年8月31日前确定一名联络员，并将联系方式反馈我局特种设备安全监察科。
专此函达。
""",
    ),
    dict(
        fmt="html", enc="gb2312", short="政府信息依申请公开办理规程", site="county",
        agency=XIAN, number="示县政发〔2018〕19号", type="通知", date="2018-10-09", pub="2018-10-12",
        index="SLX-2018-000019", topic="综合政务\\政务公开", keywords="依申请公开,政府信息公开,办理规程",
        title="示例县人民政府关于印发示例县政府信息依申请公开办理规程的通知",
        to="各乡镇人民政府，县政府各部门：",
        body="""
《示例县政府信息依申请公开办理规程》已经县人民政府第23次常务会议研究通过，现印发给你们，请认真遵照执行。
""",
        att=["示例县政府信息依申请公开办理规程"], note=PUBLIC,
        app=("示例县政府信息依申请公开办理规程", """
第一条　为规范政府信息依申请公开工作，保障公民、法人和其他组织依法获取政府信息，根据《中华人民共和国政府信息公开条例》，结合本县实际，制定本规程。
第二条　县人民政府办公室是本县政府信息公开工作的主管部门，负责统一受理向县人民政府提出的政府信息公开申请。县政府各部门、各乡镇人民政府负责受理向本机关提出的申请。
第三条　申请人可以通过当面提交、邮寄、传真或者县政府门户网站在线申请等方式提出申请。申请内容不明确的，行政机关应当告知申请人作出更改、补充。
第四条　行政机关收到政府信息公开申请，能够当场答复的，应当当场予以答复；不能当场答复的，应当自收到申请之日起15个工作日内予以答复；需要延长答复期限的，应当经本机关政府信息公开工作机构负责人同意并告知申请人，延长的期限最长不得超过15个工作日。
第五条　申请公开的政府信息涉及商业秘密、个人隐私，公开后可能损害第三方合法权益的，应当书面征求第三方的意见。
第六条　行政机关应当建立依申请公开工作台账，对申请的受理、办理、答复和送达等环节全程登记，有关材料按照档案管理规定归档。
第七条　本规程自印发之日起施行。
"""),
    ),
    dict(
        fmt="html", enc="utf-8", short="2015年度政府信息公开工作情况的报告", style="chinese",
        agency=BAN, number="示政办发〔2016〕9号", type="报告", date="2016-03-20", pub="2016-03-31",
        index="000014999/2016-00031", topic="综合政务\\政务公开", keywords="政府信息公开,年度报告,依申请公开",
        title="示例市人民政府办公室关于2015年度政府信息公开工作情况的报告",
        to="省人民政府办公厅：",
        body="""
根据《中华人民共和国政府信息公开条例》规定，现将我市2015年度政府信息公开工作情况报告如下：
一、概述。2015年，我市以权力清单和责任清单公开为重点，全面推进行政权力运行、财政资金、公共资源配置、公共服务和公共监管等领域的信息公开，政府信息公开的广度和深度不断拓展。
二、主动公开情况。全年全市主动公开政府信息4.8万条，其中市政府门户网站发布2.1万条，政务微博、微信发布1.5万条，召开新闻发布会36场。市级65个部门全部公开了部门预算和“三公”经费预算，保障性住房分配、食品药品抽检、环境质量等信息均按时公开。
三、依申请公开情况。全市共受理政府信息公开申请312件，其中当面申请48件、网络申请201件、信函申请63件，均已按期答复。其中同意公开189件，同意部分公开27件，信息不存在54件，不属于本行政机关公开范围的31件，其他情形11件。
四、复议、诉讼和收费情况。因政府信息公开引起行政复议7件、行政诉讼3件，其中被依法纠错1件。全年未收取政府信息公开检索、复制、邮寄等费用。
五、存在的问题和改进措施。一是部分部门对政策解读重视不够，解读形式单一；二是个别县（区）政府网站信息更新不及时。2016年，我们将加强政策解读和舆情回应，完善政务公开考核机制，推动政府信息公开工作再上新台阶。
""",
    ),
    dict(
        fmt="html", enc="utf-8", short="废止和修改部分市政府规范性文件的决定",
        agency=SHI, number="示政发〔2017〕25号", type="决定", date="2017-12-20", pub="2017-12-28",
        index="000014999/2017-00125", topic="综合政务\\其他", keywords="规范性文件,清理,废止,营商环境",
        title="示例市人民政府关于废止和修改部分市政府规范性文件的决定",
        to=TO_SHI,
        body="""
为深化“放管服”改革，优化营商环境，维护法制统一，市人民政府对截至2017年10月底以市政府及市政府办公室名义印发的规范性文件进行了全面清理。经清理，市人民政府决定：
一、对《示例市企业投资项目核准暂行办法》等12件规范性文件予以废止。
二、对《示例市城市房屋拆迁管理实施细则》等5件规范性文件的部分条款予以修改。
三、废止的规范性文件自本决定公布之日起停止执行，不再作为行政管理的依据；修改的规范性文件自本决定公布之日起按修改后的条款执行，由起草部门重新公布文本。
各地各部门要根据本决定，及时清理本地区、本部门的配套文件。今后要坚持规范性文件定期清理制度，清理结果向社会公布，凡与优化营商环境要求不符的规定，要及时修改或者废止。
""",
        att=["市政府决定废止的规范性文件目录", "市政府决定修改的规范性文件目录"], note=PUBLIC,
    ),
    dict(
        fmt="html", enc="utf-8", short="2025年第一批保障性租赁住房项目认定结果的公告",
        agency=ZJJ, number="示建发〔2025〕4号", type="公告", date="2025-03-11", pub="2025-03-12",
        index="11999900SL0021/2025-00004", topic="城乡建设、环境保护\\住房", keywords="保障性租赁住房,项目认定,新市民",
        related=["示例市住房和城乡建设局关于印发示例市住房租赁市场专项整治工作方案的通知"],
        title="示例市住房和城乡建设局关于2025年第一批保障性租赁住房项目认定结果的公告",
        body="""
根据《示例市保障性租赁住房项目认定办法》，经项目单位申请、县（区）初审、市级联合审查和社会公示，2025年第一批共认定保障性租赁住房项目5个，房源2346套（间）。现将有关情况公告如下：
一、认定项目。（一）示例市高新区人才公寓项目，利用产业园区配套用地建设，房源860套；（二）城关区北关路宿舍改建项目，利用闲置厂房改建，房源312间；（三）临河新区职工公寓项目，房源540套；（四）示例县城关镇青年公寓项目，利用集体经营性建设用地建设，房源388套；（五）城南片区租赁住房项目，利用企事业单位自有闲置土地建设，房源246套。
二、支持政策。认定后的项目可按规定享受税费减免、民用水电气价格等支持政策，项目单位凭保障性租赁住房项目认定书办理相关手续。
三、运营管理。保障性租赁住房主要面向无房新市民、青年人，以建筑面积不超过70平方米的小户型为主，租金低于同地段同品质市场租赁住房租金。项目不得上市销售或者变相销售。
四、社会监督。项目的房源信息、租金标准和配租结果将在市住房和城乡建设局门户网站公开，欢迎社会各界监督。
特此公告。
""",
    ),
    dict(
        fmt="html", enc="utf-8", short="市级财政资金信息公开办法",
        agency=CZJ, number="示财发〔2015〕27号", type="通知", date="2015-11-30", pub="2015-12-03",
        index="SL-CZJ-2015-0027", topic="财政、金融、审计\\预算", keywords="财政资金,信息公开,预算,决算",
        title="示例市财政局关于印发示例市市级财政资金信息公开办法的通知",
        to="市直各部门、各单位，各县（区）财政局：",
        body="""
为贯彻落实新修订的《中华人民共和国预算法》，推进财政资金信息公开，我局制定了《示例市市级财政资金信息公开办法》，现印发给你们，请遵照执行。执行中遇到的问题，请及时向我局反映。
""",
        att=["示例市市级财政资金信息公开办法"],
        app=("示例市市级财政资金信息公开办法", """
第一条　为规范市级财政资金信息公开工作，提高财政透明度，根据《中华人民共和国预算法》《中华人民共和国政府信息公开条例》等规定，制定本办法。
第二条　本办法所称财政资金信息，是指市级预算、决算以及财政专项资金分配、使用和绩效情况等信息。
第三条　市财政局应当在市人民代表大会批准预算后20日内公开市级政府预算，在市人民代表大会常务委员会批准决算后20日内公开市级政府决算。
第四条　市级各部门应当在市财政局批复部门预算、决算后20日内公开本部门预算、决算，并对“三公”经费、机关运行经费等重要事项作出说明。
第五条　财政专项资金的管理办法、申报条件、分配结果应当依法公开，接受社会监督。涉及个人隐私的，应当进行必要的处理后公开。
第六条　未按规定公开财政资金信息的，由市财政局责令改正；情节严重的，依法追究相关人员的责任。
第七条　本办法自2016年1月1日起施行。
"""),
    ),
    # ============================================================ TXT, UTF-8
    dict(
        fmt="txt", enc="utf-8", short="商请提供2020年度政务公开工作考核材料的函",
        agency=BAN, number="示政办函〔2020〕37号", type="函", date="2020-12-02",
        title="示例市人民政府办公室关于商请提供2020年度政务公开工作考核材料的函",
        to="国家税务总局示例市税务局，示例市气象局，示例市邮政管理局：",
        body="""
根据《示例市政务公开工作考核办法》，我市每年对市政府各部门和驻示例有关单位的政务公开工作进行考核。为做好2020年度考核工作，现商请贵单位协助提供以下材料：
一、2020年度本单位主动公开政府信息情况，包括通过门户网站、政务新媒体公开的信息数量和主要栏目建设情况；
二、本单位办理政府信息公开申请的情况，包括申请数量、答复结果和因政府信息公开引起的行政复议、行政诉讼情况；
三、本单位落实减税降费、疫情防控等政策的公开解读和回应关切情况；
四、本单位推进政务公开工作的经验做法和典型案例，篇幅在2000字以内。
请于2020年12月20日前将上述材料的纸质版（加盖公章）报送市政务公开办公室，电子版通过政务内网报送。感谢贵单位对我市政务公开工作的支持！
""",
    ),
    dict(
        fmt="txt", enc="utf-8", short="污水处理厂扩建工程环境影响报告书的批复", style="chinese",
        agency=HJJ, number="示环审〔2020〕33号", type="批复", date="2020-08-17",
        title="示例市生态环境局关于示例化工园区污水处理厂扩建工程环境影响报告书的批复",
        to="示例化工园区管理委员会：",
        body="""
你单位报送的《示例化工园区污水处理厂扩建工程环境影响报告书》（以下简称《报告书》）及相关材料收悉。经研究，批复如下：
一、项目位于示例化工园区东区，在现有污水处理厂预留用地内建设，设计处理规模由每日2万立方米扩建至每日4万立方米，采用“预处理+水解酸化+A/O+深度处理”工艺，尾水排放执行《城镇污水处理厂污染物排放标准》一级A标准。项目总投资1.86亿元，其中环保投资2350万元。
二、在全面落实《报告书》提出的各项生态环境保护措施后，项目建设对环境的不利影响能够得到缓解和控制。我局同意你单位按照《报告书》所列建设项目的性质、规模、地点和拟采取的环境保护措施进行建设。
三、项目建设和运行中应当重点做好以下工作：（一）加强园区企业纳管废水预处理监管，严禁超标废水进入污水处理厂；（二）污泥应当按照固体废物鉴别结果分类处置，属于危险废物的，交由有资质单位处置；（三）对格栅间、污泥脱水间等产生恶臭的单元进行密闭收集处理；（四）安装进出水在线监测设备，并与生态环境部门联网。
四、你单位应当在收到本批复后20个工作日内，将批准后的《报告书》送示例市生态环境局园区分局，并依法公开项目环境信息。项目竣工后，应当按照规定开展竣工环境保护验收。
此复。
""",
        note=PUBLIC, cc="示例市生态环境局园区分局，示例市生态环境保护综合行政执法支队。",
    ),
    dict(
        fmt="txt", enc="utf-8", short="推进中小学校务公开工作的意见",
        agency=JYJ, number="示教发〔2015〕20号", type="意见", date="2015-06-05",
        title="示例市教育局关于推进中小学校务公开工作的意见",
        to="各县（区）教育局，市直各学校：",
        body="""
校务公开是推进依法治校、建设现代学校制度的重要内容，是政务公开在教育领域的具体体现。为进一步推进全市中小学校务公开工作，现提出如下意见。
一、明确公开内容。各学校应当重点公开以下事项：学校基本情况和办学规模；招生范围、招生计划和录取结果；收费项目、收费标准和收费依据；学生资助的对象、标准和评审结果；教师职称评审、评优评先的条件和结果；学校年度经费预算、决算和大宗物品采购情况。
二、规范公开方式。学校应当在醒目位置设置校务公开栏，建立学校网站或者利用教育局网站开设学校信息公开专页。涉及教职工切身利益的事项，应当经教职工代表大会讨论；涉及学生和家长利益的事项，应当通过家长委员会、家长会等方式听取意见。
三、把握公开时限。常规信息应当在信息形成或者变更后20个工作日内公开；招生、收费、资助等时效性强的信息应当在开学前公开，并保留至学期结束。
四、健全工作机制。各学校要成立由校长任组长的校务公开领导小组，明确专人负责，建立校务公开档案。县（区）教育局要将校务公开工作纳入学校督导评估内容，每学年组织一次检查，对群众反映强烈、整改不力的学校予以通报。
""",
        cc="市人民政府办公室。",
    ),
    dict(
        fmt="txt", enc="utf-8", short="禁止销售无3C认证电动自行车充电器的通告",
        agency=SJJ, number="示市监发〔2024〕6号", type="通告", date="2024-03-28",
        title="示例市市场监督管理局关于禁止销售无3C认证电动自行车充电器的通告",
        body="""
电动自行车充电器是列入强制性产品认证（3C认证）目录的产品。近期，我局在监督抽查中发现，部分销售网点仍在销售未经3C认证、无中文标识的电动自行车充电器，存在过充、短路起火等安全隐患。为保障人民群众生命财产安全，现将有关事项通告如下：
一、自本通告发布之日起，本市行政区域内任何单位和个人不得销售、出租或者在经营活动中使用未获得强制性产品认证证书、未标注认证标志的电动自行车充电器及锂离子蓄电池。
二、电动自行车销售者应当建立进货查验记录制度，查验供货者的营业执照、产品合格证明和认证证书，进货查验记录保存期限不得少于2年。
三、电子商务平台经营者应当对平台内经营者销售的电动自行车充电器加强检查，发现违法违规行为的，应当及时采取必要处置措施，并向市场监督管理部门报告。
四、违反本通告规定的，由市场监督管理部门依照《中华人民共和国产品质量法》《中华人民共和国认证认可条例》等规定依法查处；构成犯罪的，依法追究刑事责任。
五、欢迎广大群众举报违法销售行为，举报查证属实的，按照规定给予奖励。
特此通告。
""",
    ),
    dict(
        fmt="txt", enc="utf-8", short="2023年县级预算执行情况的报告",
        agency=XIAN, number="示县政发〔2024〕2号", type="报告", date="2024-01-08",
        title="示例县人民政府关于2023年县级预算执行情况的报告",
        to="示例县人民代表大会常务委员会：",
        body="""
现将2023年县级预算执行情况报告如下，请予审议。
一、一般公共预算执行情况。2023年，全县一般公共预算收入完成8.72亿元，为预算的101.8%，同比增长5.6%，其中税收收入6.15亿元，占一般公共预算收入的70.5%。一般公共预算支出完成31.46亿元，为调整预算的97.2%。其中，教育支出6.83亿元，社会保障和就业支出5.21亿元，卫生健康支出3.07亿元，农林水支出5.94亿元。
二、政府性基金预算执行情况。政府性基金预算收入完成4.36亿元，其中国有土地使用权出让收入3.91亿元；政府性基金预算支出完成5.02亿元，主要用于征地补偿、城市基础设施建设和专项债券项目。
三、“三公”经费支出情况。县级“三公”经费支出合计612万元，比上年下降8.4%，其中公务接待费支出93万元，公务用车运行维护费支出519万元，全年未安排因公出国（境）经费。
四、预算执行中的主要问题。一是税收收入增长乏力，非税收入占比偏高；二是刚性支出持续增长，财政收支矛盾突出；三是部分项目预算执行进度偏慢，资金沉淀问题仍然存在。
五、下一步工作。我们将严格落实过紧日子要求，加强预算执行监控和绩效管理，按规定做好预决算公开，主动接受县人大及其常委会的监督。
""",
    ),
    dict(
        fmt="txt", enc="utf-8", short="全面推行双随机一公开监管的实施意见",
        agency=SJJ, number="示市监发〔2019〕33号", type="意见", date="2019-05-16",
        title="示例市市场监督管理局关于全面推行“双随机、一公开”监管的实施意见",
        to="各县（区）市场监督管理局，局机关各科室：",
        body="""
为在市场监管领域全面推行“双随机、一公开”监管，规范事中事后监管行为，减少对市场主体正常经营活动的干扰，现提出以下实施意见。
一、建立“两库一单”。各级市场监督管理部门要建立检查对象名录库和执法检查人员名录库，制定随机抽查事项清单。抽查事项清单应当向社会公开，并根据法律法规修订情况动态调整。
二、规范抽查程序。随机抽取检查对象、随机选派执法检查人员，抽查工作通过全市“双随机、一公开”监管工作平台实施，全程留痕，责任可追溯。检查人员与检查对象有利害关系的，应当回避。
三、合理确定抽查比例和频次。对一般检查事项，年度抽查比例不低于3%；对食品、特种设备、工业产品等重点领域，可以适当提高抽查比例和频次；对信用风险低的市场主体，合理降低抽查比例。
四、及时公开抽查结果。抽查检查结果应当自检查结束之日起20个工作日内，通过国家企业信用信息公示系统向社会公示，并同步在市政府门户网站政务公开栏目公开，接受社会监督。
五、强化结果运用。对抽查发现的违法违规行为，依法予以处理；对抽查中发现的失信主体，纳入重点监管范围，提高抽查频次，实现“一处违法、处处受限”。
""",
        note=PUBLIC,
    ),
    # ============================================================ TXT, GB18030 (CRLF, as saved on Windows)
    dict(
        fmt="txt", enc="gb18030", crlf=True, short="第五批次建设用地征地补偿安置方案的公告", style="chinese",
        agency=XIAN, number="示县政发〔2017〕28号", type="公告", date="2017-07-14",
        title="示例县人民政府关于2017年第五批次建设用地征地补偿安置方案的公告",
        body="""
经省人民政府批准，征收我县临河镇䢺口村、石桥村集体土地用于2017年第五批次城镇建设。根据《中华人民共和国土地管理法》和《中华人民共和国土地管理法实施条例》有关规定，现将征地补偿安置方案公告如下：
一、征收土地基本情况。本批次征收集体土地共计9.84公顷，其中耕地6.27公顷、园地0.93公顷、其他农用地1.12公顷、建设用地1.52公顷。其中䢺口村5.11公顷，石桥村4.73公顷。
二、补偿标准。土地补偿费和安置补助费按照县征地统一年产值标准执行，耕地每亩4.2万元；地上附着物和青苗补偿费按照《示例县征地地上附着物和青苗补偿标准》据实核定。
三、安置途径。被征地农民采取货币安置与社会保障安置相结合的方式安置，符合条件的被征地农民纳入被征地农民基本养老保险，个人缴费部分由政府给予适当补贴。
四、听证权利。被征地农村集体经济组织、农村村民或者其他权利人对本方案有不同意见或者要求举行听证的，应当自本公告发布之日起10个工作日内，以书面形式向县国土资源局提出。逾期未提出的，视为放弃听证。
五、被征收土地的所有权人、使用权人应当在本公告规定的期限内，持土地权属证书到县国土资源局办理征地补偿登记。
特此公告。
""",
    ),
    dict(
        fmt="txt", enc="gb18030", crlf=True, short="加强物业服务收费信息公开的通知",
        agency=ZJJ, number="示建发〔2016〕14号", type="通知", date="2016-05-23",
        title="示例市住房和城乡建设局关于加强物业服务收费信息公开的通知",
        to="各县（区）住房城乡建设局（房管局），各物业服务企业：",
        body="""
为规范物业服务收费行为，保障业主和物业服务企业的合法权益，根据《物业管理条例》和《物业服务收费明码标价规定》，现就加强物业服务收费信息公开有关事项通知如下：
一、物业服务企业应当在物业管理区域内的显著位置，将服务内容、服务标准、收费项目、收费标准、计费方式等有关情况进行公示。实行政府指导价的，应当同时公示价格主管部门核定的基准价和浮动幅度。
二、物业服务企业应当每年第一季度公布上一年度物业服务费收支情况，以及公共部位、公共设施设备经营收益的收支情况，接受业主监督。业主委员会对公布内容有异议的，物业服务企业应当予以答复。
三、住宅专项维修资金的使用情况，由物业服务企业会同业主委员会在物业管理区域内公示，公示期不少于7日。
四、物业服务收费标准发生变化的，物业服务企业应当在执行新标准前一个月，将变化情况在物业管理区域内公示。
五、各县（区）住房城乡建设主管部门要加强对物业服务收费信息公开情况的监督检查，将检查结果纳入物业服务企业信用档案，对拒不公开或者公开虚假信息的企业，依法予以查处并向社会通报。
""",
        cc="市物价局，市物业管理协会。",
    ),
    dict(
        fmt="txt", enc="gb18030", crlf=True, short="聘任首批营商环境监督员的决定",
        agency=SHI, number="示政发〔2023〕19号", type="决定", date="2023-07-04",
        title="示例市人民政府关于聘任首批示例市营商环境监督员的决定",
        to=TO_SHI,
        body="""
为进一步优化营商环境，拓宽社会监督渠道，经个人自荐、单位推荐和资格审查，市人民政府决定，聘任60名企业经营者、律师、人大代表、政协委员和新闻工作者为首批示例市营商环境监督员，聘期两年。
营商环境监督员的主要职责是：收集和反映市场主体在行政审批、政务服务、市场监管、涉企收费、政策兑现等方面遇到的问题；对各级行政机关及其工作人员履行优化营商环境职责情况进行监督；对政府部门涉企政策的制定和实施提出意见建议。
各县（区）人民政府和市政府各部门要为营商环境监督员开展工作提供便利，对监督员反映的问题建立台账，在15个工作日内办理答复。市营商环境建设办公室要加强对监督员的联系服务，定期通报问题办理情况，并将办理情况纳入营商环境评价内容，评价结果向社会公开。
""",
        att=["首批示例市营商环境监督员名单"], note=PUBLIC, cc=CC_SHI,
    ),
    dict(
        fmt="txt", enc="gb18030", crlf=True, short="同意示例县调整专项债券资金用途的批复",
        agency=CZJ, number="示财预〔2018〕41号", type="批复", date="2018-08-27",
        title="示例市财政局关于同意示例县调整2018年地方政府专项债券资金用途的批复",
        to="示例县财政局：",
        body="""
你局《关于调整2018年地方政府专项债券资金用途的请示》（示县财〔2018〕65号）收悉。经研究并报市人民政府同意，现批复如下：
一、同意将你县2018年新增专项债券中原用于临河镇污水处理厂项目的资金3000万元，调整用于示例县城关镇棚户区改造项目。原项目因用地手续未完成暂缓实施，调整后的项目已纳入2018年棚户区改造计划，具备开工条件。
二、你县要严格按照调整后的用途使用债券资金，不得用于经常性支出，不得用于楼堂馆所建设。债券资金要专款专用、封闭运行，并纳入政府性基金预算管理。
三、你县应当按照规定程序将预算调整方案报县人民代表大会常务委员会审查批准，并在批准后20日内在县政府门户网站公开调整情况，同步在地方政府债务信息公开平台发布。
四、请你县加强项目建设管理，加快资金支出进度，确保项目收益能够覆盖债券本息。
此复。
""",
        cc="示例县人民政府，市审计局。",
    ),
    # ============================================================ TXT, Big5 (traditional characters, CRLF)
    dict(
        fmt="txt", enc="big5", crlf=True, short="做好2018年政務公開工作的通知", style="big5",
        agency=SHI, number="示政發〔2018〕7號", type="通知", date="2018-04-10",
        printer="示例市人民政府辦公室", issued="印發",
        title="示例市人民政府關於做好2018年政務公開工作的通知",
        to="各縣（區）人民政府，市政府各部門、各直屬機構：",
        body="""
為深入貫徹黨的十九大精神，全面推進決策、執行、管理、服務、結果公開，進一步提升政務公開工作水平，現就做好2018年政務公開工作通知如下：
一、加強重點領域信息公開。圍繞財政預決算、重大建設項目、公共資源配置、社會公益事業等領域，細化公開內容，明確公開時限。市級部門預算和「三公」經費應當在批覆後20日內公開，保障性住房分配、徵地補償標準等信息應當及時、準確、完整地發佈。
二、做好政策解讀和回應關切。各地各部門出臺重要政策文件，應當同步組織解讀，主要負責同志要帶頭解讀。對涉及本地區、本部門的重大輿情，應當在24小時內作出回應，並根據事態發展持續發佈權威信息。
三、加強政府網站建設管理。全面開展政府網站普查，對信息長期不更新、互動欄目長期無回應的網站，堅決予以整改或者關停，推動政府網站向集約化方向發展。
四、落實工作責任。各地各部門要把政務公開工作列入重要議事日程，明確分管負責同志和工作機構，配齊配強工作人員。本通知落實情況請於2018年11月30日前報市政務公開辦公室。
""",
        cc="市委辦公室，市人大常委會辦公室，市政協辦公室。",
    ),
    dict(
        fmt="txt", enc="big5", crlf=True, short="2021年秋季學期中小學收費項目和標準的公告",
        agency=JYJ, number="示教發〔2021〕15號", type="公告", date="2021-08-20",
        printer="示例市教育局辦公室", issued="印發",
        title="示例市教育局關於2021年秋季學期中小學收費項目和標準的公告",
        body="""
根據國家和省有關規定，經市發展改革委、市財政局核定，現將我市2021年秋季學期中小學收費項目和標準公告如下：
一、義務教育階段。公辦義務教育學校學生免除學雜費，免費提供國家規定課程教科書，學校不得向學生收取任何費用。服務性收費和代收費按照學生或者家長自願原則收取，學校不得強制或者變相強制，不得與招生、入學掛鉤。
二、普通高中階段。公辦普通高中學費標準為每生每學期800元，省級示範性普通高中每生每學期1100元；住宿費每生每學期300元至600元，具體標準根據住宿條件分檔核定。家庭經濟困難學生按規定享受國家助學金和學費減免。
三、收費公示。各學校必須通過公示欄、學校網站等形式公開收費項目、收費標準、收費依據和投訴電話，未經公示的，一律不得收費。
四、監督舉報。對違規收費行為，群眾可以向市教育局或者市市場監督管理局舉報。一經查實，將依法依規嚴肅處理，並追究學校負責人的責任。
特此公告。
""",
    ),
    # ============================================================ Markdown: 规章 issued as 示例市人民政府令
    dict(
        fmt="md", enc="utf-8", agency=SHI, number="示例市人民政府令第18号", type="办法",
        date="2019-06-20", effective="2019-08-01", title="示例市政务公开办法",
        body="""
第一章　总则
第一条　为了推进本市政务公开工作，保障公民、法人和其他组织依法获取政府信息，提高政府工作透明度，建设法治政府，根据《中华人民共和国政府信息公开条例》等法律、法规，结合本市实际，制定本办法。
第二条　本市各级行政机关以及法律、法规授权的具有管理公共事务职能的组织（以下统称行政机关）开展政务公开工作，适用本办法。
第三条　政务公开应当坚持以公开为常态、不公开为例外，遵循公正、公平、合法、便民的原则。
第四条　市人民政府办公室是本市政务公开工作的主管部门，负责推进、指导、协调、监督全市政务公开工作。县（区）人民政府办公室负责本行政区域的政务公开工作。
第二章　主动公开
第五条　行政机关应当主动公开下列政府信息：（一）规章和规范性文件；（二）机关职能、机构设置、办公地址、办公时间、联系方式；（三）国民经济和社会发展规划、专项规划及相关政策；（四）财政预算、决算信息；（五）行政许可、行政处罚的依据、条件、程序以及办理结果；（六）土地征收、房屋征收及其补偿、补助费用的发放、使用情况；（七）突发公共事件的应急预案、预警信息及应对情况；（八）环境保护、公共卫生、安全生产、食品药品、产品质量的监督检查情况。
第六条　属于主动公开范围的政府信息，应当自该政府信息形成或者变更之日起20个工作日内及时公开。法律、法规对公开期限另有规定的，从其规定。
第七条　市、县（区）人民政府应当依托政府门户网站集中发布政府信息，建立统一的政策文件库，提供信息检索、查阅和下载功能。
第三章　依申请公开
第八条　除行政机关主动公开的政府信息外，公民、法人或者其他组织可以向行政机关申请获取相关政府信息。
第九条　行政机关收到政府信息公开申请，能够当场答复的，应当当场予以答复；不能当场答复的，应当自收到申请之日起20个工作日内予以答复。
第十条　行政机关依申请提供政府信息，不收取费用。申请人申请公开政府信息的数量、频次明显超过合理范围的，行政机关可以按照国家有关规定收取信息处理费。
第四章　监督和保障
第十一条　政务公开工作纳入政府绩效考核体系。市人民政府办公室应当定期组织对政务公开工作进行评议考核，考核结果向社会公开。
第十二条　行政机关应当在每年1月31日前，向社会公布本机关上一年度政府信息公开工作年度报告。
第十三条　行政机关违反本办法规定，不依法履行政务公开义务的，由上一级行政机关责令改正；情节严重的，对负有责任的领导人员和直接责任人员依法给予处分。
第五章　附则
第十四条　教育、卫生健康、供水、供电、供气、公共交通等公共企事业单位公开在提供社会公共服务过程中制作、获取的信息，参照本办法执行。
第十五条　本办法自2019年8月1日起施行。2010年3月1日起施行的《示例市政府信息公开规定》同时废止。
""",
    ),
    dict(
        fmt="md", enc="utf-8", agency=SHI, number="示例市人民政府令第9号", type="规定",
        date="2016-11-03", effective="2017-01-01", title="示例市建筑工地扬尘污染防治规定",
        body="""
第一条　为了防治建筑工地扬尘污染，改善大气环境质量，保障人体健康，根据《中华人民共和国大气污染防治法》等法律、法规，结合本市实际，制定本规定。
第二条　本规定适用于本市城市规划区内房屋建筑、市政基础设施、拆除、道路等工程施工活动中的扬尘污染防治。
第三条　住房城乡建设主管部门负责房屋建筑工地扬尘污染防治的监督管理；环境保护主管部门对扬尘污染防治实施统一监督管理；城市管理、交通运输、水利等部门按照各自职责做好相关工作。
第四条　建设单位应当将扬尘污染防治费用列入工程造价，在施工承包合同中明确施工单位扬尘污染防治责任。
第五条　施工单位应当制定扬尘污染防治方案，并做到：（一）施工现场周边设置连续、封闭的围挡，主要路段围挡高度不低于2.5米；（二）施工现场出入口及主要道路进行硬化处理；（三）出入口设置车辆冲洗设施，车辆冲洗干净后方可驶出；（四）裸露地面和易产生扬尘的物料堆放应当覆盖；（五）土方开挖、拆除作业时采取洒水、喷雾等湿法作业措施；（六）渣土运输车辆密闭运输。
第六条　施工工地应当在出入口醒目位置公示扬尘污染防治措施、负责人、环保监督员和举报电话等信息。
第七条　建筑面积5万平方米以上的施工工地，应当安装扬尘在线监测和视频监控设备，并与住房城乡建设主管部门的监管平台联网。监测数据显示PM10浓度超过规定限值的，施工单位应当立即采取降尘措施。
第八条　发布重污染天气橙色及以上预警期间，施工工地应当停止土石方作业、拆除作业和建筑垃圾清运。
第九条　违反本规定第五条规定的，由住房城乡建设主管部门责令改正，处1万元以上10万元以下罚款；拒不改正的，责令停工整治。
第十条　本规定自2017年1月1日起施行。
""",
    ),
    dict(
        fmt="md", enc="utf-8", agency=SHI, number="示例市人民政府令第12号", type="办法",
        date="2017-08-15", effective="2017-10-01", title="示例市国有土地上房屋征收与补偿办法",
        body="""
第一章　总则
第一条　为了规范国有土地上房屋征收与补偿活动，维护公共利益，保障被征收房屋所有权人的合法权益，根据《国有土地上房屋征收与补偿条例》，结合本市实际，制定本办法。
第二条　为了公共利益的需要，征收本市行政区域内国有土地上单位、个人的房屋，应当对被征收房屋所有权人给予公平补偿。
第三条　市、县（区）人民政府负责本行政区域的房屋征收与补偿工作。市、县（区）人民政府确定的房屋征收部门组织实施本行政区域的房屋征收与补偿工作。
第二章　征收决定
第四条　房屋征收部门拟定征收补偿方案，报市、县（区）人民政府。市、县（区）人民政府应当组织有关部门对征收补偿方案进行论证并予以公布，征求公众意见，征求意见期限不得少于30日。
第五条　因旧城区改建需要征收房屋，多数被征收人认为征收补偿方案不符合本办法规定的，市、县（区）人民政府应当组织由被征收人和公众代表参加的听证会。
第六条　作出房屋征收决定前，应当按照有关规定进行社会稳定风险评估。房屋征收决定作出后应当及时公告，公告应当载明征收补偿方案和行政复议、行政诉讼权利等事项。
第三章　补偿
第七条　对被征收人给予的补偿包括：（一）被征收房屋价值的补偿；（二）因征收房屋造成的搬迁、临时安置的补偿；（三）因征收房屋造成的停产停业损失的补偿。
第八条　对被征收房屋价值的补偿，不得低于房屋征收决定公告之日被征收房屋类似房地产的市场价格。被征收房屋的价值，由依法选定的房地产价格评估机构评估确定。
第九条　被征收人可以选择货币补偿，也可以选择房屋产权调换。被征收人选择房屋产权调换的，市、县（区）人民政府应当提供用于产权调换的房屋，并与被征收人计算、结清被征收房屋价值与用于产权调换房屋价值的差价。
第十条　房屋征收部门应当依法建立房屋征收补偿档案，并将分户补偿情况在房屋征收范围内向被征收人公布。
第四章　附则
第十一条　审计机关应当加强对征收补偿费用管理和使用情况的监督，并公布审计结果。
第十二条　本办法自2017年10月1日起施行。
""",
    ),
    dict(
        fmt="md", enc="utf-8", agency=SHI, number="示例市人民政府令第27号", type="办法",
        date="2022-12-30", effective="2023-03-01", title="示例市公共数据开放管理办法",
        body="""
第一章　总则
第一条　为了促进和规范公共数据开放和利用，提升政府治理能力和公共服务水平，推动数字经济发展，根据有关法律、法规，结合本市实际，制定本办法。
第二条　本办法所称公共数据，是指本市各级行政机关以及履行公共管理和服务职能的事业单位（以下统称公共管理和服务机构）在依法履职过程中产生、收集的数据。本办法所称公共数据开放，是指公共管理和服务机构面向社会提供具备原始性、可机器读取、可供社会化再利用的数据集的公共服务。
第三条　市大数据管理部门是本市公共数据开放工作的主管部门，负责建设和运行全市统一的公共数据开放平台。
第二章　开放目录
第四条　公共数据按照开放类型分为无条件开放、有条件开放和非开放三类。涉及国家秘密、商业秘密、个人隐私，或者法律、法规规定不得开放的公共数据，列入非开放类。
第五条　公共管理和服务机构应当按照政务公开和数据开放的要求，编制本单位公共数据开放目录，经市大数据管理部门审核后，通过开放平台公布。开放目录应当每年至少更新一次。
第六条　下列公共数据应当优先开放：（一）与民生紧密相关的教育、医疗、交通、住房等领域的数据；（二）企业登记、行政许可、行政处罚等市场监管数据；（三）财政预算、政府采购等财政数据；（四）空气质量、水质等生态环境监测数据。
第三章　开放利用
第七条　无条件开放类公共数据，公民、法人和其他组织可以通过开放平台直接获取。有条件开放类公共数据，由数据利用主体通过开放平台提交申请，数据提供单位应当在10个工作日内作出答复。
第八条　数据利用主体应当按照开放平台的规定使用公共数据，不得侵害国家利益、社会公共利益和他人合法权益，并在成果中注明数据来源。
第四章　安全保障
第九条　公共管理和服务机构应当建立公共数据开放前的安全审查机制，对拟开放的数据进行脱敏、脱密处理。
第十条　市大数据管理部门应当对开放平台的运行进行安全监测，发现数据被违规使用的，应当及时暂停或者终止开放。
第五章　附则
第十一条　本办法自2023年3月1日起施行。
""",
    ),
    dict(
        fmt="md", enc="utf-8", agency=SHI, number="示例市人民政府令第24号", type="办法",
        date="2021-07-09", effective="2021-09-01", title="示例市通信基础设施建设管理办法",
        body="""
第一条　为了加强通信基础设施规划建设管理，加快5G网络建设，推动数字经济发展，根据《中华人民共和国电信条例》等规定，结合本市实际，制定本办法。
第二条　本办法所称通信基础设施，是指通信管道、通信杆路、通信机房、移动通信基站（含5G基站）、室内分布系统等设施。
第三条　市工业和信息化主管部门负责本市通信基础设施建设的统筹协调和监督管理。自然资源和规划、住房城乡建设、生态环境、城市管理等部门按照各自职责做好相关工作。
第四条　市工业和信息化主管部门应当会同有关部门编制通信基础设施专项规划，经市人民政府批准后纳入国土空间规划，并向社会公布。
第五条　新建、改建、扩建建筑物，应当按照国家和省有关标准配套建设通信基础设施，与主体工程同步设计、同步施工、同步验收。建设单位未按标准配套建设的，住房城乡建设主管部门不予办理竣工验收备案。
第六条　机关、事业单位办公场所以及公园、广场、体育场馆、交通枢纽等公共场所和公用设施，应当向5G基站建设无偿开放，并为施工、维护提供便利。
第七条　通信基础设施建设单位应当共建共享基站站址和管道资源，避免重复建设。
第八条　移动通信基站应当符合电磁环境控制限值标准。生态环境主管部门应当加强对基站电磁辐射的监督性监测，并依法公开监测结果。
第九条　任何单位和个人不得阻挠依法建设通信基础设施，不得擅自拆除、迁移或者损坏通信基础设施。因城市建设确需迁移的，应当与产权单位协商，并依法给予补偿。
第十条　本办法自2021年9月1日起施行。
""",
    ),
    dict(
        fmt="md", enc="utf-8", agency=SHI, number="示例市人民政府令第31号", type="办法",
        date="2024-10-16", effective="2025-01-01", title="示例市市级预算绩效管理办法",
        body="""
第一章　总则
第一条　为了全面实施预算绩效管理，提高财政资金使用效益，根据《中华人民共和国预算法》及其实施条例，结合本市实际，制定本办法。
第二条　本办法适用于市级一般公共预算、政府性基金预算、国有资本经营预算和社会保险基金预算的绩效管理。
第三条　市财政局负责组织实施全市预算绩效管理工作。市级各部门是本部门预算绩效管理的责任主体，部门主要负责人对本部门预算绩效负责。
第二章　绩效目标管理
第四条　市级各部门申请预算时，应当同步设定绩效目标。绩效目标应当指向明确、细化量化、合理可行，与预算确定的支出内容相匹配。
第五条　未按要求设定绩效目标或者绩效目标审核未通过的项目，不得纳入项目库，不得安排预算。
第三章　绩效运行监控和评价
第六条　市级各部门应当对绩效目标实现程度和预算执行进度实行“双监控”，发现偏差的，及时采取措施予以纠正。
第七条　预算年度终了，市级各部门应当对上年度全部项目支出开展绩效自评。市财政局选择社会关注度高、资金规模大的重点项目开展重点绩效评价，可以委托第三方机构实施。
第四章　结果应用和公开
第八条　绩效评价结果应当作为安排预算、调整政策、改进管理的重要依据。对评价结果为差的项目，原则上予以削减或者取消。
第九条　市级部门预算公开时，应当同步公开重点项目绩效目标；决算公开时，应当同步公开绩效自评结果。市财政局应当将重点绩效评价结果随同决算草案报送市人民代表大会常务委员会，并依法向社会公开。
第五章　附则
第十条　县（区）预算绩效管理办法，由县（区）人民政府参照本办法制定。
第十一条　本办法自2025年1月1日起施行。
""",
    ),
]

if __name__ == "__main__":
    sys.exit(main())
