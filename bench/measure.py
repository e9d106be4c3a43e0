"""What the search benchmarks share: the query set per class, timing helpers, a scratch directory."""
from __future__ import annotations

import contextlib
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

QUERIES = {
    "frequent word": ["人民政府", "管理", "规定", "部门"],
    "rare word": ["征地补偿", "野生动物", "营商环境", "消防"],
    "two-word AND": ["环境 保护", "行政 许可", "安全 生产", "人民法院 审理"],
    "phrase": ['"县级以上人民政府"', '"依法给予处分"', '"本条例自公布之日起施行"', '"国务院有关部门"'],
    "unspaced words": ["征地补偿标准", "双随机一公开", "县级以上人民政府", "行政许可事项"],
    "文号": ["国办发〔2019〕6号", "国发〔2019〕5号", "国务院令第707号", "国办发 2019 6"],
}


def pct(values, p):
    """The p-th percentile (nearest rank) of `values`."""
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def timed(fn, repeat):
    """Milliseconds of `repeat` calls of fn()."""
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


@contextlib.contextmanager
def scratch(prefix: str, keep: bool = False) -> Iterator[Path]:
    """A temporary data directory, removed afterwards (even on failure) unless `keep`."""
    tmp = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield tmp
    finally:
        if keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
