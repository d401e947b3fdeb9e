"""`ledger init`, `ledger codeowners`, `validate --changed` and the commit hooks, on real repositories."""

import os
import re
import shlex
import stat
import subprocess
import sys
from pathlib import Path

import yaml

from conftest import REPO, SMALL_UNITS, run, write
from gitrepo import J, T, git, head, office_repo
from gitrepo import isolated_git  # noqa: F401 - the autouse fixture

BAD_ENTRY = "- date: 2023-03-01\n  task: 1\n  status: 推进中\n  percent: 150\n  progress: x\n"
GOOD_ENTRY = "- date: 2023-03-01\n  task: 2\n  status: 推进中\n  progress: 路基开工\n"


def test_init_makes_a_ledger_repository_ready_for_a_plan(tmp_path):
    folder = tmp_path / "台账"
    result = run("init", folder)
    assert result == (0, f"已在 {folder} 新建台账：\n  data/tasks.yaml（空的计划，等待导入）\n  data/units.yaml\n"
                         "  data/config.yaml\n  data/progress/\n  .gitattributes（日志按条目合并，LF 换行）\n  .gitignore\n"
                         "  git 仓库（git init，分支 main）\n  本克隆的合并驱动和提交前钩子（ledger setup）\n"
                         "下一步：用 ledger import 导入计划文件，在 data/units.yaml 登记单位和审核人，然后 git add -A && git commit\n",
                      "")
    assert git(folder, "rev-parse", "--show-toplevel").strip() == str(folder)
    assert sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if ".git" not in p.parts[len(folder.parts):][:1]) \
        == [".gitattributes", ".gitignore", "data", "data/config.yaml", "data/progress", "data/progress/.gitkeep",
            "data/tasks.yaml", "data/units.yaml"]
    assert (folder / ".gitignore").read_text(encoding="utf-8") == "data/progress/.*.lock\ndata/.problems.yaml.lock\n"
    assert "data/progress/*.yaml merge=ledger-journal text eol=lf\n" in (folder / ".gitattributes").read_text(encoding="utf-8")
    assert git(folder, "check-attr", "-z", "merge", "eol", "--", "data/progress/县水利局.yaml") == (
        "data/progress/县水利局.yaml\0merge\0ledger-journal\0data/progress/县水利局.yaml\0eol\0lf\0")
    # the office's record of actions on problems is merged entry by entry too
    assert git(folder, "check-attr", "-z", "merge", "--", "data/problems.yaml") == (
        "data/problems.yaml\0merge\0ledger-journal\0")
    assert git(folder, "symbolic-ref", "HEAD") == "refs/heads/main\n"
    # a valid, empty ledger: every command runs on it
    assert run("validate", root=folder) == (0, "", "")
    assert run("status", "--format", "csv", "--as-of", "2023-06-30", root=folder).code == 0
    assert run("init", folder) == (2, "", f"“{folder}”里已有台账文件（data/tasks.yaml、data/units.yaml、"
                                          "data/config.yaml）；ledger init 不会覆盖已有文件\n")


def test_init_inside_a_repository_adds_to_it_and_keeps_its_files(tmp_path):
    git(tmp_path, "init", "-q")
    write(tmp_path / ".gitignore", "*.bak")  # no final newline
    result = run("init", tmp_path / "ledger")
    assert result.code == 0 and "（已在 git 仓库里，没有另建仓库）" in result.out
    assert not (tmp_path / "ledger" / ".git").exists()
    write(tmp_path / "ledger" / ".gitignore", "*.bak")
    (tmp_path / "ledger" / "data" / "tasks.yaml").unlink()
    (tmp_path / "ledger" / "data" / "units.yaml").unlink()
    (tmp_path / "ledger" / "data" / "config.yaml").unlink()
    assert run("init", tmp_path / "ledger").code == 0
    assert (tmp_path / "ledger" / ".gitignore").read_text(encoding="utf-8") == (
        "*.bak\ndata/progress/.*.lock\ndata/.problems.yaml.lock\n")
    assert (tmp_path / "ledger" / ".gitattributes").read_text(encoding="utf-8").count("merge=ledger-journal") == 2


