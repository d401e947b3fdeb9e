"""Where a ledger lives and how its files are read: whole, from regular files only, through a cache kept
outside the ledger (nothing in a clone is trusted as a cache: anyone could have pushed it)."""

import contextlib
import gc
import json
import os
import stat
from pathlib import Path

from ledger import __version__
from ledger.vocab import LedgerError, Problem, os_reason

try:  # hashlib's own blake2b: importing hashlib also loads OpenSSL, a few milliseconds a command
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - a Python without the builtin module
    from hashlib import blake2b

DATA = "data"
TASKS = f"{DATA}/tasks.yaml"
UNITS = f"{DATA}/units.yaml"
CONFIG = f"{DATA}/config.yaml"
PROGRESS = f"{DATA}/progress"
ACTIONS = f"{DATA}/problems.yaml"  # the office's actions on the problems units raise: append-only, like a journal
MAX_FILE = 64 << 20  # bytes: the largest journal of a province-sized ledger is a few MB


def find_root(given):
    """The ledger's root folder: given (--root or $LEDGER_ROOT), else the nearest folder up with data/tasks.yaml."""
    if given:
        root = Path(given)
        if not (root / TASKS).is_file():
            raise LedgerError(f"“{given}”不是台账目录：找不到 {root / TASKS}", usage=True)
        return root
    here = Path.cwd()
    for folder in (here, *here.parents):
        if (folder / TASKS).is_file():
            return folder
    raise LedgerError("找不到台账：当前目录及其上级目录都没有 data/tasks.yaml；"
                      "请在台账仓库里运行，或用 --root 或环境变量 LEDGER_ROOT 指定台账目录", usage=True)


def journal_files(root):
    """The journal-like files in data/progress/, by name: hidden files (locks, temporaries) left out; none
    when data/ or data/progress/ is a symbolic link (progress_problem says so)."""
    folder = root / PROGRESS
    if progress_problem(root) or not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if not p.name.startswith("."))


def journal_path(root, unit):
    return root / PROGRESS / f"{unit}.yaml"


def linked_folder(root, relative):
    """The first folder on the way from root to the file relative (data, data/progress) that is a symbolic
    link, or None: a linked data/progress/ would have journals read from, and written to, anywhere."""
    parts = relative.split("/")[:-1]
    for depth in range(1, len(parts) + 1):
        folder = "/".join(parts[:depth])
        if (root / folder).is_symlink():
            return folder
    return None


def progress_problem(root):
    """The Problem with data/progress/ when it, or data/, is a symbolic link; else None."""
    folder = linked_folder(root, f"{PROGRESS}/")
    return _linked(folder) if folder else None


def _linked(folder):
    return Problem(folder, 0, f"{folder}/ 是符号链接；台账的 data/ 和 data/progress/ 必须是普通目录，"
                              "不能指向别处（它可能来自别人的推送）；请把它换成普通目录")


def _outside(root, path):
    """Whether path, its links followed, leads out of the ledger's root folder."""
    inside = os.path.realpath(root)
    return os.path.commonpath([inside, os.path.realpath(path)]) != inside


def read_bytes(root, relative, follow=False):
    """(bytes, None) of a regular file under root, or (None, Problem) saying why it is not read; (None, None)
    when there is none.

    A device, a FIFO or a huge file in a clone came from someone's push as easily as a journal did: none is
    read (a FIFO would hang, /dev/zero would fill memory). A symbolic link is followed only when follow
    is set (the task list, registry and config may be shared that way), and only to a regular file inside
    the ledger; no folder on the way (data/, data/progress/) may be a link."""
    folder = linked_folder(root, relative)
    if folder:
        return None, _linked(folder)
    path = root / relative
    if follow and path.is_symlink() and _outside(root, path):
        return None, Problem(relative, 0, "是指向台账目录之外的符号链接，不读取；请把它换成普通文件，"
                                          "或让它指向台账目录里的文件")
    try:
        status = path.stat() if follow else path.lstat()
    except FileNotFoundError:
        return (None, Problem(relative, 0, "是指向不存在的文件的符号链接")) if path.is_symlink() else (None, None)
    except OSError as error:
        return None, Problem(relative, 0, f"无法读取：{os_reason(error)}")
    if stat.S_ISLNK(status.st_mode):
        return None, Problem(relative, 0, "日志文件不能是符号链接；请把它换成普通文件")
    if not stat.S_ISREG(status.st_mode):
        return None, Problem(relative, 0, "不是普通文件；台账文件应是 YAML 文本文件")
    if status.st_size > MAX_FILE:
        return None, Problem(relative, 0, f"文件太大（{status.st_size >> 20} MB，上限 {MAX_FILE >> 20} MB）；"
                                          "一个台账文件不该这么大，请检查它是不是误放的")
    try:
        with open(path, "rb", opener=_opener(follow)) as handle:
            return handle.read(MAX_FILE + 1), None
    except OSError as error:
        return None, Problem(relative, 0, f"无法读取：{os_reason(error)}")


