"""`ledger form` and `ledger collect`: the 报送表 a unit fills in, filled here with openpyxl as a clerk would in
Excel (right and wrong values, a changed given cell, a row for another unit's task), collected into the journal:
the exact entries appended, the exact cell-addressed messages, and nothing appended twice."""

import datetime as dt
import os
import shutil

import openpyxl
import pytest

import ledger
from conftest import run, write

AS_OF = "2023-08-07"  # 序时进度 60%
FOREST = "data/progress/县林业局.yaml"
# one more entry for 县林业局 after PACES_JOURNALS': progress alone, so that its task 1 carries status, percent and
# problem forward from 2023-07-03
LATER = "- date: 2023-08-01\n  task: 1\n  progress: 补植苗木到位\n"
HEADERS = ["序号", "任务", "本单位角色", "日期", "状态", "进度(%)", "存在问题", "状态", "进度(%)", "本期进展", "存在问题",
           "下步计划", "第1项 完成造林\n目标 ≥1300亩", "第1项 完成森林抚育\n目标 ≥10万亩", "第2项 路网密度增长\n目标 增长≥8%",
           "第2项 新增占地\n目标 ≤100亩", "报送人", "报送日期"]


@pytest.fixture
def forest(paces):
    """The paces ledger, 县林业局's journal one entry longer, and 县林业局's form as of 2023-08-07 in form.xlsx."""
    with open(paces / FOREST, "a", encoding="utf-8") as journal:
        journal.write(LATER)
    result = run("form", "--unit", "林业局", "--as-of", AS_OF, "-o", paces / "form.xlsx", root=paces)
    assert result == (0, f"已写入 {paces / 'form.xlsx'}：县林业局的报送表，3 项任务（截至 2023-08-07）\n", "")
    return paces


def fill(source, target, cells):
    """Opens the form, types cells (coordinate -> value) into its sheet and saves it as target: a clerk in Excel."""
    book = openpyxl.load_workbook(source)
    sheet = book["报送表"]
    for where, value in cells.items():
        sheet[where] = value
    book.save(target)
    return target


def collect(root, *args):
    return run("collect", *args, root=root)


def journal(root, unit="县林业局"):
    return (root / "data" / "progress" / f"{unit}.yaml").read_bytes()


