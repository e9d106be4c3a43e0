"""User query syntax → a small tree the backends render. A raw user string never reaches an engine.

Syntax: words (implicit AND), "exact phrase", OR, -exclude, (grouping), and fields:
  标题:/title:  正文:/body:  文号:/docno:  机关:/agency:  类型:/type:  主题:/topic:
  年份:/year:2019 or 2019..2021 (also bare 2019..2021)  成文日期:/date:2020-01..2020-06
A 文号 typed in any common form (国办发〔2019〕6号, 国办发[2019]6号, 国办发2019年6号,
国办发 2019 6) becomes a DocNumber. The parser is lenient: unbalanced quotes and
parentheses are closed, stray operators are ignored, unknown fields are searched as text,
and anything that cannot be searched (e.g. only punctuation) drops out.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from functools import cached_property

from . import agencies, titles
from .docnumber import typed_doc_number
from .fields import QUERY_FIELDS
from .normalize import normalize, variants
from .segment import bigrams, cut_words, sequence, units, words


@dataclass(frozen=True)
class Term:
    """Documents containing `text` verbatim (after normalization, ignoring punctuation).

    `field` limits it to the title or the body; None means either.
    """

    text: str
    phrase: bool = False
    field: str | None = None
    bounded: bool = False   # only where its words stand as words (a synonym: 国办 not inside 外国办理)

    @cached_property
    def units(self) -> str:
        return units(normalize(self.text))

    @cached_property
    def sequence(self) -> str:
        """What must occur in a document: the normalized text without whitespace."""
        return sequence(normalize(self.text))

    @cached_property
    def bigrams(self) -> list[str]:
        return bigrams(self.sequence)

    @cached_property
    def words(self) -> list[str]:
        return words(normalize(self.text))

    @cached_property
    def score_words(self) -> list[str]:
        """The whole words of the text (see segment.cut_words) that add to a match's score; none when
        the text is one word, which its verbatim match already scores (it would cost, not rank)."""
        cut = cut_words(normalize(self.text))
        return [] if cut == [self.sequence] else cut

    @cached_property
    def whole_words(self) -> list[str]:
        """jieba's whole words of the text: a `bounded` term's document must hold each as an indexed word."""
        return cut_words(normalize(self.text))

    @cached_property
    def word(self) -> str | None:
        """The normalized text if jieba keeps it whole as one word (indexes hold it as a token), else None."""
        text = normalize(self.text)
        return text if text in self.words else None


@dataclass(frozen=True)
class DocNumber:
    """The document whose 文号 is `key` (normalized); documents citing it rank below."""

    key: str
    text: str  # the canonical written form, searched verbatim too


@dataclass(frozen=True)
class Keyword:
    """A metadata value of a keyword field: it equals `value` (`exact`) or contains it."""

    field: str
    value: str
    exact: bool = False

    @property
    def pattern(self) -> str:
        """A regular expression over the raw keyword (the same in tantivy and Lucene syntax)."""
        body = "".join("[" + variants(ch) + "]" for ch in units(normalize(self.value)))
        return body if self.exact else f".*{body}.*"


@dataclass(frozen=True)
class Range:
    """field (year: yyyy, date: yyyymmdd) between lo and hi inclusive; None is open."""

    field: str
    lo: int | None
    hi: int | None


@dataclass(frozen=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Words(And):
    """An unquoted run of text searched as its words: each required, verbatim; `text`, the run as typed,
    is preferred (a Prefer among the children)."""

    text: str = ""


@dataclass(frozen=True)
class Named:
    """Documents whose title names what the query names (analyzers.titles.key equal); national ones more
    unless the query names a place."""

    key: str
    national: bool = True


@dataclass(frozen=True)
class Subject:
    """Documents whose title holds every one of `words` (verbatim): what they are about, not a mention."""

    words: tuple[str, ...]


@dataclass(frozen=True)
class Or:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    child: Node


@dataclass(frozen=True)
class Prefer:
    """Inside an And: not required, but documents matching it rank higher."""

    child: Node


@dataclass(frozen=True)
class MatchAll:
    """The empty query: every (visible) document."""


@dataclass(frozen=True)
class MatchNone:
    """A query with nothing searchable in it."""


_TOKEN = re.compile(r'[^\s()"：:]+[:：]"[^"]*"?|"[^"]*"?|\(|\)|[^\s()"]+')
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_FIELD = re.compile(r"^([^\s:：]+)[:：](.*)$", re.S)
_YEAR_RANGE = re.compile(r"^((?:19|20)\d\d)?\s*(?:\.\.|～|~|至|-)\s*((?:19|20)\d\d)?$")
_DATE = r"((?:19|20)\d\d)(?:[-./年](\d{1,2})(?:[-./月](\d{1,2})日?)?月?)?"
_DATE_RANGE = re.compile(rf"^(?:{_DATE})?\s*(?:\.\.|～|~|至)\s*(?:{_DATE})?$|^{_DATE}$")


MAX_SIDE_BY_SIDE = 8  # a longer run of words is not also looked for as one phrase (costly, and rarely found)
MAX_RUN_WORDS = 8     # an unquoted run of more words (a pasted sentence or title) stays one exact string
_FUNCTION = frozenset("的和与及或之了对在等")   # one-character words a run's other words make redundant
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_PIECES = re.compile(r"[^\W_]+")


Node = Term | DocNumber | Keyword | Range | And | Or | Not | Prefer | Named | Subject | MatchAll | MatchNone


@dataclass(frozen=True)
class Limits:
    """What one query may cost: beyond these, the rest of the query is left out (and the caller told)."""

    max_chars: int = 500           # characters read
    max_depth: int = 8             # nested parentheses; deeper ones are ignored
    max_terms: int = 32            # words, phrases and fields
    max_single_chars: int = 3      # one-character terms (each scans many index terms)
    max_clauses: int = 64          # terms plus their synonym alternatives


@dataclass
class Parsed:
    """A parsed query and what was left out of it: any of 'chars', 'depth', 'terms', 'single_chars', 'clauses'.

    `narrower`: the query with each run that was split into words quoted (exact strings again), `broader`:
    with each quoted run of several words unquoted; None when there is no such run.
    """

    tree: Node
    cut: set[str]
    narrower: str | None = None
    broader: str | None = None


def parse(query: str, max_chars: int = 1000, synonyms: dict[str, list[str]] | None = None) -> Node:
    """Parse a user query into a tree; never raises. Text past `max_chars` is ignored."""
    return parse_query(query, Limits(max_chars=max_chars), synonyms).tree


def parse_query(query: str, limits: Limits = Limits(), synonyms: dict[str, list[str]] | None = None) -> Parsed:
    """Parse a user query into a tree within `limits`; never raises."""
    query = _CONTROL.sub(" ", query or "")
    cut = {"chars"} if len(query) > limits.max_chars else set()
    query = query[:limits.max_chars]
    if not query.strip():
        return Parsed(MatchAll(), cut)
    whole = typed_doc_number(query)
    if whole:
        return Parsed(_doc_number(whole), cut)
    tokens = _TOKEN.findall(query)
    parser = _Parser(tokens, synonyms or {}, limits)
    node = parser.parse_or()
    if node is None:
        return Parsed(MatchNone(), cut | parser.cut)
    return Parsed(_named(node), cut | parser.cut,
                  narrower=_rewrite(tokens, {i: f'"{t}"' for i, t in enumerate(tokens) if i in parser.split}),
                  broader=_rewrite(tokens, {i: t.strip('"') for i, t in enumerate(tokens) if i in parser.quoted}))


def run_words(text: str) -> list[str]:
    """The words an unquoted run of Chinese is searched as, each a verbatim piece of it: jieba's cut of each
    stretch between punctuation, a one-character word joined to a number before it (2019年) or to the word
    after it in the same stretch (一公开), 的/和 … left out; [] when the run stays one string (one word, no
    Chinese, or more than MAX_RUN_WORDS words)."""
    text = normalize(text)
    if not _CJK.search(text):
        return []
    out: list[str] = []
    for piece in _PIECES.findall(text):
        pending = ""
        for w in cut_words(piece) or [piece]:
            if len(w) > 1:
                out.append(pending + w)
                pending = ""
            elif w in _FUNCTION and not pending:
                continue
            elif out and pending == "" and out[-1].isascii() and out[-1][-1:].isdigit():
                out[-1] += w
            else:
                pending += w
        if pending:
            if out and len(pending) == 1 and out[-1] in piece and (out[-1] + pending) in piece:
                out[-1] += pending
            elif len(pending) > 1:
                out.append(pending)
    words = [w for w in dict.fromkeys(out) if w]
    return words if 2 <= len(words) <= MAX_RUN_WORDS else []


def _rewrite(tokens: list[str], replaced: dict[int, str]) -> str | None:
    """The query with some tokens replaced, or None when none is."""
    return " ".join(replaced.get(i, t) for i, t in enumerate(tokens)) if replaced else None


def _named(tree: Node) -> Node:
    """A query of plain text only also prefers the documents its text names (analyzers.titles.key), and
    those whose title holds all its words (two or more)."""
    parts = tree.children if isinstance(tree, And) and not isinstance(tree, Words) else (tree,)
    texts, words = [], []
    for p in parts:
        if isinstance(p, Prefer):
            continue
        if isinstance(p, Words):
            texts.append(p.text)
            words += [w.text for w in _plain(p.children)]
        elif isinstance(p, Term) and p.field is None and not p.phrase:
            texts.append(p.text)
            words.append(p.text)
        elif (word := _with_synonyms(p)) is not None:   # a word with its synonyms (not an OR the user typed)
            texts.append(word.text)
            words.append(word.text)
        else:
            return tree
    text = "".join(texts)
    name = titles.key(text)
    words = list(dict.fromkeys(words))   # (one word in a title already counts TITLE_BOOST times)
    preferred = [Prefer(Subject(tuple(words)))] if len(words) > 1 else []
    if name:
        preferred.append(Prefer(Named(name, national=not titles.local(text))))
    return And((*parts, *preferred)) if preferred else tree


def _with_synonyms(node: Node) -> Term | None:
    """The word of a plain word OR-ed with its synonyms (with_synonyms: they are bounded terms), else None."""
    if not isinstance(node, Or) or not all(isinstance(c, Term) and c.bounded for c in node.children[1:]):
        return None
    first = node.children[0]
    return first if isinstance(first, Term) and first.field is None else None


def _plain(nodes: tuple[Node, ...]) -> list[Term]:
    """The words among a run's children (each a Term, or the Term its synonyms are an Or of)."""
    return [w for n in nodes if (w := n if isinstance(n, Term) else _with_synonyms(n)) is not None]


