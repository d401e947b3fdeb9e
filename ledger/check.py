"""Checks across files: tasks against units, journals against tasks, units and the plan period."""

import math
from pathlib import PurePath

from ledger.store import PROGRESS, TASKS, UNITS
from ledger.vocab import DONE, LedgerError, Problem


def check(ledger, today):
    """All problems in the ledger, sorted: every journal goes through the checks once."""
    if not ledger.checked:
        for _ in entries(ledger, today):
            pass
    return sorted(set(ledger.problems), key=lambda p: (p.file, p.line, p.message))


def entries(ledger, today):
    """Yields every journal entry that passes every check, with its unit, one journal at a time (so a
    province-sized ledger never sits in memory at once); the problems found go to ledger.problems."""
    first = not ledger.checked
    if first:
        ledger.problems += _check_tasks(ledger) + _check_units(ledger)
    for relative in ledger.journals:
        unit = PurePath(relative).stem
        found, read_problems = ledger.read_journal(relative)
        if first:
            ledger.problems += read_problems
        if unit not in ledger.unit_names:
            if first:
                ledger.problems.append(Problem(relative, 0, _unknown_journal(ledger, unit)))
            continue
        bad = _check_journal(ledger, relative, unit, found, today)
        if first:
            ledger.problems += [problem for problems in bad.values() for problem in problems]
        spoilt = {problem.line for problem in read_problems}
        for index, entry in enumerate(found):
            if index not in bad and not _spoiled(entry, spoilt):
                entry["unit"] = unit
                yield entry
    ledger.checked = True


def _spoiled(entry, lines):
    """Whether a problem stands on one of the entry's lines: a duplicate key or an anchor spoils it too."""
    end = entry["end"] or math.inf
    return any(entry["line"] <= line < end for line in lines)


def _check_tasks(ledger):
    problems, seen = [], set()
    sections = {section["id"] for section in ledger.sections}
    for task in ledger.task_list:
        line = task["lines"]
        if task["id"] in seen:
            problems.append(Problem(TASKS, line["id"], f"任务序号 {task['id']} 重复；每项任务的序号应唯一"))
        seen.add(task["id"])
        if task["section"] not in sections:
            problems.append(Problem(TASKS, line["section"], f"第 {task['id']} 项任务所属的部分 {task['section']} 不存在；"
                                                           f"应为 {_ranges(sections)} 之一"))
        for field in ("lead_units", "support_units"):
            for unit in task.get(field, []):
                if ledger.unit_names and unit not in ledger.unit_names:
                    problems.append(Problem(TASKS, line.get(field, task["line"]),
                                            f"第 {task['id']} 项任务的单位“{unit}”未在 {UNITS} 登记；请登记或改正"))
        names = [target["name"] for target in task.get("targets", [])]
        for name in sorted({n for n in names if names.count(n) > 1}):
            problems.append(Problem(TASKS, line.get("targets", task["line"]),
                                    f"第 {task['id']} 项任务有两个同名指标“{name}”；指标名在一项任务内应唯一"))
    return problems


def _check_units(ledger):
    problems, seen = [], {}
    for unit in ledger.units:
        name, line = unit["name"], unit["line"]
        if name in seen:
            problems.append(Problem(UNITS, line, f"单位“{name}”重复登记（第 {seen[name]} 行已有）"))
        seen[name] = line
        for alias in unit.get("aliases", []):
            if alias in ledger.unit_names and alias != name:
                problems.append(Problem(UNITS, unit["lines"].get("aliases", line),
                                        f"“{name}”的简称“{alias}”是另一个单位的全称；请删除这个简称"))
    return problems


def _unknown_journal(ledger, unit):
    try:
        hint = f"；应为 {PROGRESS}/{resolve_unit(ledger.units, unit)}.yaml"
    except LedgerError:
        hint = f"；日志文件名应为 {UNITS} 里登记的单位全称"
    return f"文件名“{unit}”不是登记的单位全称{hint}"


def _check_journal(ledger, relative, unit, found, today):
    """index of each entry that fails a check -> its problems, with the line of the field at fault."""
    bad, previous, seen = {}, None, set()
    for index, entry in enumerate(found):
        problems = entry_problems(ledger, unit, entry, previous, seen, today)
        if problems:
            bad[index] = problems
        previous = entry
        seen.add((entry["task"], entry["date"]))
    if bad:
        lines = _entry_lines(ledger.root / relative)
        for index, problems in bad.items():
            fields = lines.get(found[index]["line"])
            bad[index] = [Problem(relative, _field_line(fields, field, found[index]["line"]), message)
                          for field, message in problems]
    return bad


