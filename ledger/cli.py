"""The `ledger` command line: options in, core calls, rendered output out."""

import datetime as dt
import io
import os
import re
import shutil
import sys
from typing import List, Optional

import typer

from ledger.shell import Group
from ledger.shell import complete_formats as _complete_formats
from ledger.shell import complete_lights as _complete_lights
from ledger.shell import complete_statuses as _complete_statuses
from ledger.shell import complete_tasks as _complete_tasks
from ledger.shell import complete_units as _complete_units
from ledger.vocab import ERROR, FORMATS_HELP, LIGHT_NAMES, STATUSES, LedgerError

app = typer.Typer(cls=Group, add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False, rich_markup_mode=None,
                  context_settings={"help_option_names": ["-h", "--help"], "terminal_width": 240, "max_content_width": 240},
                  help="工作台账：任务清单、进展日志、序时进度与红黄绿灯。")
ROOT = {"given": None}


def _format(value):
    from ledger.output.render import check_format  # noqa: PLC0415

    return check_format(value)


AsOf = typer.Option(None, "--as-of", metavar="日期", help="按哪一天计算（YYYY-MM-DD），默认今天")
# the output options every listing command shares: checked here, once, before the command runs
Format = typer.Option("table", "--format", "-f", metavar="格式", help=FORMATS_HELP, callback=_format,
                      autocompletion=_complete_formats)
UnitOption = typer.Option(None, "--unit", "-u", metavar="单位", help="单位全称或简称", autocompletion=_complete_units)
MACHINE = ("json", "csv")


def _version(shown):
    if shown:
        from ledger import __version__  # noqa: PLC0415
        print(f"ledger {__version__}")
        raise typer.Exit()


def _show_completion(shown):
    if shown:
        from ledger import shell  # noqa: PLC0415
        print(shell.completion())
        raise typer.Exit()


def _install_completion(asked):
    if asked:
        from ledger import shell  # noqa: PLC0415
        print(shell.completion(install=True))
        raise typer.Exit()


@app.callback()
def _options(root: Optional[str] = typer.Option(None, "--root", metavar="目录",
                                                help="台账目录（含 data/），也可用环境变量 LEDGER_ROOT；可写在命令名前后"),
             version: bool = typer.Option(False, "--version", "-V", is_eager=True, callback=_version, help="显示版本"),
             install_completion: bool = typer.Option(False, "--install-completion", is_eager=True,
                                                     callback=_install_completion,
                                                     help="为当前的 shell 安装命令补全（bash、zsh、fish；"
                                                          "环境变量 LEDGER_SHELL 可指明）"),
             show_completion: bool = typer.Option(False, "--show-completion", is_eager=True, callback=_show_completion,
                                                  help="显示当前 shell 的补全脚本，可复制或自行安装")):
    ROOT["given"] = root


def _date(text, option):
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError
        return dt.date.fromisoformat(text)
    except ValueError:
        raise LedgerError(f"{option} 的值“{text}”不是有效日期；应为 YYYY-MM-DD，例如 2023-06-30", usage=True) from None


def _today():
    """The clock's day: read here, and nowhere below the command line."""
    return dt.date.today()


def _as_of(text):
    return _date(text, "--as-of") if text else _today()


def _root():
    from ledger.files.store import find_root  # noqa: PLC0415

    return find_root(ROOT["given"] or os.environ.get("LEDGER_ROOT"))


def _load(units=None, clock=True):
    """The ledger (its journals limited to those of units, when given); a usage error when the task list cannot be
    read. clock: entries dated after today are refused (False: every valid entry stands, as the index holds it)."""
    from ledger.core.load import load  # noqa: PLC0415

    ledger = load(_root(), today=_today().isoformat() if clock else None, units=units)
    if ledger.plan is None:
        raise LedgerError("任务清单无法读取，无法继续：\n" + "\n".join(map(str, ledger.errors)))
    return ledger


NO_PLAN = "还没有导入计划：ledger import 计划文件（.txt、.html 或 .docx）；见 ledger import --help"


def _empty(ledger, fmt="table"):
    """True, having said how to begin, when the ledger has no tasks yet (a fresh `ledger init`) and the
    output is for people; machine formats get their empty document as usual."""
    if ledger.tasks or fmt in MACHINE:
        return False
    print(NO_PLAN)
    return True


def _one_table(fmt, command, what):
    """A usage error for csv where the output is not one table (json is one document for every command)."""
    if fmt == "csv":
        raise LedgerError(f"{command} 的输出是{what}，不是一张表，写不成一个 csv；供程序读取请用 --format json", usage=True)


def _narrowed(base, task_ids):
    """base with the journals of the units that report on these tasks read: all a listing of them needs."""
    from ledger.core.load import with_journals  # noqa: PLC0415

    return with_journals(base, base.units_of(task_ids), _today().isoformat())


def _screen():
    from ledger.output.render import Screen  # noqa: PLC0415

    if sys.stdout.isatty():
        return Screen(shutil.get_terminal_size().columns, True)
    return Screen(_piped_width(), False)


