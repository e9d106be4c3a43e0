"""Screenshots of the public and staff pages at desktop and phone widths, in Debian's Chromium (Playwright).

Run: python tools/screenshots.py [--out docs/screenshots] [--keep DIR]   (about 2 minutes)

Builds a small archive from ../shared/corpus (the gov.cn pages, the Putuo 决算 PDFs, the OFD samples, the NFRA
penalty disclosures), holds one upload with planted personal information for review, serves it on loopback and
visits each page as the public and as staff; writes <name>-desktop.png and <name>-phone.png for each and lists
them. Look at them: the point is a person's eye, not a pixel diff.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("GONGKAI_CORPUS", REPO.parent / "shared" / "corpus"))
CHROMIUM = os.environ.get("GONGKAI_CHROMIUM", "/usr/bin/chromium")
SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
PASSWORD = "screenshots-password-1"
PII_UPLOAD = ("关于珊瑚湾渔民补贴发放的公示\n\n示例市海洋局\n\n经审核，下列渔民符合补贴发放条件，现予公示：\n"
              "姓名：张三丰，身份证号：11010519491231002X，联系电话：13812345678。\n"
              "珊瑚湾 渔民 补贴 资金 按照 标准 发放，公示期内接受社会监督。\n")


def build(data: Path):
    """The archive: corpus folders ingested, staff accounts, one upload held for review."""
    from archive import Archive, Settings
    from ingest.pipeline import ingest

    a = Archive(Settings(data_dir=data))
    sources = [CORPUS / "govcn-2019-zhouynf" / "html", CORPUS / "shanghai-putuo-juesuan",
               CORPUS / "ofdrw-samples", CORPUS / "nfra-penalty-disclosures"]
    summary = ingest(a, [s for s in sources if s.exists()])
    print(f"ingested {summary.ingested}, failed {summary.failed}")
    for role in ("viewer", "editor", "admin"):
        if a.accounts.get(role) is None:
            a.accounts.add(role, PASSWORD, role)
    uploads = data / "uploads" / "screenshots"
    uploads.mkdir(parents=True, exist_ok=True)
    (uploads / "珊瑚湾补贴公示.txt").write_text(PII_UPLOAD, encoding="utf-8")
    ingest(a, [uploads], review=True, actor="editor")
    return a


def serve(app) -> tuple[str, Callable[[], None]]:
    """`app` on a free loopback port in a thread: (base URL, stop)."""
    from werkzeug.serving import WSGIRequestHandler, make_server

    class Quiet(WSGIRequestHandler):
        def log_request(self, *args, **kwargs):
            pass

    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}", server.shutdown


def shoot(tab, out: Path, name: str, url: str) -> None:
    for width, size in SIZES.items():
        tab.set_viewport_size(size)
        tab.goto(url)
        tab.wait_for_load_state("networkidle")
        tab.screenshot(path=str(out / f"{name}-{width}.png"), full_page=True)
    print(f"{name}: {url}")


def first_hit(tab, base: str, q: str, extra: str = "") -> str:
    """The document URL of the first result for `q`."""
    tab.goto(f"{base}/search?q={q}{extra}")
    href = tab.locator(".hit h2 a").first.get_attribute("href")
    return base + href.split("?")[0]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    p.add_argument("--keep", type=Path, help="build the archive here and keep it (default: a temporary folder)")
    args = p.parse_args()
    from playwright.sync_api import sync_playwright

    from web import create_app

    data = args.keep or Path(tempfile.mkdtemp(prefix="gongkai-shots-"))
    a = build(data)
    args.out.mkdir(parents=True, exist_ok=True)
    base, stop = serve(create_app(archive=a, config={"SECRET_KEY": "screenshots"}))
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=[
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            public = browser.new_page()
            shoot(public, args.out, "home", base + "/")
            shoot(public, args.out, "subscribe", base + "/subscribe?q=预算")
            pdf = first_hit(public, base, "决算")
            shoot(public, args.out, "document-image", pdf + "?q=决算&view=image")
            ofd = first_hit(public, base, "辞职")   # a 红头 OFD notice of the corpus (ofdrw-samples/n.ofd)
            shoot(public, args.out, "document-ofd-image", ofd + "?q=辞职&view=image")
            shoot(public, args.out, "not-found", base + "/doc/0123456789abcdef")

            staff = browser.new_page()
            staff.goto(base + "/staff/login")
            staff.get_by_label("用户名").fill("admin")
            staff.get_by_label("密码").fill(PASSWORD)
            staff.get_by_role("button", name="登录").click()
            staff.wait_for_url(base + "/staff/")
            shoot(staff, args.out, "staff-home", base + "/staff/")
            shoot(staff, args.out, "staff-review", base + "/staff/review")
            held = staff.locator(".review-item").first.get_attribute("id") or ""
            doc_id = re.sub(r"^r-", "", held)
            shoot(staff, args.out, "staff-edit-pii", f"{base}/staff/doc/{doc_id}/edit")
            staff.goto(base + "/staff/review")
            staff.get_by_role("button", name="遮蔽个人信息后发布").first.click()
            staff.wait_for_load_state()
            shoot(public, args.out, "document-redacted", f"{base}/doc/{doc_id}")
            shoot(staff, args.out, "staff-attention", base + "/staff/attention")
            shoot(staff, args.out, "staff-audit", base + "/staff/audit")
            browser.close()
    finally:
        stop()
        a.close()
        if not args.keep:
            shutil.rmtree(data, ignore_errors=True)
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
