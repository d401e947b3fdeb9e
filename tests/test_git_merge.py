"""Departments in clones of a central repository: pushes, pulls and merges lose no entry, and git says who wrote what."""

import json

from conftest import run
from gitrepo import LI, ZHAO, J, at, central, clone, clones, git, head, update
from gitrepo import isolated_git  # noqa: F401 - the autouse fixture


def log_json(root, *args):
    result = run("log", *args, "--format", "json", root=root)
    assert result.code == 0, result.err
    return json.loads(result.out)


def briefly(records):
    return [(r["unit"], r["task"], r["date"], r["author"], r["email"], r["committed"]) for r in records]


def test_two_units_in_two_clones_push_pull_and_git_names_each_author(tmp_path):
    bare = central(tmp_path)
    forest = clone(bare, tmp_path / "forest", "林业局李四", "lisi@forest.example")
    roads = tmp_path / "roads"
    git(tmp_path, "clone", "-q", str(bare), str(roads))
    # the roads bureau's identity comes from the environment, not from git config
    roads_env = {"GIT_AUTHOR_NAME": "交通局王五", "GIT_AUTHOR_EMAIL": "wangwu@roads.example",
                 "GIT_COMMITTER_NAME": "交通局王五", "GIT_COMMITTER_EMAIL": "wangwu@roads.example"}

    assert update(forest, 1, "--date", "2023-03-01", "-p", 20, "-n", "春季造林", "--commit",
                  moment="2023-03-01T10:00:00+08:00").code == 0
    git(forest, "push", "-q")
    assert update(roads, 2, "--date", "2023-03-02", "-p", 10, "-n", "路基开工", "--commit",
                  moment="2023-03-02T11:00:00+08:00", env=roads_env).code == 0
    git(roads, "pull", "-q", "--rebase", env=roads_env)
    git(roads, "push", "-q", env=roads_env)
    git(forest, "pull", "-q", "--rebase")
    assert head(forest) == head(roads)

    records = log_json(forest)
    assert briefly(records) == [
        ("县林业局", 1, "2023-03-01", "林业局李四", "lisi@forest.example", "2023-03-01T10:00:00+08:00"),
        ("县交通运输局", 2, "2023-03-02", "交通局王五", "wangwu@roads.example", "2023-03-02T11:00:00+08:00")]
    assert [r["commit"] for r in records] == git(forest, "log", "--format=%H", "-2", "--reverse").split()
    assert records[0]["file"] == J and records[0]["line"] == 2 and records[0]["changed_later"] == []
    assert run("validate", root=forest) == (0, "", "")


def test_two_branches_append_to_one_journal_and_merge_without_conflict(tmp_path):
    li, zhao = clones(tmp_path, LI, ZHAO)
    assert update(li, 1, "--date", "2023-03-01", "-p", 10, "-n", "李四：育苗", "--commit").code == 0
    git(li, "push", "-q")
    git(zhao, "pull", "-q", "--rebase")
    # both append to the same journal on their own branches
    git(li, "switch", "-q", "-c", "li")
    assert update(li, 1, "--date", "2023-03-05", "-p", 20, "-n", "李四：造林 300 亩", "--commit",
                  moment="2023-03-05T09:00:00+08:00").code == 0
    git(li, "push", "-q", "origin", "li")
    git(zhao, "switch", "-q", "-c", "zhao")
    assert update(zhao, 2, "--date", "2023-03-04", "-n", "赵六：配合修路", "-u", "林业局", "--commit",
                  moment="2023-03-04T09:00:00+08:00").code == 0
    git(zhao, "push", "-q", "origin", "zhao")

    # the office merges both branches into main, locally, where .gitattributes names the entry-level driver
    office = tmp_path / "office"
    git(office, "fetch", "-q")
    assert git(office, "check-attr", "-z", "merge", "--", J) == f"{J}\0merge\0ledger-journal\0"
    git(office, "merge", "-q", "--no-edit", "origin/zhao", env=at("2023-03-06T09:00:00+08:00"))
    merged = git(office, "merge", "--no-edit", "origin/li", env=at("2023-03-06T09:05:00+08:00"), ok=False)
    assert merged.returncode == 0, merged.stdout + merged.stderr
    assert "CONFLICT" not in merged.stdout

    text = (office / J).read_text(encoding="utf-8")
    assert [line for line in text.splitlines() if "progress:" in line] == [
        "  progress: 李四：育苗", "  progress: 赵六：配合修路", "  progress: 李四：造林 300 亩"]
    assert run("validate", root=office) == (0, "", "")
    assert [(r["progress"], r["author"]) for r in log_json(office)] == [
        ("李四：育苗", "林业局李四"), ("赵六：配合修路", "林业局赵六"), ("李四：造林 300 亩", "林业局李四")]
    # reviewed against the first parent, the merge added 李四's entry and touched nothing already there
    result = run("review", "HEAD~1", "--format", "json", root=office)
    assert result.code == 0, result.out
    review = json.loads(result.out)
    assert [(e["progress"], e["author"]) for e in review["entries"]] == [("李四：造林 300 亩", "林业局李四")]
    assert review["attention"] == []


