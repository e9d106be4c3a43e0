"""Review before publishing: a file uploaded through the web as 主动公开 waits out of public sight (stored as
依申请公开, the restricted path every public route already filters) until a staff member publishes it, keeps
it 依申请公开 or withholds it; its personal information is listed masked. A `gongkai ingest` run publishes at
once unless review_ingest says otherwise."""
from __future__ import annotations

import hashlib
import io
import time
from urllib.parse import quote

import pytest
from staff_support import add_users, csrf, staff_client
from test_canary import Walker

from archive import Archive, Settings
from ingest.pipeline import ingest
from web import create_app

ID, PHONE = "11010519491231002X", "13812345678"
FILLER = "渔民 补贴 资金 按照 标准 发放 接受 社会 监督。" * 12  # (long enough for the text hash: copies are compared)
UPLOAD = (f"关于鹬蚌湾渔民补贴发放的公示\n\n示例市海洋局\n\n姓名：张三丰，身份证号：{ID}，联系电话：138-1234-5678。\n"
          f"鹬蚌湾 渔民 补贴 资金 海域。{FILLER}")
TITLE, NAME = "关于鹬蚌湾渔民补贴发放的公示", "鹬蚌湾补贴公示.txt"
SHA = hashlib.sha256(UPLOAD.encode()).hexdigest()
DOC_ID = SHA[:16]
# Strings no anonymous answer may hold while the upload waits (the ID and phone never, in any form).
SECRETS = [(s, s) for s in (DOC_ID, SHA, SHA[:20], TITLE, NAME, "鹬蚌湾渔民", "张三丰", ID, PHONE, "1234-5678")]


def upload(client, text: str = UPLOAD, name: str = NAME, disclosure: str = "主动公开") -> str:
    """Upload one file through the staff form and wait for its run; the job's URL."""
    page = client.get("/staff/ingest").get_data(as_text=True)
    resp = client.post("/staff/ingest", data={"csrf_token": csrf(page), "disclosure": disclosure,
                                               "files": [(io.BytesIO(text.encode()), name)]},
                       content_type="multipart/form-data")
    assert resp.status_code == 303, resp.get_data(as_text=True)[:300]
    job = resp.headers["Location"]
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if client.get(job + "/progress.json").get_json()["done"]:
            return job
        time.sleep(0.2)
    pytest.fail("the upload's run did not finish")


def decide(client, **form) -> str:
    """Post the review form (a row's button or a bulk decision); the page it leads to."""
    page = client.get("/staff/review").get_data(as_text=True)
    resp = client.post("/staff/review", data={"csrf_token": csrf(page), **form})
    assert resp.status_code == 303
    return client.get(resp.headers["Location"]).get_data(as_text=True)


def anonymous_walk(app, twin, public: list[dict]) -> Walker:
    """Every public route an upload could leak through, compared with the twin that never held it."""
    walker = Walker(app, twin, SECRETS)
    for q in ["", "鹬蚌湾", "渔民 补贴", "补贴", "海域", "资金", "张三丰", ID, PHONE, "标题:鹬蚌湾", "机关:示例市海洋局"]:
        walker.search({"q": q})
        walker.search({"q": q, "sort": "date"}, ["/search", "/api/search", "/feed"])
    walker.search({"q": "", "format": "xlsx"}, ["/export"])
    for url in ["/", "/?lang=en", "/feed", "/subscribe", f"/doc/{DOC_ID}", f"/api/documents/{DOC_ID}",
                f"/api/documents/{DOC_ID}/related", f"/doc/{DOC_ID}/original/{SHA}",
                f"/api/documents/{DOC_ID}/originals/{SHA}", f"/doc/{public[0]['id']}/original/{SHA}"]:
        walker.get(url)
    for d in public:
        walker.get(f"/doc/{d['id']}")
        walker.get(f"/api/documents/{d['id']}/related")
    return walker


