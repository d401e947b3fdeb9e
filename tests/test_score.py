"""考核 (the README's “考核怎样计算”): a small ledger of three units over two quarters, every score computed by hand
in the comments and asserted exactly; the explanation line by line; the xlsx; the config's weights."""

import json

import openpyxl
import pytest

from conftest import REPO, run, write

# Quarterly cycles, reports due by the 25th of each quarter's last month. Plan period 2023 (365 days):
# 序时进度 on 06-30 is 181/365 = 49.6%, on 09-30 273/365 = 74.8%. Yellow beyond 10 points, red beyond 30.
CONFIG = "cycle: quarterly\nreport_day: 25\n"
JOURNALS = {
    # 县林业局 leads 1 and, with 县水利局, 4
    "县林业局": """\
- date: 2023-05-10
  task: 1
  percent: 45
  progress: 造林600亩
  problems: 苗木不足
  actuals:
    完成造林: 600
- date: 2023-06-20
  task: 4
  percent: 40
  progress: 共同推进
  problems: 资金未到位
- date: 2023-08-10
  task: 1
  percent: 60
  progress: 造林900亩
  actuals:
    完成造林: 900
  clear:
  - problems
- date: 2023-09-28
  task: 4
  percent: 70
  progress: 9月底报送
""",
    # 县交通运输局 leads 2
    "县交通运输局": """\
- date: 2023-03-10
  task: 2
  percent: 10
  progress: 开工
  problems: 占地未批
- date: 2023-03-20
  task: 2
  progress: 占地获批
  resolves:
  - P2-0310
- date: 2023-06-25
  task: 2
  percent: 50
  progress: 路基完成
- date: 2023-09-20
  task: 2
  status: 已完成
  percent: 100
  progress: 通车
""",
    # 县水利局 leads 3 (due 06-30) and, with 县林业局, 4; its 07-05 entry is written below the 09-27 one: a backfill
    "县水利局": """\
- date: 2023-04-15
  task: 3
  percent: 10
  progress: 设计
  problems: 设计未批
- date: 2023-05-20
  task: 3
  percent: 15
  progress: 设计获批
  resolves:
  - P3-0415
- date: 2023-09-27
  task: 4
  percent: 60
  progress: 9月底报送
- date: 2023-07-05
  task: 3
  status: 已完成
  percent: 100
  progress: 补报：7月初完工
""",
}
ACTIONS = """\
- date: 2023-04-20
  problem: P3-0415
  action: assign
  unit: 县交通运输局
  due: 2023-05-31
  note: 请交通局协调设计审批
- date: 2023-06-25
  problem: P4-0620
  action: assign
  unit: 县水利局
  due: 2023-07-31
  note: 请水利局争取资金
"""


@pytest.fixture
def quarters(small):
    write(small / "data" / "config.yaml", CONFIG)
    for unit, text in JOURNALS.items():
        write(small / "data" / "progress" / f"{unit}.yaml", text)
    write(small / "data" / "problems.yaml", ACTIONS)
    return small


def score(root, *args):
    result = run("score", "--from", "2023-04-01", "--to", "2023-09-30", *args, root=root)
    assert result.code == 0, result.err
    return result.out


