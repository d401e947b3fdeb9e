"""The ledger's vocabulary, in one place: statuses, lights, comparators, field names."""

from typing import NamedTuple

STATUSES = ("未启动", "推进中", "已完成", "受阻")
NOT_STARTED, IN_PROGRESS, DONE, BLOCKED = STATUSES

LIGHTS = ("红", "黄", "绿", "未报送")
RED, YELLOW, GREEN, UNREPORTED = LIGHTS

# comparator key -> Chinese word shown to people
COMPARATORS = {"at_least": "不少于", "at_most": "不超过", "about": "左右"}
# kind key -> Chinese word: "growth" targets are rates of growth, not shares of a total
KINDS = {"amount": "数量", "growth": "增长"}

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
    "reporter": "报送人",
}

FORMATS_HELP = "输出格式：table（默认）、csv、json，或任意 tabulate 格式（markdown、plain、grid、html …）"


class Problem(NamedTuple):
    """One thing wrong in the ledger's files, printed as `file:line: message`."""

    file: str
    line: int
    message: str

    def __str__(self):
        return f"{self.file}:{self.line}: {self.message}" if self.line else f"{self.file}: {self.message}"


class LedgerError(Exception):
    """A problem the user must fix before the command can run; its text is shown as is."""

    def __init__(self, message, code=1):
        super().__init__(message)
        self.code = code
