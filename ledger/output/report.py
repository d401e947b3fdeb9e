"""The 调度通报 written out: markdown, plain text, or one self-contained printable HTML page with SVG charts."""

import html
import re

from ledger.output.issues import state_text
from ledger.output.render import Column, cells, clean, percent, tabulated, units
from ledger.vocab import GREEN, LIGHT, NO_PERCENT, PACE_COLOURS, PACE_LABELS, RED, UNREPORTED, YELLOW

PACES = PACE_LABELS  # key -> label, in the order the bulletin lists them

# format -> the extensions of -o that pick it (docx is written by output/word.py)
FORMATS = {"markdown": (".md", ".markdown"), "html": (".html", ".htm"), "text": (".txt",), "docx": (".docx",)}
HEADINGS = ("一、总体情况", "二、分部分推进情况", "三、各牵头单位推进情况", "四、落后和逾期任务",
            "五、未按时报送的单位", "六、数值指标", "七、本期新报送", "八、问题清单（按协调单位）", "九、未解决的问题")
PACE_NOTE = ("口径：已完成＝状态为已完成；逾期＝过了完成时限仍未完成（报送过与否都算）；落后＝黄灯或红灯；"
             "进度未填＝报送过但从没填过进度；未报送＝牵头单位（统筹类任务为办公室）尚无进展；"
             "其余为正常推进。每项任务只计一类。")
SECTION_CHART_NOTE = "图：各部分任务的红黄绿灯，条长为任务数。"
UNIT_CHART_NOTE = "图：各牵头单位所牵头任务的推进情况构成，右侧为已完成数/牵头任务数和完成率。"
MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
# fill and text colour of each light, shared by the charts and the light cells (vocab.LIGHTS)
LIGHT_COLOURS = {name: light.html for name, light in LIGHT.items()}
BAR_LIGHTS = (GREEN, YELLOW, RED, NO_PERCENT, UNREPORTED)  # good news first, the way the bars read
NUMERIC = {"id", "task", "total", "completion", "reached", "new", "solved", "open", "days", *PACES}
NOWRAP = {"percent", "target", "value", "basis", "last_report"}


def write(content, fmt):
    """The bulletin (from bulletin.bulletin) as the text of an html, markdown or (any other fmt) plain text document."""
    if fmt == "html":
        return page(content)
    if fmt == "markdown":
        return document(content, "pipe", "# ", "## ", _markdown)
    return document(content, "simple", "", "", None)


def _markdown(value):
    return MARKDOWN_SPECIAL.sub(r"\\\1", str(value)).replace("\n", "<br>")


def _ids(numbers):
    return "、".join(map(str, numbers))


def _pace_columns(first):
    return [first, Column("total", "任务数"), *(Column(key, label) for key, label in PACES.items()),
            Column("completion", "完成率", lambda r: percent(r["completion"]))]


SECTION_COLUMNS = _pace_columns(Column("name", "部分"))
UNIT_COLUMNS = _pace_columns(Column("unit", "牵头单位"))
LAGGING_COLUMNS = [Column("id", "序号"), Column("title", "任务"),
                   Column("lead_units", "牵头单位", lambda r: units(r["lead_units"])), Column("light", "灯"),
                   Column("percent", "进度/序时", lambda r: f"{percent(r['percent'])} / {percent(r['elapsed'])}"),
                   Column("reason", "情况"), Column("problems", "存在问题"), Column("next", "下步计划")]
STALE_COLUMNS = [Column("unit", "单位"), Column("stale_tasks", "未报送的任务", lambda r: _ids(r["stale_tasks"])),
                 Column("last_report", "最近报送")]
TARGET_COLUMNS = [Column("task", "任务"), Column("name", "指标"), Column("target", "目标"),
                  Column("value", "最新完成值", lambda r: f"{r['value']:g}{r['measure']}"),
                  Column("reached", "完成比例", lambda r: percent(r["reached"])),
                  Column("basis", "对照", lambda r: f"{'目标' if r['kind'] == 'growth' else '序时'} {percent(r['basis'])}"),
                  Column("date", "报送", lambda r: f"{r['date']} {r['unit']}"), Column("flag", "预警")]
