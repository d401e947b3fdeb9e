"""data/tasks.yaml and data/units.yaml against the plan document, compared by hand."""

import re

import pytest

from conftest import REPO, SOURCE, run
from ledger.files.tasklist import task_list_yaml
from ledger.plans.parser import import_text
from ledger.files.yamlio import parse

TASKS = parse((REPO / "data" / "tasks.yaml").read_text(encoding="utf-8"), "tasks.yaml")[0]
UNITS = parse((REPO / "data" / "units.yaml").read_text(encoding="utf-8"), "units.yaml")[0]["units"]
BY_ID = {task["id"]: task for task in TASKS["tasks"]}

SHORT = {
    "工信": "县工业和信息化局", "发改": "县发展和改革局", "市监": "县市场监督管理局", "财政": "县财政局",
    "金融": "县金融与企业服务中心", "组织": "县委组织部", "人社": "县人力资源和社会保障局", "教体": "县教育和体育局",
    "农业": "县农业农村局", "经发": "县经济发展服务中心", "环境": "市生态环境局冠县分局", "商务": "县商务和投资促进局",
    "交通": "县交通运输局", "开发区": "县经济开发区", "人行": "中国人民银行冠县支行", "自规": "县自然资源和规划局",
    "水利": "县水利局", "公路": "县公路事业发展中心", "林业": "县林业局", "住建": "县住房和城乡建设局",
    "执法": "县综合行政执法局", "大数据": "县政府办公室(大数据局)", "文旅": "县文化和旅游局", "政府办": "县政府办公室",
    "审批": "县行政审批服务局", "司法": "县司法局", "国资": "县国有资产管理服务中心", "税务": "县税务局",
    "贸促会": "县贸促会", "宣传": "县委宣传部", "卫健": "县卫生健康局", "民政": "县民政局", "医保": "县医疗保障局",
    "应急": "县应急管理局",
}

# every item's units, read off the document by hand: "lead | support"
UNITS_BY_HAND = """
1 工信; 2 工信 发改; 3 工信; 4 工信 市监; 5 工信; 6 工信 财政 | 金融; 7 工信; 8 组织 人社 工信 教体;
9 工信 发改 农业; 10 工信 经发; 11 工信; 12 发改 工信 环境; 13 发改 商务 交通 开发区; 14 工信; 15 工信;
16 工信 市监 金融; 17 工信 金融 人行; 18 商务; 19 发改 商务 自规 水利 财政 环境; 20 交通 | 发改;
21 交通 | 发改 公路; 22 发改; 23 发改; 24 水利; 25 水利 | 发改; 26 水利 | 自规 农业; 27 工信; 28 自规 环境;
29 发改 环境; 30 环境 农业; 31 林业; 32 水利 工信; 33 住建; 34 工信; 35 住建 执法; 36 执法; 37 发改 | 工信 经发;
38 住建 | 执法; 39 大数据 住建 执法; 40 发改 环境 自规 水利 执法 文旅; 41 发改; 42 农业; 43 农业; 44 农业;
45 农业; 46 农业; 47 农业; 48 农业; 49 农业; 50 农业 市监; 51 农业 自规 交通 住建 环境 水利;
52 农业 自规 人社 人行; 53 政府办 审批 司法 市监; 54 国资 财政; 55 工信 市监 金融 审批; 56 工信; 57 市监 发改;
58 财政; 59 工信; 60 商务; 61 商务 | 财政; 62 商务 税务 人行; 63 经发 | 工信 财政; 64 商务 | 发改 自规 环境;
65 商务 交通 | 发改; 66 开发区; 67 商务 贸促会; 68 宣传; 69 宣传; 70 宣传; 71 宣传 文旅; 72 宣传 文旅;
73 宣传 文旅; 74 宣传 文旅; 75 宣传; 76 文旅; 77 文旅; 78 文旅 商务; 79 发改; 80 发改 人社 财政; 81 教体;
82 教体; 83 教体; 84 卫健; 85 民政 财政 医保; 86 民政; 87 民政; 88 卫健; 89 卫健; 90 卫健; 91 医保 财政;
92 卫健; 93 应急; 94 金融 财政; 95 发改; 96 市监; 97; 98; 99
"""


def hand_units():
    table = {}
    for item in UNITS_BY_HAND.replace("\n", " ").split(";"):
        number, _, rest = item.strip().partition(" ")
        lead, _, support = rest.partition("|")
        table[int(number)] = ([SHORT[s] for s in lead.split()], [SHORT[s] for s in support.split()])
    return table


