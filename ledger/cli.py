"""The `ledger` command line: options in, core calls, rendered output out."""

import datetime as dt
import os
import re
import sys
from typing import List, Optional

import typer

from ledger.vocab import FORMATS_HELP, LIGHTS, STATUSES, LedgerError

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  rich_markup_mode=None, help="工作台账：任务清单、进展日志、序时进度与红黄绿灯。")
ROOT = {"given": None}


def _format(value):
    from ledger.render import check_format  # noqa: PLC0415

    return check_format(value)


AsOf = typer.Option(None, "--as-of", help="按哪一天计算（YYYY-MM-DD），默认今天")
# the output options every listing command shares: checked here, once, before the command runs
Format = typer.Option("table", "--format", "-f", help=FORMATS_HELP, callback=_format)
UnitOption = typer.Option(None, "--unit", "-u", help="单位全称或简称")


@app.callback()
def _options(root: Optional[str] = typer.Option(None, "--root", help="台账目录（含 data/），也可用环境变量 LEDGER_ROOT"),
             version: bool = typer.Option(False, "--version", help="显示版本")):
    ROOT["given"] = root
    if version:
        from ledger import __version__  # noqa: PLC0415
        print(f"ledger {__version__}")
        raise typer.Exit()


def _date(text, option):
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError
        return dt.date.fromisoformat(text)
    except ValueError:
        raise LedgerError(f"{option} 的值“{text}”不是有效日期；应为 YYYY-MM-DD，例如 2023-06-30", code=2) from None


def _as_of(text):
    return _date(text, "--as-of") if text else dt.date.today()


def _load():
    """The ledger's task list, units and config; journals are read as a command goes through them."""
    from ledger import store  # noqa: PLC0415

    ledger = store.Ledger(store.find_root(ROOT["given"]))
    if ledger.plan is None:
        raise LedgerError("任务清单无法读取，无法继续：\n" + "\n".join(map(str, ledger.problems)))
    return ledger


def _warn(ledger):
    """After a listing: the ledger's problems, counted, on stderr (the listing showed the valid data)."""
    from ledger import check  # noqa: PLC0415

    problems = check.check(ledger, dt.date.today().isoformat())
    if problems:
        print(f"注意：台账中有 {len(problems)} 处问题，有问题的条目未计入；运行 ledger validate 查看。", file=sys.stderr)


def _unit(ledger, text):
    from ledger.check import resolve_unit  # noqa: PLC0415

    return resolve_unit(ledger.units, text) if text else None


def _section(ledger, text):
    for section in ledger.sections:
        if text in (str(section["id"]), section["numeral"]):
            return section["id"]
    choices = "、".join(f"{s['id']}（{s['numeral']}）" for s in ledger.sections)
    raise LedgerError(f"没有第“{text}”部分；可用：{choices}", code=2)


@app.command()
def status(unit: Optional[str] = UnitOption,
           section: Optional[str] = typer.Option(None, "--section", "-s", help="部分序号，如 3 或 三"),
           light: Optional[str] = typer.Option(None, "--light", "-l", help="只看某种灯：红、黄、绿、未报送"),
           as_of: Optional[str] = AsOf, fmt: str = Format):
    """各项任务的状态、进度与序时进度、红黄绿灯。"""
    from ledger import state, views  # noqa: PLC0415

    if light and light not in LIGHTS:
        raise LedgerError(f"未知的灯“{light}”；应为 {'、'.join(LIGHTS)} 之一", code=2)
    ledger, day = _load(), _as_of(as_of)
    name = _unit(ledger, unit)
    number = _section(ledger, section) if section else None
    if name:
        ledger.narrow(ledger.units_of(t["id"] for t in ledger.tasks.values()
                                      if name in t["lead_units"] or name in t.get("support_units", [])))
    states = [s for s in state.task_states(ledger, day)
              if (not name or name in s["lead_units"] or name in s["support_units"])
              and (number is None or s["section"] == number) and (not light or s["light"] == light)]
    views.status(states, day, fmt, name)
    _warn(ledger)


