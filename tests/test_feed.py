"""Feeds people can use: the subscription page (what it follows, the address to copy, the latest entries),
feed entries dated by the day added when a document has no date, and 最近收录 on the home page; none of
them ever shows a restricted document to the public."""
from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import quote, unquote

import pytest
from canary_corpus import MARKERS, documents, load, secrets_of
from conftest import close_archive
from staff_support import add_users, live_server, staff_client

from web import create_app

ATOM = "{http://www.w3.org/2005/Atom}"
UNDATED_TITLE = "关于海域巡查值班安排的通知"


def undated_doc(folder: Path) -> dict:
    """A public document without 成文日期 or 发布日期 (as many scanned notices arrive), its file in `folder`."""
    text = f"{UNDATED_TITLE}\n\n海域 巡查 值班 安排。请各单位按表值班。"
    path = folder / "undated.txt"
    path.write_text(text, encoding="utf-8")
    sha = hashlib.sha256(text.encode()).hexdigest()
    return {"id": sha[:16], "metadata": {"title": UNDATED_TITLE, "agency": "示例市人民政府", "doc_type": "通知"},
            "pages": [text], "disclosure": "主动公开", "path": path,
            "original": {"sha256": sha, "filename": "undated.txt", "source": str(path),
                         "mime": "text/plain", "size": len(text.encode()), "extractor": "text"}}


@pytest.fixture(scope="module")
def apps(tmp_path_factory):
    """(full app, twin app, public docs, restricted docs): the canary corpus and an undated notice;
    the twin holds the public documents only. The restricted ones are added last (newest)."""
    from archive import Archive, Settings

    folder = tmp_path_factory.mktemp("feed-files")
    public, restricted = documents(folder)
    public = [*public, undated_doc(folder)]
    full = Archive(Settings(data_dir=tmp_path_factory.mktemp("feed-full")))
    twin = Archive(Settings(data_dir=tmp_path_factory.mktemp("feed-twin")))
    load(full, public + restricted)
    load(twin, public)
    add_users(full)
    cfg = {"SECRET_KEY": "feed"}
    yield create_app(archive=full, config=cfg), create_app(archive=twin, config=cfg), public, restricted
    close_archive(full)
    close_archive(twin)


CST = timezone(timedelta(hours=8))


def today_cst() -> str:
    return datetime.now(CST).date().isoformat()


def test_an_undated_entry_is_dated_by_the_day_it_was_added_not_2000(apps):
    """Regression: undated documents were dated 2000-01-01 in every feed."""
    full, _, public, _ = apps
    body = full.test_client().get("/feed?q=" + quote("海域")).get_data(as_text=True)
    assert "2000-01-01" not in body
    entries = {e.find(f"{ATOM}title").text: e.find(f"{ATOM}updated").text
               for e in ET.fromstring(body).iter(f"{ATOM}entry")}
    added = full.extensions["gongkai"].catalog.document(public[-1]["id"])["created_at"]
    assert entries[UNDATED_TITLE] == f"{datetime.fromtimestamp(added, CST).date()}T00:00:00+08:00"
    assert entries["关于海域围填项目管理的通知"] == "2019-03-05T00:00:00+08:00"   # a dated one keeps its date


def test_results_link_to_a_readable_subscription_page_and_the_feed_stays_atom(apps):
    full, *_ = apps
    client = full.test_client()
    results = client.get("/search?q=" + quote("资金") + "&agency=" + quote("示例市财政局")).get_data(as_text=True)
    link = re.search(r'<a class="feed" href="([^"]+)">订阅此检索</a>', results).group(1).replace("&amp;", "&")
    assert link.startswith("/subscribe?")
    resp = client.get(link)
    assert resp.status_code == 200 and resp.mimetype == "text/html"
    page = resp.get_data(as_text=True)
    address = re.search(r'<textarea id="feed-url" readonly[^>]*>([^<]+)</textarea>', page).group(1)
    address = address.replace("&amp;", "&")
    assert address.startswith("http://localhost/feed?") and unquote(address).count("示例市财政局") == 1
    assert 'data-copy="feed-url"' in page                                  # the copy button (shown by app.js)
    follows = page.split('id="follows-h"')[1].split("</section>")[0]
    assert "资金" in follows and "示例市财政局" in follows
    latest = page.split('id="latest-h"')[1]
    assert "关于财政资金绩效管理的意见" in latest and "示财发〔2020〕12号" in latest
    assert '<link rel="alternate" type="application/atom+xml"' in page
    feed = client.get(address.removeprefix("http://localhost"))
    assert feed.mimetype == "application/atom+xml" and b"<feed" in feed.data
    assert "关于财政资金绩效管理的意见" in feed.get_data(as_text=True)


