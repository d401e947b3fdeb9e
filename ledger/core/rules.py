"""The checks across files, one small function each, run in list order (beancount's BASIC_VALIDATIONS):
a new rule is a new function in a list, not a new branch in a long one.

FILE_RULES(ledger) judge the task list, the unit registry and the config together and yield Problems.
ENTRY_RULES(ledger, unit, item, journal) judge one journal item (the fields that passed the model; see
models.read_journal) and return Problems that name the field but not yet the file and line (the loader
places them); their results are cached with the journal. CLOCK_RULES take today as well, and run on
every load.
"""

from ledger.files.store import CONFIG, PROGRESS, TASKS, UNITS
from ledger.vocab import DONE, LedgerError, Problem


# --- the task list, the unit registry, the config ---------------------------------------------------

def task_ids_unique(ledger):
    seen = set()
    for task in ledger.task_rows:
        if task.id in seen:
            yield Problem(TASKS, task.lines["id"], f"任务序号 {task.id} 重复；每项任务的序号应唯一", "id")
        seen.add(task.id)


def task_sections_exist(ledger):
    sections = {section.id for section in ledger.sections}
    for task in ledger.task_rows:
        if task.section not in sections:
            yield Problem(TASKS, task.lines["section"], f"第 {task.id} 项任务所属的部分 {task.section} 不存在；"
                                                         f"应为 {ranges(sections)} 之一", "section")


def task_units_registered(ledger):
    if not ledger.units:
        return
    for task in ledger.task_rows:
        for field in ("lead_units", "support_units"):
            for unit in getattr(task, field):
                if unit not in ledger.unit_names:
                    yield Problem(TASKS, task.lines.get(field, task.line),
                                  f"第 {task.id} 项任务的单位“{unit}”未在 {UNITS} 登记；请登记或改正", field)


def task_targets_unique(ledger):
    for task in ledger.task_rows:
        names = [target.name for target in task.targets]
        for name in sorted({n for n in names if names.count(n) > 1}):
            yield Problem(TASKS, task.lines.get("targets", task.line),
                          f"第 {task.id} 项任务有两个同名指标“{name}”；指标名在一项任务内应唯一", "targets")


def task_due_in_period(ledger):
    plan = ledger.plan
    for task in ledger.task_rows:
        if not plan.start <= task.due <= plan.end:
            yield Problem(TASKS, task.lines.get("due", task.line),
                          f"第 {task.id} 项任务的完成时限 {task.due} 不在计划期（{plan.start} 至 {plan.end}）内；"
                          "请改正完成时限或计划期", "due")


def plan_period_ordered(ledger):
    plan = ledger.plan
    if plan.start > plan.end:
        yield Problem(TASKS, 0, f"计划期的开始 {plan.start} 晚于结束 {plan.end}；请改正 plan 的 start 和 end", "plan.start")


def unit_names_unique(ledger):
    seen = {}
    for unit in ledger.units:
        if unit.name in seen:
            yield Problem(UNITS, unit.line, f"单位“{unit.name}”重复登记（第 {seen[unit.name]} 行已有）", "name")
        seen.setdefault(unit.name, unit.line)


def aliases_not_names(ledger):
    for unit in ledger.units:
        for alias in unit.aliases:
            if alias in ledger.unit_names and alias != unit.name:
                yield Problem(UNITS, unit.lines.get("aliases", unit.line),
                              f"“{unit.name}”的简称“{alias}”是另一个单位的全称；请删除这个简称", "aliases")


def office_registered(ledger):
    office = ledger.config.office
    if office and ledger.units and office not in ledger.unit_names:
        yield Problem(CONFIG, ledger.config_lines.get("office", 0),
                      f"office（办公室）“{office}”未在 {UNITS} 登记；应为登记的单位全称，没有点名单位的任务由它报送",
                      "office")


FILE_RULES = [task_ids_unique, task_sections_exist, task_units_registered, task_targets_unique,
              plan_period_ordered, task_due_in_period, unit_names_unique, aliases_not_names, office_registered]