def stamp(root, relative):
    """A journal's file as the file system describes it, without reading it: "inode:size:mtime:ctime" (in ns) and
    its ctime, of a regular file under folders that are no links; None for anything else (then it is read)."""
    if linked_folder(root, relative):
        return None
    try:
        status = os.lstat(root / relative)
    except OSError:
        return None
    if not stat.S_ISREG(status.st_mode):
        return None
    return f"{status.st_ino}:{status.st_size}:{status.st_mtime_ns}:{status.st_ctime_ns}", status.st_ctime_ns


def _opener(follow):
    """Opens without blocking (a FIFO put in place after the check does not hang) and, unless follow, without
    following a symbolic link put in place after the check."""
    extra = getattr(os, "O_NONBLOCK", 0) | (0 if follow else getattr(os, "O_NOFOLLOW", 0))
    return lambda path, flags: os.open(path, flags | extra)


def validate_bytes(data, relative, kind):
    """(rows, problems) for a ledger file's bytes: decode, parse with lines, validate with the models."""
    from ledger.files import models, yamlio  # noqa: PLC0415 - pydantic is only needed when the cache misses

    text, problem = yamlio.decode(data, relative)
    if problem:
        return None, [problem]
    value, problems = yamlio.parse(text, relative)
    if value is None and problems:
        return None, problems
    reader = {"tasks": models.read_tasks, "units": models.read_units,
              "config": models.read_config, "journal": models.read_journal, "actions": models.read_actions}[kind]
    result, more = reader(value, relative)
    refused = {problem.line for problem in problems}  # a value the reader refused is not judged again as missing
    return result, problems + [problem for problem in more if problem.line not in refused]


def digest(data, size=20):
    return blake2b(data, digest_size=size).hexdigest()


_VERSION = []


def code_version():
    """ledger's version and a digest of all its code, subpackages included: a cache never outlives either."""
    if not _VERSION:
        package = Path(__file__).resolve().parents[1]
        code = b"".join(path.read_bytes() for path in sorted(package.rglob("*.py")))
        _VERSION.append(f"{__version__}:{digest(code, 8)}")
    return _VERSION[0]


def cache_folder(root):
    """Where the cache of the ledger at root lives: the user's cache folder ($XDG_CACHE_HOME, else
    ~/.cache; %LOCALAPPDATA% on Windows), ledger/, then a digest of the ledger's absolute path. None when
    there is no such folder (no home).

    Never inside the ledger: a cache file in a clone could have come from anyone's push, and would be
    believed over the journal it stands for."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # the XDG spec: a relative path is to be ignored
        base = os.environ.get("LOCALAPPDATA", "") if os.name == "nt" else ""
        if not base:
            try:
                base = os.path.join(Path.home(), ".cache")
            except RuntimeError:
                return None
    return Path(base) / "ledger" / digest(os.path.abspath(root).encode(), 12)


def cached(root, relative, data, context, compute):
    """compute(), or what it returned before for the same bytes of relative in the same context.

    The key is the code version, the path, the size and digest of data, and context (a text naming what
    else the result depends on). compute returns (value, problems); both go to the cache as JSON, in
    cache_folder(root)."""
    key = [code_version(), relative, len(data), digest(data), context]
    folder = cache_folder(root) if root is not None else None
    cache_file = folder / (digest(relative.encode(), 10) + ".json") if folder else None
    found = _cache_get(cache_file, key) if cache_file else None
    if found is not None:
        return found
    value, problems = compute()
    if cache_file:
        _cache_put(cache_file, key, value, problems)
    return value, problems


@contextlib.contextmanager
def collector_paused():
    """The cyclic garbage collector paused: reading a ledger makes hundreds of thousands of small objects and
    no cycles among them, which the collector would only rescan again and again."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def _cache_get(cache_file, key):
    """The cached (value, problems) for key, or None. A cache file is one line of key and body digest,
    then the body: one from another version of ledger, for other bytes, truncated or altered (its body
    no longer matches the digest) is never used, only rebuilt."""
    with collector_paused():
        data, _ = read_bytes(cache_file.parent, cache_file.name)
        if data is None:
            return None
        head, _, body = data.partition(b"\n")
        try:
            if json.loads(head) != [*key, digest(body)]:
                return None
            record = json.loads(body)
            return record["value"], [Problem(*problem) for problem in record["problems"]]
        except (ValueError, KeyError, TypeError):
            return None


def _cache_put(cache_file, key, value, problems):
    body = json.dumps({"value": value, "problems": [list(p) for p in problems]},
                      ensure_ascii=False, separators=(",", ":")).encode()
    head = json.dumps([*key, digest(body)], ensure_ascii=False).encode()
    try:
        cache_file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        # replaced whole and never fsynced: a cache file lost or torn in a crash fails its digest
        temporary = cache_file.with_name(f"{cache_file.name}.{os.getpid()}.tmp")
        with open(temporary, "wb", opener=_exclusive) as out:
            out.write(head + b"\n" + body)
        os.replace(temporary, cache_file)
    except OSError:
        pass  # a cache folder that cannot be written: ledger works without the cache


def _exclusive(path, flags):
    try:
        os.unlink(path)  # a temporary left by a process that died: never written through
    except FileNotFoundError:
        pass
    return os.open(path, flags | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o666)
