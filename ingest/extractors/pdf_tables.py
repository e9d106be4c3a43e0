"""Ruled tables of a PDF page: pdfplumber's table finder on pypdfium2's rulings and characters, rows in place.

A page goes to the table finder only when its path objects give at least two horizontal and two vertical
rulings. Rulings are read from pdfium's page objects (a thin path is one ruling, a box four, a longer path
its straight segments) and handed to pdfplumber's table functions (snap, join, intersections, cells,
tables: what `page.find_tables()` runs with its default settings; the cell step redone fast as cells_of),
so pdfminer never parses the page a second time. Each table becomes one line per row, cells separated by
a tab, a cell's wrapped lines joined; it stands where its first character stands in pdfium's reading
order, and its characters are not repeated in the text around it.
"""
from __future__ import annotations

import bisect
import ctypes
import re
from typing import Any, cast

import pypdfium2.raw as pdfium_c
from pdfplumber.table import Table, TableSettings, cells_to_tables, edges_to_intersections, merge_edges
from pdfplumber.utils import filter_edges

_THIN = 2.0             # a path at most this thick (pt) is one ruling, not a box
_FORM_DEPTH = 4          # forms inside forms entered, as for images
_MIN_RULINGS = 2        # horizontal and vertical rulings a page needs before the table finder runs
_SETTINGS = TableSettings.resolve(None)   # find_tables()'s defaults ("lines" strategies)
_CJK = r"\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
_CELL_BREAK = re.compile(rf"(?<=[{_CJK}])\s*[\r\n]+\s*|\s*[\r\n]+\s*(?=[{_CJK}])")
_WS = re.compile(r"\s+")
_GAP = 3.0              # pt between two characters of a cell that reads as a space (pdfplumber's x_tolerance)

Edge = dict[str, Any]
Bbox = tuple[float, float, float, float]   # x0, top, x1, bottom; top = -y (pdfplumber's downward axis)


Point = tuple[float, float]
# Page rotation (clockwise) -> user-space point as (x, top) on the page as shown.
_ROTATE = {0: lambda x, y: (x, -y), 90: lambda x, y: (y, x), 180: lambda x, y: (-x, y), 270: lambda x, y: (-y, -x)}


def _edge(orientation: str, x0: float, top: float, x1: float, bottom: float) -> Edge:
    return {"orientation": orientation, "object_type": "line", "x0": x0, "x1": x1, "top": top,
            "bottom": bottom, "width": x1 - x0, "height": bottom - top}


def _box_edges(corners: list[Point]) -> list[Edge]:
    """Edges of a path's bounds (shown corners): one ruling if thin in one direction, else a box's four sides."""
    x0, x1 = min(p[0] for p in corners), max(p[0] for p in corners)
    top, bottom = min(p[1] for p in corners), max(p[1] for p in corners)
    w, h = x1 - x0, bottom - top
    if w <= _THIN and h <= _THIN:
        return []
    if h <= _THIN:
        return [_edge("h", x0, (top + bottom) / 2, x1, (top + bottom) / 2)]
    if w <= _THIN:
        return [_edge("v", (x0 + x1) / 2, top, (x0 + x1) / 2, bottom)]
    return [_edge("h", x0, top, x1, top), _edge("h", x0, bottom, x1, bottom),
            _edge("v", x0, top, x0, bottom), _edge("v", x1, top, x1, bottom)]


def _line(a: Point, b: Point) -> list[Edge]:
    (x0, t0), (x1, t1) = a, b
    if abs(t0 - t1) < 0.5 and abs(x0 - x1) >= 1:
        return [_edge("h", min(x0, x1), t0, max(x0, x1), t0)]
    if abs(x0 - x1) < 0.5 and abs(t0 - t1) >= 1:
        return [_edge("v", x0, min(t0, t1), x0, max(t0, t1))]
    return []


