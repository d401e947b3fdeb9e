"""`ledger log` and `ledger review` on real repositories: who added what, and what a reviewer must see."""

import json

from conftest import run, write
from gitrepo import LI, WANG, J, at, clones, git, head, identity, office_repo, update
from gitrepo import isolated_git  # noqa: F401 - the autouse fixture

ENTRY = "- date: 2023-03-01\n  task: 1\n  status: 推进中\n  percent: 20\n  progress: 春季造林\n"


def reviewed(root, *args):
    result = run("review", *args, "--format", "json", root=root)
    return result.code, json.loads(result.out)


def forest_repo(tmp_path):
    """The office's repository with two of 县林业局's entries committed by 李四 (their reporter: git's user.name)."""
    repo = office_repo(tmp_path / "ledger")
    identity(repo, "林业局李四", "lisi@forest.example")
    assert update(repo, 1, "--date", "2023-03-01", "--status", "推进中", "-p", 20, "-n", "春季造林", "--commit",
                  moment="2023-03-01T10:00:00+08:00").code == 0
    assert update(repo, 2, "--date", "2023-03-02", "--status", "推进中", "-n", "配合修路", "--commit",
                  moment="2023-03-02T10:00:00+08:00", env={"LEDGER_UNIT": "林业局"}).code == 0
    return repo


def test_log_lists_entries_with_their_commits_filters_and_uncommitted_last(tmp_path):
    repo = forest_repo(tmp_path)
    first, second = git(repo, "log", "--format=%H", "--reverse", "-2").split()
    assert update(repo, 1, "--date", "2023-03-03", "--status", "推进中", "-p", 25, "-n", "补植").code == 0  # not committed
    result = run("log", "--format", "csv", root=repo)
    assert result == (0, (
        "unit,task,title,date,corrects,status,percent,progress,problems,next,actuals,clear,resolves,reporter,file,line,"
        "commit,author,email,committed,changed_later\n"
        f"县林业局,1,造林,2023-03-01,,推进中,20,春季造林,,,{{}},,,林业局李四,{J},2,"
        f"{first},林业局李四,lisi@forest.example,2023-03-01T10:00:00+08:00,\n"
        f"县林业局,2,修路,2023-03-02,,推进中,,配合修路,,,{{}},,,林业局李四,{J},8,"
        f"{second},林业局李四,lisi@forest.example,2023-03-02T10:00:00+08:00,\n"
        f"县林业局,1,造林,2023-03-03,,推进中,25,补植,,,{{}},,,林业局李四,{J},13,,,,,\n"), "")
    plain = run("log", "1", "--format", "plain", root=repo)
    assert plain.out == (
        "第 1 项 · 进展条目的提交记录：2 条\n"
        "提交      作者        提交时间          单位      序号    日期        状态    进度    进展      后来的改动\n"
        f"{first[:8]}  林业局李四  2023-03-01 10:00  县林业局  1       2023-03-01  推进中  20%     春季造林  —\n"
        "未提交    —           —                 县林业局  1       2023-03-03  推进中  25%     补植      —\n"
        "其中 1 条尚未提交\n")
    since = json.loads(run("log", "--since", "2023-03-02", "--format", "json", root=repo).out)
    assert [r["progress"] for r in since] == ["配合修路", "补植"]
    assert json.loads(run("log", "--unit", "交通局", "--format", "json", root=repo).out) == []
    assert run("log", "--since", "2023-3-2", root=repo) == (
        2, "", "--since 的值“2023-3-2”不是有效日期；应为 YYYY-MM-DD，例如 2023-06-30\n")
    assert run("log", "9", root=repo) == (2, "", "没有第 9 项任务；任务序号为 1–5\n")


def test_log_says_which_entries_were_changed_after_they_were_added(tmp_path):
    repo = forest_repo(tmp_path)
    text = (repo / J).read_text(encoding="utf-8").replace("percent: 20", "percent: 30")
    write(repo / J, text)
    # --no-verify: past the pre-commit hook, as a clone without `ledger setup` would commit it
    git(repo, "commit", "-qam", "改了旧条目", "--no-verify", env=at("2023-03-05T10:00:00+08:00"))
    edit = git(repo, "rev-parse", "--short=8", "HEAD").strip()
    records = json.loads(run("log", "--format", "json", root=repo).out)
    assert [(r["progress"], r["percent"], r["changed_later"]) for r in records] == [
        ("春季造林", 30, [edit]), ("配合修路", None, [])]


