"""`ledger collect`: filled 报送表 read back into journal entries, judged by the same models and rules as
`update`, and appended to each unit's journal in one locked, atomic write per sheet. An entry already in the
journal (the same unit, task, day and content) is not appended again, so collecting a sheet twice, or a
copy re-saved by Excel, WPS or LibreOffice, adds it once."""

import datetime as dt
import json
import re
import stat
from pathlib import Path
from typing import NamedTuple

from ledger.core import forms, rules
from ledger.core.update import (commit_journal, journal_header, new_entry, problem_steps, ready_to_commit, refusals,
                                reminders)
from ledger.files import journal, store, yamlio
from ledger.vocab import ENTRY_FIELDS, ERROR, STATUSES, WARNING, LedgerError, Problem, os_reason

CONTENT = ("status", "percent", "progress", "problems", "next")  # a row with any of these (or a metric) is filled
NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")


class Sheet(NamedTuple):
    """A filled form as read: what it is for, its valid rows as entries, and what is wrong with it."""

    file: str  # the file as messages name it
    unit: object  # the unit the form was issued to (None: not a form ledger issued)
    as_of: object
    filled: int  # rows the unit filled in
    entries: tuple  # (sheet row, entry dict in journal field order) of each valid filled row
    problems: tuple  # Problems, each naming the file, sheet and cell
    refused: bool  # the form as a whole cannot be collected (not ours, another plan or unit, given cells changed)


class Collected(NamedTuple):
    """What collecting one sheet did (or, in a dry run, would do)."""

    sheet: Sheet
    journal: object  # the journal, relative to the root (None when the sheet was refused)
    appended: tuple  # (entry, line) of each entry appended; in a dry run, the line is None
    known: tuple  # (entry, line) of each filled row already in the journal
    warnings: tuple  # Problems that did not stop the sheet
    commit: object  # the new commit's short name
    error: object  # why nothing was written (when nothing is appended), or why what was written is not committed


def where(file, cell):
    return f"{file} {forms.SHEET}!{cell}"


def read(ledger, path, today, unit=None):
    """The Sheet of the filled form at path (messages name it as given), judged against ledger; unit: the only
    unit whose forms are accepted, if given."""
    file = str(path)
    book, problem = _workbook(path)
    if problem:
        return _refused(file, None, None, problem)
    record, problem = _record(book)
    if problem:
        return _refused(file, None, None, problem)
    problem = _belongs(ledger, record, unit)
    if problem:
        return _refused(file, record["unit"], record["as_of"], problem)
    if forms.SHEET not in book.sheetnames:
        return _refused(file, record["unit"], record["as_of"],
                        f"找不到工作表“{forms.SHEET}”（被改名或删除了）；请用下发的报送表填写")
    grid = _grid(book[forms.SHEET])
    changed = _changed(record, grid, file)
    entries, problems, filled = [], [], 0
    for index, task_id in enumerate(record["tasks"]):
        row = forms.FIRST_ROW + index
        cells = {column[0]: (f"{forms.letter(number)}{row}", grid.get((row, number)))
                 for number, column in enumerate(record["columns"], 1)}
        own = [key for key, (task, _) in record["metrics"].items() if task == task_id]
        if not any(_value(cells[key][1]) is not None for key in (*CONTENT, *own)):
            continue
        filled += 1
        entry, found = _entry(ledger, record, task_id, cells, file, today)
        problems += found
        if entry and not found:
            entries.append((row, entry))
    problems += _beyond(ledger, record, grid, file)
    return Sheet(file, record["unit"], record["as_of"], filled, tuple(entries), tuple(changed + problems),
                 bool(changed))


def _refused(file, unit, as_of, message):
    return Sheet(file, unit, as_of, 0, (), (Problem(file, 0, message),), True)


