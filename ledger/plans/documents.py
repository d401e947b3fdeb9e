"""Plan documents as published -> their lines of text: plain text in any common encoding, a saved web page
(the article, without menus and footers), a Word .docx (body paragraphs and tables), an Excel .xlsx task
breakdown (任务分解表). Documents out of proportion (zip bombs, huge pages) are refused before they are
unpacked or parsed."""

import io
import re
import stat
import zipfile
from pathlib import Path
from typing import NamedTuple

from ledger.plans import tables
from ledger.vocab import LedgerError, os_reason

BOMS = ((b"\xef\xbb\xbf", "utf-8-sig", "UTF-8（带 BOM）"), (b"\xff\xfe", "utf-16", "UTF-16"),
        (b"\xfe\xff", "utf-16", "UTF-16"))
# tried in this order when there is no BOM: GBK is what Windows and WPS write for Chinese, GB18030 its superset
ENCODINGS = (("utf-8", "UTF-8"), ("gbk", "GBK"), ("gb18030", "GB18030"))
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)""", re.I)
KINDS = {".txt": "纯文本", ".text": "纯文本", ".htm": "网页", ".html": "网页", ".shtml": "网页", ".docx": "Word 文档",
         ".xlsx": "Excel 工作簿", ".xlsm": "Excel 工作簿"}
UNSUPPORTED = {".doc": "旧版 Word（.doc）", ".wps": "WPS 文字（.wps）", ".pdf": "PDF", ".xls": "旧版 Excel（.xls）",
               ".et": "WPS 表格（.et）", ".ofd": "OFD"}
# a plan is some pages of text: a hundred times that is a mistake or an attack, refused before it is parsed
MAX_FILE = 32 * 2**20        # bytes of the file itself
MAX_UNPACKED = 64 * 2**20    # bytes a .docx or .xlsx unpacks to, all parts together
MAX_PARTS = 2000             # parts inside a .docx or .xlsx
MAX_ELEMENTS = 500_000       # XML or HTML elements: a 100-page plan has some tens of thousands
MAX_LINES = 200_000


class Document(NamedTuple):
    """A document's text lines (numbered from 1 in messages) and how they were read."""

    lines: list
    kind: str       # 纯文本, 网页, Word 文档, Excel 工作簿
    encoding: str   # the encoding used, in words; "" for .docx and .xlsx
    origins: dict = {}  # line number -> where it stands in the file when that is not its line (工作表“表1”第 5 行)


def read_document(path):
    """The lines of the plan document at path, or a LedgerError saying why it cannot be read."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in UNSUPPORTED:
        raise LedgerError(f"{path}：不支持{UNSUPPORTED[suffix]}文件；请在 Word、Excel 或 WPS 中“另存为” .docx 或 .xlsx，"
                          "或把正文复制到 .txt 文件（UTF-8）后再导入", usage=True)
    data = _read(path)
    if data.startswith(b"PK\x03\x04") or suffix in (".docx", ".xlsx", ".xlsm"):
        parts = _unpacked(path, data)
        if suffix in (".xlsx", ".xlsm") or "xl/workbook.xml" in parts:
            return _xlsx_document(path, data)
        return Document(_docx_lines(path, data), KINDS[".docx"], "")
    if suffix in (".htm", ".html", ".shtml") or re.match(rb"\s*<(!doctype html|html)", data[:512], re.I):
        text, encoding = decode(data, path, _declared_charset(data))
        if text.count("<") > MAX_ELEMENTS:
            raise LedgerError(f"{path}：网页有 {text.count('<')} 个标记，远超计划文件应有的规模（上限 {MAX_ELEMENTS}）；"
                              "没有读取。请只保存正文，或把正文复制到 .txt 文件后再导入", usage=True)
        return Document(_limited(path, html_lines(text)), KINDS[".html"], encoding)
    text, encoding = decode(data, path)
    return Document(_limited(path, text.splitlines()), KINDS.get(suffix, "纯文本"), encoding)


def _read(path):
    """The file's bytes: a regular file (or a link to one) of sensible size; not a pipe, device or folder."""
    try:
        status = path.stat()
        if not stat.S_ISREG(status.st_mode):
            raise LedgerError(f"{path}：不是普通文件（是目录、管道或设备）；请给出计划文件本身", usage=True)
        if status.st_size > MAX_FILE:
            raise LedgerError(f"{path}：文件有 {status.st_size // 2**20} MB，远超计划文件应有的大小（上限 "
                              f"{MAX_FILE // 2**20} MB）；没有读取", usage=True)
        with path.open("rb") as handle:
            return handle.read(MAX_FILE + 1)
    except OSError as error:
        raise LedgerError(f"无法读取计划文件 {path}：{os_reason(error)}", usage=True) from None


