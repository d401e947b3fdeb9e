"""Lights, 序时进度, stale reports and the listing commands, on journals written in each test."""

import datetime as dt
import json

import pytest

from conftest import REPO, SMALL_TASKS, SMALL_UNITS, run, write
from ledger import load_string, state
from ledger.core.state import cycle_start, elapsed_share
from ledger.files import models
from ledger.files.records import Config

AS_OF = "2023-08-07"  # day 219 of 365: 序时进度 exactly 60%


def entry(date, task, status="推进中", percent=None, **more):
    lines = [f"- date: {date}", f"  task: {task}", f"  status: {status}"]
    if percent is not None:
        lines.append(f"  percent: {percent}")
    lines.append(f"  progress: {more.pop('progress', '推进')}")
    lines += [f"  {key}: {value}" for key, value in more.items()]
    return "\n".join(lines) + "\n"


def journal(root, unit, *entries):
    write(root / "data" / "progress" / f"{unit}.yaml", "".join(entries))


def states(root, *args, as_of=AS_OF):
    result = run("status", "--as-of", as_of, "--format", "json", *args, root=root)
    assert result.code == 0, result.err
    return {s["id"]: s for s in json.loads(result.out)}


def test_elapsed_share():
    start, end = dt.date(2023, 1, 1), dt.date(2023, 12, 31)
    assert elapsed_share(dt.date(2023, 8, 7), start, end) == 60
    assert elapsed_share(dt.date(2023, 1, 1), start, end) == 100 / 365
    assert elapsed_share(dt.date(2022, 12, 1), start, end) == 0
    assert elapsed_share(dt.date(2023, 12, 31), start, end) == 100
    assert elapsed_share(dt.date(2024, 3, 1), start, end) == 100


@pytest.mark.parametrize("task, status, percent, expected", [
    (1, None, None, "未报送"),          # never reported
    (3, None, None, "红"),              # never reported and past due (06-30): overdue all the same
    (1, "推进中", 60, "绿"),            # on pace
    (1, "推进中", 50, "绿"),            # 10 behind: still within tolerance
    (1, "推进中", 49.5, "黄"),          # 10.5 behind
    (1, "推进中", 30, "黄"),            # 30 behind
    (1, "推进中", 29, "红"),            # 31 behind
    (3, "推进中", 95, "红"),            # past due, not done
    (3, "已完成", 100, "绿"),           # done
    (1, "受阻", 60, "黄"),              # blocked needs coordination
    (1, "受阻", 20, "红"),
    (1, "受阻", None, "黄"),            # blocked, no percent: still yellow
    (1, "未启动", None, "红"),          # not started: nothing done is 0%
    (1, "推进中", None, "进度未填"),    # reported without a percent: not 0%
    (1, None, None, "进度未填"),        # a report that gives neither status nor percent
])
def test_light(task, status, percent, expected):
    unit = {1: "县林业局", 3: "县水利局"}[task]
    given = [f"  status: {status}"] * bool(status) + [f"  percent: {percent}"] * (percent is not None)
    journals = {} if expected == "未报送" or (task == 3 and status is None) else {
        unit: "\n".join(["- date: 2023-06-01", f"  task: {task}", *given, "  progress: 推进", ""])}
    ledger = load_string(SMALL_TASKS, SMALL_UNITS, journals=journals)
    assert ledger.problems == ()
    assert {s.id: s.light for s in state(ledger, dt.date(2023, 8, 7)).tasks}[task] == expected


@pytest.mark.parametrize("as_of, cycle, expected", [
    ("2023-08-07", "monthly", "2023-07-01"),   # July's report was due 07-25
    ("2023-08-25", "monthly", "2023-07-01"),   # August's is due today, not yet late
    ("2023-08-26", "monthly", "2023-08-01"),
    ("2023-01-20", "monthly", None),           # no report due yet
    ("2024-03-01", "monthly", "2023-12-01"),   # reporting ends with the plan
    ("2023-05-10", "quarterly", "2023-01-01"),
    ("2023-06-26", "quarterly", "2023-04-01"),
])
def test_cycle_start(as_of, cycle, expected):
    found = cycle_start(dt.date.fromisoformat(as_of), dt.date(2023, 1, 1), dt.date(2023, 12, 31),
                        Config(**{**models.Config().model_dump(), "cycle": cycle}))
    assert (found.isoformat() if found else None) == expected


def test_lights_from_journals(small):
    journal(small, "县林业局", entry("2023-03-01", 1, percent=20), entry("2023-08-01", 1, percent=49.5))
    journal(small, "县交通运输局", entry("2023-08-01", 2, percent=29))
    journal(small, "县水利局", entry("2023-05-10", 3, "已完成"), entry("2023-07-01", 4, percent=60))
    found = states(small)
    assert {n: (s["status"], s["percent"], s["light"]) for n, s in found.items()} == {
        1: ("推进中", 49.5, "黄"),
        2: ("推进中", 29, "红"),
        3: ("已完成", 100, "绿"),      # done early
        4: ("推进中", 60, "绿"),
        5: (None, None, "未报送"),     # coordination item, nobody leads it
    }
    assert found[1]["elapsed"] == 60.0 and found[3]["overdue"] is False