def test_review_lists_new_entries_in_full_and_exits_0_for_a_clean_append(tmp_path):
    repo = forest_repo(tmp_path)
    base = head(repo)
    assert update(repo, 1, "--date", "2023-03-10", "--status", "推进中", "-p", 30, "-n", "造林 400 亩", "--problem", "苗木不足",
                  "--next", "4月补植", "--metric", "完成造林=400", "--reporter", "李四", "--commit",
                  moment="2023-03-10T10:00:00+08:00").code == 0
    code, found = reviewed(repo)  # no upstream: the previous commit
    assert code == 0
    assert found == {"base": "HEAD~1", "base_commit": base, "attention": [], "entries": [{
        "unit": "县林业局", "task": 1, "title": "造林", "date": "2023-03-10", "corrects": None, "status": "推进中",
        "percent": 30, "progress": "造林 400 亩", "problems": "苗木不足", "next": "4月补植",
        "actuals": {"完成造林": 400}, "clear": [], "resolves": [], "reporter": "李四", "file": J, "line": 13,
        "commit": head(repo),
        "author": "林业局李四", "email": "lisi@forest.example", "committed": "2023-03-10T10:00:00+08:00"}]}
    table = run("review", "--format", "plain", root=repo)
    assert table == (0, (
        f"自 HEAD~1（{base[:8]}）以来新增的进展：1 条\n"
        "单位      序号    日期        状态    进度    进展         存在问题    下步计划    指标          报送人    "
        "更正哪天的条目    提交      作者\n"
        f"县林业局  1       2023-03-10  推进中  30%     造林 400 亩  苗木不足    4月补植     完成造林=400  李四      —"
        f"                 {head(repo)[:8]}  林业局李四\n"
        "县林业局 1 条\n没有需要审核人注意的改动\n"), "")
    markdown = run("review", "--format", "markdown", root=repo).out.splitlines()
    assert markdown[1].startswith("| 单位     | 序号   | 日期       |") and markdown[3].startswith("| 县林业局 | 1      |")
    csv = run("review", "--format", "csv", root=repo).out.splitlines()
    assert csv[0].startswith("unit,task,title,date,") and csv[1].startswith("县林业局,1,造林,2023-03-10,")


def test_an_edited_past_entry_is_flagged_red_and_review_exits_1(tmp_path):
    repo = forest_repo(tmp_path)
    base = head(repo)
    text = (repo / J).read_text(encoding="utf-8").replace("percent: 20", "percent: 35")
    write(repo / J, text)
    code, found = reviewed(repo, "HEAD")  # the edit is not even committed yet
    assert code == 1
    assert found["entries"] == []
    assert found["attention"] == [{
        "flag": "红", "unit": "县林业局", "where": f"{J}:2",
        "message": "已写入的条目被修改（原第 2 行起）：改前“percent: 20”，改后“percent: 35”；"
                   "日志只能追加，更正请追加一条新条目（update --corrects）",
        "commits": [], "authors": []}]
    git(repo, "commit", "-qam", "悄悄改", "--no-verify", env={"GIT_AUTHOR_NAME": "某人", "GIT_AUTHOR_EMAIL": "x@example.org"})
    code, found = reviewed(repo, base)
    assert code == 1
    assert [(a["flag"], a["where"], a["authors"]) for a in found["attention"]] == [("红", f"{J}:2", ["某人"])]
    # the table shows the flag as a red cell
    table = run("review", base, root=repo, env={"COLUMNS": "250"})
    assert table.code == 1
    assert "需要审核人注意：1 处" in table.out and "│ 红   │ 县林业局 │" in table.out


def test_a_deleted_entry_and_a_changed_header_are_flagged(tmp_path):
    repo = forest_repo(tmp_path)
    lines = (repo / J).read_text(encoding="utf-8").splitlines(keepends=True)
    write(repo / J, "# 改过的说明\n" + "".join(lines[7:]))  # the header changed, the first entry gone
    code, found = reviewed(repo, "HEAD")
    assert code == 1
    assert [(a["flag"], a["where"], a["message"]) for a in found["attention"]] == [
        ("红", f"{J}:2", "已写入的条目被删除（原第 2 行起）：“- date: 2023-03-01 / task: 1 / status: 推进中 / "
                         "percent: 20 / progress: 春季造林 / reporter: 林业局李四”；日志只能追加，不能删除条目"),
        ("红", f"{J}:1", "日志里已有的内容被改动（原第 1 行：“# 县林业局工作进展日志。只在末尾追加新条目；已写入的条目不要修改，"
                         "更正请追加一条新条目并说明。”）")]


