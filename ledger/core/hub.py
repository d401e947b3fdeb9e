"""The central repository (`ledger hub init`) and the pre-receive hook it installs (`ledger hub check`).

A push is accepted only when, for every branch it updates, what it changes keeps every journal entry as
written, adds only valid entries, writes only journals of the units the pusher's account belongs to, and
changes nothing else (the task list, the registry, the config, any other file) unless the account is the
office's. Who pushes comes from the hosting layer; which accounts write for which unit, from the accounts in
the registry as it stands before the push (a push cannot grant itself a right)."""

import getpass
import re
import shlex
import sys
from pathlib import Path, PurePosixPath

from ledger.core import journals
from ledger.core.load import load_files
from ledger.files import git
from ledger.files.journal import atomic_write
from ledger.files.store import ACTIONS, CONFIG, TASKS, UNITS
from ledger.vocab import ERROR, LedgerError, Problem

# the variable each hosting layer names the pusher in, first found wins; else the system account
PUSHERS = (("GL_USER", "gitolite"), ("GL_USERNAME", "GitLab"), ("GITEA_PUSHER_NAME", "Gitea/Forgejo"))
HOOK_MARK = "# ledger hub init 安装的钩子"
OFFICE_KEY = "ledger.office"  # the office's accounts, in the central repository's git config
ZERO = re.compile(r"^0+$")


def pusher(environ):
    """(account, where it came from) of whoever pushes: the hosting layer's variable, else the system account."""
    for name, layer in PUSHERS:
        if environ.get(name, "").strip():
            return environ[name].strip(), f"由 {layer} 的 {name} 给出"
    try:
        account = getpass.getuser()
    except (KeyError, OSError):  # a process without a name for its user: no account, no write but the office's
        account = ""
    return account, "系统账号（没有 GL_USER、GL_USERNAME、GITEA_PUSHER_NAME）"


def init(folder, office):
    """Makes folder a central ledger repository (a new bare repository, or the hook added to an existing one,
    such as one gitolite made); returns what it did, line by line."""
    folder = Path(folder)
    bad = [name for name in office if not name.strip() or re.search(r"\s", name)]
    if bad or not office:
        raise LedgerError(f"--office 应为办公室的账号（托管平台或 gitolite 的用户名），不能为空或含空格：{'、'.join(bad)}",
                          usage=True)
    said = []
    if folder.exists() and any(folder.iterdir()):
        code, out, _ = git.call(folder, "rev-parse", "--is-bare-repository")
        if code or out.strip() != b"true":
            raise LedgerError(f"“{folder}”不是空目录，也不是裸仓库；请给一个新目录，或已有的裸仓库（如 gitolite 建的）",
                              usage=True)
        said.append(f"已有的裸仓库 {folder}")
        if git.call(folder, "rev-parse", "-q", "--verify", "HEAD")[0]:  # no commits yet: clones get main
            git.call(folder, "symbolic-ref", "HEAD", "refs/heads/main")
    else:
        folder.mkdir(parents=True, exist_ok=True)
        for args in (("init", "-q", "--bare"), ("symbolic-ref", "HEAD", "refs/heads/main")):
            code, _, err = git.call(folder, *args)
            if code:
                raise LedgerError(f"git {args[0]} 失败：{err.decode('utf-8', 'replace').strip()}")
        said.append(f"新建裸仓库 {folder}（分支 main）")
    repo = git.Repo(folder)
    repo.call("config", "--unset-all", OFFICE_KEY)
    for name in office:
        repo.run("config", "--add", OFFICE_KEY, name)
    repo.run("config", "receive.denyNonFastForwards", "true")
    said.append(f"办公室账号：{'、'.join(office)}（git config {OFFICE_KEY}）；其他账号写哪个单位的日志，"
                "由 data/units.yaml 各单位的 accounts 决定")
    said.append("拒绝强制推送（receive.denyNonFastForwards）：已推送的历史不能改写")
    hook = folder / repo.run("rev-parse", "--git-path", "hooks/pre-receive").decode().strip()
    run = " ".join(shlex.quote(part) for part in (sys.executable, "-I", "-m", "ledger", "hub", "check"))
    text = (f"#!/bin/sh\n{HOOK_MARK}：按台账的规则审查每一次推送（日志只追加、条目有效、各单位只写本单位的日志、"
            f"其余文件只由办公室改动）。\n# 重新运行 ledger hub init 会更新它。\nexec {run}\n")
    old = hook.read_text(encoding="utf-8", errors="replace") if hook.exists() else None
    if old is not None and HOOK_MARK not in old:
        raise LedgerError(f"{hook} 已有别的 pre-receive 钩子，没有改动；请把这一行加进去：{run}")
    hook.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(hook, text.encode())
    hook.chmod(0o755)
    said.append(f"pre-receive 钩子：{hook}（ledger hub check）")
    return said


