"""The command line's own words and manners, beside cli.py: help and usage errors in Chinese over typer's
English, --root accepted after the command, shell completion of task numbers, units and choices."""

import re

from typer.core import TyperCommand, TyperGroup  # noqa: F401 - cli.py asks which commands are typer's own

# typer's vendored click has no translations: its help text is rewritten, phrase by phrase
HELP_WORDS = (
    (r"(?m)^Usage: ", "用法："), (r"\[OPTIONS\]", "[选项]"), (r"COMMAND \[ARGS\]\.\.\.", "命令 [参数]..."),
    (r"(?m)^Options:$", "选项："), (r"(?m)^Arguments:$", "参数："), (r"(?m)^Commands:$", "命令："),
    (r"Show this message and exit\.", "显示这段帮助并退出"),
    (r"(?m)^(用法：ledger \S+ .*?)\{(\S+?)\}", r"\1\2"),  # a required argument: 序号, not {序号}
    (r"\[default: (.*?)\]", r"[默认：\1]"), (r"\[required\]", "[必填]"),
    (r"<str>|<text>|TEXT", "文字"), (r"<int>|INTEGER", "整数"), (r"<float>|FLOAT", "数值"),
)
# click's usage errors, as the person at the keyboard should read them
USAGE_WORDS = (
    (r"No such option: (\S+?)\.?(?: Did you mean (\S+?)\?)?(?: \(Possible options: (.*)\))?$",
     lambda m: f"没有这个选项：{m[1]}" + (f"；是不是 {m[2]}？" if m[2] else "")
     + (f"；可能是：{m[3]}" if m[3] else "")),
    (r"Missing option '(.+?)'(?: / '.+?')*\.?", r"缺少选项 \1"),
    (r"Missing argument '(.+?)'\.?", r"缺少参数 \1"),
    (r"Missing command\.?", "缺少命令"),
    (r"Invalid value for '(.+?)': '(.*?)' is not a valid (?:integer|int)\.?", r"\1 的值“\2”不是整数"),
    (r"Invalid value for '(.+?)': '(.*?)' is not a valid float\.?", r"\1 的值“\2”不是数值"),
    (r"Invalid value for '(.+?)': '(.*?)' is not one of (.*?)\.?$", r"\1 的值“\2”不在可选范围内：\3"),
    (r"Invalid value for '(.+?)': (.*)", r"\1 的值不对：\2"),
    (r"Got unexpected extra argument(?:\(s\)|s)? \((.*)\)", r"多余的参数：\1"),
    (r"Option '(.+?)' requires an argument\.?", r"选项 \1 需要一个值"),
    (r"Option '(.+?)' does not take a value\.?", r"选项 \1 不带值"),
    (r"No such command '(.+?)'\.?(?: Did you mean (.*)\?)?", lambda m: f"没有这个命令：{m[1]}"
     + (f"；是不是 {m[2]}？" if m[2] else "")),
)
# the names typer gives arguments in usage lines, as the help shows them
ARGUMENT_NAMES = {"task": "序号", "rev": "版本", "folder": "目录", "document": "计划文件"}


def chinese(text, words=HELP_WORDS):
    for pattern, replacement in words:
        text = re.sub(pattern, replacement, text)
    return text


def usage_message(message):
    """click's usage error message in Chinese."""
    for name, chinese_name in ARGUMENT_NAMES.items():
        message = message.replace(f"'{name}'", f"'{chinese_name}'")
    return chinese(message, USAGE_WORDS).replace("'", "")


def help_text(text):
    """typer's help text in Chinese, the columns aligned by display width (a Chinese character takes two)."""
    from rich.cells import cell_len  # noqa: PLC0415

    lines = chinese(text).split("\n")
    rows = [re.fullmatch(r"(  \S.*?)(\s{2,})(\S.*)", line) for line in lines]
    width = max((cell_len(row[1]) for row in rows if row), default=0)
    return "\n".join(f"{row[1]}{' ' * (width - cell_len(row[1]) + 2)}{row[3]}" if row else line
                     for line, row in zip(lines, rows))