def _limited(path, lines):
    if len(lines) > MAX_LINES:
        raise LedgerError(f"{path}：有 {len(lines)} 行，远超计划文件应有的规模（上限 {MAX_LINES} 行）；没有导入", usage=True)
    return lines


def _unpacked(path, data):
    """The names of a zip container's parts, once their sizes and element counts are known to be in proportion."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        what = "Excel（.xlsx）" if path.suffix.lower() in (".xlsx", ".xlsm") else "Word（.docx）"
        raise LedgerError(f"{path}：不是有效的 {what}文件（{error}）；请在 Word、Excel 或 WPS 中重新另存后再导入",
                          usage=True) from None
    total = sum(part.file_size for part in parts)
    if len(parts) > MAX_PARTS or total > MAX_UNPACKED:
        raise LedgerError(f"{path}：解压后有 {len(parts)} 个部分、{total // 2**20} MB，远超计划文件应有的规模（上限 "
                          f"{MAX_PARTS} 个、{MAX_UNPACKED // 2**20} MB）；可能是压缩炸弹，没有读取", usage=True)
    elements = 0
    for part in parts:
        if part.filename.endswith((".xml", ".rels")):
            elements += _elements(path, archive, part, MAX_ELEMENTS - elements)
            if elements > MAX_ELEMENTS:
                raise LedgerError(f"{path}：内容有超过 {MAX_ELEMENTS} 个 XML 元素，远超计划文件应有的规模；"
                                  "可能是压缩炸弹，没有读取", usage=True)
    return {part.filename for part in parts}


def _elements(path, archive, part, allowed):
    """The number of elements in an XML part, counted while unpacking it in pieces (stops past allowed)."""
    found = 0
    try:
        with archive.open(part) as stream:
            while found <= allowed:
                piece = stream.read(2**20)
                if not piece:
                    break
                found += piece.count(b"<")
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, EOFError) as error:
        raise LedgerError(f"{path}：其中的“{part.filename}”无法解压（{error}）；"
                          "请重新另存后再导入", usage=True) from None
    return found


def _xlsx_document(path, data):
    """An Excel task breakdown: each visible sheet's task table as plan lines; where each line stands in the sheet."""
    try:
        import openpyxl  # noqa: PLC0415 - only for Excel files

        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as error:  # noqa: BLE001 - a damaged file can fail anywhere inside openpyxl
        raise LedgerError(f"{path}：不是有效的 Excel（.xlsx）文件（{error}）；请在 Excel 或 WPS 中重新另存为 .xlsx",
                          usage=True) from None
    lines, origins = [], {}
    for title, grid, numbers in tables.xlsx_sheets(book):
        found = tables.task_table(grid)
        if found is None:
            found = [(row, cell) for row, cells in enumerate(grid) for cell in dict.fromkeys(cells) if cell]
        for row, line in found:
            lines.append(line)
            origins[len(lines)] = f"工作表“{title}”第 {numbers[row]} 行"
    return Document(_limited(path, lines), KINDS[".xlsx"], "", origins)


def decode(data, path, declared=None):
    """(text, the encoding used in words): BOM first, then the (codec, name) a page declares, then UTF-8, GBK, GB18030."""
    for bom, codec, name in BOMS:
        if data.startswith(bom):
            return data.decode(codec), name
    tries = ENCODINGS
    if declared:
        tries = ((declared[0], f"{declared[0].upper()}（网页声明为 {declared[1]}）"),) + ENCODINGS
    for codec, name in tries:
        try:
            return data.decode(codec), name
        except (UnicodeDecodeError, LookupError):
            continue
    raise LedgerError(f"{path}：无法识别文件编码（不是 UTF-8、GBK 或 GB18030）；请用 UTF-8 重新保存后再导入", usage=True)


def _declared_charset(data):
    found = META_CHARSET.search(data[:4096])
    if not found:
        return None
    name = found.group(1).decode("ascii", "replace").lower()
    # pages declared gb2312 hold GBK text in practice, and GB18030 reads both
    return ("gb18030" if name in ("gb2312", "gbk", "gb18030", "x-gbk") else name), name


