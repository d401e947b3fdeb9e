"""报送表: the fill-in sheet a unit is sent each cycle, as values: its columns, its rows (one per task the unit
leads or supports, with the task's carried-forward state), every cell it is issued with, and the record that
lets `collect` know what it reads: unit, tasks, plan, day, and each given cell as issued, under a digest."""

import datetime as dt
import json
from typing import NamedTuple

from ledger.core.queries import tasks_of
from ledger.files.store import digest
from ledger.vocab import target_text

SHEET = "报送表"  # the sheet the unit fills in
META_SHEET = "ledger"  # the hidden sheet that says what the form is
FORMAT = "ledger-form-1"
TITLE_ROW, UNIT_ROW, HELP_ROW, GROUP_ROW, HEADER_ROW = 1, 2, 3, 4, 5
FIRST_ROW = 6  # the first task row
CLEAR_WORDS = ("无", "暂无")  # written as 存在问题 or 下步计划: the one given before is cleared
METRICS = "指标累计完成值"  # the header over the metric columns: on each, since they may run onto a second page
CHUNK = 30000  # characters of the record in one cell of the hidden sheet (a cell holds at most 32767)
HELP = ("填写说明：只在浅黄色格子里填写，灰色格子是下发时给定的，不要改动。每项任务一行，本期有进展就填，没有就整行留空"
        "（空行不收录）。本期进展必填；状态、进度不填则沿用上次报送，进度填 0–100 的整数，填 100 而不填状态即为已完成。"
        "存在问题、下步计划不填则沿用上次的，问题已解决、计划已完成请填“无”。指标填累计完成值（数字）。报送日期必填。")


class Column(NamedTuple):
    key: str  # id, title … for the given columns; status, percent … for the entry's fields; m<task>.<n> for metrics
    header: str
    group: str  # the header above: 任务, 上次报送, 本期报送, 指标累计完成值 or 报送
    width: int  # in characters of the default font (a Chinese character is about 2)
    open: bool  # filled in by the unit (unlocked and shaded); for a metric column, only in its task's row
    kind: str = "text"  # text, number, whole, date or status: what the cell holds


GIVEN = (Column("id", "序号", "任务", 6, False, "whole"), Column("title", "任务", "任务", 24, False),
         Column("role", "本单位角色", "任务", 10, False))
LAST = (Column("last_report", "日期", "上次报送", 11, False, "date"), Column("last_status", "状态", "上次报送", 8, False),
        Column("last_percent", "进度(%)", "上次报送", 8, False, "number"),
        Column("last_problems", "存在问题", "上次报送", 22, False))
FILLED = (Column("status", "状态", "本期报送", 9, True, "status"), Column("percent", "进度(%)", "本期报送", 8, True, "whole"),
          Column("progress", "本期进展", "本期报送", 36, True), Column("problems", "存在问题", "本期报送", 24, True),
          Column("next", "下步计划", "本期报送", 24, True))
SIGNED = (Column("reporter", "报送人", "报送", 10, True), Column("date", "报送日期", "报送", 12, True, "date"))


class Form(NamedTuple):
    plan: object  # records.Plan
    unit: str
    as_of: str  # the day the form is issued for: its 上次报送 is the state as of this day
    elapsed: float  # 序时进度 that day
    columns: tuple  # Column, in sheet order
    rows: tuple  # one dict per task: the given columns' values, and `metrics`: {column key: prompt} of its own
    metrics: dict  # metric column key -> (task id, target name)


def role(ledger, task, unit):
    if unit in task.lead_units:
        return "牵头"
    return "牵头（统筹）" if unit in ledger.responsible(task) else "参与"


