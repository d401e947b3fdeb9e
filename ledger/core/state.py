"""state(ledger, as_of): where every task and unit stands on a day, from the entries alone. Pure: the day
is given, never read from the clock.

The rules (the README states them in Chinese):
- an entry states only what it gives; a task's status, percent, progress, problem, next step and each
  metric are the latest value given, field by field; `clear` empties a field explicitly;
- entries count in order of date, then journal, then place in the journal, whatever order they were
  written in; entries dated after as_of do not count;
- a correction (corrects: DATE) changes the fields of the entry it corrects, in that entry's place in
  time: a newer entry stays newer. Counted from its own date on;
- a task's state comes from its responsible units: its lead units, or the office for a task naming none;
  metrics come from every unit that reports on the task;
- no percent is not 0%: a task never given a percent has none (未启动 excepted: nothing done is 0%).
"""

import datetime as dt
from collections import defaultdict
from operator import attrgetter
from typing import NamedTuple

from ledger.vocab import CYCLE, DONE, IN_PROGRESS, LIGHT_NAMES, LIGHTS, NOT_STARTED, RED, YELLOW

FOLDED = ("status", "percent", "progress", "problems", "next")  # carried forward field by field
IN_ORDER = attrgetter("date", "file", "line")
BY_DATE = attrgetter("date")


class TaskState(NamedTuple):
    id: int
    section: int
    title: str
    lead_units: tuple
    support_units: tuple
    responsible: tuple  # whose reports set the state: the lead units, or the office
    due: str
    status: object  # None: never reported
    percent: object  # None: never given
    elapsed: float  # 序时进度, in percent, rounded to one place
    gap: object  # points behind 序时进度 (None without a percent)
    light: str
    overdue: bool
    stale: bool  # not reported in the latest reporting cycle that is due
    reported: bool
    last_report: object  # date of the latest report by a responsible unit
    progress: object
    problems: object
    next: object
    actuals: dict  # target name -> (value, date, unit), the latest given by any unit


class UnitState(NamedTuple):
    unit: str
    led: int  # tasks it is responsible for
    supported: int
    done: int
    lagging: int  # red or yellow
    overdue: int
    stale_tasks: tuple
    last_report: object


class State(NamedTuple):
    as_of: dt.date
    elapsed: float
    period: str  # "before", "during" or "after" the plan period
    cycle_start: object  # first day of the latest reporting cycle whose report is due (ISO), or None
    tasks: tuple
    units: tuple


def elapsed_share(as_of, start, end):
    """序时进度: the percentage of the plan period [start, end] elapsed by the end of as_of."""
    total = (end - start).days + 1
    elapsed = min(max((as_of - start).days + 1, 0), total)  # day counts: no date arithmetic past year 1 or 9999
    return 100 * elapsed / total


def cycle_start(as_of, plan_start, plan_end, config):
    """First day of the latest reporting cycle whose report is due before as_of (None before the first)."""
    months = CYCLE[config.cycle].months
    limit = min(as_of, plan_end)
    year, month = limit.year, (limit.month - 1) // months * months + months
    while True:
        if year < max(plan_start.year, 1):
            return None
        due = dt.date(year, month, config.report_day)
        if due < as_of and due <= plan_end:
            return None if due < plan_start else dt.date(year, month - months + 1, 1)
        month -= months
        if month < 1:
            year, month = year - 1, month + 12


class Facts(NamedTuple):
    """What a task's reports say as of a day, before that day's arithmetic (序时进度, lights, overdue)."""

    status: object  # the latest given, None if never
    percent: object
    progress: object
    problems: object
    next: object
    last_report: object  # day of the latest report by a responsible unit
    reported: bool
    actuals: tuple  # ((target name, (value, date, unit)), ...), the latest given by any unit


NO_FACTS = Facts(None, None, None, None, None, None, False, ())


