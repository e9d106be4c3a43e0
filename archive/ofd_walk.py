"""The objects of one OFD page (archive.ofd_pages.Page) walked out of its XML: text runs with their characters'
boxes for the reading order, and, when drawing, text, images and paths with their colours and line widths
(DrawParam resources, colour spaces), within a budget of visited objects per document.
"""
from __future__ import annotations

import math
from typing import Any

from lxml import etree  # type: ignore[import-untyped]

from .ofd_layout import MAX_RULES, Box, Rule, Run, path_ops, path_rules
from .ofd_pages import (
    ASCENT,
    DESCENT,
    IDENTITY,
    Clip,
    Color,
    Document,
    Glyphs,
    Matrix,
    Page,
    Picture,
    Shape,
    apply,
    bounds,
    compose,
    deltas,
    numbers,
    placement,
)

MAX_DEPTH = 16            # nesting of blocks and composite objects
POINTS_PER_OBJECT = 64    # path points drawn per object of the budget (a huge path costs like many objects)
CURVE_STEPS = 8           # a curve or arc drawn as this many straight pieces (per quarter turn for arcs)
DEFAULT_LINE = 0.353      # mm, the standard's default line width
BLACK: Color = (0, 0, 0, 255)
SEAL = "SEAL"             # a Picture's format: the image inside an electronic seal (archive.ofd_render)

Subpath = tuple[list[tuple[float, float]], bool]


