"""The installed package, as a new user gets it: build the wheel, install it (not editable) into a new
virtual environment outside the checkout, start `gongkai serve --demo` from there and request every
public route of the app. Any status other than the expected one fails the run.

Usage: python .ci/smoke.py [--constraints FILE]   (standard library only)
"""
from __future__ import annotations

import argparse
import json
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# Routes of the app as `python -c` prints them from the installed package: rule and methods.
LIST_ROUTES = """
from web import create_app
from archive import Archive, Settings
import json, sys
app = create_app(archive=Archive(Settings(data_dir=sys.argv[1])))
print(json.dumps([[r.rule, sorted(r.methods)] for r in app.url_map.iter_rules()]))
"""


def sh(*cmd, **kw) -> subprocess.CompletedProcess:
    print("+", " ".join(map(str, cmd)), flush=True)
    return subprocess.run(list(map(str, cmd)), check=True, **kw)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def get(url: str) -> tuple[int, bytes, dict]:
    """(status, body, headers) of a GET (non-ASCII characters quoted), redirects not followed."""
    try:
        with _OPENER.open(urllib.parse.quote(url, safe="/?=&%+:"), timeout=60) as r:
            return r.status, r.read(), dict(r.headers)
    except urllib.error.HTTPError as e:
        return e.code, e.read(), dict(e.headers)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--constraints", type=Path, default=REPO / ".ci" / "constraints.txt")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="gongkai-smoke-"))
    proc = None
    try:
        # Built from a clean copy, as on a fresh clone: a build/ or *.egg-info left in the checkout
        # would hand the wheel files that the package data settings do not name.
        src = work / "src"
        shutil.copytree(REPO, src, ignore=shutil.ignore_patterns(
            ".git", "build", "*.egg-info", "__pycache__", ".hypothesis", ".*_cache", "target"))
        sh(sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", work / "dist", src)
        [wheel] = (work / "dist").glob("gongkai-*.whl")
        sh(sys.executable, "-m", "venv", work / "venv")
        bin_dir = work / "venv" / "bin"
        sh(bin_dir / "pip", "install", "-q", "-c", args.constraints.resolve(), wheel, cwd=work)
        data = work / "data"
        routes = json.loads(sh(bin_dir / "python", "-c", LIST_ROUTES, work / "routes-data", cwd=work,
                               capture_output=True, text=True).stdout)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        proc = subprocess.Popen([bin_dir / "gongkai", "--data", data, "serve", "--demo", "--port", str(port)],
                                cwd=work, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        deadline, out = time.monotonic() + 300, []
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            out.append(line)
            if f"open {base}/" in line:
                break
            if not line and proc.poll() is not None:
                raise SystemExit("gongkai serve --demo exited:\n" + "".join(out))
        else:
            raise SystemExit("gongkai serve --demo did not start in 300 s:\n" + "".join(out))
        return check(base, routes)
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(30)
        shutil.rmtree(work, ignore_errors=True)


def check(base: str, routes: list) -> int:
    """Request every public GET route (path parameters filled from the demo archive); count failures."""
    status, body, _ = get(base + "/api/search?q=政务公开&limit=5")
    hit = json.loads(body)["hits"][0]
    doc = json.loads(get(f"{base}/api/documents/{hit['id']}")[1])
    sha = doc["originals"][0]["sha256"]
    params = {"doc_id": hit["id"], "sha256": sha, "filename": "style.css"}
    pdf = params   # a page image needs a PDF original: the first such document of the demo archive
    for h in json.loads(get(base + "/api/search?q=&limit=100")[1])["hits"]:
        originals = json.loads(get(f"{base}/api/documents/{h['id']}")[1])["originals"]
        found = next((o for o in originals if o["mime"] == "application/pdf"), None)
        if found:
            pdf = {**params, "doc_id": h["id"], "sha256": found["sha256"]}
            break
    expected: dict[str, int] = {
        "/": 200, "/search?q=政务公开": 200, "/search?q=": 200, "/search?q=征地+补偿&sort=date&page=2": 200,
        "/?lang=en": 200, f"/doc/{hit['id']}?q=政务公开": 200, "/feed": 200, "/feed?q=政务公开&lang=en": 200,
        "/api/facets?q=通知": 200, "/doc/0000000000000000": 404, "/api/documents/0000000000000000": 404,
        "/no-such-page": 404, "/staff/login": 200, "/staff/": 302,
    }
    public_rules = []
    for rule, methods in routes:
        if "GET" not in methods or rule.startswith("/staff"):
            continue
        public_rules.append(rule)
        given = pdf if rule.endswith("/page") else params
        url = re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda m, given=given: urllib.parse.quote(given[m[1]]), rule)
        expected.setdefault(url, 200)
    failures = 0
    for url, want in expected.items():
        status, body, headers = get(base + url)
        ok = status == want
        if ok and status == 200 and url.startswith(("/feed",)):
            ok = body.lstrip().startswith(b"<?xml")
        print(f"{'ok  ' if ok else 'FAIL'} {status} (want {want}) {url}  {headers.get('Content-Type', '')}")
        failures += not ok
    print(f"{len(expected)} requests, {len(public_rules)} public GET routes of the app, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
