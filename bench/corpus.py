"""Bulk documents for benchmarks, built from the real corpus (../shared/corpus).

The 3,475 laws and regulations are cut into parts of about `chunk` characters at paragraph
breaks; each part becomes one document (title + "（第k部分）", region as agency, level as
type, publication year). The 40 gov.cn pages and 72 work reports are added whole.
"""
from __future__ import annotations

import csv
import hashlib
import itertools
import os
import time
from collections import deque
from collections.abc import Iterable, Iterator
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


def fill_catalog(archive, docs: list[dict], references: bool = True) -> None:
    """Put documents into an archive's catalog (not the index); without reading their `references` to other
    documents if told (searches do not use them, and resolving them costs time that grows with the archive
    when many documents share a title, as the recombined ones do)."""
    catalog = archive.catalog
    if not references:
        catalog._store_references = lambda *args, **kw: None
    try:
        for d in docs:
            catalog.add_document(d["id"], d["metadata"], d["pages"], d["original"], [], d["disclosure"])
    finally:
        catalog.__dict__.pop("_store_references", None)


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
    """`n` documents as a list (see stream)."""
    return list(stream(n, seed))


def stream(n: int, seed: int = 7) -> Iterator[dict]:
    """`n` documents, made one at a time: every law part (see law_parts), then recombinations of real
    paragraphs. Memory is bounded by the corpus, not by `n`.

    A recombined document joins 2–6 consecutive paragraphs from each of three random laws,
    keeping the vocabulary and phrase statistics of real texts; its metadata is that of the
    first law with the year shifted, so facets keep a realistic spread.
    """
    import random

    rng = random.Random(seed)
    docs = law_parts(n, chunk=1500)
    yield from docs
    paragraphs = [[p for p in d["pages"][0].split("\n") if p.strip()] or [""] for d in docs]
    for k in range(1, n - len(docs) + 1):
        sources = [rng.randrange(len(paragraphs)) for _ in range(3)]
        text = ""
        for src in sources:
            paras = paragraphs[src]
            start = rng.randrange(len(paras))
            text += "\n".join(paras[start:start + rng.randint(2, 6)]) + "\n"
        base = docs[sources[0]]
        meta = dict(base["metadata"])
        if meta["written_date"][:4].isdigit():
            meta["written_date"] = f"{int(meta['written_date'][:4]) - rng.randint(0, 9)}{meta['written_date'][4:]}"
        meta["title"] = f"{meta['title']}（汇编{k}）"
        sha = hashlib.sha256(f"bulk#{k}".encode() + text.encode()).hexdigest()
        yield {**base, "id": sha[:16], "metadata": meta, "pages": [text],
               "original": {**base["original"], "sha256": sha, "size": len(text.encode())}}


def _analyse(docs: list[dict]) -> list:
    from archive.index import IndexDoc

    return [IndexDoc.from_catalog(d) for d in docs]


def build_streaming(archive, docs: Iterable[dict], batch: int = 2000, workers: int = 2) -> dict[str, float]:
    """Fill an archive's catalog (without references: see fill_catalog) and both indexes from `docs` in
    batches of `batch` (catalog rows read back as a rebuild reads them, analysed in `workers` processes, at
    most two batches a worker in flight), so memory stays bounded whatever the number of documents; seconds
    spent per step and documents written."""
    from concurrent.futures import ProcessPoolExecutor

    spent = {"catalog": 0.0, "analysis wait": 0.0, "index": 0.0, "docs": 0}
    applied_before = archive.catalog.last_change()
    gens = {name: index.new_generation() for name, index in archive.indexes.items()}
    writers = {name: gen.open_bulk() for name, gen in gens.items()}
    inflight: deque = deque()

    def drain(keep: int) -> None:
        while len(inflight) > keep:
            t = time.perf_counter()
            analysed = inflight.popleft().result()
            spent["analysis wait"] += time.perf_counter() - t
            t = time.perf_counter()
            for doc in analysed:
                writers["public" if doc.disclosure == "主动公开" else "restricted"].add(doc)
            spent["index"] += time.perf_counter() - t

    with ProcessPoolExecutor(workers) as pool:
        it = iter(docs)
        while chunk := list(itertools.islice(it, batch)):
            t = time.perf_counter()
            fill_catalog(archive, chunk, references=False)
            ids = [d["id"] for d in chunk]
            rows, texts = archive.catalog.documents(ids), archive.catalog.texts(ids)
            spent["catalog"] += time.perf_counter() - t
            spent["docs"] += len(chunk)
            inflight.append(pool.submit(_analyse, [{**rows[i], "pages": texts[i]} for i in ids]))
            del chunk, rows, texts
            drain(2 * workers)
        drain(0)
    t = time.perf_counter()
    applied = max(applied_before, archive.catalog.last_change())
    for name, index in archive.indexes.items():
        writers[name].close(applied)
        index.publish(gens[name])
    spent["index"] += time.perf_counter() - t
    return spent