def state(ledger, as_of):
    """The State of every task and unit as of the day as_of (a date)."""
    plan = ledger.plan
    start, end = dt.date.fromisoformat(plan.start), dt.date.fromisoformat(plan.end)
    elapsed = round(elapsed_share(as_of, start, end), 1)
    cycle = cycle_start(as_of, start, end, ledger.config)
    cycle = cycle.isoformat() if cycle else None
    facts, last = known(ledger, as_of.isoformat())
    tasks = tuple(derive(ledger, task, facts.get(task.id, NO_FACTS), as_of, elapsed, cycle)
                  for task in ledger.tasks.values())
    period = "before" if as_of < start else "after" if as_of > end else "during"
    return State(as_of, elapsed, period, cycle, tasks, _unit_states(ledger, tasks, last))


def known(ledger, cutoff):
    """(task id -> Facts, unit -> day of its latest report) up to cutoff: from the index's timelines when
    the ledger has one, else folded from its entries. The two agree (tests/test_index.py)."""
    if ledger.index is not None:
        return ({task: Facts(*row) for task, row in ledger.index.facts(cutoff).items()},
                ledger.index.last_reports(cutoff))
    by_task, last = _entries_by_task(ledger.entries, cutoff)
    return {task.id: facts_of(ledger, task, by_task.get(task.id, ())) for task in ledger.tasks.values()}, last


def _entries_by_task(entries, cutoff):
    """(task id -> its entries as they count, in order; unit -> date of its latest report), up to cutoff.

    A correction takes the place of the entry it corrects (see corrected_entry); one whose entry is not
    there stands at the corrected day itself."""
    by_task, corrections, last = defaultdict(list), [], {}
    for entry in entries:
        if entry.date > cutoff:
            continue
        if entry.corrects:
            corrections.append(entry)
            continue
        by_task[entry.task].append(entry)
        if entry.date > last.get(entry.unit, ""):
            last[entry.unit] = entry.date
    # entries come journal by journal (by name), each in file order: a stable sort by date alone gives
    # date, journal, line; an entry that stands where it was not written needs the whole key
    keys = dict.fromkeys(by_task, BY_DATE)
    fixes_of, orphans = defaultdict(list), defaultdict(list)
    for fix in sorted(corrections, key=IN_ORDER):
        target = corrected_entry(by_task.get(fix.task, ()), fix)
        if target is None:
            orphans[fix.task, fix.file, fix.corrects].append(fix)
        else:
            fixes_of[target].append(fix)
    for task in {entry.task for entry in fixes_of}:
        found = by_task[task]
        found[:] = [corrected(entry, fixes_of[entry]) if entry in fixes_of else entry for entry in found]
    for (task, _, day), fixes in orphans.items():
        by_task[task].append(corrected(fixes[0]._replace(date=day, corrects=None), fixes[1:]))
        keys[task] = IN_ORDER
    for task, found in by_task.items():
        found.sort(key=keys[task])
    return by_task, last


def corrected_entry(entries, fix):
    """The entry a correction corrects, or None: of the entries of its task and day in its journal, the last
    one written before it (the last of the day, when the correction is dated after that day)."""
    same = [entry for entry in entries if entry.file == fix.file and entry.date == fix.corrects and not entry.corrects]
    before = [entry for entry in same if fix.date > entry.date or entry.line < fix.line]
    return max(before or same, key=attrgetter("line"), default=None)


def corrected(entry, fixes):
    """entry as its corrections make it: each field a correction gives replaces the entry's, in order."""
    for fix in fixes:
        changes = {name: getattr(fix, name) for name in (*FOLDED, "reporter") if getattr(fix, name) is not None}
        changes.update(dict.fromkeys(fix.clear))
        changes["actuals"] = tuple({**dict(entry.actuals), **dict(fix.actuals)}.items())
        changes["clear"] = tuple(name for name in entry.clear if name not in changes) + fix.clear
        if fix.resolves:
            changes["resolves"] = fix.resolves
        entry = entry._replace(**changes)
    return entry


