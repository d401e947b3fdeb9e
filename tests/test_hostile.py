"""Hostile input: each case has its exact message and exit code, and no command changes a byte it refuses.

The journals in tests/hostile/journals/ are written byte for byte by tests/hostile/make_corpus.py
(GBK, UTF-16, a BOM, CRLF, lone CR, tabs, raw control bytes …); each is put in place as
data/progress/县林业局.yaml of the small ledger and run through validate, status/show and update.
"""

import json
import os
import shutil
from pathlib import Path

import pytest

from conftest import SMALL_UNITS, run, write

HOSTILE = Path(__file__).parent / "hostile"
J = "data/progress/县林业局.yaml"
HEADER = "# 县林业局工作进展日志。只在末尾追加新条目；已写入的条目不要修改，更正请追加一条新条目并说明。\n"
FIELDS = "date、task、corrects、status、percent、progress、problems、next、actuals、clear、resolves、reporter"
ANCHORS = "不允许使用 YAML 锚点和别名（&、*）；请把内容直接写出来，以 & 或 * 开头的文本请加引号"
TAGS = "台账文件只用普通的文本、数字、列表和映射，以 ! 开头的文本请加引号"
CHECK = "请检查缩进（只能用空格，不能用 Tab）、冒号后的空格、引号是否成对"
TAB = "YAML 语法错误：这一行用 Tab 缩进；YAML 不允许用 Tab 缩进，请改为空格（文字里的 Tab 要放在引号里）"
EMPTY = "文件是空的（没有任何数据）"
NOT_LIST = "进展日志应为列表（每项以“- ”开头），实际是"
NOT_UTF8 = "文件不是 UTF-8 编码，看起来是 {}；请用 UTF-8 重新保存（第 {} 行起无法解码）"


def control(field, code):
    return f"“{field}”{'（进展）' if field == 'progress' else '（报送人）'}含有不可见的控制字符 {code}；请删除它，只保留文字、空格、Tab 和换行"


