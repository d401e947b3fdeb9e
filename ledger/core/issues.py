"""问题清单: the problems units raise in their entries, followed from 发现 to 反馈 — a pure fold of the entries
and the office's actions (data/problems.yaml) up to a day. The README's “问题清单怎样计算” states the rules in Chinese:

- an entry that gives a `problems` text raises a problem, unless a problem of the same task with the same
  text (surrounding spaces aside) is still open (待协调 or 协调中): then it only repeats it;
- a problem's id is P<task>-<month><day> of the entry that raised it (-2, -3 … for the second and third
  raised on one task and day): entries added, backfilled or merged on other days never change it;
- a correction changes the entry it corrects in place: a corrected text is the same problem, same id;
- `resolves: [id, …]` in an entry, or `clear: [problems]` (the unit's own open problems of the task), say a
  problem is 已解决; the office assigns it (协调中), closes it (已反馈) or reopens it;
- entries and actions count in order of date, entries first on one day; a step that does not fit the
  problem's state, or names no problem, does not count and is said as a Problem with its file and line.
"""

import datetime as dt
from collections import defaultdict
from pathlib import PurePosixPath
from typing import NamedTuple

from ledger.core.rules import problem_task
from ledger.core.state import corrected_entry, counted_entries
from ledger.files.store import ACTIONS
from ledger.vocab import CLOSED, COORDINATING, ERROR, OPEN_STATES, PENDING, SOLVED, STEP, WARNING, Problem

EVERYTHING = dt.date(9999, 12, 31)
NEW_LINE = 10 ** 9  # the line of an entry or action not yet written: after every line of its file


class Event(NamedTuple):
    """One step in a problem's life, as the listing and `show` tell it."""

    date: str
    step: str  # a vocab.STEPS key
    unit: object  # the unit whose entry it is; for the office's assign, the coordinating unit; else None
    note: object  # the entry's progress, or the office's note
    due: object  # assign: the day it is to be settled by
    file: str
    line: int


class Issue(NamedTuple):
    """One problem on the list, as of a day."""

    id: str
    task: int
    text: str
    unit: str  # the unit that raised it
    raised: str
    state: str  # a vocab.ISSUE_STATES name
    coordinator: object  # the unit the office assigned it to, or None
    due: object
    solved: object  # the day it was last solved or closed; None while open
    events: tuple  # of Event, in order
    file: str  # where it was raised
    line: int


def takes_step(entry):
    """Whether an entry raises, resolves or clears a problem (load.Entries.tasks_with_steps says it in SQL)."""
    return bool(entry.problems or entry.resolves or "problems" in entry.clear)


def register(ledger, as_of=None, tasks=None, new=None):
    """(issues, problems): every problem raised up to as_of (a date; None: all), by task and id, and what is
    wrong with the steps that name one. tasks limits the fold to those tasks. new: an entry or action not
    yet written (its line NEW_LINE), counted with the others, so that its problems can be told before it is."""
    actions, named = ledger.actions, ledger.entries.tasks_with_steps()
    if hasattr(new, "action"):
        actions += (new,)
    elif new is not None and takes_step(new):
        named.add(new.task)
    cutoff = (as_of or EVERYTHING).isoformat()
    by_task = defaultdict(list)
    for action in actions:
        if action.date <= cutoff:
            by_task[problem_task(action.problem)].append(action)
    wanted = named | set(by_task)
    wanted &= set(ledger.tasks) if tasks is None else set(tasks) & set(ledger.tasks)
    entries = ledger.entries.steps_of(wanted)
    if new is not None and not hasattr(new, "action"):  # at the end of its journal: entries come journal by journal
        at = next((n for n, e in enumerate(entries) if e.file > new.file), len(entries))
        entries = entries[:at] + (new,) + entries[at:]
    counted = counted_entries([e for e in entries if e.task in wanted], as_of or EVERYTHING)
    issues, problems = [], []
    for task in sorted(wanted):
        steps = [e for e in counted.get(task, ()) if takes_step(e)]
        found, said = _fold(task, steps, by_task[task])
        issues += found
        problems += said
    return tuple(issues), problems


def _fold(task, entries, actions):
    """(issues, problems) of one task: its entries as they count and the office's actions, in date order."""
    steps = sorted([(e.date, 0, n, e) for n, e in enumerate(entries)] + [(a.date, 1, a.line, a) for a in actions],
                   key=lambda step: step[:3])
    issues, late, said = {}, [], []
    texts, days = defaultdict(list), defaultdict(int)  # text -> ids raised with it; P25-0821 -> how many that day
    for _, office, _, item in steps:
        if office:
            _act(issues, item, late, said)
        else:
            _report(task, issues, item, late, said, texts, days)
    for number, item, office in late:
        problem = issues.get(number)
        message = (f"问题 {number} 在 {problem['raised']} 才提出，{item.date} 的{'办理' if office else '进展'}不能指向它"
                   if problem else f"没有问题 {number}；{known(task, issues)}")
        said.append(Problem(ACTIONS, item.lines.get("problem", item.line), message, "problem") if office
                    else Problem(item.file, item.line, message, "resolves"))
    return [Issue(**{**problem, "events": tuple(problem["events"])}) for problem in issues.values()], said