class _Page:
    """Rulings of one page's path objects, forms included, in shown coordinates."""

    def __init__(self, rotation: int):
        self.shown = _ROTATE.get(rotation % 360, _ROTATE[0])
        self.edges: list[Edge] = []
        self.matrix = pdfium_c.FS_MATRIX()
        self.x, self.y = ctypes.c_float(), ctypes.c_float()
        self.bounds = [ctypes.c_float() for _ in range(4)]

    def visit(self, objects, ctm: tuple[float, ...] | None, depth: int) -> None:
        """Path objects among `objects` (forms entered up to _FORM_DEPTH), `ctm` mapping their space to the page's."""
        for obj in objects:
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
                if pdfium_c.FPDFPath_CountSegments(obj) > 5:
                    self.segments(obj, ctm)
                elif pdfium_c.FPDFPageObj_GetBounds(obj, *self.bounds):
                    left, bottom, right, top = (b.value for b in self.bounds)
                    corners = [(left, bottom), (right, top), (left, top), (right, bottom)]
                    self.edges += _box_edges([self.shown(*_apply(ctm, p)) for p in corners])
            elif kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth < _FORM_DEPTH:
                if not pdfium_c.FPDFPageObj_GetMatrix(obj, self.matrix):
                    continue
                m = self.matrix
                inner = _compose((m.a, m.b, m.c, m.d, m.e, m.f), ctm)
                n = pdfium_c.FPDFFormObj_CountObjects(obj)
                self.visit((pdfium_c.FPDFFormObj_GetObject(obj, i) for i in range(n)), inner, depth + 1)

    def segments(self, obj, ctm: tuple[float, ...] | None) -> None:
        """Horizontal and vertical straight segments of a path with many (a grid drawn as one path)."""
        if not pdfium_c.FPDFPageObj_GetMatrix(obj, self.matrix):
            return
        m, x, y = self.matrix, self.x, self.y
        own = _compose((m.a, m.b, m.c, m.d, m.e, m.f), ctm)
        start = last = None
        for i in range(pdfium_c.FPDFPath_CountSegments(obj)):
            seg = pdfium_c.FPDFPath_GetPathSegment(obj, i)
            if not pdfium_c.FPDFPathSegment_GetPoint(seg, x, y):
                continue
            point = self.shown(*_apply(own, (x.value, y.value)))
            kind = pdfium_c.FPDFPathSegment_GetType(seg)
            if kind == pdfium_c.FPDF_SEGMENT_LINETO and last is not None:
                self.edges += _line(last, point)
            elif kind == pdfium_c.FPDF_SEGMENT_MOVETO:
                start = point
            last = point
            if pdfium_c.FPDFPathSegment_GetClose(seg) and start is not None:
                self.edges += _line(point, start)
                last = start


def _apply(m: tuple[float, ...] | None, p: Point) -> Point:
    if m is None:
        return p
    a, b, c, d, e, f = m
    return a * p[0] + c * p[1] + e, b * p[0] + d * p[1] + f


def _compose(inner: tuple[float, ...], outer: tuple[float, ...] | None) -> tuple[float, ...]:
    """The matrix applying `inner`, then `outer`."""
    if outer is None:
        return inner
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def rulings(page) -> list[Edge]:
    """Horizontal and vertical rulings drawn on `page`, in shown coordinates; [] when too few for a table."""
    raw = page.raw
    get, kind = pdfium_c.FPDFPage_GetObject, pdfium_c.FPDFPageObj_GetType
    drawn = (pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_FORM)
    objects = [obj for obj in (get(raw, i) for i in range(pdfium_c.FPDFPage_CountObjects(raw))) if kind(obj) in drawn]
    if not objects:
        return []
    found = _Page(page.get_rotation())
    found.visit(objects, None, 0)
    edges = list({(e["orientation"], e["x0"], e["top"], e["x1"], e["bottom"]): e for e in found.edges}.values())
    h = sum(e["orientation"] == "h" for e in edges)   # (cells drawn as boxes share their sides: kept once)
    return edges if h >= _MIN_RULINGS and len(edges) - h >= _MIN_RULINGS else []


