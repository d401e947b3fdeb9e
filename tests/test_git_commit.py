"""`ledger update --commit`: the journal alone committed with the standard message, or nothing written at all."""

import os
import stat

from conftest import write
from gitrepo import J, git, head, identity, office_repo, update
from gitrepo import isolated_git  # noqa: F401 - the autouse fixture

MESSAGE = "进展(县林业局): 1 造林 — 20%"


def test_commit_holds_that_journal_alone_with_the_standard_message(tmp_path):
    repo = office_repo(tmp_path / "ledger")
    identity(repo, "林业局李四", "lisi@example.org")
    result = update(repo, 1, "--date", "2023-03-01", "-p", 20, "-n", "春季造林 300 亩", "--commit",
                    moment="2023-03-01T17:30:00+08:00")
    sha = git(repo, "rev-parse", "--short=8", "HEAD").strip()
    assert result == (0, "已追加到 data/progress/县林业局.yaml 第 2 行：第 1 项 造林 — 20%\n"
                         "截至 2023-03-01，第 1 项：绿（推进中，进度 20%，序时进度 16.4%）\n"
                         f"已提交 {sha}：{MESSAGE}\n", "")
    assert git(repo, "log", "-1", "--format=%an <%ae> %ad%n%B", "--date=iso") == (
        "林业局李四 <lisi@example.org> 2023-03-01 17:30:00 +0800\n"
        f"{MESSAGE}\n\n- date: 2023-03-01\n  task: 1\n  percent: 20\n  progress: 春季造林 300 亩\n  reporter: 林业局李四\n\n")
    assert git(repo, "show", "--name-only", "-z", "--format=", "HEAD") == f"{J}\0"
    assert git(repo, "status", "--porcelain") == ""
    # the header line and the entry (its reporter git's user.name), both from that commit
    assert git(repo, "show", "HEAD:" + J).count("\n") == 6


def test_commit_message_names_the_unit_task_status_and_percent(tmp_path):
    repo = office_repo(tmp_path / "ledger")
    assert update(repo, 2, "--date", "2023-03-01", "-n", "路基完成", "--status", "受阻", "-u", "林业局",
                  "--commit").code == 0
    assert git(repo, "log", "-1", "--format=%s") == "进展(县林业局): 2 修路 — 受阻\n"
    assert update(repo, 1, "--date", "2023-10-01", "-p", 100, "-n", "全部完成", "--commit").code == 0
    assert git(repo, "log", "-1", "--format=%s") == "进展(县林业局): 1 造林 — 已完成 100%\n"
    assert git(repo, "log", "--format=%s") == ("进展(县林业局): 1 造林 — 已完成 100%\n进展(县林业局): 2 修路 — 受阻\n"
                                               "台账：任务清单和单位名录\n")


def state(repo):
    """Everything a refused --commit must leave as it was: the journals, the index, HEAD."""
    journals = {p.name: p.read_bytes() for p in (repo / "data" / "progress").glob("*.yaml")}
    return journals, git(repo, "ls-files", "-s", "-z"), git(repo, "diff", "--cached", "--name-only"), head(repo)


def refused(repo, *args, env=None):
    before = state(repo)
    result = update(repo, *args, env=env)
    assert state(repo) == before
    assert result.out == ""
    return result.code, result.err


