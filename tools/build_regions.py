"""Write analyzers/dict/regions.tsv from an administrative-division code table.

    python tools/build_regions.py ADCODES.csv

ADCODES.csv: `adcode,name,...` rows with 12-digit codes of the national statistics office's division
list (provinces, prefecture-level divisions, county-level divisions), e.g. the `resources/adcodes.csv`
of the MIT-licensed `cpca` package (pip download cpca). Placeholders (市辖区, 县, 省直辖县级行政区划)
are left out; a county-level division directly under a province has no city.
"""
from __future__ import annotations

import csv
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "analyzers" / "dict" / "regions.tsv"
PLACEHOLDERS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}


def main() -> None:
    rows = {r["adcode"][:6]: r["name"] for r in csv.DictReader(open(sys.argv[1], encoding="utf-8"))}
    out = []
    for code in sorted(rows):
        name = rows[code]
        if name in PLACEHOLDERS:
            continue
        if code[2:] == "0000":
            level, parent = "省", ""
        elif code[4:] == "00":
            level, parent = "市", code[:2] + "0000"
        else:
            level = "县"
            city = code[:4] + "00"
            parent = city if rows.get(city) and rows[city] not in PLACEHOLDERS else code[:2] + "0000"
        out.append(f"{code}\t{name}\t{level}\t{parent}")
    header = ("# code\tname\tlevel (省: province-level, 市: prefecture-level, 县: county-level)\tparent code\n"
              "# Built by tools/build_regions.py from the national division codes (see its docstring).\n")
    OUT.write_text(header + "\n".join(out) + "\n", encoding="utf-8")
    print(f"{len(out)} divisions written to {OUT}")


if __name__ == "__main__":
    main()
