"""Listings as text: one renderer for every command — rich table, any tabulate format, csv, json. Values
in, text out; only the command line writes to the terminal."""

import io
import json
import re
from typing import Callable, NamedTuple

from ledger.vocab import LIGHTS, LedgerError

LIGHT_STYLES = {light.name: light.terminal for light in LIGHTS}
# control characters (ANSI escapes), and the invisible marks that reorder or break lines: bidirectional
# overrides and isolates (U+202E shows text backwards), line and paragraph separators
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
INVISIBLE = re.compile("[\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


class Column(NamedTuple):
    key: str
    header: str
    show: Callable = None  # record -> text shown to people; default: the value under key


class Screen(NamedTuple):
    """Where a table will be shown: its width in cells, and whether it may carry colour."""

    width: int = 160
    color: bool = False


def clean(text):
    """Text safe for a terminal: control characters (ANSI escapes included) made visible and inert."""
    return CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}" if m.group() < "\u0100" else f"\\u{ord(m.group()):04x}",
                       str(text))


def percent(value):
    return "—" if value is None else f"{value:g}%"


def units(names):
    return "、".join(names) if names else "—"


def text(value):
    return "—" if value is None or value == "" else value


def console(screen):
    """A rich console that writes to a string, for a screen of this width and colour."""
    from rich.console import Console  # noqa: PLC0415 - rich only for the table format

    return Console(file=io.StringIO(), width=screen.width, highlight=False, emoji=False, markup=False,
                   force_terminal=screen.color, color_system="auto" if screen.color else None)


def check_format(fmt):
    """The format name if ledger can write it, else a usage error listing the choices."""
    if fmt in ("table", "csv", "json"):
        return fmt
    from tabulate import tabulate_formats  # noqa: PLC0415

    if fmt in tabulate_formats or fmt == "markdown":
        return {"markdown": "pipe"}.get(fmt, fmt)
    raise LedgerError(f"未知的输出格式“{fmt}”；可用：table、csv、json、markdown、{'、'.join(tabulate_formats)}",
                      usage=True)


def render(records, columns, fmt, screen=Screen(), title=None, notes=()):
    """records (dicts) as the text of fmt: people's formats show the columns, csv and json every field."""
    if fmt == "json":
        return as_json(records)
    if fmt == "csv":
        return _csv(records)
    if fmt == "table":
        return _rich(cells(records, columns), [c.header for c in columns], title, notes, screen)
    return tabulated(records, columns, fmt, title, notes) + "\n"


def as_json(value):
    """value as JSON; the invisible marks escaped (\\u202e), which JSON reads back as the same text."""
    text = json.dumps(value, ensure_ascii=False, indent=2, default=str)
    return INVISIBLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


def tabulated(records, columns, fmt, title=None, notes=()):
    """The records' columns as text in a tabulate format, with the title above and the notes below."""
    from tabulate import tabulate  # noqa: PLC0415

    rows, headers = cells(records, columns), [c.header for c in columns]
    table = pipe(rows, headers) if fmt == "pipe" else None
    if table is None:
        table = tabulate(rows, headers=headers, tablefmt=fmt, disable_numparse=True)
    return "\n".join([clean(title)] * bool(title) + [table] + [clean(note) for note in notes])


def pipe(rows, headers):
    """tabulate's "pipe" format (markdown) for cells of one line each, the same to the byte, without tabulate's
    type guessing per cell (seconds for a report of thousands of rows). None when a cell has a line break or an
    unprintable character: then tabulate writes it."""
    from wcwidth import wcswidth  # noqa: PLC0415 - what tabulate measures with

    if not rows:
        return None
    table = [list(headers)] + [[cell.strip() for cell in row] for row in rows]  # tabulate strips cells, not headers
    if any("\n" in cell or "\t" in cell for row in table for cell in row):
        return None
    measured = [[wcswidth(cell) for cell in row] for row in table]
    if any(width < 0 for row in measured for width in row):
        return None
    widths = [max(max(column[1:], default=0), column[0] + 2) for column in zip(*measured)]
    lines = ["| " + " | ".join(cell + " " * (width - size) for cell, size, width in zip(row, sizes, widths)) + " |"
             for row, sizes in zip(table, measured)]
    lines.insert(1, "|" + "|".join(":" + "-" * (width + 1) for width in widths) + "|")
    return "\n".join(lines)


