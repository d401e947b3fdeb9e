"""Writes the hostile corpus byte for byte: `python tests/hostile/make_corpus.py`.

The files are committed; this script records how the binary ones (GBK, UTF-16, CR, control bytes) were made.
What each must produce is in tests/test_hostile.py.
"""
from pathlib import Path

HERE = Path(__file__).parent
J = HERE / "journals"
E = "- date: 2023-03-01\n  task: 1\n  status: 推进中\n  progress: {}\n"


def put(name, data):
    (J / name).write_bytes(data if isinstance(data, bytes) else data.encode())


put("broken_yaml.yaml", E.format('"春季造林 300 亩') + E.format("补植"))
put("duplicate_keys.yaml", E.format("春季造林") + "  percent: 20\n  percent: 30\n" + E.format("补植").replace("03-01", "03-02"))
bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
for i in range(1, 9):
    previous, this = chr(96 + i), chr(97 + i)
    bomb += f"{this}: &{this} [" + ",".join([f"*{previous}"] * 9) + "]\n"
put("billion_laughs.yaml", bomb)
put("anchors_and_aliases.yaml", "- &first\n  date: 2023-03-01\n  task: 1\n  status: 推进中\n  progress: &note 春季造林\n"
    "- date: 2023-03-02\n  task: 1\n  status: 推进中\n  progress: *note\n- *first\n")
put("note_starting_with_star.yaml", E.format("*重点* 完成造林"))
put("note_starting_with_ampersand.yaml", E.format("&A 组完成造林") + E.format("补植").replace("03-01", "03-02"))
put("python_tag.yaml", E.format("春季造林") + E.format('!!python/object/apply:os.system ["echo 被执行了"]').replace("03-01", "03-02"))
put("note_starting_with_exclamation.yaml", E.format("!重要 完成造林"))
put("explicit_tags.yaml", E.format("!local 完成造林") + E.format("!!binary 5a2X").replace("03-01", "03-02")
    + E.format("x").replace("03-01", "03-03") + '  percent: !!int "0x1A"\n'
    + E.format("x").replace("03-01", "03-04") + "  percent: !!float .nan\n"
    + E.format("!!str 2023").replace("03-01", "03-05") + "  percent: !!int 20\n")
put("yaml11_traps.yaml", "".join(E.format(word).replace("03-01", f"03-0{i + 1}") for i, word in enumerate(
    ["no", "on", "0x1A", "2023-6-1", "yes", "off"]))
    + E.format("1.10").replace("03-01", "03-07") + E.format("x").replace("2023-03-01", "2023-6-1")
    + E.format("x").replace("03-01", "03-08") + "  percent: 0x1A\n")
put("map_instead_of_list.yaml", "date: 2023-03-01\ntask: 1\nstatus: 推进中\nprogress: 春季造林\n")
put("bare_string.yaml", "春季造林 300 亩\n")
put("empty_0_bytes.yaml", b"")
put("blank_lines.yaml", "\n\n   \n")
put("only_comments.yaml", "# 县林业局工作进展日志\n# 还没有条目\n")
put("flow_style.yaml", "[{date: 2023-03-01, task: 1, status: 推进中, progress: 春季造林}]\n")
put("gbk.yaml", E.format("春季造林").encode("gbk"))
put("gb18030.yaml", E.format("春季造林，𠮷").encode("gb18030"))
put("utf16_notepad.yaml", E.format("春季造林").encode("utf-16"))
put("utf8_bom.yaml", b"\xef\xbb\xbf" + E.format("春季造林").encode())
put("crlf.yaml", E.format("春季造林").replace("\n", "\r\n"))
put("mixed_line_endings.yaml", b"- date: 2023-03-01\r\n  task: 1\n  status: \xe6\x8e\xa8\xe8\xbf\x9b\xe4\xb8\xad\r  progress: x\r\n"
    b"- date: 2023-03-02\n  task: 1\r  status: \xe6\x8e\xa8\xe8\xbf\x9b\xe4\xb8\xad\r\n  progress: y\n  percent: 150\r\n")
put("tab_indentation.yaml", E.format("春季造林").replace("  status", "\tstatus"))
put("tab_in_quotes.yaml", E.format('"春季造林\t300 亩"') + "  next: '四月\t补植'\n")
put("tab_in_plain_value.yaml", E.format("春季造林\t300 亩"))
put("no_final_newline.yaml", E.format("春季造林").rstrip("\n"))
put("conflict_markers.yaml", E.format("春季造林") + "<<<<<<< HEAD\n" + E.format("补植 50 亩").replace("03-01", "03-02")
    + "=======\n" + E.format("补植 60 亩").replace("03-01", "03-02") + ">>>>>>> 县林业局\n")
put("raw_control_characters.yaml", E.format("春季造林\x1b[31m 已完成\x1b[0m\x07"))
put("escaped_control_characters.yaml", E.format('"春季造林\\e[2J\\e[31m已完成"') + E.format('"造林\\u202e成完"').replace("03-01", "03-02")
    + E.format('"造林\\0"').replace("03-01", "03-03") + E.format("补植").replace("03-01", "03-04") + '  reporter: "张三\\x07"\n')
put("rich_markup.yaml", E.format("'[red]造林[/red] [link=file:///etc/passwd]点我[/link] [bold blink]'")
    + "  problems: '[/]'\n")
put("unknown_fields.yaml", E.format("春季造林") + "  percnet: 20\n  Progress: x\n")
put("wrong_types.yaml", E.format("春季造林").replace("task: 1", "task: 一") + E.format("[造林, 补植]").replace("03-01", "03-02")
    + "  percent: true\n" + E.format("x").replace("03-01", "03-03") + "  actuals: [完成造林, 300]\n"
    + E.format("x").replace("03-01", "03-04") + "  actuals:\n    1.10: 3\n    1: 4\n" + E.format("x").replace("03-01", "03-05") + "  1: x\n")
put("non_finite_numbers.yaml", E.format("x") + "  actuals:\n    完成造林: 1.0e+999\n" + E.format("y").replace("03-01", "03-02")
    + "  percent: 1.0e+999\n")
put("deep_nesting.yaml", "- " + "[" * 40 + "]" * 40 + "\n")

U = HERE / "units"
(U / "path_separators.yaml").write_text(
    "units:\n- name: 县林业局\n- name: 县交通运输局\n- name: 县水利局\n- name: ../../../outside\n- name: 县水利局/../县林业局\n"
    "- name: ..\\evil\n- name: .hidden\n", encoding="utf-8")
C = HERE / "config"
(C / "typo.yaml").write_text("yelow_gap: 5\nred_gap: 30\ncycle: weekly\n", encoding="utf-8")
