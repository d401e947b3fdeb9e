"""ledger.load(root) -> Ledger: every file read, validated by the models and judged by the rules. Bad data
never raises: it is left out of the Ledger and said in its problems (beancount's loader.load_file)."""

import json
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from types import MappingProxyType

from ledger.core import issues, rules
from ledger.files import records, store
from ledger.files.store import ACTIONS, CONFIG, PROGRESS, TASKS, UNITS
from ledger.vocab import ERROR, Problem


@dataclass(frozen=True)
class Ledger:
    """Everything read from a ledger's files, complete on return; nothing in it changes afterwards."""

    root: object  # the folder (a Path), or None for a ledger read from strings
    plan: object  # records.Plan; None when the task list cannot be read (then nothing else is judged)
    sections: tuple
    task_rows: tuple  # every task as written, a repeated id included
    tasks: object  # id -> records.Task, the first of each id, in plan order (read-only)
    units: tuple
    config: object  # records.Config: a bad value has fallen back to its default, said in problems
    config_lines: dict
    entries: tuple  # the valid entries of the journals read: journal by journal (by name), in file order
    problems: tuple  # everything found wrong, by file and line
    journals: tuple  # the journals read, as paths relative to the root
    complete: bool  # every journal read (False: only the journals of some units)
    source: object = field(default=None, repr=False, compare=False)
    unit_names: frozenset = field(default=frozenset(), repr=False, compare=False)
    actions: tuple = ()  # the office's valid actions on problems (data/problems.yaml), in file order

    def responsible(self, task):
        """The units whose reports set a task's state: its lead units, or the office for a task that names none."""
        if task.lead_units:
            return task.lead_units
        return (self.config.office,) if self.config.office else ()

    def units_of(self, task_ids):
        """Every unit that may report on one of the tasks."""
        return {unit for number in task_ids
                for unit in self.responsible(self.tasks[number]) + self.tasks[number].support_units}

    @property
    def errors(self):
        """The problems that keep an entry or a value out (warnings left aside)."""
        return tuple(problem for problem in self.problems if problem.severity == ERROR)


def load(root, today=None, units=None):
    """The ledger at root. today (YYYY-MM-DD) enables the rule that no entry is dated after it; units, when
    given, limits the journals read to theirs (`status --unit` needs no others)."""
    return _load(_Files(Path(root)), today, units)


def load_string(tasks, units="units: []\n", config=None, journals=(), today=None, actions=None):
    """A ledger from texts, for tests and tools: tasks.yaml, units.yaml and config.yaml as text, journals
    as {unit name: text}, and the office's actions on problems (data/problems.yaml) as text. Nothing is
    read from disk and nothing cached."""
    texts = {TASKS: tasks, UNITS: units, CONFIG: config, ACTIONS: actions}
    texts.update({f"{PROGRESS}/{unit}.yaml": text for unit, text in dict(journals).items()})
    return _load(_Given({name: text.encode() for name, text in texts.items() if text is not None}), today, None)


def load_files(files, root=None, today=None, units=None):
    """A ledger from its files' bytes as git holds them in a commit or the index: files maps a path relative
    to the ledger's root to bytes, or to the Problem that keeps it from being read (a symbolic link, say).
    root, when given, is the ledger the files belong to: the results are cached for it."""
    return _load(_Given(files, root), today, units)


def with_journals(ledger, units, today=None):
    """The same ledger with the journals of these units read (instead of those it had)."""
    return _read_journals(ledger, ledger.source, today, units)


class _Files:
    """A ledger's files on disk, read through the cache."""

    def __init__(self, root):
        self.root = root

    def read(self, relative):
        journal = relative.startswith(f"{PROGRESS}/") or relative == ACTIONS  # written to: never through a link
        return store.read_bytes(self.root, relative, follow=not journal)

    def journals(self):
        return [f"{PROGRESS}/{path.name}" for path in store.journal_files(self.root)]

    def refused(self):
        """Problems that keep every journal from being read: a data/progress/ that is a symbolic link."""
        problem = store.progress_problem(self.root)
        return [problem] if problem else []

    def cached(self, relative, data, context, compute):
        return store.cached(self.root, relative, data, context, compute)


class _Given:
    """A ledger's files given as bytes (or the Problem that keeps one from being read), by relative path."""

    def __init__(self, files, root=None):
        self.files, self.root = files, root

    def read(self, relative):
        found = self.files.get(relative)
        return (None, found) if isinstance(found, Problem) else (found, None)

    def journals(self):
        return sorted(relative for relative in self.files if relative.startswith(f"{PROGRESS}/")
                      and "/" not in relative[len(PROGRESS) + 1:] and not relative.rpartition("/")[2].startswith("."))

    def refused(self):
        return []

    def cached(self, relative, data, context, compute):
        return store.cached(self.root, relative, data, context, compute) if self.root is not None else compute()


