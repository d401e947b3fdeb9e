"""The three-way merge of a re-imported plan: the document's new task list, the office's hand edits kept.

Hand edits are found by a three-way comparison. data/source/tasks.imported.yaml keeps what the last
import made of the document; data/tasks.yaml is what the office has now. For each plan field, section
and task field: unchanged by hand -> the document's new value; changed by hand while the document
kept it -> the hand edit stays; changed on both sides in different ways -> a conflict, and nothing is
written unless --keep-edits or --take-document says which side wins.
"""

from typing import NamedTuple

from ledger.files import store
from ledger.files.records import Target
from ledger.vocab import target_text

BASE = f"{store.DATA}/source/tasks.imported.yaml"
PLAN_FIELDS = {"title": "标题", "issuer": "发文机关", "number": "文号", "date": "成文日期", "start": "计划期开始",
               "end": "计划期结束", "source": "来源文件"}
TASK_FIELDS = {"section": "所属部分", "title": "任务名称", "text": "原文", "lead_units": "牵头单位",
               "support_units": "参与单位", "targets": "指标", "coordination": "统筹类", "due": "完成时限"}
MISSING = object()  # not in that version of the task list
UNKNOWN = object()  # no record of the last import: equal to nothing, so every difference is a conflict
KEEP, DOCUMENT = "keep", "document"


class Change(NamedTuple):
    where: str        # 第 97 项, 第 3 部分, 计划
    field: str        # the Chinese name of the field, "" for a whole task or section
    base: object
    current: object
    new: object
    task: int = 0     # the task's id, 0 for the plan and sections


class Merge(NamedTuple):
    plan: dict
    sections: list
    tasks: list
    kept: list        # hand edits carried over
    updated: list     # the document's changes taken
    conflicts: list   # changed on both sides


def task_list(plan, sections, tasks):
    """A task list in one plain shape for comparing: plan fields, sections by id, tasks by id with every field."""
    return {
        "plan": {key: plan[key] for key in PLAN_FIELDS if plan.get(key)},
        "sections": {s["id"]: {"numeral": s["numeral"], "title": s["title"]} for s in sections},
        "tasks": {t["id"]: {"section": t["section"], "title": t["title"], "text": t["text"],
                            "lead_units": list(t["lead_units"]), "support_units": list(t.get("support_units", [])),
                            "targets": [dict(target) for target in t.get("targets", [])],
                            "coordination": bool(t.get("coordination", False)), "due": t["due"]}
                  for t in tasks},
    }


def three_way(base, current, new, resolve=None):
    """The merged task list: the document's changes taken, hand edits kept, conflicts listed (or resolved)."""
    if current is None:
        return Merge(new["plan"], _listed(new["sections"]), _listed(new["tasks"]), [], [], [])
    kept, updated, conflicts = [], [], []

    def pick(where, field, b, c, n, task=0):
        if c == n:
            return c
        change = Change(where, field, b, c, n, task)
        if c == b:
            updated.append(change)
            return n
        if n == b:
            kept.append(change)
            return c
        conflicts.append(change)
        return n if resolve == DOCUMENT else c

    def values(kind, key):
        return [UNKNOWN if part is None else part[kind].get(key, MISSING) for part in (base, current, new)]

    plan = {}
    for key, name in PLAN_FIELDS.items():
        value = pick("计划", name, *values("plan", key))
        if value is not MISSING:
            plan[key] = value
    sections = {}
    known = base or {"sections": {}, "tasks": {}}
    for number in sorted(set(known["sections"]) | set(current["sections"]) | set(new["sections"])):
        value = pick(f"第 {number} 部分", "", *values("sections", number))
        if value is not MISSING:
            sections[number] = value
    tasks = {}
    for number in sorted(set(known["tasks"]) | set(current["tasks"]) | set(new["tasks"])):
        b, c, n = values("tasks", number)
        where = f"第 {number} 项"
        if c is MISSING or n is MISSING:  # added or removed on one side: the task as a whole
            value = pick(where, "", b, c, n, number)
            if value is not MISSING:
                tasks[number] = value
            continue
        tasks[number] = {key: pick(where, name, b if b in (MISSING, UNKNOWN) else b[key], c[key], n[key], number)
                         for key, name in TASK_FIELDS.items()}
    return Merge(plan, _listed(sections), _listed(tasks), kept, updated, conflicts)


def _listed(by_id):
    return [{"id": number, **fields} for number, fields in sorted(by_id.items())]


def named_units(tasks):
    return list(dict.fromkeys(name for task in tasks for name in task["lead_units"] + task["support_units"]))


def describe(value):
    """A short Chinese rendering of a field's value for messages: “…”, cut at 40 characters."""
    if value is MISSING or value is UNKNOWN:
        return "（没有）"
    if isinstance(value, dict) and "text" in value:
        value = value["title"]
    elif isinstance(value, dict):
        value = f"{value.get('numeral', '')}、{value.get('title', '')}"
    if isinstance(value, list):
        value = "、".join(f"{t['name']}{target_text(Target(**t))}" if isinstance(t, dict) else str(t)
                         for t in value) or "（空）"
    if isinstance(value, bool):
        value = "是" if value else "否"
    value = str(value)
    return f"“{value[:40]}…”" if len(value) > 40 else f"“{value}”"


def conflict_message(conflicts):
    lines = [f"有 {len(conflicts)} 处冲突：清单里人工改过，文档里也改了，没有写入任何文件。"]
    for change in conflicts:
        what = f"{change.where}{' ' + change.field if change.field else ''}"
        lines.append(f"  {what}：上次导入 {describe(change.base)}；清单现在 {describe(change.current)}；"
                     f"新文档 {describe(change.new)}")
    lines.append("请把 data/tasks.yaml 里这些字段改成想要的值后重新导入，或者加 --keep-edits（保留清单里的值）"
                 "或 --take-document（采用新文档的值）。")
    return "\n".join(lines)
