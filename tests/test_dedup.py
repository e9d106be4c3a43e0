"""Same text, different files: one document with several originals, shown once in search."""
from archive import Search
from archive.blobs import sha256_file
from ingest.pipeline import ingest


def test_html_notice_and_its_text_copy_are_one_document(archive, corpus, tmp_path):
    page = corpus / "govcn-2019-zhouynf" / "html" / "001_content_5365945.html"
    first = ingest(archive, [page])
    doc_id = archive.catalog.doc_for_sha(sha256_file(page))
    # A plain-text copy as someone saved it: same words, other line breaks, full-width digits.
    text = "\n\n".join(archive.catalog.pages(doc_id)).replace("\n", "\r\n  ").replace("2019", "２０１９")
    copy = tmp_path / "国务院办公厅通知-文本版.txt"
    copy.write_text(text, encoding="gb18030")

    second = ingest(archive, [copy])
    assert (first.ingested, second.ingested, second.merged) == (1, 0, 1)
    assert archive.catalog.count_documents() == 1
    doc = archive.catalog.document(doc_id)
    assert [o["mime"] for o in doc["originals"]] == ["text/html", "text/plain"]
    assert doc["originals"][1]["source"] == str(copy.resolve())
    assert archive.blobs.has(sha256_file(copy))
    row = archive.catalog.run_files(second.run_id)[0]
    assert (row["status"], row["doc_id"]) == ("merged", doc_id)
    hits = archive.search(Search(q="双随机", limit=10))
    assert hits["total"] == 1 and hits["hits"][0]["id"] == doc_id
    assert archive.searcher.staff.count() == archive.indexes["public"].count() == 1
    # a rerun skips both by their bytes
    third = ingest(archive, [page, copy])
    assert (third.skipped, third.merged, third.ingested) == (2, 0, 0)


def test_short_texts_never_merge(archive, tmp_path):
    short = "示例市人民政府关于调整办公时间的通知：自即日起，夏季作息时间调整为上午八点半。"
    for name in ("a.txt", "b.md"):
        (tmp_path / name).write_text(short + ("\n" if name == "b.md" else ""), encoding="utf-8")
    summary = ingest(archive, [tmp_path / "a.txt", tmp_path / "b.md"])
    assert (summary.ingested, summary.merged) == (2, 0)
    assert archive.catalog.count_documents() == 2


def test_different_texts_do_not_merge(archive, corpus):
    files = sorted((corpus / "govcn-2019-zhouynf" / "html").glob("*.html"))
    summary = ingest(archive, files)
    assert (summary.ingested, summary.merged) == (40, 0)


def test_copies_never_merge_across_disclosure(archive, corpus, tmp_path):
    """Regression guard: a restricted copy must not become a downloadable original of a public document."""
    page = corpus / "govcn-2019-zhouynf" / "html" / "002_content_5365711.html"
    ingest(archive, [page])
    doc_id = archive.catalog.doc_for_sha(sha256_file(page))
    copy = tmp_path / "内部.txt"
    copy.write_text("\n".join(archive.catalog.pages(doc_id)), encoding="utf-8")
    summary = ingest(archive, [copy], disclosure="不予公开")
    assert (summary.ingested, summary.merged) == (1, 0)
    assert len(archive.catalog.document(doc_id)["originals"]) == 1


BODY = ("各区人民政府，市政府各委、办、局：\n" + "为进一步做好政务公开工作，现就有关事项通知如下。" * 12
        + "\n示例市人民政府办公室\n2024年3月8日\n")


def _page(path, title):
    path.write_text(f'<html><head><meta name="ArticleTitle" content="{title}"></head><body><div>'
                    + "".join(f"<p>{line}</p>" for line in BODY.splitlines()) + "</div></body></html>",
                    encoding="utf-8")
    return path


def test_same_text_with_another_title_is_kept_apart(archive, tmp_path):
    """Two pages whose extracted bodies are the same but which are titled as different decisions are two
    documents, with a warning, never one (a page that only yields shared text must not swallow another)."""
    a = _page(tmp_path / "a.html", "示例市人民政府办公室关于做好2024年政务公开工作的通知")
    b = _page(tmp_path / "b.html", "示例市人民政府办公室关于印发示例市政务服务事项清单的通知")
    summary = ingest(archive, [a, b])
    assert (summary.ingested, summary.merged) == (2, 0)
    ids = [archive.catalog.doc_for_sha(sha256_file(p)) for p in (a, b)]
    warned = [(i, w) for i in ids for w in archive.catalog.document(i)["warnings"] if "same text as document" in w]
    assert len(warned) == 1     # on whichever of the two was stored second, naming the other
    (mine, warning), = warned
    other = next(i for i in ids if i != mine)
    assert f"same text as document {other} but another 标题: kept as a document of its own" in warning
    assert [(d, why) for _, d, why in summary.flagged] == [(mine, warning)]    # said in the run's summary
    assert [f["reason"] for f in archive.catalog.run_files(summary.run_id) if f["doc_id"] == mine] == [warning]
    # the same title (a copy of the same page, other bytes) still merges
    c = tmp_path / "c.html"
    c.write_text(a.read_text(encoding="utf-8") + "\n<!-- saved again -->", encoding="utf-8")
    assert ingest(archive, [c]).merged == 1


def test_a_navigation_only_page_is_kept_flagged_and_never_merged(archive, tmp_path):
    """Two saved pages of a site whose article is loaded by script: only the menu is in the files. Both are
    kept (nothing is lost), flagged low quality in the run, and not merged although their texts are equal."""
    menu = "".join(f'<li><a href="/{i}">{name}</a></li>' for i, name in enumerate(
        ["首页", "政务公开", "政策文件", "政策解读", "政务服务", "互动交流", "走进示例", "领导信息", "机构职能",
         "规划计划", "财政信息", "人事信息", "统计数据", "应急管理", "重点领域", "建议提案办理", "依申请公开",
         "政府信息公开指南", "政府信息公开制度", "政府信息公开年报", "法定主动公开内容", "网站地图", "联系我们"] * 3))
    pages = []
    for name, title in (("a.html", "示例市关于甲事项的决定"), ("b.html", "示例市关于乙事项的决定")):
        pages.append(tmp_path / name)
        pages[-1].write_text(f"<html><head><title>{title}</title></head><body><app-root><nav><ul>{menu}</ul></nav>"
                             "</app-root></body></html>", encoding="utf-8")
    summary = ingest(archive, pages)
    assert (summary.ingested, summary.merged) == (2, 0)
    assert len(summary.flagged) == 2 and all("low quality" in why for _, _, why in summary.flagged)
