"""The shared renderer: a table that fits is drawn in one piece, exactly as rich's Table draws it."""

import io

from rich.console import Console
from rich.table import Table
from rich.text import Text

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.output import render
from ledger.output.render import LIGHT_STYLES, _drawn, _fits, _narrowed, _natural_widths, wrapped

HEADERS = ["序号", "任务", "牵头单位", "灯", "最近报送"]
CELLS = [["1", "加强实验室布局提升", "县工业和信息化局", "红", "2023-08-01"],
         ["25", "加强大中型灌区续建配套与现代化改造", "县水利局、县发展和改革局", "未报送", "—"],
         ["99", "[red]x[/red] \\x1b[31m", "", "绿", "—"]]


def printed(renderable, **options):
    out = Console(file=io.StringIO(), width=140, highlight=False, emoji=False, markup=False, **options)
    out.print(renderable)
    return out.file.getvalue()


def rich_table(title):
    table = Table(title=Text(title) if title else None, title_justify="left")
    for header in HEADERS:
        table.add_column(header, overflow="fold")
    for row in CELLS:
        table.add_row(*(Text(cell, style=LIGHT_STYLES.get(cell, "")) for cell in row))
    return table


def test_drawn_table_is_rich_tables_output():
    widths = _natural_widths(CELLS, HEADERS)
    assert widths == [4, 34, 24, 6, 10]
    assert _fits(CELLS, widths, 140)
    drawn = _drawn([[[cell] for cell in row] for row in CELLS], HEADERS, widths)
    assert printed(drawn) == printed(rich_table(None))
    colour = {"force_terminal": True, "color_system": "truecolor"}
    assert printed(drawn, **colour) == printed(rich_table(None), **colour)


def test_what_does_not_fit_is_wrapped_between_words():
    widths = _natural_widths(CELLS, HEADERS)
    assert not _fits(CELLS, widths, 80)
    assert not _fits([["多行\n文字"] + CELLS[0][1:]], widths, 140)
    rows, _, given = _narrowed(CELLS, HEADERS, widths, 76)
    assert given == [4, 20, 20, 6, 10]  # the widest columns gave their cells first
    assert rows[1][1] == ["加强大中型灌区续建配", "套与现代化改造"]
    assert rows[1][2] == ["县水利局、", "县发展和改革局"]  # a name is never split, a line never starts with 、
    assert rows[1][3] == ["未报送"] and rows[0][4] == ["2023-08-01"]
    assert rows[2][1] == ["[red]x[/red]", "\\x1b[31m"]
    assert _narrowed(CELLS, HEADERS, widths, 64)[2] == [4, 12, 16, 6, 10]  # each as wide as its widest word
    assert _narrowed(CELLS, HEADERS, widths, 63) is None  # narrower than the narrowest table: one field a line


@pytest.mark.parametrize("text, width, lines", [
    ("2023-07-20 县水利局", 10, ["2023-07-20", "县水利局"]),
    ("受阻，落后序时进度 21.6 个百分点", 14, ["受阻，", "落后序时进度", "21.6 个百分点"]),
    ("完成造林600亩、抚育（一期）完成", 8, ["完成造林", "600亩、", "抚育", "（一期）", "完成"]),
    ("加强大中型灌区续建配套与现代化改造", 16, ["加强大中型灌区续", "建配套与现代化改", "造"]),
])
def test_wrapping_keeps_words_whole(text, width, lines):
    assert wrapped(text, width) == lines


PIECES = list("ab 1-—县水利局绿黄红（）、，。%.:|") + ["\u3000", "é", "ｱ", "\u200b", "😀", "\u0301"]


@settings(max_examples=400, deadline=None)
@given(st.integers(1, 5).flatmap(lambda columns: st.tuples(
    st.lists(st.text(st.sampled_from(PIECES), max_size=6), min_size=columns, max_size=columns),
    st.lists(st.lists(st.text(st.sampled_from(PIECES), max_size=12), min_size=columns, max_size=columns),
             min_size=1, max_size=5))))
def test_the_markdown_table_is_tabulates_to_the_byte(table):
    """report's markdown tables skip tabulate's per-cell type guessing; what they write is what tabulate writes."""
    from tabulate import tabulate

    headers, rows = table
    assert render.pipe(rows, headers) == tabulate(rows, headers=headers, tablefmt="pipe", disable_numparse=True)