@app.command()
def show(task: int = typer.Argument(..., help="任务序号"), as_of: Optional[str] = AsOf, fmt: str = Format):
    """一项任务的卡片：全文、单位、指标及最新完成值、各单位全部进展记录。"""
    from ledger import views  # noqa: PLC0415

    ledger, day = _load(), _as_of(as_of)
    if task not in ledger.tasks:
        raise LedgerError(f"没有第 {task} 项任务；任务序号为 1–{max(ledger.tasks, default=0)}", code=2)
    ledger.narrow(ledger.units_of([task]))
    views.task_card(ledger, task, day, fmt)
    _warn(ledger)


@app.command()
def update(task: int = typer.Argument(..., help="任务序号"),
           note: str = typer.Option(..., "--note", "-n", help="进展：做了什么"),
           status: Optional[str] = typer.Option(None, "--status", help=f"状态：{'、'.join(STATUSES)}；默认推进中"
                                                "（进度 100 时默认已完成）"),
           percent: Optional[float] = typer.Option(None, "--percent", "-p", help="进度百分比 0–100"),
           problem: Optional[str] = typer.Option(None, "--problem", help="存在问题"),
           next_steps: Optional[str] = typer.Option(None, "--next", help="下步计划"),
           metric: List[str] = typer.Option([], "--metric", "-m", help="指标完成值：名称=数值（名称也可写指标序号）；可多次"),
           unit: Optional[str] = UnitOption,
           date: Optional[str] = typer.Option(None, "--date", help="报送日期 YYYY-MM-DD，默认今天"),
           reporter: Optional[str] = typer.Option(None, "--reporter", help="报送人；默认取环境变量 LEDGER_REPORTER"),
           corrects: Optional[str] = typer.Option(None, "--corrects", help="这条是更正：被更正条目的日期 YYYY-MM-DD"),
           commit: bool = typer.Option(False, "--commit", help="追加后用 git 只提交这一个日志，提交说明按统一格式")):
    """向本单位的进展日志追加一条经过校验的进展（只追加，不改动已有内容）。"""
    from ledger import updates  # noqa: PLC0415

    ledger = _load()  # the entry is checked in full; other files' problems are validate's business
    name = _unit(ledger, unit or os.environ.get("LEDGER_UNIT"))
    day = _date(date, "--date") if date else dt.date.today()
    fields = {"status": status, "percent": percent, "progress": note, "problems": problem, "next": next_steps,
              "metric": metric, "reporter": reporter or os.environ.get("LEDGER_REPORTER"),
              "corrects": _date(corrects, "--corrects").isoformat() if corrects else None}
    updates.record(ledger, task, name, day, fields, commit=commit)


@app.command()
def overdue(as_of: Optional[str] = AsOf, fmt: str = Format):
    """红灯、黄灯任务（按牵头单位分组），以及本周期未按时报送的单位。"""
    from ledger import state, views  # noqa: PLC0415

    ledger, day = _load(), _as_of(as_of)
    views.overdue(ledger, state.task_states(ledger, day), day, fmt)
    _warn(ledger)


@app.command()
def units(as_of: Optional[str] = AsOf, fmt: str = Format):
    """各单位：牵头、参与的任务数，已完成、落后、逾期数，最近报送日期。"""
    from ledger import state, views  # noqa: PLC0415

    ledger, day = _load(), _as_of(as_of)
    views.unit_list(state.unit_states(ledger, state.task_states(ledger, day), day), fmt)
    _warn(ledger)


OUTPUT_HELP = "写入这个文件（先写临时文件再原子替换）"


def _save(output, data):
    """Writes data to the file output names, atomically; an unwritable path is a usage error."""
    from pathlib import Path  # noqa: PLC0415

    from ledger.store import _atomic_write  # noqa: PLC0415

    try:
        _atomic_write(Path(output), data)
    except OSError as error:
        import errno  # noqa: PLC0415

        why = {errno.ENOENT: "所在目录不存在", errno.EACCES: "没有写入权限", errno.EPERM: "没有写入权限",
               errno.EISDIR: "这是一个目录"}.get(error.errno, error.strerror or str(error))
        raise LedgerError(f"无法写入“{output}”：{why}；请换一个可写的文件路径", code=2) from None