def _piped_width():
    """Columns for output into a pipe or file: COLUMNS if set, else the terminal the person sits at
    (`ledger status | less`), else 160."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns):
        return int(columns)
    for stream in (sys.stderr, sys.stdin):
        try:
            if stream.isatty():
                return os.get_terminal_size(stream.fileno()).columns
        except (OSError, ValueError, AttributeError):
            continue
    return 160


class PipeClosed(Exception):
    """The reader of stdout (head, a pager) has closed it: a normal end. Not an OSError, which typer would
    turn into exit code 1."""


def _out(text):
    try:
        sys.stdout.write(text)
    except BrokenPipeError:
        raise PipeClosed from None


def _warn(ledger, state=None, fmt=None):
    """After a listing, on stderr: the ledger's problems, counted (the listing showed the valid data); and,
    for machine formats, the line a listing for people says when the day is outside the plan period."""
    from ledger.output.views import period_note  # noqa: PLC0415

    note = period_note(ledger.plan, state) if state and fmt in MACHINE else None
    if note:
        print(note, file=sys.stderr)
    if ledger.errors:
        print(f"注意：台账中有 {len(ledger.errors)} 处问题，有问题的条目未计入；运行 ledger validate 查看。",
              file=sys.stderr)


def _unit(ledger, text):
    from ledger.core.rules import resolve_unit  # noqa: PLC0415

    return resolve_unit(ledger.units, text) if text else None


def _task(ledger, number):
    if number not in ledger.tasks:
        from ledger.core.rules import ranges  # noqa: PLC0415

        raise LedgerError(f"没有第 {number} 项任务；任务序号为 {ranges(ledger.tasks)}", usage=True)
    return number


@app.command()
def status(unit: Optional[str] = UnitOption,
           section: Optional[str] = typer.Option(None, "--section", "-s", metavar="部分", help="部分序号，如 3 或 三"),
           light: List[str] = typer.Option([], "--light", "-l", metavar="灯", autocompletion=_complete_lights,
                                           help=f"只看这些灯：{'、'.join(LIGHT_NAMES)}，或 逾期；可写多次或用逗号分隔"),
           since: Optional[str] = typer.Option(None, "--since", metavar="日期",
                                               help="只看这一天（YYYY-MM-DD）以来有新报送（按条目日期）的任务"),
           as_of: Optional[str] = AsOf, fmt: str = Format):
    """各项任务的状态、进度与序时进度、红黄绿灯。"""
    from ledger.core import queries, state  # noqa: PLC0415
    from ledger.output import views  # noqa: PLC0415

    lights = queries.check_lights(light)
    day = _as_of(as_of)
    start = _date(since, "--since").isoformat() if since else None
    if unit:
        base = _load(units=())
        name = _unit(base, unit)
        ledger = _narrowed(base, queries.tasks_of(base, name))
    else:
        ledger, name = _load(), None
    if _empty(ledger, fmt):
        return
    number = queries.resolve_section(ledger, section) if section else None
    now = state.state(ledger, day)
    ids = {e.task for e in queries.reported_between(ledger, start, day.isoformat())} if start else None
    _out(views.status(ledger.plan, now, queries.select(now, name, number, lights, ids), fmt, _screen(), name, start))
    _warn(ledger, now, fmt)


@app.command()
def show(task: int = typer.Argument(..., metavar="序号", help="任务序号", autocompletion=_complete_tasks),
         as_of: Optional[str] = AsOf, fmt: str = Format):
    """一项任务的卡片：全文、单位、指标及最新完成值、各单位全部进展记录（更正标明更正的是哪一条）。"""
    from ledger.core import queries, state  # noqa: PLC0415
    from ledger.output import views  # noqa: PLC0415

    _one_table(fmt, "show", "一张任务卡片加指标表和进展记录表")
    day = _as_of(as_of)
    base = _load(units=())
    ledger = _narrowed(base, [_task(base, task)])
    now = state.state(ledger, day)
    _out(views.task_card(ledger.plan, now, queries.task_card(ledger, now, task), fmt, _screen()))
    _warn(ledger, now, fmt)


@app.command()
def update(task: int = typer.Argument(..., metavar="序号", help="任务序号", autocompletion=_complete_tasks),
           note: Optional[str] = typer.Option(None, "--note", "-n", metavar="文字",
                                              help="进展：做了什么；在终端里不写则逐项询问"),
           status: Optional[str] = typer.Option(None, "--status", metavar="状态", autocompletion=_complete_statuses,
                                                help=f"状态：{'、'.join(STATUSES)}；不写则沿用上次的（进度 100 时为已完成）"),
           percent: Optional[str] = typer.Option(None, "--percent", "-p", metavar="进度",
                                                 help="进度百分比 0–100（50 或 50%）；不写则沿用上次的"),
           problem: Optional[str] = typer.Option(None, "--problem", metavar="文字", help="存在问题；写 \"\" 清除上次报的问题"),
           next_steps: Optional[str] = typer.Option(None, "--next", metavar="文字", help="下步计划；写 \"\" 清除上次报的计划"),
           metric: List[str] = typer.Option([], "--metric", "-m", metavar="指标=数值",
                                            help="指标完成值：名称（或序号、名称中唯一的一段）=数值，不带单位；可多次"),
           unit: Optional[str] = UnitOption,
           date: Optional[str] = typer.Option(None, "--date", metavar="日期",
                                              help="报送日期 YYYY-MM-DD，默认今天；可以补报以前的日期"),
           reporter: Optional[str] = typer.Option(None, "--reporter", metavar="姓名",
                                                  help="报送人；默认取环境变量 LEDGER_REPORTER，其次台账所在 git 仓库的 user.name"),
           corrects: Optional[str] = typer.Option(None, "--corrects", metavar="日期",
                                                  help="这条是更正：被更正条目的日期 YYYY-MM-DD"),
           resolves: List[str] = typer.Option([], "--resolves", metavar="问题编号",
                                              help="本任务的这个问题已解决（问题编号，如 P25-0821）；可多次"),
           force: bool = typer.Option(False, "--force", help="日志里已有同一天、同一任务、同样进展的条目时仍然追加"),
           commit: bool = typer.Option(False, "--commit", help="追加后用 git 只提交这一个日志，提交说明按统一格式")):
    """向本单位的进展日志追加一条经过校验的进展（只追加，不改动已有内容），并说明这项任务现在的灯。
    在终端里不写 --note 时，显示上一条进展并逐项询问。"""
    from ledger.core import update as updates  # noqa: PLC0415
    from ledger.output import issues as shown_issues  # noqa: PLC0415
    from ledger.output import views  # noqa: PLC0415

    ledger = _load(units=())  # the entry is checked in full; other files' problems are validate's business
    name = _unit(ledger, unit or os.environ.get("LEDGER_UNIT"))
    today = _today()
    day = _date(date, "--date") if date else today
    fields = {"status": status, "percent": percent, "progress": note, "problems": problem, "next": next_steps,
              "metric": metric, "reporter": reporter or os.environ.get("LEDGER_REPORTER") or _git_user(ledger.root),
              "corrects": _date(corrects, "--corrects").isoformat() if corrects else None, "resolves": resolves}
    if note is None:
        fields = _asked(ledger, task, name, day, fields)
    done = updates.record(ledger, task, name, day, fields, today, dated=bool(date), commit=commit, force=force)
    _out(views.appended(done))
    _out(shown_issues.steps_taken(done.issues))
    if done.commit_error:
        raise LedgerError(done.commit_error)


def _git_user(root):
    """git config user.name, when the ledger is in a git repository (its clerks commit to it); else None."""
    from ledger.files import git  # noqa: PLC0415

    try:
        inside = git.call(root, "rev-parse", "--is-inside-work-tree")[0] == 0
        code, out, _ = git.call(root, "config", "user.name") if inside else (1, b"", b"")
    except LedgerError:  # no git program
        return None
    name = out.decode("utf-8", "replace").strip() if code == 0 else ""
    return name or None


def _asked(ledger, task, unit, day, fields):
    """The fields of an update asked for one by one at a terminal; a usage error without one."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise LedgerError("用法错误：缺少选项 --note（进展：做了什么）；在终端里不写 --note 时逐项询问\n"
                          "运行 ledger update --help 查看用法。", usage=True)
    from ledger import ask  # noqa: PLC0415
    from ledger.core.update import only_responsible  # noqa: PLC0415

    unit = unit or only_responsible(ledger, ledger.tasks[_task(ledger, task)])  # said before asking, not after
    try:
        import readline  # noqa: F401, PLC0415 - line editing for input(), where the system has it
    except ImportError:  # pragma: no cover - Windows
        pass
    return ask.update_fields(_narrowed(ledger, [task]), task, unit, day, fields)


