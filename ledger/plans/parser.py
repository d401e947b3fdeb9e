"""Plan document text -> the task list (plan, sections, tasks with units, deadlines and targets).

The structure is read from the numbering, whatever its style: parts 第一部分, sections 一、 and （一）,
tasks 1. 1、 （1） (1). The task level is the one that carries unit annotations (or, without any, the
Arabic numbers); the section level is the deepest level above it whose headings are titles rather than
paragraphs. A heading between the two levels is the lead-in of the tasks under it, or, with none under
it, a task itself. Nothing is placed by guesswork: every line set aside is returned with the reason,
and so are web-page leftovers and the annotations that need a person's eye.
"""

import functools
import re
from collections import Counter, namedtuple

from ledger.plans import annotations, deadlines, front
from ledger.plans.targets import targets_of

CN_NUMBER = "一二三四五六七八九十百零〇"
# numbering levels, outermost first: 第一部分 / 一、 / （一） / 1. 1、 / （1） (1)
HEADERS = (
    (0, re.compile(rf"^第([{CN_NUMBER}]+)(?:部分|章|篇)\s*[:：、.．]?\s*(.*)$")),
    (1, re.compile(rf"^([{CN_NUMBER}]+)\s*[、.．]\s*(.+)$")),
    (2, re.compile(rf"^[(（]\s*([{CN_NUMBER}]+)\s*[)）]\s*[、.．]?\s*(.+)$")),
    (3, re.compile(r"^(\d{1,4})\s*(?:、|[.．](?!\d))\s*(.+)$")),
    (4, re.compile(r"^[(（]?\s*(\d{1,4})\s*[)）]\s*[、.．]?\s*(.+)$")),
    (5, re.compile(r"^([①-⑳])\s*[、.．]?\s*(.+)$")),
)
TASK_LEVEL_PREFERENCE = (3, 4, 2, 1, 5)  # when no level carries unit annotations
ROLE_HINT = re.compile(r"牵头|(?:责任|配合|参与|协办)(?:单位|部门)|负责\s*[)）]|按职责分工")
SECTION_TITLE_MAX = 50
SENTENCE_END = "。！？；;!?：:)）」”』"
# lines a saved web page or a document's back matter leaves in the text; never tasks
LEFTOVERS = re.compile(
    r"扫一扫在手机|如果您对该文件有疑问|打印本页|关闭窗口|【打印】|【关闭】|【字体|【字号|字号[：:]\s*[【\[]?\s*大|分享到|"
    r"^上一篇|^下一篇|版权所有|ICP备|公网安备|网站标识码|网站地图|联系我们|浏览次数|访问次数|阅读次数|责任编辑|"
    r"当前位置[：:]|^首页\s*[>＞»]|相关链接|^相关文件[：:]?$|^附件下载|^(?:信息)?来源[：:]|^发布(?:时间|日期)[：:]|"
    r"^抄送[：:]|\d{1,2}日印发$|^[(（]此件[^)）]*[)）]$|^[—－-]\s*\d+\s*[—－-]$")
# characters web pages and editors scatter in text that show as nothing: they would make 县发改局 two units
ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
# the frame of a plan rather than its tasks
FRAME = re.compile(r"^(?:指导思想|总体要求|总体思路|工作思路|工作目标|主要目标|总体目标|发展目标|基本原则|工作原则|"
                   r"适用范围)$")

# why a line was set aside, and what would place it
BEFORE = "在第一个部分之前，却像任务一样编号；如是任务，请把它移到所属部分之下"
PARENT = "是任务清单放不下的上一级标题（清单只有部分和任务两级）"
PARAGRAPH = "编号与部分标题同级，却是一段正文；如是任务，请按任务那一级编号"
INTRO = "在部分标题之后、第一项任务之前，不属于任何任务；如是任务的内容，请并入那项任务的段落"
GROUP = "是下面编号任务的总述，不是任务；下面的任务照常导入"
FRAMED = "是指导思想、目标、原则一类的内容，不是任务"
AFTER = "在第 {line} 行那项任务的单位说明之后，不知道属于哪一项；如属于那一项，请移到单位说明之前"
EMPTY = "这个部分下没有任务"

Found = namedtuple("Found", "plan sections tasks unplaced leftovers notes year front first_leads")
Line = namedtuple("Line", "number text level numeral rest leftover")


