"""Where a ledger lives and how its files are read (through a cache) and appended to (locked, atomic)."""

import contextlib
import gc
import hashlib
import json
import os
from pathlib import Path

from ledger import __version__
from ledger.vocab import LedgerError, Problem

DATA = "data"
TASKS = f"{DATA}/tasks.yaml"
UNITS = f"{DATA}/units.yaml"
CONFIG = f"{DATA}/config.yaml"
PROGRESS = f"{DATA}/progress"
CACHE = ".ledger-cache"


def find_root(given=None):
    """The ledger's root folder: --root, else $LEDGER_ROOT, else the nearest folder up with data/tasks.yaml."""
    given = given or os.environ.get("LEDGER_ROOT")
    if given:
        root = Path(given)
        if not (root / TASKS).is_file():
            raise LedgerError(f"“{given}”不是台账目录：找不到 {root / TASKS}", code=2)
        return root
    here = Path.cwd()
    for folder in (here, *here.parents):
        if (folder / TASKS).is_file():
            return folder
    raise LedgerError("找不到台账：当前目录及其上级目录都没有 data/tasks.yaml；"
                      "请在台账仓库里运行，或用 --root 或环境变量 LEDGER_ROOT 指定台账目录", code=2)


class Ledger:
    """Everything read from a ledger's files: plan, sections, tasks, units, config, journals, problems."""

    def __init__(self, root, journals=None):
        """Reads everything under root; journals, when given, limits the journals read to those paths."""
        self.root = root
        self.problems = []
        tasks_file = self.read(TASKS, "tasks") or {}
        self.plan = tasks_file.get("plan")
        self.sections = tasks_file.get("sections", [])
        self.task_list = tasks_file.get("tasks", [])
        self.tasks = {}
        for task in self.task_list:
            self.tasks.setdefault(task["id"], task)
        self.units = self.read(UNITS, "units") or []
        self.unit_names = {unit["name"] for unit in self.units}
        self.config = self.read(CONFIG, "config") if (root / CONFIG).exists() else _default_config()
        self.journals = []  # relative paths, read one at a time by check.entries
        for path in journal_files(root) if journals is None else [root / p for p in journals]:
            relative = f"{PROGRESS}/{path.name}"
            if path.is_symlink():
                self.problems.append(Problem(relative, 0, "日志文件不能是符号链接；请把它换成普通文件"))
            elif path.suffix != ".yaml":
                self.problems.append(Problem(relative, 0, f"日志文件扩展名应为 .yaml；请改名为 {path.stem}.yaml"))
            else:
                self.journals.append(relative)
        self.checked = False  # set by check.entries once every journal has been through the checks
        self.memo = {}  # results of whole passes over the journals, by what they were asked

    def read(self, relative, kind, record=True):
        """The validated content of one file (from the cache when the file is unchanged); records its
        problems unless record is False (a second pass over the journals)."""
        value, problems = read_cached(self.root, relative, kind)
        if record:
            self.problems += problems
        return value


def journal_files(root):
    folder = root / PROGRESS
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if not p.name.startswith(".") and (p.is_file() or p.is_symlink()))


def journal_path(root, unit):
    return root / PROGRESS / f"{unit}.yaml"


def _default_config():
    from ledger.models import Config  # noqa: PLC0415 - only when a ledger has no config file
    return Config().model_dump()


def read_cached(root, relative, kind):
    """(value, problems) for one file, validated on its own; the cache skips YAML and pydantic when unchanged."""
    path = root / relative
    try:
        data = path.read_bytes()
    except OSError as error:
        return None, [Problem(relative, 0, f"无法读取：{error.strerror}")]
    key = [_cache_version(), relative, len(data), hashlib.blake2b(data, digest_size=20).hexdigest()]
    cache_file = root / CACHE / (hashlib.blake2b(relative.encode(), digest_size=10).hexdigest() + ".json")
    cached = _cache_get(cache_file, key)
    if cached is not None:
        return cached
    value, problems = validate_bytes(data, relative, kind)
    _cache_put(cache_file, key, value, problems)
    return value, problems


def validate_bytes(data, relative, kind):
    """(value, problems) for a file's bytes: decode, parse with lines, validate with the models."""
    from ledger import models, yamlio  # noqa: PLC0415 - pydantic is only needed when the cache misses

    text, problem = yamlio.decode(data, relative)
    if problem:
        return None, [problem]
    value, problems = yamlio.parse(text, relative)
    if value is None and problems:
        return None, problems
    reader = {"tasks": models.read_tasks, "units": models.read_units,
              "config": models.read_config, "journal": models.read_journal}[kind]
    result, more = reader(value, relative)
    return result, problems + more


