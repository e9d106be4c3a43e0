"""The staff flow in a real browser (Debian's Chromium via Playwright): sign in, upload a file, watch
the run finish (live with JavaScript, by page refresh without), mark the document 不予公开 and see it
leave the public search; staff pages pass axe-core without serious violations."""
from __future__ import annotations

import re

import pytest
from canary_corpus import documents, load
from staff_support import PASSWORD, add_users, live_server
from test_browser import DESKTOP, PHONE, SHOTS

from web import create_app

NOTICE = "关于珊瑚礁保护区管理的通知\n\n示例市人民政府\n\n珊瑚礁保护区 管理 巡护。为加强珊瑚礁保护，现通知如下。"


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    from archive import Archive, Settings

    a = Archive(Settings(data_dir=tmp_path_factory.mktemp("staff-browser")))
    public, restricted = documents(tmp_path_factory.mktemp("staff-browser-files"))
    load(a, public + restricted)
    add_users(a)
    with live_server(create_app(archive=a)) as url:
        yield url
    a.close()


def sign_in(tab, base: str, user: str) -> None:
    tab.goto(base + "/staff/login")
    tab.get_by_label("用户名").fill(user)
    tab.get_by_label("密码").fill(PASSWORD)
    tab.get_by_role("button", name="登录").click()
    tab.wait_for_url(base + "/staff/")


def upload(tab, base: str, path, disclosure: str) -> None:
    tab.goto(base + "/staff/ingest")
    tab.set_input_files("#files", str(path))
    tab.get_by_label(disclosure, exact=True).check()
    tab.get_by_role("button", name="上传并开始导入").click()
    tab.wait_for_url(re.compile(r".*/staff/jobs/[0-9a-f]+$"))


def test_sign_in_upload_watch_edit_and_the_public_no_longer_finds_it(base, browser, tmp_path):
    staff = browser.new_context()
    tab = staff.new_page()
    errors, polls = [], []
    tab.on("pageerror", lambda e: errors.append(str(e)))
    tab.on("request", lambda r: "progress.json" in r.url and polls.append(r.url))
    sign_in(tab, base, "editor")
    f = tmp_path / "珊瑚礁保护区.txt"
    f.write_text(NOTICE, encoding="utf-8")
    upload(tab, base, f, "主动公开")
    tab.wait_for_selector('#job-state[data-state="finished"]', timeout=90_000)
    assert polls, "the page did not poll the progress endpoint"
    assert tab.locator("#job-ingested").inner_text() == "1" and tab.locator("#job-failed").inner_text() == "0"

    public = browser.new_context()
    anon = public.new_page()
    anon.goto(base + "/search?q=珊瑚礁保护区")
    assert anon.locator("#total").inner_text() == "0"   # an upload waits for a staff member's release
    tab.goto(base + "/staff/review")
    tab.get_by_role("button", name="发布", exact=True).first.click()
    tab.wait_for_load_state()
    anon.goto(base + "/search?q=珊瑚礁保护区")
    assert anon.locator("#total").inner_text() == "1"

    tab.goto(base + "/search?q=珊瑚礁保护区")
    tab.locator(".hit h2 a").first.click()
    tab.wait_for_load_state()
    doc_url = tab.url.split("?")[0]
    tab.get_by_role("link", name="编辑元数据和公开属性").click()
    tab.wait_for_load_state()
    tab.get_by_label("不予公开", exact=True).check()
    tab.get_by_role("button", name="保存").click()
    tab.wait_for_load_state()
    assert "不予公开须注明法定理由" in tab.locator(".error").inner_text()   # the reason is required
    tab.get_by_label("不予公开", exact=True).check()
    tab.get_by_label("不予公开的法定理由").fill("涉及国家秘密")
    tab.get_by_label("有效性").select_option("已废止")
    tab.get_by_role("button", name="保存").click()
    tab.wait_for_url(doc_url)
    assert tab.locator("h1 .badge.refused").inner_text() == "不予公开"
    assert "涉及国家秘密" in tab.locator(".notice.restricted").inner_text()

    anon.goto(base + "/search?q=珊瑚礁保护区")
    assert anon.locator("#total").inner_text() == "0"
    assert anon.goto(doc_url).status == 404
    tab.goto(base + "/search?q=珊瑚礁保护区")
    assert tab.locator("#total").inner_text() == "1" and tab.locator(".hit .badge.refused").count() == 1
    staff.close()
    public.close()
    assert not errors, errors


