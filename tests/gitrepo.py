"""Real git repositories for the tests: an isolated git configuration, a small ledger committed by the office,
a bare "central" repository and clones of it for the units."""

import os
import shutil
import subprocess

import pytest

from conftest import SMALL_TASKS, SMALL_UNITS, run, write

J = "data/progress/县林业局.yaml"  # 县林业局's journal
T = "data/progress/县交通运输局.yaml"  # 县交通运输局's journal


@pytest.fixture(autouse=True)
def isolated_git(tmp_path, monkeypatch):
    """No system git configuration, a user configuration that only names the first branch main, no identity unless a test gives one, no repository above tmp_path."""
    if shutil.which("git") is None:
        pytest.skip("git 未安装：这些测试在真实的 git 仓库里运行（.ci/run 会安装 git）")
    home = tmp_path / "home"
    home.mkdir()
    (home / ".gitconfig").write_text("[init]\n\tdefaultBranch = main\n", encoding="utf-8")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    for name in ("GIT_CONFIG_GLOBAL", "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_AUTHOR_NAME",
                 "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "GIT_AUTHOR_DATE",
                 "GIT_COMMITTER_DATE", "EMAIL"):
        monkeypatch.delenv(name, raising=False)


def at(moment):
    """Environment that dates a commit: author and committer date, e.g. '2023-03-01T09:00:00+08:00'."""
    return {"GIT_AUTHOR_DATE": moment, "GIT_COMMITTER_DATE": moment}


def git(cwd, *args, env=None, ok=True):
    """git's standard output; asserts success unless ok is False (then returns the finished process)."""
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, env={**os.environ, **(env or {})})
    if not ok:
        return done
    assert done.returncode == 0, done.stderr
    return done.stdout


def identity(clone, name, email):
    git(clone, "config", "user.name", name)
    git(clone, "config", "user.email", email)


def office_repo(path):
    """A ledger made by `ledger init` with the small plan, committed by the office; returns path."""
    assert run("init", path).code == 0
    write(path / "data" / "tasks.yaml", SMALL_TASKS)
    write(path / "data" / "units.yaml", SMALL_UNITS)
    identity(path, "办公室", "office@example.org")
    git(path, "add", "-A")
    git(path, "commit", "-qm", "台账：任务清单和单位名录", env=at("2023-02-01T09:00:00+08:00"))
    return path


def central(tmp_path):
    """A bare central repository holding the office's ledger on main; returns its path."""
    bare = tmp_path / "central.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(bare))
    office = office_repo(tmp_path / "office")
    git(office, "remote", "add", "origin", str(bare))
    git(office, "push", "-q", "-u", "origin", "main")
    return bare


def clone(bare, path, name, email, setup=True):
    """A unit's clone of bare, with its git identity and, as the README says, `ledger setup` run in it."""
    git(path.parent, "clone", "-q", str(bare), str(path))
    identity(path, name, email)
    if setup:
        assert run("setup", root=path).code == 0
    return path


LI = ("li", "林业局李四", "lisi@forest.example")
ZHAO = ("zhao", "林业局赵六", "zhaoliu@forest.example")
WANG = ("roads", "交通局王五", "wangwu@roads.example")


def clones(tmp_path, *people):
    """A central repository (see central) and a clone of it for each (folder, name, email)."""
    bare = central(tmp_path)
    return [clone(bare, tmp_path / folder, name, email) for folder, name, email in people]


def update(root, *args, moment="2023-03-01T09:00:00+08:00", env=None):
    """`ledger update ARGS` in root, git dates fixed to moment."""
    return run("update", *args, root=root, env={**at(moment), **(env or {})})


def head(root):
    return git(root, "rev-parse", "HEAD").strip()
