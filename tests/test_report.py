"""`ledger report`: the 调度通报's counts, shares, lists and targets, as markdown, text and HTML."""

import os
import re
from html.parser import HTMLParser

import pytest

from types import SimpleNamespace

from conftest import REPO, run, write
from ledger.core.bulletin import pace, target_flag
from ledger.files.records import Target

AS_OF = "2023-08-07"  # 序时进度 exactly 60%
DEMO = REPO / "examples" / "demo"

SMALL_MARKDOWN = """\
# 调度通报

测试计划 · 截至 2023-08-07 · 序时进度 60%

## 一、总体情况

截至 2023-08-07，序时进度 60%。全部 6 项任务中：已完成 1 项（16.7%），正常推进 1 项（16.7%），落后 2 项（33.3%），逾期 1 项（16.7%），进度未填 0 项（0%），未报送 1 项（16.7%）。

口径：已完成＝状态为已完成；逾期＝过了完成时限仍未完成（报送过与否都算）；落后＝黄灯或红灯；进度未填＝报送过但从没填过进度；未报送＝牵头单位（统筹类任务为办公室）尚无进展；其余为正常推进。每项任务只计一类。

## 二、分部分推进情况

| 部分         | 任务数   | 已完成   | 正常推进   | 落后   | 逾期   | 进度未填   | 未报送   | 完成率   |
|:-------------|:---------|:---------|:-----------|:-------|:-------|:-----------|:---------|:---------|
| 一、第一部分 | 3        | 1        | 1          | 1      | 0      | 0          | 0        | 33.3%    |
| 二、第二部分 | 3        | 0        | 0          | 1      | 1      | 0          | 1        | 0%       |

## 三、各牵头单位推进情况

| 牵头单位     | 任务数   | 已完成   | 正常推进   | 落后   | 逾期   | 进度未填   | 未报送   | 完成率   |
|:-------------|:---------|:---------|:-----------|:-------|:-------|:-----------|:---------|:---------|
| 县林业局     | 2        | 0        | 0          | 2      | 0      | 0          | 0        | 0%       |
| 县交通运输局 | 2        | 1        | 1          | 0      | 0      | 0          | 0        | 50%      |
| 县水利局     | 2        | 0        | 0          | 1      | 1      | 0          | 0        | 0%       |

## 四、落后和逾期任务

| 序号   | 任务             | 牵头单位           | 灯   | 进度/序时   | 情况                            | 存在问题   | 下步计划   |
|:-------|:-----------------|:-------------------|:-----|:------------|:--------------------------------|:-----------|:-----------|
| 3      | 上半年完成的任务 | 县水利局           | 红   | 95% / 60%   | 已逾期（完成时限 2023-06-30）   | —          | —          |
| 1      | 造林             | 县林业局           | 黄   | 49.5% / 60% | 落后序时进度 10.5 个百分点      | 苗木不足   | 8月补植    |
| 4      | 共同牵头         | 县水利局、县林业局 | 黄   | 55% / 60%   | 受阻，落后序时进度 5.0 个百分点 | 资金未到位 | —          |

共 3 项任务落后或逾期。

## 五、未按时报送的单位

| 单位     | 未报送的任务   | 最近报送   |
|:---------|:---------------|:-----------|
| 县水利局 | 3              | 2023-07-01 |

共 1 个单位本周期未按时报送（过了报送日，本周期牵头的未完成任务没有进展）。

## 六、数值指标

| 任务   | 指标         | 目标    | 最新完成值   | 完成比例   | 对照      | 报送                    | 预警                          |
|:-------|:-------------|:--------|:-------------|:-----------|:----------|:------------------------|:------------------------------|
| 1      | 完成造林     | ≥1300亩 | 600亩        | 46.2%      | 序时 60%  | 2023-07-03 县林业局     | 落后序时进度 13.8 个百分点    |
| 1      | 完成森林抚育 | ≥10万亩 | 7万亩        | 70%        | 序时 60%  | 2023-07-03 县林业局     | —                             |
| 2      | 路网密度增长 | 增长≥8% | 6%           | 75%        | 目标 100% | 2023-08-01 县交通运输局 | 增长 6%，低于目标 8%          |
| 2      | 新增占地     | ≤100亩  | 65亩         | 65%        | 序时 60%  | 2023-08-01 县交通运输局 | 用量快于序时进度 5.0 个百分点 |

共 5 个数值指标，已报送完成值 4 个，其中 3 个预警。增长类指标按实际增长与目标比较，“不超过”类指标（如用水总量）按已用上限的比例，快于序时进度或超过上限即预警。

## 七、本期新报送

| 日期       | 单位         | 序号   | 任务   | 状态   | 进度   | 进展         |
|:-----------|:-------------|:-------|:-------|:-------|:-------|:-------------|
| 2023-08-01 | 县交通运输局 | 2      | 修路   | 推进中 | 70%    | 路面完成七成 |

本期（2023-08-01 至 2023-08-07，按条目日期）共 1 条报送，涉及 1 项任务、1 个单位。

## 八、问题清单（按协调单位）

| 协调单位   | 本期新提出   | 本期解决   | 未解决   | 其中逾期   |
|:-----------|:-------------|:-----------|:---------|:-----------|
| （未交办） | 0            | 0          | 2        | 0          |

本期（2023-08-01 至 2023-08-07）新提出问题 0 个、解决 0 个；未解决 2 个，其中逾期 0 个。解决＝报送单位报已解决或办公室销号；逾期＝过了交办的办结时限仍未解决；未交办的问题按“（未交办）”计。

## 九、未解决的问题

| 编号    | 任务   | 问题       | 提出单位   | 协调单位   | 状态   | 提出日期   | 历时（天）   | 办结时限   |
|:--------|:-------|:-----------|:-----------|:-----------|:-------|:-----------|:-------------|:-----------|
| P4-0701 | 4      | 资金未到位 | 县水利局   | —          | 待协调 | 2023-07-01 | 37           | —          |
| P1-0703 | 1      | 苗木不足   | 县林业局   | —          | 待协调 | 2023-07-03 | 35           | —          |

逾期的在前。问题的经过见 ledger problem 编号，或 ledger show 任务序号。
"""