# journal case -> every (line, message) `ledger validate` prints for it, in order; [] means clean
JOURNALS = {
    "anchors_and_aliases": [(1, ANCHORS), (5, ANCHORS), (9, ANCHORS), (10, ANCHORS)],
    "bare_string": [(0, NOT_LIST + "文本")],
    "billion_laughs": [(line, ANCHORS) for line in range(1, 10)],
    "blank_lines": [(0, EMPTY)],
    "broken_yaml": [(9, f"YAML 语法错误（while scanning a quoted scalar；found unexpected end of stream）：{CHECK}")],
    "conflict_markers": [(5, "文件里留有 git 合并冲突标记（<<<<<<< / ======= / >>>>>>>）；请解决冲突、保留双方的条目并删除标记行")],
    "crlf": [],
    "deep_nesting": [(1, "列表和映射嵌套超过 16 层；台账文件只需要几层，请检查缩进和括号")],
    "duplicate_keys": [(6, "键“percent”重复（第 5 行已有）；PyYAML 会悄悄只保留后一个，请删除或合并其中一个")],
    "empty_0_bytes": [(0, EMPTY)],
    "escaped_control_characters": [(4, control("progress", "U+001B")), (8, control("progress", "U+202E")),
                                   (12, control("progress", "U+0000")), (17, control("reporter", "U+0007"))],
    "explicit_tags": [(4, f"不允许使用 YAML 标签 !local；{TAGS}"), (8, f"不允许使用 YAML 标签 !!binary；{TAGS}"),
                      (13, "“0x1A”不是十进制整数"), (18, "“.nan”不是十进制数字")],
    "flow_style": [],
    "gb18030": [(3, NOT_UTF8.format("GBK/GB18030 编码", 3))],
    "gbk": [(3, NOT_UTF8.format("GBK/GB18030 编码", 3))],
    "map_instead_of_list": [(1, NOT_LIST + "映射")],
    "mixed_line_endings": [(9, "进度应在 0 到 100 之间，实际是 150")],  # lone CR, CRLF and LF all end a line
    "no_final_newline": [],
    "non_finite_numbers": [(6, "指标“完成造林”的完成值应为有限的数字，实际是“inf”"), (11, "“percent”（进度）应为有限的数字，实际是“inf”")],
    "note_starting_with_ampersand": [(4, ANCHORS)],  # `&A 组完成造林` would silently read as 组完成造林
    "note_starting_with_exclamation": [(4, f"不允许使用 YAML 标签；{TAGS}")],
    "note_starting_with_star": [(4, ANCHORS)],
    "only_comments": [(0, EMPTY)],
    "python_tag": [(8, f"不允许使用 YAML 标签 !!python/object/apply:os.system；{TAGS}")],
    "raw_control_characters": [(4, "含有不可见的控制字符 U+001B（第 17 列，全文共 3 处）；台账文件只能有文字、空格、Tab 和换行，请删除它")],
    "rich_markup": [],
    "tab_in_plain_value": [],  # libyaml reads a tab between words as part of the text
    "tab_in_quotes": [],
    "tab_indentation": [(3, TAB)],
    "unknown_fields": [(5, f"未知字段“percnet”；是不是“percent”？可用字段：{FIELDS}"),
                       (6, f"未知字段“Progress”；是不是“progress”？可用字段：{FIELDS}")],
    "utf16_notepad": [(1, NOT_UTF8.format("UTF-16 编码（Windows 记事本的“Unicode”）", 1))],
    "utf8_bom": [],
    "wrong_types": [(2, "“task”（任务序号）应为整数，实际是“一”"), (8, "应为文本，实际是列表；如果本意是文本，请加引号"),
                    (9, "“percent”（进度）应为数字，实际是“true”"),
                    (14, "“actuals”（指标完成值）应为映射（“键: 值”），实际是列表"),
                    (20, "映射的键“1.10”应为文本或整数；如果本意是文本，请加引号"),
                    (21, "“actuals”（指标完成值）里的名称应为文本，实际是数字“1”；如果本意是文本，请加引号"),
                    (26, f"未知字段“1”；可用字段：{FIELDS}")],
    # no, on, 0x1A, 2023-6-1, yes, off stay text; 1.10 is a number, so not a note
    "yaml11_traps": [(28, "应为文本，实际是数字“1.1”；如果本意是文本，请加引号"),
                     (29, "日期“2023-6-1”格式不对：应为 YYYY-MM-DD，例如 2023-06-01"),
                     (37, "“percent”（进度）应为数字，实际是“0x1A”")],
}

# cases update cannot append to: it says why, with the same problems validate lists, and writes nothing
UNREADABLE = {"anchors_and_aliases", "bare_string", "billion_laughs", "broken_yaml", "conflict_markers", "gb18030",
              "gbk", "map_instead_of_list", "note_starting_with_ampersand", "note_starting_with_exclamation",
              "note_starting_with_star", "raw_control_characters", "tab_indentation",
              "utf16_notepad"}

# the entries of task 1 that status and show count: an entry with any problem on its lines is left out
COUNTED = {"crlf": ["2023-03-01"], "duplicate_keys": ["2023-03-02"], "explicit_tags": ["2023-03-05"],
           "flow_style": ["2023-03-01"],
           "mixed_line_endings": ["2023-03-01"], "no_final_newline": ["2023-03-01"], "python_tag": ["2023-03-01"],
           "rich_markup": ["2023-03-01"], "tab_in_plain_value": ["2023-03-01"], "tab_in_quotes": ["2023-03-01"],
           "utf8_bom": ["2023-03-01"],
           "yaml11_traps": [f"2023-03-0{day}" for day in range(1, 7)]}

NEW = "- date: 2023-12-01\n  task: 1\n  progress: 追加\n"


def appended(case, old, entry=NEW):
    """The journal's bytes after `update` appends entry: every old byte kept, the file's own line ends."""
    if case in ("crlf", "mixed_line_endings"):
        return old + entry.replace("\n", "\r\n").encode()
    if case == "no_final_newline":
        return old + b"\n" + entry.encode()
    if case in ("empty_0_bytes", "blank_lines"):
        return old + (HEADER + entry).encode()
    return old + entry.encode()


