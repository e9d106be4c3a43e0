"""Reading order on an OFD page: text runs grouped into lines, table rulings from path objects, the ruled
cell around each run, and a cell's wrapped lines joined, so that a row is one line with its cells
separated by tabs and a value wrapped inside its cell (a 文号, a company name) stays whole. Each run may
carry its characters' boxes, which follow the characters into the lines (placed_lines), so that the page
text ingest stores and the character boxes of its page image (archive.ofd_render) come from one ordering.
"""
from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

_LINE_TOLERANCE = 0.45    # baselines closer than this share of the font size are one line
_WORD_GAP = 1.0           # a horizontal gap wider than this many font sizes becomes a space
_TWIN = 0.3               # the same text this close (in font sizes) to an earlier copy is an overprint
_AXIS = 0.3               # a segment bending less than this (page units, mm) is horizontal or vertical
_MIN_RULE = 2.0           # shorter segments are not table rulings
_REACH = 0.5              # a ruling passing within this distance of a cell still bounds it
_CELL_PITCH = 1.5         # a ruled cell's next line this close below (in font sizes) can continue it
_BOX_PITCH = 2.2          # ... and that of a text box stacked right under the line's box
_ALIGN = 0.6              # lines whose starts, middles or ends are this close (font sizes) are aligned
_NARROWER = 0.3           # a wrapped line's rest is no wider than it (give or take this many font sizes)
_ROOM = 1.0               # a line fills its cell when less than this many font sizes (padding) are left
_SMALL_CELL = 6           # a ruled cell holding at most this many lines is one cell, not a ruled column
_STACKED = 1.0            # text boxes this close (font sizes) one above the other are stacked
MAX_RULES = 4000          # rulings kept per page; more (drawings, outlined text) are not a table
_PATH_TOKEN = re.compile(r"[A-Za-z]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_ARGS = {"S": 2, "M": 2, "L": 2, "Q": 4, "B": 6, "A": 7, "C": 0}
_SPACES = re.compile(r"[ \u3000]{2,}")
_CELL_GAP = re.compile(r"[ \u3000]*\t[ \t\u3000]*")
_ASCII_LETTER = re.compile(r"[A-Za-z]")
_LABEL_END = ("：", ":")   # a line ending in a colon is a label, not a wrapped value

Cell = tuple[float, float, float, float]          # left, top, right, bottom (page units, y downwards)
Box = Cell                                        # a TextObject's Boundary on the page
Rule = tuple[bool, float, float, float]           # (horizontal, position, start, end)


@dataclass
class Run:
    """Text placed on the page (page units, y downwards); a run joined from a cell's wrapped lines spans
    baselines y to y_end."""

    x: float
    y: float
    x_end: float
    size: float
    text: str
    cell: Cell | None = None
    y_end: float | None = None
    box: Box | None = None
    glyphs: list[Box | None] | None = None   # a box per character of `text` (page units), where known

    @property
    def mid(self) -> float:
        return self.y if self.y_end is None else (self.y + self.y_end) / 2


def _glyphs(run: Run) -> list[Box | None]:
    """The run's character boxes, one per character of its text (None where unknown)."""
    g = run.glyphs
    return g if g is not None and len(g) == len(run.text) else [None] * len(run.text)


def path_ops(data: str | None) -> Iterator[tuple[str, list[float]]]:
    """The operators of an AbbreviatedData with their numbers (an operator short of finite numbers left out)."""
    tokens = _PATH_TOKEN.findall(data or "")
    i = 0
    while i < len(tokens):
        op = tokens[i]
        n = _ARGS.get(op)
        if n is None:
            i += 1
            continue
        try:
            args = [float(t) for t in tokens[i + 1:i + 1 + n]]
        except ValueError:
            args = []
        i += 1 + len(args)
        if len(args) == n and all(math.isfinite(a) for a in args):
            yield op, args


def path_rules(data: str | None, place: Callable[[float, float], tuple[float, float]]) -> list[Rule]:
    """The horizontal and vertical straight segments of a path's AbbreviatedData; `place` maps a point to
    the page."""
    out: list[Rule] = []
    start = here = None
    for op, args in path_ops(data):
        if op == "C":
            if here is not None and start is not None:
                _segment(here, start, out)
            here = start
            continue
        point = place(args[-2], args[-1])
        if op == "L" and here is not None:
            _segment(here, point, out)
        if op in ("S", "M"):
            start = point
        here = point
    return out


def _segment(a: tuple[float, float], b: tuple[float, float], out: list[Rule]) -> None:
    (x0, y0), (x1, y1) = a, b
    if abs(y1 - y0) <= _AXIS and abs(x1 - x0) >= _MIN_RULE:
        out.append((True, (y0 + y1) / 2, min(x0, x1), max(x0, x1)))
    elif abs(x1 - x0) <= _AXIS and abs(y1 - y0) >= _MIN_RULE:
        out.append((False, (x0 + x1) / 2, min(y0, y1), max(y0, y1)))


def _cell(rules: list[Rule], x: float, y: float) -> Cell | None:
    """The box around point (x, y) closed by the nearest ruling on each side (each side ruled all along),
    or None."""
    near: list[Rule | None] = [None, None, None, None]   # left, top, right, bottom
    for rule in rules:
        horizontal, pos, start, end = rule
        across = x if horizontal else y
        if not start - _REACH <= across <= end + _REACH:
            continue
        side = (1 if pos <= y else 3) if horizontal else (0 if pos <= x else 2)
        best = near[side]
        if best is None or (best[1] < pos if side < 2 else pos < best[1]):
            near[side] = rule
    sides = [rule for rule in near if rule is not None]
    if len(sides) < 4:
        return None
    left, top, right, bottom = (rule[1] for rule in sides)
    for i, (_, _, start, end) in enumerate(sides):
        lo, hi = (left, right) if i % 2 else (top, bottom)
        if start > lo + _REACH or end < hi - _REACH:
            return None
    return left, top, right, bottom


def _group(runs: list[Run]) -> list[list[Run]]:
    """Runs grouped into lines by baseline, top to bottom."""
    lines: list[list[Run]] = []
    for run in sorted(runs, key=lambda r: (r.y, r.x)):
        line = lines[-1] if lines else None
        if line and abs(run.y - line[0].y) <= _LINE_TOLERANCE * max(min(run.size, line[0].size), 1e-6):
            line.append(run)
        else:
            lines.append([run])
    return lines


def _apart(a: Cell | None, b: Cell | None) -> bool:
    """Whether text in these cells is in two cells of a table (text outside any cell is not)."""
    return a is not None and b is not None and a != b


def _segments(line: list[Run]) -> list[Run]:
    """A line's runs left to right, overprints dropped, runs of one cell without a word gap made one."""
    out: list[Run] = []
    placed: dict[str, list[Run]] = {}
    last_end = -math.inf   # where the last run ended (a segment's x_end is its widest run's)
    for run in sorted(line, key=lambda r: r.x):
        twins = placed.setdefault(run.text, [])
        if any(abs(run.x - t.x) < _TWIN * run.size and abs(run.y - t.y) < _TWIN * run.size for t in twins):
            continue   # the same text drawn again on top (fake bold, a template placed twice)
        twins.append(run)
        prev = out[-1] if out else None
        text = run.text.replace("\t", " ")
        if (prev is not None and not _apart(prev.cell, run.cell)
                and run.x - last_end <= _WORD_GAP * max(run.size, prev.size)):
            box = prev.box and run.box and (min(prev.box[0], run.box[0]), min(prev.box[1], run.box[1]),
                                             max(prev.box[2], run.box[2]), max(prev.box[3], run.box[3]))
            out[-1] = Run(prev.x, prev.y, max(prev.x_end, run.x_end), max(prev.size, run.size), prev.text + text,
                          prev.cell or run.cell, None, box, _glyphs(prev) + _glyphs(run))
        else:
            out.append(Run(run.x, run.y, run.x_end, run.size, text, run.cell, None, run.box, _glyphs(run)))
        last_end = run.x_end
    return out


def _text(line: list[Run]) -> str:
    """One line of segments read left to right: segments in different cells apart by a tab, others by a
    space."""
    parts: list[str] = []
    prev = None
    for seg in sorted(line, key=lambda r: r.x):
        if prev is not None:
            parts.append("\t" if _apart(seg.cell, prev.cell) else " ")
        parts.append(seg.text)
        prev = seg
    return _CELL_GAP.sub("\t", _SPACES.sub(" ", "".join(parts))).strip(" \t\u3000")


def _joined(a: str, b: str) -> str:
    """Two wrapped lines of one cell as one: no space between, unless they are words of spaced text."""
    if a and b and _ASCII_LETTER.match(a[-1]) and _ASCII_LETTER.match(b[0]) and " " in a:
        return f"{a} {b}"
    return a + b


@dataclass
class _Wrap:
    """A segment that may go on in the lines below, and its last line as placed."""

    seg: Run
    row: int            # segments on its first line
    small: bool         # its ruled cell holds few lines
    after: float        # where the next segment of its first line starts
    tail: Run


def _continues(w: _Wrap, b: Run, count: int) -> str | None:
    """Whether segment `b` (on a line of `count` segments) is the wrapped rest of `w`: in the same ruled
    cell (or in a text box stacked right under `w`'s, for tables without rulings), right below, aligned
    with it and no wider, and `w` left no room for `b`'s first character. "cell" if that settles it (one
    character a line in a ruled cell), "row" if `b`'s whole line must be such rests (else it starts a new
    row)."""
    a, tail = w.seg, w.tail
    size = max(tail.size, b.size)
    near = _ALIGN * size
    if (a.cell != b.cell or not 0 < b.y - tail.y <= _BOX_PITCH * size or tail.text[-1:] in _LABEL_END
            or min(tail.x_end - tail.x, b.x_end - b.x) < 0.5 * min(tail.size, b.size)   # not horizontal text
            or b.x_end - b.x > tail.x_end - tail.x + _NARROWER * size):
        return None
    if not (abs(b.x - tail.x) <= near or abs(b.x + b.x_end - tail.x - tail.x_end) <= 2 * near
            or abs(b.x_end - tail.x_end) <= near and b.x > tail.x):
        return None
    above, box = tail.box, b.box
    if (above is not None and box is not None and abs(above[0] - box[0]) <= near and abs(above[2] - box[2]) <= near
            and -near <= box[1] - above[3] <= _STACKED * size):   # stacked text boxes of one column
        left, right = box[0], min(box[2], w.after)
    elif a.cell is not None and w.small and b.y - tail.y <= _CELL_PITCH * size:
        left, right = a.cell[0], min(a.cell[2], w.after)
    else:
        return None
    if tail.x_end - tail.x + b.size * (0.5 if b.text[:1].isascii() else 1.0) < right - left - _ROOM * size:
        return None   # `b`'s first character would have fitted on the line above
    if a.cell is not None and len(tail.text) == len(b.text) == 1:
        return "cell"   # written top to bottom in a narrow cell (购/买/方)
    return "row" if (a.cell is not None and w.small) or (w.row >= 2 and count < w.row) else None


def _cells(runs: list[Run], rules: list[Rule]) -> list[list[Run]]:
    """The page's lines of segments, each cell's wrapped lines joined into one segment (ruled cells, or
    text boxes stacked in a column of a table without rulings) on the line of its row."""
    for run in runs:
        cell = _cell(rules, run.x + 0.5 * min(run.size, max(run.x_end - run.x, 0.0)), run.y - 0.4 * run.size)
        if cell is not None and cell[2] - cell[0] >= 0.8 * run.size and cell[3] - cell[1] >= 0.8 * run.size:
            run.cell = cell
    lines = [_segments(line) for line in _group(runs)]
    cell_lines: dict[Cell, int] = {}
    for line in lines:
        for cell in {seg.cell for seg in line if seg.cell is not None}:
            cell_lines[cell] = cell_lines.get(cell, 0) + 1
    out: list[list[Run]] = []
    open_: list[_Wrap] = []
    for line in lines:
        going: list[_Wrap] = []
        kept: list[Run] = []
        found = [next(((w, how) for w in open_ if (how := _continues(w, b, len(line)))), (None, None))
                 for b in line]
        whole = all(w is not None for w, _ in found)   # a line of rests only: no new row starts on it
        for i, b in enumerate(line):
            w, how = found[i]
            if w is not None and (how == "row" and not whole or w not in open_):
                w = None
            if w is None:
                kept.append(b)
                after = next((s.x for s in line[i + 1:] if s.cell == b.cell), math.inf)
                going.append(_Wrap(b, len(line), b.cell is not None and cell_lines[b.cell] <= _SMALL_CELL, after, b))
                continue
            a = w.seg
            joined = _joined(a.text, b.text)
            a.glyphs = _glyphs(a) + [None] * (len(joined) - len(a.text) - len(b.text)) + _glyphs(b)
            a.text, a.x_end, a.y_end = joined, max(a.x_end, b.x_end), b.y
            w.tail = b
            open_.remove(w)
            going.append(w)
        y = line[0].y
        open_ = going + [w for w in open_ if y - w.tail.y <= _BOX_PITCH * w.tail.size]   # may go on below
        out.append(kept)
    return _rows(out)


def _rows(lines: list[list[Run]]) -> list[list[Run]]:
    """A joined cell alone on its first line moved to the line of its row: the one nearest its middle."""
    for i, line in enumerate(lines):
        if len(line) != 1 or line[0].y_end is None:
            continue
        joined, last = line[0], line[0].y_end
        near = [j for j in range(i + 1, len(lines)) if lines[j] and joined.y < lines[j][0].y <= last]
        if near:
            best = min(near, key=lambda j: abs(lines[j][0].y - joined.mid))
            lines[best].append(joined)
            line.clear()
    return [line for line in lines if line]


def lines(runs: list[Run], rules: list[Rule] | None = None) -> list[str]:
    """The page's lines top to bottom; with `rules`, a table row is one line of tab-separated cells."""
    return [text for text in map(_text, _cells(runs, rules or [])) if text]


def placed_lines(runs: list[Run], rules: list[Rule] | None = None) -> list[tuple[str, list[Box | None]]] | None:
    """lines() with a box per character of each line (None for spaces and tabs); None if the characters cannot
    be matched to their runs' boxes (then no boxes rather than wrong ones)."""
    out = []
    for line in _cells(runs, rules or []):
        text = _text(line)
        if not text:
            continue
        source = iter([(ch, box) for seg in sorted(line, key=lambda r: r.x)
                       for ch, box in zip(seg.text, _glyphs(seg)) if not ch.isspace()])
        boxes: list[Box | None] = []
        for ch in text:
            if ch.isspace():
                boxes.append(None)
                continue
            got = next(source, None)
            if got is None or got[0] != ch:
                return None
            boxes.append(got[1])
        if next(source, None) is not None:
            return None
        out.append((text, boxes))
    return out
