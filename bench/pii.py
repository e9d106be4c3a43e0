#!/usr/bin/env python3
"""Quality of the personal-information detector (analyzers.pii): precision and recall per kind on

  1. the labelled real documents of tests/data/pii/labels.tsv (e-invoices, permits, penalty disclosures …,
     extracted as ingest extracts them);
  2. generated pages: real law paragraphs with planted 身份证号, 手机号, card numbers and names in the shapes
     documents hold them (labelled rows, tables, forms, spaced and dashed), and decoys that must not be found
     (order and invoice numbers, a wrong check digit, dates, 文号, decimals, URLs, a 法定代表人's name);
  3. findings per 100 documents of the whole text corpus (laws, work reports, gov.cn pages …), none of which
     holds personal information the labels know of: every finding there is a false positive.

    python bench/pii.py [--show] [--seed N] [--pages N]     (--show prints every miss and false finding, masked)
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import os
import random
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
CORPUS = Path(os.environ.get("GONGKAI_CORPUS", REPO.parent / "shared" / "corpus"))
LABELS = REPO / "tests" / "data" / "pii" / "labels.tsv"
KINDS = ("id_card", "phone", "bank_card", "name")


def digest(value: str) -> str:
    """How the labels name a value without writing it down: sha256[:12] of it without spaces or dashes."""
    return hashlib.sha256(re.sub(r"[\s-]", "", value).encode()).hexdigest()[:12]


def labels(path: Path = LABELS) -> dict[str, Counter]:
    """file -> Counter of (kind, digest) the file holds (empty for a file read and found to hold none)."""
    out: dict[str, Counter] = defaultdict(Counter)
    with open(path, encoding="utf-8") as f:
        for row in csv.reader((line for line in f if not line.startswith("#")), delimiter="\t"):
            file, kind, _masked, dig = row[:4]
            out[file]  # noqa: B018 (a file with no span is still labelled)
            if kind != "-":
                out[file][(kind, dig)] += 1
    return out


def pages_of(path: Path) -> list[str]:
    """A corpus file's page texts as ingest extracts them (without OCR)."""
    from archive import Settings
    from ingest.pipeline import extract

    settings = Settings(data_dir=Path("/nonexistent"), ocr=False)
    return extract(path, "0" * 64, path.stat().st_size, str(path), settings=settings).extraction.pages


class Score:
    """True and false findings and misses per kind."""

    def __init__(self) -> None:
        self.tp: Counter = Counter()
        self.fp: Counter = Counter()
        self.fn: Counter = Counter()

    def add(self, expected: Counter, found: list[tuple[str, str, str]], where: str, show: bool) -> None:
        """Compare found (kind, digest, masked) with expected (kind, digest) counts."""
        left = Counter(expected)
        for kind, dig, masked in found:
            if left[(kind, dig)] > 0:
                left[(kind, dig)] -= 1
                self.tp[kind] += 1
            else:
                self.fp[kind] += 1
                if show:
                    print(f"  false {kind:9} {masked:24} {where}")
        for (kind, dig), n in left.items():
            self.fn[kind] += n
            if n and show:
                print(f"  missed {kind:9} {dig:24} {where}")

    def table(self, title: str) -> None:
        print(f"\n{title}")
        print(f"  {'kind':10} {'found':>6} {'false':>6} {'missed':>6} {'precision':>10} {'recall':>8}")
        for kind in KINDS:
            tp, fp, fn = self.tp[kind], self.fp[kind], self.fn[kind]
            p = f"{tp / (tp + fp):.3f}" if tp + fp else "-"
            r = f"{tp / (tp + fn):.3f}" if tp + fn else "-"
            print(f"  {kind:10} {tp:6} {fp:6} {fn:6} {p:>10} {r:>8}")


def found_in(text: str) -> list[tuple[str, str, str]]:
    from analyzers import pii

    return [(f.kind, digest(text[f.start:f.end]), f.masked) for f in pii.find(text)]


def real(show: bool) -> Score:
    score = Score()
    for file, expected in sorted(labels().items()):
        path = CORPUS / file
        if not path.is_file():
            print(f"  (not in the corpus: {file})")
            continue
        found = [x for page in pages_of(path) for x in found_in(page)]
        score.add(expected, found, file, show)
    return score