def form(ledger, state, unit):
    """The 报送表 of unit as of the state's day: one row per task it leads or supports, in plan order."""
    now = {s.id: s for s in state.tasks}
    ids = tasks_of(ledger, unit)
    metric_columns, metrics, rows = [], {}, []
    for task_id in ids:
        task, current = ledger.tasks[task_id], now[task_id]
        own = {}
        for number, target in enumerate(task.targets, 1):
            key = f"m{task_id}.{number}"
            metric_columns.append(Column(key, f"第{task_id}项 {target.name}\n目标 {target_text(target)}",
                                         METRICS, 14, True, "number"))
            metrics[key] = (task_id, target.name)
            value, date, by = current.actuals.get(target.name, (None, None, None))
            last = f"上次报送 {value:g}（{date} {by}）" if date else "尚未报送"
            own[key] = f"填累计完成值（数字）。目标 {target_text(target)}；{last}"
        rows.append({"id": task_id, "title": task.title, "role": role(ledger, task, unit),
                     "last_report": current.last_report, "last_status": current.status,
                     "last_percent": current.percent, "last_problems": current.problems, "metrics": own})
    columns = GIVEN + LAST + FILLED + tuple(metric_columns) + SIGNED
    return Form(ledger.plan, unit, state.as_of.isoformat(), state.elapsed, columns, tuple(rows), metrics)


def letter(number):
    """The column letter of a 1-based column number: 1 -> A, 27 -> AA."""
    name = ""
    while number:
        number, rest = divmod(number - 1, 26)
        name = chr(65 + rest) + name
    return name


def title(form):
    return f"{form.plan.title}工作进展报送表"


def unit_line(form):
    return (f"报送单位：{form.unit}　　截至 {form.as_of}（序时进度 {form.elapsed:g}%）　　"
            f"依据：{form.plan.number}")


def group_spans(form):
    """(group, first column, last column) of each header group, left to right."""
    spans = []
    for number, column in enumerate(form.columns, 1):
        if spans and spans[-1][0] == column.group:
            spans[-1][2] = number
        else:
            spans.append([column.group, number, number])
    return [tuple(span) for span in spans]


def cells(form):
    """(given, open): every cell the form is issued with a value in (coordinate -> value: text, number or ISO
    date) and the coordinates of the cells the unit fills in."""
    given = {f"A{TITLE_ROW}": title(form), f"A{UNIT_ROW}": unit_line(form), f"A{HELP_ROW}": HELP}
    for group, first, last in group_spans(form):
        for number in range(first, last + 1 if group == METRICS else first + 1):
            given[f"{letter(number)}{GROUP_ROW}"] = group if group != "上次报送" else f"上次报送（截至 {form.as_of}）"
    for number, column in enumerate(form.columns, 1):
        given[f"{letter(number)}{HEADER_ROW}"] = column.header
    opened = []
    for index, row in enumerate(form.rows):
        line = FIRST_ROW + index
        for number, column in enumerate(form.columns, 1):
            where = f"{letter(number)}{line}"
            if column.key in form.metrics:
                if column.key in row["metrics"]:
                    opened.append(where)
            elif column.open:
                opened.append(where)
            elif row.get(column.key) is not None:
                given[where] = row[column.key]
    return given, opened


def record(form):
    """The rows of the hidden sheet: (key, text) pairs, the record's JSON in chunks, and last its digest."""
    given, opened = cells(form)
    body = json.dumps({"format": FORMAT, "plan": form.plan.title, "number": form.plan.number, "unit": form.unit,
                       "as_of": form.as_of, "tasks": [row["id"] for row in form.rows],
                       "columns": [[c.key, c.header, c.kind] for c in form.columns], "metrics": form.metrics,
                       "given": given, "open": opened}, ensure_ascii=False, sort_keys=True)
    rows = [("说明", "ledger 报送表的说明页：ledger collect 据此识别这张表，请勿改动"), ("格式", FORMAT),
            ("计划", form.plan.title), ("文号", form.plan.number), ("单位", form.unit), ("截至", form.as_of),
            ("任务", "、".join(str(row["id"]) for row in form.rows))]
    rows += [("记录", body[start:start + CHUNK]) for start in range(0, len(body), CHUNK)]
    return rows + [("校验码", seal(rows))]


def seal(rows):
    """The digest of the hidden sheet's rows: any change to them, or to the given cells they record, shows."""
    return digest(json.dumps(rows, ensure_ascii=False).encode(), 16)


def plain(value):
    """A cell's value as the record keeps it: None for empty, ISO text for a date, whole floats as ints."""
    if value is None or value == "":
        return None
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()[:10]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
