"""CSV and Excel downloads of a result list (through the search service, with the caller's visibility),
of the staff's documents needing attention and of the audit log: at most `export_max_rows` rows, CSV
streamed row by row, XLSX written row by row (openpyxl write-only) to a temporary file. A cell a
spreadsheet would run as a formula (=, +, -, @ first) gets a leading apostrophe in CSV; XLSX cells
are written as text, which no spreadsheet runs."""
from __future__ import annotations

import csv
import io
import json
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime

from flask import Blueprint, Response, abort, request, send_file, stream_with_context, url_for
from markupsafe import Markup

from archive import Search

from .auth import visibility
from .i18n import gettext
from .params import archive, facets, search_from_args

bp = Blueprint("export", __name__)
FORMATS = {"csv": "text/csv; charset=utf-8",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# Characters an XLSX cell may not hold (XML 1.0 forbids them); openpyxl refuses a cell with one.
_XLSX_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
SEARCH_PAGE = 100  # hits per search while exporting (at most the service's max_page_size)


@dataclass
class Table:
    """What to download: a file name (ASCII, no extension), translated column headings and the rows
    (str cells; 'date' columns hold ISO dates), produced lazily."""

    name: str
    columns: list[str]
    rows: Iterable[list[str]]
    dates: tuple[int, ...] = ()   # indexes of the date columns (real dates in XLSX)


def csv_cell(value: str) -> str:
    """`value` as a CSV cell no spreadsheet runs as a formula."""
    return "'" + value if value[:1] in _FORMULA else value


def csv_lines(table: Table) -> Iterator[str]:
    """The table as CSV text, one line at a time, after a BOM (so spreadsheet programs read UTF-8)."""
    out = io.StringIO()
    writer = csv.writer(out)
    yield "\ufeff"
    for row in ([table.columns], table.rows):
        for cells in row:
            writer.writerow([csv_cell(str(c)) for c in cells])
            yield out.getvalue()
            out.seek(0)
            out.truncate()


def write_xlsx(table: Table, target) -> None:
    """The table as an XLSX workbook (one sheet, header row frozen) written to the file object `target`."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(table.name[:31])
    ws.freeze_panes = "A2"
    bold = Font(bold=True)

    def cell(value: str, column: int) -> WriteOnlyCell:
        value = _XLSX_INVALID.sub("", str(value))
        if column in table.dates and _ISO_DATE.fullmatch(value):
            try:
                c = WriteOnlyCell(ws, value=date.fromisoformat(value))
            except ValueError:
                pass
            else:
                c.number_format = "yyyy-mm-dd"
                return c
        c = WriteOnlyCell(ws, value=value)
        c.data_type = "s"  # text, even when it starts with "=": never a formula
        return c

    header = []
    for name in table.columns:
        c = WriteOnlyCell(ws, value=name)
        c.font = bold
        header.append(c)
    ws.append(header)
    for row in table.rows:
        ws.append([cell(v, i) for i, v in enumerate(row)])
    wb.save(target)


def download(table: Table, fmt: str) -> Response:
    """The table as a download in `fmt` (csv or xlsx; anything else is a 404)."""
    if fmt not in FORMATS:
        abort(404)
    stamp = datetime.now().strftime("%Y%m%d-%H%M")
    filename = f"{table.name}-{stamp}.{fmt}"
    if fmt == "csv":
        resp = Response(stream_with_context(csv_lines(table)), mimetype="text/csv")
        resp.headers["Content-Type"] = FORMATS["csv"]
        resp.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
        return resp
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    write_xlsx(table, spool)
    spool.seek(0)
    return send_file(spool, mimetype=FORMATS["xlsx"], as_attachment=True, download_name=filename,
                     max_age=0)


def cap() -> int:
    return archive().settings.export_max_rows


# -- a result list -----------------------------------------------------------------------------------

SEARCH_COLUMNS = ("标题", "发文字号", "发文机关", "成文日期", "发布日期", "公文种类", "主题分类")


def search_table(s: Search, visibility: tuple[str, ...], limit: int) -> Table:
    """The hits of `s` (in its order) that the caller may see, at most `limit` (and never past the
    deepest hit paging reaches): metadata, the document's link and the snippet as plain text. The first
    page is searched before anything is sent, so that its failure is an ordinary error page."""
    st = archive().settings
    staff = "disclosure" in facets()  # (signed-in staff may filter by 公开属性: then it is a column)
    size = min(SEARCH_PAGE, st.max_page_size)
    first = archive().search(replace(s, offset=0, limit=min(size, limit)), visibility)

    def pages() -> Iterator[dict]:
        r, offset = first, 0
        while True:
            yield r
            offset += len(r["hits"])
            if not r["hits"] or offset >= min(r["total"], limit) or offset > st.max_offset:
                return
            r = archive().search(replace(s, offset=offset, limit=min(size, limit - offset)), visibility)

    def rows() -> Iterator[list[str]]:
        seen: set[str] = set()
        for r in pages():
            docs = archive().catalog.documents([h["id"] for h in r["hits"]])  # (the hits' own rows, by id)
            for h in r["hits"]:
                if h["id"] in seen or len(seen) >= limit:
                    continue
                seen.add(h["id"])
                topic = (docs.get(h["id"]) or {}).get("topic", "") or ""
                row = [h["title"], h["doc_number"], h["agency"], h["written_date"], h["published_date"],
                       h["doc_type"], topic.replace("\\", " › ")]
                if staff:
                    row.append(h.get("disclosure", ""))
                row += [url_for("public.document", doc_id=h["id"], _external=True, lang=None),
                        Markup(h["snippet"]).striptags()]
                yield row

    columns = [gettext(c) for c in SEARCH_COLUMNS] + ([gettext("公开属性")] if staff else [])
    return Table("gongkai-search", columns + [gettext("链接"), gettext("摘要")], rows(), dates=(3, 4))


@bp.get("/export")
def search_export():
    """The results of the search in the query string as CSV (?format=csv, the default) or Excel
    (?format=xlsx): what the results page would list, page after page, up to export_max_rows."""
    fmt = request.args.get("format", "csv")
    if fmt not in FORMATS:
        abort(404)
    return download(search_table(search_from_args(request.args), visibility(), cap()), fmt)


# -- staff lists ---------------------------------------------------------------------------------------

def attention_table(fetch: Callable[[int, int], tuple[int, list[tuple[dict, list[str]]]]]) -> Table:
    """The documents needing attention, as `fetch(limit, offset)` lists them, up to export_max_rows."""
    limit = cap()

    def rows() -> Iterator[list[str]]:
        offset = 0
        while offset < limit:
            _, docs = fetch(min(500, limit - offset), offset)
            for doc, why in docs:
                yield [doc["title"], doc["doc_number"], doc["agency"], doc["written_date"], doc["published_date"],
                       doc["doc_type"], (doc["topic"] or "").replace("\\", " › "), doc["disclosure"],
                       "；".join(why), url_for("public.document", doc_id=doc["id"], _external=True, lang=None)]
            if len(docs) < min(500, limit - offset):
                return
            offset += len(docs)

    columns = [gettext(c) for c in (*SEARCH_COLUMNS, "公开属性", "原因", "链接")]
    return Table("gongkai-attention", columns, rows(), dates=(3, 4))


def audit_table(action: str) -> Table:
    """The audit log (or one action's entries), newest first, up to export_max_rows, with each
    document's title where the document still exists."""
    log, catalog, limit = archive().audit, archive().catalog, cap()

    def rows() -> Iterator[list[str]]:
        offset = 0
        while offset < limit:
            entries = log.entries(limit=min(500, limit - offset), offset=offset, action=action)
            titles = {i: d["title"] for i, d in catalog.documents(sorted({e["doc_id"] for e in entries
                                                                          if e["doc_id"]})).items()}
            for e in entries:
                when = datetime.fromtimestamp(e["at"]).strftime("%Y-%m-%d %H:%M:%S")
                yield [when, e["actor"], e["action"], e["doc_id"], titles.get(e["doc_id"], ""),
                       json.dumps(e["detail"], ensure_ascii=False)]
            if len(entries) < min(500, limit - offset):
                return
            offset += len(entries)

    columns = [gettext(c) for c in ("时间", "用户", "操作", "文件编号", "标题", "详情")]
    suffix = f"-{action}" if action.isascii() and action.isalnum() else ""
    return Table(f"gongkai-audit{suffix}", columns, rows())
