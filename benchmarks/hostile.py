"""Times how fast hostile input is refused and how long 50 simultaneous updates take.

    .venv/bin/python benchmarks/hostile.py [--runs 21]

In-process: yamlio.parse on the billion-laughs journal of tests/hostile/ (refused, never expanded),
on a 100,000-deep flow list, and store.validate_bytes on a journal with a 1 MB note. Whole
processes: `ledger validate` on a ledger whose journal is the bomb, next to `import typer,
rich.table` and to the same ledger with an ordinary journal; and 50 `ledger update` processes started at once on one journal (wall time).
Medians; the tests assert what is refused, never how fast.
"""

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from ledger.files import store, yamlio  # noqa: E402

BOMB = REPO / "tests/hostile/journals/billion_laughs.yaml"


def median_ms(function, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def ledger_copy(folder, journal_text):
    for name in ("tasks.yaml", "units.yaml", "config.yaml"):
        (folder / "data/progress").mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / "data" / name, folder / "data" / name)
    (folder / "data/progress/县水利局.yaml").write_text(journal_text, encoding="utf-8")
    return folder


def ledger(root, *args):
    return subprocess.run([sys.executable, "-m", "ledger", "--root", str(root), *args], capture_output=True, text=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=21)
    runs = parser.parse_args().runs
    bomb = BOMB.read_text(encoding="utf-8")
    deep = "- " + "[" * 100_000 + "]" * 100_000 + "\n"
    note = ("- date: 2023-03-01\n  task: 24\n  status: 推进中\n  progress: " + "长" * (1 << 20) + "\n").encode()
    yamlio.parse("- warm up\n", "x")
    store.validate_bytes(b"- warm up\n", "x", "journal")
    print(f"{'in-process':58} {'median':>10}")
    print(f"{'yamlio.parse(billion_laughs.yaml): 9 problems, no value':58} "
          f"{median_ms(lambda: yamlio.parse(bomb, 'x'), runs):8.2f}ms")
    print(f"{'yamlio.parse(100,000-deep flow list): refused':58} {median_ms(lambda: yamlio.parse(deep, 'x'), 3):8.1f}ms")
    print(f"{'validate_bytes(journal with a 1 MB note): refused':58} "
          f"{median_ms(lambda: store.validate_bytes(note, 'x', 'journal'), 3):8.1f}ms")
    with tempfile.TemporaryDirectory() as folder:
        root = ledger_copy(Path(folder), bomb)
        ledger(root, "validate")  # fills the cache of the task list
        base = median_ms(lambda: subprocess.run([sys.executable, "-c", "import typer, rich.table"]), runs)
        print(f"{'whole processes':58}")
        print(f"{'python -c import typer, rich.table':58} {base:8.1f}ms")
        check = median_ms(lambda: ledger(root, "validate"), runs)
        print(f"{'ledger validate, bomb journal (exit 1)':58} {check:8.1f}ms  ({check / base:.2f}x)")
        (root / "data/progress/县水利局.yaml").write_text(
            "- date: 2023-03-01\n  task: 24\n  status: 推进中\n  progress: 排查\n", encoding="utf-8")
        ledger(root, "validate")
        plain = median_ms(lambda: ledger(root, "validate"), runs)
        print(f"{'ledger validate, an ordinary journal (exit 0)':58} {plain:8.1f}ms  ({plain / base:.2f}x)")
    with tempfile.TemporaryDirectory() as folder:
        root = ledger_copy(Path(folder), "")
        start = time.perf_counter()
        with ThreadPoolExecutor(max_workers=50) as pool:
            codes = list(pool.map(lambda n: ledger(root, "update", "24", "--date", "2023-03-01", "-n", f"第{n}次")
                                  .returncode, range(50)))
        wall = time.perf_counter() - start
        entries = (root / "data/progress/县水利局.yaml").read_text(encoding="utf-8").count("- date:")
        print(f"{'50 ledger update at once, one journal (wall)':58} {wall * 1000:8.0f}ms  "
              f"({codes.count(0)} exit 0, {entries} entries)")


if __name__ == "__main__":
    main()
