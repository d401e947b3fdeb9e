"""The 考核 as text and files: one row per unit, a unit's score explained line by line, and the same as xlsx,
csv or json."""

from fractions import Fraction

from ledger.core.score import DEDUCTIONS, MEASURES, half_up
from ledger.output.export import Field, _saved, _sheet, csv_bytes, json_bytes
from ledger.output.render import Column, as_json, lines, render

FORMATS = ("xlsx", "csv", "json")
MEASURE_NAMES = {m.key: m.name for m in MEASURES}


def _number(value):
    return "—" if value is None else f"{value:g}"


def rate(counts):
    """The share met, in percent to two places, or None for a measure of nothing."""
    met, of = counts
    return half_up(Fraction(100 * met, of)) if of else None


def _measure(key):
    return Column(key, MEASURE_NAMES[key], lambda r: f"{r['counts'][key][0]}/{r['counts'][key][1]}（{rate(r['counts'][key]):g}%）"
                  if r["counts"][key][1] else "—")


UNIT_COLUMNS = [Column("rank", "名次", lambda r: _number(r["rank"])), Column("unit", "单位"),
                *(_measure(m.key) for m in MEASURES),
                Column("mean_days", "平均解决天数", lambda r: _number(r["mean_days"])),
                Column("base", "加权得分", lambda r: _number(r["base"])),
                Column("deducted", "扣分", lambda r: _number(r["deducted"])),
                Column("total", "总分", lambda r: _number(r["total"]))]
ITEM_COLUMNS = [Column("measure", "项目", lambda r: MEASURE_NAMES[r["measure"]]), Column("when", "周期/日期"),
                Column("task", "任务"), Column("problem", "问题"), Column("met", "结果", lambda r: "达标" if r["met"] else "未达标"),
                Column("deduction", "扣分项", lambda r: DEDUCTIONS[r["deduction"]][0] if r["deduction"] else None),
                Column("said", "说明")]


def records(assessment):
    """The assessment as plain data: the window, cycles, weights, points and one record per unit."""
    units = [{**score._asdict(), "rates": {key: rate(counts) for key, counts in score.counts.items()},
              "items": [item._asdict() for item in score.items]} for score in assessment.units]
    return {"from": assessment.start.isoformat(), "to": assessment.end.isoformat(),
            "cycles": [{"label": c.label, "first": c.first.isoformat(), "report": c.report.isoformat(),
                        "last": c.last.isoformat()} for c in assessment.cycles],
            "weights": assessment.weights, "points": assessment.points, "units": units}


def heading(assessment):
    cycles = "、".join(c.label for c in assessment.cycles) or "无"
    return (f"考核期 {assessment.start} 至 {assessment.end} · {len(assessment.cycles)} 个报送周期（{cycles}）")


def table(assessment, fmt, screen):
    """`ledger score`: one row per unit, by rank."""
    content = records(assessment)
    if fmt == "json":
        return as_json(content)
    if fmt == "csv":  # one flat row per unit, as -o 考核.csv writes it, under the keys
        return render(_unit_rows(content), UNIT_COLUMNS, fmt)
    rows = [{k: v for k, v in unit.items() if k != "items"} for unit in content["units"]]
    weights = "、".join(f"{m.name} {assessment.weights[m.key]:g}" for m in MEASURES)
    points = "、".join(f"{name} {assessment.points[key]:g}" for key, (name, _) in DEDUCTIONS.items())
    notes = [f"权重：{weights}；扣分：{points}。没有可计的项目（应计为 0）不参加加权，权重按其余各项计。"
             "计算方法见 README“考核怎样计算”；ledger score --unit 单位 逐条说明。"]
    return render(rows, UNIT_COLUMNS, fmt, screen, title=heading(assessment), notes=notes)


def formula(assessment, score):
    """总分 = 100 × (…) ÷ (…) − (…) = …: the total as a unit checks it by hand."""
    applies = [m for m in MEASURES if score.counts[m.key][1] and assessment.weights[m.key]]
    if not applies:
        return "没有可计的项目：不计总分、不排名"
    weights = assessment.weights
    sums = " + ".join(f"{weights[m.key]:g}×{score.counts[m.key][0]}/{score.counts[m.key][1]}" for m in applies)
    total = " + ".join(f"{weights[m.key]:g}" for m in applies)
    taken = " + ".join(f"{assessment.points[key]:g}×{times}" for key, times in score.deductions.items())
    floor = "（不低于 0）" if score.total == 0 and score.base < score.deducted else ""
    return (f"总分 = 100 × ({sums}) ÷ ({total}) − ({taken}) = {score.base:g} − {score.deducted:g} = "
            f"{score.total:g}{floor}")


