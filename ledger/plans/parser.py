"""Plan document text -> the task list (plan, sections, tasks with units, deadlines and targets).

The structure is read from the numbering, whatever its style: parts 第一部分, sections 一、 and （一）,
tasks 1. 1、 （1） (1). The task level is the one that carries unit annotations (or, without any, the
Arabic numbers); the section level is the one the tasks stand under. Nothing is placed by guesswork:
lines that fit nowhere, web-page leftovers and annotations that need a person's eye are returned too.
"""

import functools
import re
from collections import Counter, namedtuple

from ledger.plans import annotations
from ledger.vocab import LedgerError

CN_NUMBER = "一二三四五六七八九十百零〇"
# numbering levels, outermost first: 第一部分 / 一、 / （一） / 1. 1、 / （1） (1)
HEADERS = (
    (0, re.compile(rf"^第([{CN_NUMBER}]+)(?:部分|章|篇)\s*[:：、.．]?\s*(.*)$")),
    (1, re.compile(rf"^([{CN_NUMBER}]+)\s*[、.．]\s*(.+)$")),
    (2, re.compile(rf"^[(（]\s*([{CN_NUMBER}]+)\s*[)）]\s*[、.．]?\s*(.+)$")),
    (3, re.compile(r"^(\d{1,3})\s*(?:、|[.．](?!\d))\s*(.+)$")),
    (4, re.compile(r"^[(（]?\s*(\d{1,3})\s*[)）]\s*[、.．]?\s*(.+)$")),
    (5, re.compile(r"^([①-⑳])\s*[、.．]?\s*(.+)$")),
)
TASK_LEVEL_PREFERENCE = (3, 4, 2, 1, 5)  # when no level carries unit annotations
ROLE_HINT = re.compile(r"牵头|(?:责任|配合|参与|协办)(?:单位|部门)|负责\s*[)）]|按职责分工")
SECTION_TITLE_MAX = 50
SENTENCE_END = "。！？；;!?：:)）」”』"

NOTICE = re.compile(r"^(.*?)关于印发[《“]?(.+?)[》”]?的通知$")
DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,12}[〔\[［【(（]\s*(?:19|20)\d{2}\s*[〕\]］】)）]\s*第?\s*\d{1,4}\s*号")
CN_DIGITS = "〇一二三四五六七八九"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
DATE_CN = re.compile(r"((?:19|20)\d{2}|[〇○零O一二三四五六七八九]{4})\s*年\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*月"
                     r"\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*日")
DATE_ISO = re.compile(r"^((?:19|20)\d{2})-(\d{2})-(\d{2})$")
PLAN_WORDS = re.compile(r"任务|计划|方案|要点|清单|安排|措施|意见|目标|分工")
UNKNOWN = "未注明"
# lines a saved web page or a document's back matter leaves in the text; never tasks
LEFTOVERS = re.compile(
    r"扫一扫在手机|如果您对该文件有疑问|打印本页|关闭窗口|【打印】|【关闭】|【字体|【字号|字号[：:]\s*[【\[]?\s*大|分享到|"
    r"^上一篇|^下一篇|版权所有|ICP备|公网安备|网站标识码|网站地图|联系我们|浏览次数|访问次数|阅读次数|责任编辑|"
    r"当前位置[：:]|^首页\s*[>＞»]|相关链接|^相关文件[：:]?$|^附件下载|^(?:信息)?来源[：:]|^发布(?:时间|日期)[：:]|"
    r"^抄送[：:]|\d{1,2}日印发$|^[(（]此件[^)）]*[)）]$|^[—－-]\s*\d+\s*[—－-]$")

Found = namedtuple("Found", "plan sections tasks unplaced leftovers notes")
Line = namedtuple("Line", "number text level numeral rest")


def import_text(text, source_name=""):
    """The plan, sections and tasks of a plan document's text (or lines), with what needs a person's eye:
    unplaced (line, text), leftovers (line, text) and notes (line, message)."""
    raw = text.splitlines() if isinstance(text, str) else list(text)
    lines = [_classify(number, line.strip().strip("\ufeff")) for number, line in enumerate(raw, 1)]
    notes = []
    plan, used = _plan(lines, source_name, notes)
    task_level, section_level = _levels(lines)
    year = plan["start"][:4]
    reader = _Reader(lines, task_level, section_level, used)
    sections, tasks = reader.read()
    _number(tasks, notes)
    for task in tasks:
        _fill(task, plan, year, notes)
    return Found(plan, sections, tasks, reader.unplaced, reader.leftovers, sorted(notes))


