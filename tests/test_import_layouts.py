"""Plans in the layouts governments really publish, each written for these tests (fictional places): the exact
tasks, units, roles, deadlines and targets `ledger import` makes of them, the plan year and where it came from,
and every line set aside with its reason."""

import datetime as dt

import pytest

from conftest import run, write
from ledger.plans import annotations
from ledger.plans.parser import import_text
from ledger.plans.targets import targets_of
from test_import_documents import PLANS, imported, rows, targets


def dry_run(tmp_path, name, data=None, *options):
    """The screen of `ledger import --dry-run` on a document (its bytes, else the file in tests/plans/)."""
    path = tmp_path / name
    path.write_bytes(data if data is not None else (PLANS / name).read_bytes())
    (tmp_path / "ledger").mkdir(exist_ok=True)
    result = run("import", path, "--dry-run", *options, root=tmp_path / "ledger")
    assert result.code == 0, result.err
    return result.out


# a provincial document pasted as text: the year only in the document number (signed the December before),
# a deadline in the next year, "排在第一位的为牵头单位" said once in the preamble, shared prefixes written once,
# comma groups before one verb, "等" and "等有关部门", 指导思想/工作目标 items, a duration and a policy parameter
PROVINCE_H = [
    (3, 1, "推进高效办成一件事", ["省政务服务管理办"], ["省发展改革委", "省市场监管局"], "2025-06-30"),
    (4, 1, "优化投资项目审批", ["省发展改革委"], ["省自然资源厅", "省生态环境厅", "各市人民政府"], "2026-03-31"),
    (5, 2, "加大财政支持", ["省工业和信息化厅"], ["省财政厅"], "2025-12-31"),
    (6, 2, "降低融资成本", ["省地方金融管理局"], ["人民银行南岭省分行", "省财政厅"], "2025-12-31"),
    (7, 2, "规范涉企收费", ["省市场监管局"], ["省发展改革委", "省财政厅"], "2025-09-30"),
]


def test_a_provincial_plan_with_its_year_in_the_number_and_the_first_unit_leading(tmp_path):
    out, task_list = imported(tmp_path, "province-h.txt", (PLANS / "province-h.txt").read_bytes())
    assert task_list["plan"] == {"title": "南岭省进一步优化营商环境若干措施", "issuer": "南岭省人民政府办公厅",
                                 "number": "南政办发〔2025〕9号", "date": "2024-12-30", "start": "2025-01-01",
                                 "end": "2026-03-31", "source": "province-h.txt"}
    assert [(s["id"], s["numeral"], s["title"]) for s in task_list["sections"]] == [
        (1, "二", "提升政务服务效能"), (2, "三", "降低企业经营成本")]
    assert rows(task_list) == PROVINCE_H
    assert targets(task_list) == [(3, "办理时限", 3, "个工作日", "at_most", "amount"),
                                  (5, "培育专精特新企业", 500, "家", "at_least", "amount"),
                                  (6, "普惠小微贷款余额增长", 15, "%", "at_least", "growth")]
    assert "计划年度：2025 年，取自文号“南政办发〔2025〕9号”\n" in out
    assert "共 2 个部分、5 项任务；任务序号照原文编号\n" in out
    assert "按第 8 行“排在第一位的为牵头单位”，只列单位、没写牵头配合的，第一个单位为牵头单位\n" in out
    assert ("未能归入任务的行（3 行）：\n"
            "  第 9 行：一、总体要求 —— 是指导思想、目标、原则一类的内容，不是任务\n"
            "  第 10 行：（一）指导思想。坚持稳中求进工作总基调，以市场主体满意为导向，打造一流营商环境。 —— "
            "是指导思想、目标、原则一类的内容，不是任务\n"
            "  第 11 行：（二）工作目标。到2026年底，全省营商环境便利度明显提升，市场主体突破1000万户。 —— "
            "是指导思想、目标、原则一类的内容，不是任务\n") in out
    assert ("需要核对（6 处）：\n"
            "  第 13 行：第 3 项：“市场监管局”按同一串单位里前面的写法补全为“省市场监管局”，请核对\n"
            "  第 14 行：第 4 项：“生态环境厅”按同一串单位里前面的写法补全为“省生态环境厅”，请核对\n"
            "  第 14 行：第 4 项：完成时限“2026年3月底”（2026-03-31）在 2025 年之后，计划期延到这一天；序时进度按整个计划期计算\n"
            "  第 16 行：第 5 项：“财政厅”按同一串单位里前面的写法补全为“省财政厅”，请核对\n"
            "  第 16 行：第 5 项：“财政厅等负责”中的“等”表示还有未列出的单位，请核对\n"
            "  第 18 行：第 7 项：“省财政厅等有关部门负责”中的“等”表示还有未列出的单位，请核对\n") in out
    assert run("validate", root=tmp_path / "ledger") == (0, "", "")


