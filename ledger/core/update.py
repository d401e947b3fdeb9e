"""`ledger update`: one new entry, judged by the same models and rules as every entry, appended to the
reporting unit's journal; then where the task stands."""

import re
from typing import NamedTuple

from ledger.core import issues, rules
from ledger.core.load import with_journals
from ledger.core.queries import given
from ledger.core.state import state
from ledger.files import journal, records, store, yamlio
from ledger.files.models import entry_errors
from ledger.vocab import CLEARABLE, DONE, ERROR, STATUS_WORDS, STATUSES, WARNING, LedgerError, Problem

OPTION_OF = {"force": "--force", "task": "任务序号", "date": "--date", "status": "--status", "percent": "--percent",
             "progress": "--note", "corrects": "--corrects", "problems": "--problem", "next": "--next",
             "actuals": "--metric", "reporter": "--reporter", "clear": "--problem/--next", "resolves": "--resolves"}


class Appended(NamedTuple):
    relative: str  # the journal, relative to the root
    line: int  # where the new entry starts
    entry: dict  # as written
    task: object  # records.Task
    unit: str
    now: object  # the task's state.TaskState as of the entry's date
    warnings: list  # Problems that did not stop the entry
    commit: object  # the new commit's short name, when asked to commit
    subject: str  # the commit message's first line
    commit_error: object  # why the entry, written, was not committed (None: committed, or not asked to)
    issues: tuple = ()  # (step, issues.Issue) for each step the entry took on the problem list


def record(ledger, task_id, unit, day, fields, today, dated=True, commit=False, force=False):
    """Appends the entry (fields: the options as given) for unit, or for the task's only responsible unit;
    raises LedgerError, writing nothing, when the entry is invalid or git could not commit it alone.

    dated: whether the user gave the day; today: the clock's day, which no entry may come after;
    force: append even when the journal holds the same entry (same task, date and progress) already."""
    task = ledger.tasks.get(task_id)
    if task is None:
        raise LedgerError(f"没有第 {task_id} 项任务；任务序号为 {rules.ranges(ledger.tasks)}", usage=True)
    unit = unit or only_responsible(ledger, task)
    entry = new_entry(task, day, fields)
    refused = entry_errors(entry)
    if refused:
        raise LedgerError(_refusal(refused, ledger.plan, dated, day))
    path = store.journal_path(ledger.root, unit)
    relative = f"{store.PROGRESS}/{path.name}"
    repo = ready_to_commit(ledger.root, relative) if commit else None
    steps = problem_steps(ledger, task, unit, entry, relative)
    if any(problem.severity == ERROR for problem in steps):
        raise LedgerError(_refusal([p for p in steps if p.severity == ERROR], ledger.plan, dated, day))
    warnings = reminders(ledger, task, unit, entry) + steps

    def accept(items):
        return refusals(ledger, unit, entry, items, today) + ([] if force else _repeated(items, entry, relative))

    try:
        line = journal.append(path, yamlio.dump([entry]), journal_header(unit), accept)
    except journal.Refused as error:
        raise LedgerError(_refusal(error.problems, ledger.plan, dated, day)) from None
    except LedgerError as error:
        raise LedgerError(f"没有写入，日志保持原样：\n{error}") from None
    message = commit_message(unit, task, entry)
    name, failed = commit_journal(repo, relative, message) if repo else (None, None)
    after = with_journals(ledger, ledger.units_of([task_id]) | {unit}, today.isoformat())
    now = next(s for s in state(after, day).tasks if s.id == task_id)
    return Appended(relative, line, entry, task, unit, now, warnings, name, message.splitlines()[0], failed,
                    tuple(issues.outcome(after, relative, line, day)))


def problem_steps(ledger, task, unit, entry, relative):
    """The Problems of the steps a new entry takes on the problem list (--problem, --resolves, clear): errors
    when it resolves no open problem of the task raised by its day, or would renumber or undo what is
    written; warnings when it says nothing new."""
    if not (entry.get("problems") or entry.get("resolves") or "problems" in entry.get("clear", ())):
        return []
    elsewhere = rules.resolves_own_task(ledger, unit, entry, ())
    if elsewhere:
        return elsewhere
    known = with_journals(ledger, ledger.units_of([task.id]) | {unit}, None)
    given = {name: entry.get(name) for name in records.Entry._fields}
    given.update(actuals=tuple(entry.get("actuals", {}).items()), clear=tuple(entry.get("clear", ())),
                 resolves=tuple(entry.get("resolves", ())), unit=unit, file=relative, line=issues.NEW_LINE)
    return issues.judge_new(known, task.id, records.Entry(**given))


