"""The fold against a second, deliberately naive reading of the README's rules (进展怎样计算), on random
ledgers and random days: journals of several units with entries in any order, on shared days, with
corrections, cleared fields, missing percents and statuses. Any difference is a wrong light somewhere."""

import datetime as dt

from hypothesis import example, given, settings
from hypothesis import strategies as st

from conftest import SMALL_TASKS, SMALL_UNITS
from ledger import load_string, state

# small ledger: task 1 led by 县林业局; 2 led by 交通局, supported by 林业局; 3 (due 06-30) and 4 (two leads) by
# 水利局 (4 with 林业局); 5 names no unit
UNITS_OF = {"县林业局": (1, 2, 4), "县交通运输局": (2,), "县水利局": (3, 4)}
LEADS = {1: ("县林业局",), 2: ("县交通运输局",), 3: ("县水利局",), 4: ("县水利局", "县林业局"), 5: ()}
DUE = {1: "2023-12-31", 2: "2023-12-31", 3: "2023-06-30", 4: "2023-12-31", 5: "2023-12-31"}
DAYS = [dt.date(2023, 1, 1) + dt.timedelta(days=n) for n in range(0, 365, 61)]  # few days: many share one
FIELDS = ("status", "percent", "progress", "problems", "next")


@st.composite
def journals(draw):
    written = {}
    for unit, tasks in UNITS_OF.items():
        entries = []
        for _ in range(draw(st.integers(0, 7))):
            entry = {"date": draw(st.sampled_from(DAYS)), "task": draw(st.sampled_from(tasks)),
                     "status": draw(st.sampled_from([None, None, "推进中", "受阻", "未启动", "已完成"])),
                     "percent": draw(st.sampled_from([None, None, 0, 10, 35, 60, 90])),
                     "problems": draw(st.sampled_from([None, None, "问题甲", "问题乙"])),
                     "next": draw(st.sampled_from([None, "计划甲"])),
                     "clear": draw(st.sampled_from([[], [], ["problems"], ["next"]])),
                     "metric": draw(st.sampled_from([None, 5, 9])) if draw(st.booleans()) else None}
            if entry["status"] == "已完成":
                entry["percent"] = None
            entry["clear"] = [f for f in entry["clear"] if entry[f] is None]
            earlier = [e for e in entries if e["task"] == entry["task"] and e["date"] <= entry["date"]
                       and not e.get("corrects")]
            if earlier and draw(st.integers(0, 3)) == 0:
                entry["corrects"] = draw(st.sampled_from(earlier))["date"]
            entries.append(entry)
        written[unit] = entries
    return written


def text(entries):
    out = []
    for n, e in enumerate(entries):
        lines = [f"- date: {e['date']}", f"  task: {e['task']}"]
        lines += [f"  corrects: {e['corrects']}"] if e.get("corrects") else []
        lines += [f"  {f}: {e[f]}" for f in ("status", "percent", "problems", "next") if e[f] is not None]
        lines.append(f"  progress: 第{n}条")
        if e["metric"] is not None and e["task"] == 1:
            lines.append(f"  actuals:\n    完成造林: {e['metric']}")
        if e["clear"]:
            lines.append(f"  clear: [{', '.join(e['clear'])}]")
        out.append("\n".join(lines) + "\n")
    return "".join(out)


