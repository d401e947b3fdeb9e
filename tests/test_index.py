"""The derived SQLite index: in the user's cache folder, rebuilt journal by journal, never a wrong answer.
The state read from its timelines is the state folded from the entries, on random ledgers and days."""

import datetime as dt
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ledger
from ledger.core import issues
from conftest import REPO, SMALL_TASKS, SMALL_UNITS, run, run_process, write
from ledger.core.load import load_files
from ledger.files.store import cache_folder
from test_fold_reference import journals, text

J = "data/progress/县林业局.yaml"
W = "data/progress/县水利局.yaml"
ENTRY = "- date: 2023-03-01\n  task: 1\n  status: 推进中\n  percent: 20\n  progress: 春季造林\n"


def index_of(root):
    return sqlite3.connect(cache_folder(root) / "index.sqlite")


def held(root):
    with index_of(root) as index:
        return {file: (size, digest) for file, size, digest in index.execute("SELECT file, size, digest FROM journals")}


def states(root, as_of="2023-03-31"):
    result = run("status", "--as-of", as_of, "-f", "json", root=root)
    assert result.code == 0, result.err
    return json.loads(result.out)


def unindexed(root):
    """The ledger read from its files' bytes, without the index (ledger.load_files keeps none)."""
    return load_files({str(path.relative_to(root)): path.read_bytes() for path in (root / "data").rglob("*.yaml")})


def folded(root, as_of):
    """The state folded from the files' entries, without the index."""
    return ledger.state(unindexed(root), as_of)


def test_the_index_holds_the_journals_and_one_change_rejudges_that_journal_alone(small):
    write(small / J, ENTRY)
    write(small / W, ENTRY.replace("task: 1", "task: 3"))
    first = states(small)
    before = held(small)
    assert sorted(before) == [J, W]
    assert states(small) == first and held(small) == before
    write(small / J, ENTRY + ENTRY.replace("03-01", "03-02").replace("percent: 20", "percent: 30"))
    after = states(small)
    assert held(small)[W] == before[W] and held(small)[J] != before[J]
    assert [s["percent"] for s in after if s["id"] == 1] == [30]
    with index_of(small) as index:
        assert index.execute("SELECT COUNT(*) FROM entries").fetchone() == (3,)
        assert index.execute("SELECT since, percent FROM timeline WHERE task = 1 ORDER BY since").fetchall() == [
            ("2023-03-01", 20), ("2023-03-02", 30)]


def test_a_journal_removed_leaves_the_index(small):
    write(small / J, ENTRY)
    assert [s["light"] for s in states(small) if s["id"] == 1] == ["绿"]
    os.remove(small / J)
    assert [s["light"] for s in states(small) if s["id"] == 1] == ["未报送"]
    assert held(small) == {}


