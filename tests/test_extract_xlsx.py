"""XLSX extraction: one page per sheet, rows as tab-separated lines (no corpus file: workbooks made here)."""
from __future__ import annotations

import datetime
import zipfile
from pathlib import Path

import openpyxl
import pytest

from archive.settings import Settings
from ingest.errors import IngestError
from ingest.extractors import choose
from ingest.extractors.xlsx import XlsxExtractor


def extract(path: Path, **settings):
    return XlsxExtractor().extract(path, Settings(**settings))


@pytest.fixture
def budget(tmp_path) -> Path:
    """A 三公经费 budget table like those published by finance bureaus, with a second sheet of notes."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "2024年三公经费预算"
    ws.append(["示例市2024年市级部门三公经费预算表"])
    ws.append([])
    ws.append(["单位名称", "合计", "因公出国（境）费", "公务接待费", "公务用车购置及运行费", "备注"])
    ws.append(["示例市财政局", 12.5, 0, 3.25, 9.25, None])
    ws.append(["示例市教育局", 30.0, 5, None, 25.0, "含公务用车购置"])
    ws.append(["合计", "=B4+B5", None, None, None, None])
    ws.append(["编制日期", datetime.date(2024, 1, 31), datetime.datetime(2024, 1, 31, 9, 30)])
    notes = wb.create_sheet("说明")
    notes["A1"] = "单位：万元"
    notes["B3"] = "数据来源：示例市财政局"
    wb.create_sheet("空表")
    path = tmp_path / "三公经费.xlsx"
    wb.save(path)
    return path


def test_one_page_per_sheet_rows_tab_separated(budget):
    e = extract(budget)
    assert e.mime == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert len(e.pages) == 3
    assert e.pages[0].splitlines() == [
        "示例市2024年市级部门三公经费预算表",
        "单位名称\t合计\t因公出国（境）费\t公务接待费\t公务用车购置及运行费\t备注",
        "示例市财政局\t12.5\t0\t3.25\t9.25",
        "示例市教育局\t30\t5\t\t25\t含公务用车购置",
        "合计",                      # a formula openpyxl wrote has no cached value: left empty, not '=B4+B5'
        "编制日期\t2024-01-31\t2024-01-31 09:30:00",
    ]
    assert e.pages[1] == "单位：万元\n\t数据来源：示例市财政局"
    assert e.pages[2] == ""
    assert e.warnings == []


def test_cell_limit_cuts_with_a_warning(budget):
    e = extract(budget, max_sheet_cells=10)
    assert e.warnings == ["more than 10 cells: the rest left out"]
    assert len(e.pages) == 1 and e.pages[0].startswith("示例市2024年")


def test_empty_workbook_warns(tmp_path):
    openpyxl.Workbook().save(tmp_path / "empty.xlsx")
    e = extract(tmp_path / "empty.xlsx")
    assert e.pages == [""] and e.warnings == ["no text"]


def test_broken_workbooks_fail_clearly(tmp_path, budget):
    data = budget.read_bytes()
    (tmp_path / "cut.xlsx").write_bytes(data[: len(data) // 2])
    with zipfile.ZipFile(tmp_path / "noworkbook.xlsx", "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
    for name in ("cut.xlsx", "noworkbook.xlsx"):
        with pytest.raises(IngestError) as err:
            extract(tmp_path / name)
        assert err.value.reason.startswith("corrupt XLSX"), name


def test_detection(budget):
    head = budget.read_bytes()[:8192]
    assert choose(Path("a.xlsx"), head).name == "xlsx"
    assert choose(Path("download.bin"), head).name == "xlsx"
    assert XlsxExtractor().match(Path("a.xls"), b"\xd0\xcf\x11\xe0") == 0   # legacy .xls is not claimed


def test_any_file_name_is_read(budget, tmp_path):
    """Zip members and misnamed downloads arrive under other names (openpyxl itself checks the extension)."""
    renamed = tmp_path / "member-1a2b.bin"
    renamed.write_bytes(budget.read_bytes())
    assert extract(renamed).pages == extract(budget).pages
