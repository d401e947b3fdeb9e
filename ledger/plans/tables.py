"""Tables in plan documents -> grids of cell texts, and a task table (任务分解表) -> the lines a plan would write.

A merged cell's text stands in every place the cell covers, in web pages (colspan, rowspan), Word
(gridSpan, vMerge) and Excel (merged ranges) alike: a lead unit merged over three rows leads all three
tasks, a section title merged across the table is one heading. A header may take two rows
(责任单位 over 牵头单位 | 配合单位).
"""

import datetime as dt
import re

SPAN_MAX = 64  # a cell covers at most this many columns or rows; more is a mistake or an attack
HEADER_CELL_MAX = 12  # header cells are short: 序号, 重点任务, 牵头单位; longer text is a layout table's content
# the columns of a task table by the words in their headers; any other header is the task's text
COLUMNS = ((re.compile(r"^(?:序号|编号|序)$"), "number"), (re.compile(r"领导"), "牵头领导"),
           (re.compile(r"牵头|主责|主办"), "牵头单位"), (re.compile(r"配合|参与|协办|协同|协助"), "配合单位"),
           (re.compile(r"责任"), "责任单位"), (re.compile(r"时限|时间|期限|进度"), "due"),
           (re.compile(r"^备\s*注$"), "note"))
CN_NUMERAL = re.compile(r"^([一二三四五六七八九十]+)[、.．]?$")


def text(value):
    """Text as a browser shows it: runs of spaces and line breaks made one space."""
    return re.sub(r"[ \t\r\n\f\v\xa0]+", " ", value).strip()


def spread(rows):
    """The grid of rows of (text, columns, rows) cells: each text in every place its cell covers."""
    grid, carried = [], {}  # column -> [text, rows still covered]
    for cells in rows:
        line, queue = [], list(cells)
        while queue or any(column >= len(line) for column in carried):
            column = len(line)
            if column in carried:
                value, left = carried[column]
                line.append(value)
                if left == 1:
                    del carried[column]
                else:
                    carried[column][1] -= 1
            elif queue:
                value, columns, down = queue.pop(0)
                for _ in range(min(max(columns, 1), SPAN_MAX)):
                    if down > 1:
                        carried[len(line)] = [value, min(down, SPAN_MAX) - 1]
                    line.append(value)
            else:
                line.append("")
        grid.append(line)
    return grid


def html_rows(table, shown):
    """A web page table's grid (lxml element); shown(element) is False for hidden rows and cells."""
    rows = []
    for row in table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr"):
        if shown(row):
            rows.append([(text(cell.text_content()) if shown(cell) else "", _int(cell.get("colspan")),
                          _int(cell.get("rowspan"))) for cell in row.xpath("./td|./th")])
    return spread(rows)


def _int(value):
    try:
        return int(value or 1)
    except ValueError:
        return 1


def docx_rows(table, cell_text, qn):
    """A Word table's grid: gridSpan repeats a cell across, vMerge continues the cell above it."""
    grid = []
    for row in table.findall(qn("w:tr")):
        before = row.find(f"{qn('w:trPr')}/{qn('w:gridBefore')}")
        line = [""] * min(_int(before.get(qn("w:val"))) if before is not None else 0, SPAN_MAX)
        for cell in row.findall(qn("w:tc")):
            props = cell.find(qn("w:tcPr"))
            span = props.find(qn("w:gridSpan")) if props is not None else None
            merge = props.find(qn("w:vMerge")) if props is not None else None
            value = cell_text(cell)
            if merge is not None and merge.get(qn("w:val")) in (None, "continue"):
                above = grid[-1] if grid else []
                value = above[len(line)] if len(line) < len(above) else ""
            line += [value] * min(_int(span.get(qn("w:val"))) if span is not None else 1, SPAN_MAX)
        grid.append(line)
    return grid


