"""问题清单 (the README's “问题清单怎样计算”): problems raised in entries, followed from 发现 to 反馈 by the units'
entries and the office's actions in data/problems.yaml — at fixed dates, through the command line, on real files."""

import datetime as dt
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

from conftest import REPO, SMALL_TASKS, SMALL_UNITS, run, run_process, write
from test_forms import forest  # noqa: F401 - the fixture: 县林业局's 报送表 on the paces ledger
from ledger import issues, load_string

J = "data/progress/县林业局.yaml"
W = "data/progress/县水利局.yaml"
ACTIONS = "data/problems.yaml"
HEADER = ("# 问题办理记录：办公室对各单位所报问题的交办（assign）、销号（close）、重新打开（reopen）。\n"
          "# 由 ledger problem 追加；只在末尾追加，已写入的不要修改，办错了请追加一条新的办理。\n")


def ok(root, *args):
    result = run(*args, root=root)
    assert result.code == 0, result.err
    return result.out


def listed(root, as_of, *args):
    """(id, state, coordinator, due, overdue, days) of each problem `ledger problems` lists as of the day."""
    rows = json.loads(ok(root, "problems", "--as-of", as_of, "-f", "json", *args))
    return [(r["id"], r["state"], r["coordinator"], r["due"], r["overdue"], r["days"]) for r in rows]


def snapshot(root):
    """Every file of the ledger's data and its bytes; a lock file (.NAME.lock, kept by design) aside."""
    return {path: path.read_bytes() for path in sorted((root / "data").rglob("*"))
            if path.is_file() and not path.name.endswith(".lock")}


# --- one problem through every state ----------------------------------------------------------------