# elements that are never the article: scripts, forms, and the page's own chrome
SKIP_TAGS = {"script", "style", "noscript", "template", "iframe", "svg", "canvas", "form", "select", "button",
             "input", "textarea", "nav", "header", "footer", "aside", "head", "object", "embed", "map"}
# class or id words of menus, footers, share and print bars on government sites
CHROME = re.compile(r"(?:^|[-_\s])(nav|navbar|menu|header|topbar|footer|foot|banner|breadcrumbs?|crumbs?|position|location|"
                    r"weizhi|dqwz|share|fenxiang|sidebar|toolbar|copyright|friendlinks?|related|xgwj|print|search|"
                    r"login|qrcode|ewm|erweima|wza)(?:$|[-_\s\d])", re.I)
BLOCK_TAGS = {"p", "div", "br", "li", "ul", "ol", "tr", "td", "th", "table", "h1", "h2", "h3", "h4", "h5", "h6",
              "section", "article", "main", "blockquote", "pre", "dd", "dt", "dl", "center", "hr", "tbody", "caption"}


def html_lines(text):
    """The visible text of a web page's article, one line per block, without menus, link lists and footers."""
    import lxml.html  # noqa: PLC0415 - only for web pages

    text = re.sub(r"^<\?xml[^>]*>", "", text.lstrip())
    if not text.strip():
        return []
    root = lxml.html.document_fromstring(text)
    lines, current = [], []

    def flush():
        line = tables.text("".join(current))
        if line:
            lines.append(line)
        current.clear()

    def walk(element):
        if not _shown(element):
            if element.tail:
                current.append(element.tail)
            return
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag == "table" and not element.xpath(".//table"):  # a table around other tables lays out the page
            found = tables.task_table(tables.html_rows(element, _shown))
            if found is not None:
                flush()
                lines.extend(line for _, line in found)
                if element.tail:
                    current.append(element.tail)
                return
        block = tag in BLOCK_TAGS
        if block:
            flush()
        if element.text:
            current.append(element.text)
        for child in element:
            walk(child)
        if block:
            flush()
        if element.tail:
            current.append(element.tail)

    body = root.find("body")
    walk(body if body is not None else root)
    flush()
    return lines


def _shown(element):
    """False for elements that are page chrome rather than the article: skipped tags, menus, hidden and link lists."""
    if not isinstance(element.tag, str):
        return False  # comments and processing instructions
    tag = element.tag.lower()
    if tag in SKIP_TAGS:
        return False
    marks = f"{element.get('class', '')} {element.get('id', '')}"
    if CHROME.search(marks):
        return False
    style = element.get("style", "").replace(" ", "").lower()
    if "display:none" in style or "visibility:hidden" in style or element.get("hidden") is not None:
        return False
    if tag in ("ul", "ol", "div", "table", "p", "td", "dl", "section", "span"):
        links = element.findall(".//a")
        if len(links) >= 2:
            link_text = sum(len(a.text_content().strip()) for a in links)
            all_text = len(element.text_content().strip())
            if all_text and link_text / all_text >= 0.5:
                return False  # a menu or a list of links, not prose
    return True


def _docx_lines(path, data):
    """The text of a .docx body in order: paragraphs (with Word's automatic numbers written out) and table rows."""
    try:
        import docx  # noqa: PLC0415 - python-docx, only for Word files
        from docx.oxml.ns import qn  # noqa: PLC0415

        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # noqa: BLE001 - a damaged file can fail anywhere inside python-docx and lxml
        raise LedgerError(f"{path}：不是有效的 Word（.docx）文件（{error}）；请在 Word 或 WPS 中重新另存为 .docx",
                          usage=True) from None
    numbers, lines = _Numbering(document), []

    def walk(blocks):
        for block in blocks:
            if block.tag == qn("w:p"):
                lines.append(numbers.label(block) + _paragraph_text(block))
            elif block.tag == qn("w:tbl") and block.find(f".//{qn('w:tbl')}") is not None:
                for cell in block.iter(qn("w:tc")):  # a table around tables lays out the page: read what it holds
                    if cell.getparent().getparent() is block:
                        walk(cell.iterchildren())
            elif block.tag == qn("w:tbl"):
                rows = tables.docx_rows(block, lambda cell: tables.text("".join(map(_paragraph_text,
                                                                                    cell.iter(qn("w:p"))))), qn)
                found = tables.task_table(rows)
                lines.extend([line for _, line in found] if found is not None
                             else [cell for row in rows for cell in dict.fromkeys(row) if cell])

    walk(document.element.body.iterchildren())
    return lines


