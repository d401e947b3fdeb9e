"""The task list and unit registry as files: deterministic YAML text for tasks.yaml, and units.yaml with
new units appended after every byte already there."""

import re

from ledger.files.store import UNITS, validate_bytes
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


def units_text(old, units, added):
    """The text of units.yaml (old: its text now, None when there is none; units: its rows) with the new
    units appended after every byte already there: comments, aliases and reviewers stay as written."""
    entries = [{"name": name, "aliases": [], "reviewers": []} for name in added]
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
