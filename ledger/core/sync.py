"""`ledger sync`: the clerk's one command to share what `ledger update` wrote. It commits the new entries,
fetches, merges entry by entry (the journal merge driver), validates, pushes, and tries again when someone
pushed first. A merge that cannot be made is undone: the clone is never left half-merged."""

import random
import time
from pathlib import PurePosixPath

from ledger.core import journals, repo as setup_repo
from ledger.core.load import load
from ledger.core.queries import given
from ledger.core.update import commit_message
from ledger.files import git
from ledger.files.store import PROGRESS, read_bytes
from ledger.vocab import ENTRY_FIELDS, LedgerError

ATTEMPTS = 30  # pushes tried before giving up: each failed one means another clerk's push got in first
UNDONE = "克隆已恢复到 ledger sync 之前的样子（你的提交都在，还没有推送）"


def sync(root, today, say):
    """Shares the clerk's new entries through the upstream branch; say(text) is told each step.
    Raises LedgerError, saying what was and was not done, when a step cannot be made."""
    repo = git.Repo(root)
    remote, branch = _ready(repo)
    for changed, line in setup_repo.setup(root):
        if changed:
            say(f"已配置这个克隆：{line}")
    _commit_new_entries(repo, root, today, say)
    upstream = f"{remote}/{branch}"
    for attempt in range(ATTEMPTS):
        fetched = repo.call("fetch", "-q", remote)
        if fetched[0]:
            raise LedgerError(f"无法从 {remote} 取回（{_said(fetched[2])}）；没有推送。检查网络后再运行 ledger sync")
        theirs, before = repo.commit_of(f"refs/remotes/{remote}/{branch}"), repo.commit_of("HEAD")
        merged = bool(theirs) and not repo.is_ancestor(theirs, "HEAD")
        if merged:
            _merge(repo, theirs, upstream, say)
        wrong = _outgoing(repo, root, theirs or repo.empty_tree(), today)
        if wrong:
            if merged:
                repo.run("reset", "-q", "--keep", before)
            undone = f"已撤销刚才的合并，{UNDONE}" if merged else "你的提交都在本地"
            raise LedgerError(f"要推送的提交里有不该推送的改动，没有推送（{undone}）：\n" + "\n".join(map(str, wrong))
                              + "\n已写入的条目只能追加；如果是办公室改了任务清单，请把这段说明发给办公室")
        ahead = int(repo.run("rev-list", "--count", f"{theirs}..HEAD" if theirs else "HEAD").decode())
        if not ahead:
            say(f"已与 {upstream} 一致，没有要推送的提交")
            return
        if _pushed(repo, remote, branch):
            say(f"已推送到 {upstream}：{ahead} 个提交")
            return
        say(f"推送时 {upstream} 已有别人刚推送的提交；重新取回、合并后再推送（第 {attempt + 2} 次）")
        time.sleep(random.uniform(0.2, 1.0))  # clerks who lost the same race try again at different moments
    raise LedgerError(f"推送了 {ATTEMPTS} 次，每次都有别人抢先推送；你的提交都在本地。请稍后再运行 ledger sync")


