"""Unit annotations of a plan's tasks -> lead and support units, and what could not be read in them.

Plans name the units of a task in many ways: （牵头单位：A、B，参与单位：C）, （责任单位：A）,
（A牵头，B、C配合）, （A负责）, （A会同B负责）, （A指导，B负责）, a line 牵头单位：A of its own,
"各有关部门按职责分工负责" tails, and lists whose first unit leads because the plan says so once
("排在第一位的为牵头单位"). Unit names may hold parentheses themselves (县政府办公室(大数据局),
各乡镇（街道）), so brackets are matched, not searched. A list may write its shared prefix once
(省发展改革委、财政厅 = 省发展改革委、省财政厅): the prefix is written out, and said to be a guess.
"""

import re
from typing import NamedTuple

OPEN, CLOSE = "(（[［【〔", ")）]］】〕"
SEPARATORS = "、，,；;"
LEAD, SUPPORT, RESPONSIBLE = "lead", "support", "responsible"
# "X单位：" / "X部门：" labels and the role each gives the units after it
LABEL = re.compile(r"(牵头|主责|主办|责任|配合|参与|协办|协助|协同|参加|相关|指导)(?:单位|部门)?\s*[:：]")
LABEL_ROLES = {"牵头": LEAD, "主责": LEAD, "主办": LEAD, "指导": LEAD, "责任": RESPONSIBLE}
LEADER = re.compile(r"^(?:牵头|责任|分管|县级|市级|包保|联系)?(?:县|市)?领导\s*[:：]")  # people, not units
DEADLINE = re.compile(r"^(?:完成时限|完成时间|时间节点|时限要求|时限)\s*[:：]")  # a deadline inside the annotation
MARKED = re.compile(r"[(（](牵头|配合|参与|协办|负责)[)）]$")  # 县发改局（牵头）
# the words after a unit (or a list of units) that give its role, longest first where one ends another
VERB_ROLES = {
    **dict.fromkeys(("牵头负责", "牵头", "主责", "总牵头", "统筹", "指导", "督导"), LEAD),
    **dict.fromkeys(("配合", "参与", "协助", "协办", "参加", "支持"), SUPPORT),
    **dict.fromkeys(("按职责分工负责", "按职责分工落实", "按照职责分工负责", "按职能职责负责", "按职责负责",
                     "分工负责", "共同负责", "分别负责", "具体负责", "负责落实", "抓好落实", "组织实施", "负责"),
                    RESPONSIBLE)}
VERB = re.compile("(" + "|".join(sorted(VERB_ROLES, key=len, reverse=True)) + ")$")
TOGETHER = "会同"  # A会同B: A leads, B takes part
UNIT_ENDINGS = ("局", "委", "办", "部", "厅", "处", "室", "中心", "院", "会", "所", "队", "行", "公司", "集团", "政府",
                "办事处", "街道", "乡镇", "管委会", "部门", "单位", "联", "站", "团", "馆", "台", "社", "区", "园",
                "署", "科", "组", "指挥部", "机关", "镇", "乡", "校", "学")
ETC = re.compile(r"等(?:有关|相关)?(?:部门|单位)?$")  # 县民政局等, 县民政局等有关部门: more units than are named
# "the unit listed first leads": said once in the preamble, or in the first annotation with 下同
FIRST_LEADS = re.compile(r"(?:排|列)(?:在|于)?(?:第一位|首位)的?(?:者|单位|部门)?(?:为|是)牵头(?:单位|部门)?")
SAME_BELOW = re.compile(r"^下同$")
# a place's level in a unit's name: 省, 市, 县 …, but not inside 城市, 城乡, 社区, 开发区, 市场, 县域, 乡镇, 乡村
ADMIN = r"(?<![城社园景小发范验护辖郊片])(?:省|市|县|区|州|盟|旗|镇|乡)(?![场域镇村级])"
# a list's shared prefix: 省, 市, 青石市, 县委 (a party office: only its 部 take the 委)
PREFIX = re.compile(rf"^(?!各|有关|相关)([\u4e00-\u9fff]{{0,4}}?{ADMIN})(委(?=.*部$))?(?=.{{2}})")
COMPANIES = ("公司", "集团", "银行", "分行", "支行")  # not offices of a government: they take no 省/市/县 prefix
PLACED = re.compile(rf"{ADMIN}|^各|^有关|^相关|^中共|^共青团|^团|^国家|^中国|^人民银行")


class Read(NamedTuple):
    """What a task's annotations say: lead and support units, and notes for a person to check."""

    lead: list
    support: list
    problems: list  # Chinese sentences: what was guessed or could not be read
    guesses: list   # (as written, as kept): prefixes written out


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
    inner = _without_conventions(inner.strip().rstrip("。"))
    if not inner:
        return False
    if LABEL.search(inner) or LEADER.search(inner):
        return True
    if "。" in inner:  # sentences of units: （县发改局牵头。县财政局配合）
        return is_annotation(inner.replace("。", "；"))
    if DEADLINE.match(inner):
        return False
    items = [re.sub(r"\s+", "", item) for item in split_top(inner) if item.strip()]
    if any(VERB.search(item) and len(item) <= 40 for item in items):
        return all(looks_like_unit(_name(item)) or not _name(item) for item in items if VERB.search(item))
    return bool(items) and all(looks_like_unit(ETC.sub("", item)) for item in items)


