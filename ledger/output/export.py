"""The ledger as offices circulate it: the same rows as xlsx (openpyxl), csv (UTF-8 with BOM) or json."""

import csv
import datetime as dt
import io
import json
from typing import NamedTuple

from ledger.core.bulletin import by_unit
from ledger.core.issues import record, register
from ledger.core.queries import reached, select
from ledger.output.issues import step_text
from ledger.output.render import flat, percent
from ledger.plans.annotations import trailing
from ledger.vocab import LIGHT, LedgerError, target_text

FORMATS = ("xlsx", "csv", "json")


class Field(NamedTuple):
    key: str  # json key
    header: str  # csv and xlsx column header
    width: int  # xlsx column width, in characters of the default font (a Chinese character is about 2)
    kind: str = "text"  # text, date or percent: how xlsx stores the value


TASK_FIELDS = [
    Field("id", "序号", 6), Field("title", "工作任务", 22), Field("goal", "具体目标", 48),
    Field("lead_units", "牵头单位", 18), Field("support_units", "参与单位", 18), Field("due", "完成时限", 12, "date"),
    Field("progress", "进展情况", 36), Field("problems", "存在问题", 26), Field("next", "下步计划", 26),
    Field("status", "完成状态", 10), Field("percent", "进度", 8, "percent"),
    Field("elapsed", "序时进度", 10, "percent"), Field("light", "预警", 8), Field("last_report", "最近报送", 12, "date"),
]
UNIT_FIELDS = [
    Field("unit", "单位", 26), Field("led", "牵头任务", 9), Field("supported", "参与任务", 9), Field("done", "已完成", 8),
    Field("on_pace", "正常推进", 9), Field("behind", "落后", 7), Field("overdue", "逾期", 7),
    Field("no_percent", "进度未填", 9), Field("unreported", "未报送", 8), Field("completion", "完成率", 9, "percent"),
    Field("stale_tasks", "本周期未报送任务", 30), Field("last_report", "最近报送", 12, "date"),
]
TARGET_FIELDS = [
    Field("task", "序号", 6), Field("title", "工作任务", 22), Field("name", "指标", 26), Field("target", "目标", 16),
    Field("actual", "最新完成值", 11), Field("measure", "单位", 10), Field("reached", "完成比例", 10, "percent"),
    Field("date", "报送日期", 12, "date"), Field("unit", "报送单位", 18),
]
PROBLEM_FIELDS = [
    Field("id", "编号", 12), Field("task", "序号", 6), Field("title", "工作任务", 22), Field("text", "问题", 36),
    Field("unit", "提出单位", 18), Field("raised", "提出日期", 12, "date"), Field("coordinator", "协调单位", 18),
    Field("due", "办结时限", 12, "date"), Field("state", "状态", 10), Field("overdue", "逾期", 6),
    Field("days", "历时（天）", 9), Field("solved", "解决日期", 12, "date"), Field("steps", "经过", 60),
]
# fill and font colour of each light (vocab.LIGHTS)
LIGHT_FILLS = {name: light.excel for name, light in LIGHT.items()}


def goal(task):
    """The task's text after its title sentence, without the units annotation (None when nothing is left)."""
    body = trailing(task.text)[0].strip()
    if body.startswith(task.title):
        body = body[len(task.title):].lstrip("。").strip()
    return body or None


def task_rows(tasks, states):
    """One row per task state: the ledger columns offices use, keyed by TASK_FIELDS' keys."""
    rows = []
    for s in states:
        rows.append({"id": s.id, "title": s.title, "goal": goal(tasks[s.id]), "lead_units": list(s.responsible),
                     "support_units": list(s.support_units), "due": s.due, "progress": s.progress,
                     "problems": s.problems, "next": s.next, "status": s.status, "percent": s.percent,
                     "elapsed": s.elapsed, "light": s.light, "last_report": s.last_report})
    return rows


def target_rows(tasks, states):
    """One row per numeric target of the task states: the target, its latest actual and the share reached."""
    rows = []
    for s in states:
        for target in tasks[s.id].targets:
            value, date, unit = s.actuals.get(target.name, (None, None, None))
            rows.append({"task": s.id, "title": s.title, "name": target.name, "target": target_text(target),
                         "actual": value, "measure": target.measure, "reached": reached(target, value), "date": date,
                         "unit": unit})
    return rows


def sheets(ledger, state, unit=None):
    """The export's content: title line, task rows and unit summary rows, limited to one unit's tasks if given."""
    units = by_unit(state.units, state.tasks)
    tasks = select(state, unit=unit)
    if unit:
        units = [u for u in units if u["unit"] == unit]
    who = f"{unit} · " if unit else ""
    return {
        "title": f"{who}{ledger.plan.title}工作台账（截至 {state.as_of}，序时进度 {percent(state.elapsed)}）",
        "as_of": state.as_of.isoformat(), "elapsed": state.elapsed, "unit": unit,
        "tasks": task_rows(ledger.tasks, tasks),
        "units": [{field.key: u[field.key] for field in UNIT_FIELDS} for u in units],
        "targets": target_rows(ledger.tasks, tasks),
        "problems": problem_rows(ledger, state.as_of, {s.id for s in tasks}, unit),
    }


