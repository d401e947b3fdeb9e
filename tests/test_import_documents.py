"""Plan documents in the forms and styles real plans come in: each gives exactly the expected tasks,
units, targets and deadlines through `ledger import`, in every encoding, as a web page and as Word."""

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import REPO, run, write
from ledger.plans import annotations
from ledger.plans.deadlines import deadlines
from ledger.plans.parser import import_text
from ledger.vocab import LedgerError
from ledger.files.yamlio import parse

PLANS = Path(__file__).parent / "plans"
SHIPPED = (REPO / "data/tasks.yaml").read_text(encoding="utf-8")
SOURCE_LINES = (REPO / "data/source/guanxian-2023-key-tasks.txt").read_text(encoding="utf-8").splitlines()


def imported(tmp_path, name, data):
    """(stdout of `ledger import`, the task list it wrote) for a document with these bytes."""
    root = tmp_path / "ledger"
    root.mkdir(exist_ok=True)
    path = tmp_path / name
    path.write_bytes(data)
    result = run("import", path, root=root)
    assert result.code == 0, result.err
    return result.out, parse((root / "data/tasks.yaml").read_text(encoding="utf-8"), "t")[0]


def rows(task_list):
    return [(t["id"], t["section"], t["title"], t["lead_units"], t.get("support_units", []), t["due"])
            for t in task_list["tasks"]]


def targets(task_list):
    return [(t["id"], g["name"], g["value"], g["measure"], g["comparator"], g["kind"])
            for t in task_list["tasks"] for g in t.get("targets", [])]


# county A: a notice with its number above the title and a date in Chinese numerals; sections 一、;
# tasks 1、 numbered again in each section; units in six forms; targets of every comparator; deadlines
COUNTY_A = (PLANS / "county-a.txt").read_text(encoding="utf-8")
COUNTY_A_TASKS = [
    (1, 1, "加强创新平台建设", ["县科技局", "县发展和改革局"], ["县财政局"], "2024-12-31"),
    (2, 1, "推进数字政府建设", ["县政府办公室（大数据局）"], [], "2024-12-31"),
    (3, 1, "培育科技型企业", ["县科技局"], ["县市场监督管理局", "县税务局"], "2024-06-30"),
    (4, 2, "打好节水攻坚战", ["县水利局"], [], "2024-12-31"),
    (5, 2, "推进植树造林", ["县自然资源局"], ["各乡镇（街道）", "县林业发展中心"], "2024-06-30"),
    (6, 2, "加快项目建设", ["县住房和城乡建设局"], ["各有关部门"], "2024-09-30"),
    (7, 3, "稳定扩大就业", ["县人力资源和社会保障局"], ["县财政局", "各乡镇（街道）"], "2024-12-31"),
    (8, 3, "提升教育质量", ["县教育和体育局", "县发展和改革局"], [], "2024-12-31"),
    (9, 3, "做好养老服务", ["县民政局"], [], "2024-12-31"),
]
COUNTY_A_TARGETS = [
    (1, "新建市级以上创新平台", 5, "家", "at_least", "amount"),
    (1, "高新技术企业", 120, "家", "at_least", "amount"),
    (2, "证明材料共享率", 60, "%", "at_least", "amount"),
    (3, "入库企业", 80, "家", "at_least", "amount"),
    (4, "用水总量", 2.5, "亿立方米", "at_most", "amount"),
    (4, "万元GDP用水量下降", 3, "%", "at_least", "amount"),
    (5, "完成造林", 1.2, "万亩", "at_least", "amount"),
    (5, "森林覆盖率", 18.5, "%", "about", "amount"),
    (6, "开工建设污水处理厂", 2, "座", "at_least", "amount"),
    (6, "新增污水处理能力", 3, "万吨", "at_least", "amount"),
    (7, "城镇新增就业", 5000, "人", "at_least", "amount"),
    (7, "城镇登记失业率", 3.5, "%", "at_most", "amount"),
    (7, "居民人均可支配收入增长", 6.5, "%", "at_least", "growth"),
    (8, "新建幼儿园", 3, "所", "at_least", "amount"),
    (9, "新建社区养老服务站", 10, "处", "at_least", "amount"),
]


