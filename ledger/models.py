"""Pydantic models of the ledger's files, and their errors as Chinese Problems with lines."""

import bisect
import datetime as dt
import difflib
import re
from typing import Annotated, Literal, Optional, get_args

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, TypeAdapter, ValidationError
from pydantic_core import PydanticCustomError

from ledger.vocab import COMPARATORS, ENTRY_FIELDS, KINDS, STATUSES, Problem
from ledger.yamlio import UNPRINTABLE, shorten

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_TEXT = 5000  # characters in one field: the longest task in the plan has 317; a report is a summary


def _iso_date(value):
    if not isinstance(value, str) or not ISO_DATE.match(value):
        raise PydanticCustomError("ledger", "日期{value}格式不对：应为 YYYY-MM-DD，例如 2023-06-01",
                                  {"value": _shown(value)})
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        raise PydanticCustomError("ledger", "日期“{value}”不存在（没有这一天）；应为日历上真实的日期",
                                  {"value": value}) from None
    return value


def _text(value):
    if value is None or isinstance(value, str) and not value.strip():
        raise PydanticCustomError("ledger", "不能为空")
    if not isinstance(value, str):
        raise PydanticCustomError("ledger", "应为文本，实际是{kind}{value}；如果本意是文本，请加引号",
                                  {"kind": _kind(value), "value": _shown(value)})
    unprintable = UNPRINTABLE.search(value)
    if unprintable:
        raise PydanticCustomError("unprintable", "", {"code": f"U+{ord(unprintable.group()):04X}"})
    if len(value) > MAX_TEXT:
        raise PydanticCustomError("too_long", "", {"length": len(value)})
    return value


def _kind(value):
    for types, word in ((bool, "真假值"), ((int, float), "数字"), (list, "列表"), (str, "文本"),
                        (type(None), "空值")):
        if isinstance(value, types):
            return word
    return "映射"


def _shown(value):
    """“value” quoted and cut short for a message, as YAML writes it; nothing where the kind says enough."""
    if value is None or isinstance(value, (list, dict)):
        return ""
    return f"“{str(value).lower() if isinstance(value, bool) else shorten(value)}”"


def _file_name(value):
    if any(mark in value for mark in ("/", "\\", "..")) or value.startswith("."):
        raise PydanticCustomError("ledger", "单位名“{value}”含有 /、\\ 或 ..，不能用作日志文件名；请改用单位全称",
                                  {"value": value})
    return value


# dates stay ISO text: they sort as text and read back exactly as written
IsoDate = Annotated[str, BeforeValidator(_iso_date)]
Text = Annotated[str, BeforeValidator(_text)]
# a unit's name is its journal's file name, so it must stay one plain name inside data/progress/
UnitName = Annotated[Text, AfterValidator(_file_name)]
Number = Annotated[float, Field(strict=True, allow_inf_nan=False)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class Target(_Model):
    name: Text
    value: Number
    measure: str
    comparator: Literal[tuple(COMPARATORS)]
    kind: Literal[tuple(KINDS)] = "amount"
    source: Text


class Task(_Model):
    id: Annotated[int, Field(ge=1)]
    section: int
    title: Text
    text: Text
    lead_units: list[Text]
    support_units: list[Text] = []
    coordination: bool = False
    due: IsoDate
    targets: list[Target] = []


class Section(_Model):
    id: Annotated[int, Field(ge=1)]
    numeral: Text
    title: Text


class Plan(_Model):
    title: Text
    issuer: Text
    number: Text
    date: IsoDate
    start: IsoDate
    end: IsoDate
    source: Optional[str] = None


class TasksFile(_Model):
    plan: Plan
    sections: list[Section]
    tasks: list[Task]


class Unit(_Model):
    name: UnitName
    aliases: list[Text] = []
    reviewers: list[Text] = []


class UnitsFile(_Model):
    units: list[Unit]


class Config(_Model):
    yellow_gap: Annotated[float, Field(ge=0, le=100)] = 10
    red_gap: Annotated[float, Field(ge=0, le=100)] = 30
    cycle: Literal["monthly", "quarterly"] = "monthly"
    report_day: Annotated[int, Field(ge=1, le=28)] = 25


class Entry(_Model):
    date: IsoDate
    task: int
    corrects: Optional[IsoDate] = None
    status: Literal[STATUSES]
    percent: Optional[Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]] = None
    progress: Text
    problems: Optional[Text] = None
    next: Optional[Text] = None
    actuals: dict[str, Number] = {}
    reporter: Optional[Text] = None

