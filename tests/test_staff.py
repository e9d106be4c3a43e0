"""Staff side: sign-in, sessions and cookies, throttling, staff-aware search and documents, editing,
audit log, user management; every state change made through the real forms with CSRF tokens."""
from __future__ import annotations

import os
import re
import stat
from urllib.parse import quote

import pytest
from canary_corpus import documents, load
from staff_support import PASSWORD, add_users, csrf, login, staff_client, token

from web import create_app


@pytest.fixture
def site(tmp_path, archive):
    """(app, public docs, restricted docs) over a fresh archive with one account per role."""
    public, restricted = documents(tmp_path / "files")
    load(archive, public + restricted)
    add_users(archive)
    return create_app(archive=archive), public, restricted


def cookie(resp) -> str:
    return next(v for k, v in resp.headers.items() if k == "Set-Cookie" and v.startswith("gongkai_session="))


def test_sign_in_sets_a_hardened_session_cookie_and_sign_out_ends_it(site):
    app, _, _ = site
    client = app.test_client()
    assert "Set-Cookie" not in client.get("/").headers           # the public site sets no cookie
    resp = login(client, "viewer")
    assert resp.status_code == 302 and resp.headers["Location"] == "/staff/"
    flags = cookie(resp)
    assert "HttpOnly" in flags and "SameSite=Lax" in flags and "Secure" not in flags
    assert "correct horse" not in flags
    home = client.get("/staff/").get_data(as_text=True)
    assert "工作台" in home and "viewer" in home and 'action="/staff/logout"' in home
    resp = client.post("/staff/logout", data={"csrf_token": csrf(home)})
    assert resp.status_code == 302
    assert client.get("/staff/").status_code == 302               # signed out
    actions = [e["action"] for e in app.extensions["gongkai"].audit.entries()]
    assert actions[:2] == ["logout", "login"]


def test_cookie_is_secure_over_https_or_when_configured(site, archive):
    app, _, _ = site
    https = app.test_client()
    resp = https.post("/staff/login", base_url="https://localhost", headers={"Referer": "https://localhost/staff/login"},
                      data={"username": "viewer", "password": PASSWORD,
                            "csrf_token": csrf(https.get("/staff/login", base_url="https://localhost").get_data(as_text=True))})
    assert resp.status_code == 302 and "Secure" in cookie(resp)
    forced = create_app(archive=archive, config={"SESSION_COOKIE_SECURE": True}).test_client()
    assert "Secure" in cookie(login(forced, "viewer"))


def test_secret_key_is_made_once_with_mode_0600_unless_configured(archive, monkeypatch):
    first = create_app(archive=archive)
    path = archive.settings.data_dir / "secret_key"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert create_app(archive=archive).config["SECRET_KEY"] == first.config["SECRET_KEY"]
    assert len(first.config["SECRET_KEY"]) >= 64
    monkeypatch.setenv("GONGKAI_SECRET_KEY", "from-the-environment")
    assert create_app(archive=archive).config["SECRET_KEY"] == "from-the-environment"
    assert create_app(archive=archive, config={"SECRET_KEY": "given"}).config["SECRET_KEY"] == "given"


def test_wrong_passwords_are_refused_then_throttled_with_a_clear_message(site):
    app, _, _ = site
    client = app.test_client()
    resp = login(client, "editor", "wrong password!")
    assert resp.status_code == 401 and "用户名或密码不正确" in resp.get_data(as_text=True)
    for _ in range(10):
        resp = login(client, "editor", "wrong password!")
    resp = login(client, "editor")  # the right password, but too many failures
    assert resp.status_code == 429 and "登录失败次数过多" in resp.get_data(as_text=True)
    assert client.get("/staff/").status_code == 302
    assert login(app.test_client(), "viewer").status_code == 302  # other accounts are unaffected
    log = app.extensions["gongkai"].audit.entries(action="login_failed")
    assert log and log[0]["actor"] == "editor" and log[0]["detail"]["client"] == "127.0.0.1"