class Walker:
    """Walks one document's pages within a budget of visited objects (composite units can multiply them)."""

    def __init__(self, doc: Document, max_objects: int):
        self.doc = doc
        self.left = max_objects
        self.units: set[str | None] = set()   # composite units being walked: a unit inside itself is a cycle
        self.rules: list[Rule] = []            # straight segments drawn on the page being walked
        self.drawing = False
        self.drawn: list[Glyphs | Picture | Shape] = []
        self.alpha = 1.0                       # opacity of the composite objects being walked

    def walk(self, container: Any, m: Matrix, out: list[Run], depth: int = 0, param: str | None = None) -> None:
        """Text runs (and things to draw) of the objects under `container` (layers, blocks, composite units,
        pattern cells); `param`: the DrawParam in force."""
        if depth > MAX_DEPTH:
            return
        for el in container:
            self.left -= 1
            if self.left < 0 or not isinstance(el.tag, str):
                continue
            tag = etree.QName(el).localname
            if tag == "TextObject":
                self.text(el, m, out, param)
            elif tag == "PathObject":   # text tiled by a fill pattern (watermarks): read (and draw) one tile
                place = placement(m, el)
                if self.drawing:
                    self.path(el, place, param, self.clips(el, m))
                for cell in el.iter("{*}CellContent"):
                    self.walk(cell, place, out, depth + 1, param)
                if len(self.rules) < MAX_RULES and el.get("Stroke", "true") != "false":
                    self.rules += path_rules(el.findtext("{*}AbbreviatedData"), lambda x, y: apply(place, x, y))
            elif tag == "ImageObject":
                if self.drawing and el.get("ResourceID"):
                    self.drawn.append(Picture(placement(m, el), *self.doc.media(el.get("ResourceID")),
                                              alpha=self._opacity(el), clip=self.clips(el, m)))
            elif tag in ("Layer", "PageBlock", "Content"):
                self.walk(el, m, out, depth + 1, el.get("DrawParam") or param)
            elif tag == "Appearance":
                self.walk(el, placement(m, el), out, depth + 1, param)
            elif tag == "CompositeObject":
                unit_id = el.get("ResourceID")
                found = self.doc.resource("CompositeGraphicUnit", unit_id)
                content = found[0].find("{*}Content") if found is not None and unit_id not in self.units else None
                if content is not None:
                    self.units.add(unit_id)
                    outer, self.alpha = self.alpha, self._opacity(el)
                    self.walk(content, placement(m, el), out, depth + 1, param)
                    self.units.discard(unit_id)
                    self.alpha = outer

    def text(self, obj: Any, parent: Matrix, out: list[Run], param: str | None) -> None:
        """Place the TextCodes of one TextObject (transform `parent` = the object's parent space → page)."""
        m = placement(parent, obj)
        box = _boundary(parent, obj)
        size = float((numbers(obj.get("Size")) or [0.0])[0])
        scale = math.sqrt(abs(m[0] * m[3] - m[1] * m[2])) or 1.0
        chars: list[tuple[str, float, float]] = []
        x = y = 0.0
        for code in obj.iterfind("{*}TextCode"):
            # DTD entities stay unexpanded (no XXE, no entity bombs): skip them, keep the text after them.
            text = (code.text or "") + "".join(child.tail or "" for child in code)
            x = float((numbers(code.get("X")) or [x])[0])
            y = float((numbers(code.get("Y")) or [y])[0])
            given = deltas(code.get("DeltaX"), len(text) - 1)
            # Advances not given follow the font's metrics, unknown here: a full width, half for ASCII.
            guess = [size * (0.5 if ch.isascii() else 1.0) for ch in text]
            steps = given + guess[len(given):]
            down = deltas(code.get("DeltaY"), len(text) - 1)
            glyphs: list[Box | None] = []
            cx, cy = x, y
            for i, ch in enumerate(text):
                wide = steps[i] if steps[i] > 0 else guess[i]
                glyphs.append(bounds(m, cx, cy - ASCENT * size, cx + wide, cy + DESCENT * size))
                if self.drawing and not ch.isspace():
                    chars.append((ch, cx, cy))
                cx += steps[i]
                cy += down[i] if i < len(down) else 0.0
            width, dy = sum(steps), sum(down)
            start, end = apply(m, x, y), apply(m, x + width, y + dy)
            if text.strip():
                out.append(Run(start[0], start[1], max(end[0], start[0]), size * scale, text, box=box, glyphs=glyphs))
            x, y = x + width, y + dy
        if self.drawing and chars:
            fill = self.color(obj, "FillColor", param, BLACK) if obj.get("Fill", "true") != "false" else None
            if fill is None and obj.get("Stroke") == "true":
                fill = self.color(obj, "StrokeColor", param, BLACK)
            bold = (numbers(obj.get("Weight")) or [400])[0] >= 700 or obj.get("Bold") == "true"
            hscale = (numbers(obj.get("HScale")) or [1.0])[0]
            self.drawn.append(Glyphs(m, size, chars, fill, hscale if 0 < hscale <= 10 else 1.0, bold))

    def path(self, el: Any, m: Matrix, param: str | None, clip: Clip | None = None) -> None:
        """A PathObject to draw: its subpaths, fill and stroke colours and line width."""
        paths = subpaths(el.findtext("{*}AbbreviatedData"))
        self.left -= sum(len(points) for points, _ in paths) // POINTS_PER_OBJECT
        if not paths or self.left < 0:
            return
        stroke = self.color(el, "StrokeColor", param, BLACK) if el.get("Stroke", "true") != "false" else None
        fill = self.color(el, "FillColor", param, None) if el.get("Fill", "false") == "true" else None
        width = (numbers(el.get("LineWidth")) or [self.param_width(param)])[0]
        if stroke is not None or fill is not None:
            self.drawn.append(Shape(m, paths, fill, stroke, width, el.get("Rule") == "Even-Odd", clip))

    def clips(self, el: Any, parent: Matrix) -> Clip | None:
        """An object's clipping areas on the page: per Clip element, the polygons of its Area paths (what is
        drawn must lie inside every Clip); None without Clips."""
        found = el.find("{*}Clips")
        if found is None:
            return None
        box = numbers(el.get("Boundary"))
        base = placement(parent, el) if found.get("TransFlag") == "true" else (
            compose(parent, (1.0, 0.0, 0.0, 1.0, box[0], box[1])) if len(box) >= 2 else parent)
        out: Clip = []
        for clip in found.iterfind("{*}Clip"):
            polygons = []
            for area in clip.iterfind("{*}Area"):
                ctm = numbers(area.get("CTM"))
                at = compose(base, (ctm[0], ctm[1], ctm[2], ctm[3], ctm[4], ctm[5])) if len(ctm) == 6 else base
                for path in area.iterfind("{*}Path"):
                    origin = numbers(path.get("Boundary"))
                    place = compose(at, (1.0, 0.0, 0.0, 1.0, origin[0], origin[1])) if len(origin) >= 2 else at
                    polygons += [[apply(place, x, y) for x, y in points]
                                 for points, _ in subpaths(path.findtext("{*}AbbreviatedData")) if len(points) > 2]
            out.append(polygons)
        return out or None

    def color(self, el: Any, tag: str, param: str | None, default: Color | None) -> Color | None:
        """The object's own `tag` colour, else its DrawParam's (and those it is relative to), else `default`."""
        found = el.find("{*}" + tag)
        for draw_param in self._params(el.get("DrawParam") or param):
            if found is not None:
                break
            found = draw_param.find("{*}" + tag)
        rgba = default if found is None else self._rgba(found, default)
        opacity = self._opacity(el)
        return rgba if rgba is None or opacity == 1.0 else (*rgba[:3], round(rgba[3] * opacity))

    def _opacity(self, el: Any) -> float:
        """The object's Alpha (0-255) times that of the composite objects around it, as 0..1."""
        return self.alpha * min(max((numbers(el.get("Alpha")) or [255.0])[0], 0.0), 255.0) / 255

    def param_width(self, param: str | None) -> float:
        """The line width of a DrawParam chain, else the default."""
        for draw_param in self._params(param):
            if numbers(draw_param.get("LineWidth")):
                return numbers(draw_param.get("LineWidth"))[0]
        return DEFAULT_LINE

    def _params(self, param: str | None) -> list:
        out: list = []
        while param and len(out) < MAX_DEPTH:
            found = self.doc.resource("DrawParam", param)
            if found is None:
                break
            out.append(found[0])
            param = found[0].get("Relative")
        return out

    def _rgba(self, el: Any, default: Color | None) -> Color | None:
        """An OFD colour element as RGBA: Value in its colour space (RGB, GRAY, CMYK; decimal or #hex
        components), else the first colour of a shading; `default` if unreadable."""
        if el.find("{*}Pattern") is not None:   # tiles of objects: their own colours (one tile is drawn)
            return None
        value = el.get("Value")
        inner = next((c for c in el.iter("{*}Color") if c is not el and c.get("Value")), None)
        if inner is not None:   # a shading or pattern: its first colour
            return self._rgba(inner, default)
        if value is None:
            return default
        try:
            parts = [int(t[1:], 16) if t.startswith("#") else float(t) for t in value.split()]
        except ValueError:
            return default
        space = self.doc.resource("ColorSpace", el.get("ColorSpace"))
        kind = (space[0].get("Type") if space else "RGB") or "RGB"
        bits = int((numbers(space[0].get("BitsPerComponent")) or [8])[0]) if space else 8
        top = float((1 << min(max(bits, 1), 16)) - 1)
        v = [min(max(p / top, 0.0), 1.0) for p in parts]
        alpha = int(min(max((numbers(el.get("Alpha")) or [255])[0], 0), 255))
        rgb: tuple[float, ...]
        if kind == "GRAY" and v:
            rgb = (v[0],) * 3
        elif kind == "CMYK" and len(v) >= 4:
            rgb = tuple((1 - c) * (1 - v[3]) for c in v[:3])
        elif len(v) >= 3:
            rgb = (v[0], v[1], v[2])
        else:
            return default
        return (round(rgb[0] * 255), round(rgb[1] * 255), round(rgb[2] * 255), alpha)


