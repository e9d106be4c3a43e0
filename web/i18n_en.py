"""English messages, keyed by the Chinese text the templates use (see web/i18n.py)."""

EN: dict[str, str] = {
    # site frame
    "政府信息公开检索": "Government Information Disclosure Search",
    "跳到正文": "Skip to content",
    "检索词": "Search terms",
    "标题、正文、发文字号": "Title, text, document number",
    "检索": "Search",
    "语言": "Language",
    "gongkai · 政务公开文件全文检索。只显示主动公开的文件。":
        "gongkai · full-text search of disclosed government documents. Only proactively disclosed documents are shown.",
    "全部文件": "All documents",
    "数据接口（OpenAPI）": "Data API (OpenAPI)",
    "出错了": "Something went wrong",
    "返回首页": "Back to the home page",
    "检索服务暂时不可用，请稍后再试。": "The search service is unavailable right now. Please try again later.",
    "找不到这个页面或文件。": "This page or file does not exist.",
    "不支持这种请求方式。": "This request method is not supported.",
    "请求有误，请检查后重试。": "The request was not understood. Please check it and try again.",
    "请求或上传的文件太大。": "The request or the uploaded files are too large.",
    "请求太频繁，请稍后再试。": "Too many requests. Please try again in a moment.",
    "服务器出错了。这个问题已记录下来，请稍后再试。":
        "Something went wrong on the server. The problem has been logged; please try again later.",
    # home
    "输入关键词、标题或发文字号": "Words, a title or a document number",
    "例如：": "For example: ",
    "公开文件": "Public documents",
    "年份跨度": "Years",
    "最近更新": "Latest document",
    "分类浏览": "Browse",
    "按%(facet)s": "By %(facet)s",
    "最新文件": "Newest documents",
    "查看全部文件": "All documents, newest first",
    "订阅": "Subscribe",
    # facets
    "筛选": "Filter",
    "（已选 %(n)s 项）": "(%(n)s selected)",
    "：": ": ",
    "同一类中可选多项（任一），不同类之间同时满足。":
        "Several values of one kind match any of them; different kinds must all match.",
    "更多（%(n)s）": "More (%(n)s)",
    "（已选，点击取消）": " (selected; select to remove)",
    "已选条件": "Active filters",
    "移除此条件": "Remove this filter",
    "（移除）": " (remove)",
    "清除全部条件": "Clear all filters",
    # results
    "“%(q)s”的检索结果": "Results for “%(q)s”",
    "第 %(n)s 页": "Page %(n)s",
    "订阅此检索": "Subscribe to this search",
    "您是不是要找：": "Did you mean: ",
    "共": "",
    "件，用时 %(ms)s 毫秒": "documents, %(ms)s ms",
    "排序：": "Sort: ",
    "相关度": "Relevance",
    "日期（新→旧）": "Date (newest first)",
    "订阅此检索（Atom）": "Subscribe to this search (Atom)",
    "按年份分布": "Matches per year",
    "（点击年份筛选，可多选）": "(select a year to filter; several allowed)",
    "%(year)s：%(n)s 件": "%(year)s: %(n)s documents",
    "已选": "selected",
    "以表格查看": "Show as a table",
    "文件数": "Documents",
    "没有找到相关文件": "No documents found",
    "换成建议的检索词：": "Try the suggested search: ",
    "去掉条件“%(f)s：%(v)s”": "Remove the filter “%(f)s: %(v)s”",
    "，可找到 %(n)s 件": " to find %(n)s documents",
    "去掉所有筛选条件": "Remove all filters",
    "只需包含任一词：%(q)s": "Match any of the words: %(q)s",
    "只看完整包含%(q)s的 %(n)s 件": "Only the %(n)s holding exactly %(q)s",
    "不要求连在一起：%(q)s，可找到 %(n)s 件": "The words anywhere, not side by side: %(q)s finds %(n)s",
    "检查是否有错别字，或换一个更短、更常用的词；": "Check the spelling, or try a shorter, more common word.",
    "发文字号可以只输入一部分，如“国办发〔2019〕”。": "A document number can be given in part, e.g. “国办发〔2019〕”.",
    "命中在第 %(n)s 页": "match on page %(n)s",
    "分页": "Pages",
    "上一页": "Previous",
    "下一页": "Next",
    "第": "Page ",
    "页": "",
    "第 %(n)s / %(m)s 页": "Page %(n)s of %(m)s",
    # document
    "无": "none",
    "位置": "Breadcrumb",
    "首页": "Home",
    "文件": "Document",
    "文件信息": "Document information",
    "现行有效": "In force",
    "已修改": "Amended",
    "已废止": "Repealed",
    "下载原件": "Download original",
    "“%(q)s”在文中出现 %(n)s 处": "“%(q)s” occurs %(n)s times in the text",
    "正文中没有“%(q)s”": "“%(q)s” does not occur in the text",
    "跳到：": "Go to: ",
    "页码": "Pages",
    "共 %(n)s 页：": "%(n)s pages: ",
    "%(n)s 处命中": "%(n)s matches",
    "（本页 %(n)s 处命中）": "(%(n)s matches on this page)",
    "正文": "Text",
    "目录": "Contents",
    "这里收录的是中文政府文件，请用中文检索，例如“征地补偿”。":
        "This archive holds Chinese government documents: search in Chinese, e.g. 征地补偿 (land compensation).",
    "第%(a)s条": "Art. %(a)s",
    "第%(a)s–%(b)s条": "Art. %(a)s–%(b)s",
    "提取说明：": "Extraction notes: ",
    "相关文件": "Related documents",
    "同一文号系列（%(k)s）": "Same document-number series (%(k)s)",
    "相似文件": "Similar documents",
    "引用本文": "Cite this document",
    "可复制以下引文（GB/T 7714 格式）": "Citation to copy (GB/T 7714 style)",
    "已复制": "Copied",
    "复制引文": "Copy citation",
    # feed
    "“%(q)s”的最新文件": "Newest documents for “%(q)s”",
    "最新公开文件": "Newest public documents",
    # subscription page, recently added, exports
    "订阅最新文件": "Subscribe to the newest documents",
    "检索结果": "Search results",
    "订阅后，每当有新文件符合下面的检索，您的 RSS / Atom 阅读器就会自动收到，不必再回来检索。订阅不需要注册，也不收集任何个人信息。":
        "Once subscribed, your RSS / Atom reader receives every new document that matches the search below, so"
        " you need not come back and search again. Subscribing needs no account and collects no personal information.",
    "订阅地址": "Feed address",
    "复制这个地址，粘贴到阅读器的“添加订阅”中：": "Copy this address and paste it into your reader’s “add feed”:",
    "复制订阅地址": "Copy the address",
    "怎样订阅": "How to subscribe",
    "打开您使用的阅读器（手机或电脑上的 RSS 阅读器、邮件客户端的“订阅源”等）。":
        "Open the reader you use (an RSS reader on your phone or computer, the “feeds” of a mail program, …).",
    "选择“添加订阅”或“添加源”，粘贴上面的地址。": "Choose “add subscription” or “add feed” and paste the address above.",
    "阅读器会定期检查，列出最新的 %(n)s 件文件，新文件出现时提醒您。":
        "The reader checks regularly, lists the newest %(n)s documents and tells you when new ones appear.",
    "订阅地址是 Atom 格式（一种 RSS），供阅读器使用；在浏览器中直接打开会显示代码：":
        "The address is an Atom feed (a kind of RSS) meant for readers; opened in a browser it shows code:",
    "查看订阅源（Atom XML）": "View the feed (Atom XML)",
    "订阅的检索": "What the feed follows",
    "全部公开文件，不限检索词和条件。": "All public documents, with no search terms or filters.",
    "、": ", ",
    "查看这个检索的全部结果": "All results of this search",
    "您已作为工作人员登录，本页也列出不公开的文件；阅读器不会登录，订阅只会收到主动公开的文件。":
        "You are signed in as staff, so this page also lists restricted documents; a feed reader is not signed in"
        " and receives proactively disclosed documents only.",
    "目前最新的文件": "Newest documents now",
    "%(d)s 收录": "added %(d)s",
    "按文件日期从新到旧排列；没有文件日期的，标出收录日期。共 %(n)s 件符合这个检索。":
        "By document date, newest first; a document without a date shows the day it was added. %(n)s documents"
        " match this search.",
    "目前还没有符合这个检索的文件。订阅后，一旦有新文件，阅读器就会收到。":
        "No document matches this search yet. Subscribe, and your reader receives the first one as soon as it"
        " arrives.",
    "按文件日期，最新的在前。": "By document date, newest first.",
    "最近收录": "Recently added",
    "最近加入本库的文件，不论文件日期。": "Documents most recently added to the archive, whatever their date.",
    "导出：": "Export: ",
    "导出为": "Export as",
    "（前 %(n)s 件）": "(first %(n)s)",
    "链接": "Link",
    "摘要": "Snippet",
    # relations between documents (document page)
    "本文引用": "This document names",
    "被引用": "Named by",
    "（%(n)s 件文件）": "(%(n)s documents)",
    "本站无公开全文": "no public text here",
    "引用": "Cites",
    "贯彻实施": "Implements",
    "修改": "Amends",
    "被以下文件修改": "Amended by",
    "废止": "Repeals",
    "解释": "Interprets",
    "引用本文的文件": "Cite it",
    "贯彻实施本文的文件": "Implement it",
    "修改本文的文件": "Amend it",
    "经本文修改的文件": "Amended by it",
    "废止本文的文件": "Repeal it",
    "解释本文的文件": "Interpret it",
    # a document that is not (or not publicly) here
    "找不到文件": "Document not found",
    "这里没有可以公开显示的文件。": "There is no publicly available document at this address.",
    "可能是链接有误或文件已撤下；也可能这份文件属于依申请公开的政府信息，不在网上公开。":
        "The link may be wrong or the document withdrawn; or it may be government information disclosed only on"
        " request (依申请公开), which is not published online.",
    "如何申请依申请公开的政府信息": "How to request information disclosed on request",
    "向制作或保存这份信息的行政机关提出申请（通常是发文机关），可通过该机关网站的“政府信息公开”栏目在线申请，也可以信函或当面提交。":
        "Apply to the administrative body that made or keeps the information (usually the issuing agency): online"
        " through the 政府信息公开 section of its website, by letter, or in person.",
    "写明申请人的姓名或名称、身份证明、联系方式，以及所需信息的名称、文号或其他有助于找到它的描述。":
        "Give the applicant's name, proof of identity and contact details, and the information's title, document"
        " number or another description that helps find it.",
    "机关一般在收到申请之日起 20 个工作日内答复（《中华人民共和国政府信息公开条例》第三十三条）。":
        "The body normally answers within 20 working days of receiving the request (Regulations on the Disclosure"
        " of Government Information, Article 33).",
    "检索全部公开文件": "Search all public documents",
    # page images of PDF originals (document page, image view)
    "显示方式": "View",
    "文字版": "Text",
    "原件页面": "Original pages",
    "看文字版": "Read the text",
    "翻页": "Pages",
    "第 %(k)s / %(n)s 页": "Page %(k)s of %(n)s",
    "本页标出 %(m)s 处“%(q)s”。": "%(m)s × “%(q)s” marked on this page.",
    "本页没有“%(q)s”。": "“%(q)s” is not on this page.",
    "本页没有文字层（扫描图像），无法在图上标出“%(q)s”的位置；命中见文字版。":
        "This page has no text layer (a scanned image), so “%(q)s” cannot be marked on it; the text view shows the hits.",
    "有命中的页：": "Pages with hits: ",
    "原件第 %(k)s 页的图像": "Image of page %(k)s of the original",
    "原件第 %(k)s 页（共 %(n)s 页）。文字可在文字版中复制和检索。":
        "Page %(k)s of %(n)s of the original. The text view has the text to copy and search.",
    "单独打开图像": "Open the image alone",
    "页面缩略图": "Page thumbnails",
    "%(n)s 处": "%(n)s hits",
    "这个 PDF 文件无法显示为页面图像（文件可能已损坏、加密或过大），请下载原件查看。":
        "This PDF cannot be shown as page images (it may be damaged, encrypted or too large); please download the original.",
    "这一页无法显示为图像（文件可能已损坏、加密或过大），请下载原件查看。":
        "This page cannot be shown as an image (the file may be damaged, encrypted or too large); please download the"
        " original.",
    "页面图像只提供给 PDF 和 OFD 原件；这份文件请看文字版。":
        "Page images are available for PDF and OFD originals only; please read the text.",
    "这个 OFD 文件无法显示为页面图像（文件可能已损坏或过大），请下载原件查看。":
        "This OFD cannot be shown as page images (it may be damaged or too large); please download the original.",
    "OFD 页面按文件自身的版式绘制：字体为本机的替代字体，与 OFD 阅读器所见可能不同，以原件为准。":
        "OFD pages are drawn from the file's own layout in a substitute font and may differ from an OFD reader; the"
        " original is authoritative.",
}