def test_three_units_over_two_quarters_scored_by_hand(quarters):
    assert run("validate", root=quarters) == (0, "", "")
    found = json.loads(score(quarters, "-f", "json"))
    assert [c["label"] for c in found["cycles"]] == ["2023年第2季度", "2023年第3季度"]
    units = {u["unit"]: u for u in found["units"]}
    # 县交通运输局 (task 2): reported 06-25 (on the report day) and 09-20: 2/2; green on 06-30 (50% against 49.6%)
    # and 09-30 (done): 2/2; no task due in the window, no target; P3-0415, assigned to it, solved 05-20 in 35 days:
    # 1/1 (P2-0310, solved 03-20, was solved before the window). 100 × (20 + 30 + 15) ÷ (20 + 30 + 15) = 100.
    # 县林业局 (tasks 1 and 4): task 4's Q3 reports came 09-27 and 09-28, after the 25th: 3/4, one late report;
    # task 1 yellow on 09-30 (60% against 74.8%): 3/4; its target 900/1300 = 69.2% behind 74.8%: 0/1; P1-0510,
    # raised by it and never assigned, cleared 08-10 after 92 days: 1/1. 100 × (20×3/4 + 30×3/4 + 15×0/1 + 15×1/1)
    # ÷ (20 + 30 + 15 + 15) = 65.625 → 65.63; less 0.5 × 1 late = 65.125 → 65.13 (rounded half up, as by hand).
    # 县水利局 (tasks 3 and 4): task 3's Q3 report (07-05) is written below the 09-27 entry, so after the 25th, and
    # task 4's was late: 2/4, two late; task 3 red on 06-30 (15% against 49.6%): 3/4, one red; task 3, due 06-30,
    # not done by then: 0/1; P4-0620, assigned to it, open and past its due date on 09-30: 0/1, one overdue.
    # 100 × (20×2/4 + 30×3/4 + 20×0/1 + 15×0/1) ÷ (20 + 30 + 20 + 15) = 38.235… → 38.24;
    # less 1×1 red + 0.5×2 late + 2×1 overdue = 4: 34.235… → 34.24.
    assert {name: (u["counts"], u["mean_days"], u["deductions"], u["base"], u["deducted"], u["total"], u["rank"])
            for name, u in units.items()} == {
        "县交通运输局": ({"reporting": [2, 2], "pace": [2, 2], "completion": [0, 0], "targets": [0, 0], "problems": [1, 1]},
                   35.0, {"red": 0, "late": 0, "overdue": 0}, 100.0, 0.0, 100.0, 1),
        "县林业局": ({"reporting": [3, 4], "pace": [3, 4], "completion": [0, 0], "targets": [0, 1], "problems": [1, 1]},
                 92.0, {"red": 0, "late": 1, "overdue": 0}, 65.63, 0.5, 65.13, 2),
        "县水利局": ({"reporting": [2, 4], "pace": [3, 4], "completion": [0, 1], "targets": [0, 0], "problems": [0, 1]},
                 None, {"red": 1, "late": 2, "overdue": 1}, 38.24, 4.0, 34.24, 3)}
    assert [u["unit"] for u in found["units"]] == ["县交通运输局", "县林业局", "县水利局"]
    assert found["weights"] == {"reporting": 20, "pace": 30, "completion": 20, "targets": 15, "problems": 15}
    assert score(quarters, "-f", "plain").splitlines() == [
        "考核期 2023-04-01 至 2023-09-30 · 2 个报送周期（2023年第2季度、2023年第3季度）",
        "名次    单位          报送及时率    序时达标率    完成率     指标达成率    问题解决率    平均解决天数    加权得分    扣分    总分",
        "1       县交通运输局  2/2（100%）   2/2（100%）   —          —             1/1（100%）   35              100         0       100",
        "2       县林业局      3/4（75%）    3/4（75%）    —          0/1（0%）     1/1（100%）   92              65.63       0.5     65.13",
        "3       县水利局      2/4（50%）    3/4（75%）    0/1（0%）  —             0/1（0%）     —               38.24       4       34.24",
        "权重：报送及时率 20、序时达标率 30、完成率 20、指标达成率 15、问题解决率 15；扣分：红灯（每项任务、每个周期末） 1、"
        "未按时报送（每项任务、每个周期） 0.5、问题逾期未解决（考核期末） 2。没有可计的项目（应计为 0）不参加加权，权重按其余各项计。"
        "计算方法见 README“考核怎样计算”；ledger score --unit 单位 逐条说明。"]