def test_overdue_task_is_red(small):
    journal(small, "县水利局", entry("2023-06-20", 3, percent=95))
    found = states(small)[3]
    assert (found["light"], found["overdue"]) == ("红", True)
    assert states(small, as_of="2023-06-30")[3]["light"] == "绿"


def test_support_units_do_not_set_status_and_latest_lead_wins(small):
    journal(small, "县林业局", entry("2023-08-01", 2, progress="配合修路"), entry("2023-08-02", 4, "推进中"))
    journal(small, "县水利局", entry("2023-07-01", 4, percent=55))
    found = states(small)
    assert (found[2]["status"], found[2]["light"]) == (None, "未报送")
    # 县林业局's newer entry sets the status; the percent carries over from 县水利局's
    assert (found[4]["status"], found[4]["percent"], found[4]["last_report"]) == ("推进中", 55, "2023-08-02")


def test_entries_after_as_of_are_not_counted(small):
    journal(small, "县林业局", entry("2023-07-01", 1, percent=40), entry("2023-08-10", 1, percent=70))
    assert states(small)[1]["percent"] == 40
    assert states(small, as_of="2023-08-10")[1]["percent"] == 70


def test_stale_reports(small):
    journal(small, "县林业局", entry("2023-06-30", 1, percent=60))
    journal(small, "县水利局", entry("2023-07-01", 4, percent=60), entry("2023-07-02", 3, "已完成"))
    found = states(small)
    assert {n: s["stale"] for n, s in found.items()} == {1: True, 2: True, 3: False, 4: False, 5: False}


def test_filters(small):
    journal(small, "县林业局", entry("2023-08-01", 1, percent=60))
    assert sorted(states(small, "--unit", "林业局")) == [1, 2, 4]
    assert sorted(states(small, "--section", "二")) == [3, 4, 5]
    assert sorted(states(small, "--section", "2")) == [3, 4, 5]
    assert sorted(states(small, "--light", "绿")) == [1]
    # task 3 was due 06-30: never reported, it is overdue (red), not 未报送
    assert sorted(states(small, "--light", "未报送", "--unit", "水利局")) == [4]
    assert sorted(states(small, "--light", "红", "--unit", "水利局")) == [3]


def test_unknown_unit_lists_the_closest(small):
    result = run("status", "--unit", "林业", root=small)
    assert result.code == 0
    result = run("status", "--unit", "县林草局", root=small)
    assert result == (2, "", "未登记的单位“县林草局”。最接近的：县林业局；全部单位见 ledger units\n")
    write(small / "data/units.yaml", "units:\n- name: 县水利局\n  aliases: [水务]\n- name: 县林业局\n  aliases: [水务]\n"
          "- name: 县交通运输局\n")
    assert run("status", "--unit", "水务", root=small) == (2, "", "单位“水务”有歧义，可能是：县林业局、县水利局；请写全称\n")


def test_usage_errors(small):
    assert run("status", "--light", "紫", root=small) == (
        2, "", "未知的灯“紫”；--light 可写 红、黄、绿、进度未填、未报送、逾期，可写多个（--light 红 --light 黄，或 --light 红,黄）\n")
    assert run("status", "--as-of", "2023-8-7", root=small) == (
        2, "", "--as-of 的值“2023-8-7”不是有效日期；应为 YYYY-MM-DD，例如 2023-06-30\n")
    assert run("status", "--section", "九", root=small).err == "没有第“九”部分；可用：1（一）、2（二）\n"
    result = run("status", "--format", "yaml", root=small)
    assert result.code == 2 and result.err.startswith("未知的输出格式“yaml”；可用：table、csv、json、markdown、")
    result = run("status", "--colour", root=small)
    assert result.code == 2 and result.err.startswith("用法错误：没有这个选项：--colour")


def test_markdown_table(small):
    journal(small, "县林业局", entry("2023-08-01", 1, percent=49.5))
    result = run("status", "--as-of", AS_OF, "--format", "markdown", "--light", "黄", root=small)
    assert result.out == (
        "截至 2023-08-07，序时进度 60%，共 1 项任务\n"
        "| 序号   | 任务   | 牵头单位   | 状态   | 进度/序时   | 灯   | 最近报送   |\n"
        "|:-------|:-------|:-----------|:-------|:------------|:-----|:-----------|\n"
        "| 1      | 造林   | 县林业局   | 推进中 | 49.5% / 60% | 黄   | 2023-08-01 |\n"
        "红 0 · 黄 1 · 绿 0 · 进度未填 0 · 未报送 0\n")