def find_tables(edges: list[Edge]) -> list[Table]:
    """pdfplumber's tables (TableFinder with default settings) formed by `edges`, top to bottom."""
    s = _SETTINGS
    edges = filter_edges(edges, min_length=s.edge_min_length_prefilter)
    edges = merge_edges(edges, snap_x_tolerance=s.snap_x_tolerance, snap_y_tolerance=s.snap_y_tolerance,
                        join_x_tolerance=s.join_x_tolerance, join_y_tolerance=s.join_y_tolerance)
    edges = filter_edges(edges, min_length=s.edge_min_length)
    points = edges_to_intersections(edges, s.intersection_x_tolerance, s.intersection_y_tolerance)
    # Table only needs its page for extract(), which reads pdfminer's characters: ours come from pdfium.
    return [Table(cast(Any, None), cells) for cells in cells_to_tables(cells_of(points))]


def cells_of(intersections: dict) -> list[Bbox]:
    """pdfplumber's intersections_to_cells (the same cells, in the same order), with each point's edges and
    the points below and to the right of it looked up once instead of scanned for at every point."""
    def bboxes(edges: list[Edge]) -> frozenset:
        return frozenset((e["x0"], e["top"], e["x1"], e["bottom"]) for e in edges)

    v = {p: bboxes(e["v"]) for p, e in intersections.items()}
    h = {p: bboxes(e["h"]) for p, e in intersections.items()}
    below: dict[float, list[Point]] = {}
    right: dict[float, list[Point]] = {}
    for p in sorted(intersections):
        below.setdefault(p[0], []).append(p)
        right.setdefault(p[1], []).append(p)

    def connects(p1: Point, p2: Point) -> bool:
        return bool((p1[0] == p2[0] and v[p1] & v[p2]) or (p1[1] == p2[1] and h[p1] & h[p2]))

    cells = []
    for pt in sorted(intersections):
        column, row = below[pt[0]], right[pt[1]]
        found = None
        for down in column[column.index(pt) + 1:]:
            if not connects(pt, down):
                continue
            for side in row[row.index(pt) + 1:]:
                if not connects(pt, side):
                    continue
                corner = (side[0], down[1])
                if corner in intersections and connects(corner, side) and connects(corner, down):
                    found = (pt[0], pt[1], corner[0], corner[1])
                    break
            if found:
                break
        if found:
            cells.append(found)
    return cells


class _Grid:
    """Where a point falls in one table: the cell holding it, by bisecting the cells' distinct x and y."""

    def __init__(self, table: Table):
        self.rows = [[cell for cell in row.cells] for row in table.rows]
        self.xs = sorted({v for c in table.cells for v in (c[0], c[2])})
        self.ys = sorted({v for c in table.cells for v in (c[1], c[3])})
        self.slots: dict[tuple[int, int], Bbox] = {}
        for cell in table.cells:
            for i in range(self.xs.index(cell[0]), self.xs.index(cell[2])):
                for j in range(self.ys.index(cell[1]), self.ys.index(cell[3])):
                    self.slots[i, j] = cell

    def cell(self, x: float, top: float) -> Bbox | None:
        i, j = bisect.bisect_right(self.xs, x) - 1, bisect.bisect_right(self.ys, top) - 1
        return self.slots.get((i, j))


