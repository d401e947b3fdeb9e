"""`ledger validate`: every problem, with its file, line and a Chinese message, all in one run."""

import pytest

from conftest import run, write

J = "data/progress/县林业局.yaml"


def validate(root):
    return run("validate", root=root)


def test_clean_ledger_is_silent(small):
    write(small / J, "# 县林业局\n- date: 2023-03-01\n  task: 1\n  status: 推进中\n  percent: 20\n  progress: 春季造林\n")
    assert validate(small) == (0, "", "")


ENTRY = "- date: 2023-03-01\n  task: 1\n  status: 推进中\n  progress: 造林\n"


@pytest.mark.parametrize("text, expected", [
    ("- date: 2023-03-01\n  task: 1\n  status: [推进中\n", f"{J}:4: YAML 语法错误（while parsing a flow sequence；"
     "did not find expected ',' or ']'）：请检查缩进（只能用空格，不能用 Tab）、冒号后的空格、引号是否成对"),
    (ENTRY + "  percent: 20\n  percent: 30\n",
     f"{J}:6: 键“percent”重复（第 5 行已有）；PyYAML 会悄悄只保留后一个，请删除或合并其中一个"),
    (ENTRY.replace("task: 1", "task: 120"), f"{J}:2: 任务序号 120 不存在；有效序号为 1–5"),
    (ENTRY.replace("task: 1", "task: 3"),
     f"{J}:2: 县林业局不是第 3 项任务的牵头或参与单位（牵头单位：县水利局）；本单位能报送的任务：1、2、4"),
    (ENTRY + "  percent: 120\n", f"{J}:5: 进度应在 0 到 100 之间，实际是 120"),
    (ENTRY + "  percent: -1\n", f"{J}:5: 进度应在 0 到 100 之间，实际是 -1"),
    (ENTRY + "  percent: 六十\n", f"{J}:5: “percent”（进度）应为数字，实际是“六十”"),
    (ENTRY + "  percent: '60'\n", f"{J}:5: “percent”（进度）应为数字，实际是“60”"),
    (ENTRY.replace("2023-03-01", "2023-02-30"), f"{J}:1: 日期“2023-02-30”不存在（没有这一天）；应为日历上真实的日期"),
    (ENTRY.replace("2023-03-01", "2023-6-1"), f"{J}:1: 日期“2023-6-1”格式不对：应为 YYYY-MM-DD，例如 2023-06-01"),
    (ENTRY.replace("2023-03-01", "2022-12-31"), f"{J}:1: 日期 2022-12-31 不在计划期（2023-01-01 至 2023-12-31）内；请填写计划期内的日期"),
    (ENTRY + "  actuals:\n    完成造林: 300\n    造林面积: 5\n",
     f"{J}:7: 第 1 项任务没有名为“造林面积”的指标；可用的指标：完成造林"),
    (ENTRY.replace("推进中", "已完成") + "  percent: 90\n",
     f"{J}:5: 状态为“已完成”但进度是 90%；已完成的进度应为 100，否则请把状态改为“推进中”"),
    (ENTRY.replace("推进中", "完成"), f"{J}:3: “status”（状态）的值“完成”无效；应为以下之一：未启动, 推进中, 已完成, 受阻"),
    (ENTRY + "  percnet: 20\n", f"{J}:5: 未知字段“percnet”；是不是“percent”？可用字段：date、task、corrects、status、percent、"
     "progress、problems、next、actuals、clear、resolves、reporter"),
    (ENTRY.replace("  progress: 造林\n", ""), f"{J}:1: 缺少必填字段“progress”（进展）"),
    (ENTRY.replace("造林", "no"), None),  # YAML 1.1 would make this False; here it stays the text "no"
    ("date: 2023-03-01\ntask: 1\n", f"{J}:1: 进展日志应为列表（每项以“- ”开头），实际是映射"),
    ("just a note\n", f"{J}: 进展日志应为列表（每项以“- ”开头），实际是文本"),
    ("", f"{J}: 文件是空的（没有任何数据）"),
    ("# only a comment\n", f"{J}: 文件是空的（没有任何数据）"),
    ("- just text\n", f"{J}:1: 每一条应为映射（“键: 值”），实际是文本“just text”"),
])
def test_each_problem(small, text, expected):
    write(small / J, text)
    result = validate(small)
    if expected is None:
        assert result == (0, "", "")
    else:
        assert (result.code, result.out) == (1, expected + "\n")
        assert result.err == "共 1 处问题。\n"


