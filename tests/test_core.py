"""What an entry means (the README's 进展怎样计算): each rule at fixed dates, on the shipped plan through the
command line, and on small ledgers written here and read with ledger.load_string."""

import datetime as dt
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SMALL_TASKS, SMALL_UNITS, run, write
from ledger import load_string, state

WATER = "data/progress/县水利局.yaml"


def update(root, *args):
    result = run("update", *args, root=root)
    assert result.code == 0, result.err
    return result.out


def task(root, number, as_of):
    card = json.loads(run("show", number, "--as-of", as_of, "-f", "json", root=root).out)
    return card["state"]


def bulletin(root, as_of):
    return run("report", "--as-of", as_of, root=root).out


# --- no percent is not 0% ------------------------------------------------------------------------

def test_a_report_without_a_percent_is_not_counted_as_zero(real):
    out = update(real, 25, "--date", "2023-03-20", "--note", "位山灌区完成初步设计批复")
    assert out.splitlines()[1] == "截至 2023-03-20，第 25 项：进度未填（推进中，进度 —，序时进度 21.6%）"
    found = task(real, 25, "2023-03-31")
    assert (found["status"], found["percent"], found["light"]) == ("推进中", None, "进度未填")
    # a first note with a metric, from one of task 32's two lead units: no percent either
    update(real, 32, "--unit", "水利局", "--date", "2023-03-20", "--note", "统计用水", "--metric", "1=0.5")
    assert task(real, 32, "2023-03-31")["light"] == "进度未填"
    status = run("status", "--as-of", "2023-03-31", root=real).out
    assert status.rstrip().endswith("红 0 · 黄 0 · 绿 0 · 进度未填 2 · 未报送 97")
    assert "进度未填 2 项（2%）" in bulletin(real, "2023-03-31")
    # once a percent is given it counts, and later entries without one keep it
    update(real, 25, "--date", "2023-04-20", "-p", 20, "--note", "完成设计")
    update(real, 25, "--date", "2023-04-28", "--note", "设计送审")
    assert (task(real, 25, "2023-04-30")["percent"], task(real, 25, "2023-04-30")["light"]) == (20, "黄")


def test_not_started_is_nothing_done_and_blocked_without_a_percent_is_yellow():
    ledger = load_string(SMALL_TASKS, SMALL_UNITS, journals={
        "县林业局": "- date: 2023-03-01\n  task: 1\n  status: 未启动\n  progress: 苗木未到\n",
        "县交通运输局": "- date: 2023-03-01\n  task: 2\n  status: 受阻\n  progress: 资金未到\n"})
    found = {s.id: s for s in state(ledger, dt.date(2023, 8, 7)).tasks}
    assert (found[1].percent, found[1].light) == (0, "红")
    assert (found[2].percent, found[2].light) == (None, "黄")


# --- fields carry forward --------------------------------------------------------------------------

def test_a_note_alone_keeps_the_status_problem_and_next_step(real):
    update(real, 25, "--date", "2023-05-22", "--status", "受阻", "-p", 30, "--note", "用地卡住",
           "--problem", "用地批复未下达", "--next", "提请县政府协调")
    out = update(real, 25, "--date", "2023-08-28", "--note", "召开协调会")
    assert out.splitlines()[1] == "截至 2023-08-28，第 25 项：红（受阻，进度 30%，序时进度 65.8%）"
    found = task(real, 25, "2023-08-31")
    assert (found["status"], found["percent"], found["progress"], found["problems"], found["next"]) == (
        "受阻", 30, "召开协调会", "用地批复未下达", "提请县政府协调")
    lagging = bulletin(real, "2023-08-31").split("## 四")[1].split("## 五")[0]
    assert "| 25     | 加强大中型灌区续建配套与现代化改造 | 县水利局   | 红   | 30% / 66.6% |" in lagging
    assert "| 用地批复未下达 | 提请县政府协调 |" in lagging


