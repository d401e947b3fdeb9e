"""ledger.load(root) -> Ledger: every file read, validated by the models and judged by the rules. Bad data
never raises: it is left out of the Ledger and said in its problems (beancount's loader.load_file)."""

import json
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from types import MappingProxyType

from ledger.core import issues, rules
from ledger.core.state import timeline
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
    entries: object  # Entries: the valid entries of the journals read, journal by journal (by name), in file order
    problems: tuple  # everything found wrong, by file and line
    journals: tuple  # the journals read, as paths relative to the root
    complete: bool  # every journal read (False: only the journals of some units)
    source: object = field(default=None, repr=False, compare=False)
    unit_names: frozenset = field(default=frozenset(), repr=False, compare=False)
    actions: tuple = ()  # the office's valid actions on problems (data/problems.yaml), in file order
    index: object = field(default=None, repr=False, compare=False)  # files.index.Index the state is read from

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

    def stamp(self, relative):
        return store.stamp(self.root, relative)

    def index(self, context):
        """The index for this context, opened once per process."""
        from ledger.files.index import open_index  # noqa: PLC0415 - sqlite3 only where there is an index

        opened = getattr(self, "opened", {})
        if context not in opened:
            self.opened = {context: open_index(self.root, context)}
        return self.opened[context]


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

    def stamp(self, relative):
        return None

    def index(self, context):
        return None  # other versions of the files (a commit, the index of git) are folded from their entries


class Entries:
    """The valid entries of a ledger, read-only: held in memory, or read from the index when asked for."""

    def __init__(self, held=(), index=None, files=()):
        self.held, self.index, self.files = tuple(held), index, tuple(files)

    def _clause(self, condition, using=None):
        """The WHERE clause (after INDEXED BY using, when given) that keeps the journals read and condition.
        +file: the journals read never choose the index; the condition's own (task, steps) does, or using."""
        known = f"+file IN ({', '.join('?' * len(self.files))})"
        return f"INDEXED BY {using} " * bool(using) + f"WHERE {known}" + (f" AND {condition}" if condition else "")

    def _where(self, condition="", parameters=(), using=None):
        if not self.files:
            return []
        return self.index.entries(self._clause(condition, using), (*self.files, *parameters))

    def all(self):
        if self.index is None:
            return self.held
        if not hasattr(self, "_all"):
            self._all = tuple(self._where())
        return self._all

    def __iter__(self):
        return iter(self.all())

    def __len__(self):
        return len(self.all())

    def __getitem__(self, number):
        return self.all()[number]

    def __eq__(self, other):
        return tuple(self) == tuple(other)

    def of_tasks(self, ids):
        """The entries of these tasks, in journal and file order."""
        ids = set(ids)
        if self.index is None:
            return tuple(entry for entry in self.held if entry.task in ids)
        return tuple(self._where(f"task IN ({', '.join('?' * len(ids))})", tuple(ids))) if ids else ()

    def steps_of(self, ids):
        """Of the entries of these tasks, those the problem list is folded from (in journal and file order):
        every entry that raises, resolves or clears a problem, every correction, and for each correction the
        entries of the day it corrects (its task, its journal), among which is the entry it corrects."""
        if self.index is None or not ids:
            return self.of_tasks(ids)
        ids = tuple(set(ids))
        found = {(e.file, e.line): e for e in self._where(
            f"task IN ({', '.join('?' * len(ids))}) AND (problems IS NOT NULL OR resolves IS NOT NULL "
            "OR clear IS NOT NULL OR corrects IS NOT NULL)", ids)}
        for fix in [e for e in found.values() if e.corrects]:
            found.update(((e.file, e.line), e) for e in self._where("task = ? AND date = ? AND file = ?",
                                                                    (fix.task, fix.corrects, fix.file)))
        return tuple(found[key] for key in sorted(found))

    def tasks_with_steps(self):
        """The tasks of the entries that raise, resolve or clear a problem."""
        if self.index is None:
            return {e.task for e in self.held if issues.takes_step(e)}
        steps = ("((problems IS NOT NULL AND problems != '') OR resolves IS NOT NULL OR clear LIKE '%\"problems\"%')"
                 " AND (problems IS NOT NULL OR resolves IS NOT NULL OR clear IS NOT NULL)")  # the partial index's terms
        return self.index.entry_tasks(self._clause(steps), self.files) if self.files else set()

    def resolving(self):
        """The entries that say problems are solved (resolves: [...]), in journal and file order."""
        if self.index is None:
            return tuple(entry for entry in self.held if entry.resolves)
        return tuple(self._where("resolves IS NOT NULL", using="entries_resolving"))  # not the (larger) steps index

    def at(self, file):
        """The entries of one journal, in file order."""
        if self.index is None:
            return tuple(entry for entry in self.held if entry.file == file)
        return tuple(self._where("file = ?", (file,)))

    def between(self, first, last):
        """The entries dated first to last (ISO days, both included), in journal and file order."""
        if self.index is None:
            return tuple(entry for entry in self.held if first <= entry.date <= last)
        return tuple(self._where("date BETWEEN ? AND ?", (first, last)))


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
                    MappingProxyType(tasks), unit_records, config, config_lines, Entries(), (), (), False, source,
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
    index = source.index(_context(ledger))
    if index is not None:
        entries, problems, read = _indexed_journals(ledger, source, index, today, units)
    else:
        entries, problems, read = _journal_entries(ledger, source, today, units)
        entries = Entries(entries)
    actions, found = _office_actions(ledger, source, today)
    ledger = replace(ledger, entries=entries, actions=actions, journals=tuple(read), complete=units is None,
                     index=entries.index)
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
    candidates, problems = _journal_files(ledger, source, units)
    entries, read, shared = [], [], {}
    context = _context(ledger)
    for relative, unit in candidates:
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