def counted_entries(entries, as_of):
    """task id -> its entries as they count on the day as_of (a date): in order, corrections in place."""
    return _entries_by_task(entries, as_of.isoformat())[0]


def facts_of(ledger, task, entries):
    """The task's Facts from its entries as they count (see _entries_by_task), in order."""
    return _forward(NO_FACTS, entries, ledger.responsible(task))


def timeline(ledger, task, entries):
    """[(day, Facts)]: the task's facts as of each day they change, from all its entries (any order,
    corrections among them). Folded forward a day at a time; a day with a correction is folded again from
    the start, since a correction changes an entry already counted."""
    responsible, days = ledger.responsible(task), defaultdict(list)
    for entry in entries:
        days[entry.date].append(entry)
    rows, facts = [], NO_FACTS
    for day in sorted(days):
        todays = sorted(days[day], key=IN_ORDER)
        if any(entry.corrects for entry in todays):
            by_task, _ = _entries_by_task(entries, day)
            found = facts_of(ledger, task, by_task.get(task.id, ()))
        else:
            found = _forward(facts, todays, responsible)
        if found != facts:
            rows.append((day, found))
            facts = found
    return rows


def _forward(facts, todays, responsible):
    """facts with entries counted after everything before, in order: each field the latest value given (or
    cleared) by a responsible unit, each metric the latest value given by any unit. No correction among them."""
    values = dict(zip(FOLDED, facts))
    last, reported, actuals = facts.last_report, facts.reported, dict(facts.actuals)
    for entry in todays:
        if entry.unit in responsible:
            for name in FOLDED:
                value = getattr(entry, name)
                if value is not None or name in entry.clear:
                    values[name] = value
            last, reported = entry.date, True
        for name, value in entry.actuals:
            actuals[name] = (value, entry.date, entry.unit)
    return Facts(*(values[name] for name in FOLDED), last, reported, tuple(sorted(actuals.items())))


def derive(ledger, task, facts, as_of, elapsed, cycle):
    """The TaskState of a task with these facts, as of the day: its status and percent as they count, its
    light, whether it is overdue or stale."""
    responsible = ledger.responsible(task)
    status = facts.status or (IN_PROGRESS if facts.reported else None)
    percent = 100 if status == DONE else facts.percent
    if percent is None and status == NOT_STARTED:
        percent = 0
    overdue = status != DONE and as_of.isoformat() > task.due
    found = TaskState(
        task.id, task.section, task.title, task.lead_units, task.support_units, responsible, task.due, status,
        percent, elapsed, None if percent is None else round(elapsed - percent, 1), "", overdue,
        bool(cycle and responsible and status != DONE and (facts.last_report or "") < cycle), facts.reported,
        facts.last_report, facts.progress, facts.problems, facts.next,
        {name: tuple(value) for name, value in facts.actuals})
    return found._replace(light=next(light.name for light in LIGHTS if light.applies(found, ledger.config)))


def _unit_states(ledger, tasks, last):
    counted = {unit.name: [0, 0, 0, 0, 0, []] for unit in ledger.units}  # led, supported, done, lagging, overdue, stale
    for task in tasks:
        for name in task.responsible:
            if name in counted:
                tally = counted[name]
                tally[0] += 1
                tally[2] += task.status == DONE
                tally[3] += task.light in (RED, YELLOW)
                tally[4] += task.overdue
                if task.stale:
                    tally[5].append(task.id)
        for name in task.support_units:
            if name in counted:
                counted[name][1] += 1
    return tuple(UnitState(name, *tally[:5], tuple(tally[5]), last.get(name)) for name, tally in counted.items())


def counts(tasks):
    """How many of the tasks have each light, in LIGHT_NAMES order."""
    found = dict.fromkeys(LIGHT_NAMES, 0)
    for task in tasks:
        found[task.light] += 1
    return found