def test_the_form_lists_the_units_tasks_with_their_carried_forward_state(forest):
    book = openpyxl.load_workbook(forest / "form.xlsx")
    assert book.sheetnames == ["报送表", "ledger"]
    sheet, hidden = book["报送表"], book["ledger"]
    assert sheet["A1"].value == "测试计划工作进展报送表"
    assert sheet["A2"].value == "报送单位：县林业局　　截至 2023-08-07（序时进度 60%）　　依据：测政办字〔2023〕1号"
    assert sheet["A3"].value.startswith("填写说明：只在浅黄色格子里填写")
    assert [cell.value for cell in sheet[4]] == ["任务", None, None, "上次报送（截至 2023-08-07）", None, None, None,
                                                 "本期报送", None, None, None, None, *["指标累计完成值"] * 4, "报送", None]
    assert sorted(map(str, sheet.merged_cells.ranges)) == ["A1:L1", "A2:L2", "A3:L3", "A4:C4", "D4:G4", "H4:L4", "Q4:R4"]
    assert [cell.value for cell in sheet[5]] == HEADERS
    rows = [[cell.value for cell in row][:7] for row in sheet.iter_rows(min_row=6)]
    # task 1: the 2023-08-01 entry gave progress alone; status, percent and problem are carried forward from 07-03.
    # task 2: 县林业局 supports it; the row shows the task's state, from its lead 县交通运输局.
    # task 4: led with 县水利局, whose 07-01 report is the task's latest
    assert rows == [[1, "造林", "牵头", dt.datetime(2023, 8, 1), "推进中", 49.5, "苗木不足"],
                    [2, "修路", "参与", dt.datetime(2023, 8, 1), "推进中", 70, None],
                    [4, "共同牵头", "牵头", dt.datetime(2023, 7, 1), "受阻", 55, "资金未到位"]]
    assert all(sheet.cell(row, n).value is None for row in (6, 7, 8) for n in range(8, 19))  # nothing pre-filled
    # the given cells locked, the cells to fill in unlocked and shaded; a metric only in its own task's row
    opened = {cell.coordinate for row in sheet.iter_rows(min_row=6) for cell in row if not cell.protection.locked}
    assert opened == {f"{col}{row}" for row in (6, 7, 8) for col in "HIJKLQR"} | {"M6", "N6", "O7", "P7"}
    assert {sheet[c].fill.fgColor.rgb for c in opened} == {"00FFF2CC"}
    assert (sheet["A6"].fill.fgColor.rgb, sheet["M7"].fill.fgColor.rgb) == ("00F2F2F2", "00BFBFBF")
    assert sheet.protection.sheet and not sheet.protection.password
    assert (sheet["D6"].number_format, sheet["R6"].number_format, sheet["I6"].number_format) == (
        "yyyy-mm-dd", "yyyy-mm-dd", "0")
    checks = {str(v.sqref): (v.type, v.operator, v.formula1, v.formula2, v.showErrorMessage)
              for v in sheet.data_validations.dataValidation}
    assert checks == {
        "H6:H8": ("list", None, '"未启动,推进中,已完成,受阻"', None, True),
        "I6:I8": ("whole", "between", "0", "100", True),
        "R6:R8": ("date", "between", "44927", "45291", True),  # 2023-01-01 to 2023-12-31 as Excel's day numbers
        **{f"{c}6:{c}8": ("textLength", "lessThanOrEqual", "5000", None, True) for c in "JKLQ"},
        **{cell: ("decimal", "between", "-1E+15", "1E+15", True) for cell in ("M6", "N6", "O7", "P7")}}
    prompts = {str(v.sqref): v.prompt for v in sheet.data_validations.dataValidation if v.type == "decimal"}
    assert prompts["M6"] == "填累计完成值（数字）。目标 ≥1300亩；上次报送 600（2023-07-03 县林业局）"
    assert prompts["O7"] == "填累计完成值（数字）。目标 增长≥8%；上次报送 6（2023-08-01 县交通运输局）"
    # the record collect reads: hidden from Excel's menus, under a digest
    assert hidden.sheet_state == "veryHidden"
    keys = {row[0].value: row[1].value for row in hidden.iter_rows()}
    assert {k: keys[k] for k in ("格式", "计划", "文号", "单位", "截至", "任务")} == {
        "格式": "ledger-form-1", "计划": "测试计划", "文号": "测政办字〔2023〕1号", "单位": "县林业局",
        "截至": "2023-08-07", "任务": "1、2、4"}
    assert len(keys["校验码"]) == 32


def test_collect_appends_one_entry_per_filled_row_stating_only_what_it_gives(forest):
    before = journal(forest)
    filled = fill(forest / "form.xlsx", forest / "回收.xlsx", {
        # task 1: percent and a metric; 存在问题 “无” clears 苗木不足; status left blank carries 推进中 forward
        "I6": 60, "J6": "完成造林800亩", "K6": "无", "M6": 800, "Q6": "王五", "R6": dt.date(2023, 8, 6),
        # task 4: a sentence and a next step, typed as text dates are
        "J8": "协调资金", "L8": "8月底前到位", "R8": "2023/8/6"})
    result = collect(forest, filled)
    assert result == (0, f"{filled}：县林业局的报送表（截至 2023-08-07），填了 2 行\n"
                         f"  已追加到 {FOREST} 第 14 行起 2 条：\n"
                         "    第 1 项 造林 — 60%（2023-08-06）\n"
                         "    第 4 项 共同牵头 — 进展（2023-08-06）\n"
                         "共 1 张报送表：追加 2 条，已收录过 0 条，问题 0 处\n", "")
    assert journal(forest) == before + (
        "- date: 2023-08-06\n  task: 1\n  percent: 60\n  progress: 完成造林800亩\n  actuals:\n    完成造林: 800\n"
        "  clear:\n  - problems\n  reporter: 王五\n"
        "- date: 2023-08-06\n  task: 4\n  progress: 协调资金\n  next: 8月底前到位\n").encode()
    now = {s.id: s for s in ledger.state(ledger.load(forest), dt.date(2023, 8, 7)).tasks}
    assert (now[1].status, now[1].percent, now[1].problems, now[1].next, now[1].light) == ("推进中", 60, None, "8月补植", "绿")
    assert now[1].actuals["完成造林"] == (800, "2023-08-06", "县林业局")
    assert (now[4].status, now[4].progress, now[4].next, now[4].light) == ("受阻", "协调资金", "8月底前到位", "黄")
    assert run("validate", root=forest) == (0, "", "")


