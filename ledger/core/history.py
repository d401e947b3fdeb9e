"""Journals through git: who added each entry and when (`ledger log`), what changed since a version
(`ledger review`). Journals are append-only, so any change to what was already there is flagged."""

import difflib
import functools
from collections import defaultdict
from pathlib import PurePosixPath
from typing import NamedTuple

from ledger.core.load import load
from ledger.files import git, store, yamlio
from ledger.files.store import ACTIONS, PROGRESS
from ledger.vocab import ENTRY_FIELDS, RED, STEP, YELLOW


def text_lines(text):
    """The lines of a text as YAML numbers them (only \\n ends a line), without the empty one after the last."""
    lines = text.split("\n")
    return lines[:-1] if lines and lines[-1] == "" else lines


@functools.lru_cache(maxsize=4)  # review asks about the same texts several times; YAML is slow to parse
def spans(text):
    """{first line: last line} of each entry in a journal's text, blank and comment lines after it left out;
    None when the text cannot be read as YAML. (Shared between callers: do not change it.)"""
    if not text.strip():
        return {}
    value, _ = yamlio.parse(text, "journal")
    if value is None:
        return None
    starts = list(getattr(value, "item_lines", []))
    lines = text_lines(text)
    return {start: last_line(start, following, lines)
            for start, following in zip(starts, starts[1:] + [len(lines) + 1])}


def last_line(start, following, lines):
    """The last line of the entry starting at start, before the item at following; trailing blank and
    comment lines are not the entry's."""
    end = following - 1
    while end > start and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
        end -= 1
    return end


class Changes(NamedTuple):
    added: list  # first lines (in the new text) of entries that are wholly new
    edited: list  # (first line in the old text, first line in the new text or None, old lines removed,
    #              new lines inserted), for entries that are still there but not as they were
    deleted: list  # first lines (in the old text) of entries that are gone
    other: list  # lines of the old text outside any entry that were removed or changed


def changes(old, new):
    """What happened to a journal between two texts of it; None when the new text cannot be read as YAML."""
    old_lines, new_lines = text_lines(old), text_lines(new)
    old_spans, new_spans = spans(old) or {}, spans(new)
    if new_spans is None:
        return None
    kept = _kept(old_lines, new_lines)
    still = set(kept.values())
    owner = {line: start for start, end in new_spans.items() for line in range(start, end + 1)}
    added = [start for start, end in new_spans.items() if not still.intersection(range(start, end + 1))]
    edited, deleted = [], []
    for start, end in old_spans.items():
        span = range(start, end + 1)
        moved = [kept[line] for line in span if line in kept]
        if not moved:
            deleted.append(start)
            continue
        after = owner.get(moved[0])
        now = range(after, new_spans[after] + 1) if after else range(0)
        if moved == list(now) and len(moved) == len(span):
            continue  # the same lines, in one piece, nothing inserted among them
        edited.append((start, after, [line for line in span if line not in kept],
                       [line for line in now if line not in still]))
    inside = {line for start, end in old_spans.items() for line in range(start, end + 1)}
    other = [line for line in range(1, len(old_lines) + 1)
             if line not in kept and line not in inside and old_lines[line - 1].strip()]
    return Changes(added, edited, deleted, other)


def _kept(old, new):
    """{old line: new line} for the lines of old that new still has unchanged."""
    if new[:len(old)] == old:  # the usual case: only appended
        return {line: line for line in range(1, len(old) + 1)}
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    return {i + k + 1: j + k + 1 for i, j, size in matcher.get_matching_blocks() for k in range(size)}


def read_text(root, relative):
    """The text of a journal under root, as YAML reads it ('' when it is missing, not UTF-8, or not a regular file
    ledger reads: a symbolic link, say)."""
    return _decoded(store.read_bytes(root, relative)[0] or b"", relative)


def _decoded(data, relative):
    text, problem = yamlio.decode(data, relative)
    return "" if problem else text


def _git_fields(commit):
    """What a record shows of the commit that added its lines (None: not committed yet)."""
    if commit is None:
        return {"commit": None, "author": None, "email": None, "committed": None}
    return {"commit": commit.sha, "author": commit.author, "email": commit.email,
            "committed": commit.when().isoformat()}


def entry_record(ledger, entry, unit, relative, commit):
    """An entry as log and review list it: its unit and task title, every field, where it is, who committed it.
    entry: the entry's fields as a mapping, with its line."""
    task = ledger.tasks.get(entry.get("task"))
    record = {"unit": unit, "task": entry.get("task"), "title": task.title if task else None}
    record.update({key: entry.get(key) for key in ENTRY_FIELDS if key != "task"})
    record.update(actuals=dict(entry.get("actuals") or {}), clear=list(entry.get("clear") or []), file=relative,
                  line=entry["line"], **_git_fields(commit))
    return record


