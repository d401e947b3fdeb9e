"""The shared renderer: a table that fits is drawn in one piece, exactly as rich's Table draws it."""

import io

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ledger.output.render import LIGHT_STYLES, _drawn, _fits, _natural_widths

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
    for title in ("截至 2023-08-31，序时进度 66.6%", None):
        assert _fits(CELLS, widths, title, 140)
        assert printed(_drawn(CELLS, HEADERS, widths, title)) == printed(rich_table(title))
        colour = {"force_terminal": True, "color_system": "truecolor"}
        assert printed(_drawn(CELLS, HEADERS, widths, title), **colour) == printed(rich_table(title), **colour)


def test_what_does_not_fit_goes_to_rich():
    widths = _natural_widths(CELLS, HEADERS)
    assert not _fits(CELLS, widths, None, 80)
    assert not _fits(CELLS, widths, "很长的标题" * 20, 140)
    assert not _fits([["多行\n文字"] + CELLS[0][1:]], widths, None, 140)
