"""Each document field is declared once (analyzers.fields) and appears everywhere it should: the catalog,
both backends' index schemas, the query syntax, the facets and the CLI, the OpenAPI schema, the staff edit
form and the document page. Adding a field there (as region and level were) needs nothing else."""
from __future__ import annotations

import re

import pytest
import tantivy
from click.testing import CliRunner
from staff_support import add_users, staff_client

from analyzers.fields import FACETS, FIELDS, KEYWORD_FACETS, QUERY_FIELDS
from analyzers.query import Keyword, Range, Term, parse
from archive.index.elastic import _mapping
from archive.index.embedded_query import SCHEMA
from web import create_app
from web.cli import main

VALUES = {"date": "2020-05-06", "choice": None}


def test_every_keyword_facet_is_an_index_field_of_both_backends():
    es = _mapping()["properties"]
    for name in KEYWORD_FACETS:
        tantivy.Query.term_query(SCHEMA, name, "x")   # raises for a field the schema lacks
        assert es[name] == {"type": "keyword"}, name
    for facet in FACETS:
        assert facet.name in es
    with pytest.raises(ValueError):
        tantivy.Query.term_query(SCHEMA, "no_such_field", "x")


def test_every_query_name_parses_to_its_field():
    for alias, (field, how) in QUERY_FIELDS.items():
        value = {"year": "2019", "date": "2019-05", "docno": "示政发〔2019〕3号"}.get(how, "示例")
        node = parse(f"{alias}:{value}")
        if how == "text":
            assert isinstance(node, Term) and node.field == field, alias
        elif how in ("contains", "equals"):
            assert isinstance(node, Keyword) and node.field == field and node.exact == (how == "equals"), alias
        elif how in ("year", "date"):
            assert isinstance(node, Range) and node.field == how, alias


@pytest.fixture
def site(archive):
    """An archive with one document whose every field has a value, and staff accounts."""
    values = {f.name: (f.choices[1] if f.kind == "choice" else VALUES.get(f.kind) or f"{f.label}值")
              for f in FIELDS}
    values["disclosure"] = "主动公开"
    meta = {k: v for k, v in values.items() if k not in ("disclosure", "validity", "disclosure_reason")}
    archive.catalog.add_document("f1", meta, ["正文"], {"sha256": "a" * 64, "filename": "f.txt", "source": "/x",
                                                        "mime": "text/plain", "size": 6, "extractor": "text"}, [])
    extra = archive.catalog.document("f1")["extra"]
    archive.catalog.update_document("f1", {}, {**extra, "validity": values["validity"], "disclosure_reason": ""})
    archive.sync.catch_up()
    add_users(archive)
    return create_app(archive=archive), values


def test_every_field_reaches_the_api_page_form_and_facets(site):
    app, values = site
    client = app.test_client()
    doc = client.get("/api/documents/f1").get_json()
    spec = client.get("/api/openapi.json").get_json()["components"]["schemas"]
    page = client.get("/doc/f1").get_data(as_text=True)
    form = staff_client(app, "editor").get("/staff/doc/f1/edit").get_data(as_text=True)
    for f in FIELDS:
        if not f.staff_only:
            assert doc[f.name] == values[f.name], f.name
            assert f.name in spec["Document"]["properties"], f.name
        if f.brief and not f.staff_only:
            assert f.name in spec["Hit"]["properties"] and f.name in spec["Brief"]["properties"], f.name
        if f.on_page:
            assert f">{f.label}</th>" in page, f.name
        if f.editable:
            assert re.search(rf'name="{f.name}"', form), f.name
    facets = client.get("/api/search?q=").get_json()["facets"]
    for facet in FACETS:
        if not facet.staff_only:
            assert facet.name in facets and facet.name in spec["Facets"]["properties"], facet.name
            assert client.get(f"/api/search?{facet.name}=x").status_code == 200
    assert {b["value"] for b in facets["region"]} == {values["region"]}


def test_every_public_facet_is_a_cli_filter():
    usage = CliRunner().invoke(main, ["search", "--help"]).output
    for facet in FACETS:
        if not facet.staff_only:
            assert f"--{facet.name.replace('_', '-')}" in usage, facet.name