def test_clearing_a_field_is_explicit(real):
    update(real, 25, "--date", "2023-05-22", "-p", 30, "--note", "x", "--problem", "用地批复未下达", "--next", "协调")
    out = update(real, 25, "--date", "2023-06-20", "-p", 45, "--note", "用地已批", "--problem", "")
    assert out.splitlines()[0].endswith("— 45%")
    assert (real / WATER).read_text(encoding="utf-8").endswith(
        "- date: 2023-06-20\n  task: 25\n  percent: 45\n  progress: 用地已批\n  clear:\n  - problems\n")
    found = task(real, 25, "2023-06-30")
    assert (found["problems"], found["next"]) == (None, "协调")
    assert run("validate", root=real) == (0, "", "")
    # giving a field and clearing it in one entry is refused
    write(real / WATER, (real / WATER).read_text(encoding="utf-8") + "  problems: 又有问题\n")
    assert run("validate", root=real).out == f"{WATER}:12: 同一条既给了“problems”又清除它；请只留一个\n"


# --- corrections --------------------------------------------------------------------------------

CORRECTED = """\
- date: 2023-04-20
  task: 25
  status: 推进中
  percent: 20
  progress: 完成设计
- date: 2023-05-22
  task: 25
  status: 受阻
  percent: 30
  progress: 用地卡住
  problems: 用地批复未下达
- date: 2023-06-01
  task: 25
  corrects: 2023-04-20
  percent: 25
  status: 推进中
  progress: 更正：4月实为25%
"""


def test_a_correction_changes_the_entry_it_corrects_and_a_newer_entry_stays_newer(real):
    write(real / WATER, CORRECTED)
    assert run("validate", root=real) == (0, "", "")
    # the 05-22 entry is newer than what the correction changes: it stays the current state
    found = task(real, 25, "2023-06-30")
    assert (found["status"], found["percent"], found["problems"]) == ("受阻", 30, "用地批复未下达")
    # before 05-22 the corrected 04-20 entry is the state, once the correction itself is dated (06-01)
    assert task(real, 25, "2023-05-10")["percent"] == 20
    write(real / WATER, CORRECTED.replace("2023-06-01", "2023-05-01"))
    assert task(real, 25, "2023-05-10")["percent"] == 25
    # show marks both the correction and what it corrects
    card = json.loads(run("show", 25, "--as-of", "2023-06-30", "-f", "json", root=real).out)
    assert [(e["date"], e["corrects"], e["corrected_by"]) for e in card["entries"]] == [
        ("2023-04-20", None, ["2023-05-01"]), ("2023-05-01", "2023-04-20", []), ("2023-05-22", None, [])]
    table = run("show", 25, "--as-of", "2023-06-30", "-f", "plain", root=real).out
    assert "已被 2023-05-01 的条目更正" in table and "更正 2023-04-20 的条目" in table


def test_a_correction_of_the_latest_entry_becomes_the_state(real):
    write(real / WATER, CORRECTED.replace("corrects: 2023-04-20", "corrects: 2023-05-22"))
    found = task(real, 25, "2023-06-30")
    # status and percent from the correction; the problem it did not restate stays from the entry it corrects
    assert (found["status"], found["percent"], found["problems"], found["last_report"]) == (
        "推进中", 25, "用地批复未下达", "2023-05-22")


def test_corrections_are_checked():
    ledger = load_string(SMALL_TASKS, SMALL_UNITS, journals={"县林业局": (
        "- date: 2023-03-01\n  task: 1\n  progress: x\n"
        "- date: 2023-03-05\n  task: 1\n  corrects: 2023-03-02\n  progress: 更正\n"
        "- date: 2023-02-20\n  task: 1\n  corrects: 2023-03-01\n  progress: 更正在前\n")})
    assert [(p.line, p.field, p.message) for p in ledger.problems] == [
        (6, "corrects", "本日志在 2023-03-02 没有第 1 项任务的条目；corrects 应为被更正的那一条的日期"),
        (10, "corrects", "更正的是 2023-03-01 的条目，却写在更早的 2023-02-20；更正条目的日期应为写更正的那一天")]


# --- order is by date, not position ----------------------------------------------------------------

ENTRY = "- date: {}\n  task: 1\n  percent: {}\n  progress: 第{}次\n"


@settings(deadline=None, max_examples=60)
@given(st.lists(st.tuples(st.dates(dt.date(2023, 1, 1), dt.date(2023, 12, 31)), st.integers(0, 100)),
                min_size=1, max_size=8, unique_by=lambda pair: pair[0]), st.randoms(use_true_random=False),
       st.dates(dt.date(2023, 1, 1), dt.date(2024, 1, 31)))
