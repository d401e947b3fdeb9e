"""`ledger update`: exactly one validated entry appended; nothing already written is touched."""

import json
import subprocess
from concurrent.futures import ThreadPoolExecutor

from conftest import run, run_process, write

J = "data/progress/县林业局.yaml"
HEADER = "# 县林业局工作进展日志。只在末尾追加新条目；已写入的条目不要修改，更正请追加一条新条目并说明。\n"


def update(root, *args, env=None):
    return run("update", *args, root=root, env=env)


def test_first_entry_creates_the_journal(small):
    result = update(small, 1, "--date", "2023-03-01", "--percent", 20, "--note", "春季造林 300 亩",
                    "--problem", "苗木不足", "--next", "4月补植", "--metric", "完成造林=300", "--reporter", "张三")
    assert result == (0, "已追加到 data/progress/县林业局.yaml 第 2 行：第 1 项 造林 — 20%\n"
                         "截至 2023-03-01，第 1 项：绿（推进中，进度 20%，序时进度 16.4%）\n"
                         "新问题 P1-0301：苗木不足（待协调）\n", "")
    assert (small / J).read_bytes() == (HEADER + (
        "- date: 2023-03-01\n"
        "  task: 1\n"
        "  percent: 20\n"
        "  progress: 春季造林 300 亩\n"
        "  problems: 苗木不足\n"
        "  next: 4月补植\n"
        "  actuals:\n"
        "    完成造林: 300\n"
        "  reporter: 张三\n")).encode()
    assert run("validate", root=small) == (0, "", "")


def test_append_keeps_every_byte_and_comment(small):
    old = "# 手写的注释\n- date: 2023-03-01   # 行尾注释\n  task: 1\n  status: 推进中\n  progress: '造林: 第一批'\n"
    write(small / J, old)
    result = update(small, 1, "--date", "2023-04-01", "--note", "no", "--metric", "1=600.5", "--status", "受阻")
    assert result.code == 0, result.err
    assert (small / J).read_text(encoding="utf-8") == old + (
        "- date: 2023-04-01\n  task: 1\n  status: 受阻\n  progress: 'no'\n  actuals:\n    完成造林: 600.5\n")


def test_file_without_final_newline_and_crlf(small):
    write(small / J, "- date: 2023-03-01\n  task: 1\n  status: 推进中\n  progress: 造林")
    assert update(small, 1, "--date", "2023-03-02", "--note", "补植").code == 0
    assert (small / J).read_text(encoding="utf-8").endswith("progress: 造林\n- date: 2023-03-02\n  task: 1\n"
                                                           "  progress: 补植\n")
    crlf = b"- date: 2023-03-01\r\n  task: 1\r\n  status: \xe6\x8e\xa8\xe8\xbf\x9b\xe4\xb8\xad\r\n  progress: x\r\n"
    (small / J).write_bytes(crlf)
    assert update(small, 1, "--date", "2023-03-02", "--note", "补植").code == 0
    assert (small / J).read_bytes() == crlf + "- date: 2023-03-02\r\n  task: 1\r\n  progress: 补植\r\n".encode()


def test_multiline_and_markup_notes_round_trip(small):
    note = "一、完成造林\n二、[red]补植[/red]: 50 亩"
    assert update(small, 1, "--date", "2023-03-02", "--note", note).code == 0
    assert run("validate", root=small) == (0, "", "")
    assert "[red]补植[/red]: 50 亩" in run("show", 1, "--as-of", "2023-03-31", root=small).out


def test_done_at_100_percent(small):
    assert update(small, 1, "--date", "2023-10-01", "-p", 100, "-n", "全部完成").out.splitlines() == [
        "已追加到 data/progress/县林业局.yaml 第 2 行：第 1 项 造林 — 已完成 100%",
        "截至 2023-10-01，第 1 项：绿（已完成，进度 100%，序时进度 75.1%）"]


def unchanged(small, *args, code=1):
    write(small / J, "# 已有内容\n")
    before = (small / J).read_bytes()
    result = update(small, *args)
    assert result.code == code
    assert (small / J).read_bytes() == before
    return result.err


