"""What git knows about a ledger: its repository, the commits and authors of journal lines, what changed.

Every call runs the `git` program. Machine output only (-z, --porcelain) is parsed, so a file name
such as data/progress/县水利局.yaml comes through as it is, whatever core.quotepath says.
"""

import datetime as dt
import os
import re
import subprocess
from pathlib import Path, PurePosixPath
from typing import NamedTuple

from ledger.files.store import DATA, MAX_FILE, PROGRESS
from ledger.vocab import LedgerError, Problem

BLAME_HEADER = re.compile(rb"^([0-9a-f]{40,64}) \d+ (\d+)(?: \d+)?$")
LINK, MODULE = "120000", "160000"  # git's modes of a symbolic link and of a submodule
UNCOMMITTED = re.compile(r"^0+$")


class Commit(NamedTuple):
    sha: str
    author: str
    email: str
    time: int  # seconds since the epoch
    tz: str  # the author's offset, +0800
    subject: str

    def when(self):
        """The author date in the author's own time zone."""
        sign = -1 if self.tz.startswith("-") else 1
        offset = dt.timedelta(hours=int(self.tz[1:3] or 0), minutes=int(self.tz[3:5] or 0)) * sign
        return dt.datetime.fromtimestamp(self.time, dt.timezone(offset))


