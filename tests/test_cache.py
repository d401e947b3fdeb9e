"""The cache of validated files: kept outside the ledger, used when a file is unchanged, never trusted
otherwise, never fatal."""

import json
import os
import subprocess

import pytest

from conftest import run, write
from ledger.files.store import cache_folder

J = "data/progress/县林业局.yaml"
ENTRY = "- date: 2023-03-01\n  task: 1\n  status: 推进中\n  percent: 20\n  progress: 春季造林\n"


def cache_files(root):
    return {path.name: path.read_bytes() for path in cache_folder(root).glob("*.json")}


def status(root):
    return run("status", "--as-of", "2023-03-31", "-f", "json", root=root)


def test_a_second_run_reads_the_cache_and_a_change_rereads_only_that_file(small):
    write(small / J, ENTRY)
    write(small / "data/progress/县水利局.yaml", ENTRY.replace("task: 1", "task: 3"))
    first = status(small)
    before = cache_files(small)
    assert len(before) == 4 and ".gitignore" not in before  # tasks, units, two journals
    assert status(small) == first and cache_files(small) == before
    write(small / J, ENTRY + ENTRY.replace("03-01", "03-02").replace("percent: 20", "percent: 30"))
    changed = status(small)
    after = cache_files(small)
    assert [name for name in after if after[name] != before[name]] == [
        next(name for name in before if b'"data/progress/\xe5\x8e\xbf\xe6\x9e\x97\xe4\xb8\x9a\xe5\xb1\x80.yaml"'
             in before[name])]
    assert '"percent": 30' in changed.out


@pytest.mark.parametrize("damage", [
    lambda data: b"",                                    # emptied
    lambda data: data[: len(data) // 2],                 # truncated
    lambda data: b"\x00\xff garbage",                    # not JSON at all
    lambda data: data.replace(b'"value":', b'"valeu":'),  # altered body
    lambda data: data.replace(b"\xe6\x8e\xa8\xe8\xbf\x9b\xe4\xb8\xad", b"\xe5\x8f\x97\xe9\x98\xbb"),  # 推进中 -> 受阻
    lambda data: data.replace(b'["0.', b'["9.', 1),     # written by another version of ledger
    lambda data: b'["x"]\n{}',                           # JSON of the wrong shape
])
def test_a_damaged_cache_file_is_rebuilt_never_trusted(small, damage):
    write(small / J, ENTRY)
    good = status(small)
    for path in cache_folder(small).glob("*.json"):
        path.write_bytes(damage(path.read_bytes()))
    assert status(small) == good
    assert run("validate", root=small) == (0, "", "")
    assert all(json.loads(data.partition(b"\n")[0]) for data in cache_files(small).values())


def test_a_changed_file_with_the_same_size_and_mtime_is_revalidated(small):
    write(small / J, ENTRY)
    assert run("validate", root=small).code == 0
    stat = (small / J).stat()
    write(small / J, ENTRY.replace("percent: 20", "percent: 2x"))
    os.utime(small / J, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert (small / J).stat().st_size == stat.st_size
    assert run("validate", root=small).out == f"{J}:4: “percent”（进度）应为数字，实际是“2x”\n"


def test_problems_come_back_from_the_cache(small):
    write(small / J, ENTRY.replace("task: 1", "task: 9") + ENTRY.replace("01", "02") + "  percnet: 3\n")
    first = run("validate", root=small)
    assert first.code == 1 and first.out.count("\n") == 2
    assert run("validate", root=small) == first


def test_no_cache_where_it_cannot_be_written(small):
    write(small / J, ENTRY)
    write(cache_folder(small), "not a folder")
    assert status(small).code == 0
    assert run("validate", root=small) == (0, "", "")
    assert cache_folder(small).read_text(encoding="utf-8") == "not a folder"


def test_no_cache_without_a_home(small, monkeypatch):
    write(small / J, ENTRY)
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.delenv("HOME")
    monkeypatch.setattr("pathlib.Path.home", lambda: (_ for _ in ()).throw(RuntimeError("no home")))
    assert cache_folder(small) is None
    assert json.loads(status(small).out)[0]["percent"] == 20


def test_the_cache_is_json_in_the_users_cache_folder_keyed_by_the_ledgers_path(small, cache_home):
    subprocess.run(["git", "init", "-q"], cwd=small, check=True)
    write(small / J, ENTRY)
    status(small)
    assert cache_folder(small).parent == cache_home / "ledger"
    assert cache_folder(small) != cache_folder(small / "data")  # another ledger, another folder
    assert os.stat(cache_folder(small)).st_mode & 0o777 == 0o700  # the user's own
    for data in cache_files(small).values():
        head, _, body = data.partition(b"\n")
        assert isinstance(json.loads(head), list) and isinstance(json.loads(body), dict)
    # nothing in the ledger but the ledger: git sees only data/
    listed = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=small,
                            capture_output=True, text=True, check=True).stdout
    assert sorted(line[3:].strip('"').split("/")[0] for line in listed.splitlines()) == ["data"] * 3


def test_a_unit_listing_reads_only_the_journals_that_bear_on_its_tasks(small):
    # 县交通运输局 leads task 2, which 县林业局 supports; 县水利局's journal has nothing to do with it
    write(small / J, ENTRY.replace("task: 1", "task: 2"))
    write(small / "data/progress/县水利局.yaml", "- date: [broken\n")
    found = run("status", "--unit", "交通局", "--as-of", "2023-03-31", "-f", "json", root=small)
    assert (found.code, found.err) == (0, "")
    assert json.loads(found.out)[0]["last_report"] is None  # a supporting unit's entry sets no status
    read = [json.loads(data.partition(b"\n")[0])[1] for data in cache_files(small).values()]
    assert J in read and "data/progress/县水利局.yaml" not in read
    everything = run("status", "--as-of", "2023-03-31", "-f", "json", root=small)
    assert everything.err == "注意：台账中有 1 处问题，有问题的条目未计入；运行 ledger validate 查看。\n"
