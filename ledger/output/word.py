"""The 调度通报 as a Word document in the style of a 公文 (python-docx): red masthead, the issuer and date over
a red rule, 仿宋 body under 黑体 headings, A4 portrait with the standard margins, tables whose header row
repeats on every page and whose light cells are shaded, page numbers in the footer. The same sections and
tables as the markdown bulletin (report.tables)."""

import datetime as dt
import io

from ledger.output.render import cells, clean
from ledger.output.report import HEADINGS, NUMERIC, PACE_NOTE, headline_text, tables
from ledger.vocab import LIGHT

# East Asian font names as Word and WPS know them; Latin text and digits in Times New Roman
SONG, FANGSONG, HEITI, KAITI, LATIN = "宋体", "仿宋", "黑体", "楷体", "Times New Roman"
RED = "C00000"
TEXT_WIDTH_MM = 156  # A4 (210 mm) less the 公文 margins: 28 mm left, 26 mm right
CELL_MM = 1.75  # a half-width character of 9-point (小五) table text, with its share of the cell's padding
LIGHT_FILLS = {name: light.excel for name, light in LIGHT.items()}  # fill, ink: as in the Excel export
HEADER_FILL = "D9E1F2"
CELL_STYLE, HEAD_STYLE = "表格文字", "表格表头"


def document(content, plan):
    """The bulletin (from core.bulletin.bulletin) as the bytes of a .docx file; plan: the records.Plan."""
    from docx import Document  # noqa: PLC0415 - python-docx only for Word
    from docx.enum.section import WD_ORIENT  # noqa: PLC0415
    from docx.shared import Mm  # noqa: PLC0415

    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(20)
    _styles(doc)
    _masthead(doc, content, plan)
    doc.add_paragraph(HEADINGS[0], style="Heading 1")
    _body(doc, headline_text(content))
    _note(doc, PACE_NOTE)
    for heading, records, columns, note in tables(content):
        doc.add_paragraph(heading, style="Heading 1")
        if records:
            _table(doc, records, columns)
        else:
            _body(doc, "无。")
        if note:
            _note(doc, note)
    _page_numbers(section)
    properties = doc.core_properties
    properties.title = f"调度通报（截至 {content['as_of']}）"
    properties.author = properties.last_modified_by = plan.issuer
    properties.created = properties.modified = dt.datetime.fromisoformat(content["as_of"])
    properties.revision = 1
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _styles(doc):
    """Normal: 仿宋 三号 (16 pt) on a 28-point line; Heading 1: 黑体 三号; table cells 宋体 小五 (9 pt), their
    header row 黑体: cells take a style, not formatting of their own, so a long table is written quickly."""
    from docx.enum.style import WD_STYLE_TYPE  # noqa: PLC0415
    from docx.enum.text import WD_LINE_SPACING  # noqa: PLC0415
    from docx.shared import Pt  # noqa: PLC0415

    normal = doc.styles["Normal"]
    _style_fonts(normal, FANGSONG, 16)
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    normal.paragraph_format.line_spacing = Pt(28)
    normal.paragraph_format.space_after = Pt(0)
    heading = doc.styles["Heading 1"]
    _style_fonts(heading, HEITI, 16, bold=False, color="000000")
    heading.paragraph_format.space_before, heading.paragraph_format.space_after = Pt(8), Pt(4)
    heading.paragraph_format.first_line_indent = Pt(32)
    heading.paragraph_format.keep_with_next = True
    heading.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    heading.paragraph_format.line_spacing = Pt(28)
    for name, east_asian in ((CELL_STYLE, SONG), (HEAD_STYLE, HEITI)):
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        _style_fonts(style, east_asian, 9)
        style.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        style.paragraph_format.first_line_indent = Pt(0)


