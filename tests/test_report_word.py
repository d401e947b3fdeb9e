"""`ledger report` as a Word document: read back with python-docx, section by section and cell by cell against the
markdown bulletin; page set-up, fonts, repeated header rows, shaded lights, page numbers; the format picked from
-o's extension and a mismatch refused."""

import docx
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from conftest import REPO, run
from test_report import AS_OF, SMALL_MARKDOWN

HEADINGS = ["一、总体情况", "二、分部分推进情况", "三、各牵头单位推进情况", "四、落后和逾期任务", "五、未按时报送的单位",
            "六、数值指标", "七、本期新报送", "八、问题清单（按协调单位）", "九、未解决的问题"]


def markdown_tables(text):
    """The pipe tables of a markdown bulletin as rows of cell text (the separator line left out)."""
    tables, current = [], None
    for line in text.splitlines():
        if line.startswith("|"):
            if current is None:
                current = []
                tables.append(current)
            if not line.startswith("|:"):
                current.append([cell.strip() for cell in line.strip("|").split("|")])
        else:
            current = None
    return tables


def word(root, name="通报.docx", *args):
    out = root / name
    result = run("report", "--as-of", AS_OF, "-o", out, *args, root=root)
    assert result == (0, f"已写入 {out}：截至 2023-08-07 的调度通报（docx）\n", "")
    return docx.Document(out)


def east_asian(element):
    return element.rPr.rFonts.get(qn("w:eastAsia"))


def test_word_bulletin_has_the_markdown_bulletins_sections_and_tables(paces):
    doc = word(paces)
    texts = [p.text for p in doc.paragraphs if p.text]
    assert texts[:4] == ["调度通报", "测试办公室\t2023年8月7日", "测试计划推进情况", "（截至2023年8月7日，序时进度 60%）"]
    assert [p.text for p in doc.paragraphs if p.style.name == "Heading 1"] == HEADINGS
    body = SMALL_MARKDOWN.split("\n\n")
    assert texts[5] == body[3]  # the headline sentence
    assert texts[6] == body[4]  # 口径
    assert [[[cell.text for cell in row.cells] for row in table.rows] for table in doc.tables] == markdown_tables(
        SMALL_MARKDOWN)
    assert "共 3 项任务落后或逾期。" in texts and texts[-1] == body[-1].strip()


def test_word_bulletin_is_a_gongwen_page(paces):
    doc = word(paces)
    section = doc.sections[0]
    sizes = (section.page_width, section.page_height, section.top_margin, section.bottom_margin,
             section.left_margin, section.right_margin)
    assert [round(size.mm) for size in sizes] == [210, 297, 37, 35, 28, 26]  # A4, the 公文 margins
    assert section.orientation == 0  # portrait
    normal, heading = doc.styles["Normal"], doc.styles["Heading 1"]
    assert (east_asian(normal.element), normal.font.size, normal.font.name) == ("仿宋", Pt(16), "Times New Roman")
    assert (east_asian(heading.element), heading.font.size) == ("黑体", Pt(16))
    assert normal.element.rPr.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"
    cell, head = doc.styles["表格文字"], doc.styles["表格表头"]
    assert [(east_asian(style.element), style.font.size) for style in (cell, head)] == [("宋体", Pt(9)), ("黑体", Pt(9))]
    first = doc.tables[0].rows
    assert (first[0].cells[0].paragraphs[0].style.name, first[1].cells[0].paragraphs[0].style.name) == ("表格表头", "表格文字")
    masthead = doc.paragraphs[0].runs[0]
    assert (east_asian(masthead._r), str(masthead.font.color.rgb), masthead.font.bold) == ("宋体", "C00000", True)
    rule = doc.paragraphs[1]._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert (rule.get(qn("w:val")), rule.get(qn("w:color"))) == ("single", "C00000")
    for table in doc.tables:  # a header row that repeats on every page; no row split across pages
        flags = [(row._tr.trPr.find(qn("w:tblHeader")) is not None, row._tr.trPr.find(qn("w:cantSplit")) is not None)
                 for row in table.rows]
        assert flags == [(True, True)] + [(False, True)] * (len(table.rows) - 1)
        assert round(sum(column.width for column in table.columns) / Mm(1)) == 156
    assert [cell.paragraphs[0].alignment for cell in doc.tables[0].rows[1].cells] == [None] + [2] * 8  # numbers right
    lagging = doc.tables[2]
    shading = [(row.cells[3].text, row.cells[3]._tc.tcPr.find(qn("w:shd")).get(qn("w:fill"))) for row in lagging.rows[1:]]
    assert shading == [("红", "FFC7CE"), ("黄", "FFEB9C"), ("黄", "FFEB9C")]
    assert lagging.rows[0].cells[0]._tc.tcPr.find(qn("w:shd")).get(qn("w:fill")) == "D9E1F2"
    footer = section.footer.paragraphs[0]._p
    assert [node.get(qn("w:fldCharType")) for node in footer.iter(qn("w:fldChar"))] == ["begin", "separate", "end"]
    assert [node.text for node in footer.iter(qn("w:instrText"))] == [" PAGE "]
    assert section.footer.paragraphs[0].text == "— 1 —"


def test_journal_text_is_data_in_word(paces):
    journal = paces / "data" / "progress" / "县林业局.yaml"
    journal.write_text(journal.read_text(encoding="utf-8").replace("苗木不足", "苗木<w:t>不足 & [red]缺口[/red]"),
                       encoding="utf-8")
    doc = word(paces)
    assert doc.tables[2].rows[2].cells[6].text == "苗木<w:t>不足 & [red]缺口[/red]"


def test_the_format_follows_the_extension_and_a_mismatch_is_refused(paces):
    markdown = run("report", "--as-of", AS_OF, root=paces).out
    for name, start in (("通报.md", "# 调度通报\n"), ("通报.html", "<!DOCTYPE html>"), ("通报.txt", "调度通报\n")):
        out = paces / name
        assert run("report", "--as-of", AS_OF, "-o", out, root=paces).code == 0
        assert out.read_text(encoding="utf-8").startswith(start)
    assert (paces / "通报.md").read_text(encoding="utf-8") == markdown
    assert run("report", "--as-of", AS_OF, "--format", "docx", "-o", paces / "通报.doc", root=paces).code == 0
    assert docx.Document(paces / "通报.doc").paragraphs[0].text == "调度通报"
    assert run("report", "--format", "html", "-o", paces / "x.docx", root=paces) == (
        2, "", "--format html 与 -o 的扩展名 .docx（docx）不一致；请去掉 --format，或把文件名改为 .html 结尾\n")
    assert run("report", "-o", paces / "x.pdf", root=paces) == (
        2, "", "不认识 -o 的扩展名 .pdf；请用 .md、.markdown、.html、.htm、.txt、.docx 之一，或用 --format 指定格式\n")
    assert run("report", "--format", "docx", root=paces) == (
        2, "", "Word 通报（docx）要写入文件：请加 -o 调度通报.docx\n")
    assert not (paces / "x.docx").exists() and not (paces / "x.pdf").exists()


def test_demo_bulletin_in_word(tmp_path):
    out = tmp_path / "调度通报.docx"
    assert run("--root", REPO / "examples" / "demo", "report", "--as-of", "2023-08-31", "-o", out).code == 0
    doc = docx.Document(out)
    assert doc.paragraphs[1].text == "冠县人民政府办公室\t2023年8月31日"
    assert [row.cells[0].text for row in doc.tables[2].rows] == ["序号", "26", "45", "25", "82"]
