"""The JSON API against its own OpenAPI description, fuzzed by schemathesis over real HTTP: no 500s,
documented status codes, content types and response shapes. Bounded: 50 examples per operation."""
import threading

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from web import create_app  # noqa: E402

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


@pytest.fixture(scope="module")
def live_url(govcn):
    """The app on a real HTTP port (werkzeug, in a thread) for the life of this module."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, create_app(archive=govcn), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def api_schema(live_url):
    return schemathesis.openapi.from_url(f"{live_url}/api/openapi.json")


OPERATIONS = ["/api/search", "/api/facets", "/api/documents/{doc_id}", "/api/documents/{doc_id}/related",
              "/api/documents/{doc_id}/originals/{sha256}"]


@pytest.mark.parametrize("path", OPERATIONS)
def test_api_conforms_to_its_description(api_schema, path):
    operation = api_schema[path]["GET"]

    @given(case=operation.as_strategy())
    @settings(max_examples=50, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def fuzz(case):
        case.call_and_validate(checks=CHECKS)

    fuzz()


def test_openapi_lists_every_api_route(live_url, govcn):
    import json
    import urllib.request

    spec = json.load(urllib.request.urlopen(f"{live_url}/api/openapi.json"))
    app = create_app(archive=govcn)
    routes = {r.rule.replace("<", "{").replace(">", "}") for r in app.url_map.iter_rules()
              if r.rule.startswith("/api/") and r.rule != "/api/openapi.json"}
    assert routes == set(spec["paths"])


def test_real_document_and_original_conform(live_url, govcn):
    import json
    import urllib.request

    hit = json.load(urllib.request.urlopen(f"{live_url}/api/search?q=%E9%80%9A%E7%9F%A5"))["hits"][0]
    doc = json.load(urllib.request.urlopen(f"{live_url}/api/documents/{hit['id']}"))
    op = schemathesis.openapi.from_url(f"{live_url}/api/openapi.json")["/api/documents/{doc_id}"]["GET"]
    case = op.Case(path_parameters={"doc_id": hit["id"]})
    case.call_and_validate(checks=CHECKS)
    with urllib.request.urlopen(live_url + doc["originals"][0]["url"]) as resp:
        assert resp.status == 200 and "filename*=UTF-8''" in resp.headers["Content-Disposition"]
