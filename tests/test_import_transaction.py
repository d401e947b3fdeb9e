"""An import writes all its files or none: staged beside their places, then a note of what is staged (the commit
point), then renamed one by one. Killed at each step and at random moments, on a full disk (a real ENOSPC and a
file size limit), refused for characters that would hide text: the ledger is the old one, or the new one once
the next import has finished what the kill left. Real processes, real signals, real file systems."""

import os
import random
import resource
import shutil
import signal
import subprocess
import sys

import pytest

from conftest import run, write
from test_faults import kill, ledger_process
from test_import_documents import COUNTY_A

FILES = ("data/units.yaml", "data/tasks.yaml", "data/source/tasks.imported.yaml")
# the document's second version: task 9 gets a lead and a new supporting unit, task 1 a new target
NEW_DOC = COUNTY_A.replace("（县民政局等）", "（县民政局牵头，县老龄工作办公室配合）").replace(
    "新建市级以上创新平台5家以上", "新建市级以上创新平台6家以上")


def state(root):
    """The three files an import writes, and whatever else it left in data/ (stages, the note)."""
    extra = sorted(p.relative_to(root).as_posix() for p in (root / "data").rglob(".*") if not p.name.endswith(".lock"))
    return tuple((root / name).read_bytes() for name in FILES), extra


@pytest.fixture
def versions(tmp_path):
    """(a ledger with the first version imported, the plan path now holding the second, old state, new state)."""
    plan, root, other = tmp_path / "plan.txt", tmp_path / "ledger", tmp_path / "expected"
    write(plan, COUNTY_A)
    root.mkdir()
    assert run("import", plan, root=root).code == 0
    old = state(root)
    shutil.copytree(root, other)
    write(plan, NEW_DOC)
    assert run("import", plan, root=other).code == 0
    new = state(other)
    assert all(a != b for a, b in zip(old[0], new[0])) and new[1] == []
    return root, plan, old, new


@pytest.mark.parametrize("point, renamed", [("staged", 0), ("noting", 0), ("committed", 0), ("renamed", 1)])
def test_an_import_killed_at_each_step_is_all_old_or_finished_by_the_next(versions, point, renamed):
    root, plan, old, new = versions
    process = ledger_process(root, "import", plan, env={"LEDGER_TEST_PAUSE": point})
    assert process.stderr.readline() == f"LEDGER_TEST_PAUSE {point}\n"
    kill(process)
    files, extra = state(root)
    assert files == new[0][:renamed] + old[0][renamed:]  # renamed in order: units, then the task list, then the record
    stages = ["data/.tasks.yaml.import", "data/.units.yaml.import", "data/source/.tasks.imported.yaml.import"]
    if point == "noting":  # the note itself half written: a temporary file atomic_write had not renamed yet
        assert extra[0].startswith("data/..import-pending.json.") and extra[0].endswith(".tmp")
        extra = extra[1:]
    assert extra == (stages if point in ("staged", "noting") else
                     ["data/.import-pending.json"] + stages if point == "committed" else
                     ["data/.import-pending.json", "data/.tasks.yaml.import", "data/source/.tasks.imported.yaml.import"])
    assert run("validate", root=root) == (0, "", "")  # every step in between is a ledger that reads
    finished = [] if point in ("staged", "noting") else list(FILES[renamed:])
    dry = run("import", plan, "--dry-run", root=root)
    assert (f"上次导入在写入时被中断，正式导入时会先补完：{'、'.join(finished)}\n" in dry.out) == bool(finished)
    assert state(root)[0] == files
    result = run("import", plan, root=root)
    assert result.code == 0, result.err
    assert (f"上次导入在写入时被中断，已补完：{'、'.join(finished)}\n" in result.out) == bool(finished)
    assert state(root) == new


def test_imports_killed_at_random_moments_leave_the_old_ledger_or_one_the_next_import_finishes(versions):
    root, plan, old, new = versions
    for delay in random.Random(12).sample(range(0, 900, 20), 12):
        process = ledger_process(root, "import", plan)
        try:
            process.wait(timeout=delay / 1000)
        except subprocess.TimeoutExpired:
            pass
        kill(process)
        files, extra = state(root)
        pending = "data/.import-pending.json" in extra
        assert files in (old[0], new[0]) or pending and files in (new[0][:1] + old[0][1:], new[0][:2] + old[0][2:])
        assert run("import", plan, root=root).code == 0
        assert state(root) == new
        for name, data in zip(FILES, old[0]):  # back to the first version for the next round
            (root / name).write_bytes(data)


def test_a_full_disk_as_a_file_size_limit_writes_nothing(versions):
    root, plan, old, _ = versions
    limit = len(old[0][0]) + 200  # the registry's stage fits, the task list's does not

    def limited():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    done = subprocess.run([sys.executable, "-m", "ledger", "--root", str(root), "import", str(plan)],
                          capture_output=True, text=True, preexec_fn=limited,
                          env={k: v for k, v in os.environ.items() if not k.startswith("LEDGER_")})
    assert (done.returncode, done.stderr) == (1, "无法写入 data/tasks.yaml（EFBIG）：文件大小超出系统限制（磁盘配额或单个文件的"
                                                 "上限）；请联系管理员；没有写入任何文件，台账保持原样\n")
    assert state(root) == old