def test_one_problem_from_raised_to_closed_reopened_and_closed_again(small):
    out = ok(small, "update", 1, "--date", "2023-03-10", "-p", 10, "-n", "春季造林", "--problem", "苗木不足")
    assert out == ("已追加到 data/progress/县林业局.yaml 第 2 行：第 1 项 造林 — 10%\n"
                   "截至 2023-03-10，第 1 项：绿（推进中，进度 10%，序时进度 18.9%）\n"
                   "新问题 P1-0310：苗木不足（待协调）\n")
    assert listed(small, "2023-03-12") == [("P1-0310", "待协调", None, None, False, 2)]
    out = ok(small, "problem", "P1-0310", "--assign", "交通局", "--due", "2023-03-31", "--date", "2023-03-15",
             "-n", "请县交通运输局协调苗木运输")
    assert out == ("已追加到 data/problems.yaml 第 3 行：P1-0310 交办县交通运输局，限 2023-03-31 办结\n"
                   "截至 2023-03-15，问题 P1-0310（第 1 项）：协调中 · 协调单位 县交通运输局，限 2023-03-31 办结\n")
    assert listed(small, "2023-03-31") == [("P1-0310", "协调中", "县交通运输局", "2023-03-31", False, 21)]
    # a day past its due date it is flagged
    assert listed(small, "2023-04-05") == [("P1-0310", "协调中", "县交通运输局", "2023-03-31", True, 26)]
    assert ok(small, "problems", "--as-of", "2023-04-05", "-f", "plain").splitlines()[2:] == [
        "P1-0310  1       苗木不足  县林业局    县交通运输局  协调中（逾期）  2023-03-10  26            2023-03-31  "
        "2023-03-15 交办县交通运输局",
        "共 1 个问题：协调中 1；其中 1 个逾期未解决"]
    out = ok(small, "update", 1, "--date", "2023-04-10", "-p", 25, "-n", "苗木到位，补植完成", "--resolves", "P1-0310")
    assert out.splitlines()[-1] == "问题 P1-0310 已标为“已解决”，等办公室确认销号"
    assert (small / J).read_text(encoding="utf-8").endswith(
        "- date: 2023-04-10\n  task: 1\n  percent: 25\n  progress: 苗木到位，补植完成\n  resolves:\n  - P1-0310\n")
    assert listed(small, "2023-04-10") == [("P1-0310", "已解决", "县交通运输局", "2023-03-31", False, 31)]
    ok(small, "problem", "P1-0310", "--close", "--date", "2023-04-12", "-n", "核实苗木已到位，销号")
    assert listed(small, "2023-04-30") == [("P1-0310", "已反馈", "县交通运输局", "2023-03-31", False, 31)]
    # reopened: back to the unit it was assigned to, whose due date has passed
    out = ok(small, "problem", "P1-0310", "--reopen", "--date", "2023-05-01", "-n", "第二批苗木又未到位")
    assert out.splitlines()[1] == "截至 2023-05-01，问题 P1-0310（第 1 项）：协调中 · 协调单位 县交通运输局，限 2023-03-31 办结"
    assert listed(small, "2023-05-01") == [("P1-0310", "协调中", "县交通运输局", "2023-03-31", True, 52)]
    ok(small, "problem", "P1-0310", "--assign", "水利局", "--due", "2023-05-31", "--date", "2023-05-02", "-n", "改由县水利局协调")
    # `--problem ""` clears the field and resolves the unit's own open problems of the task
    out = ok(small, "update", 1, "--date", "2023-05-20", "-p", 40, "-n", "第二批苗木到位", "--problem", "")
    assert out.splitlines()[-1] == "问题 P1-0310 已标为“已解决”，等办公室确认销号"
    ok(small, "problem", "P1-0310", "--close", "--date", "2023-05-25", "-n", "确认销号")
    assert listed(small, "2023-06-30") == [("P1-0310", "已反馈", "县水利局", "2023-05-31", False, 71)]
    assert ok(small, "problem", "P1-0310", "--as-of", "2023-06-30") == (
        "问题 P1-0310（第 1 项 造林）：苗木不足\n"
        "截至 2023-06-30：已反馈 · 县林业局 2023-03-10 提出，历时 71 天 · 协调单位 县水利局\n"
        "经过：\n"
        "  2023-03-10 县林业局提出\n"
        "  2023-03-15 办公室交办县交通运输局，限 2023-03-31：请县交通运输局协调苗木运输\n"
        "  2023-04-10 县林业局报已解决：苗木到位，补植完成\n"
        "  2023-04-12 办公室销号：核实苗木已到位，销号\n"
        "  2023-05-01 办公室重新打开：第二批苗木又未到位\n"
        "  2023-05-02 办公室交办县水利局，限 2023-05-31：改由县水利局协调\n"
        "  2023-05-20 县林业局报已解决：第二批苗木到位\n"
        "  2023-05-25 办公室销号：确认销号\n")
    assert (small / ACTIONS).read_text(encoding="utf-8") == HEADER + (
        "- date: 2023-03-15\n  problem: P1-0310\n  action: assign\n  unit: 县交通运输局\n  due: 2023-03-31\n"
        "  note: 请县交通运输局协调苗木运输\n"
        "- date: 2023-04-12\n  problem: P1-0310\n  action: close\n  note: 核实苗木已到位，销号\n"
        "- date: 2023-05-01\n  problem: P1-0310\n  action: reopen\n  note: 第二批苗木又未到位\n"
        "- date: 2023-05-02\n  problem: P1-0310\n  action: assign\n  unit: 县水利局\n  due: 2023-05-31\n"
        "  note: 改由县水利局协调\n"
        "- date: 2023-05-25\n  problem: P1-0310\n  action: close\n  note: 确认销号\n")
    assert run("validate", root=small) == (0, "", "")
    # earlier days still read as they were: the fold counts only what is dated up to the day
    assert listed(small, "2023-03-09") == []
    assert listed(small, "2023-04-11") == [("P1-0310", "已解决", "县交通运输局", "2023-03-31", False, 31)]


# --- ids: one per problem, stable ---------------------------------------------------------------------