def _paragraph_text(paragraph):
    from docx.oxml.ns import qn  # noqa: PLC0415

    parts = []
    for node in paragraph.iter(qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")):
        parts.append(node.text or "" if node.tag == qn("w:t") else " ")
    return "".join(parts)


CHINESE_COUNT = "零一二三四五六七八九"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


class _Numbering:
    """Word's automatic list numbers ("1." "（一）" typed by Word, not by the author), written out as text."""

    def __init__(self, document):
        from docx.oxml.ns import qn  # noqa: PLC0415

        self.qn = qn
        self.levels = {}  # numId -> {ilvl: (format, text, start)}
        self.abstract_of = {}
        self.counters = {}  # abstractNumId -> {ilvl: current}
        self.style_numbers = {}
        try:
            numbering = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            numbering = None
        if numbering is None:
            return
        abstract = {}
        for item in numbering.iter(qn("w:abstractNum")):
            levels = {}
            for level in item.iter(qn("w:lvl")):
                fmt = level.find(qn("w:numFmt"))
                text = level.find(qn("w:lvlText"))
                start = level.find(qn("w:start"))
                levels[int(level.get(qn("w:ilvl")))] = (
                    fmt.get(qn("w:val")) if fmt is not None else "decimal",
                    text.get(qn("w:val")) if text is not None else "",
                    int(start.get(qn("w:val"))) if start is not None else 1)
            abstract[item.get(qn("w:abstractNumId"))] = levels
        for num in numbering.iter(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            if ref is not None:
                self.abstract_of[num.get(qn("w:numId"))] = ref.get(qn("w:val"))
                self.levels[num.get(qn("w:numId"))] = abstract.get(ref.get(qn("w:val")), {})
        for style in document.styles.element.iter(qn("w:style")):
            found = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
            if found is not None:
                self.style_numbers[style.get(qn("w:styleId"))] = found

    def label(self, paragraph):
        """The number Word shows before this paragraph, or "" when it has none."""
        qn = self.qn
        props = paragraph.find(qn("w:pPr"))
        numbered = props.find(qn("w:numPr")) if props is not None else None
        if numbered is None and props is not None:
            style = props.find(qn("w:pStyle"))
            numbered = self.style_numbers.get(style.get(qn("w:val"))) if style is not None else None
        if numbered is None:
            return ""
        num_id = numbered.find(qn("w:numId"))
        level = numbered.find(qn("w:ilvl"))
        num_id = num_id.get(qn("w:val")) if num_id is not None else None
        level = int(level.get(qn("w:val"))) if level is not None else 0
        levels = self.levels.get(num_id)
        if not levels or level not in levels:
            return ""
        counters = self.counters.setdefault(self.abstract_of[num_id], {})
        counters[level] = counters.get(level, levels[level][2] - 1) + 1
        for deeper in [k for k in counters if k > level]:
            del counters[deeper]
        text = levels[level][1]
        for shown in range(level + 1):
            fmt, _, start = levels.get(shown, ("decimal", "", 1))
            text = text.replace(f"%{shown + 1}", _format(counters.get(shown, start), fmt))
        return text if levels[level][0] != "bullet" else ""


def _format(number, fmt):
    if fmt in ("chineseCounting", "chineseCountingThousand", "ideographTraditional", "taiwaneseCounting",
               "japaneseCounting", "chineseLegalSimplified"):
        return _chinese(number)
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese":
        return CIRCLED[number - 1] if 0 < number <= len(CIRCLED) else str(number)
    if fmt == "decimalFullWidth":
        return str(number).translate({ord(d): 0xFF10 + int(d) for d in "0123456789"})
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (number - 1) % 26)
        return letter.upper() if fmt == "upperLetter" else letter
    return str(number)


def _chinese(number):
    """一 … 九十九 for 1 … 99, as Chinese plans number their parts."""
    tens, ones = divmod(number, 10)
    if number < 10:
        return CHINESE_COUNT[number]
    return f"{CHINESE_COUNT[tens] if tens > 1 else ''}十{CHINESE_COUNT[ones] if ones else ''}"
