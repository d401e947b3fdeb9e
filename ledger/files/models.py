"""Pydantic models of the ledger's files, and their errors as Chinese Problems with lines."""

import datetime as dt
import difflib
import re
from typing import Annotated, Literal, Optional, get_args

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, TypeAdapter, ValidationError
from pydantic_core import PydanticCustomError

from ledger.files.yamlio import UNPRINTABLE, shorten
from ledger import vocab
from ledger.vocab import (ACTION_FIELDS, CLEARABLE, COMPARATORS, CYCLE, CYCLES, ENTRY_FIELDS, KINDS, OFFICE_STEPS,
                          PROBLEM_ID_HELP, STATUSES, Problem)

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


def _whole(value):
    return int(value) if value.is_integer() else value


# a unit's journal is <name>.yaml on every clerk's machine, Windows included, and a line of CODEOWNERS
WINDOWS_RESERVED = re.compile(r"(CON|PRN|AUX|NUL|COM[0-9¹²³]|LPT[0-9¹²³])(\..*)?", re.I)
NOT_IN_NAMES = re.compile(r'[<>:"|?*\t\n\r]')


def _file_name(value):
    bad = NOT_IN_NAMES.search(value)
    if bad:  # a line break shown as \n: the message stays one line, and a CODEOWNERS rule cannot be smuggled in
        shown = {"value": _escaped(value), "mark": _escaped(bad.group())}
        raise PydanticCustomError("ledger", "单位名“{value}”含有“{mark}”，不能用作日志文件名（Windows 的文件名不能有"
                                  " < > : \" | ? * 和换行、Tab）；请改用单位全称", shown)
    if any(mark in value for mark in ("/", "\\", "..")) or value.startswith("."):
        raise PydanticCustomError("ledger", "单位名“{value}”含有 /、\\ 或 ..，不能用作日志文件名；请改用单位全称",
                                  {"value": value})
    if WINDOWS_RESERVED.fullmatch(value):
        raise PydanticCustomError("ledger", "单位名“{value}”是 Windows 的保留设备名，不能用作日志文件名；请改用单位全称",
                                  {"value": value})
    if value != value.strip() or value.endswith("."):
        raise PydanticCustomError("ledger", "单位名“{value}”以空格或“.”开头或结尾（Windows 会悄悄去掉结尾的空格和“.”），"
                                  "不能用作日志文件名；请删去它们", {"value": value})
    return value


def _escaped(text):
    return text.replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _account(value):
    if re.search(r"\s", value):
        raise PydanticCustomError("ledger", "账号“{value}”不能含空格或换行；应为托管平台或 gitolite 的用户名，"
                                  "如 shuili-zhang", {"value": value})
    return value


def _problem_id(value):
    if not isinstance(value, str) or not PROBLEM_ID.match(value):
        raise PydanticCustomError("ledger", "问题编号{value}格式不对：" + PROBLEM_ID_HELP, {"value": _shown(value)})
    return value


PROBLEM_ID = re.compile(f"^{vocab.PROBLEM_ID}$")
# dates stay ISO text: they sort as text and read back exactly as written
IsoDate = Annotated[str, BeforeValidator(_iso_date)]
Text = Annotated[str, BeforeValidator(_text)]
ProblemId = Annotated[str, BeforeValidator(_problem_id)]
# a unit's name is its journal's file name, so it must stay one plain name inside data/progress/
UnitName = Annotated[Text, AfterValidator(_file_name)]
# the name a hosting layer gives a pusher (gitolite's GL_USER, GitLab's GL_USERNAME, Gitea's GITEA_PUSHER_NAME)
Account = Annotated[Text, AfterValidator(_account)]
# a whole number stays whole (60, not 60.0): what is shown and exported is what was written
Number = Annotated[float, Field(strict=True, allow_inf_nan=False), AfterValidator(_whole)]


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
    accounts: list[Account] = []


class UnitsFile(_Model):
    units: list[Unit]


_WEIGHT = "介于 0 到 100 之间的数（这一项在总分里的权重）"
_DEDUCTION = "介于 0 到 100 之间的数（每次扣几分）"
WEIGHTS = ("weight_reporting", "weight_pace", "weight_completion", "weight_targets", "weight_problems")