@app.command()
def overdue(as_of: Optional[str] = AsOf, fmt: str = Format,
            fail_on: List[str] = typer.Option([], "--fail-on", metavar="灯", autocompletion=_complete_lights,
                                              help="有这些灯（红、黄，或 逾期）的任务时退出码为 1，供脚本使用；可写多次或用逗号分隔")):
    """红灯、黄灯任务（按牵头单位分组），以及本周期未按时报送的单位。"""
    from ledger.core import queries, state  # noqa: PLC0415
    from ledger.output import views  # noqa: PLC0415

    _one_table(fmt, "overdue", "两张表（落后和逾期的任务、未按时报送的单位）")
    failing = queries.check_lights(fail_on, "--fail-on")
    ledger, day = _load(), _as_of(as_of)
    now = state.state(ledger, day)
    _out(views.overdue(ledger.plan, now, queries.lagging(ledger, now), queries.stale_units(now), fmt, _screen()))
    _warn(ledger, now, fmt)
    found = queries.select(now, lights=failing) if failing else ()
    if found:
        print(f"有 {len(found)} 项任务是 {'、'.join(failing)}（--fail-on），退出码 1", file=sys.stderr)
        raise typer.Exit(1)


@app.command()
def units(as_of: Optional[str] = AsOf, fmt: str = Format):
    """各单位：负责、参与的任务数，已完成、落后、逾期数，最近报送日期。"""
    from ledger.core import state  # noqa: PLC0415
    from ledger.output import views  # noqa: PLC0415

    ledger, day = _load(), _as_of(as_of)
    if _empty(ledger, fmt):
        return
    now = state.state(ledger, day)
    _out(views.unit_list(ledger.plan, now, fmt, _screen()))
    _warn(ledger, now, fmt)


OUTPUT_HELP = "写入这个文件（先写临时文件再原子替换；符号链接写到它指向的文件）；- 表示标准输出"


def _save(output, data):
    """Writes data to the file output names (stdout for -); an unwritable path is a usage error."""
    from pathlib import Path  # noqa: PLC0415

    from ledger.files.journal import write_out  # noqa: PLC0415
    from ledger.vocab import os_reason  # noqa: PLC0415

    if output == "-":
        _out_bytes(data)
        return
    try:
        write_out(Path(output), data)
    except BrokenPipeError:  # -o /dev/stdout into a pipe whose reader has what it wanted
        raise PipeClosed from None
    except OSError as error:
        import errno  # noqa: PLC0415

        why = "所在目录不存在" if error.errno == errno.ENOENT else os_reason(error)
        raise LedgerError(f"无法写入“{output}”：{why}；请换一个可写的文件路径", usage=True) from None


def _out_bytes(data):
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # a stream of text (tests capture stdout so)
        _out(data.decode("utf-8"))
        return
    try:
        sys.stdout.flush()
        buffer.write(data)
        buffer.flush()
    except BrokenPipeError:
        raise PipeClosed from None