def test_login_never_redirects_off_site(site):
    app, _, _ = site
    for target, expected in [("//evil.example/x", "/staff/"), ("https://evil.example/", "/staff/"),
                             ("/\\evil.example", "/staff/"), ("/search?q=资金", "/search?q=%E8%B5%84%E9%87%91")]:
        client = app.test_client()
        page = client.get("/staff/login?next=" + quote(target)).get_data(as_text=True)
        resp = client.post("/staff/login", data={"username": "viewer", "password": PASSWORD,
                                                 "next": target, "csrf_token": csrf(page)})
        assert resp.status_code == 302 and resp.headers["Location"] == expected, target


def test_anonymous_staff_page_redirects_to_login_and_back(site):
    app, _, _ = site
    client = app.test_client()
    resp = client.get("/staff/ingest")
    assert resp.status_code == 302 and resp.headers["Location"] == "/staff/login?next=/staff/ingest"
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    resp = client.post("/staff/login", data={"username": "editor", "password": PASSWORD,
                                             "next": "/staff/ingest", "csrf_token": csrf(page)})
    assert resp.headers["Location"] == "/staff/ingest"


def test_sessions_follow_the_account_disable_password_and_role(site):
    app, _, _ = site
    accounts = app.extensions["gongkai"].accounts
    viewer = staff_client(app, "viewer")
    assert viewer.get("/staff/ingest").status_code == 403
    accounts.set_role("viewer", "editor")
    assert viewer.get("/staff/ingest").status_code == 302        # a new role ends old sessions
    promoted = staff_client(app, "viewer")
    assert promoted.get("/staff/ingest").status_code == 200      # signed in again: the new role
    accounts.set_password("viewer", "another long password")
    assert promoted.get("/staff/").status_code == 302             # a new password ends old sessions
    editor = staff_client(app, "editor")
    accounts.set_role("editor", "editor", disabled=True)
    assert editor.get("/staff/").status_code == 302               # disabled: signed out
    assert login(app.test_client(), "editor").status_code == 401


def test_logout_revokes_a_saved_copy_of_the_cookie(site):
    """Regression guard: a cookie saved before logout read restricted documents for 8 hours."""
    app, _, restricted = site
    client = staff_client(app, "admin")
    saved = client.get_cookie("gongkai_session").value
    assert client.get(f"/doc/{restricted[1]['id']}").status_code == 200
    client.post("/staff/logout", data={"csrf_token": token(client)})
    replay = app.test_client()
    replay.set_cookie("gongkai_session", saved)
    assert replay.get(f"/doc/{restricted[1]['id']}").status_code == 404
    assert replay.get("/staff/").status_code == 302
    assert staff_client(app, "admin").get(f"/doc/{restricted[1]['id']}").status_code == 200  # a new sign-in works


def test_staff_see_restricted_documents_marked_with_a_disclosure_facet(site):
    app, public, restricted = site
    anon, viewer = app.test_client(), staff_client(app, "viewer")
    r = viewer.get("/api/search?q=资金&limit=50").get_json()
    marks = {h["id"]: h["disclosure"] for h in r["hits"]}
    assert marks[restricted[0]["id"]] == "依申请公开" and marks[restricted[1]["id"]] == "不予公开"
    assert {b["value"] for b in r["facets"]["disclosure"]} >= {"依申请公开", "不予公开"}
    only = viewer.get("/api/search?disclosure=不予公开").get_json()
    assert [h["id"] for h in only["hits"]] == [restricted[1]["id"]]
    html = viewer.get("/search?q=资金").get_data(as_text=True)
    assert 'class="badge on-request">依申请公开<' in html and 'class="badge refused">不予公开<' in html
    assert 'aria-labelledby="facet-disclosure"' in html and "公开属性" in html
    assert "不予公开" not in anon.get("/search?q=资金").get_data(as_text=True)
    assert "disclosure" not in anon.get("/api/search?q=资金").get_json()["facets"]
    page = viewer.get(f"/doc/{restricted[1]['id']}").get_data(as_text=True)
    assert "不予公开" in page and "涉及国家秘密（canary-reason）" in page and "记入审计日志" in page
    assert "/edit\"" not in page and "/prior\"" in page            # a viewer cannot edit; may look back
    doc = viewer.get(f"/api/documents/{restricted[1]['id']}").get_json()
    assert doc["disclosure"] == "不予公开" and doc["disclosure_reason"]
    assert "disclosure" not in anon.get(f"/api/documents/{public[0]['id']}").get_json()


