"""`ledger import` into a ledger: the new task list merged with the office's hand edits, new units
registered, every file replaced atomically, and a one-screen summary.

Hand edits are found by a three-way comparison. data/source/tasks.imported.yaml keeps what the last
import made of the document; data/tasks.yaml is what the office has now. For each plan field, section
and task field: unchanged by hand -> the document's new value; changed by hand while the document
kept it -> the hand edit stays; changed on both sides in different ways -> a conflict, and nothing is
written unless --keep-edits or --take-document says which side wins.
"""

import contextlib
import re
import sys
from collections import Counter
from pathlib import Path
from typing import NamedTuple

from ledger import store
from ledger.vocab import LedgerError

BASE = f"{store.DATA}/source/tasks.imported.yaml"
PLAN_FIELDS = {"title": "标题", "issuer": "发文机关", "number": "文号", "date": "成文日期", "start": "计划期开始",
               "end": "计划期结束", "source": "来源文件"}
TASK_FIELDS = {"section": "所属部分", "title": "任务名称", "text": "原文", "lead_units": "牵头单位",
               "support_units": "参与单位", "targets": "指标", "coordination": "统筹类", "due": "完成时限"}
UNITS_HEADER = ("# 单位名录：计划文件点名的全部单位（名称与原文一致），以及常用简称和审核人。\n"
                "# --unit 接受全称或无歧义的简称；reviewers 是审核该单位日志的人（git 托管平台用户名）。\n")
MISSING = object()  # not in that version of the task list
UNKNOWN = object()  # no record of the last import: equal to nothing, so every difference is a conflict
KEEP, DOCUMENT = "keep", "document"


class Change(NamedTuple):
    where: str        # 第 97 项, 第 3 部分, 计划
    field: str        # the Chinese name of the field, "" for a whole task or section
    base: object
    current: object
    new: object
    task: int = 0     # the task's id, 0 for the plan and sections


class Merge(NamedTuple):
    plan: dict
    sections: list
    tasks: list
    kept: list        # hand edits carried over
    updated: list     # the document's changes taken
    conflicts: list   # changed on both sides


def ledger_root(given):
    """The ledger to import into: --root or $LEDGER_ROOT, else the nearest with data/tasks.yaml, else here."""
    import os  # noqa: PLC0415

    given = given or os.environ.get("LEDGER_ROOT")
    if given:
        if not Path(given).is_dir():
            raise LedgerError(f"台账目录“{given}”不存在；请先建好目录", code=2)
        return Path(given)
    try:
        return store.find_root()
    except LedgerError:
        return Path.cwd()  # a new ledger: data/ is created here


def run(root, document, dry_run=False, resolve=None):
    """Imports the plan document into the ledger at root (or only shows what would happen); prints the summary."""
    from ledger import documents, importer  # noqa: PLC0415

    path = Path(document)
    read = documents.read_document(path)
    if not any(line.strip() for line in read.lines):
        raise LedgerError(f"{path}：文件里没有文字；没有写入任何文件")
    try:
        found = importer.import_text(read.lines, path.name)
    except LedgerError as error:
        raise LedgerError(f"{path}：{error}") from None
    if not found.tasks:
        raise LedgerError(f"{path}：没有找到任何编号的任务（如“1.”“（一）”开头的段落）；没有写入任何文件")
    lock_dir = root / store.CACHE
    if not dry_run:
        lock_dir.mkdir(parents=True, exist_ok=True)
        if not (lock_dir / ".gitignore").exists():
            (lock_dir / ".gitignore").write_text("*\n", encoding="utf-8")
    with store.locked(lock_dir / "import") if not dry_run else contextlib.nullcontext():
        units = _read(root, store.UNITS, "units") or []
        respelled = unify_units(found, [unit["name"] for unit in units])
        new = _task_list(found.plan, found.sections, found.tasks)
        merge = three_way(_read(root, BASE, "tasks"), _read(root, store.TASKS, "tasks"), new, resolve)
        added = [name for name in _named_units(merge.tasks) if name not in {unit["name"] for unit in units}]
        checks = _alias_hints(units, added) + _journal_hints(root, merge)
        summary(path, read, found, merge, added, respelled, checks, resolve)
        if merge.conflicts and not resolve:
            raise LedgerError(_conflict_message(merge.conflicts))
        if dry_run:
            print("预演：没有写入任何文件。")
            return
        written = _write(root, importer, found, merge, units, added)
    print(f"已写入：{'、'.join(written)}。" if written else "任务清单、单位名录都没有变化，没有写入任何文件。")