def _style_fonts(style, east_asian, size, bold=None, color=None):
    from docx.oxml.ns import qn  # noqa: PLC0415
    from docx.shared import Pt, RGBColor  # noqa: PLC0415

    style.font.name = LATIN
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), east_asian)
    style.font.size = Pt(size)
    if bold is not None:
        style.font.bold = bold
    if color:
        style.font.color.rgb = RGBColor.from_string(color)
    properties = style.element.rPr
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        properties.rFonts.attrib.pop(qn(theme), None)  # a theme font would win over the names set here
    language = properties.find(qn("w:lang"))
    if language is None:
        language = properties.makeelement(qn("w:lang"), {})
        properties.append(language)
    language.set(qn("w:val"), "en-US")
    language.set(qn("w:eastAsia"), "zh-CN")  # Chinese text is Chinese: fonts fall back to their Simplified forms


def _run(paragraph, text, east_asian, size, bold=False, color=None):
    from docx.oxml.ns import qn  # noqa: PLC0415
    from docx.shared import Pt, RGBColor  # noqa: PLC0415

    run = paragraph.add_run(clean(text))
    run.font.name = LATIN
    run.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), east_asian)
    run.font.size = Pt(size)
    run.font.bold = bold
    if color:
        run.font.color.rgb = RGBColor.from_string(color)
    return run


def _paragraph(doc, align=None, before=0, after=0, spacing=None):
    from docx.enum.text import WD_LINE_SPACING  # noqa: PLC0415
    from docx.shared import Pt  # noqa: PLC0415

    paragraph = doc.add_paragraph()
    form = paragraph.paragraph_format
    if align is not None:
        paragraph.alignment = align
    form.space_before, form.space_after = Pt(before), Pt(after)
    if spacing:
        form.line_spacing_rule, form.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(spacing)
    return paragraph


def chinese_date(iso):
    day = dt.date.fromisoformat(iso)
    return f"{day.year}年{day.month}月{day.day}日"