def _workbook(path):
    """(the workbook, None) of the xlsx file at path, or (None, why it cannot be read)."""
    path = Path(path)
    try:
        status = path.stat()
    except OSError as error:
        return None, f"无法读取：{os_reason(error)}"
    if not stat.S_ISREG(status.st_mode):
        return None, "不是普通文件；请给出报送表（.xlsx）文件"
    if status.st_size > store.MAX_FILE:
        return None, f"文件太大（{status.st_size >> 20} MB）；报送表不会这么大，请检查是不是选错了文件"
    import io  # noqa: PLC0415
    import warnings  # noqa: PLC0415

    from openpyxl import load_workbook  # noqa: PLC0415 - openpyxl only when reading forms

    try:
        data = path.read_bytes()
        with warnings.catch_warnings():  # WPS and Excel add extensions openpyxl does not read: nothing we use
            warnings.simplefilter("ignore")
            return load_workbook(io.BytesIO(data), read_only=True, data_only=True), None
    except OSError as error:
        return None, f"无法读取：{os_reason(error)}"
    except Exception:  # noqa: BLE001 - a zip or XML that is not a workbook fails in many ways inside openpyxl
        return None, ("不是 Excel 工作簿（.xlsx），或文件已损坏；.xls、.et 请在 Excel 或 WPS 中“另存为” .xlsx 后再收录")


def _record(book):
    """(the form's record from its hidden sheet, None), or (None, why the file is not a form ledger issued)."""
    not_ours = "不是 ledger 下发的报送表（没有说明页）；请用 ledger form 生成的报送表填写"
    if forms.META_SHEET not in book.sheetnames:
        return None, not_ours
    rows = [tuple(row[:2]) for row in book[forms.META_SHEET].iter_rows(values_only=True) if row and row[0]]
    if not rows or rows[-1][0] != "校验码" or rows[-1][1] != forms.seal(rows[:-1]):
        return None, "报送表的说明页被改动过（校验码不符），无法确认这张表下发时的样子；请用重新下发的报送表填写"
    try:
        record = json.loads("".join(value for key, value in rows if key == "记录"))
    except (TypeError, ValueError):
        return None, not_ours
    if record.get("format") != forms.FORMAT:
        return None, f"报送表的格式“{record.get('format')}”不是这个版本的 ledger 能读的（{forms.FORMAT}）；请重新下发报送表"
    return record, None


def _belongs(ledger, record, unit):
    """Why the form cannot be collected into this ledger (another plan, an unknown or other unit), or None."""
    plan = ledger.plan
    if (record["plan"], record["number"]) != (plan.title, plan.number):
        return (f"这张报送表是《{record['plan']}》（{record['number']}）的，当前台账是《{plan.title}》"
                f"（{plan.number}）；没有收录")
    if record["unit"] not in ledger.unit_names:
        return f"报送表的单位“{record['unit']}”未在 {store.UNITS} 登记；没有收录"
    if unit and record["unit"] != unit:
        return f"这张报送表是{record['unit']}的，不是{unit}的；没有收录"
    return None


def _grid(sheet):
    """(row, column) -> the cell's value (a date cell's as a date) of every cell that holds one."""
    grid = {}
    for row in sheet.iter_rows():
        for cell in row:
            value = getattr(cell, "value", None)
            if value is not None and value != "":
                grid[cell.row, cell.column] = value
    return grid