def _report_format(fmt, output, formats):
    """The bulletin's format: --format, else the extension of -o, else markdown; a usage error when they disagree.
    formats: format -> its extensions."""
    suffix = os.path.splitext(output or "")[1].lower()
    by_suffix = next((name for name, suffixes in formats.items() if suffix in suffixes), None)
    if fmt and fmt not in formats:
        raise LedgerError(f"未知的通报格式“{fmt}”；可用：{'、'.join(formats)}", usage=True)
    if fmt and by_suffix and fmt != by_suffix:
        raise LedgerError(f"--format {fmt} 与 -o 的扩展名 {suffix}（{by_suffix}）不一致；请去掉 --format，"
                          f"或把文件名改为 {formats[fmt][0]} 结尾", usage=True)
    if not fmt and suffix and not by_suffix:
        known = "、".join(s for suffixes in formats.values() for s in suffixes)
        raise LedgerError(f"不认识 -o 的扩展名 {suffix}；请用 {known} 之一，或用 --format 指定格式", usage=True)
    fmt = fmt or by_suffix or "markdown"
    if fmt == "docx" and (not output or output == "-" and sys.stdout.isatty()):
        raise LedgerError("Word 通报（docx）要写入文件：请加 -o 调度通报.docx", usage=True)
    return fmt


@app.command()
def report(as_of: Optional[str] = AsOf,
           fmt: Optional[str] = typer.Option(None, "--format", "-f", metavar="格式", help="通报格式：markdown（默认）、html、text、"
                                             "docx（Word 公文样式）；默认按 -o 的扩展名"),
           output: Optional[str] = typer.Option(None, "--output", "-o", metavar="文件", help=OUTPUT_HELP + "；默认输出到屏幕"),
           since: Optional[str] = typer.Option(None, "--since", metavar="日期",
                                               help="“本期新报送”从哪一天算起（YYYY-MM-DD）；默认本报送周期的第一天")):
    """调度通报：总体情况，分部分、分牵头单位推进情况，落后和逾期任务，未按时报送的单位，数值指标，本期新报送。"""
    from ledger.core import bulletin, state  # noqa: PLC0415
    from ledger.output import report as writer  # noqa: PLC0415

    fmt = _report_format(fmt, output, writer.FORMATS)
    ledger, day = _load(), _as_of(as_of)
    if not ledger.tasks:
        raise LedgerError(NO_PLAN)
    start = _date(since, "--since").isoformat() if since else None
    content = bulletin.bulletin(ledger, state.state(ledger, day), start)
    if fmt == "docx":
        from ledger.output import word  # noqa: PLC0415

        data = word.document(content, ledger.plan)
    else:
        data = writer.write(content, fmt).encode("utf-8")
    if output:
        _save(output, data)
        if output != "-":
            print(f"已写入 {output}：截至 {day} 的调度通报（{fmt}）")
    else:
        _out(data.decode("utf-8"))
    _warn(ledger)


@app.command()
def export(output: str = typer.Option(..., "--output", "-o", help=OUTPUT_HELP),
           fmt: Optional[str] = typer.Option(None, "--format", "-f", help="xlsx、csv 或 json；默认按 -o 的扩展名"),
           as_of: Optional[str] = AsOf, unit: Optional[str] = UnitOption):
    """导出台账：xlsx（全部任务 + 按单位汇总）、csv（UTF-8 带 BOM）或 json，各格式内容相同。"""
    from ledger.core import state  # noqa: PLC0415
    from ledger.output import export as exporter  # noqa: PLC0415

    if output == "-" and not fmt:
        raise LedgerError(f"输出到标准输出（-o -）时请用 --format 指定格式：{'、'.join(exporter.FORMATS)}", usage=True)
    fmt = fmt or output.rsplit(".", 1)[-1].lower()
    if output == "-" and fmt == "xlsx" and sys.stdout.isatty():
        raise LedgerError("xlsx 是二进制文件，不能显示在终端上；请用 -o 文件名，或把标准输出重定向到文件", usage=True)
    if fmt not in exporter.FORMATS:
        raise LedgerError(f"未知的导出格式“{fmt}”；请用 --format 指定：{'、'.join(exporter.FORMATS)}", usage=True)
    ledger, day = _load(), _as_of(as_of)
    now = state.state(ledger, day)
    content = exporter.sheets(ledger, now, _unit(ledger, unit))
    _save(output, exporter.write(content, fmt))
    if output != "-":
        print(f"已写入 {output}：{len(content['tasks'])} 项任务，{len(content['units'])} 个单位（截至 {day}）")
    _warn(ledger, now, "json")


# --- 问题清单 and 考核 (issue 16) ---------------------------------------------------------------------------

@app.command()
def problems(open_only: bool = typer.Option(False, "--open", help="只看未解决的（待协调、协调中）"),
             unit: Optional[str] = UnitOption,
             task: Optional[int] = typer.Option(None, "--task", "-t", metavar="序号", help="任务序号",
                                                autocompletion=_complete_tasks),
             as_of: Optional[str] = AsOf, fmt: str = Format):
    """问题清单：各单位在进展里报的问题，编号、状态（待协调、协调中、已解决、已反馈）、协调单位、历时、办结时限；逾期的标出。"""
    from ledger.core import issues  # noqa: PLC0415
    from ledger.output import issues as shown  # noqa: PLC0415

    ledger, day = _load(), _as_of(as_of)
    if _empty(ledger, fmt):
        return
    if task is not None:
        _task(ledger, task)
    name = _unit(ledger, unit)
    found = issues.select(issues.register(ledger, day)[0], day, open_only, name, task)
    titles = {t.id: t.title for t in ledger.tasks.values()}
    _out(shown.problem_list(shown.rows(found, day, titles), day, fmt, _screen(), f"{name} · " if name else ""))
    _warn(ledger)


