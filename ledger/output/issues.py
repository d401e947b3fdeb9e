"""The problem list as text: `ledger problems`, one problem's steps, the problems on a task's card, and what an
entry or an office action did to the list."""

from ledger.core.issues import record
from ledger.output.render import Column, as_json, lines, render
from ledger.vocab import ISSUE_STATES, OPEN_STATES, STEP


def state_text(row):
    return f"{row['state']}（逾期）" if row["overdue"] else row["state"]


def step_text(event):
    """One step of a problem: 2023-08-21 县水利局提出; 2023-08-23 办公室交办县自然资源和规划局，限 2023-09-15：…"""
    step = STEP[event["step"]]
    if step.by == "entry":  # the entry's progress says how a problem was solved; raising, the problem says enough
        note = f"：{event['note']}" if event["step"] == "resolve" else ""
        return f"{event['date']} {event['unit']}{step.name}{note}"
    assigned = f"{event['unit']}，限 {event['due']}" if event["step"] == "assign" else ""
    return f"{event['date']} 办公室{step.name}{assigned}：{event['note']}"


def last_text(row):
    """2023-08-23 交办县自然资源和规划局: the latest step, without its note (`problem ID` shows every note)."""
    event = row["events"][-1]
    who = event["unit"] if event["step"] == "assign" else ""
    return f"{row['last_date']} {row['last_step']}{who}"


LIST_COLUMNS = [Column("id", "编号"), Column("task", "任务"), Column("text", "问题"), Column("unit", "提出单位"),
                Column("coordinator", "协调单位"), Column("state", "状态", state_text), Column("raised", "提出日期"),
                Column("days", "历时（天）", lambda r: str(r["days"])), Column("due", "办结时限"),
                Column("last_date", "最近办理", last_text)]
CARD_COLUMNS = [Column("id", "编号"), Column("state", "状态", state_text), Column("text", "问题"),
                Column("unit", "提出单位"), Column("coordinator", "协调单位"), Column("due", "办结时限"),
                Column("events", "经过", lambda r: "\n".join(map(step_text, r["events"])))]


def rows(issues, as_of, titles):
    return [record(issue, as_of, titles) for issue in issues]


def problem_list(rows_, as_of, fmt, screen, who=""):
    """`ledger problems`: one row per problem; counts by state and the overdue ones below."""
    if fmt == "json":
        return as_json(rows_)
    if fmt == "csv":
        return render([{k: v for k, v in row.items() if k != "events"} for row in rows_], LIST_COLUMNS, fmt)
    states = [(state.name, sum(1 for row in rows_ if row["state"] == state.name)) for state in ISSUE_STATES]
    counted = " · ".join(f"{name} {count}" for name, count in states if count)
    late = sum(1 for row in rows_ if row["overdue"])
    note = f"共 {len(rows_)} 个问题" + (f"：{counted}" if counted else "") + (f"；其中 {late} 个逾期未解决" if late else "")
    return render(rows_, LIST_COLUMNS, fmt, screen, title=f"{who}问题清单（截至 {as_of}）", notes=[note])


def card_section(rows_, fmt, screen):
    """The problems on a task's card, each with its steps."""
    return render(rows_, CARD_COLUMNS, fmt, screen, title=f"问题（{len(rows_)} 个）") if rows_ else ""


def coordinating(unit, due, state):
    """ · 协调单位 U，限 D 办结 (the deadline only while the problem is open), or nothing before it is assigned."""
    if not unit:
        return ""
    return f" · 协调单位 {unit}" + (f"，限 {due} 办结" if state in OPEN_STATES else "")


def one(row, as_of):
    """`ledger problem ID`: one problem and every step it took."""
    late = f"，已过办结时限 {row['due']}" if row["overdue"] else ""
    coordinator = coordinating(row["coordinator"], row["due"], row["state"])
    out = [f"问题 {row['id']}（第 {row['task']} 项 {row['title']}）：{row['text']}",
           f"截至 {as_of}：{row['state']}{late} · {row['unit']} {row['raised']} 提出，历时 {row['days']} 天{coordinator}",
           "经过："] + [f"  {step_text(event)}" for event in row["events"]]
    return lines(out)


SAID = {"raise": "新问题 {id}：{text}（待协调）",
        "repeat": "与问题 {id} 相同（{state}），不另立新问题",
        "resolve": "问题 {id} 已标为“已解决”，等办公室确认销号",
        "correct": "问题 {id}（{raised} 提出）按更正为：{text}"}


def steps_taken(outcome):
    """What an entry did to the problem list, one line per step, as `update` says it."""
    return lines(SAID[step].format(**issue._asdict()) for step, issue in outcome if step in SAID)


def acted(acted_, said):
    """What `ledger problem` says after it appended an action."""
    issue = acted_.issue
    coordinator = coordinating(issue.coordinator, issue.due, issue.state)
    return lines([f"已追加到 data/problems.yaml 第 {acted_.line} 行：{issue.id} {said}",
                  f"截至 {acted_.action['date']}，问题 {issue.id}（第 {issue.task} 项）：{issue.state}{coordinator}"])
