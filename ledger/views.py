"""What each listing command shows: its records and columns, handed to the shared renderer."""

import json

from ledger import state
from ledger.render import Column, lines, percent, render, units
from ledger.vocab import BLOCKED, LIGHTS, RED, YELLOW

STATUS_COLUMNS = [
    Column("id", "序号"),
    Column("title", "任务"),
    Column("lead_units", "牵头单位", lambda r: units(r["lead_units"]) if r["lead_units"] else "（统筹类，未定牵头）"),
    Column("status", "状态"),
    Column("percent", "进度/序时", lambda r: f"{percent(r['percent'])} / {percent(r['elapsed'])}"),
    Column("light", "灯"),
    Column("last_report", "最近报送"),
]


def _public(states):
    return [{key: value for key, value in s.items() if key != "latest"} for s in states]


def light_counts(states):
    found = state.counts(states)
    return " · ".join(f"{light} {found[light]}" for light in LIGHTS)


def status(states, as_of, fmt, unit=None):
    elapsed = states[0]["elapsed"] if states else None
    who = f"{unit} · " if unit else ""
    title = f"{who}截至 {as_of}，序时进度 {percent(elapsed)}，共 {len(states)} 项任务"
    render(_public(states), STATUS_COLUMNS, fmt, title=title, notes=[light_counts(states)])


def target_text(target):
    sign = {"at_least": "≥", "at_most": "≤", "about": "≈"}[target["comparator"]]
    growth = "增长" if target["kind"] == "growth" else ""
    return f"{growth}{sign}{target['value']:g}{target['measure']}"


def reached(target, value):
    """The share of a target reached, in percent (for 'at most' targets: the share of the cap used)."""
    return None if value is None or not target["value"] else round(100 * value / target["value"], 1)


ENTRY_COLUMNS = [Column("date", "日期"), Column("unit", "单位"), Column("status", "状态"),
                 Column("percent", "进度", lambda r: percent(r.get("percent"))), Column("progress", "进展"),
                 Column("problems", "存在问题"), Column("next", "下步计划"), Column("reporter", "报送人")]
TARGET_COLUMNS = [Column("number", "#"), Column("name", "指标"), Column("target", "目标"),
                  Column("actual", "最新完成值"), Column("reached", "完成比例", lambda r: percent(r["reached"])),
                  Column("reported", "报送")]


def task_card(ledger, task_id, as_of, fmt):
    task = ledger.tasks[task_id]
    entries = state.task_entries(ledger, task_id, as_of)
    current = next(s for s in state.task_states(ledger, as_of) if s["id"] == task_id)
    actuals = state.latest_actuals(ledger, task_id, as_of)
    targets = []
    for number, target in enumerate(task.get("targets", []), 1):
        value, date, unit = actuals.get(target["name"], (None, None, None))
        targets.append({"number": number, "name": target["name"], "target": target_text(target),
                        "value": target["value"], "measure": target["measure"],
                        "comparator": target["comparator"], "kind": target["kind"],
                        "actual": None if value is None else f"{value:g}", "reached": reached(target, value),
                        "reported": f"{date} {unit}" if date else None})
    records = [{key: e.get(key) for key in ("date", "unit", "status", "percent", "progress", "problems", "next",
                                            "actuals", "reporter")} for e in entries]
    if fmt == "json":
        card = {key: value for key, value in task.items() if key not in ("line", "lines")}
        card.update(state={k: v for k, v in current.items() if k != "latest"}, targets=targets, entries=records)
        print(json.dumps(card, ensure_ascii=False, indent=2))
        return
    section = next((s for s in ledger.sections if s["id"] == task["section"]), None)
    header = [
        f"第 {task_id} 项：{task['title']}",
        f"{section['numeral']}、{section['title']} · 完成时限 {task['due']}" if section else f"完成时限 {task['due']}",
        f"牵头单位：{units(task['lead_units']) if task['lead_units'] else '未指定（统筹类）'}",
        f"参与单位：{units(task.get('support_units', []))}",
        f"状态：{current['status'] or '未报送'} · 进度 {percent(current['percent'])} · "
        f"序时进度 {percent(current['elapsed'])} · 灯：{current['light']} · 最近报送 {current['last_report'] or '—'}",
        "",
        task["text"],
        "",
    ]
    lines(header)
    if targets:
        render(targets, TARGET_COLUMNS, fmt, title="数值指标")
    render(records, ENTRY_COLUMNS, fmt, title=f"进展记录（{len(records)} 条）")


LAGGING_COLUMNS = [Column("unit", "单位"), Column("id", "序号"), Column("title", "任务"), Column("light", "灯"),
                   Column("percent", "进度/序时", lambda r: f"{percent(r['percent'])} / {percent(r['elapsed'])}"),
                   Column("reason", "原因")]
STALE_COLUMNS = [Column("unit", "单位"), Column("stale_tasks", "未报送的任务", lambda r: _ids(r["stale_tasks"])),
                 Column("last_report", "最近报送")]


def _ids(numbers):
    return "、".join(map(str, numbers)) or "—"


def reason(s):
    """Why a task is behind, in words: overdue, or how many points behind 序时进度 (and blocked)."""
    if s["overdue"]:
        return f"已逾期（完成时限 {s['due']}）"
    gap = s["elapsed"] - (s["percent"] or 0)
    behind = f"落后序时进度 {gap:.1f} 个百分点"
    return f"受阻，{behind}" if s["status"] == BLOCKED else behind


def overdue(ledger, states, as_of, fmt):
    lagging = [{"unit": unit["name"], **_public([s])[0], "reason": reason(s)}
               for unit in ledger.units for s in states
               if unit["name"] in s["lead_units"] and s["light"] in (RED, YELLOW)]
    stale = [record for record in state.unit_states(ledger, states, as_of) if record["stale_tasks"]]
    if fmt == "json":
        print(json.dumps({"as_of": as_of.isoformat(), "lagging": lagging, "stale": stale},
                         ensure_ascii=False, indent=2))
        return
    elapsed = states[0]["elapsed"] if states else None
    render(lagging, LAGGING_COLUMNS, fmt, title=f"红灯、黄灯任务（截至 {as_of}，序时进度 {percent(elapsed)}）",
           notes=[f"共 {len({r['id'] for r in lagging})} 项任务落后或逾期"])
    render(stale, STALE_COLUMNS, fmt, title="本周期未按时报送的单位",
           notes=[f"共 {len(stale)} 个单位未按时报送"])


UNIT_COLUMNS = [Column("unit", "单位"), Column("led", "牵头"), Column("supported", "参与"), Column("done", "已完成"),
                Column("lagging", "落后"), Column("overdue", "逾期"),
                Column("stale_tasks", "本周期未报送", lambda r: _ids(r["stale_tasks"])),
                Column("last_report", "最近报送")]


def unit_list(records, fmt):
    render(records, UNIT_COLUMNS, fmt, title=f"共 {len(records)} 个单位")