def _boundary(parent: Matrix, el: Any) -> Box | None:
    """An object's Boundary on the page: (left, top, right, bottom)."""
    box = numbers(el.get("Boundary"))
    return bounds(parent, box[0], box[1], box[0] + box[2], box[1] + box[3]) if len(box) >= 4 else None


def subpaths(data: str | None) -> list[Subpath]:
    """The subpaths of an AbbreviatedData (S/M move, L line, Q and B curves, A arc, C close) as points, curves
    cut into straight pieces."""
    out: list[Subpath] = []
    points: list[tuple[float, float]] = []
    for op, args in path_ops(data):
        if op in ("S", "M"):
            if len(points) > 1:
                out.append((points, False))
            points = [(args[0], args[1])]
        elif op == "C":
            if len(points) > 1:
                out.append((points, True))
            points = points[:1]
        elif not points:
            points = [(args[-2], args[-1])]
        elif op == "L":
            points.append((args[0], args[1]))
        elif op == "Q":
            points += _bezier([points[-1], (args[0], args[1]), (args[2], args[3])])
        elif op == "B":
            points += _bezier([points[-1], (args[0], args[1]), (args[2], args[3]), (args[4], args[5])])
        else:
            points += _arc(points[-1], *args)
    if len(points) > 1:
        out.append((points, False))
    return out


