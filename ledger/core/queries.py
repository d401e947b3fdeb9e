"""Questions the commands ask of a ledger and its state, answered as values: which tasks a listing shows,
a task's card, who is behind, who did not report. A web page would ask the same functions."""

import re
from typing import NamedTuple

from ledger.core.issues import known, register
from ledger.core.issues import record as issue_record
from ledger.core.load import with_journals
from ledger.core.rules import problem_task, ranges
from ledger.core.state import IN_ORDER, corrected_entry
from ledger.vocab import (BLOCKED, LIGHT_NAMES, OVERDUE, PROBLEM_ID, PROBLEM_ID_HELP, RED, YELLOW, LedgerError,
                          target_text)


def tasks_of(ledger, unit):
    """The ids of the tasks a unit is responsible for or supports."""
    return [task.id for task in ledger.tasks.values() if unit in ledger.responsible(task) or unit in task.support_units]


def given(entry):
    """推进中 40%, 40%, 受阻 or 进展: what an entry (a mapping) says of its task's state, in a few words."""
    parts = [entry.get("status"), f"{entry['percent']:g}%" if "percent" in entry else None]
    return " ".join(part for part in parts if part) or "进展"


def resolve_section(ledger, text):
    """The id of the section named by its number or numeral (3 or 三); a usage error naming the choices."""
    for section in ledger.sections:
        if text in (str(section.id), section.numeral):
            return section.id
    choices = "、".join(f"{s.id}（{s.numeral}）" for s in ledger.sections)
    raise LedgerError(f"没有第“{text}”部分；可用：{choices}", usage=True)


def select(state, unit=None, section=None, lights=(), ids=None):
    """The task states a status listing shows: of the unit (responsible or supporting), section, any of the
    lights (逾期 for overdue tasks) and ids given."""
    return tuple(s for s in state.tasks
                 if (not unit or unit in s.responsible or unit in s.support_units)
                 and (section is None or s.section == section)
                 and (not lights or s.light in lights or (OVERDUE in lights and s.overdue))
                 and (ids is None or s.id in ids))


def check_lights(values, option="--light"):
    """The light names (and 逾期) the values give, each value one name or several joined by , or 、;
    a usage error for a name that is none."""
    names = [name for value in values for name in re.split(r"[,，、\s]+", value.strip()) if name]
    wrong = [name for name in names if name not in (*LIGHT_NAMES, OVERDUE)]
    if wrong:
        raise LedgerError(f"未知的灯“{'、'.join(wrong)}”；{option} 可写 {'、'.join((*LIGHT_NAMES, OVERDUE))}，"
                          f"可写多个（{option} 红 {option} 黄，或 {option} 红,黄）", usage=True)
    return tuple(dict.fromkeys(names))


def reported_between(ledger, since, as_of):
    """The entries dated from since to as_of (ISO dates), in date order: what was reported in that time."""
    return sorted(ledger.entries.between(since, as_of), key=IN_ORDER)


def reached(target, value):
    """The share of a target reached, in percent (for 'at most' targets: the share of the cap used)."""
    return None if value is None or not target.value else round(100 * value / target.value, 1)


def reason(task):
    """Why a task is behind, in words: overdue, or how many points behind 序时进度 (and blocked)."""
    if task.overdue:
        return f"已逾期（完成时限 {task.due}）"
    if task.gap is None:
        return "受阻，进度未填" if task.status == BLOCKED else "进度未填"
    behind = f"落后序时进度 {task.gap:.1f} 个百分点"
    return f"受阻，{behind}" if task.status == BLOCKED else behind


class Card(NamedTuple):
    task: object  # records.Task
    section: object  # records.Section, or None
    state: object  # state.TaskState
    targets: list  # one dict per numeric target, with its latest actual
    entries: list  # one dict per entry up to the day, in date order, corrections marked
    issues: list = []  # one record (issues.record) per problem raised on the task up to the day, with its steps


def task_card(ledger, state, task_id):
    """Everything `show` tells of one task as of the state's day."""
    task = ledger.tasks[task_id]
    current = next(s for s in state.tasks if s.id == task_id)
    targets = []
    for number, target in enumerate(task.targets, 1):
        value, date, unit = current.actuals.get(target.name, (None, None, None))
        targets.append({"number": number, "name": target.name, "target": target_text(target), "value": target.value,
                        "measure": target.measure, "comparator": target.comparator, "kind": target.kind,
                        "actual": value, "reached": reached(target, value), "date": date, "unit": unit})
    cutoff = state.as_of.isoformat()
    entries = sorted((e for e in ledger.entries.of_tasks([task_id]) if e.date <= cutoff), key=IN_ORDER)
    fixed = {}
    for entry in entries:
        if entry.corrects:
            fixed.setdefault(corrected_entry(entries, entry), []).append(entry.date)
    records = []
    for entry in entries:
        record = {name: getattr(entry, name) for name in ("date", "unit", "status", "percent", "progress", "problems",
                                                         "next", "reporter", "corrects")}
        record["actuals"] = dict(entry.actuals)
        record["clear"] = list(entry.clear)
        record["resolves"] = list(entry.resolves)
        record["corrected_by"] = fixed.get(entry, [])
        records.append(record)
    section = next((s for s in ledger.sections if s.id == task.section), None)
    raised = register(ledger, state.as_of, [task_id])[0]
    return Card(task, section, current, targets, records, [issue_record(i, state.as_of, {task.id: task.title}) for i in raised])


def lagging(ledger, state):
    """The red and yellow tasks, one row per responsible unit (registry order): the task state and why."""
    return [(unit.name, s, reason(s)) for unit in ledger.units for s in state.tasks
            if unit.name in s.responsible and s.light in (RED, YELLOW)]


def stale_units(state):
    """The units with tasks not reported in the latest reporting cycle that is due."""
    return [unit for unit in state.units if unit.stale_tasks]


def problem(ledger, number, as_of=None):
    """(the ledger with the journals that may raise the problem read, the problem as of as_of); a usage error
    naming the task's problems when there is no such problem."""
    if not re.fullmatch(PROBLEM_ID, number):
        raise LedgerError(f"问题编号“{number}”格式不对：{PROBLEM_ID_HELP}；全部问题见 ledger problems", usage=True)
    task = problem_task(number)
    if task not in ledger.tasks:
        raise LedgerError(f"问题编号 {number} 里的任务序号 {task} 不存在；任务序号为 {ranges(ledger.tasks)}", usage=True)
    ledger = with_journals(ledger, ledger.units_of([task]), None)
    found = {issue.id: issue for issue in register(ledger, as_of, [task])[0]}
    if number not in found:
        raise LedgerError(f"没有问题 {number}；{known(task, found)}", usage=True)
    return ledger, found[number]
