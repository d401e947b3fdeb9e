"""Times `ledger status --unit 县水利局` on the shipped data against importing typer and rich.table.

    .venv/bin/python benchmarks/startup.py [--runs 21]

Both are whole processes started the same way, measured in the same run, interleaved; the
medians and their ratio are printed. The ledger runs warm (its cache filled by a first run),
as it does for an office that runs it more than once.
"""

import argparse
import statistics

from run import HERE, compile_ledger, measure


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=21)
    runs = parser.parse_args().runs
    python = __import__("sys").executable
    commands = {
        "baseline: python -c 'import typer, rich.table'": [python, "-c", "import typer, rich.table"],
        "ledger status --unit 县水利局 (warm)": [python, "-m", "ledger", "status", "--unit", "县水利局",
                                           "--as-of", "2023-08-31"],
    }
    compile_ledger()
    for argv in commands.values():
        measure(argv, 1, cwd=HERE.parent)  # fills the cache and the OS's file cache
    times = {name: [] for name in commands}
    for _ in range(runs):
        for name, argv in commands.items():
            times[name].append(measure(argv, 1, cwd=HERE.parent)[0])
    medians = {name: statistics.median(values) for name, values in times.items()}
    base = next(iter(medians.values()))
    print(f"{'command':56} {'median':>9} {'ratio':>6}   ({runs} runs each)")
    for name, median in medians.items():
        print(f"{name:56} {median * 1000:7.1f}ms {median / base:6.2f}")


if __name__ == "__main__":
    main()
