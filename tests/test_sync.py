"""`ledger sync`, the clerk's one command: commit what `update` wrote, fetch, merge entry by entry, validate,
push, retry when someone pushed first; never a half-merged clone; says in Chinese what it did."""

import json
import os
import subprocess
import sys

from conftest import run, write
from gitrepo import LI, WANG, ZHAO, J, at, central, clone, clones, git, head, office_repo, update
from gitrepo import isolated_git  # noqa: F401 - the autouse fixture


def sync(root, env=None):
    return run("sync", root=root, env=env)


def progress_lines(root, journal=J):
    return [line[len("  progress: "):] for line in (root / journal).read_text(encoding="utf-8").splitlines()
            if line.startswith("  progress: ")]


def test_a_clerk_updates_and_syncs_and_the_office_reviews_what_the_pull_brought(tmp_path):
    (li,) = clones(tmp_path, LI)
    assert update(li, 1, "--date", "2023-03-01", "-p", 20, "--status", "推进中", "-n", "春季造林").code == 0
    result = sync(li, env=at("2023-03-01T10:00:00+08:00"))
    sha = git(li, "rev-parse", "--short=8", "HEAD").strip()
    assert result == (0, f"已提交 {sha}：进展(县林业局): 1 造林 — 推进中 20%\n已推送到 origin/main：1 个提交\n", "")
    assert git(li, "log", "-1", "--format=%an%n%B") == (
        "林业局李四\n进展(县林业局): 1 造林 — 推进中 20%\n\n- date: 2023-03-01\n  task: 1\n  status: 推进中\n"
        "  percent: 20\n  progress: 春季造林\n  reporter: 林业局李四\n\n")
    assert head(li) == git(tmp_path / "central.git", "rev-parse", "main").strip()
    assert sync(li) == (0, "已与 origin/main 一致，没有要推送的提交\n", "")
    # the office pulls; its plain `ledger review` shows what the pull brought, not nothing
    office = tmp_path / "office"
    git(office, "pull", "-q")
    found = run("review", "--format", "json", root=office)
    assert found.code == 0
    review = json.loads(found.out)
    assert review["base"] == "上次拉取或合并之前"
    assert [(e["unit"], e["progress"], e["author"]) for e in review["entries"]] == [("县林业局", "春季造林", "林业局李四")]


def test_two_clerks_of_one_unit_same_day_same_last_line_and_back_dated(tmp_path):
    li, zhao = clones(tmp_path, LI, ZHAO)
    for clerk, day, note in ((li, "2023-03-05", "李四：造林"), (zhao, "2023-03-05", "赵六：育苗"),
                             (zhao, "2023-02-27", "赵六：补报二月")):
        assert update(clerk, 1, "--date", day, "-n", note, "--reporter", "林业局").code == 0
    assert sync(li).code == 0
    result = sync(zhao)
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0].endswith("：进展(县林业局): 2 条") and lines[1:] == [
        "已合并 origin/main 的 1 个新提交（日志按条目合并）", "已推送到 origin/main：2 个提交"]
    assert git(zhao, "log", "-1", "--skip=1", "--format=%B").startswith(
        "进展(县林业局): 2 条\n\n2023-03-05 1 造林 — 进展\n2023-02-27 1 造林 — 进展\n")
    git(li, "pull", "-q")
    assert progress_lines(li) == ["赵六：育苗", "赵六：补报二月", "李四：造林"]
    assert run("validate", root=li) == (0, "", "")
    card = json.loads(run("show", 1, "--as-of", "2023-03-31", "-f", "json", root=li).out)
    assert [e["progress"] for e in card["entries"]] == ["赵六：补报二月", "赵六：育苗", "李四：造林"]


