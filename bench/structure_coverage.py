"""Structure of the corpus laws (analyzers.structure): how many get an outline, articles found against the
article lines of their Markdown, headings by kind, citations of their own articles linked.

    python bench/structure_coverage.py [--show 10]

Each law of ../shared/corpus/lawrefbook-laws is rendered as ingest reads it (ingest.extractors.text.markdown_text)
and outlined. "Article lines" are the lines of the Markdown source that begin with 第X条 and a space: the
articles found should be exactly as many.
"""
from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LAWS = ROOT.parent / "shared" / "corpus" / "lawrefbook-laws"
ARTICLE_LINE = re.compile(r"^(?:\*\*)?第[零〇一二两三四五六七八九十百千0-9]+条(?:之[一二三四五六七八九十]+)?(?:\*\*)?[ \u3000]", re.M)


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from analyzers.structure import outline, references, runs
    from ingest.extractors.text import markdown_text

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--show", type=int, default=10, help="laws whose article count differs, to print")
    args = ap.parse_args()
    files = sorted(LAWS.rglob("*.md"))
    outlined = with_articles = articles = lines = cited = two_runs = 0
    kinds: Counter[str] = Counter()
    differ = []
    for f in files:
        source = f.read_text(encoding="utf-8")
        text = markdown_text(source)[0]
        sections = outline(text)
        found = sum(not s.heading for s in sections)
        expected = len(ARTICLE_LINE.findall(source))
        heads = [s for s in sections if s.heading]
        kinds.update(s.kind for s in heads)
        outlined += len(heads) >= 2
        with_articles += found >= 2
        articles += found
        lines += expected
        cited += len(references(text, sections))
        two_runs += bool(found) and max(runs(sections)) > 0
        if found != expected:
            differ.append((str(f.relative_to(LAWS)), expected, found))
    print(f"laws {len(files)}: with an outline (2+ 编/章/节 headings) {outlined} ({outlined / len(files):.1%}), "
          f"with 2+ articles {with_articles} ({with_articles / len(files):.1%})")
    print(f"articles found {articles}, article lines in the Markdown {lines}; laws where they differ {len(differ)}")
    print(f"headings by kind {dict(kinds)}; citations of own articles linked {cited}; "
          f"laws holding a second run of articles {two_runs}")
    for path, expected, found in differ[:args.show]:
        print(f"  {path}: {expected} article lines, {found} articles found")


if __name__ == "__main__":
    main()