class Page(HTMLParser):
    """An HTML page read back: every table as rows of cell text, each cell's attributes, and every tag seen."""

    def __init__(self, text):
        super().__init__()
        self.tables, self.tags, self.styles, self.cell = [], [], [], None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self.cell = ""
            self.styles.append(dict(attrs))

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self.tables[-1][-1].append(self.cell)
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def report(root, *args, as_of=AS_OF):
    result = run("report", "--as-of", as_of, *args, root=root)
    assert result.code == 0, result.err
    return result.out


def test_markdown_bulletin(paces):
    assert report(paces) == SMALL_MARKDOWN


def test_text_bulletin_has_the_same_content(paces):
    text = report(paces, "--format", "text")
    assert text.startswith("调度通报\n\n测试计划 · 截至 2023-08-07 · 序时进度 60%\n\n一、总体情况\n\n截至 2023-08-07，")
    assert ("序号    任务              牵头单位            灯    进度/序时    情况                             存在问题    下步计划\n"
            "------  ----------------  ------------------  ----  -----------  -------------------------------"
            "  ----------  ----------\n"
            "3       上半年完成的任务  县水利局            红    95% / 60%    已逾期（完成时限 2023-06-30）    —           —\n"
            ) in text
    assert "#" not in text and "|" not in text
    assert ("其中 3 个预警。增长类指标按实际增长与目标比较，“不超过”类指标（如用水总量）按已用上限的比例，"
            "快于序时进度或超过上限即预警。\n\n七、本期新报送\n") in text
    assert ("2023-08-01  县交通运输局  2       修路    推进中  70%     路面完成七成\n\n"
            "本期（2023-08-01 至 2023-08-07，按条目日期）共 1 条报送，涉及 1 项任务、1 个单位。\n\n八、问题清单（按协调单位）\n") in text
    assert text.endswith("P1-0703  1       苗木不足    县林业局    —           待协调  2023-07-03  35            —\n\n"
                         "逾期的在前。问题的经过见 ledger problem 编号，或 ledger show 任务序号。\n")