FIELD_NAMES = {**ENTRY_FIELDS, "lead_units": "牵头单位", "support_units": "参与单位", "due": "完成时限",
               "targets": "指标", "name": "名称", "aliases": "简称", "reviewers": "审核人"}


def _locate(value, loc, line=0):
    """The line of the deepest node of value that loc names (line: where value itself stands)."""
    line, node = getattr(value, "line", line), value
    for part in loc:
        if isinstance(node, dict) and part in node:
            line = node.line_of(part) if hasattr(node, "line_of") else line
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            line = node.item_lines[part] if hasattr(node, "item_lines") else line
            node = node[part]
        else:
            break
    return line


def _message(item, field, fields):
    kind, loc = item["type"], item["loc"]
    if kind == "missing":
        return f"缺少必填字段“{field}”{_label(field)}"
    if kind in ("extra_forbidden", "invalid_key"):
        field = loc[-1] if kind == "invalid_key" else field  # a key that is a number, not text
        near = difflib.get_close_matches(str(field), list(fields), n=1, cutoff=0.6)
        hint = f"是不是“{near[0]}”？" if near else ""
        return f"未知字段“{shorten(field)}”；{hint}可用字段：{'、'.join(fields)}"
    value = _shown(item.get("input"))
    if loc[-1:] == ("[key]",):  # a mapping's key, e.g. a metric's name under actuals
        return f"{_parent(loc)}里的名称应为文本，实际是{_kind(item.get('input'))}{value}；如果本意是文本，请加引号"
    # under actuals a key is a metric's name, not a field, whatever it is called
    what = f"指标“{shorten(loc[1])}”的完成值" if loc[:1] == ("actuals",) and len(loc) == 2 else f"“{field}”{_label(field)}"
    if kind == "literal_error":
        choices = item["ctx"]["expected"].replace("'", "").replace(" or ", ", ")
        return f"{what}的值{value}无效；应为以下之一：{choices}"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return _range_message(field, what, item.get("input"))
    if kind in ("float_type", "int_type", "int_from_float"):
        whole = "整数" if kind != "float_type" else "数字"
        return f"{what}应为{whole}，实际是{value}"
    if kind == "finite_number":
        return f"{what}应为有限的数字，实际是{value}"
    if kind in ("list_type", "dict_type", "model_type", "model_attributes_type"):
        shape = "列表（每行以“- ”开头）" if kind == "list_type" else "映射（“键: 值”）"
        return f"{what if field else '每一条'}应为{shape}，实际是{_kind(item.get('input'))}{value}"
    if kind in ("string_type",):
        return f"{what}应为文本，实际是{_kind(item.get('input'))}{value}；如果本意是文本，请加引号"
    if kind in ("bool_type",):
        return f"{what}应为 true 或 false，实际是{value}"
    if kind == "unprintable":
        return f"{what}含有不可见的控制字符 {item['ctx']['code']}；请删除它，只保留文字、空格、Tab 和换行"
    if kind == "too_long":
        return f"{what}太长：{item['ctx']['length']} 个字符，最多 {MAX_TEXT} 个；请只写要点，详细材料另附"
    if kind == "ledger" or not field:
        return item["msg"]
    return f"{what}：{item['msg']}"


def _parent(loc):
    field = next((part for part in reversed(loc[:-2]) if isinstance(part, str)), "")
    return f"“{field}”{_label(field)}"


def _range_message(field, what, value):
    if field == "percent":
        return f"进度应在 0 到 100 之间，实际是 {value}"
    return f"{what}的值 {value} 超出允许范围"


def _label(field):
    return f"（{FIELD_NAMES[field]}）" if field in FIELD_NAMES else ""


def _fields_at(model, loc):
    """Field names of the model that holds the last part of loc (for 'did you mean' hints)."""
    for part in loc[:-1]:
        if isinstance(part, str) and model is not None:
            field = model.model_fields.get(part)
            model = _inner_model(field.annotation) if field else None
    return list(model.model_fields) if model else []


