"""Whether an extracted text looks like a page's furniture (navigation, a login form) rather than a document."""
from __future__ import annotations

import re

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Pieces of a line: cells (tabs, runs of spaces) and words of a menu written "首页 政务公开 政务服务".
_PIECE_BREAK = re.compile(rf"\t|\s{{2,}}|\u3000+|(?<=[{_CJK}])\s+(?=[{_CJK}A-Za-z])|(?<=[A-Za-z])\s+(?=[{_CJK}])|[|｜>»·•]")
_SENTENCE = re.compile(r"[。，；！？,;!?]|\.(?:\s|$)")
_LABEL = re.compile(r"[：:]")   # a piece with a colon is a label or a sentence, not a menu item
_DIGIT = re.compile(r"\d")
# Numbered items (一、 第二部分 （三） 4.) are a document's outline or table rows, not a menu.
_NUMBERED = re.compile(r"^(?:[一二三四五六七八九十百]+、|第[一二三四五六七八九十百\d]+[部分章节条款项篇]"
                       r"|[（(][一二三四五六七八九十\d]+[)）]|\d+[、.．])")
_LOGIN = ("登录", "登陆", "密码", "用户名", "验证码", "忘记密码", "注册", "账号", "记住我",
          "login", "log in", "sign in", "password", "username")
_LOGIN_TERMS = 3          # distinct login words that make a short text a login form
_LOGIN_CHARS = 600        # ... when it has at most this many characters
_MENU_PIECE = 20          # a menu item: at most this many characters, no sentence punctuation, few digits
_MENU_PIECES = 5          # at least this many pieces before a text can look like a menu
_MENU_SHARE = 0.6         # menu items hold at least this share of the characters
_SENTENCE_RATE = 0.01     # and sentence punctuation is under one per 100 characters


def looks_like_boilerplate(text: str) -> str | None:
    """The reason ("low quality: ...") why `text` looks like navigation or a login page, else None."""
    flat = "".join(text.split())
    if not flat:
        return None
    sentences = len(_SENTENCE.findall(text))
    if len(flat) > _LOGIN_CHARS and sentences >= _SENTENCE_RATE * len(flat):
        return None   # the common case, a document: decided without splitting it
    lowered = text.lower()
    if len(flat) <= _LOGIN_CHARS and sum(term in lowered for term in _LOGIN) >= _LOGIN_TERMS:
        return "low quality: body looks like a login page"
    pieces = [p.strip() for line in text.splitlines() for p in _PIECE_BREAK.split(line)]
    pieces = [p for p in pieces if p]
    if len(pieces) < _MENU_PIECES:
        return None
    menu = sum(len(p) for p in pieces if _menu_item(p))
    if menu >= _MENU_SHARE * sum(map(len, pieces)) and sentences < _SENTENCE_RATE * len(flat):
        return "low quality: body looks like navigation"
    return None


def _menu_item(piece: str) -> bool:
    return (len(piece) <= _MENU_PIECE and not _SENTENCE.search(piece) and not _LABEL.search(piece)
            and not _NUMBERED.match(piece)
            and len(_DIGIT.findall(piece)) * 5 < len(piece))
