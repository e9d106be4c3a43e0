"""The canary corpus: public documents, and restricted ones (依申请公开, 不予公开) that carry unique
marker strings and unique facet values, sharing ordinary words with the public ones so that any
search, count, related-documents list or suggestion without the visibility filter would show them."""
from __future__ import annotations

import hashlib
from pathlib import Path

PUBLIC_DOCS = [
    # (title, doc_number, agency, doc_type, topic, written_date, body)
    ("关于海域围填项目管理的通知", "示政发〔2019〕3号", "示例市人民政府", "通知", "城乡建设", "2019-03-05",
     "各区人民政府：为加强海域围填项目管理，规范项目审批，现就有关事项通知如下。海域使用应当依法审批。码头 泊位 建设。"),
    ("关于财政资金绩效管理的意见", "示财发〔2020〕12号", "示例市财政局", "意见", "财政", "2020-06-18",
     "财政资金 绩效 管理 预算 公开。各单位应当加强财政资金管理，提高资金使用效益。"),
    ("关于矿区整治资金拨付的通知", "示财发〔2021〕5号", "示例市财政局", "通知", "财政", "2021-01-20",
     "矿区 整治 资金 拨付。为推进矿区生态整治，现拨付整治资金。"),
    ("示例县农业补贴发放公告", "", "示例县人民政府", "公告", "农业", "2018-09-01",
     "农业 补贴 发放 公告。本县农业补贴按照标准发放，接受社会监督。"),
    ("关于同意海域使用权出让的批复", "示政函〔2019〕8号", "示例市人民政府", "批复", "城乡建设", "2019-11-11",
     "海域 使用权 出让 批复 泊地。同意该项目海域使用权出让方案。"),
    ("关于项目资金审计整改情况的报告", "", "示例县人民政府", "报告", "财政", "2017-04-02",
     "项目 资金 审计 整改。本县对审计发现的项目资金问题进行了整改。"),
    ("关于规范行政审批中介服务的通知", "龘密发〔2031〕1号", "示例市人民政府", "通知", "城乡建设", "2016-02-29",
     "行政审批 中介服务 规范 管理。对中介服务实行清单管理。"),
    ("关于做好防汛工作的通知", "示政办发〔2020〕9号", "示例市人民政府", "通知", "城乡建设", "2020-05-10",
     "防汛 工作 海堤 巡查。各地做好防汛准备，加强海堤巡查。"),
    ("关于公开征求财政预算意见的公告", "", "示例市财政局", "公告", "财政", "2021-08-08",
     "财政 预算 公开 征求意见。欢迎社会公众提出意见。"),
    ("关于农村土地整治项目验收的通知", "示政发〔2018〕21号", "示例县人民政府", "通知", "农业", "2018-12-12",
     "土地 整治 项目 验收。项目验收合格后拨付资金。"),
    ("关于加强港口岸线管理的意见", "示政发〔2017〕2号", "示例市人民政府", "意见", "城乡建设", "2017-07-07",
     "港口 岸线 海域 管理 泊位。统筹港口岸线和海域资源。"),
    ("关于下达专项资金的通知", "示财发〔2019〕30号", "示例市财政局", "通知", "财政", "2019-10-10",
     "专项资金 下达 管理。专项资金专款专用。"),
]

# Each restricted document: its own agency, type, topic and year, found nowhere public.
RESTRICTED_DOCS = [
    dict(title="关于鹬蚌湾海域围填项目的批复", doc_number="龘密发〔2031〕77号", agency="犇羴鱻管理局", doc_type="纪要",
         topic="国防动员", written_date="1931-07-01", index_number="CANARY-IDX-R1-7Q", disclosure="依申请公开",
         reason="", body="本批复涉及鹬蚌湾海域围填项目。QZXJ7731 绝密灯塔坐标北纬三十度。海域 围填 项目 管理 财政 资金 泊地。",
         filename="canary-r1-secret-file.txt"),
    dict(title="关于饕餮岭矿区整治资金的请示", doc_number="龘密发〔2031〕78号", agency="魑魅魍魉办公室", doc_type="请示",
         topic="国家安全", written_date="1932-02-02", index_number="CANARY-IDX-R2-8W", disclosure="不予公开",
         reason="涉及国家秘密（canary-reason）",
         body="饕餮岭矿区整治资金 ZKW9904 秘密仓库坐标东经一百度。矿区 整治 资金 财政 管理 项目 泊地。",
         filename="canary-r2-secret-file.txt"),
]

