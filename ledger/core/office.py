"""`ledger problem`: the office's step on a problem — assign, close or reopen — judged by the same model, rules
and fold as every action, then appended to data/problems.yaml under a lock, atomically; and what the
problem is after it."""

from dataclasses import replace
from typing import NamedTuple

from ledger.core import issues, rules
from ledger.core.queries import problem
from ledger.core.update import _refusal
from ledger.files import journal, records, store, yamlio
from ledger.vocab import ERROR, STEP, LedgerError

OPTION_OF = {"problem": "问题编号", "action": "--assign/--close/--reopen", "unit": "--assign", "due": "--due",
             "date": "--date", "note": "--note", "reporter": "--reporter"}
HEADER = ("# 问题办理记录：办公室对各单位所报问题的交办（assign）、销号（close）、重新打开（reopen）。\n"
          "# 由 ledger problem 追加；只在末尾追加，已写入的不要修改，办错了请追加一条新的办理。\n")


class Acted(NamedTuple):
    line: int  # where the new action starts in data/problems.yaml
    action: dict  # as written
    issue: object  # issues.Issue after it, as of its day


def act(ledger, number, key, unit, due, note, reporter, day, today, dated=True):
    """Appends the office's step key (assign, close, reopen) on the problem; raises LedgerError, writing
    nothing, when the step is invalid or does not fit the problem's state as of its day."""
    from ledger.files.models import Action, entry_errors  # noqa: PLC0415 - pydantic only when writing

    ledger, _ = problem(ledger, number)
    action = {"date": day.isoformat(), "problem": number, "action": key, "unit": unit, "due": due, "note": note,
              "reporter": reporter}
    action = {name: value for name, value in action.items() if value is not None}
    options = {**OPTION_OF, "action": f"--{key}"}

    def refusal(problems):
        """update's refusal, in the words of an action: the record kept, the day of the action."""
        message = _refusal(problems, ledger.plan, dated, day, options)
        for said, meant in (("日志保持原样", "问题办理记录保持原样"), ("报送日期", "办理日期"), ("补报计划期内某一天的进展", "记下计划期内某一天的办理")):
            message = message.replace(said, meant)
        return LedgerError(message)

    refused = entry_errors(action, Action)
    if refused:
        raise refusal(refused)
    row = {**dict.fromkeys(records.Action._fields), **action, "line": issues.NEW_LINE, "lines": {}}

    def accept(rows):
        """The problems of the new action, judged with the actions as they are in the file inside the lock."""
        written = tuple(records.Action(**r) for r in rows if not any(rule(ledger, r) for rule in rules.ACTION_RULES))
        found = [p for rule in rules.ACTION_RULES for p in rule(ledger, row)]
        found += rules.date_not_future(ledger, None, row, (), today.isoformat())
        found += issues.judge_new(replace(ledger, actions=written), rules.problem_task(number), records.Action(**row))
        return [p for p in found if p.severity == ERROR]

    try:
        line = journal.append(ledger.root / store.ACTIONS, yamlio.dump([action]), HEADER, accept, "actions",
                              store.ACTIONS)
    except journal.Refused as error:
        raise refusal(error.problems) from None
    except LedgerError as error:
        raise LedgerError(f"没有写入，问题办理记录保持原样：\n{error}") from None
    return Acted(line, action, problem(ledger, number, day)[1])


def said(action):
    """交办县自然资源和规划局，限 2023-09-15 办结 — an action (a mapping) in a few words."""
    if action["action"] == "assign":
        return f"交办{action['unit']}，限 {action['due']} 办结"
    return STEP[action["action"]].name
