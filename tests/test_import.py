"""`ledger import`: the shipped plan gives data/tasks.yaml byte for byte; --dry-run writes nothing;
hand edits survive a re-import; new units are appended to the registry; bad input is refused in Chinese."""

import shutil
from pathlib import Path

import pytest

from conftest import REPO, run, run_process, write
from ledger.files.yamlio import parse

PLANS = Path(__file__).parent / "plans"
DOC = "data/source/guanxian-2023-key-tasks.txt"
BASE = "data/source/tasks.imported.yaml"
SHIPPED_FILES = ("data/tasks.yaml", "data/units.yaml", "data/config.yaml", BASE, DOC)


@pytest.fixture
def shipped(tmp_path):
    """A copy of the shipped ledger: task list, units, config, the plan document and the record of its import."""
    for name in SHIPPED_FILES:
        shutil.copy(REPO / name, write(tmp_path / name, ""))
    (tmp_path / "data" / "progress").mkdir()
    return tmp_path


def snapshot(root):
    """Every file under root and its bytes, the cache (and the import's lock in it) aside."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and ".ledger-cache" not in p.parts}


def tasks(root):
    return {t["id"]: t for t in parse((root / "data/tasks.yaml").read_text(encoding="utf-8"), "t")[0]["tasks"]}


def test_importing_the_shipped_plan_reproduces_the_task_list_byte_for_byte(shipped):
    before = snapshot(shipped)
    result = run("import", shipped / DOC, root=shipped)
    assert result.code == 0, result.err
    assert result.out.endswith("任务清单、单位名录都没有变化，没有写入任何文件。\n")
    assert snapshot(shipped) == before
    assert (shipped / "data/tasks.yaml").read_bytes() == (REPO / "data/tasks.yaml").read_bytes()


def test_a_new_ledger_gets_the_task_list_the_registry_and_the_record(tmp_path):
    shutil.copy(REPO / DOC, write(tmp_path / "plan.txt", ""))
    (tmp_path / "ledger").mkdir()
    result = run("import", tmp_path / "plan.txt", root=tmp_path / "ledger")
    assert result.code == 0, result.err
    assert result.out.splitlines()[-1] == (
        "已写入：data/units.yaml（新登记 34 个单位）、data/tasks.yaml（99 项任务）、"
        "data/source/tasks.imported.yaml（本次导入的原样结果，供下次导入比对人工修改）。")
    written = (tmp_path / "ledger/data/tasks.yaml").read_text(encoding="utf-8")
    assert written == (REPO / "data/tasks.yaml").read_text(encoding="utf-8").replace(
        "source: guanxian-2023-key-tasks.txt", "source: plan.txt")
    assert (tmp_path / "ledger" / BASE).read_text(encoding="utf-8") == written
    registry = parse((tmp_path / "ledger/data/units.yaml").read_text(encoding="utf-8"), "u")[0]["units"]
    shipped_names = [u["name"] for u in parse((REPO / "data/units.yaml").read_text(encoding="utf-8"), "u")[0]["units"]]
    assert [u["name"] for u in registry] == shipped_names  # in the order the plan names them
    assert all(u["aliases"] == [] and u["reviewers"] == [] for u in registry)
    assert run("validate", root=tmp_path / "ledger") == (0, "", "")
    again = run("import", tmp_path / "plan.txt", root=tmp_path / "ledger")
    assert again.out.endswith("任务清单、单位名录都没有变化，没有写入任何文件。\n")


DRY_RUN = """\
读取 data/source/guanxian-2023-key-tasks.txt：纯文本，编码 UTF-8，130 行
计划：冠县深化新旧动能转换推动绿色低碳高质量发展2023年重点工作任务
发文：冠县人民政府办公室 · 冠政办字〔2023〕6号 · 成文日期 2023-08-29 · 计划期 2023-01-01 至 2023-12-31
计划年度：2023 年，取自标题“冠县深化新旧动能转换推动绿色低碳高质量发展2023年重点工作任务”
部分                            任务序号    任务数    单位数    指标数
------------------------------  ----------  --------  --------  --------
一、深入实施创新驱动发展战略    1–8         8         8         10
二、纵深推进新旧动能转换        9–17        9         11        12
三、坚定不移扩大内需            18–27       10        10        8
四、协同推进降碳减污扩绿增长    28–36       9         9         8
五、深化区域协调发展            37–40       4         10        1
六、推动乡村全面振兴            41–52       12        10        13
七、深化改革扩大开放            53–67       15        18        2
八、繁荣发展文化事业和文化产业  68–78       11        3         10
九、扎实推进共同富裕            79–91       13        7         17
十、坚决守好安全发展底线        92–96       5         6         2
十一、切实抓好组织实施          97–99       3         0         0
共 11 个部分、99 项任务；任务序号照原文编号
单位 34 个：县工业和信息化局、县发展和改革局、县市场监督管理局、县财政局、县金融与企业服务中心、县委组织部、\
县人力资源和社会保障局、县教育和体育局、县农业农村局、县经济发展服务中心、市生态环境局冠县分局、县商务和投资促进局、\
县交通运输局、县经济开发区、中国人民银行冠县支行、县自然资源和规划局、县水利局、县公路事业发展中心、县林业局、\
县住房和城乡建设局、县综合行政执法局、县政府办公室(大数据局)、县文化和旅游局、县政府办公室、县行政审批服务局、县司法局、\
县国有资产管理服务中心、县税务局、县贸促会、县委宣传部、县卫生健康局、县民政局、县医疗保障局、县应急管理局
新登记的单位 0 个
指标 83 个：不少于 80 · 不超过 1 · 左右 2；其中增长率 2 个
完成时限：2023-12-31 99 项
没有点名单位（统筹类）：第 97、98、99 项
文头和通知正文：第 1–18 行（标题、发文机关、文号、成文日期从这里读出；其余不是任务）
未能归入任务的行（0 行）
已忽略的网页残留和版记（2 行）：第 129、130 行
需要核对（0 处）
与现有任务清单相比：文档带来的变化 0 处；保留的人工修改 0 处；冲突 0 处
预演：没有写入任何文件。
"""


def test_dry_run_prints_one_screen_and_writes_nothing(shipped, monkeypatch):
    monkeypatch.chdir(shipped)  # the ledger is found from the current folder, as people run it
    (shipped / BASE).unlink()  # an import would write it
    before = snapshot(shipped)
    result = run("import", DOC, "--dry-run")
    assert result == (0, DRY_RUN, "")
    assert snapshot(shipped) == before
    assert not (shipped / ".ledger-cache").exists()  # not even a lock


def test_the_same_document_gives_the_same_bytes(tmp_path):
    outputs = []
    for name in ("one", "two"):
        (tmp_path / name).mkdir()
        assert run("import", REPO / DOC, root=tmp_path / name).code == 0
        outputs.append({k: v for k, v in snapshot(tmp_path / name).items() if not k.startswith(".ledger-cache")})
    assert outputs[0] == outputs[1] and len(outputs[0]) == 3


# hand edits an office makes after the import: a lead for the three coordination items, a corrected
# target, and a task added by hand
EDITS = (
    ("  lead_units: []\n  coordination: true\n", "  lead_units:\n  - 县政府办公室\n"),
    ("    value: 2.207\n", "    value: 2.2\n"),
)
ADDED_TASK = """\
- id: 100
  section: 11
  title: 办公室补充的任务
  text: 办公室补充的任务。(牵头单位:县政府办公室)
  lead_units:
  - 县政府办公室
  due: 2023-12-31
