"""Journals merge entry by entry (`ledger merge-journal`, the git merge driver `ledger setup` configures):
every entry of both sides is kept, an entry both added once; a side that edited or removed an entry already
written makes a conflict, never a silent loss; without the driver git conflicts instead of guessing."""

import json
import random
import subprocess
from collections import Counter

import pytest

from conftest import SMALL_TASKS, SMALL_UNITS, run, write
from gitrepo import LI, ZHAO, J, clone, central, clones, git, head, update
from gitrepo import isolated_git  # noqa: F401 - the autouse fixture
from ledger import load_string
from ledger.core.journals import merge

HEADER = "# 县林业局工作进展日志。只在末尾追加新条目；已写入的条目不要修改，更正请追加一条新条目并说明。\n"


def entry(day, note, reporter="张三", percent=None):
    return (f"- date: {day}\n  task: 1\n" + (f"  percent: {percent}\n" if percent is not None else "")
            + f"  progress: {note}\n  reporter: {reporter}\n")


def notes(text):
    ledger = load_string(SMALL_TASKS, SMALL_UNITS, journals={"县林业局": text})
    assert ledger.problems == ()
    return [e.progress for e in ledger.entries]


def progress_lines(root):
    return [line[len("  progress: "):] for line in (root / J).read_text(encoding="utf-8").splitlines()
            if line.startswith("  progress: ")]


def test_both_sides_entries_are_kept_ours_first_one_both_added_once():
    base = HEADER + entry("2023-03-01", "旧")
    ours = base + entry("2023-03-05", "同一天") + entry("2023-03-05", "两边都有")
    theirs = base + entry("2023-03-05", "两边都有") + entry("2023-02-20", "补报二月")
    merged, why = merge(base.encode(), ours.encode(), theirs.encode())
    assert why is None
    assert merged.decode() == ours + entry("2023-02-20", "补报二月")
    assert notes(merged.decode()) == ["旧", "同一天", "两边都有", "补报二月"]


def test_two_entries_ending_with_the_same_line_are_both_kept(tmp_path):
    # what merge=union fused into one entry: the same date and the same last line on both sides
    base = HEADER
    ours, theirs = base + entry("2023-03-05", "李四报"), base + entry("2023-03-05", "赵六报")
    merged, why = merge(base.encode(), ours.encode(), theirs.encode())
    assert why is None and notes(merged.decode()) == ["李四报", "赵六报"]
    # union, for the record: the shared lines are written once and the two entries become one broken entry
    files = [write(tmp_path / name, text) for name, text in (("ours", ours), ("base", base), ("theirs", theirs))]
    union = subprocess.run(["git", "merge-file", "-p", "--union", *map(str, files)], capture_output=True, text=True)
    fused = load_string(SMALL_TASKS, SMALL_UNITS, journals={"县林业局": union.stdout})
    assert len(fused.entries) == 0 and "重复" in fused.problems[0].message


def test_line_ends_and_bom_of_ours_are_kept_and_comments_travel_with_their_entry():
    base = HEADER + entry("2023-03-01", "旧")
    ours = ("\ufeff" + base + entry("2023-03-02", "我们")).replace("\n", "\r\n")
    theirs = base + "# 四月的报送\n" + entry("2023-04-01", "他们")
    merged, why = merge(base.encode(), ours.encode(), theirs.encode())
    assert why is None
    assert merged == ours.encode() + ("# 四月的报送\n" + entry("2023-04-01", "他们")).replace("\n", "\r\n").encode()


def test_a_header_changed_on_one_side_is_kept_and_on_both_sides_conflicts():
    base = HEADER + entry("2023-03-01", "旧")
    ours = base + entry("2023-03-02", "我们")
    theirs = "# 新的说明\n" + entry("2023-03-01", "旧") + entry("2023-03-03", "他们")
    merged, why = merge(base.encode(), ours.encode(), theirs.encode())
    assert merged.decode() == "# 新的说明\n" + entry("2023-03-01", "旧") + entry("2023-03-02", "我们") + entry(
        "2023-03-03", "他们")
    merged, why = merge(base.encode(), ("# 另一个说明\n" + ours[len(HEADER):]).encode(), theirs.encode())
    assert (merged, why) == (None, "两边都改动了日志开头的说明，而且改得不一样")