def test_codeowners_maps_each_journal_to_its_reviewers_and_the_office(tmp_path):
    repo = office_repo(tmp_path / "ledger")
    write(repo / "data" / "units.yaml", SMALL_UNITS.replace(
        "  aliases: [林业局]\n", "  aliases: [林业局]\n  reviewers: [forest-li, '@forest/leaders']\n").replace(
        "  aliases: [交通局]\n", "  aliases: [交通局]\n  reviewers: [wang@roads.example]\n"))
    result = run("codeowners", "--office", "gx-office", "--office", "@gx-dispatch", root=repo)
    assert result == (0, "已写入仓库顶层的 CODEOWNERS：3 个单位的日志由本单位审核人和办公室审核；"
                         "其中 1 个单位没有登记审核人，只由办公室审核\n", "")
    assert (repo / "CODEOWNERS").read_text(encoding="utf-8") == (
        "# 由 ledger codeowners 根据 data/units.yaml 生成；要改审核人，请改 data/units.yaml 后重新运行，不要手改。\n"
        "# 每个单位的进展日志由本单位的审核人和办公室审核；其他文件由办公室审核。\n"
        "* @gx-office @gx-dispatch\n"
        "/data/progress/县林业局.yaml @forest-li @forest/leaders @gx-office @gx-dispatch\n"
        "/data/progress/县交通运输局.yaml wang@roads.example @gx-office @gx-dispatch\n"
        "/data/progress/县水利局.yaml @gx-office @gx-dispatch\n")
    assert run("codeowners", root=repo).code == 2  # the office is required
    write(repo / "data" / "units.yaml", "units:\n- name: 县林业局\n  reviewers: [li si]\n")
    assert run("codeowners", "--office", "gx", root=repo) == (
        1, "", "data/units.yaml:3: 审核人“li si”不能为空或含空格；应为托管平台的用户名（如 zhang-san）或邮箱\n")


def test_codeowners_for_a_ledger_in_a_folder_of_the_repository(tmp_path):
    git(tmp_path, "init", "-q")
    repo = office_repo(tmp_path / "county ledger")
    assert run("codeowners", "--office", "gx", "-o", tmp_path / "docs" / "CODEOWNERS", root=repo) == (
        0, f"已写入{tmp_path / 'docs' / 'CODEOWNERS'}：3 个单位的日志由本单位审核人和办公室审核；"
           "其中 3 个单位没有登记审核人，只由办公室审核\n", "")
    assert (tmp_path / "docs" / "CODEOWNERS").read_text(encoding="utf-8").splitlines()[2:4] == [
        "/county\\ ledger/** @gx", "/county\\ ledger/data/progress/县林业局.yaml @gx"]


def test_validate_changed_reads_only_the_journals_changed_since_rev(tmp_path):
    repo = office_repo(tmp_path / "ledger")
    write(repo / T, BAD_ENTRY.replace("task: 1", "task: 2"))  # a problem already committed
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "交通局的旧问题", "--no-verify")  # past the hook: a problem from before it
    old_problem = f"{T}:4: 进度应在 0 到 100 之间，实际是 150\n"
    assert run("validate", root=repo).out == old_problem
    assert run("validate", "--changed", "HEAD", root=repo) == (0, "", "")  # nothing changed
    write(repo / J, GOOD_ENTRY.replace("task: 2", "task: 1"))  # new and untracked, valid
    assert run("validate", "--changed", "HEAD", root=repo) == (0, "", "")
    write(repo / J, BAD_ENTRY)
    assert run("validate", "--changed", "HEAD", root=repo) == (
        1, f"{J}:4: 进度应在 0 到 100 之间，实际是 150\n", "共 1 处问题。\n")
    assert run("validate", "--changed", "HEAD~1", root=repo).out == old_problem + f"{J}:4: 进度应在 0 到 100 之间，实际是 150\n"
    (repo / J).unlink()
    # the unit registry changed: every journal depends on it, so all are validated
    write(repo / "data" / "units.yaml", SMALL_UNITS + "- name: 县财政局\n")
    assert run("validate", "--changed", "HEAD", root=repo).out == old_problem
    assert run("validate", "--changed", "nope", root=repo) == (
        2, "", "找不到版本“nope”；可以写分支名（origin/main）、标签、提交号或 HEAD~1 这样的写法\n")