def _changed(record, grid, file):
    """A Problem for each given cell that is not as issued, and each cell outside the form's rows that holds
    something (a row for a task the form does not list aside: _beyond says what is wrong with it)."""
    given, opened = record["given"], set(record["open"])
    last_row, width = forms.FIRST_ROW + len(record["tasks"]) - 1, len(record["columns"])
    problems = []
    for row in range(forms.TITLE_ROW, last_row + 1):
        for number in range(1, width + 1):
            cell = f"{forms.letter(number)}{row}"
            was, now = given.get(cell), forms.plain(grid.get((row, number)))
            if cell in opened or _same(was, now):
                continue
            what = _header(record, number) if row >= forms.FIRST_ROW else "表头"
            problems.append(Problem(where(file, cell), 0, f"这一格（{what}）是下发时给定的，不能改动：下发时"
                                    f"{_quoted(was)}，现在{_quoted(now)}；请改回原样，或请办公室重新下发报送表"))
    for (row, number), value in sorted(grid.items()):
        if row <= last_row and number > width:
            problems.append(Problem(where(file, f"{forms.letter(number)}{row}"), 0,
                                    f"报送表之外的格子里有内容“{forms.plain(value)}”；请只在浅黄色格子里填写"))
    return problems


def _same(was, now):
    if was == now:
        return True
    return isinstance(was, str) and isinstance(now, str) and was.replace("\r\n", "\n") == now.replace("\r\n", "\n")


def _quoted(value):
    return "是空的" if value is None else f"是“{value}”"


def _header(record, number):
    column = record["columns"][number - 1]
    if column[0] in record["metrics"]:
        return column[1].split("\n")[0]
    group = "上次报送·" if column[0].startswith("last_") else ""
    return f"{group}{column[1]}"


def _beyond(ledger, record, grid, file):
    """A Problem for each row below the form's own that holds something: most often a task the form does not list."""
    last_row = forms.FIRST_ROW + len(record["tasks"]) - 1
    problems, rows = [], sorted({row for row, _ in grid if row > last_row})
    listed = rules.ranges(record["tasks"])
    for row in rows:
        number = grid.get((row, 1))
        task = ledger.tasks.get(number) if isinstance(number, (int, float)) and not isinstance(number, bool) else None
        if task:
            why = f"第 {task.id} 项任务不在这张报送表里（本表列出第 {listed} 项）"
            if record["unit"] not in ledger.responsible(task) and record["unit"] not in task.support_units:
                why += "；" + rules.not_responsible(ledger, record["unit"], task)
            message = f"{why}；这一行没有收录。本单位要报送别的任务，请告知办公室"
        else:
            filled = [f"{forms.letter(n)}{row}" for r, n in sorted(grid) if r == row]
            message = f"报送表的任务行之外有内容（{'、'.join(filled[:5])}）；请只在各任务的行里填写"
        problems.append(Problem(where(file, f"A{row}"), 0, message))
    return problems


def _value(value):
    """The value of a cell to fill in: None when empty or blank."""
    if isinstance(value, str):
        value = value.strip()
    return None if value is None or value == "" else value