@pytest.mark.parametrize("status, light, overdue, expected", [
    ("已完成", "绿", False, "done"),
    ("推进中", "红", True, "overdue"),
    (None, "未报送", True, "overdue"),        # past due without a single report is overdue, not merely unreported
    (None, "未报送", False, "unreported"),
    ("受阻", "黄", False, "behind"),
    ("推进中", "红", False, "behind"),
    ("推进中", "绿", False, "on_pace"),
    ("推进中", "进度未填", False, "no_percent"),
    ("推进中", "进度未填", True, "overdue"),
])
def test_pace(status, light, overdue, expected):
    assert pace(SimpleNamespace(status=status, light=light, overdue=overdue)) == expected


AT_LEAST = Target("完成造林", 200, "亩", "at_least", "amount", "")
CAP = Target("用水总量", 2.207, "亿立方米", "at_most", "amount", "")
GROWTH = Target("增长", 5, "%", "at_least", "growth", "")


@pytest.mark.parametrize("target, value, reached, expected", [
    (AT_LEAST, 120, 60.0, None),                                   # on 序时进度 exactly
    (AT_LEAST, 100, 50.0, "落后序时进度 10.0 个百分点"),
    (AT_LEAST._replace(comparator="about"), 100, 50.0, "落后序时进度 10.0 个百分点"),
    (CAP, 1.42, 64.3, "用量快于序时进度 4.3 个百分点"),           # 用水总量 used faster than the year goes by
    (CAP, 1.2, 54.4, None),
    (CAP, 2.5, 113.3, "已超过上限 2.207亿立方米"),
    (GROWTH, 3.2, 64.0, "增长 3.2%，低于目标 5%"),               # a rate is not pro-rated: 64% of it is short
    (GROWTH, 5.5, 110.0, None),
    (AT_LEAST, None, None, None),
])
def test_target_flag(target, value, reached, expected):
    assert target_flag(target, value, reached, 60.0) == expected


def test_html_is_self_contained_printable_and_complete(paces):
    text = report(paces, "--format", "html")
    page = Page(text)
    tags = {tag for tag, _ in page.tags}
    assert {"script", "link", "img", "iframe", "object"}.isdisjoint(tags)
    assert not re.search(r"\b(src|href)=|url\(|@import", text)
    assert "@page { size: A4;" in text and "@media print" in text
    assert 'font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei"' in text
    assert re.findall(r"<h2>(.*?)</h2>", text) == [
        "一、总体情况", "二、分部分推进情况", "三、各牵头单位推进情况", "四、落后和逾期任务", "五、未按时报送的单位", "六、数值指标",
        "七、本期新报送", "八、问题清单（按协调单位）", "九、未解决的问题"]
    sections, units, lagging, stale, targets, new, coordinators, problems = page.tables
    assert new[1] == ["2023-08-01", "县交通运输局", "2", "修路", "推进中", "70%", "路面完成七成"]
    assert coordinators == [["协调单位", "本期新提出", "本期解决", "未解决", "其中逾期"], ["（未交办）", "0", "0", "2", "0"]]
    assert [row[:3] for row in problems] == [["编号", "任务", "问题"], ["P4-0701", "4", "资金未到位"], ["P1-0703", "1", "苗木不足"]]
    assert sections == [["部分", "任务数", "已完成", "正常推进", "落后", "逾期", "进度未填", "未报送", "完成率"],
                        ["一、第一部分", "3", "1", "1", "1", "0", "0", "0", "33.3%"],
                        ["二、第二部分", "3", "0", "0", "1", "1", "0", "1", "0%"]]
    assert [row[0] for row in units[1:]] == ["县林业局", "县交通运输局", "县水利局"]
    assert lagging[1:] == [
        ["3", "上半年完成的任务", "县水利局", "红", "95% / 60%", "已逾期（完成时限 2023-06-30）", "—", "—"],
        ["1", "造林", "县林业局", "黄", "49.5% / 60%", "落后序时进度 10.5 个百分点", "苗木不足", "8月补植"],
        ["4", "共同牵头", "县水利局、县林业局", "黄", "55% / 60%", "受阻，落后序时进度 5.0 个百分点", "资金未到位", "—"]]
    assert stale == [["单位", "未报送的任务", "最近报送"], ["县水利局", "3", "2023-07-01"]]
    assert [row[-1] for row in targets[1:]] == ["落后序时进度 13.8 个百分点", "—", "增长 6%，低于目标 8%",
                                                "用量快于序时进度 5.0 个百分点"]
    lights = [s["style"] for s in page.styles if s.get("class") == "light"]
    assert lights == ["background:#d23c3c;color:#fff", "background:#f2b705;color:#222", "background:#f2b705;color:#222"]
    assert text.count('<td class="flag">') == 3


