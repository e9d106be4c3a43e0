"""The personal-information detector (analyzers.pii) on small pages reproducing the structures real
documents hold them in (e-invoices, forms, tables, penalty disclosures), and on numbers that only look like
them; and its score on the labelled real documents of tests/data/pii/labels.tsv."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from analyzers import pii

ID = "11010519491231002X"          # a valid 身份证号 (GB 11643 check digit X)
CARD = "6222021234567890128"       # 19 digits, passes Luhn, a UnionPay prefix


def found(text: str) -> list[tuple[str, str]]:
    """(kind, the span's text) of every finding."""
    return [(f.kind, text[f.start:f.end]) for f in pii.find(text)]


def test_check_digit_birth_date_and_luhn():
    assert pii.id_check_digit(ID[:17]) == "X" and pii.valid_id18(ID) and pii.valid_id18(ID.lower())
    assert not pii.valid_id18(ID[:17] + "3")                  # wrong check digit
    assert not pii.valid_id18("110105194902301234")           # 1949-02-30 is no date
    assert not pii.valid_id18("990105194912310021")           # 99: no province
    assert pii.luhn(CARD) and not pii.luhn(CARD[:-1] + "9")


def test_masked_previews():
    assert pii.mask("id_card", ID) == "110***********002X"
    assert pii.mask("phone", "138-1234-5678") == "138****5678"
    assert pii.mask("bank_card", "6222 0212 3456 7890 128") == "6222***********0128"
    assert pii.mask("name", "张三丰") == "张**" and pii.mask("name", "欧阳娜娜") == "欧阳**"
    for f in pii.find(f"身份证号：{ID}，手机 13812345678，卡号 {CARD}"):
        assert len(f.masked.replace("*", "")) <= 8 and f.masked.count("*") >= 4


def test_an_id_in_a_table_cell_with_the_name_of_its_row():
    page = "序号\t姓名\t身份证号码\t联系电话\n1\t李四\t" + ID + "\t13812345678\n2\t王小明\t无\t无\n"
    assert found(page) == [("name", "李四"), ("id_card", ID), ("phone", "13812345678")]


def test_a_form_with_one_label_and_value_per_line():
    assert found(f"姓名\t张三\n身份证号\t{ID}\n") == [("name", "张三"), ("id_card", ID)]


def test_phones_with_spaces_dashes_and_a_country_code():
    for written in ("138-1234-5678", "138 1234 5678", "13812345678", "+86 13812345678", "+8613812345678"):
        assert found(f"联系电话：{written}。") == [("phone", written.removeprefix("+86").strip())], written


def test_a_phone_inside_a_longer_number_or_a_decimal_is_none():
    """Regression guard: 全电发票 amounts such as 14197.16981132075 held an 11-digit run after the point."""
    for text in ("编号 2138123456789", "订单 013812345678", "单价 14197.16981132075 元", "合计 13812345678.5"):
        assert found(text) == [], text


def test_a_19_digit_order_number_is_not_a_card():
    assert found(f"订单号：{CARD}") == []
    assert found("发票号码： 9223372036854775807") == []       # not a card prefix either
    assert found(f"流水号{CARD}") == []
    assert found(f"请将补贴汇入本人银行卡{CARD}。") == [("bank_card", CARD)]


def test_accounts_after_a_label_even_short_or_grouped():
    """The e-invoice 开户行及账号 line: a bank's name, then the account glued to it."""
    assert found("开户行及账号：北京农商行32445333322211") == [("bank_card", "32445333322211")]
    assert found("收款账号：6222 0212 3456 7890 128 开户行：中国农业银行") == [("bank_card", "6222 0212 3456 7890 128")]
    assert found("开户行及账号：") == []


def test_a_document_number_a_date_or_a_url_is_none():
    for text in ("国发〔2013〕13号", "成文日期：20240708", "2024年07月08日", "索引号：000014349/2019-00012",
                 "https://www.gov.cn/zhengce/2023/13812345678/index.htm", "项目代码：2018-530902-70-01-002747",
                 "统一社会信用代码：91310108342080987A", "邮编 100010 电话 010-65123456"):
        assert found(text) == [], text


def test_a_wrong_check_digit_is_none():
    assert found(f"身份证号：{ID[:17]}3") == []


def test_an_old_15_digit_id_only_with_its_label():
    assert found("旧身份证号码：110105491231002") == [("id_card", "110105491231002")]
    assert found("许可证编号 110105491231002") == []


def test_the_owner_id_inside_a_sole_traders_tax_number():
    """A 个体工商户's 纳税人识别号 is the owner's 身份证号 and two more digits (a real e-invoice of the corpus)."""
    text = f"纳税人识别号：{ID[:17]}X01".replace("X01", "X") + "01"
    assert found(text) == [("id_card", ID)]


def test_names_of_punished_parties_are_published_not_found():
    """行政处罚信息公开 publishes the names of punished individuals by law: a name alone is no finding."""
    page = ("序号\t2\n当事人名称\t池承富（时任某银行三明分行公司银行部客户经理）\n主要违法违规行为\t押品管理不审慎\n"
            "行政处罚内容\t警告\n作出决定机关\t三明金融监管分局\n")
    assert found(page) == []
    assert found("张阿三，男，1978年2月出生，籍贯江西新建，2001年9月参加工作。") == []


def test_a_legal_representatives_name_is_a_role_not_a_finding():
    assert found("法定代表人：王五 联系电话：13912345678") == [("phone", "13912345678")]


def test_names_that_say_whose_number_it_is():
    assert found(f"当事人：赵六（公民身份号码：{ID}）。") == [("name", "赵六"), ("id_card", ID)]
    assert found(f"欧阳娜娜，女，身份证号{ID}，住本市。") == [("name", "欧阳娜娜"), ("id_card", ID)]
    assert found(f"购买方名称：上海某某科技有限公司 纳税人识别号：{ID}") == [("id_card", ID)]   # a company
    assert found("当事人申请再审，联系电话 13812345678") == [("phone", "13812345678")]            # no label value


def test_an_already_masked_id_and_a_placeholder_name_are_none():
    assert found("旅客姓名王某某\t\t有效身份证件号码384932********1234") == []


def test_the_clerks_of_an_invoice_are_not_the_account_holder():
    text = "开户行及账号：江南农村商业银行天宁支行89801144012030000000281\n收款人：蔡海霞 复核：蔡海霞 开票人：管理员"
    assert [k for k, _ in found(text)] == ["bank_card"]


def test_context_masks_the_neighbouring_numbers_too():
    text = f"姓名：张三，身份证号：{ID}，联系电话：13812345678。"
    f = next(x for x in pii.find(text) if x.kind == "id_card")
    before, masked, after = pii.context(text, f.start, f.end - f.start, f.masked)
    assert masked == "110***********002X" and "138****5678" in after and "13812345678" not in after + before


def test_scan_pages_and_summary():
    pages = ["第一页没有", f"第二页 身份证号 {ID}"]
    stored = pii.scan_pages(pages)
    assert stored == [{"kind": "id_card", "page": 2, "offset": 9, "length": 18, "masked": "110***********002X",
                       "why": "校验位正确"}]
    assert pii.summary(stored) == {"id_card": 1} and pii.describe({"phone": 2, "id_card": 1}) == "身份证号 1、手机号 2"
    assert pii.redact(pages[1], pii.find(pages[1])) == "第二页 身份证号 110***********002X"


def test_the_labelled_real_documents(corpus):
    """Every labelled span of the real e-invoices, permits and penalty lists is found, and nothing else."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    import pii as bench  # bench/pii.py

    score = bench.real(show=False)
    assert sum(score.fn.values()) == 0, dict(score.fn)
    assert sum(score.fp.values()) == 0, dict(score.fp)
    assert sum(score.tp.values()) >= 12


@pytest.mark.parametrize("seed", [1, 2])
def test_planted_numbers_in_real_law_text(corpus, seed):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    import pii as bench

    score = bench.generated(200, seed, show=False)
    for kind in bench.KINDS:
        tp, fp, fn = score.tp[kind], score.fp[kind], score.fn[kind]
        assert tp and fp <= tp * 0.01 and fn <= tp * 0.01, (kind, tp, fp, fn)
