"""Documents out of proportion to a plan are refused before they are unpacked or parsed, quickly and in Chinese:
zip bombs (by declared size, by element count, by lying about their size), huge web pages, huge files."""

import os
import resource
import subprocess
import sys
import zipfile

import pytest

from conftest import run

CONTENT_TYPES = ('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                 '</Types>')


def bomb(path, size, piece=b"<w:p><w:r><w:t>x</w:t></w:r></w:p>"):
    """A .docx whose document.xml unpacks to size bytes of piece: a few hundred kB on disk."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        with archive.open("word/document.xml", "w", force_zip64=True) as out:
            chunk = piece * (2**20 // len(piece))
            for _ in range(size // len(chunk) + 1):
                out.write(chunk)
    return path


def limited_import(path, root, megabytes=600):
    """`ledger import --dry-run` in a process that may not take more than megabytes of address space."""
    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (megabytes << 20, megabytes << 20))

    done = subprocess.run([sys.executable, "-m", "ledger", "--root", str(root), "import", "--dry-run", str(path)],
                          capture_output=True, text=True, preexec_fn=limit, timeout=60,
                          env={k: v for k, v in os.environ.items() if not k.startswith("LEDGER_")})
    return done.returncode, done.stdout, done.stderr


def test_a_zip_bomb_is_refused_by_its_unpacked_size(tmp_path):
    path = bomb(tmp_path / "plan.docx", 200 << 20)
    assert path.stat().st_size < 2 << 20
    assert limited_import(path, tmp_path) == (
        2, "", f"{path}：解压后有 2 个部分、200 MB，远超计划文件应有的规模（上限 2000 个、64 MB）；可能是压缩炸弹，没有读取\n")


def test_a_zip_bomb_is_refused_by_its_element_count(tmp_path):
    path = bomb(tmp_path / "plan.docx", 40 << 20, b"<w:p/>")  # under the size limit, millions of paragraphs
    assert limited_import(path, tmp_path) == (
        2, "", f"{path}：内容有超过 500000 个 XML 元素，远超计划文件应有的规模；可能是压缩炸弹，没有读取\n")


def test_a_zip_that_lies_about_its_size_is_refused(tmp_path):
    path = bomb(tmp_path / "plan.docx", 40 << 20, b"<w:p/>")
    data = bytearray(path.read_bytes())
    entry = data.find(b"PK\x01\x02", data.find(b"word/document.xml") + 1)  # the central directory's entry
    entry = data.rfind(b"PK\x01\x02", 0, data.rfind(b"word/document.xml"))
    data[entry + 24:entry + 28] = (100).to_bytes(4, "little")  # says it unpacks to 100 bytes
    path.write_bytes(bytes(data))
    code, out, err = limited_import(path, tmp_path)
    assert (code, out) == (2, "")
    assert err.startswith(f"{path}：其中的“word/document.xml”无法解压（") and err.endswith("请重新另存后再导入\n")


def test_a_huge_web_page_is_refused(tmp_path):
    path = tmp_path / "plan.html"
    path.write_text("<html><body>" + "<p>1.做。</p>" * 300_000 + "</body></html>", encoding="utf-8")
    assert run("import", path, "--dry-run", root=tmp_path) == (
        2, "", f"{path}：网页有 600004 个标记，远超计划文件应有的规模（上限 500000）；没有读取。"
               "请只保存正文，或把正文复制到 .txt 文件后再导入\n")


def test_a_huge_file_is_refused_unread(tmp_path):
    path = tmp_path / "plan.txt"
    with open(path, "wb") as out:
        out.truncate(40 << 20)  # sparse: nothing to read, and ledger does not try
    assert run("import", path, "--dry-run", root=tmp_path) == (
        2, "", f"{path}：文件有 40 MB，远超计划文件应有的大小（上限 32 MB）；没有读取\n")


def test_a_file_of_too_many_lines_is_refused(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text("2025年计划\n" + "1.做。\n" * 200_000, encoding="utf-8")
    assert run("import", path, "--dry-run", root=tmp_path) == (
        2, "", f"{path}：有 200001 行，远超计划文件应有的规模（上限 200000 行）；没有导入\n")


@pytest.mark.parametrize("suffix", [".docx", ".xlsx"])
def test_a_real_document_well_inside_the_limits_is_read(tmp_path, suffix):
    if suffix == ".docx":
        import docx

        document = docx.Document()
        document.add_paragraph("东山县2025年重点任务")
        for number in range(1, 2001):  # far more than any plan
            document.add_paragraph(f"{number}.完成第{number}项工作。（县甲局负责）")
    else:
        import openpyxl

        document = openpyxl.Workbook()
        document.active.append(["东山县2025年重点任务分解表"])
        document.active.append(["序号", "重点任务", "牵头单位"])
        for number in range(1, 2001):
            document.active.append([number, f"完成第{number}项工作。", "县甲局"])
    document.save(tmp_path / f"plan{suffix}")
    code, out, err = limited_import(tmp_path / f"plan{suffix}", tmp_path)
    assert (code, err) == (0, "") and "共 1 个部分、2000 项任务；任务序号照原文编号\n" in out
    assert "指标 0 个" in out  # 第1项 … 第2000项 are ordinals, not targets
