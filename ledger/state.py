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


def task_states(ledger, as_of):
    """One record per task: status, percent, 序时进度, light, overdue, stale, latest report (as of as_of)."""
    plan = ledger.plan
    start, end = dt.date.fromisoformat(plan["start"]), dt.date.fromisoformat(plan["end"])
    elapsed = elapsed_share(as_of, start, end)
    cycle = cycle_start(as_of, start, end, ledger.config)
    cycle = cycle.isoformat() if cycle else None
    by_task = entries_by_task(ledger, as_of)
    states = []
    for task in ledger.tasks.values():
        leads = task["lead_units"]
        lead_entries = [entry for entry in by_task.get(task["id"], ()) if entry["unit"] in leads]
        latest = lead_entries[-1] if lead_entries else None
        status = latest["status"] if latest else None
        percent = 100 if status == DONE else next(
            (e["percent"] for e in reversed(lead_entries) if e.get("percent") is not None), None)
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


def entries_by_task(ledger, as_of):
    """task id -> the valid entries dated on or before as_of, oldest first (ties keep journal order)."""
    cutoff = as_of.isoformat()
    grouped = defaultdict(list)
    for entry in ledger.entries:
        if entry["date"] <= cutoff:
            grouped[entry["task"]].append(entry)
    for entries in grouped.values():
        entries.sort(key=lambda entry: entry["date"])
    return grouped


def latest_actuals(entries):
    """target name -> (value, date, unit) from the newest entry that reports it."""
    found = {}
    for entry in entries:
        for name, value in entry.get("actuals", {}).items():
            found[name] = (value, entry["date"], entry["unit"])
    return found


def unit_states(ledger, states, as_of):
    """One record per unit: tasks led and supported, done, lagging, overdue, stale, last report."""
    cutoff = as_of.isoformat()
    last = {}
    for entry in ledger.entries:
        if entry["date"] <= cutoff and entry["date"] > last.get(entry["unit"], ""):
            last[entry["unit"]] = entry["date"]
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
