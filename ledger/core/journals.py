"""A journal across versions, entry by entry: which entries a later version lost (append_only), and the
three-way merge git runs on journals (`ledger merge-journal`), which keeps every entry of both sides.

An entry is its lines as written, from its `- ` to its last line (blank and comment lines after it are not
the entry's). Two versions are compared as entries, in any order: a merge may put one side's new entries
before the other's, and neither has lost anything."""

from collections import Counter
from dataclasses import replace
from pathlib import PurePosixPath

from ledger.core.history import changes, deleted_message, edited_message, in_words_of, spans, text_lines
from ledger.core.issues import context_units
from ledger.core.load import load, load_files
from ledger.files import git, store, yamlio
from ledger.files.store import ACTIONS, CONFIG, PROGRESS, TASKS, UNITS
from ledger.vocab import ERROR, Problem

BOM = b"\xef\xbb\xbf"


def entries(text):
    """[(the entry's lines as a tuple, its first line, its last line)] of a journal's text; None when the text
    cannot be read as YAML."""
    lines = text_lines(text)
    if all(not line.strip() or line.lstrip().startswith("#") for line in lines):
        return []  # a header alone: no entries yet
    found = spans(text)
    if found is None:
        return None
    return [(tuple(lines[start - 1:end]), start, end) for start, end in found.items()]


def lost(old, new):
    """The first lines (in old) of old's entries that new no longer has as written, wherever new puts them;
    None when new cannot be read as YAML."""
    before, after = entries(old) or [], entries(new)
    if after is None:
        return None
    left = Counter(key for key, _, _ in after)
    missing = []
    for key, start, _ in before:
        if left[key]:
            left[key] -= 1
        else:
            missing.append(start)
    return missing


def append_only(relative, old, new):
    """Problems with new (bytes, None: the journal is gone) as a later version of the journal relative, whose
    earlier version was old (bytes): each entry of old it edited or removed. An entry must stay as written;
    a correction is a new entry."""
    old_text = yamlio.decode(old, relative)[0] if old is not None else None
    if old_text is None or not old_text.strip():
        return []  # nothing readable was there to keep; what the new version says is validate's business
    if new is None:
        count = len(entries(old_text) or [])
        return [Problem(relative, 0, f"日志被删除了（原有 {count} 条条目）；日志只能追加，不能删除")]
    new_text, problem = yamlio.decode(new, relative)
    if new_text is not None and _appended(old_text, new_text):
        return []  # the usual case, decided without parsing either version
    gone = lost(old_text, new_text) if new_text is not None else None
    if gone is None:
        return [problem or Problem(relative, 0, "改动后的日志无法按 YAML 读取，无法确认已写入的条目完好；请先改正（ledger validate）")]
    if not gone:
        return []
    old_lines, new_lines, old_spans = text_lines(old_text), text_lines(new_text), spans(old_text)
    edits = {edit[0]: edit for edit in (changes(old_text, new_text) or ([], [], [], [])).edited}
    problems = []
    for start in gone:
        if start in edits:
            _, new_start, removed, inserted = edits[start]
            problems.append(Problem(relative, new_start or 0,
                                    edited_message(start, removed, inserted, old_lines, new_lines)))
        else:
            problems.append(Problem(relative, 0, deleted_message(start, old_lines, old_spans)))
    return [problem._replace(message=in_words_of(relative, problem.message)) for problem in problems]


def _appended(old, new):
    """Whether new is old with whole entries (and comments) after it: nothing old had can have changed."""
    if not old.endswith("\n") or not new.startswith(old):
        return False
    for line in new[len(old):].split("\n"):
        if line.strip() and not line.startswith("#"):
            return line.startswith("- ") or line == "-"  # a new item, at the margin: the last entry is closed
    return True


def added(old, new):
    """{first line: last line} of the entries new (bytes) has that old (bytes; None: none) had not;
    None when new cannot be read as YAML."""
    old_text = yamlio.decode(old or b"", "")[0] or ""
    new_text = yamlio.decode(new or b"", "")[0]
    found = changes(old_text, new_text) if new_text is not None else None
    if found is None:
        return None
    where = spans(new_text)
    return {start: where[start] for start in found.added}


def new_entry_errors(ledger, relative, old, new):
    """The errors ledger found in the journal relative that stand on entries new (bytes) added to old (bytes,
    None: the journal is new), or on the whole file: what a commit or a push of new would bring in. Problems
    already in old are not new's doing."""
    mine = [problem for problem in ledger.problems if problem.file == relative and problem.severity == ERROR]
    entries_added = added(old, new) if mine else {}
    if entries_added is None:
        return mine
    lines = {line for start, end in entries_added.items() for line in range(start, end + 1)}
    return [problem for problem in mine if problem.line in lines or not problem.line]