def test_a_correction_is_new_and_needs_no_attention(tmp_path):
    repo = forest_repo(tmp_path)
    assert update(repo, 1, "--date", "2023-03-04", "-p", 15, "-n", "更正：实为 150 亩", "--corrects", "2023-03-01",
                  "--commit").code == 0
    code, found = reviewed(repo)
    assert code == 0
    assert [(e["corrects"], e["percent"]) for e in found["entries"]] == [("2023-03-01", 15)]


def test_entries_for_tasks_a_unit_does_not_carry_and_other_files_in_journal_commits(tmp_path):
    repo = forest_repo(tmp_path)
    base = head(repo)
    with open(repo / J, "a", encoding="utf-8") as journal:  # update would refuse; a hand edit does not
        journal.write("- date: 2023-03-05\n  task: 3\n  status: 推进中\n  progress: 替水利局报送\n")
    write(repo / "data" / "units.yaml", (repo / "data" / "units.yaml").read_text(encoding="utf-8")
          + "- name: 县林业局分局\n")
    git(repo, "commit", "-qam", "报送进展", "--no-verify")
    sha = head(repo)
    code, found = reviewed(repo, base)
    assert code == 1
    assert found["attention"] == [
        {"flag": "黄", "unit": None, "where": "data/units.yaml",
         "message": "改动日志的提交同时改动了日志以外的文件 data/units.yaml；报送进展的提交只应改动 data/progress/ 下本单位的日志",
         "commits": [sha], "authors": ["林业局李四"]},
        {"flag": "黄", "unit": "县林业局", "where": f"{J}:14",
         "message": "县林业局不是第 3 项任务的牵头或参与单位（牵头单位：县水利局）；本单位能报送的任务：1、2、4",
         "commits": [sha], "authors": ["林业局李四"]}]
    # the entry is new, so it is listed in full as well
    assert [(e["task"], e["progress"], e["commit"]) for e in found["entries"]] == [(3, "替水利局报送", sha)]


def test_review_against_the_upstream_branch_sees_only_what_this_clone_adds(tmp_path):
    forest, roads = clones(tmp_path, LI, WANG)
    assert update(roads, 2, "--date", "2023-03-02", "-n", "路基开工", "--commit").code == 0
    git(roads, "push", "-q")
    assert update(forest, 1, "--date", "2023-03-03", "-n", "春季造林", "--commit").code == 0
    git(forest, "fetch", "-q")  # origin/main moved on with the roads entry; forest has not merged it
    code, found = reviewed(forest)
    assert code == 0
    assert found["base"] == "origin/main"
    assert [(e["unit"], e["progress"]) for e in found["entries"]] == [("县林业局", "春季造林")]
    assert found["base_commit"] == git(forest, "merge-base", "origin/main", "HEAD").strip()


def test_unicode_journal_names_work_with_the_default_quotepath(tmp_path):
    repo = forest_repo(tmp_path)
    assert git(repo, "config", "--get", "core.quotepath", ok=False).returncode == 1  # not set: git's default
    write(repo / J, (repo / J).read_text(encoding="utf-8") + ENTRY.replace("2023-03-01", "2023-03-09"))
    # git itself quotes the name in its human-readable output...
    assert git(repo, "status", "--porcelain") == (
        ' M "data/progress/\\345\\216\\277\\346\\236\\227\\344\\270\\232\\345\\261\\200.yaml"\n')
    # ...and ledger still finds the journal, its lines and their commits
    assert [r["file"] for r in json.loads(run("log", "--format", "json", root=repo).out)] == [J, J, J]
    assert [e["file"] for e in reviewed(repo, "HEAD")[1]["entries"]] == [J]


def test_log_and_review_outside_a_repository_or_with_a_bad_version(small, tmp_path):
    assert run("log", root=small) == (2, "", f"{small} 不在 git 仓库里；请在台账仓库的克隆里运行（git clone 地址），"
                                             "或用 ledger init 新建一个台账仓库\n")
    assert run("review", root=small).code == 2
    repo = forest_repo(tmp_path)
    assert run("review", "no-such-branch", root=repo) == (
        2, "", "找不到版本“no-such-branch”；可以写分支名（origin/main）、标签、提交号或 HEAD~1 这样的写法\n")
    assert run("review", "--format", "xml", root=repo).code == 2


def test_review_in_a_repository_with_one_commit_compares_with_nothing(tmp_path):
    repo = office_repo(tmp_path / "ledger")  # one commit, no upstream
    write(repo / J, ENTRY)
    code, found = reviewed(repo)
    assert code == 0
    assert (found["base"], found["base_commit"]) == ("仓库建立之初", git(repo, "hash-object", "-t", "tree", "/dev/null").strip())
    assert [(e["progress"], e["commit"]) for e in found["entries"]] == [("春季造林", None)]