def cells(records, columns):
    """The records as rows of terminal-safe text, one cell per column ("—" where empty)."""
    return [[clean(text(c.show(r) if c.show else r.get(c.key))) for c in columns] for r in records]


def _rich(rows, headers, title, notes, screen):
    from rich.text import Text  # noqa: PLC0415

    out = console(screen)
    widths = _natural_widths(rows, headers)
    if title:
        out.print(Text(clean(title)))  # never padded: a title line ends where its words end
    if _fits(rows, widths, out.width):
        _print(out, _drawn([[[cell] for cell in row] for row in rows], headers, widths, screen.color), screen)
    else:
        narrow = _narrowed(rows, headers, widths, out.width)
        _print(out, _drawn(*narrow, screen.color), screen) if narrow else out.print(_listed(rows, headers, out.width))
    for note in notes:
        out.print(Text(clean(note)))
    return out.file.getvalue()


def _print(out, table, screen):
    """Prints a drawn table (no wider than the screen): without colour its text is what rich would print, so it is
    written as it is — rich's line-by-line rendering of thousands of rows is most of a long listing's time."""
    if screen.color:
        out.print(table)
    else:
        out.file.write(table.plain + "\n")


def _fits(rows, widths, width):
    """True when every cell fits on one line at its natural width."""
    return (sum(widths) + 3 * len(widths) + 1 <= width
            and not any("\n" in cell for row in rows for cell in row))


def _drawn(rows, headers, widths, styled=True):
    """The table exactly as rich's Table draws it, built as one Text from one string and its style spans: rich
    renders a long listing cell by cell at ~0.5 ms a row, this at a small part of that. rows: each cell a list of
    its lines (terminal-safe text, see clean). styled=False: the text alone (no colour to show)."""
    from rich import box  # noqa: PLC0415
    from rich.cells import cell_len  # noqa: PLC0415
    from rich.text import Span, Text  # noqa: PLC0415

    frame, spans = box.HEAVY_HEAD, [width + 2 for width in widths]
    lengths = {}

    def padded(value, width):
        if value not in lengths:
            lengths[value] = cell_len(value)
        return f" {value}{' ' * (width - lengths[value])} "

    lines, styled_spans = [frame.get_top(spans)], []
    at = len(lines[0]) + 1

    def row(values, left, middle, right, styles, header=False):
        nonlocal at
        cells = [padded(value, width) for value, width in zip(values, widths)]
        if styled:  # the spans rich's Table gives: the header's padding bold on its own, a light's text coloured
            start = at + len(left)
            for cell, style in zip(cells, styles):
                end = start + len(cell)
                if header:
                    styled_spans.extend([Span(start, start + 1, style), Span(start + 1, end - 1, style),
                                         Span(end - 1, end, style)])
                elif style:
                    styled_spans.append(Span(start + 1, end - 1, style))
                start = end + len(middle)
        lines.append(left + middle.join(cells) + right)
        at += len(lines[-1]) + 1

    row(headers, frame.head_left, frame.head_vertical, frame.head_right, ["bold"] * len(headers), header=True)
    lines.append(frame.get_row(spans, level="head"))
    at += len(lines[-1]) + 1
    for cells_lines in rows:
        styles = [LIGHT_STYLES.get("".join(lines), "") for lines in cells_lines] if styled else ()
        for number in range(max(map(len, cells_lines))):
            row([lines[number] if number < len(lines) else "" for lines in cells_lines], frame.mid_left,
                frame.mid_vertical, frame.mid_right, styles)
    lines.append(frame.get_bottom(spans))
    return Text("\n".join(lines), no_wrap=True, overflow="ignore", spans=styled_spans)


# where a line may not break: after an opening bracket, before a closing one or a pause (、，。…), inside a word of
# ASCII (a date, a number, 45%), inside a short run of Chinese (a status, a light, a short name: up to eight
# characters between spaces and punctuation); in a list of organisations' names joined by 、, only after the 、
OPENING, CLOSING = "（《「『“‘([", "、，。；：！？）》」』”’%…),.;:!?]"
WORD = r"[^\s!-~、，。；：！？（）《》「」『』“”‘’…·—]"
WORDS = re.compile(rf"\s+|[!-~]+|(?<!{WORD}){WORD}{{1,8}}(?!{WORD})|.", re.S)
NAME = rf"(?:{WORD}|[()（）]){{1,15}}[局委办室部院行心区会队所站社团厂司镇乡道）)]"  # 县水利局, 各乡镇（街道）
NAME_LIST = re.compile(rf"{NAME}(、{NAME})+")


