"""The task list and unit registry as files: deterministic YAML text for tasks.yaml, units.yaml with new units
appended after every byte already there, and the commit that writes an import's files all or none."""

import contextlib
import errno
import hashlib
import json
import os
import re

from ledger.files.journal import WRITE_FAILURES, atomic_write, pause, sync_folder, umask
from ledger.files.store import DATA, UNITS, validate_bytes
from ledger.files.yamlio import dump
from ledger.vocab import LedgerError

UNITS_HEADER = ("# 单位名录：计划文件点名的全部单位（名称与原文一致），以及常用简称和审核人。\n"
                "# --unit 接受全称或无歧义的简称；reviewers 是审核该单位日志的人（git 托管平台用户名）。\n")


def task_list_yaml(plan, sections, tasks):
    """YAML text of a plan, its sections and tasks (dicts): fields in a fixed order, empty lists and defaults
    left out."""
    items = []
    for task in tasks:
        item = {key: task[key] for key in ("id", "section", "title", "text", "lead_units")}
        item.update({key: task[key] for key in ("support_units", "targets") if task.get(key)})
        if task.get("coordination"):
            item["coordination"] = True
        item["due"] = task["due"]
        items.append(item)
    sections = [{key: section[key] for key in ("id", "numeral", "title")} for section in sections]
    header = (f"# {plan['title']}：任务清单\n"
              f"# 由 ledger import 从计划文件生成；人工修改会在重新导入时保留，见 README“导入计划”一节。\n")
    return header + dump({"plan": {key: value for key, value in plan.items() if value}, "sections": sections,
                          "tasks": items})


def units_text(old, units, entries):
    """The text of units.yaml (old: its text now, None when there is none; units: its rows) with the new
    units (entries: name, aliases, reviewers) appended after every byte already there: comments, aliases
    and reviewers stay as written."""
    added = [entry["name"] for entry in entries]
    if old is None:
        return UNITS_HEADER + dump({"units": entries})
    items = re.findall(r"^([ \t]*)- name:", old, re.M)
    newline = "\r\n" if "\r\n" in old else "\n"
    if items:
        block = "".join(items[-1] + line if line else line for line in dump(entries).splitlines(True))
        text = old + ("" if old.endswith("\n") else newline) + block.replace("\n", newline)
    else:  # an empty list (units: []): written anew below the file's comments
        comments = "".join(re.findall(r"^#.*\n", old, re.M)[:20]) or UNITS_HEADER
        kept = [{key: list(unit[key]) if key != "name" else unit[key] for key in ("name", "aliases", "reviewers")}
                for unit in units]
        text = comments + dump({"units": kept + entries})
    value, problems = validate_bytes(text.encode(), UNITS, "units")
    if problems or [u["name"] for u in value] != [u["name"] for u in units] + added:
        raise LedgerError(f"无法在 {UNITS} 末尾登记新单位（文件格式与预期不同），没有写入任何文件；"
                          f"请手工登记：{'、'.join(added)}")
    return text


# an import's files are written all or none: each staged beside its place, then this note of what is staged
# (the commit point), then every stage renamed over its file; a kill after the note is finished by the next import
PENDING = f"{DATA}/.import-pending.json"


def _stage(path):
    """Where the new version of path waits until the commit: beside it, hidden."""
    return path.with_name(f".{path.name}.import")


def commit(root, files):
    """Writes files ({relative path: bytes}, in the order to rename them) all or none. A failure before the commit
    point (a full disk, a kill) leaves every file as it was; after it, every file is new, or becomes new when the
    next import runs finish()."""
    if not files:
        return
    staged, relative = [], PENDING
    try:
        for relative, data in files.items():
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            staged.append(_stage(path))
            _write_synced(staged[-1], data, path)
        pause("staged")
        note = {relative: hashlib.sha256(data).hexdigest() for relative, data in files.items()}
        relative = PENDING
        atomic_write(root / PENDING, json.dumps(note, ensure_ascii=False).encode(), lambda: pause("noting"))
        sync_folder(root / DATA)
    except BaseException as error:
        for stage in staged:
            with contextlib.suppress(OSError):
                stage.unlink()
        if isinstance(error, OSError):
            code = errno.errorcode.get(error.errno, "")
            reason = WRITE_FAILURES.get(code, error.strerror or str(error))
            raise LedgerError(f"无法写入 {relative}（{code or type(error).__name__}）：{reason}；"
                              "没有写入任何文件，台账保持原样") from None
        raise
    pause("committed")
    finish(root, files)


def finish(root, names):
    """Completes the import a kill interrupted after its commit point, or clears the stages of one killed before it;
    names: the files an import writes. Returns the files it completed."""
    note_path = root / PENDING
    try:
        note = json.loads(note_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        note = None
    except (OSError, ValueError):
        raise LedgerError(f"{PENDING} 无法读取：上次导入在写入时被中断，记录又已损坏，没有写入任何文件；请用 git status"
                          f" 和 git diff 核对 data/ 下的文件，删除 {PENDING} 和 data/ 下以 .import 结尾的文件后重新导入") from None
    for relative, digest in (note or {}).items():  # each file waiting in its stage, or already in place
        path, stage = root / relative, _stage(root / relative)
        if not (stage.exists() and _digest(stage) == digest or path.exists() and _digest(path) == digest):
            raise LedgerError(f"上次导入在写入时被中断，要补完的 {relative} 已被改动，无法补完，没有写入任何文件；"
                              f"请用 git status 和 git diff 核对 data/ 下的文件，删除 {PENDING} 和 data/ 下以 .import "
                              "结尾的文件后重新导入")
    done = []
    for relative, digest in (note or {}).items():
        path, stage = root / relative, _stage(root / relative)
        if stage.exists() and _digest(stage) == digest:
            os.replace(stage, path)
            sync_folder(path.parent)
            done.append(relative)
            pause("renamed")
    if note is not None:
        note_path.unlink()
        sync_folder(note_path.parent)
    for relative in names:  # stages of an import killed before its commit point: never part of any file
        with contextlib.suppress(FileNotFoundError):
            _stage(root / relative).unlink()
    half_written = re.compile(rf"\.{re.escape(note_path.name)}\.[^.]+\.tmp")  # a note killed while atomic_write wrote it
    for name in os.listdir(note_path.parent) if note_path.parent.is_dir() else []:
        if half_written.fullmatch(name):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(note_path.parent / name)
    return done


def pending(root):
    """The files an interrupted import left to finish (what finish() would complete), without touching them."""
    try:
        note = json.loads((root / PENDING).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [relative for relative in note if _stage(root / relative).exists()]


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _write_synced(path, data, target):
    """Writes data to path and flushes it to disk, with the mode target has (or the umask's)."""
    mode = target.stat().st_mode & 0o7777 if target.exists() else 0o666 & ~umask()
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), 0o600)
    with os.fdopen(descriptor, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    os.chmod(path, mode)
