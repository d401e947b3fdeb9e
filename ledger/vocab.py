"""The ledger's vocabulary, each concept one table: statuses, lights, paces, reporting cycles, comparators,
entry fields; and the one Problem type every layer reports in. The bottom layer: imports nothing of ledger."""

from typing import Callable, NamedTuple

STATUSES = ("未启动", "推进中", "已完成", "受阻")
NOT_STARTED, IN_PROGRESS, DONE, BLOCKED = STATUSES
# words people write for a status, and the status they mean
STATUS_WORDS = {"进行中": IN_PROGRESS, "正在推进": IN_PROGRESS, "推进": IN_PROGRESS, "在建": IN_PROGRESS,
                "完成": DONE, "已完": DONE, "完工": DONE, "已完工": DONE, "办结": DONE, "已办结": DONE,
                "未开始": NOT_STARTED, "未开工": NOT_STARTED, "尚未启动": NOT_STARTED,
                "阻塞": BLOCKED, "停滞": BLOCKED, "暂停": BLOCKED, "受限": BLOCKED}


class Light(NamedTuple):
    """One light: its name, the rule that gives it, and how each output colours it."""

    name: str
    rule: str  # the rule in words, as the README states it
    applies: Callable  # (facts of a task, config) -> bool; tried in LIGHTS order, the first that applies wins
    rank: int  # place in listings and counts
    terminal: str  # rich style
    html: tuple  # (fill, ink)
    excel: tuple  # (fill, font colour): Excel's own good / neutral / bad styles


def _on_pace(task, config):
    return task.status == DONE or (not task.overdue and task.percent is not None and task.status != BLOCKED
                                   and task.gap <= config.yellow_gap)


def _far_behind(task, config):
    return task.overdue or (task.percent is not None and task.gap > config.red_gap)


def _behind(task, config):
    return task.status == BLOCKED or (task.percent is not None and task.gap > config.yellow_gap)


# in the order the rules are tried; the table is the definition of a light
LIGHTS = (
    Light("绿", "已完成；或未逾期、未受阻，进度落后序时进度不超过黄灯阈值", _on_pace, 2,
          "bold white on green", ("#3f9b4f", "#fff"), ("C6EFCE", "006100")),
    Light("红", "过了完成时限仍未完成（逾期）；或进度落后序时进度超过红灯阈值", _far_behind, 0,
          "bold white on red", ("#d23c3c", "#fff"), ("FFC7CE", "9C0006")),
    Light("未报送", "牵头单位（没有牵头单位的，办公室）还没有报送过这项任务", lambda task, config: not task.reported, 4,
          "dim", ("#c9ccd1", "#222"), ("EDEDED", "595959")),
    Light("黄", "受阻；或进度落后序时进度超过黄灯阈值", _behind, 1,
          "bold black on yellow", ("#f2b705", "#222"), ("FFEB9C", "9C5700")),
    Light("进度未填", "报送过，但从没填过进度（且未逾期、未受阻、未完成）：不按 0% 计，单独计数",
          lambda task, config: task.percent is None, 3, "bold black on bright_cyan", ("#9fd3e6", "#222"),
          ("DDEBF7", "1F4E78")),
)
LIGHT = {light.name: light for light in LIGHTS}
LIGHT_NAMES = tuple(light.name for light in sorted(LIGHTS, key=lambda light: light.rank))
RED, YELLOW, GREEN, NO_PERCENT, UNREPORTED = LIGHT_NAMES
OVERDUE = "逾期"  # not a light (an overdue task is red): a filter beside the lights, for --light and --fail-on


class Pace(NamedTuple):
    """One pace of the bulletin: every task is at exactly one, so a group's counts add up to its total."""

    key: str
    label: str
    applies: Callable  # (task state) -> bool; tried in PACES order
    colours: tuple  # (fill, ink) in charts and cards


PACES = (
    Pace("done", "已完成", lambda task: task.status == DONE, ("#1f6f35", "#fff")),
    Pace("overdue", "逾期", lambda task: task.overdue, ("#d23c3c", "#fff")),
    Pace("unreported", "未报送", lambda task: task.light == UNREPORTED, ("#c9ccd1", "#222")),
    Pace("no_percent", "进度未填", lambda task: task.light == NO_PERCENT, ("#9fd3e6", "#222")),
    Pace("behind", "落后", lambda task: task.light in (RED, YELLOW), ("#f2b705", "#222")),
    Pace("on_pace", "正常推进", lambda task: True, ("#8fcf94", "#222")),
)
# as the bulletin lists them: good news first
PACE_ORDER = ("done", "on_pace", "behind", "overdue", "no_percent", "unreported")
PACE_LABELS = {key: next(p.label for p in PACES if p.key == key) for key in PACE_ORDER}
PACE_COLOURS = {pace.key: pace.colours for pace in PACES}


class Cycle(NamedTuple):
    key: str
    name: str
    months: int  # a cycle's length; its report is due on report_day of its last month


CYCLES = (Cycle("monthly", "每月", 1), Cycle("quarterly", "每季度", 3))
CYCLE = {cycle.key: cycle for cycle in CYCLES}

# comparator key -> (Chinese word, sign)
COMPARATORS = {"at_least": ("不少于", "≥"), "at_most": ("不超过", "≤"), "about": ("左右", "≈")}
# kind key -> Chinese word: "growth" targets are rates of growth, not shares of a total
KINDS = {"amount": "数量", "growth": "增长"}


