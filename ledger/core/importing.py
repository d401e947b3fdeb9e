"""`ledger import`: a plan document becomes the task list, merged with the office's hand edits; new units
are registered; the files are written all or none (tasklist.commit), under a lock, and only when nothing
conflicts. A ledger made by `ledger init` takes the plan as it is; a plan of other years goes into a new
ledger, which can take over the old ledger's unit registry (--units-from)."""

import contextlib
import re
from collections import Counter
from pathlib import Path
from typing import NamedTuple

from ledger.core.rules import resolve_unit
from ledger.files import journal, records, store, tasklist
from ledger.files.yamlio import UNPRINTABLE
from ledger.plans import documents, parser, units
from ledger.plans.merge import BASE, MISSING, TASK_FIELDS, describe, named_units, task_list, three_way
from ledger.vocab import LedgerError

WRITES = (store.UNITS, store.TASKS, BASE)  # in the order they are renamed into place: any prefix is a ledger that reads


class Imported(NamedTuple):
    path: Path
    read: object  # documents.Document
    found: object  # parser.Found
    merge: object  # merge.Merge
    added: list  # units registered now
    unified: object  # units.Unified: the forms mapped to one unit
    checks: list  # hints for a person to check
    resolve: object  # merge.KEEP, merge.DOCUMENT or None
    written: object  # the files written (names with what they hold); None when nothing was to be written
    fresh: bool  # the task list was ledger init's empty one
    carried: object  # (units taken over, units left behind) with --units-from, else None
    finished: list  # files an interrupted import left staged: completed now, or (dry run) to be completed first
    dry_run: bool


def ledger_root(given):
    """The ledger to import into: given (--root or $LEDGER_ROOT), else the nearest with data/tasks.yaml, else here."""
    if given:
        if not Path(given).is_dir():
            raise LedgerError(f"台账目录“{given}”不存在；请先建好目录（或 ledger init 目录）", usage=True)
        return Path(given)
    try:
        return store.find_root(None)
    except LedgerError:
        return Path.cwd()  # a new ledger: data/ is created here


def run(root, document, dry_run=False, resolve=None, year=None, units_from=None):
    """Imports the plan document into the ledger at root, or only finds what would change (dry_run, or a
    conflict without resolve). year: the plan's year, over what the document says; units_from: a ledger whose
    unit registry (aliases, reviewers) the new one takes over. Raises LedgerError when the document cannot be
    read as a plan, or belongs in another ledger."""
    path = Path(document)
    read = documents.read_document(path)
    if not any(line.strip() for line in read.lines):
        raise LedgerError(f"{path}：文件里没有文字；没有写入任何文件")
    _refuse_control_characters(path, read)
    try:
        found = parser.import_text(read.lines, path.name, year)
    except LedgerError as error:
        raise LedgerError(f"{path}：{error}", usage=error.usage) from None
    if not found.tasks:
        raise LedgerError(f"{path}：没有找到任何编号的任务（如“1.”“（一）”开头的段落）；没有写入任何文件")
    lock_dir = store.cache_folder(root) or root / store.DATA  # outside the clone: nothing there is trusted
    if not dry_run:
        lock_dir.mkdir(parents=True, exist_ok=True)
        if not (lock_dir / ".gitignore").exists():
            (lock_dir / ".gitignore").write_text("*\n", encoding="utf-8")
    with journal.locked(lock_dir / "import") if not dry_run else contextlib.nullcontext():
        finished = tasklist.pending(root) if dry_run else tasklist.finish(root, WRITES)
        registry = _read(root, store.UNITS, "units") or []
        current = _read(root, store.TASKS, "tasks")
        fresh = current is None or not current["tasks"] and not current["sections"]
        _same_plan(root, current if not fresh else None, found)
        given = _units_from(units_from, registry) if units_from else registry
        unified = units.unify(found.tasks, [(u["name"], u["aliases"]) for u in given],
                              units.place_of(found.plan["issuer"]))
        new = task_list(found.plan, found.sections, found.tasks)
        base = None if fresh else _read(root, BASE, "tasks")
        merge = three_way(base, None if fresh else current, new, resolve)
        named = named_units(merge.tasks)
        carried = None
        if units_from:
            office = _office(units_from)
            kept = [u for u in given if u["name"] in named or u["name"] == office]
            carried = ([u["name"] for u in kept], [u["name"] for u in given if u not in kept])
            registry, old_text = kept, None
        else:
            old_text = _text(root, store.UNITS)
        added = [name for name in named if name not in {unit["name"] for unit in registry}]
        checks = _alias_hints(registry, added) + _journal_hints(root, merge)
        written = None
        if not dry_run and (resolve or not merge.conflicts):
            written = _write(root, found, merge, registry, old_text, _entries(added, unified, registry),
                             units_from is not None)
    return Imported(path, read, found, merge, added, unified, checks, resolve, written, fresh, carried, finished,
                    dry_run)


def _refuse_control_characters(path, read):
    """Refuses a document with characters that would make the task list read differently than it is stored."""
    for number, line in enumerate(read.lines, 1):
        found = UNPRINTABLE.search(line)
        if found:
            where = read.origins.get(number, f"第 {number} 行")
            raise LedgerError(f"{path}：{where}含不可见的控制字符 U+{ord(found.group()):04X}（会让文字显示得与实际"
                              "不同，或扰乱终端）；请在原文件中删去后重新导入；没有写入任何文件")


