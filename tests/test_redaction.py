"""Publishing with personal information redacted: the text everyone is shown and every index holds keeps only the
masked form; the text as it was and the original files (which still hold the numbers) stay for staff; undoing
puts the text back. Also while the index lags behind and after a process dies between redacting and publishing."""
from __future__ import annotations

import pytest
from staff_support import csrf, staff_client
from test_review import DOC_ID, ID, NAME, PHONE, SHA, TITLE, UPLOAD, decide, upload

from archive import Archive, Search, Settings
from archive.review import decide as decide_review
from archive.review import redact, unredact
from ingest.pipeline import ingest

# What no anonymous answer may hold once the upload is published redacted (its title and id are public now).
HIDDEN = (ID, PHONE, "1234-5678", "张三丰", SHA, NAME)
MASKED = "110***********002X"


def public_urls(q_words: tuple[str, ...] = ("鹬蚌湾", "补贴", "张三丰", ID, PHONE)) -> list[str]:
    """Every anonymous route the redacted document's text, numbers or originals could leak through."""
    urls = ["/", "/feed", f"/doc/{DOC_ID}", f"/doc/{DOC_ID}?q=张三丰", f"/doc/{DOC_ID}?view=image",
            f"/api/documents/{DOC_ID}", f"/api/documents/{DOC_ID}/related", f"/api/documents/{DOC_ID}/relations",
            f"/doc/{DOC_ID}/original/{SHA}", f"/api/documents/{DOC_ID}/originals/{SHA}",
            f"/doc/{DOC_ID}/original/{SHA}/page", f"/doc/{DOC_ID}/original/{SHA}/page?width=200"]
    for q in q_words:
        urls += [f"/search?q={q}", f"/api/search?q={q}", f"/feed?q={q}", f"/export?q={q}", f"/export?q={q}&format=xlsx"]
    return urls


def assert_nothing_leaks(client) -> None:
    for url in public_urls():
        resp = client.get(url)
        body = resp.get_data()
        for secret in HIDDEN:
            if secret not in url:   # (a page may repeat what was asked)
                assert secret.encode() not in body, (url, secret)


def ids(result: dict) -> list[str]:
    return [h["id"] for h in result["hits"]]


def test_publishing_redacted_shows_and_indexes_only_the_masked_text(review_site):
    app, archive, _, _ = review_site
    editor, anon = staff_client(app, "editor"), app.test_client()
    upload(editor)
    review = editor.get("/staff/review").get_data(as_text=True)
    assert f'value="publish_redacted:{DOC_ID}"' in review
    page = decide(editor, decide=f"publish_redacted:{DOC_ID}")
    assert "已遮蔽个人信息后发布 1 个文件" in page and "没有等待审核的文件" in page

    # The public reads and finds the document, masked, and cannot get its originals.
    doc = anon.get(f"/doc/{DOC_ID}").get_data(as_text=True)
    assert TITLE in doc and MASKED in doc and "138****5678" in doc and "原件含个人信息" in doc
    assert anon.get(f"/doc/{DOC_ID}/original/{SHA}").status_code == 404
    api = anon.get(f"/api/documents/{DOC_ID}").get_json()
    assert api["redacted"] is True and api["originals"] == []
    assert [h["id"] for h in anon.get("/api/search?q=鹬蚌湾").get_json()["hits"]] == [DOC_ID]
    for q in (ID, PHONE, "张三丰", "13812345678"):
        assert anon.get(f"/api/search?q={q}").get_json()["hits"] == [], q
    assert_nothing_leaks(anon)
    assert archive.indexes["public"].present([DOC_ID]) == {DOC_ID}
    assert archive.catalog.pii([DOC_ID])[DOC_ID]["identifiers"] == 0      # the text shown holds none now

    # Staff keep the original and are told what was done; the audit log holds counts, never a value.
    staff_doc = editor.get(f"/doc/{DOC_ID}").get_data(as_text=True)
    assert "公开的文字已遮蔽 3 处个人信息" in staff_doc and f"/doc/{DOC_ID}/original/{SHA}" in staff_doc
    original = editor.get(f"/doc/{DOC_ID}/original/{SHA}")
    assert original.status_code == 200 and ID.encode() in original.get_data()
    assert editor.get(f"/api/documents/{DOC_ID}").get_json()["originals"][0]["sha256"] == SHA
    entry = archive.audit.entries(action="review")[0]
    assert entry["detail"]["redacted"] == 3 and entry["detail"]["pii"] == {"id_card": 1, "phone": 1, "name": 1}
    assert archive.audit.entries(action="redact")[0]["detail"]["spans"] == 3
    assert ID not in str(archive.audit.entries()) and PHONE not in str(archive.audit.entries())
    log = staff_client(app, "admin").get("/staff/audit").get_data(as_text=True)
    assert "遮蔽个人信息" in log and "已遮蔽 3 处" in log