def target_text(target):
    """≥1300亩, 增长≥8%: a target as the listings show it."""
    growth = "增长" if target.kind == "growth" else ""
    return f"{growth}{COMPARATORS[target.comparator][1]}{target.value:g}{target.measure}"


# journal entry fields, in the order they are written, with their Chinese names
ENTRY_FIELDS = {
    "date": "日期",
    "task": "任务序号",
    "corrects": "更正哪天的条目",
    "status": "状态",
    "percent": "进度",
    "progress": "进展",
    "problems": "存在问题",
    "next": "下步计划",
    "actuals": "指标完成值",
    "clear": "清除的字段",
    "resolves": "已解决的问题",
    "reporter": "报送人",
}
# the fields an entry may give and later entries carry forward, per field; `clear` may name these
CLEARABLE = ("problems", "next")


# --- problems from 发现 to 反馈 (the README's 问题清单) --------------------------------------------------

class IssueState(NamedTuple):
    """One state of a problem raised in an entry: its name, whether it is still to be solved, what it means."""

    name: str
    open: bool
    rule: str


ISSUE_STATES = (
    IssueState("待协调", True, "单位在进展里报了这个问题，办公室还没有交办"),
    IssueState("协调中", True, "办公室已交办：指定了协调单位和办结时限"),
    IssueState("已解决", False, "报送单位说已解决（--resolves，或用 --problem \"\" 清除本单位报的问题），等办公室确认"),
    IssueState("已反馈", False, "办公室确认办结、销号"),
)
PENDING, COORDINATING, SOLVED, CLOSED = (state.name for state in ISSUE_STATES)
OPEN_STATES = tuple(state.name for state in ISSUE_STATES if state.open)


class Step(NamedTuple):
    """One step in a problem's life: who takes it, from which states, to which state."""

    key: str
    name: str
    by: str  # "entry": a unit's journal entry; "office": data/problems.yaml
    allowed: tuple  # the states it may be taken from
    to: object  # the state it leads to; None: back to 协调中 if ever assigned, else 待协调; "" : unchanged


STEPS = (
    Step("raise", "提出", "entry", (), PENDING),
    Step("repeat", "再次报送", "entry", OPEN_STATES, ""),
    Step("resolve", "报已解决", "entry", OPEN_STATES, SOLVED),
    Step("assign", "交办", "office", (PENDING, COORDINATING, SOLVED), COORDINATING),
    Step("close", "销号", "office", (PENDING, COORDINATING, SOLVED), CLOSED),
    Step("reopen", "重新打开", "office", (SOLVED, CLOSED), None),
)
STEP = {step.key: step for step in STEPS}
OFFICE_STEPS = tuple(step.key for step in STEPS if step.by == "office")

# a problem's id: P<task>-<month><day it was raised>, then -2, -3 … for more raised on one task and day
PROBLEM_ID = r"P([1-9][0-9]*)-[0-9]{4}(?:-[2-9]|-[1-9][0-9]+)?"
PROBLEM_ID_HELP = "应为 P任务序号-提出的月日，例如 P25-0821（同一天第二个问题是 P25-0821-2）"

# office action fields (data/problems.yaml), in the order they are written, with their Chinese names
ACTION_FIELDS = {
    "date": "日期",
    "problem": "问题编号",
    "action": "办理",
    "unit": "协调单位",
    "due": "办结时限",
    "note": "说明",
    "reporter": "经办人",
}

FORMATS_HELP = "输出格式：table（默认）、csv、json，或任意 tabulate 格式（markdown、plain、grid、html …）"

ERROR, WARNING = "error", "warning"

# what an operating system's error means for the person at the keyboard, by errno name
OS_ERRORS = {
    "ENOENT": "文件或所在目录不存在", "ENOTDIR": "路径中有一段不是目录", "EISDIR": "这是一个目录",
    "EACCES": "没有权限", "EPERM": "没有权限", "EROFS": "所在的文件系统是只读的", "ENOSPC": "磁盘已满",
    "EDQUOT": "超出磁盘配额", "EFBIG": "文件大小超出系统限制", "ELOOP": "符号链接太多或成环",
    "ENAMETOOLONG": "文件名太长", "EBUSY": "正被占用", "EIO": "设备读写出错", "ENXIO": "设备不存在，或管道没有读取端",
    "EPIPE": "读取端已关闭", "EEXIST": "已经存在",
}


def os_reason(error):
    """An OSError in Chinese, with its code: 文件或所在目录不存在（ENOENT）."""
    import errno  # noqa: PLC0415

    name = errno.errorcode.get(error.errno, "")
    said = OS_ERRORS.get(name) or error.strerror or str(error)
    return f"{said}（{name or type(error).__name__}）"


class Problem(NamedTuple):
    """One thing wrong in the ledger's files or in what a user asked: where, which field, what, how bad."""

    file: str
    line: int
    message: str
    field: str = ""
    severity: str = ERROR  # error: the entry or value is not used; warning: used, but worth a look

    def __str__(self):
        said = f"提醒：{self.message}" if self.severity == WARNING else self.message
        if not self.file:
            return said
        return f"{self.file}:{self.line}: {said}" if self.line else f"{self.file}: {said}"


class LedgerError(Exception):
    """What stops a command: its text is shown as is. usage: the user asked for something that cannot be
    (an unknown option value, a task that does not exist); otherwise the files or the system refused."""

    def __init__(self, message, usage=False):
        super().__init__(message)
        self.usage = usage
