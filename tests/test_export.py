"""`ledger export`: the ledger as xlsx, csv and json, read back and checked cell by cell."""

import csv
import datetime as dt
import io
import json
from collections import Counter

import openpyxl

from conftest import REPO, run, write
from ledger.output.export import inert

AS_OF = "2023-08-07"  # 序时进度 exactly 60%
HEADERS = ["序号", "工作任务", "具体目标", "牵头单位", "参与单位", "完成时限", "进展情况", "存在问题", "下步计划",
           "完成状态", "进度", "序时进度", "预警", "最近报送"]
UNIT_HEADERS = ["单位", "牵头任务", "参与任务", "已完成", "正常推进", "落后", "逾期", "进度未填", "未报送", "完成率",
                "本周期未报送任务", "最近报送"]
END = dt.datetime(2023, 12, 31)
TASK_ROWS = [
    [1, "造林", "全县完成造林1300亩。", "县林业局", None, END, "完成造林600亩", "苗木不足", "8月补植", "推进中", 0.495, 0.6,
     "黄", dt.datetime(2023, 7, 3)],
    [2, "修路", None, "县交通运输局", "县林业局", END, "路面完成七成", None, None, "推进中", 0.7, 0.6, "绿",
     dt.datetime(2023, 8, 1)],
    [3, "上半年完成的任务", "6月底前完成。", "县水利局", None, dt.datetime(2023, 6, 30), "主体完工", None, None, "推进中",
     0.95, 0.6, "红", dt.datetime(2023, 6, 20)],
    [4, "共同牵头", None, "县水利局、县林业局", None, END, "共同推进", "资金未到位", None, "受阻", 0.55, 0.6, "黄",
     dt.datetime(2023, 7, 1)],
    [5, "统筹", None, None, None, END, None, None, None, None, None, 0.6, "未报送", None],
    [6, "建桥", "建成大桥2座。", "县交通运输局", None, END, "大桥通车", None, None, "已完成", 1, 0.6, "绿",
     dt.datetime(2023, 7, 20)],
]
UNIT_ROWS = [
    ["县林业局", 2, 1, 0, 0, 2, 0, 0, 0, 0, None, dt.datetime(2023, 7, 3)],
    ["县交通运输局", 2, 0, 1, 1, 0, 0, 0, 0, 0.5, None, dt.datetime(2023, 8, 1)],
    ["县水利局", 2, 0, 0, 0, 1, 1, 0, 0, 0, "3", dt.datetime(2023, 7, 1)],
]
FILLS = {"红": "00FFC7CE", "黄": "00FFEB9C", "绿": "00C6EFCE", "进度未填": "00DDEBF7", "未报送": "00EDEDED"}


def export(root, out, *args):
    result = run("export", "-o", out, "--as-of", AS_OF, *args, root=root)
    assert result.code == 0, result.err
    return result.out


