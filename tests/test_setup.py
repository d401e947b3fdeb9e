"""`ledger setup` in a clone (clones do not carry .git/config): the merge driver, the attribute where the
repository lacks it, the pre-commit hook that compares the index with HEAD, so that an edit or a removal of a
written entry is never committed; and `ledger init` on branch main whatever git's default."""

import os
import subprocess
import sys
from pathlib import Path

from conftest import SMALL_UNITS, run, write
from gitrepo import J, T, central, clone, git, head, office_repo, update
from gitrepo import isolated_git  # noqa: F401 - the autouse fixture

ENTRY = "- date: 2023-03-01\n  task: 1\n  progress: 造林 100 亩\n"


def commit(repo, *args):
    """git commit as people run it: the hooks run, with ledger on the PATH."""
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    return subprocess.run(["git", "commit", "-q", *args], cwd=repo, capture_output=True, text=True, env=env)


def test_setup_configures_a_fresh_clone_and_running_it_again_changes_nothing(tmp_path):
    bare = central(tmp_path)
    li = clone(bare, tmp_path / "li", "林业局李四", "li@forest.example", setup=False)
    assert git(li, "config", "--get-regexp", "^merge\\.", ok=False).stdout == ""  # a clone has no driver
    python = sys.executable
    assert run("setup", root=li) == (0, (
        "已配置这个克隆：\n"
        "  合并驱动 ledger-journal：已配置（git config merge.ledger-journal.name、merge.ledger-journal.driver）\n"
        "  pre-commit 钩子：已安装（ledger validate --staged）\n"), "")
    assert git(li, "config", "merge.ledger-journal.driver") == f"{python} -I -m ledger merge-journal %O %A %B %L %P\n"
    hook = li / ".git" / "hooks" / "pre-commit"
    assert hook.read_text(encoding="utf-8").endswith(f"\nexec {python} -I -m ledger validate --staged\n")
    assert os.access(hook, os.X_OK)
    assert run("setup", root=li) == (0, "已配置这个克隆：\n  合并驱动 ledger-journal：已配置过，没有改动\n"
                                        "  pre-commit 钩子：已安装过，没有改动\n", "")


def test_setup_keeps_someone_elses_hook_and_fills_in_the_attribute_an_old_repository_lacks(tmp_path):
    bare = central(tmp_path)
    office = tmp_path / "office"
    write(office / ".gitattributes", "data/progress/*.yaml merge=union\n")  # what ledger init wrote before
    git(office, "commit", "-qam", "旧的合并方式")
    git(office, "push", "-q")
    li = clone(bare, tmp_path / "li", "林业局李四", "li@forest.example", setup=False)
    write(li / ".git" / "hooks" / "pre-commit", "#!/bin/sh\nexit 0\n")
    said = run("setup", root=li).out.splitlines()
    assert said[2:] == [
        "  仓库的 .gitattributes 没有让日志按条目合并：已写进本克隆的 .git/info/attributes；请办公室把 ledger init "
        "写的那几行加进仓库的 .gitattributes",
        f"  已有别的 pre-commit 钩子（{li / '.git' / 'hooks' / 'pre-commit'}），没有改动；要用 ledger 的校验，请在其中加一行："
        f"{sys.executable} -I -m ledger validate --staged"]
    assert (li / ".git" / "info" / "attributes").read_text(encoding="utf-8").endswith(
        "/data/progress/*.yaml merge=ledger-journal text eol=lf\n")
    assert git(li, "-c", "core.quotepath=false", "check-attr", "merge", "--", J) == f"{J}: merge: ledger-journal\n"


def test_init_names_the_first_branch_main_whatever_git_would(tmp_path):
    git(tmp_path, "config", "--global", "init.defaultBranch", "master")
    assert run("init", tmp_path / "ledger").code == 0
    assert git(tmp_path / "ledger", "symbolic-ref", "HEAD") == "refs/heads/main\n"


