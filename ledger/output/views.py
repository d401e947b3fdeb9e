"""What each command shows, as text: records and columns handed to the shared renderer."""

from ledger.core.queries import given
from ledger.output.issues import card_section
from ledger.output.render import Column, as_json, lines, percent, render, units
from ledger.vocab import LIGHT_NAMES


def period_note(plan, state):
    """One line when the day is outside the plan period, else None."""
    if state.period == "after":
        return (f"注意：{state.as_of} 已过计划期（{plan.start} 至 {plan.end}），序时进度按 100% 计，"
                "未完成的任务都已逾期")
    if state.period == "before":
        return f"注意：{state.as_of} 计划期（{plan.start} 至 {plan.end}）还没有开始"
    return None


def _notes(*notes):
    return [note for note in notes if note]


def light_counts(tasks):
    found = dict.fromkeys(LIGHT_NAMES, 0)
    for task in tasks:
        found[task.light] += 1
    return " · ".join(f"{light} {found[light]}" for light in LIGHT_NAMES)


def lead_text(record):
    if record["lead_units"]:
        return units(record["lead_units"])
    if record["responsible"]:
        return f"（统筹类，{units(record['responsible'])}报送）"
    return "（统筹类，未定牵头）"


PACE = Column("percent", "进度/序时", lambda r: f"{percent(r['percent'])} / {percent(r['elapsed'])}")
STATUS_COLUMNS = [Column("id", "序号"), Column("title", "任务"), Column("lead_units", "牵头单位", lead_text),
                  Column("status", "状态"), PACE, Column("light", "灯"), Column("last_report", "最近报送")]


def _record(task):
    return {**task._asdict(), "actuals": {name: list(value) for name, value in task.actuals.items()}}


def status(plan, state, tasks, fmt, screen, unit=None, since=None):
    who = f"{unit} · " if unit else ""
    count = f"{since} 以来有新报送的任务 {len(tasks)} 项" if since else f"共 {len(tasks)} 项任务"
    title = f"{who}截至 {state.as_of}，序时进度 {percent(state.elapsed)}，{count}"
    return render([_record(task) for task in tasks], STATUS_COLUMNS, fmt, screen, title=title,
                  notes=_notes(light_counts(tasks), period_note(plan, state)))


def _actuals(record):
    return "、".join(f"{name}={value:g}" for name, value in (record.get("actuals") or {}).items()) or None


def correction_mark(record):
    """更正 2023-04-20 / 已被 2023-06-01 更正: how a correction and what it corrects are marked."""
    if record.get("corrects"):
        return f"更正 {record['corrects']} 的条目"
    if record.get("corrected_by"):
        return f"已被 {'、'.join(record['corrected_by'])} 的条目更正"
    return None


ENTRY_COLUMNS = [Column("date", "日期"), Column("unit", "单位"), Column("status", "状态"),
                 Column("percent", "进度", lambda r: percent(r.get("percent"))), Column("progress", "进展"),
                 Column("problems", "存在问题", lambda r: "（清除）" if "problems" in r["clear"] else r["problems"]),
                 Column("next", "下步计划", lambda r: "（清除）" if "next" in r["clear"] else r["next"]),
                 Column("actuals", "指标", _actuals), Column("corrects", "更正", correction_mark),
                 Column("reporter", "报送人")]
TARGET_COLUMNS = [Column("number", "#"), Column("name", "指标"), Column("target", "目标"),
                  Column("actual", "最新完成值", lambda r: None if r["actual"] is None else f"{r['actual']:g}"),
                  Column("reached", "完成比例", lambda r: percent(r["reached"])),
                  Column("date", "报送", lambda r: f"{r['date']} {r['unit']}" if r["date"] else None)]