def test_csv_and_rich_table(small):
    journal(small, "县林业局", entry("2023-08-01", 1, percent=60))
    lines = run("status", "--as-of", AS_OF, "--format", "csv", root=small).out.splitlines()
    assert lines[0] == ("id,section,title,lead_units,support_units,responsible,due,status,percent,elapsed,gap,light,"
                        "overdue,stale,reported,last_report,progress,problems,next,actuals")
    assert lines[1] == "1,1,造林,县林业局,,县林业局,2023-12-31,推进中,60,60.0,0.0,绿,false,false,true,2023-08-01,推进,,,{}"
    assert lines[5] == "5,2,统筹,,,,2023-12-31,,,60.0,,未报送,false,false,false,,,,,{}"
    table = run("status", "--as-of", AS_OF, root=small).out
    assert "│ 1    │ 造林             │ 县林业局             │ 推进中 │ 60% / 60% │ 绿     │ 2023-08-01 │" in table
    assert "│ 5    │ 统筹             │ （统筹类，未定牵头） │ —      │ — / 60%   │ 未报送 │ —          │" in table
    # task 3 was due 06-30 and is overdue: red, reported or not
    assert table.rstrip().endswith("红 1 · 黄 0 · 绿 1 · 进度未填 0 · 未报送 3")


def test_show_card_escapes_notes(small):
    journal(small, "县林业局",
            entry("2023-04-01", 1, percent=30, progress="'[red]造林[/red] [link=http://x]点我[/link] \\x1b[31m'",
                  actuals="{完成造林: 600}"),
            entry("2023-06-01", 2, progress="配合修路", problems="资金缺口"))
    result = run("show", 1, "--as-of", AS_OF, root=small)
    assert result.code == 0
    assert "[red]造林[/red] [link=http://x]点我[/link] \\x1b[31m" in result.out
    assert "\x1b" not in result.out
    assert "状态：推进中 · 进度 30% · 序时进度 60% · 灯：黄 · 最近报送 2023-04-01" in result.out
    assert "│ 1 │ 完成造林 │ ≥1300亩 │ 600        │ 46.2%    │ 2023-04-01 县林业局 │" in result.out
    card = json.loads(run("show", 1, "--as-of", AS_OF, "--format", "json", root=small).out)
    assert card["targets"][0]["reached"] == 46.2
    assert [e["date"] for e in card["entries"]] == ["2023-04-01"]
    assert [e["unit"] for e in json.loads(run("show", 2, "--as-of", AS_OF, "-f", "json", root=small).out)["entries"]] == [
        "县林业局"]
    assert run("show", 9, root=small) == (2, "", "没有第 9 项任务；任务序号为 1–5\n")


def test_overdue_and_units(small):
    journal(small, "县林业局", entry("2023-07-03", 1, percent=49.5))
    journal(small, "县水利局", entry("2023-06-20", 3, percent=95), entry("2023-07-01", 4, "受阻", 55))
    result = run("overdue", "--as-of", AS_OF, "--format", "json", root=small)
    found = json.loads(result.out)
    assert [(r["unit"], r["id"], r["light"], r["reason"]) for r in found["lagging"]] == [
        ("县林业局", 1, "黄", "落后序时进度 10.5 个百分点"),
        ("县林业局", 4, "黄", "受阻，落后序时进度 5.0 个百分点"),
        ("县水利局", 3, "红", "已逾期（完成时限 2023-06-30）"),
        ("县水利局", 4, "黄", "受阻，落后序时进度 5.0 个百分点"),
    ]
    assert [(r["unit"], r["stale_tasks"]) for r in found["stale"]] == [("县交通运输局", [2]), ("县水利局", [3])]
    units = json.loads(run("units", "--as-of", AS_OF, "-f", "json", root=small).out)
    assert units == [
        {"unit": "县林业局", "led": 2, "supported": 1, "done": 0, "lagging": 2, "overdue": 0, "stale_tasks": [],
         "last_report": "2023-07-03"},
        {"unit": "县交通运输局", "led": 1, "supported": 0, "done": 0, "lagging": 0, "overdue": 0, "stale_tasks": [2],
         "last_report": None},
        {"unit": "县水利局", "led": 2, "supported": 0, "done": 0, "lagging": 2, "overdue": 1, "stale_tasks": [3],
         "last_report": "2023-07-01"},
    ]
    text = run("overdue", "--as-of", AS_OF, "-f", "plain", root=small).out
    assert "县水利局  3       上半年完成的任务  红    95% / 60%    已逾期（完成时限 2023-06-30）\n" in text
    assert "县水利局      3               2023-07-01\n共 2 个单位未按时报送\n" in text


def test_demo_covers_every_light():
    result = run("status", "--as-of", "2023-08-31", "--format", "json", root=REPO / "examples" / "demo")
    lights = {s["light"] for s in json.loads(result.out)}
    assert lights == {"红", "黄", "绿", "进度未填", "未报送"}
    assert run("validate", root=REPO / "examples" / "demo") == (0, "", "")