def test_county_a_every_task_unit_target_and_deadline(tmp_path):
    out, task_list = imported(tmp_path, "county-a.txt", COUNTY_A.encode())
    assert task_list["plan"] == {"title": "某县2024年重点工作任务", "issuer": "某县人民政府办公室",
                                 "number": "某政办发〔2024〕12号", "date": "2024-03-05", "start": "2024-01-01",
                                 "end": "2024-12-31", "source": "county-a.txt"}
    assert [(s["id"], s["numeral"], s["title"]) for s in task_list["sections"]] == [
        (1, "一", "科技创新"), (2, "二", "绿色发展"), (3, "三", "民生保障")]
    assert rows(task_list) == COUNTY_A_TASKS
    assert targets(task_list) == COUNTY_A_TARGETS
    by_id = {t["id"]: t for t in task_list["tasks"]}
    assert by_id[5]["text"] == ("推进植树造林。上半年完成造林1.2万亩，森林覆盖率达到18.5%左右。\n牵头单位：县自然资源局\n"
                                "配合单位：各乡镇（街道）；县林业发展中心")
    assert by_id[7]["targets"][2]["source"] == ("年内城镇新增就业5000人以上，城镇登记失业率控制在3.5%以内，"
                                                "居民人均可支配收入增长6.5%。")
    assert "共 3 个部分、9 项任务；原文各部分分别编号，任务序号按全文顺序编为 1–9\n" in out
    assert ("未能归入任务的行（1 行）：\n  第 12 行：围绕创新驱动，抓好以下工作。 —— 在部分标题之后、第一项任务之前，"
            "不属于任何任务；如是任务的内容，请并入那项任务的段落\n"
            "已忽略的网页残留和版记（2 行）：第 26、27 行\n"
            "需要核对（2 处）：\n"
            "  第 25 行：第 9 项：“县民政局等”中的“等”表示还有未列出的单位，请核对\n"
            "  第 25 行：第 9 项：单位说明没有写明牵头或配合，“县民政局”已全部作为牵头单位\n") in out
    assert "单位 15 个（其中集体单位：各乡镇（街道）、各有关部门）：" in out


ENCODINGS = [
    ("utf-8 LF", lambda text: text.encode("utf-8"), "UTF-8"),
    ("utf-8 with BOM, CRLF", lambda text: b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"),
     "UTF-8（带 BOM）"),
    ("GBK CRLF", lambda text: text.replace("\n", "\r\n").encode("gbk"), "GBK"),
    ("GB18030, a character GBK lacks", lambda text: text.replace("抓好以下工作", "抓好以下工作𠮷").encode("gb18030"),
     "GB18030"),
    ("UTF-16 with BOM", lambda text: text.encode("utf-16"), "UTF-16"),
]


@pytest.mark.parametrize("encode, said", [(e, s) for _, e, s in ENCODINGS], ids=[n for n, _, _ in ENCODINGS])
def test_every_encoding_and_line_end_gives_the_same_task_list(tmp_path, encode, said):
    out, task_list = imported(tmp_path, "county-a.txt", encode(COUNTY_A))
    assert out.splitlines()[0] == f"读取 {tmp_path / 'county-a.txt'}：纯文本，编码 {said}，27 行"
    assert rows(task_list) == COUNTY_A_TASKS and targets(task_list) == COUNTY_A_TARGETS
    assert task_list["plan"]["date"] == "2024-03-05"