def test_entries_out_of_date_order_are_valid(small):
    # back-filled reports and merged branches leave journals out of date order; the fold orders by date
    write(small / J, ENTRY.replace("2023-03-01", "2023-05-01") + ENTRY)
    assert validate(small) == (0, "", "")


def test_future_date(small):
    tasks = (small / "data/tasks.yaml").read_text(encoding="utf-8").replace("end: 2023-12-31", "end: 9999-12-31")
    write(small / "data/tasks.yaml", tasks)
    write(small / J, ENTRY.replace("2023-03-01", "9999-01-01"))
    assert validate(small).out.startswith(f"{J}:1: 日期 9999-01-01 晚于今天（")


def test_journal_named_after_no_unit(small):
    write(small / "data/progress/林业局.yaml", ENTRY)
    write(small / "data/progress/县气象局.yaml", ENTRY)
    assert validate(small).out == (
        "data/progress/县气象局.yaml: 文件名“县气象局”不是登记的单位全称；日志文件名应为 data/units.yaml 里登记的单位全称\n"
        "data/progress/林业局.yaml: 文件名“林业局”不是登记的单位全称；应为 data/progress/县林业局.yaml\n")


def test_unknown_unit_in_the_task_list(small):
    tasks = (small / "data/tasks.yaml").read_text(encoding="utf-8").replace("  - 县交通运输局\n  support", "  - 县交通局\n  support")
    write(small / "data/tasks.yaml", tasks)
    assert validate(small).out == "data/tasks.yaml:34: 第 2 项任务的单位“县交通局”未在 data/units.yaml 登记；请登记或改正\n"


def test_wrong_top_level_shapes(small):
    write(small / "data/units.yaml", "- 县林业局\n")
    write(small / "data/config.yaml", "yellow_gap: ten\nred_gap: 30\n")
    out = validate(small).out
    assert "data/units.yaml:1: 单位名录应为映射，其中 units 是单位列表\n" in out
    assert "data/config.yaml:1: yellow_gap 的值“ten”不合要求：应为介于 0 到 100 之间的数（百分点）；这一项按默认值 10 计\n" in out


def test_every_problem_in_one_run(small):
    write(small / J, ENTRY.replace("task: 1", "task: 120") + ENTRY.replace("2023-03-01", "2023-02-30") + "  percent: 150\n")
    write(small / "data/progress/县水利局.yaml", "- date: 2023-03-01\n  task: 3\n  task: 3\n")
    result = validate(small)
    assert result.code == 1
    assert result.out.splitlines() == [
        "data/progress/县林业局.yaml:2: 任务序号 120 不存在；有效序号为 1–5",
        "data/progress/县林业局.yaml:5: 日期“2023-02-30”不存在（没有这一天）；应为日历上真实的日期",
        "data/progress/县林业局.yaml:9: 进度应在 0 到 100 之间，实际是 150",
        "data/progress/县水利局.yaml:1: 缺少必填字段“progress”（进展）",
        "data/progress/县水利局.yaml:3: 键“task”重复（第 2 行已有）；PyYAML 会悄悄只保留后一个，请删除或合并其中一个",
    ]
    assert result.err == "共 5 处问题。\n"


def test_status_still_runs_and_warns(small):
    write(small / J, ENTRY + ENTRY.replace("task: 1", "task: 120"))
    result = run("status", "--as-of", "2023-03-31", "--format", "json", root=small)
    assert result.code == 0
    assert result.err == "注意：台账中有 1 处问题，有问题的条目未计入；运行 ledger validate 查看。\n"
    assert '"status": "推进中"' in result.out


def test_no_ledger_here(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("status")
    assert result.code == 2
    assert result.err.startswith("找不到台账：当前目录及其上级目录都没有 data/tasks.yaml")
    assert run("status", root=tmp_path / "nowhere").err.startswith("“")


def test_a_correction_names_an_earlier_entry_of_the_same_task(small):
    write(small / J, ENTRY + ENTRY.replace("2023-03-01", "2023-03-05").replace("  task: 1\n", "  task: 1\n  corrects: 2023-03-01\n")
          + ENTRY.replace("2023-03-01", "2023-03-06").replace("  task: 1\n", "  task: 1\n  corrects: 2023-03-02\n"))
    assert validate(small).out == f"{J}:12: 本日志在 2023-03-02 没有第 1 项任务的条目；corrects 应为被更正的那一条的日期\n"