def _masthead(doc, content, plan):
    """调度通报 in red, the issuer and the day on one line over a red rule, then the title and the day's figures."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT  # noqa: PLC0415
    from docx.oxml import OxmlElement  # noqa: PLC0415
    from docx.oxml.ns import qn  # noqa: PLC0415
    from docx.shared import Mm  # noqa: PLC0415

    _run(_paragraph(doc, WD_ALIGN_PARAGRAPH.CENTER, 0, 12, 60), "调度通报", SONG, 42, bold=True, color=RED)
    line = _paragraph(doc, None, 0, 0, 28)
    line.paragraph_format.tab_stops.add_tab_stop(Mm(TEXT_WIDTH_MM), WD_TAB_ALIGNMENT.RIGHT)
    _run(line, f"{plan.issuer}\t{chinese_date(content['as_of'])}", FANGSONG, 16)
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for name, value in (("w:val", "single"), ("w:sz", "18"), ("w:space", "6"), ("w:color", RED)):
        bottom.set(qn(name), value)
    border.append(bottom)
    line.paragraph_format.element.get_or_add_pPr().append(border)
    _run(_paragraph(doc, WD_ALIGN_PARAGRAPH.CENTER, 24, 0, 36), f"{content['title']}推进情况", SONG, 22, bold=True)
    _run(_paragraph(doc, WD_ALIGN_PARAGRAPH.CENTER, 0, 12, 28),
         f"（截至{chinese_date(content['as_of'])}，序时进度 {content['elapsed']:g}%）", KAITI, 16)


def _body(doc, text):
    from docx.shared import Pt  # noqa: PLC0415

    paragraph = doc.add_paragraph()
    paragraph.paragraph_format.first_line_indent = Pt(32)
    _run(paragraph, text, FANGSONG, 16)


def _note(doc, text):
    from docx.shared import Pt  # noqa: PLC0415

    paragraph = _paragraph(doc, None, 4, 6, 20)
    paragraph.paragraph_format.first_line_indent = Pt(24)
    _run(paragraph, text, KAITI, 12)


def _table(doc, records, columns):
    """A table of the records: a shaded header row repeated on each page, rows kept whole, lights shaded."""
    from docx.enum.table import WD_TABLE_ALIGNMENT  # noqa: PLC0415
    from docx.enum.text import WD_ALIGN_PARAGRAPH  # noqa: PLC0415
    from docx.shared import Mm, RGBColor  # noqa: PLC0415

    rows = cells(records, columns)
    styles = (doc.styles[CELL_STYLE].style_id, doc.styles[HEAD_STYLE].style_id)
    widths = _widths([c.header for c in columns], rows)
    table = doc.add_table(rows=1 + len(rows), cols=len(columns))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for number, width in enumerate(widths):
        table.columns[number].width = Mm(width)  # the grid: what LibreOffice lays out by
    for index, (row, values) in enumerate(zip(table.rows, [[c.header for c in columns], *rows])):
        _row_properties(row, header=index == 0)
        for number, (cell, text) in enumerate(zip(row.cells, values)):
            cell.width = Mm(widths[number])
            paragraph = cell.paragraphs[0]
            paragraph._p.style = styles[index == 0]  # by id: python-docx's setter searches every style each time
            paragraph.add_run(text)  # cells(): made terminal-safe, so no control character reaches the XML
            key = columns[number].key
            if index and (key in NUMERIC or key == "light"):  # numbers to the right, as in the HTML bulletin
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if key == "light" else WD_ALIGN_PARAGRAPH.RIGHT
            if index == 0:
                _shade(cell, HEADER_FILL)
            elif key == "light" and text in LIGHT_FILLS:
                fill, ink = LIGHT_FILLS[text]
                _shade(cell, fill)
                paragraph.runs[0].font.bold = True
                paragraph.runs[0].font.color.rgb = RGBColor.from_string(ink)


def _widths(headers, rows):
    """Column widths in mm over the text width: each column as wide as its widest text (at most 40 cells); when
    they do not all fit, the widest give way first, down to a floor where a header of up to four characters
    stays on one line: short columns (numbers, dates) keep their width, long text wraps."""
    from wcwidth import wcswidth  # noqa: PLC0415

    floors = [min(wcswidth(header), 8) + 2 for header in headers]
    wants = [max(floor, min(max([max(wcswidth(row[n]), 0) for row in rows] + [0]) + 2, 40))
             for n, floor in enumerate(floors)]
    low, high = 0.0, float(max(wants))
    for _ in range(30):  # the widest width any column may keep, so that all fit the text width
        level = (low + high) / 2
        fits = sum(max(floor, min(want, level)) for want, floor in zip(wants, floors)) <= TEXT_WIDTH_MM / CELL_MM
        low, high = (level, high) if fits else (low, level)
    wants = [max(floor, min(want, low)) for want, floor in zip(wants, floors)]
    return [TEXT_WIDTH_MM * want / sum(wants) for want in wants]


def _row_properties(row, header):
    """Keeps a row on one page; a header row repeats at the top of every page the table runs onto."""
    from docx.oxml import OxmlElement  # noqa: PLC0415

    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))
    if header:
        properties.append(OxmlElement("w:tblHeader"))


def _shade(cell, fill):
    from docx.oxml import OxmlElement  # noqa: PLC0415
    from docx.oxml.ns import qn  # noqa: PLC0415

    shading = OxmlElement("w:shd")
    for name, value in (("w:val", "clear"), ("w:color", "auto"), ("w:fill", fill)):
        shading.set(qn(name), value)
    cell._tc.get_or_add_tcPr().append(shading)


def _page_numbers(section):
    """— 1 — centred in the footer: a PAGE field, so Word, WPS and LibreOffice number every page."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH  # noqa: PLC0415
    from docx.oxml import OxmlElement  # noqa: PLC0415
    from docx.oxml.ns import qn  # noqa: PLC0415

    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(paragraph, "— ", SONG, 14)
    field = _run(paragraph, "", SONG, 14)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            mark = OxmlElement("w:fldChar")
            mark.set(qn("w:fldCharType"), kind)
            field._r.append(mark)
        else:
            node = OxmlElement("w:instrText" if text == " PAGE " else "w:t")
            node.set(qn("xml:space"), "preserve")
            node.text = text
            field._r.append(node)
    _run(paragraph, " —", SONG, 14)