# county B: no notice, 第一部分 parts over （一） sections, tasks （1） (1) numbered across sections, titles on
# lines of their own, units on lines of their own, a [2025] number, the date and issuer signed at the end
def test_county_b_parts_sections_running_numbers_and_lines_of_their_own(tmp_path):
    out, task_list = imported(tmp_path, "county-b.txt", (PLANS / "county-b.txt").read_bytes())
    assert task_list["plan"] == {"title": "某市2025年优化营商环境工作要点", "issuer": "某市人民政府",
                                 "number": "某政发[2025]3号", "date": "2025-01-20", "start": "2025-01-01",
                                 "end": "2025-12-31", "source": "county-b.txt"}
    assert [(s["id"], s["numeral"], s["title"]) for s in task_list["sections"]] == [
        (1, "一", "提升审批效率"), (2, "二", "优化监管"), (3, "三", "保障用地")]
    assert rows(task_list) == [
        (1, 1, "推行告知承诺制", ["市行政审批服务局"], [], "2025-06-30"),
        (2, 1, "压缩办理时限", ["市市场监督管理局"], ["市公安局", "市税务局"], "2025-12-31"),
        (3, 2, "推进信用监管", ["请各部门自行认领"], [], "2025-09-30"),
        (4, 3, "盘活存量土地", ["市自然资源和规划局"], [], "2025-12-31"),
        (5, 3, "降低融资成本", ["人民银行某市分行"], [], "2025-12-31"),
    ]
    assert targets(task_list) == [
        (2, "企业开办时间", 1, "个工作日", "at_most", "amount"),
        (3, "建立企业信用档案", 5, "万户", "at_least", "amount"),
        (4, "盘活批而未供和闲置土地", 3000, "亩", "at_least", "amount"),
        (5, "新增普惠小微贷款", 50, "亿元", "at_least", "amount"),
        (5, "贷款利率较上年下降", 0.2, "个百分点", "at_least", "amount"),
    ]
    assert task_list["tasks"][0]["text"] == ("推行告知承诺制\n全面推行证明事项告知承诺制，2025年6月30日前实现高频事项全覆盖。\n"
                                             "牵头部门：市行政审批服务局")
    assert "共 3 个部分、5 项任务；任务序号照原文编号\n" in out
    assert ("未能归入任务的行（3 行）：\n"
            "  第 4 行：第一部分 政务服务 —— 是任务清单放不下的上一级标题（清单只有部分和任务两级）\n"
            "  第 12 行：第二部分 要素保障 —— 是任务清单放不下的上一级标题（清单只有部分和任务两级）\n"
            "  第 18 行：附件：重点任务分工表 —— 在第 17 行那项任务的单位说明之后，不知道属于哪一项；"
            "如属于那一项，请移到单位说明之前\n已忽略的网页残留和版记（0 行）\n"
            "需要核对（1 处）：\n  第 11 行：第 3 项：“请各部门自行认领”看起来不像单位名称，请核对\n") in out


COUNTY_C_TASKS = [
    (1, 1, "新建改扩建中小学校", ["区教育和体育局"], [], "2024-12-31"),
    (2, 1, "提升基层医疗服务", ["区卫生健康局"], ["各街道办事处"], "2024-12-31"),
    (3, 2, "推进老旧小区改造", ["区住房和城乡建设局"], ["区财政局"], "2024-09-30"),
]
PAGE_CHROME = ("首页", "政务公开", "当前位置", "浏览次数", "打印", "分享到", "扫一扫", "相关文件", "完成情况", "ICP",
               "网站标识码", "主办", "脚本", "隐藏")


@pytest.mark.parametrize("charset, codec, said", [("utf-8", "utf-8", "UTF-8（网页声明为 utf-8）"),
                                                  ("gb2312", "gbk", "GB18030（网页声明为 gb2312）")])