class Config(_Model):
    yellow_gap: Annotated[float, Field(ge=0, le=100, description="介于 0 到 100 之间的数（百分点）")] = 10
    red_gap: Annotated[float, Field(ge=0, le=100, description="介于 0 到 100 之间的数（百分点），且不小于 yellow_gap")] = 30
    cycle: Annotated[Literal[tuple(CYCLE)], Field(
        description="以下之一：" + "、".join(f"{c.key}（{c.name}）" for c in CYCLES))] = "monthly"
    report_day: Annotated[int, Field(ge=1, le=28, description="介于 1 到 28 之间的整数（每个周期最后一个月的几号）")] = 25
    office: Annotated[Optional[Text], Field(description="已登记的单位全称（见 data/units.yaml）")] = None
    # 考核 (ledger score): the weight of each measure, and points taken off per red light, late report and
    # overdue problem (README “考核怎样计算”)
    weight_reporting: Annotated[float, Field(ge=0, le=100, description=_WEIGHT)] = 20
    weight_pace: Annotated[float, Field(ge=0, le=100, description=_WEIGHT)] = 30
    weight_completion: Annotated[float, Field(ge=0, le=100, description=_WEIGHT)] = 20
    weight_targets: Annotated[float, Field(ge=0, le=100, description=_WEIGHT)] = 15
    weight_problems: Annotated[float, Field(ge=0, le=100, description=_WEIGHT)] = 15
    deduct_red: Annotated[float, Field(ge=0, le=100, description=_DEDUCTION)] = 1
    deduct_late: Annotated[float, Field(ge=0, le=100, description=_DEDUCTION)] = 0.5
    deduct_overdue: Annotated[float, Field(ge=0, le=100, description=_DEDUCTION)] = 2


class Entry(_Model):
    date: IsoDate
    task: int
    corrects: Optional[IsoDate] = None
    status: Optional[Literal[STATUSES]] = None
    percent: Optional[Annotated[float, Field(ge=0, le=100, allow_inf_nan=False), AfterValidator(_whole)]] = None
    progress: Text
    problems: Optional[Text] = None
    next: Optional[Text] = None
    actuals: dict[str, Number] = {}
    clear: list[Literal[CLEARABLE]] = []
    resolves: list[ProblemId] = []
    reporter: Optional[Text] = None



class Action(_Model):
    """One step the office takes on a problem (data/problems.yaml): assign it, close it, reopen it."""

    date: IsoDate
    problem: ProblemId
    action: Literal[OFFICE_STEPS]
    unit: Optional[UnitName] = None
    due: Optional[IsoDate] = None
    note: Text
    reporter: Optional[Text] = None


FIELD_NAMES = {**ACTION_FIELDS, **ENTRY_FIELDS, "lead_units": "牵头单位", "support_units": "参与单位", "due": "完成时限",
               "targets": "指标", "name": "名称", "aliases": "简称", "reviewers": "审核人",
               "accounts": "推送账号"}


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


def _field_path(loc):
    """'percent', 'actuals.完成造林', 'targets.kind': the named parts of an error's location."""
    return ".".join(str(part) for part in loc if isinstance(part, str) and part != "[key]")


def _errors(error, value, name, model, line=0):
    problems = []
    for item in error.errors(include_url=False):
        loc = item["loc"]
        field = next((part for part in reversed(loc) if isinstance(part, str)), "")
        problems.append(Problem(name, _locate(value, loc, line), _message(item, field, _fields_at(model, loc)),
                                _field_path(loc)))
    return problems


def _row(model, raw):
    """The model's dump of a valid item (declared defaults filled in), with the lines it was read from."""
    row = model.model_validate(raw).model_dump()
    row["line"] = raw.line
    row["lines"] = raw.key_lines
    return row


def validate_items(items, model, name, what):
    """(rows of the valid items, problems): each item on its own, so one bad item never hides the others."""
    if not isinstance(items, list):
        line = getattr(items, "line", 0)
        return [], [Problem(name, line, f"{what}应为列表（每项以“- ”开头），实际是{_kind(items)}")]
    rows, problems = [], []
    for index, raw in enumerate(items):
        try:
            rows.append(_row(model, raw))
        except ValidationError as error:
            problems += _errors(error, raw, name, model, items.item_lines[index])
    return rows, problems


def read_tasks(value, name):
    """The task file's plan, sections and tasks as rows, and the problems found in it."""
    if not isinstance(value, dict):
        return None, [Problem(name, 0, "任务清单应为映射，包含 plan、sections、tasks 三部分")]
    problems = []
    for key in value:
        if key not in TasksFile.model_fields:
            problems.append(Problem(name, value.line_of(key), f"未知的顶层字段“{key}”；应为 plan、sections、tasks", key))
    plan = None
    try:
        plan = Plan.model_validate(value.get("plan")).model_dump()
    except ValidationError as error:
        problems += _errors(error, value.get("plan") or value, name, Plan)
    sections, more = validate_items(value.get("sections"), Section, name, "sections")
    tasks, most = validate_items(value.get("tasks"), Task, name, "tasks")
    return {"plan": plan, "sections": sections, "tasks": tasks}, problems + more + most


