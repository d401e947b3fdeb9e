"""考核: every unit assessed from the record alone over the days start to end, each measure a count a unit can
redo by hand (the README's “考核怎样计算” states every formula in Chinese):

- 报送及时率: of the (reporting cycle, task) pairs due — every task the unit is responsible for that was not
  done the day before the cycle began, for each cycle that ends in the window — those it reported on in the
  cycle by the report day. An entry written below an entry of a later date in its journal was written no
  earlier than that date (a backfill), and is judged by it;
- 序时达标率: of the (cycle end, task) pairs, those green on the cycle's last day;
- 完成率: of its tasks due in the window, those done by their due date;
- 指标达成率: of its tasks' numeric targets, those reported and not flagged on the window's last day;
- 问题解决率: of the problems it is to solve (the coordinating unit, or the raising unit while none is
  assigned) that were open at some time in the window, those solved by its end; and the mean days to solve;
- the total: 100 × Σ(weight × rate) ÷ Σ(weights of the measures that apply), less the deductions per red
  light, late report and overdue problem, not below 0, rounded half up to two places.
"""

import datetime as dt
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import NamedTuple

from ledger.core.bulletin import target_flag
from ledger.core.issues import days_open, overdue, register
from ledger.core.queries import reached
from ledger.core.state import state
from ledger.vocab import CYCLE, DONE, GREEN, OPEN_STATES, RED, target_text


class Measure(NamedTuple):
    key: str
    name: str
    weight: str  # the config field holding its weight


MEASURES = (Measure("reporting", "报送及时率", "weight_reporting"), Measure("pace", "序时达标率", "weight_pace"),
            Measure("completion", "完成率", "weight_completion"), Measure("targets", "指标达成率", "weight_targets"),
            Measure("problems", "问题解决率", "weight_problems"))
# deduction key -> (what is counted, the config field holding the points per time)
DEDUCTIONS = {"red": ("红灯（每项任务、每个周期末）", "deduct_red"), "late": ("未按时报送（每项任务、每个周期）", "deduct_late"),
              "overdue": ("问题逾期未解决（考核期末）", "deduct_overdue")}


class Cycle(NamedTuple):
    label: str  # 2023年7月, 2023年第3季度
    first: dt.date  # its first day (not before the plan starts)
    report: dt.date  # the day its reports are due by
    last: dt.date  # its last day


class Item(NamedTuple):
    """One thing counted in a unit's score, with its verdict in words: the lines `score --unit` explains."""

    measure: str  # a MEASURES key
    when: str  # the cycle, or the day judged
    task: object
    problem: object
    met: bool
    said: str
    deduction: object  # the DEDUCTIONS key it also counts for, or None


class UnitScore(NamedTuple):
    unit: str
    counts: dict  # measure key -> [met, of]; a measure of nothing (of == 0) does not apply
    mean_days: object  # mean days its problems solved in the window took, or None
    deductions: dict  # deduction key -> times
    base: object  # the weighted rate out of 100, before deductions (None: no measure applies)
    deducted: object  # points taken off
    total: object  # base less deducted, not below 0
    rank: object
    items: tuple  # of Item


class Assessment(NamedTuple):
    start: dt.date
    end: dt.date
    cycles: tuple  # of Cycle
    weights: dict  # measure key -> weight
    points: dict  # deduction key -> points per time
    units: tuple  # of UnitScore, by rank (units with no score last, in registry order)