def test_collecting_twice_appends_once_even_after_a_resave(forest):
    filled = fill(forest / "form.xlsx", forest / "回收.xlsx", {"J6": "完成造林800亩", "R6": dt.date(2023, 8, 6)})
    assert collect(forest, filled).code == 0
    after = journal(forest)
    again = collect(forest, filled)
    assert again == (0, f"{filled}：县林业局的报送表（截至 2023-08-07），填了 1 行\n"
                        f"  已收录过 1 条，这次没有重复追加：{FOREST} 第 1 项（第 14 行）\n"
                        "共 1 张报送表：追加 0 条，已收录过 1 条，问题 0 处\n", "")
    book = openpyxl.load_workbook(filled)  # opened, a column widened, saved by someone else: the same content
    book["报送表"].column_dimensions["J"].width = 60
    book.properties.lastModifiedBy = "王五"
    book.save(resaved := forest / "另存.xlsx")
    assert resaved.read_bytes() != filled.read_bytes()
    assert collect(forest, resaved).out.endswith("追加 0 条，已收录过 1 条，问题 0 处\n")
    assert journal(forest) == after


def test_wrong_values_are_each_named_by_cell_and_nothing_is_written(forest):
    before, stamp = journal(forest), os.stat(forest / FOREST).st_mtime_ns
    bad = fill(forest / "form.xlsx", forest / "错.xlsx", {
        "H6": "进行中", "J6": "造林", "R6": dt.date(2023, 8, 6),  # not a status
        "I7": 120, "J7": "路基", "R7": dt.date(2023, 8, 6),  # beyond 100
        "J8": "推进", "R8": dt.date(2023, 8, 6), "K8": "   ",  # fine: blank cells count as empty
        "M6": "约800亩",  # text in a metric cell
        "A9": 3, "J9": "水利工程", "R9": dt.date(2023, 8, 6),  # a row for a task of another unit
        "J10": "补充说明"})  # and one for none
    result = collect(forest, bad)
    cell = f"{bad} 报送表!"
    assert result.code == 1 and result.err == ""
    assert result.out == (
        f"{bad}：县林业局的报送表（截至 2023-08-07），填了 3 行\n"
        "  5 处问题，这张表一条也没有写入；改正后重新收录，或加 --partial 只收录没有问题的行：\n"
        f"  {cell}H6: 状态“进行中”无效；应为以下之一：未启动、推进中、已完成、受阻（请从下拉列表选择）\n"
        f"  {cell}M6: 指标“完成造林”的完成值应为数字，实际是“约800亩”；只填数字（累计完成值），不带单位和文字\n"
        f"  {cell}I7: 进度应在 0 到 100 之间，实际是 120\n"
        f"  {cell}A9: 第 3 项任务不在这张报送表里（本表列出第 1、2、4 项）；县林业局不是第 3 项任务的牵头或参与单位"
        "（牵头单位：县水利局）；本单位能报送的任务：1、2、4；这一行没有收录。本单位要报送别的任务，请告知办公室\n"
        f"  {cell}A10: 报送表的任务行之外有内容（J10）；请只在各任务的行里填写\n"
        "共 1 张报送表：追加 0 条，已收录过 0 条，问题 5 处\n")
    assert journal(forest) == before and os.stat(forest / FOREST).st_mtime_ns == stamp
    partial = collect(forest, bad, "--partial")
    assert partial.code == 1
    assert "  5 处问题，这些行没有收录：\n" in partial.out
    assert f"  已追加到 {FOREST} 第 14 行起 1 条：\n    第 4 项 共同牵头 — 进展（2023-08-06）\n" in partial.out
    assert journal(forest) == before + b"- date: 2023-08-06\n  task: 4\n  progress: \xe6\x8e\xa8\xe8\xbf\x9b\n"