def _load(source, today, units):
    problems = []
    tasks_file = _read(source, TASKS, "tasks", problems) or {"plan": None, "sections": [], "tasks": []}
    unit_rows = _read(source, UNITS, "units", problems) or []
    config_row = _read(source, CONFIG, "config", problems) or _default_config()
    config_lines = config_row.pop("lines", {})
    task_rows = tuple(records.task(row) for row in tasks_file["tasks"])
    tasks = {}
    for task in task_rows:
        tasks.setdefault(task.id, task)
    unit_records = tuple(records.unit(row) for row in unit_rows)
    plan = records.Plan(**tasks_file["plan"]) if tasks_file["plan"] else None
    config = records.Config(**config_row)
    if config.office is None and plan:
        config = config._replace(office=_issuing_office(plan.issuer, unit_records))
    ledger = Ledger(source.root, plan, tuple(records.Section(**s) for s in tasks_file["sections"]), task_rows,
                    MappingProxyType(tasks), unit_records, config, config_lines, (), (), (), False, source,
                    frozenset(unit.name for unit in unit_records))
    if plan is None:
        problems.append(Problem(TASKS, 0, "任务清单无法读取，进展日志都没有校验；请先改正任务清单"))
    else:
        problems += [problem for rule in rules.FILE_RULES for problem in rule(ledger)]
    ledger = replace(ledger, problems=tuple(problems))
    return _read_journals(ledger, source, today, units) if plan else ledger


def _read(source, relative, kind, problems):
    data, problem = source.read(relative)
    if problem:
        problems.append(problem)
    if data is None:
        if not problem and kind != "config":
            problems.append(Problem(relative, 0, "找不到这个文件；台账需要 data/tasks.yaml 和 data/units.yaml"))
        return None
    value, found = source.cached(relative, data, kind, lambda: store.validate_bytes(data, relative, kind))
    problems += found
    return value


def _default_config():
    """models.Config's defaults (a test holds the two together), without importing pydantic."""
    return {"yellow_gap": 10, "red_gap": 30, "cycle": "monthly", "report_day": 25, "office": None,
            "weight_reporting": 20, "weight_pace": 30, "weight_completion": 20, "weight_targets": 15,
            "weight_problems": 15, "deduct_red": 1, "deduct_late": 0.5, "deduct_overdue": 2}


def _issuing_office(issuer, units):
    """The registered unit that issued the plan (冠县人民政府办公室 -> 县政府办公室), or None: the longest
    name or alias the issuer ends with, 人民政府 read as 政府."""
    issuer = issuer.replace("人民政府", "政府")
    found = [(len(name), unit.name) for unit in units for name in (unit.name, *unit.aliases)
             if name and issuer.endswith(name.replace("人民政府", "政府"))]
    return max(found)[1] if found else None


def _read_journals(ledger, source, today, units):
    """ledger with the journals (of units, when given) and the office's actions read and judged, and their
    problems added."""
    base = [problem for problem in ledger.problems
            if not problem.file.startswith(f"{PROGRESS}/") and problem.file != ACTIONS]
    entries, problems, read = _journal_entries(ledger, source, today, units)
    actions, found = _office_actions(ledger, source, today)
    ledger = replace(ledger, entries=tuple(entries), actions=actions, journals=tuple(read), complete=units is None)
    # the steps on a problem are judged only where every journal that may raise it was read
    covered = None if units is None else [t for t in ledger.tasks if ledger.units_of([t]) <= set(units)]
    problems = sorted(set(base + problems + found + issues.checks(ledger, covered)),
                      key=lambda p: (p.file, p.line, p.message))
    return replace(ledger, problems=tuple(problems))


def _office_actions(ledger, source, today):
    """(the office's valid actions, problems) of data/problems.yaml: the Action model, then ACTION_RULES."""
    data, problem = source.read(ACTIONS)
    if data is None:
        return (), [problem] if problem else []
    context = json.dumps([ledger.plan.start, ledger.plan.end, sorted(ledger.unit_names), list(ledger.tasks)],
                         ensure_ascii=False)
    rows, problems = source.cached(ACTIONS, data, context, lambda: _judge_actions(ledger, data))
    actions = []
    for row in rows:
        action = records.Action(**row)
        late = rules.date_not_future(ledger, None, row, (), today) if today else []
        problems += [p._replace(file=ACTIONS, line=action.lines.get("date", action.line)) for p in late]
        if not late:
            actions.append(action)
    return tuple(actions), problems


