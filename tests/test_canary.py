"""Canary: restricted documents (依申请公开, 不予公开) stay invisible to anonymous visitors on every route.

Two archives on the same backend: `full` holds the public and the restricted canary documents,
`twin` only the public ones. An anonymous client walks every route of the app (the url_map is
enumerated, and a route left unwalked fails the test) with many query shapes, ids guessed in
sequence and by prefix, downloads by sha256, conditional and gzipped requests, error pages and
English pages. Every answer must (1) contain no secret of a restricted document, and (2) equal
the twin's answer to the same request, apart from timings — scores and the order of hits
included (the public search runs over an index of public documents only): so no count, facet
value, score, rank, suggestion or related document can differ because of them.
A signed-in viewer does find every marker (else the canary would prove nothing).
"""
from __future__ import annotations

import gzip
import io
import json
import re
import zipfile
from urllib.parse import quote, unquote, urlencode

import pytest
from canary_corpus import MARKERS, SPELLING_PROBE, documents, load, secrets_of
from conftest import BACKENDS, backend_settings, close_archive
from staff_support import add_users, staff_client

from web import create_app

COMMON = ["", "海域", "资金", "财政 资金", "项目 管理", "整治", "通知", "围填", "矿区", "审批", "公开",
          '"海域围填"', '"整治资金"', "海域 OR 矿区", "资金 -财政", "(海域 OR 矿区) 项目", "标题:资金",
          "正文:资金", "机关:示例市人民政府", "类型:通知", "主题:财政", "年份:2019", "2016..2021",
          "1930..1933", "年份:1931", "成文日期:1931-01..1932-12", "文号:龘密发〔2031〕", "龘密发〔2031〕",
          "龘密发[2031]1号", "文号:示政发〔2019〕3号"]
TYPOS = ["鹬蚌弯", "饕餮令", "QZXJ7732", "ZKW9905", "绝密灯台", "犇羴鱼管理局", "魑魅魍魉办公厅", "秘密仓厍"]
FILTERS = [
    {"agency": "犇羴鱻管理局"}, {"agency": "魑魅魍魉办公室"}, {"doc_type": "纪要"}, {"doc_type": "请示"},
    {"topic": "国防动员"}, {"topic": "国家安全"}, {"year": "1931"}, {"year": "1932"},
    {"disclosure": "依申请公开"}, {"disclosure": "不予公开"}, {"disclosure": "主动公开"},
    {"agency": ["示例市财政局", "犇羴鱻管理局"]}, {"year": ["2019", "1931"]},
    {"agency": "示例市人民政府", "doc_type": "纪要"}, {"topic": ["财政", "国家安全"], "year": "2021"},
]
SEARCH_ROUTES = ["/search", "/api/search", "/api/facets", "/feed", "/subscribe", "/export"]  # (/export: CSV)


def marker_queries(m: str) -> list[str]:
    """The query shapes built around one marker string."""
    return [m, f'"{m}"', f"标题:{m}", f"正文:{m}", f"机关:{m}", f"文号:{m}", f"类型:{m}", f"主题:{m}",
            f"{m} OR 海域", f"海域 OR {m}", f"资金 -{m}", f"{m} 资金", f"({m} OR 财政) 管理", m[:2], m[-2:],
            m.lower(), f"{m}*", f"title:{m}", f"agency:{m}"]


@pytest.fixture(scope="module", params=BACKENDS)
def apps(request, tmp_path_factory):
    """(full app, twin app, public docs, restricted docs) on one backend."""
    from archive import Archive

    folder = tmp_path_factory.mktemp("canary-files")
    public, restricted = documents(folder)
    full = Archive(backend_settings(request.param, tmp_path_factory.mktemp("canary-full")))
    twin = Archive(backend_settings(request.param, tmp_path_factory.mktemp("canary-twin")))
    load(full, public + restricted)
    load(twin, public)
    add_users(full)
    cfg = {"SECRET_KEY": "canary"}
    yield create_app(archive=full, config=cfg), create_app(archive=twin, config=cfg), public, restricted
    close_archive(full)
    close_archive(twin)