def test_two_problems_on_one_task_and_the_same_text_repeated(small):
    ok(small, "update", 1, "--date", "2023-03-10", "-n", "x", "--problem", "苗木不足")
    out = ok(small, "update", 1, "--date", "2023-04-10", "-n", "苗木仍不足", "--problem", "  苗木不足 ")
    assert out.splitlines()[-1] == "与问题 P1-0310 相同（待协调），不另立新问题"
    assert ok(small, "update", 1, "--date", "2023-04-10", "-n", "资金", "--problem", "资金未到位").splitlines()[-1] == (
        "新问题 P1-0410：资金未到位（待协调）")
    # a third problem the same day is P1-0410-2, in the order the entries count
    assert ok(small, "update", 1, "--date", "2023-04-10", "-n", "用工", "--problem", "用工紧张").splitlines()[-1] == (
        "新问题 P1-0410-2：用工紧张（待协调）")
    # a backfilled entry raises its own problem at its own date: the ids already given stay
    assert ok(small, "update", 1, "--date", "2023-03-05", "-n", "补报", "--problem", "土地未流转").splitlines()[-1] == (
        "新问题 P1-0305：土地未流转（待协调）")
    found = issues(load_string(SMALL_TASKS, SMALL_UNITS, journals={"县林业局": (small / J).read_text(encoding="utf-8")}))
    assert [(i.id, i.text, i.raised, [e.step for e in i.events]) for i in found] == [
        ("P1-0305", "土地未流转", "2023-03-05", ["raise"]),
        ("P1-0310", "苗木不足", "2023-03-10", ["raise", "repeat"]),
        ("P1-0410", "资金未到位", "2023-04-10", ["raise"]),
        ("P1-0410-2", "用工紧张", "2023-04-10", ["raise"])]
    # once closed, the same text again is the problem back: a new one
    ok(small, "problem", "P1-0310", "--close", "--date", "2023-05-01", "-n", "苗木已到位")
    assert ok(small, "update", 1, "--date", "2023-06-01", "-n", "x", "--problem", "苗木不足").splitlines()[-1] == (
        "新问题 P1-0601：苗木不足（待协调）")
    assert [row[:2] for row in listed(small, "2023-06-30", "--open")] == [
        ("P1-0305", "待协调"), ("P1-0410", "待协调"), ("P1-0410-2", "待协调"), ("P1-0601", "待协调")]


def test_a_shared_task_and_a_participating_unit(small):
    ok(small, "update", 4, "-u", "水利局", "--date", "2023-03-01", "-n", "x", "--problem", "资金未到位")
    # the other lead unit giving the same text repeats the problem; the raising unit stays 县水利局
    ok(small, "update", 4, "-u", "林业局", "--date", "2023-03-02", "-n", "x", "--problem", "资金未到位")
    # a participating unit's problem is on the list too, raised by it
    ok(small, "update", 2, "-u", "林业局", "--date", "2023-03-03", "-n", "配合", "--problem", "林木采伐证未办")
    rows = json.loads(ok(small, "problems", "--as-of", "2023-03-31", "-f", "json"))
    assert [(r["id"], r["unit"], [e["unit"] for e in r["events"]]) for r in rows] == [
        ("P2-0303", "县林业局", ["县林业局"]), ("P4-0301", "县水利局", ["县水利局", "县林业局"])]
    # 县林业局's clear resolves only the problems it raised
    ok(small, "update", 4, "-u", "林业局", "--date", "2023-03-05", "-n", "y", "--problem", "")
    assert [row[:2] for row in listed(small, "2023-03-31")] == [("P2-0303", "待协调"), ("P4-0301", "待协调")]
    ok(small, "update", 2, "-u", "林业局", "--date", "2023-03-06", "-n", "y", "--problem", "")
    assert [row[:2] for row in listed(small, "2023-03-31")] == [("P2-0303", "已解决"), ("P4-0301", "待协调")]
    assert [row[0] for row in listed(small, "2023-03-31", "--unit", "林业局")] == ["P2-0303"]
    assert [row[0] for row in listed(small, "2023-03-31", "--task", 4)] == ["P4-0301"]


def test_update_says_a_corrected_problem_keeps_its_id(small):
    ok(small, "update", 1, "--date", "2023-03-10", "-p", 10, "-n", "春季造林", "--problem", "苗木不足")
    out = ok(small, "update", 1, "--date", "2023-03-20", "--corrects", "2023-03-10", "-n", "更正", "--problem", "苗木和资金不足")
    assert out.splitlines()[-1] == "问题 P1-0310（2023-03-10 提出）按更正为：苗木和资金不足"
    out = ok(small, "update", 1, "--date", "2023-03-21", "--corrects", "2023-03-10", "-n", "更正进度", "-p", 12)
    assert len(out.splitlines()) == 2  # a correction of the percent says nothing of the problem
    assert listed(small, "2023-03-31") == [("P1-0310", "待协调", None, None, False, 21)]