def validate_changes(root, rev, today, staged=False):
    """The problems of `ledger validate --changed REV` (the working tree against where HEAD left REV) or
    `--staged` (the index against HEAD): those of the journals changed (of every file when the task list,
    registry or config changed), and each entry already written there that the change edited or removed."""
    repo = git.Repo(root)
    if staged:
        base = repo.head() or repo.empty_tree()
        changed = repo.staged_changes(base)
    elif repo.head() is None and rev == "HEAD":
        return load(root, today=today).problems
    else:
        base = repo.fork_point(repo.resolve(rev))
        changed = repo.changed(base)
    journals = [path for path in changed if git.is_journal(path)]
    # the office's actions name problems any journal may have raised: a change to them validates everything
    everything = bool({TASKS, UNITS, CONFIG, ACTIONS} & set(changed))
    units = None if everything else {PurePosixPath(path).stem for path in journals}
    ledger, files = _changed_ledger(repo, root, today, staged, units, journals)
    more = context_units(ledger) if units is not None else set()
    if more:  # a changed journal resolves a problem raised in one not changed: read that one too, judge only this
        ledger, _ = _changed_ledger(repo, root, today, staged, units | more, journals)
        context = {f"{PROGRESS}/{unit}.yaml" for unit in more}
        ledger = replace(ledger, problems=tuple(p for p in ledger.problems if p.file not in context))
    if ACTIONS in changed:  # append-only like a journal
        journals, files = [*journals, ACTIONS], {**files, ACTIONS: files.get(ACTIONS) if staged else _working(root, ACTIONS)}
    kept = [problem for path in journals if not isinstance(files.get(path), Problem)
            for problem in append_only(path, repo.blob(base, path), files.get(path))]
    return tuple(sorted(set(ledger.problems) | set(kept), key=lambda p: (p.file, p.line, p.message)))


def _changed_ledger(repo, root, today, staged, units, journals):
    """(the ledger with the journals of units read — all when units is None — from the index when staged, else
    from the working tree; the changed journals' bytes, or Problems, as read)."""
    if staged:
        wanted = None if units is None else {TASKS, UNITS, CONFIG, ACTIONS, *journals,
                                             *(f"{PROGRESS}/{unit}.yaml" for unit in units)}
        files = repo.ledger_files(None, wanted)
        return load_files(files, root=root, today=today, units=units), files
    return load(root, today=today, units=units), {path: _working(root, path) for path in journals}


def _working(root, relative):
    """The bytes of a file in the working tree, the Problem that keeps it from being read, or None (gone)."""
    data, problem = store.read_bytes(root, relative)
    return problem or data


# --- the merge driver ---

OURS, THEIRS = "本分支", "对方分支"


def merge(base, ours, theirs):
    """(bytes, None): the journal with every entry of ours, then theirs' entries that ours lacks (an entry
    both added, once); or (None, why not) when the versions cannot be merged entry by entry: a side edited or
    removed an entry of base, a side is not a readable journal, or both changed the header differently.

    base, ours, theirs: the bytes of the common ancestor's, this branch's and the other branch's versions.
    Ours is kept byte for byte (its line ends and BOM too); theirs' new entries follow it."""
    texts = {}
    for data, side in ((base, "共同祖先"), (ours, OURS), (theirs, THEIRS)):
        text, problem = yamlio.decode(data, side)
        found = entries(text) if text is not None else None
        if found is None:
            why = problem.message if problem else "无法按 YAML 读取（也许留有冲突标记或写错了缩进）"
            return None, f"{side}的日志{why}，无法按条目合并"
        texts[side] = (text, found)
    old, _ = texts["共同祖先"]
    for side in (OURS, THEIRS):
        wrong = append_only("", old.encode(), texts[side][0].encode())
        if wrong:
            more = f"（另有 {len(wrong) - 1} 处）" if len(wrong) > 1 else ""
            return None, f"{side}的版本里，{wrong[0].message}{more}"
    header = _header(texts["共同祖先"], texts[OURS], texts[THEIRS])
    if header is None:
        return None, "两边都改动了日志开头的说明，而且改得不一样"
    text, mine = texts[OURS]
    other_text, other = texts[THEIRS]
    merged = header + text[len(_header_of(text, mine)):]
    added = _new_chunks(text_lines(other_text), other, Counter(key for key, _, _ in mine))
    if added:
        merged += ("" if not merged or merged.endswith("\n") else "\n") + "".join(added)
    expected = Counter(key for key, _, _ in mine) | Counter(key for key, _, _ in other)
    if Counter(key for key, _, _ in entries(merged) or []) != expected:  # the promise, checked: nothing lost
        return None, "按条目合并的结果与两边的条目对不上，没有合并"
    data = merged.encode()
    if b"\r\n" in ours:
        data = data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    return (BOM + data if ours.startswith(BOM) else data), None


def _header_of(text, found):
    """The text before the first entry (all of it when there is none)."""
    if not found:
        return text
    return "".join(f"{line}\n" for line in text_lines(text)[:found[0][1] - 1])


def _header(base, ours, theirs):
    """The merged header: a side's change to it is kept; None when both changed it differently."""
    old, mine, other = (_header_of(text, found) for text, found in (base, ours, theirs))
    if other in (old, mine):
        return mine
    return other if mine == old else None


def _new_chunks(lines, found, have):
    """The text of each entry of found (with the comment and blank lines just above it) that have does not
    count, as many times as it is missing from have: what the other side added."""
    have = Counter(have)
    chunks, previous_end = [], None
    for key, start, end in found:
        first = start if previous_end is None else previous_end + 1
        previous_end = end
        if have[key]:
            have[key] -= 1
            continue
        chunks.append("".join(f"{line}\n" for line in lines[first - 1:end]))
    return chunks


def conflicted(ours, theirs, why, marker=7):
    """The file git leaves for a person to resolve: both sides whole, between conflict markers, the reason
    on the first marker's line."""
    ours_text, theirs_text = (data if data.endswith(b"\n") or not data else data + b"\n" for data in (ours, theirs))
    return (b"<" * marker + f" {OURS}（ledger 没有自动合并：{why}）\n".encode() + ours_text
            + b"=" * marker + b"\n" + theirs_text + b">" * marker + f" {THEIRS}\n".encode())