# A typo one edit from a public word (泊位, in 2 public documents) and from a word that only the
# restricted documents make frequent (泊地: 1 public, 2 restricted): "did you mean" must not count them.
SPELLING_PROBE = "泊置"

# Strings a search may ask for; responses must equal those of an archive without the restricted ones.
MARKERS = ["鹬蚌湾", "饕餮岭", "QZXJ7731", "ZKW9904", "绝密灯塔", "秘密仓库", "犇羴鱻管理局", "魑魅魍魉办公室",
           "龘密发〔2031〕77号", "龘密发〔2031〕78号", "国防动员", "国家安全"]


def _doc(title, doc_number, agency, doc_type, topic, written_date, body, disclosure, filename, folder: Path,
         index_number="", reason="") -> dict:
    text = f"{title}\n\n{body}"
    raw = text.encode("utf-8")
    sha = hashlib.sha256(raw).hexdigest()
    path = folder / filename
    path.write_bytes(raw)
    meta = {"title": title, "doc_number": doc_number, "agency": agency, "doc_type": doc_type, "topic": topic,
            "written_date": written_date, "index_number": index_number}
    if reason:
        meta["disclosure_reason"] = reason
    return {"id": sha[:16], "metadata": meta, "pages": [text], "path": path, "disclosure": disclosure,
            "original": {"sha256": sha, "filename": filename, "source": str(path), "mime": "text/plain",
                         "size": len(raw), "extractor": "text"}}


def documents(folder: Path) -> tuple[list[dict], list[dict]]:
    """(public, restricted) catalog-ready documents with their original files written to `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    public = [_doc(*row, disclosure="主动公开", filename=f"public-{i:02d}.txt", folder=folder)
              for i, row in enumerate(PUBLIC_DOCS)]
    restricted = [_doc(d["title"], d["doc_number"], d["agency"], d["doc_type"], d["topic"], d["written_date"],
                       d["body"], d["disclosure"], d["filename"], folder, d["index_number"], d["reason"])
                  for d in RESTRICTED_DOCS]
    return public, restricted


def load(archive, docs: list[dict]) -> None:
    """Store originals, catalog and index the documents."""
    for d in docs:
        archive.blobs.put(d["path"], d["original"]["sha256"])
        archive.catalog.add_document(d["id"], d["metadata"], d["pages"], d["original"], [], d["disclosure"])
    done = archive.sync.catch_up()
    assert not done.failed and not done.error and not done.busy, done


def secrets_of(restricted: list[dict]) -> list[tuple[str, str]]:
    """(secret, trigger): a restricted document's string that must appear in no response to a request
    whose URL does not contain `trigger` (ids, hashes and titles are never sent whole)."""
    out = []
    for d in restricted:
        m = d["metadata"]
        year = m["written_date"][:4]
        out += [(s, s) for s in (d["id"], d["original"]["sha256"], m["title"], m["index_number"],
                                 d["original"]["filename"], d["original"]["sha256"][:20])]
        out += [(f"{year}年", year), (f">{year}<", year), (f'"{year}"', year), (f": {year}", year), (f":{year}", year)]
        if m.get("disclosure_reason"):
            out.append((m["disclosure_reason"], m["disclosure_reason"]))
    return out + [("北纬三十度", "北纬三十度"), ("东经一百度", "东经一百度")] + [(m, m) for m in MARKERS]