class _Parser:
    def __init__(self, tokens: list[str], synonyms: dict[str, list[str]], limits: Limits = Limits()):
        self.tokens, self.i, self.synonyms, self.limits = tokens, 0, synonyms, limits
        self.depth = self.terms = self.single_chars = self.clauses = 0
        self.cut: set[str] = set()
        self.split: set[int] = set()    # tokens searched as their words
        self.quoted: set[int] = set()   # quoted tokens that could be

    def peek(self) -> str | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def parse_or(self) -> Node | None:
        alternatives = []
        first = self.parse_and()
        if first is not None:
            alternatives.append(first)
        while self.peek() == "OR":
            self.i += 1
            nxt = self.parse_and()
            if nxt is not None:
                alternatives.append(nxt)
        if not alternatives:
            return None
        return alternatives[0] if len(alternatives) == 1 else Or(tuple(alternatives))

    def parse_and(self) -> Node | None:
        parts: list[Node] = []
        while (tok := self.peek()) is not None and tok != "OR":
            if tok == ")":
                if parts or self.i + 1 >= len(self.tokens):
                    break
                self.i += 1  # stray closing parenthesis
                continue
            node = self.doc_number_run() or self.parse_unary()
            if node is not None:
                parts.append(node)
        positives = [p for p in parts if not isinstance(p, Not)]
        if not positives:
            return None  # exclusions alone have nothing to search for
        plain = [p.text for p in positives if isinstance(p, (Term, Words)) and getattr(p, "field", None) is None]
        if 2 <= len(plain) <= MAX_SIDE_BY_SIDE:  # documents with the words side by side, as typed, rank first
            parts.append(Prefer(Term("".join(plain), phrase=True)))
        return parts[0] if len(parts) == 1 else And(tuple(parts))

    def doc_number_run(self) -> Node | None:
        """国办发 2019 6 typed as three tokens."""
        run = self.tokens[self.i:self.i + 3]
        if len(run) == 3 and all(t not in ("(", ")", "OR") for t in run):
            key = typed_doc_number(" ".join(run))
            if key:
                self.i += 3
                return self.counted(_doc_number(key))
        return None

    def parse_unary(self) -> Node | None:
        tok = self.peek()
        assert tok is not None  # (parse_and calls it only before the end)
        self.i += 1
        if tok == "(":
            if self.depth >= self.limits.max_depth:  # what it groups is read at this level instead
                self.cut.add("depth")
                return None
            self.depth += 1
            node = self.parse_or()
            self.depth -= 1
            if self.peek() == ")":
                self.i += 1
            return node
        if tok.startswith("-") and len(tok) > 1:   # an exclusion stays one exact string (never split)
            inner = self.counted(self.atom(tok[1:], split=False))
            return Not(inner) if inner is not None else None
        return self.counted(self.atom(tok))

    def counted(self, node: Node | None) -> Node | None:
        """`node` if the query's budget still allows it, else None (and the limit is noted); of a run of
        words, the words it allows."""
        if node is None:
            return None
        if isinstance(node, Words):
            kept = [c for c in node.children if isinstance(c, Prefer) or self.counted(c) is not None]
            return replace(node, children=tuple(kept)) if len(kept) > 1 else None
        leaves = len(node.children) if isinstance(node, Or) else 1
        single = isinstance(node, Term) and len(node.units) == 1
        lim = self.limits
        for kind, over in (("terms", self.terms + 1 > lim.max_terms),
                           ("single_chars", single and self.single_chars + 1 > lim.max_single_chars),
                           ("clauses", self.clauses + leaves > lim.max_clauses)):
            if over:
                self.cut.add(kind)
                return None
        self.terms, self.clauses = self.terms + 1, self.clauses + leaves
        self.single_chars += single
        return node

    def atom(self, tok: str, split: bool = True) -> Node | None:
        m = _FIELD.match(tok)
        if m and normalize(m.group(1)) in QUERY_FIELDS and m.group(2).strip('"').strip():
            return _field(*QUERY_FIELDS[normalize(m.group(1))], m.group(2).strip('"').strip())
        if _YEAR_RANGE.match(tok) and ".." in tok:
            return _field("year", "year", tok)
        key = typed_doc_number(tok)
        if key:
            return _doc_number(key)
        if tok.startswith('"'):
            if run_words(tok.strip('"')):
                self.quoted.add(self.i - 1)
            return _term(tok.strip('"'), True)
        if split and units(normalize(tok)) not in self.synonyms:
            words = run_words(tok)
            if words:
                self.split.add(self.i - 1)
                children = [self.with_synonyms(_term(w)) for w in self.synonym_spans(words)]
                return Words((*(c for c in children if c is not None), Prefer(Term(tok, phrase=True))), text=tok)
        return self.with_synonyms(_term(tok))

    def synonym_spans(self, words: list[str]) -> list[str]:
        """`words` with each longest run of consecutive words that the synonym table knows joined into one."""
        out, i = [], 0
        while i < len(words):
            j = next((j for j in range(len(words), i + 1, -1)
                      if units(normalize("".join(words[i:j]))) in self.synonyms), i + 1)
            out.append("".join(words[i:j]))
            i = j
        return out

    def with_synonyms(self, term: Term | None) -> Node | None:
        """A bare word also matches its synonyms, where they stand as words; a "quoted phrase" only itself."""
        if term is None or term.phrase:
            return term
        alternatives = self.synonyms.get(term.units, [])
        if not alternatives:
            return term
        return Or((term,) + tuple(Term(a, phrase=True, bounded=True) for a in alternatives))