def test_undoing_a_redaction_puts_the_text_and_the_originals_back(review_site):
    app, archive, _, _ = review_site
    editor, anon = staff_client(app, "editor"), app.test_client()
    upload(editor)
    decide(editor, decide=f"publish_redacted:{DOC_ID}")
    edit = editor.get(f"/staff/doc/{DOC_ID}/edit").get_data(as_text=True)
    assert 'id="redaction"' in edit and "撤销遮蔽" in edit
    resp = editor.post(f"/staff/doc/{DOC_ID}/redact", data={"csrf_token": csrf(edit), "undo": "1"})
    assert resp.status_code == 303
    assert "已撤销遮蔽" in editor.get(resp.headers["Location"]).get_data(as_text=True)
    assert archive.catalog.redaction(DOC_ID) is None and ID in archive.catalog.pages(DOC_ID)[0]
    assert ID in anon.get(f"/doc/{DOC_ID}").get_data(as_text=True)
    assert anon.get(f"/doc/{DOC_ID}/original/{SHA}").status_code == 200
    assert ids(anon.get(f"/api/search?q={ID}").get_json()) == [DOC_ID]
    assert archive.audit.entries(action="unredact")[0]["doc_id"] == DOC_ID

    # Redacted again from the edit page (a document already public): the same masked text as before.
    edit = editor.get(f"/staff/doc/{DOC_ID}/edit").get_data(as_text=True)
    assert "遮蔽这些个人信息" in edit
    resp = editor.post(f"/staff/doc/{DOC_ID}/redact", data={"csrf_token": csrf(edit)})
    assert "已遮蔽 3 处个人信息" in editor.get(resp.headers["Location"]).get_data(as_text=True)
    assert_nothing_leaks(anon)


def test_the_redact_route_is_for_editors_with_a_csrf_token(review_site):
    app, archive, _, _ = review_site
    editor = staff_client(app, "editor")
    upload(editor)
    viewer = staff_client(app, "viewer")
    token = csrf(viewer.get("/staff/").get_data(as_text=True))
    assert viewer.post(f"/staff/doc/{DOC_ID}/redact", data={"csrf_token": token}).status_code == 403
    assert editor.post(f"/staff/doc/{DOC_ID}/redact", data={}).status_code == 400     # no CSRF token
    assert app.test_client().post(f"/staff/doc/{DOC_ID}/redact", data={}).status_code == 400
    assert editor.post("/staff/doc/0000000000000000/redact",
                       data={"csrf_token": csrf(editor.get("/staff/").get_data(as_text=True))}).status_code == 404
    assert archive.catalog.redaction(DOC_ID) is None


def _public_archive(tmp_path, **settings) -> Archive:
    """An archive holding the upload published as it is (a CLI ingest publishes at once)."""
    src = tmp_path / "in"
    src.mkdir(exist_ok=True)
    (src / NAME).write_text(UPLOAD, encoding="utf-8")
    a = Archive(Settings(data_dir=tmp_path / "a", **settings))
    assert ingest(a, [src]).ingested == 1
    return a


def test_a_public_document_redacted_is_kept_out_of_public_searches_until_the_index_holds_the_new_text(tmp_path):
    """The catalog's text changes at once; the index follows later (here: not applied at all at first). Meanwhile
    no public search may find the document by the number still in the index, nor list it with its old text."""
    a = _public_archive(tmp_path)
    try:
        assert ids(a.search(Search(q=ID))) == [DOC_ID]
        pages = a.catalog.pages(DOC_ID)
        a.catalog.redact_pages(DOC_ID, [p.replace(ID, MASKED) for p in pages], 1, "editor")  # index not told yet
        assert ids(a.search(Search(q=ID))) == [] and ids(a.search(Search(q="鹬蚌湾"))) == []
        assert a.search(Search(q="鹬蚌湾"))["total"] == 0
        a.sync.catch_up()
        assert ids(a.search(Search(q="鹬蚌湾"))) == [DOC_ID] and ids(a.search(Search(q=ID))) == []
        assert ids(a.search(Search(q=MASKED[:3] + "*"))) in ([], [DOC_ID])   # (a query, not a leak)
    finally:
        a.close()


def test_a_redacted_public_document_leaves_its_old_text_in_no_public_statistics(tmp_path):
    """Rewriting a document leaves its old copy in the index's term statistics until a purge: after a redaction
    that copy holds the numbers, so the public index is marked for a purge and catch-up purges it."""
    a = _public_archive(tmp_path)
    try:
        pages = a.catalog.pages(DOC_ID)
        a.catalog.redact_pages(DOC_ID, [p.replace(ID, MASKED) for p in pages], 1, "editor")
        assert not a.sync.apply().error and a.indexes["public"].state().purge
        assert a.sync.catch_up().purged and not a.indexes["public"].state().purge
        assert ids(a.search(Search(q="鹬蚌湾"))) == [DOC_ID] and ids(a.search(Search(q=ID))) == []
    finally:
        a.close()