def reference(written, as_of):
    """task id -> (status, percent, progress, problems, next, last_report, 完成造林), read off the rules one by one."""
    rows = []  # (date, file, line, unit, entry) with line = the entry's place; progress named by its place
    for unit in sorted(written, key=lambda u: f"data/progress/{u}.yaml"):
        for n, e in enumerate(written[unit]):
            rows.append((e["date"], f"data/progress/{unit}.yaml", n, unit, dict(e, progress=f"第{n}条")))
    counted = [r for r in rows if r[0] <= as_of]
    originals = [r for r in counted if not r[4].get("corrects")]
    effective = []
    for row in originals:
        date, file, n, unit, e = row
        fixes = [r for r in counted if r[4].get("corrects") == date and r[1] == file and r[4]["task"] == e["task"]
                 and target(counted, r) is row]
        for fix in sorted(fixes, key=lambda r: (r[0], r[1], r[2])):
            e = dict(e)
            for f in ("status", "percent", "progress", "problems", "next"):
                if fix[4][f] is not None:
                    e[f] = fix[4][f]
            for f in fix[4]["clear"]:
                e[f] = None
            e["clear"] = [f for f in e["clear"] if fix[4][f] is None] + fix[4]["clear"]
            if fix[4]["metric"] is not None:
                e["metric"] = fix[4]["metric"]
        effective.append((date, file, n, unit, e))
    for fix in counted:  # a correction whose entry is not there stands at the corrected day
        if fix[4].get("corrects") and target(counted, fix) is None:
            effective.append((fix[4]["corrects"], fix[1], fix[2], fix[3], dict(fix[4], corrects=None)))
    found = {}
    for task in LEADS:
        mine = sorted((r for r in effective if r[4]["task"] == task and r[3] in LEADS[task]), key=lambda r: r[:3])
        values = {}
        for f in FIELDS:
            for r in reversed(mine):
                if r[4][f] is not None or f in r[4]["clear"]:
                    values[f] = r[4][f]
                    break
        status = values.get("status") or ("推进中" if mine else None)
        percent = 100 if status == "已完成" else values.get("percent")
        if percent is None and status == "未启动":
            percent = 0
        metrics = sorted((r for r in effective if r[4]["task"] == task and r[4]["metric"] is not None and task == 1),
                         key=lambda r: r[:3])
        found[task] = (status, percent, values.get("progress"), values.get("problems"), values.get("next"),
                       mine[-1][0].isoformat() if mine else None, metrics[-1][4]["metric"] if metrics else None)
    return found


def target(counted, fix):
    same = [r for r in counted if not r[4].get("corrects") and r[1] == fix[1] and r[0] == fix[4]["corrects"]
            and r[4]["task"] == fix[4]["task"]]
    before = [r for r in same if fix[0] > r[0] or r[2] < fix[2]]
    pool = before or same
    return max(pool, key=lambda r: r[2]) if pool else None


def light(found, task, as_of):
    status, percent, *_ = found[task]
    elapsed = round(100 * (min(as_of, dt.date(2023, 12, 31)) - dt.date(2022, 12, 31)).days / 365, 1)
    overdue = status != "已完成" and as_of.isoformat() > DUE[task]
    gap = None if percent is None else elapsed - percent
    if status == "已完成" or (not overdue and gap is not None and status != "受阻" and gap <= 10):
        return "绿"
    if overdue or (gap is not None and gap > 30):
        return "红"
    if status is None:
        return "未报送"
    if status == "受阻" or (gap is not None and gap > 10):
        return "黄"
    return "进度未填"


def entry(day, task, **given):
    return {"date": dt.date.fromisoformat(day), "task": task, "status": None, "percent": None, "problems": None,
            "next": None, "clear": [], "metric": None, **given}


SAME_DAY = {"县林业局": [entry("2023-03-03", 1, percent=10), entry("2023-03-03", 1, percent=12, corrects=dt.date(2023, 3, 3)),
                        entry("2023-03-03", 1, percent=20, problems="问题甲"),
                        entry("2023-05-03", 1, corrects=dt.date(2023, 3, 3), clear=["problems"])],
            "县交通运输局": [], "县水利局": []}


@settings(deadline=None, max_examples=300)
@given(journals(), st.dates(dt.date(2023, 1, 1), dt.date(2024, 1, 31)))
@example(SAME_DAY, dt.date(2023, 5, 31))
def test_the_fold_agrees_with_the_rules_read_naively(written, as_of):
    texts = {unit: text(entries) for unit, entries in written.items() if entries}
    ledger = load_string(SMALL_TASKS, SMALL_UNITS, journals=texts)
    assert ledger.problems == ()
    found = reference(written, as_of)
    for s in state(ledger, as_of).tasks:
        actual = s.actuals.get("完成造林", (None,))[0]
        assert (s.status, s.percent, s.progress, s.problems, s.next, s.last_report, actual) == found[s.id], s.id
        assert s.light == light(found, s.id, as_of), s.id
