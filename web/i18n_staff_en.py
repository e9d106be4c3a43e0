"""English messages of the staff side, keyed by the Chinese text (merged into web.i18n_en.EN)."""

STAFF_EN: dict[str, str] = {
    "这一批导入被中断了": "This import was interrupted",
    "%(n)s 个输入仍在服务器上。继续导入时，已存档的文件会跳过。":
        "%(n)s inputs are still on the server. Files archived already are skipped when the import goes on.",
    "继续导入": "Resume the import",
    "没有可继续导入的文件，或另一次导入仍在进行。": "Nothing left to resume, or another import is still running.",
    "这些文件已经存档，公开属性比这次导入的更开放": "These files are archived already, with a more open disclosure than this import's",
    "相同的文件（或相同的正文）已作为下列文件存档，它们的公开属性没有因这次导入而改变。":
        "The same file (or the same text) is archived as the documents below; this import did not change their disclosure.",
    "把这些已存档的文件改为“%(d)s”": "Make these archived documents “%(d)s”",
    "已把 %(n)s 个已存档的文件改为“%(d)s”。": "%(n)s archived documents were made “%(d)s”.",
    "（系统问题，不是文件的问题；修复后下次导入会自动重试）":
        "(a problem of the system, not of the file; once fixed, the next import retries it by itself)",
    # frame, sign-in
    "工作人员": "Staff",
    "工作台": "Staff home",
    "退出": "Sign out",
    "已退出登录。": "You are signed out.",
    "工作人员登录": "Staff sign-in",
    "用户名": "User name",
    "密码": "Password",
    "登录": "Sign in",
    "公众无需登录即可检索主动公开的文件。": "The public can search proactively disclosed documents without signing in.",
    "用户名或密码不正确。": "Wrong user name or password.",
    "登录失败次数过多，请 %(m)s 分钟后再试。": "Too many failed sign-ins. Please try again in %(m)s minutes.",
    "表单已过期或来源不明，请返回刷新页面后重试。":
        "This form has expired or did not come from this site. Go back, reload the page and try again.",
    "您的角色没有权限使用这个页面。": "Your role does not allow you to use this page.",
    "gongkai · 您已作为工作人员登录：检索、文件页和订阅包括依申请公开和不予公开的文件。":
        "gongkai · You are signed in as staff: searches, document pages and feeds include documents "
        "released on request and documents not to be disclosed.",
    # roles and disclosure
    "查看者": "Viewer",
    "编辑者": "Editor",
    "管理员": "Administrator",
    "主动公开": "Proactively disclosed",
    "依申请公开": "Released on request",
    "不予公开": "Not to be disclosed",
    "全部文件（含不公开）": "All documents (incl. restricted)",
    "本文件不对公众显示（%(d)s），只有登录的工作人员可以看到；查看和下载都会记入审计日志。":
        "This document is not shown to the public (%(d)s); only signed-in staff can see it, and every view "
        "and download is recorded in the audit log.",
    "理由：": "Reason: ",
    "编辑元数据和公开属性": "Edit metadata and disclosure",
    # staff home
    "按公开属性": "By disclosure",
    "登录后，检索结果、文件页和数据接口都包括依申请公开和不予公开的文件，并可按公开属性筛选。":
        "While you are signed in, results, document pages and the API include restricted documents, "
        "and you can filter by disclosure.",
    "工具": "Tools",
    "检索全部文件": "Search all documents",
    "上传并导入文件": "Upload and ingest files",
    "审计日志": "Audit log",
    "用户管理": "Users",
    "最近的导入": "Recent ingest runs",
    "批次": "Run",
    "批次 #%(n)s": "Run #%(n)s",
    "开始时间": "Started",
    "结束时间": "Finished",
    "状态": "State",
    "状态：": "State: ",
    "已导入": "Ingested",
    "已存在": "Already archived",
    "已合并": "Merged",
    "失败": "Failed",
    "压缩包": "ZIP bundle",
    "已完成": "finished",
    "已中断": "interrupted",
    "进行中": "running",
    "等待中": "queued",
    "出错": "error",
    # edit
    "编辑": "Edit",
    "编辑文件": "Edit document",
    "选择不予公开时必填，例如：涉及国家秘密（《政府信息公开条例》第十四条）。":
        "Required for “not to be disclosed”, e.g. state secrets (Article 14 of the Regulations on "
        "Open Government Information).",
    "未注明": "Not stated",
    "待处理的文件": "Documents needing attention",
    "说明": "Note",
    "缺少日期、机关或标题，或正文质量低": "missing a date, agency or title, or with low-quality text",
    "缺少标题、发文机关或日期，正文质量低，或这些信息只取自文件名、文件属性的文件。勾选后可一次填写相同的值；每个文件的修改都记入审计日志。":
        "Documents without a title, issuing agency or date, with low-quality text, or whose title, agency or "
        "date was taken only from the file name or the file's properties. Tick several to give them the same "
        "values at once; every document's change is recorded in the audit log.",
    "共 %(n)s 个": "%(n)s in all",
    "选择": "Select",
    "（无标题）": "(no title)",
    "为勾选的文件填写（留空的不改）": "Set for the ticked documents (empty fields stay as they are)",
    "不改": "Unchanged",
    "没有选中文件。": "No document was ticked.",
    "已修改 %(n)s 个文件。": "%(n)s documents changed.",
    "来源": "source",
    "从列表选择或直接输入；多个机关用“、”分隔。简称和旧称（如“国办”）保存为规范名称，层级和地区随之更新。":
        "Pick from the list or type a name; separate several agencies with “、”. Short and former names "
        "(such as 国办) are saved under the canonical name, and level and region follow it.",
    "元数据": "Metadata",
    "每次修改都会记入审计日志，并立即更新检索索引。":
        "Every change is recorded in the audit log and the search index is updated at once.",
    "保存": "Save",
    "取消": "Cancel",
    "已保存 %(n)s 处修改。": "Saved %(n)s changes.",
    "没有修改。": "Nothing changed.",
    # ingest
    "一次导入正在进行：": "An ingest run is in progress: ",
    "查看进度": "see its progress",
    "文件或 ZIP 压缩包（可多选）": "Files or ZIP bundles (several allowed)",
    "支持 PDF、OFD、Word/WPS、网页、文本（含 GBK/Big5 编码）和 ZIP。已存档的相同文件会跳过。":
        "PDF, OFD, Word/WPS, web pages, text (GBK/Big5 too) and ZIP. Files already archived are skipped.",
    "这批文件的公开属性": "Disclosure of these files",
    "上传并开始导入": "Upload and start",
    "本次启动后从网页开始的导入": "Runs started from the web since the server started",
    "个文件": "files",
    "还没有导入过文件。": "Nothing has been ingested yet.",
    "请为这次导入选择公开属性。": "Choose the disclosure of this run.",
    "不予公开须注明法定理由。": "“Not to be disclosed” needs its legal reason.",
    "请选择要上传的文件。": "Choose the files to upload.",
    "另一次导入仍在进行，请等它结束后再上传。": "Another run is still going; upload again when it has finished.",
    "导入进度": "Ingest progress",
    "已处理": "Processed",
    "导入未能完成：": "The run could not finish: ",
    "页面每两秒刷新一次。": "This page reloads every two seconds.",
    "立即刷新": "Reload now",
    "失败的文件": "Failed files",
    "环节": "Stage",
    "原因": "Reason",
    "结果": "Outcome",
    "文件编号": "Document id",
    "查看并重试失败的文件": "See and retry the failed files",
    "%(n)s 个文件仍在服务器上，可以重新读取。": "%(n)s files are still on the server and can be read again.",
    "重试时的公开属性": "Disclosure for the retry",
    "重试失败的文件": "Retry the failed files",
    "失败的文件已不在服务器上，无法在此重试。": "The failed files are no longer on the server; they cannot be retried here.",
    "这一批没有失败的文件。": "No file of this run failed.",
    "没有可重试的文件，或另一次导入仍在进行。": "Nothing to retry, or another run is still going.",
    # users
    "角色：查看者可检索和阅读全部文件；编辑者还可导入文件、修改元数据和公开属性；管理员还可管理用户、查看审计日志。":
        "Roles: viewers search and read every document; editors also ingest files and edit metadata and "
        "disclosure; administrators also manage users and read the audit log.",
    "用户": "User",
    "角色": "Role",
    "新密码（可选）": "New password (optional)",
    "操作": "Action",
    "（我）": " (me)",
    "%(u)s 的角色": "Role of %(u)s",
    "%(u)s 的新密码": "New password for %(u)s",
    "停用": "Disabled",
    "保存 %(u)s": "Save %(u)s",
    "添加用户": "Add a user",
    "初始密码（至少 10 个字符）": "Initial password (at least 10 characters)",
    "添加": "Add",
    "已添加用户 %(u)s。": "Added user %(u)s.",
    "已更新用户 %(u)s。": "Updated user %(u)s.",
    "不能更改自己的角色或停用自己的账号。": "You cannot change your own role or disable your own account.",
    # audit
    "全部": "All",
    "导出 CSV": "Export CSV",
    "共 %(n)s 条": "%(n)s entries",
    "时间": "Time",
    "详情": "Details",
    # exports
    "完整日志（CSV，供程序读取）": "Whole log (CSV, for programs)",
}