def check(folder, updates, account, today):
    """What refuses the push (lines of text; none: accepted) of updates [(old, new, ref)] by account into the
    central repository at folder."""
    repo = git.Repo(folder)
    office = set(repo.call("config", "--get-all", OFFICE_KEY)[1].decode().split())
    refused = []
    for old, new, ref in updates:
        refused += [f"{ref}：{line}" for line in _check(repo, office, account, old, new, ref, today)]
    return refused


def _check(repo, hub_office, account, old, new, ref, today):
    """What refuses one ref's update: who may make it, then what it does to the ledger's files."""
    base = old if not ZERO.match(old) else _fork(repo, new)
    rules = load_files(repo.ledger_files(base, {TASKS, UNITS, CONFIG}), root=repo.root) if base else None
    office = hub_office | _office_accounts(rules)
    named = f"办公室账号（{'、'.join(sorted(office))}）"
    if account not in office:
        if ZERO.match(new):
            return [f"只有{named}能删除分支或标签；账号 {account} 不是办公室账号"]
        if not ref.startswith("refs/heads/"):
            return [f"只有{named}能推送分支以外的引用（如标签）；账号 {account} 不是办公室账号"]
        if base is None:
            return [f"仓库里还没有台账，第一次推送只能由{named}进行"]
    if ZERO.match(new):
        return []
    changed = _changes(repo, base or repo.empty_tree(), new)
    refused = [line for path, mode in changed for line in _may_write(path, mode, account, account in office, rules, named)]
    return refused or _contents(repo, base, new, [path for path, _ in changed], today)


def _may_write(path, mode, account, is_office, rules, named):
    """Why account may not push this change of path (none: it may)."""
    if mode in (git.LINK, git.MODULE):
        return [f"{path}: 是{'符号链接' if mode == git.LINK else '子模块'}；仓库里只能有普通文件"
                "（符号链接在每个克隆里都会指向别处）"]
    if is_office:
        return []
    if git.is_journal(path):
        unit = PurePosixPath(path).stem
        writers = _accounts(rules, unit)
        if account in writers:
            return []
        allowed = f"只有{unit}的账号（{'、'.join(writers)}）和办公室账号" if writers else "只有办公室账号"
        return [f"{path}: 账号 {account} 不能写{unit}的日志：{allowed}能推送它"
                "（账号与单位的对应在 data/units.yaml 各单位的 accounts）"]
    what = {TASKS: "任务清单", UNITS: "单位名录", CONFIG: "配置"}.get(path, "日志以外的文件")
    return [f"{path}: 账号 {account} 不能改动{what}：只有{named}能改动进展日志以外的文件"]


def _contents(repo, base, new, paths, today):
    """Why the new versions of the changed paths may not be pushed: entries edited or removed, invalid new
    entries, a task list, registry or config with errors."""
    changed_journals = [path for path in paths if git.is_journal(path) or path == ACTIONS]  # the office's: a journal too
    changed_files = {TASKS, UNITS, CONFIG} & set(paths)
    if not changed_journals and not changed_files:
        return []
    if ACTIONS in paths:  # the office's actions name problems any journal may have raised: read them all
        files = repo.ledger_files(new)
        after = load_files(files, root=repo.root, today=today)
    else:  # the journals changed alone: a problem one resolves is judged only when every journal of its task is here
        files = repo.ledger_files(new, {TASKS, UNITS, CONFIG, *changed_journals})
        after = load_files(files, root=repo.root, today=today, units={PurePosixPath(p).stem for p in changed_journals})
    refused = [str(problem) for problem in after.problems if problem.file in changed_files and problem.severity == ERROR]
    for path in changed_journals:
        before, now = repo.blob(base, path) if base else None, files.get(path)
        if isinstance(now, Problem):
            refused.append(str(now))
            continue
        gone = journals.append_only(path, before, now)
        refused += [str(problem) for problem in gone or journals.new_entry_errors(after, path, before, now)]
    return refused


def _fork(repo, new):
    """Where a new branch left the default branch (what it adds is judged), or None in an empty repository."""
    default = repo.commit_of("HEAD")
    if default is None:
        return None
    code, out, _ = repo.call("merge-base", default, new)
    return out.decode().strip() if code == 0 else default


def _changes(repo, base, new):
    """(path, new mode) of each file that differs between base and new (mode 000000: removed)."""
    out = repo.run("diff-tree", "-r", "-z", "--no-renames", base, new, "--")
    items = out.split(b"\0")
    found = []
    for meta, path in zip(items[0::2], items[1::2]):
        if not meta.startswith(b":"):
            continue
        fields = meta[1:].decode().split(" ")
        found.append((path.decode("utf-8", "surrogateescape"), fields[1]))
    return found


def _office_accounts(rules):
    """The accounts of the office's unit (config's office, else the plan's issuer) in the registry."""
    if rules is None or rules.config.office is None:
        return set()
    return set(_accounts(rules, rules.config.office))


def _accounts(rules, unit):
    found = [u for u in (rules.units if rules else ()) if u.name == unit]
    return list(found[0].accounts) if found else []
