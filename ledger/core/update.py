"""`ledger update`: one new entry, judged by the same models and rules as every entry, appended to the
reporting unit's journal; then where the task stands."""

from typing import NamedTuple

from ledger.core import issues, rules
from ledger.core.load import with_journals
from ledger.core.queries import given
from ledger.core.state import state
from ledger.files import journal, records, store, yamlio
from ledger.files.models import entry_errors
from ledger.vocab import CLEARABLE, DONE, ERROR, WARNING, LedgerError, Problem

OPTION_OF = {"task": "任务序号", "date": "--date", "status": "--status", "percent": "--percent",
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


def record(ledger, task_id, unit, day, fields, today, dated=True, commit=False):
    """Appends the entry (fields: the options as given) for unit, or for the task's only responsible unit;
    raises LedgerError, writing nothing, when the entry is invalid or git could not commit it alone.

    dated: whether the user gave the day; today: the clock's day, which no entry may come after."""
    task = ledger.tasks.get(task_id)
    if task is None:
        raise LedgerError(f"没有第 {task_id} 项任务；任务序号为 {rules.ranges(ledger.tasks)}", usage=True)
    unit = unit or _only_responsible(ledger, task)
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
        return refusals(ledger, unit, entry, items, today)

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


def _only_responsible(ledger, task):
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
    --next clears that field."""
    percent = _number(fields["percent"])
    status = fields["status"] or (DONE if percent == 100 else None)
    clear = [name for name in CLEARABLE if fields[name] == ""]
    entry = {"date": day.isoformat(), "task": task.id, "corrects": fields["corrects"], "status": status,
             "percent": percent, "progress": fields["progress"], "problems": fields["problems"] or None,
             "next": fields["next"] or None, "actuals": _metrics(task, fields["metric"]), "clear": clear,
             "resolves": list(dict.fromkeys(fields.get("resolves") or ())), "reporter": fields["reporter"]}
    return {key: value for key, value in entry.items() if value not in (None, {}, [])}


def _number(value):
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _metrics(task, given_metrics):
    names = [target.name for target in task.targets]
    actuals = {}
    for item in given_metrics:
        name, equals, value = item.rpartition("=")
        try:
            number = _number(float(value))
        except ValueError:
            number = None
        if not equals or not name or number is None:
            raise LedgerError(f"--metric 的值“{item}”应写成 名称=数值，例如 --metric {names[0] if names else '指标名'}=3",
                              usage=True)
        if name.isdigit() and 1 <= int(name) <= len(names):
            name = names[int(name) - 1]
        actuals[name.strip()] = number
    return actuals


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