def test_a_units_score_explained_line_by_line(quarters):
    out = score(quarters, "--unit", "水利局", "-f", "plain")
    assert out.splitlines() == [
        "县水利局 · 考核期 2023-04-01 至 2023-09-30 · 2 个报送周期（2023年第2季度、2023年第3季度） · 第 3 名（共 3 个单位排名）",
        "项目        达标/应计    得分率    权重",
        "报送及时率  2/4          50%       20",
        "序时达标率  3/4          75%       30",
        "完成率      0/1          0%        20",
        "指标达成率  0/0          不计      15",
        "问题解决率  0/1          0%        15",
        "扣分：红灯（每项任务、每个周期末） 1 次 × 1",
        "扣分：未按时报送（每项任务、每个周期） 2 次 × 0.5",
        "扣分：问题逾期未解决（考核期末） 1 次 × 2",
        "总分 = 100 × (20×2/4 + 30×3/4 + 20×0/1 + 15×0/1) ÷ (20 + 30 + 20 + 15) − (1×1 + 0.5×2 + 2×1) = 38.24 − 4 = 34.24",
        "",
        "明细（10 条）",
        "项目        周期/日期      任务    问题     结果    扣分项                            说明",
        "报送及时率  2023年第2季度  3       —        达标    —                                 按时报送（2023-04-15，报送日 2023-06-25）",
        "序时达标率  2023年第2季度  3       —        未达标  红灯（每项任务、每个周期末）      2023-06-30：红（进度 15%，序时进度 49.6%）",
        "报送及时率  2023年第3季度  3       —        未达标  未按时报送（每项任务、每个周期）  "
        "2023-07-05 的进展是补报的（日志里排在 2023-09-27 的条目之后），晚于报送日 2023-09-25",
        "序时达标率  2023年第3季度  3       —        达标    —                                 2023-09-30：绿（进度 100%，序时进度 74.8%）",
        "完成率      2023-06-30     3       —        未达标  —                                 完成时限 2023-06-30：未完成（推进中，进度 15%）",
        "报送及时率  2023年第2季度  4       —        达标    —                                 按时报送（2023-06-20，报送日 2023-06-25）",
        "序时达标率  2023年第2季度  4       —        达标    —                                 2023-06-30：绿（进度 40%，序时进度 49.6%）",
        "报送及时率  2023年第3季度  4       —        未达标  未按时报送（每项任务、每个周期）  2023-09-27 才报送，晚于报送日 2023-09-25",
        "序时达标率  2023年第3季度  4       —        达标    —                                 2023-09-30：绿（进度 70%，序时进度 74.8%）",
        "问题解决率  2023-06-20     4       P4-0620  未达标  问题逾期未解决（考核期末）        "
        "资金未到位：到 2023-09-30 仍协调中，已过办结时限 2023-07-31"]
    # the same explanation is the unit's record in json, items and all
    found = json.loads(score(quarters, "--unit", "县林业局", "-f", "json"))
    assert (found["unit"], found["total"], len(found["items"])) == ("县林业局", 65.13, 10)
    assert [i["said"] for i in found["items"] if i["measure"] in ("targets", "problems")] == [
        "完成造林（目标 ≥1300亩）：完成 900亩（69.2%），落后序时进度 5.6 个百分点",
        "苗木不足：2023-05-10 提出，2023-08-10 已解决，用了 92 天"]


def test_the_assessment_as_a_workbook(quarters):
    out = quarters / "考核.xlsx"
    assert run("score", "--from", "2023-04-01", "--to", "2023-09-30", "-o", out, root=quarters) == (
        0, f"已写入 {out}：3 个单位的考核（2023-04-01 至 2023-09-30）\n", "")
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["考核得分", "考核明细", "权重与扣分"]
    rows = [[cell.value for cell in row] for row in book["考核得分"].iter_rows(min_row=2)]
    assert rows[0][:4] == ["名次", "单位", "报送及时率（达标/应计）", "报送及时率"]
    assert [row[:4] + row[-4:] for row in rows[1:]] == [
        [1, "县交通运输局", "2/2", 1.0, 35, 100, 0, 100], [2, "县林业局", "3/4", 0.75, 92, 65.63, 0.5, 65.13],
        [3, "县水利局", "2/4", 0.5, None, 38.24, 4, 34.24]]
    details = [[cell.value for cell in row] for row in book["考核明细"].iter_rows(min_row=3)]
    # 县交通运输局 2 reporting + 2 pace + 1 problem; 县林业局 4 + 4 + 1 target + 1 problem; 县水利局 as explained above
    assert len(details) == 5 + 10 + 10
    assert details[0] == ["县交通运输局", "报送及时率", "2023年第2季度", 2, None, "达标", None,
                          "按时报送（2023-06-25，报送日 2023-06-25）"]
    weights = [[cell.value for cell in row] for row in book["权重与扣分"].iter_rows(min_row=3)]
    assert weights[0] == ["权重", "报送及时率", 20] and weights[-1] == ["每次扣分", "问题逾期未解决（考核期末）", 2]
    csv = quarters / "考核.csv"
    run("score", "--from", "2023-04-01", "--to", "2023-09-30", "-o", csv, root=quarters)
    assert csv.read_bytes().startswith("\ufeff名次,单位,报送及时率（达标/应计）,报送及时率,".encode())
    # --format csv on the terminal: one document, under the keys
    assert score(quarters, "-f", "csv").splitlines()[:2] == [
        "rank,unit,mean_days,base,deducted,total,reporting_counts,reporting_rate,pace_counts,pace_rate,completion_counts,"
        "completion_rate,targets_counts,targets_rate,problems_counts,problems_rate",
        "1,县交通运输局,35.0,100.0,0.0,100.0,2/2,100.0,2/2,100.0,,,,,1/1,100.0"]
    assert score(quarters, "-f", "csv", "--unit", "水利局").splitlines()[:2] == [
        "measure,when,task,problem,met,said,deduction", "reporting,2023年第2季度,3,,true,按时报送（2023-04-15，报送日 2023-06-25）,"]