def _read(root, relative, kind):
    """The validated content of a ledger file, None when it does not exist; refuses a file with problems."""
    path = root / relative
    if not path.exists():
        return None
    value, problems = store.validate_bytes(path.read_bytes(), relative, kind)
    if problems:
        found = "\n".join(map(str, problems))
        raise LedgerError(f"{relative} 有问题，导入会覆盖或丢失其中的内容，所以没有写入任何文件；请先修复：\n{found}")
    if kind == "tasks":
        return _task_list(value["plan"], value["sections"], value["tasks"])
    return value


def _task_list(plan, sections, tasks):
    """A task list in one plain shape for comparing: plan fields, sections by id, tasks by id with every field."""
    return {
        "plan": {key: plan[key] for key in PLAN_FIELDS if plan.get(key)},
        "sections": {s["id"]: {"numeral": s["numeral"], "title": s["title"]} for s in sections},
        "tasks": {t["id"]: {"section": t["section"], "title": t["title"], "text": t["text"],
                            "lead_units": list(t["lead_units"]), "support_units": list(t.get("support_units", [])),
                            "targets": [dict(target) for target in t.get("targets", [])],
                            "coordination": bool(t.get("coordination", False)), "due": t["due"]}
                  for t in tasks},
    }


def three_way(base, current, new, resolve=None):
    """The merged task list: the document's changes taken, hand edits kept, conflicts listed (or resolved)."""
    if current is None:
        return Merge(new["plan"], _listed(new["sections"]), _listed(new["tasks"]), [], [], [])
    kept, updated, conflicts = [], [], []

    def pick(where, field, b, c, n, task=0):
        if c == n:
            return c
        change = Change(where, field, b, c, n, task)
        if c == b:
            updated.append(change)
            return n
        if n == b:
            kept.append(change)
            return c
        conflicts.append(change)
        return n if resolve == DOCUMENT else c

    def values(kind, key):
        return [UNKNOWN if part is None else part[kind].get(key, MISSING) for part in (base, current, new)]

    plan = {}
    for key, name in PLAN_FIELDS.items():
        value = pick("计划", name, *values("plan", key))
        if value is not MISSING:
            plan[key] = value
    sections = {}
    known = base or {"sections": {}, "tasks": {}}
    for number in sorted(set(known["sections"]) | set(current["sections"]) | set(new["sections"])):
        value = pick(f"第 {number} 部分", "", *values("sections", number))
        if value is not MISSING:
            sections[number] = value
    tasks = {}
    for number in sorted(set(known["tasks"]) | set(current["tasks"]) | set(new["tasks"])):
        b, c, n = values("tasks", number)
        where = f"第 {number} 项"
        if c is MISSING or n is MISSING:  # added or removed on one side: the task as a whole
            value = pick(where, "", b, c, n, number)
            if value is not MISSING:
                tasks[number] = value
            continue
        tasks[number] = {key: pick(where, name, b if b in (MISSING, UNKNOWN) else b[key], c[key], n[key], number)
                         for key, name in TASK_FIELDS.items()}
    return Merge(plan, _listed(sections), _listed(tasks), kept, updated, conflicts)


def _listed(by_id):
    return [{"id": number, **fields} for number, fields in sorted(by_id.items())]


def fold(name):
    """A unit name with full-width letters and brackets made half-width and spaces dropped, for matching."""
    name = re.sub(r"\s+", "", name)
    return name.translate({code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)})


def unify_units(found, registered):
    """Spells each unit the way the registry (else its first mention) does; returns [(as written, as kept)]."""
    spelling = {fold(name): name for name in reversed(registered)}
    changed = []
    for task in found.tasks:
        for field in ("lead_units", "support_units"):
            names = []
            for name in task[field]:
                kept = spelling.setdefault(fold(name), name)
                if kept != name and (name, kept) not in changed:
                    changed.append((name, kept))
                if kept not in names:
                    names.append(kept)
            task[field] = names
    return changed


def _named_units(tasks):
    return list(dict.fromkeys(name for task in tasks for name in task["lead_units"] + task["support_units"]))


def _write(root, importer, found, merge, units, added):
    """Writes what changed, units first and the record of this import last, each file atomically; returns their names."""
    written = []
    units_path = root / store.UNITS
    if added:
        _atomic(units_path, _units_text(units_path, units, added))
        written.append(f"{store.UNITS}（新登记 {len(added)} 个单位）")
    tasks_text = importer.task_list_yaml(merge.plan, merge.sections, merge.tasks)
    value, problems = store.validate_bytes(tasks_text.encode(), store.TASKS, "tasks")
    if problems:  # hand edits and the new document together make a list the ledger cannot read
        raise LedgerError("合并后的任务清单无法通过校验，没有写入任务清单：\n" + "\n".join(map(str, problems)))
    tasks_path = root / store.TASKS
    if not tasks_path.exists() or tasks_path.read_text(encoding="utf-8") != tasks_text:
        _atomic(tasks_path, tasks_text)
        written.append(f"{store.TASKS}（{len(merge.tasks)} 项任务）")
    base_path = root / BASE
    base_text = importer.tasks_yaml(found)
    if not base_path.exists() or base_path.read_text(encoding="utf-8") != base_text:
        _atomic(base_path, base_text)
        written.append(f"{BASE}（本次导入的原样结果，供下次导入比对人工修改）")
    return written