def _judge_actions(ledger, data):
    """(the valid action rows, problems) of the office's actions file's bytes."""
    rows, problems = store.validate_bytes(data, ACTIONS, "actions")
    valid = []
    for row in rows or ():
        found = [p._replace(file=ACTIONS, line=row["lines"].get(p.field, row["line"]))
                 for rule in rules.ACTION_RULES for p in rule(ledger, row)]
        problems += found
        if not found:
            valid.append(row)
    return valid, problems


def _journal_entries(ledger, source, today, units):
    """(entries, problems, journals read) of the journals (of units, when given), one journal at a time."""
    problems, entries, read, shared = source.refused(), [], [], {}
    context = _context(ledger)
    for relative in source.journals():
        unit = PurePosixPath(relative).stem
        if units is not None and unit not in units:
            continue
        if not relative.endswith(".yaml"):
            problems.append(Problem(relative, 0, f"日志文件扩展名应为 .yaml；请改名为 {unit}.yaml"))
            continue
        if unit not in ledger.unit_names:
            problems.append(Problem(relative, 0, rules.unknown_journal(ledger, unit)))
            continue
        data, problem = source.read(relative)
        if data is None:
            problems += [problem] if problem else []
            continue
        read.append(relative)
        value, found = source.cached(relative, data, context,
                                     lambda: _judge_journal(ledger, relative, unit, data))
        problems += found
        with store.collector_paused():
            mine = records.entries(value["entries"], unit, relative, shared)
        if today and value["latest"] > today:
            mine, late = _clock(ledger, source, relative, unit, mine, today)
            problems += late
        entries += mine
    return entries, problems, read


def _context(ledger):
    """What the entry rules depend on besides the journal itself, as text: part of each journal's cache key."""
    plan, config = ledger.plan, ledger.config
    tasks = [[t.id, t.lead_units, t.support_units, [target.name for target in t.targets]] for t in ledger.tasks.values()]
    return json.dumps([plan.start, plan.end, config.office, tasks], ensure_ascii=False)


def _judge_journal(ledger, relative, unit, data):
    """({the valid entries as stored, their latest date}, problems) of one journal: the models, then ENTRY_RULES."""
    from ledger.files import models, yamlio  # noqa: PLC0415 - only when the cache misses

    empty = {"entries": records.stored([]), "latest": ""}
    text, problem = yamlio.decode(data, relative)
    if problem:
        return empty, [problem]
    value, parsed = yamlio.parse(text, relative)
    if value is None:
        return empty, parsed
    items, modelled = models.read_journal(value, relative)
    refused = {problem.line for problem in parsed}  # a value the parser refused is not judged again as missing
    problems = parsed + [problem for problem in modelled if problem.line not in refused]
    written = dict(zip(value.item_lines, value)) if isinstance(value, list) else {}
    journal = {(item["task"], item["date"]) for item in items
               if "task" in item and "date" in item and not item.get("corrects")}
    valid = []
    for item in items:
        found = [p._replace(file=relative, line=_field_line(written.get(item["line"]), p.field, item["line"]))
                 for p in rules.judge(rules.ENTRY_RULES, ledger, unit, item, journal)]
        problems += found
        if item["valid"] and not _spoiled(item, refused) and all(p.severity != ERROR for p in found):
            valid.append(item)
    return {"entries": records.stored(valid), "latest": max((item["date"] for item in valid), default="")}, problems


def _spoiled(item, lines):
    """Whether a problem the parser found stands on one of the item's lines (a duplicate key, say)."""
    end = item["end"] or float("inf")
    return any(item["line"] <= line < end for line in lines)


def _field_line(written, field_name, line):
    """The line of a field of a journal item (written: the item as read, with its keys' lines)."""
    if not hasattr(written, "line_of"):
        return line
    if field_name.startswith("actuals."):
        actuals = written.get("actuals")
        return actuals.line_of(field_name[len("actuals."):]) if hasattr(actuals, "line_of") else written.line_of("actuals")
    return written.line_of(field_name)


def _clock(ledger, source, relative, unit, entries, today):
    """(entries kept, problems) after CLOCK_RULES: entries dated after today are refused."""
    kept, problems, written = [], [], None
    for entry in entries:
        found = rules.judge(rules.CLOCK_RULES, ledger, unit, entry._asdict(), (), today)
        if not found:
            kept.append(entry)
            continue
        if written is None:
            written = _written_items(source, relative)
        problems += [p._replace(file=relative, line=_field_line(written.get(entry.line), p.field, entry.line))
                     for p in found]
    return kept, problems


def _written_items(source, relative):
    """line -> the journal's item as read with its keys' lines, to place a problem on its field's line."""
    from ledger.files import yamlio  # noqa: PLC0415 - only when there is a problem to place

    data, _ = source.read(relative)
    text, _ = yamlio.decode(data or b"", relative)
    value, _ = yamlio.parse(text or "", relative)
    return dict(zip(value.item_lines, value)) if isinstance(value, list) else {}