def test_a_changed_given_cell_refuses_the_sheet_even_with_partial(forest):
    before = journal(forest)
    bad = fill(forest / "form.xlsx", forest / "改.xlsx", {
        "F6": 80, "B8": "别的任务", "N7": 5, "S6": "备注",  # 上次进度, a title, another task's metric, beyond the form
        "J8": "推进", "R8": dt.date(2023, 8, 6)})
    result = collect(forest, bad, "--partial")
    cell = f"{bad} 报送表!"
    assert result == (1, f"{bad}：县林业局的报送表（截至 2023-08-07），填了 1 行\n"
                         "  4 处问题，这张表没有收录：\n"
                         f"  {cell}F6: 这一格（上次报送·进度(%)）是下发时给定的，不能改动：下发时是“49.5”，现在是“80”；"
                         "请改回原样，或请办公室重新下发报送表\n"
                         f"  {cell}N7: 这一格（第1项 完成森林抚育）是下发时给定的，不能改动：下发时是空的，现在是“5”；"
                         "请改回原样，或请办公室重新下发报送表\n"
                         f"  {cell}B8: 这一格（任务）是下发时给定的，不能改动：下发时是“共同牵头”，现在是“别的任务”；"
                         "请改回原样，或请办公室重新下发报送表\n"
                         f"  {cell}S6: 报送表之外的格子里有内容“备注”；请只在浅黄色格子里填写\n"
                         "共 1 张报送表：追加 0 条，已收录过 0 条，问题 4 处\n", "")
    assert journal(forest) == before


def test_forms_for_another_plan_or_unit_or_not_forms_are_refused(forest):
    filled = fill(forest / "form.xlsx", forest / "回收.xlsx", {"J6": "造林", "R6": dt.date(2023, 8, 6)})
    before = journal(forest)
    other = collect(forest, filled, "--unit", "交通局")
    assert other == (1, f"{filled}：县林业局的报送表（截至 2023-08-07），填了 0 行\n  1 处问题，这张表没有收录：\n"
                        f"  {filled}: 这张报送表是县林业局的，不是县交通运输局的；没有收录\n"
                        "共 1 张报送表：追加 0 条，已收录过 0 条，问题 1 处\n", "")
    assert run("collect", filled, "--dry-run", root=forest, env={"LEDGER_UNIT": "交通局"}).code == 0  # the office's own
    export = forest / "台账.xlsx"
    assert run("export", "-o", export, root=forest).code == 0
    text = write(forest / "假的.xlsx", "不是表格")
    tampered = forest / "动了说明页.xlsx"
    book = openpyxl.load_workbook(filled)
    book["ledger"]["B5"] = "县交通运输局"  # the unit the record names
    book.save(tampered)
    result = collect(forest, export, text, tampered)
    assert result == (1, f"{export}：没有收录\n  {export}: 不是 ledger 下发的报送表（没有说明页）；请用 ledger form 生成的报送表填写\n"
                         f"{text}：没有收录\n  {text}: 不是 Excel 工作簿（.xlsx），或文件已损坏；.xls、.et 请在 Excel 或 WPS 中"
                         "“另存为” .xlsx 后再收录\n"
                         f"{tampered}：没有收录\n  {tampered}: 报送表的说明页被改动过（校验码不符），无法确认这张表下发时的样子；"
                         "请用重新下发的报送表填写\n"
                         "共 3 张报送表：追加 0 条，已收录过 0 条，问题 3 处\n", "")
    plan = forest / "data" / "tasks.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("title: 测试计划", "title: 另一个计划"), encoding="utf-8")
    assert collect(forest, filled).out.splitlines()[2] == (
        f"  {filled}: 这张报送表是《测试计划》（测政办字〔2023〕1号）的，当前台账是《另一个计划》（测政办字〔2023〕1号）；没有收录")
    assert journal(forest) == before