def task_card(plan, state, card, fmt, screen):
    task, current = card.task, card.state
    if fmt == "json":
        found = {key: value for key, value in task._asdict().items() if key not in ("line", "lines", "targets")}
        found.update(state=_record(current), targets=card.targets, entries=card.entries, issues=card.issues)
        return as_json(found)
    section = f"{card.section.numeral}、{card.section.title} · " if card.section else ""
    leads = units(task.lead_units) if task.lead_units else (
        f"未点名（统筹类），由{units(current.responsible)}报送" if current.responsible else "未指定（统筹类）")
    header = [
        f"第 {task.id} 项：{task.title}",
        f"{section}完成时限 {task.due}",
        f"牵头单位：{leads}",
        f"参与单位：{units(task.support_units)}",
        f"状态：{current.status or '未报送'} · 进度 {percent(current.percent)} · "
        f"序时进度 {percent(current.elapsed)} · 灯：{current.light} · 最近报送 {current.last_report or '—'}",
        f"存在问题：{current.problems or '—'} · 下步计划：{current.next or '—'}",
        *_notes(period_note(plan, state)),
        "",
        task.text,
        "",
    ]
    out = lines(header)
    if card.targets:
        out += render(card.targets, TARGET_COLUMNS, fmt, screen, title="数值指标")
    if not card.entries:
        return out + "进展记录：暂无进展记录\n"
    corrections = sum(1 for entry in card.entries if entry["corrects"])
    note = [f"其中 {corrections} 条是更正：它改的是所更正那一条的内容，在那一条的日期生效"] if corrections else []
    return (out + render(card.entries, ENTRY_COLUMNS, fmt, screen, title=f"进展记录（{len(card.entries)} 条）",
                         notes=note) + card_section(card.issues, fmt, screen))


def _ids(numbers):
    return "、".join(map(str, numbers)) or "—"


LAGGING_COLUMNS = [Column("unit", "单位"), Column("id", "序号"), Column("title", "任务"), Column("light", "灯"),
                   PACE, Column("reason", "原因")]
STALE_COLUMNS = [Column("unit", "单位"), Column("stale_tasks", "未报送的任务", lambda r: _ids(r["stale_tasks"])),
                 Column("last_report", "最近报送")]


def overdue(plan, state, lagging, stale, fmt, screen):
    rows = [{"unit": unit, **_record(task), "reason": why} for unit, task, why in lagging]
    late = [unit._asdict() for unit in stale]
    if fmt == "json":
        return as_json({"as_of": state.as_of.isoformat(), "lagging": rows, "stale": late})
    title = f"红灯、黄灯任务（截至 {state.as_of}，序时进度 {percent(state.elapsed)}）"
    return (render(rows, LAGGING_COLUMNS, fmt, screen, title=title,
                   notes=_notes(f"共 {len({r['id'] for r in rows})} 项任务落后或逾期", period_note(plan, state)))
            + render(late, STALE_COLUMNS, fmt, screen, title="本周期未按时报送的单位",
                     notes=[f"共 {len(late)} 个单位未按时报送"]))


UNIT_COLUMNS = [Column("unit", "单位"), Column("led", "牵头"), Column("supported", "参与"), Column("done", "已完成"),
                Column("lagging", "落后"), Column("overdue", "逾期"),
                Column("stale_tasks", "本周期未报送", lambda r: _ids(r["stale_tasks"])),
                Column("last_report", "最近报送")]


def unit_list(plan, state, fmt, screen):
    return render([unit._asdict() for unit in state.units], UNIT_COLUMNS, fmt, screen,
                  title=f"共 {len(state.units)} 个单位", notes=_notes(period_note(plan, state)))


def appended(done):
    """What `update` says after a write: where the entry went, any reminders, and the task's light now."""
    now = done.now
    out = [f"已追加到 {done.relative} 第 {done.line} 行：第 {done.task.id} 项 {done.task.title} — {given(done.entry)}"]
    out += [f"提醒：{problem.message}" for problem in done.warnings]
    said = (f"{now.status}，进度 {percent(now.percent)}" if now.reported
            else f"{units(now.responsible)}还没有报送")
    out.append(f"截至 {done.entry['date']}，第 {done.task.id} 项：{now.light}（{said}，序时进度 {percent(now.elapsed)}）")
    if done.commit:
        out.append(f"已提交 {done.commit}：{done.subject}")
    return lines(out)

