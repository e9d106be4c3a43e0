"""A real browser against `gongkai serve --demo`: search, facets, timeline, sort, paging, document,
download, feed, language, keyboard, no-JS, phone width, and an axe-core accessibility check."""
import hashlib
import os
import re
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from conftest import SAMPLES

# Screenshots go to a temporary folder; GONGKAI_SCREENSHOTS=docs/screenshots refreshes the documented ones.
SHOTS = Path(os.environ.get("GONGKAI_SCREENSHOTS") or Path(tempfile.gettempdir()) / "gongkai-screenshots")
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory, gongkai):
    """`gongkai serve --demo` on a free port, as a user would start it."""
    port = free_port()
    data = tmp_path_factory.mktemp("demo")
    proc = subprocess.Popen(
        [*gongkai, "--data", str(data), "serve", "--demo", "--port", str(port)],
        cwd=data, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 120
    lines = []
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        lines.append(line)
        if f"open {url}" in line:
            break
        if proc.poll() is not None:
            pytest.fail("server exited:\n" + "".join(lines))
    else:
        proc.kill()
        pytest.fail("server did not start:\n" + "".join(lines))
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    yield url, "".join(lines)
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture
def page(server, browser):
    """A fresh desktop tab that fails the test on any request leaving the site or any JS error."""
    url, _ = server
    context = browser.new_context(viewport=DESKTOP, accept_downloads=True)
    tab = context.new_page()
    foreign, errors = [], []
    tab.on("request", lambda r: r.url.startswith(url) or r.url.startswith("data:") or foreign.append(r.url))
    tab.on("pageerror", lambda e: errors.append(str(e)))
    tab.base = url.rstrip("/")
    yield tab
    context.close()
    assert not foreign, f"third-party requests: {foreign}"
    assert not errors, f"JavaScript errors: {errors}"


def total(tab) -> int:
    return int(tab.locator("#total").inner_text())


def shot(tab, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(SHOTS / name), full_page=True)


def search(tab, q: str) -> None:
    tab.goto(tab.base + "/")
    tab.get_by_label("检索词").fill(q)
    tab.get_by_role("button", name="检索").click()
    tab.wait_for_url("**/search?q=*")


def test_demo_summary_has_no_failures(server):
    _, log = server
    assert re.search(r"ingested \d+, skipped \(already present\) 0, failed 0", log), log


def test_home_and_search(page):
    page.goto(page.base + "/")
    assert page.locator("dl.figures dd").first.inner_text() == "40"
    shot(page, "home-desktop.png")
    search(page, "政务公开")
    assert total(page) >= 2 and page.locator(".snippet mark").count() > 0
    assert page.locator("figure.timeline svg a").count() >= 2
    shot(page, "results-desktop.png")


def test_facet_narrowing_multi_select_and_chip_removal(page):
    search(page, "公开")
    everything = total(page)
    options = page.locator("section.facet[aria-labelledby=facet-agency] a.opt")
    counts = [int(options.nth(i).locator(".count").inner_text()) for i in range(2)]
    options.nth(0).click()
    page.wait_for_load_state()
    assert total(page) == counts[0] and page.locator("ul.chips.active li").count() == 1
    page.locator("section.facet[aria-labelledby=facet-agency] a.opt:not(.on)").first.click()
    page.wait_for_load_state()
    assert page.locator("ul.chips.active li").count() == 2
    assert total(page) == counts[0] + counts[1]
    page.locator("ul.chips.active a").first.click()
    page.wait_for_load_state()
    page.locator("ul.chips.active a").first.click()
    page.wait_for_load_state()
    assert total(page) == everything and page.locator("ul.chips.active").count() == 0


def test_timeline_bar_filters_by_year(page):
    page.goto(page.base + "/search?q=")
    bar = page.locator("figure.timeline svg a.bar").filter(has=page.locator("text.n")).first
    label = bar.get_attribute("aria-label")
    year, n = re.match(r"(\d{4})年：(\d+) 件", label).groups()
    bar.click()
    page.wait_for_load_state()
    assert total(page) == int(n)
    assert parse_qs(urlparse(page.url).query)["year"] == [year]
    assert page.locator("figure.timeline svg a.bar.on").count() == 1
    page.locator("details.as-table summary").click()
    assert page.locator("details.as-table table").is_visible()


def test_sort_by_date_and_paging(page):
    page.goto(page.base + "/search?q=")
    page.get_by_role("link", name="日期（新→旧）").click()
    page.wait_for_load_state()
    assert "sort=date" in page.url
    first_page = page.locator(".hit h2 a").all_inner_texts()
    page.locator("nav.pager a[rel=next]").click()
    page.wait_for_load_state()
    assert "page=2" in page.url and "sort=date" in page.url
    second_page = page.locator(".hit h2 a").all_inner_texts()
    assert len(first_page) == 20 and second_page and not set(first_page) & set(second_page)
    shared = page.url
    page.goto(shared)                                  # the URL alone reproduces the page
    assert page.locator(".hit h2 a").all_inner_texts() == second_page
    assert re.sub(r"\s", "", page.locator("nav.pager a[aria-current=page]").text_content()) == "第2页"


def test_document_hit_navigation_download_and_citation(page, tmp_path):
    search(page, "征地补偿")
    page.locator(".hit h2 a").first.click()
    page.wait_for_load_state()
    assert page.locator("table.meta-table").is_visible()
    marks = page.locator(".fulltext mark")
    assert marks.count() >= 2
    nav = page.locator(".hitnav")
    nav.get_by_role("button", name="下一处 ›").click()
    assert nav.locator(".where").inner_text() == f"1 / {marks.count()}"
    assert page.url.endswith("#hit-1")
    nav.get_by_role("button", name="下一处 ›").click()
    assert page.locator("mark.current").get_attribute("id") == "hit-2"
    nav.get_by_role("button", name="‹ 上一处").click()
    assert page.locator("mark.current").get_attribute("id") == "hit-1"
    assert page.locator("mark.current").is_visible()
    assert "[EB/OL]" in page.locator("#citation").input_value()
    shot(page, "document-desktop.png")
    with page.expect_download() as info:
        page.locator("a.download").first.click()
    download = info.value
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    originals = {hashlib.sha256(p.read_bytes()).hexdigest(): p.name for p in SAMPLES.rglob("*") if p.is_file()}
    assert originals[hashlib.sha256(saved.read_bytes()).hexdigest()] == download.suggested_filename
    assert re.search(r"[\u4e00-\u9fff]", download.suggested_filename)  # Chinese name intact


def test_feed_subscription_link(page):
    page.goto(page.base + "/search?q=征地&agency=示例县人民政府")
    link = page.locator("a.feed", has_text="订阅此检索")
    href = link.get_attribute("href")
    assert href.startswith("/subscribe?") and "agency=" in href   # a page that says what the feed is
    link.click()
    page.wait_for_load_state()
    feed = page.locator("#feed-url").input_value()
    assert "/feed?" in feed and "agency=" in feed
    resp = page.request.get(feed)
    assert resp.headers["content-type"].startswith("application/atom+xml")
    assert "<feed" in resp.text() and "征地" in resp.text()
    assert page.locator("head link[type='application/atom+xml']").count() == 1


def test_language_switch_keeps_the_search(page):
    page.goto(page.base + "/search?q=征地&sort=date")
    page.get_by_role("link", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Results for “征地”"
    assert {"q": ["征地"], "sort": ["date"], "lang": ["en"]} == parse_qs(urlparse(page.url).query)
    page.locator(".hit h2 a").first.click()
    page.wait_for_load_state()
    assert "lang=en" in page.url and page.get_by_role("link", name="Download original").count() >= 1
    page.get_by_role("link", name="中文").click()
    page.wait_for_load_state()
    assert "lang=" not in page.url and page.locator("html").get_attribute("lang") == "zh-CN"


def focus_until(tab, selector: str, limit: int = 80) -> None:
    for _ in range(limit):
        tab.keyboard.press("Tab")
        if tab.evaluate("s => document.activeElement.matches(s)", selector):
            style = tab.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
            assert style != "none", f"no visible focus on {selector}"
            return
    pytest.fail(f"never reached {selector} with Tab")


def enter_and_load(tab) -> None:
    with tab.expect_navigation():
        tab.keyboard.press("Enter")


def test_keyboard_only(page):
    page.goto(page.base + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    assert page.locator("a.skip").bounding_box()["x"] >= 0          # the skip link shows on focus
    page.keyboard.press("Enter")
    focus_until(page, "#q")
    page.keyboard.type("政务公开")
    enter_and_load(page)
    before = total(page)
    focus_until(page, "a.opt")
    enter_and_load(page)
    assert total(page) < before
    focus_until(page, "figure.timeline svg a")
    focus_until(page, ".hit h2 a")
    enter_and_load(page)
    focus_until(page, ".hitnav button:nth-of-type(2)")
    page.keyboard.press("Enter")
    assert page.locator(".hitnav .where").inner_text().startswith("1 / ")


def test_core_flows_work_without_javascript(server, browser):
    url, _ = server
    context = browser.new_context(java_script_enabled=False, viewport=DESKTOP)
    tab = context.new_page()
    tab.goto(url)
    tab.get_by_label("检索词").fill("征地补偿")
    tab.get_by_role("button", name="检索").click()
    tab.wait_for_url("**/search?q=*")
    tab.locator("section.facet a.opt").first.click()
    tab.wait_for_load_state()
    assert tab.locator("ul.chips.active li").count() == 1
    tab.locator("figure.timeline svg a.bar").first.click()
    tab.wait_for_load_state()
    tab.locator(".hit h2 a").first.click()
    tab.wait_for_load_state()
    tab.locator(".hitlinks a").nth(1).click()
    assert tab.url.endswith("#hit-2")
    assert tab.locator("#citation").is_visible() and not tab.locator("button.copy").is_visible()
    context.close()


def test_phone_width(server, browser):
    url, _ = server
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    tab = context.new_page()
    for path, name in [("/", "home-phone.png"), ("/search?q=政务公开", "results-phone.png")]:
        tab.goto(url.rstrip("/") + path)
        assert tab.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
        shot(tab, name)
    assert tab.locator("details#filters").get_attribute("open") is None   # folded on phones
    tab.locator(".hit h2 a").first.click()
    tab.wait_for_load_state()
    assert tab.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(tab, "document-phone.png")
    context.close()


A11Y_PAGES = ["/", "/search?q=政务公开", "/search?q=公开&agency=示例市人民政府&year=2019&sort=date",
              "/search?q=不存在的词汇&doc_type=通知", "/search?q=&page=2", "/?lang=en",
              "/search?q=征地&lang=en"]


def test_accessibility_axe_core_finds_no_serious_violations(server, browser):
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")
    url, _ = server
    context = browser.new_context(viewport=DESKTOP)
    tab = context.new_page()
    tab.goto(url.rstrip("/") + "/search?q=征地补偿")
    doc = tab.locator(".hit h2 a").first.get_attribute("href")
    axe = axe_module.Axe()
    found = {}
    for path in A11Y_PAGES + [doc, doc.split("?")[0], "/nope"]:
        for viewport in (DESKTOP, PHONE):
            tab.set_viewport_size(viewport)
            tab.goto(url.rstrip("/") + path)
            result = axe.run(tab, options={"runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa",
                                                       "best-practice"]})
            for v in result.response["violations"]:
                if v["impact"] in ("serious", "critical"):
                    found.setdefault(f"{path} @{viewport['width']}", []).append(
                        (v["id"], [n["target"] for n in v["nodes"]][:3]))
    context.close()
    assert not found, found