def test_dry_run_shows_the_entries_and_writes_nothing(forest):
    before = journal(forest)
    filled = fill(forest / "form.xlsx", forest / "回收.xlsx", {"I6": 100, "J6": "全部完成", "R6": dt.date(2023, 8, 6)})
    result = collect(forest, filled, "--dry-run")
    assert result == (0, f"{filled}：县林业局的报送表（截至 2023-08-07），填了 1 行\n"
                         f"  预演：将追加到 {FOREST} 1 条：\n"
                         "    第 1 项 造林 — 已完成 100%（2023-08-06）\n"
                         "    - date: 2023-08-06\n      task: 1\n      status: 已完成\n      percent: 100\n"
                         "      progress: 全部完成\n"
                         "共 1 张报送表：将追加 1 条，已收录过 0 条，问题 0 处\n", "")
    assert journal(forest) == before
    assert collect(forest, filled, "--dry-run", "--commit") == (
        2, "", "--dry-run 不写入任何文件，不能和 --commit 一起用\n")


def test_two_clerks_of_one_unit_fill_two_copies(forest):
    """Both copies are collected; the same task on the same day with other words is kept twice, and said."""
    first = fill(forest / "form.xlsx", forest / "甲.xlsx", {"J6": "造林900亩", "I6": 70, "R6": dt.date(2023, 8, 6)})
    second = fill(forest / "form.xlsx", forest / "乙.xlsx", {
        "J6": "造林850亩", "I6": 65, "R6": dt.date(2023, 8, 6), "J7": "配合修路", "I7": 75, "R7": dt.date(2023, 8, 6)})
    result = collect(forest, first, second)
    assert result.code == 0
    assert result.out.splitlines()[3:] == [
        f"{second}：县林业局的报送表（截至 2023-08-07），填了 2 行",
        f"  已追加到 {FOREST} 第 18 行起 2 条：",
        "    第 1 项 造林 — 65%（2023-08-06）",
        "    第 2 项 修路 — 75%（2023-08-06）",
        "  提醒：县林业局是第 2 项任务的参与单位：报的状态和进度照常记录，但任务的状态、进度和灯只看牵头单位（县交通运输局）的报送",
        f"  {second} 报送表!A6: 提醒：第 1 项在 2023-08-06 已有一条内容不同的条目（{FOREST} 第 14 行）；"
        "两条都保留，同一天的以后写入的为准",
        "共 2 张报送表：追加 3 条，已收录过 0 条，问题 0 处"]
    now = {s.id: s for s in ledger.state(ledger.load(forest), dt.date(2023, 8, 7)).tasks}
    assert (now[1].percent, now[2].percent) == (65, 70)  # the later of the day; a supporting unit's percent not counted


