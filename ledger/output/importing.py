"""`ledger import` as text: what the document holds and what the import changes, on one screen."""

from collections import Counter

from ledger.output import render
from ledger.plans.merge import DOCUMENT, KEEP, named_units


def summary(imported):
    """What the import found and what it would change, as text a person can check on one screen."""
    path, read, found, merge = imported.path, imported.read, imported.found, imported.merge
    added, checks, resolve = imported.added, imported.checks, imported.resolve
    plan, tasks, year = found.plan, found.tasks, found.year
    years = f"{year.first}–{year.last}" if year.last != year.first else str(year.first)
    out = [f"读取 {path}：{read.kind}{'，编码 ' + read.encoding if read.encoding else ''}，{len(read.lines)} 行",
           f"计划：{plan['title']}",
           f"发文：{plan['issuer']} · {plan['number']} · 成文日期 {plan['date']} · 计划期 {plan['start']} 至 {plan['end']}",
           f"计划年度：{years} 年，取自{year.source}"]
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
    aliases = imported.unified.aliases
    shown_added = [name + (f"（简称：{'、'.join(aliases[name])}）" if aliases.get(name) else "") for name in added]
    out = [f"共 {len(found.sections)} 个部分、{len(tasks)} 项任务；{_numbering(tasks)}",
           f"单位 {len(named)} 个{'（其中集体单位：' + '、'.join(collective) + '）' if collective else ''}："
           + "、".join(named),
           f"新登记的单位 {len(added)} 个{'：' + '、'.join(shown_added) if added else ''}",
           f"指标 {len(targets)} 个：不少于 {comparators['at_least']} · 不超过 {comparators['at_most']} · "
           f"左右 {comparators['about']}；其中增长率 {sum(t['kind'] == 'growth' for t in targets)} 个",
           "完成时限：" + "；".join(f"{day} {count} 项" for day, count in sorted(Counter(t["due"] for t in tasks).items()))]
    coordination = [t["id"] for t in tasks if t["coordination"]]
    if coordination:
        out.append(f"没有点名单位（统筹类）：第 {'、'.join(map(str, coordination))} 项")
    mapped = imported.unified.mapped
    out += [f"单位名称写法统一：“{written}”按“{kept}”记" for written, kept, why in mapped if why == "写法"]
    if found.first_leads:
        out.append(f"按第 {found.first_leads} 行“排在第一位的为牵头单位”，只列单位、没写牵头配合的，第一个单位为牵头单位")
    if imported.carried:
        kept, left = imported.carried
        out.append(f"接过 --units-from 台账登记的单位 {len(kept)} 个（简称、审核人照旧）"
                   + (f"；新计划没有点名、没有接过的 {len(left)} 个：{'、'.join(left)}" if left else ""))
    if imported.finished:
        done = "正式导入时会先补完" if imported.dry_run else "已补完"
        out.append(f"上次导入在写入时被中断，{done}：{'、'.join(imported.finished)}")
    if found.front:
        out.append(f"文头和通知正文：第 {_span([1, found.front] if found.front > 1 else [1])} 行（标题、发文机关、文号、成文日期从这里读出；其余不是任务）")
    out += _listing("未能归入任务的行", [f"{_where(read, n)}：{_cut(text)} —— {why}" for n, text, why in found.unplaced],
                    "行")
    out.append(f"已忽略的网页残留和版记（{len(found.leftovers)} 行）"
               + (f"：第 {'、'.join(str(n) for n, _ in found.leftovers)} 行" if found.leftovers else ""))
    out += _listing("需要核对", [f"{_where(read, n)}：{message}" if n else message for n, message in found.notes]
                    + [_mapping(written, kept, why) for written, kept, why in mapped if why != "写法"] + list(checks))
    out += _merge_lines(merge, resolve, imported.fresh)
    return text + render.lines(out)


def _where(read, number):
    return read.origins.get(number, f"第 {number} 行")


def _mapping(written, kept, why):
    if why == "简称":
        return f"“{written}”是已登记的“{kept}”的简称，按“{kept}”记"
    return f"“{written}”与“{kept}”看来是同一单位的不同写法，按“{kept}”记；如不是同一单位，请改 data/tasks.yaml"


def _listing(title, items, unit="处"):
    return [f"{title}（{len(items)} {unit}）" + ("：" if items else "")] + [f"  {item}" for item in items]


def _cut(text, width=50):
    return text if len(text) <= width else text[:width] + "…"


def _span(numbers):
    return "" if not numbers else f"{numbers[0]}–{numbers[-1]}" if len(numbers) > 1 else str(numbers[0])


def _numbering(tasks):
    if all(task["id"] == task["number"] for task in tasks):
        return "任务序号照原文编号"
    if len({task["level"] for task in tasks}) > 1 or any(task["group"] for task in tasks):
        return f"原文分级编号，任务序号按全文顺序编为 1–{len(tasks)}"
    return f"原文各部分分别编号，任务序号按全文顺序编为 1–{len(tasks)}"


def _merge_lines(merge, resolve, fresh):
    def names(changes):
        shown = [f"{c.where}{' ' + c.field if c.field else ''}" for c in changes[:12]]
        return "、".join(shown) + (f" 等 {len(changes)} 处" if len(changes) > 12 else "")

    if fresh:
        return ["与现有任务清单相比：台账里还没有任务（没有任务清单，或是 ledger init 建的空清单），按新文档生成"]
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
