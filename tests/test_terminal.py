"""In a real terminal (tmux): the interactive update, shell completion in bash, and piped output that takes the
terminal's width."""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux 未安装（.ci/run 会安装）")
DEMO = REPO / "examples" / "demo"


class Terminal:
    """A tmux session of a given size running bash without start-up files, the ledger command on its PATH."""

    def __init__(self, tmp_path, width=100, height=40):
        self.name = f"ledger-test-{os.getpid()}-{tmp_path.name}"
        bin_dir = tmp_path / "bin"
        bin_dir.mkdir()
        (bin_dir / "ledger").write_text(f"#!/bin/sh\nexec {sys.executable} -m ledger \"$@\"\n", encoding="utf-8")
        (bin_dir / "ledger").chmod(0o755)
        env = {"PATH": f"{bin_dir}:{os.environ['PATH']}", "HOME": str(tmp_path), "LANG": "C.UTF-8", "TERM": "xterm",
               "PYTHONPATH": str(REPO), "GIT_CONFIG_GLOBAL": "/dev/null"}
        self.socket = str(tmp_path / "tmux.sock")
        self.tmux("new-session", "-d", "-s", self.name, "-x", str(width), "-y", str(height),
                  *[f"-e{key}={value}" for key, value in env.items()], "bash --norc --noprofile")
        try:
            self.wait_for("bash")
        except AssertionError:
            self.close()  # the fixture's teardown never runs when setting up fails
            raise
        exports = " ".join(f"{key}='{value}'" for key, value in env.items())
        self.type(f"unset COLUMNS LINES; export {exports}; PS1='$ '; clear")  # the width is the terminal's

    def tmux(self, *args):
        return subprocess.run(["tmux", "-S", self.socket, *args], capture_output=True, text=True, check=True).stdout

    def type(self, text, enter=True):
        self.tmux("send-keys", "-t", self.name, "-l", text)
        if enter:
            self.tmux("send-keys", "-t", self.name, "Enter")

    def key(self, name):
        self.tmux("send-keys", "-t", self.name, name)

    def screen(self):
        return self.tmux("capture-pane", "-p", "-J", "-t", self.name, "-S", "-200")

    def wait_for(self, text, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.screen():
                return self.screen()
            time.sleep(0.05)
        raise AssertionError(f"没有等到“{text}”：\n{self.screen()}")

    def close(self):
        subprocess.run(["tmux", "-S", self.socket, "kill-server"], capture_output=True)


@pytest.fixture
def terminal(tmp_path):
    opened = Terminal(tmp_path)
    yield opened
    opened.close()


def demo_copy(tmp_path):
    root = tmp_path / "demo"
    shutil.copytree(DEMO / "data", root / "data", symlinks=False)
    return root


def test_interactive_update_asks_with_the_last_entrys_values_and_confirms(terminal, tmp_path):
    root = demo_copy(tmp_path)
    journal = root / "data/progress/县水利局.yaml"
    before = journal.read_bytes()
    terminal.type(f"cd {root} && ledger update 25 --date 2023-08-30")
    terminal.wait_for("上一条：2023-08-28 县水利局 召开彭楼灌区用地协调会")
    terminal.wait_for("状态（1.未启动/2.推进中/3.已完成/4.受阻） [受阻]：")
    terminal.type("进行中")  # not a status: said so, asked again
    terminal.wait_for("是不是“推进中”？")
    terminal.type("2")
    terminal.wait_for("进度（0–100） [45]：")
    terminal.type("150")
    terminal.wait_for("进度应在 0 到 100 之间，实际是 150")
    terminal.type("50%")
    terminal.wait_for("进展（必填）：")
    terminal.type("")
    terminal.wait_for("这一项必填。")
    terminal.type("彭楼灌区用地获批")
    terminal.wait_for("存在问题 [彭楼灌区项目用地手续尚未批复，影响开工]：")
    terminal.type("-")
    terminal.wait_for("下步计划 [8月底前提请县政府协调自然资源部门加快办理]：")
    terminal.type("")
    terminal.wait_for("（处） [1]：")
    terminal.type("")
    terminal.wait_for("将追加：状态 推进中；进度 50%；进展 彭楼灌区用地获批；清除存在问题")
    terminal.wait_for("确认写入？[Y/n]：")
    assert journal.read_bytes() == before  # nothing until confirmed
    terminal.type("y")
    screen = terminal.wait_for("截至 2023-08-30，第 25 项：")
    assert "第 25 项：黄（推进中，进度 50%，序时进度 66.3%）" in screen
    assert journal.read_bytes() == before + (
        "- date: 2023-08-30\n  task: 25\n  status: 推进中\n  percent: 50\n  progress: 彭楼灌区用地获批\n"
        "  clear:\n  - problems\n").encode()


def test_interactive_update_cancelled_writes_nothing(terminal, tmp_path):
    root = demo_copy(tmp_path)
    journal = root / "data/progress/县水利局.yaml"
    before = journal.read_bytes()
    terminal.type(f"cd {root} && ledger update 26 --date 2023-08-30 --status 推进中 --percent 25; echo 退出码 $?")
    terminal.wait_for("进展（必填）：")
    screen = terminal.screen()
    assert "状态（" not in screen and "进度（" not in screen  # what the command line gave is not asked again
    terminal.type("坡面整治")
    terminal.wait_for("存在问题：")
    terminal.key("C-d")
    assert "已取消，没有写入。" in terminal.wait_for("退出码 1")
    assert journal.read_bytes() == before


def test_bash_completes_task_numbers_units_and_choices(terminal, tmp_path):
    terminal.type(f"export LEDGER_ROOT={DEMO}; eval \"$(ledger --show-completion)\"; clear")  # bash detected
    terminal.type("ledger show 9", enter=False)
    terminal.key("Tab")
    terminal.key("Tab")
    screen = terminal.wait_for("99")
    assert set(map(str, range(90, 100))) <= set(screen.split()), screen
    time.sleep(0.5)  # bash redraws the line under the list
    terminal.key("C-u")
    terminal.type("ledger status --unit 县水", enter=False)
    terminal.key("Tab")
    terminal.wait_for("ledger status --unit 县水利局")
    time.sleep(0.2)
    terminal.key("C-u")
    terminal.type("ledger status --light 未", enter=False)
    terminal.key("Tab")
    terminal.wait_for("ledger status --light 未报送")


def test_piped_output_takes_the_terminals_width(terminal, tmp_path):
    out = tmp_path / "piped.txt"
    terminal.type(f"ledger --root {DEMO} status --as-of 2023-08-31 | cat > {out}; echo 结束$((1+1))")
    terminal.wait_for("结束2")
    lines = out.read_text(encoding="utf-8").splitlines()
    from rich.cells import cell_len
    assert max(map(cell_len, lines)) == 100 and lines[0] == "截至 2023-08-31，序时进度 66.6%，共 99 项任务"
    assert not [line for line in lines if line != line.rstrip()]


def test_interactive_update_names_the_missing_unit_before_asking(terminal, tmp_path):
    root = demo_copy(tmp_path)
    terminal.type(f"cd {root} && ledger update 19 --date 2023-08-30; echo 退出码 $?")
    screen = terminal.wait_for("退出码 2")
    assert "第 19 项任务有多个责任单位" in screen and "状态（" not in screen