def test_weights_and_deductions_come_from_the_config(quarters):
    write(quarters / "data" / "config.yaml", CONFIG + "weight_targets: 0\nweight_problems: 0\ndeduct_late: 0\n"
                                                     "deduct_red: 200\nweight_pace: nine\n")
    result = run("validate", root=quarters)
    assert result.out.splitlines() == [
        "data/config.yaml:6: deduct_red 的值“200”不合要求：应为介于 0 到 100 之间的数（每次扣几分）；这一项按默认值 1 计",
        "data/config.yaml:7: weight_pace 的值“nine”不合要求：应为介于 0 到 100 之间的数（这一项在总分里的权重）；"
        "这一项按默认值 30 计"]
    found = {u["unit"]: u for u in json.loads(score(quarters, "-f", "json"))["units"]}
    # 县水利局 without targets and problems weighed: 100 × (20×2/4 + 30×3/4 + 20×0/1) ÷ 70 = 46.428… → 46.43;
    # less 1×1 red + 0×2 late + 2×1 overdue = 3 → 43.43
    assert (found["县水利局"]["base"], found["县水利局"]["deducted"], found["县水利局"]["total"]) == (46.43, 3.0, 43.43)
    write(quarters / "data" / "config.yaml", "weight_reporting: 0\nweight_pace: 0\nweight_completion: 0\n"
                                             "weight_targets: 0\nweight_problems: 0\n")
    assert run("validate", root=quarters).out == (
        "data/config.yaml:1: 考核的五项权重都是 0，总分无从计算；五项都按默认值计\n")


def test_usage_errors(quarters):
    assert run("score", "--from", "2023-10-01", "--to", "2023-09-30", root=quarters) == (
        2, "", "--from（2023-10-01）晚于 --to（2023-09-30）；考核期应从 --from 到 --to\n")
    assert run("score", "--unit", "农业局", root=quarters).code == 2
    assert run("score", "-o", quarters / "考核.pdf", root=quarters) == (
        2, "", f"无法按扩展名判断“{quarters / '考核.pdf'}”的格式；可用：xlsx、csv、json\n")


def test_the_demo_assessment():
    out = run("score", "--from", "2023-07-01", "--to", "2023-09-30", "-f", "json", root=REPO / "examples" / "demo").out
    units = json.loads(out)["units"]
    # 县林业局 (task 31): no report in July (its 06-15 entry is a backfill written after 08-18), 08-18 and 09-18 on
    # time: 2/3; green at each month's end: 3/3; both targets on pace on 09-30 (1300/1300, 7.7/9 = 85.6% ≥ 74.8%):
    # 2/2. 100 × (20×2/3 + 30×3/3 + 15×2/2) ÷ 65 = 89.74; less 0.5 for July: 89.24
    assert [(u["unit"], u["total"], u["rank"]) for u in units[:3]] == [
        ("县林业局", 89.24, 1), ("县水利局", 15.13, 2), ("县教育和体育局", 12.98, 3)]
    natural = next(u for u in units if u["unit"] == "县自然资源和规划局")
    assert (natural["counts"]["problems"], natural["mean_days"]) == ([1, 2], 25.0)  # P25-0821 solved, P26-0922 open


def test_the_readme_shows_real_output_of_problems_problem_and_score():
    import re
    import shlex

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    checked = 0
    for block in re.findall(r"```console\n(.*?)```", readme, re.S):
        for part in re.split(r"^\$ ", block, flags=re.M)[1:]:
            command, _, shown = part.partition("\n")
            args = shlex.split(command)
            if args[1:3] != ["--root", "examples/demo"] or args[3] not in ("problems", "problem", "score") or "-o" in args:
                continue
            out = run(*args[3:], root=REPO / "examples" / "demo").out.splitlines()
            assert [line for line in shown.splitlines() if line and line != "……" and line not in out] == [], command
            checked += 1
    assert checked == 4