def xlsx_sheets(book):
    """(sheet title, grid, the sheet's row number of each grid row) for each visible sheet of an openpyxl workbook."""
    for sheet in book.worksheets:
        if sheet.sheet_state != "visible":
            continue
        grid = [[_shown(cell.value) for cell in row] for row in sheet.iter_rows()]
        for merged in sheet.merged_cells.ranges:
            value = grid[merged.min_row - 1][merged.min_col - 1]
            for row in range(merged.min_row - 1, merged.max_row):
                for column in range(merged.min_col - 1, merged.max_col):
                    grid[row][column] = value
        shown = [number for number in range(1, len(grid) + 1) if not sheet.row_dimensions[number].hidden]
        yield sheet.title, [grid[number - 1] for number in shown], shown


def _shown(value):
    """A cell's value as the sheet shows it: 1 not 1.0, dates as 2025年6月30日."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return f"{value.year}年{value.month}月{value.day}日"
    return text(str(value))


def kind(header):
    return next((found for pattern, found in COLUMNS if pattern.search(header)), "text")


def task_table(grid):
    """[(row index, line)] of a task table (序号 | 重点任务 | 牵头单位 | 配合单位 | 完成时限): each task as
    1.任务（完成时限：…）（牵头单位：…；配合单位：…）, a row with one text of its own (一、科技创新) as that
    line, the rows above the header as their texts; None for any other table."""
    for index, header in enumerate(grid[:6]):
        kinds = [kind(cell) for cell in header]
        if ("text" in kinds and any(k.endswith("单位") for k in kinds)
                and all(len(cell) <= HEADER_CELL_MAX for cell in header)):
            break
    else:
        return None
    found = [(row, cell) for row in range(index) for cell in dict.fromkeys(grid[row]) if cell]
    below = grid[index + 1] if index + 1 < len(grid) else []
    if below and all(len(cell) <= HEADER_CELL_MAX for cell in below) and any(
            cell != (header[i] if i < len(header) else "") and kind(cell).endswith("单位") for i, cell in enumerate(below)):
        # a second header row: 责任单位 over 牵头单位 | 配合单位
        kinds = [kind(cell) if cell != (header[i] if i < len(header) else "") and kind(cell) != "text"
                 else (kinds[i] if i < len(kinds) else "text") for i, cell in enumerate(below)]
        index += 1
    counter = 0
    for row in range(index + 1, len(grid)):
        line, counter = _row_line(grid[row], kinds, counter)
        if line:
            found.append((row, line))
    return found


def _row_line(row, kinds, counter):
    """(the line a task table's row stands for, the task counter after it)."""
    cells = dict(enumerate(row))
    own = [cell for cell in dict.fromkeys(row) if cell]
    number = next((cells.get(i, "") for i, k in enumerate(kinds) if k == "number"), "")
    texts = [cells[i] for i, k in enumerate(kinds) if k == "text" and cells.get(i)]
    units = [(k, cells[i]) for i, k in enumerate(kinds) if k not in ("number", "text", "due", "note") and cells.get(i)]
    if len(own) <= 1:
        return (own[0] if own else ""), counter  # a heading row spanning the table, or an empty one
    numeral = CN_NUMERAL.match(number)
    if numeral and not units:
        return f"{numeral.group(1)}、{'。'.join(dict.fromkeys(texts))}", counter  # 一 | 粮食安全: a section row
    digits = re.sub(r"\D", "", number)
    counter = int(digits) if digits else counter + 1
    body = ""
    for value in dict.fromkeys(texts):
        body += ("" if not body or body[-1] in "。；;！？" else "。") + value
    if body and body[-1] not in "。；;！？":
        body += "。"  # the row's text is a sentence; what follows is not part of it
    notes = "".join(f"（备注：{cells[i]}）" for i, k in enumerate(kinds) if k == "note" and cells.get(i))
    due = "".join(f"（完成时限：{cells[i]}）" for i, k in enumerate(kinds) if k == "due" and cells.get(i))
    named = "；".join(f"{k}：{value}" for k, value in units)
    return f"{counter}.{body}{notes}{due}" + (f"（{named}）" if named else ""), counter