def cycles(plan, config, start, end):
    """The reporting cycles of the plan that end within start..end (dates), in order."""
    months = CYCLE[config.cycle].months
    plan_start, plan_end = dt.date.fromisoformat(plan.start), dt.date.fromisoformat(plan.end)
    year, month = plan_start.year, (plan_start.month - 1) // months * months + 1
    found = []
    while dt.date(year, month, 1) <= plan_end:
        last_month = month + months - 1
        report = dt.date(year, last_month, config.report_day)
        last = dt.date(year + last_month // 12, last_month % 12 + 1, 1) - dt.timedelta(days=1)
        label = f"{year}年{month}月" if months == 1 else f"{year}年第{(month + 2) // 3}季度"
        if plan_start <= report <= plan_end and start <= last <= end:
            found.append(Cycle(label, max(dt.date(year, month, 1), plan_start), report, last))
        year, month = (year + 1, 1) if last_month == 12 else (year, last_month + 1)
    return tuple(found)


def half_up(value, places=2):
    """value (a Fraction) rounded half up, as people round by hand, as a float."""
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return float(exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def assess(ledger, start, end):
    """The Assessment of every registered unit over the days start to end (dates), from the record alone."""
    config = ledger.config
    found = cycles(ledger.plan, config, start, end)
    days = {end} | {c.last for c in found} | {c.first - dt.timedelta(days=1) for c in found}
    days |= {dt.date.fromisoformat(t.due) for t in ledger.tasks.values() if start.isoformat() <= t.due <= end.isoformat()}
    states = {day: {s.id: s for s in state(ledger, day).tasks} for day in days}
    items = defaultdict(list)
    reports = _reports(ledger)
    for task in ledger.tasks.values():
        for unit in ledger.responsible(task):
            items[unit] += _task_items(task, found, states, reports.get(task.id, ()), start, end)
    issues, _ = register(ledger, end)
    for issue in issues:
        item = _problem_item(issue, start, end)
        if item:
            items[issue.coordinator or issue.unit].append(item)
    weights = {m.key: Fraction(str(getattr(config, m.weight))) for m in MEASURES}
    points = {key: Fraction(str(getattr(config, name))) for key, (_, name) in DEDUCTIONS.items()}
    scores = [_score(unit.name, tuple(items[unit.name]), weights, points, issues) for unit in ledger.units]
    ranked = sorted((s.total for s in scores if s.total is not None), reverse=True)
    scores = [s._replace(rank=ranked.index(s.total) + 1) if s.total is not None else s for s in scores]
    order = sorted(range(len(scores)), key=lambda n: (scores[n].rank is None, scores[n].rank or 0, n))
    return Assessment(start, end, found, {k: float(v) for k, v in weights.items()},
                      {k: float(v) for k, v in points.items()}, tuple(scores[n] for n in order))


def _reports(ledger):
    """task id -> (date, written no earlier than, unit) of each report by its responsible units: a report
    below an entry of a later date in its journal was written no earlier than that date."""
    found, latest, file = defaultdict(list), "", None
    for entry in ledger.entries:  # journal by journal, each in the order written
        latest = max(latest, entry.date) if entry.file == file else entry.date
        file = entry.file
        task = ledger.tasks.get(entry.task)
        if not entry.corrects and task and entry.unit in ledger.responsible(task):
            found[entry.task].append((entry.date, latest, entry.unit))
    return found


def _task_items(task, found, states, reports, start, end):
    """The items one responsible unit's task counts for: reporting and pace each cycle, completion, targets."""
    items = []
    for cycle in found:
        before = states[cycle.first - dt.timedelta(days=1)][task.id]
        if before.status != DONE:
            items.append(_reported(task, cycle, reports))
        now = states[cycle.last][task.id]
        said = f"{cycle.last}：{now.light}（进度 {_percent(now.percent)}，序时进度 {_percent(now.elapsed)}）"
        items.append(Item("pace", cycle.label, task.id, None, now.light == GREEN, said,
                          "red" if now.light == RED else None))
    if start.isoformat() <= task.due <= end.isoformat():
        then = states[dt.date.fromisoformat(task.due)][task.id]
        done = then.status == DONE
        how = "已完成" if done else f"未完成（{then.status or '未报送'}，进度 {_percent(then.percent)}）"
        said = f"完成时限 {task.due}：{how}"
        items.append(Item("completion", task.due, task.id, None, done, said, None))
    last = states[end][task.id]
    for target in task.targets:
        value = last.actuals.get(target.name, (None,))[0]
        share = reached(target, value)
        flag = target_flag(target, value, share, last.elapsed) if value is not None else "未报送完成值"
        said = f"{target.name}（目标 {target_text(target)}）：" + (
            flag if value is None else f"完成 {value:g}{target.measure}（{_percent(share)}）" + (f"，{flag}" if flag else ""))
        items.append(Item("targets", end.isoformat(), task.id, None, flag is None, said, None))
    return items


def _reported(task, cycle, reports):
    """The reporting item of one task in one cycle: on time, late, backfilled or missing."""
    first, report, last = cycle.first.isoformat(), cycle.report.isoformat(), cycle.last.isoformat()
    mine = sorted(r for r in reports if first <= r[0] <= last)
    on_time = [r for r in mine if r[0] <= report and r[1] <= report]
    if on_time:
        return Item("reporting", cycle.label, task.id, None, True, f"按时报送（{on_time[0][0]}，报送日 {report}）", None)
    backfilled = [r for r in mine if r[0] <= report]
    if backfilled:
        said = f"{backfilled[0][0]} 的进展是补报的（日志里排在 {backfilled[0][1]} 的条目之后），晚于报送日 {report}"
    elif mine:
        said = f"{mine[0][0]} 才报送，晚于报送日 {report}"
    else:
        said = f"本周期（{first} 至 {report}）没有报送"
    return Item("reporting", cycle.label, task.id, None, False, said, "late")


def _problem_item(issue, start, end):
    """The item of a problem open at some time in the window (None for one solved before it began)."""
    if issue.solved and issue.solved < start.isoformat():
        return None
    if issue.state in OPEN_STATES:
        late = overdue(issue, end)
        said = f"{issue.text}：到 {end} 仍{issue.state}" + (f"，已过办结时限 {issue.due}" if late else "")
        return Item("problems", issue.raised, issue.task, issue.id, False, said, "overdue" if late else None)
    said = f"{issue.text}：{issue.raised} 提出，{issue.solved} {issue.state}，用了 {days_open(issue, None)} 天"
    return Item("problems", issue.raised, issue.task, issue.id, True, said, None)


def _score(unit, items, weights, points, issues):
    """A unit's UnitScore (its rank left for assess) from the items counted for it."""
    counts = {m.key: [0, 0] for m in MEASURES}
    deductions = dict.fromkeys(DEDUCTIONS, 0)
    for item in items:
        counts[item.measure][0] += item.met
        counts[item.measure][1] += 1
        if item.deduction:
            deductions[item.deduction] += 1
    by_id = {issue.id: issue for issue in issues}
    days = [days_open(by_id[i.problem], None) for i in items if i.measure == "problems" and i.met]  # solved: not open
    mean_days = half_up(Fraction(sum(days), len(days)), 1) if days else None
    applies = [m.key for m in MEASURES if counts[m.key][1] and weights[m.key]]
    if not applies:
        return UnitScore(unit, counts, mean_days, deductions, None, None, None, None, items)
    rate = sum(weights[k] * Fraction(*counts[k]) for k in applies) / sum(weights[k] for k in applies)
    taken = sum(points[k] * times for k, times in deductions.items())
    return UnitScore(unit, counts, mean_days, deductions, half_up(100 * rate), half_up(taken),
                     half_up(max(100 * rate - taken, 0)), None, items)


def _percent(value):
    return "—" if value is None else f"{value:g}%"
