"""The web app over real gov.cn pages: pages and API from one service call, facets, timeline, paging."""
import re
from html import unescape

from conftest import page


def total(html: str) -> int:
    return int(re.search(r'id="total">(\d+)<', html).group(1))


def href(html: str, pattern: str) -> str:
    """The unescaped href of the first link whose opening tag and text match `pattern`."""
    m = re.search(r'<a[^>]*href="([^"]+)"[^>]*>' + pattern, html, re.S)
    assert m, pattern
    return unescape(m.group(1))


def facet(html: str, name: str) -> dict[str, tuple[str, int]]:
    """value -> (link, count) of one facet list on a results page."""
    section = re.search(rf'<section class="facet" aria-labelledby="facet-{name}">(.*?)</section>', html, re.S)
    return {unescape(v): (unescape(h), int(n)) for h, v, n in re.findall(
        r'<a class="opt[^"]*" href="([^"]+)">.*?<span class="v">([^<]+)</span>.*?<span class="count">(\d+)</span>',
        section.group(1), re.S)}


def test_home_offers_search_browsing_newest_and_figures(client):
    html = page(client, "/")
    assert 'name="q"' in html and "国务院办公厅" in html
    assert re.search(r"<dt>公开文件</dt><dd>40</dd>", html)
    assert "按发文机关" in html and "按年份" in html and "最新文件" in html
    assert 'type="application/atom+xml"' in html


def test_results_page_and_api_agree(client):
    html = page(client, "/search?q=国务院")
    data = client.get("/api/search?q=国务院").get_json()
    assert total(html) == data["total"]
    for hit in data["hits"]:
        assert f'/doc/{hit["id"]}' in html
    assert "<mark>国务院</mark>" in html
    assert {"id", "title", "doc_number", "agency", "written_date", "published_date", "doc_type",
            "filename", "score", "snippet"} <= set(data["hits"][0])
    assert {"timeline", "relax", "suggestion", "facets"} <= set(data)


def test_facet_link_narrows_and_chip_removes(client):
    html = page(client, "/search?q=通知")
    link, count = facet(html, "agency")["国务院办公厅"]
    narrowed = page(client, link)
    assert total(narrowed) == count < total(html)
    chip = href(narrowed, r"发文机关：国务院办公厅")
    assert total(page(client, chip)) == total(html)


def test_multi_select_within_a_facet_ors_and_other_values_stay_offered(client):
    html = page(client, "/search?q=")
    agencies = facet(html, "agency")
    (a, (link_a, n_a)), (b, (_, n_b)) = list(agencies.items())[:2]
    one = page(client, link_a)
    offered = facet(one, "agency")
    assert offered[a][1] == n_a and offered[b][1] == n_b   # counts as if agency were unselected
    both = page(client, offered[b][0])
    assert total(both) == n_a + n_b
    assert both.count('<a class="opt on"') == 2
    assert both.count("发文机关：") == 2  # two removable chips


def test_timeline_is_svg_with_year_links_and_a_text_table(client):
    html = page(client, "/search?q=")
    svg = re.search(r"<svg[^>]*>.*?</svg>", html, re.S).group(0)
    bars = re.findall(r'<a href="([^"]+)" aria-label="(\d{4})年：(\d+) 件', svg)
    assert bars and sum(int(n) for *_, n in bars) == total(html)
    link, year, n = next(b for b in bars if int(b[2]))
    filtered = page(client, unescape(link))
    assert total(filtered) == int(n) and f"年份：{year}年" in filtered
    assert re.search(r'class="bar on"', filtered)   # the chosen year stays visible, marked
    table = re.search(r'<details class="as-table">.*?</details>', html, re.S).group(0)
    assert f">{year}年</a>" in table


def test_sort_by_date_orders_newest_first(client):
    data = client.get("/api/search?q=通知&sort=date&limit=50").get_json()
    dates = [h["written_date"] or h["published_date"] for h in data["hits"]]
    assert dates == sorted(dates, reverse=True)
    html = page(client, "/search?q=通知")
    assert "sort=date" in href(html, r"日期（新→旧）")


def test_paging_is_stable_and_numbered(client):
    first = client.get("/api/search?q=&limit=15").get_json()
    second = client.get("/api/search?q=&limit=15&offset=15").get_json()
    ids = [h["id"] for h in first["hits"] + second["hits"]]
    assert len(ids) == len(set(ids)) == 30
    html = page(client, "/search?q=&page=2")
    assert 'rel="prev"' in html and "第 2 / 2 页" in html and 'aria-current="page"' in html
    assert page(client, "/search?q=&page=2") .count("/doc/") == html.count("/doc/")


def test_no_results_offers_relaxed_searches_with_counts(client):
    html = page(client, "/search?q=国务院 量子纠缠&agency=国务院办公厅")
    assert total(html) == 0 and "没有找到相关文件" in html
    assert "只需包含任一词：国务院 OR 量子纠缠" in html
    r = client.get("/api/search?q=国务院&agency=国务院办公厅&doc_type=不存在的种类").get_json()
    assert r["total"] == 0
    assert {"remove": ["doc_type", "不存在的种类"], "total": r["relax"][0]["total"]} in r["relax"]


def test_suggestion_and_hit_page_are_rendered_when_the_service_gives_them(client, govcn, monkeypatch):
    real = govcn.search

    def with_extras(s, visibility=("主动公开",)):
        r = real(s, visibility)
        r["suggestion"] = "国务院办公厅"
        for h in r["hits"]:
            h["page"] = 2
        return r

    monkeypatch.setattr(govcn, "search", with_extras)
    html = page(client, "/search?q=国务院办工厅")
    assert "您是不是要找：" in html and "q=%E5%9B%BD%E5%8A%A1%E9%99%A2%E5%8A%9E%E5%85%AC%E5%8E%85" in html
    html = page(client, "/search?q=国务院")
    assert "命中在第 2 页" in html and "#page-2" in html


def test_bad_requests_never_error(client):
    for url in ['/search?q="', "/search?q=((", "/search?q=" + "征" * 5000, "/search?page=abc",
                "/search?page=-3&limit=0", "/search?year=abcd", "/search?sort=evil", "/search?q=%00",
                "/api/search?offset=99999999&limit=99999", "/feed?q=((&year=x", "/api/facets?year=1",
                "/search?page=999999", "/?lang=xx"]:
        assert client.get(url).status_code == 200, url
    assert client.get("/doc/nope").status_code == 404
    assert client.get("/api/documents/nope").get_json() == {"error": "not found"}
    assert client.get("/api/nothing-here").status_code == 404
    assert client.get("/doc/nope/original/" + "0" * 64).status_code == 404
    assert client.post("/api/search").status_code == 405