def tokens(cell):
    """The cell's text as the pieces a line may break between."""
    if NAME_LIST.fullmatch(cell):
        names = cell.split("、")
        return [f"{name}、" for name in names[:-1]] + [names[-1]]
    found = []
    for piece in WORDS.findall(cell):
        if found and (piece[0] in CLOSING or found[-1][-1] in OPENING) and not piece.isspace():
            found[-1] += piece
        else:
            found.append(piece)
    return found


def wrapped(cell, width):
    """The cell's lines at width: broken only where tokens allows; a piece wider than the column is folded."""
    from rich.cells import cell_len, chop_cells  # noqa: PLC0415

    lines = []
    for paragraph in cell.split("\n"):
        line = ""
        for piece in tokens(paragraph):
            if cell_len(line + piece.rstrip()) <= width:
                line += piece
                continue
            if line.strip():
                lines.append(line.rstrip())
            piece = piece.lstrip()
            while cell_len(piece) > width:
                first, *_ = chop_cells(piece, width)
                lines.append(first)
                piece = piece[len(first):]
            line = piece
        lines.append(line.rstrip())
    return lines


def _narrowed(rows, headers, widths, width):
    """(rows of wrapped lines, headers, column widths) for a table too wide for its lines to fit, or None when
    even its narrowest form (each column as wide as its widest unbreakable piece) is wider than the screen."""
    from rich.cells import cell_len  # noqa: PLC0415

    least = [cell_len(header) for header in headers]
    for row in rows:
        for index, cell in enumerate(row):
            least[index] = max(least[index], *(cell_len(piece.rstrip()) for piece in tokens(cell) or [""]))
    room = width - 3 * len(headers) - 1
    if sum(least) > room:
        return None
    given = list(widths)
    while sum(given) > room:  # the widest column that can give a cell gives it, as rich shares out a table
        index = max((i for i in range(len(given)) if given[i] > least[i]), key=lambda i: given[i])
        given[index] -= 1
    return [[wrapped(cell, size) for cell, size in zip(row, given)] for row in rows], headers, given


def _listed(rows, headers, width):
    """Each row as lines of 名称：值, for a screen too narrow for the table: what a phone-sized terminal reads."""
    from rich.cells import cell_len  # noqa: PLC0415
    from rich.text import Text  # noqa: PLC0415

    text = Text(no_wrap=True, overflow="ignore")
    label = max(map(cell_len, headers)) + 1
    for number, row in enumerate(rows):
        if number:
            text.append("\n")
        for header, cell in zip(headers, row):
            lines = wrapped(cell, max(width - label - 1, 8))
            text.append(header + "：" + " " * (label - cell_len(header) - 1))
            text.append(lines[0], style=LIGHT_STYLES.get(cell, ""))
            text.append("".join(f"\n{' ' * (label + 1)}{line}" for line in lines[1:]) + "\n")
    return text


def _natural_widths(rows, headers):
    from rich.cells import cell_len  # noqa: PLC0415

    widths = [cell_len(header) for header in headers]
    for row in rows:
        for index, cell in enumerate(row):
            width = max(map(cell_len, cell.split("\n"))) if "\n" in cell else cell_len(cell)
            if width > widths[index]:
                widths[index] = width
    return widths


def _csv(records):
    import csv  # noqa: PLC0415

    keys = list(dict.fromkeys(key for record in records for key in record))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(keys)
    for record in records:  # csv is read on terminals too: what files and git hold is shown made safe
        writer.writerow([clean(value) if isinstance(value, str) else value
                         for value in (flat(record.get(key)) for key in keys)])
    return out.getvalue()


def flat(value):
    if isinstance(value, bool):  # as json writes them
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "、".join(map(str, value))
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else value


def lines(items):
    """Plain lines of text, made terminal-safe, as one text."""
    return "".join(f"{clean(item)}\n" for item in items)