def test_invalid_entries_are_never_written(small):
    assert unchanged(small, 1, "--date", "2023-03-01", "-p", 150, "-n", "x") == (
        "没有写入，日志保持原样：\n--percent：进度应在 0 到 100 之间，实际是 150\n")
    assert unchanged(small, 1, "--date", "2023-03-01", "--status", "完成", "-n", "x") == (
        "没有写入，日志保持原样：\n--status：“完成”不是可用的状态；是不是“已完成”？可用：未启动、推进中、已完成、受阻\n")
    assert unchanged(small, 1, "--date", "2023-03-01", "--status", "已完成", "-p", 90, "-n", "x") == (
        "没有写入，日志保持原样：\n--percent：状态为“已完成”但进度是 90%；已完成的进度应为 100，否则请把状态改为“推进中”\n")
    assert unchanged(small, 1, "--date", "2023-03-01", "-n", "x", "--metric", "造林面积=3") == (
        "没有写入，日志保持原样：\n--metric：第 1 项任务没有名为“造林面积”的指标；可用的指标：完成造林\n")
    assert unchanged(small, 1, "--date", "2023-03-01", "-n", "x", "--metric", "完成造林", code=2) == (
        "--metric 的值“完成造林”应写成 名称=数值，例如 --metric 完成造林=3\n")
    assert unchanged(small, 1, "--date", "2024-01-05", "-n", "x") == (
        "没有写入，日志保持原样：\n--date：日期 2024-01-05 不在计划期（2023-01-01 至 2023-12-31）内；请填写计划期内的日期\n")
    assert unchanged(small, 3, "--unit", "林业局", "--date", "2023-03-01", "-n", "x") == (
        "没有写入，日志保持原样：\n任务序号：县林业局不是第 3 项任务的牵头或参与单位（牵头单位：县水利局）；本单位能报送的任务：1、2、4\n")
    assert unchanged(small, 1, "--date", "2023-03-01", "-n", " ") == "没有写入，日志保持原样：\n--note：不能为空\n"
    assert unchanged(small, 9, "-n", "x", code=2) == "没有第 9 项任务；任务序号为 1–5\n"
    assert unchanged(small, 1, "--date", "2023-3-1", "-n", "x", code=2) == (
        "--date 的值“2023-3-1”不是有效日期；应为 YYYY-MM-DD，例如 2023-06-30\n")


def test_a_missed_months_report_is_appended_and_counted_in_its_place(small):
    assert update(small, 1, "--date", "2023-05-01", "-p", 40, "-n", "5月").code == 0
    result = update(small, 1, "--date", "2023-04-01", "-p", 30, "--problem", "苗木不足", "-n", "补报4月")
    assert result.out.splitlines() == ["已追加到 data/progress/县林业局.yaml 第 6 行：第 1 项 造林 — 30%",
                                       "截至 2023-04-01，第 1 项：绿（推进中，进度 30%，序时进度 24.9%）",
                                       "新问题 P1-0401：苗木不足（待协调）"]
    assert (small / J).read_text(encoding="utf-8").endswith("- date: 2023-04-01\n  task: 1\n  percent: 30\n"
                                                           "  progress: 补报4月\n  problems: 苗木不足\n")
    assert run("validate", root=small) == (0, "", "")
    card = json.loads(run("show", 1, "--as-of", "2023-05-31", "-f", "json", root=small).out)
    # the later-dated entry stays the latest: its percent wins; the problem it did not restate carries forward
    assert (card["state"]["percent"], card["state"]["problems"]) == (40, "苗木不足")
    assert [e["date"] for e in card["entries"]] == ["2023-04-01", "2023-05-01"]


def test_broken_journal_refuses_the_append(small):
    write(small / J, "- date: 2023-03-01\n  task: [1\n")
    before = (small / J).read_bytes()
    result = update(small, 1, "--date", "2023-04-01", "-n", "y")
    assert result.code == 1
    assert result.err.startswith("没有写入，日志保持原样：\ndata/progress/县林业局.yaml 目前无法正确解析，")
    assert (small / J).read_bytes() == before