def test_a_full_disk_writes_nothing(versions, tmp_path):
    # a real ENOSPC: data/ is a small tmpfs, filled up, in a mount namespace of its own
    if not shutil.which("unshare") or subprocess.run(["unshare", "--mount", "--map-root-user", "true"],
                                                     capture_output=True).returncode:
        pytest.skip("unshare --mount --map-root-user 不可用（需要 util-linux 和用户命名空间），无法挂载小容量 tmpfs")
    root, plan, old, _ = versions
    saved = tmp_path / "saved"
    shutil.copytree(root / "data", saved)
    script = """
        set -e
        mount -t tmpfs -o size=64k tmpfs "$1/data"
        cp -a "$2/." "$1/data/"
        head -c 1000000 /dev/zero > "$1/data/.filler" 2>/dev/null || true
        set +e
        "$3" -m ledger --root "$1" import "$4"
        echo "exit $?"
        diff -r "$2" "$1/data" | grep -v filler
        ls -A "$1/data" "$1/data/source"
    """
    done = subprocess.run(["unshare", "--mount", "--map-root-user", "sh", "-c", script, "sh", str(root), str(saved),
                           sys.executable, str(plan)], capture_output=True, text=True, timeout=60,
                          env={k: v for k, v in os.environ.items() if not k.startswith("LEDGER_")})
    assert done.stderr.startswith("无法写入 data/") and done.stderr.endswith(
        "（ENOSPC）：磁盘已满；请腾出空间后重试；没有写入任何文件，台账保持原样\n")
    # every file as it was, and nothing left beside them but the filler
    assert done.stdout == (f"exit 1\n{root}/data:\n.filler\nsource\ntasks.yaml\nunits.yaml\n\n{root}/data/source:\n"
                           "tasks.imported.yaml\n")
    assert state(root) == old  # the tmpfs went with its namespace; the files under it were never touched


def test_a_document_with_characters_that_hide_text_is_refused(versions):
    root, plan, old, _ = versions
    write(plan, NEW_DOC.replace("县老龄工作办公室", "县老龄\u202e工作办公室"))
    assert run("import", plan, root=root) == (
        1, "", f"{plan}：第 25 行含不可见的控制字符 U+202E（会让文字显示得与实际不同，或扰乱终端）；请在原文件中删去后"
               "重新导入；没有写入任何文件\n")
    assert state(root) == old
    assert run("validate", root=root) == (0, "", "")


def test_a_document_that_is_a_pipe_or_a_folder_is_refused_at_once(versions, tmp_path):
    root, _, old, _ = versions
    os.mkfifo(tmp_path / "pipe.txt")
    assert run("import", tmp_path / "pipe.txt", root=root) == (
        2, "", f"{tmp_path / 'pipe.txt'}：不是普通文件（是目录、管道或设备）；请给出计划文件本身\n")
    (tmp_path / "folder.txt").mkdir()
    assert run("import", tmp_path / "folder.txt", root=root).code == 2
    assert state(root) == old


def test_a_task_list_that_is_a_link_is_not_replaced(versions, tmp_path):
    root, plan, _, _ = versions
    target = tmp_path / "shared-tasks.yaml"
    (root / "data/tasks.yaml").rename(target)
    (root / "data/tasks.yaml").symlink_to(target)
    before = target.read_bytes()
    assert run("import", plan, root=root) == (
        1, "", "data/tasks.yaml 是符号链接；导入不会替换链接，也不会改写它指向的文件，所以没有写入任何文件；"
               "请把它换成普通文件（复制一份）后再导入\n")
    assert (root / "data/tasks.yaml").is_symlink() and target.read_bytes() == before


def test_an_interrupted_import_whose_files_were_changed_since_is_not_finished_blindly(versions):
    root, plan, _, _ = versions
    process = ledger_process(root, "import", plan, env={"LEDGER_TEST_PAUSE": "renamed"})
    assert process.stderr.readline() == "LEDGER_TEST_PAUSE renamed\n"
    kill(process)
    (root / "data/.tasks.yaml.import").write_text("被人改过\n", encoding="utf-8")
    (root / "data/tasks.yaml").write_text("也被人改过\n", encoding="utf-8")
    before = state(root)
    assert run("import", plan, root=root) == (
        1, "", "上次导入在写入时被中断，要补完的 data/tasks.yaml 已被改动，无法补完，没有写入任何文件；请用 git status 和 "
               "git diff 核对 data/ 下的文件，删除 data/.import-pending.json 和 data/ 下以 .import 结尾的文件后重新导入\n")
    assert state(root) == before
