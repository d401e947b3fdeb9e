"""The command line's edges: -o never damages what is at the path, pipes end quietly, no input and no
signal gives a traceback, every exit code is one the README lists."""

import os
import resource
import signal
import stat
import subprocess
import sys
import threading
import time

import pytest
from conftest import REPO, SMALL_TASKS, run, run_process, write

DEMO = REPO / "examples" / "demo"
LEDGER = [sys.executable, "-m", "ledger"]


def clean_env(**extra):
    env = {key: value for key, value in os.environ.items() if not key.startswith("LEDGER_")}
    return {**env, **extra}


def test_o_writes_through_a_symbolic_link_to_the_file_it_names(tmp_path):
    (tmp_path / "real.md").write_text("old\n", encoding="utf-8")
    (tmp_path / "link.md").symlink_to("real.md")
    done = run("report", "--as-of", "2023-08-31", "-o", tmp_path / "link.md", root=DEMO)
    assert done.code == 0 and done.out == f"已写入 {tmp_path / 'link.md'}：截至 2023-08-31 的调度通报（markdown）\n"
    assert (tmp_path / "link.md").is_symlink() and os.readlink(tmp_path / "link.md") == "real.md"
    assert (tmp_path / "real.md").read_text(encoding="utf-8").startswith("# 调度通报\n")
    # a link to a file not there yet: the file is made where the link points
    (tmp_path / "new.md").symlink_to("made.md")
    assert run("report", "--as-of", "2023-08-31", "-o", tmp_path / "new.md", root=DEMO).code == 0
    assert (tmp_path / "new.md").is_symlink() and (tmp_path / "made.md").read_text(encoding="utf-8").startswith("# 调度")


def test_o_writes_into_a_fifo_and_leaves_it_a_fifo(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    done = run("export", "-o", fifo, "--format", "json", "--as-of", "2023-08-31", root=DEMO)
    reader.join(10)
    assert done.code == 0 and stat.S_ISFIFO(fifo.lstat().st_mode)
    assert got[0].startswith(b'{\n  "title": "')


def test_o_to_a_full_device_says_so_and_leaves_the_device(tmp_path):
    before = os.stat("/dev/full")
    done = run("report", "-o", "/dev/full", root=DEMO)
    assert done == (2, "", "无法写入“/dev/full”：磁盘已满（ENOSPC）；请换一个可写的文件路径\n")
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode) and os.stat("/dev/full").st_rdev == before.st_rdev


def test_o_refuses_a_read_only_file_and_a_folder(tmp_path):
    kept = write(tmp_path / "kept.md", "不要覆盖\n")
    kept.chmod(0o444)
    done = run("report", "-o", kept, root=DEMO)
    assert done == (2, "", f"无法写入“{kept}”：没有权限（EACCES）；请换一个可写的文件路径\n")
    assert kept.read_text(encoding="utf-8") == "不要覆盖\n"
    assert run("report", "-o", tmp_path, root=DEMO) == (
        2, "", f"无法写入“{tmp_path}”：这是一个目录（EISDIR）；请换一个可写的文件路径\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept.md"]  # no temporary file left


def test_o_dash_is_standard_output():
    shown = run("report", "--as-of", "2023-08-31", root=DEMO).out
    assert run("report", "--as-of", "2023-08-31", "-o", "-", root=DEMO) == (0, shown, "")
    csv = run("export", "-o", "-", "-f", "csv", "--as-of", "2023-08-31", root=DEMO)
    assert csv.code == 0 and csv.out.startswith("\ufeff序号,工作任务,") and len(csv.out.splitlines()) == 100
    assert run("export", "-o", "-", root=DEMO) == (
        2, "", "输出到标准输出（-o -）时请用 --format 指定格式：xlsx、csv、json\n")
    xlsx = subprocess.run([*LEDGER, "--root", DEMO, "export", "-o", "-", "-f", "xlsx"], capture_output=True,
                          env=clean_env(), check=True)
    assert xlsx.stdout.startswith(b"PK\x03\x04")
    assert run("export", "-o", "/dev/stdout", "-f", "json", "--as-of", "2023-08-31", root=DEMO).code == 0


@pytest.mark.parametrize("command", [["status", "--format", "csv"], ["status"], ["show", "25"],
                                     ["report", "-o", "-"], ["export", "-o", "/dev/stdout", "-f", "json"]])
def test_a_closed_pipe_is_a_normal_end(command):
    line = " ".join([*map(str, LEDGER), "--root", str(DEMO), *command])
    done = subprocess.run(["bash", "-c", f"{line} | true; echo ${{PIPESTATUS[0]}}"], capture_output=True, text=True,
                          env=clean_env())
    assert done.stdout == "0\n"
    assert "Traceback" not in done.stderr and "Exception" not in done.stderr


