"""ledger: a work ledger (工作台账) over plain files."""

__version__ = "0.1.0"
