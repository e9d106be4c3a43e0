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
        "print": f"{printer(doc)}",
        "print_date": date_text(doc.get("print_date") or next_day(doc["date"]), doc.get("style", "arabic")) + "印发",
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
    if p["cc"] or p["print"]:
        out += ["", "─" * width]
        if p["cc"]:
            out.append("抄送：" + p["cc"])
            out.append("─" * width)
        out.append(p["print"] + "　" * max(2, width - len(p["print"]) - len(p["print_date"])) + p["print_date"])
        out.append("─" * width)
    text = "\n".join(out) + "\n"
    if doc.get("rule") is False:
        text = text.replace("─" * width + "\n", "")
    return text


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
            if cur and sw(cur + tok, size) > avail - indent and tok not in "，。、；：）》”！？":
                lines.append((cur, indent))
                cur, indent = "", 0.0
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
        per_line = int(text_w * 0.92 // size)
        n = -(-len(title) // per_line)
        step = -(-len(title) // n)
        return [title[i:i + step] for i in range(0, len(title), step)]

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
    rows = ([("抄送：" + p["cc"], "")] if p["cc"] else []) + [(p["print"], p["print_date"])]
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

- `pdf/` — PDF with a real text layer (font STSong-Light), some 2–3 pages; one (示政办发〔2020〕21号)
  carries a misleading document-info title ("Microsoft Word - …") as real exported PDFs often do.
- `html/` — saved gov-portal pages with the 信息公开 metadata table and the body in `div#UCAP-CONTENT`;
  three are GB2312-encoded with `<meta charset="gb2312">`.
- `txt/` — plain text in UTF-8, GB18030 (CRLF, no BOM; one file holds a 4-byte GB18030 character, 䢺,
  so it cannot be read as GBK) and Big5 (traditional characters, CRLF; its date uses ○ for 〇).
- `md/` — municipal regulations (规章) in Markdown, issued as 示例市人民政府令.

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
    for old in args.out.rglob("*"):
        if old.is_file():
            old.unlink()
    rows = build(args.out)
    problems = verify(args.out)
    for msg in problems:
        print("PROBLEM:", msg)
    print(f"{len(rows)} samples written to {args.out}, {len(problems)} problems")
    return 1 if problems else 0


# @@DOCS@@

if __name__ == "__main__":
    sys.exit(main())
