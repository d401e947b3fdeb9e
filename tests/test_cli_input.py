"""What a user types, checked before anything is written; and the listings that answer "what happened"."""

import json
import os
import subprocess

from conftest import REPO, run, write

J = "data/progress/县林业局.yaml"
DEMO = REPO / "examples" / "demo"


def update(root, *args, env=None):
    return run("update", *args, root=root, env=env)


def refused(root, *args, code=1):
    """The error of an update that wrote nothing (the journal's bytes unchanged)."""
    journal = root / J
    before = journal.read_bytes() if journal.exists() else None
    done = update(root, *args)
    assert done.code == code and done.out == ""
    assert (journal.read_bytes() if journal.exists() else None) == before
    return done.err


def test_texts_are_trimmed_and_percent_may_carry_its_sign(small):
    done = update(small, 1, "--date", "2023-03-01", "-p", "50%", "-n", "  造林 300 亩 \n", "--problem", " 苗木 ")
    assert done.code == 0, done.err
    assert (small / J).read_text(encoding="utf-8").endswith(
        "- date: 2023-03-01\n  task: 1\n  percent: 50\n  progress: 造林 300 亩\n  problems: 苗木\n")
    assert update(small, 1, "--date", "2023-03-02", "-p", "62.5 ％", "-n", "x").code == 0
    assert (small / J).read_text(encoding="utf-8").endswith("  percent: 62.5\n  progress: x\n")
    assert refused(small, 1, "--date", "2023-03-03", "-p", "一半", "-n", "x", code=2) == (
        "--percent 的值“一半”不是数字；写 0 到 100 之间的数，例如 --percent 50（也可写 50%）\n")


def test_status_words_people_use_are_answered(small):
    assert refused(small, 1, "--date", "2023-03-01", "--status", "进行中", "-n", "x") == (
        "没有写入，日志保持原样：\n--status：“进行中”不是可用的状态；是不是“推进中”？可用：未启动、推进中、已完成、受阻\n")
    assert refused(small, 1, "--date", "2023-03-01", "--status", "完成", "-n", "x").count("是不是“已完成”？") == 1
    assert "是不是" not in refused(small, 1, "--date", "2023-03-01", "--status", "很好", "-n", "x")


def test_metrics_by_a_part_of_the_name_without_units_never_negative(paces):
    root = paces
    assert update(root, 1, "--date", "2023-08-02", "-n", "x", "-m", "抚育=8", "-m", "造林=700").code == 0
    assert (root / J).read_text(encoding="utf-8").endswith("  actuals:\n    完成森林抚育: 8\n    完成造林: 700\n")
    assert refused(root, 1, "--date", "2023-08-03", "-n", "x", "-m", "完成=1") == (
        "没有写入，日志保持原样：\n--metric：指标名“完成”有歧义，可能是：完成造林、完成森林抚育；请写全称或序号\n")
    assert refused(root, 1, "--date", "2023-08-03", "-n", "x", "-m", "完成造林=800亩") == (
        "没有写入，日志保持原样：\n--metric：完成造林=800亩：数值不带单位（单位为 亩）；写成 --metric 完成造林=800\n")
    assert refused(root, 1, "--date", "2023-08-03", "-n", "x", "-m", "造林=-5") == (
        "没有写入，日志保持原样：\n--metric：完成造林=-5：完成值不能是负数（只有增长率可以为负）\n")
    assert refused(root, 1, "--date", "2023-08-03", "-n", "x", "-m", "造林=很多") == (
        "没有写入，日志保持原样：\n--metric：完成造林=很多：“很多”不是数字；例如 --metric 完成造林=3\n")
    assert refused(root, 1, "--date", "2023-08-03", "-n", "x", "-m", "造林面积=3") == (
        "没有写入，日志保持原样：\n--metric：第 1 项任务没有名为“造林面积”的指标；可用的指标：完成造林、完成森林抚育\n")
    assert refused(root, 3, "--date", "2023-08-03", "-n", "x", "-m", "1=2亩") == (
        "没有写入，日志保持原样：\n--metric：第 3 项任务没有指标“1”；可用（序号 名称）：无（这项任务没有数值指标）\n")
    # a rate of growth may fall
    done = update(root, 2, "--date", "2023-08-03", "-n", "x", "-m", "路网密度增长=-1.5")
    assert done.code == 0 and (root / "data/progress/县交通运输局.yaml").read_text(encoding="utf-8").endswith(
        "  actuals:\n    路网密度增长: -1.5\n")


def test_the_same_entry_twice_asks_for_force(small):
    assert update(small, 1, "--date", "2023-03-01", "-p", 20, "-n", "造林 300 亩").code == 0
    assert refused(small, 1, "--date", "2023-03-01", "-p", 30, "-n", " 造林 300 亩") == (
        "没有写入，日志保持原样：\n--force：data/progress/县林业局.yaml 第 2 行已有同一天、同一任务、同样进展的条目"
        "（重复报送？）；确实要再写一条，请加 --force\n")
    assert update(small, 1, "--date", "2023-03-01", "-p", 30, "-n", "造林 300 亩", "--force").code == 0
    assert update(small, 1, "--date", "2023-03-02", "-n", "造林 300 亩").code == 0  # another day: another report
    assert (small / J).read_text(encoding="utf-8").count("progress: 造林 300 亩") == 3


def test_a_supporting_units_status_is_recorded_with_a_reminder(small):
    done = update(small, 2, "-u", "林业局", "--date", "2023-03-01", "-p", 50, "-n", "配合修路")
    assert done.code == 0 and done.out.splitlines()[1] == (
        "提醒：县林业局是第 2 项任务的参与单位：报的状态和进度照常记录，但任务的状态、进度和灯只看牵头单位（县交通运输局）的报送")