def _classify(number, text):
    for level, pattern in HEADERS:
        found = pattern.match(text)
        if found:
            return Line(number, text, level, found.group(1), found.group(2).strip())
    return Line(number, text, None, None, None)


def _levels(lines):
    """(task level, section level or None): tasks are the level units are assigned to, sections the one above."""
    annotated, present, counted = Counter(), Counter(), set()
    header = None
    for line in lines:
        if line.level is not None:
            header = line
            present[line.level] += 1
        if header and header.level and header.number not in counted and ROLE_HINT.search(line.text):
            annotated[header.level] += 1
            counted.add(header.number)
    if annotated:
        task_level = max(annotated, key=lambda level: (annotated[level], level))
    else:
        task_level = next((level for level in TASK_LEVEL_PREFERENCE if present[level]), 3)
    parents, parent = Counter(), None
    for line in lines:
        if line.level is not None and line.level < task_level:
            parent = line
        elif line.level == task_level and parent:
            parents[parent.level] += 1
    section_level = max(parents, key=lambda level: (parents[level], level)) if parents else None
    return task_level, section_level


def _plan(lines, source_name, notes):
    """(the plan's title, issuer, number, date and period, the numbers of the lines they were read from)."""
    first_header = next((line.number for line in lines if line.level is not None and line.level <= 2),
                        next((line.number for line in lines if line.level is not None), len(lines) + 1))
    front = [line for line in lines if line.number < first_header and line.text and not LEFTOVERS.search(line.text)]
    used = set()
    notices = [(line, NOTICE.match(line.text)) for line in front if NOTICE.match(line.text)]
    title, issuer = "", ""
    if notices:
        title = notices[-1][1].group(2)
        issuer = re.sub(r"\s+", "", notices[-1][1].group(1))
        used.update(line.number for line, _ in notices)
    number_line = _number_line(front, [line for line, _ in notices])
    number = re.sub(r"\s+", "", DOC_NUMBER.search(number_line.text).group(0)) if number_line else ""
    date, date_line, signer = _date(lines, front)
    if signer:
        issuer = issuer or signer[0]
        used.update(signer[1])
    if not title:
        title_line = next((line for line in front if _titlelike(line.text) and PLAN_WORDS.search(line.text)),
                          next((line for line in front if _titlelike(line.text)), None))
        title = title_line.text if title_line else re.sub(r"\.\w+$", "", source_name)
        used.add(getattr(title_line, "number", 0))
    used.update(line.number for line in (number_line, date_line) if line)
    used.update(line.number for line in front if line.text == title)
    year = re.search(r"((?:19|20)\d{2})\s*年", title)
    year = year.group(1) if year else date[:4]
    if not year:
        found = next((m for line in lines for m in [re.search(r"((?:19|20)\d{2})\s*年", line.text)] if m), None)
        if not found:
            raise LedgerError("无法确定计划年度：标题、成文日期和正文里都没有“20xx年”；请在文件标题中写明年度后再导入")
        year = found.group(1)
        notes.append((0, f"标题和成文日期里没有年度，按正文中最先出现的 {year} 年作为计划年度"))
    for value, what in ((issuer, "发文机关"), (number, "文号")):
        if not value:
            notes.append((0, f"没有找到{what}，已填“{UNKNOWN}”；请在 data/tasks.yaml 的 plan 里填写"))
    if not date:
        date = f"{year}-01-01"
        notes.append((0, f"没有找到成文日期，已填 {date}；请在 data/tasks.yaml 的 plan.date 里填写"))
    plan = {"title": title, "issuer": issuer or UNKNOWN, "number": number or UNKNOWN, "date": date,
            "start": f"{year}-01-01", "end": f"{year}-12-31", "source": source_name or None}
    return plan, used - {0}


def _number_line(front, notices):
    """The line holding the document number: the one right after the notice's title, else before it, else the first."""
    def only_number(line):
        return line is not None and DOC_NUMBER.fullmatch(re.sub(r"\s+", "", line.text))

    for offset in (1, -1):
        for notice in notices:
            index = front.index(notice) + offset
            if 0 <= index < len(front) and only_number(front[index]):
                return front[index]
    return next((line for line in front if only_number(line)),
                next((line for line in front if DOC_NUMBER.search(line.text)), None))


