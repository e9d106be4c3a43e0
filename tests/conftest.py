"""Shared fixtures: the real corpus, fresh archives, and archives holding real documents."""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("GONGKAI_CORPUS", REPO.parent / "shared" / "corpus"))
SAMPLES = REPO / "ingest" / "samples"


def pytest_sessionstart(session) -> None:
    """With GONGKAI_TEST_INSTALLED=1 (CI), the tests must import the installed package, not the checkout:
    a file missing from the wheel then fails a test instead of passing unnoticed."""
    if os.environ.get("GONGKAI_TEST_INSTALLED") == "1":
        import web

        if Path(web.__file__).resolve().is_relative_to(REPO):
            pytest.exit(f"tests import the checkout ({web.__file__}), not the installed package: run `pytest`,"
                        " not `python -m pytest`, after a non-editable `pip install`", returncode=3)


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The shared real-document corpus (../shared/corpus); tests skip without it."""
    if not CORPUS.is_dir():
        pytest.skip(f"real corpus not found at {CORPUS} (set GONGKAI_CORPUS)")
    return CORPUS


@pytest.fixture
def settings(tmp_path):
    from archive import Settings

    return Settings(data_dir=tmp_path / "data")


@pytest.fixture
def archive(settings):
    """An empty archive in a temporary data directory."""
    from archive import Archive

    a = Archive(settings)
    yield a
    a.close()


@pytest.fixture(scope="session")
def gongkai() -> list[str]:
    """The installed `gongkai` command (the console script beside this Python), as a user runs it."""
    script = Path(sys.executable).with_name("gongkai")
    if not script.exists():
        pytest.fail(f"the gongkai command is not installed next to {sys.executable} (pip install .)")
    return [str(script)]


def require(available: bool, reason: str) -> None:
    """Skip when a tool or service is missing; fail instead under GONGKAI_STRICT=1 (CI)."""
    if available:
        return
    if os.environ.get("GONGKAI_STRICT") == "1":
        pytest.fail(f"required in CI but missing: {reason}")
    pytest.skip(reason)


def law_documents(corpus: Path, n: int = 60) -> list[dict]:
    """`n` real laws/regulations from the corpus as catalog-ready dicts (every 50th manifest row).

    Metadata comes from the corpus manifest: agency = region, doc_type = level,
    written_date = publication date. Every 7th document is restricted (不予公开).
    """
    import csv
    import hashlib

    rows = list(csv.DictReader(open(corpus / "lawrefbook-laws" / "manifest.csv", encoding="utf-8")))
    docs = []
    for i, row in enumerate(rows[:: max(1, len(rows) // n)][:n]):
        text = (corpus / "lawrefbook-laws" / row["path"]).read_text(encoding="utf-8")
        sha = hashlib.sha256(text.encode()).hexdigest()
        docs.append({
            "id": sha[:16],
            "metadata": {"title": row["title"], "agency": row["region"] or "全国",
                         "doc_type": row["level"], "written_date": row["publish"][:10]},
            "pages": [text],
            "original": {"sha256": sha, "filename": Path(row["path"]).name,
                         "source": str(corpus / "lawrefbook-laws" / row["path"]),
                         "mime": "text/markdown", "size": len(text.encode()), "extractor": "text"},
            "disclosure": "不予公开" if i % 7 == 3 else "主动公开",
        })
    return docs


def load(archive, docs: list[dict]) -> None:
    """Put catalog-ready dicts into an archive's catalog and index."""
    for d in docs:
        archive.catalog.add_document(d["id"], d["metadata"], d["pages"], d["original"], [],
                                     d["disclosure"])
    assert not archive.sync.catch_up().failed


BACKENDS = ["embedded", "elasticsearch"]
ES_URL = os.environ.get("GONGKAI_ES_URL", "")


def es_reachable(url: str) -> bool:
    import urllib.request

    try:
        with urllib.request.urlopen(f"{url}/_cluster/health", timeout=3) as r:
            return r.status == 200
    except OSError:
        return False


def backend_settings(backend: str, data_dir: Path):
    """Settings for an archive on `backend`; Elasticsearch gets its own alias per archive."""
    import uuid

    from archive import Settings

    if backend == "elasticsearch":
        require(bool(ES_URL) and es_reachable(ES_URL),
                f"no Elasticsearch (set GONGKAI_ES_URL; tools/elasticsearch/es.sh start) at {ES_URL!r}")
        return Settings(data_dir=data_dir, backend="elasticsearch", es_url=ES_URL,
                        es_index=f"gongkai-test-{uuid.uuid4().hex[:8]}")
    return Settings(data_dir=data_dir)


def close_archive(a) -> None:
    """Close an archive, dropping a test Elasticsearch index behind it."""
    if a.settings.backend == "elasticsearch":
        for index in a.indexes.values():
            index.drop()
    a.close()


@pytest.fixture(scope="module", params=BACKENDS)
def laws(request, corpus, tmp_path_factory):
    """(archive, docs): an archive holding 60 real laws, some restricted, on each backend."""
    from archive import Archive

    a = Archive(backend_settings(request.param, tmp_path_factory.mktemp("laws")))
    docs = law_documents(corpus)
    load(a, docs)
    yield a, docs
    close_archive(a)


def page(client, url: str) -> str:
    """The text of a page that must answer 200."""
    resp = client.get(url)
    assert resp.status_code == 200, url
    return resp.get_data(as_text=True)


@pytest.fixture(scope="module")
def client(govcn):
    """A Flask test client over the gov.cn archive."""
    from web import create_app

    app = create_app(archive=govcn)
    app.testing = True
    return app.test_client()


CHROMIUM = os.environ.get("GONGKAI_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright (skips locally without it; fails under GONGKAI_STRICT=1)."""
    require(shutil.which(CHROMIUM) is not None or Path(CHROMIUM).exists(),
            f"chromium not found at {CHROMIUM} (apt-get install chromium)")
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield b
        b.close()


@pytest.fixture(scope="module")
def govcn(corpus, tmp_path_factory):
    """An archive holding the 40 real gov.cn pages, ingested through the pipeline."""
    from archive import Archive, Settings
    from ingest.pipeline import ingest

    a = Archive(Settings(data_dir=tmp_path_factory.mktemp("govcn")))
    summary = ingest(a, [corpus / "govcn-2019-zhouynf" / "html"])
    assert summary.ingested == 40, summary.failed
    yield a
    a.close()


@pytest.fixture
def review_site(tmp_path):
    """(app, archive holding the canary's public documents and staff users, twin app over an archive holding only
    those documents, the public documents): for following an upload through review."""
    from canary_corpus import documents, load
    from staff_support import add_users

    from archive import Archive, Settings
    from web import create_app

    public, _ = documents(tmp_path / "files")
    a = Archive(Settings(data_dir=tmp_path / "full"))
    twin = Archive(Settings(data_dir=tmp_path / "twin"))
    load(a, public)
    load(twin, public)
    add_users(a)
    cfg = {"SECRET_KEY": "review"}
    yield create_app(archive=a, config=cfg), a, create_app(archive=twin, config=cfg), public
    a.close()
    twin.close()
