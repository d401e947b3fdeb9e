"""Times the monthly loop on a synthetic ledger: `ledger form --all`, collecting every unit's filled form once
(appending) and again (nothing to append), and the bulletin as Word against markdown.

    .venv/bin/python benchmarks/forms.py [--size M] [--runs 3]

Builds the ledger with benchmarks/make_ledger.py in a temporary folder, warms the cache, then runs each command
as a whole process; forms are filled with openpyxl (the first two task rows of each, untimed). Prints medians.
"""

import argparse
import datetime as dt
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import openpyxl

REPO = Path(__file__).resolve().parents[1]


def ledger(root, *args):
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "ledger", "--root", str(root), *map(str, args)], capture_output=True,
                          text=True)
    elapsed = time.perf_counter() - start
    assert done.returncode == 0, done.stdout + done.stderr
    return elapsed, done.stdout


def fill(forms, out):
    """Types a progress, a percent and a date into the first two task rows of every form, as a clerk would."""
    out.mkdir()
    rows = 0
    for path in sorted(forms.glob("*.xlsx")):
        book = openpyxl.load_workbook(path)
        sheet = book["报送表"]
        headers = [cell.value for cell in sheet[5]]
        where = {name: len(headers) - headers[::-1].index(name) for name in ("进度(%)", "本期进展", "报送日期")}
        for row in range(6, min(sheet.max_row, 7) + 1):
            sheet.cell(row, where["进度(%)"], 80)
            sheet.cell(row, where["本期进展"], f"{path.stem} 第 {row} 行：按计划推进")
            sheet.cell(row, where["报送日期"], dt.date(2023, 12, 20))
            rows += 1
        book.save(out / path.name)
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=["S", "M", "L"], default="M")
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "ledger"
        subprocess.run([sys.executable, str(REPO / "benchmarks" / "make_ledger.py"), options.size, str(root)],
                       check=True, capture_output=True)
        ledger(root, "validate")  # fills the cache: the office's machine has it
        times = {"form --all": [ledger(root, "form", "--all", "--as-of", "2023-12-01", "-o", Path(folder) / f"f{i}")[0]
                                for i in range(options.runs)]}
        forms = Path(folder) / "f0"
        rows = fill(forms, Path(folder) / "回收")
        filled = sorted((Path(folder) / "回收").glob("*.xlsx"))
        first, said = ledger(root, "collect", *filled)
        times["collect (appends)"] = [first]
        assert said.endswith(f"追加 {rows} 条，已收录过 0 条，问题 0 处\n"), said[-200:]
        times["collect again (nothing new)"] = [ledger(root, "collect", *filled)[0] for _ in range(options.runs)]
        times["report (markdown)"] = [ledger(root, "report", "--as-of", "2023-12-31")[0] for _ in range(options.runs)]
        times["report -o x.docx"] = [ledger(root, "report", "--as-of", "2023-12-31", "-o", Path(folder) / "x.docx")[0]
                                     for _ in range(options.runs)]
        print(f"{options.size}: {len(list(forms.glob('*.xlsx')))} forms, {rows} rows filled and collected")
        for what, runs in times.items():
            print(f"{what:<30}{statistics.median(runs) * 1000:>9.0f}ms  ({len(runs)} run{'s' * (len(runs) > 1)})")


if __name__ == "__main__":
    main()