def _journal_files(ledger, source, units):
    """(journals to read as (path, unit), problems of files that are no journal of a registered unit)."""
    problems, found = source.refused(), []
    for relative in source.journals():
        unit = PurePosixPath(relative).stem
        if units is not None and unit not in units:
            continue
        if not relative.endswith(".yaml"):
            problems.append(Problem(relative, 0, f"日志文件扩展名应为 .yaml；请改名为 {unit}.yaml"))
        elif unit not in ledger.unit_names:
            problems.append(Problem(relative, 0, rules.unknown_journal(ledger, unit)))
        else:
            found.append((relative, unit))
    return found, problems


# a file the index read less than this after its last change (ctime) is read again next time: a change within the
# same tick of a coarse file-system clock would leave its stamp as it was (git's "racy" files)
RACY = 2 * 10 ** 9


def _indexed_journals(ledger, source, index, today, units):
    """(Entries read from the index, problems, journals read), the index brought up to date first: a journal
    whose bytes or rules changed is judged again, and the timelines of the tasks it touches folded again."""
    candidates, problems = _journal_files(ledger, source, units)
    held, read, stale, late, restamp = index.journals(), [], {}, False, []
    for relative, unit in candidates:
        was, status = held.get(relative), source.stamp(relative)  # the stamp before the bytes: a write after shows
        if was and status and was[5] == status[0] and was[2] == index.context and status[1] < was[6] - RACY:
            unchanged = True  # the file is as it was when the index read it: its bytes need not be read
        else:
            data, problem = source.read(relative)
            if data is None:
                problems += [problem] if problem else []
                continue
            key = (len(data), store.digest(data), index.context)
            unchanged = bool(was) and was[:3] == key
            if unchanged and status:
                restamp.append((relative, status[0]))
            elif not unchanged:
                stale[relative] = (unit, data, key, status[0] if status else "")
        read.append(relative)
        if unchanged:
            problems += [Problem(*row) for row in was[4]]
            late = late or bool(today and was[3] > today)
    if restamp:
        with index.writing():
            index.restamp(restamp)
    gone = [file for file in held if file not in read and (units is None or PurePosixPath(file).stem in units)]
    if stale or gone or index.fresh:
        found, late_now = _reindex(ledger, index, stale, gone)
        problems += found
        late = late or bool(today and late_now > today)
    entries = Entries(index=index, files=read)
    if late:  # entries dated after today are refused: fold from the entries that stand, not the timelines
        kept = []
        for relative in read:
            mine, refused = _clock(ledger, source, relative, PurePosixPath(relative).stem, entries.at(relative), today)
            kept += mine
            problems += refused
        entries = Entries(kept)
    return entries, problems, read


def _reindex(ledger, index, stale, gone):
    """Judges the stale journals into the index and folds the timelines they touch again, in one transaction;
    returns (their problems, the latest day of their entries)."""
    problems, latest, shared = [], "", {}
    with index.writing():
        held, touched = index.journals(), set()
        for relative, (unit, data, key, stamp) in stale.items():
            if relative in held and held[relative][:3] == key:  # another process did it meanwhile
                problems += [Problem(*row) for row in held[relative][4]]
                latest = max(latest, held[relative][3])
                continue
            value, found = _judge_journal(ledger, relative, unit, data)
            with store.collector_paused():
                mine = records.entries(value["entries"], unit, relative, shared)
            touched |= index.replace_journal(relative, unit, *key, value["latest"], [list(p) for p in found], mine,
                                             stamp)
            problems += found
            latest = max(latest, value["latest"])
        for relative in gone:
            touched |= index.forget_journal(relative)
        if index.task_ids() != set(ledger.tasks):  # a fresh index (whichever process started it over) has none
            index.set_tasks(ledger.tasks)
            touched = set(ledger.tasks)
        for number in touched & set(ledger.tasks):
            index.set_timeline(number, [(day, *facts) for day, facts in
                                        timeline(ledger, ledger.tasks[number], index.entries("WHERE task = ?", (number,)))])
    return problems, latest


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