"""


def edit_by_hand(root):
    path = root / "data/tasks.yaml"
    text = path.read_text(encoding="utf-8")
    for old, new in EDITS:
        assert old in text
        text = text.replace(old, new)
    path.write_text(text + ADDED_TASK, encoding="utf-8")
    return path.read_bytes()


def change_document(root, old, new):
    path = root / DOC
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_reimporting_keeps_every_hand_edit(shipped):
    edited = edit_by_hand(shipped)
    result = run("import", shipped / DOC, root=shipped)
    assert result.code == 0, result.err
    assert ("与现有任务清单相比：文档带来的变化 0 处；保留的人工修改 8 处（第 32 项 指标、第 97 项 牵头单位、第 97 项 统筹类、"
            "第 98 项 牵头单位、第 98 项 统筹类、第 99 项 牵头单位、第 99 项 统筹类、第 100 项）；冲突 0 处\n") in result.out
    assert (shipped / "data/tasks.yaml").read_bytes() == edited
    assert (shipped / BASE).read_bytes() == (REPO / BASE).read_bytes()
    assert run("validate", root=shipped) == (0, "", "")


def test_a_changed_document_updates_what_was_not_edited_by_hand(shipped):
    edit_by_hand(shipped)
    change_document(shipped, "全县完成造林1300亩", "全县完成造林1500亩")
    result = run("import", shipped / DOC, root=shipped)
    assert result.code == 0, result.err
    assert "文档带来的变化 2 处（第 31 项 原文、第 31 项 指标）；保留的人工修改 8 处" in result.out
    now = tasks(shipped)
    assert now[31]["targets"][0]["value"] == 1500 and "造林1500亩" in now[31]["text"]
    assert now[32]["targets"][0]["value"] == 2.2
    assert [now[n]["lead_units"] for n in (97, 98, 99, 100)] == [["县政府办公室"]] * 4
    base = parse((shipped / BASE).read_text(encoding="utf-8"), "b")[0]["tasks"]
    assert base[30]["targets"][0]["value"] == 1500 and base[31]["targets"][0]["value"] == 2.207


def test_a_field_changed_on_both_sides_is_refused_until_told_which_wins(shipped):
    edited = edit_by_hand(shipped)
    change_document(shipped, "控制在2.207亿立方米以内", "控制在2.3亿立方米以内")
    before = snapshot(shipped)
    result = run("import", shipped / DOC, root=shipped)
    assert result.code == 1
    assert result.err == (
        "有 1 处冲突：清单里人工改过，文档里也改了，没有写入任何文件。\n"
        "  第 32 项 指标：上次导入 “年度用水总量≤2.207亿立方米、非常规水源利用量≥700万立方米”；"
        "清单现在 “年度用水总量≤2.2亿立方米、非常规水源利用量≥700万立方米”；"
        "新文档 “年度用水总量≤2.3亿立方米、非常规水源利用量≥700万立方米”\n"
        "请把 data/tasks.yaml 里这些字段改成想要的值后重新导入，或者加 --keep-edits（保留清单里的值）"
        "或 --take-document（采用新文档的值）。\n")
    assert "第 32 项 原文" in result.out  # the text changed only in the document: taken
    assert snapshot(shipped) == before
    kept = run("import", shipped / DOC, "--keep-edits", root=shipped)
    assert kept.code == 0 and "冲突 1 处（按 --keep-edits 保留清单里的值）" in kept.out
    assert tasks(shipped)[32]["targets"][0]["value"] == 2.2 and "2.3亿立方米" in tasks(shipped)[32]["text"]
    (shipped / "data/tasks.yaml").write_bytes(edited)
    (shipped / BASE).write_bytes((REPO / BASE).read_bytes())
    taken = run("import", shipped / DOC, "--take-document", root=shipped)
    assert taken.code == 0 and tasks(shipped)[32]["targets"][0]["value"] == 2.3
    assert tasks(shipped)[97]["lead_units"] == ["县政府办公室"]


def test_without_the_record_of_the_last_import_every_difference_is_a_conflict(shipped):
    edit_by_hand(shipped)
    (shipped / BASE).unlink()
    result = run("import", shipped / DOC, root=shipped)
    assert result.code == 1
    assert result.err.startswith("有 8 处冲突：")
    assert "  第 97 项 牵头单位：上次导入 （没有）；清单现在 “县政府办公室”；新文档 “（空）”\n" in result.err
    assert "  第 100 项：上次导入 （没有）；清单现在 “办公室补充的任务”；新文档 （没有）\n" in result.err


UNITS = """\
# 本县的单位名录（手写的注释）
units:
- name: 县科学技术局
  aliases: [科技局]
  reviewers: [zhangsan]