def test_html_charts(paces):
    text = report(paces, "--format", "html")
    sections, units = re.findall(r"<svg .*?</svg>", text)
    # lights per section on one scale: 3 tasks fill 400 units; section 一 is green 2, yellow 1
    assert ('<rect x="190.0" y="28" width="266.7" height="14" fill="#3f9b4f"/>'
            '<text x="323.3" y="39" text-anchor="middle" class="in" style="fill:#fff">2</text>'
            '<rect x="456.7" y="28" width="133.3" height="14" fill="#f2b705"/>') in sections
    assert '<text x="596.0" y="39">共 3 项</text>' in sections
    assert sections.count("<rect") == 5 + 2 + 3  # the legend, section 一's two lights, section 二's three
    # each unit's led tasks as a full bar split by pace, its completion rate after it
    assert ('<rect x="190.0" y="50" width="200.0" height="14" fill="#1f6f35"/>' in units
            and '<rect x="390.0" y="50" width="200.0" height="14" fill="#8fcf94"/>' in units)
    assert ">完成 1/2 · 50%</text>" in units and ">完成 0/2 · 0%</text>" in units
    assert ">县交通运输局</text>" in units


def test_untrusted_notes_are_escaped(paces):
    write(paces / "data/progress/县林业局.yaml",
          '- date: 2023-07-03\n  task: 1\n  status: 推进中\n  percent: 20\n  progress: x\n'
          '  problems: "<script>alert(1)</script> | *粗* [链接](http://e.x)"\n  next: "一、补植\\n二、抚育 & 验收"\n')
    markdown = report(paces)
    assert ("| \\<script\\>alert(1)\\</script\\> \\| \\*粗\\* \\[链接\\](http://e.x) | 一、补植<br>二、抚育 & 验收 |"
            in markdown)
    html = report(paces, "--format", "html")
    assert ("<td>&lt;script&gt;alert(1)&lt;/script&gt; | *粗* [链接](http://e.x)</td>"
            "<td>一、补植\n二、抚育 &amp; 验收</td>") in html
    assert "<script" not in html
    # control characters never reach a journal entry (tests/test_hostile.py); what is refused is not shown
    assert "\x1b" not in html + markdown