@app.command()
def problem(number: str = typer.Argument(..., metavar="编号", help="问题编号，如 P25-0821（见 ledger problems）"),
            assign: Optional[str] = typer.Option(None, "--assign", metavar="单位", autocompletion=_complete_units,
                                                 help="交办：协调单位（全称或简称），须同时写 --due"),
            due: Optional[str] = typer.Option(None, "--due", metavar="日期", help="交办的办结时限 YYYY-MM-DD"),
            close: bool = typer.Option(False, "--close", help="确认已解决，销号（已反馈）"),
            reopen: bool = typer.Option(False, "--reopen", help="重新打开已解决或已销号的问题"),
            note: Optional[str] = typer.Option(None, "--note", "-n", metavar="文字", help="办理说明（交办、销号、重新打开时必填）"),
            date: Optional[str] = typer.Option(None, "--date", metavar="日期", help="办理日期 YYYY-MM-DD，默认今天"),
            reporter: Optional[str] = typer.Option(None, "--reporter", metavar="姓名",
                                                   help="经办人；默认取环境变量 LEDGER_REPORTER"),
            as_of: Optional[str] = AsOf):
    """一个问题及其经过；办公室交办（--assign 单位 --due 日期）、销号（--close）或重新打开（--reopen），追加到 data/problems.yaml（只追加，不改动已有内容）。"""
    from ledger.core import issues, queries  # noqa: PLC0415
    from ledger.output import issues as shown  # noqa: PLC0415

    steps = [key for key, given in (("assign", assign), ("close", close), ("reopen", reopen)) if given]
    if len(steps) > 1:
        raise LedgerError("--assign、--close、--reopen 一次只能写一个", usage=True)
    if due and not assign:
        raise LedgerError("--due 只和 --assign 一起用：交办时写办结时限", usage=True)
    ledger = _load(units=())
    titles = {t.id: t.title for t in ledger.tasks.values()}
    if not steps:
        day = _as_of(as_of)
        found = queries.problem(ledger, number, day)[1]
        _out(shown.one(issues.record(found, day, titles), day))
        return
    if assign and not due:
        raise LedgerError("--assign 须同时写 --due：交办的办结时限 YYYY-MM-DD", usage=True)
    if not note:
        raise LedgerError("缺少 --note：请写明办理情况", usage=True)
    today = _today()
    day = _date(date, "--date") if date else today
    from ledger.core import office  # noqa: PLC0415 - the write path: pydantic, PyYAML

    unit = _unit(ledger, assign)
    acted = office.act(ledger, number, steps[0], unit, _date(due, "--due").isoformat() if due else None, note,
                       reporter or os.environ.get("LEDGER_REPORTER"), day, today, dated=bool(date))
    _out(shown.acted(acted, office.said(acted.action)))


@app.command()
def score(start: Optional[str] = typer.Option(None, "--from", metavar="日期", help="考核期第一天 YYYY-MM-DD，默认计划期开始"),
          end: Optional[str] = typer.Option(None, "--to", metavar="日期", help="考核期最后一天 YYYY-MM-DD，默认今天"),
          unit: Optional[str] = UnitOption, fmt: str = Format,
          output: Optional[str] = typer.Option(None, "--output", "-o", metavar="文件",
                                               help="写入文件：xlsx、csv 或 json（按扩展名）")):
    """考核：按进展日志和问题办理记录，给每个单位算报送及时率、序时达标率、完成率、指标达成率、问题解决率、加权总分和名次；--unit 逐条说明一个单位的得分。"""
    from ledger.core.score import assess  # noqa: PLC0415
    from ledger.output import score as shown  # noqa: PLC0415

    ledger = _load()
    if _empty(ledger, fmt):
        return
    first = _date(start, "--from") if start else dt.date.fromisoformat(ledger.plan.start)
    last = _date(end, "--to") if end else _today()
    if first > last:
        raise LedgerError(f"--from（{first}）晚于 --to（{last}）；考核期应从 --from 到 --to", usage=True)
    kind = output.rsplit(".", 1)[-1].lower() if output else None
    if output and kind not in shown.FORMATS:
        raise LedgerError(f"无法按扩展名判断“{output}”的格式；可用：{'、'.join(shown.FORMATS)}", usage=True)
    name = _unit(ledger, unit)
    found = assess(ledger, first, last)
    if output:
        _save(output, shown.write(found, kind))
        print(f"已写入 {output}：{len(found.units)} 个单位的考核（{first} 至 {last}）")
    elif name:
        _out(shown.explain(found, next(s for s in found.units if s.unit == name), fmt, _screen()))
    else:
        _out(shown.table(found, fmt, _screen()))
    _warn(ledger)


@app.command()
def form(output: str = typer.Option(..., "--output", "-o", help="写入这个 .xlsx 文件；--all 时为目录"),
         unit: Optional[str] = UnitOption,
         all_units: bool = typer.Option(False, "--all", help="为每个有任务的单位各生成一张，写入 -o 指定的目录"),
         as_of: Optional[str] = AsOf):
    """报送表（xlsx）：单位牵头、参与的每项任务一行，附上次报送的情况和要填的列；填好后用 ledger collect 收录。"""
    from pathlib import Path  # noqa: PLC0415

    from ledger.core import forms, state  # noqa: PLC0415
    from ledger.output import forms as sheets  # noqa: PLC0415

    if bool(unit) == all_units:
        raise LedgerError("请用 --unit 指定一个单位，或用 --all 为每个单位各生成一张报送表", usage=True)
    ledger, day = _load(), _as_of(as_of)
    now = state.state(ledger, day)
    names = [_unit(ledger, unit)] if unit else [u.name for u in ledger.units]
    made = {name: forms.form(ledger, now, name) for name in names}
    made = {name: sheet for name, sheet in made.items() if sheet.rows}
    if unit:
        if not made:
            raise LedgerError(f"{names[0]}没有牵头或参与的任务，没有报送表可生成", usage=True)
        _save(output, sheets.workbook(made[names[0]]))
        print(f"已写入 {output}：{names[0]}的报送表，{len(made[names[0]].rows)} 项任务（截至 {day}）")
    else:
        try:
            Path(output).mkdir(parents=True, exist_ok=True)
        except FileExistsError:
            raise LedgerError(f"“{output}”是一个文件；--all 的 -o 应是目录（每个单位一个文件）", usage=True) from None
        except OSError as error:
            raise LedgerError(f"无法建立目录“{output}”：{error.strerror}；请换一个目录", usage=True) from None
        for name, sheet in made.items():
            _save(Path(output) / f"{name}-{day}.xlsx", sheets.workbook(sheet))
        idle = [name for name in names if name not in made]
        print(f"已写入 {output}：{len(made)} 个单位的报送表（截至 {day}），文件名为 单位-{day}.xlsx"
              + (f"；没有任务的单位 {len(idle)} 个：{'、'.join(idle)}" if idle else ""))
    _warn(ledger)