NEW_COLUMNS = [Column("date", "日期"), Column("unit", "单位"), Column("task", "序号"), Column("title", "任务"),
               Column("status", "状态"), Column("percent", "进度", lambda r: percent(r["percent"])),
               Column("progress", "进展", lambda r: f"（更正 {r['corrects']} 的条目）{r['progress']}" if r["corrects"]
                      else r["progress"])]


ISSUE_UNIT_COLUMNS = [Column("coordinator", "协调单位", lambda r: r["coordinator"] or "（未交办）"),
                      Column("new", "本期新提出"), Column("solved", "本期解决"), Column("open", "未解决"),
                      Column("overdue", "其中逾期")]
ISSUE_COLUMNS = [Column("id", "编号"), Column("task", "任务"), Column("text", "问题"), Column("unit", "提出单位"),
                 Column("coordinator", "协调单位"), Column("state", "状态", state_text), Column("raised", "提出日期"),
                 Column("days", "历时（天）", lambda r: str(r["days"])), Column("due", "办结时限")]


def headline_text(content):
    """The headline as one sentence: as-of date, 序时进度, and each pace's count and share."""
    head = content["headline"]
    parts = "，".join(f"{label} {head[key]} 项（{percent(head['shares'][key])}）" for key, label in PACES.items())
    ended = {"after": f"计划期已于 {content['plan_end']} 结束，序时进度按 100% 计。",
             "before": f"计划期 {content['plan_start']} 才开始。"}.get(content["period"], "")
    return (f"截至 {content['as_of']}，序时进度 {percent(content['elapsed'])}。{ended}"
            f"全部 {head['total']} 项任务中：{parts}。")


def notes(content):
    """The one-line summaries under the lagging, stale and target tables."""
    flagged = sum(1 for r in content["targets"] if r["flag"])
    return {
        "lagging": f"共 {len(content['lagging'])} 项任务落后或逾期。",
        "stale": f"共 {len(content['stale'])} 个单位本周期未按时报送（过了报送日，本周期牵头的未完成任务没有进展）。",
        "targets": f"共 {content['targets_total']} 个数值指标，已报送完成值 {len(content['targets'])} 个，"
                   f"其中 {flagged} 个预警。增长类指标按实际增长与目标比较，"
                   f"“不超过”类指标（如用水总量）按已用上限的比例，快于序时进度或超过上限即预警。",
        "new": f"本期（{content['since']} 至 {content['as_of']}，按条目日期）共 {len(content['new'])} 条报送，"
               f"涉及 {len({r['task'] for r in content['new']})} 项任务、{len({r['unit'] for r in content['new']})} 个单位。",
        "issues": issues_text(content["issues"], content["as_of"]),
        "open": "逾期的在前。问题的经过见 ledger problem 编号，或 ledger show 任务序号。",
    }


def issues_text(issues, as_of):
    """本期（…）新提出问题 N 个、解决 M 个；未解决 K 个，其中逾期 J 个。"""
    return (f"本期（{issues['start']} 至 {as_of}）新提出问题 {issues['new']} 个、解决 {issues['solved']} 个；"
            f"未解决 {issues['open']} 个，其中逾期 {issues['overdue']} 个。解决＝报送单位报已解决或办公室销号；"
            "逾期＝过了交办的办结时限仍未解决；未交办的问题按“（未交办）”计。")


def tables(content):
    """(heading, records, columns, note) for the five tables, in bulletin order."""
    said = notes(content)
    return [(HEADINGS[1], content["sections"], SECTION_COLUMNS, None),
            (HEADINGS[2], content["units"], UNIT_COLUMNS, None),
            (HEADINGS[3], content["lagging"], LAGGING_COLUMNS, said["lagging"]),
            (HEADINGS[4], content["stale"], STALE_COLUMNS, said["stale"]),
            (HEADINGS[5], content["targets"], TARGET_COLUMNS, said["targets"]),
            (HEADINGS[6], content["new"], NEW_COLUMNS, said["new"]),
            (HEADINGS[7], content["issues"]["by_unit"], ISSUE_UNIT_COLUMNS, said["issues"]),
            (HEADINGS[8], content["issues"]["list"], ISSUE_COLUMNS, said["open"])]


