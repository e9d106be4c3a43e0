"""Finding a saved page's main content: one tree out of broken markup, the article block, and its headline."""
from __future__ import annotations

import re

from lxml import etree

_CONTENT_IDS = frozenset(("UCAP-CONTENT", "zoom", "Zoom"))
_CONTENT_CLASSES = frozenset(("TRS_Editor", "TRS_UEDITOR", "pages_content", "article-content"))
# Elements that may be the main block; custom elements (<app-root>, <router-outlet> ...) too.
_CANDIDATE_TAGS = frozenset("body div td article main section table tbody tr center form".split())
_HEADINGS = ("h1", "h2", "h3")
_HEADLINE_LEVELS = 3   # a headline sits within this many levels above the main block
_MAIN_SHARE = 0.6
_OTHER_WEIGHT = 0.1   # a text piece without sentence punctuation (menu item, label, title in a list) counts a tenth
_SENTENCE = re.compile(r"[。，；！？,;!?]")
_WS = re.compile(r"\s+")


def _is_element(el) -> bool:
    return isinstance(el.tag, str)


def merge_documents(root) -> None:
    """Fold what lxml splits off (the trees after a stray `</html>`, second and later <body> elements) into the
    first tree's <head> and <body>, in document order."""
    extras = [el for el in root.itersiblings() if _is_element(el)]
    bodies = root.findall("body")
    if not extras and len(bodies) <= 1 and not any(_is_element(c) and c.tag not in ("head", "body") for c in root):
        return
    head = root.find("head")
    if head is None:
        head = root.makeelement("head")
        root.insert(0, head)
    body = bodies[0] if bodies else etree.SubElement(root, "body")
    for container in (root, *extras):
        for child in list(container):
            if child is head or child is body:
                continue
            if child.tag == "head":
                head.extend(list(child))
            elif child.tag == "body":
                _append_text(body, child.text)
                body.extend(list(child))
            else:
                body.append(child)


def _append_text(parent, text: str | None) -> None:
    if not text or not text.strip():
        return
    if len(parent):
        parent[-1].tail = (parent[-1].tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def text_sizes(root) -> tuple[dict, dict]:
    """(characters, weight) of the text under each element, bottom-up in one pass. Weight counts text in sentences
    fully, other text a tenth, link text (<a href>) and list items without a sentence not at all: menus weigh
    little beside an article."""
    sizes: dict = {}
    weights: dict = {}
    sentence = _SENTENCE.search
    for el in reversed(list(root.iter())):
        own = el.text.strip() if el.text else ""
        size = len(own)
        weight = 0.0 if not own else size if sentence(own) else _OTHER_WEIGHT * size
        link = el.tag == "a" and el.get("href")
        for c in el:
            tail = c.tail.strip() if c.tail else ""
            size += sizes[c] + len(tail)
            if not link:
                weight += weights[c]
                if tail:
                    weight += len(tail) if sentence(tail) else _OTHER_WEIGHT * len(tail)
        if link:
            weight = 0.0
        elif el.tag == "li" and weight <= _OTHER_WEIGHT * size:   # a menu entry, not a numbered provision
            weight = 0.0
        sizes[el], weights[el] = size, weight
    return sizes, weights


def _candidate(el) -> bool:
    return _is_element(el) and (el.tag in _CANDIDATE_TAGS or "-" in el.tag)


def main_content(root, sizes: dict, weights: dict):
    """The main content element: a known CMS container, else the tightest block holding most of the weighted
    text (sentences count, menus and links hardly)."""
    for el in root.iter():
        if not _is_element(el):
            continue
        if el.get("id") in _CONTENT_IDS or not _CONTENT_CLASSES.isdisjoint((el.get("class") or "").split()):
            if sizes[el]:
                return el
    best = root.find("body")
    if best is None:
        best = root
    if not weights[best]:   # links and menus only: the biggest block
        weights = sizes
    while True:
        children = [c for c in best if _candidate(c)]
        if not children:
            return best
        nxt = max(children, key=weights.__getitem__)
        if weights[nxt] < _MAIN_SHARE * weights[best] or not weights[nxt]:
            return best
        best = nxt


def headline(root, main) -> str:
    """The nearest heading (h1-h3) before `main` when `main` holds none: the title a page sets above its
    article block. Empty when there is none or it is a link (a logo, a menu)."""
    if main.tag in _HEADINGS or next(main.iter(*_HEADINGS), None) is not None:
        return ""
    scope = main
    for _ in range(_HEADLINE_LEVELS):
        if scope.getparent() is None or scope.tag == "body":
            break
        scope = scope.getparent()
    found = ""
    for el in scope.iter(*_HEADINGS, main.tag):
        if el is main:
            return found
        if el.tag in _HEADINGS:
            text = _WS.sub(" ", el.text_content()).strip()
            links = sum(len(a.text_content().strip()) for a in el.iter("a"))
            found = text if 4 <= len(text) <= 200 and links < len(text) / 2 else ""
    return ""