@app.command()
def collect(files: List[str] = typer.Argument(..., metavar="FILE…", help="填好的报送表（.xlsx），可以多个"),
            unit: Optional[str] = typer.Option(None, "--unit", "-u", help="只收录这个单位的报送表（默认不限）"),
            partial: bool = typer.Option(False, "--partial", help="有问题的表也收录其中没有问题的行"),
            dry_run: bool = typer.Option(False, "--dry-run", help="只显示将追加的条目，不写入任何文件"),
            commit: bool = typer.Option(False, "--commit", help="每张表追加后用 git 只提交这个单位的日志")):
    """收录填好的报送表：每个填写的行校验后追加为一条进展（与 update 同样的规则）；已收录过的不重复追加。"""
    from ledger.core import collect as collecting  # noqa: PLC0415
    from ledger.output import forms as sheets  # noqa: PLC0415

    if dry_run and commit:
        raise LedgerError("--dry-run 不写入任何文件，不能和 --commit 一起用", usage=True)
    ledger, today = _load(units=()), _today()
    name = _unit(ledger, unit)  # not LEDGER_UNIT: the office that collects every unit's forms may report as a unit too
    read = [collecting.read(ledger, path, today, name) for path in files]
    done = collecting.collect(ledger, read, today, partial, dry_run, commit)
    _out(sheets.collected(done, ledger.tasks, dry_run))
    if any(result.sheet.problems or result.error for result in done):
        raise typer.Exit(1)


@app.command()
def validate(changed: Optional[str] = typer.Option(None, "--changed", metavar="REV",
                                                   help="只校验自版本 REV（如 HEAD、origin/main）以来改动过的日志，"
                                                        "并确认那时已有的条目没有被改动或删除；任务清单、单位名录"
                                                        "或配置改动过时校验全部"),
             staged: bool = typer.Option(False, "--staged", help="校验暂存区里（将要提交的）改动过的台账文件，"
                                                                 "并确认已提交的条目没有被改动或删除；供提交前钩子用")):
    """校验全部台账文件；没有问题时不输出、退出码 0，有问题时逐条列出“文件:行: 说明”、退出码 1。"""
    from ledger.output.render import lines  # noqa: PLC0415

    if changed and staged:
        raise LedgerError("--changed 和 --staged 只能选一个（--staged 比较的是暂存区和 HEAD）", usage=True)
    root, today = _root(), _today().isoformat()
    if changed or staged:
        from ledger.core.journals import validate_changes  # noqa: PLC0415

        problems = validate_changes(root, changed, today, staged=staged)
    else:
        from ledger.core.load import load  # noqa: PLC0415

        problems = load(root, today=today).problems
    _out(lines(problems))  # names and values in messages come from the files: made terminal-safe
    sys.stdout.flush()  # a git hook hands both streams to one pipe: the problems, then the count
    errors = sum(1 for problem in problems if problem.severity == ERROR)
    warnings = len(problems) - errors
    if errors:
        more = f"另有 {warnings} 处提醒。" if warnings else ""
        print(f"共 {errors} 处问题。{more}", file=sys.stderr)
        raise typer.Exit(1)
    if warnings:
        print(f"没有问题；有 {warnings} 处提醒。", file=sys.stderr)


@app.command("index")
def index_copy(output: str = typer.Option(..., "--output", "-o", metavar="文件", help="写到这个文件（SQLite 数据库）")):
    """把台账的派生索引复制一份（SQLite）：每条进展、每项任务逐日的状态；可用 sqlite3 或 datasette 查询，表和列见 README。"""
    from pathlib import Path  # noqa: PLC0415

    from ledger.vocab import os_reason  # noqa: PLC0415

    ledger = _load(clock=False)  # the index holds every valid entry; an entry dated after today is refused when read
    if ledger.index is None:
        raise LedgerError("这台机器上没有可写的缓存目录（$XDG_CACHE_HOME 或 ~/.cache），没有建立索引；"
                          "设置 XDG_CACHE_HOME 指向一个可写的目录后重试")
    try:
        entries, journals = ledger.index.copy_to(Path(output))
    except OSError as error:
        raise LedgerError(f"无法写入“{output}”：{os_reason(error)}；请换一个可写的文件路径", usage=True) from None
    print(f"已写入 {output}：{entries} 条进展、{journals} 个日志的索引（表 entries、timeline、journals、reports，见 README）")
    _warn(ledger)


@app.command()
def log(task: Optional[int] = typer.Argument(None, help="任务序号；不写则列出全部"), unit: Optional[str] = UnitOption,
        since: Optional[str] = typer.Option(None, "--since", help="只看这一天（YYYY-MM-DD）及以后提交的条目"),
        fmt: str = Format):
    """进展条目的历史：每条由哪个提交、哪位作者、在哪天写入（git 记录的）；尚未提交的也列出。"""
    from ledger.core import history  # noqa: PLC0415
    from ledger.files import git  # noqa: PLC0415
    from ledger.output import history as shown  # noqa: PLC0415

    day = _date(since, "--since").isoformat() if since else None
    ledger = _load()
    if task is not None:
        _task(ledger, task)
    name = _unit(ledger, unit)
    records = history.log_records(ledger, git.Repo(ledger.root), task, name, since=day)
    _out(shown.log(records, fmt, _screen(), task, name, day))
    _warn(ledger)