- name: 县政府办公室(大数据局)
  aliases:
  - 大数据局
  reviewers: []
"""


def test_new_units_are_appended_and_the_registry_keeps_every_byte(tmp_path):
    write(tmp_path / "data/units.yaml", UNITS)
    result = run("import", PLANS / "county-a.txt", root=tmp_path)
    assert result.code == 0, result.err
    assert (tmp_path / "data/units.yaml").read_text(encoding="utf-8") == UNITS + "".join(
        f"- name: {name}\n  aliases: []\n  reviewers: []\n" for name in (
            "县发展和改革局", "县财政局", "县市场监督管理局", "县税务局", "县水利局", "县自然资源局",
            "各乡镇（街道）", "县林业发展中心", "县住房和城乡建设局", "各有关部门", "县人力资源和社会保障局",
            "县教育和体育局", "县民政局"))
    assert "单位名称写法统一：“县政府办公室（大数据局）”按“县政府办公室(大数据局)”记\n" in result.out
    assert ("  “县科技局”与“县科学技术局”看来是同一单位的不同写法，按“县科学技术局”记；如不是同一单位，请改 data/tasks.yaml\n"
            in result.out)
    assert tasks(tmp_path)[2]["lead_units"] == ["县政府办公室(大数据局)"]
    assert tasks(tmp_path)[3]["lead_units"] == ["县科学技术局"]
    assert run("validate", root=tmp_path) == (0, "", "")


def test_refusals_are_chinese_and_write_nothing(shipped, tmp_path):
    write(tmp_path / "old.doc", "x")
    assert run("import", tmp_path / "old.doc", root=shipped) == (
        2, "", f"{tmp_path / 'old.doc'}：不支持旧版 Word（.doc）文件；请在 Word、Excel 或 WPS 中“另存为” .docx 或 .xlsx，"
               "或把正文复制到 .txt 文件（UTF-8）后再导入\n")
    missing = run("import", tmp_path / "nothing.txt", root=shipped)
    assert missing.code == 2 and missing.err.startswith(f"无法读取计划文件 {tmp_path / 'nothing.txt'}：")
    write(tmp_path / "notes.txt", "2023年第一次会议纪要\n大家发言踊跃。\n")
    assert run("import", tmp_path / "notes.txt", root=shipped) == (
        1, "", f"{tmp_path / 'notes.txt'}：没有找到任何编号的任务（如“1.”“（一）”开头的段落）；没有写入任何文件\n")
    write(tmp_path / "empty.html", "<html><body><script>1.x</script></body></html>")
    assert run("import", tmp_path / "empty.html", root=shipped) == (
        1, "", f"{tmp_path / 'empty.html'}：文件里没有文字；没有写入任何文件\n")
    (tmp_path / "damaged.docx").write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    damaged = run("import", tmp_path / "damaged.docx", root=shipped)
    assert damaged.code == 2 and damaged.err == (
        f"{tmp_path / 'damaged.docx'}：不是有效的 Word（.docx）文件（File is not a zip file）；"
        "请在 Word、Excel 或 WPS 中重新另存后再导入\n")
    write(tmp_path / "undated.txt", "工作任务\n一、甲\n1.做甲。（牵头单位：县甲局）\n")
    assert run("import", tmp_path / "undated.txt", root=shipped) == (
        1, "", f"{tmp_path / 'undated.txt'}：无法确定计划年度：标题、文号、成文日期和完成时限里都没有年份；"
               "请用 --year 指定（如 --year 2025），或在文件标题中写明年度后再导入\n")
    assert run("import", tmp_path / "undated.txt", "--year", "2023", "--dry-run", root=shipped).code == 0
    both = run("import", shipped / DOC, "--keep-edits", "--take-document", root=shipped)
    assert both == (2, "", "--keep-edits 和 --take-document 只能选一个\n")
    (tmp_path / "bad.txt").write_bytes(bytes(range(0x80, 0x100)) * 3)
    bad = run("import", tmp_path / "bad.txt", root=shipped)
    assert bad == (2, "", f"{tmp_path / 'bad.txt'}：无法识别文件编码（不是 UTF-8、GBK 或 GB18030）；请用 UTF-8 重新保存后再导入\n")
    before = snapshot(shipped)
    broken = (shipped / "data/tasks.yaml").read_text(encoding="utf-8").replace("- id: 5\n", "- id: 5\n  id: 6\n", 1)
    (shipped / "data/tasks.yaml").write_text(broken, encoding="utf-8")
    before["data/tasks.yaml"] = broken.encode()
    result = run("import", shipped / DOC, root=shipped)
    assert result.code == 1
    assert result.err.startswith("data/tasks.yaml 有问题，导入会覆盖或丢失其中的内容，所以没有写入任何文件；请先修复：\n"
                                 "data/tasks.yaml:")
    assert snapshot(shipped) == before


def test_import_runs_as_a_real_process(tmp_path):
    result = run_process("--root", tmp_path, "import", "--dry-run", PLANS / "county-b.txt")
    assert result.code == 0, result.err
    assert result.out.splitlines()[-1] == "预演：没有写入任何文件。"
    assert list(tmp_path.iterdir()) == []


def test_renaming_a_task_that_has_progress_is_pointed_out(shipped):
    write(shipped / "data/progress/县林业局.yaml", "- date: 2023-03-01\n  task: 31\n  status: 推进中\n  progress: 造林\n")
    change_document(shipped, "31.强化生态建设和修复。", "31.全面加强国土绿化。")
    result = run("import", shipped / DOC, "--dry-run", root=shipped)
    assert result.code == 0, result.err
    assert ("  第 31 项已有 1 条进展记录，新文档把任务改为“全面加强国土绿化”；请核对这些记录是否仍指这一项"
            "（序号变了的，追加更正条目）\n") in result.out


def test_the_readme_shows_the_real_dry_run():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"$ ledger import {DOC} --dry-run\n{DRY_RUN.replace(chr(92) + chr(10), '')}```" in readme