def test_a_saved_web_page_gives_the_article_without_menus_and_footers(tmp_path, charset, codec, said):
    page = (PLANS / "county-c.html").read_text(encoding="utf-8").replace("charset=utf-8", f"charset={charset}")
    out, task_list = imported(tmp_path, "county-c.html", page.encode(codec))
    assert out.splitlines()[0] == f"读取 {tmp_path / 'county-c.html'}：网页，编码 {said}，23 行"
    assert task_list["plan"] == {"title": "某区2024年民生实事工作方案", "issuer": "某区人民政府办公室",
                                 "number": "某政办字〔2024〕8号", "date": "2024-02-20", "start": "2024-01-01",
                                 "end": "2024-12-31", "source": "county-c.html"}
    assert rows(task_list) == COUNTY_C_TASKS
    assert targets(task_list) == [
        (1, "新增学位", 1200, "个", "at_least", "amount"),
        (2, "建成标准化村卫生室", 15, "个", "at_least", "amount"),
        (2, "家庭医生签约率", 75, "%", "at_least", "amount"),
        (3, "改造老旧小区", 20, "个", "at_least", "amount"),
        (3, "惠及居民", 0.8, "万户", "at_least", "amount"),
    ]
    assert task_list["tasks"][1]["text"] == ("提升基层医疗服务。\n建成标准化村卫生室15个，家庭医生签约率达到75%。\n"
                                             "（牵头单位：区卫生健康局；配合单位：各街道办事处）")
    assert "未能归入任务的行（0 行）\n已忽略的网页残留和版记（1 行）：第 23 行\n" in out
    written = (tmp_path / "ledger/data/tasks.yaml").read_text(encoding="utf-8") + out
    assert [word for word in PAGE_CHROME if word in written] == []


def county_d(path):
    """A Word plan: page header and footer, the number in a table, tasks numbered by hand and by Word."""
    import docx

    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "某镇人民政府文件（页眉）"
    document.sections[0].footer.paragraphs[0].text = "— 1 —"
    table = document.add_table(rows=2, cols=2)
    for row, (label, value) in zip(table.rows, (("发文字号", "某镇政发〔2024〕5号"), ("成文日期", "2024-05-06"))):
        row.cells[0].text, row.cells[1].text = label, value
    for text in ("某镇人民政府关于印发《某镇2024年重点项目推进方案》的通知", "各村（社区）：", "现将方案印发给你们，请抓好落实。",
                 "某镇人民政府", "2024年5月6日", "某镇2024年重点项目推进方案", "一、产业项目",
                 "1.建设食品产业园。完成投资1.5亿元，年底前一期投产。（牵头单位：镇经济发展办公室；配合单位：镇财政所）",
                 "2.推进光伏发电项目。新增装机容量2万千瓦。（镇党政办负责）", "二、民生项目"):
        document.add_paragraph(text)
    document.add_paragraph("硬化村内道路12公里。（牵头单位：镇规划建设办公室）", style="List Number")
    document.add_paragraph("改造农村户厕300户，10月底前完成。（牵头单位：镇农业农村办公室，配合单位：各村（社区））",
                           style="List Number")
    document.save(path)


def test_a_word_document_with_word_numbering_tables_and_page_furniture(tmp_path):
    county_d(tmp_path / "made.docx")
    out, task_list = imported(tmp_path, "county-d.docx", (tmp_path / "made.docx").read_bytes())
    assert out.splitlines()[0] == f"读取 {tmp_path / 'county-d.docx'}：Word 文档，16 行"
    assert task_list["plan"] == {"title": "某镇2024年重点项目推进方案", "issuer": "某镇人民政府",
                                 "number": "某镇政发〔2024〕5号", "date": "2024-05-06", "start": "2024-01-01",
                                 "end": "2024-12-31", "source": "county-d.docx"}
    assert rows(task_list) == [
        (1, 1, "建设食品产业园", ["镇经济发展办公室"], ["镇财政所"], "2024-12-31"),
        (2, 1, "推进光伏发电项目", ["镇党政办"], [], "2024-12-31"),
        (3, 2, "硬化村内道路12公里", ["镇规划建设办公室"], [], "2024-12-31"),
        (4, 2, "改造农村户厕300户", ["镇农业农村办公室"], ["各村（社区）"], "2024-10-31"),
    ]
    assert targets(task_list) == [
        (1, "完成投资", 1.5, "亿元", "at_least", "amount"),
        (2, "新增装机容量", 2, "万千瓦", "at_least", "amount"),
        (3, "硬化村内道路", 12, "公里", "at_least", "amount"),
        (4, "改造农村户厕", 300, "户", "at_least", "amount"),
    ]
    assert "页眉" not in out and "— 1 —" not in out