def document(content, table_format, title_mark, heading_mark, escape):
    """The bulletin as markdown or plain text: headings, the headline sentence, then the tables."""
    out = [f"{title_mark}调度通报", "", f"{(escape or clean)(content['title'])} · 截至 {content['as_of']} · 序时进度 "
           f"{percent(content['elapsed'])}", "", f"{heading_mark}{HEADINGS[0]}", "", headline_text(content),
           "", PACE_NOTE]
    for heading, records, columns, note in tables(content):
        out += ["", f"{heading_mark}{heading}", ""]
        if escape:
            columns = [Column(c.key, c.header, _escaping(c, escape)) for c in columns]
        out.append(tabulated(records, columns, table_format) if records else "无。")
        out += ["", note] if note else []
    return "\n".join(out) + "\n"


def _escaping(column, escape):
    def show(record):
        value = column.show(record) if column.show else record.get(column.key)
        return None if value is None or value == "" else escape(value)
    return show


def html_table(records, columns):
    """An HTML table of the records, every cell escaped; light cells coloured, numbers right-aligned."""
    head = "".join(f"<th>{html.escape(c.header)}</th>" for c in columns)
    rows = []
    for row in cells(records, columns):
        rows.append("<tr>" + "".join(_td(column.key, cell) for column, cell in zip(columns, row)) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _td(key, cell):
    if key == "light" and cell in LIGHT_COLOURS:
        fill, ink = LIGHT_COLOURS[cell]
        return f'<td class="light" style="background:{fill};color:{ink}">{html.escape(cell)}</td>'
    classes = " ".join(name for name, keys in (("num", NUMERIC), ("nowrap", NOWRAP), ("flag", {"flag"}))
                       if key in keys and (name != "flag" or cell != "—"))
    return f'<td class="{classes}">{html.escape(cell)}</td>' if classes else f"<td>{html.escape(cell)}</td>"


def stacked_bars(rows, legend, caption, full=None, label_width=190, bar_width=400):
    """An inline SVG of horizontal stacked bars.

    rows: (label, [(count, (fill, ink)), ...], note shown after the bar); legend: (name, (fill, ink)) pairs;
    caption: what the chart shows, for screen readers;
    full: the count a whole bar stands for (None: every bar is its own total, so bars show shares).
    """
    row_height, bar_height, top = 22, 14, 28
    width, height = label_width + bar_width + 110, top + row_height * len(rows) + 4
    out = [f'<svg class="chart" viewBox="0 0 {width} {height}" '
           f'width="{width}" height="{height}" role="img" aria-label="{html.escape(caption)}">']
    x = label_width
    for name, (fill, _) in legend:
        out.append(f'<rect x="{x}" y="6" width="12" height="12" fill="{fill}"/>'
                   f'<text x="{x + 16}" y="16">{html.escape(name)}</text>')
        x += 16 + 13 * len(name) + 18
    for index, (label, parts, note) in enumerate(rows):
        y = top + index * row_height
        out.append(f'<text x="{label_width - 8}" y="{y + 11}" text-anchor="end">{html.escape(label)}</text>')
        whole = full or sum(count for count, _ in parts) or 1
        x = float(label_width)
        for count, (fill, ink) in parts:
            if not count:
                continue
            length = bar_width * count / whole
            out.append(f'<rect x="{x:.1f}" y="{y}" width="{length:.1f}" height="{bar_height}" fill="{fill}"/>')
            if length >= 16:
                out.append(f'<text x="{x + length / 2:.1f}" y="{y + 11}" text-anchor="middle" class="in" '
                           f'style="fill:{ink}">{count}</text>')
            x += length
        out.append(f'<text x="{x + 6:.1f}" y="{y + 11}">{html.escape(note)}</text>')
    out.append("</svg>")
    return "".join(out)


def section_chart(sections):
    """Lights per section as stacked bars, all on one scale (the largest section fills the width)."""
    rows = [(s["name"], [(s["lights"][light], LIGHT_COLOURS[light]) for light in BAR_LIGHTS],
             f"共 {s['total']} 项") for s in sections]
    full = max((s["total"] for s in sections), default=0) or 1
    return stacked_bars(rows, [(light, LIGHT_COLOURS[light]) for light in BAR_LIGHTS], SECTION_CHART_NOTE, full)


def unit_chart(unit_rows):
    """Each lead unit's tasks as one full-width bar split by pace, labelled with its completion rate."""
    rows = [(u["unit"], [(u[key], PACE_COLOURS[key]) for key in PACES],
             f"完成 {u['done']}/{u['total']} · {percent(u['completion'])}") for u in unit_rows]
    return stacked_bars(rows, [(label, PACE_COLOURS[key]) for key, label in PACES.items()], UNIT_CHART_NOTE)


STYLE = """
@page { size: A4; margin: 14mm 12mm 16mm;
  @bottom-center { content: "第 " counter(page) " 页 / 共 " counter(pages) " 页"; font-size: 8pt; color: #777; } }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0 auto; max-width: 186mm; padding: 8mm 0; color: #1d1d1f; font-size: 10.5pt; line-height: 1.5;
  font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "SimHei",
  "WenQuanYi Micro Hei", sans-serif; }
h1 { font-size: 20pt; text-align: center; margin: 0 0 2mm; letter-spacing: 0.2em; color: #b1121b; }
.subtitle { text-align: center; color: #555; margin: 0 0 4mm; }
hr.red { border: 0; border-top: 2px solid #b1121b; margin: 0 0 5mm; }
h2 { font-size: 13pt; margin: 6mm 0 2mm; border-left: 4px solid #b1121b; padding-left: 2mm; break-after: avoid; }
p { margin: 1mm 0; }
.note { color: #555; font-size: 9pt; }
.cards { display: flex; gap: 3mm; margin: 3mm 0; }
.card { flex: 1; border-radius: 2mm; padding: 2mm 3mm; text-align: center; }
.card b { display: block; font-size: 18pt; line-height: 1.2; }
table { width: 100%; border-collapse: collapse; margin: 2mm 0; font-size: 9pt; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
td { white-space: pre-line; }
th, td { border: 1px solid #b8bcc2; padding: 1mm 1.5mm; vertical-align: top; text-align: left; }
th { background: #eef0f3; white-space: nowrap; }
td.num { text-align: right; white-space: nowrap; }
td.nowrap { white-space: nowrap; }
td.flag { color: #b1121b; font-weight: bold; }
td.light { text-align: center; white-space: nowrap; font-weight: bold; }
svg.chart { display: block; width: 100%; height: auto; margin: 2mm 0; break-inside: avoid; }
svg.chart text { font-size: 11px; fill: #1d1d1f; }
svg.chart text.in { font-size: 10px; }
footer { margin-top: 6mm; color: #777; font-size: 8.5pt; border-top: 1px solid #ccc; padding-top: 2mm; }
@media print { body { padding: 0; max-width: none; } th, td { padding: 0.6mm 1.5mm; } }
"""


def page(content):
    """The bulletin as one self-contained HTML page: no scripts, no network, A4 print layout, SVG charts."""
    head = content["headline"]
    cards = "".join(
        f'<div class="card" style="background:{PACE_COLOURS[key][0]};color:{PACE_COLOURS[key][1]}">'
        f"<b>{head[key]}</b>{html.escape(label)} · {percent(head['shares'][key])}</div>"
        for key, label in PACES.items())
    charts = {HEADINGS[1]: section_chart(content["sections"]) + f'<p class="note">{SECTION_CHART_NOTE}</p>',
              HEADINGS[2]: unit_chart(content["units"]) + f'<p class="note">{UNIT_CHART_NOTE}</p>'}
    body = ["<h1>调度通报</h1>",
            f'<p class="subtitle">{html.escape(content["title"])}<br>截至 {content["as_of"]} · 序时进度 '
            f'{percent(content["elapsed"])}</p><hr class="red">',
            f"<h2>{HEADINGS[0]}</h2>", f"<p>{html.escape(headline_text(content))}</p>",
            f'<div class="cards">{cards}</div>', f'<p class="note">{html.escape(PACE_NOTE)}</p>']
    for heading, records, columns, note in tables(content):
        body.append(f"<h2>{heading}</h2>")
        body.append(charts.get(heading, ""))
        body.append(html_table(records, columns) if records else "<p>无。</p>")
        body.append(f'<p class="note">{html.escape(note)}</p>' if note else "")
    body.append(f"<footer>{html.escape(content['title'])} · 由 ledger 根据各单位进展日志生成 · "
                f"截至 {content['as_of']}</footer>")
    return ("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>调度通报（截至 {content['as_of']}）</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
            + "\n".join(part for part in body if part) + "\n</body>\n</html>\n")
