"""Times ledger on synthetic ledgers of three sizes against baselines measured in the same run.

    .venv/bin/python benchmarks/run.py [--sizes S,M,L] [--runs 5] [--work /tmp/ledger-bench]

For each size (made by make_ledger.py): `ledger validate`, `status`, `status --unit X` and `report`,
cold (cache deleted before each run) and warm, as whole processes, median of --runs; beside them
`python -c "import yaml"`, the same YAML files parsed by yaml.load(..., Loader=CSafeLoader) alone,
and the same data loaded from one JSON file. Then status after one entry is appended to one journal,
and peak memory. Prints a table and the issue's targets as ratios.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from ledger.files import store  # noqa: E402 - the cache's place

AS_OF = "2023-11-30"
UNIT = {"S": "县水利局", "M": "县第001局", "L": "县第001局"}
PARSE_YAML = """import glob, sys, yaml
for name in sorted(glob.glob(sys.argv[1] + '/data/*.yaml') + glob.glob(sys.argv[1] + '/data/progress/*.yaml')):
    with open(name, encoding='utf-8') as handle:
        yaml.load(handle, Loader=yaml.CSafeLoader)
"""


# children run as after a normal install: ledger's bytecode compiled and written (some shells set
# PYTHONDONTWRITEBYTECODE, which would make every run compile ledger's modules again)
ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def compile_ledger():
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(HERE.parent / "ledger")], env=ENV, check=True)


def measure(argv, runs, before=None, cwd=None):
    """(median seconds, largest peak RSS in MB) of runs of argv as a child process."""
    times, peak = [], 0
    for _ in range(runs):
        if before:
            before()
        start = time.perf_counter()
        child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV, cwd=cwd)
        _, status, usage = os.wait4(child.pid, 0)
        times.append(time.perf_counter() - start)
        if os.waitstatus_to_exitcode(status) not in (0, 1):
            raise SystemExit(f"{' '.join(argv)} failed")
        peak = max(peak, usage.ru_maxrss / 1024)
    return statistics.median(times), peak


JSON_COPY = """import json, sys
from pathlib import Path
from ledger.files.yamlio import parse
folder = Path(sys.argv[1])
data = {}
for path in sorted(folder.glob("data/*.yaml")) + sorted(folder.glob("data/progress/*.yaml")):
    data[str(path.relative_to(folder))] = parse(path.read_text(encoding="utf-8"), path.name)[0]
(folder / "all.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
"""


def prepare(size, folder):
    """Makes the ledger and its one-file JSON copy in child processes, so that this process stays small:
    a child's peak memory counts the parent's pages it was forked from. Returns the number of entries."""
    made = subprocess.run([sys.executable, str(HERE / "make_ledger.py"), size, str(folder)], check=True,
                          capture_output=True, text=True).stdout
    subprocess.run([sys.executable, "-c", JSON_COPY, str(folder)], check=True)
    return int(made.split(": ")[1].split()[0])


def has_report():
    found = subprocess.run([sys.executable, "-m", "ledger", "--help"], capture_output=True, text=True).stdout
    return " report " in found


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="S,M,L")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--work", default="/tmp/ledger-bench")
    args = parser.parse_args()
    compile_ledger()
    python, rows, results = sys.executable, [], {}
    ledger = [python, "-m", "ledger"]
    commands = {"validate": ["validate"], "status": ["status", "--as-of", AS_OF]}
    report = has_report()
    for size in args.sizes.split(","):
        folder = Path(args.work) / size
        entries = prepare(size, folder)
        runs = args.runs if size != "L" else max(3, args.runs // 2)
        cache = store.cache_folder(folder)

        def cold():
            shutil.rmtree(cache, ignore_errors=True)

        wanted = dict(commands, **{"status --unit": ["status", "--unit", UNIT[size], "--as-of", AS_OF]})
        if report:
            wanted["report"] = ["report", "--as-of", AS_OF]
        json_file = folder / "all.json"
        base = {
            "import yaml": measure([python, "-c", "import yaml"], runs),
            "import typer, rich.table": measure([python, "-c", "import typer, rich.table"], runs),
            "CSafeLoader parse": measure([python, "-c", PARSE_YAML, str(folder)], runs),
            "JSON load": measure([python, "-c", "import json,sys; json.load(open(sys.argv[1], encoding='utf-8'))",
                                  str(json_file)], runs),
        }
        found = {"entries": entries, "json_mb": json_file.stat().st_size / 2**20, "base": base}
        for name, extra in wanted.items():
            argv = ledger + ["--root", str(folder)] + extra
            found[f"{name} cold"] = measure(argv, runs, before=cold)
            measure(argv, 1)  # fill the cache
            found[f"{name} warm"] = measure(argv, runs)
        journal = sorted((folder / "data" / "progress").glob("*.yaml"))[0]
        with open(journal, "a", encoding="utf-8") as handle:  # what an update adds, without its checks
            handle.write(f"- date: {AS_OF}\n  task: {_a_task(journal)}\n  status: 推进中\n"
                         "  progress: 基准测试追加的一条\n")
        found["status after one append"] = measure(ledger + ["--root", str(folder)] + commands["status"], 1)
        found["status warm again"] = measure(ledger + ["--root", str(folder)] + commands["status"], runs)
        results[size] = found
        for name, (seconds, peak) in list(base.items()) + [(k, v) for k, v in found.items()
                                                             if isinstance(v, tuple)]:
            rows.append((size, name, seconds, peak))
    print(f"{'size':4} {'what':32} {'median':>9} {'peak RSS':>9}")
    for size, name, seconds, peak in rows:
        print(f"{size:4} {name:32} {seconds * 1000:7.0f}ms {peak:7.0f}MB")
    print()
    targets(results)


def _a_task(journal):
    """A task the journal's unit reports on: the one its first entry names."""
    with open(journal, encoding="utf-8") as handle:
        return next(line.split(":")[1].strip() for line in handle if line.startswith("  task:"))


def targets(results):
    """The targets of issue 15 (the index), each as a measured ratio and the bound it must stay under."""
    checks = []
    if "L" in results:
        large = results["L"]
        imports = large["base"]["import typer, rich.table"][0]
        checks += [
            ("warm status on L / import typer, rich.table", large["status warm"][0] / imports, 2.5),
            ("warm report on L / import typer, rich.table", large["report warm"][0] / imports, 3.0),
            ("status after one append on L / warm status", large["status after one append"][0] / large["status warm"][0],
             1.3),
            ("cold validate on L / CSafeLoader parse", large["validate cold"][0] / large["base"]["CSafeLoader parse"][0],
             1.1),
            ("peak memory on L / JSON file size",
             max(v[1] for k, v in large.items() if isinstance(v, tuple)) / large["json_mb"], 2.0),
            ("warm status on L / JSON load (issue 6)", large["status warm"][0] / large["base"]["JSON load"][0], 3.0),
        ]
    if "M" in results and "L" in results:
        entries = results["L"]["entries"] / results["M"]["entries"]
        for name, bound in (("status warm", 0.2), ("validate cold", 1.2)):
            grown = results["L"][name][0] / results["M"][name][0]
            checks.append((f"{name}: (L/M time) / (L/M entries)", grown / entries, bound))
    print(f"{'target':58} {'ratio':>6} {'bound':>6}")
    for name, ratio, bound in checks:
        print(f"{name:58} {ratio:6.2f} {bound:6.2f}  {'ok' if ratio <= bound else 'MISSED'}")


if __name__ == "__main__":
    main()