def shipped_as_page():
    """The shipped plan as its web page would be saved: metadata table, menu, article, share bar, footer."""
    meta = "".join(f"<tr><td>{line}</td></tr>" for line in SOURCE_LINES[:9])
    article = "".join(f"<p>　　{line}</p>" for line in SOURCE_LINES[10:-1])
    return (f"<html><head><meta charset='utf-8'><title>{SOURCE_LINES[9]}</title></head><body>"
            "<div class='nav'><a href='/'>首页</a><a href='/z'>政务公开</a><a href='/h'>互动交流</a></div>"
            f"<table class='info'>{meta}</table><h1>{SOURCE_LINES[9]}</h1><div id='zoom'>{article}</div>"
            f"<div class='share'>{SOURCE_LINES[-1]}</div><div class='footer'>版权所有：冠县人民政府</div></body></html>")


def test_the_shipped_plan_as_a_web_page_gives_the_shipped_task_list(tmp_path):
    out, _ = imported(tmp_path, "guanxian-2023-key-tasks.html", shipped_as_page().encode("utf-8"))
    assert (tmp_path / "ledger/data/tasks.yaml").read_text(encoding="utf-8") == SHIPPED.replace(
        "guanxian-2023-key-tasks.txt", "guanxian-2023-key-tasks.html")


def test_the_shipped_plan_as_word_with_word_numbering_gives_the_shipped_task_list(tmp_path):
    import docx

    document = docx.Document()
    for line in SOURCE_LINES:
        numbered = re.match(r"^\d+\.(.*)$", line)
        document.add_paragraph(numbered.group(1) if numbered else line, style="List Number" if numbered else None)
    document.save(tmp_path / "made.docx")
    out, _ = imported(tmp_path, "guanxian-2023-key-tasks.docx", (tmp_path / "made.docx").read_bytes())
    assert (tmp_path / "ledger/data/tasks.yaml").read_text(encoding="utf-8") == SHIPPED.replace(
        "guanxian-2023-key-tasks.txt", "guanxian-2023-key-tasks.docx")


# every annotation form, as it stands at the end of a task: lead units, support units
ANNOTATIONS = [
    ("（牵头单位：A局、B局，参与单位：C局）", ["A局", "B局"], ["C局"]),
    ("(牵头单位:A局,B局,参与单位:C中心)", ["A局", "B局"], ["C中心"]),
    ("（责任单位：A局）", ["A局"], []),
    ("（牵头单位：A局；责任单位：B局、C局）", ["A局"], ["B局", "C局"]),
    ("（A局牵头，B局、C局配合）", ["A局"], ["B局", "C局"]),
    ("（A局负责）", ["A局"], []),
    ("（A局、B局负责）", ["A局", "B局"], []),
    ("（牵头单位：A局；配合单位：B局；C局）", ["A局"], ["B局", "C局"]),
    ("（牵头单位：县政府办公室(大数据局)、县住房和城乡建设局）", ["县政府办公室(大数据局)", "县住房和城乡建设局"], []),
    ("（牵头单位：县政府办公室（大数据局））", ["县政府办公室（大数据局）"], []),
    ("（牵头单位：A局，各乡镇（街道）、各有关部门按职责分工负责）", ["A局"], ["各乡镇（街道）", "各有关部门"]),
    ("（各乡镇（街道）、各有关部门按职责分工负责）", ["各乡镇（街道）", "各有关部门"], []),
    ("（牵头部门：A局；协办部门：B办）", ["A局"], ["B办"]),
    ("（牵头：A局；参与：B局）", ["A局"], ["B局"]),
    ("（牵头单位：A局 ， 配合单位：B局）", ["A局"], ["B局"]),
    ("。牵头单位：A局；配合单位：B局、C局。", ["A局"], ["B局", "C局"]),
    ("（牵头单位：A局）（配合单位：B局）", ["A局"], ["B局"]),
    ("（A局牵头，B局参与）", ["A局"], ["B局"]),
    ("（责任单位：A局（牵头）、B局）", ["A局"], ["B局"]),
    ("（责任单位：A局，完成时限：2023年6月底前）", ["A局"], []),
    ("（牵头单位：A局，责任领导：张三）", ["A局"], []),
]