def _repeated(items, entry, relative):
    """A Problem when the journal already holds this entry: same task, date, progress and correction."""
    same = ("task", "date", "progress", "corrects")
    for item in items:
        if all(str(item.get(key)) == str(entry.get(key)) for key in same):
            return [Problem("", 0, f"{relative} 第 {item['line']} 行已有同一天、同一任务、同样进展的条目（重复报送？）；"
                                   "确实要再写一条，请加 --force", "force")]
    return []


def refusals(ledger, unit, entry, items, today):
    """The errors that forbid appending entry to unit's journal, whose items (models.read_journal) are these
    inside its lock: the entry rules and the clock rules, as for every entry read."""
    originals = {(item["task"], item["date"]) for item in items
                 if "task" in item and "date" in item and not item.get("corrects")}
    item = dict(entry)
    found = (rules.judge(rules.ENTRY_RULES, ledger, unit, item, originals)
             + rules.judge(rules.CLOCK_RULES, ledger, unit, item, originals, today.isoformat()))
    return [problem for problem in found if problem.severity == ERROR]


def journal_header(unit):
    """The comment a new journal starts with."""
    return f"# {unit}工作进展日志。只在末尾追加新条目；已写入的条目不要修改，更正请追加一条新条目并说明。\n"


def reminders(ledger, task, unit, entry):
    """What the clerk should know about an entry that is valid: a supporting unit's status and percent are
    recorded, but a task's state is its responsible units' to give."""
    responsible = ledger.responsible(task)
    if unit in responsible or not ({"status", "percent"} & set(entry)):
        return []
    return [Problem("", 0, f"{unit}是第 {task.id} 项任务的参与单位：报的状态和进度照常记录，但任务的状态、进度和灯"
                           f"只看牵头单位（{'、'.join(responsible)}）的报送", "percent", WARNING)]


def commit_message(unit, task, entry):
    return f"进展({unit}): {task.id} {task.title} — {given(entry)}\n\n{yamlio.dump([entry])}"


def ready_to_commit(root, relative):
    """The repository to commit to, once git can commit the journal alone; LedgerError (nothing written) if not."""
    from ledger.files import git  # noqa: PLC0415 - git only when asked to commit

    try:
        repo = git.Repo(root)
        repo.ready_to_commit(relative)
    except LedgerError as error:
        raise LedgerError(f"没有写入，日志保持原样：\n--commit：{error}", usage=error.usage) from None
    return repo


def commit_journal(repo, relative, message):
    """(the new commit's short name, None), or (None, why not) when git refused to commit."""
    try:
        return repo.commit(relative, message), None
    except LedgerError as error:
        return None, f"条目已写入 {relative}，但没有提交：{error}\n请查看后自己提交：git commit -- {relative}"


def only_responsible(ledger, task):
    """The unit that reports on the task when none is named: its only responsible unit; a usage error otherwise."""
    responsible = ledger.responsible(task)
    if len(responsible) == 1:
        return responsible[0]
    if not responsible:
        raise LedgerError(f"第 {task.id} 项任务没有点名单位，也没有指定办公室；请在 {store.CONFIG} 里用 office 指定"
                          "办公室（没有点名单位的任务由它报送），或用 --unit 指明报送单位", usage=True)
    candidates = "、".join(responsible + task.support_units)
    raise LedgerError(f"第 {task.id} 项任务有多个责任单位（{candidates}）；"
                      "请用 --unit 或环境变量 LEDGER_UNIT 指明报送单位", usage=True)


def new_entry(task, day, fields):
    """The entry to append, in the journal's field order, with only the fields given; an empty --problem or
    --next clears that field. Texts are trimmed; a percent may be written 50%; a metric by a unique part of its
    name; a LedgerError (usage) says what to write instead of a status, number or metric that cannot be."""
    text = {name: _trimmed(fields.get(name)) for name in ("progress", "problems", "next", "reporter")}
    percent = _percent(fields.get("percent"))
    status = _status(_trimmed(fields.get("status"))) or (DONE if percent == 100 else None)
    clear = [name for name in CLEARABLE if text[name] == ""]
    entry = {"date": day.isoformat(), "task": task.id, "corrects": fields.get("corrects"), "status": status,
             "percent": percent, "progress": text["progress"], "problems": text["problems"] or None,
             "next": text["next"] or None, "actuals": _metrics(task, fields.get("metric") or []), "clear": clear,
             "resolves": list(dict.fromkeys(fields.get("resolves") or ())), "reporter": text["reporter"] or None}
    return {key: value for key, value in entry.items() if value not in (None, {}, [])}