def _inner_model(annotation):
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return next((m for m in map(_inner_model, get_args(annotation)) if m), None)


def _errors(error, value, name, model, line=0):
    problems = []
    for item in error.errors(include_url=False):
        loc = item["loc"]
        field = next((part for part in reversed(loc) if isinstance(part, str)), "")
        problems.append(Problem(name, _locate(value, loc, line), _message(item, field, _fields_at(model, loc))))
    return problems


def _with_lines(raw):
    item = dict(raw)
    item["line"] = raw.line
    item["lines"] = raw.key_lines
    return item


def _with_line(raw):
    item = dict(raw)
    item["line"] = raw.line
    return item


def validate_items(items, model, name, what, keep=_with_lines):
    """(valid items as plain dicts, made by keep, problems): each item on its own, so one bad item
    never hides the others."""
    if not isinstance(items, list):
        line = getattr(items, "line", 0)
        return [], [Problem(name, line, f"{what}应为列表（每项以“- ”开头），实际是{_kind(items)}")]
    adapter = _list_adapter(model)
    try:
        adapter.validate_python(items)
        return [keep(raw) for raw in items], []
    except ValidationError:
        pass
    good, problems = [], []
    for index, raw in enumerate(items):
        try:
            model.model_validate(raw)
        except ValidationError as error:
            problems += _errors(error, raw, name, model, items.item_lines[index])
            continue
        good.append(keep(raw))
    return good, problems


_ADAPTERS = {}


def _list_adapter(model):
    if model not in _ADAPTERS:
        _ADAPTERS[model] = TypeAdapter(list[model])
    return _ADAPTERS[model]


def read_tasks(value, name):
    """The task file's plan, sections and tasks as plain data, and the problems found in it."""
    if not isinstance(value, dict):
        return None, [Problem(name, 0, "任务清单应为映射，包含 plan、sections、tasks 三部分")]
    problems = []
    for key in value:
        if key not in TasksFile.model_fields:
            problems.append(Problem(name, value.line_of(key), f"未知的顶层字段“{key}”；应为 plan、sections、tasks"))
    plan = None
    try:
        plan = Plan.model_validate(value.get("plan"))
    except ValidationError as error:
        problems += _errors(error, value.get("plan") or value, name, Plan)
    sections, more = validate_items(value.get("sections"), Section, name, "sections")
    tasks, most = validate_items(value.get("tasks"), Task, name, "tasks")
    data = {"plan": plan.model_dump() if plan else None, "sections": sections, "tasks": tasks}
    return data, problems + more + most


def read_units(value, name):
    """The unit registry as plain data, and the problems found in it."""
    if not isinstance(value, dict) or "units" not in value:
        return [], [Problem(name, getattr(value, "line", 0), "单位名录应为映射，其中 units 是单位列表")]
    return validate_items(value["units"], Unit, name, "units")


def read_config(value, name):
    """The thresholds and reporting cycle, defaults filled in, and the problems found."""
    try:
        return Config.model_validate(value if value is not None else {}).model_dump(), []
    except ValidationError as error:
        return Config().model_dump(), _errors(error, value, name, Config)


def read_journal(value, name):
    """A journal's entries that are valid on their own, and the problems found. Each entry keeps the line
    it starts on and `end`, the line where the next item begins (None for the last), so a problem found
    on any line between keeps the entry out of the listings. Field lines are not kept: the few problems
    that need them re-read the file (check.py)."""
    entries, problems = validate_items(value, Entry, name, "进展日志", keep=_with_line)
    starts = getattr(value, "item_lines", [])
    for entry in entries:
        after = bisect.bisect_right(starts, entry["line"])
        entry["end"] = starts[after] if after < len(starts) else None
    return entries, problems


def entry_errors(entry):
    """(field, message) for each way a new entry fails the Entry model."""
    try:
        Entry.model_validate(entry)
    except ValidationError as error:
        return [(str(item["loc"][0]) if item["loc"] else "",
                 _message(item, next((p for p in reversed(item["loc"]) if isinstance(p, str)), ""),
                          list(Entry.model_fields)))
                for item in error.errors(include_url=False)]
    return []