def test_ten_clerks_of_one_unit_sync_at_the_same_time_and_every_entry_lands(tmp_path):
    bare = central(tmp_path)
    clerks = [clone(bare, tmp_path / f"clerk{n}", f"林业局{n}", f"c{n}@forest.example") for n in range(10)]
    for n, clerk in enumerate(clerks):
        day = "2023-03-05" if n % 2 else f"2023-02-{10 + n:02d}"  # the same day, or back-dated
        assert update(clerk, 1, "--date", day, "-n", f"第 {n} 位", "--reporter", "林业局").code == 0
    env = {key: value for key, value in os.environ.items() if not key.startswith("LEDGER_")}
    running = [subprocess.Popen([sys.executable, "-m", "ledger", "sync"], cwd=clerk, env=env, text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE) for clerk in clerks]
    outcomes = [(process.wait(timeout=300), *process.communicate()) for process in running]
    assert [(code, out.splitlines()[-1], err) for code, out, err in outcomes] == [
        (0, "已推送到 origin/main：" + out.splitlines()[-1].split("：")[1], "") for _, out, _ in outcomes]
    office = tmp_path / "office"
    git(office, "pull", "-q")
    assert sorted(progress_lines(office)) == sorted(f"第 {n} 位" for n in range(10))
    assert run("validate", root=office) == (0, "", "")
    status = json.loads(run("show", 1, "--as-of", "2023-03-31", "-f", "json", root=office).out)
    assert len(status["entries"]) == 10


def synced_then_edited(tmp_path):
    """(li's clone, the commit it pushed): one entry synced, then edited in the working tree."""
    (li,) = clones(tmp_path, LI)
    assert update(li, 1, "--date", "2023-03-01", "-n", "造林 100 亩").code == 0
    assert sync(li).code == 0
    write(li / J, (li / J).read_text(encoding="utf-8").replace("造林 100 亩", "造林 200 亩"))
    return li, head(li)


def test_sync_refuses_an_edited_entry_and_commits_and_pushes_nothing(tmp_path):
    li, before = synced_then_edited(tmp_path)
    assert update(li, 1, "--date", "2023-03-02", "-n", "补植").code == 0
    assert sync(li) == (1, "", (
        "没有提交，也没有推送：\n"
        f"{J}:2: 已写入的条目被修改（原第 2 行起）：改前“progress: 造林 100 亩”，改后“progress: 造林 200 亩”；"
        "日志只能追加，更正请追加一条新条目（update --corrects）\n"
        "已写入的条目只能追加、不能改动或删除；请用 git diff 查看、git restore 恢复，更正请用 ledger update --corrects 追加一条\n"))
    assert head(li) == before and progress_lines(li) == ["造林 200 亩", "补植"]  # the clone as it was
    assert git(li, "-c", "core.quotepath=false", "diff", "--name-only") == f"{J}\n"
    assert git(tmp_path / "central.git", "rev-parse", "main").strip() == before


def test_sync_refuses_an_invalid_entry_written_by_hand(tmp_path):
    (li,) = clones(tmp_path, LI)
    write(li / J, "- date: 2023-03-01\n  task: 1\n  percent: 150\n  progress: 手写的\n")
    assert sync(li) == (1, "", f"没有提交，也没有推送：新条目有问题，请先改正（ledger validate）：\n"
                               f"{J}:3: 进度应在 0 到 100 之间，实际是 150\n")
    assert git(li, "log", "--format=%s") == "台账：任务清单和单位名录\n"


def test_a_merge_that_cannot_be_made_is_undone_and_the_clone_left_as_it_was(tmp_path):
    li, zhao = clones(tmp_path, LI, ZHAO)
    assert update(li, 1, "--date", "2023-03-01", "-n", "造林 100 亩").code == 0
    assert sync(li).code == 0
    git(zhao, "pull", "-q")
    # someone pushes an edit of the written entry to a central repository without the hub's hook
    write(zhao / J, (zhao / J).read_text(encoding="utf-8").replace("造林 100 亩", "造林 200 亩"))
    git(zhao, "commit", "-qam", "改了旧条目", "--no-verify")
    git(zhao, "push", "-q")
    assert update(li, 1, "--date", "2023-03-02", "-n", "补植").code == 0
    result = sync(li)
    assert result.code == 1
    mine = git(li, "rev-parse", "--short=8", "HEAD").strip()
    assert result.out == f"已提交 {mine}：进展(县林业局): 1 造林 — 进展\n"
    assert result.err.startswith(
        f"合并 origin/main 的 1 个新提交时有冲突（{J}），已放弃这次合并，克隆已恢复到 ledger sync 之前的样子"
        "（你的提交都在，还没有推送）。\n")
    assert "对方分支的版本里，已写入的条目被修改（原第 2 行起）：改前“progress: 造林 100 亩”" in result.err
    assert git(li, "status", "--porcelain") == "" and not (li / ".git" / "MERGE_HEAD").exists()
    assert progress_lines(li) == ["造林 100 亩", "补植"]


