"""Where a ledger lives and how its files are read (through a cache) and appended to (locked, atomic)."""

import contextlib
import errno
import gc
import json
import os
import re
import stat
from pathlib import Path

from ledger import __version__
from ledger.vocab import LedgerError, Problem

try:  # hashlib's own blake2b: importing hashlib also loads OpenSSL, a few milliseconds a command
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - a Python without the builtin module
    from hashlib import blake2b

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

    def narrow(self, units):
        """Keeps to the journals of these units: all a listing needs when it shows only their tasks, since
        only a task's own units may report on it."""
        self.journals = [relative for relative in self.journals if Path(relative).stem in units]

    def units_of(self, task_ids):
        """Every unit that leads or supports one of the tasks."""
        return {unit for number in task_ids
                for unit in self.tasks[number]["lead_units"] + self.tasks[number].get("support_units", [])}

    def read(self, relative, kind):
        """The validated content of one file (from the cache when the file is unchanged); records problems."""
        value, problems = read_cached(self.root, relative, kind)
        self.problems += problems
        return value

    def read_journal(self, relative):
        """(entries valid on their own, problems) of one journal; the problems are not recorded."""
        entries, problems = read_cached(self.root, relative, "journal")
        return entries or [], problems


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
    key = [_cache_version(), relative, len(data), blake2b(data, digest_size=20).hexdigest()]
    cache_file = root / CACHE / (blake2b(relative.encode(), digest_size=10).hexdigest() + ".json")
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
    refused = {problem.line for problem in problems}  # a value the reader refused is not judged again as missing
    return result, problems + [problem for problem in more if problem.line not in refused]


_VERSION = []


def _cache_version():
    """ledger's version and a digest of the code whose output is cached: a cache never outlives either."""
    if not _VERSION:
        code = b"".join(path.read_bytes() for path in sorted(Path(__file__).parent.glob("*.py")))
        _VERSION.append(f"{__version__}:{blake2b(code, digest_size=8).hexdigest()}")
    return _VERSION[0]


def _cache_get(cache_file, key):
    """The cached (value, problems) for key, or None. A cache file is one line of key and body digest,
    then the body: one from another version of ledger, for other bytes, truncated or altered (its body
    no longer matches the digest) is never used, only rebuilt."""
    collecting = gc.isenabled()
    gc.disable()  # thousands of small dicts and no cycles: the collector would only rescan them
    try:
        head, _, body = cache_file.read_bytes().partition(b"\n")
        if json.loads(head) != [*key, blake2b(body, digest_size=20).hexdigest()]:
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
    head = json.dumps([*key, blake2b(body, digest_size=20).hexdigest()], ensure_ascii=False).encode()
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


def _atomic_write(path, data, before_replace=None):
    """Replaces path with data so that a reader sees either the old or the new file, never a part."""
    import tempfile  # noqa: PLC0415 - only when writing

    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        # mkstemp makes the file private; the new file keeps the old one's mode, or the umask's
        os.chmod(temporary, path.stat().st_mode & 0o7777 if path.exists() else 0o666 & ~_umask())
        if before_replace:
            before_replace()
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


LOCK_TIMEOUT = 60  # seconds an update waits for another one writing the same journal; LEDGER_LOCK_TIMEOUT


@contextlib.contextmanager
def locked(path):
    """Holds an exclusive lock for path; the OS drops it when the process dies, so no lock goes stale.

    The lock is taken on a side file, `.<name>.lock`, never through a symbolic link.
    """
    lock_path, no_link = path.with_name(f".{path.name}.lock"), getattr(os, "O_NOFOLLOW", 0)
    try:
        descriptor = os.open(lock_path, os.O_RDWR | os.O_CREAT | no_link, 0o666)
    except PermissionError as refused:  # a lock file another user made: flock needs only to read it
        try:
            descriptor = os.open(lock_path, os.O_RDONLY | no_link)
        except FileNotFoundError:  # none there, and none can be made: the folder is not writable
            raise refused from None
    timeout = _lock_timeout()
    try:
        if not _lock(descriptor, timeout):
            raise LedgerError(f"{PROGRESS}/{path.name}: 另一个 ledger 进程正在写入这个日志，等了 {timeout:g} 秒"
                              "仍未结束；请稍后重试（如果一直如此，检查是否有卡住的 ledger 进程）")
        yield
    finally:
        os.close(descriptor)


def _lock_timeout():
    try:
        return float(os.environ.get("LEDGER_LOCK_TIMEOUT", LOCK_TIMEOUT))
    except ValueError:
        return LOCK_TIMEOUT


def _lock(descriptor, timeout):
    """True once this process holds the exclusive lock on descriptor; False when timeout seconds pass first."""
    import time  # noqa: PLC0415 - only when writing

    try:
        import fcntl  # noqa: PLC0415 - POSIX

        def attempt():
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        busy = BlockingIOError
    except ImportError:  # pragma: no cover - Windows
        import msvcrt  # noqa: PLC0415

        def attempt():
            msvcrt.locking(descriptor, msvcrt.LK_NBLCK, 1)
        busy = OSError
    deadline = time.monotonic() + timeout
    while True:
        try:
            attempt()
            return True
        except busy:
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.01)