@pytest.mark.parametrize("side, edit, why", [
    ("ours", lambda t: t.replace("progress: 旧\n", "progress: 改过\n"),
     "本分支的版本里，已写入的条目被修改（原第 2 行起）：改前“progress: 旧”，改后“progress: 改过”；"
     "日志只能追加，更正请追加一条新条目（update --corrects）"),
    ("theirs", lambda t: t.replace(entry("2023-03-01", "旧"), ""),
     "对方分支的版本里，已写入的条目被删除（原第 2 行起）：“- date: 2023-03-01 / task: 1 / progress: 旧 / "
     "reporter: 张三”；日志只能追加，不能删除条目"),
    ("theirs", lambda t: t.replace("- date", "<<<<<<< HEAD\n- date", 1),
     "对方分支的日志无法按 YAML 读取（也许留有冲突标记或写错了缩进），无法按条目合并"),
    ("ours", lambda t: t.encode("gbk").decode("latin-1"),
     "本分支的日志文件不是 UTF-8 编码，看起来是 GBK/GB18030 编码；请用 UTF-8 重新保存（第 1 行起无法解码），无法按条目合并"),
])
def test_a_side_that_changed_a_written_entry_is_not_merged(side, edit, why):
    base = HEADER + entry("2023-03-01", "旧") + entry("2023-03-01", "旧二")
    ours, theirs = base + entry("2023-03-02", "我们"), base + entry("2023-03-03", "他们")
    if side == "ours":
        ours = edit(ours)
    else:
        theirs = edit(theirs)
    encode = (lambda t: t.encode("latin-1")) if "GBK" in why else str.encode
    assert merge(base.encode(), encode(ours), theirs.encode()) == (None, why)


def test_entries_moved_by_an_earlier_merge_are_not_lost_entries():
    # two merges in opposite directions leave the same entries in different orders: neither lost any
    base = HEADER + entry("2023-03-01", "旧") + entry("2023-03-02", "甲") + entry("2023-03-03", "乙")
    ours = HEADER + entry("2023-03-01", "旧") + entry("2023-03-03", "乙") + entry("2023-03-02", "甲")
    theirs = base + entry("2023-03-04", "丙")
    merged, why = merge(base.encode(), ours.encode(), theirs.encode())
    assert why is None and merged.decode() == ours + entry("2023-03-04", "丙")


def random_entry(rng, reporters, day=None):
    day = day or f"2023-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"  # back-dated as often as not
    percent = rng.choice([None, rng.randint(0, 100)])
    return entry(day, rng.choice(["造林", "育苗", "补植", "抚育"]) + str(rng.randint(1, 5)), rng.choice(reporters), percent)


def test_four_hundred_random_concurrent_pairs_lose_no_entry():
    rng = random.Random(20231129)
    for _ in range(400):
        reporters = rng.choice([["张三"], ["张三", "李四"]])  # one shared last line, or two
        base = HEADER + "".join(random_entry(rng, reporters) for _ in range(rng.randint(0, 4)))
        day = rng.choice([None, "2023-06-25"])  # half the pairs report on one and the same day
        ours_new = [random_entry(rng, reporters, day) for _ in range(rng.randint(1, 3))]
        theirs_new = [random_entry(rng, reporters, day) for _ in range(rng.randint(1, 3))]
        if rng.random() < 0.3:
            theirs_new.insert(0, ours_new[0])  # both sides added the same entry
        ours, theirs = base + "".join(ours_new), base + "".join(theirs_new)
        merged, why = merge(base.encode(), ours.encode(), theirs.encode())
        assert why is None, (base, ours, theirs)
        kept = entries(merged.decode())
        assert sorted(kept, key=repr) == sorted(_union(entries(ours), entries(theirs)), key=repr), (base, ours, theirs)
        assert kept[:len(entries(ours))] == entries(ours)  # ours as it was, theirs after it