@app.command()
def review(rev: Optional[str] = typer.Argument(None, metavar="[REV]",
                                               help="与哪个版本比较；默认上游分支，没有上游时为上一个提交"),
           fmt: str = Format):
    """审核日志的改动：各单位新增的条目（全文），以及需要注意的：改动或删除已写入的条目（红）、
    报送不归本单位的任务、提交改动了日志以外的文件。有需要注意的改动时退出码 1（可用于 CI）。"""
    from ledger.core import history  # noqa: PLC0415
    from ledger.output import history as shown  # noqa: PLC0415

    found = history.review_since(_root(), rev, _today().isoformat())
    _out(shown.review(found, fmt, _screen()))
    if found.attention:
        raise typer.Exit(1)


@app.command()
def init(folder: str = typer.Argument(".", metavar="[DIR]", help="新台账仓库的目录，默认当前目录")):
    """新建台账仓库：data/（空的任务清单，等待导入）、单位名录、配置、日志目录，.gitattributes（日志按条目合并），
    .gitignore，git init（分支 main），并像 ledger setup 那样配置这个克隆。"""
    from ledger.core import repo  # noqa: PLC0415

    made = repo.init(folder, _today())
    print(f"已在 {folder} 新建台账：")
    for line in made:
        print(f"  {line}")
    print("下一步：用 ledger import 导入计划文件，在 data/units.yaml 登记单位和审核人，然后 git add -A && git commit")


# --- collaboration: the clone's setup, the merge driver, sync, the central repository ---

@app.command()
def setup():
    """配置这个克隆（克隆不带 .git/config）：日志按条目合并的合并驱动、提交前校验的钩子。可以重复运行。"""
    from ledger.core import repo  # noqa: PLC0415

    print("已配置这个克隆：")
    for _, line in repo.setup(_root()):
        print(f"  {line}")


@app.command("merge-journal")
def merge_journal(base: str = typer.Argument(..., help="共同祖先的版本（git 的 %O）"),
                  ours: str = typer.Argument(..., help="本分支的版本，合并结果写回这里（%A）"),
                  theirs: str = typer.Argument(..., help="对方分支的版本（%B）"),
                  marker: int = typer.Argument(7, help="冲突标记的长度（%L）"),
                  path: Optional[str] = typer.Argument(None, help="日志在仓库里的路径（%P），用于说明")):
    """git 的合并驱动（由 ledger setup 配置）：按条目合并进展日志，保留两边的全部条目；有一边改动或删除了
    已写入的条目时不合并，留下冲突、退出码 1。"""
    from pathlib import Path  # noqa: PLC0415

    from ledger.core import journals  # noqa: PLC0415
    from ledger.files.journal import atomic_write  # noqa: PLC0415

    data = [Path(name).read_bytes() for name in (base, ours, theirs)]
    merged, why = journals.merge(*data)
    atomic_write(Path(ours), merged if merged is not None else journals.conflicted(data[1], data[2], why, marker))
    if merged is None:
        raise LedgerError(f"{path or ours}：没有按条目合并：{why}。\n日志只能追加：已写入的条目不能改动或删除，更正请追加"
                          "一条新条目（ledger update --corrects）。文件里留下了两边的全文和冲突标记。要放弃：git merge "
                          "--abort（或 git rebase --abort、git revert --abort）；要手工解决：保留两边的条目、删掉标记行，"
                          "再运行 ledger validate。拿不准时请找办公室。")


@app.command()
def sync():
    """一步报送：提交 ledger update 写入的新条目，取回、按条目合并别人的进展，校验，推送；别人抢先推送时重试。
    合并不了时放弃合并，克隆恢复原样。"""
    from ledger.core import sync as syncing  # noqa: PLC0415

    syncing.sync(_root(), _today().isoformat(), lambda line: print(line, flush=True))


hub_app = typer.Typer(no_args_is_help=True, rich_markup_mode=None,
                      help="中央仓库：各单位推送到这里，pre-receive 钩子按台账的规则审查每一次推送。")
app.add_typer(hub_app, name="hub")


@hub_app.command("init")
def hub_init(folder: str = typer.Argument(..., metavar="DIR", help="中央仓库的目录：新目录，或已有的裸仓库"),
             office: List[str] = typer.Option(..., "--office", help="办公室的账号（托管平台或 gitolite 的用户名）；可多次")):
    """新建中央仓库（裸仓库，分支 main），或给已有的裸仓库装上审查推送的 pre-receive 钩子。"""
    from ledger.core import hub  # noqa: PLC0415

    said = hub.init(folder, office)
    print(f"中央仓库 {folder}：")
    for line in said:
        print(f"  {line}")


@hub_app.command("check")
def hub_check():
    """pre-receive 钩子调用：从标准输入读“旧 新 引用”，不合规则时拒绝整次推送（退出码 1），并说明哪一条、违反哪条规则。"""
    from pathlib import Path  # noqa: PLC0415

    from ledger.core import hub  # noqa: PLC0415

    updates = [tuple(line.split(" ", 2)) for line in sys.stdin.read().splitlines() if line.count(" ") >= 2]
    account, source = hub.pusher(os.environ)
    refused = hub.check(Path(os.environ.get("GIT_DIR", ".")), updates, account, _today().isoformat())
    if refused:
        raise LedgerError("\n".join([f"ledger：中央仓库拒绝了这次推送（账号 {account}，{source}）：",
                                      *(f"  {line}" for line in refused),
                                      "什么都没有写入中央仓库。改正后再推送；已写入的条目不能改动或删除，"
                                      "更正请用 ledger update --corrects 追加一条。"]))