def snapshot(root):
    """Bytes and modification time of every file of the ledger (the cache and lock files aside)."""
    return {str(path.relative_to(root)): (path.read_bytes(), path.stat().st_mtime_ns)
            for path in sorted(root.rglob("*"))
            if path.is_file() and ".ledger-cache" not in path.parts and not path.name.endswith(".lock")}


def dates(root):
    result = run("show", 1, "--as-of", "2023-12-31", "--format", "json", root=root)
    assert result.code == 0, result.err
    return [entry["date"] for entry in json.loads(result.out)["entries"]]


def test_every_case_in_the_corpus_has_its_expectation():
    assert sorted(path.stem for path in (HOSTILE / "journals").iterdir()) == sorted(JOURNALS)


@pytest.mark.parametrize("case", sorted(JOURNALS))
def test_hostile_journal(small, case):
    journal = small / J
    shutil.copyfile(HOSTILE / "journals" / f"{case}.yaml", journal)
    old, before = journal.read_bytes(), snapshot(small)
    expected = "".join(f"{J}:{line}: {message}\n" if line else f"{J}: {message}\n" for line, message in JOURNALS[case])

    assert run("validate", root=small) == ((1, expected, f"共 {len(JOURNALS[case])} 处问题。\n") if expected
                                           else (0, "", ""))
    status = run("status", "--as-of", "2023-12-31", "--format", "json", root=small)
    warning = f"注意：台账中有 {len(JOURNALS[case])} 处问题，有问题的条目未计入；运行 ledger validate 查看。\n"
    assert (status.code, status.err) == (0, warning if expected else "")
    assert dates(small) == COUNTED.get(case, [])
    assert snapshot(small) == before

    result = run("update", 1, "--date", "2023-12-01", "--note", "追加", root=small)
    if case == "flow_style":  # valid, but no item can follow `[…]`: refused, not rewritten
        assert result == (1, "", f"没有写入，日志保持原样：\n{J}: 这个日志的写法无法在末尾追加条目（例如整个日志写在一对 [ ] 里）；"
                                 "请改成每条以“- ”开头、各占几行的写法\n")
        assert snapshot(small) == before
        return
    if case in UNREADABLE:
        assert result == (1, "", f"没有写入，日志保持原样：\n{J} 目前无法正确解析，追加的条目无法成为其中一条，"
                                 f"已放弃写入；请先修复：\n{expected}")
        assert snapshot(small) == before
        return
    line = len(appended(case, old, "").decode("utf-8-sig").splitlines()) + 1
    assert (result.code, result.err) == (0, "")
    assert result.out.splitlines()[0] == f"已追加到 {J} 第 {line} 行：第 1 项 造林 — 进展"
    assert journal.read_bytes() == appended(case, old)
    # the append added no problem; an empty journal is empty no more
    assert run("validate", root=small).out == ("" if JOURNALS[case] == [(0, EMPTY)] else expected)
    assert dates(small) == COUNTED.get(case, []) + ["2023-12-01"]


def test_yaml_11_traps_stay_text(small):
    shutil.copyfile(HOSTILE / "journals" / "yaml11_traps.yaml", small / J)
    card = json.loads(run("show", 1, "--as-of", "2023-12-31", "-f", "json", root=small).out)
    assert [entry["progress"] for entry in card["entries"]] == ["no", "on", "0x1A", "2023-6-1", "yes", "off"]


def test_rich_markup_is_shown_literally(small):
    shutil.copyfile(HOSTILE / "journals" / "rich_markup.yaml", small / J)
    note = "[red]造林[/red] [link=file:///etc/passwd]点我[/link] [bold blink]"
    table = run("show", 1, "--as-of", "2023-12-31", root=small).out
    assert f"│ 2023-03-01 │ 县林业局 │ 推进中 │ —    │ {note} │ [/]      │" in table
    assert "\x1b" not in table
    assert f"  {note}  [/]  " in run(
        "show", 1, "--as-of", "2023-12-31", "-f", "plain", root=small).out
    assert f'"progress": "{note}",' in run("show", 1, "--as-of", "2023-12-31", "-f", "json", root=small).out
    # written by update, markup is plain text too
    assert run("update", 1, "--date", "2023-12-01", "-n", "[bold]加粗[/bold] [link=https://x.example]链接[/link]",
               root=small).code == 0
    assert "│ [bold]加粗[/bold] [link=https://x.example]链接[/link] " in run(
        "show", 1, "--as-of", "2023-12-31", root=small).out


