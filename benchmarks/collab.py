"""Times what collaboration adds to a clerk's and the central repository's work, on the shipped plan with
every unit's journal holding --entries entries:

- a push of one new entry into a bare repository, with `ledger hub init`'s pre-receive hook and without it;
- `git merge` of two branches that both appended to one journal, through `ledger merge-journal`;
- `ledger sync` of one new entry (commit, fetch, push through the hook), nothing to merge.

    .venv/bin/python benchmarks/collab.py [--entries 300] [--runs 7]

Each is a whole command (git and the ledger processes it starts), run --runs times; prints the medians.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from changed import build  # noqa: E402

from ledger.files import store, yamlio  # noqa: E402

ENV = {**os.environ, "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "b@example.org", "GIT_COMMITTER_NAME": "bench",
       "GIT_COMMITTER_EMAIL": "b@example.org", "GL_USER": "office"}
LEDGER = [sys.executable, "-m", "ledger"]


def run(argv, cwd, ok=True):
    done = subprocess.run(argv, cwd=cwd, capture_output=True, env=ENV)
    assert not ok or done.returncode == 0, done.stdout.decode() + done.stderr.decode()
    return done


def git(cwd, *args, ok=True):
    return run(["git", *args], cwd, ok)


def timed(argv, cwd, before=None):
    if before:
        before()
    start = time.perf_counter()
    run(argv, cwd)
    return time.perf_counter() - start


def append(clone, day, note):
    with open(store.journal_path(clone, "县水利局"), "a", encoding="utf-8") as journal:
        journal.write(yamlio.dump([{"date": day, "task": 25, "progress": note}]))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=300)
    parser.add_argument("--runs", type=int, default=7)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        office = folder / "office"
        office.mkdir()
        build(office, options.entries)
        git(office, "init", "-q", "-b", "main")
        run(LEDGER + ["setup"], office)
        git(office, "add", "-A")
        git(office, "commit", "-qm", "benchmark ledger", "--no-verify")
        size = sum(p.stat().st_size for p in (office / store.PROGRESS).iterdir())
        plain, hub = folder / "plain.git", folder / "hub.git"
        git(folder, "init", "-q", "--bare", "-b", "main", str(plain))
        run(LEDGER + ["hub", "init", str(hub), "--office", "office"], folder)
        for bare in (plain, hub):
            git(office, "push", "-q", str(bare), "main")
        clone = folder / "clone"
        git(folder, "clone", "-q", str(hub), str(clone))
        run(LEDGER + ["setup"], clone)
        results = {name: [] for name in ("push, no hook", "push through the hook", "merge through merge-journal",
                                         "ledger sync (commit, fetch, push)")}
        for number in range(options.runs):
            git(office, "pull", "-q", "--no-edit", str(hub), "main")  # the clone's sync of the last round
            append(office, "2023-12-30", f"第 {number} 条")
            git(office, "commit", "-qam", "one entry", "--no-verify")
            results["push, no hook"].append(timed(["git", "push", "-q", str(plain), "main"], office))
            results["push through the hook"].append(timed(["git", "push", "-q", str(hub), "main"], office))
            git(office, "switch", "-q", "-c", f"other{number}", "HEAD~1")
            append(office, "2023-12-29", f"另一边 {number}")
            git(office, "commit", "-qam", "other side", "--no-verify")
            git(office, "switch", "-q", "main")
            results["merge through merge-journal"].append(
                timed(["git", "merge", "-q", "--no-edit", f"other{number}"], office))
            git(office, "reset", "-q", "--hard", "HEAD~1")
            git(clone, "pull", "-q")
            append(clone, "2023-12-31", f"同步 {number}")
            results["ledger sync (commit, fetch, push)"].append(timed(LEDGER + ["sync"], clone))
        print(f"{options.entries} entries in each of 34 journals ({size / 1e6:.1f} MB); one entry each time")
        for name, values in results.items():
            print(f"{name:40} {statistics.median(values) * 1000:7.0f}ms   ({options.runs} runs, median)")


if __name__ == "__main__":
    main()