def test_the_order_entries_are_written_in_does_not_matter(entries, shuffle, as_of):
    def folded(order):
        text = "".join(ENTRY.format(day, percent, n) for n, (day, percent) in order)
        ledger = load_string(SMALL_TASKS, SMALL_UNITS, journals={"县林业局": text})
        assert ledger.problems == ()
        return state(ledger, as_of).tasks[0]

    numbered = list(enumerate(entries))
    written = folded(numbered)
    shuffle.shuffle(numbered)
    assert folded(numbered) == written
    counted = [(day, percent) for day, percent in entries if day <= as_of]
    latest = max(counted, default=None)
    assert written.percent == (latest[1] if latest else None)
    assert written.last_report == (latest[0].isoformat() if latest else None)


def test_two_clerks_on_one_day_count_in_the_order_written():
    ledger = load_string(SMALL_TASKS, SMALL_UNITS, journals={"县林业局": (
        "- date: 2023-03-01\n  task: 1\n  percent: 10\n  progress: 张三\n  problems: 苗木不足\n"
        "- date: 2023-03-01\n  task: 1\n  percent: 15\n  progress: 李四\n")})
    found = state(ledger, dt.date(2023, 3, 31)).tasks[0]
    assert (found.percent, found.progress, found.problems) == (15, "李四", "苗木不足")


def test_lead_units_report_in_date_order_across_journals():
    ledger = load_string(SMALL_TASKS, SMALL_UNITS, journals={
        "县水利局": "- date: 2023-05-01\n  task: 4\n  percent: 50\n  progress: 水利\n",
        "县林业局": "- date: 2023-04-01\n  task: 4\n  percent: 60\n  progress: 林业\n"})
    found = {s.id: s for s in state(ledger, dt.date(2023, 5, 31)).tasks}[4]
    assert (found.percent, found.progress, found.last_report) == (50, "水利", "2023-05-01")


# --- every task can be reported ------------------------------------------------------------------

def test_the_office_reports_the_tasks_that_name_no_unit(real):
    out = update(real, 97, "--date", "2023-03-01", "--note", "成立领导小组")
    assert out.splitlines()[0] == "已追加到 data/progress/县政府办公室.yaml 第 2 行：第 97 项 加强组织领导 — 进展"
    update(real, 98, "--unit", "县政府办公室", "--date", "2023-03-01", "-p", 30, "--note", "建立台账")
    assert run("update", 99, "--unit", "水利局", "--date", "2023-03-01", "--note", "x", root=real).err == (
        "没有写入，日志保持原样：\n任务序号：县水利局不是第 99 项任务的牵头或参与单位（这项任务没有点名单位，"
        "由办公室“县政府办公室”报送）；本单位能报送的任务：19、24–26、32、40、51\n")
    assert [task(real, n, "2023-03-31")["light"] for n in (97, 98, 99)] == ["进度未填", "绿", "未报送"]
    status = run("status", "--as-of", "2023-03-31", "--unit", "政府办", "-f", "plain", root=real).out
    assert "（统筹类，县政府办公室报送）" in status
    units = json.loads(run("units", "--as-of", "2023-03-31", "-f", "json", root=real).out)
    assert next(u for u in units if u["unit"] == "县政府办公室")["led"] == 3 + 1  # 97–99 and 53, which it leads


def test_the_office_is_configurable(real):
    write(real / "data/config.yaml", "office: 县发展和改革局\n")
    assert run("update", 97, "--date", "2023-03-01", "--note", "x", root=real).out.startswith(
        "已追加到 data/progress/县发展和改革局.yaml")
    write(real / "data/config.yaml", "office: 县办\n")
    assert run("validate", root=real).out.startswith(
        "data/config.yaml:1: office（办公室）“县办”未在 data/units.yaml 登记；")


def test_without_an_office_a_task_naming_no_unit_says_how_to_name_one():
    ledger = load_string(SMALL_TASKS, SMALL_UNITS, journals={"县林业局": "- date: 2023-03-01\n  task: 5\n  progress: x\n"})
    assert [p.message for p in ledger.problems] == [
        "县林业局不是第 5 项任务的牵头或参与单位（这项任务没有点名单位；要报送，请在 data/config.yaml 里用 office 指定办公室）；"
        "本单位能报送的任务：1、2、4"]


# --- one state for every command; after the plan period ---------------------------------------------