def test_a_corrected_problem_text_is_the_same_problem():
    journal = ("- date: 2023-03-10\n  task: 1\n  progress: x\n  problems: 苗木不足\n"
               "- date: 2023-03-20\n  task: 1\n  corrects: 2023-03-10\n  progress: 更正\n  problems: 苗木和资金不足\n")
    ledger = load_string(SMALL_TASKS, SMALL_UNITS, journals={"县林业局": journal})
    assert [(i.id, i.text) for i in issues(ledger, dt.date(2023, 3, 31))] == [("P1-0310", "苗木和资金不足")]
    # before the correction is dated, the problem reads as first written
    assert [(i.id, i.text) for i in issues(ledger, dt.date(2023, 3, 15))] == [("P1-0310", "苗木不足")]
    # a correction that gives a problem to an entry that had none raises it at that entry's day
    journal = ("- date: 2023-03-10\n  task: 1\n  progress: x\n"
               "- date: 2023-03-20\n  task: 1\n  corrects: 2023-03-10\n  progress: 补上问题\n  problems: 苗木不足\n")
    ledger = load_string(SMALL_TASKS, SMALL_UNITS, journals={"县林业局": journal})
    assert [(i.id, i.raised) for i in issues(ledger)] == [("P1-0310", "2023-03-10")]


# --- refusals ----------------------------------------------------------------------------------------

def test_an_office_action_on_an_unknown_or_malformed_id(small):
    ok(small, "update", 1, "--date", "2023-03-10", "-n", "x", "--problem", "苗木不足")
    before = snapshot(small)
    assert run("problem", "P1-0311", "--close", "-n", "x", "--date", "2023-04-01", root=small) == (
        2, "", "没有问题 P1-0311；第 1 项任务的问题：P1-0310\n")
    assert run("problem", "P2-0310", "--close", "-n", "x", "--date", "2023-04-01", root=small) == (
        2, "", "没有问题 P2-0310；第 2 项任务没有报过问题\n")
    assert run("problem", "P9-0310", "--close", "-n", "x", root=small) == (
        2, "", "问题编号 P9-0310 里的任务序号 9 不存在；任务序号为 1–5\n")
    assert run("problem", "p1-310", "--close", "-n", "x", root=small) == (
        2, "", "问题编号“p1-310”格式不对：应为 P任务序号-提出的月日，例如 P25-0821（同一天第二个问题是 P25-0821-2）；"
               "全部问题见 ledger problems\n")
    assert run("problem", "P1-0310", "--close", "--reopen", "-n", "x", root=small) == (
        2, "", "--assign、--close、--reopen 一次只能写一个\n")
    assert run("problem", "P1-0310", "--assign", "交通局", "-n", "x", root=small) == (
        2, "", "--assign 须同时写 --due：交办的办结时限 YYYY-MM-DD\n")
    assert run("problem", "P1-0310", "--close", root=small) == (2, "", "缺少 --note：请写明办理情况\n")
    assert run("problem", "P1-0310", "--assign", "农业局", "--due", "2023-04-30", "-n", "x", root=small).code == 2
    assert snapshot(small) == before  # nothing written, not even an empty data/problems.yaml


def test_an_action_that_does_not_fit_the_problem_is_refused(small):
    ok(small, "update", 1, "--date", "2023-03-10", "-n", "x", "--problem", "苗木不足")
    before = snapshot(small)
    assert run("problem", "P1-0310", "--reopen", "--date", "2023-03-20", "-n", "x", root=small) == (
        1, "", "没有写入，问题办理记录保持原样：\n--reopen：问题 P1-0310 现在是“待协调”：还没有解决，也没有销号，不用重新打开\n")
    assert run("problem", "P1-0310", "--close", "--date", "2023-03-09", "-n", "x", root=small) == (
        1, "", "没有写入，问题办理记录保持原样：\n问题编号：问题 P1-0310 在 2023-03-10 才提出，2023-03-09 的办理不能指向它\n")
    assert run("problem", "P1-0310", "--assign", "交通局", "--due", "2023-03-01", "--date", "2023-03-20", "-n", "x",
               root=small) == (1, "", "没有写入，问题办理记录保持原样：\n--due：办结时限 2023-03-01 早于交办的日期 2023-03-20\n")
    assert run("problem", "P1-0310", "--close", "--date", "2024-01-05", "-n", "x", root=small) == (
        1, "", "没有写入，问题办理记录保持原样：\n--date：日期 2024-01-05 不在计划期（2023-01-01 至 2023-12-31）内；"
               "请填写计划期内的日期\n")
    assert run("problem", "P1-0310", "--close", "-n", "x", root=small).err == (
        f"没有写入，问题办理记录保持原样：\n没有给 --date，办理日期取的是今天（{dt.date.today()}），不在计划期"
        "（2023-01-01 至 2023-12-31）内；记下计划期内某一天的办理，请用 --date 指明那一天，例如 --date 2023-12-31\n")
    assert snapshot(small) == before
    ok(small, "problem", "P1-0310", "--close", "--date", "2023-03-20", "-n", "已解决")
    assert run("problem", "P1-0310", "--assign", "交通局", "--due", "2023-04-30", "--date", "2023-03-21", "-n", "x",
               root=small).err == ("没有写入，问题办理记录保持原样：\n--assign：问题 P1-0310 现在是“已反馈”：已经销号，"
                                   "不能再交办；要继续协调，请先重新打开（--reopen）\n")