def _cell_text(chars: list[tuple[float, float, float, float, str]]) -> str:
    """A cell's characters (top, bottom, x0, x1, char) as one line: read line by line, left to right (as
    pdfplumber does), a space where a gap is wider than _GAP, wrapped lines joined (with a space only
    between two non-CJK characters)."""
    lines: list[list[tuple[float, float, float, float, str]]] = []
    for ch in sorted(chars):
        if lines and (ch[0] + ch[1]) / 2 < lines[-1][0][1]:
            lines[-1].append(ch)
        else:
            lines.append([ch])
    out: list[str] = []
    for line in lines:
        right = None
        text = []
        for _, _, x0, x1, c in sorted(line, key=lambda ch: ch[2]):
            if right is not None and x0 - right > _GAP:
                text.append(" ")
            text.append(c)
            right = x1
        out.append("".join(text))
    return _WS.sub(" ", _CELL_BREAK.sub("", "\n".join(out))).strip()


def _rows(grid: _Grid, texts: dict[Bbox, list[tuple[float, float, float, float, str]]]) -> list[str]:
    """Rows of one table, cells tab-separated (cells merged away are empty, trailing ones trimmed); empty rows left out."""
    out = []
    for row in grid.rows:
        cells = [_cell_text(texts.get(cell, [])) if cell else "" for cell in row]
        while cells and not cells[-1]:
            cells.pop()
        if cells:
            out.append("\t".join(cells))
    return out


def layout(textpage, raw_text: str, tables: list[Table], rotation: int = 0) -> tuple[str, list[list[str]]] | None:
    """(`raw_text` (pdfium's text of the page) with each table's characters replaced by its rows, placed at its
    first character; the rows of each table that holds text); None when the text cannot be matched to pdfium's
    characters (then keep `raw_text`)."""
    count = pdfium_c.FPDFText_CountChars(textpage.raw)
    if count != len(raw_text):   # characters outside the BMP: indices and string positions differ
        return None
    grids = [_Grid(t) for t in tables]
    boxes = [(g.xs[0], g.ys[0], g.xs[-1], g.ys[-1]) for g in grids]
    owner: list[tuple[int, Bbox] | None] = [None] * count
    texts: list[dict[Bbox, list[tuple[float, float, float, float, str]]]] = [{} for _ in grids]
    rect, loose, tp = pdfium_c.FS_RECTF(), pdfium_c.FPDFText_GetLooseCharBox, textpage.raw
    shown = _ROTATE.get(rotation % 360, _ROTATE[0])
    for i, ch in enumerate(raw_text):
        if ch.isspace() or not loose(tp, i, rect):
            continue
        (x0, t0), (x1, t1) = shown(rect.left, rect.top), shown(rect.right, rect.bottom)
        x0, x1, top, bottom = min(x0, x1), max(x0, x1), min(t0, t1), max(t0, t1)
        x, y = (x0 + x1) / 2, (top + bottom) / 2
        for k, (bx0, bt, bx1, bb) in enumerate(boxes):
            if bx0 <= x < bx1 and bt <= y < bb:
                cell = grids[k].cell(x, y)
                if cell is not None:
                    owner[i] = (k, cell)
                    texts[k].setdefault(cell, []).append((top, bottom, x0, x1, ch))
                break
    out: list[str] = []
    found: list[list[str]] = []
    placed: set[int] = set()
    after_table = False   # blank space after a table (and between its cells) is dropped
    for i, own in enumerate(owner):
        if own is None:
            if not (after_table and raw_text[i].isspace()):
                out.append(raw_text[i])
                after_table = False
        elif own[0] not in placed:
            placed.add(own[0])
            rows = _rows(grids[own[0]], texts[own[0]])
            if rows:
                found.append(rows)
                before = "".join(out).rstrip()
                out = [before + "\n" if before else "", "\n".join(rows), "\n"]
                after_table = True
    return "".join(out), found


def page_text(page, textpage, raw_text: str) -> tuple[str, int] | None:
    """(`raw_text` with the page's ruled tables as rows in place, number of tables); None without tables."""
    edges = rulings(page)
    tables = find_tables(edges) if edges else []
    laid = layout(textpage, raw_text, tables, page.get_rotation()) if tables else None
    if laid is None or not laid[1]:
        return None
    return laid[0], len(laid[1])
