"""`ledger log` and `ledger review` as text: who added each entry, and what changed since a version."""

from collections import defaultdict

from ledger.output.render import Column, as_json, percent, render
from ledger.output.views import _actuals


def _when(record):
    return record["committed"][:16].replace("T", " ") if record["committed"] else None


def _committed(record):
    return (record["commit"] or "未提交")[:8]


# --- ledger log ---------------------------------------------------------------------------------

LOG_COLUMNS = [Column("commit", "提交", _committed), Column("author", "作者"), Column("committed", "提交时间", _when),
               Column("unit", "单位"), Column("task", "序号"), Column("date", "日期"), Column("status", "状态"),
               Column("percent", "进度", lambda r: percent(r.get("percent"))), Column("progress", "进展"),
               Column("changed_later", "后来的改动", lambda r: "、".join(r["changed_later"]) or None)]


def log(records, fmt, screen, task=None, unit=None, since=None):
    what = "、".join(part for part in (unit, f"第 {task} 项" if task is not None else None,
                                       f"{since} 以来" if since else None) if part)
    title = f"{what + ' · ' if what else ''}进展条目的提交记录：{len(records)} 条"
    uncommitted = sum(1 for r in records if r["commit"] is None)
    notes = [f"其中 {uncommitted} 条尚未提交"] if uncommitted else []
    return render(records, LOG_COLUMNS, fmt, screen, title=title, notes=notes)


NEW_COLUMNS = [Column("unit", "单位"), Column("task", "序号"), Column("date", "日期"), Column("status", "状态"),
               Column("percent", "进度", lambda r: percent(r.get("percent"))), Column("progress", "进展"),
               Column("problems", "存在问题"), Column("next", "下步计划"), Column("actuals", "指标", _actuals),
               Column("reporter", "报送人"), Column("corrects", "更正哪天的条目"),
               Column("commit", "提交", _committed), Column("author", "作者")]
ATTENTION_COLUMNS = [Column("flag", "标记"), Column("unit", "单位"), Column("where", "位置"), Column("message", "说明"),
                     Column("commits", "提交", lambda r: " ".join(sha[:8] for sha in r["commits"]) or "未提交"),
                     Column("authors", "作者", lambda r: "、".join(r["authors"]))]


def review(found, fmt, screen):
    base = f"{found.base}（{found.base_commit[:8]}）"
    units = defaultdict(int)
    for record in found.entries:
        units[record["unit"]] += 1
    if fmt == "json":
        return as_json({"base": found.base, "base_commit": found.base_commit, "entries": found.entries,
                        "attention": found.attention})
    per_unit = " · ".join(f"{unit} {count} 条" for unit, count in sorted(units.items()))
    calm = [] if found.attention else ["没有需要审核人注意的改动"]
    out = render(found.entries, NEW_COLUMNS, fmt, screen, title=f"自 {base}以来新增的进展：{len(found.entries)} 条",
                 notes=([per_unit] if per_unit else []) + calm)
    if found.attention:
        out += render(found.attention, ATTENTION_COLUMNS, fmt, screen, title=f"需要审核人注意：{len(found.attention)} 处",
                      notes=["红：已写入的内容被修改或删除（日志只能追加）；黄：条目有问题，或提交改动了日志以外的文件"])
    return out
