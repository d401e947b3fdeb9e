"""`ledger update 25` at a terminal without --note: the task's last entry, then each field asked for in turn,
the value carried from before shown as the default (Enter keeps it), then a confirmation. Part of the command
line: it reads the keyboard and writes to the terminal."""

from ledger.core import queries, state
from ledger.core import update as updates
from ledger.files.models import entry_errors
from ledger.output.render import clean, percent
from ledger.vocab import ENTRY_FIELDS, STATUSES, LedgerError

CLEAR = "-"  # typed for 存在问题 or 下步计划: clear what was reported before


def update_fields(ledger, task_id, unit, day, fields):
    """The fields of the update (as cli.update gathers them), the ones not given on the command line asked for.
    LedgerError when the person cancels (n, Ctrl-D)."""
    task = ledger.tasks[task_id]
    now = state.state(ledger, day)
    card = queries.task_card(ledger, now, task_id)
    current = card.state
    print(clean(f"第 {task.id} 项：{task.title}（{unit or '、'.join(current.responsible) or '办公室'}报送，日期 {day}）"))
    if card.entries:
        last = card.entries[-1]
        said = " ".join(part for part in (last["status"], percent(last["percent"]) if last["percent"] is not None
                                          else None) if part)
        print(clean(f"上一条：{last['date']} {last['unit']} {said} {last['progress']}".replace("  ", " ")))
    else:
        print("这项任务还没有进展记录。")
    print(f"直接回车沿用方括号里的值；存在问题、下步计划写 {CLEAR} 清除。")
    asked = dict(fields)
    choices = "/".join(f"{number}.{status}" for number, status in enumerate(STATUSES, 1))
    asked["status"] = fields["status"] or _ask(f"状态（{choices}）", current.status, task, day, "status",
                                               lambda text: STATUSES[int(text) - 1] if text in ("1", "2", "3", "4") else text)
    asked["percent"] = fields["percent"] or _ask("进度（0–100）", _number(current.percent), task, day, "percent")
    asked["progress"] = _ask("进展（必填）", None, task, day, "progress", required=True)
    for name, label in (("problems", "存在问题"), ("next", "下步计划")):
        if fields[name] is None:
            answer = _ask(label, current.problems if name == "problems" else current.next, task, day, name)
            asked[name] = "" if answer == CLEAR else answer
    metrics = list(fields["metric"])
    for number, target in enumerate(task.targets, 1):
        if not any(item.split("=")[0].strip() in (target.name, str(number)) for item in metrics):
            before = current.actuals.get(target.name)
            value = _ask(f"指标 {target.name}（{target.measure}）", _number(before[0]) if before else None, task,
                         day, "metric", check=lambda text, name=target.name: [f"{name}={text}"])
            if value is not None:
                metrics.append(f"{target.name}={value}")
    asked["metric"] = metrics
    entry = updates.new_entry(task, day, asked)
    print("将追加：" + clean("；".join(_said(key, value) for key, value in entry.items() if key not in ("date", "task"))))
    if _read("确认写入？[Y/n]：").strip().lower() not in ("", "y", "yes", "是"):
        raise LedgerError("已取消，没有写入。")
    return asked


def _said(key, value):
    if key == "clear":
        return "清除" + "、".join(ENTRY_FIELDS[name] for name in value)
    if key == "actuals":
        return "、".join(f"{name}={number:g}" for name, number in value.items())
    return f"{ENTRY_FIELDS[key]} {percent(value) if key == 'percent' else value}"


def _number(value):
    return None if value is None else f"{value:g}"


def _ask(label, default, task, day, field, convert=None, required=False, check=None):
    """The text typed for one field (None: Enter, keeping what was reported before), asked again until the
    entry would accept it."""
    shown = f" [{clean(default)}]" if default not in (None, "") else ""
    while True:
        text = _read(f"{label}{shown}：").strip()
        if not text:
            if required:
                print("这一项必填。")
                continue
            return None
        value = convert(text) if convert else text
        try:
            refused = entry_errors(updates.new_entry(task, day, {"progress": "…", field: check(value) if check else value}))
        except LedgerError as error:
            refused = [str(error).split("\n")[-1]]
        if refused:
            print(clean(getattr(refused[0], "message", refused[0])))
            continue
        return value


def _read(prompt):
    try:
        return input(prompt)
    except EOFError:  # Ctrl-D
        print()
        raise LedgerError("已取消，没有写入。") from None
