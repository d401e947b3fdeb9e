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
    reporter: Optional[str]
    unit: str
    file: str
    line: int
    end: Optional[int]  # the line where the next item of the journal begins; None for the last


# what a journal's entries are stored as in the cache: one list per field (the fewest objects to decode and
# build), actuals and clear only for the entries that give them
STORED = tuple(name for name in Entry._fields if name not in ("actuals", "clear", "unit", "file"))
SHARED = ("date", "task", "status", "progress", "problems", "next", "reporter")  # values that repeat: one object each


def stored(items):
    """A journal's valid entries (model dumps with line and end) as the cache keeps them."""
    columns = {name: [item[name] for item in items] for name in STORED}
    actuals = [[index, list(item["actuals"].items())] for index, item in enumerate(items) if item["actuals"]]
    clear = [[index, item["clear"]] for index, item in enumerate(items) if item["clear"]]
    return {"columns": columns, "actuals": actuals, "clear": clear}


def entries(value, unit, file, shared):
    """The Entry records of a journal as the cache keeps it (see stored). shared: text -> the one object of
    that text, kept across journals, so that a thousand entries dated 2023-06-25 hold one string."""
    columns = value["columns"]
    count = len(columns["date"])
    for name in SHARED:
        columns[name] = map(shared.setdefault, columns[name], columns[name])
    actuals, clear = [()] * count, [()] * count
    for index, pairs in value["actuals"]:
        actuals[index] = tuple(map(tuple, pairs))
    for index, names in value["clear"]:
        clear[index] = tuple(names)
    given = {"actuals": actuals, "clear": clear, "unit": repeat(unit, count), "file": repeat(file, count)}
    return list(map(tuple.__new__, repeat(Entry, count),
                    zip(*(given[name] if name in given else columns[name] for name in Entry._fields))))


def task(row):
    targets = tuple(Target(**target) for target in row["targets"])
    return Task(**{**row, "lead_units": tuple(row["lead_units"]), "support_units": tuple(row["support_units"]),
                   "targets": targets})


def unit(row):
    return Unit(**{**row, "aliases": tuple(row["aliases"]), "reviewers": tuple(row["reviewers"]),
                   "accounts": tuple(row["accounts"])})