def read_units(value, name):
    """The unit registry as rows, and the problems found in it."""
    if not isinstance(value, dict) or "units" not in value:
        return [], [Problem(name, getattr(value, "line", 0), "单位名录应为映射，其中 units 是单位列表")]
    return validate_items(value["units"], Unit, name, "units")


def read_config(value, name):
    """The thresholds, reporting cycle and office, key by key: a bad value falls back to its default alone,
    and the problem names the key, the value, what is allowed and the default used."""
    if value is None:
        return {**Config().model_dump(), "lines": {}}, []
    if not isinstance(value, dict):
        return {**Config().model_dump(), "lines": {}}, [Problem(name, getattr(value, "line", 0),
                                               f"配置应为映射（“键: 值”），实际是{_kind(value)}；全部按默认值计")]
    fields, given, problems = Config.model_fields, {}, []
    for key, raw in value.items():
        line = value.line_of(key)
        if key not in fields:
            near = difflib.get_close_matches(str(key), list(fields), n=1, cutoff=0.6)
            hint = f"是不是“{near[0]}”？" if near else ""
            problems.append(Problem(name, line, f"未知的配置项“{shorten(key)}”；{hint}可用：{'、'.join(fields)}", str(key)))
            continue
        try:
            given[key] = getattr(Config.model_validate({key: raw}), key)
        except ValidationError:
            shown = _shown(raw) or _kind(raw)
            problems.append(Problem(name, line, f"{key} 的值{shown}不合要求：应为{fields[key].description}；"
                                                f"这一项按默认值 {_default(fields[key].default)} 计", key))
    if given.get("yellow_gap", fields["yellow_gap"].default) > given.get("red_gap", fields["red_gap"].default):
        problems.append(Problem(name, value.line_of("red_gap"), "red_gap（红灯阈值）小于 yellow_gap（黄灯阈值）："
                                "红灯应比黄灯落后得更多；两项都按默认值计（黄灯 10，红灯 30）", "red_gap"))
        given.pop("yellow_gap", None)
        given.pop("red_gap", None)
    if not any(given.get(key, fields[key].default) for key in WEIGHTS):
        problems.append(Problem(name, value.line_of(next(key for key in WEIGHTS if key in given)),
                                "考核的五项权重都是 0，总分无从计算；五项都按默认值计", WEIGHTS[0]))
        for key in WEIGHTS:
            given.pop(key)
    return {**Config(**given).model_dump(), "lines": value.key_lines}, problems


def _default(value):
    return "空（不设）" if value is None else f"{value:g}" if isinstance(value, float) else value


def read_journal(value, name):
    """(items, problems) of a journal: one item per list item that is a mapping, holding the fields that
    validated (declared defaults filled in where a field is absent), `line` where it starts, `end` where the
    next item starts (None for the last) and `valid`: whether the whole entry passed the model. Fields that
    failed are left out, so the cross-file rules can still judge the rest of a broken entry."""
    if not isinstance(value, list):
        line = getattr(value, "line", 0)
        return [], [Problem(name, line, f"进展日志应为列表（每项以“- ”开头），实际是{_kind(value)}")]
    items, problems = [], []
    starts = value.item_lines
    try:  # the usual journal is all valid: one call validates and dumps every entry
        dumped = _JOURNAL.dump_python(_JOURNAL.validate_python(value))
    except ValidationError:
        dumped = None
    for index, raw in enumerate(value):
        end = starts[index + 1] if index + 1 < len(starts) else None
        try:
            item = dumped[index] if dumped else Entry.model_validate(raw).model_dump()
            item["valid"] = True
        except ValidationError as error:
            found = _errors(error, raw, name, Entry, starts[index])
            problems += found
            if not isinstance(raw, dict):
                continue
            bad = {problem.field.split(".")[0] for problem in found}
            item = {key: raw[key] for key in Entry.model_fields if key in raw and key not in bad}
            item["valid"] = False
        item["line"], item["end"] = starts[index], end
        items.append(item)
    return items, problems


_JOURNAL = TypeAdapter(list[Entry])


def read_actions(value, name):
    """(rows, problems) of the office's actions on problems (data/problems.yaml): each item on its own."""
    if not isinstance(value, list):
        line = getattr(value, "line", 0)
        return [], [Problem(name, line, f"问题办理记录应为列表（每项以“- ”开头），实际是{_kind(value)}")]
    return validate_items(value, Action, name, "问题办理记录")


def entry_errors(entry, model=Entry):
    """Problems (no file, no line) with each way a new entry fails the Entry model (or a new office action,
    model=Action, the Action model)."""
    try:
        model.model_validate(entry)
    except ValidationError as error:
        return _errors(error, entry, "", model)
    return []
