"""The problem list in real git repositories: two office clerks' actions merge without conflict, and
`validate --changed` judges a changed journal's --resolves against the journals it did not change."""

import json

from conftest import run, write
from gitrepo import J, at, git, office_repo
from gitrepo import isolated_git  # noqa: F401 - the autouse fixture

W = "data/progress/县水利局.yaml"
ACTIONS = "data/problems.yaml"


def ok(root, *args):
    result = run(*args, root=root)
    assert result.code == 0, result.err
    return result.out


def test_two_office_branches_append_actions_and_merge_without_conflict(tmp_path):
    office = office_repo(tmp_path / "ledger")
    ok(office, "update", 1, "--date", "2023-03-01", "-n", "x", "--problem", "苗木不足")
    ok(office, "update", 3, "--date", "2023-03-02", "-n", "x", "--problem", "资金未到位")
    ok(office, "problem", "P1-0301", "--assign", "交通局", "--due", "2023-03-31", "--date", "2023-03-05", "-n", "先交办")
    git(office, "add", "-A")
    git(office, "commit", "-qm", "问题与交办", env=at("2023-03-05T09:00:00+08:00"))
    assert git(office, "check-attr", "-z", "merge", "--", ACTIONS) == f"{ACTIONS}\0merge\0ledger-journal\0"
    git(office, "switch", "-q", "-c", "zhang")
    ok(office, "problem", "P1-0301", "--close", "--date", "2023-03-20", "-n", "张：销号")
    git(office, "commit", "-qam", "张：销号", env=at("2023-03-20T09:00:00+08:00"))
    git(office, "switch", "-q", "main")
    ok(office, "problem", "P3-0302", "--assign", "林业局", "--due", "2023-04-30", "--date", "2023-03-21", "-n", "王：交办")
    git(office, "commit", "-qam", "王：交办", env=at("2023-03-21T09:00:00+08:00"))
    merged = git(office, "merge", "--no-edit", "zhang", env=at("2023-03-22T09:00:00+08:00"), ok=False)
    assert merged.returncode == 0 and "CONFLICT" not in merged.stdout, merged.stdout + merged.stderr
    assert [line for line in (office / ACTIONS).read_text(encoding="utf-8").splitlines() if "note:" in line] == [
        "  note: 先交办", "  note: 王：交办", "  note: 张：销号"]
    assert run("validate", root=office) == (0, "", "")
    assert [(row.split()[0], row.split()[5]) for row in ok(office, "problems", "--as-of", "2023-03-31", "-f", "plain")
            .splitlines()[2:4]] == [("P1-0301", "已反馈"), ("P3-0302", "协调中")]