@app.command()
def codeowners(office: List[str] = typer.Option(..., "--office", help="办公室的审核人（托管平台用户名）；可多次"),
               output: Optional[str] = typer.Option(None, "--output", "-o",
                                                    help="写到哪个文件；默认仓库顶层的 CODEOWNERS")):
    """按 data/units.yaml 的审核人生成 CODEOWNERS：每个单位的日志由本单位审核人和办公室审核，其他文件由办公室审核。"""
    from ledger.core import repo  # noqa: PLC0415
    from ledger.core.load import load  # noqa: PLC0415

    print(repo.write_codeowners(load(_root(), units=()), office, output))


@app.command("import")
def import_plan(document: str = typer.Argument(..., help="计划文件：.txt（UTF-8、GBK 均可）、.html（保存的网页）、.docx 或 "
                                                     ".xlsx（任务分解表）"),
                dry_run: bool = typer.Option(False, "--dry-run", help="只显示摘要，不写入任何文件"),
                keep_edits: bool = typer.Option(False, "--keep-edits", help="有冲突时保留任务清单里人工修改的值"),
                take_document: bool = typer.Option(False, "--take-document", help="有冲突时采用新文档的值"),
                year: Optional[int] = typer.Option(None, "--year", help="计划年度，代替从标题、文号、成文日期推断的年度"),
                units_from: Optional[str] = typer.Option(None, "--units-from",
                                                         help="新台账接过这个台账（目录）登记的单位、简称和审核人")):
    """从计划文件生成任务清单 data/tasks.yaml 并登记新单位；重新导入时保留人工修改。"""
    from ledger.core import importing  # noqa: PLC0415
    from ledger.output import importing as shown  # noqa: PLC0415
    from ledger.plans import merge  # noqa: PLC0415

    if keep_edits and take_document:
        raise LedgerError("--keep-edits 和 --take-document 只能选一个", usage=True)
    resolve = merge.KEEP if keep_edits else merge.DOCUMENT if take_document else None
    if year is not None and not 1900 <= year <= 2199:
        raise LedgerError(f"--year 应为四位的年份（如 2025），实际是 {year}", usage=True)
    root = importing.ledger_root(ROOT["given"] or os.environ.get("LEDGER_ROOT"))
    imported = importing.run(root, document, dry_run, resolve, year, units_from)
    _out(shown.summary(imported))
    sys.stdout.flush()
    if imported.merge.conflicts and not resolve:
        raise LedgerError(merge.conflict_message(imported.merge.conflicts))
    _out(shown.outcome(imported))


def _error(message):
    """Prints message to stderr, terminal-safe: messages quote what users typed and what files hold."""
    from ledger.output.render import clean  # noqa: PLC0415

    print(clean(message), file=sys.stderr)


# True while main runs a command: then Ctrl-C raises KeyboardInterrupt (writes clean up after themselves and
# main says one line); before and after, ledger.__main__'s handler ends the process with that line at once
RUNNING = [False]


def main():
    """Runs the app. Exit codes: 0 done (a closed pipe included), 1 problems found, 2 usage errors,
    3 an internal error, 130 interrupted (Ctrl-C)."""
    from ledger import shell  # noqa: PLC0415

    for info in app.registered_commands:  # every command's help in Chinese, whoever added it
        if info.cls in (None, shell.TyperCommand):
            info.cls = shell.Command
    if "_LEDGER_COMPLETE" in os.environ:  # the shell asks what to complete: typer's bash, zsh and fish answers
        from typer.completion import completion_init  # noqa: PLC0415

        completion_init()
    RUNNING[0] = True
    try:
        code = _run(shell.arguments(sys.argv[1:]))
    except KeyboardInterrupt:
        RUNNING[0] = False
        _error("已中断。")
        code = 130
    finally:
        RUNNING[0] = False
        if "ledger.files.index" in sys.modules:  # a command run in a process that goes on (tests, a shell) lets go
            sys.modules["ledger.files.index"].close_all()
    sys.exit(code or 0)


def _run(args):
    """The exit code of the command args name, every failure said in Chinese."""
    try:
        code = app(args=args, prog_name="ledger", standalone_mode=False)
        sys.stdout.flush()
        if code == 130:  # typer turns an interrupt in its own parsing into this code
            _error("已中断。")
    except LedgerError as error:
        _error(error)
        code = 2 if error.usage else 1
    except (BrokenPipeError, PipeClosed):  # the reader (head, a pager) has what it wanted: a normal end
        _quiet_stdout()
        code = 0
    except Exception as error:  # noqa: BLE001 - click's usage errors, and the last line against tracebacks
        code = _usage_or_internal(error)
    return code


def _quiet_stdout():
    """Points stdout at the null device, so that Python's last flush does not fail on the closed pipe."""
    import contextlib  # noqa: PLC0415

    with contextlib.suppress(OSError, ValueError, AttributeError, io.UnsupportedOperation):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _usage_or_internal(error):
    """The exit code for an exception no command handled: click's usage errors are said in Chinese (2)."""
    from typer._click.exceptions import NoArgsIsHelpError  # noqa: PLC0415

    from ledger import shell  # noqa: PLC0415

    if isinstance(error, NoArgsIsHelpError):  # `ledger` alone: its help, as `ledger --help` shows it
        _out(error.ctx.get_help() + "\n")
        return 0
    if hasattr(error, "format_message") and hasattr(error, "exit_code"):
        names = {c.name or c.callback.__name__ for c in app.registered_commands} | {"import"}
        command = next((f"{arg} " for arg in sys.argv[1:] if arg in names), "")
        _error(f"用法错误：{shell.usage_message(error.format_message())}\n运行 ledger {command}--help 查看用法。")
        return error.exit_code
    if os.environ.get("LEDGER_DEBUG"):
        raise error
    _error(f"ledger 内部错误（{type(error).__name__}: {error}）；请把这条信息和所用命令报告给维护者。")
    return 3