def action_record(ledger, action, unit, relative, commit):
    """An office action on a problem as review lists it: an entry of 办公室 on the problem's task, its step in words."""
    task = ledger.tasks.get(int(action["problem"][1:action["problem"].index("-")]))
    assigned = f"{action['unit']}，限 {action['due']}" if action["action"] == "assign" else ""
    record = entry_record(ledger, {"date": action["date"], "task": task.id if task else None,
                                   "reporter": action["reporter"], "line": action["line"]}, unit, relative, commit)
    record["progress"] = f"{action['problem']} {STEP[action['action']].name}{assigned}：{action['note']}"
    return record


# --- ledger log ---

def log_records(ledger, repo, task=None, unit=None, since=None):
    """One record per valid entry (of task, by unit, when given) with the commit, author and date of the
    lines that added it, oldest first; entries not yet committed last. since (YYYY-MM-DD) keeps what was
    committed that day or later."""
    by_journal = defaultdict(list)
    for entry in ledger.entries:
        if (task is not None and entry.task != task) or (unit and entry.unit != unit):
            continue
        by_journal[entry.file].append(entry)
    found = []
    for relative, group in by_journal.items():
        # each entry knows where the next item begins: its lines need no second parse of the journal
        lines = text_lines(read_text(ledger.root, relative))
        blame = repo.blame(relative)
        for entry in group:
            start = entry.line
            end = last_line(start, entry.end or len(lines) + 1, lines)
            adder = blame.get(start)
            later = {blame.get(line) for line in range(start, end + 1)} - {adder}
            record = entry_record(ledger, entry._asdict(), entry.unit, relative, adder)
            record["changed_later"] = sorted(c.sha[:8] if c else "未提交" for c in later)
            if not since or adder is None or record["committed"][:10] >= since:
                found.append(((adder is None, adder.time if adder else 0, relative, start), record))
    return [record for _, record in sorted(found, key=lambda pair: pair[0])]


# --- ledger review ---

class Review(NamedTuple):
    base: str  # what the changes are measured from, as the user named it
    base_commit: str
    entries: list  # new entries, in full
    attention: list  # what a reviewer must look at


def review_since(root, rev, today):
    """The Review of the ledger at root against rev (default: the upstream branch, else the previous commit)."""
    repo = git.Repo(root)
    label, commit = (rev, repo.resolve(rev)) if rev else repo.default_base()
    base = repo.fork_point(commit)
    changed = [path for path in repo.changed(base) if git.is_journal(path) or path == ACTIONS]
    # the office's actions name problems any journal may have raised: judged with every journal read
    units = None if ACTIONS in changed else {PurePosixPath(path).stem for path in changed}
    ledger = load(root, today=today, units=units)
    return review(ledger, repo, label, base, changed, ledger.problems)


def review(ledger, repo, label, base, changed, problems):
    """The changed journals' entries that are new since base, and what a reviewer must look at.

    changed: the journals that differ between base and the working tree; ledger has read those
    that still exist, and problems are its problems."""
    entries, attention = [], []
    touched = defaultdict(list)  # journal -> the commits after base that changed it
    for commit, paths in repo.commits(base):
        journals = [path for path in paths if _is_journal(repo, path)]
        for path in journals + [path for path in paths if path == repo.in_repo(ACTIONS)]:
            touched[path].append(commit)
        for path in paths if journals else []:
            if not path.startswith(repo.in_repo(f"{PROGRESS}/")):
                attention.append(_attention(YELLOW, None, path, f"改动日志的提交同时改动了日志以外的文件 {path}；"
                                            "报送进展的提交只应改动 data/progress/ 下本单位的日志", [commit]))
    for relative in changed:
        found, more = _journal_review(ledger, repo, base, relative, problems, touched[repo.in_repo(relative)])
        entries += found
        attention += more
    return Review(label, base, sorted(entries, key=lambda r: (r["unit"], r["line"])), attention)


def _is_journal(repo, path):
    """Whether path (from the repository's top) is one of this ledger's journals."""
    return path.startswith(repo.prefix) and git.is_journal(path[len(repo.prefix):])