def test_form_for_every_unit(forest):
    units = forest / "data" / "units.yaml"
    units.write_text(units.read_text(encoding="utf-8") + "- name: 县贸促会\n", encoding="utf-8")
    out = forest / "报送表" / "2023-08"
    result = run("form", "--all", "--as-of", AS_OF, "-o", out, root=forest)
    assert result == (0, f"已写入 {out}：3 个单位的报送表（截至 2023-08-07），文件名为 单位-2023-08-07.xlsx；"
                         "没有任务的单位 1 个：县贸促会\n", "")
    assert sorted(p.name for p in out.iterdir()) == sorted(
        f"{unit}-2023-08-07.xlsx" for unit in ("县林业局", "县交通运输局", "县水利局"))
    water = openpyxl.load_workbook(out / "县水利局-2023-08-07.xlsx")["报送表"]
    assert [water.cell(row, 1).value for row in (6, 7)] == [3, 4]
    assert run("form", "--as-of", AS_OF, "-o", out, root=forest) == (
        2, "", "请用 --unit 指定一个单位，或用 --all 为每个单位各生成一张报送表\n")
    assert run("form", "--all", "-o", forest / "form.xlsx", root=forest) == (
        2, "", f"“{forest / 'form.xlsx'}”是一个文件；--all 的 -o 应是目录（每个单位一个文件）\n")
    assert run("form", "--unit", "贸促会", "-o", out / "x.xlsx", root=forest) == (
        2, "", "县贸促会没有牵头或参与的任务，没有报送表可生成\n")


def test_a_form_that_is_a_symlink_is_read_a_pipe_or_folder_is_not(forest):
    filled = fill(forest / "form.xlsx", forest / "回收.xlsx", {"J6": "造林", "R6": dt.date(2023, 8, 6)})
    link = forest / "链接.xlsx"
    link.symlink_to(filled)
    assert collect(forest, link).out.endswith("追加 1 条，已收录过 0 条，问题 0 处\n")
    pipe = forest / "管道.xlsx"
    os.mkfifo(pipe)
    result = collect(forest, pipe, forest / "data")
    assert result == (1, f"{pipe}：没有收录\n  {pipe}: 不是普通文件；请给出报送表（.xlsx）文件\n"
                         f"{forest / 'data'}：没有收录\n  {forest / 'data'}: 不是普通文件；请给出报送表（.xlsx）文件\n"
                         "共 2 张报送表：追加 0 条，已收录过 0 条，问题 2 处\n", "")


def test_collect_commit_commits_the_journal_alone(tmp_path):
    from gitrepo import git, identity, office_repo

    repo = office_repo(tmp_path / "ledger")
    identity(repo, "办公室张三", "zhangsan@example.org")
    assert run("form", "--unit", "林业局", "--as-of", "2023-03-01", "-o", tmp_path / "f.xlsx", root=repo).code == 0
    filled = fill(tmp_path / "f.xlsx", tmp_path / "回收.xlsx", {
        "I6": 20, "J6": "春季造林", "O6": dt.date(2023, 3, 1), "J8": "共同推进", "O8": dt.date(2023, 3, 2)})
    result = collect(repo, filled, "--commit")
    sha = git(repo, "rev-parse", "--short=8", "HEAD").strip()
    assert result.code == 0 and f"  已提交 {sha}\n" in result.out
    assert git(repo, "log", "-1", "--format=%B") == (
        "进展(县林业局): 报送表（截至 2023-03-01）2 条 — 第 1、4 项\n\n"
        "- date: 2023-03-01\n  task: 1\n  percent: 20\n  progress: 春季造林\n"
        "- date: 2023-03-02\n  task: 4\n  progress: 共同推进\n\n")
    assert git(repo, "-c", "core.quotepath=off", "show", "--name-only", "--format=", "HEAD") == "data/progress/县林业局.yaml\n"
    assert git(repo, "status", "--porcelain") == ""
    again = collect(repo, filled, "--commit")  # nothing new: no empty commit
    assert again.code == 0 and git(repo, "rev-parse", "--short=8", "HEAD").strip() == sha


def test_collect_commit_refused_when_other_changes_are_staged(tmp_path):
    from gitrepo import git, identity, office_repo

    repo = office_repo(tmp_path / "ledger")
    identity(repo, "办公室张三", "zhangsan@example.org")
    assert run("form", "--unit", "林业局", "--as-of", "2023-03-01", "-o", tmp_path / "f.xlsx", root=repo).code == 0
    filled = fill(tmp_path / "f.xlsx", tmp_path / "回收.xlsx", {"J6": "春季造林", "O6": dt.date(2023, 3, 1)})
    write(repo / "别的.txt", "x")
    git(repo, "add", "别的.txt")
    result = collect(repo, filled, "--commit")
    assert result.code == 1
    assert "  没有写入，日志保持原样：\n  --commit：暂存区里已有其他改动（别的.txt）" in result.out
    assert not (repo / FOREST).exists()