from analyzers.fields import LABELS_EN  # noqa: E402

from .i18n_staff_en import STAFF_EN  # noqa: E402  (the staff side's messages)

EN.update(STAFF_EN)
EN.update(LABELS_EN)  # field and facet names: analyzers.fields

EN.update({  # estimated totals on the results page (issue 18)
    "约": "about",
    "超过": "more than",
    "精确计数": "Exact count",
})

EN.update({  # versions and validity (issue 16)
    "失效": "Expired",
    "只看现行有效": "Only documents in force",
    "另有 %(n)s 个历史版本也符合条件": "%(n)s earlier versions also match",
    "显示全部版本": "Show every version",
    "显示全部版本（含历史版本）": "Every version is shown (earlier ones included)",
    "每个文件只显示最新版本": "Show only the latest version of each document",
    "同一文件的全部版本（新→旧）": "Every version of one document (newest first)",
    "返回全部文件": "Back to all documents",
    "另有 %(n)s 个历史版本": "%(n)s earlier versions",
    "修订沿革": "History of versions",
    "（本文）": "(this document)",
    "最新版本": "Latest version",
    "人工标注": "set by staff",
    "文件标注": "as the document states",
    "系统推断": "derived",
    "被以下文件废止": "Repealed by",
    "已有更新的版本": "A newer version exists",
    "被以下文件修改": "Amended by",
    "有效期已届满": "Its term of validity has ended",
    "本库中未见废止、修改或失效的记录": "Nothing in this archive repeals, amends or ends it",
    "版本": "Version",
    "修改本文": "Amends it",
    "废止本文": "Repeals it",
    "修订记录": "Recorded amendment",
})
EN.update({  # documents published with personal information redacted (issue 17)
    "原件含个人信息，不向公众提供；本页文字已遮蔽其中的个人信息。需要原件的，可依申请公开。":
        "The original holds personal information and is not offered to the public; the text on this page has it"
        " redacted. The original may be requested (disclosure on request).",
})