def _journal_review(ledger, repo, base, relative, problems, commits):
    """(new entries, attention records) for one changed journal, or the office's actions on problems (listed as
    entries of 办公室); commits: those after base that changed it."""
    office = relative == ACTIONS
    unit = "办公室" if office else PurePosixPath(relative).stem
    was = repo.blob(base, relative) or b""
    now = store.read_bytes(ledger.root, relative)[0] or b""  # a link is not followed: its target is not the journal
    old, new = _decoded(was, relative), _decoded(now, relative)
    old_lines, new_lines = text_lines(old), text_lines(new)
    old_spans, new_spans = spans(old) or {}, spans(new) or {}
    found = changes(old, new)
    unreadable = found is None
    found = found or Changes([], [], [], [])
    # what HEAD already has: a change found there was made by the commits; one found only here is not committed
    head = repo.head()
    committed = _decoded(repo.blob(head, relative) or b"", relative) if head else ""
    in_head = found if committed == new else (changes(old, committed) or Changes([], [], [], []))
    gone_in_head = set(in_head.deleted) | {edit[0] for edit in in_head.edited}
    # every entry the models read, valid or not: a reviewer sees in full what was added, problems and all
    items, _ = store.validate_bytes(new.encode(), relative, "actions" if office else "journal") if new.strip() else ([], [])
    by_line = {item["line"]: item for item in items or []}
    blame = repo.blame(relative) if new else {}

    def author_of(line):
        return [blame[line]] if blame.get(line) else []

    entries, attention = [], []
    if b"\r\n" in now and old.strip() and b"\r\n" not in was:
        committed_crlf = head and b"\r\n" in (repo.blob(head, relative) or b"")
        attention.append(_attention(YELLOW, unit, relative, RESAVED, commits if committed_crlf else []))
    worth = set()  # lines of the new text whose problems the reviewer must see
    for start in found.added:
        worth.update(range(start, new_spans[start] + 1))
        if start in by_line:
            record = action_record if office else entry_record
            entries.append(record(ledger, by_line[start], unit, relative, blame.get(start)))
    for old_start, new_start, removed, inserted in found.edited:
        if new_start:
            worth.update(range(new_start, new_spans[new_start] + 1))
        who = author_of(inserted[0]) if inserted else commits if old_start in gone_in_head else []
        attention.append(_attention(RED, unit, f"{relative}:{new_start or old_start}",
                                    in_words_of(relative, edited_message(old_start, removed, inserted, old_lines,
                                                                         new_lines)), who))
    for start in found.deleted:
        attention.append(_attention(RED, unit, f"{relative}:{start}",
                                    in_words_of(relative, deleted_message(start, old_lines, old_spans)),
                                    commits if start in gone_in_head else []))
    for line in found.other:
        attention.append(_attention(RED, unit, f"{relative}:{line}",
                                    f"日志里已有的内容被改动（原第 {line} 行：“{old_lines[line - 1].strip()}”）",
                                    commits if line in in_head.other else []))
    for problem in problems:
        if problem.file == relative and (unreadable or not problem.line or problem.line in worth):
            who = author_of(problem.line) if problem.line else commits if committed == new else []
            attention.append(_attention(RED if unreadable else YELLOW, unit, f"{relative}:{problem.line}",
                                        problem.message, who))
    return entries, attention


RESAVED = ("日志被另存为 Windows 换行（CRLF）：条目的内容没有变（ledger 按内容比较），但 git 会把每一行都算作"
           "改动；请用原来的换行（LF）保存，或在仓库的 .gitattributes 里给日志写上 eol=lf（ledger init 会写），"
           "提交时自动改回")


def edited_message(old_start, removed, inserted, old_lines, new_lines):
    """What a reviewer (or a refused push) is told of an entry changed after it was written."""
    before = _joined(old_lines[line - 1] for line in removed)
    after = _joined(new_lines[line - 1] for line in inserted)
    return (f"已写入的条目被修改（原第 {old_start} 行起）：改前“{before}”，改后“{after}”；"
            "日志只能追加，更正请追加一条新条目（update --corrects）")


def deleted_message(start, old_lines, old_spans):
    """What a reviewer (or a refused push) is told of an entry removed after it was written."""
    text = _joined(old_lines[start - 1:old_spans[start]])
    return f"已写入的条目被删除（原第 {start} 行起）：“{text}”；日志只能追加，不能删除条目"


def in_words_of(relative, message):
    """A journal's message about a changed entry, in the words of the office's record of actions when relative
    is that file."""
    if relative != ACTIONS:
        return message
    return (message.replace("日志只能追加，更正请追加一条新条目（update --corrects）",
                            "办理记录只能追加，办错了请追加一条新的办理（ledger problem）")
            .replace("日志只能追加，不能删除条目", "办理记录只能追加，不能删除"))


def _joined(lines):
    return " / ".join(line.strip() for line in lines if line.strip()) or "（无）"


def _attention(flag, unit, where, message, commits):
    """One thing for the reviewer, with the commits that did it (none: the change is not committed yet)."""
    return {"flag": flag, "unit": unit, "where": where, "message": message,
            "commits": [c.sha for c in commits], "authors": list(dict.fromkeys(c.author for c in commits))}


