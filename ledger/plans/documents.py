"""Plan documents as published -> their lines of text: plain text in any common encoding, a saved
web page (the article, without menus and footers), a Word .docx (body paragraphs and tables)."""

import re
from pathlib import Path
from typing import NamedTuple

from ledger.vocab import LedgerError, os_reason

BOMS = ((b"\xef\xbb\xbf", "utf-8-sig", "UTF-8（带 BOM）"), (b"\xff\xfe", "utf-16", "UTF-16"),
        (b"\xfe\xff", "utf-16", "UTF-16"))
# tried in this order when there is no BOM: GBK is what Windows and WPS write for Chinese, GB18030 its superset
ENCODINGS = (("utf-8", "UTF-8"), ("gbk", "GBK"), ("gb18030", "GB18030"))
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)""", re.I)
KINDS = {".txt": "纯文本", ".text": "纯文本", ".htm": "网页", ".html": "网页", ".shtml": "网页", ".docx": "Word 文档"}
UNSUPPORTED = {".doc": "旧版 Word（.doc）", ".wps": "WPS 文字（.wps）", ".pdf": "PDF", ".xls": "Excel", ".xlsx": "Excel",
               ".ofd": "OFD"}


class Document(NamedTuple):
    """A document's text lines (numbered from 1 in messages) and how they were read."""

    lines: list
    kind: str       # 纯文本, 网页, Word 文档
    encoding: str   # the encoding used, in words; "" for .docx


def read_document(path):
    """The lines of the plan document at path, or a LedgerError saying why it cannot be read."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in UNSUPPORTED:
        raise LedgerError(f"{path}：不支持{UNSUPPORTED[suffix]}文件；请在 Word 或 WPS 中“另存为” .docx，"
                          "或把正文复制到 .txt 文件（UTF-8）后再导入", usage=True)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise LedgerError(f"无法读取计划文件 {path}：{os_reason(error)}", usage=True) from None
    if suffix == ".docx" or data.startswith(b"PK\x03\x04"):
        return Document(_docx_lines(path, data), KINDS[".docx"], "")
    if suffix in (".htm", ".html", ".shtml") or re.match(rb"\s*<(!doctype html|html)", data[:512], re.I):
        text, encoding = decode(data, path, _declared_charset(data))
        return Document(html_lines(text), KINDS[".html"], encoding)
    text, encoding = decode(data, path)
    return Document(text.splitlines(), KINDS.get(suffix, "纯文本"), encoding)


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
        line = _cell("".join(current))
        if line:
            lines.append(line)
        current.clear()

    def walk(element):
        if not _shown(element):
            if element.tail:
                current.append(element.tail)
            return
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag == "table":
            rows = [[_cell(cell.text_content()) for cell in row.xpath("./td|./th") if _shown(cell)]
                    for row in element.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr") if _shown(row)]
            found = task_table(rows)
            if found is not None:
                flush()
                lines.extend(found)
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
    import io  # noqa: PLC0415

    try:
        import docx  # noqa: PLC0415 - python-docx, only for Word files
        from docx.oxml.ns import qn  # noqa: PLC0415

        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # noqa: BLE001 - a damaged file can fail anywhere inside python-docx and lxml
        raise LedgerError(f"{path}：不是有效的 Word（.docx）文件（{error}）；请在 Word 或 WPS 中重新另存为 .docx",
                          usage=True) from None
    numbers = _Numbering(document)
    lines = []
    for block in document.element.body.iterchildren():
        if block.tag == qn("w:p"):
            lines.append(numbers.label(block) + _paragraph_text(block))
        elif block.tag == qn("w:tbl"):
            rows = [[_cell("".join(_paragraph_text(p) for p in cell.iter(qn("w:p")))) for cell in row.iter(qn("w:tc"))]
                    for row in block.iter(qn("w:tr"))]
            found = task_table(rows)
            lines += found if found is not None else [cell for row in rows for cell in dict.fromkeys(row) if cell]
    return lines


def _cell(text):
    """Text as a browser shows it: runs of spaces and line breaks made one space."""
    return re.sub(r"[ \t\r\n\f\v\xa0]+", " ", text).strip()


# the columns of a task table (序号 | 重点任务 | 牵头单位 | 配合单位 | 完成时限) by the words in their headers
COLUMNS = ((re.compile(r"^(?:序号|编号|序)$"), "number"), (re.compile(r"领导"), "牵头领导"),
           (re.compile(r"牵头|主责|主办"), "牵头单位"), (re.compile(r"配合|参与|协办|协同|协助"), "配合单位"),
           (re.compile(r"责任"), "责任单位"), (re.compile(r"时限|时间|期限|进度"), "due"))


def task_table(rows):
    """A task table's rows as the lines a plan would write (1.任务（完成时限：…）（牵头单位：…；配合单位：…）),
    a row with one text of its own (一、科技创新) as that line; None for any other table."""
    for index, header in enumerate(rows[:3]):
        kinds = [next((kind for pattern, kind in COLUMNS if pattern.search(cell)), "text") for cell in header]
        if "text" in kinds and any(kind.endswith("单位") for kind in kinds):
            break
    else:
        return None
    lines, counter = [cell for row in rows[:index] for cell in dict.fromkeys(row) if cell], 0
    for row in rows[index + 1:]:
        own = [cell for cell in dict.fromkeys(row) if cell]
        if len(own) <= 1:
            lines += own  # a heading row spanning the table, or an empty one
            continue
        cells = dict(enumerate(row))
        number = re.sub(r"\D", "", next((cells.get(i, "") for i, kind in enumerate(kinds) if kind == "number"), ""))
        counter = int(number) if number else counter + 1
        text = ""
        for i, kind in enumerate(kinds):
            if kind == "text" and cells.get(i):
                text += ("" if not text or text[-1] in "。；;！？" else "。") + cells[i]
        if text and text[-1] not in "。；;！？":
            text += "。"  # the row's text is a sentence; what follows is not part of it
        due = "".join(f"（完成时限：{cells[i]}）" for i, kind in enumerate(kinds) if kind == "due" and cells.get(i))
        units = "；".join(f"{kind}：{cells[i]}" for i, kind in enumerate(kinds)
                         if kind not in ("number", "text", "due") and cells.get(i))
        lines.append(f"{counter}.{text}{due}" + (f"（{units}）" if units else ""))
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