def test_a_web_upload_is_invisible_to_the_public_until_released(review_site):
    app, archive, twin, public = review_site
    editor, anon = staff_client(app, "editor"), app.test_client()
    job = upload(editor)
    assert "待审核" in editor.get(job).get_data(as_text=True)       # the uploader is told
    doc = archive.catalog.document(DOC_ID)
    assert doc["disclosure"] == "依申请公开" and archive.catalog.review(DOC_ID)["intended"] == "主动公开"
    assert archive.indexes["public"].present([DOC_ID]) == set()      # never in the public index, not for a moment
    anonymous_walk(app, twin, public)                                # every answer equals the twin's

    # Staff see it, in search and on the review page, with its personal information masked.
    assert [h["id"] for h in editor.get("/api/search?q=鹬蚌湾").get_json()["hits"]] == [DOC_ID]
    page = editor.get("/staff/review").get_data(as_text=True)
    assert TITLE in page and "110***********002X" in page and "138****5678" in page and "张**" in page
    assert ID not in page and PHONE not in page and "138-1234-5678" not in page
    assert "含个人信息" in page and "身份证号 1" in page
    assert "1 个上传的文件等待发布" in editor.get("/staff/").get_data(as_text=True)
    edit = editor.get(f"/staff/doc/{DOC_ID}/edit").get_data(as_text=True)
    assert "正在等待审核" in edit and "110***********002X" in edit

    # Released: the public finds it everywhere, and the decision is audited.
    page = decide(editor, decide=f"publish:{DOC_ID}")
    assert "已发布 1 个文件" in page and "没有等待审核的文件" in page
    assert anon.get(f"/doc/{DOC_ID}").status_code == 200
    assert [h["id"] for h in anon.get("/api/search?q=鹬蚌湾").get_json()["hits"]] == [DOC_ID]
    assert TITLE in anon.get("/feed").get_data(as_text=True) and TITLE in anon.get("/").get_data(as_text=True)
    assert TITLE in anon.get("/export?q=鹬蚌湾").get_data(as_text=True)
    assert archive.indexes["public"].present([DOC_ID]) == {DOC_ID}
    entry = archive.audit.entries(action="review")[0]
    assert entry["actor"] == "editor" and entry["doc_id"] == DOC_ID
    assert entry["detail"]["decision"] == "主动公开" and entry["detail"]["pii"] == {"id_card": 1, "phone": 1, "name": 1}
    assert ID not in str(archive.audit.entries()) and PHONE not in str(archive.audit.entries())
    assert archive.audit.entries(action="disclosure")[0]["detail"]["new"] == "主动公开"
    assert archive.catalog.count_pending_reviews() == 0


def test_a_cli_ingest_publishes_at_once_unless_review_ingest_says_otherwise(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / NAME).write_text(UPLOAD, encoding="utf-8")
    a = Archive(Settings(data_dir=tmp_path / "a"))
    try:
        summary = ingest(a, [src])
        assert summary.ingested == 1 and summary.held == 0
        assert a.catalog.document(DOC_ID)["disclosure"] == "主动公开" and a.catalog.review(DOC_ID) is None
        assert a.indexes["public"].present([DOC_ID]) == {DOC_ID}
        assert a.catalog.pii([DOC_ID])[DOC_ID]["identifiers"] == 2   # read at ingest all the same
    finally:
        a.close()
    b = Archive(Settings(data_dir=tmp_path / "b", review_ingest=True))
    try:
        assert ingest(b, [src]).held == 1
        assert b.catalog.document(DOC_ID)["disclosure"] == "依申请公开" and b.catalog.review(DOC_ID)
        assert b.indexes["public"].present([DOC_ID]) == set()
        c = ingest(b, [src], disclosure="依申请公开", review=False)  # the same bytes again: skipped, nothing changes
        assert c.skipped == 1 and b.catalog.review(DOC_ID)
    finally:
        b.close()


def test_web_uploads_publish_at_once_when_review_uploads_is_off(tmp_path):
    a = Archive(Settings(data_dir=tmp_path / "d", review_uploads=False))
    add_users(a)
    app = create_app(archive=a, config={"SECRET_KEY": "r"})
    try:
        upload(staff_client(app, "editor"))
        assert app.test_client().get(f"/doc/{DOC_ID}").status_code == 200 and a.catalog.review(DOC_ID) is None
    finally:
        a.close()