def known(task, issues):
    """第 25 项任务的问题：P25-0418、P25-0821 — or that it has none."""
    return f"第 {task} 项任务的问题：{'、'.join(issues)}" if issues else f"第 {task} 项任务没有报过问题"


def _report(task, issues, entry, late, said, texts, days):
    """One entry's steps: the problems it resolves, then those its clear resolves, then the one it raises."""
    for number in entry.resolves:
        problem = issues.get(number)
        if problem is None:
            late.append((number, entry, False))
        elif problem["state"] not in OPEN_STATES:
            said.append(Problem(entry.file, entry.line, f"问题 {number} 已经是“{problem['state']}”（{problem['solved']}），"
                                                        "报已解决不起作用", "resolves", WARNING))
        else:
            _step(problem, "resolve", entry.date, entry.unit, entry.progress, None, entry)
    if "problems" in entry.clear:
        for problem in issues.values():
            if problem["unit"] == entry.unit and problem["state"] in OPEN_STATES:
                _step(problem, "resolve", entry.date, entry.unit, entry.progress, None, entry)
    if entry.problems:
        text = entry.problems.strip()
        same = next((issues[n] for n in texts[text] if issues[n]["state"] in OPEN_STATES), None)
        if same:
            _step(same, "repeat", entry.date, entry.unit, entry.progress, None, entry)
            return
        number = f"P{task}-{entry.date[5:7]}{entry.date[8:10]}"
        days[number] += 1
        number += f"-{days[number]}" if days[number] > 1 else ""
        texts[text].append(number)
        issues[number] = {"id": number, "task": task, "text": text, "unit": entry.unit, "raised": entry.date,
                          "state": PENDING, "coordinator": None, "due": None, "solved": None, "events": [],
                          "file": entry.file, "line": entry.line}
        _step(issues[number], "raise", entry.date, entry.unit, entry.progress, None, entry)


REFUSED = {"assign": "已经销号，不能再交办；要继续协调，请先重新打开（--reopen）",
           "close": "已经销号，不用再销号",
           "reopen": "还没有解决，也没有销号，不用重新打开"}


def _act(issues, action, late, said):
    problem = issues.get(action.problem)
    if problem is None:
        late.append((action.problem, action, True))
        return
    if problem["state"] not in STEP[action.action].allowed:
        said.append(Problem(ACTIONS, action.lines.get("action", action.line),
                            f"问题 {action.problem} 现在是“{problem['state']}”：{REFUSED[action.action]}", "action"))
        return
    _step(problem, action.action, action.date, action.unit, action.note, action.due, action)


def _step(problem, key, day, unit, note, due, item):
    """Takes one step (vocab.STEPS) on a problem being folded."""
    target = STEP[key].to
    if target is None:  # reopened: back to its coordinating unit, if it ever had one
        target = COORDINATING if problem["coordinator"] else PENDING
    if key == "assign":
        problem["coordinator"], problem["due"] = unit, due
    if target:
        problem["solved"] = problem["solved"] or day if target in (SOLVED, CLOSED) else None
        problem["state"] = target
    problem["events"].append(Event(day, key, unit, note, due, getattr(item, "file", ACTIONS), item.line))


def judge_new(ledger, task, new):
    """The Problems that adding new (an entry or action of the task, its line NEW_LINE) would bring: its own,
    and those it would bring to what is already written — a problem it would renumber or take the place of
    (the office's actions name problems by id), a step it would no longer let stand."""
    before_issues, before = register(ledger, None, [task])
    after_issues, after = register(ledger, None, [task], new)
    found = [p for p in after if p.line == NEW_LINE]
    field = "action" if hasattr(new, "action") else "problems"  # what the user gave that does it
    raised = {issue.id: (issue.file, issue.line) for issue in after_issues}
    found += [Problem("", 0, f"这样写会改变已有问题的编号：{issue.id}“{issue.text}”将指向别的问题或不再存在"
                             "（办公室的办理按编号记）；请写实际的日期", field)
              for issue in before_issues if raised.get(issue.id) != (issue.file, issue.line)]
    found += [Problem("", 0, f"这样写会让 {p.file} 第 {p.line} 行不再成立（{p.message}）；请写实际的日期", field)
              for p in set(after) - set(before) if p.line != NEW_LINE and p.severity == ERROR]
    return found