def test_which_unit_reports(small):
    # the only lead by default; LEDGER_UNIT or --unit otherwise
    assert update(small, 2, "--date", "2023-03-01", "-n", "x").out.startswith("已追加到 data/progress/县交通运输局.yaml")
    assert update(small, 2, "--date", "2023-03-01", "-n", "x", env={"LEDGER_UNIT": "林业局"}).out.startswith(
        "已追加到 data/progress/县林业局.yaml")
    assert update(small, 4, "--date", "2023-03-01", "-n", "x") == (
        2, "", "第 4 项任务有多个责任单位（县水利局、县林业局）；请用 --unit 或环境变量 LEDGER_UNIT 指明报送单位\n")
    assert update(small, 5, "--date", "2023-03-01", "-n", "x") == (
        2, "", "第 5 项任务没有点名单位，也没有指定办公室；请在 data/config.yaml 里用 office 指定办公室"
               "（没有点名单位的任务由它报送），或用 --unit 指明报送单位\n")
    assert update(small, 4, "-u", "水利局", "--date", "2023-03-01", "-n", "x").code == 0
    assert not (small / "data/progress/县水利局.yaml").read_text(encoding="utf-8").count("reporter")
    update(small, 4, "-u", "水利局", "--date", "2023-03-02", "-n", "x", env={"LEDGER_REPORTER": "李四"})
    assert (small / "data/progress/县水利局.yaml").read_text(encoding="utf-8").endswith("  reporter: 李四\n")


def test_missing_note_is_a_usage_error(small):
    result = update(small, 1)
    assert result.code == 2
    assert result.err == ("用法错误：缺少选项 --note（进展：做了什么）；在终端里不写 --note 时逐项询问\n"
                          "运行 ledger update --help 查看用法。\n")


def test_twenty_concurrent_updates_all_land(small):
    def one(day):
        return run_process("update", 1, "--date", f"2023-03-{day:02d}", "-n", f"第{day}次", "-u", "林业局",
                           root=small)

    # same date for all, so the order they land in never breaks date order
    def same(number):
        return run_process("update", 1, "--date", "2023-03-01", "-n", f"第{number}次", root=small)

    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(same, range(20)))
    assert [r.code for r in results] == [0] * 20, [r.err for r in results if r.code]
    text = (small / J).read_text(encoding="utf-8")
    assert sorted(text.count(f"progress: 第{n}次\n") for n in range(20)) == [1] * 20
    assert text.count("- date:") == 20 and text.startswith(HEADER) and text.count(HEADER) == 1
    assert run("validate", root=small) == (0, "", "")
    assert one(2).code == 0


def git(root, *args):
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout


def test_an_update_reviews_as_a_pure_addition_in_git(small):
    git(small, "init", "-q")
    git(small, "-c", "user.name=t", "-c", "user.email=t@x", "add", ".")
    nobody = {"GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1"}  # no user.name: no reporter
    update(small, 1, "--date", "2023-03-01", "-n", "第一次", env=nobody)
    git(small, "add", ".")
    git(small, "-c", "user.name=t", "-c", "user.email=t@x", "commit", "-qm", "first")
    assert update(small, 1, "--date", "2023-04-01", "-p", 30, "-n", "第二次", env=nobody).code == 0
    assert git(small, "-c", "core.quotepath=off", "diff", "--numstat") == f"4\t0\t{J}\n"
    diff = git(small, "diff", "-U0", "--", J)
    added = [line for line in diff.splitlines() if line.startswith("+") and not line.startswith("+++")]
    assert added == ["+- date: 2023-04-01", "+  task: 1", "+  percent: 30", "+  progress: 第二次"]


def test_a_correction_is_a_new_entry(small):
    update(small, 1, "--date", "2023-03-01", "-p", 30, "-n", "造林 300 亩")
    assert update(small, 1, "--date", "2023-03-02", "-p", 20, "-n", "更正：实为 200 亩", "--corrects", "2023-03-01").code == 0
    assert (small / J).read_text(encoding="utf-8").endswith(
        "- date: 2023-03-02\n  task: 1\n  corrects: 2023-03-01\n  percent: 20\n  progress: 更正：实为 200 亩\n")
    assert update(small, 1, "--date", "2023-03-03", "-n", "x", "--corrects", "2023-02-01").err == (
        "没有写入，日志保持原样：\n--corrects：本日志在 2023-02-01 没有第 1 项任务的条目；corrects 应为被更正的那一条的日期\n")