def problem_rows(ledger, as_of, task_ids, unit):
    """One row per problem on the tasks exported (or coordinated by the unit exported), with its steps."""
    titles = {task.id: task.title for task in ledger.tasks.values()}
    rows = []
    for issue in register(ledger, as_of)[0]:
        if issue.task in task_ids or (unit and issue.coordinator == unit):
            row = record(issue, as_of, titles)
            rows.append({**{field.key: row.get(field.key) for field in PROBLEM_FIELDS},
                         "overdue": "是" if row["overdue"] else "否",
                         "steps": "\n".join(step_text(event) for event in row["events"])})
    return rows


def write(content, fmt):
    """The export as the bytes of a json, csv or (any other fmt) xlsx file."""
    if fmt == "json":
        return json_bytes(content)
    if fmt == "csv":
        return csv_bytes(TASK_FIELDS, content["tasks"])
    return workbook(content)


def json_bytes(content):
    return (json.dumps(content, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def csv_bytes(fields, rows):
    """The rows as CSV under the fields' headers, in UTF-8 with a BOM; no cell a spreadsheet would run."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([field.header for field in fields])
    for row in rows:
        writer.writerow([inert(flat(row[field.key])) for field in fields])
    return out.getvalue().encode("utf-8-sig")  # the BOM tells Excel the file is UTF-8


def inert(value):
    """A csv cell Excel and WPS will not run: text opening with = + - @, a tab or a carriage return (what they may
    take for a formula, OWASP's list) gets a leading '. Numbers stay numbers; "—" and dates are left alone."""
    return f"'{value}" if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def workbook(content):
    """The export as xlsx bytes: a sheet of all tasks, a summary sheet by unit and a sheet of the numeric targets."""
    from openpyxl import Workbook  # noqa: PLC0415 - openpyxl only for xlsx

    book = Workbook()
    tasks = book.active
    tasks.title = "全部任务"
    _sheet(tasks, content["title"], TASK_FIELDS, content["tasks"])
    for row in tasks.iter_rows(min_row=3):
        light = row[[f.key for f in TASK_FIELDS].index("light")]
        if light.value in LIGHT_FILLS:
            _colour(light, *LIGHT_FILLS[light.value])
    _sheet(book.create_sheet("按单位汇总"), f"{content['title']} · 按单位汇总", UNIT_FIELDS, content["units"])
    _sheet(book.create_sheet("数值指标"), f"{content['title']} · 数值指标", TARGET_FIELDS, content["targets"])
    _sheet(book.create_sheet("问题"), f"{content['title']} · 问题清单", PROBLEM_FIELDS, content["problems"])
    return _saved(book)


def _saved(book):
    """The workbook's bytes. openpyxl writes each sheet to a temporary file first: a LedgerError says so when
    it cannot (no writable temporary folder, a full disk, a file size limit)."""
    import gc  # noqa: PLC0415
    import sys  # noqa: PLC0415

    from lxml.etree import SerialisationError  # noqa: PLC0415 - how openpyxl's writer reports a failed write

    from ledger.vocab import os_reason  # noqa: PLC0415

    out, failed = io.BytesIO(), None
    # a writer abandoned by the failure fails once more when collected: that second report is not news
    hook, sys.unraisablehook = sys.unraisablehook, lambda unraisable: None
    try:
        book.save(out)
    except OSError as error:
        failed = os_reason(error)
    except SerialisationError as error:
        failed = str(error)
    finally:
        gc.collect()
        sys.unraisablehook = hook
    if failed:
        raise LedgerError(f"无法生成 xlsx：openpyxl 写临时文件失败（{failed}）；请检查临时目录（环境变量 TMPDIR）是否"
                          "存在、可写、有空间，以及文件大小限制（ulimit -f）")
    return out.getvalue()


def _sheet(sheet, title, fields, rows):
    """Fills a sheet: a title row, a frozen header row with a filter, wrapped cells, dates and percents as numbers."""
    from openpyxl.styles import Alignment, Font  # noqa: PLC0415
    from openpyxl.utils import get_column_letter  # noqa: PLC0415

    last = get_column_letter(len(fields))
    sheet.append([title])
    sheet.merge_cells(f"A1:{last}1")
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([field.header for field in fields])
    for number, row in enumerate(rows, 3):
        sheet.append([_cell(row[field.key], field.kind) for field in fields])
        for column in range(1, len(fields) + 1):  # by address: sheet.max_row counts every cell, each time
            cell = sheet.cell(number, column)
            if cell.data_type == "f":  # text from the journals is text: a note "=…" must not become a formula
                cell.data_type = "s"
    wrap = Alignment(wrap_text=True, vertical="top")
    for number, field in enumerate(fields, 1):
        letter = get_column_letter(number)
        sheet.column_dimensions[letter].width = field.width
        for cell in sheet[letter][1:]:
            cell.alignment = wrap
            cell.number_format = {"date": "yyyy-mm-dd", "percent": "0.0%"}.get(field.kind, "General")
    for cell in sheet[2]:
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        _colour(cell, "D9E1F2", "000000")
    sheet.freeze_panes = "A3"
    sheet.auto_filter.ref = f"A2:{last}{len(rows) + 2}"
    sheet.print_title_rows = "1:2"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _cell(value, kind):
    if value is None or value == "" or value in ([], ()):
        return None
    if kind == "date":
        return dt.date.fromisoformat(value)
    if kind == "percent":
        return round(value / 100, 6)  # 66.6 / 100 is 0.6659999999999999 in binary
    return flat(value)


def _colour(cell, fill, ink):
    from openpyxl.styles import Font, PatternFill  # noqa: PLC0415

    cell.fill = PatternFill("solid", fgColor=fill)
    cell.font = Font(bold=True, color=ink)
