"""A 调度通报's content as plain values, from one State: paces, tallies, lagging tasks, late units, targets."""

import datetime as dt

from ledger.core.issues import summary
from ledger.core.queries import reached, reason, reported_between, stale_units
from ledger.core.state import counts
from ledger.vocab import CYCLE, PACE_ORDER, PACES, RED, YELLOW, target_text


def pace(task):
    """The task's pace key (vocab.PACES): each task is at exactly one."""
    return next(p.key for p in PACES if p.applies(task))


def share(part, whole):
    """part as a percentage of whole, to one decimal (None for an empty whole)."""
    return round(100 * part / whole, 1) if whole else None


def tally(tasks):
    """How many of the tasks are at each pace, the total and the completion rate (done ÷ total, in percent)."""
    found = dict.fromkeys(PACE_ORDER, 0)
    for task in tasks:
        found[pace(task)] += 1
    return {"total": len(tasks), **found, "completion": share(found["done"], len(tasks))}


def headline(tasks):
    """The tally of all tasks with each pace's share of the total."""
    found = tally(tasks)
    return {**found, "shares": {key: share(found[key], found["total"]) for key in PACE_ORDER}}


def by_section(sections, tasks):
    """One tally per section of the plan, in plan order, with the section's lights."""
    records = []
    for section in sections:
        members = [s for s in tasks if s.section == section.id]
        records.append({"section": section.id, "name": f"{section.numeral}、{section.title}", **tally(members),
                        "lights": counts(members)})
    return records


def by_unit(units, tasks):
    """One tally per unit (registry order) over the tasks it is responsible for, with its unit state."""
    return [{**unit._asdict(), **tally([s for s in tasks if unit.unit in s.responsible])} for unit in units]


def lagging(tasks):
    """The tasks behind or overdue: overdue first, then red, then yellow, each by number; with the task's
    存在问题 and 下步计划 as its responsible units last gave them."""
    rank = {RED: 0, YELLOW: 1}
    found = sorted((s for s in tasks if pace(s) in ("behind", "overdue")),
                   key=lambda s: (not s.overdue, rank.get(s.light, 2), s.id))
    return [{"id": s.id, "title": s.title, "lead_units": list(s.responsible), "pace": pace(s), "light": s.light,
             "percent": s.percent, "elapsed": s.elapsed, "due": s.due, "reason": reason(s),
             "last_report": s.last_report, "problems": s.problems, "next": s.next} for s in found]


def target_flag(target, value, share_reached, elapsed):
    """What the bulletin says is wrong with a target's latest actual, or None.

    Amounts are measured against 序时进度; growth rates against the target itself (a rate does not
    accumulate over the year); caps (at_most) are flagged when used faster than 序时进度 or exceeded.
    """
    if share_reached is None:
        return None
    growth = target.kind == "growth"
    if target.comparator == "at_most":
        if share_reached > 100:
            return f"已超过上限 {target.value:g}{target.measure}"
        if not growth and share_reached > elapsed:
            return f"用量快于序时进度 {share_reached - elapsed:.1f} 个百分点"
        return None
    if growth:
        return f"增长 {value:g}%，低于目标 {target.value:g}%" if share_reached < 100 else None
    return f"落后序时进度 {elapsed - share_reached:.1f} 个百分点" if share_reached < elapsed else None


def targets(ledger, tasks, elapsed):
    """(records, total): every numeric target with a reported actual, in task order, and how many there are."""
    records, total = [], 0
    for s in tasks:
        for target in ledger.tasks[s.id].targets:
            total += 1
            if target.name not in s.actuals:
                continue
            value, date, unit = s.actuals[target.name]
            share_reached = reached(target, value)
            records.append({
                "task": s.id, "name": target.name, "target": target_text(target), "value": value,
                "measure": target.measure, "kind": target.kind, "comparator": target.comparator,
                "reached": share_reached, "basis": 100.0 if target.kind == "growth" else elapsed,
                "date": date, "unit": unit, "flag": target_flag(target, value, share_reached, elapsed)})
    return records, total


def period_start(as_of, config):
    """The first day of the reporting cycle (config.cycle) the day as_of falls in: where 本期 begins."""
    months = CYCLE[config.cycle].months
    return dt.date(as_of.year, (as_of.month - 1) // months * months + 1, 1)


def new_reports(ledger, since, as_of):
    """The entries dated from since to as_of (ISO dates), in date order, each with its task's title."""
    return [{"date": e.date, "unit": e.unit, "task": e.task, "title": ledger.tasks[e.task].title, "status": e.status,
             "percent": e.percent, "progress": e.progress, "corrects": e.corrects}
            for e in reported_between(ledger, since, as_of) if e.task in ledger.tasks]


def bulletin(ledger, state, since=None):
    """Everything a 调度通报 says as of the state's day, as plain data (dicts and lists); 本期新报送 are the
    entries dated from since (default: the first day of the day's reporting cycle) to that day."""
    found, total = targets(ledger, state.tasks, state.elapsed)
    since = since or period_start(state.as_of, ledger.config).isoformat()
    return {
        "title": ledger.plan.title,
        "as_of": state.as_of.isoformat(),
        "elapsed": state.elapsed,
        "period": state.period,
        "plan_start": ledger.plan.start,
        "plan_end": ledger.plan.end,
        "headline": headline(state.tasks),
        "sections": by_section(ledger.sections, state.tasks),
        "units": [record for record in by_unit(state.units, state.tasks) if record["led"]],
        "lagging": lagging(state.tasks),
        "stale": [{**unit._asdict(), "stale_tasks": list(unit.stale_tasks)} for unit in stale_units(state)],
        "targets": found,
        "targets_total": total,
        "since": since,
        "new": new_reports(ledger, since, state.as_of.isoformat()),
        "issues": summary(ledger, state.as_of, since),
    }
