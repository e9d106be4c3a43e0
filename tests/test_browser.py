"""A real browser against `gongkai serve --demo`: search, narrow by facet, open, download."""
import hashlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO, SAMPLES, require

CHROMIUM = os.environ.get("GONGKAI_CHROMIUM", "/usr/bin/chromium")
SHOTS = Path(os.environ.get("GONGKAI_SCREENSHOTS", REPO / "docs" / "screenshots"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`gongkai serve --demo` on a free port, as a user would start it."""
    port = free_port()
    data = tmp_path_factory.mktemp("demo")
    proc = subprocess.Popen(
        [sys.executable, "-m", "web.cli", "--data", str(data), "serve", "--demo", "--port", str(port)],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
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


@pytest.fixture(scope="module")
def browser():
    require(shutil.which(CHROMIUM) is not None or Path(CHROMIUM).exists(),
            f"chromium not found at {CHROMIUM} (apt-get install chromium)")
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield b
        b.close()


def test_demo_summary_has_no_failures(server):
    _, log = server
    assert re.search(r"ingested \d+, skipped \(already present\) 0, failed 0", log), log


def test_search_facet_open_download(server, browser, tmp_path):
    url, _ = server
    page = browser.new_page(accept_downloads=True, viewport={"width": 1280, "height": 900})
    page.goto(url)
    page.get_by_label("检索词").fill("政务公开")
    page.get_by_role("button", name="检索").click()
    page.wait_for_url("**/search?q=*")
    total = int(page.locator("#total").inner_text())
    assert total >= 2
    assert page.locator(".snippet mark").count() > 0
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "results-desktop.png"), full_page=True)

    facet = page.locator(".facet").first.locator("li a").first
    facet_count = int(facet.locator("xpath=../span[@class='count']").inner_text())
    facet.click()
    page.wait_for_load_state()
    assert int(page.locator("#total").inner_text()) == facet_count
    assert page.locator("ul.chips.active li").count() == 1

    page.locator(".hit h2 a").first.click()
    page.wait_for_load_state()
    assert page.locator("table.meta-table").is_visible()
    assert page.locator(".text mark").count() > 0
    page.screenshot(path=str(SHOTS / "document-desktop.png"), full_page=True)

    with page.expect_download() as info:
        page.locator("a.download").first.click()
    download = info.value
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    originals = {hashlib.sha256(p.read_bytes()).hexdigest() for p in SAMPLES.rglob("*") if p.is_file()}
    assert hashlib.sha256(saved.read_bytes()).hexdigest() in originals
    assert (SAMPLES.rglob(download.suggested_filename)).__next__()  # original name kept


def test_phone_width_home(server, browser):
    url, _ = server
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(url)
    assert page.get_by_label("检索词").is_visible()
    page.screenshot(path=str(SHOTS / "home-phone.png"), full_page=True)