def test_status_since_and_several_lights():
    since = json.loads(run("status", "--as-of", "2023-08-31", "--since", "2023-08-25", "-f", "json", root=DEMO).out)
    assert [task["id"] for task in since] == [25, 42, 45, 82]
    shown = run("status", "--as-of", "2023-08-31", "--since", "2023-08-25", "-f", "plain", root=DEMO).out
    assert shown.startswith("截至 2023-08-31，序时进度 66.6%，2023-08-25 以来有新报送的任务 4 项\n")
    both = json.loads(run("status", "--as-of", "2023-08-31", "-l", "红,黄", "-f", "json", root=DEMO).out)
    assert [(task["id"], task["light"]) for task in both] == [(25, "黄"), (26, "红"), (45, "红"), (82, "黄")]
    assert run("status", "--as-of", "2023-08-31", "-l", "红", "-l", "黄", "-f", "json", root=DEMO).out == json.dumps(
        both, ensure_ascii=False, indent=2) + "\n"
    late = json.loads(run("status", "--as-of", "2024-01-02", "-l", "逾期", "-f", "json", root=DEMO).out)
    assert len(late) == 97 and all(task["overdue"] for task in late)


def test_overdue_fails_on_the_lights_asked_for():
    assert run("overdue", "--as-of", "2023-08-31", root=DEMO).code == 0
    done = run("overdue", "--as-of", "2023-08-31", "--fail-on", "红", root=DEMO)
    assert done.code == 1 and done.err == "有 2 项任务是 红（--fail-on），退出码 1\n"
    assert run("overdue", "--as-of", "2023-08-31", "--fail-on", "逾期", root=DEMO).code == 0
    assert run("overdue", "--as-of", "2023-08-31", "--fail-on", "紫", root=DEMO).code == 2


def test_machine_formats_are_one_document():
    for command in (["show", "25"], ["overdue"]):
        done = run(*command, "-f", "csv", root=DEMO)
        assert done.code == 2 and done.err.endswith("写不成一个 csv；供程序读取请用 --format json\n")
        json.loads(run(*command, "-f", "json", "--as-of", "2023-08-31", root=DEMO).out)
    rows = run("status", "--as-of", "2023-08-31", "-f", "csv", root=DEMO).out.splitlines()
    assert rows[0].split(",")[12:15] == ["overdue", "stale", "reported"]
    assert rows[25].split(",")[12:15] == ["false", "false", "true"]


def test_git_author_names_are_escaped_in_csv_and_json(small):
    write(small / J, "- date: 2023-03-01\n  task: 1\n  progress: 正常\n")
    author = "张\u202e三\x1b[31m"
    env = {**os.environ, "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1", "GIT_AUTHOR_NAME": author,
           "GIT_AUTHOR_EMAIL": "z@example.org", "GIT_COMMITTER_NAME": "办公室", "GIT_COMMITTER_EMAIL": "o@example.org"}
    for args in (["init", "-q"], ["add", "."], ["commit", "-qm", "进展"]):
        subprocess.run(["git", *args], cwd=small, env=env, check=True, capture_output=True)
    shown = run("log", "-f", "csv", root=small).out
    assert "\u202e" not in shown and "\x1b" not in shown and "张\\u202e三\\x1b[31m" in shown
    data = run("log", "-f", "json", root=small).out
    assert "\u202e" not in data and json.loads(data)[0]["author"] == author


def test_a_fresh_ledger_says_how_to_begin(tmp_path):
    assert run("init", tmp_path / "新台账").code == 0
    guide = "还没有导入计划：ledger import 计划文件（.txt、.html 或 .docx）；见 ledger import --help\n"
    for command in ("status", "units"):
        assert run(command, root=tmp_path / "新台账") == (0, guide, "")
    assert run("report", root=tmp_path / "新台账") == (1, "", guide)
    assert run("status", "-f", "json", root=tmp_path / "新台账") == (0, "[]\n", "")


def test_a_task_without_entries_says_so():
    assert run("show", "1", "--as-of", "2023-08-31", root=DEMO).out.endswith("\n进展记录：暂无进展记录\n")


def test_the_reporter_is_git_user_name_unless_given(small):
    env = {**os.environ, "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1"}
    no_identity = {"GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1"}
    assert update(small, 1, "--date", "2023-03-01", "-n", "不在仓库里", env=no_identity).code == 0
    assert (small / J).read_text(encoding="utf-8").endswith("  progress: 不在仓库里\n")  # no reporter to name
    subprocess.run(["git", "init", "-q"], cwd=small, env=env, check=True)
    subprocess.run(["git", "config", "user.name", "林业局李四"], cwd=small, env=env, check=True)
    assert update(small, 1, "--date", "2023-03-02", "-n", "仓库里", env=no_identity).code == 0
    assert (small / J).read_text(encoding="utf-8").endswith("  progress: 仓库里\n  reporter: 林业局李四\n")
    assert update(small, 1, "--date", "2023-03-03", "-n", "x", env={**no_identity, "LEDGER_REPORTER": "张三"}).code == 0
    assert update(small, 1, "--date", "2023-03-04", "-n", "y", "--reporter", "王五", env=no_identity).code == 0
    assert (small / J).read_text(encoding="utf-8").endswith("  reporter: 张三\n- date: 2023-03-04\n  task: 1\n"
                                                           "  progress: y\n  reporter: 王五\n")
