"""The 报送表 and the Word bulletin as other programs see them: LibreOffice (headless) opens both and prints them
to PDF, the Chinese text is in the PDF (pdftotext); a form filled and saved again by LibreOffice is collected, and
recognised as the same when the original comes in too."""

import datetime as dt

import pytest

from conftest import run
from office import convert, needs_office, pdf_pages, pdf_text
from test_forms import AS_OF, FOREST, fill, journal

pytestmark = needs_office


@pytest.fixture(scope="module")
def profile(tmp_path_factory):
    return tmp_path_factory.mktemp("libreoffice-profile")


def words_in(pdf):
    """The PDF's text without spaces: pdftotext spaces Latin from Chinese and letters out across a line."""
    return "".join(pdf_text(pdf).split())


def test_the_form_opens_in_libreoffice_and_prints(paces, profile):
    form = paces / "县林业局.xlsx"
    assert run("form", "--unit", "林业局", "--as-of", AS_OF, "-o", form, root=paces).code == 0
    pdf = convert(form, "pdf", paces / "pdf", profile)
    text = words_in(pdf)
    for words in ("测试计划工作进展报送表", "报送单位：县林业局", "填写说明", "上次报送（截至2023-08-07）", "造林",
                  "共同牵头", "苗木不足", "本期进展", "报送日期", "目标≥1300亩"):
        assert words in text, words
    # 18 columns print two pages wide, the task columns repeated on the second
    assert pdf_pages(pdf) == 2 and text.count("共同牵头") == 2


def test_the_word_bulletin_prints_with_its_chinese_text(paces, profile):
    out = paces / "调度通报.docx"
    assert run("report", "--as-of", AS_OF, "-o", out, root=paces).code == 0
    pdf = convert(out, "pdf", paces / "pdf", profile)
    text = words_in(pdf)
    for words in ("调度通报", "测试办公室", "2023年8月7日", "测试计划推进情况", "一、总体情况", "四、落后和逾期任务",
                  "六、数值指标", "共同牵头", "资金未到位", "苗木不足", "—1—"):
        assert words in text, words
    pages = pdf_pages(pdf)
    assert pages >= 2 and f"—{pages}—" in text


def test_a_form_saved_again_by_libreoffice_is_collected_once(paces, profile):
    with open(paces / FOREST, "a", encoding="utf-8") as file:
        file.write("- date: 2023-08-01\n  task: 1\n  progress: 补植苗木到位\n")
    assert run("form", "--unit", "林业局", "--as-of", AS_OF, "-o", paces / "form.xlsx", root=paces).code == 0
    filled = fill(paces / "form.xlsx", paces / "回收.xlsx", {
        "I6": 60, "J6": "完成造林800亩", "K6": "无", "M6": 800.5, "R6": dt.date(2023, 8, 6), "J8": "协调资金",
        "R8": dt.date(2023, 8, 6)})
    resaved = convert(filled, "xlsx", paces / "libreoffice", profile)
    assert resaved.read_bytes() != filled.read_bytes()
    before = journal(paces)
    first = run("collect", resaved, root=paces)
    assert first.code == 0 and first.out.endswith("追加 2 条，已收录过 0 条，问题 0 处\n")
    assert journal(paces) == before + (
        "- date: 2023-08-06\n  task: 1\n  percent: 60\n  progress: 完成造林800亩\n  actuals:\n    完成造林: 800.5\n"
        "  clear:\n  - problems\n"
        "- date: 2023-08-06\n  task: 4\n  progress: 协调资金\n").encode()
    again = run("collect", filled, root=paces)
    assert again.code == 0 and again.out.endswith("追加 0 条，已收录过 2 条，问题 0 处\n")