def test_refusals_leave_the_journal_and_the_index_as_they_were(tmp_path):
    repo = office_repo(tmp_path / "ledger")
    identity(repo, "林业局李四", "lisi@example.org")
    assert update(repo, 1, "--date", "2023-03-01", "-n", "第一次", "--commit").code == 0
    entry = ("1", "--date", "2023-04-01", "-n", "第二次", "--commit")

    write(repo / "data" / "config.yaml", "yellow_gap: 15\n")
    git(repo, "add", "data/config.yaml")
    assert refused(repo, *entry) == (1, "没有写入，日志保持原样：\n--commit：暂存区里已有其他改动（data/config.yaml）；"
                                        "--commit 只提交这一个日志。请先提交它们，或用 git restore --staged 撤出暂存区，"
                                        "或去掉 --commit\n")
    git(repo, "restore", "--staged", "data/config.yaml")
    git(repo, "checkout", "data/config.yaml")

    with open(repo / J, "a", encoding="utf-8") as journal:
        journal.write("- date: 2023-03-15\n  task: 1\n  status: 推进中\n  progress: 手写的条目\n")
    assert refused(repo, *entry) == (1, f"没有写入，日志保持原样：\n--commit：{J} 有尚未提交的改动；"
                                        f"请先查看（git diff -- {J}）并提交，或去掉 --commit\n")
    git(repo, "checkout", J)

    # an entry refused by validation is neither written nor committed
    assert refused(repo, "1", "--date", "2023-04-01", "-p", 150, "-n", "x", "--commit") == (
        1, "没有写入，日志保持原样：\n--percent：进度应在 0 到 100 之间，实际是 150\n")
    assert refused(repo, "1", "--date", "2023-04-02", "-n", "x", "--corrects", "2023-02-01", "--commit") == (
        1, "没有写入，日志保持原样：\n--corrects：本日志在 2023-02-01 没有第 1 项任务的条目；"
           "corrects 应为被更正的那一条的日期\n")

    git(repo, "config", "--unset", "user.name")
    git(repo, "config", "user.useConfigOnly", "true")
    assert refused(repo, *entry) == (1, "没有写入，日志保持原样：\n--commit：git 不知道提交人是谁；"
                                        "请先设置 git config user.name 和 git config user.email\n")


def test_outside_a_repository_or_without_git(small, tmp_path):
    write(small / J, "# 已有内容\n")
    before = (small / J).read_bytes()
    result = update(small, 1, "--date", "2023-03-01", "-n", "x", "--commit")
    assert result == (2, "", f"没有写入，日志保持原样：\n--commit：{small} 不在 git 仓库里；请在台账仓库的克隆里运行"
                             "（git clone 地址），或用 ledger init 新建一个台账仓库\n")
    nowhere = tmp_path / "empty-path"
    nowhere.mkdir()
    result = update(small, 1, "--date", "2023-03-01", "-n", "x", "--commit", env={"PATH": str(nowhere)})
    assert result == (2, "", "没有写入，日志保持原样：\n--commit：找不到 git 程序；"
                             "请先安装 git（https://git-scm.com）并确认它在 PATH 里\n")
    assert (small / J).read_bytes() == before


def test_a_failing_commit_hook_leaves_the_entry_written_and_says_so(tmp_path):
    repo = office_repo(tmp_path / "ledger")
    hook = repo / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho 本机规定：今天不许提交 >&2\nexit 1\n", encoding="utf-8")
    hook.chmod(hook.stat().st_mode | stat.S_IEXEC)
    before = head(repo)
    result = update(repo, 1, "--date", "2023-03-01", "-n", "x", "--commit")
    assert result.code == 1
    assert result.out == ("已追加到 data/progress/县林业局.yaml 第 2 行：第 1 项 造林 — 进展\n"
                          "截至 2023-03-01，第 1 项：进度未填（推进中，进度 —，序时进度 16.4%）\n")
    assert result.err == (f"条目已写入 {J}，但没有提交：git commit 失败：本机规定：今天不许提交\n"
                          f"请查看后自己提交：git commit -- {J}\n")
    assert head(repo) == before
    assert (repo / J).read_text(encoding="utf-8").endswith("  progress: x\n  reporter: 办公室\n")


def test_the_ledger_may_live_in_a_folder_of_the_repository(tmp_path):
    top = tmp_path / "county"
    top.mkdir()
    git(top, "init", "-q", "-b", "main")
    identity(top, "林业局李四", "lisi@example.org")
    repo = office_repo(top / "台账 2023")
    write(top / "README.txt", "县里的仓库\n")
    assert update(repo, 1, "--date", "2023-03-01", "-n", "x", "--commit").code == 0
    assert git(top, "show", "--name-only", "-z", "--format=", "HEAD") == f"台账 2023/{J}\0"
    assert git(top, "status", "--porcelain") == "?? README.txt\n"
    assert os.path.exists(top / "台账 2023" / ".gitattributes")