@pytest.mark.parametrize("annotation, lead, support", ANNOTATIONS, ids=[a for a, _, _ in ANNOTATIONS])
def test_annotation_forms(annotation, lead, support):
    body, found = annotations.trailing(f"做好工作。完成任务{annotation}")
    assert body.rstrip("。") == "做好工作。完成任务"
    leader = ["“责任领导：张三”是领导而不是单位，未导入"] if "领导" in annotation else []
    assert annotations.parse(found) == (lead, support, leader, [])


def test_text_in_brackets_that_names_no_units_stays_in_the_text():
    for text in ("完成任务(其中因病致贫人群上级相关政策出台后,立即执行)。", "落实行动计划（2023—2025年）。", "建设项目（冠县）。"):
        assert annotations.trailing(text) == (text, [])


@pytest.mark.parametrize("text, day", [
    ("年底前完成。", "2023-12-31"), ("2023年底前完成。", "2023-12-31"), ("2023年底，力争实现全覆盖。", "2023-12-31"),
    ("6月底前完成方案。", "2023-06-30"), ("上半年完成。", "2023-06-30"), ("第三季度开工。", "2023-09-30"),
    ("三季度开工。", "2023-09-30"), ("年内城镇新增就业0.45万人。", "2023-12-31"), ("2月底前完成。", "2023-02-28"),
    ("6月30日前完成。", "2023-06-30"), ("6月底前完成方案，年底前全面建成。", "2023-12-31"),
    ("每月底前报送进展，每季度调度一次。", None), ("到2025年底前全面完成。", None), ("十年内实现倍增。", None),
    ("2023年度规划开工项目6个。", None),
])
def test_deadlines_written_in_a_task(text, day):
    assert max((d.day for d in deadlines(text, 2023) if d.day.startswith("2023")), default=None) == day


def test_numbering_mistakes_are_reported_not_hidden():
    found = import_text("某县2024年工作任务\n一、甲\n1.做甲。（牵头单位：县甲局）\n3.做乙。（牵头单位：县乙局）\n"
                        "二、乙\n3.做丙。（牵头单位：县丙局）\n")
    assert [(t["id"], t["number"]) for t in found.tasks] == [(1, 1), (2, 3), (3, 3)]
    assert [note for note in found.notes if "编号" in note[1]] == [
        (6, "编号 3 与前面的编号重复或顺序颠倒；任务序号已按全文顺序编为 1–3")]
    gap = import_text("某县2024年工作任务\n一、甲\n1.做甲。（牵头单位：县甲局）\n3.做乙。（牵头单位：县乙局）\n")
    assert [t["id"] for t in gap.tasks] == [1, 3]
    assert [note for note in gap.notes if "编号" in note[1]] == [(0, "任务编号不连续，原文缺少第 2 号；序号照原文")]


PLAN_CHARACTERS = ("一二三十百零〇、（）()123456789.。，,：:；;牵头单位配合参与负责按职责分工县局各乡镇街道年月日底前季度上半内"
                   "%万亿亩个家以上以内左右达到不少于控制在《》“”第部分关于印发的通知〔〕号2023\n ")


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=PLAN_CHARACTERS, max_size=300))
def test_any_text_gives_a_task_list_or_a_chinese_refusal(text):
    try:
        found = import_text(text, "x.txt")
    except LedgerError as error:
        assert "无法确定计划年度" in str(error)
        return
    assert [t["id"] for t in found.tasks] == sorted({t["id"] for t in found.tasks})
    for task in found.tasks:
        assert found.plan["start"] <= task["due"] <= found.plan["end"]