# -- generated pages ------------------------------------------------------------------------------------

_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰文辉建国志红海燕鹏飞宇浩然欣怡子涵梓萱晨阳俊杰"
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董"


def gen_id(rng: random.Random, valid: bool = True) -> str:
    from analyzers.pii import id_check_digit

    body = (f"{rng.choice([11, 13, 32, 33, 44, 51, 61, 65])}{rng.randint(0, 9999):04d}"
            f"{rng.randint(1940, 2005)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}")
    check = id_check_digit(body)
    if not valid:
        check = rng.choice([c for c in "0123456789X" if c != check])
    return body + check


def gen_id15(rng: random.Random) -> str:
    return (f"{rng.choice([11, 32, 44])}{rng.randint(0, 9999):04d}{rng.randint(40, 99)}{rng.randint(1, 12):02d}"
            f"{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}")


def gen_phone(rng: random.Random) -> str:
    digits = f"1{rng.choice('3456789')}{rng.randint(0, 999_999_999):09d}"
    fmt = rng.choice(["plain", "space", "dash", "plus"])
    return {"plain": digits, "space": f"{digits[:3]} {digits[3:7]} {digits[7:]}",
            "dash": f"{digits[:3]}-{digits[3:7]}-{digits[7:]}", "plus": digits}[fmt]


def gen_card(rng: random.Random, length: int | None = None, prefix: str = "62") -> str:
    from analyzers.pii import luhn

    length = length or rng.choice([16, 17, 18, 19])
    body = prefix + "".join(str(rng.randint(0, 9)) for _ in range(length - len(prefix) - 1))
    return next(body + d for d in "0123456789" if luhn(body + d))


def gen_name(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(rng.choice([1, 2, 2])))


def planted(rng: random.Random) -> tuple[str, list[tuple[str, str]]]:
    """One structure holding personal information: (text, [(kind, value)])."""
    name, pid, phone, card = gen_name(rng), gen_id(rng), gen_phone(rng), gen_card(rng)
    grouped = " ".join(card[i:i + 4] for i in range(0, len(card), 4))
    shapes = [
        (f"姓名：{name}，身份证号：{pid}，联系电话：{phone}。", [("name", name), ("id_card", pid), ("phone", phone)]),
        (f"序号\t姓名\t身份证号码\t联系电话\n1\t{name}\t{pid}\t{phone}\n",
         [("name", name), ("id_card", pid), ("phone", phone)]),
        (f"购买方名称：{name} 纳税人识别号：{pid}\n", [("name", name), ("id_card", pid)]),
        (f"当事人：{name}（公民身份号码：{pid}）。", [("name", name), ("id_card", pid)]),
        (f"{name}，男，身份证号{pid}，住本市某区。", [("name", name), ("id_card", pid)]),
        (f"收款账号：{grouped}  开户行：中国农业银行某支行\n", [("bank_card", grouped)]),
        (f"补贴资金请汇入本人银行卡{card}。", [("bank_card", card)]),
        (f"联系人：{name} 手机 {phone}\n", [("name", name), ("phone", phone)]),
        (f"旧身份证号码：{gen_id15(rng)}\n", [("id_card", "")]),
        (f"户名\t{name}\n卡号\t{card}\n", [("name", name), ("bank_card", card)]),
        (f"举报电话：{phone}（工作日受理）", [("phone", phone)]),
    ]
    text, spans = rng.choice(shapes)
    if spans == [("id_card", "")]:
        spans = [("id_card", text.split("：")[1].strip())]
    return text, spans


def decoy(rng: random.Random) -> str:
    """A structure that holds no personal information but numbers or names that look like it."""
    return rng.choice([
        f"订单号：{gen_card(rng, 19)}", f"发票号码： {rng.randint(10**18, 10**19 - 1)}",
        f"身份证号：{gen_id(rng, valid=False)}", f"成文日期：{rng.randint(2000, 2025)}0708",
        f"国发〔{rng.randint(1990, 2025)}〕{rng.randint(1, 99)}号", f"合计 {rng.randint(1, 99999)}.{rng.randint(10**9, 10**11)}",
        f"https://www.gov.cn/zhengce/{rng.randint(2019, 2025)}/{gen_phone(rng).replace(' ', '').replace('-', '')}/",
        f"法定代表人：{gen_name(rng)}，统一社会信用代码：91110108MA0{rng.randint(10**6, 10**7 - 1)}X",
        f"当事人名称\t{gen_name(rng)}（时任某银行支行行长）\n主要违法违规行为\t贷款管理不审慎",
        f"项目代码：2018-{rng.randint(100000, 999999)}-70-01-{rng.randint(100000, 999999)}",
        f"流水号{gen_card(rng, 18, '2')}", f"邮编 100010 电话 010-{rng.randint(10**7, 10**8 - 1)}",
        f"面积 {rng.randint(1, 9)}.{rng.randint(10**10, 10**11 - 1)} 公顷",
    ])


