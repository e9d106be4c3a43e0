"""The document page's body text: each page escaped with the query's hits marked and numbered, and for
laws and regulations (analyzers.structure) an outline of its 编/章/节, an anchor on every 第X条 and links
from the citations of its own articles."""
from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

from markupsafe import Markup

from analyzers import highlight
from analyzers.structure import HEADING_KINDS, Section, outline, references

MIN_ARTICLES = 2   # fewer 第X条 lines are a coincidence, not a regulation's structure
MIN_HEADINGS = 2   # an outline needs at least two entries
MAX_CELLS = 60     # rows with more tab-separated cells are shown as text, not as a table


@dataclass
class Entry:
    """One 编/章/节 of the outline, with the articles it holds (numbers of the first and last) and its parts."""

    anchor: str
    label: str
    title: str
    first: int = 0
    last: int = 0
    children: list[Entry] = field(default_factory=list)


@dataclass(frozen=True)
class _Tag:
    start: int
    end: int
    open: str
    close: str


def body(pages: list[str], needles: list[highlight.Needle]) -> dict:
    """Pages as HTML (escaped, hits marked `<mark id="hit-N">` across pages, structure tagged), the hits per
    page and in all, the outline (list of Entry; empty unless the text has 编/章/节 headings) and the
    number of articles anchored."""
    text = "\n".join(pages)
    sections = outline(text)
    articles = [s for s in sections if not s.heading]
    headings = [s for s in sections if s.heading] if len(sections) - len(articles) >= MIN_HEADINGS else []
    if len(articles) < MIN_ARTICLES:
        articles = []
    tags = _tags(text, headings, articles)
    out, counts, n, offset, i = [], [], 0, 0, 0
    for page in pages:
        end = offset + len(page)
        mine = []
        while i < len(tags) and tags[i].start < end:
            t = tags[i]
            mine.append(_Tag(t.start - offset, min(t.end, end) - offset, t.open, t.close))
            i += 1
        html, hits = _page(page, highlight.find_spans(page, needles), mine, n)
        out.append(html)
        counts.append(hits)
        n += hits
        offset = end + 1
    return {"pages": out, "hits_per_page": counts, "hits": n, "outline": _tree(headings, articles),
            "articles": len(articles)}


def _page(page: str, hits: list[tuple[int, int]], tags: list[_Tag], first: int) -> tuple[Markup, int]:
    """A page rendered: runs of two or more tab-separated lines (tables as extractors write them) as HTML
    tables, one cell per tab field, the rest as text (see render)."""
    out, n, at = [], first, 0
    for start, end in _table_runs(page):
        lines = _lines(page, start, end)
        width = max(line.count("\t") + 1 for _, line in lines)   # rows lose trailing empty cells: pad them
        if width > MAX_CELLS or any(start <= t.start < end for t in tags):
            continue  # not a table anyone drew (padding it could blow up the page), or a heading, article or
            #           citation in it (kept as text so that its anchor stays)
        html, k = render(page[at:start], _within(hits, at, start), _tags_within(tags, at, start), n)
        out.append(html)
        n += k
        rows = []
        for line_start, line in lines:
            cells, cell_start = [], line_start
            for cell in line.split("\t"):
                html, k = render(cell, _within(hits, cell_start, cell_start + len(cell)), [], n)
                cells.append(f"<td>{html}</td>")
                n += k
                cell_start += len(cell) + 1
            rows.append("<tr>" + "".join(cells) + "<td></td>" * (width - len(cells)) + "</tr>")
        out.append('<div class="cells"><table>' + "".join(rows) + "</table></div>")
        at = end
    html, k = render(page[at:], _within(hits, at, len(page)), _tags_within(tags, at, len(page)), n)
    return Markup("".join([*out, html])), n + k - first


def _table_runs(page: str) -> list[tuple[int, int]]:
    """(start, end) of each run of two or more consecutive lines holding a tab (end: after its last line's
    newline, if any)."""
    runs, run_start, count, pos = [], 0, 0, 0
    for line in page.split("\n"):
        line += "\n"
        if "\t" in line:
            run_start, count = (pos, count + 1) if count == 0 else (run_start, count + 1)
        else:
            if count >= 2:
                runs.append((run_start, pos))
            count = 0
        pos += len(line)
    if count >= 2:
        runs.append((run_start, min(pos, len(page))))
    return runs


