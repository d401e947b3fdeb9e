"""Unit annotations of a plan's tasks -> lead and support units, and what could not be read in them.

Plans name the units of a task in many ways: （牵头单位：A、B，参与单位：C）, （责任单位：A）,
（A牵头，B、C配合）, （A负责）, a line 牵头单位：A of its own, "各有关部门按职责分工负责" tails. Unit names may
hold parentheses themselves (县政府办公室(大数据局), 各乡镇（街道）), so brackets are matched, not searched.
"""

import re

OPEN, CLOSE = "(（[［【〔", ")）]］】〕"
SEPARATORS = "、，,；;"
# "X单位：" / "X部门：" labels and the role each gives the units after it
LABEL = re.compile(r"(牵头|主责|主办|责任|配合|参与|协办|协助|协同|参加|相关)(?:单位|部门)?\s*[:：]")
LEADER = re.compile(r"^(?:牵头|责任|分管|县级|市级|包保|联系)?(?:县|市)?领导\s*[:：]")  # people, not units
DEADLINE = re.compile(r"^(?:完成时限|完成时间|时间节点|时限要求|时限)\s*[:：]")  # a deadline inside the annotation
MARKED = re.compile(r"[(（](牵头|配合|参与|协办|负责)[)）]$")  # 县发改局（牵头）
VERB = re.compile(r"(按职责分工负责|按职责分工落实|按照职责分工负责|按职能职责负责|按职责负责|分工负责|共同负责|"
                  r"牵头负责|牵头|负责|配合|参与|协助|协办)$")
LEAD, SUPPORT, RESPONSIBLE = "lead", "support", "responsible"
LABEL_ROLES = {"牵头": LEAD, "主责": LEAD, "主办": LEAD, "责任": RESPONSIBLE}
VERB_ROLES = {"牵头": LEAD, "牵头负责": LEAD, "配合": SUPPORT, "参与": SUPPORT, "协助": SUPPORT, "协办": SUPPORT}
UNIT_ENDINGS = ("局", "委", "办", "部", "厅", "处", "室", "中心", "院", "会", "所", "队", "行", "公司", "集团", "政府",
                "办事处", "街道", "乡镇", "管委会", "部门", "单位", "联", "站", "团", "馆", "台", "社", "区", "园",
                "署", "科", "组", "指挥部", "机关", "镇", "乡", "校", "学")
ETC = re.compile(r"等(?:部门|单位)?$")  # 县民政局等: more units than are named


def groups(text):
    """(start, end) of each top-level bracket group in text, in order (an unclosed one runs to the end)."""
    found, depth, start = [], 0, 0
    for position, char in enumerate(text):
        if char in OPEN:
            if depth == 0:
                start = position
            depth += 1
        elif char in CLOSE and depth:
            depth -= 1
            if depth == 0:
                found.append((start, position + 1))
    if depth:
        found.append((start, len(text)))
    return found


def split_top(text, separators=SEPARATORS):
    """Pieces of text split at separators outside brackets."""
    pieces, depth, start = [], 0, 0
    for position, char in enumerate(text):
        depth += char in OPEN
        depth -= char in CLOSE and depth > 0
        if depth == 0 and char in separators:
            pieces.append(text[start:position])
            start = position + 1
    pieces.append(text[start:])
    return pieces


def trailing(text):
    """(body, [annotations]) of a task's text: the unit annotations at its end, peeled off in order."""
    found, body = [], text
    while True:
        stripped = body.rstrip(" 　。.；;，,")
        spans = groups(stripped)
        if not spans or spans[-1][1] != len(stripped):
            break
        start = spans[-1][0]
        inner = stripped[start + 1: len(stripped) - (stripped[-1] in CLOSE)]
        if not is_annotation(inner):
            break
        found.insert(0, inner)
        body = stripped[:start]
    if not found:  # a labelled clause without brackets: ……工作。牵头单位：A；配合单位：B。
        for match in LABEL.finditer(body):
            before = body[:match.start()].rstrip(" 　")
            rest = body[match.start():].rstrip(" 　。.")
            if _depth_at(body, match.start()) == 0 and (not before or before[-1] in "。；;，,.") and "。" not in rest:
                return before, [rest]
    return body, found


def _depth_at(text, index):
    depth = 0
    for char in text[:index]:
        depth += char in OPEN
        depth -= char in CLOSE and depth > 0
    return depth