def _entry(ledger, record, task_id, cells, file, today):
    """(the entry a filled row gives, problems naming its cells); no entry when the row cannot give one."""
    task = ledger.tasks.get(task_id)
    if task is None:
        cell = cells["id"][0]
        return None, [Problem(where(file, cell), 0, f"第 {task_id} 项任务已不在任务清单里（任务清单改过）；"
                                                     "这一行没有收录，请办公室重新下发报送表")]
    fields, problems, faulted = {"corrects": None, "metric": []}, [], set()

    def fault(key, field, message):
        problems.append(Problem(where(file, cells[key][0]), 0, message))
        faulted.add(field)

    status = _value(cells["status"][1])
    if status is not None and status not in STATUSES:
        fault("status", "status", f"状态“{status}”无效；应为以下之一：{'、'.join(STATUSES)}（请从下拉列表选择）")
        status = None
    fields["status"] = status
    fields["percent"] = _number(cells["percent"][1])
    if fields["percent"] is False:
        fault("percent", "percent", f"进度应为 0 到 100 的数字，实际是“{_value(cells['percent'][1])}”")
        fields["percent"] = None
    for key in ("progress", "problems", "next", "reporter"):
        value = _value(cells[key][1])
        fields[key] = None if value is None else value if isinstance(value, str) else str(forms.plain(value))
    for key in ("problems", "next"):
        if fields[key] in forms.CLEAR_WORDS:
            fields[key] = ""  # 无: what was reported before is cleared, as update --problem "" does
    if fields["progress"] is None:
        fault("progress", "progress", "本期进展未填；这一行填了内容，请写一句本期做了什么（整行留空则不收录）")
    actuals = {}
    for key, (task_of, name) in record["metrics"].items():
        value = _value(cells[key][1])
        if task_of == task_id and value is not None:
            number = _number(value)
            if number is False:
                fault(key, "", f"指标“{name}”的完成值应为数字，实际是“{value}”；只填数字（累计完成值），不带单位和文字")
            else:
                actuals[name] = number
    day = _date(cells["date"][1])
    if day is None:
        fault("date", "date", "报送日期未填；请填写这条进展的日期，例如 2023-09-20")
    elif day is False:
        fault("date", "date", f"报送日期“{_value(cells['date'][1])}”不是日期；请写成 2023-09-20 这样")
    entry = new_entry(task, day or dt.date.min, fields)
    entry = {name: actuals if name == "actuals" else entry[name] for name in ENTRY_FIELDS
             if name in entry or (name == "actuals" and actuals)}
    if not day:
        del entry["date"]
    # the model and the rules judge the rest; a field already said to be wrong is not said again
    problems += [problem for problem in _judged(ledger, record, entry, cells, file, today)
                 if problem.field.split(".")[0] not in faulted]
    order = {cell: number for number, (cell, _) in enumerate(cells.values())}
    problems.sort(key=lambda problem: order.get(problem.file.rsplit("!", 1)[-1], 0))  # left to right
    return (None if problems else entry), problems


def _number(value):
    """The number a cell holds (a number, or text that is one, with a % sign allowed); None when empty; False
    when it holds something else."""
    value = _value(value)
    if value is None:
        return None
    if isinstance(value, bool) or isinstance(value, (dt.date, dt.datetime)):
        return False
    if isinstance(value, (int, float)):
        return int(value) if float(value).is_integer() else value
    text = str(value).replace("，", "").replace(",", "").removesuffix("%").strip()
    if not NUMBER.fullmatch(text):
        return False
    number = float(text)
    return int(number) if number.is_integer() else number


def _date(value):
    """The date a cell holds (a date cell, or text such as 2023-09-20, 2023/9/20, 2023年9月20日); None when
    empty; False when it holds something else."""
    value = _value(value)
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    found = DATE.fullmatch(str(value))
    try:
        return dt.date(*map(int, found.groups())) if found else False
    except ValueError:
        return False


def _judged(ledger, record, entry, cells, file, today):
    """The model's and the rules' problems with the entry, each placed in the cell its field came from."""
    from ledger.files.models import entry_errors  # noqa: PLC0415

    found = entry_errors(entry)
    bad = {problem.field.split(".")[0] for problem in found}  # the rules judge the fields the model took
    found += refusals(ledger, record["unit"], {k: v for k, v in entry.items() if k not in bad}, [], today)
    return [_placed(problem, record, entry, cells, file) for problem in found if problem.severity == ERROR]


def _placed(problem, record, entry, cells, file):
    """The problem (of a field of the entry) said of the cell the field came from; it keeps the field's name."""
    field = problem.field.split(".")[0]
    key = {"task": "id", "clear": "problems", "actuals": None}.get(field, field)
    if field == "actuals":
        name = problem.field.split(".", 1)[-1]
        key = next((k for k, (task, metric) in record["metrics"].items()
                    if task == entry["task"] and metric == name), "id")
    cell = cells.get(key, cells["id"])[0]
    header = _header(record, [c[0] for c in record["columns"]].index(key) + 1) if key in cells else ""
    message = problem.message.replace(f"“{field}”（{ENTRY_FIELDS.get(field, '')}）", f"“{header}”")
    return Problem(where(file, cell), 0, message, problem.field)