def _date(lines, front):
    """(ISO date the document was signed, its line, (issuer named beside it, its line number) or None).

    A date with the issuer beside it (the signature) wins over one standing alone (under the title)."""
    found = []
    for line in front + [line for line in lines if line not in front]:
        text = line.text.strip("()（） ")
        date = DATE_CN.search(text)
        if not date or date.end() != len(text) or not _real(_iso(date)):
            continue
        before = text[:date.start()].strip()
        if before:
            if _office(before):
                return _iso(date), line, (before, [line.number])
            continue
        signers = []  # the offices signing above the date; jointly issued plans have several
        for above in reversed([l for l in lines[:lines.index(line)] if l.text][-3:]):
            if not _office(above.text):
                break
            signers.insert(0, above)
        if signers:
            return _iso(date), line, ("、".join(l.text for l in signers), [l.number for l in signers])
        found.append((_iso(date), line, None))
    if found:
        return found[0]
    iso = next((line for line in front if DATE_ISO.match(line.text)), None)
    return (iso.text, iso, None) if iso else ("", None, None)


def _real(iso):
    import datetime as dt  # noqa: PLC0415

    try:
        return bool(dt.date.fromisoformat(iso))
    except ValueError:
        return False


def _office(text):
    return len(text) <= 40 and (annotations.looks_like_unit(text) or text.endswith(("政府", "办公室", "委员会")))


def _iso(found):
    year, month, day = found.groups()
    if not year.isdigit():
        year = "".join("0" if c in "〇○零O" else str(CN_DIGITS.index(c)) for c in year)
    return f"{year}-{_count(month):02d}-{_count(day):02d}"


def _count(text):
    """12, 十二 or 一百零一 -> the number (task, month and day numbers as plans write them)."""
    if text.isdigit():
        return int(text)
    if text in CIRCLED:
        return CIRCLED.index(text) + 1
    total, digit = 0, None
    for char in text:
        if char in "十百":
            total += (1 if digit is None else digit) * (10 if char == "十" else 100)
            digit = None
        else:
            digit = CN_DIGITS.index(char) if char in CN_DIGITS else 0  # 零
    return total + (digit or 0)


def _titlelike(text):
    return (6 <= len(text) <= 60 and text[-1] not in "。：:，,；;" and not DOC_NUMBER.search(text)
            and not DATE_CN.search(text) and not DATE_ISO.match(text) and not re.fullmatch(r"[\d/\-\s]+", text))


class _Reader:
    """Walks the document's lines in order, putting each into a section or a task, or setting it aside."""

    def __init__(self, lines, task_level, section_level, used):
        self.lines, self.task_level, self.section_level, self.used = lines, task_level, section_level, used
        self.sections, self.tasks, self.unplaced, self.leftovers = [], [], [], []
        self.task = None

    def read(self):
        """(sections that hold tasks, tasks) with sections and tasks numbered."""
        start = next((line.number for line in self.lines if line.level is not None and self.section_level is not None
                      and line.level <= self.section_level),
                     next((line.number for line in self.lines if line.level == self.task_level), len(self.lines) + 1))
        if self.section_level is None:
            self.sections.append({"numeral": "一", "title": "全部任务", "count": 0})
        ahead = self._annotation_ahead()
        for line in self.lines:
            if not line.text or line.number in self.used:
                continue
            if LEFTOVERS.search(line.text):
                if line.number >= start:
                    self.leftovers.append((line.number, line.text))
            elif line.number >= start:
                self._place(line, ahead[line.number])
            elif line.level == self.task_level:
                self.unplaced.append((line.number, line.text))  # numbered like a task, but before any section
        self._close()
        sections = [section for section in self.sections if section["count"]]
        for number, section in enumerate(sections, 1):
            section["id"] = number
        for task in self.tasks:
            task["section"] = task["section"]["id"]
        return [{key: s[key] for key in ("id", "numeral", "title")} for s in sections], self.tasks

    def _starts_section(self, line):
        return line.level == self.section_level and self._section_title(line) is not None

    def _section_title(self, line):
        title = line.rest.rstrip("。：:")
        if "。" in title or len(title) > SECTION_TITLE_MAX:
            return None  # a numbered paragraph, not a heading
        return title or f"第{line.numeral}部分"

    def _annotation_ahead(self):
        """line number -> True when this line or a later one of the same task ends with a unit annotation."""
        ahead, found = {}, False
        for line in reversed(self.lines):
            found = found or bool(line.text and annotations.trailing(line.text)[1])
            ahead[line.number] = found
            if line.level is not None and line.level <= self.task_level:
                found = False
        return ahead

    def _place(self, line, annotation_ahead):
        if self._starts_section(line):
            self._close()
            self.sections.append({"numeral": line.numeral, "title": self._section_title(line), "count": 0})
        elif line.level == self.task_level:
            self._close()
            self.task = {"number": _count(line.numeral), "line": line.number, "parts": [(line.number, line.rest)],
                         "section": self.sections[-1]}
        elif line.level is not None and line.level < self.task_level:
            self._close()  # a heading of a level the task list has no place for
            self.unplaced.append((line.number, line.text))
        elif self.task and (line.level is not None or self._open() or annotations.trailing(line.text)[1]
                            or (annotation_ahead and not self._annotated())):
            self.task["parts"].append((line.number, line.text))
        else:
            self.unplaced.append((line.number, line.text))

    def _open(self):
        """True while the task's last line stops mid-sentence (a wrapped line, or a title on a line of its own)."""
        return not _ends(self.task["parts"][-1][1])

    def _annotated(self):
        return any(annotations.trailing(text)[1] for _, text in self.task["parts"])

    def _close(self):
        if self.task:
            self.task["section"]["count"] += 1
            self.tasks.append(self.task)
            self.task = None