def _strip(value):
    """JSON without timings (scores and the order of hits are compared as they are)."""
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items() if k != "took_ms"}
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_TOOK = re.compile(r"用时 [\d.]+ 毫秒|[\d.]+ ms\b")
_TOKEN = re.compile(r'name="csrf_token" value="[^"]+"')


def normalized(resp, body: str):
    """What must be equal between the full archive's answer and the twin's."""
    if resp.mimetype == "application/json" and body:
        return _strip(json.loads(body))
    return _TOKEN.sub("csrf", _TOOK.sub("took", body))


class Walker:
    """An anonymous client that checks every answer against the secrets and the twin."""

    def __init__(self, full, twin, secrets):
        self.full, self.twin = full.test_client(), twin.test_client()
        self.adapter = full.url_map.bind("localhost")
        self.secrets = secrets
        self.covered: set[str] = set()
        self.requests = 0           # to the full archive (each compared one is repeated on the twin)
        self.compared = 0
        self.shapes: set[str] = set()

    def endpoint(self, url: str, method: str) -> str:
        from werkzeug.exceptions import HTTPException

        path = url.split("?")[0]
        try:
            return self.adapter.match(path, method=method)[0]
        except HTTPException as e:
            return f"<{type(e).__name__}>"

    def get(self, url: str, method: str = "GET", headers: dict | None = None, compare: bool = True,
            data: dict | None = None):
        resp = self.full.open(url, method=method, headers=headers or {}, data=data)
        self.requests += 1
        self.covered.add(self.endpoint(url, method))
        body = self.check(url, resp)
        if compare:
            other = self.twin.open(url, method=method, headers=headers or {}, data=data)
            self.compared += 1
            assert resp.status_code == other.status_code, url
            if resp.status_code != 304:
                assert normalized(resp, body) == normalized(other, self.decode(other)), url
        return resp

    @staticmethod
    def decode(resp) -> str:
        data = resp.get_data()
        if resp.headers.get("Content-Encoding") == "gzip":
            data = gzip.decompress(data)
        if resp.mimetype == XLSX:   # the workbook's text (deflated in its zip), less the time it was written
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                return "\n".join(z.read(n).decode() for n in sorted(z.namelist()) if n != "docProps/core.xml")
        return data.decode("utf-8", "replace")

    def check(self, url: str, resp) -> str:
        body = self.decode(resp)
        sent = unquote(url)
        # (Content-Length is a number that may equal a secret year by chance; equal bodies imply it anyway.)
        head = "\n".join(f"{k}: {unquote(v)}" for k, v in resp.headers.items() if k != "Content-Length")
        for secret, trigger in self.secrets:
            if trigger in sent:
                continue
            assert secret not in body, (secret, url)
            assert secret not in head, (secret, url)
        if not url.startswith("/staff/login"):
            assert "Set-Cookie" not in resp.headers, url  # anonymous visitors get no session
        return body

    def search(self, params: dict, routes=SEARCH_ROUTES) -> None:
        self.shapes.add(json.dumps(params, ensure_ascii=False, sort_keys=True))
        qs = urlencode(params, doseq=True)
        for route in routes:
            self.get(f"{route}?{qs}")


