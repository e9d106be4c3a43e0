"""Elasticsearch-specific behaviour: same results as the embedded engine, faults, failover."""
import subprocess
import threading
import time

import pytest
from click.testing import CliRunner
from conftest import ES_URL, REPO, backend_settings, close_archive, law_documents, load, require

from archive import Archive, Search

ALL = ("主动公开", "依申请公开", "不予公开")
QUERIES = ["人民政府", "管理 办法", '"人民代表大会常务委员会"', "国务院 OR 省", "规定 -罚款", "条例",
           "第一条", "5", "", "环境保护", "公安机关 许可"]


@pytest.fixture(scope="module")
def both(corpus, tmp_path_factory):
    """The same real documents in an embedded and an Elasticsearch archive."""
    archives = [Archive(backend_settings(b, tmp_path_factory.mktemp(b)))
                for b in ("embedded", "elasticsearch")]
    docs = law_documents(corpus, 80)
    for a in archives:
        load(a, docs)
    yield archives
    for a in archives:
        close_archive(a)


@pytest.mark.parametrize("visibility", [("主动公开",), ALL], ids=["public", "staff"])
def test_both_backends_return_the_same_hits_and_facets(both, visibility):
    embedded, elastic = both
    for q in QUERIES:
        a = embedded.search(Search(q=q, limit=100), visibility)
        b = elastic.search(Search(q=q, limit=100), visibility)
        assert a["total"] == b["total"], q
        assert {h["id"] for h in a["hits"]} == {h["id"] for h in b["hits"]}, q
        for facet in a["facets"]:
            assert {(x["value"], x["count"]) for x in a["facets"][facet]} == \
                   {(x["value"], x["count"]) for x in b["facets"][facet]}, (q, facet)


def test_unreachable_at_start_names_the_url(tmp_path):
    from archive import Settings
    from archive.index import BackendUnavailable
    from web.cli import main

    Archive(Settings(data_dir=tmp_path))  # an (empty) archive exists, so the search reaches the backend
    with pytest.raises(BackendUnavailable, match="127.0.0.1:9"):
        CliRunner().invoke(main, ["--data", str(tmp_path), "--backend", "elasticsearch",
                                  "--es-url", "http://127.0.0.1:9", "search", "国务院"],
                           catch_exceptions=False)


def test_unreachable_during_ingest_then_reindex_pending(corpus, tmp_path):
    """Documents are archived and marked pending; `reindex --pending` catches up, no duplicates."""
    from web.cli import main

    require(bool(ES_URL), "no Elasticsearch (GONGKAI_ES_URL)")
    alias = f"gongkai-test-pending-{int(time.time())}"
    html = corpus / "govcn-2019-zhouynf" / "html"
    files = sorted(html.glob("*.html"))[:5]
    down = ["--data", str(tmp_path), "--backend", "elasticsearch", "--es-url", "http://127.0.0.1:9",
            "--es-index", alias]
    r = CliRunner().invoke(main, down + ["ingest", "--quiet", *map(str, files)])
    assert "ingested 5" in r.output and "not indexed" in r.output and "reindex --pending" in r.output
    up = ["--data", str(tmp_path), "--backend", "elasticsearch", "--es-url", ES_URL, "--es-index", alias]
    try:
        r = CliRunner().invoke(main, up + ["reindex", "--pending"])
        assert "indexed 5 documents, 0 failed" in r.output, r.output
        r = CliRunner().invoke(main, up + ["reindex", "--pending"])
        assert "indexed 0 documents" in r.output
        r = CliRunner().invoke(main, up + ["ingest", "--quiet", *map(str, files)])
        assert "skipped (already present) 5" in r.output
        r = CliRunner().invoke(main, up + ["search", "--json", "--limit", "50", ""])
        assert '"total": 5' in r.output
    finally:
        settings = backend_settings("elasticsearch", tmp_path)
        settings.es_index = alias
        close_archive(Archive(settings))


def test_search_survives_losing_a_node(corpus, tmp_path):
    """Three nodes, one replica: stop a node while searches run; every answer stays complete."""
    settings = backend_settings("elasticsearch", tmp_path)
    settings.es_shards, settings.es_replicas = 3, 1
    a = Archive(settings)
    es = a.indexes["public"].es
    nodes = es.nodes.info()["nodes"]
    require(len(nodes) >= 3, f"needs a 3-node cluster (tools/elasticsearch/es.sh start 3), found {len(nodes)}")
    docs = law_documents(corpus, 40)
    public = sum(1 for d in docs if d["disclosure"] == "主动公开")
    load(a, docs)
    es.cluster.health(index=f"{a.settings.es_index}-*", wait_for_status="green", timeout="60s")

    answers, errors, stop = [], [], threading.Event()

    def keep_searching():
        while not stop.is_set():
            try:
                answers.append(a.search(Search(limit=1))["total"])
            except Exception as e:  # recorded and asserted on below
                errors.append(repr(e))

    t = threading.Thread(target=keep_searching)
    t.start()
    script = REPO / "tools" / "elasticsearch" / "es.sh"
    def answered(n: int, seconds: float = 60) -> None:
        """Wait until `n` more answers have come (searches go on throughout)."""
        target, deadline = len(answers) + n, time.monotonic() + seconds
        while len(answers) < target and time.monotonic() < deadline and not errors:
            time.sleep(0.05)

    try:
        answered(5)
        subprocess.run([str(script), "stop-node", "3"], check=True, timeout=120)
        before = len(answers)
        answered(20)
        during = len(answers) - before
    finally:
        stop.set()
        t.join()
        subprocess.run([str(script), "start-node", "3"], check=True, timeout=300)
        close_archive(a)
    assert during > 0
    assert errors == []
    assert set(answers) == {public}


def test_web_says_unavailable_instead_of_crashing(tmp_path):
    from archive import Settings
    from web import create_app

    settings = Settings(data_dir=tmp_path, backend="elasticsearch", es_url="http://127.0.0.1:9")
    client = create_app(settings).test_client()
    resp = client.get("/search?q=国务院")
    assert resp.status_code == 503 and "检索服务暂时不可用" in resp.get_data(as_text=True)
    assert client.get("/api/search?q=x").get_json() == {"error": "search service unavailable"}
