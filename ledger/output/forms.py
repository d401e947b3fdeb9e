"""报送表 as an xlsx file (openpyxl) that Excel, WPS and LibreOffice open without a warning; and what
`collect` did with filled forms, as text."""

import datetime as dt
import io

from ledger.core.forms import (FILLED, FIRST_ROW, GIVEN, GROUP_ROW, HEADER_ROW, HELP_ROW, LAST, META_SHEET, METRICS,
                               SHEET, TITLE_ROW, UNIT_ROW, cells, group_spans, letter, record)
from ledger.core.queries import given as said
from ledger.output.render import clean
from ledger.vocab import STATUSES

HEADER_FILL, GIVEN_FILL, OPEN_FILL, CLOSED_FILL = "D9E1F2", "F2F2F2", "FFF2CC", "BFBFBF"
GROUP_FILLS = {"任务": HEADER_FILL, "上次报送": "E2E2E2", "本期报送": "FFE699", METRICS: "FFE699", "报送": "FFE699"}
FIXED = GIVEN + LAST + FILLED  # the columns before the metrics
EXCEL_EPOCH = dt.date(1899, 12, 30)
LINE_HEIGHT = 14  # points: one line of 11-point text
PAGE_WIDTH = 190  # characters of column width printed on one landscape A4 page at about 75%