def test_validate_changed_reads_the_journal_that_raised_a_problem_a_change_resolves(tmp_path):
    repo = office_repo(tmp_path / "ledger")
    ok(repo, "update", 4, "-u", "水利局", "--date", "2023-03-01", "-n", "x", "--problem", "资金未到位")
    write(repo / W, (repo / W).read_text(encoding="utf-8") + "- date: 2023-02-30\n  task: 4\n  progress: 旧错误\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "水利局报问题（带一处旧错误）", "--no-verify")  # past the hook: an old error already there
    # 县林业局, the other lead unit, says it is solved: its journal alone changed, 县水利局's is read to judge it
    ok(repo, "update", 4, "-u", "林业局", "--date", "2023-03-10", "-n", "资金到位", "--resolves", "P4-0301")
    assert run("validate", "--changed", "HEAD", root=repo) == (0, "", "")
    write(repo / J, (repo / J).read_text(encoding="utf-8") + "- date: 2023-03-11\n  task: 4\n  progress: y\n"
                                                              "  resolves: [P4-0399]\n")
    assert run("validate", "--changed", "HEAD", root=repo) == (
        1, f"{J}:8: 没有问题 P4-0399；第 4 项任务的问题：P4-0301（resolves 的这一项不计入，这条进展的其余内容照常计入）\n",
        "共 1 处问题。\n")
    (repo / J).unlink()
    # the office's actions name problems of any journal: a change to them validates everything
    write(repo / ACTIONS, "- date: 2023-03-05\n  problem: P4-0301\n  action: close\n  note: 销号\n")
    assert run("validate", "--changed", "HEAD", root=repo).out == (
        f"{W}:7: 日期“2023-02-30”不存在（没有这一天）；应为日历上真实的日期\n")


def test_review_lists_new_office_actions_and_flags_an_edited_one(tmp_path):
    office = office_repo(tmp_path / "ledger")
    ok(office, "update", 1, "--date", "2023-03-01", "-n", "x", "--problem", "苗木不足")
    ok(office, "problem", "P1-0301", "--assign", "交通局", "--due", "2023-03-31", "--date", "2023-03-05", "-n", "先交办")
    git(office, "add", "-A")
    git(office, "commit", "-qm", "问题与交办")
    ok(office, "problem", "P1-0301", "--close", "--date", "2023-03-20", "-n", "销号")
    result = run("review", "HEAD", "--format", "json", root=office)
    assert result.code == 0, result.out
    review = json.loads(result.out)
    assert [(e["unit"], e["task"], e["date"], e["progress"], e["line"]) for e in review["entries"]] == [
        ("办公室", 1, "2023-03-20", "P1-0301 销号：销号", 9)]
    assert review["attention"] == []
    # an action already written, changed in place: red, as for a journal
    text = (office / ACTIONS).read_text(encoding="utf-8")
    write(office / ACTIONS, text.replace("due: 2023-03-31", "due: 2023-04-30"))
    result = run("review", "HEAD", "--format", "json", root=office)
    attention = json.loads(result.out)["attention"]
    assert result.code == 1
    assert [(a["flag"], a["unit"], a["where"], a["message"]) for a in attention] == [
        ("红", "办公室", f"{ACTIONS}:3", "已写入的条目被修改（原第 3 行起）：改前“due: 2023-03-31”，改后“due: 2023-04-30”；"
                                         "办理记录只能追加，办错了请追加一条新的办理（ledger problem）")]


def test_the_hub_lets_a_unit_resolve_another_units_problem_and_the_office_alone_act(tmp_path):
    from test_hub import UNITS, push

    central = tmp_path / "hub.git"
    assert run("hub", "init", central, "--office", "office").code == 0
    office = office_repo(tmp_path / "office")
    write(office / "data" / "units.yaml", UNITS.replace("- name: 县水利局\n", "- name: 县水利局\n  accounts: [water]\n"))
    ok(office, "update", 4, "-u", "水利局", "--date", "2023-03-01", "-n", "x", "--problem", "资金未到位")
    git(office, "add", "-A")
    git(office, "commit", "-qm", "水利局报问题")
    git(office, "remote", "add", "origin", str(central))
    assert push(office, "office", "-u", "origin", "main").returncode == 0
    li = tmp_path / "li"
    git(tmp_path, "clone", "-q", str(central), str(li))
    git(li, "config", "user.name", "林业局李四")
    git(li, "config", "user.email", "li@forest.example")
    # 县林业局, the other lead unit of task 4, says 县水利局's problem is solved: its own journal alone is pushed
    ok(li, "update", 4, "-u", "林业局", "--date", "2023-03-10", "-n", "资金到位", "--resolves", "P4-0301")
    git(li, "add", "-A")
    git(li, "commit", "-qm", "林业局：问题已解决")
    assert push(li, "li").returncode == 0
    # the office's record of actions is the office's to push, checked like a journal
    git(office, "pull", "-q", "--rebase")
    ok(office, "problem", "P4-0301", "--close", "--date", "2023-03-12", "-n", "销号")
    git(office, "add", "-A")
    git(office, "commit", "-qm", "销号")
    assert push(office, "office").returncode == 0
    git(li, "pull", "-q", "--rebase")
    write(li / ACTIONS, (li / ACTIONS).read_text(encoding="utf-8") + "- date: 2023-03-13\n  problem: P4-0301\n"
                                                                      "  action: reopen\n  note: 林业局自己重新打开\n")
    git(li, "commit", "-qam", "林业局改办理记录", "--no-verify")
    done = push(li, "li")
    assert done.returncode == 1 and "账号 li 不能改动日志以外的文件" in done.stderr