def is_annotation(inner):
    """True when a bracket group's content names units: a role label, a role verb, or a list of unit names."""
    inner = inner.strip()
    if not inner or "。" in inner:
        return False
    if LABEL.search(inner) or LEADER.search(inner):
        return True
    if DEADLINE.match(inner):
        return False
    items = [item.strip() for item in split_top(inner) if item.strip()]
    if any(VERB.search(item) and len(item) <= 40 for item in items):
        return all(looks_like_unit(VERB.sub("", item)) or not VERB.sub("", item) for item in items if VERB.search(item))
    return bool(items) and all(looks_like_unit(ETC.sub("", item)) for item in items)


def inline(text):
    """Labelled annotations standing inside a task rather than at its end: 1.加强组织领导（牵头单位：县委办）。……"""
    return [text[start + 1: end - 1] for start, end in groups(text) if LABEL.match(text[start + 1: end - 1].strip())]


def standalone(line):
    """The annotation a line of its own holds (牵头单位：A / （牵头单位：A）), or None."""
    line = line.strip().rstrip("。.")
    if LABEL.match(line) or LEADER.match(line):
        return line
    spans = groups(line)
    if spans == [(0, len(line))] and line[-1] in CLOSE and is_annotation(line[1:-1]):
        return line[1:-1]
    return None


def looks_like_unit(name):
    """True for text shaped like an office's name: 县水利局, 各乡镇（街道）, 中国人民银行冠县支行."""
    name = name.strip()
    if not 2 <= len(name) <= 30 or re.search(r"[。！？\d]", name):
        return False
    core = name
    spans = groups(core)
    if spans and spans[-1][1] == len(core) and spans[-1][0] > 0:
        core = core[:spans[-1][0]]  # 县政府办公室(大数据局), 各乡镇（街道）
    return core.startswith("各") or core.endswith(UNIT_ENDINGS)


def parse(annotations):
    """(lead units, support units, problems) from a task's annotations; problems are Chinese sentences."""
    lead, support, responsible, pending, problems = [], [], [], [], []
    text = "；".join(annotations)
    labels = [m for m in LABEL.finditer(text) if _depth_at(text, m.start()) == 0]
    verbs = [MARKED.search(item) or VERB.search(item) for item in (re.sub(r"\s+", "", i) for i in split_top(text))]
    has_lead = (any(LABEL_ROLES.get(m.group(1)) == LEAD for m in labels)
                or any(VERB_ROLES.get(v.group(1)) == LEAD for v in verbs if v))
    edges = [m.start() for m in labels] + [len(text)]
    segments = [(None, text[:edges[0]])] + [(m.group(1), text[m.end():end]) for m, end in zip(labels, edges[1:])]
    for label, segment in segments:
        role = LABEL_ROLES.get(label, SUPPORT) if label else None
        for clause in split_top(segment, "，,；;"):  # 、 joins units within a clause; a verb ends the clause
            waiting = []
            for item in split_top(clause, "、"):
                item = re.sub(r"\s+", "", item)
                if not item:
                    continue
                if LEADER.match(item):
                    problems.append(f"“{item}”是领导而不是单位，未导入")
                    continue
                if DEADLINE.match(item):
                    break  # the rest of the clause is a date: the importer reads it as the task's deadline
                verb = MARKED.search(item) or VERB.search(item)
                name = item[:verb.start()] if verb else item
                if ETC.search(name) and len(name) > 3:
                    problems.append(f"“{item}”中的“等”表示还有未列出的单位，请核对")
                    name = ETC.sub("", name)
                waiting.append(name)
                if verb:
                    for earlier in waiting:
                        _place(earlier, VERB_ROLES.get(verb.group(1), RESPONSIBLE), lead, support, responsible)
                    waiting = []
            for name in waiting:
                if role:
                    _place(name, role, lead, support, responsible)
                else:
                    pending.append(name)
    for name in responsible:  # 责任单位 / 负责: the lead when no unit is named lead, else they take part
        _add(support if has_lead else lead, name)
    if pending and (lead or support):
        problems.append(f"无法判断“{'、'.join(pending)}”是牵头还是配合单位，已作为配合单位")
    elif pending:
        problems.append(f"单位说明没有写明牵头或配合，“{'、'.join(pending)}”已全部作为牵头单位")
    target = support if (lead or support) else lead
    for name in pending:
        _add(target, name)
    support[:] = [name for name in support if name not in lead]
    for name in lead + support:
        if not looks_like_unit(name):
            problems.append(f"“{name}”看起来不像单位名称，请核对")
    if not lead and not support:
        problems.append(f"单位说明“{text}”里没有找到单位")
    return lead, support, problems


def _place(name, role, lead, support, responsible):
    if name:
        _add({LEAD: lead, SUPPORT: support, RESPONSIBLE: responsible}[role], name)


def _add(names, name):
    if name not in names:
        names.append(name)