# every numeric target, read off the document by hand: task, name, value, measure, comparator, kind
TARGETS_BY_HAND = [
    (2, "布局建设市级创新平台", 4, "家", "at_least", "amount"),
    (4, "培育省级技术创新示范企业", 1, "家", "at_least", "amount"),
    (4, "省级以上质量标杆企业", 1, "家", "at_least", "amount"),
    (4, "专利授权量增长", 5, "%", "at_least", "growth"),
    (5, "新增高新技术企业", 10, "家", "at_least", "amount"),
    (5, "科技型中小企业入库", 80, "家", "at_least", "amount"),
    (8, "引进省级以上高层次人才", 1, "人", "at_least", "amount"),
    (8, "海外留学归国人员", 8, "人", "at_least", "amount"),
    (8, "高校毕业生", 4000, "人", "at_least", "amount"),
    (8, "新增高技能人才", 280, "人", "at_least", "amount"),
    (10, "突出抓好强链延链补链新建、技改重点项目", 20, "个", "about", "amount"),
    (10, "参加省级融链固链对接交流活动", 2, "场", "at_least", "amount"),
    (10, "推动“专精特新”企业与链主企业对接合作", 10, "家", "at_least", "amount"),
    (11, "实施投资500万元以上技术改造项目", 60, "个", "at_least", "amount"),
    (14, "推动数字经济项目落地", 2, "个", "at_least", "amount"),
    (15, "新增省级智能工厂、数字化车间", 2, "家", "at_least", "amount"),
    (15, "推动中小企业数字化智能化改造", 100, "家", "at_least", "amount"),
    (15, "数字经济核心产业增加值增长", 18, "%", "at_least", "growth"),
    (15, "占GDP比重", 3, "%", "at_least", "amount"),
    (16, "新增省级以上“专精特新”企业", 20, "家", "at_least", "amount"),
    (16, "培育制造业单项冠军企业(产品)", 1, "家", "at_least", "amount"),
    (16, "新增省级质量品牌企业", 1, "家", "at_least", "amount"),
    (19, "储备动态在库项目", 100, "个", "at_least", "amount"),
    (19, "在建省市县重点项目", 50, "个", "at_least", "amount"),
    (19, "年度竣工投产项目", 30, "个", "at_least", "amount"),
    (22, "新能源装机容量", 53.5, "万千瓦", "at_least", "amount"),
    (22, "建设110千伏变电站", 1, "座", "at_least", "amount"),
    (25, "开工建设位山、彭楼大型引黄灌区续建配套与现代化改造", 2, "处", "at_least", "amount"),
    (26, "治理水土流失面积", 2.55, "平方公里", "at_least", "amount"),
    (26, "建设省级水土保持生态清洁小流域", 1, "条", "at_least", "amount"),
    (31, "完成造林", 1300, "亩", "at_least", "amount"),
    (31, "完成森林抚育", 9, "万亩", "at_least", "amount"),
    (32, "年度用水总量", 2.207, "亿立方米", "at_most", "amount"),
    (32, "非常规水源利用量", 700, "万立方米", "at_least", "amount"),
    (33, "新增绿色建筑面积", 20, "万平方米", "at_least", "amount"),
    (33, "城镇新建民用建筑中绿色建筑占比", 100, "%", "at_least", "amount"),
    (34, "争创市级以上绿色制造示范单位", 5, "家", "at_least", "amount"),
    (36, "城区生活垃圾焚烧处理率", 100, "%", "at_least", "amount"),
    (38, "完成老旧小区改造", 8, "个", "at_least", "amount"),
    (42, "粮食面积", 150, "万亩", "at_least", "amount"),
    (42, "粮食产量", 13.5, "亿斤", "at_least", "amount"),
    (45, "新建和改造提升高标准农田面积", 4, "万亩", "about", "amount"),
    (45, "粮食产能提高", 400, "万斤", "at_least", "amount"),
    (46, "完成养殖池塘标准化改造", 124.56, "亩", "at_least", "amount"),
    (47, "能繁母猪", 1.35, "万头", "at_least", "amount"),
    (51, "打造示范片区", 1, "个", "at_least", "amount"),
    (51, "建成省级美丽乡村示范村", 4, "个", "at_least", "amount"),
    (51, "新改建农村公路", 150, "公里", "at_least", "amount"),
    (51, "农村生活污水治理覆盖率", 50, "%", "at_least", "amount"),
    (52, "加快衔接乡村振兴推进区建设", 1, "个", "at_least", "amount"),
    (52, "争创省级乡村振兴齐鲁样板示范区", 1, "个", "at_least", "amount"),
    (52, "培育高素质农民", 500, "人", "at_least", "amount"),
    (53, "证明材料共享率", 60, "%", "at_least", "amount"),
    (60, "组织参加山东省境外百展及其他国内外重点展会", 3, "场", "at_least", "amount"),
    (68, "新创建县级文明家庭", 10, "个", "at_least", "amount"),
    (69, "评选全县道德模范", 50, "名", "at_least", "amount"),
    (69, "冠县好人", 30, "名", "at_least", "amount"),
    (73, "新增城市书房", 2, "家", "at_least", "amount"),
    (73, "开展群众文化活动", 3224, "场", "at_least", "amount"),
    (73, "乡村阅读活动", 1500, "场", "at_least", "amount"),
    (73, "举办“一村一场戏”", 352, "场", "at_least", "amount"),
    (73, "放映农村公益电影", 2817, "场", "at_least", "amount"),
    (77, "组织三个非遗项目入驻学校", 12, "个", "at_least", "amount"),
    (77, "课时", 600, "课时", "at_least", "amount"),
    (80, "城镇新增就业", 0.45, "万人", "at_least", "amount"),
    (81, "学前教育公办园在园幼儿占比", 60, "%", "at_least", "amount"),
    (82, "新建幼儿园", 2, "所", "at_least", "amount"),
    (82, "新建幼儿园规划新增学位", 810, "个", "at_least", "amount"),
    (82, "改扩建中小学", 2, "所", "at_least", "amount"),
    (82, "改扩建中小学规划新增学位", 450, "个", "at_least", "amount"),
    (82, "2023年度规划开工项目", 6, "个", "at_least", "amount"),
    (83, "各乡镇(街道)和县直机关、企事业单位体育场地开放比例", 80, "%", "at_least", "amount"),
    (84, "推动至少创建市级示范托育机构", 1, "家", "at_least", "amount"),
    (84, "县级示范性托育服务机构", 2, "家", "at_least", "amount"),
    (84, "新增3岁以下婴幼儿托位", 500, "个", "at_least", "amount"),
    (86, "社区养老服务设施配建达标率", 100, "%", "at_least", "amount"),
    (86, "养老机构护理型床位占比", 65, "%", "at_least", "amount"),
    (86, "新建幸福食堂", 4, "处", "at_least", "amount"),
    (87, "特殊困难老年人月探访率", 100, "%", "at_least", "amount"),
    (91, "医疗救助范围群体", 9, "类", "at_least", "amount"),
    (91, "救助标准", 3, "万元", "at_least", "amount"),
    (95, "从生产者手中购进粮食", 25, "万吨", "at_least", "amount"),
    (95, "粮食购销总量", 70, "万吨", "at_least", "amount"),
]