def explain(assessment, score, fmt, screen):
    """`ledger score --unit U`: the unit's measures, every item counted with its verdict, and the total's sum."""
    if fmt == "json":
        return as_json(next(u for u in records(assessment)["units"] if u["unit"] == score.unit))
    if fmt == "csv":  # the items alone: one document
        return render([item._asdict() for item in score.items], ITEM_COLUMNS, fmt)
    rank = f"第 {score.rank} 名（共 {sum(1 for u in assessment.units if u.rank)} 个单位排名）" if score.rank else "不排名"
    summary = [{"measure": m.name, "counts": f"{score.counts[m.key][0]}/{score.counts[m.key][1]}",
                "rate": rate(score.counts[m.key]), "weight": assessment.weights[m.key]} for m in MEASURES]
    columns = [Column("measure", "项目"), Column("counts", "达标/应计"),
               Column("rate", "得分率", lambda r: "不计" if r["rate"] is None else f"{r['rate']:g}%"),
               Column("weight", "权重", lambda r: f"{r['weight']:g}")]
    deductions = [f"扣分：{name} {score.deductions[key]} 次 × {assessment.points[key]:g}"
                  for key, (name, _) in DEDUCTIONS.items()]
    days = f"；已解决的问题平均用了 {score.mean_days:g} 天" if score.mean_days is not None else ""
    out = lines([f"{score.unit} · {heading(assessment)} · {rank}"])  # wider than the table: a line of its own
    out += render(summary, columns, fmt, screen, notes=[*deductions, formula(assessment, score) + days])
    items = [item._asdict() for item in score.items]
    return out + lines([""]) + render(items, ITEM_COLUMNS, fmt, screen, title=f"明细（{len(items)} 条）")


UNIT_FIELDS = [Field("rank", "名次", 6), Field("unit", "单位", 26)]
for _m in MEASURES:
    UNIT_FIELDS += [Field(f"{_m.key}_counts", f"{_m.name}（达标/应计）", 12), Field(f"{_m.key}_rate", _m.name, 11, "percent")]
UNIT_FIELDS += [Field("mean_days", "平均解决天数", 10), Field("base", "加权得分", 10), Field("deducted", "扣分", 8),
                Field("total", "总分", 8)]
ITEM_FIELDS = [Field("unit", "单位", 24), Field("measure", "项目", 12), Field("when", "周期/日期", 14),
               Field("task", "任务", 6), Field("problem", "问题", 12), Field("met", "结果", 8),
               Field("deduction", "扣分项", 24), Field("said", "说明", 60)]


def _unit_rows(content):
    rows = []
    for unit in content["units"]:
        row = {key: unit[key] for key in ("rank", "unit", "mean_days", "base", "deducted", "total")}
        for m in MEASURES:
            met, of = unit["counts"][m.key]
            row[f"{m.key}_counts"] = f"{met}/{of}" if of else None
            row[f"{m.key}_rate"] = unit["rates"][m.key]
        rows.append(row)
    return rows


def write(assessment, fmt):
    """The assessment as the bytes of an xlsx (scores, every item, weights), csv (scores) or json file."""
    content = records(assessment)
    if fmt == "json":
        return json_bytes(content)
    if fmt == "csv":
        return csv_bytes(UNIT_FIELDS, _unit_rows(content))
    return _workbook(assessment, content)


def _workbook(assessment, content):
    from openpyxl import Workbook  # noqa: PLC0415 - openpyxl only for xlsx

    book = Workbook()
    title = f"考核 · {heading(assessment)}"
    sheet = book.active
    sheet.title = "考核得分"
    _sheet(sheet, title, UNIT_FIELDS, _unit_rows(content))
    items = [{**item, "unit": unit["unit"], "measure": MEASURE_NAMES[item["measure"]], "met": "达标" if item["met"] else "未达标",
              "deduction": DEDUCTIONS[item["deduction"]][0] if item["deduction"] else None}
             for unit in content["units"] for item in unit["items"]]
    _sheet(book.create_sheet("考核明细"), f"{title} · 明细", ITEM_FIELDS, items)
    rules = [{"what": m.name, "value": assessment.weights[m.key], "kind": "权重"} for m in MEASURES]
    rules += [{"what": name, "value": assessment.points[key], "kind": "每次扣分"} for key, (name, _) in DEDUCTIONS.items()]
    _sheet(book.create_sheet("权重与扣分"), f"{title} · 权重与扣分（data/config.yaml）",
           [Field("kind", "类别", 10), Field("what", "项目", 30), Field("value", "分值", 8)], rules)
    return _saved(book)
