"""CSRF: every POST route (the url_map is enumerated) refuses a post without a valid token with 400
and changes nothing; with the page's token, the same post works."""
from __future__ import annotations

import io
import re

import pytest
from canary_corpus import documents, load
from conftest import BACKENDS, backend_settings, close_archive
from staff_support import PASSWORD, add_users, staff_client, token

from web import create_app
from web.jobs import Job

FAILED_FILE = "/nowhere/gone.pdf"


@pytest.fixture(params=BACKENDS)
def site(request, tmp_path):
    from archive import Archive

    a = Archive(backend_settings(request.param, tmp_path / "data"))
    public, restricted = documents(tmp_path / "files")
    load(a, public + restricted)
    add_users(a)
    run_id = a.catalog.start_run([FAILED_FILE])
    a.catalog.record_file(run_id, FAILED_FILE, "failed", stage="read", reason="no such file")
    a.catalog.finish_run(run_id)
    a.catalog.hold_for_review(restricted[0]["id"], "主动公开", "editor")   # an upload waiting for release
    a.catalog.add_document("e" * 16, {"title": "关于补贴发放的公示"}, ["姓名：张三丰，身份证号：11010519491231002X。"],
                           {"sha256": "e" * 64, "filename": "p.txt", "source": "t", "mime": "text/plain", "size": 1,
                            "extractor": "text"}, [])                    # personal information to redact
    app = create_app(archive=a)
    app.config["TEST_HELD"] = restricted[0]["id"]
    app.extensions["gongkai.jobs"].jobs["beef02"] = Job("beef02", "editor", "不予公开", ["x"], state="finished",
                                                        reason="x", conflicts=[("x", public[1]["id"], "主动公开", "t")])
    yield app, public[0]["id"], run_id
    close_archive(a)


def posts(doc_id: str, run_id: int, held: str) -> dict:
    """For each POST endpoint: (url, form, check that the post took effect)."""
    def user_added(app, resp):
        return any(u["username"] == "newcomer" for u in app.extensions["gongkai"].accounts.all())

    return {
        "staff.login": ("/staff/login", {"username": "admin", "password": PASSWORD},
                        lambda app, resp: resp.status_code == 302 and resp.headers["Location"] == "/staff/"),
        "staff.logout": ("/staff/logout", {}, lambda app, resp: resp.status_code == 302),
        "staff.edit": (f"/staff/doc/{doc_id}/edit", {"validity": "已修改"},
                       lambda app, resp: app.extensions["gongkai"].catalog.document(doc_id)["extra"].get("validity") == "已修改"),
        "staff.attention": ("/staff/attention", {"doc": [doc_id], "doc_type": "批复"},
                            lambda app, resp: app.extensions["gongkai"].catalog.document(doc_id)["doc_type"] == "批复"),
        "staff_ingest.upload": ("/staff/ingest", {"disclosure": "主动公开",
                                                  "files": [(io.BytesIO("关于测试上传的通知\n\n正文".encode()), "t.txt")]},
                                lambda app, resp: resp.status_code == 303 and "/staff/jobs/" in resp.headers["Location"]),
        "staff_ingest.retry": (f"/staff/runs/{run_id}/retry", {"disclosure": "主动公开"},
                               lambda app, resp: resp.status_code == 303),
        "staff_ingest.resume": (f"/staff/runs/{run_id}/resume", {"disclosure": "主动公开"},
                                lambda app, resp: resp.status_code == 303),
        "staff_ingest.restrict_conflicts": ("/staff/jobs/beef02/restrict", {"disclosure_reason": "涉密"},
                                            lambda app, resp: resp.status_code == 303 and app.extensions["gongkai"]
                                            .catalog.document(app.extensions["gongkai.jobs"].jobs["beef02"]
                                                              .conflicts[0][1])["disclosure"] == "不予公开"),
        "staff_review.decide_form": ("/staff/review", {"decide": f"on_request:{held}"},
                                     lambda app, resp: app.extensions["gongkai"].catalog.review(held) is None),
        "staff_review.redact_form": ("/staff/doc/" + "e" * 16 + "/redact", {},
                                     lambda app, resp: app.extensions["gongkai"].catalog.redaction("e" * 16) is not None),
        "staff_admin.add_user": ("/staff/users", {"username": "newcomer", "password": "a long enough password",
                                                  "role": "viewer"}, user_added),
        "staff_admin.update_user": ("/staff/users/viewer", {"role": "editor"},
                                    lambda app, resp: app.extensions["gongkai"].accounts.get("viewer")["role"] == "editor"),
    }


def wait_for_jobs(app) -> None:
    import time

    registry = app.extensions["gongkai.jobs"]
    deadline = time.monotonic() + 120
    while registry.running() and time.monotonic() < deadline:
        time.sleep(0.2)


def test_every_post_needs_the_forms_csrf_token(site):
    app, doc_id, run_id = site
    table = posts(doc_id, run_id, app.config["TEST_HELD"])
    post_routes = {r.endpoint for r in app.url_map.iter_rules() if "POST" in r.methods}
    assert post_routes == set(table), post_routes ^ set(table)
    other_session = token(app.test_client())
    for endpoint, (url, form, took_effect) in table.items():
        client = app.test_client() if endpoint == "staff.login" else staff_client(app, "admin")
        good = token(client)
        forged = re.sub(r"\.[^.]+$", ".AAAAAAAA", good)
        for bad in (None, "", "not-a-token", forged, other_session):
            data = dict(form)
            if "files" in data:
                data["files"] = [(io.BytesIO(b"x"), "t.txt")]
            if bad is not None:
                data["csrf_token"] = bad
            resp = client.post(url, data=data, content_type="multipart/form-data")
            assert resp.status_code == 400, (endpoint, bad)
            assert "表单已过期或来源不明" in resp.get_data(as_text=True)
            assert not took_effect(app, resp), (endpoint, bad)
        resp = client.post(url, data={**form, "csrf_token": good}, content_type="multipart/form-data")
        assert resp.status_code != 400 and took_effect(app, resp), endpoint
        wait_for_jobs(app)


def test_csrf_failure_is_json_for_json_callers(site):
    app, *_ = site
    resp = staff_client(app, "editor").post("/staff/ingest", headers={"Accept": "application/json"})
    assert resp.status_code == 400 and resp.get_json() == {"error": "CSRF token missing or invalid"}