def test_a_damaged_index_is_built_anew(small):
    write(small / J, ENTRY)
    good = states(small)
    path = cache_folder(small) / "index.sqlite"
    for damage in (lambda data: b"", lambda data: data[:len(data) // 3], lambda data: b"SQLite format 3\x00" + b"\xff" * 99):
        run("validate", root=small)  # the write-ahead log folded into the file
        for extra in ("-wal", "-shm"):
            Path(f"{path}{extra}").unlink(missing_ok=True)
        path.write_bytes(damage(path.read_bytes()))
        assert states(small) == good
        assert run("validate", root=small) == (0, "", "")


def test_an_index_of_another_version_of_ledger_is_started_over(small):
    write(small / J, ENTRY)
    good = states(small)
    with index_of(small) as index:
        index.execute("UPDATE meta SET value = 'another' WHERE key = 'code'")
        index.execute("UPDATE timeline SET percent = 99")  # what that version computed is not believed
    assert states(small) == good


def test_problems_come_back_from_the_index(small):
    write(small / J, ENTRY.replace("task: 1", "task: 9") + ENTRY.replace("01", "02") + "  percnet: 3\n")
    first = run("validate", root=small)
    assert first.code == 1 and first.out.count("\n") == 2
    assert run("validate", root=small) == first


def test_an_entry_dated_after_today_is_refused_though_the_index_holds_it(small):
    tasks = (small / "data/tasks.yaml").read_text(encoding="utf-8").replace("end: 2023-12-31", "end: 9999-12-31")
    write(small / "data/tasks.yaml", tasks.replace("due: 2023-12-31", "due: 9999-12-30"))
    write(small / J, ENTRY + ENTRY.replace("2023-03-01", "9999-01-01").replace("percent: 20", "percent: 90"))
    for _ in range(2):  # cold, then warm
        assert run("validate", root=small).out.startswith(f"{J}:6: 日期 9999-01-01 晚于今天（")
        assert [s["percent"] for s in states(small, "9999-06-01") if s["id"] == 1] == [20]


def test_concurrent_first_runs_build_one_index_and_agree(small):
    write(small / J, ENTRY + ENTRY.replace("03-01", "03-09").replace("percent: 20", "percent: 35"))
    write(small / W, ENTRY.replace("task: 1", "task: 4"))
    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(lambda _: run_process("status", "--as-of", "2023-03-31", "-f", "json", root=small),
                                range(6)))
    assert {r.code for r in results} == {0} and len({r.out for r in results}) == 1
    assert json.loads(results[0].out)[0]["percent"] == 35


def test_ledger_index_writes_a_copy_to_query(small, tmp_path):
    write(small / J, ENTRY + ENTRY.replace("03-01", "04-20").replace("percent: 20", "percent: 35"))
    out = tmp_path / "台账.db"
    result = run("index", "-o", out, root=small)
    assert result == (0, f"已写入 {out}：2 条进展、1 个日志的索引（表 entries、timeline、journals、reports，见 README）\n", "")
    with sqlite3.connect(out) as copy:
        assert copy.execute("SELECT unit, task, date, percent FROM entries ORDER BY date").fetchall() == [
            ("县林业局", 1, "2023-03-01", 20), ("县林业局", 1, "2023-04-20", 35)]


SETTINGS = settings(deadline=None, max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(journals(), st.lists(st.dates(dt.date(2022, 12, 1), dt.date(2024, 1, 31)), min_size=1, max_size=4))
def test_the_index_gives_the_state_the_fold_gives(tmp_path_factory, written, days):
    root = tmp_path_factory.mktemp("ledger")
    write(root / "data/tasks.yaml", SMALL_TASKS)
    write(root / "data/units.yaml", SMALL_UNITS)
    for unit, entries in written.items():
        if entries:
            write(root / "data/progress" / f"{unit}.yaml", text(entries))
    indexed = ledger.load(root, today="2026-11-29")
    assert indexed.index is not None and indexed.problems == ()
    plain = unindexed(root)
    for day in days:
        assert ledger.state(indexed, day) == ledger.state(plain, day), day
        assert issues.register(indexed, day) == issues.register(plain, day), day  # the problem list too


def test_the_index_test_can_fail(tmp_path):
    """A timeline that misses a day's entry is caught by the comparison above."""
    write(tmp_path / "data/tasks.yaml", SMALL_TASKS)
    write(tmp_path / "data/units.yaml", SMALL_UNITS)
    write(tmp_path / J, ENTRY + ENTRY.replace("03-01", "03-09").replace("percent: 20", "percent: 35"))
    indexed = ledger.load(tmp_path)
    indexed.index.db.execute("DELETE FROM timeline WHERE since = '2023-03-09'")
    assert ledger.state(indexed, dt.date(2023, 3, 31)) != folded(tmp_path, dt.date(2023, 3, 31))


def test_a_warm_listing_scans_no_journal_entries(tmp_path):
    """Warm status reads the timelines; of the entries it asks only for those that resolve a problem and the
    tasks they name, each through an index: no query scans the entries table (history-independent)."""
    write(tmp_path / "data/tasks.yaml", SMALL_TASKS)
    write(tmp_path / "data/units.yaml", SMALL_UNITS)
    write(tmp_path / J, ENTRY + ENTRY.replace("03-01", "03-02") + "  resolves: [P1-0301]\n")
    run("status", "--as-of", "2023-03-31", root=tmp_path)
    probe = ("import sqlite3, sys; from ledger.cli import main\n"
             "traced = []\n"
             "real = sqlite3.connect\n"
             "def connect(*a, **k):\n"
             "    db = real(*a, **k); db.set_trace_callback(traced.append); return db\n"
             "sqlite3.connect = connect\n"
             "sys.argv = ['ledger', '--root', sys.argv[1], 'status', '--as-of', '2023-03-31']\n"
             "try:\n    main()\nexcept SystemExit:\n    pass\n"
             "print(repr([s for s in traced if 'FROM entries' in s]), file=sys.stderr)\n")
    done = subprocess.run([sys.executable, "-c", probe, str(tmp_path)], capture_output=True, text=True,
                          env={**os.environ, "LEDGER_ROOT": ""})
    asked = eval(done.stderr.strip().splitlines()[-1])  # noqa: S307 - the repr of a list of strings printed above
    assert len(asked) == 3 and "resolves IS NOT NULL" in asked[0]  # who resolves; the steps and entries of task 1
    with index_of(tmp_path) as index:
        plans = [[row[-1] for row in index.execute("EXPLAIN QUERY PLAN " + query)] for query in asked]
    assert all(step.startswith(("SEARCH entries", "SCAN entries USING INDEX entries_")) or "B-TREE" in step
               for plan in plans for step in plan), plans


def test_the_readme_query_gives_what_the_readme_shows(tmp_path):
    """The README's example query, run on a copy of the demo's index, gives the rows the README prints."""
    readme = (REPO / "README.md").read_text(encoding="utf-8").split("### 派生索引", 1)[1]
    query = readme.split("```sql\n", 1)[1].split("```", 1)[0]
    shown = readme.split("< 连续三个月未报送.sql\n", 1)[1].split("```", 1)[0]
    demo = tmp_path / "demo"
    shutil.copytree(REPO / "examples/demo", demo)
    out = tmp_path / "台账.db"
    assert run("index", "-o", out, root=demo).code == 0
    with sqlite3.connect(out) as copy:
        rows = copy.execute(query).fetchall()
    assert "".join(f"{unit}|{month}\n" for unit, month in rows) == shown
    assert len(rows) == 8


def test_a_journal_changed_with_its_size_and_mtime_kept_is_read_again(small):
    """The index skips reading a journal only while its file is as it saw it: same inode, size, mtime and ctime.
    An edit that keeps the size and puts the modification time back still changes the ctime."""
    write(small / J, ENTRY)
    time.sleep(2.1)  # past the racy window: the next run trusts the stamp
    assert [s["percent"] for s in states(small) if s["id"] == 1] == [20]
    assert [s["percent"] for s in states(small) if s["id"] == 1] == [20]  # read from the stamp alone
    before = os.stat(small / J)
    with open(small / J, "r+b") as handle:  # same inode, same size
        handle.write((small / J).read_bytes().replace(b"percent: 20", b"percent: 70"))
    os.utime(small / J, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = os.stat(small / J)
    assert (after.st_ino, after.st_size, after.st_mtime_ns) == (before.st_ino, before.st_size, before.st_mtime_ns)
    assert [s["percent"] for s in states(small) if s["id"] == 1] == [70]



def test_an_index_of_another_layout_is_made_anew(small):
    """A database whose tables are of another layout (user_version) is dropped and made anew, not half-used."""
    write(small / J, ENTRY)
    good = states(small)
    with index_of(small) as index:
        index.execute("DROP TABLE timeline")
        index.execute("CREATE TABLE timeline (task, since, percent)")  # an older layout
        index.execute("PRAGMA user_version = 1")
    assert states(small) == good
    with index_of(small) as index:
        assert index.execute("PRAGMA user_version").fetchone()[0] > 1
        assert "actuals" in [row[1] for row in index.execute("PRAGMA table_info(timeline)")]