# a city plan in three levels: 一、 sections, （一） lead-ins with body text over 1. 2. tasks, a （三） with no
# tasks beneath that is a task itself; the convention said in the first annotation with 下同; 市发改委 and
# 发展改革委 for 市发展改革委
CITY_I = [
    (1, 1, "改造老旧小区120个", ["市住房城乡建设局"], ["市财政局", "市发展改革委"], "2025-10-31"),
    (2, 1, "加装电梯200台", ["市住房城乡建设局"], ["市市场监管局"], "2025-12-31"),
    (3, 1, "新建改造燃气管网150公里", ["市城市管理局"], ["市发展改革委"], "2025-12-31"),
    (4, 1, "新建城市绿道50公里", ["市园林局"], [], "2025-12-31"),
    (5, 1, "加强历史文化保护", ["市文化广电旅游局"], ["市自然资源和规划局"], "2025-12-31"),
    (6, 2, "加强组织领导", [], [], "2025-12-31"),
    (7, 2, "强化资金保障", ["市财政局"], ["各县（市、区）人民政府"], "2025-12-31"),
]


def test_a_city_plan_in_three_levels_with_one_name_per_unit(tmp_path):
    out, task_list = imported(tmp_path, "city-i.txt", (PLANS / "city-i.txt").read_bytes())
    assert (task_list["plan"]["title"], task_list["plan"]["start"], task_list["plan"]["end"]) == (
        "青石市2025年城市更新行动方案", "2025-01-01", "2025-12-31")
    assert [(s["id"], s["numeral"], s["title"]) for s in task_list["sections"]] == [(1, "二", "重点任务"),
                                                                                  (2, "三", "保障措施")]
    assert rows(task_list) == CITY_I
    assert targets(task_list) == [(1, "改造老旧小区", 120, "个", "at_least", "amount"),
                                  (1, "惠及居民", 3, "万户", "at_least", "amount"),
                                  (2, "加装电梯", 200, "台", "at_least", "amount"),
                                  (3, "新建改造燃气管网", 150, "公里", "at_least", "amount"),
                                  (4, "新建城市绿道", 50, "公里", "at_least", "amount"),
                                  (5, "完成历史建筑测绘建档", 100, "处", "at_least", "amount")]
    assert [t["id"] for t in task_list["tasks"] if t.get("coordination")] == [6]
    assert "共 2 个部分、7 项任务；原文分级编号，任务序号按全文顺序编为 1–7\n" in out
    assert "新登记的单位 9 个：市住房城乡建设局、市财政局、市发展改革委（简称：市发改委）、市市场监管局、" in out
    assert ("未能归入任务的行（4 行）：\n"
            "  第 8 行：一、基本原则 —— 是指导思想、目标、原则一类的内容，不是任务\n"
            "  第 9 行：坚持规划引领，坚持民生优先，坚持因地制宜。 —— 是指导思想、目标、原则一类的内容，不是任务\n"
            "  第 11 行：（一）推进老旧小区改造。以2000年前建成的小区为重点，推动水电气暖等基础设施更新。 —— "
            "是下面编号任务的总述，不是任务；下面的任务照常导入\n"
            "  第 14 行：（二）完善城市基础设施。 —— 是下面编号任务的总述，不是任务；下面的任务照常导入\n") in out
    assert ("需要核对（3 处）：\n"
            "  第 12 行：第 1 项：“发展改革委”按同一串单位里前面的写法补全为“市发展改革委”，请核对\n"
            "  第 13 行：第 2 项：“市场监管局”按同一串单位里前面的写法补全为“市市场监管局”，请核对\n"
            "  “市发改委”与“市发展改革委”看来是同一单位的不同写法，按“市发展改革委”记；如不是同一单位，请改 data/tasks.yaml\n"
            ) in out
    registry = (tmp_path / "ledger/data/units.yaml").read_text(encoding="utf-8")
    assert "- name: 市发展改革委\n  aliases:\n  - 市发改委\n  reviewers: []\n" in registry
    assert run("validate", root=tmp_path / "ledger") == (0, "", "")
    listed = run("status", "--unit", "市发改委", "--as-of", "2025-03-01", "--format", "csv", root=tmp_path / "ledger")
    assert [line.split(",")[0] for line in listed.out.splitlines()[1:]] == ["1", "3"]