def _number(tasks, notes):
    """Sets each task's id: its own number when numbering runs through the plan, else its place in the plan."""
    numbers = [task["number"] for task in tasks]
    ids = list(range(1, len(tasks) + 1))
    if not tasks:
        return
    if numbers == list(range(numbers[0], numbers[0] + len(numbers))):
        ids = numbers
    elif len(set(numbers)) == len(numbers) and numbers == sorted(numbers):
        missing = sorted(set(range(numbers[0], numbers[-1])) - set(numbers))
        notes.append((0, f"任务编号不连续，原文缺少第 {'、'.join(map(str, missing))} 号；序号照原文"))
        ids = numbers
    else:
        by_section = {}
        for task in tasks:
            by_section.setdefault(id(task["section"]), []).append(task["number"])
        if not all(found == list(range(1, len(found) + 1)) for found in by_section.values()):
            previous = 0
            for task in tasks:
                if task["number"] <= previous and task["number"] != 1:
                    notes.append((task["line"], f"编号 {task['number']} 与前面的编号重复或顺序颠倒；"
                                                f"任务序号已按全文顺序编为 1–{len(tasks)}"))
                previous = task["number"]
    for task, number in zip(tasks, ids):
        task["id"] = number


def _fill(task, plan, year, notes):
    """Completes a task read from its lines: text, title, units, deadline and targets."""
    parts = task.pop("parts")
    text, body, found = "", "", []
    for index, (_, part) in enumerate(parts):
        rest, annotated = annotations.trailing(part)
        found += annotated
        joint = ""
        if index and (_ends(parts[index - 1][1]) or annotations.standalone(part) is not None
                      or index == 1 and "。" not in parts[0][1]):
            joint = "\n"  # a new paragraph, a unit line, or the body after a title of its own; else a wrapped line
        text += joint + part
        body += joint + rest
    task["text"] = text
    found = found or annotations.inline(body)
    task["title"] = _title(functools.reduce(lambda t, inner: t.replace(inner, ""), found, body).replace("（）", "")
                           .replace("()", ""))
    task["lead_units"], task["support_units"], problems = annotations.parse(found) if found else ([], [], [])
    notes += [(task["line"], f"第 {task['id']} 项：{problem}") for problem in problems]
    task["coordination"] = not task["lead_units"]
    task["due"] = due("\n".join([body] + found), year) or plan["end"]
    task["targets"] = targets_of(body)


def _ends(text):
    """True when a line ends a sentence (or a unit annotation) rather than breaking one."""
    return text[-1] in SENTENCE_END or annotations.standalone(text) is not None


def _title(text):
    """The task's name: its first sentence (or first line), or that sentence's first clause when it has several."""
    title = re.split(r"[。\n]", text, maxsplit=1)[0].strip().rstrip("：:")
    clause = annotations.split_top(title, "，,；;：:")[0]
    return clause if len(clause) >= 4 else title


