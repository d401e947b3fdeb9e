"""Writes a valid synthetic ledger of a given size, the same bytes for the same size and seed.

    python benchmarks/make_ledger.py S|M|L DIR [--seed 1]

S: the shipped plan and units, a year of monthly reports from every lead unit (~1,100 entries);
M: 300 tasks, 60 units, 20,000 entries; L: 3,000 tasks, 300 units, 200,000 entries.
Entries are spread over the plan year in date order, each by a unit responsible for its task.
"""

import argparse
import datetime as dt
import random
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from ledger.files.yamlio import dump, parse  # noqa: E402

SIZES = {"M": (300, 60, 20_000), "L": (3_000, 300, 200_000)}
STATUSES = ["推进中"] * 8 + ["受阻", "未启动"]
NOTES = ["完成年度实施方案编制并印发", "召开专题调度会议，研究解决项目推进中的困难问题", "项目主体工程完工，进入验收准备阶段",
         "组织各乡镇（街道）开展集中排查整治", "与省市有关部门对接，争取政策和资金支持", "开展督导检查，通报进展滞后的单位"]
PROBLEMS = ["项目用地手续尚未批复", "专项资金未全部到位", "施工受天气影响进度偏慢"]
NEXT = ["下月完成招标并开工建设", "加快资金拨付进度", "组织现场推进会"]
MEASURES = ["家", "个", "亩", "万元", "场", "人"]


def synthetic_plan(tasks, units, rng):
    names = [f"县第{n:03d}局" for n in range(1, units + 1)]
    sections = [{"id": n, "numeral": "一二三四五六七八九十"[n - 1], "title": f"第{n}部分重点工作"} for n in range(1, 11)]
    task_list = []
    for number in range(1, tasks + 1):
        lead = rng.sample(names, rng.choice([1, 1, 1, 2]))
        support = rng.sample([n for n in names if n not in lead], rng.choice([0, 0, 1, 2]))
        targets = [{"name": f"指标{number}-{k}", "value": rng.randint(2, 500), "measure": rng.choice(MEASURES),
                    "comparator": "at_least", "kind": "amount", "source": f"完成指标{number}-{k}。"}
                   for k in range(1, rng.choice([0, 1, 1, 2, 3]) + 1)]
        task = {"id": number, "section": (number - 1) * 10 // tasks + 1, "title": f"第{number}项重点工作",
                "text": f"第{number}项重点工作。围绕年度目标推进各项工作。(牵头单位:{'、'.join(lead)})",
                "lead_units": lead}
        if support:
            task["support_units"] = support
        if targets:
            task["targets"] = targets
        task["due"] = "2023-12-31"
        task_list.append(task)
    plan = {"title": "合成测试计划", "issuer": "测试办公室", "number": "测政办字〔2023〕1号", "date": "2023-01-10",
            "start": "2023-01-01", "end": "2023-12-31"}
    return {"plan": plan, "sections": sections, "tasks": task_list}, [{"name": n, "aliases": [], "reviewers": []}
                                                                      for n in names]


def journals(tasks, units, total, rng):
    """unit -> its entries, date-ordered: each unit's share of total, over its own tasks."""
    mine = {unit["name"]: [] for unit in units}
    for task in tasks:
        for unit in task["lead_units"] + task.get("support_units", []):
            mine[unit].append(task)
    reporting = [name for name, owned in mine.items() if owned]
    per_unit = {name: total // len(reporting) for name in reporting}
    for name in reporting[: total - sum(per_unit.values())]:
        per_unit[name] += 1
    progress = {}
    for name in reporting:
        days = sorted(rng.randrange(0, 334) for _ in range(per_unit[name]))
        entries = []
        for day in days:
            task = rng.choice(mine[name])
            key = (name, task["id"])
            progress[key] = min(99, progress.get(key, 0) + rng.randint(1, 9))
            entry = {"date": (dt.date(2023, 1, 1) + dt.timedelta(days=day)).isoformat(), "task": task["id"],
                     "status": rng.choice(STATUSES), "percent": progress[key], "progress": rng.choice(NOTES)}
            if rng.random() < 0.3:
                entry["problems"] = rng.choice(PROBLEMS)
                entry["next"] = rng.choice(NEXT)
            if task.get("targets") and rng.random() < 0.4:
                target = rng.choice(task["targets"])
                entry["actuals"] = {target["name"]: rng.randint(0, target["value"])}
            entry["reporter"] = "合成报送人"
            entries.append(entry)
        yield name, entries


def shipped_journals(rng):
    """Every lead unit of the shipped plan reports on each of its tasks once a month, Jan-Nov."""
    tasks = parse((REPO / "data" / "tasks.yaml").read_text(encoding="utf-8"), "tasks.yaml")[0]["tasks"]
    by_unit = {}
    for task in tasks:
        for unit in task["lead_units"]:
            by_unit.setdefault(unit, []).append(task)
    for unit, owned in by_unit.items():
        entries = []
        for month in range(1, 12):
            for task in owned:
                entries.append({"date": f"2023-{month:02d}-{rng.randint(10, 25):02d}", "task": task["id"],
                                "status": "推进中", "percent": min(100, month * 9), "progress": rng.choice(NOTES),
                                "reporter": "合成报送人"})
        entries.sort(key=lambda entry: entry["date"])
        yield unit, entries


def make(size, folder, seed=1):
    rng = random.Random(seed)
    folder = Path(folder)
    if folder.exists():
        shutil.rmtree(folder)
    progress = folder / "data" / "progress"
    progress.mkdir(parents=True)
    if size == "S":
        for name in ("tasks.yaml", "units.yaml", "config.yaml"):
            shutil.copy(REPO / "data" / name, folder / "data" / name)
        written = shipped_journals(rng)
    else:
        task_count, unit_count, entry_count = SIZES[size]
        tasks_file, units = synthetic_plan(task_count, unit_count, rng)
        (folder / "data" / "tasks.yaml").write_text(dump(tasks_file), encoding="utf-8")
        (folder / "data" / "units.yaml").write_text(dump({"units": units}), encoding="utf-8")
        written = journals(tasks_file["tasks"], units, entry_count, rng)
    count = 0
    for unit, entries in written:
        (progress / f"{unit}.yaml").write_text(f"# {unit}（合成数据）\n" + dump(entries), encoding="utf-8")
        count += len(entries)
    return count


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", choices=["S", "M", "L"])
    parser.add_argument("folder")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(f"{args.size}: {make(args.size, args.folder, args.seed)} entries in {args.folder}")


if __name__ == "__main__":
    main()
