"""Faults: an update killed anywhere, 50 at once, a full disk, a read-only journal, a lock left behind.

Every test runs real `ledger update` processes on real files; faults are real OS faults (SIGKILL,
RLIMIT_FSIZE, a full tmpfs, file modes), not mocks.
"""

import fcntl
import os
import random
import resource
import shutil
import signal
import stat
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import run, run_process, write

J = "data/progress/县林业局.yaml"
OLD = "# 县林业局\n- date: 2023-03-01\n  task: 1\n  status: 推进中\n  percent: 10\n  progress: 春季造林\n"
NEW = "- date: 2023-03-02\n  task: 1\n  progress: 补植\n"
UPDATE = ("update", 1, "--date", "2023-03-02", "-n", "补植")


def ledger_process(root, *args, env=None):
    """A `python -m ledger` process, started and left running."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("LEDGER_")}
    full_env.update(env or {})
    return subprocess.Popen([sys.executable, "-m", "ledger", "--root", str(root), *map(str, args)], env=full_env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def paused(root, point):
    """An update stopped at point (see files/journal.pause), holding the journal's lock."""
    process = ledger_process(root, *UPDATE, env={"LEDGER_TEST_PAUSE": point})
    assert process.stderr.readline() == f"LEDGER_TEST_PAUSE {point}\n"
    return process


def kill(process):
    process.send_signal(signal.SIGKILL)
    process.wait()
    process.stdout.close()
    process.stderr.close()
    return process.returncode


def leftovers(root):
    return sorted(p.name for p in (root / "data/progress").iterdir() if p.name.endswith(".tmp"))


@pytest.mark.parametrize("point, after", [
    ("locked", OLD),          # lock held, nothing read or written yet
    ("written", OLD),         # the new file written and flushed to disk, not yet renamed over the journal
    ("replaced", OLD + NEW),  # renamed: the entry is complete, only the lock is still held
], ids=["locked", "written", "replaced"])
def test_an_update_killed_at_each_step(small, point, after):
    write(small / J, OLD)
    process = paused(small, point)
    assert kill(process) == -signal.SIGKILL
    assert (small / J).read_text(encoding="utf-8") == after
    assert len(leftovers(small)) == (1 if point == "written" else 0)
    assert run("validate", root=small) == (0, "", "")
    # the dead process's lock file is still there and blocks nothing; its temporary file is cleared away
    assert (small / "data/progress/.县林业局.yaml.lock").exists()
    result = run_process("update", 1, "--date", "2023-03-03", "-n", "再补植", root=small, env={"LEDGER_LOCK_TIMEOUT": "5"})
    assert result.code == 0, result.err
    assert (small / J).read_text(encoding="utf-8") == after + NEW.replace("03-02", "03-03").replace("补植", "再补植")
    assert leftovers(small) == []


def test_an_update_killed_at_random_moments(small):
    # kills land anywhere from start-up to exit; the journal is only ever the old one or old + the entry
    write(small / J, OLD)
    for delay in random.Random(7).sample(range(0, 600, 15), 12):
        process = ledger_process(small, *UPDATE)
        try:
            process.wait(timeout=delay / 1000)
        except subprocess.TimeoutExpired:
            pass
        kill(process)
        text = (small / J).read_text(encoding="utf-8")
        assert text in (OLD, OLD + NEW)
        write(small / J, OLD)
    assert run("validate", root=small) == (0, "", "")


def test_fifty_concurrent_updates_all_land(small):
    write(small / J, OLD)

    def one(number):
        return run_process("update", 1, "--date", "2023-03-02", "-n", f"第{number}次", root=small, timeout=120)

    with ThreadPoolExecutor(max_workers=50) as pool:
        results = list(pool.map(one, range(50)))
    assert [r.code for r in results] == [0] * 50, [r.err for r in results if r.code]
    text = (small / J).read_text(encoding="utf-8")
    assert text.startswith(OLD) and text.count("- date: 2023-03-02\n") == 50
    assert sorted(text.count(f"  progress: 第{n}次\n") for n in range(50)) == [1] * 50
    # each process reports the line its own entry landed on
    lines = text.splitlines()
    for number, result in enumerate(results):
        line = int(result.out.split(" 第 ")[1].split(" 行")[0])
        assert lines[line - 1:line + 2] == ["- date: 2023-03-02", "  task: 1", f"  progress: 第{number}次"]
    assert run("validate", root=small) == (0, "", "")
    assert leftovers(small) == []


