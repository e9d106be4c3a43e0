"""Authorization of every staff route (the url_map is enumerated): anonymous visitors are sent to
sign in (401 for JSON), lower roles get 403, never the page; denied posts change nothing."""
from __future__ import annotations

import io
import re

import pytest
from canary_corpus import documents, load
from conftest import BACKENDS, backend_settings, close_archive
from staff_support import add_users, token

from web import create_app
from web.jobs import Job

# The role each staff route needs; a staff route missing here fails the test.
REQUIRED = {
    "staff.home": "viewer",
    "staff.edit": "editor", "staff.attention": "editor",
    "staff_ingest.ingest_form": "editor", "staff_ingest.upload": "editor", "staff_ingest.job": "editor",
    "staff_ingest.progress": "editor", "staff_ingest.run": "editor", "staff_ingest.retry": "editor",
    "staff_ingest.resume": "editor", "staff_ingest.restrict_conflicts": "editor",
    "staff_review.pending": "editor", "staff_review.decide_form": "editor", "staff_review.redact_form": "editor",
    "staff_prior.prior": "viewer",
    "staff_admin.users": "admin", "staff_admin.add_user": "admin", "staff_admin.update_user": "admin",
    "staff_admin.audit_log": "admin", "staff_admin.audit_csv": "admin",
}
OPEN = {"staff.login", "staff.logout"}   # signing in and out needs no role
RANK = {"anonymous": -1, "viewer": 0, "editor": 1, "admin": 2}


@pytest.fixture(scope="module", params=BACKENDS)
def site(request, tmp_path_factory):
    """(app, restricted doc, run id, job id) with one account per role and one ingest run."""
    from archive import Archive

    a = Archive(backend_settings(request.param, tmp_path_factory.mktemp("authz")))
    public, restricted = documents(tmp_path_factory.mktemp("authz-files"))
    load(a, public + restricted)
    add_users(a)
    run_id = a.catalog.start_run(["/nowhere/x.pdf"])
    a.catalog.record_file(run_id, "/nowhere/x.pdf", "failed", stage="read", reason="no such file")
    a.catalog.finish_run(run_id)
    app = create_app(archive=a)
    app.extensions["gongkai.jobs"].jobs["beef01"] = Job("beef01", "editor", "主动公开", ["x"], state="finished")
    yield app, restricted[0], run_id, "beef01"
    close_archive(a)


def url_for_rule(rule, doc_id: str, run_id: int, job_id: str) -> str:
    values = {"doc_id": doc_id, "run_id": str(run_id), "job_id": job_id, "username": "viewer"}
    return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", lambda m: values[m.group(1)], rule.rule)


def payload(endpoint: str, csrf: str) -> dict:
    """A request that would change something, had it been allowed."""
    data = {
        "staff.edit": {"disclosure": "主动公开", "title": "被篡改的标题"},
        "staff.attention": {"doc": ["x"], "agency": "被篡改的机关"},
        "staff_ingest.upload": {"disclosure": "主动公开", "files": [(io.BytesIO("关于测试的通知".encode()), "x.txt")]},
        "staff_ingest.retry": {"disclosure": "主动公开"},
        "staff_ingest.resume": {"disclosure": "主动公开"},
        "staff_ingest.restrict_conflicts": {"disclosure_reason": "x"},
        "staff_review.decide_form": {"decide": "publish:x"},
        "staff_review.redact_form": {"undo": "1"},
        "staff_admin.add_user": {"username": "mallory", "password": "mallory's long password", "role": "admin"},
        "staff_admin.update_user": {"role": "admin", "password": "taken over password"},
    }.get(endpoint, {})
    return {**data, "csrf_token": csrf}


def clients(app) -> dict:
    from staff_support import staff_client

    out = {"anonymous": app.test_client()}
    out.update({role: staff_client(app, role) for role in ("viewer", "editor", "admin")})
    return out


def test_every_staff_route_is_listed_with_its_role(site):
    app, *_ = site
    staff = {r.endpoint for r in app.url_map.iter_rules() if r.endpoint.startswith("staff")}
    assert staff == set(REQUIRED) | OPEN
    for endpoint, role in REQUIRED.items():
        assert app.view_functions[endpoint].required_role == role, endpoint


def test_lower_roles_and_anonymous_visitors_never_get_a_staff_page(site):
    app, doc, run_id, job_id = site
    archive = app.extensions["gongkai"]
    before = (archive.accounts.all(), archive.catalog.document(doc["id"]), archive.catalog.run(run_id + 1))
    checked = 0
    for who, client in clients(app).items():
        csrf = token(client)
        for rule in app.url_map.iter_rules():
            if rule.endpoint not in REQUIRED:
                continue
            url = url_for_rule(rule, doc["id"], run_id, job_id)
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                allowed = RANK[who] >= RANK[REQUIRED[rule.endpoint]]
                if allowed and method == "POST":
                    continue  # the allowed posts are exercised in test_csrf and test_staff*
                data = payload(rule.endpoint, csrf) if method == "POST" else None
                resp = client.open(url, method=method, data=data,
                                   content_type="multipart/form-data" if data else None)
                body = resp.get_data(as_text=True)
                checked += 1
                if allowed:
                    assert resp.status_code == 200, (who, method, url)
                elif who == "anonymous" and url.endswith(".json"):
                    assert resp.status_code == 401 and resp.get_json() == {"error": "login required"}, url
                elif who == "anonymous":
                    assert resp.status_code == 302, (method, url)
                    assert resp.headers["Location"].startswith("/staff/login?next="), url
                else:
                    assert resp.status_code == 403, (who, method, url)
                    assert "您的角色没有权限" in body or resp.get_json() == {"error": "forbidden"}, url
                if not allowed:
                    page = body.replace(url, "")  # a redirect names the page it came from
                    assert doc["id"] not in page and "<table" not in page and "<textarea" not in page, (who, url)
    assert checked >= 45  # 15 route-method pairs × 4 callers, less the allowed posts
    after = (archive.accounts.all(), archive.catalog.document(doc["id"]), archive.catalog.run(run_id + 1))
    assert after == before                                   # nothing denied took effect
    assert not (archive.settings.data_dir / "uploads").exists() or not any(
        (archive.settings.data_dir / "uploads").rglob("*.txt"))