def test_decisions_one_by_one_and_in_bulk(review_site):
    app, archive, _, _ = review_site
    editor, anon = staff_client(app, "editor"), app.test_client()
    texts = [UPLOAD.replace("鹬蚌湾", f"第{i}号渔港") for i in range(4)]
    for i, text in enumerate(texts):
        upload(editor, text, f"公示{i}.txt")
    ids = [hashlib.sha256(t.encode()).hexdigest()[:16] for t in texts]
    assert archive.catalog.count_pending_reviews() == 4

    page = decide(editor, decide=f"withhold:{ids[0]}")          # 不予公开 needs its legal reason
    assert "不予公开须注明法定理由" in page and archive.catalog.review(ids[0])
    decide(editor, decide=f"withhold:{ids[0]}", disclosure_reason="涉及个人隐私（第十五条）")
    doc = archive.catalog.document(ids[0])
    assert doc["disclosure"] == "不予公开" and doc["extra"]["disclosure_reason"] == "涉及个人隐私（第十五条）"
    decide(editor, decide=f"on_request:{ids[1]}")
    assert archive.catalog.document(ids[1])["disclosure"] == "依申请公开" and archive.catalog.review(ids[1]) is None
    page = decide(editor, bulk="publish", doc=ids[2:])
    assert "已发布 2 个文件" in page and archive.catalog.count_pending_reviews() == 0
    assert {h["id"] for h in anon.get("/api/search?q=渔港&limit=10").get_json()["hits"]} == set(ids[2:])
    decisions = [e["detail"]["decision"] for e in archive.audit.entries(action="review")]
    assert sorted(decisions) == ["不予公开", "主动公开", "主动公开", "依申请公开"]
    # A decided document is no longer pending: deciding again is refused, nothing changes.
    page = decide(editor, decide=f"withhold:{ids[2]}", disclosure_reason="x")
    assert "不在待审核之列" in page and archive.catalog.document(ids[2])["disclosure"] == "主动公开"


def test_the_review_page_is_for_editors_with_a_csrf_token(review_site):
    app, _, _, _ = review_site
    assert app.test_client().get("/staff/review").status_code == 302            # to the sign-in page
    assert staff_client(app, "viewer").get("/staff/review").status_code == 403
    editor = staff_client(app, "editor")
    upload(editor)
    assert editor.post("/staff/review", data={"decide": f"publish:{DOC_ID}"}).status_code == 400  # no token
    assert app.extensions["gongkai"].catalog.review(DOC_ID)


def test_an_upload_asking_for_less_than_public_is_not_queued(review_site):
    app, archive, _, _ = review_site
    upload(staff_client(app, "editor"), disclosure="依申请公开")
    assert archive.catalog.document(DOC_ID)["disclosure"] == "依申请公开" and archive.catalog.review(DOC_ID) is None


def test_a_restricted_copy_never_joins_a_waiting_upload(review_site, tmp_path):
    """Regression guard: a `gongkai ingest` file of the same text as a waiting upload, stored 依申请公开, would
    have been merged into it and published with it."""
    app, archive, _, _ = review_site
    upload(staff_client(app, "editor"))
    copy = tmp_path / "copy" / "副本.txt"
    copy.parent.mkdir()
    copy.write_text(UPLOAD + "\n", encoding="utf-8")                 # other bytes, the same text
    summary = ingest(archive, [copy.parent], disclosure="依申请公开")
    assert summary.ingested == 1 and summary.merged == 0


def test_personal_information_is_a_reason_on_the_attention_list(review_site, tmp_path):
    app, archive, _, _ = review_site
    src = tmp_path / "cli"
    src.mkdir()
    (src / NAME).write_text(UPLOAD.replace("示例市海洋局", "示例市人民政府") + "\n成文日期：2024年7月8日",
                            encoding="utf-8")
    ingest(archive, [src])
    editor = staff_client(app, "editor")
    page = editor.get("/staff/attention").get_data(as_text=True)
    assert "含个人信息：身份证号 1、手机号 1、姓名 1" in page
    assert "含个人信息" in editor.get("/staff/attention?format=csv").get_data(as_text=True)
    assert ID not in page


def test_documents_stored_before_the_detector_are_read_by_a_reindex(tmp_path):
    a = Archive(Settings(data_dir=tmp_path / "old"))
    try:
        a.catalog.add_document("ab" * 8, {"title": "旧文件"}, [f"联系人：李四 手机 {PHONE}"],
                               {"sha256": "ab" * 32, "filename": "x.txt", "source": "x", "mime": "text/plain",
                                "size": 1, "extractor": "text"}, [])
        assert a.catalog.pii(["ab" * 8]) == {}
        a.reindex()
        stored = a.catalog.pii(["ab" * 8])["ab" * 8]
        assert stored["identifiers"] == 1 and [f["masked"] for f in stored["findings"]] == ["李*", "138****5678"]
    finally:
        a.close()