def test_a_lock_held_by_a_live_process_is_waited_for_then_reported(small):
    write(small / J, OLD)
    with open(small / "data/progress/.县林业局.yaml.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        result = run("update", *UPDATE[1:], root=small, env={"LEDGER_LOCK_TIMEOUT": "0.3"})
    assert result == (1, "", f"没有写入，日志保持原样：\n{J}: 另一个 ledger 进程正在写入这个日志，等了 0.3 秒仍未结束；"
                             "请稍后重试（如果一直如此，检查是否有卡住的 ledger 进程）\n")
    assert (small / J).read_text(encoding="utf-8") == OLD
    assert run("update", *UPDATE[1:], root=small).code == 0  # released: the next one goes through


def test_an_update_waits_for_the_one_before_it(small):
    write(small / J, OLD)
    first = paused(small, "locked")
    second = ledger_process(small, "update", 1, "--date", "2023-03-03", "-n", "再补植")
    with pytest.raises(subprocess.TimeoutExpired):
        second.wait(timeout=1.5)  # blocked on the lock, not failed
    kill(first)
    assert second.wait(timeout=30) == 0
    second.stdout.close()
    second.stderr.close()
    assert (small / J).read_text(encoding="utf-8") == OLD + NEW.replace("03-02", "03-03").replace("补植", "再补植")


def test_a_full_disk_as_a_file_size_limit(small):
    # RLIMIT_FSIZE makes the kernel refuse the write past the limit (EFBIG), for root too
    write(small / J, OLD)
    before = (small / J).stat()
    limit = len(OLD.encode()) + 20

    def limited():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    done = subprocess.run([sys.executable, "-m", "ledger", "--root", str(small), *map(str, UPDATE)],
                          capture_output=True, text=True, preexec_fn=limited,
                          env={k: v for k, v in os.environ.items() if not k.startswith("LEDGER_")})
    assert (done.returncode, done.stdout, done.stderr) == (
        1, "", f"没有写入，日志保持原样：\n{J}: 无法写入（EFBIG）：文件大小超出系统限制（磁盘配额或单个文件的上限）；请联系管理员\n")
    assert (small / J).read_text(encoding="utf-8") == OLD
    assert (small / J).stat().st_mtime_ns == before.st_mtime_ns
    assert leftovers(small) == []


def test_a_full_disk(small):
    # a real ENOSPC: data/progress/ is a 64 KiB tmpfs, filled up, in a mount namespace of its own
    if not shutil.which("unshare") or subprocess.run(["unshare", "--mount", "--map-root-user", "true"],
                                                     capture_output=True).returncode:
        pytest.skip("unshare --mount --map-root-user 不可用（需要 util-linux 和用户命名空间），无法挂载小容量 tmpfs")
    progress, saved = small / "data/progress", small / "old.yaml"
    write(saved, OLD)
    script = """
        set -e
        mount -t tmpfs -o size=64k tmpfs "$1/data/progress"
        cp "$2" "$1/data/progress/县林业局.yaml"
        head -c 1000000 /dev/zero > "$1/data/progress/.filler" 2>/dev/null || true
        set +e
        "$3" -m ledger --root "$1" update 1 --date 2023-03-02 -n 补植
        echo "exit $?"
        cmp -s "$2" "$1/data/progress/县林业局.yaml" && echo "journal unchanged"
        ls -A "$1/data/progress"
    """
    done = subprocess.run(["unshare", "--mount", "--map-root-user", "sh", "-c", script, "sh", str(small), str(saved),
                           sys.executable], capture_output=True, text=True, timeout=60,
                          env={k: v for k, v in os.environ.items() if not k.startswith("LEDGER_")})
    assert done.stderr == f"没有写入，日志保持原样：\n{J}: 无法写入（ENOSPC）：磁盘已满；请腾出空间后重试\n"
    assert done.stdout == "exit 1\njournal unchanged\n.filler\n.县林业局.yaml.lock\n县林业局.yaml\n"
    assert list(progress.iterdir()) == []  # the tmpfs went with its namespace


def test_a_read_only_journal_is_never_replaced(small):
    # os.replace would swap a read-only file out from under its mode, and root may write anything:
    # ledger treats a journal without any write permission as read-only, whoever runs it
    write(small / J, OLD)
    os.chmod(small / J, 0o444)
    before = (small / J).stat()
    result = run_process(*UPDATE, root=small)
    assert result == (1, "", f"没有写入，日志保持原样：\n{J}: 日志文件是只读的；ledger 不会绕过只读去替换它。"
                             "确需追加时，请先恢复写权限（chmod u+w，或在文件属性里取消“只读”）\n")
    after = (small / J).stat()
    assert (after.st_ino, after.st_mtime_ns, stat.S_IMODE(after.st_mode)) == (before.st_ino, before.st_mtime_ns, 0o444)
    assert (small / J).read_text(encoding="utf-8") == OLD
    assert run("validate", root=small) == (0, "", "")  # reading it is fine
    os.chmod(small / J, 0o644)
    assert run_process(*UPDATE, root=small).code == 0
    assert stat.S_IMODE((small / J).stat().st_mode) == 0o644  # the mode survives the replace


@pytest.mark.skipif(os.geteuid() == 0, reason="root 不受目录权限限制；只读日志的测试对 root 也有效")
def test_a_folder_without_write_permission(small):
    write(small / J, OLD)
    os.chmod(small / "data/progress", 0o555)
    try:
        result = run_process(*UPDATE, root=small)
    finally:
        os.chmod(small / "data/progress", 0o755)
    assert result == (1, "", f"没有写入，日志保持原样：\n{J}: 无法写入（EACCES）：没有写入权限；"
                             "请检查 data/progress/ 目录和日志文件的权限\n")
    assert (small / J).read_text(encoding="utf-8") == OLD


def test_a_new_journal_gets_the_usual_file_mode(small):
    old_mask = os.umask(0o022)
    try:
        assert run("update", *UPDATE[1:], root=small).code == 0
    finally:
        os.umask(old_mask)
    assert stat.S_IMODE((small / J).stat().st_mode) == 0o644  # not the 0600 of a temporary file


@pytest.mark.skipif(os.geteuid() == 0, reason="root 可以打开任何文件；这个测试要以普通用户运行")
def test_a_lock_file_another_user_left_read_only(small):
    write(small / J, OLD)
    lock = write(small / "data/progress/.县林业局.yaml.lock", "")
    os.chmod(lock, 0o444)  # as another user's lock file looks to this one
    assert run("update", *UPDATE[1:], root=small).code == 0
    assert (small / J).read_text(encoding="utf-8") == OLD + NEW