def test_without_the_merge_attribute_the_same_merge_conflicts_and_validate_says_so(tmp_path):
    bare = central(tmp_path)
    office = tmp_path / "office"
    git(office, "rm", "-q", ".gitattributes")
    git(office, "commit", "-qm", "不按条目合并")
    git(office, "push", "-q")
    li = clone(bare, tmp_path / "li", "林业局李四", "lisi@forest.example")
    assert update(li, 1, "--date", "2023-03-01", "-n", "李四：育苗", "--commit").code == 0
    git(li, "push", "-q")
    git(office, "pull", "-q", "--rebase")
    git(li, "switch", "-q", "-c", "li")
    assert update(li, 1, "--date", "2023-03-05", "-n", "李四：造林", "--commit").code == 0
    git(office, "switch", "-q", "-c", "other")
    assert update(office, 2, "--date", "2023-03-04", "-u", "林业局", "-n", "办公室代报", "--commit").code == 0
    git(li, "push", "-q", "origin", "li")
    git(office, "fetch", "-q")
    assert git(office, "merge", "--no-edit", "origin/li", ok=False).returncode == 1
    assert run("validate", root=office) == (1, f"{J}:6: 文件里留有 git 合并冲突标记（<<<<<<< / ======= / >>>>>>>）；"
                                               "请解决冲突、保留双方的条目并删除标记行\n", "共 1 处问题。\n")


def test_a_merge_keeps_the_merging_side_first_and_the_dates_still_count_in_order(tmp_path):
    # with `git pull` (a merge), the local entry stays before the pulled one: out of date order, and valid
    li, zhao = clones(tmp_path, LI, ZHAO)
    assert update(li, 1, "--date", "2023-03-01", "-n", "李四：早", "--commit").code == 0
    git(li, "push", "-q")
    assert update(zhao, 1, "--date", "2023-03-02", "-n", "赵六：晚", "--commit").code == 0
    merged = git(zhao, "pull", "--no-rebase", "--no-edit", ok=False)
    assert merged.returncode == 0, merged.stderr
    texts = [line for line in (zhao / J).read_text(encoding="utf-8").splitlines() if "progress" in line]
    assert texts == ["  progress: 赵六：晚", "  progress: 李四：早"]
    assert run("validate", root=zhao) == (0, "", "")
    card = json.loads(run("show", 1, "--as-of", "2023-03-31", "-f", "json", root=zhao).out)
    assert (card["state"]["progress"], card["state"]["last_report"]) == ("赵六：晚", "2023-03-02")
    # with --rebase the local entry goes after the pulled one: the same state
    git(zhao, "reset", "-q", "--hard", "HEAD^1")
    git(zhao, "pull", "-q", "--rebase")
    texts = [line for line in (zhao / J).read_text(encoding="utf-8").splitlines() if "progress" in line]
    assert texts == ["  progress: 李四：早", "  progress: 赵六：晚"]
    assert run("validate", root=zhao) == (0, "", "")