# a district's page saved from its website, in GB2312: the article inside a layout table, and in the article
# a task table whose header takes two rows (责任单位 over 牵头单位 | 配合单位), one lead cell merged over two rows
def test_a_web_page_laid_out_in_tables_with_a_two_row_header(tmp_path):
    out, task_list = imported(tmp_path, "district-j.html", (PLANS / "district-j.html").read_bytes())
    assert task_list["plan"] == {"title": "北川区2025年为民办实事项目任务分解表", "issuer": "北川区人民政府办公室",
                                 "number": "北政办发〔2025〕3号", "date": "2025-01-15", "start": "2025-01-01",
                                 "end": "2025-12-31", "source": "district-j.html"}
    assert rows(task_list) == [
        (1, 1, "新建幼儿园", ["区教育局"], ["区住房城乡建设局"], "2025-08-31"),
        (2, 1, "改善中小学食堂", ["区教育局"], ["区市场监管局"], "2025-09-30"),
        (3, 1, "建设社区卫生服务站", ["区卫生健康局"], ["各街道办事处"], "2025-12-31"),
        (4, 2, "建设充电设施", ["区发展改革局"], ["区城市管理局", "供电公司"], "2025-06-30"),
    ]
    assert targets(task_list) == [(1, "新建公办幼儿园", 3, "所", "at_least", "amount"),
                                  (1, "新增学位", 900, "个", "at_least", "amount"),
                                  (2, "改造中小学食堂", 12, "所", "at_least", "amount"),
                                  (3, "新建社区卫生服务站", 5, "个", "at_least", "amount"),
                                  (4, "新建公共充电桩", 500, "个", "at_least", "amount")]
    assert out.splitlines()[0].endswith("：网页，编码 GB18030（网页声明为 gb2312），12 行")
    assert "未能归入任务的行（0 行）\n已忽略的网页残留和版记（0 行）\n需要核对（0 处）\n" in out
    assert "首页" not in out and "通知公告" not in out and "网站标识码" not in out


XLSX_ROWS = [  # the sheet as an office circulates it: (row, cells); merged ranges and a hidden row below
    (1, ["西河县2025年重点工作任务分解表"]),
    (2, ["序号", "重点任务", "牵头单位", "配合单位", "完成时限", "备注"]),
    (3, ["一", "产业发展"]),
    (4, [1, "建设智能制造产业园。完成投资5亿元。", "县工信局", "县发改局", dt.datetime(2025, 9, 30), None]),
    (5, [2, "培育规上工业企业20家。", None, "县统计局", "年底前", "按季度调度"]),
    (6, ["二、社会事业"]),
    (7, [3.0, "新增城镇就业3000人。", "县人社局", "各乡镇", "2025年12月", None]),
    (8, [4, "隐藏的行。", "县隐藏局", None, None, None]),
]


