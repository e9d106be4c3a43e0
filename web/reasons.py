"""Failure reasons and ingest notes for staff pages in Chinese, translated when shown (the stored
reason stays as ingest wrote it, in English; English pages show it as it is)."""
from __future__ import annotations

import re
from collections.abc import Callable

from .i18n import lang

STAGES = {"read": "读取", "unpack": "解压", "detect": "识别类型", "extract": "提取文字", "store": "存储",
          "index": "建索引"}
_KINDS = {"PDF": "PDF", "OFD": "OFD", "DOCX": "Word", "XLSX": "Excel", "zip": "压缩包", "ZIP": "压缩包"}


def _mb(n: str) -> str:
    return f"{int(n) / 1048576:.1f} MB" if n.isdigit() else n


def _kind(k: str) -> str:
    return _KINDS.get(k, k)


_DETAILS: list[tuple[re.Pattern, Callable[[re.Match], str]]] = [
    (re.compile(r"no pages"), lambda m: "没有页面"),
    (re.compile(r"no worksheets"), lambda m: "没有工作表"),
    (re.compile(r"missing (.+)"), lambda m: f"缺少 {m[1]}"),
    (re.compile(r"more than (\d+) pages"), lambda m: f"超过 {m[1]} 页"),
    (re.compile(r"not a zip container.*"), lambda m: "不是有效的压缩容器"),
    (re.compile(r"(\d+) zip members \(limit (\d+)\)"), lambda m: f"内含 {m[1]} 个部件，上限 {m[2]} 个"),
    (re.compile(r"cannot unpack (.+?) \(.*\)"), lambda m: f"无法解开 {m[1]}"),
]


def _detail(text: str) -> str:
    for pattern, say in _DETAILS:
        m = pattern.fullmatch(text)
        if m:
            return say(m)
    return text


# One English reason (as ingest.errors and the extractors write it) -> its Chinese; first match wins.
_REASONS: list[tuple[re.Pattern, Callable[[re.Match], str]]] = [
    (re.compile(r"(.+), again \(also in run (\d+)\)"), lambda m: f"{zh(m[1])}，第 {m[2]} 批也是如此"),
    (re.compile(r"unsupported file type \((.+)\)"), lambda m: f"不支持的文件类型（{m[1].replace('no extension', '无扩展名')}）"),
    (re.compile(r"encrypted PDF.*"), lambda m: "PDF 已加密，无法读取"),
    (re.compile(r"encrypted zip member"), lambda m: "压缩包内的文件已加密"),
    (re.compile(r"encrypted (\w+)"), lambda m: f"{_kind(m[1])} 文件已加密，无法读取"),
    (re.compile(r"corrupt zip member: .*"), lambda m: "压缩包内的文件已损坏"),
    (re.compile(r"(?:corrupt|unreadable) zip: .*"), lambda m: "压缩包已损坏，无法解压"),
    (re.compile(r"corrupt (\w+): (.+)"), lambda m: f"{_kind(m[1])} 文件已损坏（{_detail(m[2])}）"),
    (re.compile(r"zip bomb.*"), lambda m: "压缩包解压后过大（疑似“压缩炸弹”），未读取"),
    (re.compile(r"too large \((\d+) bytes > limit (\d+)\)"), lambda m: f"文件过大（{_mb(m[1])}，上限 {_mb(m[2])}）"),
    (re.compile(r"too large \(unpacks to more than (\d+) bytes\)"), lambda m: f"解压后过大（超过 {_mb(m[1])}）"),
    (re.compile(r"nested zip deeper than (\d+) level\(s\)"), lambda m: f"压缩包嵌套超过 {m[1]} 层"),
    (re.compile(r"too many members in zip \(limit (\d+)\)"), lambda m: f"压缩包内文件过多（上限 {m[1]} 个）"),
    (re.compile(r"symlink in zip.*"), lambda m: "压缩包内含符号链接，未读取"),
    (re.compile(r"no such file"), lambda m: "文件不存在"),
    (re.compile(r"not a regular file"), lambda m: "不是普通文件"),
    (re.compile(r"cannot read(?: file)?: (.*)"), lambda m: f"无法读取文件（{m[1]}）"),
    (re.compile(r"binary content.*"), lambda m: "内容是二进制数据，不是文本"),
    (re.compile(r"undecodable text.*"), lambda m: "无法识别文字编码"),
    (re.compile(r"unparsable HTML.*"), lambda m: "网页无法解析"),
    (re.compile(r"timeout \(over ([\d.]+) s\)"), lambda m: f"处理超时（超过 {m[1]} 秒）"),
    (re.compile(r"memory limit.*"), lambda m: "内存不足"),
    (re.compile(r"worker killed.*"), lambda m: "处理进程被终止（可能内存不足）"),
    (re.compile(r"worker crashed.*"), lambda m: "处理进程崩溃（文件可能损坏或格式异常）"),
    (re.compile(r"worker exited unexpectedly.*"), lambda m: "处理进程意外退出"),
    (re.compile(r"(\w+) not installed.*"), lambda m: f"服务器未安装 {m[1]}，无法读取 .doc/.wps 文件"),
    (re.compile(r"(\w+) timed out after ([\d.]+) s"), lambda m: f"{m[1]} 超时（超过 {m[2]} 秒）"),
    (re.compile(r"not a Word 97-2003 document.*"), lambda m: "不是 Word 97-2003 文档"),
    (re.compile(r"(\w+) could not run: (.*)"), lambda m: f"{m[1]} 无法运行（{m[2]}）"),
    (re.compile(r"(\w+) failed: (.*)"), lambda m: f"{m[1]} 读取失败（{m[2]}）"),
    (re.compile(r"(\w+) output larger than (\d+) bytes"), lambda m: f"{m[1]} 输出过大（超过 {_mb(m[2])}）"),
    (re.compile(r"too deeply nested.*"), lambda m: "文件结构嵌套过深"),
    (re.compile(r"low quality: body looks like a login page"), lambda m: "质量低：正文像登录页"),
    (re.compile(r"low quality: body looks like navigation"), lambda m: "质量低：正文像网站导航"),
    (re.compile(r"low quality: no text.*"), lambda m: "质量低：没有正文（只能按标题和元数据找到）"),
    (re.compile(r"low quality: (.*)"), lambda m: f"质量低：{m[1]}"),
    (re.compile(r"same text as document (\w+)"), lambda m: "与已存档的文件正文相同，已合并"),
    (re.compile(r"same text as document (\w+) but another (.+): kept as a document of its own"),
     lambda m: f"与已存档的文件正文相同，但{m[2].replace(', ', '、')}不同，另存为单独的文件"),
    (re.compile(r"(\d+) members"), lambda m: f"含 {m[1]} 个文件"),
    (re.compile(r"[A-Z]\w*(?:Error|Exception): .*"), lambda m: f"读取时出错（{m[0]}）"),
]


def zh(reason: str) -> str:
    """An English reason (several joined by '; ') in Chinese; an unknown one stays as it is."""
    out = []
    for part in (reason or "").split("; "):
        text = part.strip()
        for pattern, say in _REASONS:
            m = pattern.fullmatch(text)
            if m:
                text = say(m)
                break
        out.append(text)
    return "；".join(p for p in out if p)


def shown(reason: str) -> str:
    """A stored reason as the current page shows it: Chinese on Chinese pages, as stored on English ones."""
    return reason if lang() == "en" else zh(reason)


def stage(name: str) -> str:
    """A stage name (read, unpack, …) in the interface language."""
    return name if lang() == "en" else STAGES.get(name, name)
