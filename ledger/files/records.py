"""The ledger's data as the program uses it: immutable records made from what the models validated.

The pydantic models (models.py) declare every field, its type and its default; a record holds one model's
dump, field for field in the same order (a test holds the two together), plus where it was read. Records
are plain tuples, so that a warm run builds them from the cache without importing pydantic.
"""

from itertools import repeat
from typing import NamedTuple, Optional


class Plan(NamedTuple):
    title: str
    issuer: str
    number: str
    date: str
    start: str
    end: str
    source: Optional[str]


class Section(NamedTuple):
    id: int
    numeral: str
    title: str
    line: int
    lines: dict


class Target(NamedTuple):
    name: str
    value: float
    measure: str
    comparator: str
    kind: str
    source: str


class Task(NamedTuple):
    id: int
    section: int
    title: str
    text: str
    lead_units: tuple
    support_units: tuple
    coordination: bool
    due: str
    targets: tuple  # of Target
    line: int
    lines: dict  # field -> line, for messages


class Unit(NamedTuple):
    name: str
    aliases: tuple
    reviewers: tuple
    accounts: tuple  # who may push the unit's journal to a central repository made by `ledger hub init`
    line: int
    lines: dict


class Config(NamedTuple):
    yellow_gap: float
    red_gap: float
    cycle: str
    report_day: int
    office: Optional[str]
    weight_reporting: float
    weight_pace: float
    weight_completion: float
    weight_targets: float
    weight_problems: float
    deduct_red: float
    deduct_late: float
    deduct_overdue: float


class Entry(NamedTuple):
    """One valid journal entry: what it gives (None: not given), its unit and where it stands."""

    date: str
    task: int
    corrects: Optional[str]
    status: Optional[str]
    percent: Optional[float]
    progress: str
    problems: Optional[str]
    next: Optional[str]
    actuals: tuple  # ((metric name, value), ...)
    clear: tuple  # field names this entry clears
    resolves: tuple  # ids of the problems this entry says are solved
    reporter: Optional[str]
    unit: str
    file: str
    line: int
    end: Optional[int]  # the line where the next item of the journal begins; None for the last


class Action(NamedTuple):
    """One valid step the office took on a problem (data/problems.yaml), and where it stands."""

    date: str
    problem: str
    action: str
    unit: Optional[str]
    due: Optional[str]
    note: str
    reporter: Optional[str]
    line: int
    lines: dict


# what a journal's entries are stored as in the cache: one list per field (the fewest objects to decode and
# build), actuals, clear and resolves only for the entries that give them
SPARSE = ("actuals", "clear", "resolves")  # given by few entries: kept only for those
STORED = tuple(name for name in Entry._fields if name not in (*SPARSE, "unit", "file"))
SHARED = ("date", "task", "status", "progress", "problems", "next", "reporter")  # values that repeat: one object each


def stored(items):
    """A journal's valid entries (model dumps with line and end) as the cache keeps them."""
    columns = {name: [item[name] for item in items] for name in STORED}
    sparse = {name: [[index, item[name]] for index, item in enumerate(items) if item[name]] for name in SPARSE}
    sparse["actuals"] = [[index, list(pairs.items())] for index, pairs in sparse["actuals"]]
    return {"columns": columns, **sparse}


def entries(value, unit, file, shared):
    """The Entry records of a journal as the cache keeps it (see stored). shared: text -> the one object of
    that text, kept across journals, so that a thousand entries dated 2023-06-25 hold one string."""
    columns = value["columns"]
    count = len(columns["date"])
    for name in SHARED:
        columns[name] = map(shared.setdefault, columns[name], columns[name])
    given = {"unit": repeat(unit, count), "file": repeat(file, count)}
    for name in SPARSE:
        given[name] = [()] * count
        for index, values in value[name]:
            given[name][index] = tuple(map(tuple, values)) if name == "actuals" else tuple(values)
    return list(map(tuple.__new__, repeat(Entry, count),
                    zip(*(given[name] if name in given else columns[name] for name in Entry._fields))))


def task(row):
    targets = tuple(Target(**target) for target in row["targets"])
    return Task(**{**row, "lead_units": tuple(row["lead_units"]), "support_units": tuple(row["support_units"]),
                   "targets": targets})


def unit(row):
    return Unit(**{**row, "aliases": tuple(row["aliases"]), "reviewers": tuple(row["reviewers"]),
                   "accounts": tuple(row["accounts"])})
