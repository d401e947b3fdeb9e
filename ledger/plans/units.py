"""One name per unit: the forms a plan writes for one office (市发展改革委, 市发改委, 发展改革委 in a 市
plan; 县政府办公室（大数据局） and 县政府办公室(大数据局)) mapped to one name, the registry's when it knows
the unit. Every mapping but a full-width/half-width respelling is a guess, and is said to be one."""

import re
from typing import NamedTuple

# the long forms of offices' names and what plans shorten them to; compared without 和 and with 委员会 as 委
SHORT_FORMS = {
    "发展改革委": "发改委", "发展改革局": "发改局", "工业信息化局": "工信局", "工业信息化厅": "工信厅",
    "人力资源社会保障局": "人社局", "人力资源社会保障厅": "人社厅", "住房城乡建设局": "住建局",
    "住房城乡建设厅": "住建厅", "住房城乡建设委": "住建委", "市场监督管理局": "市场监管局", "卫生健康委": "卫健委",
    "卫生健康局": "卫健局", "文化旅游局": "文旅局", "文化旅游厅": "文旅厅", "文化广电旅游局": "文广旅局",
    "教育体育局": "教体局", "科学技术局": "科技局", "科学技术厅": "科技厅", "应急管理局": "应急局",
    "应急管理厅": "应急厅", "医疗保障局": "医保局", "退役军人事务局": "退役军人局", "行政审批服务局": "审批局",
    "行政审批局": "审批局", "交通运输局": "交通局", "国有资产监督管理委": "国资委", "自然资源规划局": "自规局",
}
ISSUER_PLACE = re.compile(r"^(?:中共)?(.{0,6}?(?:省|自治区|市|州|县|区|旗|镇|乡))(?:人民政府|委|政府|党委|.*办公)")


class Unified(NamedTuple):
    mapped: list    # (as written, as kept, why): why is "写法" (width, spaces), "简称" (a registered alias) or "同一单位"
    aliases: dict   # kept name -> the other forms the plan wrote for it (for units registered now)


def fold(name):
    """A unit name with full-width letters and brackets made half-width and spaces dropped, for matching."""
    name = re.sub(r"\s+", "", name)
    return name.translate({code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)})


def place_of(issuer):
    """(the plan's place with its level, the level alone) from its issuer: 青石市人民政府 -> (青石市, 市)."""
    found = ISSUER_PLACE.match(fold(issuer or ""))
    if not found:
        return "", ""
    place = found.group(1)
    return place, "自治区" if place.endswith("自治区") else place[-1]


def key(name, place=("", "")):
    """What two spellings of one office share: the plan's own place dropped, 和 dropped, long forms shortened."""
    name = fold(name)
    for prefix in place:
        if prefix and name.startswith(prefix) and not name.startswith(prefix + "场") and len(name) > len(prefix) + 1:
            name = name[len(prefix):]
            break
    name = name.replace("和", "").replace("委员会", "委")
    for long, short in SHORT_FORMS.items():
        if name.endswith(long):
            return name[: -len(long)] + short
    return name


def unify(tasks, registry, place):
    """Rewrites the units of tasks (dicts) to one name per office; returns what was mapped (Unified).

    registry: [(name, aliases)] already registered; place: place_of(the plan's issuer)."""
    registered = {}
    for name, aliases in registry:
        for form in [name] + list(aliases):
            registered.setdefault(fold(form), set()).add(name)
            registered.setdefault(("key", key(form, place)), set()).add(name)
    forms = list(dict.fromkeys(name for task in tasks for field in ("lead_units", "support_units")
                               for name in task[field]))
    by_key = {}
    for form in forms:
        by_key.setdefault(key(form, place), []).append(form)
    kept_as, mapped, aliases = {}, [], {}
    for group_key, group in by_key.items():
        known = {name for form in group for name in registered.get(fold(form), ())}
        known = known or registered.get(("key", group_key), set())
        if len(known) > 1:  # the registry keeps these offices apart: each form stays the one it names
            for form in group:
                own = registered.get(fold(form), set())
                kept_as[form] = min(own) if len(own) == 1 else form
        elif known:
            kept_as.update(dict.fromkeys(group, min(known)))
        else:  # a new office: its fullest form, the one with the plan's place first
            kept = max(group, key=lambda form: (bool(place[1]) and form.startswith(place[1]), len(form),
                                                -group.index(form)))
            kept_as.update(dict.fromkeys(group, kept))
            aliases[kept] = [form for form in group if fold(form) != fold(kept)]
    for form, kept in kept_as.items():
        if form != kept:
            why = "写法" if fold(form) == fold(kept) else "简称" if _alias(form, kept, registry) else "同一单位"
            mapped.append((form, kept, why))
    aliases = {kept: forms for kept, forms in aliases.items() if forms}
    for task in tasks:
        for field in ("lead_units", "support_units"):
            task[field] = list(dict.fromkeys(kept_as[name] for name in task[field]))
        task["support_units"] = [name for name in task["support_units"] if name not in task["lead_units"]]
    return Unified(mapped, aliases)


def _alias(form, kept, registry):
    return any(name == kept and fold(form) in {fold(alias) for alias in aliases} for name, aliases in registry)