_VERSION = []


def _cache_version():
    """ledger's version and a digest of the code whose output is cached: a cache never outlives either."""
    if not _VERSION:
        code = b"".join(path.read_bytes() for path in sorted(Path(__file__).parent.glob("*.py")))
        _VERSION.append(f"{__version__}:{hashlib.blake2b(code, digest_size=8).hexdigest()}")
    return _VERSION[0]


def _cache_get(cache_file, key):
    """The cached (value, problems) for key, or None. A cache file is one line of key and body digest,
    then the body: one from another version of ledger, for other bytes, truncated or altered (its body
    no longer matches the digest) is never used, only rebuilt."""
    collecting = gc.isenabled()
    gc.disable()  # thousands of small dicts and no cycles: the collector would only rescan them
    try:
        head, _, body = cache_file.read_bytes().partition(b"\n")
        if json.loads(head) != [*key, hashlib.blake2b(body, digest_size=20).hexdigest()]:
            return None
        record = json.loads(body)
        return record["value"], [Problem(key[1], line, message) for line, message in record["problems"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    finally:
        if collecting:
            gc.enable()


def _cache_put(cache_file, key, value, problems):
    body = json.dumps({"value": value, "problems": [[p.line, p.message] for p in problems]},
                      ensure_ascii=False, separators=(",", ":")).encode()
    head = json.dumps([*key, hashlib.blake2b(body, digest_size=20).hexdigest()], ensure_ascii=False).encode()
    try:
        cache_file.parent.mkdir(exist_ok=True)
        ignore = cache_file.parent / ".gitignore"
        if not ignore.exists():
            ignore.write_text("*\n", encoding="utf-8")
        # replaced whole and never fsynced: a cache file lost or torn in a crash fails its digest
        temporary = cache_file.with_name(f"{cache_file.name}.{os.getpid()}.tmp")
        temporary.write_bytes(head + b"\n" + body)
        os.replace(temporary, cache_file)
    except OSError:
        pass  # a read-only ledger still works, only without the cache


def _atomic_write(path, data):
    """Replaces path with data so that a reader sees either the old or the new file, never a part."""
    import tempfile  # noqa: PLC0415 - only when writing

    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        if path.exists():
            os.chmod(temporary, path.stat().st_mode & 0o7777)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


@contextlib.contextmanager
def locked(path):
    """Holds an exclusive lock for path; the OS drops it when the process dies, so no lock goes stale."""
    lock_path = path.with_name(f".{path.name}.lock")
    with open(lock_path, "a+b") as handle:
        _lock(handle)
        yield


def _lock(handle):
    try:
        import fcntl  # noqa: PLC0415 - POSIX
    except ImportError:  # pragma: no cover - Windows
        import msvcrt  # noqa: PLC0415
        msvcrt.locking(handle.fileno(), msvcrt.LK_LOCK, 1)
        return
    fcntl.flock(handle.fileno(), fcntl.LOCK_EX)


def append(path, text, header, accept):
    """Appends text (one YAML list item) to the journal at path, under a lock, atomically.

    accept(entries) sees the journal's valid entries as they are inside the lock and returns the
    problems that forbid the append. Every byte already in the file is kept. Returns the new entry's line.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    relative = f"{PROGRESS}/{path.name}"
    with locked(path):
        old = path.read_bytes() if path.exists() else b""
        entries, problems = validate_bytes(old, relative, "journal") if old.strip() else ([], [])
        refused = accept(entries or [])
        if refused:
            raise LedgerError("\n".join(map(str, refused)))
        newline = b"\r\n" if b"\r\n" in old else b"\n"
        prefix = old if old.strip() else header.encode()
        if prefix and not prefix.endswith(b"\n"):
            prefix += newline
        new = prefix + text.encode().replace(b"\n", newline)
        after, after_problems = validate_bytes(new, relative, "journal")
        if len(after or []) != len(entries or []) + 1 or set(after_problems) - set(problems):
            found = "\n".join(map(str, problems or after_problems))
            raise LedgerError(f"{relative} 目前无法正确解析，追加的条目无法成为其中一条，已放弃写入；请先修复：\n{found}")
        _atomic_write(path, new)
        return prefix.count(b"\n") + 1