def test_a_missed_months_report_added_by_hand_passes_validate_and_review(tmp_path):
    repo = forest_repo(tmp_path)
    base = head(repo)
    with open(repo / J, "a", encoding="utf-8") as journal:  # dated before the entries above it
        journal.write("- date: 2023-02-25\n  task: 1\n  percent: 5\n  progress: 补报2月：完成育苗\n")
    git(repo, "commit", "-qam", "补报2月")
    assert run("validate", root=repo) == (0, "", "")
    code, found = reviewed(repo, base)
    assert code == 0 and found["attention"] == []
    assert [(e["date"], e["progress"]) for e in found["entries"]] == [("2023-02-25", "补报2月：完成育苗")]
    card = json.loads(run("show", 1, "--as-of", "2023-03-31", "-f", "json", root=repo).out)
    assert [e["date"] for e in card["entries"]] == ["2023-02-25", "2023-03-01"]
    assert card["state"]["percent"] == 20  # the 03-01 report stays the latest


def test_a_crlf_resave_keeps_each_entrys_author_and_is_flagged_as_a_resave(tmp_path):
    repo = forest_repo(tmp_path)
    git(repo, "rm", "-q", ".gitattributes")  # a ledger from before journals were kept with LF line ends
    git(repo, "commit", "-qm", "没有 eol 属性")
    first, second = git(repo, "log", "--format=%H", "--reverse", "-3").split()[:2]
    text = (repo / J).read_bytes()
    (repo / J).write_bytes(text.replace(b"\n", b"\r\n"))  # Notepad's save
    expected = [("春季造林", first, "林业局李四"), ("配合修路", second, "林业局李四")]
    records = json.loads(run("log", "--format", "json", root=repo).out)
    assert [(r["progress"], r["commit"], r["author"]) for r in records] == expected
    code, found = reviewed(repo, "HEAD")
    resaved = {"flag": "黄", "unit": "县林业局", "where": J, "commits": [], "authors": [], "message": (
        "日志被另存为 Windows 换行（CRLF）：条目的内容没有变（ledger 按内容比较），但 git 会把每一行都算作改动；"
        "请用原来的换行（LF）保存，或在仓库的 .gitattributes 里给日志写上 eol=lf（ledger init 会写），提交时自动改回")}
    assert (code, found["entries"], found["attention"]) == (1, [], [resaved])
    # committed by someone else: the entries are still their writers'; the re-save is named with its author
    git(repo, "commit", "-qam", "另存", env={"GIT_AUTHOR_NAME": "某人", "GIT_AUTHOR_EMAIL": "x@example.org"})
    records = json.loads(run("log", "--format", "json", root=repo).out)
    assert [(r["progress"], r["commit"], r["author"]) for r in records] == expected
    code, found = reviewed(repo, "HEAD~1")
    assert [(a["flag"], a["authors"]) for a in found["attention"]] == [("黄", ["某人"])]


def test_with_the_eol_attribute_a_crlf_resave_is_no_change_at_all(tmp_path):
    repo = forest_repo(tmp_path)
    (repo / J).write_bytes((repo / J).read_bytes().replace(b"\n", b"\r\n"))
    assert git(repo, "diff", "--stat") == ""
    assert reviewed(repo, "HEAD") == (0, {"base": "HEAD", "base_commit": head(repo), "entries": [], "attention": []})
    records = json.loads(run("log", "--format", "json", root=repo).out)
    assert [r["author"] for r in records] == ["林业局李四", "林业局李四"]


def test_review_without_a_version_after_a_pull_shows_what_the_pull_brought(tmp_path):
    li, roads = clones(tmp_path, LI, WANG)
    assert update(li, 1, "--date", "2023-03-01", "-n", "春季造林", "--commit").code == 0
    git(li, "push", "-q")
    before = head(roads)
    code, found = reviewed(roads)
    assert (found["base"], found["entries"]) == ("origin/main", [])
    git(roads, "pull", "-q")
    code, found = reviewed(roads)
    assert (code, found["base"], found["base_commit"]) == (0, "上次拉取或合并之前", before)
    assert [(e["unit"], e["progress"]) for e in found["entries"]] == [("县林业局", "春季造林")]
    # a commit of one's own not pushed yet: what is about to be pushed
    assert update(roads, 2, "--date", "2023-03-02", "-n", "路基开工", "--commit").code == 0
    code, found = reviewed(roads)
    assert (found["base"], [e["progress"] for e in found["entries"]]) == ("origin/main", ["路基开工"])