# --- journal entries -------------------------------------------------------------------------------
# each returns a list (most often empty): a province's ledger runs them some million times when it is first read

def task_exists(ledger, unit, item, journal):
    if "task" in item and item["task"] not in ledger.tasks:
        return [fault("task", f"任务序号 {item['task']} 不存在；有效序号为 {ranges(ledger.tasks)}")]
    return []


def unit_responsible(ledger, unit, item, journal):
    task = ledger.tasks.get(item.get("task"))
    if task and unit not in ledger.responsible(task) and unit not in task.support_units:
        return [fault("task", not_responsible(ledger, unit, task))]
    return []


def metrics_known(ledger, unit, item, journal):
    task = ledger.tasks.get(item.get("task"))
    if task is None or not item.get("actuals"):
        return []
    targets = [target.name for target in task.targets]
    known = "、".join(targets) or "（这项任务没有数值指标）"
    return [fault(f"actuals.{name}", f"第 {task.id} 项任务没有名为“{name}”的指标；可用的指标：{known}")
            for name in item["actuals"] if name not in targets]


def date_in_period(ledger, unit, item, journal):
    plan = ledger.plan
    return [fault(field, f"日期 {item[field]} 不在计划期（{plan.start} 至 {plan.end}）内；请填写计划期内的日期")
            for field in ("date", "corrects") if item.get(field) and not plan.start <= item[field] <= plan.end]


def correction_names_an_entry(ledger, unit, item, journal):
    corrects = item.get("corrects")
    if not corrects or "task" not in item:
        return []
    if (item["task"], corrects) not in journal:
        return [fault("corrects", f"本日志在 {corrects} 没有第 {item['task']} 项任务的条目；"
                                  "corrects 应为被更正的那一条的日期")]
    if "date" in item and corrects > item["date"]:
        return [fault("corrects", f"更正的是 {corrects} 的条目，却写在更早的 {item['date']}；"
                                  "更正条目的日期应为写更正的那一天")]
    return []


def done_means_100(ledger, unit, item, journal):
    percent = item.get("percent")
    if item.get("status") == DONE and percent is not None and percent < 100:
        return [fault("percent", f"状态为“已完成”但进度是 {percent:g}%；已完成的进度应为 100，否则请把状态改为“推进中”")]
    return []


def cleared_not_given(ledger, unit, item, journal):
    return [fault("clear", f"同一条既给了“{field}”又清除它；请只留一个")
            for field in item.get("clear", ()) if item.get(field) is not None]


def resolves_own_task(ledger, unit, item, journal):
    task = item.get("task")
    return [fault("resolves", f"问题 {number} 是第 {problem_task(number)} 项任务的；一条进展只能报本任务（第 {task} 项）"
                              "的问题已解决")
            for number in item.get("resolves", ()) if task is not None and problem_task(number) != task]


ENTRY_RULES = [task_exists, unit_responsible, metrics_known, date_in_period, correction_names_an_entry,
               done_means_100, cleared_not_given, resolves_own_task]


def date_not_future(ledger, unit, item, journal, today):
    if item.get("date") and item["date"] > today:
        return [fault("date", f"日期 {item['date']} 晚于今天（{today}）；不能报送未来的进展")]
    return []


CLOCK_RULES = [date_not_future]


# --- the office's actions on problems (data/problems.yaml) --------------------------------------------
# each (ledger, item) -> a list of faults; item is a valid Action row. Whether the problem exists and the
# step fits its state is judged later, with every journal read (core/issues.py)

def action_task_exists(ledger, item):
    task = problem_task(item["problem"])
    if task not in ledger.tasks:
        return [fault("problem", f"问题编号 {item['problem']} 里的任务序号 {task} 不存在；有效序号为 {ranges(ledger.tasks)}")]
    return []


def assign_names_unit_and_due(ledger, item):
    if item["action"] == "assign":
        return [fault(field, f"交办（assign）要写{name}（{field}）")
                for field, name in (("unit", "协调单位"), ("due", "办结时限")) if item[field] is None]
    return [fault(field, f"只有交办（assign）写{name}；{item['action']} 不写 {field}")
            for field, name in (("unit", "协调单位"), ("due", "办结时限")) if item[field] is not None]