def test_after_the_plan_period_every_command_agrees_and_says_so(real):
    update(real, 25, "--date", "2023-12-20", "-p", 100, "--note", "完工")
    update(real, 24, "--date", "2023-06-01", "-p", 60, "--note", "整改")
    note = "注意：2024-03-01 已过计划期（2023-01-01 至 2023-12-31），序时进度按 100% 计，未完成的任务都已逾期"
    status = run("status", "--as-of", "2024-03-01", root=real).out
    assert status.rstrip().endswith("红 98 · 黄 0 · 绿 1 · 进度未填 0 · 未报送 0\n" + note)
    head = bulletin(real, "2024-03-01").split("\n")[6]
    assert head == ("截至 2024-03-01，序时进度 100%。计划期已于 2023-12-31 结束，序时进度按 100% 计。全部 99 项任务中："
                    "已完成 1 项（1%），正常推进 0 项（0%），落后 0 项（0%），逾期 98 项（99%），进度未填 0 项（0%），未报送 0 项（0%）。")
    overdue = json.loads(run("overdue", "--as-of", "2024-03-01", "-f", "json", root=real).out)
    assert len({row["id"] for row in overdue["lagging"]}) == 98
    for command in (["overdue"], ["units"], ["show", "24"]):
        assert note in run(*command, "--as-of", "2024-03-01", root=real).out
    machine = run("status", "--as-of", "2024-03-01", "-f", "json", root=real)
    assert machine.err == note + "\n" and len(json.loads(machine.out)) == 99
    before = run("status", "--as-of", "2022-12-01", root=real).out
    assert before.rstrip().endswith("注意：2022-12-01 计划期（2023-01-01 至 2023-12-31）还没有开始")


def test_update_without_a_date_after_the_plan_period_says_which_day_it_used(real):
    today = dt.date.today()
    result = run("update", 25, "--note", "年底补报", root=real)
    assert result == (1, "", f"没有写入，日志保持原样：\n没有给 --date，报送日期取的是今天（{today}），不在计划期"
                             "（2023-01-01 至 2023-12-31）内；补报计划期内某一天的进展，请用 --date 指明那一天，"
                             "例如 --date 2023-12-31\n")


# --- all problems at once -----------------------------------------------------------------------

def test_every_problem_of_an_entry_is_listed(small):
    write(small / "data/progress/县林业局.yaml", "- date: 2023-02-30\n  task: 3\n  status: 完成\n  percent: 150\n"
          "  progress: x\n  actuals:\n    造林面积: 5\n")
    result = run("validate", root=small)
    assert result.out.splitlines() == [
        "data/progress/县林业局.yaml:1: 日期“2023-02-30”不存在（没有这一天）；应为日历上真实的日期",
        "data/progress/县林业局.yaml:2: 县林业局不是第 3 项任务的牵头或参与单位（牵头单位：县水利局）；本单位能报送的任务：1、2、4",
        "data/progress/县林业局.yaml:3: “status”（状态）的值“完成”无效；应为以下之一：未启动, 推进中, 已完成, 受阻",
        "data/progress/县林业局.yaml:4: 进度应在 0 到 100 之间，实际是 150",
        "data/progress/县林业局.yaml:7: 第 3 项任务没有名为“造林面积”的指标；可用的指标：（这项任务没有数值指标）"]
    assert (result.code, result.err) == (1, "共 5 处问题。\n")


def test_a_bad_config_value_falls_back_alone():
    ledger = load_string(SMALL_TASKS, SMALL_UNITS, config="yellow_gap: 200\nred_gap: 20\ncycle: weekly\nreport_day: 5\n")
    assert [(p.line, p.message) for p in ledger.problems] == [
        (1, "yellow_gap 的值“200”不合要求：应为介于 0 到 100 之间的数（百分点）；这一项按默认值 10 计"),
        (3, "cycle 的值“weekly”不合要求：应为以下之一：monthly（每月）、quarterly（每季度）；这一项按默认值 monthly 计")]
    assert ledger.config[:4] == (10, 20, "monthly", 5)
    crossed = load_string(SMALL_TASKS, SMALL_UNITS, config="yellow_gap: 40\nred_gap: 20\n")
    assert [p.message for p in crossed.problems] == [
        "red_gap（红灯阈值）小于 yellow_gap（黄灯阈值）：红灯应比黄灯落后得更多；两项都按默认值计（黄灯 10，红灯 30）"]
    assert crossed.config[:2] == (10, 30)


