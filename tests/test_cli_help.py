"""Help and usage in Chinese, -h, --version, `ledger` alone, --root after the command, shell completion."""

import os
import re
import subprocess
import sys

from conftest import REPO, run

DEMO = REPO / "examples" / "demo"
ENGLISH = ("Usage", "Options", "Show this message", "Missing", "Did you mean", "Invalid value", "required",
           "default:", "<str>", "{task}", "Error")


def test_help_is_chinese_and_h_is_accepted():
    for args in (["--help"], ["-h"], ["status", "-h"], ["update", "--help"], ["export", "-h"], ["log", "-h"]):
        done = run(*args)
        assert done.code == 0 and done.err == "", args
        assert done.out.startswith("用法：ledger "), args
        assert not [word for word in ENGLISH if word in done.out], (args, done.out)
    update = run("update", "-h").out
    assert "用法：ledger update [选项] 序号\n" in update
    assert "  --date 日期" in update and "  -m, --metric 指标=数值" in update and "  -h, --help" in update
    # the columns line up on the screen: every help text starts at the same display column
    from rich.cells import cell_len
    rows = [line for line in update.splitlines() if line.startswith("  -")]
    starts = {cell_len(re.match(r"  \S.*?\s{2,}", line).group()) for line in rows}
    assert len(rows) == 14 and len(starts) == 1


def test_ledger_alone_prints_its_help_and_version_works():
    alone = run()
    assert alone == (0, run("--help").out, "")
    assert run("--version") == (0, "ledger 0.1.0\n", "")
    assert run("-V") == (0, "ledger 0.1.0\n", "")


def test_usage_errors_are_chinese():
    assert run("stauts") == (2, "", "用法错误：没有这个命令：stauts；是不是 status？\n运行 ledger --help 查看用法。\n")
    assert run("show", "abc") == (2, "", "用法错误：序号 的值“abc”不是整数\n运行 ledger show --help 查看用法。\n")
    assert run("show") == (2, "", "用法错误：缺少参数 序号\n运行 ledger show --help 查看用法。\n")
    assert run("status", "--colour") == (2, "", "用法错误：没有这个选项：--colour\n运行 ledger status --help 查看用法。\n")
    assert run("status", "--as-of") == (2, "", "用法错误：选项 --as-of 需要一个值\n运行 ledger status --help 查看用法。\n")
    assert run("--root") == (2, "", "用法错误：选项 --root 需要一个值\n运行 ledger --help 查看用法。\n")
    assert run("--root", str(DEMO)) == (2, "", "用法错误：缺少命令\n运行 ledger --help 查看用法。\n")
    assert run("status", "a", "b").err.startswith("用法错误：多余的参数：a b")


def test_root_may_follow_the_command():
    before = run("--root", DEMO, "status", "--as-of", "2023-08-31", "-l", "黄")
    assert before.code == 0 and "共 2 项任务" in before.out
    assert run("status", "--root", DEMO, "--as-of", "2023-08-31", "-l", "黄") == before
    assert run("status", "--as-of", "2023-08-31", f"--root={DEMO}", "-l", "黄") == before


def complete(words, shell="bash"):
    """What the completion script would offer for the command line words (the last one being typed)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("LEDGER_")}
    env.update(COMP_WORDS=" ".join(words), COMP_CWORD=str(len(words) - 1), _LEDGER_COMPLETE=f"complete_{shell}",
               LEDGER_ROOT=str(DEMO))
    done = subprocess.run([sys.executable, "-m", "ledger"], capture_output=True, text=True, env=env, check=True)
    return done.stdout.split()


def test_completion_offers_tasks_units_statuses_lights_and_formats():
    assert complete(["ledger", "show", "2"]) == ["2", *map(str, range(20, 30))]
    assert complete(["ledger", "update", "9"]) == ["9", *map(str, range(90, 100))]
    assert complete(["ledger", "status", "--unit", "县水"]) == ["县水利局"]
    assert complete(["ledger", "status", "--unit", "水"]) == ["水利局"]
    assert complete(["ledger", "update", "25", "--status", ""]) == ["未启动", "推进中", "已完成", "受阻"]
    assert complete(["ledger", "status", "--light", ""]) == ["红", "黄", "绿", "进度未填", "未报送", "逾期"]
    assert complete(["ledger", "status", "-f", "j"]) == ["json"]
    assert complete(["ledger", "st"]) == ["status"]
    zsh = subprocess.run([sys.executable, "-m", "ledger"], capture_output=True, text=True, check=True,
                         env={**os.environ, "_LEDGER_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": "ledger show 2",
                              "LEDGER_ROOT": str(DEMO)}).stdout
    assert '"25":"加强大中型灌区续建配套与现代化改造"' in zsh  # zsh shows each number's task


def test_completion_scripts_for_each_shell_and_installed_in_chinese(tmp_path):
    for shell, marker in (("bash", "complete -o default -F _ledger_completion ledger"), ("zsh", "#compdef ledger"),
                          ("fish", "complete --command ledger")):
        script = run("--show-completion", env={"LEDGER_SHELL": shell})
        assert script.code == 0 and marker in script.out, shell
    home = tmp_path / "home"
    home.mkdir()
    done = run("--install-completion", env={"LEDGER_SHELL": "bash", "HOME": str(home)})
    assert done == (0, f"已为 bash 安装命令补全：{home}/.bash_completions/ledger.sh；重新打开终端（或 source 这个文件）后生效\n",
                    "")
    assert "source" in (home / ".bashrc").read_text(encoding="utf-8")
    assert run("--show-completion", env={"LEDGER_SHELL": "tcsh"}) == (
        2, "", "命令补全支持 bash、zsh、fish，当前的 shell 是“tcsh”；可用环境变量 LEDGER_SHELL 指明，"
               "例如 LEDGER_SHELL=bash ledger --install-completion\n")