def test_plan_metadata():
    assert TASKS["plan"] == {
        "title": "冠县深化新旧动能转换推动绿色低碳高质量发展2023年重点工作任务",
        "issuer": "冠县人民政府办公室",
        "number": "冠政办字〔2023〕6号",
        "date": "2023-08-29",
        "start": "2023-01-01",
        "end": "2023-12-31",
        "source": "guanxian-2023-key-tasks.txt",
    }


def test_sections():
    assert [(s["id"], s["numeral"], s["title"]) for s in TASKS["sections"]] == [
        (1, "一", "深入实施创新驱动发展战略"), (2, "二", "纵深推进新旧动能转换"), (3, "三", "坚定不移扩大内需"),
        (4, "四", "协同推进降碳减污扩绿增长"), (5, "五", "深化区域协调发展"), (6, "六", "推动乡村全面振兴"),
        (7, "七", "深化改革扩大开放"), (8, "八", "繁荣发展文化事业和文化产业"), (9, "九", "扎实推进共同富裕"),
        (10, "十", "坚决守好安全发展底线"), (11, "十一", "切实抓好组织实施")]
    first_of_section = {1: 1, 2: 9, 3: 18, 4: 28, 5: 37, 6: 41, 7: 53, 8: 68, 9: 79, 10: 92, 11: 97}
    for task in TASKS["tasks"]:
        starts = [s for s, first in first_of_section.items() if first <= task["id"]]
        assert task["section"] == max(starts), task["id"]


