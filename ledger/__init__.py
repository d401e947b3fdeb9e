"""ledger: a work ledger (工作台账) over plain files.

    import ledger
    L = ledger.load("examples/demo")          # tasks, units, config, entries, problems: complete, immutable
    now = ledger.state(L, datetime.date(2023, 8, 31))   # every task's status, percent, light; every unit's

The command line (ledger.cli) is a thin layer over these functions.
"""

__version__ = "0.1.0"


def load(root, today=None, units=None):
    """The ledger at root (see ledger.core.load.load)."""
    from ledger.core.load import load as _load

    return _load(root, today=today, units=units)


def load_string(tasks, units="units: []\n", config=None, journals=(), today=None, actions=None):
    """A ledger from texts, for tests and tools (see ledger.core.load.load_string)."""
    from ledger.core.load import load_string as _load_string

    return _load_string(tasks, units, config, journals, today, actions)


def state(ledger, as_of):
    """Where every task and unit stands on the day as_of (see ledger.core.state.state)."""
    from ledger.core.state import state as _state

    return _state(ledger, as_of)


def issues(ledger, as_of=None):
    """Every problem raised in the entries up to as_of, with its state and steps (see ledger.core.issues)."""
    from ledger.core.issues import register

    return register(ledger, as_of)[0]


def score(ledger, start, end):
    """The 考核 of every unit over the days start to end (see ledger.core.score.assess)."""
    from ledger.core.score import assess

    return assess(ledger, start, end)