@app.command()
def report(as_of: Optional[str] = AsOf,
           fmt: str = typer.Option("markdown", "--format", "-f", help="通报格式：markdown（默认）、html、text"),
           output: Optional[str] = typer.Option(None, "--output", "-o", help=OUTPUT_HELP + "；默认输出到屏幕")):
    """调度通报：总体情况，分部分、分牵头单位推进情况，落后和逾期任务，未按时报送的单位，数值指标。"""
    from ledger import bulletin, report as writer  # noqa: PLC0415

    if fmt not in writer.FORMATS:
        raise LedgerError(f"未知的通报格式“{fmt}”；可用：{'、'.join(writer.FORMATS)}", code=2)
    ledger, day = _load(), _as_of(as_of)
    text = writer.write(bulletin.bulletin(ledger, day), fmt)
    if output:
        _save(output, text.encode("utf-8"))
        print(f"已写入 {output}：截至 {day} 的调度通报（{fmt}）")
    else:
        sys.stdout.write(text)
    _warn(ledger)


@app.command()
def export(output: str = typer.Option(..., "--output", "-o", help=OUTPUT_HELP),
           fmt: Optional[str] = typer.Option(None, "--format", "-f", help="xlsx、csv 或 json；默认按 -o 的扩展名"),
           as_of: Optional[str] = AsOf, unit: Optional[str] = UnitOption):
    """导出台账：xlsx（全部任务 + 按单位汇总）、csv（UTF-8 带 BOM）或 json，各格式内容相同。"""
    from ledger import export as exporter  # noqa: PLC0415

    fmt = fmt or output.rsplit(".", 1)[-1].lower()
    if fmt not in exporter.FORMATS:
        raise LedgerError(f"未知的导出格式“{fmt}”；请用 --format 指定：{'、'.join(exporter.FORMATS)}", code=2)
    ledger, day = _load(), _as_of(as_of)
    content = exporter.sheets(ledger, day, _unit(ledger, unit))
    _save(output, exporter.write(content, fmt))
    print(f"已写入 {output}：{len(content['tasks'])} 项任务，{len(content['units'])} 个单位（截至 {day}）")
    _warn(ledger)


@app.command()
def validate(changed: Optional[str] = typer.Option(None, "--changed", metavar="REV",
                                                   help="只校验自版本 REV（如 HEAD、origin/main）以来改动过的日志；"
                                                        "任务清单、单位名录或配置改动过时校验全部")):
    """校验全部台账文件；没有问题时不输出、退出码 0，有问题时逐条列出“文件:行: 说明”、退出码 1。"""
    from ledger import check, store  # noqa: PLC0415
    from ledger.render import lines  # noqa: PLC0415

    root = store.find_root(ROOT["given"])
    journals = None
    if changed:
        from ledger import gitlog  # noqa: PLC0415

        journals = gitlog.journals_to_validate(root, changed)
    ledger = store.Ledger(root, journals=journals)
    problems = check.check(ledger, dt.date.today().isoformat())
    lines(problems)  # names and values in messages come from the files: made terminal-safe
    if problems:
        print(f"共 {len(problems)} 处问题。", file=sys.stderr)
        raise typer.Exit(1)


@app.command()
def log(task: Optional[int] = typer.Argument(None, help="任务序号；不写则列出全部"), unit: Optional[str] = UnitOption,
        since: Optional[str] = typer.Option(None, "--since", help="只看这一天（YYYY-MM-DD）及以后提交的条目"),
        fmt: str = Format):
    """进展条目的历史：每条由哪个提交、哪位作者、在哪天写入（git 记录的）；尚未提交的也列出。"""
    from ledger import gitlog, history  # noqa: PLC0415

    day = _date(since, "--since").isoformat() if since else None
    ledger = _load()
    if task is not None and task not in ledger.tasks:
        raise LedgerError(f"没有第 {task} 项任务；任务序号为 1–{max(ledger.tasks, default=0)}", code=2)
    name = _unit(ledger, unit)
    records = history.log_records(ledger, gitlog.Repo(ledger.root), task, name, since=day)
    history.show_log(records, fmt, task, name, day)
    _warn(ledger)


@app.command()
def review(rev: Optional[str] = typer.Argument(None, metavar="[REV]",
                                               help="与哪个版本比较；默认上游分支，没有上游时为上一个提交"),
           fmt: str = Format):
    """审核日志的改动：各单位新增的条目（全文），以及需要注意的：改动或删除已写入的条目（红）、
    报送不归本单位的任务、提交改动了日志以外的文件。有需要注意的改动时退出码 1（可用于 CI）。"""
    from ledger import history, store  # noqa: PLC0415

    found = history.review_since(store.find_root(ROOT["given"]), rev, dt.date.today().isoformat())
    history.show_review(found, fmt)
    if found.attention:
        raise typer.Exit(1)