def test_restricted_documents_never_reach_an_anonymous_visitor(apps, capsys):
    full, twin, public, restricted = apps
    walker = Walker(full, twin, secrets_of(restricted))

    # Search in every shape: common words, markers, typos, fields, filters, sort, pages, offsets.
    for q in COMMON:
        walker.search({"q": q})
        walker.search({"q": q, "sort": "date"}, ["/search", "/api/search"])
    for m in MARKERS:
        for q in marker_queries(m):
            walker.search({"q": q})
        walker.search({"q": m, "lang": "en"}, ["/search", "/feed"])
    for q in TYPOS:
        walker.search({"q": q}, ["/search", "/api/search"])
    for f in FILTERS:
        for q in ("", "资金", "鹬蚌湾", "海域 OR 矿区"):
            walker.search({"q": q, **f})
        walker.search({**f, "sort": "date", "lang": "en"}, ["/search", "/feed"])
    for q in ("", "资金", "海域 OR 矿区"):
        total = walker.get(f"/api/search?q={quote(q)}").get_json()["total"]
        for offset in range(total + 3):
            walker.get(f"/api/search?q={quote(q)}&limit=1&offset={offset}")
        for extra in ("page=2", "page=3&limit=5", "page=999", "offset=9999", "offset=10001&limit=100",
                      "limit=0", "limit=101", "page=-1", "offset=-5", "limit=abc"):
            walker.search({"q": q, **dict(p.split("=") for p in extra.split("&"))}, ["/search", "/api/search"])

    # Home, feeds, OpenAPI, static files, English pages.
    for url in ["/", "/?lang=en", "/feed", "/feed?lang=en", "/api/openapi.json", "/static/app.js",
                "/static/style.css", "/static/staff.js", "/static/favicon.svg"]:
        walker.get(url)

    # Document routes: restricted ids, guessed ids, downloads by sha256, related documents.
    pub_id, pub_sha = public[0]["id"], public[0]["original"]["sha256"]
    guesses = [str(n) for n in range(0, 40)] + ["r1", "r2", "admin", "..", "%2e%2e", "null", "undefined"]
    for d in restricted:
        i, sha = d["id"], d["original"]["sha256"]
        n = int(i, 16)
        guesses += [i[:8], i[:15], i[:-1], i.upper(), f"{n + 1:016x}", f"{n - 1:016x}", i + "0", sha]
        for url in [f"/doc/{i}", f"/doc/{i}?q=鹬蚌湾", f"/doc/{i}?lang=en", f"/api/documents/{i}",
                    f"/api/documents/{i}/related", f"/api/documents/{i}/relations", f"/doc/{i}/original/{sha}",
                    f"/api/documents/{i}/originals/{sha}", f"/doc/{pub_id}/original/{sha}", f"/api/documents/{pub_id}/originals/{sha}",
                    f"/doc/{i}/original/{pub_sha}", f"/doc/{i}/", f"/doc/{i}%00", f"/api/documents/{i}.json",
                    f"/doc/{i}/original/{sha}/page", f"/doc/{i}/original/{sha}/page?page=1&width=200",
                    f"/doc/{pub_id}/original/{sha}/page", f"/doc/{i}?view=image", f"/doc/{i}?view=image&q=鹬蚌湾&page=1"]:
            walker.get(url)
            walker.get(url, method="HEAD")
    for g in guesses:
        for url in [f"/doc/{g}", f"/api/documents/{g}", f"/api/documents/{g}/related", f"/api/documents/{g}/relations",
                    f"/doc/{g}/original/{pub_sha}", f"/api/documents/{g}/originals/{pub_sha}",
                    f"/doc/{g}/original/{pub_sha}/page"]:
            walker.get(url)
    for d in public:
        i, sha = d["id"], d["original"]["sha256"]
        for url in [f"/doc/{i}", f"/doc/{i}?q=海域", f"/doc/{i}?q=鹬蚌湾", f"/doc/{i}?lang=en",
                    f"/api/documents/{i}", f"/api/documents/{i}/related", f"/api/documents/{i}/relations",
                    f"/doc/{i}/original/{sha}", f"/api/documents/{i}/originals/{sha}", f"/doc/{i}/original/{sha}/page",
                    f"/doc/{i}?view=image&q=海域"]:
            walker.get(url)

    # Cached answers: conditional requests with our own ETag, the twin's, and a staff answer's.
    staff = staff_client(full, "viewer")
    for url in ["/", "/search?q=资金", "/api/search?q=海域", "/api/facets?q=", "/feed?q=矿区",
                f"/doc/{pub_id}", f"/api/documents/{pub_id}/related", "/search?q=鹬蚌湾"]:
        mine = walker.get(url).headers.get("ETag")
        theirs = walker.twin.get(url).headers.get("ETag")
        staff_tag = staff.get(url).headers.get("ETag")
        for tag in {mine, theirs, staff_tag, "*"} - {None}:
            resp = walker.get(url, headers={"If-None-Match": tag}, compare=False)
            assert resp.status_code in (200, 304)
            if resp.status_code == 304:  # only for a tag of public content (the twin's may coincide)
                assert tag in (mine, theirs, "*"), url
        walker.get(url, headers={"Accept-Encoding": "gzip"})
    for d in restricted:
        walker.get(f"/doc/{d['id']}", headers={"If-None-Match": staff.get(f"/doc/{d['id']}").headers["ETag"]})

    # Error pages: 404, 405, 400 (a form post without its CSRF token), odd input.
    for url in ["/nope", "/api/nope", "/doc/", "/api/documents/", "/search?q=%00", "/search?q=" + "鹬" * 600,
                "/api/search?year=abcd", "/feed?q=((", '/search?q="鹬蚌湾', "/search?q=)鹬蚌湾("]:
        walker.get(url)
    for url in ["/search", "/api/search", "/feed", "/", f"/doc/{restricted[0]['id']}"]:
        walker.get(url, method="POST")
    walker.get("/staff/login", method="POST", data={"username": "viewer", "password": "x"})

    # Staff routes, anonymously: a redirect to sign in (or 401), never a page.
    for rule in full.url_map.iter_rules():
        if rule.endpoint.startswith("staff"):
            url = re.sub(r"<(?:int:)?[^>]+>", "1", rule.rule)
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                resp = walker.get(url, method=method, compare=False)
                assert resp.status_code in (200, 302, 400, 401), (method, url)

    # Every route of the app was walked.
    endpoints = {r.endpoint for r in full.url_map.iter_rules()}
    assert endpoints <= walker.covered, endpoints - walker.covered

    # Positive control: signed in, the same markers and facet values do find the restricted documents.
    ids = {d["id"] for d in restricted}
    for m in MARKERS:
        field = {"犇羴鱻管理局": "机关:", "魑魅魍魉办公室": "机关:", "国防动员": "主题:", "国家安全": "主题:"}.get(m, "")
        r = staff.get(f"/api/search?q={quote(field + m)}").get_json()
        assert ids & {h["id"] for h in r["hits"]}, m
    for f in FILTERS[:8]:
        assert staff.get("/api/search?" + urlencode(f)).get_json()["total"] == 1, f
    for d in restricted:
        assert staff.get(f"/doc/{d['id']}").status_code == 200
        assert staff.get(f"/api/documents/{d['id']}/originals/{d['original']['sha256']}").status_code == 200

    with capsys.disabled():
        queries = {json.loads(x).get("q", "") for x in walker.shapes}
        print(f"\n[canary {full.extensions['gongkai'].settings.backend}] {walker.requests} anonymous requests "
              f"({walker.compared} compared with the twin), {len(walker.shapes)} search shapes "
              f"({len(queries)} distinct query strings), {len(walker.covered & endpoints)}/{len(endpoints)} routes")


def test_did_you_mean_counts_only_visible_documents(apps):
    """A typo one edit from a public word and from a word only restricted documents make frequent:
    the suggestion must be the one an archive without the restricted documents makes.

    Regression guard: Elasticsearch's term suggester counts the whole index; each candidate is
    now recounted with the visibility filter."""
    full, twin, _, _ = apps
    for q in (SPELLING_PROBE, f"海域 {SPELLING_PROBE}"):
        for route in ("/api/search", "/search"):
            a = Walker(full, twin, [])
            a.get(f"{route}?q={quote(q)}")
