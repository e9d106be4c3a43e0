"""Normalization, segmentation, query parsing and highlighting (pure functions)."""
from markupsafe import Markup

from analyzers.highlight import find_spans, mark, snippet
from analyzers.normalize import normalize
from analyzers.query import (
    And,
    DocNumber,
    Keyword,
    MatchAll,
    MatchNone,
    Named,
    Not,
    Or,
    Prefer,
    Range,
    Subject,
    Term,
    Words,
    parse,
    terms,
)
from analyzers.segment import bigrams, units, words


def test_normalize_keeps_length_and_folds_compat_forms():
    text = "ＡＢＣ１２３\uf967　國務院〔2019〕"
    out = normalize(text)
    assert len(out) == len(text)
    assert out.startswith("abc123不 ")  # full-width → ASCII, U+F967 → 不, ideographic space
    assert normalize("㈠½") == "㈠½"  # multi-character NFKC forms are left alone


def test_traditional_matches_simplified():
    assert normalize("國務院辦公廳關於政務公開") == normalize("国务院办公厅关于政务公开")
    assert normalize("國務院") != "國務院"  # display keeps the original; only matching folds
    spans = find_spans("本市政務公開工作", [units(normalize("政务公开"))])
    assert spans == [(2, 6)]


def test_units_skip_punctuation_and_line_breaks():
    assert units(normalize("征地\n补偿，PM2.5")) == "征地补偿pm25"
    assert bigrams("征地补偿") == ["征地", "地补", "补偿"]


def test_words_use_domain_dictionary():
    w = words(normalize("关于规范三公经费和征地补偿的通知"))
    assert "三公经费" in w and "征地补偿" in w and "通知" in w
    assert "，" not in w


def test_parse_shapes():
    assert parse("") == MatchAll()
    assert parse("   ") == MatchAll()
    named = Prefer(Named("征地补偿"))   # a plain query also prefers the documents its text names
    assert parse("征地补偿") == And((Term("征地补偿"), named))
    assert parse("征地 补偿") == And((Term("征地"), Term("补偿"), Prefer(Term("征地补偿", phrase=True)),
                                      Prefer(Subject(("征地", "补偿"))), named))   # and titles holding both
    assert parse("征地补偿标准") == And((Words((Term("征地补偿"), Term("标准"), Prefer(Term("征地补偿标准", phrase=True))),
                                               text="征地补偿标准"), Prefer(Subject(("征地补偿", "标准"))),
                                         Prefer(Named("征地补偿标准"))))
    assert parse("上海市 统计条例").children[-1] == Prefer(Named("统计", national=False))   # a place: local first
    assert parse('"关于 印发"') == Term("关于 印发", phrase=True)
    assert parse("国办发〔2019〕6号") == DocNumber("国办发〔2019〕6号", "国办发〔2019〕6号")
    assert parse("a OR b") == Or((Term("a"), Term("b")))
    assert parse("经济 -农业") == And((Term("经济"), Not(Term("农业"))))
    assert parse("标题:政务公开") == Term("政务公开", phrase=True, field="title")


def test_a_term_knows_when_it_is_one_word():
    """Side-by-side ranking looks such terms up in the words fields instead of matching bigram phrases."""
    assert Term("环境保护").word == "环境保护"
    assert Term("環境保護").word == "环境保护"  # normalized, like the index
    assert Term("人民法院审理").word is None  # two words: matched verbatim


def test_parse_never_raises_on_junk():
    nodes = (Term, And, Or, Not, Prefer, MatchAll, MatchNone, DocNumber, Keyword, Range)
    expected = {'"unbalanced': Term("unbalanced", phrase=True), "((": MatchNone(), ")) OR OR": MatchNone(),
                "OR": MatchNone(), '"""': MatchNone(), "\x00\x1f": MatchAll()}
    for junk in ['"unbalanced', "((", ")) OR OR", "！！！", "-只排除", "\x00\x1f", "OR", '"""', "x" * 20000]:
        tree = parse(junk)
        assert isinstance(tree, nodes), junk
        assert all(t.units for t in terms(tree)), junk  # nothing unsearchable reaches an engine
        if junk in expected:
            assert tree == expected[junk], junk
    assert parse("！！！") == MatchNone()
    assert parse("-只排除") == MatchNone()
    assert len(parse("x" * 20000, max_chars=500).text) == 500


def test_terms_lists_positive_terms_only():
    assert [t.text for t in terms(parse("(征地 OR 拆迁) 补偿 -农业"))] == ["征地", "拆迁", "补偿"]


def test_highlight_escapes_before_marking():
    text = "<script>alert(1)</script>征地\n补偿"
    spans = find_spans(text, ["征地补偿"])
    assert spans == [(25, 30)]  # the match crosses the line break, as in the index
    html = mark(text, spans)
    assert isinstance(html, Markup)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<mark>征地\n补偿</mark>" in html


def test_snippet_centres_on_hits_and_never_splits_marks():
    text = "前言。" * 200 + "这里规定了三公经费的公开要求。" + "后记。" * 200
    s, at = snippet(text, ["三公经费"], width=60)
    assert text[at:at + 4] == "三公经费"
    assert "<mark>三公经费</mark>" in s
    assert s.startswith("…") and s.endswith("…")
    assert s.count("<mark>") == s.count("</mark>")


def test_mark_in_a_window_keeps_every_span_inside_it():
    """Regression guard: marking a window must not skip spans (it starts from a bisected span)."""
    text = "征地" + "。" * 10 + "征地" + "。" * 10 + "征地"
    spans = find_spans(text, ["征地"])
    assert mark(text, spans).count("<mark>") == 3
    assert mark(text, spans, 1, 20).count("<mark>") == 2  # the first is cut to 地, the second whole
    assert mark(text, spans, 0, 5) == "<mark>征地</mark>。。。"