def test_viewing_and_downloading_restricted_documents_is_audited(site):
    app, public, restricted = site
    viewer = staff_client(app, "viewer")
    d = restricted[0]
    viewer.get(f"/doc/{d['id']}")
    viewer.get(f"/api/documents/{d['id']}/related")
    assert viewer.get(f"/doc/{d['id']}/original/{d['original']['sha256']}").status_code == 200
    viewer.get(f"/doc/{public[0]['id']}")                            # public documents are not logged
    log = app.extensions["gongkai"].audit.entries()
    seen = [(e["action"], e["doc_id"], e["actor"]) for e in log if e["action"] in ("view", "download")]
    assert seen == [("download", d["id"], "viewer"), ("view", d["id"], "viewer"), ("view", d["id"], "viewer")]
    assert log[0]["detail"]["sha256"] == d["original"]["sha256"]


def test_staff_answers_are_never_cached_by_shared_caches(site):
    app, public, restricted = site
    viewer, anon = staff_client(app, "viewer"), app.test_client()
    for url in ["/", "/search?q=资金", "/api/search?q=资金", "/feed", f"/doc/{restricted[0]['id']}",
                f"/api/documents/{restricted[0]['id']}/originals/{restricted[0]['original']['sha256']}", "/staff/"]:
        resp = viewer.get(url)
        assert resp.headers["Cache-Control"] == "private, no-store", url
        assert "Cookie" in resp.headers["Vary"], url
    assert anon.get("/feed").headers["Cache-Control"].startswith("public")
    assert "Cookie" in anon.get("/feed").headers["Vary"]
    assert "Cookie" in anon.get(f"/doc/{public[0]['id']}/original/{public[0]['original']['sha256']}").headers["Vary"]


def test_editor_edits_metadata_disclosure_and_validity(site):
    app, public, _ = site
    editor, anon = staff_client(app, "editor"), app.test_client()
    d = public[0]
    url = f"/staff/doc/{d['id']}/edit"
    form = editor.get(url).get_data(as_text=True)
    assert 'value="关于海域围填项目管理的通知"' in form and 'name="disclosure" value="主动公开" checked' in form
    resp = editor.post(url, data={"csrf_token": csrf(form), "disclosure": "不予公开", "disclosure_reason": ""})
    assert resp.status_code == 400 and "不予公开须注明法定理由" in resp.get_data(as_text=True)
    resp = editor.post(url, data={"csrf_token": csrf(form), "written_date": "2019年2月30日"})
    assert resp.status_code == 400 and "不是有效的日期" in resp.get_data(as_text=True)
    assert anon.get(f"/doc/{d['id']}").status_code == 200
    resp = editor.post(url, data={"csrf_token": csrf(form), "disclosure": "不予公开", "validity": "已废止",
                                  "disclosure_reason": "涉及商业秘密", "title": "关于海域围填项目管理的通知（修订）"})
    assert resp.status_code == 302 and resp.headers["Location"] == f"/doc/{d['id']}"
    page = editor.get(resp.headers["Location"]).get_data(as_text=True)
    assert "已保存 4 处修改" in page and "已废止" in page and "（修订）" in page
    assert anon.get(f"/doc/{d['id']}").status_code == 404
    assert d["id"] not in anon.get("/api/search?q=海域").get_data(as_text=True)
    log = [e for e in app.extensions["gongkai"].audit.entries() if e["action"] in ("edit", "disclosure")]
    assert [e["action"] for e in log] == ["disclosure", "edit"] and log[0]["actor"] == "editor"
    assert log[0]["detail"]["reason"] == "涉及商业秘密"
    assert editor.get("/staff/doc/nope/edit").status_code == 404