def _name(item):
    """The unit an item with a role verb names: 县民政局等按职责分工负责 -> 县民政局; A会同B -> A."""
    return ETC.sub("", VERB.sub("", item).split(TOGETHER)[0])


def _without_conventions(text):
    """The annotation less the sentences about annotations (排在第一位的为牵头单位, 下同)."""
    pieces = [piece for piece in split_top(text, "，,；;。") if not (FIRST_LEADS.search(piece) or
                                                                  SAME_BELOW.match(piece.strip()))]
    return "，".join(pieces) if len(pieces) != len(split_top(text, "，,；;。")) else text


def states_first_leads(text):
    """True when text says that the unit listed first is the lead (排在第一位的为牵头单位)."""
    return bool(FIRST_LEADS.search(text))


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


def parse(annotations, first_leads=False):
    """What a task's annotations say (Read). first_leads: the plan says the unit listed first leads."""
    lead, support, responsible, pending, problems, guesses = [], [], [], [], [], []
    first_leads = first_leads or any(map(states_first_leads, annotations))
    text = _without_conventions("；".join(annotations)).replace("。", "；")
    labels = [m for m in LABEL.finditer(text) if _depth_at(text, m.start()) == 0]
    verbs = [MARKED.search(item) or VERB.search(item) for item in (re.sub(r"\s+", "", i) for i in split_top(text))]
    has_lead = (any(LABEL_ROLES.get(m.group(1)) == LEAD for m in labels)
                or any(VERB_ROLES.get(v.group(1)) == LEAD for v in verbs if v)
                or TOGETHER in text)
    edges = [m.start() for m in labels] + [len(text)]
    segments = [(None, text[:edges[0]])] + [(m.group(1), text[m.end():end]) for m, end in zip(labels, edges[1:])]
    roles = {LEAD: lead, SUPPORT: support, RESPONSIBLE: responsible}
    prefix = ""  # the latest 省/市/县 a unit of this annotation was written with
    for label, segment in segments:
        role = LABEL_ROLES.get(label, SUPPORT) if label else None
        waiting = []  # named, role not yet said: a verb later in the segment gives it (A，B、C负责)
        for clause in split_top(segment, "，,；;"):  # 、 joins units within a clause
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
                name, partners = (name.split(TOGETHER, 1) + [""])[:2] if TOGETHER in name else (name, "")
                if ETC.search(name) and len(name) > 3:
                    problems.append(f"“{item}”中的“等”表示还有未列出的单位，请核对")
                    name = ETC.sub("", name)
                prefix, name = _prefixed(name, prefix, guesses)
                if partners:  # A会同B: A leads, B takes part, whatever the verb after them
                    _add(lead, name)
                    for partner in split_top(ETC.sub("", partners), "、"):
                        _add(support, _prefixed(partner, prefix, guesses)[1])
                    name = ""
                if name:
                    waiting.append(name)
                if verb:
                    for earlier in waiting:
                        _add(roles[VERB_ROLES.get(verb.group(1), RESPONSIBLE)], earlier)
                    waiting = []
            if role:  # a labelled segment: its units have the label's role, clause by clause
                for name in waiting:
                    _add(roles[role], name)
                waiting = []
        pending += waiting
    if first_leads and not has_lead:  # 排在第一位的为牵头单位: the first unit named leads, the rest take part
        named = responsible + [name for name in pending if name not in responsible]
        lead += named[:1]
        responsible, pending = [], []
        for name in named[1:]:
            _add(support, name)
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
    return Read(lead, support, problems, guesses)


def _prefixed(name, prefix, guesses):
    """(the annotation's prefix so far, name with that prefix written out when the list wrote it once)."""
    own = PREFIX.match(name)
    if own:
        return (own.group(1), own.group(2) or ""), name
    if not prefix or PLACED.search(name) or not looks_like_unit(name) or name.endswith(COMPANIES):
        return prefix, name
    admin, party = prefix
    full = admin + (party if name.endswith("部") else "") + name
    guesses.append((name, full))
    return prefix, full


def _add(names, name):
    if name and name not in names:
        names.append(name)


UNREAD = re.compile(r"牵头|负责|配合|参与|协办|责任单位|单位[:：]|部门[:：]")


def unread(body):
    """The text of a bracket group ending body that speaks of units' roles but was not read as an annotation."""
    stripped = body.rstrip(" 　。.；;，,")
    spans = groups(stripped)
    if spans and spans[-1][1] == len(stripped):
        inner = stripped[spans[-1][0] + 1: len(stripped) - (stripped[-1] in CLOSE)]
        return inner if UNREAD.search(inner) else None
    return None
