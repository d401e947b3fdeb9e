"""The derived index: an SQLite database in the user's cache folder (never in the work tree) holding every
journal's valid entries and problems, and each task's timeline (its facts as of each day they change).

Plain files stay the record. The index is rebuilt journal by journal when a journal's bytes (or what its
rules depend on) change, and wholly when ledger's code or the schema changes; a database that cannot be
read is removed and built again. Readers see a consistent state: SQLite's WAL, and every rebuild in one
transaction.
"""

import contextlib
import json
import os
import sqlite3
import time

from ledger.files import records, store

SCHEMA = 3
NAME = "index.sqlite"
OPENED = []  # every Index this process opened, for close_all
# the entry fields held as JSON text (tuples of pairs, lists of names); the rest are plain SQLite values
JSON_FIELDS = ("actuals", "clear", "resolves")
ENTRY_COLUMNS = tuple(name for name in records.Entry._fields if name != "end") + ("end_line",)
TIMELINE_COLUMNS = ("task", "since", "status", "percent", "progress", "problems", "next", "last_report",
                    "reported", "actuals")
# the keys the queries search by have a declared type (an untyped column's index is not used against an
# INTEGER); the values stay untyped, so that 20 and 20.0 come back as they went in
TYPES = {"task": "INTEGER", "date": "TEXT", "since": "TEXT", "file": "TEXT", "line": "INTEGER", "unit": "TEXT"}


def _columns(names):
    return ", ".join(f"{name} {TYPES.get(name, '')}".rstrip() for name in names)


TABLES = f"""
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS journals (
    file TEXT PRIMARY KEY, unit TEXT NOT NULL, size INTEGER NOT NULL, digest TEXT NOT NULL,
    context TEXT NOT NULL, latest TEXT NOT NULL, problems TEXT NOT NULL, stamp TEXT NOT NULL, stamped INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS entries ({_columns(ENTRY_COLUMNS)}, PRIMARY KEY (file, line));
CREATE INDEX IF NOT EXISTS entries_by_task ON entries (task, date);
CREATE INDEX IF NOT EXISTS entries_resolving ON entries (file, line) WHERE resolves IS NOT NULL;
CREATE INDEX IF NOT EXISTS entries_with_steps ON entries (file, line)
    WHERE problems IS NOT NULL OR resolves IS NOT NULL OR clear IS NOT NULL;
CREATE TABLE IF NOT EXISTS reports (unit TEXT NOT NULL, date TEXT NOT NULL, PRIMARY KEY (unit, date))
    WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS timeline ({_columns(TIMELINE_COLUMNS)}, PRIMARY KEY (task, since)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS tasks (id INTEGER PRIMARY KEY);
"""


def path_for(root):
    """Where the index of the ledger at root lives, or None when there is no cache folder."""
    folder = store.cache_folder(root)
    return folder / NAME if folder else None


def close_all():
    """Closes every index this process opened (a command that ends lets its database go at once)."""
    while OPENED:
        OPENED.pop().db.close()


def open_index(root, context):
    """The Index of the ledger at root for this code and context, or None when none can be kept (no cache
    folder, nothing writable): then the caller reads the files itself. A damaged or foreign database is
    removed and made anew."""
    path = path_for(root)
    if path is None:
        return None
    for attempt in (1, 2):
        try:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            if path.is_symlink() or (path.exists() and not path.is_file()):
                path.unlink()
            index = Index(sqlite3.connect(path, timeout=60, isolation_level=None, check_same_thread=False))
            index.prepare(context)
            return index
        except (sqlite3.OperationalError, OSError):
            return None  # busy past the timeout, or a folder that cannot be written: work without it
        except sqlite3.DatabaseError:  # not a database, or a damaged one
            if attempt == 2:
                return None
            with contextlib.suppress(OSError):
                for suffix in ("", "-wal", "-shm"):
                    os.unlink(f"{path}{suffix}")
    return None


