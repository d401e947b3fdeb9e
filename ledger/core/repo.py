"""The files that make a folder a ledger repository (`ledger init`), what a clone needs to merge and commit
journals safely (`ledger setup`), and a host's CODEOWNERS (`ledger codeowners`)."""

import re
import shlex
import sys
from pathlib import Path, PurePosixPath

from ledger.files import git, store
from ledger.files.journal import atomic_write
from ledger.files.store import ACTIONS, CONFIG, DATA, PROGRESS, TASKS, UNITS
from ledger.vocab import LedgerError, os_reason

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
# 考核（ledger score）的权重和扣分，算法见 README“考核怎样计算”：
weight_reporting: 20    # 报送及时率的权重
weight_pace: 30         # 序时达标率的权重
weight_completion: 20   # 完成率的权重
weight_targets: 15      # 指标达成率的权重
weight_problems: 15     # 问题解决率的权重
deduct_red: 1           # 每个红灯（每项任务、每个周期末）扣几分
deduct_late: 0.5        # 每次未按时报送（每项任务、每个周期）扣几分
deduct_overdue: 2       # 考核期末每个逾期未解决的问题扣几分
"""

DRIVER = "ledger-journal"  # the merge driver's name in .gitattributes and in each clone's git config
GITATTRIBUTES = [
    "# 进展日志只追加：git 合并日志时按条目合并（ledger merge-journal），保留双方的全部条目；有人改动或删除了已写入的",
    "# 条目时报冲突。每个克隆运行一次 ledger setup 配置这个合并驱动；没有配置的克隆、托管平台网页上的合并按钮，",
    "# 遇到两边都追加了的日志时报冲突，不会悄悄丢掉条目。eol=lf：日志在仓库里一律是 LF 换行。",
    f"{PROGRESS}/*.yaml merge={DRIVER} text eol=lf",
    "# 办公室的问题办理记录（ledger problem）同样只追加，同样按条目合并。",
    f"{ACTIONS} merge={DRIVER} text eol=lf",
]
GITIGNORE = [f"{PROGRESS}/.*.lock", f"{DATA}/.{PurePosixPath(ACTIONS).name}.lock"]


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
    made = [f"{TASKS}（空的计划，等待导入）", UNITS, CONFIG, f"{PROGRESS}/", ".gitattributes（日志按条目合并，LF 换行）",
            ".gitignore"]
    if git.call(folder, "rev-parse", "--is-inside-work-tree")[0] == 0:
        made.append("（已在 git 仓库里，没有另建仓库）")
    else:
        # git init -b needs git 2.28; naming the unborn branch works with any git
        for args in (("init", "-q"), ("symbolic-ref", "HEAD", "refs/heads/main")):
            code, _, err = git.call(folder, *args)
            if code:
                raise LedgerError(f"git {args[0]} 失败：{err.decode('utf-8', 'replace').strip()}")
        made.append("git 仓库（git init，分支 main）")
    setup(folder)
    made.append("本克隆的合并驱动和提交前钩子（ledger setup）")
    return made


def _add_lines(path, lines):
    """Appends the lines path lacks, keeping every byte already there."""
    old = path.read_bytes() if path.exists() else b""
    have = set(old.decode("utf-8", "replace").splitlines())
    missing = [line for line in lines if line not in have]
    if missing:
        prefix = old if not old or old.endswith(b"\n") else old + b"\n"
        atomic_write(path, prefix + "".join(f"{line}\n" for line in missing).encode())


# --- ledger setup ---

HOOK_MARK = "# ledger setup 安装的钩子"


def command(*args):
    """A shell command running this ledger, whichever folder git runs it in: the Python that runs ledger
    now, isolated (-I), so that a ledger/ folder in a clone is never imported in its place."""
    return " ".join(shlex.quote(part) for part in (sys.executable, "-I", "-m", "ledger", *args))


def setup(root):
    """Configures the clone the ledger at root is in: the entry-level merge driver, the journals' merge
    attribute if the repository lacks it, the pre-commit hook. Idempotent; returns (changed, what it says)
    for each part."""
    repo = git.Repo(root)
    driver = command("merge-journal", "%O", "%A", "%B", "%L", "%P")
    done = []
    for key, value in ((f"merge.{DRIVER}.name", "ledger：按条目合并进展日志"), (f"merge.{DRIVER}.driver", driver)):
        if repo.call("config", "--local", "--get", key)[1].decode().strip() != value:
            repo.run("config", "--local", key, value)
            done.append(key)
    said = [(bool(done), f"合并驱动 {DRIVER}：" + (f"已配置（git config {'、'.join(done)}）" if done else "已配置过，没有改动"))]
    if repo.run("check-attr", "-z", "merge", "--", f"{PROGRESS}/x.yaml").split(b"\0")[2:3] != [DRIVER.encode()]:
        attributes = _git_path(repo, "info/attributes")
        attributes.parent.mkdir(parents=True, exist_ok=True)
        _add_lines(attributes, [f"/{repo.in_repo(PROGRESS)}/*.yaml merge={DRIVER} text eol=lf"])
        said.append((True, "仓库的 .gitattributes 没有让日志按条目合并：已写进本克隆的 .git/info/attributes；"
                           "请办公室把 ledger init 写的那几行加进仓库的 .gitattributes"))
    said.append(_hook(repo, "pre-commit", ["validate", "--staged"],
                      "提交前校验要提交的台账文件（暂存区），已写入的条目被改动或删除时拒绝提交"))
    if not repo.succeeds("var", "GIT_AUTHOR_IDENT"):
        said.append((False, "git 还不知道提交人是谁：请设置 git config user.name 和 git config user.email"
                            "（提交、ledger sync 都要用）"))
    return said


def _git_path(repo, name):
    return repo.root / repo.run("rev-parse", "--git-path", name).decode().strip()


def _hook(repo, name, args, purpose):
    """Installs the hook name running `ledger args` (from the ledger's root); (changed, what it says)."""
    path = _git_path(repo, f"hooks/{name}")
    root = ["--root", repo.prefix.rstrip("/")] if repo.prefix else []
    text = f"#!/bin/sh\n{HOOK_MARK}：{purpose}。\n# 重新运行 ledger setup 会更新它。\nexec {command(*root, *args)}\n"
    old = path.read_text(encoding="utf-8", errors="replace") if path.exists() else None
    if old == text:
        return False, f"{name} 钩子：已安装过，没有改动"
    if old is not None and HOOK_MARK not in old:
        return False, f"已有别的 {name} 钩子（{path}），没有改动；要用 ledger 的校验，请在其中加一行：{command(*root, *args)}"
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, text.encode())
    path.chmod(0o755)
    return True, f"{name} 钩子：已安装（ledger {' '.join(args)}）"


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
        raise LedgerError(f"{path}: 写入失败（{os_reason(error)}）") from None
    alone = sum(1 for unit in ledger.units if not unit.reviewers)
    note = f"；其中 {alone} 个单位没有登记审核人，只由办公室审核" if alone else ""
    return f"已写入{output or '仓库顶层的 CODEOWNERS'}：{len(ledger.units)} 个单位的日志由本单位审核人和办公室审核{note}"
