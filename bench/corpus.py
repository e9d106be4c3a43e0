"""Bulk documents for benchmarks, built from the real corpus (../shared/corpus).

The 3,475 laws and regulations are cut into parts of about `chunk` characters at paragraph
breaks; each part becomes one document (title + "（第k部分）", region as agency, level as
type, publication year). The 40 gov.cn pages and 72 work reports are added whole.
"""
from __future__ import annotations

import csv
import hashlib
import os
from pathlib import Path

CORPUS = Path(os.environ.get("GONGKAI_CORPUS", Path(__file__).resolve().parents[2] / "shared" / "corpus"))


def law_parts(n: int, chunk: int = 2500) -> list[dict]:
    """Up to `n` catalog-ready documents cut from the laws corpus."""
    rows = list(csv.DictReader(open(CORPUS / "lawrefbook-laws" / "manifest.csv", encoding="utf-8")))
    docs: list[dict] = []
    for row in rows:
        text = (CORPUS / "lawrefbook-laws" / row["path"]).read_text(encoding="utf-8")
        parts, current = [], ""
        for para in text.split("\n"):
            current += para + "\n"
            if len(current) >= chunk:
                parts.append(current)
                current = ""
        if current.strip():
            parts.append(current)
        for k, part in enumerate(parts, 1):
            sha = hashlib.sha256(f"{row['path']}#{k}".encode() + part.encode()).hexdigest()
            docs.append({
                "id": sha[:16],
                "metadata": {"title": f"{row['title']}（第{k}部分）" if len(parts) > 1 else row["title"],
                             "agency": row["region"] or "全国", "doc_type": row["level"],
                             "written_date": row["publish"][:10]},
                "pages": [part],
                "original": {"sha256": sha, "filename": Path(row["path"]).name, "source": row["path"],
                             "mime": "text/markdown", "size": len(part.encode()), "extractor": "bench"},
                "disclosure": "主动公开",
            })
            if len(docs) >= n:
                return docs
    return docs


def fill_catalog(archive, docs: list[dict]) -> None:
    """Put documents into an archive's catalog (not the index)."""
    for d in docs:
        archive.catalog.add_document(d["id"], d["metadata"], d["pages"], d["original"], [], d["disclosure"])


def index_analysed(archive, analysed) -> list[tuple[str, str]]:
    """Build an archive's two indexes from already analysed documents (as a rebuild would, without the
    analysis, which benchmarks time on its own); (id, error) of the first index with any."""
    results = []
    applied = archive.catalog.last_change()
    for name, index in archive.indexes.items():
        gen = index.new_generation()
        bulk_writer = gen.open_bulk()
        for doc in analysed:
            if (name == "public") == (doc.disclosure == "主动公开"):
                bulk_writer.add(doc)
        written = bulk_writer.close(applied)
        index.publish(gen)
        results = results or written
    return results


def bulk(n: int, seed: int = 7) -> list[dict]:
    """`n` documents: every law part (see law_parts), then recombinations of real paragraphs.

    A recombined document joins 2–6 consecutive paragraphs from each of three random laws,
    keeping the vocabulary and phrase statistics of real texts; its metadata is that of the
    first law with the year shifted, so facets keep a realistic spread.
    """
    import random

    rng = random.Random(seed)
    docs = law_parts(n, chunk=1500)
    paragraphs = [d["pages"][0].split("\n") for d in docs]
    k = 0
    while len(docs) < n:
        k += 1
        sources = [rng.randrange(len(paragraphs)) for _ in range(3)]
        text = ""
        for src in sources:
            paras = [p for p in paragraphs[src] if p.strip()] or [""]
            start = rng.randrange(len(paras))
            text += "\n".join(paras[start:start + rng.randint(2, 6)]) + "\n"
        base = docs[sources[0]]
        meta = dict(base["metadata"])
        if meta["written_date"][:4].isdigit():
            meta["written_date"] = f"{int(meta['written_date'][:4]) - rng.randint(0, 9)}{meta['written_date'][4:]}"
        meta["title"] = f"{meta['title']}（汇编{k}）"
        sha = hashlib.sha256(f"bulk#{k}".encode() + text.encode()).hexdigest()
        docs.append({**base, "id": sha[:16], "metadata": meta, "pages": [text],
                     "original": {**base["original"], "sha256": sha, "size": len(text.encode())}})
    return docs