def _atomic(path, text):
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        store._atomic_write(path, text.encode())  # noqa: SLF001 - the project's one atomic writer
    except OSError as error:
        raise LedgerError(f"无法写入 {path}：{error.strerror or error}；之前写好的文件保持原样，请检查目录权限后重新导入") from None


def _units_text(path, units, added):
    """units.yaml with the new units appended after every byte already there (comments, aliases, reviewers)."""
    from ledger.yamlio import dump  # noqa: PLC0415

    entries = [{"name": name, "aliases": [], "reviewers": []} for name in added]
    if not path.exists():
        return UNITS_HEADER + dump({"units": entries})
    old = path.read_text(encoding="utf-8")
    items = re.findall(r"^([ \t]*)- name:", old, re.M)
    newline = "\r\n" if "\r\n" in old else "\n"
    if items:
        block = "".join(items[-1] + line if line else line for line in dump(entries).splitlines(True))
        text = old + ("" if old.endswith("\n") else newline) + block.replace("\n", newline)
    else:  # an empty list (units: []): written anew below the file's comments
        comments = "".join(re.findall(r"^#.*\n", old, re.M)[:20]) or UNITS_HEADER
        kept = [{key: unit[key] for key in ("name", "aliases", "reviewers") if key in unit} for unit in units]
        text = comments + dump({"units": kept + entries})
    value, problems = store.validate_bytes(text.encode(), store.UNITS, "units")
    if problems or [u["name"] for u in value] != [u["name"] for u in units] + added:
        raise LedgerError(f"无法在 {store.UNITS} 末尾登记新单位（文件格式与预期不同），没有写入任何文件；"
                          f"请手工登记：{'、'.join(added)}")
    return text


def _conflict_message(conflicts):
    lines = [f"有 {len(conflicts)} 处冲突：清单里人工改过，文档里也改了，没有写入任何文件。"]
    for change in conflicts:
        what = f"{change.where}{' ' + change.field if change.field else ''}"
        lines.append(f"  {what}：上次导入 {_shown(change.base)}；清单现在 {_shown(change.current)}；"
                     f"新文档 {_shown(change.new)}")
    lines.append("请把 data/tasks.yaml 里这些字段改成想要的值后重新导入，或者加 --keep-edits（保留清单里的值）"
                 "或 --take-document（采用新文档的值）。")
    return "\n".join(lines)


def _shown(value):
    """A short Chinese rendering of a field's value for messages."""
    from ledger.views import target_text  # noqa: PLC0415

    if value is MISSING or value is UNKNOWN:
        return "（没有）"
    if isinstance(value, dict) and "text" in value:
        value = value["title"]
    elif isinstance(value, dict):
        value = f"{value.get('numeral', '')}、{value.get('title', '')}"
    if isinstance(value, list):
        value = "、".join(f"{t['name']}{target_text(t)}" if isinstance(t, dict) else str(t) for t in value) or "（空）"
    if isinstance(value, bool):
        value = "是" if value else "否"
    from ledger.render import clean  # noqa: PLC0415

    value = clean(value)  # document text is data: no control characters reach the terminal
    return f"“{value[:40]}…”" if len(value) > 40 else f"“{value}”"