# errno -> what it means for the person at the keyboard, and what to do
WRITE_FAILURES = {
    "ENOSPC": "磁盘已满；请腾出空间后重试",
    "EDQUOT": "超出磁盘配额；请腾出空间或申请更大的配额后重试",
    "EFBIG": "文件大小超出系统限制（磁盘配额或单个文件的上限）；请联系管理员",
    "EROFS": "所在的文件系统是只读的；请在可写的副本里报送",
    "EACCES": "没有写入权限；请检查 data/progress/ 目录和日志文件的权限",
    "EPERM": "没有写入权限；请检查 data/progress/ 目录和日志文件的权限",
    "ELOOP": "路径是符号链接；日志和锁文件必须是普通文件",
    "ENOLCK": "这里的文件系统不支持文件锁（常见于网络共享盘）；请在本机的副本里报送",
}


def append(path, text, header, accept):
    """Appends text (one YAML list item) to the journal at path, under a lock, atomically.

    accept(entries) sees the journal's valid entries as they are inside the lock and returns the
    problems that forbid the append. Every byte already in the file is kept. Returns the new entry's line.
    Raises LedgerError, the journal untouched, when the append is refused or cannot be written.
    """
    relative = f"{PROGRESS}/{path.name}"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with locked(path):
            _pause("locked")
            _remove_temporaries(path)
            old = _journal_bytes(path, relative)
            entries, problems = validate_bytes(old, relative, "journal") if old.strip() else ([], [])
            entries = entries or []
            refused = accept(entries)
            if refused:
                raise LedgerError("\n".join(map(str, refused)))
            newline = b"\r\n" if b"\r\n" in old else b"\n"
            prefix = old if old.strip() else old + header.encode()
            if prefix and not prefix.endswith(b"\n"):
                prefix += newline
            new = prefix + text.encode().replace(b"\n", newline)
            after, after_problems = validate_bytes(new, relative, "journal")
            after = after or []
            if (len(after) != len(entries) + 1 or _content(after[:-1]) != _content(entries)
                    or set(after_problems) - set(problems)):
                if problems:
                    found = "\n".join(map(str, problems))
                    raise LedgerError(f"{relative} 目前无法正确解析，追加的条目无法成为其中一条，已放弃写入；请先修复：\n{found}")
                raise LedgerError(f"{relative}: 这个日志的写法无法在末尾追加条目（例如整个日志写在一对 [ ] 里）；"
                                  "请改成每条以“- ”开头、各占几行的写法")
            _atomic_write(path, new, before_replace=lambda: _pause("written"))
            _sync_folder(path.parent)
            _pause("replaced")
            return after[-1]["line"]
    except OSError as error:
        code = errno.errorcode.get(error.errno, "")
        reason = WRITE_FAILURES.get(code, f"{error.strerror or error}")
        raise LedgerError(f"{relative}: 无法写入（{code or type(error).__name__}）：{reason}") from None


def _content(entries):
    """Entries as read, less where the next item begins: what an append must leave as it was."""
    return [{key: value for key, value in entry.items() if key != "end"} for entry in entries]


def _journal_bytes(path, relative):
    """The journal's bytes (none yet if it does not exist); LedgerError if ledger must not write to it.

    Read-only means the person running ledger may not write the file itself: os.replace would
    replace it all the same, and root may write anything, so a file without any write bit is
    read-only for root too.
    """
    try:
        status = path.lstat()
    except FileNotFoundError:
        return b""
    if stat.S_ISLNK(status.st_mode):
        raise LedgerError(f"{relative}: 日志文件不能是符号链接；请把它换成普通文件")
    if not stat.S_ISREG(status.st_mode):
        raise LedgerError(f"{relative}: 不是普通文件；日志应是一个 YAML 文本文件")
    if not status.st_mode & 0o222 or not os.access(path, os.W_OK):
        raise LedgerError(f"{relative}: 日志文件是只读的；ledger 不会绕过只读去替换它。"
                          "确需追加时，请先恢复写权限（chmod u+w，或在文件属性里取消“只读”）")
    return path.read_bytes()


def _remove_temporaries(path):
    """Deletes temporary files an update killed mid-write left; only a lock holder writes them, so none is live."""
    own = re.compile(rf"\.{re.escape(path.name)}\.[^.]+\.tmp")
    for name in os.listdir(path.parent):
        if own.fullmatch(name):
            with contextlib.suppress(OSError):
                os.unlink(path.parent / name)


def _sync_folder(folder):
    """Flushes the folder's entry for a renamed file to disk, where the system allows it (not on Windows)."""
    with contextlib.suppress(OSError, AttributeError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def _pause(point):
    """Stops for good at point when LEDGER_TEST_PAUSE names it, so the fault tests can kill an update there."""
    if os.environ.get("LEDGER_TEST_PAUSE") == point:
        import sys  # noqa: PLC0415
        import time  # noqa: PLC0415

        print(f"LEDGER_TEST_PAUSE {point}", file=sys.stderr, flush=True)
        time.sleep(3600)
