"""Writing a ledger's files: atomic replacement, a lock per journal, and the journal append that keeps
every byte already written."""

import contextlib
import errno
import os
import re
import stat

from ledger.files.store import PROGRESS, progress_problem, validate_bytes
from ledger.vocab import LedgerError


def atomic_write(path, data, before_replace=None):
    """Replaces path with data so that a reader sees either the old or the new file, never a part."""
    import tempfile  # noqa: PLC0415 - only when writing

    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        # mkstemp makes the file private; the new file keeps the old one's mode, or the umask's
        os.chmod(temporary, path.stat().st_mode & 0o7777 if path.exists() else 0o666 & ~umask())
        if before_replace:
            before_replace()
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def write_out(path, data):
    """Writes data where a user's -o points: a regular file (or a new one) is replaced atomically, through a
    symbolic link the file it names; a device, pipe or socket (/dev/stdout, a FIFO) is written as it is."""
    try:
        status = os.stat(path)
    except FileNotFoundError:
        status = None
    if status and not stat.S_ISREG(status.st_mode) and not stat.S_ISDIR(status.st_mode):
        with open(path, "wb") as out:  # nothing to replace: a temporary file beside a device is meaningless
            out.write(data)
        return
    if status and stat.S_ISREG(status.st_mode) and (not status.st_mode & 0o222 or not os.access(path, os.W_OK)):
        raise PermissionError(errno.EACCES, "read-only", str(path))  # replacing it would get round that
    atomic_write(type(path)(os.path.realpath(path)), data)


def umask():
    """The process's file-creation mask (read without changing it)."""
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


class Refused(LedgerError):
    """The append was refused: the problems accept() found with the new entry."""

    def __init__(self, problems):
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


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


def append(path, text, header, accept, kind="journal", relative=None):
    """Appends text (one YAML list item) to the journal at path, under a lock, atomically.

    accept(items) sees the journal's items (models.read_journal, or the reader of kind) as they are inside
    the lock and returns the problems that forbid the append. Every byte already in the file is kept.
    Returns the new entry's line. Raises LedgerError, the journal untouched, when the append is refused or
    cannot be written. relative: the file as messages name it (default: a unit's journal in data/progress/).
    """
    def compose(items):
        refused = accept(items)
        if refused:
            raise Refused(refused)
        return [text]

    return extend(path, compose, header, kind, relative)[0]


def extend(path, compose, header, kind="journal", relative=None):
    """Appends the texts compose(items) gives (each one YAML list item) to the journal at path, in one atomic
    write under its lock; returns the lines where they start ([]: compose gave none, nothing is written).

    compose sees the journal's items (models.read_journal, or the reader of kind) as they are inside the
    lock, and may raise Refused. Every byte already in the file is kept. Raises LedgerError, the journal
    untouched, when the append is refused or cannot be written. relative: as in append.
    """
    relative = relative or f"{PROGRESS}/{path.name}"
    linked = progress_problem(path.parents[relative.count("/")])  # a linked data/ would take the entry anywhere
    if linked:
        raise LedgerError(f"{relative}: 无法写入：{linked.message}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with locked(path):
            pause("locked")
            _remove_temporaries(path)
            old = _journal_bytes(path, relative)
            entries, problems = validate_bytes(old, relative, kind) if old.strip() else ([], [])
            entries = entries or []
            texts = compose(entries)
            if not texts:
                return []
            newline = b"\r\n" if b"\r\n" in old else b"\n"
            prefix = old if old.strip() else old + header.encode()
            if prefix and not prefix.endswith(b"\n"):
                prefix += newline
            new = prefix + "".join(texts).encode().replace(b"\n", newline)
            after, after_problems = validate_bytes(new, relative, kind)
            after = after or []
            if (len(after) != len(entries) + len(texts) or _content(after[:len(entries)]) != _content(entries)
                    or set(after_problems) - set(problems)):
                if problems:
                    found = "\n".join(map(str, problems))
                    raise LedgerError(f"{relative} 目前无法正确解析，追加的条目无法成为其中一条，已放弃写入；请先修复：\n{found}")
                raise LedgerError(f"{relative}: 这个日志的写法无法在末尾追加条目（例如整个日志写在一对 [ ] 里）；"
                                  "请改成每条以“- ”开头、各占几行的写法")
            atomic_write(path, new, before_replace=lambda: pause("written"))
            sync_folder(path.parent)
            pause("replaced")
            return [item["line"] for item in after[len(entries):]]
    except OSError as error:
        code = errno.errorcode.get(error.errno, "")
        reason = WRITE_FAILURES.get(code, f"{error.strerror or error}")
        raise LedgerError(f"{relative}: 无法写入（{code or type(error).__name__}）：{reason}") from None


def _content(items):
    """Items as read, less where the next item begins: what an append must leave as it was."""
    return [{key: value for key, value in item.items() if key != "end"} for item in items]


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


def sync_folder(folder):
    """Flushes the folder's entry for a renamed file to disk, where the system allows it (not on Windows)."""
    with contextlib.suppress(OSError, AttributeError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def pause(point):
    """Stops for good at point when LEDGER_TEST_PAUSE names it, so the fault tests can kill an update there."""
    if os.environ.get("LEDGER_TEST_PAUSE") == point:
        import sys  # noqa: PLC0415
        import time  # noqa: PLC0415

        print(f"LEDGER_TEST_PAUSE {point}", file=sys.stderr, flush=True)
        time.sleep(3600)
