"""Times `ledger status --unit 县水利局` on the shipped data against importing typer and rich.table.

    .venv/bin/python benchmarks/startup.py [--runs 21]

Both are whole processes started the same way, measured in the same run, interleaved; the
medians and their ratio are printed. The ledger runs warm (its cache filled by a first run),
as it does for an office that runs it more than once.
"""

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def timed(argv):
    start = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, cwd=REPO)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=21)
    runs = parser.parse_args().runs
    commands = {
        "baseline: python -c 'import typer, rich.table'": [sys.executable, "-c", "import typer, rich.table"],
        "ledger status --unit 县水利局 (warm)": [sys.executable, "-m", "ledger", "status", "--unit", "县水利局",
                                           "--as-of", "2023-08-31"],
    }
    for argv in commands.values():
        timed(argv)  # fills the cache and the OS's file cache
    times = {name: [] for name in commands}
    for _ in range(runs):
        for name, argv in commands.items():
            times[name].append(timed(argv))
    medians = {name: statistics.median(values) for name, values in times.items()}
    base = next(iter(medians.values()))
    print(f"{'command':56} {'median':>9} {'ratio':>6}   ({runs} runs each)")
    for name, median in medians.items():
        print(f"{name:56} {median * 1000:7.1f}ms {median / base:6.2f}")


if __name__ == "__main__":
    main()