def test_escape_sequences_typed_into_update_are_refused(small):
    before = snapshot(small)
    result = run("update", 1, "--date", "2023-03-01", "-n", "造林\x1b[2J\x1b[31m完成", root=small)
    assert result == (1, "", "没有写入，日志保持原样：\n--note：“progress”（进展）含有不可见的控制字符 U+001B；"
                             "请删除它，只保留文字、空格、Tab 和换行\n")
    result = run("update", 1, "--date", "2023-03-01", "-n", "x", "--reporter", "张三\u202e", root=small)
    assert result.err == ("没有写入，日志保持原样：\n--reporter：“reporter”（报送人）含有不可见的控制字符 U+202E；"
                          "请删除它，只保留文字、空格、Tab 和换行\n")
    assert snapshot(small) == before


def test_messages_never_carry_escape_sequences(small):
    # values quoted in messages come from files and the command line: printed with the bytes made visible
    write(small / J, '- date: "2023\\e[31m"\n  task: 1\n  status: "\\e]8;;http://x\\a"\n  progress: x\n')
    result = run("validate", root=small)
    assert result.out == (f"{J}:1: 日期“2023\\x1b[31m”格式不对：应为 YYYY-MM-DD，例如 2023-06-01\n"
                          f"{J}:3: “status”（状态）的值“\\x1b]8;;http://x\\x07”无效；应为以下之一：未启动, 推进中, 已完成, 受阻\n")
    assert run("update", 1, "-u", "\x1b[31m林业局", "-n", "x", root=small) == (
        2, "", "未登记的单位“\\x1b[31m林业局”。全部单位见 ledger units\n")


def test_a_note_of_a_megabyte(small):
    note = "长" * (1 << 20)
    write(small / J, f"- date: 2023-03-01\n  task: 1\n  status: 推进中\n  progress: {note}\n")
    before = snapshot(small)
    message = "“progress”（进展）太长：1048576 个字符，最多 5000 个；请只写要点，详细材料另附"
    assert run("validate", root=small) == (1, f"{J}:4: {message}\n", "共 1 处问题。\n")
    assert run("update", 1, "--date", "2023-03-02", "-n", note, root=small) == (
        1, "", f"没有写入，日志保持原样：\n--note：{message}\n")
    assert dates(small) == []
    assert snapshot(small) == before
    # a wrong value is quoted in a message only in part
    write(small / J, f"- date: {note}\n  task: 1\n  status: 推进中\n  progress: x\n")
    assert run("validate", root=small).out == (
        f"{J}:1: 日期“{'长' * 60}…（共 1048576 个字符）”格式不对：应为 YYYY-MM-DD，例如 2023-06-01\n")


def test_unit_names_that_are_paths(small, tmp_path):
    shutil.copyfile(HOSTILE / "units" / "path_separators.yaml", small / "data/units.yaml")
    # the task list names it too, so only the name itself can stop a journal at ../../../outside.yaml
    tasks = (small / "data/tasks.yaml").read_text(encoding="utf-8")
    write(small / "data/tasks.yaml", tasks.replace("  support_units:\n  - 县林业局\n",
                                                   "  support_units:\n  - 县林业局\n  - ../../../outside\n"))
    before = snapshot(tmp_path)
    problem = "data/units.yaml:{}: 单位名“{}”含有 /、\\ 或 ..，不能用作日志文件名；请改用单位全称\n"
    assert run("validate", root=small) == (1, (
        "data/tasks.yaml:36: 第 2 项任务的单位“../../../outside”未在 data/units.yaml 登记；请登记或改正\n"
        + "".join(problem.format(line, name) for line, name in (
            (5, "../../../outside"), (6, "县水利局/../县林业局"), (7, "..\\evil"), (8, ".hidden")))), "共 5 处问题。\n")
    # such a name is not registered, so --unit cannot reach a path outside data/progress/
    for unit, hint in (("../../../outside", ""), ("县水利局/../县林业局", ""), ("../县林业局", "最接近的：县林业局；"),
                       (".hidden", ""), ("..\\evil", "")):
        assert run("update", 2, "-u", unit, "--date", "2023-03-01", "-n", "x", root=small) == (
            2, "", f"未登记的单位“{unit}”。{hint}全部单位见 ledger units\n")
    assert snapshot(tmp_path) == before
    assert not (tmp_path.parent / "outside.yaml").exists()