class Command(TyperCommand):
    """A command whose help is in Chinese."""

    def get_help(self, ctx):
        return help_text(super().get_help(ctx))

    def get_usage(self, ctx):
        return chinese(super().get_usage(ctx))


class Group(TyperGroup):
    """The ledger command itself, its help in Chinese, its commands in the order they were written."""

    def get_help(self, ctx):
        return help_text(super().get_help(ctx))

    def get_usage(self, ctx):
        return chinese(super().get_usage(ctx))


# options of the ledger command itself that a user may also write after the command's name
GLOBAL_OPTIONS = ("--root",)


def arguments(args):
    """args with --root moved before the command when written after it (`ledger status --root DIR`)."""
    args, moved, index = list(args), [], 0
    while index < len(args):
        arg = args[index]
        if arg == "--":
            break
        if index and arg in GLOBAL_OPTIONS and index + 1 < len(args):
            moved += args[index:index + 2]
            del args[index:index + 2]
            continue
        if index and arg.split("=", 1)[0] in GLOBAL_OPTIONS and "=" in arg:
            moved.append(args.pop(index))
            continue
        index += 1
    return moved + args


# --- shell completion: typer's --install-completion script asks these for the values of options ---------------

def _ledger(ctx):
    """The ledger the command line would read (no journals), or None: completion never fails aloud."""
    import os  # noqa: PLC0415

    from ledger.core.load import load  # noqa: PLC0415
    from ledger.files.store import find_root  # noqa: PLC0415

    given = ctx.find_root().params.get("root") if ctx else None
    try:
        return load(find_root(given or os.environ.get("LEDGER_ROOT")), units=())
    except Exception:  # noqa: BLE001 - no ledger here: nothing to offer
        return None


def complete_tasks(ctx, incomplete: str):
    ledger = _ledger(ctx)
    tasks = ledger.tasks.values() if ledger and ledger.plan else ()
    return [(str(task.id), task.title) for task in tasks if str(task.id).startswith(incomplete)]


def complete_units(ctx, incomplete: str):
    ledger = _ledger(ctx)
    names = [name for unit in (ledger.units if ledger else ()) for name in (unit.name, *unit.aliases)]
    return [name for name in names if name.startswith(incomplete)]


def _choices(*values):
    def complete(incomplete: str):
        return [value for value in values if value.startswith(incomplete)]
    return complete


complete_statuses = _choices("未启动", "推进中", "已完成", "受阻")
complete_lights = _choices("红", "黄", "绿", "进度未填", "未报送", "逾期")
complete_formats = _choices("table", "csv", "json", "markdown", "plain", "simple", "grid", "github", "html")
complete_report_formats = _choices("markdown", "html", "text")
complete_export_formats = _choices("xlsx", "csv", "json")


COMPLETION_SHELLS = ("bash", "zsh", "fish")


def completion(install=False):
    """The completion script for the shell in use (LEDGER_SHELL, else the one running ledger); or, install,
    the script installed in that shell's start-up files and where, in words. A usage error for another shell."""
    import os  # noqa: PLC0415

    from typer import _completion_shared as shared  # noqa: PLC0415 - typer's scripts, pinned with typer

    from ledger.vocab import LedgerError  # noqa: PLC0415

    shell = os.environ.get("LEDGER_SHELL") or shared._get_shell_name()
    if shell not in COMPLETION_SHELLS:
        raise LedgerError(f"命令补全支持 bash、zsh、fish，当前的 shell 是“{shell or '未能识别'}”；"
                          "可用环境变量 LEDGER_SHELL 指明，例如 LEDGER_SHELL=bash ledger --install-completion", usage=True)
    if not install:
        return shared.get_completion_script(prog_name="ledger", complete_var="_LEDGER_COMPLETE", shell=shell)
    shell, path = shared.install(shell=shell, prog_name="ledger", complete_var="_LEDGER_COMPLETE")
    return f"已为 {shell} 安装命令补全：{path}；重新打开终端（或 source 这个文件）后生效"
