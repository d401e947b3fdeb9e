"""The files that make a folder a ledger repository (`ledger init`) and a host's CODEOWNERS (`ledger codeowners`)."""

import re
from pathlib import Path, PurePosixPath

from ledger.files import git, store
from ledger.files.journal import atomic_write
from ledger.files.store import ACTIONS, CONFIG, DATA, PROGRESS, TASKS, UNITS
from ledger.vocab import LedgerError

TASKS_SKELETON = """\
# 任务清单：还没有导入计划。用 ledger import 从计划文件生成（见 README），或按 README“数据文件”一节填写。
plan:
  title: （计划标题）
  issuer: （发文机关）
  number: （文号）
  date: {today}
  start: {year}-01-01
  end: {year}-12-31
sections: []
tasks: []
"""

UNITS_SKELETON = """\
# 单位名录：计划文件点名的全部单位（名称与原文一致），以及常用简称和审核人。
# --unit 接受全称或无歧义的简称；reviewers 是审核该单位日志的人（git 托管平台用户名），ledger codeowners 据此生成 CODEOWNERS。
# 例：
# - name: 县水利局
#   aliases: [水利局]
#   reviewers: [shuili-zhang]
units: []
"""

CONFIG_SKELETON = """\
# 预警阈值与报送周期：办公室可按需要调整。
yellow_gap: 10     # 进度落后序时进度超过这么多个百分点：黄灯
red_gap: 30        # 落后超过这么多个百分点，或已过完成时限仍未完成：红灯
cycle: monthly     # 报送周期：monthly（每月）或 quarterly（每季度）
report_day: 25     # 每个周期（季度则为季末月）几号前报送
# office: 县政府办公室   # 办公室：没有点名单位的任务由它报送；不写时取发文机关对应的登记单位
"""

GITATTRIBUTES = [
    "# 进展日志只在末尾追加：两条分支各追加了条目时，合并保留双方的条目（union），不产生冲突。",
    "# 合并后运行 ledger validate 确认没有条目丢失或损坏；union 靠不住的情形见 README“git 协作”一节。",
    f"{PROGRESS}/*.yaml merge=union",
    "# 办公室的问题办理记录同样只追加。",
    f"{ACTIONS} merge=union",
]
GITIGNORE = [f"{store.CACHE}/", f"{PROGRESS}/.*.lock", f"{DATA}/.{PurePosixPath(ACTIONS).name}.lock"]


def init(folder, today):
    """Creates a ledger repository in folder; returns the lines that tell the user what was made."""
    folder = Path(folder)
    existing = [name for name in (TASKS, UNITS, CONFIG) if (folder / name).exists()]
    if existing:
        raise LedgerError(f"“{folder}”里已有台账文件（{'、'.join(existing)}）；ledger init 不会覆盖已有文件", usage=True)
    (folder / PROGRESS).mkdir(parents=True, exist_ok=True)
    atomic_write(folder / TASKS, TASKS_SKELETON.format(today=today, year=today.year).encode())
    atomic_write(folder / UNITS, UNITS_SKELETON.encode())
    atomic_write(folder / CONFIG, CONFIG_SKELETON.encode())
    (folder / PROGRESS / ".gitkeep").touch()
    _add_lines(folder / ".gitattributes", GITATTRIBUTES)
    _add_lines(folder / ".gitignore", GITIGNORE)
    made = [f"{TASKS}（空的计划，等待导入）", UNITS, CONFIG, f"{PROGRESS}/", ".gitattributes（日志用 union 合并）",
            ".gitignore"]
    if git.call(folder, "rev-parse", "--is-inside-work-tree")[0] == 0:
        made.append("（已在 git 仓库里，没有另建仓库）")
    else:
        code, _, err = git.call(folder, "init", "-q")
        if code:
            raise LedgerError(f"git init 失败：{err.decode('utf-8', 'replace').strip()}")
        made.append("git 仓库（git init）")
    return made


def _add_lines(path, lines):
    """Appends the lines path lacks, keeping every byte already there."""
    old = path.read_bytes() if path.exists() else b""
    have = set(old.decode("utf-8", "replace").splitlines())
    missing = [line for line in lines if line not in have]
    if missing:
        prefix = old if not old or old.endswith(b"\n") else old + b"\n"
        atomic_write(path, prefix + "".join(f"{line}\n" for line in missing).encode())




def codeowners(units, office, prefix):
    """The text of a CODEOWNERS file: each unit's journal owned by its reviewers and the office, all else by the office.

    units: the unit registry (with lines); office: host user names; prefix: the ledger root's place in the repository."""
    problems = []
    office = [_owner(name, problems, UNITS, 0) for name in office]
    lines = ["# 由 ledger codeowners 根据 data/units.yaml 生成；要改审核人，请改 data/units.yaml 后重新运行，不要手改。",
             "# 每个单位的进展日志由本单位的审核人和办公室审核；其他文件由办公室审核。",
             f"/{_escape(prefix)}** {' '.join(office)}" if prefix else f"* {' '.join(office)}"]
    for unit in units:
        line = unit.lines.get("reviewers", unit.line)
        owners = [_owner(name, problems, UNITS, line) for name in unit.reviewers]
        owners += [name for name in office if name not in owners]
        lines.append(f"/{_escape(prefix + store.PROGRESS + '/' + unit.name + '.yaml')} {' '.join(owners)}")
    if problems:
        raise LedgerError("\n".join(problems))
    return "\n".join(lines) + "\n"


def _owner(name, problems, file, line):
    """A host owner as CODEOWNERS writes it: @user, @org/team, or an e-mail address."""
    name = name.strip()
    if not name or re.search(r"\s", name):
        where = f"{file}:{line}: " if line else "--office："
        problems.append(f"{where}审核人“{name}”不能为空或含空格；应为托管平台的用户名（如 zhang-san）或邮箱")
    return name if name.startswith("@") or "@" in name else f"@{name}"


def _escape(path):
    return re.sub(r"([\\ *?\[])", r"\\\1", path)


def write_codeowners(ledger, office, output=None):
    """Writes CODEOWNERS (default: at the repository's top) for ledger's units; returns what to tell the user."""
    broken = [str(problem) for problem in ledger.problems if problem.file == UNITS]
    if broken:
        raise LedgerError("单位名录有问题，没有生成 CODEOWNERS；请先改正（ledger validate）：\n" + "\n".join(broken))
    repo = git.Repo(ledger.root)
    path = Path(output) if output else repo.top() / "CODEOWNERS"
    text = codeowners(ledger.units, office, repo.prefix)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, text.encode())
    except OSError as error:
        raise LedgerError(f"{path}: 写入失败（{error.strerror}）") from None
    alone = sum(1 for unit in ledger.units if not unit.reviewers)
    note = f"；其中 {alone} 个单位没有登记审核人，只由办公室审核" if alone else ""
    return f"已写入{output or '仓库顶层的 CODEOWNERS'}：{len(ledger.units)} 个单位的日志由本单位审核人和办公室审核{note}"