# deadlines written in a task: (pattern, month-day or a function of the match); 每月/每季度 are routines, not deadlines
DEADLINES = (
    (re.compile(r"(?<!每)(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日(?:之?前|为止)"), None),
    (re.compile(r"(?<!每)(?<!每个)(?:(\d{4})年)?(\d{1,2})(?:月底|月末|月份前|月份之前|月前|月之前)"), "month"),
    (re.compile(r"(?<!每)(?:(\d{4})\s*)?年(?:底|末)"), "12-31"),
    (re.compile(r"(?:(\d{4})|(?<![十百\d]))年内"), "12-31"),
    (re.compile(r"(?:(\d{4})年)?上半年"), "06-30"),
    (re.compile(r"(?:(\d{4})年)?下半年"), "12-31"),
    (re.compile(r"(?<!每)(?:(\d{4})年)?(?:第)?([一二三四1-4])季度"), "quarter"),
    (re.compile(r"完成时限[:：]\s*(?:(\d{4})年)?(\d{1,2})月(?![\d底末份])"), "month"),  # a task table's 6月
)
QUARTER_ENDS = {"一": "03-31", "二": "06-30", "三": "09-30", "四": "12-31", "1": "03-31", "2": "06-30", "3": "09-30",
                "4": "12-31"}
MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def due(text, year):
    """The latest deadline a task's text names within the plan's year (年底前, 6月底前, 第三季度, 年内 …), or None."""
    dates = []
    for pattern, month_day in DEADLINES:
        for found in pattern.finditer(text):
            if found.group(1) and found.group(1) != year:
                continue  # a deadline in another year belongs to a longer plan, not to this year's task
            if month_day is None:
                month, day = int(found.group(2)), int(found.group(3))
                if not (1 <= month <= 12 and 1 <= day <= MONTH_DAYS[month - 1]):
                    continue
                day_text = f"{month:02d}-{day:02d}"
            elif month_day == "month":
                month = int(found.group(2))
                if not 1 <= month <= 12:
                    continue
                last = 28 if month == 2 and int(year) % 4 else MONTH_DAYS[month - 1]
                day_text = f"{month:02d}-{last}"
            elif month_day == "quarter":
                day_text = QUARTER_ENDS[found.group(2)]
            else:
                day_text = month_day
            dates.append(f"{year}-{day_text}")
    return max(dates, default=None)


# what a target can be counted in; 万 and 亿 stay in the measure (万亩, 亿立方米), the value stays as written
BASE_MEASURES = """家 个 人 名 亩 % ％ 立方米 千瓦时 千瓦 公里 千米 平方公里 平方米 场 吨 座 处 条 所 项 类 头 只 斤 元 次 人次
    课时 个百分点 百分点 个工作日 工作日 张 床 户 批 辆 台 套 件 篇 公顷 株 册""".split()
MEASURE = "(?:万|亿)?(?:" + "|".join(map(re.escape, sorted(BASE_MEASURES, key=len, reverse=True))) + ")"
NUMBER = re.compile(r"(?<![A-Za-z0-9.])(\d+(?:\.\d+)?)(余|多)?(" + MEASURE + r")(以上|以内|以下|左右)?")
QUOTED = re.compile(r"《[^》]*》|“[^”]*”|\"[^\"]*\"")
# words before a number that say how it compares, removed from the target's name
PREFIX_AT_LEAST = ("不少于", "不低于", "至少", "达到", "超过", "突破", "提高至", "提高到", "提升至", "提升到", "增加到",
                   "增加至", "扩大至", "扩大到", "保持在", "稳定在", "达")
PREFIX_AT_MOST = ("控制在", "不超过", "不高于", "低于", "少于", "压减至", "压减到", "压缩至", "压缩到", "降至", "降低到",
                  "下降到")
PREFIX_ABOUT = ("大约", "约")
COMPARATOR_WORDS = {**dict.fromkeys(PREFIX_AT_LEAST, "at_least"), **dict.fromkeys(PREFIX_AT_MOST, "at_most"),
                    **dict.fromkeys(PREFIX_ABOUT, "about")}