def collect(ledger, sheets, today, partial=False, dry_run=False, commit=False):
    """A Collected for each Sheet: its valid rows appended to its unit's journal, unless the sheet was refused,
    or has a bad row and partial is not set; rows already in the journal are not appended again."""
    return [_collect(ledger, sheet, today, partial, dry_run, commit) for sheet in sheets]


def _collect(ledger, sheet, today, partial, dry_run, commit):
    nothing = Collected(sheet, None, (), (), (), None, None)
    if sheet.refused or not sheet.entries or (sheet.problems and not partial):
        return nothing
    path = store.journal_path(ledger.root, sheet.unit)
    relative = f"{store.PROGRESS}/{path.name}"
    warnings = [w for _, entry in sheet.entries
                for w in reminders(ledger, ledger.tasks[entry["task"]], sheet.unit, entry)]
    fresh, known = [], []

    def compose(items):
        fresh.clear()
        known.clear()
        valid = [item for item in items if item.get("valid")]
        for row, entry in sheet.entries:
            dumped = _dumped(entry)
            same = next((item for item in valid if all(item.get(k) == v for k, v in dumped.items())), None)
            if same:
                known.append((entry, same["line"]))
                continue
            refused = refusals(ledger, sheet.unit, entry, items, today) + [
                p for p in problem_steps(ledger, ledger.tasks[entry["task"]], sheet.unit, entry, relative)
                if p.severity == ERROR]  # a problem raised may not renumber those already on the list
            if refused:  # the journal changed since the sheet was judged
                raise journal.Refused([Problem(where(sheet.file, f"A{row}"), 0, p.message) for p in refused])
            other = next((item for item in valid if (item["task"], item["date"]) == (entry["task"], entry["date"])
                          and not item["corrects"]), None)
            if other:
                warnings.append(Problem(where(sheet.file, f"A{row}"), 0, (
                    f"第 {entry['task']} 项在 {entry['date']} 已有一条内容不同的条目（{relative} 第 {other['line']} 行）；"
                    "两条都保留，同一天的以后写入的为准"), "", WARNING))
            fresh.append(entry)
        return [yamlio.dump([entry]) for entry in fresh]

    if dry_run:
        compose(_items(ledger, relative))
        return Collected(sheet, relative, tuple((e, None) for e in fresh), tuple(known), tuple(warnings), None, None)
    try:
        repo = ready_to_commit(ledger.root, relative) if commit else None  # its message says nothing was written
        lines = journal.extend(path, compose, journal_header(sheet.unit))
    except journal.Refused as error:
        return nothing._replace(error="没有写入，日志保持原样：\n" + "\n".join(map(str, error.problems)))
    except LedgerError as error:
        said = str(error)
        return nothing._replace(error=said if said.startswith("没有写入") else f"没有写入，日志保持原样：\n{said}")
    name, failed = None, None
    if repo and fresh:
        name, failed = commit_journal(repo, relative, message(sheet, fresh))
    return Collected(sheet, relative, tuple(zip(fresh, lines)), tuple(known), tuple(warnings), name, failed)


def _dumped(entry):
    """The entry as the journal's reader gives it back: every field, declared defaults filled in."""
    from ledger.files.models import Entry  # noqa: PLC0415

    return Entry.model_validate(entry).model_dump()


def _items(ledger, relative):
    """The journal's items as they are now (for a dry run: no lock, nothing written)."""
    data, _ = store.read_bytes(ledger.root, relative)
    items, _ = store.validate_bytes(data, relative, "journal") if data and data.strip() else ([], [])
    return items or []


def message(sheet, entries):
    """The commit message: the unit, the form's day and the tasks; the entries as written in its body."""
    tasks = "、".join(str(entry["task"]) for entry in entries)
    return f"进展({sheet.unit}): 报送表（截至 {sheet.as_of}）{len(entries)} 条 — 第 {tasks} 项\n\n{yamlio.dump(entries)}"