def _term(text: str, phrase: bool = False, field: str | None = None) -> Term | None:
    term = Term(text, phrase, field)
    return term if term.units else None


def _doc_number(key: str) -> DocNumber:
    return DocNumber(key=key, text=key)


def _field(field: str, how: str, value: str) -> Node | None:
    """The node for `field:value`, matched as analyzers.fields says (`how`)."""
    if how == "text":
        return _term(value, True, field)
    if how == "docno":
        key = typed_doc_number(value)
        return _doc_number(key) if key else _term(value, True)
    if how == "agency":  # an alias or former name means its body's canonical name (国办 → 国务院办公厅)
        known = agencies.resolve(value)
        value, how = (known.name if known.level else value), "contains"
    if how in ("contains", "equals"):
        return Keyword(field, normalize(value), exact=how == "equals") if units(normalize(value)) else None
    if how == "year":
        m = _YEAR_RANGE.match(value.strip())
        if m and (m.group(1) or m.group(2)):
            lo, hi = (int(g) if g else None for g in m.groups())
            return Range("year", lo, hi)
        if re.fullmatch(r"(?:19|20)\d\d", value.strip()):
            return Range("year", int(value), int(value))
        return None
    if how == "date":
        return _date_range(value.strip())
    return None


def _date_range(value: str) -> Range | None:
    m = _DATE_RANGE.match(value)
    if not m:
        return None
    g = m.groups()
    if g[6]:  # a single date, month or year
        return Range("date", _ymd(g[6:9], start=True), _ymd(g[6:9], start=False))
    lo = _ymd(g[0:3], start=True) if g[0] else None
    hi = _ymd(g[3:6], start=False) if g[3] else None
    return Range("date", lo, hi) if lo or hi else None