class Index:
    """One open index. Reads need no lock; `writing()` holds SQLite's write lock for a rebuild."""

    def __init__(self, connection):
        self.db = connection
        OPENED.append(self)
        self.fresh = False  # set when prepare() found nothing usable and started over

    def prepare(self, context):
        """Makes the tables; starts over when the schema, ledger's code or the rules' context changed."""
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("PRAGMA busy_timeout=60000")
        if self.db.execute("PRAGMA user_version").fetchone()[0] != SCHEMA:  # tables of another layout: new ones
            with self.writing():
                if self.db.execute("PRAGMA user_version").fetchone()[0] != SCHEMA:
                    for (table,) in self.db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").fetchall():
                        self.db.execute(f'DROP TABLE "{table}"')
                    self._create()
                    self.db.execute(f"PRAGMA user_version = {SCHEMA}")
        self._create()
        wanted = {"schema": str(SCHEMA), "code": store.code_version(), "context": store.digest(context.encode())}
        self.context = wanted["context"]
        have = dict(self.db.execute("SELECT key, value FROM meta"))
        if have != wanted:
            with self.writing():
                have = dict(self.db.execute("SELECT key, value FROM meta"))
                if have != wanted:  # another process may have started over meanwhile
                    for table in ("journals", "entries", "reports", "timeline", "tasks", "meta"):
                        self.db.execute(f"DELETE FROM {table}")
                    self.db.executemany("INSERT INTO meta VALUES (?, ?)", wanted.items())
                    self.fresh = True

    def _create(self):
        """The tables and indexes that are missing (executescript would commit a transaction begun)."""
        for statement in TABLES.split(";"):
            if statement.strip():
                self.db.execute(statement)

    @contextlib.contextmanager
    def writing(self):
        """One write transaction: every change in it is seen by readers at once, or not at all."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def journals(self):
        """file -> (size, digest, context, latest, problems as rows, stamp, stamped) of every journal the index
        holds: stamp is store.stamp's text when the bytes were read, stamped the time (ns) they were."""
        return {file: (size, digest, context, latest, json.loads(problems), stamp, stamped)
                for file, size, digest, context, latest, problems, stamp, stamped in self.db.execute(
                    "SELECT file, size, digest, context, latest, problems, stamp, stamped FROM journals")}

    def replace_journal(self, file, unit, size, digest, context, latest, problems, entries, stamp=""):
        """Puts a journal's new content in place of what the index held of it; returns the tasks it touched."""
        touched = self.forget_journal(file)
        self.db.execute("INSERT INTO journals VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (file, unit, size, digest, context, latest, json.dumps(problems, ensure_ascii=False), stamp,
                         time.time_ns()))
        self.db.executemany(f"INSERT INTO entries VALUES ({', '.join('?' * len(ENTRY_COLUMNS))})",
                            map(_row, entries))
        self.db.executemany("INSERT OR IGNORE INTO reports VALUES (?, ?)",
                            {(entry.unit, entry.date) for entry in entries if not entry.corrects})
        return touched | {entry.task for entry in entries}

    def restamp(self, stamps):
        """Records (file, stamp) pairs: journals whose bytes were read again and found unchanged."""
        now = time.time_ns()
        self.db.executemany("UPDATE journals SET stamp = ?, stamped = ? WHERE file = ?",
                            ((stamp, now, file) for file, stamp in stamps))

    def forget_journal(self, file):
        """Removes a journal from the index; returns the tasks its entries were of."""
        touched = {task for (task,) in self.db.execute("SELECT DISTINCT task FROM entries WHERE file = ?", (file,))}
        units = [unit for (unit,) in self.db.execute("SELECT unit FROM journals WHERE file = ?", (file,))]
        self.db.execute("DELETE FROM entries WHERE file = ?", (file,))
        self.db.execute("DELETE FROM journals WHERE file = ?", (file,))
        for unit in units:  # a unit's report days come from its one journal
            self.db.execute("DELETE FROM reports WHERE unit = ?", (unit,))
        return touched

    def entries(self, where="", parameters=()):
        """The entries (records.Entry) the index holds, by journal and line, that meet where."""
        sql = f"SELECT {', '.join(ENTRY_COLUMNS)} FROM entries {where} ORDER BY file, line"
        return [_entry(row) for row in self.db.execute(sql, parameters)]

    def entry_tasks(self, where, parameters=()):
        """The distinct tasks of the entries that meet where."""
        return {task for (task,) in self.db.execute(f"SELECT DISTINCT task FROM entries {where}", parameters)}

    def task_ids(self):
        return {number for (number,) in self.db.execute("SELECT id FROM tasks")}

    def set_tasks(self, ids):
        self.db.execute("DELETE FROM tasks")
        self.db.executemany("INSERT INTO tasks VALUES (?)", ((number,) for number in ids))

    def set_timeline(self, task, rows):
        """rows: (since, status, percent, progress, problems, next, last_report, reported, actuals)."""
        self.db.execute("DELETE FROM timeline WHERE task = ?", (task,))
        self.db.executemany(f"INSERT INTO timeline VALUES ({', '.join('?' * len(TIMELINE_COLUMNS))})",
                            ((task, *row[:-1], json.dumps(row[-1], ensure_ascii=False)) for row in rows))

    def facts(self, cutoff):
        """task -> (status, percent, progress, problems, next, last_report, reported, actuals) as of cutoff."""
        found = self.db.execute(
            "SELECT t.task, t.status, t.percent, t.progress, t.problems, t.next, t.last_report, t.reported, t.actuals "
            "FROM tasks CROSS JOIN timeline t ON t.task = tasks.id AND t.since = "  # CROSS: task by task, each a search
            "(SELECT MAX(since) FROM timeline u WHERE u.task = tasks.id AND u.since <= ?)", (cutoff,))
        return {row[0]: (*row[1:7], bool(row[7]), json.loads(row[8])) for row in found}

    def last_reports(self, cutoff):
        """unit -> the day of its latest report up to cutoff."""
        found = self.db.execute(
            "SELECT unit, (SELECT MAX(date) FROM reports r WHERE r.unit = u.unit AND r.date <= ?) "
            "FROM (SELECT DISTINCT unit FROM journals) u", (cutoff,))
        return {unit: day for unit, day in found if day}

    def copy_to(self, path):
        """Writes a copy of the index to path, whole or not at all; returns (entries, journals) it holds.
        SQLite's backup: consistent even while another process rebuilds."""
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            target = sqlite3.connect(temporary)
            try:
                self.db.backup(target)
                target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            finally:
                target.close()
            os.replace(temporary, path)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
        return (self.db.execute("SELECT COUNT(*) FROM entries").fetchone()[0],
                self.db.execute("SELECT COUNT(*) FROM journals").fetchone()[0])


def _row(entry):
    values = entry._asdict()
    for name in JSON_FIELDS:
        values[name] = json.dumps(values[name], ensure_ascii=False) if values[name] else None
    values["end_line"] = values.pop("end")
    return tuple(values[name] for name in ENTRY_COLUMNS)


def _entry(row):
    values = dict(zip(ENTRY_COLUMNS, row))
    values["end"] = values.pop("end_line")
    values["actuals"] = tuple(map(tuple, json.loads(values["actuals"]))) if values["actuals"] else ()
    values["clear"] = tuple(json.loads(values["clear"])) if values["clear"] else ()
    values["resolves"] = tuple(json.loads(values["resolves"])) if values["resolves"] else ()
    return records.Entry(**values)
