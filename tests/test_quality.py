"""ingest.quality: texts that look like a page's navigation or login form, and real documents that do not."""
from __future__ import annotations

import pytest

from ingest.quality import looks_like_boilerplate

NAV = "首页 政务公开 政务服务 互动交流 政策文件 政策解读 English 无障碍"


@pytest.mark.parametrize("text, reason", [
    (NAV, "navigation"),
    ("首页\n机构概况\n领导信息\n政策文件\n政策解读\n通知公告\n人事信息\n联系我们\n网站地图", "navigation"),
    ("当前位置：首页 > 政务公开\n政府信息公开指南\t政府信息公开制度\t法定主动公开内容\t政府信息公开年报", "navigation"),
    ("用户登录\n用户名\n密码\n验证码\n忘记密码？ 立即注册", "a login page"),
    ("Sign in\nUsername\nPassword\nRemember me", "a login page"),
])
def test_furniture_is_flagged(text, reason):
    assert looks_like_boilerplate(text) == f"low quality: body looks like {reason}"


@pytest.mark.parametrize("text", [
    "",
    "示例市人民政府\n2019年5月6日",
    "示例市人民政府关于做好政务公开工作的通知\n各县区人民政府：\n为深入推进政务公开，现就有关事项通知如下。",
    # a budget table and an outline: short pieces, but numbers and numbered items
    "项目\t决算数\n一、一般公共预算财政拨款收入\t9746.50\n二、政府性基金预算财政拨款收入\t\n本年收入合计\t9746.50\n总计\t9746.50",
    "目 录\n第一部分 概况\n一、主要职能\n二、部门决算单位构成\n第二部分 部门决算表\n三、支出决算表",
    # a law about passwords is not a login page
    "中华人民共和国密码法\n第一条 为了规范密码应用和管理，促进密码事业发展，保障网络与信息安全，制定本法。"
    "第二条 本法所称密码，是指采用特定变换的方法对信息等进行加密保护、安全认证的技术、产品和服务。用户登录账号注册"
    + "。" * 600,
    "The State Council issued the notice on Monday. Local governments shall publish their budgets, it said.",
])
def test_documents_pass(text):
    assert looks_like_boilerplate(text) is None


def test_real_documents_pass(corpus):
    """Laws (Markdown), texts and every saved HTML page of the corpus are documents, not furniture."""
    from ingest.extractors.html import HtmlExtractor

    texts = [p.read_text(encoding="utf-8") for p in sorted((corpus / "lawrefbook-laws").rglob("*.md"))[::20]]
    texts += [HtmlExtractor().extract(p).text for p in sorted(corpus.rglob("*.htm*"))]
    assert len(texts) > 200
    assert [t[:60] for t in texts if looks_like_boilerplate(t)] == []