def _trimmed(value):
    return value.strip() if isinstance(value, str) else value


def _number(value):
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _percent(value):
    """The percent given, as a number: 50, 50.5, "50", "50%" (the sign is optional); None when not given."""
    if value is None or isinstance(value, (int, float)):
        return None if value is None else _number(float(value))
    text = value.strip().rstrip("%％").strip()
    try:
        return _number(float(text))
    except ValueError:
        raise LedgerError(f"--percent 的值“{value}”不是数字；写 0 到 100 之间的数，例如 --percent 50（也可写 50%）",
                          usage=True) from None


def _status(value):
    """The status given, if it is one; a usage error naming the one meant for a common other word."""
    if not value or value in STATUSES:
        return value or None
    meant = STATUS_WORDS.get(value) or next((status for status in STATUSES if value in status), None)
    hint = f"是不是“{meant}”？" if meant else ""
    raise _refused("--status", f"“{value}”不是可用的状态；{hint}可用：{'、'.join(STATUSES)}")


def _refused(option, message):
    """The LedgerError of an entry refused for what an option gives, as _refusal words it."""
    return LedgerError(f"没有写入，日志保持原样：\n{option}：{message}")


def _metrics(task, given_metrics):
    names = [target.name for target in task.targets]
    actuals = {}
    for item in given_metrics:
        name, equals, value = item.rpartition("=")
        name, value = name.strip(), value.strip()
        if not equals or not name or not value:
            raise LedgerError(f"--metric 的值“{item}”应写成 名称=数值，例如 --metric {names[0] if names else '指标名'}=3",
                              usage=True)
        target = _target(task, name)
        if target is None and re.fullmatch(r"[-+]?\d+(\.\d+)?", value):
            actuals[name] = _number(float(value))  # no such target: the rules say so, with the others the entry breaks
        elif target is None:
            known = "、".join(f"{number} {t.name}" for number, t in enumerate(task.targets, 1)) or "无（这项任务没有数值指标）"
            raise _refused("--metric", f"第 {task.id} 项任务没有指标“{name}”；可用（序号 名称）：{known}")
        else:
            actuals[target.name] = _metric_value(target, value)
    return actuals


def _target(task, name):
    """The task's target named by name: its full name, its number in `ledger show`, or a unique part of its name;
    None when no target's name holds it."""
    targets = list(task.targets)
    if name.isdigit() and 1 <= int(name) <= len(targets):
        return targets[int(name) - 1]
    found = [t for t in targets if t.name == name] or [t for t in targets if name in t.name]
    if len(found) > 1:
        raise _refused("--metric", f"指标名“{name}”有歧义，可能是：{'、'.join(t.name for t in found)}；请写全称或序号")
    return found[0] if found else None


def _metric_value(target, value):
    """The number a metric's value gives: no unit after it, negative only for a rate of growth."""
    try:
        number = float(value)
    except ValueError:
        number = None
    if number is None or number != number or number in (float("inf"), float("-inf")):
        bare = re.match(r"[-+]?\d+(?:\.\d+)?", value)
        if bare:
            raise _refused("--metric", f"{target.name}={value}：数值不带单位（单位为 {target.measure}）；"
                                       f"写成 --metric {target.name}={bare.group()}")
        raise _refused("--metric", f"{target.name}={value}：“{value}”不是数字；例如 --metric {target.name}=3")
    if number < 0 and target.kind != "growth":
        raise _refused("--metric", f"{target.name}={value}：完成值不能是负数（只有增长率可以为负）")
    return _number(number)


def _refusal(problems, plan, dated, day, options=None):
    """The message of a refused write: each problem under the option that gave the value (options: field ->
    option, OPTION_OF by default)."""
    options = options or OPTION_OF
    lines = []
    for problem in problems:
        if problem.field == "date" and not dated:  # the user gave no date: say which one was used, and why not
            lines.append(f"没有给 --date，报送日期取的是今天（{day}），不在计划期（{plan.start} 至 {plan.end}）内；"
                         f"补报计划期内某一天的进展，请用 --date 指明那一天，例如 --date {plan.end}")
        else:
            lines.append(f"{options.get(problem.field.split('.')[0], problem.field)}：{problem.message}")
    return "没有写入，日志保持原样：\n" + "\n".join(lines)