GROWTH = ("增长", "增速", "增幅")
REMARK = re.compile(r"[(（][^)）]*[,，、;；][^)）]*[)）]?")  # a parenthetical remark, not part of a name
FILLERS = ("力争", "积极", "全县", "全市", "全区", "全年", "年内", "确保", "年底前")
# a deadline that opens a clause (2024年底前新建…, 第三季度开工…) is the task's due date, not part of a target's name
LEADING_MARK = re.compile(r"^(?:[①-⑳]|[(（]?\d{1,2}[)）]|[(（][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+是)[、.．]?")  # ① (1) 一是
LEADING_DEADLINE = re.compile(r"^(?:(?:\d{4}年)?(?:上半年|下半年|第?[一二三四]季度末?前?|\d{1,2}月底前|\d{1,2}月\d{1,2}日前)"
                              r"|\d{4}年(?:底前?|末前?|内)|年底前?|年末前?|年内)[,，]?")


def targets_of(text):
    """Each numeric target a task's text asks to reach, with the sentence it came from."""
    quoted = [m.span() for m in QUOTED.finditer(text)]
    targets = []
    for sentence_start, sentence in _sentences(text):
        found, qualifier_end = [], -1
        for match in NUMBER.finditer(sentence):
            if any(a <= sentence_start + match.start() < b for a, b in quoted):
                continue
            if _is_qualifier(sentence, match) or sentence[qualifier_end:match.start()] == "、":
                qualifier_end = match.end()
                continue
            found.append(match)
        breaks = _hard_breaks(sentence)
        boundary = 0
        for index, match in enumerate(found):
            start = max([boundary] + [b + 1 for b in breaks if b < match.start()])
            end = next((b for b in breaks if b >= match.end()), len(sentence))
            if index + 1 < len(found) and found[index + 1].start() < end:
                following = found[index + 1].start()
                comma = sentence.find("、", match.end(), following)
                end = comma if comma != -1 else following
            targets.append(_target(match, sentence[start:match.start()], sentence[match.end():end], sentence))
            boundary = end + 1
    _disambiguate(targets)
    return targets


def _sentences(text):
    start = 0
    for piece in re.split(r"(?<=[。\n])", text):
        if piece:
            yield start, piece
        start += len(piece)


def _hard_breaks(sentence):
    """Positions of the commas, semicolons and full stops that are not inside parentheses."""
    depth, breaks = 0, []
    for position, char in enumerate(sentence):
        depth += char in "(（"
        depth -= char in ")）" and depth > 0
        if depth == 0 and char in "，,；;。":
            breaks.append(position)
    return breaks


def _is_qualifier(sentence, match):
    """True for numbers that qualify a noun rather than set a target: 投资500万元以上的, 前100项, 30万千瓦以下小机组."""
    before = sentence[:match.start()]
    after = sentence[match.end():]
    ends_clause = after[:1] in ("", "，", ",", "、", "；", ";", "。", "\n")
    ends_sentence = after[:1] in ("", "，", ",", "；", ";", "。", "\n")
    if before.endswith("前") or before.endswith("投资") and not ends_sentence:  # but 完成投资1.5亿元， is a target
        return True
    if match.group(4) in ("以上", "以下") and after.startswith("的"):
        return True
    return match.group(4) == "以下" and not ends_clause


def _target(match, before, after, sentence):
    value_text, _more, measure, suffix = match.groups()
    comparator = {"以内": "at_most", "以下": "at_most", "左右": "about"}.get(suffix, "at_least")
    word = max((w for w in COMPARATOR_WORDS if before.endswith(w)), key=len, default="")  # 不少于 before 少于
    if word:
        before = before[: -len(word)]
        comparator = comparator if suffix == "左右" else COMPARATOR_WORDS[word]
    kind = "growth" if before.endswith(GROWTH) else "amount"
    name = REMARK.sub("", _strip_fillers(before) + after).strip()
    value = float(value_text) if "." in value_text else int(value_text)
    return {"name": name or measure, "value": value, "measure": measure, "comparator": comparator,
            "kind": kind, "source": sentence.strip()}


def _strip_fillers(text):
    changed = True
    while changed:
        text, count = re.subn(LEADING_DEADLINE.pattern + "|" + LEADING_MARK.pattern, "", text)
        changed = bool(count) and bool(text)
        for word in FILLERS:
            if text.startswith(word):
                text, changed = text[len(word):], True
    return text


def _disambiguate(targets):
    """Targets that share a name take the name of the target before them in front of theirs."""
    names = [t["name"] for t in targets]
    for index, target in enumerate(targets):
        if names.count(target["name"]) > 1 and index > 0:
            previous = targets[index - 1]
            if previous["source"] == target["source"]:
                target["name"] = previous["name"] + target["name"]