def paragraphs(n: int, rng: random.Random) -> list[str]:
    """Real law paragraphs to plant into (the structures then sit in ordinary text)."""
    files = sorted((CORPUS / "lawrefbook-laws").rglob("*.md"))
    rng.shuffle(files)
    out: list[str] = []
    for f in files:
        out += [p for p in f.read_text(encoding="utf-8").split("\n") if len(p) > 40]
        if len(out) > n * 3:
            break
    return out


def generated(pages: int, seed: int, show: bool) -> Score:
    rng = random.Random(seed)
    pool = paragraphs(pages, rng)
    score = Score()
    for n in range(pages):
        parts, expected = [], Counter()
        for _ in range(rng.randint(2, 5)):
            parts.append(rng.choice(pool))
            if rng.random() < 0.5:
                text, spans = planted(rng)
                parts.append(text)
                expected.update((k, digest(v)) for k, v in spans)
            else:
                parts.append(decoy(rng))
        text = "\n".join(parts)
        score.add(expected, found_in(text), f"generated page {n}", show)
    return score


def corpus_rate(show: bool) -> tuple[int, int, Counter, float, int]:
    """(documents, findings, findings per kind, seconds, characters) over the text corpus."""
    files = [*sorted((CORPUS / "lawrefbook-laws").rglob("*.md")), *sorted((CORPUS / "wikisource-gov-work-reports").rglob("*.txt")),
             *sorted((CORPUS / "nfra-penalty-disclosures" / "txt").glob("*.txt")), *sorted((CORPUS / "seed-workplans").glob("*.txt"))]
    texts = [f.read_text(encoding="utf-8") for f in files]
    extracted = [CORPUS / "govcn-2019-zhouynf" / "html" / p.name for p in sorted((CORPUS / "govcn-2019-zhouynf" / "html").glob("*.html"))]
    extracted += sorted((CORPUS / "provincial-work-reports-2025" / "docx").glob("*.docx"))
    texts += ["\n".join(pages_of(p)) for p in extracted]
    from analyzers import pii

    kinds: Counter = Counter()
    started = time.perf_counter()
    for name, text in zip([*files, *extracted], texts):
        for f in pii.find(text):
            kinds[f.kind] += 1
            if show:
                print(f"  corpus {f.kind:9} {f.masked:24} {name.relative_to(CORPUS)}")
    seconds = time.perf_counter() - started
    return len(texts), sum(kinds.values()), kinds, seconds, sum(map(len, texts))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--show", action="store_true", help="print every miss and false finding (masked)")
    ap.add_argument("--seed", type=int, default=17)
    ap.add_argument("--pages", type=int, default=2000, help="generated pages")
    args = ap.parse_args()
    if not CORPUS.is_dir():
        sys.exit(f"corpus not found at {CORPUS} (set GONGKAI_CORPUS)")
    real(args.show).table(f"real documents, labelled ({LABELS.relative_to(REPO)}: {len(labels())} files)")
    generated(args.pages, args.seed, args.show).table(
        f"generated: {args.pages} pages of law text with planted structures and decoys (seed {args.seed})")
    docs, findings, kinds, seconds, chars = corpus_rate(args.show)
    print(f"\nwhole text corpus: {docs} documents, {findings} findings = {100 * findings / docs:.2f} per 100 documents"
          f" ({dict(kinds) or 'none'}); {chars / 1e6:.1f} M characters in {seconds:.1f} s"
          f" ({1e6 * seconds / max(chars, 1):.2f} µs per character)")


if __name__ == "__main__":
    main()