def test_a_process_dying_between_redacting_and_publishing_leaves_the_upload_out_of_sight(tmp_path):
    """decide() redacts first, then publishes: killed in between, the upload is redacted and still waits. Decided
    again, nothing more is masked and the text kept for staff is still the true original."""
    a = Archive(Settings(data_dir=tmp_path / "a", review_ingest=True))
    src = tmp_path / "in"
    src.mkdir()
    (src / NAME).write_text(UPLOAD, encoding="utf-8")
    try:
        assert ingest(a, [src]).held == 1
        assert redact(a, DOC_ID, "editor") == 3            # ... and the process dies here
    finally:
        a.close()
    b = Archive(Settings(data_dir=tmp_path / "a"))
    try:
        assert b.catalog.document(DOC_ID)["disclosure"] == "依申请公开" and b.catalog.review(DOC_ID)
        assert b.indexes["public"].present([DOC_ID]) == set()
        decide_review(b, DOC_ID, "publish_redacted", "editor")
        assert b.catalog.redaction(DOC_ID)["spans"] == 3 and ids(b.search(Search(q=ID))) == []
        assert ids(b.search(Search(q="鹬蚌湾"))) == [DOC_ID]
        assert unredact(b, DOC_ID, "editor") and ID in b.catalog.pages(DOC_ID)[0]   # the true original came back
    finally:
        b.close()


def test_a_redacted_document_stays_redacted_through_reindex_and_a_second_ingest(tmp_path):
    a = _public_archive(tmp_path)
    try:
        assert redact(a, DOC_ID, "editor") == 3
        a.reindex()
        assert ids(a.search(Search(q=ID))) == [] and ids(a.search(Search(q="鹬蚌湾"))) == [DOC_ID]
        assert ingest(a, [tmp_path / "in"]).skipped == 1           # the same file again: nothing changes
        assert a.catalog.redaction(DOC_ID) and ID not in "".join(a.catalog.pages(DOC_ID))
        assert a.document(DOC_ID)["originals"] == [] and a.document(DOC_ID)["originals_withheld"] == 1
    finally:
        a.close()


@pytest.mark.parametrize("text", ["关于渔港的通知\n\n渔港 管理 资金。"])
def test_redacting_a_document_without_personal_information_changes_nothing(tmp_path, text):
    a = Archive(Settings(data_dir=tmp_path / "a"))
    try:
        a.catalog.add_document("b" * 16, {"title": "关于渔港的通知"}, [text],
                               {"sha256": "b" * 64, "filename": "x.txt", "source": "t", "mime": "text/plain",
                                "size": 1, "extractor": "text"}, [])
        assert redact(a, "b" * 16, "editor") == 0 and a.catalog.redaction("b" * 16) is None
        assert a.catalog.pages("b" * 16) == [text] and not unredact(a, "b" * 16, "editor")
    finally:
        a.close()


def test_a_redaction_covers_the_title_and_the_other_metadata_and_undo_restores_them(tmp_path):
    """Regression guard: only the page texts were redacted; a title made from the file name
    (张三丰_<ID>_补贴申请) and a 抄送 line holding a phone number kept the numbers, and a public search for the ID
    still found the document through its title."""
    a = Archive(Settings(data_dir=tmp_path / "a"))
    title = f"张三丰_{ID}_补贴申请"
    try:
        a.catalog.add_document("c" * 16, {"title": title, "copied_to": f"张三丰（联系电话：{PHONE}）"},
                               ["渔民 补贴 申请。"], {"sha256": "c" * 64, "filename": f"{title}.txt", "source": "t",
                                                    "mime": "text/plain", "size": 1, "extractor": "text"}, [])
        a.sync.catch_up()
        assert ids(a.search(Search(q=ID))) == ["c" * 16]
        assert redact(a, "c" * 16, "editor") == 2
        doc = a.document("c" * 16)
        assert ID not in doc["title"] and MASKED in doc["title"]
        assert PHONE not in str(doc) and "138****5678" in doc["extra"]["copied_to"]
        assert ids(a.search(Search(q=ID))) == [] and ids(a.search(Search(q="补贴"))) == ["c" * 16]
        assert unredact(a, "c" * 16, "editor")
        doc = a.document("c" * 16)
        assert doc["title"] == title and PHONE in doc["extra"]["copied_to"]
    finally:
        a.close()


def test_a_redacted_document_an_index_failed_to_rewrite_stays_out_of_public_searches(tmp_path):
    """Regression guard: Elasticsearch may refuse one document's write (429 after retries) while the watermark
    moves on; the index then kept the unredacted version, searchable by the number, for good."""
    a = _public_archive(tmp_path)
    try:
        assert redact(a, DOC_ID, "editor") == 3
        version = a.catalog.document(DOC_ID)["version"]
        a.catalog.set_index_state([(DOC_ID, "write refused (simulated)", version)])   # as sync records a failure
        assert ids(a.search(Search(q="鹬蚌湾"))) == []
        a.catalog.record_changes([DOC_ID])
        a.sync.catch_up()                                                            # written at last
        assert ids(a.search(Search(q="鹬蚌湾"))) == [DOC_ID] and ids(a.search(Search(q=ID))) == []
    finally:
        a.close()