def test_the_hook_refuses_to_commit_an_edited_or_removed_entry(tmp_path):
    repo = office_repo(tmp_path / "ledger")
    write(repo / J, ENTRY)
    git(repo, "add", J)
    assert commit(repo, "-m", "第一条").returncode == 0
    before = head(repo)
    write(repo / J, ENTRY.replace("100", "200"))
    git(repo, "add", J)
    refused = commit(repo, "-m", "改")
    assert (refused.returncode, refused.stderr) == (1, (
        f"{J}:1: 已写入的条目被修改（原第 1 行起）：改前“progress: 造林 100 亩”，改后“progress: 造林 200 亩”；"
        "日志只能追加，更正请追加一条新条目（update --corrects）\n共 1 处问题。\n"))
    # the index is what is judged: the working tree put back does not let the staged edit through
    write(repo / J, ENTRY)
    assert commit(repo, "-m", "改").returncode == 1
    git(repo, "restore", "--staged", J)
    git(repo, "rm", "-q", J)
    refused = commit(repo, "-m", "删")
    assert refused.stderr == f"{J}: 日志被删除了（原有 1 条条目）；日志只能追加，不能删除\n共 1 处问题。\n"
    assert head(repo) == before
    git(repo, "reset", "-q", "--hard")
    # an append passes, with the working tree's other, unstaged, broken entry left out of the judgement
    assert update(repo, 1, "--date", "2023-03-02", "-n", "补植").code == 0
    git(repo, "add", J)
    with open(repo / J, "a", encoding="utf-8") as journal:
        journal.write("- date: 2023-03-03\n  task: 1\n  percent: 150\n  progress: 还没暂存\n")
    assert commit(repo, "-m", "补植").returncode == 0


def test_validate_staged_reads_the_index_and_changed_catches_edits_in_the_working_tree(tmp_path):
    repo = office_repo(tmp_path / "ledger")
    write(repo / J, ENTRY)
    write(repo / T, "- date: 2023-03-01\n  task: 2\n  progress: 路基\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "两条")
    write(repo / J, ENTRY.replace("100", "200"))
    (repo / T).unlink()
    assert run("validate", "--staged", root=repo) == (0, "", "")  # nothing staged
    edit = (f"{J}:1: 已写入的条目被修改（原第 1 行起）：改前“progress: 造林 100 亩”，改后“progress: 造林 200 亩”；"
            "日志只能追加，更正请追加一条新条目（update --corrects）\n")
    gone = f"{T}: 日志被删除了（原有 1 条条目）；日志只能追加，不能删除\n"
    assert run("validate", "--changed", "HEAD", root=repo) == (1, gone + edit, "共 2 处问题。\n")
    git(repo, "add", "-A")
    assert run("validate", "--staged", root=repo) == (1, gone + edit, "共 2 处问题。\n")
    assert run("validate", "--staged", "--changed", "HEAD", root=repo).code == 2
    # a registry change in the index is judged from the index, with every journal
    git(repo, "reset", "-q", "--hard")
    write(repo / "data" / "units.yaml", SMALL_UNITS + "- name: 县财政局\n  accounts: [li si]\n")
    git(repo, "add", "-A")
    write(repo / "data" / "units.yaml", SMALL_UNITS)  # the working tree is fine; the index is not
    assert run("validate", "--staged", root=repo).out == (
        "data/units.yaml:9: 账号“li si”不能含空格或换行；应为托管平台或 gitolite 的用户名，如 shuili-zhang\n")
    assert run("validate", "--changed", "HEAD", root=repo) == (0, "", "")


def test_this_repository_merges_its_own_journals_by_entry():
    from conftest import REPO

    for journal in ("data/progress/县水利局.yaml", "examples/demo/data/progress/县水利局.yaml"):
        said = subprocess.run(["git", "-c", "core.quotepath=false", "check-attr", "merge", "eol", "--", journal],
                              cwd=REPO, capture_output=True, text=True).stdout
        assert said == f"{journal}: merge: ledger-journal\n{journal}: eol: lf\n"
