"""`ledger import`: a plan document becomes the task list, merged with the office's hand edits; new units
are registered; every file is replaced atomically, under a lock, and only when nothing conflicts."""

import contextlib
import re
from collections import Counter
from pathlib import Path
from typing import NamedTuple

from ledger.core.rules import resolve_unit
from ledger.files import journal, records, store, tasklist
from ledger.plans import documents, parser
from ledger.plans.merge import BASE, MISSING, TASK_FIELDS, describe, named_units, task_list, three_way, unify_units
from ledger.vocab import LedgerError, os_reason


class Imported(NamedTuple):
    path: Path
    read: object  # documents.Document
    found: object  # parser.Found
    merge: object  # merge.Merge
    added: list  # units registered now
    respelled: list  # (as written, as kept)
    checks: list  # hints for a person to check
    resolve: object  # merge.KEEP, merge.DOCUMENT or None
    written: object  # the files written (names with what they hold); None when nothing was to be written


def ledger_root(given):
    """The ledger to import into: given (--root or $LEDGER_ROOT), else the nearest with data/tasks.yaml, else here."""
    if given:
        if not Path(given).is_dir():
            raise LedgerError(f"台账目录“{given}”不存在；请先建好目录", usage=True)
        return Path(given)
    try:
        return store.find_root(None)
    except LedgerError:
        return Path.cwd()  # a new ledger: data/ is created here


def run(root, document, dry_run=False, resolve=None):
    """Imports the plan document into the ledger at root, or only finds what would change (dry_run, or a
    conflict without resolve). Raises LedgerError when the document cannot be read as a plan."""
    path = Path(document)
    read = documents.read_document(path)
    if not any(line.strip() for line in read.lines):
        raise LedgerError(f"{path}：文件里没有文字；没有写入任何文件")
    try:
        found = parser.import_text(read.lines, path.name)
    except LedgerError as error:
        raise LedgerError(f"{path}：{error}") from None
    if not found.tasks:
        raise LedgerError(f"{path}：没有找到任何编号的任务（如“1.”“（一）”开头的段落）；没有写入任何文件")
    lock_dir = root / store.CACHE
    if not dry_run:
        lock_dir.mkdir(parents=True, exist_ok=True)
        if not (lock_dir / ".gitignore").exists():
            (lock_dir / ".gitignore").write_text("*\n", encoding="utf-8")
    with journal.locked(lock_dir / "import") if not dry_run else contextlib.nullcontext():
        units = _read(root, store.UNITS, "units") or []
        respelled = unify_units(found, [unit["name"] for unit in units])
        new = task_list(found.plan, found.sections, found.tasks)
        merge = three_way(_read(root, BASE, "tasks"), _read(root, store.TASKS, "tasks"), new, resolve)
        added = [name for name in named_units(merge.tasks) if name not in {unit["name"] for unit in units}]
        checks = _alias_hints(units, added) + _journal_hints(root, merge)
        written = None
        if not dry_run and (resolve or not merge.conflicts):
            written = _write(root, found, merge, units, added)
    return Imported(path, read, found, merge, added, respelled, checks, resolve, written)


def _read(root, relative, kind):
    """The validated content of a ledger file, None when it does not exist; refuses a file with problems."""
    data, problem = store.read_bytes(root, relative)
    if problem:
        raise LedgerError(f"{problem}；没有写入任何文件")
    if data is None:
        return None
    value, problems = store.validate_bytes(data, relative, kind)
    if problems:
        found = "\n".join(map(str, problems))
        raise LedgerError(f"{relative} 有问题，导入会覆盖或丢失其中的内容，所以没有写入任何文件；请先修复：\n{found}")
    if kind == "tasks":
        return task_list(value["plan"], value["sections"], value["tasks"])
    return value


def _write(root, found, merge, units, added):
    """Writes what changed, units first and the record of this import last, each file atomically; returns their names."""
    written = []
    units_path = root / store.UNITS
    if added:
        old = units_path.read_text(encoding="utf-8") if units_path.exists() else None
        _atomic(units_path, tasklist.units_text(old, units, added))
        written.append(f"{store.UNITS}（新登记 {len(added)} 个单位）")
    tasks_text = tasklist.task_list_yaml(merge.plan, merge.sections, merge.tasks)
    value, problems = store.validate_bytes(tasks_text.encode(), store.TASKS, "tasks")
    if problems:  # hand edits and the new document together make a list the ledger cannot read
        raise LedgerError("合并后的任务清单无法通过校验，没有写入任务清单：\n" + "\n".join(map(str, problems)))
    tasks_path = root / store.TASKS
    if not tasks_path.exists() or tasks_path.read_text(encoding="utf-8") != tasks_text:
        _atomic(tasks_path, tasks_text)
        written.append(f"{store.TASKS}（{len(merge.tasks)} 项任务）")
    base_path = root / BASE
    base_text = tasklist.task_list_yaml(found.plan, found.sections, found.tasks)
    if not base_path.exists() or base_path.read_text(encoding="utf-8") != base_text:
        _atomic(base_path, base_text)
        written.append(f"{BASE}（本次导入的原样结果，供下次导入比对人工修改）")
    return written


def _atomic(path, text):
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        journal.atomic_write(path, text.encode())
    except OSError as error:
        raise LedgerError(f"无法写入 {path}：{os_reason(error)}；之前写好的文件保持原样，请检查目录权限后重新导入") from None


def _alias_hints(units, added):
    """New unit names that are likely a registered unit under another name (县发改局 vs 发改局)."""
    registry = [records.unit(unit) for unit in units]
    hints = []
    for name in added:
        for typed in dict.fromkeys((name, re.sub(r"^[县市区]", "", name))):
            try:
                meant = resolve_unit(registry, typed)
            except LedgerError:
                continue
            hints.append(f"新单位“{name}”可能就是已登记的“{meant}”；如是同一单位，请把任务清单里的名称改成“{meant}”")
            break
    return hints


def _journal_hints(root, merge):
    """Tasks the import renames or removes although units have already reported progress on them."""
    reported = Counter()
    for path in store.journal_files(root):
        relative = f"{store.PROGRESS}/{path.name}"
        data, _ = store.read_bytes(root, relative)
        items, _ = store.validate_bytes(data, relative, "journal") if data else ([], [])
        reported.update(item["task"] for item in items or [] if "task" in item)
    hints = []
    for change in merge.updated + merge.conflicts:
        if change.task in reported and change.field in ("", TASK_FIELDS["title"]):
            what = "删除了这一项" if change.new is MISSING else f"把任务改为{describe(change.new)}"
            hints.append(f"第 {change.task} 项已有 {reported[change.task]} 条进展记录，新文档{what}；"
                         "请核对这些记录是否仍指这一项（序号变了的，追加更正条目）")
    return hints