def test_update_refuses_a_problem_it_cannot_resolve(small):
    ok(small, "update", 1, "--date", "2023-03-10", "-n", "x", "--problem", "苗木不足")
    before = snapshot(small)
    refusals = {
        ("P1-0311",): "--resolves：没有问题 P1-0311；第 1 项任务的问题：P1-0310",
        ("P2-0310",): "--resolves：问题 P2-0310 是第 2 项任务的；一条进展只能报本任务（第 1 项）的问题已解决",
        ("P1-03",): "--resolves：问题编号“P1-03”格式不对：应为 P任务序号-提出的月日，例如 P25-0821（同一天第二个问题是 P25-0821-2）",
    }
    for ids, message in refusals.items():
        args = [arg for number in ids for arg in ("--resolves", number)]
        assert run("update", 1, "--date", "2023-04-01", "-n", "x", *args, root=small) == (
            1, "", f"没有写入，日志保持原样：\n{message}\n")
    assert run("update", 1, "--date", "2023-03-09", "-n", "x", "--resolves", "P1-0310", root=small).err == (
        "没有写入，日志保持原样：\n--resolves：问题 P1-0310 在 2023-03-10 才提出，2023-03-09 的进展不能指向它\n")
    assert snapshot(small) == before
    # resolving it twice is written, with a reminder that the second says nothing new
    ok(small, "update", 1, "--date", "2023-04-01", "-n", "x", "--resolves", "P1-0310")
    assert ok(small, "update", 1, "--date", "2023-04-02", "-n", "y", "--resolves", "P1-0310").splitlines()[1] == (
        "提醒：问题 P1-0310 已经是“已解决”（2023-04-01），报已解决不起作用")


# --- hand-written files ---------------------------------------------------------------------------------

def test_hand_written_actions_and_resolves_are_judged_like_the_rest(small):
    write(small / J, "- date: 2023-03-10\n  task: 1\n  percent: 20\n  progress: x\n  problems: 苗木不足\n"
                     "- date: 2023-04-01\n  task: 1\n  percent: 30\n  progress: y\n  resolves: [P1-0999]\n")
    write(small / ACTIONS, "- date: 2023-03-15\n  problem: P1-0310\n  action: assign\n  unit: 县交通运输局\n  note: 无时限\n"
                           "- date: 2023-03-16\n  problem: P1-0310\n  action: assign\n  unit: 县农业局\n  due: 2023-03-31\n"
                           "  note: 未登记的单位\n"
                           "- date: 2023-03-17\n  problem: P1-0310\n  action: reopen\n  note: 还开着\n"
                           "- date: 2023-03-18\n  problem: P7-0318\n  action: close\n  note: 没有第 7 项\n"
                           "- date: 2023-03-19\n  problem: P1-0310\n  action: finish\n  note: 未知办理\n"
                           "- date: 2023-03-20\n  problem: P1-0310\n  action: close\n  due: 2023-03-31\n  note: 销号不写时限\n"
                           "- date: 2023-03-21\n  problem: P1-0310\n  action: close\n  note: 这一条有效\n")
    result = run("validate", root=small)
    assert result.out.splitlines() == [
        "data/problems.yaml:1: 交办（assign）要写办结时限（due）",
        "data/problems.yaml:9: 协调单位“县农业局”未在 data/units.yaml 登记；应为登记的单位全称",
        "data/problems.yaml:14: 问题 P1-0310 现在是“待协调”：还没有解决，也没有销号，不用重新打开",
        "data/problems.yaml:17: 问题编号 P7-0318 里的任务序号 7 不存在；有效序号为 1–5",
        "data/problems.yaml:22: “action”（办理）的值“finish”无效；应为以下之一：assign, close, reopen",
        "data/problems.yaml:27: 只有交办（assign）写办结时限；close 不写 due",
        "data/progress/县林业局.yaml:6: 没有问题 P1-0999；第 1 项任务的问题：P1-0310（resolves 的这一项不计入，"
        "这条进展的其余内容照常计入）"]
    assert (result.code, result.err) == (1, "共 7 处问题。\n")
    # the entry that names an unknown problem still counts; the valid close does too
    card = json.loads(ok(small, "show", 1, "--as-of", "2023-04-30", "-f", "json"))
    assert card["state"]["percent"] == 30 and len(card["entries"]) == 2
    assert [(i["id"], i["state"]) for i in card["issues"]] == [("P1-0310", "已反馈")]