def summary(path, read, found, merge, added, respelled, checks=(), resolve=None):
    """Prints what the import found and what it would change, so a person can check it on one screen."""
    from ledger import render  # noqa: PLC0415

    plan, tasks = found.plan, found.tasks
    out = [f"读取 {path}：{read.kind}{'，编码 ' + read.encoding if read.encoding else ''}，{len(read.lines)} 行",
           f"计划：{plan['title']}",
           f"发文：{plan['issuer']} · {plan['number']} · 成文日期 {plan['date']} · 计划期 {plan['start']} 至 {plan['end']}"]
    render.lines(out)
    records = []
    for section in found.sections:
        mine = [t for t in tasks if t["section"] == section["id"]]
        records.append({"section": f"{section['numeral']}、{section['title']}", "tasks": _span([t["id"] for t in mine]),
                        "count": len(mine), "targets": sum(len(t["targets"]) for t in mine),
                        "units": len(_named_units(mine))})
    columns = [render.Column("section", "部分"), render.Column("tasks", "任务序号"), render.Column("count", "任务数"),
               render.Column("units", "单位数"), render.Column("targets", "指标数")]
    render.render(records, columns, "simple")
    targets = [target for task in tasks for target in task["targets"]]
    comparators = Counter(target["comparator"] for target in targets)
    named = _named_units(tasks)
    collective = [name for name in named if name.startswith("各") or "有关" in name]
    out = [f"共 {len(found.sections)} 个部分、{len(tasks)} 项任务；{_numbering(tasks)}",
           f"单位 {len(named)} 个{'（其中集体单位：' + '、'.join(collective) + '）' if collective else ''}："
           + "、".join(named),
           f"新登记的单位 {len(added)} 个{'：' + '、'.join(added) if added else ''}",
           f"指标 {len(targets)} 个：不少于 {comparators['at_least']} · 不超过 {comparators['at_most']} · "
           f"左右 {comparators['about']}；其中增长率 {sum(t['kind'] == 'growth' for t in targets)} 个",
           "完成时限：" + "；".join(f"{day} {count} 项" for day, count in sorted(Counter(t["due"] for t in tasks).items()))]
    coordination = [t["id"] for t in tasks if t["coordination"]]
    if coordination:
        out.append(f"没有点名单位（统筹类）：第 {'、'.join(map(str, coordination))} 项")
    out += [f"单位名称写法统一：“{written}”按“{kept}”记" for written, kept in respelled]
    out += _listing("未能归入任务的行", [f"第 {n} 行：{_cut(text)}" for n, text in found.unplaced], "行")
    out.append(f"已忽略的网页残留和版记（{len(found.leftovers)} 行）"
               + (f"：第 {'、'.join(str(n) for n, _ in found.leftovers)} 行" if found.leftovers else ""))
    out += _listing("需要核对", [f"第 {n} 行：{message}" if n else message for n, message in found.notes]
                    + list(checks))
    out += _merge_lines(merge, resolve)
    render.lines(out)
    sys.stdout.flush()


def _listing(title, items, unit="处"):
    return [f"{title}（{len(items)} {unit}）" + ("：" if items else "")] + [f"  {item}" for item in items]


def _cut(text, width=50):
    return text if len(text) <= width else text[:width] + "…"


def _span(numbers):
    return "" if not numbers else f"{numbers[0]}–{numbers[-1]}" if len(numbers) > 1 else str(numbers[0])


def _numbering(tasks):
    if all(task["id"] == task["number"] for task in tasks):
        return "任务序号照原文编号"
    return f"原文各部分分别编号，任务序号按全文顺序编为 1–{len(tasks)}"


def _alias_hints(units, added):
    """New unit names that are likely a registered unit under another name (县发改局 vs 发改局)."""
    from ledger.check import resolve_unit  # noqa: PLC0415

    hints = []
    for name in added:
        for typed in dict.fromkeys((name, re.sub(r"^[县市区]", "", name))):
            try:
                meant = resolve_unit(units, typed)
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
        entries, _ = store.validate_bytes(path.read_bytes(), relative, "journal") if path.is_file() else ([], [])
        reported.update(entry["task"] for entry in entries or [])
    hints = []
    for change in merge.updated + merge.conflicts:
        if change.task in reported and change.field in ("", TASK_FIELDS["title"]):
            what = "删除了这一项" if change.new is MISSING else f"把任务改为{_shown(change.new)}"
            hints.append(f"第 {change.task} 项已有 {reported[change.task]} 条进展记录，新文档{what}；"
                         "请核对这些记录是否仍指这一项（序号变了的，追加更正条目）")
    return hints


def _merge_lines(merge, resolve):
    def names(changes):
        shown = [f"{c.where}{' ' + c.field if c.field else ''}" for c in changes[:12]]
        return "、".join(shown) + (f" 等 {len(changes)} 处" if len(changes) > 12 else "")

    out = [f"与现有任务清单相比：文档带来的变化 {len(merge.updated)} 处"
           + (f"（{names(merge.updated)}）" if merge.updated else "")
           + f"；保留的人工修改 {len(merge.kept)} 处" + (f"（{names(merge.kept)}）" if merge.kept else "")
           + f"；冲突 {len(merge.conflicts)} 处"
           + {KEEP: "（按 --keep-edits 保留清单里的值）", DOCUMENT: "（按 --take-document 采用新文档的值）"}.get(
               resolve if merge.conflicts else None, "")]
    return out