def checks(ledger, tasks=None):
    """The Problems of the steps that name problems, with every entry and action counted (tasks: only those
    tasks, whose units' journals were all read). Only tasks some step names can have one."""
    named = {problem_task(a.problem) for a in ledger.actions} | {
        problem_task(number) for e in ledger.entries.resolving() for number in e.resolves}
    if not named:
        return []
    found = register(ledger, None, named if tasks is None else named & set(tasks))[1]
    return [p._replace(message=p.message + "（resolves 的这一项不计入，这条进展的其余内容照常计入）")
            if p.field == "resolves" and p.severity == ERROR else p for p in found]


def context_units(ledger):
    """The units whose journals were not read but must be, to judge the problems the entries read resolve."""
    named = {problem_task(number) for e in ledger.entries.resolving() for number in e.resolves}
    read = {PurePosixPath(path).stem for path in ledger.journals}
    return ledger.units_of(named & set(ledger.tasks)) - read


# --- what the commands ask ------------------------------------------------------------------------------

def overdue(issue, as_of):
    """Whether an open problem is past the day it was to be settled by."""
    return issue.state in OPEN_STATES and issue.due is not None and as_of.isoformat() > issue.due


def days_open(issue, as_of):
    """Days from raising to solving, or to as_of while it is open."""
    end = dt.date.fromisoformat(issue.solved) if issue.solved else as_of
    return (end - dt.date.fromisoformat(issue.raised)).days


def record(issue, as_of, titles, steps=True):
    """One problem as a flat record for listings, exports and json: every column of `ledger problems`, and
    every step it took (steps: whether to give them)."""
    last = issue.events[-1]
    found = {"id": issue.id, "task": issue.task, "title": titles.get(issue.task), "text": issue.text,
             "unit": issue.unit, "coordinator": issue.coordinator, "state": issue.state, "raised": issue.raised,
             "days": days_open(issue, as_of), "due": issue.due, "overdue": overdue(issue, as_of),
             "solved": issue.solved, "last_date": last.date, "last_step": STEP[last.step].name, "last_note": last.note}
    if steps:
        found["events"] = [event._asdict() for event in issue.events]
    return found


def select(issues, as_of, open_only=False, unit=None, task=None):
    """The problems a listing shows: still open, if asked; of a unit (raising or coordinating); of a task."""
    return [issue for issue in issues
            if (not open_only or issue.state in OPEN_STATES) and (not unit or unit in (issue.unit, issue.coordinator))
            and (task is None or issue.task == task)]


def summary(ledger, as_of, start):
    """The bulletin's 问题清单 as plain values: the new and solved problems of the period from start (ISO) to
    as_of, the open ones, the overdue ones, and the same counted by coordinating unit."""
    issues, _ = register(ledger, as_of)
    titles = {task.id: task.title for task in ledger.tasks.values()}
    new = [i for i in issues if i.raised >= start]
    solved = [i for i in issues if i.solved and i.solved >= start]
    still = [i for i in issues if i.state in OPEN_STATES]
    names = sorted({i.coordinator or "" for i in new + solved + still}, key=lambda name: (not name, name))
    by_unit = []
    for name in names:
        mine = [[i for i in found if (i.coordinator or "") == name] for found in (new, solved, still)]
        by_unit.append({"coordinator": name or None, "new": len(mine[0]), "solved": len(mine[1]), "open": len(mine[2]),
                        "overdue": sum(1 for i in mine[2] if overdue(i, as_of))})
    return {"start": start, "new": len(new), "solved": len(solved), "open": len(still),
            "overdue": sum(1 for i in still if overdue(i, as_of)), "by_unit": by_unit,
            "list": [record(i, as_of, titles, steps=False)
                     for i in sorted(still, key=lambda i: (not overdue(i, as_of), i.raised))]}


def outcome(ledger, entry_file, entry_line, as_of):
    """What one entry did to the problem list: (step key, issue) for each step it took, in order. A correction
    takes the steps of the entry it corrects, as corrected: a problem it raises is that entry's, "correct"."""
    entry = next((e for e in ledger.entries.at(entry_file) if e.line == entry_line), None)
    fixed = entry and entry.corrects and corrected_entry(ledger.entries.of_tasks([entry.task]), entry)
    if fixed and not takes_step(entry):
        return []  # a correction of other fields: the problems of the entry it corrects stay as they were
    line = fixed.line if fixed else entry_line
    issues, _ = register(ledger, as_of, [entry.task] if entry else None)
    return [("correct" if fixed and event.step == "raise" else event.step, issue) for issue in issues
            for event in issue.events if (event.file, event.line) == (entry_file, line)]