def test_the_actions_file_is_never_read_or_written_through_a_link(small, tmp_path):
    ok(small, "update", 1, "--date", "2023-03-10", "-n", "x", "--problem", "苗木不足")
    elsewhere = write(tmp_path / "elsewhere.yaml", "- date: 2023-03-15\n  problem: P1-0310\n  action: close\n  note: x\n")
    os.symlink(elsewhere, small / ACTIONS)
    assert run("validate", root=small).out == "data/problems.yaml: 日志文件不能是符号链接；请把它换成普通文件\n"
    result = run("problem", "P1-0310", "--close", "--date", "2023-03-20", "-n", "x", root=small)
    assert result == (1, "", "没有写入，问题办理记录保持原样：\ndata/problems.yaml: 日志文件不能是符号链接；请把它换成普通文件\n")
    assert elsewhere.read_text(encoding="utf-8").count("- date") == 1


def test_two_clerks_closing_one_problem_at_once_write_one_close(small):
    ok(small, "update", 1, "--date", "2023-03-10", "-n", "x", "--problem", "苗木不足")
    env = {"LEDGER_REPORTER": "办公室"}
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda n: run_process("problem", "P1-0310", "--close", "--date", "2023-03-20",
                                                       "-n", f"第{n}位经办人销号", root=small, env=env), range(4)))
    assert sorted(r.code for r in results) == [0, 1, 1, 1]
    assert all("不用再销号" in r.err for r in results if r.code)
    assert (small / ACTIONS).read_text(encoding="utf-8").count("action: close") == 1
    assert run("validate", root=small) == (0, "", "")


# --- where problems show -----------------------------------------------------------------------------

def test_show_lists_a_tasks_problems_with_their_steps(small):
    ok(small, "update", 1, "--date", "2023-03-10", "-n", "x", "--problem", "苗木不足")
    ok(small, "problem", "P1-0310", "--assign", "交通局", "--due", "2023-03-31", "--date", "2023-03-15", "-n", "协调运输")
    shown = run("show", 1, "--as-of", "2023-04-30", "-f", "plain", root=small).out
    assert shown.endswith(
        "问题（1 个）\n"
        "编号     状态            问题      提出单位    协调单位      办结时限    经过\n"
        "P1-0310  协调中（逾期）  苗木不足  县林业局    县交通运输局  2023-03-31  2023-03-10 县林业局提出\n"
        "                                                                         2023-03-15 办公室交办县交通运输局，限 2023-03-31：协调运输\n")
    assert "问题（" not in run("show", 2, "--as-of", "2023-04-30", root=small).out