PII_ID = "11010519491231002X"
PII_NOTICE = (f"关于珊瑚湾渔民补贴发放的公示\n\n示例市海洋局\n\n姓名：张三丰，身份证号：{PII_ID}，联系电话：13812345678。\n"
              "珊瑚湾 渔民 补贴 资金 按照 标准 发放 接受 社会 监督。")


def test_review_flags_a_planted_id_number_and_publishes_it_redacted(base, browser, tmp_path):
    staff = browser.new_context(viewport=DESKTOP)
    tab = staff.new_page()
    sign_in(tab, base, "editor")
    f = tmp_path / "珊瑚湾补贴公示.txt"
    f.write_text(PII_NOTICE, encoding="utf-8")
    upload(tab, base, f, "主动公开")
    tab.wait_for_selector('#job-state[data-state="finished"]', timeout=90_000)
    tab.goto(base + "/staff/review")
    item = tab.locator(".review-item", has_text="珊瑚湾渔民补贴")
    assert "110***********002X" in item.inner_text() and "身份证号 1" in item.inner_text()
    assert PII_ID not in tab.content() and "13812345678" not in tab.content()
    screenshots(tab, "staff-review")
    item.get_by_role("button", name="遮蔽个人信息后发布").click()
    tab.wait_for_load_state()
    assert "已遮蔽个人信息后发布 1 个文件" in tab.content()

    public = browser.new_context(viewport=DESKTOP)
    anon = public.new_page()
    anon.goto(base + "/search?q=珊瑚湾渔民")
    assert anon.locator("#total").inner_text() == "1"
    anon.locator(".hit h2 a").first.click()
    anon.wait_for_load_state()
    body = anon.locator("main").inner_text()
    assert "110***********002X" in body and "138****5678" in body and "张**" in body
    assert PII_ID not in anon.content() and "张三丰" not in anon.content()
    assert anon.get_by_role("link", name="下载原件").count() == 0 and "原件含个人信息" in body
    screenshots(anon, "document-redacted")
    doc_url = anon.url.split("?")[0]
    anon.goto(base + "/search?q=" + PII_ID)
    assert anon.locator("#total").inner_text() == "0"

    tab.goto(doc_url)     # staff: the original and a way back
    assert tab.get_by_role("link", name="下载原件").count() == 1 and "公开的文字已遮蔽 3 处个人信息" in tab.content()
    staff.close()
    public.close()


def screenshots(tab, name: str) -> None:
    """The page at desktop and phone widths, into SHOTS (docs/screenshots with GONGKAI_SCREENSHOTS set)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width, size in (("desktop", DESKTOP), ("phone", PHONE)):
        tab.set_viewport_size(size)
        tab.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    tab.set_viewport_size(DESKTOP)


def test_progress_page_works_without_javascript(base, browser, tmp_path):
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    sign_in(tab, base, "editor")
    f = tmp_path / "无脚本上传.txt"
    f.write_text("关于无脚本上传测试的通知\n\n正文：无脚本 上传 测试。", encoding="utf-8")
    upload(tab, base, f, "依申请公开")
    tab.wait_for_selector('#job-state[data-state="finished"]', timeout=90_000)  # by <noscript> refresh
    assert tab.locator("#job-ingested").inner_text() == "1"
    context.close()


def test_staff_pages_pass_axe_core(base, browser):
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")
    context = browser.new_context()
    tab = context.new_page()
    tab.goto(base + "/staff/login")
    axe = axe_module.Axe()
    found = {}

    def check(name):
        result = axe.run(tab, options={"runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]})
        bad = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result.response["violations"]
               if v["impact"] in ("serious", "critical")]
        if bad:
            found[name] = bad

    check("login")
    sign_in(tab, base, "admin")
    tab.goto(base + "/search?q=资金")
    doc = tab.locator(".hit h2 a").first.get_attribute("href").split("?")[0]
    for path in ["/staff/", "/staff/ingest", "/staff/users", "/staff/audit", "/staff/review", doc + "", "/search?q=资金",
                 "/staff/doc/" + doc.rsplit("/", 1)[1] + "/edit", "/staff/?lang=en"]:
        tab.goto(base + path)
        check(path)
    runs = tab.goto(base + "/staff/ingest") and tab.locator("table.data a").all()
    if runs:
        runs[0].click()
        tab.wait_for_load_state()
        check("run")
    context.close()
    assert not found, found