def _ymd(parts: tuple[str | None, ...], start: bool) -> int | None:
    """yyyymmdd for the first (start) or last day of a year, month or date."""
    y, m, d = (int(p) if p else None for p in parts)
    if y is None:
        return None
    if m is not None and not 1 <= m <= 12:
        return None
    if m is None:
        m, d = (1, 1) if start else (12, 31)
    elif d is None:
        d = 1 if start else calendar.monthrange(y, m)[1]
    elif not 1 <= d <= calendar.monthrange(y, m)[1]:
        return None
    return y * 10000 + m * 100 + d


def cost(node: Node) -> int:
    """A rough cost of running a tree (1 per plain term; a single character or a keyword pattern, which
    scan many index terms, far more): searches above EXPENSIVE wait their turn."""
    if isinstance(node, Term):
        return 8 if len(node.units) == 1 else 1 + len(node.bigrams) // 16
    if isinstance(node, Keyword):
        return 4
    if isinstance(node, Words):   # its words read about what the run read as one phrase
        return cost(Term(node.text))
    if isinstance(node, (And, Or)):
        return sum(cost(c) for c in node.children)
    if isinstance(node, Not):
        return cost(node.child)
    if isinstance(node, (Prefer, Named, Subject)):   # ranking only: they score the matches, never add any
        return 0
    return 1


EXPENSIVE = 12


def terms(node: Node, doc_numbers: bool = True) -> list[Term]:
    """The positive text terms of a tree (what highlighting should mark)."""
    if isinstance(node, Term):
        return [node]
    if isinstance(node, DocNumber):
        return [Term(node.text)] if doc_numbers else []
    if isinstance(node, (And, Or)):
        return [t for c in node.children for t in terms(c, doc_numbers)]
    return []


def typed_terms(node: Node) -> list[Term]:
    """The text terms of a tree as the user typed them: a run of words as one term (for respelling)."""
    if isinstance(node, Words):
        return [Term(node.text)]
    if isinstance(node, Term):
        return [node]
    if isinstance(node, (And, Or)):
        return [t for c in node.children for t in typed_terms(c)]
    return []