def entries(text):
    """Every entry the ledger counts in a journal's text, all its fields: no two differ in nothing."""
    ledger = load_string(SMALL_TASKS, SMALL_UNITS, journals={"县林业局": text})
    assert ledger.problems == ()
    return [(e.date, e.progress, e.reporter, e.percent) for e in ledger.entries]


def _union(ours, theirs):
    """Each entry as many times as the side with more of it has it."""
    return list((Counter(ours) | Counter(theirs)).elements())


def test_the_driver_through_git_two_clerks_same_day_same_last_line_and_a_back_dated_report(tmp_path):
    li, zhao = clones(tmp_path, LI, ZHAO)
    assert update(li, 1, "--date", "2023-03-05", "-n", "李四：造林", "--reporter", "林业局", "--commit").code == 0
    assert update(zhao, 1, "--date", "2023-03-05", "-n", "赵六：育苗", "--reporter", "林业局", "--commit").code == 0
    assert update(zhao, 1, "--date", "2023-02-27", "-n", "赵六：补报二月", "--reporter", "林业局", "--commit").code == 0
    git(li, "push", "-q")
    pulled = git(zhao, "pull", "--no-rebase", "--no-edit", ok=False)
    assert pulled.returncode == 0 and "CONFLICT" not in pulled.stdout, pulled.stdout + pulled.stderr
    assert progress_lines(zhao) == ["赵六：育苗", "赵六：补报二月", "李四：造林"]
    assert run("validate", root=zhao) == (0, "", "")
    card = json.loads(run("show", 1, "--as-of", "2023-03-31", "-f", "json", root=zhao).out)
    assert [e["progress"] for e in card["entries"]] == ["赵六：补报二月", "赵六：育苗", "李四：造林"]
    # and with --rebase: the same entries, the pulled one first
    git(zhao, "reset", "-q", "--hard", "HEAD^1")
    git(zhao, "pull", "-q", "--rebase")
    assert progress_lines(zhao) == ["李四：造林", "赵六：育苗", "赵六：补报二月"]
    assert run("validate", root=zhao) == (0, "", "")


def test_ten_clerks_of_one_unit_pull_and_push_in_turn(tmp_path):
    bare = central(tmp_path)
    clerks = [clone(bare, tmp_path / f"clerk{n}", f"林业局{n}", f"c{n}@forest.example") for n in range(10)]
    for n, clerk in enumerate(clerks):  # all append before anyone pushes: each later push must merge
        assert update(clerk, 1, "--date", "2023-03-05", "-n", f"第 {n} 位", "--reporter", "林业局", "--commit").code == 0
    for clerk in clerks:
        merged = git(clerk, "pull", "--no-rebase", "--no-edit", ok=False)
        assert merged.returncode == 0, merged.stdout + merged.stderr
        git(clerk, "push", "-q")
    git(clerks[0], "pull", "-q")
    assert sorted(progress_lines(clerks[0])) == sorted(f"第 {n} 位" for n in range(10))
    assert run("validate", root=clerks[0]) == (0, "", "")


def test_a_hosting_style_merge_without_the_driver_conflicts_and_loses_nothing(tmp_path):
    bare = central(tmp_path)
    li = clone(bare, tmp_path / "li", *LI[1:])
    zhao = clone(bare, tmp_path / "zhao", *ZHAO[1:], setup=False)  # a clone nobody ran ledger setup in
    assert update(li, 1, "--date", "2023-03-05", "-n", "李四", "--commit").code == 0
    git(li, "push", "-q", "origin", "HEAD:refs/heads/li")
    assert update(zhao, 1, "--date", "2023-03-05", "-n", "赵六", "--commit").code == 0
    git(zhao, "push", "-q", "origin", "HEAD:refs/heads/zhao")
    # a hosting platform's merge button merges in the bare repository, where no driver is configured
    server = git(bare, "merge-tree", "--write-tree", "--name-only", "li", "zhao", ok=False)
    assert server.returncode == 1 and f"CONFLICT (add/add): Merge conflict in {J}" in server.stdout
    # the same in the clone without the driver: a conflict, both entries between the markers
    git(zhao, "fetch", "-q")
    assert git(zhao, "merge", "--no-edit", "origin/li", ok=False).returncode == 1
    assert progress_lines(zhao) == ["赵六", "李四"]
    assert run("validate", root=zhao).code == 1  # the markers are found