def test_the_bulletin_and_the_export_carry_the_problem_list(small):
    ok(small, "update", 1, "--date", "2023-07-10", "-n", "x", "--problem", "苗木不足")
    ok(small, "update", 3, "--date", "2023-07-12", "-n", "x", "--problem", "资金未到位")
    ok(small, "update", 3, "--date", "2023-08-02", "-n", "x", "--problem", "用地未批")
    ok(small, "problem", "P3-0712", "--assign", "交通局", "--due", "2023-07-31", "--date", "2023-07-15", "-n", "协调")
    ok(small, "problem", "P1-0710", "--assign", "交通局", "--due", "2023-08-31", "--date", "2023-07-15", "-n", "协调")
    ok(small, "update", 1, "--date", "2023-08-03", "-n", "x", "--resolves", "P1-0710")
    bulletin = ok(small, "report", "--as-of", "2023-08-07")
    section = bulletin[bulletin.index("## 八"):]
    assert section.splitlines()[2:6] == [
        "| 协调单位     | 本期新提出   | 本期解决   | 未解决   | 其中逾期   |",
        "|:-------------|:-------------|:-----------|:---------|:-----------|",
        "| 县交通运输局 | 0            | 1          | 1        | 1          |",
        "| （未交办）   | 1            | 0          | 1        | 0          |"]
    assert "本期（2023-08-01 至 2023-08-07）新提出问题 1 个、解决 1 个；未解决 2 个，其中逾期 1 个。" in section
    assert [line.split("|")[1].strip() for line in section.splitlines() if line.startswith("| P")] == ["P3-0712", "P3-0802"]
    import openpyxl

    out = small / "台账.xlsx"
    ok(small, "export", "-o", out, "--as-of", "2023-08-07")
    sheet = openpyxl.load_workbook(out)["问题"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert rows[0] == ["编号", "序号", "工作任务", "问题", "提出单位", "提出日期", "协调单位", "办结时限", "状态", "逾期",
                       "历时（天）", "解决日期", "经过"]
    assert [row[:2] + row[8:12] for row in rows[1:]] == [
        ["P1-0710", 1, "已解决", "否", 24, rows[1][11]], ["P3-0712", 3, "协调中", "是", 26, None],
        ["P3-0802", 3, "待协调", "否", 5, None]]
    assert rows[1][11].date().isoformat() == "2023-08-03"
    assert rows[1][12] == "2023-07-10 县林业局提出\n2023-07-15 办公室交办县交通运输局，限 2023-08-31：协调\n2023-08-03 县林业局报已解决：x"
    # one unit's export: the problems of its tasks and those it coordinates
    ok(small, "export", "-o", small / "交通局.json", "--as-of", "2023-08-07", "--unit", "交通局")
    exported = json.loads((small / "交通局.json").read_text(encoding="utf-8"))
    assert [(row["id"], row["coordinator"]) for row in exported["problems"]] == [
        ("P1-0710", "县交通运输局"), ("P3-0712", "县交通运输局")]


def test_the_demo_has_problems_at_every_state():
    demo = REPO / "examples" / "demo"
    assert listed(demo, "2023-08-31") == [
        ("P25-0418", "已反馈", "县发展和改革局", "2023-05-31", False, 68),
        ("P25-0821", "协调中", "县自然资源和规划局", "2023-09-15", False, 10),
        ("P45-0825", "待协调", None, None, False, 6),
        ("P82-0825", "协调中", "县财政局", "2023-08-30", True, 6)]
    assert listed(demo, "2023-09-30") == [
        ("P25-0418", "已反馈", "县发展和改革局", "2023-05-31", False, 68),
        ("P25-0821", "已反馈", "县自然资源和规划局", "2023-09-15", False, 25),
        ("P26-0922", "协调中", "县自然资源和规划局", "2023-10-15", False, 8),
        ("P45-0825", "已反馈", None, None, False, 14),
        ("P82-0825", "已解决", "县财政局", "2023-08-30", False, 26)]
    assert run("validate", root=demo) == (0, "", "")


def test_warm_problems_imports_neither_pydantic_nor_yaml(tmp_path):
    import shutil

    demo = tmp_path / "demo"
    shutil.copytree(REPO / "examples" / "demo", demo, symlinks=False)
    env = {key: value for key, value in os.environ.items() if not key.startswith("LEDGER_")}
    for command in (["problems"], ["score", "--from", "2023-07-01", "--to", "2023-09-30"], ["problem", "P25-0821"]):
        argv = [sys.executable, "-X", "importtime", "-m", "ledger", "--root", str(demo), *command]
        subprocess.run(argv, capture_output=True, env=env, check=True)
        imported = subprocess.run(argv, capture_output=True, text=True, env=env, check=True).stderr
        loaded = {line.rsplit("|", 1)[-1].strip() for line in imported.splitlines() if line.startswith("import time:")}
        assert {"pydantic", "yaml", "openpyxl"} & loaded == set(), command


def test_an_office_action_killed_after_writing_leaves_the_record_whole(small):
    from test_faults import kill, ledger_process

    ok(small, "update", 1, "--date", "2023-03-10", "-n", "x", "--problem", "苗木不足")
    ok(small, "problem", "P1-0310", "--assign", "交通局", "--due", "2023-03-31", "--date", "2023-03-15", "-n", "交办")
    before = (small / ACTIONS).read_bytes()
    process = ledger_process(small, "problem", "P1-0310", "--close", "--date", "2023-03-20", "-n", "销号",
                             env={"LEDGER_TEST_PAUSE": "written"})
    assert process.stderr.readline() == "LEDGER_TEST_PAUSE written\n"
    kill(process)
    assert (small / ACTIONS).read_bytes() == before
    assert len([p for p in (small / "data").iterdir() if p.name.endswith(".tmp")]) == 1  # written, not yet renamed
    # the next action clears the dead one's temporary file and lands whole
    result = run_process("problem", "P1-0310", "--close", "--date", "2023-03-20", "-n", "销号", root=small,
                         env={"LEDGER_LOCK_TIMEOUT": "5"})
    assert result.code == 0, result.err
    assert (small / ACTIONS).read_bytes() == before + "- date: 2023-03-20\n  problem: P1-0310\n  action: close\n  note: 销号\n".encode()
    assert [p.name for p in (small / "data").iterdir() if p.name.endswith(".tmp")] == []


def test_what_is_written_never_renumbers_or_undoes_what_was(small):
    # 县水利局 raised P4-0301; a problem 县林业局 backfills on the same day would count first (its journal's name
    # sorts first) and take the id the office already used
    ok(small, "update", 4, "-u", "水利局", "--date", "2023-03-01", "-n", "x", "--problem", "资金未到位")
    ok(small, "problem", "P4-0301", "--assign", "交通局", "--due", "2023-03-31", "--date", "2023-03-05", "-n", "交办")
    before = snapshot(small)
    refused = run("update", 4, "-u", "林业局", "--date", "2023-03-01", "-n", "补报", "--problem", "用地未批", root=small)
    assert refused == (1, "", "没有写入，日志保持原样：\n--problem：这样写会改变已有问题的编号：P4-0301“资金未到位”将指向别的问题"
                              "或不再存在（办公室的办理按编号记）；请写实际的日期\n")
    # nor may an earlier raising of the same text take the problem's place
    assert run("update", 4, "-u", "水利局", "--date", "2023-02-20", "-n", "补报", "--problem", "资金未到位",
               root=small).code == 1
    # an action dated before one already written may not leave it standing on nothing
    ok(small, "problem", "P4-0301", "--close", "--date", "2023-03-20", "-n", "销号")
    before = snapshot(small)
    result = run("problem", "P4-0301", "--close", "--date", "2023-03-10", "-n", "早一点销号", root=small)
    assert result == (1, "", "没有写入，问题办理记录保持原样：\n--close：这样写会让 data/problems.yaml 第 11 行不再成立（问题 P4-0301 "
                             "现在是“已反馈”：已经销号，不用再销号）；请写实际的日期\n")
    assert snapshot(small) == before
    # on another day, or the same day in the raising unit's own journal, a second problem is welcome
    assert ok(small, "update", 4, "-u", "林业局", "--date", "2023-03-02", "-n", "x", "--problem", "用地未批").splitlines()[-1] == (
        "新问题 P4-0302：用地未批（待协调）")
    assert ok(small, "update", 4, "-u", "水利局", "--date", "2023-03-01", "-n", "用工", "--problem", "用工紧张").splitlines()[-1] == (
        "新问题 P4-0301-2：用工紧张（待协调）")
    assert run("validate", root=small) == (0, "", "")


def test_a_collected_form_may_not_renumber_the_problem_list(forest):
    from test_forms import fill

    # 县水利局 raised P4-0701 (资金未到位) on task 4, which it leads with 县林业局; the office assigned it
    ok(forest, "problem", "P4-0701", "--assign", "交通局", "--due", "2023-07-31", "--date", "2023-07-02", "-n", "交办")
    before = snapshot(forest)
    # 县林业局's form, its task 4 row dated 07-01 with another problem: its journal counts first that day
    filled = fill(forest / "form.xlsx", forest / "回收.xlsx", {"J8": "补报7月初", "K8": "用地未批", "R8": dt.date(2023, 7, 1)})
    result = run("collect", filled, root=forest)
    assert result.code == 1
    assert ("回收.xlsx 报送表!A8: 这样写会改变已有问题的编号：P4-0701“资金未到位”将指向别的问题或不再存在（办公室的办理按编号记）；"
            "请写实际的日期") in result.out + result.err
    assert snapshot(forest) == before
    # dated the day it was written, it is a new problem of its own
    filled = fill(forest / "form.xlsx", forest / "回收2.xlsx", {"J8": "协调用地", "K8": "用地未批", "R8": dt.date(2023, 8, 6)})
    assert run("collect", filled, root=forest).code == 0
    assert [row[0] for row in listed(forest, "2023-08-07", "--task", 4)] == ["P4-0701", "P4-0806"]