def import_text(text, source_name="", year=None):
    """The plan, sections and tasks of a plan document's text (or lines), with what needs a person's eye:
    unplaced (line, text, reason), leftovers (line, text), notes (line, message); the plan's year
    (front.Year), the last line of the front matter, the line saying the first unit listed leads (or None).
    year: the plan's year when given (--year)."""
    raw = text.splitlines() if isinstance(text, str) else list(text)
    lines = [_classify(number, ZERO_WIDTH.sub("", line).strip()) for number, line in enumerate(raw, 1)]
    notes = []
    plan, used, _ = front.front_matter(lines, source_name, notes)
    task_level, section_level = _levels(lines)
    reader = _Reader(lines, task_level, section_level, used)
    sections, tasks = reader.read()
    _number(tasks, notes)
    texts = [part for task in tasks for _, part in task["parts"]]
    found_year = front.plan_year(plan, deadlines.deadline_years(texts), year)
    start, year_end = f"{found_year.first}-01-01", f"{found_year.last}-12-31"
    if not plan["date"]:
        plan["date"] = start
        notes.append((0, f"没有找到成文日期，已填 {start}；请在 data/tasks.yaml 的 plan.date 里填写"))
    first_leads = _first_leads(lines, tasks)
    for task in tasks:
        _fill(task, (start, year_end), found_year.stated, first_leads, notes)
    end = max([year_end] + [task["due"] for task in tasks])
    plan = {"title": plan["title"], "issuer": plan["issuer"], "number": plan["number"], "date": plan["date"],
            "start": start, "end": end, "source": plan["source"]}
    return Found(plan, sections, tasks, sorted(reader.unplaced), reader.leftovers, sorted(notes), found_year,
                 reader.front, first_leads)


def _classify(number, text):
    leftover = bool(LEFTOVERS.search(text))
    for level, pattern in HEADERS:
        found = pattern.match(text)
        if found:
            return Line(number, text, level, found.group(1), found.group(2).strip(), leftover)
    return Line(number, text, None, None, None, leftover)


def _levels(lines):
    """(task level, section level or None): tasks are the level units are assigned to, sections the deepest level
    above it whose headings are titles."""
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
    last_task = max((line.number for line in lines if line.level == task_level), default=0)
    for level in sorted((level for level in present if level < task_level), reverse=True):
        heads = [line for line in lines if line.level == level and not line.leftover]
        titled = sum(_section_title(line) is not None for line in heads)
        if heads and heads[0].number < last_task and titled * 2 >= len(heads):
            return task_level, level
    return task_level, None


def _section_title(line):
    """A section heading's title, or None when the numbered line is a paragraph rather than a heading."""
    title = line.rest.rstrip("。：:")
    if "。" in title or len(title) > SECTION_TITLE_MAX:
        return None
    return title or f"第{line.numeral}部分"


def _with_tasks_beneath(lines, task_level):
    """Numbers of the heading lines that have task-level lines beneath them."""
    found, open_headings = set(), []
    for line in lines:
        if line.level is None or line.leftover or line.level > task_level:
            continue
        while open_headings and open_headings[-1].level >= line.level:
            open_headings.pop()
        if line.level == task_level:
            found.update(heading.number for heading in open_headings)
        else:
            open_headings.append(line)
    return found


def _first_leads(lines, tasks):
    """The line from which on the plan says the unit listed first leads: said outside a task, or with 下同."""
    inside = {number for task in tasks for number, _ in task["parts"]}
    return next((line.number for line in lines if annotations.states_first_leads(line.text)
                 and (line.number not in inside or "下同" in line.text)), None)


