"""Nothing in a clone is trusted beyond what it is: anyone could have pushed it. No cache is read from the work
tree, no link leads a read or a write out of the ledger, only regular files of bounded size are read, and unit
names cannot smuggle paths or lines into file names and CODEOWNERS. Each case fails safe with a Chinese message."""

import hashlib
import json
import os
import shutil
import subprocess
import sys

from conftest import REPO, SMALL_UNITS, run, write
from ledger.files.store import cache_folder

J = "data/progress/县林业局.yaml"
ENTRY = "- date: 2023-03-01\n  task: 1\n  status: 推进中\n  percent: 20\n  progress: 春季造林\n"


def snapshot(root):
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*"))
            if path.is_file() and not path.is_symlink()}


def percent(root):
    result = run("status", "--as-of", "2023-03-31", "-f", "json", root=root)
    return [task["percent"] for task in json.loads(result.out) if task["id"] == 1][0], result.err


def test_a_forged_cache_committed_to_the_clone_is_never_read(small):
    write(small / J, ENTRY)
    assert percent(small) == (20, "")
    # what an attacker would commit with git add -f: the real cache files, 20 turned into 100, digests redone
    forged = small / ".ledger-cache"
    forged.mkdir()
    for path in cache_folder(small).glob("*.json"):
        head, _, body = path.read_bytes().partition(b"\n")
        key = json.loads(head)
        if key[1] == J:
            assert b'"percent":[20]' in body
            body = body.replace(b'"percent":[20]', b'"percent":[100]')
        key[-1] = hashlib.blake2b(body, digest_size=20).hexdigest()
        (forged / path.name).write_bytes(json.dumps(key, ensure_ascii=False).encode() + b"\n" + body)
    # the forgery is good enough to be believed where ledger keeps its cache ...
    shutil.rmtree(cache_folder(small))
    shutil.copytree(forged, cache_folder(small))
    assert percent(small) == (100, "")
    # ... but a fresh clone carrying it has nothing cached on this machine, and reads the journal
    shutil.rmtree(cache_folder(small))
    before = snapshot(small)
    assert percent(small) == (20, "")
    assert snapshot(small) == before  # and nothing written into the clone