def values(sheet):
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_xlsx(paces):
    out = paces / "台账.xlsx"
    assert export(paces, out) == f"已写入 {out}：6 项任务，3 个单位（截至 2023-08-07）\n"
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["全部任务", "按单位汇总", "数值指标", "问题"]
    tasks, units = book["全部任务"], book["按单位汇总"]
    rows = values(tasks)
    assert rows[0][0] == "测试计划工作台账（截至 2023-08-07，序时进度 60%）"
    assert [cells.coord for cells in tasks.merged_cells.ranges] == ["A1:N1"]
    assert rows[1] == HEADERS
    assert rows[2:] == TASK_ROWS
    assert [tasks[f"M{row}"].fill.fgColor.rgb for row in range(3, 9)] == [FILLS[r[12]] for r in TASK_ROWS]
    assert tasks["M5"].font.color.rgb == "009C0006" and tasks["M5"].fill.fill_type == "solid"
    assert tasks["L3"].fill.fill_type is None  # only the light is filled
    assert (tasks.freeze_panes, tasks.auto_filter.ref, tasks.print_title_rows) == ("A3", "A2:N8", "$1:$2")
    assert (tasks["F3"].is_date, tasks["F3"].number_format) == (True, "yyyy-mm-dd")
    assert (tasks["K3"].number_format, tasks["L3"].number_format, tasks["N3"].number_format) == (
        "0.0%", "0.0%", "yyyy-mm-dd")
    assert all(cell.alignment.wrap_text for row in tasks.iter_rows(min_row=2) for cell in row)
    assert [tasks.column_dimensions[letter].width for letter in "ABCGM"] == [6, 22, 48, 36, 8]
    assert tasks.page_setup.orientation == "landscape" and tasks.page_setup.fitToWidth == 1
    summary = values(units)
    assert summary[0][0] == "测试计划工作台账（截至 2023-08-07，序时进度 60%） · 按单位汇总"
    assert summary[1] == UNIT_HEADERS
    assert summary[2:] == UNIT_ROWS
    assert (units.freeze_panes, units.auto_filter.ref, units["J4"].number_format) == ("A3", "A2:L5", "0.0%")
    targets = book["数值指标"]
    assert values(targets)[1:] == [
        ["序号", "工作任务", "指标", "目标", "最新完成值", "单位", "完成比例", "报送日期", "报送单位"],
        [1, "造林", "完成造林", "≥1300亩", 600, "亩", 0.462, dt.datetime(2023, 7, 3), "县林业局"],
        [1, "造林", "完成森林抚育", "≥10万亩", 7, "万亩", 0.7, dt.datetime(2023, 7, 3), "县林业局"],
        [2, "修路", "路网密度增长", "增长≥8%", 6, "%", 0.75, dt.datetime(2023, 8, 1), "县交通运输局"],
        [2, "修路", "新增占地", "≤100亩", 65, "亩", 0.65, dt.datetime(2023, 8, 1), "县交通运输局"],
        [6, "建桥", "建成大桥", "≥2座", None, "座", None, None, None]]
    assert (targets["G3"].number_format, targets["H3"].number_format, targets.freeze_panes) == (
        "0.0%", "yyyy-mm-dd", "A3")


def test_csv_and_json_have_the_same_content(paces):
    data = export(paces, paces / "台账.csv") and (paces / "台账.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf\xe5\xba\x8f\xe5\x8f\xb7,")  # BOM, then 序号
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == HEADERS
    assert rows[1] == ["1", "造林", "全县完成造林1300亩。", "县林业局", "", "2023-12-31", "完成造林600亩", "苗木不足",
                       "8月补植", "推进中", "49.5", "60.0", "黄", "2023-07-03"]
    assert rows[5] == ["5", "统筹", "", "", "", "2023-12-31", "", "", "", "", "", "60.0", "未报送", ""]
    assert len(rows) == 7
    export(paces, paces / "台账.json")
    content = json.loads((paces / "台账.json").read_text(encoding="utf-8"))
    assert {key: content[key] for key in ("title", "as_of", "elapsed", "unit")} == {
        "title": "测试计划工作台账（截至 2023-08-07，序时进度 60%）", "as_of": "2023-08-07", "elapsed": 60.0, "unit": None}
    assert content["tasks"][3] == {
        "id": 4, "title": "共同牵头", "goal": None, "lead_units": ["县水利局", "县林业局"], "support_units": [],
        "due": "2023-12-31", "progress": "共同推进", "problems": "资金未到位", "next": None, "status": "受阻",
        "percent": 55, "elapsed": 60.0, "light": "黄", "last_report": "2023-07-01"}
    assert content["units"][2] == {
        "unit": "县水利局", "led": 2, "supported": 0, "done": 0, "on_pace": 0, "behind": 1, "overdue": 1,
        "no_percent": 0, "unreported": 0, "completion": 0.0, "stale_tasks": [3], "last_report": "2023-07-01"}

    def flat(value):
        return "、".join(map(str, value)) if isinstance(value, list) else "" if value is None else str(value)
    assert rows[1:] == [[flat(value) for value in task.values()] for task in content["tasks"]]


def test_one_unit(paces):
    out = paces / "交通.json"
    assert export(paces, out, "--unit", "交通局") == f"已写入 {out}：2 项任务，1 个单位（截至 2023-08-07）\n"
    content = json.loads(out.read_text(encoding="utf-8"))
    assert content["title"].startswith("县交通运输局 · 测试计划工作台账")
    assert [task["id"] for task in content["tasks"]] == [2, 6]
    assert [unit["unit"] for unit in content["units"]] == ["县交通运输局"]
    assert [task["id"] for task in json.loads(
        (export(paces, out, "--unit", "林业局") and out).read_text(encoding="utf-8"))["tasks"]] == [1, 2, 4]