_T = [k / CURVE_STEPS for k in range(1, CURVE_STEPS + 1)]
_WEIGHTS: dict[int, list[tuple[float, ...]]] = {3: [((1 - t) ** 2, 2 * t * (1 - t), t * t) for t in _T],
            4: [((1 - t) ** 3, 3 * t * (1 - t) ** 2, 3 * t * t * (1 - t), t ** 3) for t in _T]}


def _bezier(ctrl: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Points along a quadratic (3 control points) or cubic (4) Bézier curve, its start left out."""
    return [(sum(w * p[0] for w, p in zip(ws, ctrl)), sum(w * p[1] for w, p in zip(ws, ctrl)))
            for ws in _WEIGHTS[len(ctrl)]]


def _arc(start: tuple[float, float], rx: float, ry: float, angle: float, large: float, sweep: float,
         x: float, y: float) -> list[tuple[float, float]]:
    """An elliptical arc from `start` to (x, y) (SVG's endpoint form, as OFD's A operator) as points."""
    x0, y0 = start
    rx, ry = abs(rx), abs(ry)
    if rx == 0 or ry == 0 or (x0, y0) == (x, y):
        return [(x, y)]
    phi = math.radians(angle)
    cos, sin = math.cos(phi), math.sin(phi)
    dx, dy = (x0 - x) / 2, (y0 - y) / 2
    x1, y1 = cos * dx + sin * dy, -sin * dx + cos * dy
    grow = x1 * x1 / (rx * rx) + y1 * y1 / (ry * ry)
    if grow > 1:
        rx, ry = rx * math.sqrt(grow), ry * math.sqrt(grow)
    num = rx * rx * ry * ry - rx * rx * y1 * y1 - ry * ry * x1 * x1
    den = rx * rx * y1 * y1 + ry * ry * x1 * x1
    coef = math.sqrt(max(num / den, 0.0)) if den else 0.0
    if bool(large) == bool(sweep):
        coef = -coef
    cx1, cy1 = coef * rx * y1 / ry, -coef * ry * x1 / rx
    cx, cy = cos * cx1 - sin * cy1 + (x0 + x) / 2, sin * cx1 + cos * cy1 + (y0 + y) / 2
    a0 = math.atan2((y1 - cy1) / ry, (x1 - cx1) / rx)
    a1 = math.atan2((-y1 - cy1) / ry, (-x1 - cx1) / rx)
    turn = a1 - a0
    if sweep and turn < 0:
        turn += 2 * math.pi
    elif not sweep and turn > 0:
        turn -= 2 * math.pi
    steps = max(2, int(abs(turn) / (math.pi / 2) * CURVE_STEPS))
    out = []
    for k in range(1, steps + 1):
        t = a0 + turn * k / steps
        px, py = rx * math.cos(t), ry * math.sin(t)
        out.append((cos * px - sin * py + cx, sin * px + cos * py + cy))
    return out


def read_page(walker: Walker, page_id: str | None, content_name: str | None, draw: bool = False) -> Page:
    """One page of the walker's document (with its objects to draw if `draw`): templates (behind the content,
    or in front of it: ZOrder Foreground), content, annotations; LookupError if its content is missing."""
    doc = walker.doc
    root = doc.pkg.xml(content_name)
    if root is None:
        raise LookupError(content_name)
    page = Page(doc.page_box(root.find("{*}Area")))
    walker.rules, walker.drawing = [], draw
    under: list[Glyphs | Picture | Shape] = []
    over: list[Glyphs | Picture | Shape] = []
    for tpl in root.iterfind("{*}Template"):
        tpl_root = doc.pkg.xml(doc.templates.get(tpl.get("TemplateID")))
        if tpl_root is not None:
            walker.drawn = over if tpl.get("ZOrder") == "Foreground" else under
            walker.walk(tpl_root.iterfind("{*}Content"), IDENTITY, page.runs)
    walker.drawn = page.drawn
    page.drawn.extend(under)
    walker.walk(root.iterfind("{*}Content"), IDENTITY, page.runs)
    page.drawn.extend(over)
    page.rules = walker.rules[:MAX_RULES] if page.runs else []
    for annot in doc.annotations().get(page_id or "", []):
        walker.walk(annot.iterfind("{*}Appearance"), IDENTITY, page.annot_runs)
    if draw:
        for (x, y, w, h), seal in doc.stamps().get(page_id or "", []):
            page.drawn.append(Picture((w, 0.0, 0.0, h, x, y), seal, SEAL))
    return page