def test_days_at_the_ends_of_the_calendar(small):
    tasks = SMALL_TASKS.replace("start: 2023-01-01", "start: 0001-01-01").replace("end: 2023-12-31", "end: 9999-12-31")
    write(small / "data" / "tasks.yaml", tasks)
    for day in ("0001-01-01", "9999-12-31"):
        done = run("status", "--as-of", day, "--light", "红", "--format", "json", root=small)
        assert done.code == 0, done.err
    assert [t["id"] for t in __import__("json").loads(run("status", "--as-of", "9999-12-31", "--format", "json",
                                                             "--light", "红", root=small).out)] == [1, 2, 3, 4, 5]
    assert run("status", "--as-of", "0001-01-01", "--light", "红", root=DEMO).code == 0
    assert run("report", "--as-of", "9999-12-31", root=DEMO).code == 0


def test_xlsx_without_a_usable_temporary_folder(tmp_path):
    script = ("import sys, tempfile; tempfile.tempdir = sys.argv[1]; sys.argv = ['ledger'] + sys.argv[2:]; "
              "from ledger.__main__ import main; main()")
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path / "无此目录"), "--root", DEMO, "export",
                           "-o", tmp_path / "t.xlsx"], capture_output=True, text=True, env=clean_env())
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr.startswith("无法生成 xlsx：openpyxl 写临时文件失败（文件或所在目录不存在（ENOENT））；")
    assert not (tmp_path / "t.xlsx").exists()


def test_xlsx_beyond_the_file_size_limit(tmp_path):
    def limited():
        resource.setrlimit(resource.RLIMIT_FSIZE, (20 * 1024, 20 * 1024))

    done = subprocess.run([*LEDGER, "--root", DEMO, "export", "-o", tmp_path / "t.xlsx"], capture_output=True,
                          text=True, env=clean_env(), preexec_fn=limited)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr.startswith("无法生成 xlsx：openpyxl 写临时文件失败（IO_EFBIG）；")
    assert "Traceback" not in done.stderr and "Exception" not in done.stderr


def test_ctrl_c_at_any_moment_ends_with_one_chinese_line():
    """SIGINT at moments spread over start-up, loading, folding and printing: exit 130 and 已中断。, or done."""
    codes = set()
    for attempt in range(24):
        process = subprocess.Popen([*LEDGER, "--root", DEMO, "status", "--as-of", "2023-08-31"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=clean_env())
        time.sleep(0.1 + 0.02 * attempt)
        process.send_signal(signal.SIGINT)
        err = process.communicate(timeout=30)[1]
        codes.add(process.returncode)
        if err.startswith("Fatal Python error: init_import_site"):
            continue  # Python itself, still starting (on a slow machine): no ledger code has run yet
        # -SIGINT: stopped before Python set its own handler, as any program is; or, after the line, ended by the
        # signal as Python ends an interrupted program (a shell's $? is 130 for both)
        assert (process.returncode, err) in ((130, "已中断。\n"), (0, ""), (-signal.SIGINT, ""),
                                             (-signal.SIGINT, "已中断。\n")), (attempt, err)
        assert "Traceback" not in err
    assert 130 in codes


def test_exit_codes_are_those_the_readme_lists(small):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for code in ("0", "1", "2", "3", "130"):
        assert f"`{code}`" in readme.split("## 退出码")[1].split("\n## ")[0]
    assert run("status", root=small).code == 0
    assert run("status", "--light", "紫", root=small).code == 2
    write(small / "data" / "progress" / "县林业局.yaml", "- date: 2023-02-30\n  task: 1\n  progress: x\n")
    assert run("validate", root=small).code == 1
    assert run_process("status", root=small, env={"LEDGER_DEBUG": ""}).code == 0


def test_system_errors_are_said_in_chinese(tmp_path):
    assert run("import", tmp_path / "无此文件.txt") == (
        2, "", f"无法读取计划文件 {tmp_path / '无此文件.txt'}：文件或所在目录不存在（ENOENT）\n")


@pytest.mark.parametrize("columns", [60, 80, 100])
def test_narrow_terminals_never_split_a_word(columns):
    from rich.cells import cell_len

    shown = run("status", "--unit", "水利局", "--as-of", "2023-08-31", root=DEMO, env={"COLUMNS": str(columns)}).out
    lines = shown.splitlines()
    assert max(map(cell_len, lines)) <= columns and all(line == line.rstrip() for line in lines)
    words = ("2023-08-21", "2023-08-28", "推进中", "受阻", "未报送", "县水利局", "县发展和改革局", "市生态环境局冠县分局",
             "县住房和城乡建设局", "66.6%")
    flat = "".join(line.replace("│", "").replace(" ", "") for line in lines)
    for word in words:  # a word split over two lines would not be found whole on one line
        assert any(word in line for line in lines), (columns, word)
        assert word in flat
    assert not any(cell.strip().startswith("、") for line in lines for cell in line.split("│"))