def _lines(page: str, start: int, end: int) -> list[tuple[int, str]]:
    out, pos = [], start
    for line in page[start:end].removesuffix("\n").split("\n"):
        out.append((pos, line.removesuffix("\r")))
        pos += len(line) + 1
    return out


def _within(hits: list[tuple[int, int]], start: int, end: int) -> list[tuple[int, int]]:
    """The hits wholly inside [start, end), relative to start (a hit across a cell's edge is not marked)."""
    return [(s - start, e - start) for s, e in hits if start <= s and e <= end]


def _tags_within(tags: list[_Tag], start: int, end: int) -> list[_Tag]:
    return [_Tag(t.start - start, t.end - start, t.open, t.close) for t in tags if start <= t.start and t.end <= end]


def _tags(text: str, headings: list[Section], articles: list[Section]) -> list[_Tag]:
    """The HTML around headings, article labels and citations, in text order (never overlapping)."""
    present = [k for k in HEADING_KINDS if any(h.kind == k for h in headings)]
    tags = [_Tag(h.start, h.end, f'<span class="sec-h" id="{h.anchor}" role="heading" '
                                 f'aria-level="{min(6, 3 + present.index(h.kind))}">', "</span>") for h in headings]
    tags += [_Tag(a.start, a.end, f'<a class="art" id="{a.anchor}" href="#{a.anchor}">', "</a>") for a in articles]
    if articles:
        spans = [(h.start, h.end) for h in headings]
        tags += [_Tag(r.start, r.end, f'<a class="ref" href="#{r.anchor}">', "</a>")
                 for r in references(text, headings + articles) if not any(s <= r.start < e for s, e in spans)]
    return sorted(tags, key=lambda t: t.start)


def render(text: str, hits: list[tuple[int, int]], tags: list[_Tag], first: int = 0) -> tuple[Markup, int]:
    """`text` escaped with `tags` around their spans and every hit in <mark>, numbered hit-(first+1)…; a hit
    crossing a tag's edge is closed and reopened there (one id per hit). Returns the HTML and the hit count."""
    cuts = sorted({0, len(text), *(p for s, e in hits for p in (s, e)), *(p for t in tags for p in (t.start, t.end))})
    out: list[str] = []
    tag: _Tag | None = None
    hit: tuple[int, int] | None = None
    n, ti, hi = first, 0, 0
    for a, b in zip(cuts, cuts[1:]):
        while ti < len(tags) and tags[ti].end <= a:
            ti += 1
        while hi < len(hits) and hits[hi][1] <= a:
            hi += 1
        now_tag = tags[ti] if ti < len(tags) and tags[ti].start <= a else None
        now_hit = hits[hi] if hi < len(hits) and hits[hi][0] <= a else None
        if now_tag is not tag or now_hit != hit:
            if hit is not None:
                out.append("</mark>")
            if now_tag is not tag:
                out.append(tag.close if tag else "")
                out.append(now_tag.open if now_tag else "")
            if now_hit is not None:
                if now_hit[0] == a:
                    n += 1
                    out.append(f'<mark id="hit-{n}" tabindex="-1">')
                else:
                    out.append("<mark>")
        tag, hit = now_tag, now_hit
        out.append(escape(text[a:b]))
    out.append(("</mark>" if hit else "") + (tag.close if tag else ""))
    return Markup("".join(out)), n - first


def _tree(headings: list[Section], articles: list[Section]) -> list[Entry]:
    """The headings nested by kind (编 › 分编 › 章 › 节), each with the range of articles under it."""
    roots: list[Entry] = []
    stack: list[tuple[int, Entry]] = []
    nodes: list[tuple[Section, Entry]] = []
    for h in headings:
        rank = HEADING_KINDS.index(h.kind)
        while stack and stack[-1][0] >= rank:
            stack.pop()
        entry = Entry(h.anchor, h.label, h.title)
        (stack[-1][1].children if stack else roots).append(entry)
        stack.append((rank, entry))
        nodes.append((h, entry))
    for i, (h, entry) in enumerate(nodes):
        rank = HEADING_KINDS.index(h.kind)
        until = next((o.start for o, _ in nodes[i + 1:] if HEADING_KINDS.index(o.kind) <= rank), None)
        inside = [a.number for a in articles if a.start > h.start and (until is None or a.start < until)]
        if inside:
            entry.first, entry.last = inside[0], inside[-1]
    return roots