def test_every_unit_of_every_task_matches_the_document():
    table = hand_units()
    assert sorted(BY_ID) == list(range(1, 100))
    for number, (lead, support) in table.items():
        task = BY_ID[number]
        assert (task["lead_units"], task.get("support_units", [])) == (lead, support), number


def test_tasks_led_by_the_water_bureau():
    led = [t["id"] for t in TASKS["tasks"] if "县水利局" in t["lead_units"]]
    supported = [t["id"] for t in TASKS["tasks"] if "县水利局" in t.get("support_units", [])]
    assert (led, supported) == ([19, 24, 25, 26, 32, 40, 51], [])


def test_coordination_items_have_no_lead():
    for number in (97, 98, 99):
        assert BY_ID[number]["lead_units"] == [] and BY_ID[number]["coordination"] is True
    assert [t["id"] for t in TASKS["tasks"] if t.get("coordination")] == [97, 98, 99]


def test_text_is_verbatim_and_title_is_the_first_sentence():
    lines = SOURCE.read_text(encoding="utf-8").splitlines()
    for task in TASKS["tasks"]:
        assert f"{task['id']}.{task['text']}" in lines, task["id"]
        assert task["title"] == task["text"].split("。")[0]
    assert BY_ID[39]["title"] == "大力提升城市管理智慧化水平"
    assert BY_ID[35]["title"] == "推进城市排水“两清零、一提标”"


def test_due_dates():
    # the items that name a deadline (53 年底前, 68 2023年底, 80 年内, 83 2023年底前) all end with the plan
    assert {t["due"] for t in TASKS["tasks"]} == {"2023-12-31"}


def test_every_numeric_target_matches_the_document():
    found = [(t["id"], g["name"], g["value"], g["measure"], g["comparator"], g["kind"])
             for t in TASKS["tasks"] for g in t.get("targets", [])]
    assert found == TARGETS_BY_HAND
    assert len(BY_ID[73]["targets"]) == 5
    # exact values, as written: no float noise, 万 and 亿 kept in the measure
    text = (REPO / "data" / "tasks.yaml").read_text(encoding="utf-8")
    for written in ("value: 0.45\n", "value: 2.207\n", "value: 124.56\n", "value: 13.5\n", "value: 1.35\n"):
        assert written in text


def test_every_target_keeps_the_sentence_it_came_from():
    for task in TASKS["tasks"]:
        for target in task.get("targets", []):
            assert target["source"] in task["text"]
            assert re.search(rf"{target['value']:g}", target["source"])


def test_the_task_list_is_what_the_importer_makes_of_the_document():
    found = import_text(SOURCE.read_text(encoding="utf-8"), SOURCE.name)
    assert task_list_yaml(found.plan, found.sections, found.tasks) == (REPO / "data" / "tasks.yaml").read_text(encoding="utf-8")
    assert found.unplaced == [] and found.notes == []
    assert found.leftovers == [(129, "如果您对该文件有疑问,可以通过 网上咨询 方式咨询相关单位,还可以拨打 ,或者到 进行现场咨询。"),
                               (130, "扫一扫在手机打开当前页面")]


def test_the_unit_registry_holds_every_unit_named_exactly_once():
    names = [unit["name"] for unit in UNITS]
    assert sorted(names) == sorted(SHORT.values())
    named = {u for t in TASKS["tasks"] for u in t["lead_units"] + t.get("support_units", [])}
    assert named == set(names)


@pytest.mark.parametrize("typed, meant", [
    ("水利局", "县水利局"), ("县水利局", "县水利局"), ("工信局", "县工业和信息化局"), ("发改局", "县发展和改革局"),
    ("人行冠县支行", "中国人民银行冠县支行"), ("大数据局", "县政府办公室(大数据局)"), ("政府办", "县政府办公室"),
    ("生态环境分局", "市生态环境局冠县分局"), ("林业", "县林业局"),
])
def test_units_resolve_from_aliases(typed, meant):
    result = run("status", "--unit", typed, "--as-of", "2023-06-30", "--format", "json", root=REPO)
    assert result.code == 0, result.err
    # the office (data/config.yaml) reports the tasks that name no unit
    assert result.out.count('"id"') == sum(
        meant in t["lead_units"] or meant in t.get("support_units", [])
        or (not t["lead_units"] and meant == "县政府办公室") for t in TASKS["tasks"])


def test_the_shipped_data_validates_clean():
    assert run("validate", root=REPO) == (0, "", "")
