"""The page-image view in a real browser (Debian's Chromium via Playwright): a PDF hit opens at its page with the
hit boxed on the image, at desktop and phone widths; the view and the subscribe page pass axe-core."""
from __future__ import annotations

import pytest
from staff_support import live_server
from test_browser import DESKTOP, PHONE

from web import create_app


@pytest.fixture(scope="module")
def base(corpus, tmp_path_factory):
    """The Putuo 决算 PDFs (real text-layer PDFs with tables) ingested and served."""
    from archive import Archive, Settings
    from ingest.pipeline import ingest

    a = Archive(Settings(data_dir=tmp_path_factory.mktemp("viewer-browser")))
    assert ingest(a, [corpus / "shanghai-putuo-juesuan"]).ingested >= 3
    with live_server(create_app(archive=a)) as url:
        yield url
    a.close()


def boxed(tab) -> list[dict]:
    """The hit boxes drawn over the page image, in page coordinates, after the image has loaded."""
    tab.wait_for_function("() => { const i = document.querySelector('.page-image img');"
                          " return i && i.complete && i.naturalWidth > 0; }")
    return [r.bounding_box() for r in tab.locator(".page-image svg.hits rect").all()]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_pdf_hit_opens_at_its_page_with_the_hit_boxed_on_the_image(base, browser, viewport):
    context = browser.new_context(viewport=viewport)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda e: errors.append(str(e)))
    tab.goto(base + "/search?q=一般公共预算财政拨款")
    tab.locator(".hit h2 a").first.click()
    tab.wait_for_load_state()
    tab.get_by_role("link", name="原件页面").click()
    tab.wait_for_load_state()
    assert "view=image" in tab.url
    pages_with_hits = tab.locator(".viewer-hits a").all()
    assert pages_with_hits, "no page with a hit is listed"
    current = tab.locator(".viewer-hits a[aria-current=page]").inner_text()
    assert current == pages_with_hits[0].inner_text()          # it opened at the first page with a hit
    image = tab.locator(".page-image img").bounding_box()
    boxes = boxed(tab)
    assert boxes and image and image["width"] <= viewport["width"]
    for b in boxes:                                             # each box lies on the image, with a size
        assert b["width"] > 2 and b["height"] > 2
        assert image["x"] - 1 <= b["x"] and b["x"] + b["width"] <= image["x"] + image["width"] + 1
        assert image["y"] - 1 <= b["y"] and b["y"] + b["height"] <= image["y"] + image["height"] + 1
    if len(pages_with_hits) > 1:                                # another page with a hit: boxed there too
        pages_with_hits[1].click()
        tab.wait_for_load_state()
        assert boxed(tab)
    context.close()
    assert not errors, errors


def test_the_image_view_and_the_subscribe_page_pass_axe_core(base, browser):
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")
    context = browser.new_context(viewport=DESKTOP)
    tab = context.new_page()
    tab.goto(base + "/search?q=决算")
    doc = tab.locator(".hit h2 a").first.get_attribute("href").split("?")[0]
    axe, found = axe_module.Axe(), {}
    for path in [doc + "?q=决算&view=image", doc + "?view=image&page=2", "/subscribe?q=决算", "/subscribe"]:
        for viewport in (DESKTOP, PHONE):
            tab.set_viewport_size(viewport)
            tab.goto(base + path)
            result = axe.run(tab, options={"runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]})
            bad = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result.response["violations"]
                   if v["impact"] in ("serious", "critical")]
            if bad:
                found[f"{path} @{viewport['width']}"] = bad
    context.close()
    assert not found, found
