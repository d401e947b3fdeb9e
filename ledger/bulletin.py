"""Pure functions from task states to a 调度通报's content: paces, tallies, lagging tasks, targets."""

from ledger import state
from ledger.views import reached, reason, target_text
from ledger.vocab import DONE, RED, UNREPORTED, YELLOW

# each task is in exactly one pace, so a group's counts add up to its total
PACES = {"done": "已完成", "on_pace": "正常推进", "behind": "落后", "overdue": "逾期", "unreported": "未报送"}


def pace(task):
    """The task's pace key: done, overdue (past due, reported or not), unreported, behind (red or yellow), on_pace."""
    if task["status"] == DONE:
        return "done"
    if task["overdue"]:
        return "overdue"
    if task["light"] == UNREPORTED:
        return "unreported"
    return "behind" if task["light"] in (RED, YELLOW) else "on_pace"


def share(part, whole):
    """part as a percentage of whole, to one decimal (None for an empty whole)."""
    return round(100 * part / whole, 1) if whole else None


def tally(states):
    """How many of the tasks are at each pace, the total and the completion rate (done ÷ total, in percent)."""
    found = dict.fromkeys(PACES, 0)
    for task in states:
        found[pace(task)] += 1
    return {"total": len(states), **found, "completion": share(found["done"], len(states))}


def headline(states):
    """The tally of all tasks with each pace's share of the total."""
    counts = tally(states)
    return {**counts, "shares": {key: share(counts[key], counts["total"]) for key in PACES}}


def by_section(sections, states):
    """One tally per section of the plan, in plan order, with the section's lights."""
    records = []
    for section in sections:
        members = [s for s in states if s["section"] == section["id"]]
        records.append({"section": section["id"], "name": f"{section['numeral']}、{section['title']}",
                        **tally(members), "lights": state.counts(members)})
    return records


def by_unit(unit_records, states):
    """One tally per unit (registry order) over the tasks it leads, with state.unit_states' fields."""
    return [{**record, **tally([s for s in states if record["unit"] in s["lead_units"]])}
            for record in unit_records]


def lagging(states):
    """The tasks behind or overdue: overdue first, then red, then yellow, each by number; with the latest lead
    entry's 存在问题 and 下步计划."""
    rank = {RED: 0, YELLOW: 1}
    found = [s for s in states if pace(s) in ("behind", "overdue")]
    found.sort(key=lambda s: (not s["overdue"], rank.get(s["light"], 2), s["id"]))
    return [{"id": s["id"], "title": s["title"], "lead_units": s["lead_units"], "pace": pace(s),
             "light": s["light"], "percent": s["percent"], "elapsed": s["elapsed"], "due": s["due"],
             "reason": reason(s), "last_report": s["last_report"],
             "problems": (s["latest"] or {}).get("problems"), "next": (s["latest"] or {}).get("next")}
            for s in found]


def target_flag(target, value, share_reached, elapsed):
    """What the bulletin says is wrong with a target's latest actual, or None.

    Amounts are measured against 序时进度; growth rates against the target itself (a rate does not
    accumulate over the year); caps (at_most) are flagged when used faster than 序时进度 or exceeded.
    """
    if share_reached is None:
        return None
    growth = target["kind"] == "growth"
    if target["comparator"] == "at_most":
        if share_reached > 100:
            return f"已超过上限 {target['value']:g}{target['measure']}"
        if not growth and share_reached > elapsed:
            return f"用量快于序时进度 {share_reached - elapsed:.1f} 个百分点"
        return None
    if growth:
        return f"增长 {value:g}%，低于目标 {target['value']:g}%" if share_reached < 100 else None
    return f"落后序时进度 {elapsed - share_reached:.1f} 个百分点" if share_reached < elapsed else None


def targets(tasks, actuals_of, elapsed):
    """(records, total): every numeric target with a reported actual, in task order, and how many targets there are.

    actuals_of(task id) gives target name -> (value, date, unit) from the newest entry reporting it.
    """
    records, total = [], 0
    for task in tasks:
        actuals = actuals_of(task["id"])
        for target in task.get("targets", []):
            total += 1
            if target["name"] not in actuals:
                continue
            value, date, unit = actuals[target["name"]]
            share_reached = reached(target, value)
            records.append({
                "task": task["id"], "name": target["name"], "target": target_text(target), "value": value,
                "measure": target["measure"], "kind": target["kind"], "comparator": target["comparator"],
                "reached": share_reached, "basis": 100.0 if target["kind"] == "growth" else elapsed,
                "date": date, "unit": unit, "flag": target_flag(target, value, share_reached, elapsed)})
    return records, total


def bulletin(ledger, as_of):
    """Everything a 调度通报 says as of a day, as plain data (dicts and lists)."""
    states = state.task_states(ledger, as_of)
    elapsed = states[0]["elapsed"] if states else None
    units = state.unit_states(ledger, states, as_of)
    found, total = targets(ledger.task_list, lambda task_id: state.latest_actuals(ledger, task_id, as_of), elapsed)
    return {
        "title": ledger.plan["title"],
        "as_of": as_of.isoformat(),
        "elapsed": elapsed,
        "headline": headline(states),
        "sections": by_section(ledger.sections, states),
        "units": [record for record in by_unit(units, states) if record["led"]],
        "lagging": lagging(states),
        "stale": [record for record in units if record["stale_tasks"]],
        "targets": found,
        "targets_total": total,
    }