def _entry_lines(path):
    """entry start line -> the entry as read with every key's line (the cache keeps only start lines)."""
    from ledger import yamlio  # noqa: PLC0415 - only when there is a problem to place

    text, _ = yamlio.decode(path.read_bytes(), path.name)
    value, _ = yamlio.parse(text or "", path.name)
    return {item.line: item for item in value or [] if isinstance(item, yamlio.LineDict)}


def _field_line(fields, field, line):
    if fields is None:
        return line
    if field.startswith("actuals."):
        actuals = fields.get("actuals")
        return actuals.line_of(field[len("actuals."):]) if hasattr(actuals, "line_of") else fields.line_of("actuals")
    return fields.line_of(field)


def entry_problems(ledger, unit, entry, previous, seen, today):
    """(field, message) for each problem of one entry by unit, given the entry before it in its journal
    and the (task, date) of every entry before it."""
    problems = []
    start, end = (ledger.plan or {}).get("start", ""), (ledger.plan or {}).get("end", "")
    date = entry["date"]
    task = ledger.tasks.get(entry["task"])
    if task is None:
        problems.append(("task", f"任务序号 {entry['task']} 不存在；有效序号为 {_ranges(ledger.tasks)}"))
    elif unit not in task["lead_units"] and unit not in task.get("support_units", []):
        problems.append(("task", _not_responsible(ledger, unit, task)))
    else:
        targets = [target["name"] for target in task.get("targets", [])]
        for name in entry.get("actuals", {}):
            if name not in targets:
                known = "、".join(targets) or "（这项任务没有数值指标）"
                problems.append((f"actuals.{name}",
                                 f"第 {task['id']} 项任务没有名为“{name}”的指标；可用的指标：{known}"))
    if start and not start <= date <= end:
        problems.append(("date", f"日期 {date} 不在计划期（{start} 至 {end}）内；请填写计划期内的日期"))
    elif date > today:
        problems.append(("date", f"日期 {date} 晚于今天（{today}）；不能报送未来的进展"))
    if previous and date < previous["date"]:
        problems.append(("date", f"日期 {date} 早于上一条（第 {previous['line']} 行，{previous['date']}）；"
                                 "日志只能按日期先后追加，请把它放到正确位置或改正日期"))
    corrects = entry.get("corrects")
    if corrects and (entry["task"], corrects) not in seen:
        problems.append(("corrects", f"本日志在 {corrects} 没有第 {entry['task']} 项任务的条目；"
                                     "corrects 应为被更正的那一条的日期"))
    percent = entry.get("percent")
    if entry["status"] == DONE and percent is not None and percent < 100:
        problems.append(("percent", f"状态为“已完成”但进度是 {percent:g}%；已完成的进度应为 100，"
                                    "否则请把状态改为“推进中”"))
    return problems


def _not_responsible(ledger, unit, task):
    mine = sorted(t["id"] for t in ledger.tasks.values()
                  if unit in t["lead_units"] or unit in t.get("support_units", []))
    leads = "、".join(task["lead_units"]) or "未指定"
    return (f"{unit}不是第 {task['id']} 项任务的牵头或参与单位（牵头单位：{leads}）；"
            f"本单位能报送的任务：{_ranges(mine) or '无'}")


def _ranges(numbers):
    """1、2、3、5、6 -> '1–3、5、6': runs of three or more shown as a range."""
    spans = []
    for number in sorted(numbers):
        if spans and number == spans[-1][-1] + 1:
            spans[-1].append(number)
        else:
            spans.append([number])
    return "、".join(f"{s[0]}–{s[-1]}" if len(s) > 2 else "、".join(map(str, s)) for s in spans)


def resolve_unit(units, text):
    """The registered full name for text: a full name, an alias, or an unambiguous part of a full name."""
    names = [unit["name"] for unit in units]
    if text in names:
        return text
    matches = sorted({unit["name"] for unit in units if text in unit.get("aliases", [])})
    if not matches:
        matches = sorted(name for name in names if text and text in name)
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise LedgerError(f"单位“{text}”有歧义，可能是：{'、'.join(matches)}；请写全称", code=2)
    import difflib  # noqa: PLC0415 - only for this message

    owner = {alias: unit["name"] for unit in units for alias in unit.get("aliases", [])}
    owner.update({name: name for name in names})
    close = difflib.get_close_matches(text, list(owner), n=8, cutoff=0.6)
    near = list(dict.fromkeys(owner[c] for c in close))[:5]
    hint = f"最接近的：{'、'.join(near)}；" if near else ""
    raise LedgerError(f"未登记的单位“{text}”。{hint}全部单位见 ledger units", code=2)