def _lines(value, width):
    """How many lines value takes in a wrapped cell width characters wide (a Chinese character takes two)."""
    from wcwidth import wcswidth  # noqa: PLC0415

    if value is None:
        return 1
    return sum(max(1, -(-max(wcswidth(part), 0) // max(width - 1, 1))) for part in str(value).split("\n"))


def workbook(form):
    """The form as xlsx bytes: the sheet to fill in, protected without a password, and the hidden record."""
    from openpyxl import Workbook  # noqa: PLC0415 - openpyxl only for xlsx
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side  # noqa: PLC0415

    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    given, opened = cells(form)
    opened = set(opened)
    last_row = FIRST_ROW + len(form.rows) - 1
    edge = Side(style="thin", color="808080")
    box, wrap = Border(left=edge, right=edge, top=edge, bottom=edge), Alignment(wrap_text=True, vertical="top")
    for row in range(TITLE_ROW, last_row + 1):
        for number, column in enumerate(form.columns, 1):
            where = f"{letter(number)}{row}"
            cell = sheet[where]
            value = given.get(where)
            if row >= FIRST_ROW and column.kind == "date" and value is not None:
                value = dt.date.fromisoformat(value)
            cell.value = value
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # text from the journals is text: "=…" must not become a formula
            if row < GROUP_ROW:
                continue
            cell.border, cell.alignment = box, wrap
            if row < FIRST_ROW:
                continue
            cell.number_format = {"date": "yyyy-mm-dd", "whole": "0"}.get(column.kind, "General")
            if where in opened:
                cell.protection = Protection(locked=False)
                cell.fill = PatternFill("solid", fgColor=OPEN_FILL)
            else:
                closed = column.open  # a metric column in another task's row: nothing to fill in
                cell.fill = PatternFill("solid", fgColor=CLOSED_FILL if closed else GIVEN_FILL)
    last = letter(len(FIXED))  # the title rows as wide as the columns every form has: one printed page
    for row, size, height in ((TITLE_ROW, 16, 30), (UNIT_ROW, 11, 20), (HELP_ROW, 9, 52)):
        sheet.merge_cells(f"A{row}:{last}{row}")
        sheet.row_dimensions[row].height = height
        sheet[f"A{row}"].font = Font(bold=row == TITLE_ROW, size=size, color="404040" if row == HELP_ROW else None)
        sheet[f"A{row}"].alignment = Alignment(wrap_text=True, vertical="center",
                                               horizontal="center" if row == TITLE_ROW else "left")
    for group, first, final in group_spans(form):
        if final > first and group != METRICS:
            sheet.merge_cells(f"{letter(first)}{GROUP_ROW}:{letter(final)}{GROUP_ROW}")
        for number in range(first, final + 1):
            for row in (GROUP_ROW, HEADER_ROW):
                cell = sheet[f"{letter(number)}{row}"]
                cell.fill = PatternFill("solid", fgColor=GROUP_FILLS[group] if row == GROUP_ROW else HEADER_FILL)
                cell.font = Font(bold=True)
                cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for number, column in enumerate(form.columns, 1):
        sheet.column_dimensions[letter(number)].width = column.width
    for row in range(HEADER_ROW, last_row + 1):  # rows are not fitted to wrapped text on opening: fit them here
        lines = max(_lines(given.get(f"{letter(n)}{row}"), c.width) for n, c in enumerate(form.columns, 1))
        sheet.row_dimensions[row].height = max(lines * LINE_HEIGHT + 4, 30)
    _validations(sheet, form, last_row)
    sheet.freeze_panes = f"D{FIRST_ROW}"
    sheet.protection.sheet = True  # no password: it keeps the given cells from slips, not from anyone
    sheet.protection.formatColumns = sheet.protection.formatRows = False  # widening a column stays allowed
    sheet.print_title_rows = f"{GROUP_ROW}:{HEADER_ROW}"
    sheet.print_title_cols = "A:C"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    # a unit with many numeric targets has a wide sheet: printed as wide as a few pages, the task repeated on each
    sheet.page_setup.fitToWidth = -(-sum(c.width for c in form.columns) // PAGE_WIDTH)
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    hidden = book.create_sheet(META_SHEET)
    for key, value in record(form):
        hidden.append([key, value])
    hidden.sheet_state = "veryHidden"
    hidden.protection.sheet = True
    book.properties.creator = "ledger"
    book.properties.title = f"{form.unit}报送表（截至 {form.as_of}）"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _validations(sheet, form, last_row):
    """Drop-down, whole-number, date, number and length checks on the cells to fill in, each saying what is
    allowed; a metric cell's input message gives its target and the last value reported."""
    from openpyxl.worksheet.datavalidation import DataValidation  # noqa: PLC0415

    from ledger.files.models import MAX_TEXT  # noqa: PLC0415 - the journal's limit for one field

    start, end = (_serial(form.plan.start), _serial(form.plan.end))
    kinds = {
        "status": dict(type="list", formula1=f'"{",".join(STATUSES)}"', error=f"请从下拉列表选择：{'、'.join(STATUSES)}"),
        "whole": dict(type="whole", operator="between", formula1="0", formula2="100", error="进度应为 0 到 100 的整数"),
        "date": dict(type="date", operator="between", formula1=str(start), formula2=str(end),
                     error=f"请填写计划期（{form.plan.start} 至 {form.plan.end}）内的日期，例如 {form.plan.end}"),
        "text": dict(type="textLength", operator="lessThanOrEqual", formula1=str(MAX_TEXT),
                     error=f"最多 {MAX_TEXT} 个字；请只写要点"),
    }
    for number, column in enumerate(form.columns, 1):
        span = f"{letter(number)}{FIRST_ROW}:{letter(number)}{last_row}"
        if column.key in form.metrics:
            for index, row in enumerate(form.rows):
                if column.key in row["metrics"]:
                    # Excel refuses a file whose input message runs past 255 characters, or its title past 32
                    check = DataValidation(type="decimal", operator="between", formula1="-1E+15", formula2="1E+15",
                                           error="请填数字（累计完成值），不要带单位或文字",
                                           prompt=row["metrics"][column.key][:255],
                                           promptTitle=column.header.split("\n")[0][:32])
                    check.add(f"{letter(number)}{FIRST_ROW + index}")
                    _add(sheet, check)
        elif column.open:
            check = DataValidation(allow_blank=True, **kinds.get(column.kind, kinds["text"]))
            check.add(span)
            _add(sheet, check)


def _add(sheet, check):
    check.allow_blank = True
    check.showErrorMessage = check.showInputMessage = True
    check.errorStyle, check.errorTitle = "stop", "填写有误"
    sheet.add_data_validation(check)


def _serial(iso):
    """A date as Excel's day number, which data validation compares."""
    return (dt.date.fromisoformat(iso) - EXCEL_EPOCH).days



def collected(results, tasks, dry_run=False):
    """What `collect` did with each sheet (results: core.collect.Collected), and a closing count."""
    from ledger.files import yamlio  # noqa: PLC0415

    out, counts = [], [0, 0, 0]  # appended, already there, problems
    for done in results:
        sheet = done.sheet
        if sheet.unit:
            out.append(f"{sheet.file}：{sheet.unit}的报送表（截至 {sheet.as_of}），填了 {sheet.filled} 行")
        else:
            out.append(f"{sheet.file}：没有收录")
        if sheet.unit and not sheet.filled and not sheet.problems:
            out.append("  没有填写任何一行，没有可收录的内容")
        if sheet.problems and sheet.unit:
            rest = ("这张表没有收录" if sheet.refused else "这些行没有收录" if done.appended or done.known else
                    "这张表一条也没有写入；改正后重新收录，或加 --partial 只收录没有问题的行")
            out.append(f"  {len(sheet.problems)} 处问题，{rest}：")
        out += [f"  {problem}" for problem in sheet.problems]
        if done.appended:
            first = done.appended[0][1]
            out.append(f"  {'预演：将追加到' if dry_run else '已追加到'} {done.journal}"
                       f"{f' 第 {first} 行起' if first else ''} {len(done.appended)} 条：")
            for entry, _ in done.appended:
                task = tasks.get(entry["task"])
                out.append(f"    第 {entry['task']} 项 {task.title if task else ''} — {said(entry)}（{entry['date']}）")
            if dry_run:
                out += [f"    {line}" for line in yamlio.dump([entry for entry, _ in done.appended]).splitlines()]
        if done.known:
            listed = "、".join(f"第 {entry['task']} 项（第 {line} 行）" for entry, line in done.known)
            out.append(f"  已收录过 {len(done.known)} 条，这次没有重复追加：{done.journal} {listed}")
        out += [f"  {warning}" for warning in done.warnings]
        if done.commit:
            out.append(f"  已提交 {done.commit}")
        if done.error:
            out += [f"  {line}" for line in done.error.splitlines()]
        counts[0] += len(done.appended)
        counts[1] += len(done.known)
        counts[2] += len(sheet.problems) + bool(done.error)
    verb = "将追加" if dry_run else "追加"
    out.append(f"共 {len(results)} 张报送表：{verb} {counts[0]} 条，已收录过 {counts[1]} 条，问题 {counts[2]} 处")
    return "".join(f"{clean(line)}\n" for line in out)