def test_a_support_units_percent_is_recorded_and_said_not_to_count(small):
    result = run("update", 2, "-u", "林业局", "--date", "2023-03-01", "-p", 90, "-n", "配合", root=small)
    assert result.out.splitlines() == [
        "已追加到 data/progress/县林业局.yaml 第 2 行：第 2 项 修路 — 90%",
        "提醒：县林业局是第 2 项任务的参与单位：报的状态和进度照常记录，但任务的状态、进度和灯只看牵头单位（县交通运输局）的报送",
        "截至 2023-03-01，第 2 项：未报送（县交通运输局还没有报送，序时进度 16.4%）"]
    assert run("validate", root=small) == (0, "", "")
    assert task(small, 2, "2023-03-31")["light"] == "未报送"


# --- models shape the data ----------------------------------------------------------------------

def test_declared_defaults_reach_every_reader(small):
    tasks = (small / "data/tasks.yaml").read_text(encoding="utf-8").replace("    kind: amount\n", "")
    write(small / "data/tasks.yaml", tasks)
    write(small / "data/progress/县林业局.yaml", "- date: 2023-03-01\n  task: 1\n  progress: x\n  actuals:\n"
          "    完成造林: 300\n")
    assert run("validate", root=small) == (0, "", "")
    card = json.loads(run("show", 1, "--as-of", "2023-03-31", "-f", "json", root=small).out)
    assert card["targets"][0]["kind"] == "amount" and card["targets"][0]["reached"] == 23.1
    assert run("report", "--as-of", "2023-03-31", root=small).code == 0
    assert run("export", "-o", small / "x.xlsx", "--as-of", "2023-03-31", root=small).code == 0


def test_load_is_complete_and_immutable():
    ledger = load_string(SMALL_TASKS, SMALL_UNITS, journals={"县林业局": "- date: 2023-03-01\n  task: 1\n  progress: x\n"})
    assert (len(ledger.tasks), len(ledger.entries), ledger.problems, ledger.complete) == (5, 1, (), True)
    entry = ledger.entries[0]
    assert (entry.unit, entry.file, entry.line, entry.percent) == ("县林业局", "data/progress/县林业局.yaml", 1, None)
    with pytest.raises(AttributeError):
        ledger.entries = ()
    with pytest.raises(TypeError):
        ledger.tasks[9] = None


def test_records_hold_what_the_models_declare():
    """The pydantic models declare the fields; the records the program uses hold the same, in the same order."""
    from ledger.files import models, records

    extra = {"Task": ("line", "lines"), "Unit": ("line", "lines"), "Section": ("line", "lines"),
             "Entry": ("unit", "file", "line", "end"), "Action": ("line", "lines")}
    for name in ("Plan", "Section", "Target", "Task", "Unit", "Config", "Entry", "Action"):
        declared = tuple(getattr(models, name).model_fields) + extra.get(name, ())
        assert getattr(records, name)._fields == declared, name
    # a ledger without a config file takes the models' defaults, without importing pydantic to learn them
    assert load_string(SMALL_TASKS, SMALL_UNITS).config._asdict() == {**models.Config().model_dump(), "office": None}


def test_a_correction_written_the_same_day_corrects_the_entry_before_it():
    ledger = load_string(SMALL_TASKS, SMALL_UNITS, journals={"县林业局": (
        "- date: 2023-03-01\n  task: 1\n  percent: 10\n  progress: 张三\n"
        "- date: 2023-03-01\n  task: 1\n  corrects: 2023-03-01\n  percent: 12\n  progress: 更正张三\n"
        "- date: 2023-03-01\n  task: 1\n  percent: 20\n  progress: 李四\n"
        "- date: 2023-03-05\n  task: 1\n  corrects: 2023-03-01\n  percent: 25\n  progress: 更正李四\n")})
    assert ledger.problems == ()
    found = state(ledger, dt.date(2023, 3, 31)).tasks[0]
    # 张三's 10 became 12 (the correction right after it); 李四's 20, the last of the day, became 25
    assert (found.percent, found.progress) == (25, "更正李四")
    from ledger.core.queries import task_card
    card = task_card(ledger, state(ledger, dt.date(2023, 3, 31)), 1)
    assert [(e["progress"], e["corrected_by"]) for e in card.entries] == [
        ("张三", ["2023-03-01"]), ("更正张三", []), ("李四", ["2023-03-05"]), ("更正李四", [])]