class Repo:
    """The git repository a ledger root lives in (the root may be a folder inside it)."""

    def __init__(self, root):
        self.root = root
        self.prefix = self.run("rev-parse", "--show-prefix", what=_not_a_repository(root)).decode().rstrip("\n")
        self._head, self._empty = [], []  # computed once when first asked for

    def call(self, *args, stdin=None):
        return call(self.root, *args, stdin=stdin)

    def run(self, *args, stdin=None, what=None):
        """git's standard output (bytes) for args; LedgerError (what, else git's own words) when git fails."""
        code, out, err = self.call(*args, stdin=stdin)
        if code:
            said = err.decode("utf-8", "replace").strip()
            raise LedgerError(what or f"git {args[0]} 失败：{said}", usage=bool(what))
        return out

    def succeeds(self, *args):
        return self.call(*args)[0] == 0

    def top(self):
        """The repository's top folder."""
        return Path(os.fsdecode(self.run("rev-parse", "--show-toplevel").rstrip(b"\n")))

    def in_repo(self, path):
        """A path relative to the ledger root, as git names it from the top of the repository."""
        return f"{self.prefix}{path}"

    def head(self):
        """HEAD's commit, or None in a repository without commits."""
        if not self._head:
            code, out, _ = self.call("rev-parse", "--verify", "-q", "HEAD^{commit}")
            self._head.append(out.decode().strip() if code == 0 else None)
        return self._head[0]

    def resolve(self, rev):
        """The commit rev names; a usage error when it names none."""
        unknown = f"找不到版本“{rev}”；可以写分支名（origin/main）、标签、提交号或 HEAD~1 这样的写法"
        if rev.startswith("-"):
            raise LedgerError(unknown, usage=True)
        return self.run("rev-parse", "--verify", "-q", f"{rev}^{{commit}}", what=unknown).decode().strip()

    def empty_tree(self):
        """The name of the empty tree (it differs between SHA-1 and SHA-256 repositories)."""
        if not self._empty:
            self._empty.append(self.run("hash-object", "-t", "tree", "--stdin", stdin=b"").decode().strip())
        return self._empty[0]

    def default_base(self):
        """(label, commit) to review against: the upstream branch when HEAD has commits it lacks (what is
        about to be pushed); else where HEAD was before the last pull or merge (ORIG_HEAD: what it brought);
        else the upstream branch; else the previous commit; else nothing."""
        upstream, orig = self.commit_of("@{upstream}"), self.commit_of("ORIG_HEAD")
        head = self.head()
        if upstream and head and not self.is_ancestor(head, upstream):
            return self._abbreviated("@{upstream}"), upstream
        if orig and head and orig != head and self.is_ancestor(orig, head):
            return "上次拉取或合并之前", orig
        if upstream:
            return self._abbreviated("@{upstream}"), upstream
        if self.commit_of("HEAD~1"):
            return "HEAD~1", self.commit_of("HEAD~1")
        return "仓库建立之初", self.empty_tree()

    def commit_of(self, rev):
        """The commit rev names, or None."""
        code, out, _ = self.call("rev-parse", "--verify", "-q", f"{rev}^{{commit}}")
        return out.decode().strip() if code == 0 else None

    def is_ancestor(self, commit, descendant):
        return self.succeeds("merge-base", "--is-ancestor", commit, descendant)

    def _abbreviated(self, rev):
        return self.run("rev-parse", "--abbrev-ref", rev).decode().strip()

    def fork_point(self, commit):
        """Where HEAD's history left commit's: what HEAD adds is reviewed, not what commit's side added."""
        head = self.head()
        if head is None or commit == self.empty_tree():
            return commit
        found = self.run("merge-base", commit, head, what=f"{commit[:8]} 和 HEAD 没有共同的历史，无法比较")
        return found.decode().strip()

    def changed(self, base):
        """Paths (relative to the ledger root) that differ between base and the working tree, untracked included."""
        diff = self.run("diff", "--name-only", "--no-renames", "--relative", "-z", base, "--")
        untracked = self.run("ls-files", "-z", "--others", "--exclude-standard", "--")
        return sorted(set(_paths(diff)) | set(_paths(untracked)))

    def staged_changes(self, base):
        """Paths (relative to the ledger root) that differ between base and the index: what a commit would change."""
        return _paths(self.run("diff", "--cached", "--name-only", "--no-renames", "--relative", "-z", base, "--"))

    def blob(self, commit, path):
        """The bytes of path (relative to the ledger root) in commit, or None where it did not exist."""
        code, out, _ = self.call("cat-file", "blob", f"{commit}:{self.in_repo(path)}")
        return out if code == 0 else None

    def listing(self, commit=None):
        """{path relative to the ledger root: (mode, object name)} of the ledger's files (under data/) in
        commit, or in the index when commit is None. A path git holds unmerged (a conflict) is left out."""
        args = ("ls-files", "-s", "-z") if commit is None else ("ls-tree", "-r", "-z", commit)
        found = {}
        for item in self.run(*args, "--", f"{DATA}/").split(b"\0"):
            meta, _, path = item.partition(b"\t")
            if not path:
                continue
            fields = meta.decode().split(" ")
            mode, name, stage = fields if commit is None else (fields[0], fields[2], "0")  # ls-tree: mode type name
            if stage == "0":
                found[path.decode("utf-8", "surrogateescape")] = (mode, name)
        return found

    def ledger_files(self, commit=None, wanted=None):
        """{path relative to the ledger root: bytes, or the Problem that keeps it from being read} of the
        ledger's files in commit (None: the index), those in wanted only when given. A symbolic link or a
        submodule is never followed: it would be one on every machine that checks the commit out."""
        files, names = {}, {}
        for relative, (mode, name) in self.listing(commit).items():
            if wanted is not None and relative not in wanted:
                continue
            if mode == LINK:
                files[relative] = Problem(relative, 0, "在 git 里是符号链接；台账文件必须是普通文件（符号链接在每个"
                                                       "克隆里都会指向别处）；请换成普通文件")
            elif mode == MODULE:
                files[relative] = Problem(relative, 0, "在 git 里是子模块；台账文件必须是普通文件")
            else:
                names[relative] = name
        files.update(self.blobs(names))
        return files

    def blobs(self, names):
        """{key: bytes, or a Problem when the object is larger than a ledger file may be} for names
        ({key: object name}), read through one `git cat-file --batch`."""
        if not names:
            return {}
        asked = "".join(f"{name}\n" for name in names.values()).encode()
        sizes = self.run("cat-file", "--batch-check=%(objectname) %(objectsize)", stdin=asked).split()
        size = dict(zip(sizes[0::2], map(int, sizes[1::2])))
        small = [name for name in names.values() if size.get(name.encode(), 0) <= MAX_FILE]
        out = self.run("cat-file", "--batch", stdin="".join(f"{name}\n" for name in small).encode())
        data, at = {}, 0
        for name in small:
            header_end = out.index(b"\n", at)
            length = int(out[at:header_end].rsplit(b" ", 1)[1])
            data[name] = out[header_end + 1:header_end + 1 + length]
            at = header_end + 1 + length + 1
        too_big = f"太大（上限 {MAX_FILE >> 20} MB）；一个台账文件不该这么大，请检查它是不是误放的"
        return {key: data[name] if name in data else Problem(key, 0, too_big) for key, name in names.items()}

    def blame(self, path):
        """{line: Commit, or None where the line is not committed} for the working-tree file path; a line
        that differs from the committed one only in white space (a CRLF re-save) keeps its commit."""
        # -w: a journal re-saved with other line ends (CRLF) keeps the commits that wrote its lines
        code, out, _ = self.call("blame", "-w", "--porcelain", "--", path) if self.head() else (1, b"", b"")
        if code:
            return {}  # a file git does not track yet: none of its lines is committed
        fields, lines, sha = {}, {}, None
        for raw in out.split(b"\n"):
            if raw.startswith(b"\t"):
                continue  # the line's own text
            header = BLAME_HEADER.match(raw)
            if header:
                sha = header.group(1).decode()
                lines[int(header.group(2))] = sha
                fields.setdefault(sha, {})
            elif sha:
                key, _, value = raw.partition(b" ")
                fields[sha].setdefault(key.decode(), value.decode("utf-8", "replace"))
        commits = {sha: None if UNCOMMITTED.match(sha) else _commit(sha, f) for sha, f in fields.items()}
        return {line: commits[sha] for line, sha in lines.items()}

    def commits(self, base):
        """(Commit, paths relative to the repository top) for each commit after base up to HEAD, merges left out."""
        if self.head() is None:
            return []
        span = "HEAD" if base == self.empty_tree() else f"{base}..HEAD"
        out = self.run("log", "-z", "--no-merges", "--no-renames", "--name-only",
                       "--format=%x1e%H%x1f%an%x1f%ae%x1f%at%x1f%ai%x1f%s", span, "--")
        found = []
        for record in out.split(b"\x1e")[1:]:
            header, _, files = record.partition(b"\0")
            sha, author, email, time, date, subject = header.decode("utf-8", "replace").split("\x1f")
            found.append((Commit(sha, author, email, int(time), date[-5:], subject), _paths(files.lstrip(b"\n"))))
        return found

    def staged(self):
        """Paths relative to the repository top with changes in the index."""
        if self.head() is None:
            return _paths(self.run("ls-files", "-z", "--cached", "--full-name", ":/"))
        return _paths(self.run("diff", "--cached", "--name-only", "--no-renames", "-z", ":/"))

    def ready_to_commit(self, path):
        """Raises LedgerError unless a commit of the journal path alone would hold just what is appended now."""
        journal = self.in_repo(path)
        others = [p for p in self.staged() if p != journal]
        if others:
            shown = "、".join(others[:5]) + ("……" if len(others) > 5 else "")
            raise LedgerError(f"暂存区里已有其他改动（{shown}）；--commit 只提交这一个日志。"
                              "请先提交它们，或用 git restore --staged 撤出暂存区，或去掉 --commit")
        if self.run("status", "--porcelain", "-z", "--", path):
            raise LedgerError(f"{path} 有尚未提交的改动；请先查看（git diff -- {path}）并提交，或去掉 --commit")
        if not self.succeeds("var", "GIT_AUTHOR_IDENT"):
            raise LedgerError("git 不知道提交人是谁；请先设置 git config user.name 和 git config user.email")

    def commit(self, path, message):
        """Commits the journal path alone with message; returns the new commit's abbreviated name."""
        self.run("add", "--", path)
        self.run("commit", "-q", "--only", "-F", "-", "--", path, stdin=message.encode())
        self._head.clear()
        return self.run("rev-parse", "--short=8", "HEAD").decode().strip()


def call(folder, *args, stdin=None):
    """git's exit code, standard output and error output (bytes) for args, run in folder."""
    try:
        done = subprocess.run(["git", *args], cwd=folder, input=stdin, capture_output=True)
    except FileNotFoundError:
        raise LedgerError("找不到 git 程序；请先安装 git（https://git-scm.com）并确认它在 PATH 里", usage=True) from None
    return done.returncode, done.stdout, done.stderr


def _not_a_repository(root):
    return (f"{root} 不在 git 仓库里；请在台账仓库的克隆里运行（git clone 地址），"
            "或用 ledger init 新建一个台账仓库")


def _paths(out):
    return [p.decode("utf-8", "surrogateescape") for p in out.split(b"\0") if p]


def _commit(sha, fields):
    return Commit(sha, fields.get("author", ""), fields.get("author-mail", "").strip("<>"),
                  int(fields.get("author-time", 0)), fields.get("author-tz", "+0000"), fields.get("summary", ""))


def is_journal(path):
    """Whether path (relative to the ledger root) is where a journal lives: directly in data/progress/."""
    path = PurePosixPath(path)
    return str(path.parent) == PROGRESS and not path.name.startswith(".")
