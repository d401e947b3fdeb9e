"""Plan document text -> the task list (plan, sections, tasks with units, deadlines and targets)."""

import re
from collections import namedtuple

CN_DIGITS = "一二三四五六七八九十"
SECTION = re.compile(rf"^([{CN_DIGITS}]+)、\s*(.+)$")
ITEM = re.compile(r"^(\d{1,3})\s*[.．、]\s*(.+)$")
DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]+〔\d{4}〕\d+号")
CN_DATE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
NOTICE = re.compile(r"关于印发《(.+?)》的通知")
ANNOTATION = re.compile(r"[(（]\s*牵头单位\s*[:：](.*)[)）]\s*$")
SUPPORT = re.compile(r"[,，;；]?\s*(?:参与|配合|协办)单位\s*[:：]")
UNIT_SEPARATORS = re.compile(r"\s*[、,，;；]\s*")

# measures a target can be counted in, longest first so 万亩 wins over 亩
MEASURES = sorted("""家 个 人 万人 名 亩 万亩 % 亿立方米 万立方米 万千瓦 公里 平方公里 万平方米 场 吨 万吨 座 处 条 所
    项 类 头 万头 斤 万斤 亿斤 万元 亿元 元 次 课时 个百分点 张 床 户 批""".split(), key=len, reverse=True)
NUMBER = re.compile(r"(?<![A-Za-z0-9.])(\d+(?:\.\d+)?)(余)?(" + "|".join(map(re.escape, MEASURES))
                    + r")(以上|以内|以下|左右)?")
QUOTED = re.compile(r"《[^》]*》|“[^”]*”|\"[^\"]*\"")
# words around a number that say how it compares, removed from the target's name
PREFIX_AT_LEAST = ("不少于", "至少", "达到", "提高至", "扩大至", "保持在", "稳定在", "达")
PREFIX_AT_MOST = ("控制在", "不超过", "不高于")
REMARK = re.compile(r"[(（][^)）]*[,，、;；][^)）]*[)）]?")  # a parenthetical remark, not part of a name
FILLERS = ("力争", "积极", "全县", "全年", "年内", "确保", "年底前")
DEADLINES = ((re.compile(r"(\d{1,2})月底前"), None), (re.compile(r"上半年"), "06-30"),
             (re.compile(r"第一季度"), "03-31"), (re.compile(r"第二季度"), "06-30"),
             (re.compile(r"第三季度"), "09-30"))

Found = namedtuple("Found", "plan sections tasks unplaced")


def import_text(text, source_name=""):
    """The plan, sections and tasks of a plan document's text, and the lines it could not place."""
    lines = [line.strip() for line in text.splitlines()]
    plan = _plan(lines, source_name)
    year = plan["start"][:4]
    sections, tasks, unplaced = [], [], []
    body_started = False
    for number, line in enumerate(lines, 1):
        if not line:
            continue
        section = SECTION.match(line)
        item = ITEM.match(line)
        if section and len(section.group(2)) < 40:
            body_started = True
            sections.append({"id": len(sections) + 1, "numeral": section.group(1), "title": section.group(2)})
        elif item and sections:
            tasks.append(_task(int(item.group(1)), item.group(2), len(sections), plan, year))
        elif body_started:
            unplaced.append((number, line))
    return Found(plan, sections, tasks, unplaced)


def _plan(lines, source_name):
    notice = next((line for line in lines if NOTICE.search(line)), "")
    title = NOTICE.search(notice).group(1) if notice else lines[0]
    number, date, issuer = "", "", ""
    for index, line in enumerate(lines):
        if line == notice and index + 1 < len(lines) and DOC_NUMBER.fullmatch(lines[index + 1]):
            number = lines[index + 1]
        found = CN_DATE.match(line)
        if found and not date:
            date = "{}-{:02d}-{:02d}".format(*map(int, found.groups()))
            issuer = lines[index - 1]
    if not number:
        number = next((m.group(0) for line in lines for m in [DOC_NUMBER.search(line)] if m), "")
    year = re.search(r"(\d{4})年", title)
    year = year.group(1) if year else date[:4]
    return {"title": title, "issuer": issuer, "number": number, "date": date,
            "start": f"{year}-01-01", "end": f"{year}-12-31", "source": source_name or None}


def _task(task_id, text, section, plan, year):
    annotation = ANNOTATION.search(text)
    lead, support = [], []
    if annotation:
        parts = SUPPORT.split(annotation.group(1), maxsplit=1)
        lead = _units(parts[0])
        support = _units(parts[1]) if len(parts) > 1 else []
    body = text[:annotation.start()] if annotation else text
    return {
        "id": task_id,
        "section": section,
        "title": text.split("。", 1)[0].strip(),
        "text": text,
        "lead_units": lead,
        "support_units": support,
        "coordination": not lead,
        "due": _due(body, plan["end"], year),
        "targets": targets_of(body),
    }


def _units(text):
    return [name for name in UNIT_SEPARATORS.split(text.strip(" ,，;；")) if name]


def _due(text, plan_end, year):
    for pattern, month_day in DEADLINES:
        found = pattern.search(text)
        if found:
            if month_day is None:
                month = int(found.group(1))
                last = 30 if month in (4, 6, 9, 11) else 28 if month == 2 else 31
                month_day = f"{month:02d}-{last}"
            return f"{year}-{month_day}"
    return plan_end


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
    for piece in re.split(r"(?<=。)", text):
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
    if before.endswith(("投资", "前")):
        return True
    if match.group(4) in ("以上", "以下") and after.startswith("的"):
        return True
    return match.group(4) == "以下" and after[:1] not in ("", "，", ",", "、", "；", ";", "。")


def _target(match, before, after, sentence):
    value_text, _more, measure, suffix = match.groups()
    comparator = {"以内": "at_most", "以下": "at_most", "左右": "about"}.get(suffix, "at_least")
    for words, meaning in ((PREFIX_AT_MOST, "at_most"), (PREFIX_AT_LEAST, "at_least")):
        word = next((w for w in words if before.endswith(w)), None)
        if word:
            before = before[: -len(word)]
            comparator = comparator if suffix == "左右" else meaning
            break
    kind = "growth" if before.endswith("增长") else "amount"
    name = REMARK.sub("", _strip_fillers(before) + after).strip()
    value = float(value_text) if "." in value_text else int(value_text)
    return {"name": name or measure, "value": value, "measure": measure, "comparator": comparator,
            "kind": kind, "source": sentence.strip()}


def _strip_fillers(text):
    changed = True
    while changed:
        changed = False
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


def tasks_yaml(found):
    """The task list as deterministic YAML text, in the layout of data/tasks.yaml."""
    from ledger.yamlio import dump  # noqa: PLC0415

    tasks = []
    for task in found.tasks:
        item = {key: task[key] for key in ("id", "section", "title", "text", "lead_units")}
        item.update({key: task[key] for key in ("support_units", "targets") if task[key]})
        if task["coordination"]:
            item["coordination"] = True
        item["due"] = task["due"]
        tasks.append(item)
    plan = {key: value for key, value in found.plan.items() if value}
    header = (f"# {found.plan['title']}：任务清单\n"
              f"# 由 ledger import 从计划文件生成，已逐项与原文核对；人工修改请见 README“任务清单”一节。\n")
    return header + dump({"plan": plan, "sections": found.sections, "tasks": tasks})