def test_a_document_path_with_no_tasks_writes_nothing(tmp_path):
    write(tmp_path / "x.txt", "2023年计划\n正文。\n")
    assert run("import", tmp_path / "x.txt", root=tmp_path).code == 1
    assert [p.name for p in tmp_path.iterdir()] == ["x.txt"]


# county E: the plan as a task table (序号 | 重点任务 | 牵头单位 | 配合单位 | 完成时限), sections in rows spanning the table
TABLE = [["序号", "重点任务", "牵头单位", "配合单位", "完成时限"], ["一、粮食安全"],
         ["1", "稳定粮食生产。粮食播种面积稳定在120万亩以上。", "县农业农村局", "各乡镇（街道）", "2024年10月"],
         ["2", "建设高标准农田3万亩", "县农业农村局、县财政局", "县自然资源局", "2024年12月底前"], ["二、乡村建设"],
         ["3", "新改建农村公路80公里", "县交通运输局", "", "9月"],
         ["4", "推进农村改厕", "县农业农村局", "县卫生健康局", "长期坚持"]]
TABLE_FRONT = ["某县乡村振兴领导小组办公室关于印发《某县2024年乡村振兴重点任务分工方案》的通知", "某乡振办发〔2024〕2号",
               "各乡镇（街道），县直有关部门：", "现将分工方案印发给你们。", "某县乡村振兴领导小组办公室", "2024年3月1日"]
TABLE_TASKS = [
    (1, 1, "稳定粮食生产", ["县农业农村局"], ["各乡镇（街道）"], "2024-10-31"),
    (2, 1, "建设高标准农田3万亩", ["县农业农村局", "县财政局"], ["县自然资源局"], "2024-12-31"),
    (3, 2, "新改建农村公路80公里", ["县交通运输局"], [], "2024-09-30"),
    (4, 2, "推进农村改厕", ["县农业农村局"], ["县卫生健康局"], "2024-12-31"),
]
TABLE_TARGETS = [(1, "粮食播种面积", 120, "万亩", "at_least", "amount"), (2, "建设高标准农田", 3, "万亩", "at_least", "amount"),
                 (3, "新改建农村公路", 80, "公里", "at_least", "amount")]


def test_a_task_table_in_word(tmp_path):
    import docx

    document = docx.Document()
    for text in TABLE_FRONT:
        document.add_paragraph(text)
    table = document.add_table(rows=len(TABLE), cols=5)
    for row, cells in zip(table.rows, TABLE):
        if len(cells) == 1:
            row.cells[0].merge(row.cells[4]).text = cells[0]
        else:
            for cell, text in zip(row.cells, cells):
                cell.text = text
    document.save(tmp_path / "made.docx")
    out, task_list = imported(tmp_path, "county-e.docx", (tmp_path / "made.docx").read_bytes())
    assert [(s["numeral"], s["title"]) for s in task_list["sections"]] == [("一", "粮食安全"), ("二", "乡村建设")]
    assert rows(task_list) == TABLE_TASKS and targets(task_list) == TABLE_TARGETS
    assert task_list["tasks"][2]["text"] == "新改建农村公路80公里。（完成时限：9月）（牵头单位：县交通运输局）"
    assert task_list["plan"]["number"] == "某乡振办发〔2024〕2号" and task_list["plan"]["date"] == "2024-03-01"


def test_a_task_table_in_a_web_page(tmp_path):
    body = "".join(f"<p>{text}</p>" for text in TABLE_FRONT) + "<table><tbody>" + "".join(
        "<tr>" + ("<td colspan='5'>{}</td>".format(cells[0]) if len(cells) == 1 else
                  "".join(f"<{'th' if n == 0 else 'td'}>{c}</{'th' if n == 0 else 'td'}>" for c in cells)) + "</tr>"
        for n, cells in enumerate(TABLE)) + "</tbody></table>"
    out, task_list = imported(tmp_path, "county-e.html", f"<html><body>{body}</body></html>".encode())
    assert rows(task_list) == TABLE_TASKS and targets(task_list) == TABLE_TARGETS