def test_output_file_and_errors(paces):
    folder = paces / "out"
    folder.mkdir()
    out = folder / "通报.html"
    result = run("report", "--as-of", AS_OF, "-f", "html", "-o", out, root=paces)
    assert result == (0, f"已写入 {out}：截至 2023-08-07 的调度通报（html）\n", "")
    assert out.read_text(encoding="utf-8") == report(paces, "--format", "html")
    mask = os.umask(0)
    os.umask(mask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~mask
    assert [p.name for p in folder.iterdir()] == ["通报.html"]  # no temporary file left behind
    assert run("report", "-f", "pdf", root=paces) == (2, "", "未知的通报格式“pdf”；可用：markdown、html、text、docx\n")
    missing = folder / "没有的目录" / "通报.md"
    assert run("report", "-o", missing, root=paces) == (
        2, "", f"无法写入“{missing}”：所在目录不存在；请换一个可写的文件路径\n")
    assert run("report", "--as-of", "2023-13-01", root=paces).code == 2


def test_demo_bulletin():
    markdown = report(DEMO, as_of="2023-08-31")
    assert ("截至 2023-08-31，序时进度 66.6%。全部 99 项任务中：已完成 2 项（2%），正常推进 7 项（7.1%），落后 4 项（4%），"
            "逾期 0 项（0%），进度未填 1 项（1%），未报送 85 项（85.9%）。\n") in markdown
    assert ("| 六、推动乡村全面振兴           | 12       | 1        | 1          | 1      | 0      | 1          | 8        "
            "| 8.3%     |") in markdown
    assert ("| 县水利局               | 7        | 0        | 2          | 2      | 0      | 0          | 3        "
            "| 0%       |") in markdown
    # the office reports the three tasks that name no unit, besides the one it leads
    assert ("| 县政府办公室           | 4        | 0        | 1          | 0      | 0      | 0          | 3        "
            "| 0%       |") in markdown
    lagging = markdown[markdown.index("## 四"):markdown.index("## 五")]
    assert re.findall(r"^\| (\d+) ", lagging, re.M) == ["26", "45", "25", "82"]
    assert ("| 25     | 加强大中型灌区续建配套与现代化改造 | 县水利局       | 黄   | 45% / 66.6% | 受阻，落后序时进度 21.6 个百分点 "
            "| 彭楼灌区项目用地手续尚未批复，影响开工 | 8月底前提请县政府协调自然资源部门加快办理 |") in lagging
    assert "共 32 个单位本周期未按时报送" in markdown
    assert "县公路事业发展中心" not in markdown  # it leads no task
    assert "共 83 个数值指标，已报送完成值 9 个，其中 2 个预警。" in markdown
    assert ("| 32     | 年度用水总量                                       | ≤2.207亿立方米 | 1.42亿立方米 | 64.3%      "
            "| 序时 66.6% | 2023-08-22 县水利局       | —                          |") in markdown
    page = Page(report(DEMO, "--format", "html", as_of="2023-08-31"))
    assert [len(table) - 1 for table in page.tables] == [11, 33, 4, 32, 9, 10, 3, 3]
    assert "本期（2023-08-01 至 2023-08-31）新提出问题 3 个、解决 0 个；未解决 3 个，其中逾期 1 个。" in markdown
    assert ("| P82-0825 | 82     | 中小学改扩建项目资金未全部到位         | 县教育和体育局 | 县财政局           "
            "| 协调中（逾期） | 2023-08-25 | 6            | 2023-08-30 |") in markdown


@pytest.mark.parametrize("command", [["status"], ["overdue"], ["units"], ["show", "1"]])
def test_listing_commands_share_one_format_option(small, command):
    result = run(*command, "--format", "yaml", root=small)
    assert result.code == 2 and result.err.startswith("未知的输出格式“yaml”；可用：table、csv、json、markdown、")
    result = run(*command, "--as-of", AS_OF, "-f", "github", root=small)
    assert result.code == 0 and "\n|---" in result.out


def test_readme_shows_real_output():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = re.search(r"\$ ledger --root examples/demo report --as-of 2023-08-31\n(.*?)\n\$ ", readme, re.S).group(1)
    shown = [line for line in block.splitlines() if line.startswith(("#", "|", "截至", "共"))]
    assert len(shown) == 12
    actual = report(DEMO, as_of="2023-08-31").splitlines()
    assert [line for line in shown if line not in actual and not line.endswith("……")] == []