def _read(root, relative, kind, folder=None):
    """The validated content of a ledger file, None when it does not exist; refuses a file with problems."""
    if folder is None and (root / relative).is_symlink():
        raise LedgerError(f"{relative} 是符号链接；导入不会替换链接，也不会改写它指向的文件，所以没有写入任何文件；"
                          "请把它换成普通文件（复制一份）后再导入")
    data, problem = store.read_bytes(root, relative, follow=folder is not None)
    shown = f"{folder}/{relative}" if folder else relative
    if problem:
        raise LedgerError(f"{problem}；没有写入任何文件")
    if data is None:
        return None
    value, problems = store.validate_bytes(data, relative, kind)
    if problems:
        found = "\n".join(map(str, problems))
        why = "（--units-from），" if folder else "，导入会覆盖或丢失其中的内容，所以"
        raise LedgerError(f"{shown} 有问题{why}没有写入任何文件；请先修复：\n{found}")
    if kind == "tasks":
        return task_list(value["plan"], value["sections"], value["tasks"])
    return value


def _text(root, relative):
    path = root / relative
    return path.read_bytes().decode("utf-8-sig") if path.exists() else None


def _same_plan(root, current, found):
    """Refuses a plan of other years over a ledger that has one: its task numbers would take over the entries."""
    if current is None or "start" not in current["plan"]:
        return
    old = (current["plan"]["start"][:4], current["plan"]["end"][:4])
    new = (found.plan["start"][:4], found.plan["end"][:4])
    if new[0] <= old[1] and old[0] <= new[1]:
        return
    years = "–".join(dict.fromkeys(old))
    raise LedgerError(
        f"台账里是 {years} 年的计划《{current['plan'].get('title', '')}》，这份文件是 {'–'.join(dict.fromkeys(new))} 年的"
        f"《{found.plan['title']}》；没有写入任何文件。新一年的计划请导入新台账，本台账原样留作 {years} 年的记录"
        f"（见 README“新一年的计划”）：\n  ledger init 新台账目录\n"
        f"  ledger --root 新台账目录 import 计划文件 --units-from {root}")


def _units_from(folder, registry):
    """The unit registry of the ledger at folder, for a new ledger that has none yet."""
    if registry:
        raise LedgerError(f"--units-from 只用于还没有登记单位的新台账；本台账已登记 {len(registry)} 个单位。"
                          "要接过另一台账的简称和审核人，请在 data/units.yaml 里手工补上", usage=True)
    if not (Path(folder) / store.UNITS).is_file():
        raise LedgerError(f"--units-from：“{folder}”里没有 {store.UNITS}；应为上一年台账的目录", usage=True)
    return _read(Path(folder), store.UNITS, "units", folder) or []


def _office(folder):
    """The office the ledger at folder names in its config, or None."""
    config = _read(Path(folder), store.CONFIG, "config", folder) if (Path(folder) / store.CONFIG).is_file() else None
    return config.get("office") if config else None


def _entries(added, unified, registry):
    """The registry entries of the units registered now, with the other forms the plan wrote as their aliases."""
    taken = {unit["name"] for unit in registry} | set(added)
    taken |= {alias for unit in registry for alias in unit["aliases"]}
    entries = []
    for name in added:
        aliases = [form for form in unified.aliases.get(name, []) if form not in taken]
        taken.update(aliases)
        entries.append({"name": name, "aliases": aliases, "reviewers": []})
    return entries


def _write(root, found, merge, registry, old_units, entries, replace_units):
    """Writes what changed, all or none (units, then the task list, then the record of this import); returns
    what was written."""
    files, written = {}, []
    if entries or replace_units:
        kept = [{key: unit[key] for key in ("name", "aliases", "reviewers")} for unit in registry]
        text = tasklist.units_text(None, [], kept + entries) if replace_units else tasklist.units_text(
            old_units, registry, entries)
        files[store.UNITS] = text.encode()
        written.append(f"{store.UNITS}（{'接过 ' + str(len(kept)) + ' 个单位、' if replace_units else ''}"
                       f"新登记 {len(entries)} 个单位）")
    tasks_text = tasklist.task_list_yaml(merge.plan, merge.sections, merge.tasks)
    value, problems = store.validate_bytes(tasks_text.encode(), store.TASKS, "tasks")
    if problems:  # hand edits and the new document together make a list the ledger cannot read
        raise LedgerError("合并后的任务清单无法通过校验，没有写入任何文件：\n" + "\n".join(map(str, problems)))
    if _text(root, store.TASKS) != tasks_text:
        files[store.TASKS] = tasks_text.encode()
        written.append(f"{store.TASKS}（{len(merge.tasks)} 项任务）")
    base_text = tasklist.task_list_yaml(found.plan, found.sections, found.tasks)
    if _text(root, BASE) != base_text:
        files[BASE] = base_text.encode()
        written.append(f"{BASE}（本次导入的原样结果，供下次导入比对人工修改）")
    tasklist.commit(root, files)
    return written


def _alias_hints(units_, added):
    """New unit names that are likely a registered unit under another name (县发改局 vs 发改局)."""
    registry = [records.unit(unit) for unit in units_]
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