def test_sync_says_what_is_missing_before_it_starts(tmp_path):
    (li,) = clones(tmp_path, LI)
    git(li, "switch", "-q", "-c", "local")
    assert sync(li) == (2, "", "分支 local 没有上游分支，不知道推送到哪里；请先运行一次 git push -u origin local\n")
    git(li, "switch", "-q", "--detach")
    assert sync(li).err == "现在不在任何分支上（detached HEAD）；请先切换到要推送的分支（git switch main）\n"
    git(li, "switch", "-q", "main")
    write(li / "data" / "config.yaml", "yellow_gap: 12\n")  # not a journal: sync leaves it alone
    assert update(li, 1, "--date", "2023-03-01", "-n", "造林").code == 0
    assert sync(li).code == 0
    assert git(li, "status", "--porcelain") == " M data/config.yaml\n"


def test_the_hubs_refusal_comes_back_in_chinese_and_the_commit_stays(tmp_path):
    bare = tmp_path / "hub.git"
    assert run("hub", "init", bare, "--office", "office").code == 0
    office = office_repo(tmp_path / "office")
    write(office / "data" / "units.yaml", (office / "data" / "units.yaml").read_text(encoding="utf-8").replace(
        "  aliases: [林业局]\n", "  aliases: [林业局]\n  accounts: [li]\n"))
    git(office, "commit", "-qam", "登记账号")
    git(office, "remote", "add", "origin", str(bare))
    git(office, "push", "-q", "-u", "origin", "main", env={"GL_USER": "office"})
    roads = clone(bare, tmp_path / "roads", *WANG[1:])
    assert update(roads, 2, "--date", "2023-03-01", "-n", "替林业局报", "-u", "林业局").code == 0
    result = sync(roads, env={"GL_USER": "roads"})
    assert result.code == 1
    assert result.err == (
        "中央仓库拒绝了这次推送：\n"
        "ledger：中央仓库拒绝了这次推送（账号 roads，由 gitolite 的 GL_USER 给出）：\n"
        f"  refs/heads/main：{J}: 账号 roads 不能写县林业局的日志：只有县林业局的账号（li）和办公室账号能推送它"
        "（账号与单位的对应在 data/units.yaml 各单位的 accounts）\n"
        "什么都没有写入中央仓库。改正后再推送；已写入的条目不能改动或删除，更正请用 ledger update --corrects 追加一条。\n"
        "你的提交还在本地，没有丢失；改正后再运行 ledger sync\n")
    assert git(roads, "log", "-1", "--format=%s") == "进展(县林业局): 2 修路 — 进展\n"


def test_sync_does_not_push_an_edit_committed_past_the_hook(tmp_path):
    li, pushed = synced_then_edited(tmp_path)
    git(li, "commit", "-qam", "改了旧条目", "--no-verify")
    assert sync(li) == (1, "", (
        "要推送的提交里有不该推送的改动，没有推送（你的提交都在本地）：\n"
        f"{J}:2: 已写入的条目被修改（原第 2 行起）：改前“progress: 造林 100 亩”，改后“progress: 造林 200 亩”；"
        "日志只能追加，更正请追加一条新条目（update --corrects）\n"
        "已写入的条目只能追加；如果是办公室改了任务清单，请把这段说明发给办公室\n"))
    assert git(tmp_path / "central.git", "rev-parse", "main").strip() == pushed