class _Reader:
    """Walks the document's lines in order, putting each into a section or a task, or setting it aside."""

    def __init__(self, lines, task_level, section_level, used):
        self.lines, self.task_level, self.section_level, self.used = lines, task_level, section_level, used
        self.parents = _with_tasks_beneath(lines, task_level)
        self.sections, self.tasks, self.unplaced, self.leftovers = [], [], [], []
        self.task, self.group, self.stray = None, None, INTRO
        self.front = 0

    def read(self):
        """(sections that hold tasks, tasks) with sections and tasks numbered."""
        start = next((line.number for line in self.lines if line.level is not None and self.section_level is not None
                      and line.level <= self.section_level and not line.leftover),
                     next((line.number for line in self.lines if line.level == self.task_level), len(self.lines) + 1))
        self.front = start - 1
        ahead = self._annotation_ahead()
        for line in self.lines:
            if not line.text or line.number in self.used:
                continue
            if line.leftover:
                if line.number >= start:
                    self.leftovers.append((line.number, line.text))
            elif line.number >= start:
                self._place(line, ahead[line.number])
            elif line.level == self.task_level:
                self.unplaced.append((line.number, line.text, BEFORE))
        self._close()
        for section in self.sections:
            if not section["count"] and section["line"]:
                self.unplaced.append((section["line"], section["text"], FRAMED if section["frame"] else EMPTY))
        sections = [section for section in self.sections if section["count"]]
        for number, section in enumerate(sections, 1):
            section["id"] = number
        for task in self.tasks:
            task["section"] = task["section"]["id"]
        return [{key: s[key] for key in ("id", "numeral", "title")} for s in sections], self.tasks

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
        level, sections, tasks = line.level, self.section_level, self.task_level
        if level is not None and level < tasks:
            self._close()
            if sections is not None and level < sections:
                return self._aside(line, PARENT)
            if level == sections:
                return self._section(line)
            self.group = line if line.number in self.parents else None
            if self.group:
                framed = self.sections and self.sections[-1]["frame"]
                return self._aside(line, FRAMED, FRAMED) if framed else self._aside(line, GROUP, GROUP)
        if level is not None and level <= tasks:  # a task, or a heading above the tasks with none beneath it
            self._close()
            if not self.sections:  # tasks before any section, or a plan without sections
                self.sections.append({"numeral": "一", "title": "全部任务", "count": 0, "line": 0, "frame": False})
            if self.sections[-1]["frame"] or FRAME.match(_title(line.rest)):
                return self._aside(line, FRAMED, FRAMED)
            self.task = {"number": front.count(line.numeral), "line": line.number, "level": level,
                         "group": getattr(self.group, "number", None), "parts": [(line.number, line.rest)],
                         "section": self.sections[-1]}
        elif self.task and (level is not None or self._open() or annotations.trailing(line.text)[1]
                            or (annotation_ahead and not self._annotated())):
            self.task["parts"].append((line.number, line.text))
        else:
            self._aside(line, AFTER.format(line=self.task["line"]) if self.task else self.stray)
        return None

    def _section(self, line):
        title = _section_title(line)
        if title is None:
            return self._aside(line, PARAGRAPH)
        self.group = None
        frame = bool(FRAME.match(title))
        self.sections.append({"numeral": line.numeral, "title": title, "count": 0, "line": line.number,
                              "text": line.text, "frame": frame})
        self.stray = FRAMED if frame else INTRO
        return None

    def _aside(self, line, reason, stray=None):
        """Sets the line aside with the reason; stray: the reason for the lines that follow it, if they stray."""
        self.unplaced.append((line.number, line.text, reason))
        if stray:
            self.stray = stray

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
        runs = {}  # numbering starts again in each section, under each lead-in, at each level
        for task in tasks:
            runs.setdefault((id(task["section"]), task["group"], task["level"]), []).append(task["number"])
        if not all(found == list(range(1, len(found) + 1)) or len(found) == 1 for found in runs.values()):
            previous = 0
            for task in tasks:
                if task["number"] <= previous and task["number"] != 1:
                    notes.append((task["line"], f"编号 {task['number']} 与前面的编号重复或顺序颠倒；"
                                                f"任务序号已按全文顺序编为 1–{len(tasks)}"))
                previous = task["number"]
    for task, number in zip(tasks, ids):
        task["id"] = number


def _fill(task, period, stated, first_leads, notes):
    """Completes a task read from its lines: text, title, units, deadline and targets.

    period: (first day, last day of the plan's years); stated: the plan's years are stated, so a deadline
    outside them is not this plan's; else a later deadline extends the plan."""
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
    leads_first = first_leads is not None and parts[-1][0] >= first_leads
    read = annotations.parse(found, leads_first) if found else annotations.Read([], [], [], [])
    task["lead_units"], task["support_units"] = read.lead, read.support
    where = (task["line"], f"第 {task['id']} 项：")
    notes += [(where[0], where[1] + problem) for problem in read.problems]
    notes += [(where[0], where[1] + f"“{written}”按同一串单位里前面的写法补全为“{full}”，请核对")
              for written, full in read.guesses]
    unread = annotations.unread(body)
    if unread:
        notes.append((where[0], where[1] + f"末尾括号里的“{unread}”提到了单位，但没能读出牵头和配合单位，"
                                           "没有导入；请核对"))
    task["coordination"] = not task["lead_units"]
    task["due"] = _due(deadlines.deadlines("\n".join([body] + found), period[0][:4]), period, stated, where, notes)
    task["targets"] = targets_of(body)


def _due(found, period, stated, where, notes):
    """The latest deadline the plan can hold; those it cannot are noted."""
    start, end = period
    years = "–".join(dict.fromkeys((start[:4], end[:4])))
    kept = [d.day for d in found if start <= d.day <= end or d.day > end and not stated]
    due = max(kept, default=end)
    for deadline in found:
        if deadline.day < start:
            notes.append((where[0], where[1] + f"“{deadline.written}”早于计划期，没有作为完成时限"))
        elif deadline.day > end and stated:
            notes.append((where[0], where[1] + f"“{deadline.written}”在计划年度（{years} 年）之外，"
                                               f"没有作为完成时限，完成时限按 {due}；如确是这项任务的时限，请改 data/tasks.yaml"))
        elif deadline.day > end:
            notes.append((where[0], where[1] + f"完成时限“{deadline.written}”（{deadline.day}）在 {end[:4]} 年之后，"
                                               f"计划期延到这一天；序时进度按整个计划期计算"))
    return due


def _ends(text):
    """True when a line ends a sentence (or a unit annotation) rather than breaking one."""
    return text[-1] in SENTENCE_END or annotations.standalone(text) is not None


def _title(text):
    """The task's name: its first sentence (or first line), or that sentence's first clause when it has several."""
    title = re.split(r"[。\n]", text, maxsplit=1)[0].strip().rstrip("：:")
    clause = annotations.split_top(title, "，,；;：:")[0]
    return clause if len(clause) >= 4 else title
