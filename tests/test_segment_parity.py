"""The fast segmenter (rjieba) cuts real corpus text exactly like the reference (jieba, HMM off)."""
import pytest

from analyzers import segment
from analyzers.normalize import normalize
from tests.conftest import require


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


@pytest.mark.parametrize("word", ["国务院办公厅", "人民政府办公室", "政务公开"])
def test_domain_dictionary_is_loaded_into_both(word):
    text = f"关于{word}的通知"
    assert word in segment.words(text) and word in segment.reference_words(text)