# county F: 1） numbering, units right after the title, ① sub-items, 县…（牵头） inside a 责任单位 list and the
# deadline inside the annotation
def test_county_f_units_after_the_title_sub_items_and_deadlines_in_the_annotation(tmp_path):
    out, task_list = imported(tmp_path, "county-f.txt", (PLANS / "county-f.txt").read_bytes())
    assert rows(task_list) == [
        (1, 1, "加强项目调度", ["县发展和改革局"], [], "2024-12-31"),
        (2, 1, "加快园区建设", ["县经济开发区"], ["县住房和城乡建设局"], "2024-09-30"),
        (3, 2, "保障项目用地", ["县自然资源局"], [], "2024-06-30"),
    ]
    assert targets(task_list) == [
        (1, "开工项目", 30, "个", "at_least", "amount"),
        (2, "完成园区道路建设", 5, "公里", "at_least", "amount"),
        (2, "新建标准厂房", 10, "万平方米", "at_least", "amount"),
        (3, "新增建设用地", 2000, "亩", "at_least", "amount"),
    ]
    assert task_list["tasks"][1]["text"] == ("加快园区建设。\n①完成园区道路建设5公里；\n②新建标准厂房10万平方米。\n"
                                             "（责任单位：县经济开发区（牵头）、县住房和城乡建设局，完成时限：2024年9月底前）")
    assert task_list["plan"]["number"] == "未注明"
    assert "需要核对（1 处）：\n  没有找到文号，已填“未注明”；请在 data/tasks.yaml 的 plan 里填写\n" in out


# county G: issued jointly by two offices, tasks numbered （一） under 一、 sections, 责任单位 written after the
# last sentence without brackets, a 保障措施 section whose items name no unit
def test_county_g_joint_issuers_and_tasks_numbered_like_sections(tmp_path):
    out, task_list = imported(tmp_path, "county-g.txt", (PLANS / "county-g.txt").read_bytes())
    assert task_list["plan"] == {"title": "某县2024年营商环境攻坚行动方案", "issuer": "中共某县委办公室、某县人民政府办公室",
                                 "number": "某办发〔2024〕7号", "date": "2024-04-02", "start": "2024-01-01",
                                 "end": "2024-12-31", "source": "county-g.txt"}
    assert [(s["id"], s["numeral"], s["title"]) for s in task_list["sections"]] == [(1, "二", "重点任务"),
                                                                                  (2, "三", "保障措施")]
    assert rows(task_list) == [
        (1, 1, "深化“放管服”改革", ["县行政审批服务局", "县大数据中心"], [], "2024-12-31"),
        (2, 1, "降低企业成本", ["县税务局", "县财政局"], [], "2024-12-31"),
        (3, 1, "优化法治环境", ["县司法局"], [], "2024-06-30"),
        (4, 2, "加强组织领导", [], [], "2024-12-31"),
        (5, 2, "强化督导考核", [], [], "2024-12-31"),
    ]
    assert targets(task_list) == [(1, "政务服务事项网上可办率", 95, "%", "at_least", "amount"),
                                  (2, "为企业减负", 1.2, "亿元", "at_least", "amount")]
    assert [t["id"] for t in task_list["tasks"] if t.get("coordination")] == [4, 5]
    assert ("没有点名单位（统筹类）：第 4、5 项\n文头和通知正文：第 1–9 行（标题、发文机关、文号、成文日期从这里读出；"
            "其余不是任务）\n未能归入任务的行（2 行）：\n"
            "  第 10 行：一、总体要求 —— 是指导思想、目标、原则一类的内容，不是任务\n"
            "  第 11 行：以习近平新时代中国特色社会主义思想为指导，全面优化营商环境。 —— 是指导思想、目标、原则一类的内容，"
            "不是任务\n") in out
