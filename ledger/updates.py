"""`ledger update`: one new entry, validated in full, appended to the reporting unit's journal."""

import datetime as dt

from ledger import check, store, yamlio
from ledger.models import entry_errors
from ledger.vocab import DONE, IN_PROGRESS, LedgerError

OPTION_OF = {"task": "任务序号", "date": "--date", "status": "--status", "percent": "--percent",
             "progress": "--note", "corrects": "--corrects", "problems": "--problem", "next": "--next", "actuals": "--metric",
             "reporter": "--reporter"}


def record(ledger, task_id, unit, day, fields, commit=False):
    """Appends the entry and prints where it went; raises LedgerError, writing nothing, when it is invalid.

    commit: then commits that journal alone, refusing before anything is written when git could not."""
    task = ledger.tasks.get(task_id)
    if task is None:
        raise LedgerError(f"没有第 {task_id} 项任务；任务序号为 1–{max(ledger.tasks, default=0)}", code=2)
    unit = unit or _only_lead(task)
    entry = new_entry(task, day, fields)
    problems = entry_errors(entry)
    if problems:
        raise LedgerError(_refusal(problems))
    path = store.journal_path(ledger.root, unit)
    relative = f"{store.PROGRESS}/{path.name}"
    repo = _ready_to_commit(ledger.root, relative) if commit else None
    today = dt.date.today().isoformat()

    def accept(existing):
        seen = {(e["task"], e["date"]) for e in existing}
        return _lines(check.entry_problems(ledger, unit, entry, existing[-1] if existing else None, seen, today))

    header = f"# {unit}工作进展日志。只在末尾追加新条目；已写入的条目不要修改，更正请追加一条新条目并说明。\n"
    try:
        line = store.append(path, yamlio.dump([entry]), header, accept)
    except LedgerError as error:
        raise LedgerError(_refusal_text(str(error))) from None
    except OSError as error:
        raise LedgerError(f"{relative}: 写入失败（{error.strerror}），文件保持原样") from None
    shown = f"{entry['status']} {entry['percent']:g}%" if "percent" in entry else entry["status"]
    print(f"已追加到 {relative} 第 {line} 行：第 {task_id} 项 {task['title']} — {shown}")
    if repo:
        _commit(repo, relative, f"进展({unit}): {task_id} {task['title']} — {shown}\n\n{yamlio.dump([entry])}")


def _ready_to_commit(root, relative):
    """The repository to commit to, once git can commit the journal alone; LedgerError (nothing written) if not."""
    from ledger import gitlog  # noqa: PLC0415 - git only when asked to commit

    try:
        repo = gitlog.Repo(root)
        repo.ready_to_commit(relative)
    except LedgerError as error:
        raise LedgerError(_refusal_text(f"--commit：{error}"), code=error.code) from None
    return repo


def _commit(repo, relative, message):
    try:
        name = repo.commit(relative, message)
    except LedgerError as error:
        raise LedgerError(f"条目已写入 {relative}，但没有提交：{error}\n请查看后自己提交：git commit -- {relative}") from None
    print(f"已提交 {name}：{message.splitlines()[0]}")


def _only_lead(task):
    if len(task["lead_units"]) == 1:
        return task["lead_units"][0]
    if not task["lead_units"]:
        raise LedgerError(f"第 {task['id']} 项是统筹类任务，没有牵头单位；请用 --unit 或环境变量 LEDGER_UNIT 指明报送单位",
                          code=2)
    candidates = "、".join(task["lead_units"] + task.get("support_units", []))
    raise LedgerError(f"第 {task['id']} 项任务有多个责任单位（{candidates}）；"
                      "请用 --unit 或环境变量 LEDGER_UNIT 指明报送单位", code=2)


def new_entry(task, day, fields):
    """The entry to append, in the journal's field order, with only the fields given."""
    percent = _number(fields["percent"])
    status = fields["status"] or (DONE if percent == 100 else IN_PROGRESS)
    entry = {"date": day.isoformat(), "task": task["id"], "corrects": fields["corrects"], "status": status,
             "percent": percent,
             "progress": fields["progress"], "problems": fields["problems"], "next": fields["next"],
             "actuals": _metrics(task, fields["metric"]), "reporter": fields["reporter"]}
    return {key: value for key, value in entry.items() if value not in (None, {})}


def _number(value):
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _metrics(task, given):
    names = [target["name"] for target in task.get("targets", [])]
    actuals = {}
    for item in given:
        name, equals, value = item.rpartition("=")
        try:
            number = _number(float(value))
        except ValueError:
            number = None
        if not equals or not name or number is None:
            raise LedgerError(f"--metric 的值“{item}”应写成 名称=数值，例如 --metric {names[0] if names else '指标名'}=3",
                              code=2)
        if name.isdigit() and 1 <= int(name) <= len(names):
            name = names[int(name) - 1]
        actuals[name.strip()] = number
    return actuals


def _lines(problems):
    return [f"{OPTION_OF.get(field.split('.')[0], field)}：{message}" for field, message in problems]


def _refusal(problems):
    return _refusal_text("\n".join(_lines(problems)))


def _refusal_text(text):
    return f"没有写入，日志保持原样：\n{text}"