def task_breakdown(path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "分解表"
    for row, cells in XLSX_ROWS:
        for column, value in enumerate(cells, 1):
            sheet.cell(row=row, column=column, value=value)
    for merged in ("A1:F1", "C4:C5", "A6:F6"):
        sheet.merge_cells(merged)
    sheet.row_dimensions[8].hidden = True
    draft = book.create_sheet("草稿")
    draft["A1"], draft["B1"], draft["C1"] = "序号", "重点任务", "牵头单位"
    draft.sheet_state = "hidden"
    book.save(path)


def test_an_excel_task_breakdown_with_merged_cells_and_section_rows(tmp_path):
    task_breakdown(tmp_path / "made.xlsx")
    out, task_list = imported(tmp_path, "west-k.xlsx", (tmp_path / "made.xlsx").read_bytes())
    assert [(s["numeral"], s["title"]) for s in task_list["sections"]] == [("一", "产业发展"), ("二", "社会事业")]
    assert rows(task_list) == [
        (1, 1, "建设智能制造产业园", ["县工信局"], ["县发改局"], "2025-09-30"),
        (2, 1, "培育规上工业企业20家", ["县工信局"], ["县统计局"], "2025-12-31"),
        (3, 2, "新增城镇就业3000人", ["县人社局"], ["各乡镇"], "2025-12-31"),
    ]
    assert targets(task_list) == [(1, "完成投资", 5, "亿元", "at_least", "amount"),
                                  (2, "培育规上工业企业", 20, "家", "at_least", "amount"),
                                  (3, "新增城镇就业", 3000, "人", "at_least", "amount")]
    assert task_list["tasks"][1]["text"] == ("培育规上工业企业20家。（备注：按季度调度）（完成时限：年底前）"
                                             "（牵头单位：县工信局；配合单位：县统计局）")
    assert task_list["plan"] == {"title": "西河县2025年重点工作任务分解表", "issuer": "未注明", "number": "未注明",
                                 "date": "2025-01-01", "start": "2025-01-01", "end": "2025-12-31",
                                 "source": "west-k.xlsx"}
    assert out.splitlines()[0].endswith("west-k.xlsx：Excel 工作簿，6 行")
    assert "县隐藏局" not in out and "草稿" not in out


def test_an_excel_line_set_aside_is_named_by_its_sheet_row(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "表1"
    for row in (["东山县2025年民生实事分解表"], ["序号", "项目", "责任单位"], ["一、教育"], ["本部分由县教育局汇总。"],
                [1, "新建学校2所。", "县教育局"]):
        sheet.append(row)
    book.save(tmp_path / "made.xlsx")
    out = dry_run(tmp_path, "east.xlsx", (tmp_path / "made.xlsx").read_bytes())
    assert ("未能归入任务的行（1 行）：\n  工作表“表1”第 4 行：本部分由县教育局汇总。 —— 在部分标题之后、第一项任务之前，"
            "不属于任何任务；如是任务的内容，请并入那项任务的段落\n") in out


def test_a_word_task_table_with_a_two_row_header_and_merged_cells(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("南坪镇2025年重点工作任务清单")
    table = document.add_table(rows=6, cols=5)
    cells = [["序号", "工作任务", "责任单位", "", "完成时间"], ["", "", "牵头单位", "配合单位", ""],
             ["一、乡村建设"], ["1", "硬化村道8公里。", "镇规划建设办", "各村", "9月底前"],
             ["2", "改造危房30户。", "", "镇民政办", "6月底前"], ["二、平安建设"]]
    for row, texts in zip(table.rows, cells):
        for cell, text in zip(row.cells, texts):
            cell.text = text
    for column in (0, 1, 4):  # 序号, 工作任务, 完成时间 span both header rows
        table.cell(0, column).merge(table.cell(1, column))
    table.cell(0, 2).merge(table.cell(0, 3)).text = "责任单位"
    table.cell(2, 0).merge(table.cell(2, 4)).text = "一、乡村建设"
    table.cell(3, 2).merge(table.cell(4, 2)).text = "镇规划建设办"
    table.cell(5, 0).merge(table.cell(5, 4)).text = "二、平安建设"
    document.add_paragraph("3.开展矛盾纠纷排查。（镇综治中心负责）")
    document.save(tmp_path / "made.docx")
    out, task_list = imported(tmp_path, "south-l.docx", (tmp_path / "made.docx").read_bytes())
    assert rows(task_list) == [
        (1, 1, "硬化村道8公里", ["镇规划建设办"], ["各村"], "2025-09-30"),
        (2, 1, "改造危房30户", ["镇规划建设办"], ["镇民政办"], "2025-06-30"),
        (3, 2, "开展矛盾纠纷排查", ["镇综治中心"], [], "2025-12-31"),
    ]


@pytest.mark.parametrize("text, year, source, end", [
    ("东山县2024—2025年农村人居环境整治方案\n一、整治\n1.改厕。（县农业农村局负责）\n", (2024, 2025), "标题", "2025-12-31"),
    ("关于印发东山县农村人居环境整治方案的通知\n东政办发〔2025〕2号\n一、整治\n1.改厕。（县农业农村局负责）\n",
     (2025, 2025), "文号", "2025-12-31"),
    ("东山县农村人居环境整治方案\n东山县人民政府\n2025年3月1日\n一、整治\n1.改厕。（县农业农村局负责）\n",
     (2025, 2025), "成文日期", "2025-12-31"),
    ("东山县农村人居环境整治方案\n一、整治\n1.改厕。2026年6月底前完成。（县农业农村局负责）\n"
     "2.改水。2025年底前完成。（县水利局负责）\n", (2025, 2025), "任务的完成时限", "2026-06-30"),
])
def test_the_plan_year_comes_from_title_number_signing_date_or_deadlines(text, year, source, end):
    found = import_text(text, "x.txt")
    assert ((found.year.first, found.year.last), found.year.source.startswith(source), found.plan["end"]) == (
        year, True, end)


def test_year_overrides_the_document_and_out_of_year_deadlines_are_listed(tmp_path):
    text = "东山县2024年重点任务\n一、整治\n1.改厕。2025年6月底前完成。（县农业农村局负责）\n"
    out = dry_run(tmp_path, "east.txt", text.encode())
    assert ("  第 3 行：第 1 项：“2025年6月底”在计划年度（2024 年）之外，没有作为完成时限，完成时限按 2024-12-31；"
            "如确是这项任务的时限，请改 data/tasks.yaml\n") in out
    given = dry_run(tmp_path, "east.txt", text.encode(), "--year", "2025")
    assert "计划期 2025-01-01 至 2025-12-31\n计划年度：2025 年，取自--year\n" in given
    assert "完成时限：2025-06-30 1 项\n" in given
    assert run("import", tmp_path / "east.txt", "--year", "25", root=tmp_path / "ledger") == (
        2, "", "--year 应为四位的年份（如 2025），实际是 25\n")


@pytest.mark.parametrize("annotation, lead, support", [
    ("（省发展改革委、财政厅、自然资源厅负责）", ["省发展改革委", "省财政厅", "省自然资源厅"], []),
    ("（县委组织部、宣传部、人社局负责）", ["县委组织部", "县委宣传部", "县人社局"], []),
    ("（青石市发展改革委牵头，财政局配合）", ["青石市发展改革委"], ["青石市财政局"]),
    ("（县发改局牵头，县财政局等有关部门配合）", ["县发改局"], ["县财政局"]),
    ("（县民政局等按职责分工负责）", ["县民政局"], []),
    ("（县发改局牵头。县财政局配合）", ["县发改局"], ["县财政局"]),
    ("（省科技厅指导，各市人民政府负责）", ["省科技厅"], ["各市人民政府"]),
    ("（县发改局会同县财政局、县统计局负责）", ["县发改局"], ["县财政局", "县统计局"]),
    ("（县教体局，县卫健局、县人社局按职责分工负责）", ["县教体局", "县卫健局", "县人社局"], []),
    ("（县供销社、邮政公司负责）", ["县供销社", "邮政公司"], []),
    ("（国家发展改革委、住房城乡建设部、财政部负责）", ["国家发展改革委", "住房城乡建设部", "财政部"], []),
    ("（市发展改革委牵头，住房城乡建设局、城市管理局配合）", ["市发展改革委"], ["市住房城乡建设局", "市城市管理局"]),
])
def test_more_annotation_forms(annotation, lead, support):
    body, found = annotations.trailing(f"做好工作{annotation}。")
    assert body == "做好工作"
    assert annotations.parse(found)[:2] == (lead, support)


def test_the_first_unit_leads_only_from_where_the_plan_says_so():
    found = import_text("东山县2025年工作要点\n一、甲\n1.做甲。（县甲局、县乙局负责）\n"
                        "2.做乙。（县丙局、县丁局负责，排在第一位的为牵头单位，下同）\n3.做丙。（县戊局、县己局）\n")
    assert [(t["lead_units"], t["support_units"]) for t in found.tasks] == [
        (["县甲局", "县乙局"], []), (["县丙局"], ["县丁局"]), (["县戊局"], ["县己局"])]
    assert found.first_leads == 4
    assert all("排在" not in name for t in found.tasks for name in t["lead_units"] + t["support_units"])


def test_an_annotation_that_cannot_be_read_is_said_so():
    found = import_text("东山县2025年工作要点\n一、甲\n1.做甲。（由县甲局牵头制定方案，报县政府同意后实施）\n")
    assert found.tasks[0]["lead_units"] == []
    assert [note for note in found.notes if note[0]] == [(3, "第 1 项：末尾括号里的“由县甲局牵头制定方案，报县政府同意后实施”提到了单位，"
                               "但没能读出牵头和配合单位，没有导入；请核对")]


@pytest.mark.parametrize("text, found", [
    ("审批时间不超过6个月。", []),
    ("对新认定的企业给予最高50万元奖励，培育企业500家。", [("培育企业", 500)]),
    ("按每亩200元标准发放补贴，流转土地2万亩。", [("流转土地", 2)]),
    ("救助标准提高至3万元。", [("救助标准", 3)]),
    ("每人每月补助300元。", []),
])
def test_durations_and_policy_parameters_are_not_targets(text, found):
    assert [(t["name"], t["value"]) for t in targets_of(text)] == found


def test_init_then_import_just_works(tmp_path):
    assert run("init", tmp_path / "new").code == 0
    write(tmp_path / "plan.txt", (PLANS / "city-i.txt").read_text(encoding="utf-8"))
    dry = run("import", tmp_path / "plan.txt", "--dry-run", root=tmp_path / "new")
    assert dry.code == 0, dry.err
    assert "新登记的单位 9 个：" in dry.out
    assert dry.out.endswith("与现有任务清单相比：台账里还没有任务（没有任务清单，或是 ledger init 建的空清单），按新文档生成\n"
                            "预演：没有写入任何文件。\n")
    result = run("import", tmp_path / "plan.txt", root=tmp_path / "new")
    assert result.code == 0, result.err
    assert result.out.splitlines()[-1] == (
        "已写入：data/units.yaml（新登记 9 个单位）、data/tasks.yaml（7 项任务）、"
        "data/source/tasks.imported.yaml（本次导入的原样结果，供下次导入比对人工修改）。")
    assert run("validate", root=tmp_path / "new") == (0, "", "")
    units = (tmp_path / "new/data/units.yaml").read_text(encoding="utf-8")
    assert units.startswith("# 单位名录：") and "# - name: 县水利局\n" in units  # init's comments kept
    again = run("import", tmp_path / "plan.txt", root=tmp_path / "new")
    assert again.out.endswith("任务清单、单位名录都没有变化，没有写入任何文件。\n")


def test_every_line_set_aside_says_why():
    found = import_text("东山县2025年工作要点\n1.提前写的任务。（县甲局负责）\n一、甲\n1.做甲。（县甲局负责）\n"
                        "这一段在单位说明之后。\n二、空的部分\n三、乙\n2.做乙。（县乙局负责）\n四、这一段是正文，不是标题。还有一句。\n")
    assert [(t["id"], t["title"], t["lead_units"]) for t in found.tasks] == [(1, "做甲", ["县甲局"]),
                                                                             (2, "做乙", ["县乙局"])]
    assert found.unplaced == [
        (2, "1.提前写的任务。（县甲局负责）", "在第一个部分之前，却像任务一样编号；如是任务，请把它移到所属部分之下"),
        (5, "这一段在单位说明之后。", "在第 4 行那项任务的单位说明之后，不知道属于哪一项；如属于那一项，请移到单位说明之前"),
        (6, "二、空的部分", "这个部分下没有任务"),
        (9, "四、这一段是正文，不是标题。还有一句。", "编号与部分标题同级，却是一段正文；如是任务，请按任务那一级编号")]


def test_a_word_document_laid_out_in_a_table_around_its_text(tmp_path):
    import docx

    document = docx.Document()
    frame = document.add_table(rows=1, cols=1).cell(0, 0)  # the whole document inside one table, as some templates do
    frame.paragraphs[0].text = "南坪镇2025年重点工作任务清单"
    inner = frame.add_table(rows=3, cols=3)
    for row, texts in zip(inner.rows, (["序号", "工作任务", "责任单位"], ["1", "硬化村道8公里。", "镇规划建设办"],
                                       ["2", "改造危房30户，6月底前完成。", "镇民政办"])):
        for cell, text in zip(row.cells, texts):
            cell.text = text
    frame.add_paragraph("3.开展矛盾纠纷排查。（镇综治中心负责）")
    document.save(tmp_path / "made.docx")
    out, task_list = imported(tmp_path, "south-m.docx", (tmp_path / "made.docx").read_bytes())
    assert rows(task_list) == [(1, 1, "硬化村道8公里", ["镇规划建设办"], [], "2025-12-31"),
                               (2, 1, "改造危房30户", ["镇民政办"], [], "2025-06-30"),
                               (3, 1, "开展矛盾纠纷排查", ["镇综治中心"], [], "2025-12-31")]


def test_characters_that_show_as_nothing_do_not_make_a_second_unit():
    found = import_text("东山县2025年工作要点\n一、甲\n1.做甲。（县甲局\u200b负责）\n2.做乙。\ufeff（县甲局负责）\n")
    assert [t["lead_units"] for t in found.tasks] == [["县甲局"], ["县甲局"]]
    assert found.tasks[0]["text"] == "做甲。（县甲局负责）"