def test_demo_forms_for_every_unit(tmp_path):
    demo = tmp_path / "demo"
    shutil.copytree(os.path.join(os.path.dirname(__file__), "..", "examples", "demo"), demo, symlinks=False)
    assert run("form", "--all", "--as-of", "2023-08-31", "-o", tmp_path / "forms", root=demo).code == 0
    water = openpyxl.load_workbook(tmp_path / "forms" / "县水利局-2023-08-31.xlsx")["报送表"]
    assert [[c.value for c in row][:7] for row in water.iter_rows(min_row=8, max_row=8)] == [
        [25, "加强大中型灌区续建配套与现代化改造", "牵头", dt.datetime(2023, 8, 28), "受阻", 45,
         "彭楼灌区项目用地手续尚未批复，影响开工"]]


def test_two_collects_of_one_form_at_once_append_it_once(forest):
    """Whether an entry is already there is decided inside the journal's lock."""
    import subprocess
    import sys

    filled = fill(forest / "form.xlsx", forest / "回收.xlsx", {"J6": "造林", "I6": 55, "R6": dt.date(2023, 8, 6)})
    before = journal(forest)
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEDGER_")}
    argv = [sys.executable, "-m", "ledger", "--root", str(forest), "collect", str(filled)]
    runs = [subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env) for _ in range(4)]
    outs = [process.communicate(timeout=120) for process in runs]
    assert [process.returncode for process in runs] == [0] * 4
    assert sorted(out.splitlines()[-1] for out, _ in outs) == (
        ["共 1 张报送表：追加 0 条，已收录过 1 条，问题 0 处"] * 3 + ["共 1 张报送表：追加 1 条，已收录过 0 条，问题 0 处"])
    assert journal(forest) == before + "- date: 2023-08-06\n  task: 1\n  percent: 55\n  progress: 造林\n".encode()


def test_a_journal_that_is_a_symlink_is_not_written(forest):
    filled = fill(forest / "form.xlsx", forest / "回收.xlsx", {"J6": "造林", "R6": dt.date(2023, 8, 6)})
    real = forest / "elsewhere.yaml"
    os.replace(forest / FOREST, real)
    (forest / FOREST).symlink_to(real)
    before = real.read_bytes()
    result = collect(forest, filled)
    assert result.code == 1
    assert result.out == (f"{filled}：县林业局的报送表（截至 2023-08-07），填了 1 行\n  没有写入，日志保持原样：\n"
                          f"  {FOREST}: 日志文件不能是符号链接；请把它换成普通文件\n"
                          "共 1 张报送表：追加 0 条，已收录过 0 条，问题 1 处\n")
    assert real.read_bytes() == before


def test_journal_text_that_looks_like_a_formula_stays_text(forest):
    path = forest / FOREST
    path.write_text(path.read_text(encoding="utf-8").replace("problems: 苗木不足", "problems: '=HYPERLINK(\"http://x\")'"),
                    encoding="utf-8")
    assert run("form", "--unit", "林业局", "--as-of", AS_OF, "-o", forest / "f.xlsx", root=forest).code == 0
    cell = openpyxl.load_workbook(forest / "f.xlsx")["报送表"]["G6"]
    assert (cell.value, cell.data_type) == ('=HYPERLINK("http://x")', "s")
    filled = fill(forest / "f.xlsx", forest / "回收.xlsx", {"J6": "造林", "R6": dt.date(2023, 8, 6)})
    assert collect(forest, filled).out.endswith("追加 1 条，已收录过 0 条，问题 0 处\n")