def test_admin_reads_filters_and_exports_the_audit_log(site):
    app, _, restricted = site
    mallory = app.test_client()
    mallory.post("/staff/login", data={"username": '=HYPERLINK("http://x")', "password": "x",
                                       "csrf_token": token(mallory)})
    admin = staff_client(app, "admin")
    admin.get(f"/doc/{restricted[0]['id']}")
    page = admin.get("/staff/audit").get_data(as_text=True)
    assert "login" in page and "view" in page and restricted[0]["id"] in page
    only = admin.get("/staff/audit?action=view").get_data(as_text=True)
    assert "共 1 条" in only
    resp = admin.get("/staff/audit.csv")
    assert resp.mimetype == "text/csv" and "attachment" in resp.headers["Content-Disposition"]
    text = resp.get_data(as_text=True)
    assert text.startswith("\ufefftime,actor,action,doc_id,detail") and ",login," in text
    assert "'=HYPERLINK" in text                                      # no formula runs in a spreadsheet
    viewed = admin.get("/staff/audit.csv?action=view").get_data(as_text=True)
    assert viewed.count("\n") == 2 and "gongkai-audit-view.csv" in admin.get("/staff/audit.csv?action=view").headers[
        "Content-Disposition"]


def test_admin_manages_users(site):
    app, _, _ = site
    admin = staff_client(app, "admin")
    page = admin.get("/staff/users").get_data(as_text=True)
    assert "viewer" in page and "编辑者" in page
    resp = admin.post("/staff/users", data={"csrf_token": csrf(page), "username": "li", "role": "editor",
                                            "password": "short"})
    assert resp.status_code == 400 and "密码至少" in resp.get_data(as_text=True)
    resp = admin.post("/staff/users", data={"csrf_token": csrf(page), "username": "li", "role": "editor",
                                            "password": "a long enough password"})
    assert resp.status_code == 303
    assert login(app.test_client(), "li", "a long enough password").status_code == 302
    resp = admin.post("/staff/users/li", data={"csrf_token": csrf(page), "role": "viewer", "disabled": "1"})
    assert resp.status_code == 303
    assert login(app.test_client(), "li", "a long enough password").status_code == 401
    resp = admin.post("/staff/users/admin", data={"csrf_token": csrf(page), "role": "viewer"})
    assert resp.status_code == 400 and "不能更改自己的角色" in resp.get_data(as_text=True)
    resp = admin.post("/staff/users/admin", data={"csrf_token": csrf(page), "role": "admin",
                                                  "password": "my new long password"})
    assert resp.status_code == 303 and admin.get("/staff/users").status_code == 200  # still signed in
    assert admin.post("/staff/users/nobody", data={"csrf_token": csrf(page), "role": "viewer"}).status_code == 404
    changes = [e["detail"]["change"] for e in app.extensions["gongkai"].audit.entries(action="user")]
    assert changes == ["update", "update", "add"]


def test_staff_pages_keep_the_public_sites_qualities(site):
    app, _, restricted = site
    admin = staff_client(app, "admin")
    for url in ["/staff/", "/staff/ingest", "/staff/users", "/staff/audit", f"/staff/doc/{restricted[0]['id']}/edit",
                f"/doc/{restricted[0]['id']}", "/search?q=资金", "/staff/?lang=en"]:
        resp = admin.get(url)
        assert resp.status_code == 200, url
        html = resp.get_data(as_text=True)
        assert "unsafe-inline" not in resp.headers["Content-Security-Policy"]
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
        assert not re.search(r"\son[a-z]+\s*=", html) and not re.search(r"\sstyle\s*=", html), url
        for form in re.findall(r"<form[^>]*method=\"post\"[^>]*>.*?</form>", html, re.S):
            assert 'name="csrf_token"' in form, url
    en = admin.get("/staff/?lang=en").get_data(as_text=True)
    assert "Staff home" in en and "Sign out" in en and 'href="/staff/ingest?lang=en"' in en


def test_visibility_is_decided_in_one_place():
    """Only web/auth.py maps a request to PUBLIC/STAFF; web/params.py only asks it which facets apply."""
    from pathlib import Path

    web = Path(__file__).resolve().parents[1] / "web"
    users = {f.name for f in web.glob("*.py") if re.search(r"\b(PUBLIC|STAFF)\b", f.read_text())}
    assert users == {"auth.py", "params.py"}
    for f in web.glob("*.py"):
        for call in re.findall(r"archive\(\)\.(?:search|document)\((.*)", f.read_text()):
            assert call.rstrip().endswith(("visibility())", "visibility)", "seen)")), (f.name, call)