def action_unit_registered(ledger, item):
    if item["unit"] is not None and ledger.units and item["unit"] not in ledger.unit_names:
        return [fault("unit", f"协调单位“{item['unit']}”未在 {UNITS} 登记；应为登记的单位全称")]
    return []


def action_dates_ordered(ledger, item):
    plan, found = ledger.plan, []
    if not plan.start <= item["date"] <= plan.end:
        found.append(fault("date", f"日期 {item['date']} 不在计划期（{plan.start} 至 {plan.end}）内；请填写计划期内的日期"))
    if item["due"] is not None and item["due"] < item["date"]:
        found.append(fault("due", f"办结时限 {item['due']} 早于交办的日期 {item['date']}"))
    return found


ACTION_RULES = [action_task_exists, assign_names_unit_and_due, action_unit_registered, action_dates_ordered]


def problem_task(number):
    """The task a problem id names: P25-0821 -> 25."""
    return int(number[1:number.index("-")])


def judge(rules, ledger, unit, item, journal, *more):
    """Every Problem the rules find in one item (file and line left for the caller to place)."""
    found = []
    for rule in rules:
        found += rule(ledger, unit, item, journal, *more)
    return found


def fault(field, message):
    """A problem with a field of a journal item, to be placed in its file and line by the loader."""
    return Problem("", 0, message, field)


# --- what the messages share -------------------------------------------------------------------------

def not_responsible(ledger, unit, task):
    mine = sorted(t.id for t in ledger.tasks.values() if unit in ledger.responsible(t) or unit in t.support_units)
    if task.lead_units:
        leads = f"牵头单位：{'、'.join(task.lead_units)}"
    elif ledger.config.office:
        leads = f"这项任务没有点名单位，由办公室“{ledger.config.office}”报送"
    else:
        leads = f"这项任务没有点名单位；要报送，请在 {CONFIG} 里用 office 指定办公室"
    return f"{unit}不是第 {task.id} 项任务的牵头或参与单位（{leads}）；本单位能报送的任务：{ranges(mine) or '无'}"


def unknown_journal(ledger, unit):
    try:
        hint = f"；应为 {PROGRESS}/{resolve_unit(ledger.units, unit)}.yaml"
    except LedgerError:
        hint = f"；日志文件名应为 {UNITS} 里登记的单位全称"
    return f"文件名“{unit}”不是登记的单位全称{hint}"


def ranges(numbers):
    """1、2、3、5、6 -> '1–3、5、6': runs of three or more shown as a range."""
    spans = []
    for number in sorted(numbers):
        if spans and number == spans[-1][-1] + 1:
            spans[-1].append(number)
        else:
            spans.append([number])
    return "、".join(f"{s[0]}–{s[-1]}" if len(s) > 2 else "、".join(map(str, s)) for s in spans)


def resolve_unit(units, text):
    """The registered full name for text: a full name, an alias, or an unambiguous part of a full name.
    units: the registry (records.Unit)."""
    names = [unit.name for unit in units]
    if text in names:
        return text
    matches = sorted({unit.name for unit in units if text in unit.aliases})
    if not matches:
        matches = sorted(name for name in names if text and text in name)
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise LedgerError(f"单位“{text}”有歧义，可能是：{'、'.join(matches)}；请写全称", usage=True)
    import difflib  # noqa: PLC0415 - only for this message

    owner = {alias: unit.name for unit in units for alias in unit.aliases}
    owner.update({name: name for name in names})
    close = difflib.get_close_matches(text, list(owner), n=8, cutoff=0.6)
    near = list(dict.fromkeys(owner[c] for c in close))[:5]
    hint = f"最接近的：{'、'.join(near)}；" if near else ""
    raise LedgerError(f"未登记的单位“{text}”。{hint}全部单位见 ledger units", usage=True)
