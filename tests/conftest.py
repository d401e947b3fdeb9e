"""Shared helpers: run the real CLI entry point, and build small ledgers on disk."""

import contextlib
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import pytest

REPO = Path(__file__).resolve().parents[1]
SOURCE = REPO / "data" / "source" / "guanxian-2023-key-tasks.txt"  # a copy of ../shared/source


@pytest.fixture(autouse=True)
def cache_home(tmp_path_factory, monkeypatch):
    """Each test's own user cache folder (ledger keeps its cache there, outside the ledger): the cache one
    test fills is never another's, and nothing is left in the home of whoever runs the tests."""
    folder = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    return folder


class Result(NamedTuple):
    code: int
    out: str
    err: str


def run(*args, root=None, env=None):
    """Runs `ledger ARGS` in this process through ledger.cli.main, as the console script does."""
    from ledger.cli import main

    argv = ["ledger"] + (["--root", str(root)] if root else []) + [str(a) for a in args]
    out, err = io.StringIO(), io.StringIO()
    saved_env = dict(os.environ)
    saved_argv = sys.argv
    os.environ.pop("LEDGER_ROOT", None)
    os.environ.pop("LEDGER_UNIT", None)
    os.environ.pop("LEDGER_REPORTER", None)
    os.environ.update(env or {})
    sys.argv = argv
    code = 0
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            main()
    except SystemExit as exit_:
        code = exit_.code or 0
    finally:
        sys.argv = saved_argv
        os.environ.clear()
        os.environ.update(saved_env)
    return Result(code, out.getvalue(), err.getvalue())


def run_process(*args, root=None, env=None, cwd=None, timeout=60):
    """Runs `python -m ledger ARGS` as a separate process."""
    argv = [sys.executable, "-m", "ledger"] + (["--root", str(root)] if root else []) + [str(a) for a in args]
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("LEDGER_")}
    full_env.update(env or {})
    done = subprocess.run(argv, capture_output=True, text=True, env=full_env, cwd=cwd, timeout=timeout)
    return Result(done.returncode, done.stdout, done.stderr)


def write(path, text):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def real(tmp_path):
    """A copy of the shipped ledger (tasks, units, config) with empty journals."""
    for name in ("tasks.yaml", "units.yaml", "config.yaml"):
        shutil.copy(REPO / "data" / name, write(tmp_path / "data" / name, ""))
    (tmp_path / "data" / "progress").mkdir()
    return tmp_path


SMALL_TASKS = """\
plan:
  title: 测试计划
  issuer: 测试办公室
  number: 测政办字〔2023〕1号
  date: 2023-01-01
  start: 2023-01-01
  end: 2023-12-31
sections:
- id: 1
  numeral: 一
  title: 第一部分
- id: 2
  numeral: 二
  title: 第二部分
tasks:
- id: 1
  section: 1
  title: 造林
  text: 造林。全县完成造林1300亩。(牵头单位:县林业局)
  lead_units:
  - 县林业局
  targets:
  - name: 完成造林
    value: 1300
    measure: 亩
    comparator: at_least
    kind: amount
    source: 全县完成造林1300亩。
  due: 2023-12-31
- id: 2
  section: 1
  title: 修路
  text: 修路。(牵头单位:县交通运输局,参与单位:县林业局)
  lead_units:
  - 县交通运输局
  support_units:
  - 县林业局
  due: 2023-12-31
- id: 3
  section: 2
  title: 上半年完成的任务
  text: 上半年完成的任务。6月底前完成。(牵头单位:县水利局)
  lead_units:
  - 县水利局
  due: 2023-06-30
- id: 4
  section: 2
  title: 共同牵头
  text: 共同牵头。(牵头单位:县水利局、县林业局)
  lead_units:
  - 县水利局
  - 县林业局
  due: 2023-12-31
- id: 5
  section: 2
  title: 统筹
  text: 统筹。
  lead_units: []
  coordination: true
  due: 2023-12-31
"""

SMALL_UNITS = """\
units:
- name: 县林业局
  aliases: [林业局]
- name: 县交通运输局
  aliases: [交通局]
- name: 县水利局
  aliases: [水利局]
"""


@pytest.fixture
def small(tmp_path):
    """A five-task ledger with three units, written in the test, empty journals."""
    write(tmp_path / "data" / "tasks.yaml", SMALL_TASKS)
    write(tmp_path / "data" / "units.yaml", SMALL_UNITS)
    (tmp_path / "data" / "progress").mkdir()
    return tmp_path


PACES_JOURNALS = {
    "县林业局": """\
- date: 2023-07-03
  task: 1
  status: 推进中
  percent: 49.5
  progress: 完成造林600亩
  problems: 苗木不足
  next: 8月补植
  actuals:
    完成造林: 600
    完成森林抚育: 7
""",
    "县交通运输局": """\
- date: 2023-07-20
  task: 6
  status: 已完成
  percent: 100
  progress: 大桥通车
- date: 2023-08-01
  task: 2
  status: 推进中
  percent: 70
  progress: 路面完成七成
  actuals:
    路网密度增长: 6
    新增占地: 65
""",
    "县水利局": """\
- date: 2023-06-20
  task: 3
  status: 推进中
  percent: 95
  progress: 主体完工
- date: 2023-07-01
  task: 4
  status: 受阻
  percent: 55
  progress: 共同推进
  problems: 资金未到位
""",
}


@pytest.fixture
def paces(small):
    """The small ledger with targets of every kind, a sixth (done) task and journals that put, as of
    2023-08-07 (序时进度 60%), every pace on some task: 6 done, 2 on pace, 1 and 4 behind, 3 overdue, 5 unreported."""
    import yaml

    plan = yaml.safe_load(SMALL_TASKS)
    tasks = {task["id"]: task for task in plan["tasks"]}
    tasks[1]["targets"].append({"name": "完成森林抚育", "value": 10, "measure": "万亩", "comparator": "at_least",
                                "kind": "amount", "source": "完成森林抚育10万亩。"})
    tasks[2]["targets"] = [
        {"name": "路网密度增长", "value": 8, "measure": "%", "comparator": "at_least", "kind": "growth",
         "source": "路网密度增长8%以上。"},
        {"name": "新增占地", "value": 100, "measure": "亩", "comparator": "at_most", "kind": "amount",
         "source": "新增占地控制在100亩以内。"}]
    plan["tasks"].append({"id": 6, "section": 1, "title": "建桥", "text": "建桥。建成大桥2座。(牵头单位:县交通运输局)",
                          "lead_units": ["县交通运输局"], "due": "2023-12-31",
                          "targets": [{"name": "建成大桥", "value": 2, "measure": "座", "comparator": "at_least",
                                       "kind": "amount", "source": "建成大桥2座。"}]})
    write(small / "data" / "tasks.yaml", yaml.safe_dump(plan, allow_unicode=True, sort_keys=False))
    for unit, text in PACES_JOURNALS.items():
        write(small / "data" / "progress" / f"{unit}.yaml", text)
    return small
