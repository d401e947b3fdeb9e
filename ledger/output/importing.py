"""`ledger import` as text: what the document holds and what the import changes, on one screen."""

from collections import Counter

from ledger.output import render
from ledger.plans.merge import DOCUMENT, KEEP, named_units


def summary(imported):
    """What the import found and what it would change, as text a person can check on one screen."""
    path, read, found, merge = imported.path, imported.read, imported.found, imported.merge
    added, respelled, checks, resolve = imported.added, imported.respelled, imported.checks, imported.resolve
    plan, tasks = found.plan, found.tasks
    out = [f"读取 {path}：{read.kind}{'，编码 ' + read.encoding if read.encoding else ''}，{len(read.lines)} 行",
           f"计划：{plan['title']}",
           f"发文：{plan['issuer']} · {plan['number']} · 成文日期 {plan['date']} · 计划期 {plan['start']} 至 {plan['end']}"]
    text = render.lines(out)
    records = []
    for section in found.sections:
        mine = [t for t in tasks if t["section"] == section["id"]]
        records.append({"section": f"{section['numeral']}、{section['title']}", "tasks": _span([t["id"] for t in mine]),
                        "count": len(mine), "targets": sum(len(t["targets"]) for t in mine),
                        "units": len(named_units(mine))})
    columns = [render.Column("section", "部分"), render.Column("tasks", "任务序号"), render.Column("count", "任务数"),
               render.Column("units", "单位数"), render.Column("targets", "指标数")]
    text += render.render(records, columns, "simple")
    targets = [target for task in tasks for target in task["targets"]]
    comparators = Counter(target["comparator"] for target in targets)
    named = named_units(tasks)
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
    return text + render.lines(out)


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


def outcome(imported):
    """The last line of an import: what was written, or why nothing was."""
    if imported.written is None:
        return "预演：没有写入任何文件。\n" if not imported.merge.conflicts or imported.resolve else ""
    if imported.written:
        return f"已写入：{'、'.join(imported.written)}。\n"
    return "任务清单、单位名录都没有变化，没有写入任何文件。\n"
