"""Times `ledger validate --staged` and `--changed HEAD` (what a commit hook runs) against a full
`ledger validate`, and `ledger review` and `ledger log` on the same ledger.

    .venv/bin/python benchmarks/changed.py [--entries 300] [--runs 11]

Builds, in a temporary git repository, the shipped plan with every unit's journal holding --entries
entries, commits it, appends one entry to one journal and stages it, then times the commands as whole processes,
interleaved, cold (no cache: store.cache_folder emptied) and warm; prints the medians and the ratio of the validations.
"""

import argparse
import datetime as dt
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from ledger.core.load import load  # noqa: E402
from ledger.files import store, yamlio  # noqa: E402


def build(root, per_unit):
    """A valid ledger under root: every unit reports per_unit entries on the tasks it carries, in date order."""
    for name in ("tasks.yaml", "units.yaml", "config.yaml"):
        (root / "data").mkdir(exist_ok=True)
        shutil.copy(REPO / "data" / name, root / "data" / name)
    ledger = load(root, units=())
    (root / store.PROGRESS).mkdir()
    for unit in ledger.units:
        tasks = [t.id for t in ledger.tasks.values() if unit.name in t.lead_units + t.support_units]
        if not tasks:
            continue
        entries = []
        for number in range(per_unit):
            day = dt.date(2023, 1, 1) + dt.timedelta(days=number * 364 // per_unit)
            entries.append({"date": day.isoformat(), "task": tasks[number % len(tasks)], "status": "推进中",
                            "percent": number * 100 // per_unit, "progress": f"第 {number} 次报送：按计划推进"})
        (root / store.journal_path(root, unit.name)).write_text(yamlio.dump(entries), encoding="utf-8")
    return ledger


def git(root, *args):
    subprocess.run(["git", "-c", "user.name=bench", "-c", "user.email=bench@example.org", *args], cwd=root,
                   check=True, capture_output=True)


def timed(argv, root, cold):
    if cold:
        shutil.rmtree(store.cache_folder(root), ignore_errors=True)
    start = time.perf_counter()
    done = subprocess.run(argv, cwd=root, capture_output=True)
    elapsed = time.perf_counter() - start
    assert done.returncode == 0, done.stdout.decode() + done.stderr.decode()
    return elapsed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=300, help="entries in each unit's journal")
    parser.add_argument("--runs", type=int, default=11)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        ledger = build(root, options.entries)
        git(root, "init", "-q")
        git(root, "add", "-A")
        git(root, "commit", "-qm", "benchmark ledger")
        with open(store.journal_path(root, "县水利局"), "a", encoding="utf-8") as journal:
            journal.write(yamlio.dump([{"date": "2023-12-31", "task": 25, "status": "推进中", "progress": "新的一条"}]))
        git(root, "add", "-A")  # staged, as when the pre-commit hook runs
        journals = len(list((root / store.PROGRESS).iterdir()))
        size = sum(p.stat().st_size for p in (root / store.PROGRESS).iterdir())
        print(f"{len(ledger.units)} units, {journals} journals, {journals * options.entries} entries, "
              f"{size / 1e6:.1f} MB of journals; one entry appended to one journal")
        ledger_ = [sys.executable, "-m", "ledger"]
        commands = {"ledger validate": ledger_ + ["validate"],
                    "ledger validate --changed HEAD": ledger_ + ["validate", "--changed", "HEAD"],
                    "ledger validate --staged": ledger_ + ["validate", "--staged"],
                    "ledger review HEAD": ledger_ + ["review", "HEAD", "--format", "plain"],
                    "ledger log --unit 县水利局": ledger_ + ["log", "--unit", "县水利局", "--format", "plain"]}
        times = {(name, cold): [] for name in commands for cold in (True, False)}
        for argv in commands.values():
            timed(argv, root, cold=False)
        for _ in range(options.runs):
            for (name, cold), values in times.items():
                values.append(timed(commands[name], root, cold))
        medians = {key: statistics.median(values) for key, values in times.items()}
        print(f"{'command':40} {'cold':>9} {'warm':>9}   ({options.runs} runs each, median)")
        for name in commands:
            print(f"{name:40} {medians[name, True] * 1000:7.1f}ms {medians[name, False] * 1000:7.1f}ms")
        full, changed = "ledger validate", "ledger validate --changed HEAD"
        print(f"{'ratio --changed / full':40} {medians[changed, True] / medians[full, True]:9.2f} "
              f"{medians[changed, False] / medians[full, False]:9.2f}")


if __name__ == "__main__":
    main()