def test_formats_paths_and_atomic_replacement(paces):
    out = write(paces / "台账.xlsx", "旧文件")
    result = run("export", "-o", out, "--unit", "县林草局", root=paces)
    assert result.code == 2 and out.read_text(encoding="utf-8") == "旧文件"  # refused before anything is written
    export(paces, out)
    assert openpyxl.load_workbook(out).sheetnames == ["全部任务", "按单位汇总", "数值指标", "问题"]
    assert sorted(p.name for p in paces.iterdir()) == ["data", "台账.xlsx"]  # no temporary file left
    assert run("export", "-o", paces / "台账.txt", root=paces) == (
        2, "", "未知的导出格式“txt”；请用 --format 指定：xlsx、csv、json\n")
    export(paces, paces / "台账.txt", "--format", "csv")
    assert (paces / "台账.txt").read_bytes().startswith(b"\xef\xbb\xbf")
    assert run("export", root=paces).err.startswith("用法错误：缺少选项 --output")
    assert run("export", "-o", paces / "无此目录" / "a.csv", root=paces) == (
        2, "", f"无法写入“{paces / '无此目录' / 'a.csv'}”：所在目录不存在；请换一个可写的文件路径\n")


def test_demo_export(tmp_path):
    demo = REPO / "examples" / "demo"
    out = tmp_path / "demo.xlsx"
    result = run("export", "-o", out, "--as-of", "2023-08-31", root=demo)
    assert result == (0, f"已写入 {out}：99 项任务，34 个单位（截至 2023-08-31）\n", "")
    book = openpyxl.load_workbook(out)
    tasks = book["全部任务"]
    assert tasks.max_row == 101 and tasks.auto_filter.ref == "A2:N101"
    lights = Counter(tasks[f"M{row}"].value for row in range(3, 102))
    assert lights == {"红": 2, "黄": 2, "绿": 9, "进度未填": 1, "未报送": 85}
    assert Counter(tasks[f"M{row}"].fill.fgColor.rgb for row in range(3, 102)) == {
        FILLS[light]: n for light, n in lights.items()}
    row = next(r for r in values(tasks) if r[0] == 25)
    # the 08-28 note carries the status, problem and next step of the 08-21 entry forward
    assert row[3:] == ["县水利局", "县发展和改革局", END, "召开彭楼灌区用地协调会，自然资源部门承诺9月中旬前报批",
                       "彭楼灌区项目用地手续尚未批复，影响开工", "8月底前提请县政府协调自然资源部门加快办理", "受阻", 0.45,
                       0.666, "黄", dt.datetime(2023, 8, 28)]
    units = values(book["按单位汇总"])
    assert len(units) == 2 + 34
    assert units[2 + [u[0] for u in units[2:]].index("县水利局")][:10] == ["县水利局", 7, 0, 0, 2, 2, 0, 0, 3, 0]


def test_journal_text_never_becomes_a_formula(paces):
    write(paces / "data/progress/县林业局.yaml", "- date: 2023-07-03\n  task: 1\n  percent: 50\n"
          "  progress: '=HYPERLINK(\"http://x.example\",\"点我\")'\n  problems: '+1+1'\n  next: '@SUM(A1)'\n")
    out = paces / "台账.xlsx"
    export(paces, out)
    cells = {cell.value: cell.data_type for row in openpyxl.load_workbook(out)["全部任务"].iter_rows(min_row=3)
             for cell in row if isinstance(cell.value, str) and cell.value[:1] in "=+@"}
    assert cells == {'=HYPERLINK("http://x.example","点我")': "s", "+1+1": "s", "@SUM(A1)": "s"}
    export(paces, paces / "台账.csv")
    rows = list(csv.reader(io.StringIO((paces / "台账.csv").read_text(encoding="utf-8-sig"))))
    assert rows[1][6:9] == ["'=HYPERLINK(\"http://x.example\",\"点我\")", "'+1+1", "'@SUM(A1)"]
    assert [inert(v) for v in ("-2+3", "\t=1", "\r=1", "—", "2023-06-30", -5, "县水利局")] == [
        "'-2+3", "'\t=1", "'\r=1", "—", "2023-06-30", -5, "县水利局"]