def test_an_edit_of_a_written_entry_meets_a_conflict_with_the_reason(tmp_path):
    li, zhao = clones(tmp_path, LI, ZHAO)
    assert update(li, 1, "--date", "2023-03-01", "-n", "造林 100 亩", "--commit").code == 0
    git(li, "push", "-q")
    git(zhao, "pull", "-q")
    assert update(li, 1, "--date", "2023-03-02", "-n", "李四：补植", "--commit").code == 0
    write(zhao / J, (zhao / J).read_text(encoding="utf-8").replace("造林 100 亩", "造林 200 亩"))
    git(zhao, "commit", "-qam", "改了旧条目", "--no-verify")
    before = head(li)
    git(zhao, "push", "-q")
    pulled = git(li, "pull", "--no-rebase", "--no-edit", ok=False)
    assert pulled.returncode == 1
    assert (f"{J}：没有按条目合并：对方分支的版本里，已写入的条目被修改（原第 2 行起）：改前“progress: 造林 100 亩”，"
            "改后“progress: 造林 200 亩”") in pulled.stderr
    text = (li / J).read_text(encoding="utf-8")
    assert text.startswith("<<<<<<< 本分支（ledger 没有自动合并：对方分支的版本里，已写入的条目被修改") and "=======\n" in text
    git(li, "merge", "--abort")
    assert head(li) == before and progress_lines(li) == ["造林 100 亩", "李四：补植"]


def test_reverting_an_append_or_dropping_its_commit_in_a_rebase_is_a_conflict_not_a_silent_success(tmp_path):
    (li,) = clones(tmp_path, LI)
    for day, note in (("2023-03-01", "一"), ("2023-03-02", "二"), ("2023-03-03", "三")):
        assert update(li, 1, "--date", day, "-n", note, "--commit").code == 0
    reverted = git(li, "revert", "--no-edit", "HEAD~1", ok=False)
    assert reverted.returncode == 1 and "已写入的条目被删除" in reverted.stderr
    git(li, "revert", "--abort")
    dropped = git(li, "rebase", "--onto", "HEAD~2", "HEAD~1", ok=False)  # drops the commit that added 二
    assert dropped.returncode == 1 and "本分支的版本里，已写入的条目被删除" in dropped.stderr
    git(li, "rebase", "--abort")
    assert progress_lines(li) == ["一", "二", "三"]


def test_the_merge_journal_command_writes_the_result_or_the_conflict(tmp_path):
    base, ours, theirs = (write(tmp_path / name, HEADER + entry("2023-03-01", "旧") + extra) for name, extra in (
        ("base", ""), ("ours", entry("2023-03-02", "我们")), ("theirs", entry("2023-03-03", "他们"))))
    assert run("merge-journal", base, ours, theirs, 7, J) == (0, "", "")
    assert ours.read_text(encoding="utf-8") == HEADER + entry("2023-03-01", "旧") + entry("2023-03-02", "我们") + entry(
        "2023-03-03", "他们")
    write(theirs, HEADER + entry("2023-03-03", "他们"))
    result = run("merge-journal", base, ours, theirs, 9, J)
    assert result.code == 1 and result.err.startswith(f"{J}：没有按条目合并：对方分支的版本里，已写入的条目被修改"
                                                      "（原第 2 行起）：改前“- date: 2023-03-01 / progress: 旧”")
    assert ours.read_text(encoding="utf-8").splitlines()[0].startswith("<" * 9 + " 本分支（ledger 没有自动合并：")
