"""The fast segmenter (rjieba) cuts real corpus text exactly like the reference (jieba, HMM off)."""
import pytest
from conftest import require

from analyzers import segment
from analyzers.normalize import _table, normalize


def _texts(corpus):
    laws = sorted((corpus / "lawrefbook-laws").rglob("*.md"))[::60]
    reports = sorted((corpus / "wikisource-gov-work-reports" / "txt").glob("*.txt"))[::6]
    notices = sorted((corpus / "nfra-penalty-disclosures" / "txt").glob("*.txt"))
    seeds = list((corpus / "seed-workplans").glob("*.txt"))
    return [p.read_text(encoding="utf-8") for p in laws + reports + notices + seeds]


def test_rjieba_tokens_equal_jieba_tokens_on_the_corpus(corpus):
    require(segment._fast() is not None, "rjieba not installed (pip install rjieba)")
    texts = [normalize(t) for t in _texts(corpus)]
    assert sum(map(len, texts)) > 500_000  # characters
    for text in texts:
        assert segment.words(text) == segment.reference_words(text)
    for text in texts[::4]:  # the plain cut that scores queries
        assert segment._fast().cut(text, False) == segment._tokenizer().lcut(text, HMM=False)


@pytest.mark.parametrize("word", ["国务院办公厅", "人民政府办公室", "政务公开"])
def test_domain_dictionary_is_loaded_into_both(word):
    text = f"关于{word}的通知"
    assert word in segment.words(text) and word in segment.reference_words(text)


def test_index_strings_hold_exactly_the_tokens(corpus):
    """word_text/bigram_text (what indexes store) split into exactly words()/bigrams(), on real text and edge cases."""
    edge = ["", "a", "国", " \r\n\t\x1c\u2028 ", "_x x_ 5G PM2.5 a-b ..国务院", "x" * 70 + " 国务院"]
    for text in [normalize(t) for t in _texts(corpus)] + edge:
        assert segment.word_text(text).split() == segment.words(text)
        seq = segment.sequence(text)
        assert segment.bigram_text(seq) == " ".join(segment.bigrams(seq))
    assert segment.bigram_text("\ud800国家") == "\ud800国 国家"  # a lone surrogate (broken PDF text) survives


def test_long_and_short_texts_normalize_alike(corpus):
    """The array path for long texts (≥ 256 characters) maps every character as the short path does."""
    text = "".join(_texts(corpus)[:5]) + "".join(map(chr, range(0x2F800, 0x2FA20))) + "\ud800ＡＢ國"
    assert len(text) > 256
    assert normalize(text) == text.translate(_table())