def test_validate_changed_head_in_a_repository_without_commits_validates_everything(tmp_path):
    assert run("init", tmp_path / "new").code == 0
    write(tmp_path / "new" / "data" / "progress" / "县林业局.yaml", "- date: 2023-03-01\n")
    result = run("validate", "--changed", "HEAD", root=tmp_path / "new")
    assert result.code == 1 and result.out.startswith("data/progress/县林业局.yaml")


def hook_env():
    return {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}


def commit(repo, message):
    return subprocess.run(["git", "commit", "-qm", message], cwd=repo, capture_output=True, text=True, env=hook_env())


def test_the_plain_git_hook_in_the_readme_refuses_a_bad_journal(tmp_path):
    text = (REPO / "README.md").read_text(encoding="utf-8")
    script = re.search(r"```sh\n(#!/bin/sh\n# \.git/hooks/pre-commit.*?)```", text, re.S).group(1)
    repo = office_repo(tmp_path / "ledger")
    hook = repo / ".git" / "hooks" / "pre-commit"
    hook.write_text(script, encoding="utf-8")
    hook.chmod(hook.stat().st_mode | stat.S_IEXEC)
    before = head(repo)
    write(repo / J, BAD_ENTRY)
    git(repo, "add", J)
    refused = commit(repo, "坏条目")
    assert refused.returncode == 1
    # git hands a hook's standard output to its standard error
    assert refused.stderr == f"{J}:4: 进度应在 0 到 100 之间，实际是 150\n共 1 处问题。\n"
    assert head(repo) == before
    write(repo / J, GOOD_ENTRY.replace("task: 2", "task: 1"))
    git(repo, "add", J)
    assert commit(repo, "好条目").returncode == 0
    assert head(repo) != before


def test_the_pre_commit_framework_hooks_run_ledger_validate(tmp_path):
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert [(h["id"], h["entry"], h["language"], h["pass_filenames"], h.get("always_run", False)) for h in hooks] == [
        ("ledger-validate", "ledger validate --staged", "python", False, True),
        ("ledger-validate-all", "ledger validate", "python", False, False)]
    repo = office_repo(tmp_path / "ledger")
    for hook in hooks:
        assert re.search(hook["files"], J)
        entry = shlex.split(hook["entry"])
        # what the framework does: stage, keep unstaged changes aside, run the entry in the top folder, no file names
        write(repo / J, BAD_ENTRY)
        git(repo, "add", J)
        done = subprocess.run(entry, cwd=repo, capture_output=True, text=True, env=hook_env())
        assert (done.returncode, done.stdout) == (1, f"{J}:4: 进度应在 0 到 100 之间，实际是 150\n")
        write(repo / J, GOOD_ENTRY.replace("task: 2", "task: 1"))
        git(repo, "add", J)
        done = subprocess.run(entry, cwd=repo, capture_output=True, text=True, env=hook_env())
        assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    # a commit that only removes a committed journal: the framework runs the hook all the same (always_run)
    git(repo, "commit", "-qm", "一条", "--no-verify")
    git(repo, "rm", "-q", J)
    done = subprocess.run(shlex.split(hooks[0]["entry"]), cwd=repo, capture_output=True, text=True, env=hook_env())
    assert (done.returncode, done.stdout) == (1, f"{J}: 日志被删除了（原有 1 条条目）；日志只能追加，不能删除\n")