@app.command()
def init(folder: str = typer.Argument(".", metavar="[DIR]", help="新台账仓库的目录，默认当前目录")):
    """新建台账仓库：data/（空的任务清单，等待导入）、单位名录、配置、日志目录，.gitattributes（日志用 union 合并），
    .gitignore，并 git init。"""
    from ledger import repofiles  # noqa: PLC0415

    made = repofiles.init(folder, dt.date.today())
    print(f"已在 {folder} 新建台账：")
    for line in made:
        print(f"  {line}")
    print("下一步：用 ledger import 导入计划文件，在 data/units.yaml 登记单位和审核人，然后 git add -A && git commit")


@app.command()
def codeowners(office: List[str] = typer.Option(..., "--office", help="办公室的审核人（托管平台用户名）；可多次"),
               output: Optional[str] = typer.Option(None, "--output", "-o",
                                                    help="写到哪个文件；默认仓库顶层的 CODEOWNERS")):
    """按 data/units.yaml 的审核人生成 CODEOWNERS：每个单位的日志由本单位审核人和办公室审核，其他文件由办公室审核。"""
    from ledger import repofiles, store  # noqa: PLC0415

    print(repofiles.write_codeowners(store.Ledger(store.find_root(ROOT["given"]), journals=[]), office, output))


@app.command("import")
def import_plan(document: str = typer.Argument(..., help="计划文件：.txt（UTF-8、GBK 均可）、.html（保存的网页）或 .docx"),
                dry_run: bool = typer.Option(False, "--dry-run", help="只显示摘要，不写入任何文件"),
                keep_edits: bool = typer.Option(False, "--keep-edits", help="有冲突时保留任务清单里人工修改的值"),
                take_document: bool = typer.Option(False, "--take-document", help="有冲突时采用新文档的值")):
    """从计划文件生成任务清单 data/tasks.yaml 并登记新单位；重新导入时保留人工修改。"""
    from ledger import handedits  # noqa: PLC0415

    if keep_edits and take_document:
        raise LedgerError("--keep-edits 和 --take-document 只能选一个", code=2)
    resolve = handedits.KEEP if keep_edits else handedits.DOCUMENT if take_document else None
    handedits.run(handedits.ledger_root(ROOT["given"]), document, dry_run, resolve)


USAGE_WORDS = ((r"No such option: (\S+)", r"没有这个选项：\1"),
               (r"Missing option '(.+?)'(?: / '.+?')*\.?", r"缺少选项 \1"),
               (r"Missing argument '(.+?)'", r"缺少参数 \1"),
               (r"Invalid value for '(.+?)': '(.*?)' is not a valid (integer|float).*", r"\1 的值“\2”不是有效的数字"),
               (r"Got unexpected extra arguments? \((.*)\)", r"多余的参数：\1"),
               (r"Option '(.+?)' requires an argument.", r"选项 \1 需要一个值"),
               (r"No such command '(.+?)'.", r"没有这个命令：\1"))


def _usage_message(message):
    for pattern, chinese in USAGE_WORDS:
        message = re.sub(pattern, chinese, message)
    return message


def _error(message):
    """Prints message to stderr, terminal-safe: messages quote what users typed and what files hold."""
    from ledger.render import clean  # noqa: PLC0415

    print(clean(message), file=sys.stderr)


def main():
    """Runs the app: Chinese messages and exit codes 0 fine, 1 problems found, 2 usage errors."""
    try:
        code = app(standalone_mode=False)
    except LedgerError as error:
        _error(error)
        code = error.code
    except KeyboardInterrupt:
        code = 130
    except Exception as error:  # noqa: BLE001 - click's usage errors, and the last line against tracebacks
        if hasattr(error, "format_message") and hasattr(error, "exit_code"):
            names = {c.name or c.callback.__name__ for c in app.registered_commands}
            command = next((f"{arg} " for arg in sys.argv[1:] if arg in names), "")
            _error(f"用法错误：{_usage_message(error.format_message())}\n运行 ledger {command}--help 查看用法。")
            code = error.exit_code
        else:
            if os.environ.get("LEDGER_DEBUG"):
                raise
            _error(f"ledger 内部错误（{type(error).__name__}: {error}）；请把这条信息和所用命令报告给维护者。")
            code = 3
    sys.exit(code or 0)