def _ready(repo):
    """(remote, branch on it) of the current branch's upstream; LedgerError when sync cannot start."""
    for name, doing in (("MERGE_HEAD", "合并"), ("rebase-merge", "变基"), ("rebase-apply", "变基"),
                        ("CHERRY_PICK_HEAD", "拣选"), ("REVERT_HEAD", "撤销提交")):
        if (repo.root / repo.run("rev-parse", "--git-path", name).decode().strip()).exists():
            raise LedgerError(f"这个克隆里有一次没有完成的{doing}；请先完成或放弃它（git status 会说明怎样做），"
                              "再运行 ledger sync", usage=True)
    code, out, _ = repo.call("symbolic-ref", "-q", "--short", "HEAD")
    local = out.decode().strip()
    if code:
        raise LedgerError("现在不在任何分支上（detached HEAD）；请先切换到要推送的分支（git switch main）", usage=True)
    remote = repo.call("config", f"branch.{local}.remote")[1].decode().strip()
    merge = repo.call("config", f"branch.{local}.merge")[1].decode().strip()
    if not remote or remote == "." or not merge.startswith("refs/heads/"):
        raise LedgerError(f"分支 {local} 没有上游分支，不知道推送到哪里；请先运行一次 git push -u origin {local}",
                          usage=True)
    if not (repo.succeeds("var", "GIT_AUTHOR_IDENT") and repo.succeeds("var", "GIT_COMMITTER_IDENT")):
        raise LedgerError("git 不知道提交人是谁；请先设置 git config user.name 和 git config user.email", usage=True)
    return remote, merge[len("refs/heads/"):]


def _commit_new_entries(repo, root, today, say):
    """Commits the journals that gained entries since HEAD, once they are valid and keep every entry HEAD has."""
    status = repo.run("status", "--porcelain", "-z", "--no-renames", "--untracked-files=all", "--", f"{PROGRESS}/")
    paths = [item[3:].decode("utf-8", "surrogateescape") for item in status.split(b"\0") if item[3:]]
    paths = [path[len(repo.prefix):] for path in paths if git.is_journal(path[len(repo.prefix):])]
    if not paths:
        return
    head = repo.commit_of("HEAD")
    wrong = []
    for path in paths:
        data, problem = read_bytes(root, path)
        wrong += [problem] if problem else journals.append_only(path, repo.blob(head, path) if head else None, data)
    if wrong:
        raise LedgerError("没有提交，也没有推送：\n" + "\n".join(map(str, wrong))
                          + "\n已写入的条目只能追加、不能改动或删除；请用 git diff 查看、git restore 恢复，"
                            "更正请用 ledger update --corrects 追加一条")
    ledger = load(root, today=today, units={PurePosixPath(path).stem for path in paths})
    added = {}
    for path in paths:
        old = repo.blob(head, path) if head else None
        new = read_bytes(root, path)[0]
        wrong += journals.new_entry_errors(ledger, path, old, new)
        added[path] = journals.added(old, new) or {}
    if wrong:
        raise LedgerError("没有提交，也没有推送：新条目有问题，请先改正（ledger validate）：\n" + "\n".join(map(str, wrong)))
    entries = [entry for entry in ledger.entries if entry.line in added.get(entry.file, ())]
    for path in [path for path in paths if not added[path]]:
        say(f"{repo.in_repo(path)} 的改动里没有新条目（也许只是另存或改了注释），没有提交它")
    paths = [path for path in paths if added[path]]
    if not paths:
        return
    repo.run("add", "--", *paths)
    message = _message(ledger, entries)
    repo.run("commit", "-q", "--only", "-F", "-", "--", *paths, stdin=message.encode())
    short = repo.run("rev-parse", "--short=8", "HEAD").decode().strip()
    say(f"已提交 {short}：{message.splitlines()[0]}")


def _message(ledger, entries):
    """The commit message: update --commit's for one entry; for several, one line each."""
    written = [_as_written(entry) for entry in entries]
    if len(entries) == 1:
        return commit_message(entries[0].unit, ledger.tasks[entries[0].task], written[0])
    units = "、".join(dict.fromkeys(entry.unit for entry in entries))
    lines = [f"{entry.date} {entry.task} {ledger.tasks[entry.task].title} — {given(item)}"
             for entry, item in zip(entries, written)]
    return f"进展({units}): {len(entries)} 条\n\n" + "\n".join(lines) + "\n"


def _as_written(entry):
    """An Entry's fields as its journal writes them: only those given."""
    fields = {key: getattr(entry, key) for key in ENTRY_FIELDS}
    fields.update(actuals=dict(entry.actuals), clear=list(entry.clear), resolves=list(entry.resolves))
    return {key: value for key, value in fields.items() if value not in (None, {}, [])}