def test_uploads_under_the_data_directory_count_as_web_uploads(tmp_path):
    from archive.review import held

    a = Archive(Settings(data_dir=tmp_path / "h"))
    try:
        up = a.settings.data_dir / "uploads" / "abc" / "0" / "x.txt"
        assert held(a, [up], "主动公开") and not held(a, [up], "依申请公开")
        assert not held(a, [tmp_path / "elsewhere.txt"], "主动公开")
        assert not held(a, [up, tmp_path / "elsewhere.txt"], "主动公开")      # a mixed run is a CLI run
        assert held(a, [tmp_path / "x"], "主动公开", review=True) and not held(a, [up], "主动公开", review=False)
    finally:
        a.close()


def test_staff_lists_show_masked_numbers_only(review_site):
    """The review page, the attention list and its export show findings masked (the text itself is on the
    document page, for staff)."""
    app, _, _, _ = review_site
    editor = staff_client(app, "editor")
    upload(editor)
    for url in ["/staff/review", "/staff/attention", "/staff/attention?format=csv", "/staff/"]:
        body = editor.get(url).get_data(as_text=True)
        assert ID not in body and quote(ID) not in body and PHONE not in body, url


def test_the_job_page_says_the_upload_waits_and_who_uploaded_it(tmp_path):
    """The page of a finished web upload says its files wait for review and links the queue; the review
    row names the uploader."""
    import io

    from staff_support import add_users, staff_client

    from archive import Archive, Settings
    from web import create_app

    a = Archive(Settings(data_dir=tmp_path / "data"))
    add_users(a)
    app = create_app(archive=a)
    editor = staff_client(app, "editor")
    page = editor.get("/staff/ingest").get_data(as_text=True)
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    resp = editor.post("/staff/ingest", data={"csrf_token": token, "disclosure": "主动公开",
                                              "files": [(io.BytesIO("关于渔港建设的通知\n\n渔港建设资金安排。".encode()),
                                                         "渔港.txt")]}, content_type="multipart/form-data")
    job = resp.headers["Location"]
    import time
    deadline = time.monotonic() + 60
    while not (p := editor.get(job + "/progress.json").get_json())["done"] and time.monotonic() < deadline:
        time.sleep(0.1)
    assert p["state"] == "finished" and p["held"] == 1
    html = editor.get(job).get_data(as_text=True)
    assert "上传的文件在发布前等待审核" in html and "待审核（1 件）" in html
    (doc,) = [f["doc_id"] for f in a.catalog.run_files(p["run_id"], "ingested")]
    assert a.catalog.review(doc)["actor"] == "editor"
    a.close()


def test_a_decision_from_the_edit_form_settles_the_review(tmp_path):
    """Regression guard: an upload an editor withheld from its edit form stayed in 待审核, where one click
    published it; one published there came back to the queue when restricted later."""
    from archive import Archive, Settings
    from archive.editing import edit_document

    a = Archive(Settings(data_dir=tmp_path / "data"))
    a.catalog.add_document("a" * 16, {"title": "关于渔港的通知"}, ["关于渔港的通知"],
                           {"sha256": "a" * 64, "filename": "x.txt", "source": "t", "mime": "text/plain", "size": 1,
                            "extractor": "text"}, [], "依申请公开", review=("主动公开", "editor", 0))
    assert a.catalog.review("a" * 16)["actor"] == "editor"   # stored with its review row, in one transaction
    edit_document(a, "a" * 16, {"disclosure": "不予公开", "disclosure_reason": "涉及个人隐私"}, "editor2")
    assert a.catalog.review("a" * 16) is None
    edit_document(a, "a" * 16, {"disclosure": "依申请公开"}, "editor2")
    assert a.catalog.review("a" * 16) is None   # not back in the queue
    a.close()


def test_numbers_are_never_shown_whole_to_staff(tmp_path):
    """Full-width numbers are found; the edit page's preview and the text around a finding hide every long
    number, also one the detector does not take for personal information."""
    from analyzers import pii

    text = "身份证号：１１０１０５１９９００３０７００１７，手机：１３８１２３４５６７８"
    assert [f.kind for f in pii.find(text)] == ["id_card", "phone"]
    bank = "收款账号：中国工商银行股份有限公司北京市某某区某某支行营业部某某分理处12345678901234567890 手机13912345678"
    for f in pii.find(bank):
        before, _, after = pii.context(bank, f.start, f.end - f.start, f.masked)
        assert "1234567890" not in before + after
    assert "11010519491231002" not in pii.hide_numbers("身份证 11010519491231002X 电话 138-1234-5678")