def test_a_cache_folder_that_is_a_link_in_the_clone_is_not_written_through(small, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    os.symlink(elsewhere, small / ".ledger-cache")
    write(small / J, ENTRY)
    assert percent(small) == (20, "")
    assert list(elsewhere.iterdir()) == []


def test_a_fifo_in_place_of_a_cache_file_does_not_hang(small):
    write(small / J, ENTRY)
    assert run("validate", root=small) == (0, "", "")
    victim = sorted(cache_folder(small).glob("*.json"))[0]
    victim.unlink()
    os.mkfifo(victim)
    done = subprocess.run([sys.executable, "-m", "ledger", "--root", small, "validate"], capture_output=True,
                          text=True, timeout=60)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


def test_a_progress_folder_that_is_a_link_is_neither_read_nor_written(small, tmp_path):
    outside = tmp_path / "outside"
    write(outside / "县林业局.yaml", ENTRY.replace("20", "90"))
    shutil.rmtree(small / "data" / "progress")
    os.symlink(outside, small / "data" / "progress")
    before = snapshot(outside)
    problem = "data/progress: data/progress/ 是符号链接；台账的 data/ 和 data/progress/ 必须是普通目录，不能指向别处" \
              "（它可能来自别人的推送）；请把它换成普通目录"
    assert run("validate", root=small) == (1, problem + "\n", "共 1 处问题。\n")
    assert percent(small) == (None, "注意：台账中有 1 处问题，有问题的条目未计入；运行 ledger validate 查看。\n")
    assert run("update", 1, "--date", "2023-03-02", "-n", "写到别处", root=small) == (
        1, "", f"没有写入，日志保持原样：\n{J}: 无法写入：{problem.split(': ', 1)[1]}\n")
    assert snapshot(outside) == before


def test_a_data_folder_that_is_a_link_is_not_read(small, tmp_path):
    shutil.move(small / "data", tmp_path / "shared")
    os.symlink(tmp_path / "shared", small / "data")
    result = run("validate", root=small)
    assert result.code == 1 and result.out.startswith(
        "data: data/ 是符号链接；台账的 data/ 和 data/progress/ 必须是普通目录，不能指向别处")


def test_ledger_files_that_link_out_of_the_ledger_or_to_a_device_are_not_read(small, tmp_path_factory):
    elsewhere = write(tmp_path_factory.mktemp("elsewhere") / "units.yaml", "units: []\n")
    os.remove(small / "data" / "units.yaml")
    os.symlink(elsewhere, small / "data" / "units.yaml")
    os.symlink("/dev/zero", small / "data" / "config.yaml")
    assert run("validate", root=small).out == (
        "data/config.yaml: 是指向台账目录之外的符号链接，不读取；请把它换成普通文件，或让它指向台账目录里的文件\n"
        "data/units.yaml: 是指向台账目录之外的符号链接，不读取；请把它换成普通文件，或让它指向台账目录里的文件\n")
    # inside the ledger, a link to a regular file is read; to a device, it is not
    os.remove(small / "data" / "units.yaml")
    write(small / "shared" / "units.yaml", SMALL_UNITS)
    os.symlink("../shared/units.yaml", small / "data" / "units.yaml")
    os.remove(small / "data" / "config.yaml")
    os.mkfifo(small / "shared" / "config.fifo")
    os.symlink("../shared/config.fifo", small / "data" / "config.yaml")
    assert run("validate", root=small) == (1, "data/config.yaml: 不是普通文件；台账文件应是 YAML 文本文件\n", "共 1 处问题。\n")


def test_unit_names_that_cannot_be_file_names_or_codeowners_lines(small):
    write(small / "data" / "units.yaml", SMALL_UNITS + (
        '- name: "县财政局\\n/data/** @attacker"\n- name: CON\n- name: "县税务局 "\n- name: "县医保局:分局"\n'
        "- name: 县民政局.\n"))
    assert run("validate", root=small).out == (
        "data/units.yaml:8: 单位名“县财政局\\n/data/** @attacker”含有“\\n”，不能用作日志文件名（Windows 的文件名不能有"
        " < > : \" | ? * 和换行、Tab）；请改用单位全称\n"
        "data/units.yaml:9: 单位名“CON”是 Windows 的保留设备名，不能用作日志文件名；请改用单位全称\n"
        "data/units.yaml:10: 单位名“县税务局 ”以空格或“.”开头或结尾（Windows 会悄悄去掉结尾的空格和“.”），"
        "不能用作日志文件名；请删去它们\n"
        "data/units.yaml:11: 单位名“县医保局:分局”含有“:”，不能用作日志文件名（Windows 的文件名不能有"
        " < > : \" | ? * 和换行、Tab）；请改用单位全称\n"
        "data/units.yaml:12: 单位名“县民政局.”以空格或“.”开头或结尾（Windows 会悄悄去掉结尾的空格和“.”），"
        "不能用作日志文件名；请删去它们\n")
    subprocess.run(["git", "init", "-q"], cwd=small, check=True)
    result = run("codeowners", "--office", "gx", root=small)
    assert result.code == 1 and result.err.startswith("单位名录有问题，没有生成 CODEOWNERS；请先改正（ledger validate）：\n")
    assert not (small / "CODEOWNERS").exists()


def test_the_demo_ledger_holds_copies_of_the_shipped_files_that_never_drift():
    for name in ("tasks.yaml", "units.yaml", "config.yaml"):
        demo = REPO / "examples" / "demo" / "data" / name
        assert not demo.is_symlink() and demo.read_bytes() == (REPO / "data" / name).read_bytes(), name