def _merge(repo, theirs, upstream, say):
    """Merges theirs into HEAD through the journal merge driver; LedgerError, the clone as it was, when it cannot."""
    count = repo.run("rev-list", "--count", f"HEAD..{theirs}").decode().strip()
    driver = setup_repo.command("merge-journal", "%O", "%A", "%B", "%L", "%P")
    code, out, err = repo.call("-c", f"merge.{setup_repo.DRIVER}.driver={driver}", "merge", "-q", "--no-edit",
                               "-m", f"合并 {upstream}（ledger sync）", theirs)
    if code:
        conflicted = repo.run("diff", "--name-only", "-z", "--diff-filter=U").split(b"\0")
        files = "、".join(path.decode("utf-8", "replace") for path in conflicted if path)
        if repo.succeeds("rev-parse", "-q", "--verify", "MERGE_HEAD"):
            repo.run("merge", "--abort")
            raise LedgerError(f"合并 {upstream} 的 {count} 个新提交时有冲突{f'（{files}）' if files else ''}，"
                              f"已放弃这次合并，{UNDONE}。\n{_said(err + out)}\n请把这段说明发给办公室")
        raise LedgerError(f"git 没有合并 {upstream} 的 {count} 个新提交（什么都没有改）：\n{_said(err + out)}\n"
                          "多半是工作区或暂存区里有别的改动挡住了合并；提交或撤销它们后再运行 ledger sync")
    say(f"已合并 {upstream} 的 {count} 个新提交（日志按条目合并）")


def _outgoing(repo, root, theirs, today):
    """What HEAD would push on top of theirs that must not be pushed: written entries edited or removed,
    new entries that are not valid (against the task list HEAD has)."""
    changed = _journals_between(repo, theirs)
    wrong = [problem for path in changed
             for problem in journals.append_only(path, repo.blob(theirs, path), repo.blob("HEAD", path))]
    if wrong or not changed:
        return wrong
    ledger = load(root, today=today, units={PurePosixPath(path).stem for path in changed})
    return [problem for path in changed
            for problem in journals.new_entry_errors(ledger, path, repo.blob(theirs, path), repo.blob("HEAD", path))]


def _journals_between(repo, theirs):
    """The journals (relative to the ledger root) that differ between theirs and HEAD."""
    out = repo.run("diff", "--name-only", "--no-renames", "--relative", "-z", theirs, "HEAD", "--")
    return [path for path in (p.decode("utf-8", "surrogateescape") for p in out.split(b"\0") if p) if git.is_journal(path)]


def _pushed(repo, remote, branch):
    """True once HEAD is pushed to branch on remote; False when someone else's push got there first (the push
    was not a fast-forward); LedgerError when the push failed for any other reason, the hub's refusal included."""
    code, out, err = repo.call("push", "--porcelain", remote, f"HEAD:refs/heads/{branch}")
    if code == 0:
        return True
    summary, said = out.decode("utf-8", "replace"), err.decode("utf-8", "replace")
    if "[rejected]" in summary and ("fetch first" in summary or "non-fast-forward" in summary):
        return False
    if "[remote rejected]" in summary and ("failed to update ref" in summary or "cannot lock ref" in said):
        return False  # another push moved the branch while this one was being received
    remote_said = "\n".join(line[len("remote: "):].rstrip() for line in said.splitlines() if line.startswith("remote: "))
    if "[remote rejected]" in summary:
        raise LedgerError(f"中央仓库拒绝了这次推送：\n{remote_said or _said(out)}\n你的提交还在本地，没有丢失；"
                          "改正后再运行 ledger sync")
    raise LedgerError(f"推送到 {remote} 失败（{_said(err)}）；你的提交还在本地。检查网络或权限后再运行 ledger sync")


def _said(data):
    """What git said, as text."""
    return data.decode("utf-8", "replace").strip()