def test_journal_file_names_that_are_not_units(small):
    write(small / "data/progress/县林业局\\..\\县水利局.yaml", "[]\n")
    write(small / "data/progress/[red]县林业局.yaml", "[]\n")
    write(small / "data/progress/.县林业局.yaml", "not even yaml: [\n")  # dot files are ledger's own: locks, temps
    assert run("validate", root=small).out == (
        "data/progress/[red]县林业局.yaml: 文件名“[red]县林业局”不是登记的单位全称；日志文件名应为 data/units.yaml 里登记的单位全称\n"
        "data/progress/县林业局\\..\\县水利局.yaml: 文件名“县林业局\\..\\县水利局”不是登记的单位全称；"
        "日志文件名应为 data/units.yaml 里登记的单位全称\n")


def test_a_journal_that_is_a_symlink_out_of_the_ledger(small, tmp_path):
    write(tmp_path / "outside.yaml", "- date: 2023-03-01\n  task: 1\n  status: 推进中\n  progress: 别人的日志\n")
    os.symlink("../../../outside.yaml", small / J)
    before, outside_before = snapshot(small), snapshot(tmp_path)
    problem = f"{J}: 日志文件不能是符号链接；请把它换成普通文件"
    assert run("validate", root=small) == (1, problem + "\n", "共 1 处问题。\n")
    status = run("status", "--as-of", "2023-12-31", "-f", "json", root=small)
    assert (status.code, status.err) == (0, "注意：台账中有 1 处问题，有问题的条目未计入；运行 ledger validate 查看。\n")
    assert dates(small) == []  # the entry outside is not read as 县林业局's
    assert run("update", 1, "--date", "2023-03-02", "-n", "x", root=small) == (
        1, "", f"没有写入，日志保持原样：\n{problem}\n")
    assert (small / J).is_symlink() and snapshot(small) == before and snapshot(tmp_path) == outside_before


def test_a_lock_file_that_is_a_symlink(small, tmp_path):
    os.symlink(tmp_path / "elsewhere", small / "data/progress/.县林业局.yaml.lock")
    assert run("update", 1, "--date", "2023-03-02", "-n", "x", root=small) == (
        1, "", f"没有写入，日志保持原样：\n{J}: 无法写入（ELOOP）：路径是符号链接；日志和锁文件必须是普通文件\n")
    assert not (tmp_path / "elsewhere").exists() and not (small / J).exists()


def test_a_journal_that_is_a_folder(small):
    (small / J).mkdir()
    assert run("update", 1, "--date", "2023-03-02", "-n", "x", root=small) == (
        1, "", f"没有写入，日志保持原样：\n{J}: 不是普通文件；日志应是一个 YAML 文本文件\n")


def test_hostile_registry_and_config(small):
    shutil.copyfile(HOSTILE / "config" / "typo.yaml", small / "data/config.yaml")
    assert run("validate", root=small).out == (
        "data/config.yaml:1: 未知的配置项“yelow_gap”；是不是“yellow_gap”？可用：yellow_gap、red_gap、cycle、report_day、office、"
        "weight_reporting、weight_pace、weight_completion、weight_targets、weight_problems、deduct_red、deduct_late、"
        "deduct_overdue\n"
        "data/config.yaml:3: cycle 的值“weekly”不合要求：应为以下之一：monthly（每月）、quarterly（每季度）；"
        "这一项按默认值 monthly 计\n")
    os.remove(small / "data/config.yaml")
    write(small / "data/units.yaml", SMALL_UNITS + "- name: 县气象局\n  aliases: &a [气象局]\n")
    assert run("validate", root=small).out == f"data/units.yaml:9: {ANCHORS}\n"
