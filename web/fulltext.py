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


def body(pages: list[str], needles: list[str]) -> dict:
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
        html, hits = render(page, highlight.find_spans(page, needles), mine, n)
        out.append(html)
        counts.append(hits)
        n += hits
        offset = end + 1
    return {"pages": out, "hits_per_page": counts, "hits": n, "outline": _tree(headings, articles),
            "articles": len(articles)}


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