def test_the_subscription_page_in_english_and_for_the_whole_archive(apps):
    full, *_ = apps
    en = full.test_client().get("/subscribe?lang=en").get_data(as_text=True)
    assert "Subscribe to the newest documents" in en and "All public documents, with no search terms" in en
    assert "Feed address" in en and "lang=en" in re.search(r'<textarea id="feed-url"[^>]*>([^<]+)<', en).group(1)
    undated = full.test_client().get("/subscribe?lang=en&q=" + quote("巡查")).get_data(as_text=True)
    assert re.search(r"<span>added \d{4}-\d{2}-\d{2}</span>", undated)   # the undated notice says when it came


def test_home_lists_recently_added_public_documents_only(apps):
    full, twin, public, restricted = apps
    anon = full.test_client().get("/").get_data(as_text=True)
    recent = anon.split('id="recent-h"')[1].split("</section>")[0]
    titles = re.findall(r'<a href="/doc/\w+">([^<]+)</a>', recent)
    assert titles[0] == UNDATED_TITLE                    # the last public document added comes first
    assert len(titles) == 8 and not {d["metadata"]["title"] for d in restricted} & set(titles)
    assert today_cst()[:4] + "年" in recent and "收录" in recent
    assert recent == twin.test_client().get("/").get_data(as_text=True).split('id="recent-h"')[1].split(
        "</section>")[0]
    staff = staff_client(full, "viewer").get("/").get_data(as_text=True).split('id="recent-h"')[1]
    assert restricted[-1]["metadata"]["title"] in staff   # staff see what they may see


def test_the_subscription_page_never_shows_a_restricted_document(apps):
    full, twin, _, restricted = apps
    secrets = secrets_of(restricted)
    a, b = full.test_client(), twin.test_client()
    shapes = ["", "q=" + quote("资金"), "q=" + quote("海域 OR 矿区"), "year=1931", "agency=" + quote("犇羴鱻管理局"),
              "doc_type=" + quote("纪要") + "&lang=en", "disclosure=" + quote("依申请公开")]
    shapes += ["q=" + quote(m) for m in MARKERS]
    for qs in shapes:
        for route in ("/subscribe", "/feed"):
            url = f"{route}?{qs}"
            mine, theirs = a.get(url), b.get(url)
            assert mine.status_code == theirs.status_code == 200, url
            body = mine.get_data(as_text=True)
            assert body == theirs.get_data(as_text=True), url
            sent = unquote(url)
            for secret, trigger in secrets:
                assert trigger in sent or secret not in body, (secret, url)


def test_subscription_page_in_a_browser_copy_button_and_accessibility(apps, browser):
    """The address is copied by the button; the page passes axe-core at desktop and phone widths."""
    full, *_ = apps
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")
    with live_server(full) as base:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
        tab = context.new_page()
        errors: list[str] = []
        tab.on("pageerror", lambda e: errors.append(str(e)))
        tab.goto(base + "/search?q=" + quote("资金"))
        tab.get_by_role("link", name="订阅此检索").click()
        tab.wait_for_load_state()
        assert tab.locator("h1").inner_text() == "订阅此检索"
        address = tab.locator("#feed-url").input_value()
        assert address.startswith(base + "/feed?q=")
        button = tab.get_by_role("button", name="复制订阅地址")
        button.click()
        tab.wait_for_function("() => document.querySelector('button.copy').textContent === '已复制'")
        assert tab.evaluate("navigator.clipboard.readText()") == address
        found = {}
        axe = axe_module.Axe()
        for width in (1280, 390):
            tab.set_viewport_size({"width": width, "height": 844})
            for path in ("/subscribe?q=" + quote("资金"), "/subscribe?lang=en", "/"):
                tab.goto(base + path)
                result = axe.run(tab, options={"runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa",
                                                           "best-practice"]})
                bad = [v["id"] for v in result.response["violations"] if v["impact"] in ("serious", "critical")]
                if bad:
                    found[f"{path} @{width}"] = bad
        context.close()
        assert not found, found
        assert not errors, errors
