"""Pure functions from ledger data to where each task stands: 序时进度, lights, overdue, stale reports."""

import datetime as dt
from collections import defaultdict

from ledger.vocab import BLOCKED, DONE, GREEN, RED, UNREPORTED, YELLOW


def elapsed_share(as_of, start, end):
    """序时进度: the percentage of the plan period [start, end] elapsed by the end of as_of."""
    total = (end - start).days + 1
    elapsed = (min(max(as_of, start - dt.timedelta(days=1)), end) - start).days + 1
    return 100 * elapsed / total


def light(status, percent, elapsed, due, as_of, config):
    """The task's light: done -> green; past due -> red; else by how far percent trails elapsed."""
    if status is None:
        return UNREPORTED
    if status == DONE:
        return GREEN
    if as_of > due:
        return RED
    gap = elapsed - (percent or 0)
    if gap > config["red_gap"]:
        return RED
    if gap > config["yellow_gap"] or status == BLOCKED:
        return YELLOW
    return GREEN


def cycle_start(as_of, plan_start, plan_end, config):
    """First day of the latest reporting cycle whose report is due before as_of (None before the first)."""
    months = 3 if config["cycle"] == "quarterly" else 1
    limit = min(as_of, plan_end + dt.timedelta(days=1))
    year, month = limit.year, limit.month
    if months == 3:
        month = (month - 1) // 3 * 3 + 3
    while True:
        due = dt.date(year, month, config["report_day"])
        if due < limit:
            return None if due < plan_start else dt.date(year, month - months + 1, 1)
        month -= months
        if month < 1:
            year, month = year - 1, month + 12


def facts(ledger, as_of, today=None):
    """One pass over the journals, folded as of as_of: for each task its lead units' latest entry, latest
    percent and the latest actual of each target; for each unit its latest report. Entries of the same
    date count in journal order, the later one last."""
    key = ("facts", as_of)
    if key not in ledger.memo:
        from ledger.check import entries  # noqa: PLC0415

        cutoff, latest, percent, actuals, last = as_of.isoformat(), {}, {}, defaultdict(dict), {}
        leads = {number: task["lead_units"] for number, task in ledger.tasks.items()}
        for entry in entries(ledger, today or dt.date.today().isoformat()):
            date, number, unit = entry["date"], entry["task"], entry["unit"]
            if date > cutoff:
                continue
            if date >= last.get(unit, ""):
                last[unit] = date
            for name, value in entry.get("actuals", {}).items():
                if date >= actuals[number].get(name, (None, ""))[1]:
                    actuals[number][name] = (value, date, unit)
            if unit in leads[number]:
                if date >= latest.get(number, {"date": ""})["date"]:
                    latest[number] = entry
                if entry.get("percent") is not None and date >= percent.get(number, (None, ""))[1]:
                    percent[number] = (entry["percent"], date)
        ledger.memo[key] = {"latest": latest, "percent": percent, "actuals": actuals, "last_report": last}
    return ledger.memo[key]


def task_states(ledger, as_of):
    """One record per task: status, percent, 序时进度, light, overdue, stale, latest report (as of as_of)."""
    plan = ledger.plan
    start, end = dt.date.fromisoformat(plan["start"]), dt.date.fromisoformat(plan["end"])
    elapsed = elapsed_share(as_of, start, end)
    cycle = cycle_start(as_of, start, end, ledger.config)
    cycle = cycle.isoformat() if cycle else None
    known = facts(ledger, as_of)
    states = []
    for task in ledger.tasks.values():
        leads = task["lead_units"]
        latest = known["latest"].get(task["id"])
        status = latest["status"] if latest else None
        percent = 100 if status == DONE else known["percent"].get(task["id"], (None,))[0]
        due = dt.date.fromisoformat(task["due"])
        last_report = latest["date"] if latest else None
        states.append({
            "id": task["id"],
            "section": task["section"],
            "title": task["title"],
            "lead_units": leads,
            "support_units": task.get("support_units", []),
            "due": task["due"],
            "status": status,
            "percent": percent,
            "elapsed": round(elapsed, 1),
            "light": light(status, percent, elapsed, due, as_of, ledger.config),
            "overdue": status != DONE and as_of > due,
            "stale": bool(cycle and leads and status != DONE and (last_report or "") < cycle),
            "last_report": last_report,
            "latest": latest,
        })
    return states


def task_entries(ledger, task_id, as_of):
    """The valid entries for one task dated on or before as_of, oldest first (ties keep journal order)."""
    from ledger.check import entries  # noqa: PLC0415

    cutoff = as_of.isoformat()
    found = [entry for entry in entries(ledger, dt.date.today().isoformat())
             if entry["task"] == task_id and entry["date"] <= cutoff]
    return sorted(found, key=lambda entry: entry["date"])


def latest_actuals(ledger, task_id, as_of):
    """target name -> (value, date, unit) from the newest entry that reports it, as of as_of."""
    return facts(ledger, as_of)["actuals"].get(task_id, {})


def unit_states(ledger, states, as_of):
    """One record per unit: tasks led and supported, done, lagging, overdue, stale, last report."""
    last = facts(ledger, as_of)["last_report"]
    records = []
    for unit in ledger.units:
        name = unit["name"]
        led = [s for s in states if name in s["lead_units"]]
        records.append({
            "unit": name,
            "led": len(led),
            "supported": sum(name in s["support_units"] for s in states),
            "done": sum(s["status"] == DONE for s in led),
            "lagging": sum(s["light"] in (RED, YELLOW) for s in led),
            "overdue": sum(s["overdue"] for s in led),
            "stale_tasks": [s["id"] for s in led if s["stale"]],
            "last_report": last.get(name),
        })
    return records


def counts(states):
    """How many tasks have each light."""
    found = dict.fromkeys((RED, YELLOW, GREEN, UNREPORTED), 0)
    for state in states:
        found[state["light"]] += 1
    return found
