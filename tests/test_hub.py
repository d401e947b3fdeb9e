"""The central repository `ledger hub init` makes: its pre-receive hook accepts a valid append and refuses,
in Chinese, naming the entry and the rule, every push that edits or removes a written entry, adds an invalid
one, writes another unit's journal, or changes anything else without an office account. Tested on real bare
repositories with the hosting layers' variables set, and end to end through a real gitolite server over ssh."""

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

from conftest import SMALL_UNITS, run, write
from gitrepo import J, T, clone, git, head, identity, office_repo, update
from gitrepo import isolated_git  # noqa: F401 - the autouse fixture

UNITS = SMALL_UNITS.replace("  aliases: [林业局]\n", "  aliases: [林业局]\n  accounts: [li, zhao]\n").replace(
    "  aliases: [交通局]\n", "  aliases: [交通局]\n  accounts: [roads]\n")
ENTRY = "- date: 2023-03-01\n  task: 1\n  progress: 造林 100 亩\n"
FOOTER = "什么都没有写入中央仓库。改正后再推送；已写入的条目不能改动或删除，更正请用 ledger update --corrects 追加一条。"


def push(clone_, account, *args, variable="GL_USER"):
    return git(clone_, "push", "-q", *(args or ("origin", "HEAD:main")), env={variable: account}, ok=False)


def refused(done, account, *lines, variable="GL_USER", layer="gitolite"):
    """Whether the push was refused with exactly these lines."""
    said = [line[len("remote: "):].rstrip() for line in done.stderr.splitlines() if line.startswith("remote: ")]
    assert done.returncode == 1, done.stderr
    assert said == [f"ledger：中央仓库拒绝了这次推送（账号 {account}，由 {layer} 的 {variable} 给出）：",
                    *(f"  refs/heads/main：{line}" for line in lines), FOOTER], done.stderr
    return True


@pytest.fixture
def hub(tmp_path):
    """(central, a clone for 县林业局's li): a hub whose ledger has one entry of 县林业局's."""
    central = tmp_path / "hub.git"
    assert run("hub", "init", central, "--office", "office", "--office", "gx-office").code == 0
    office = office_repo(tmp_path / "office")
    write(office / "data" / "units.yaml", UNITS)
    write(office / J, ENTRY)
    git(office, "add", "-A")
    git(office, "commit", "-qm", "账号和第一条")
    git(office, "remote", "add", "origin", str(central))
    assert push(office, "office", "-u", "origin", "main").returncode == 0
    return central, clone(central, tmp_path / "li", "林业局李四", "li@forest.example")


def test_hub_init_makes_a_bare_repository_with_the_hook_and_says_so(tmp_path):
    central = tmp_path / "台账.git"
    result = run("hub", "init", central, "--office", "gx-office")
    hook = central / "hooks" / "pre-receive"
    assert result == (0, f"中央仓库 {central}：\n  新建裸仓库 {central}（分支 main）\n"
                         "  办公室账号：gx-office（git config ledger.office）；其他账号写哪个单位的日志，由 data/units.yaml "
                         "各单位的 accounts 决定\n  拒绝强制推送（receive.denyNonFastForwards）：已推送的历史不能改写\n"
                         f"  pre-receive 钩子：{hook}（ledger hub check）\n", "")
    assert os.access(hook, os.X_OK) and hook.read_text(encoding="utf-8").endswith(" -I -m ledger hub check\n")
    assert git(central, "config", "--get-all", "ledger.office") == "gx-office\n"
    assert git(central, "symbolic-ref", "HEAD") == "refs/heads/main\n"
    # again, with other office accounts: the same repository, the accounts replaced
    assert run("hub", "init", central, "--office", "a", "--office", "b").out.splitlines()[1] == f"  已有的裸仓库 {central}"
    assert git(central, "config", "--get-all", "ledger.office") == "a\nb\n"
    # a hook that is not ledger's is never overwritten; a folder that is not a bare repository is refused
    write(hook, "#!/bin/sh\nexit 0\n")
    kept = run("hub", "init", central, "--office", "a")
    assert kept.code == 1 and kept.err.startswith(f"{hook} 已有别的 pre-receive 钩子，没有改动；请把这一行加进去：")
    assert kept.err.endswith(" -I -m ledger hub check\n")
    assert hook.read_text(encoding="utf-8") == "#!/bin/sh\nexit 0\n"
    write(tmp_path / "notes" / "a.txt", "x")
    assert run("hub", "init", tmp_path / "notes", "--office", "a") == (
        2, "", f"“{tmp_path / 'notes'}”不是空目录，也不是裸仓库；请给一个新目录，或已有的裸仓库（如 gitolite 建的）\n")
    assert run("hub", "init", tmp_path / "x.git", "--office", "li si").code == 2


def test_a_valid_append_by_the_units_account_is_accepted(hub):
    central, li = hub
    assert update(li, 1, "--date", "2023-03-02", "-n", "补植", "--commit").code == 0
    done = push(li, "li")
    assert done.returncode == 0, done.stderr
    assert git(central, "rev-parse", "main").strip() == head(li)


def test_an_edit_or_a_removal_of_a_written_entry_is_refused(hub):
    central, li = hub
    before = git(central, "rev-parse", "main").strip()
    write(li / J, ENTRY.replace("100", "200"))
    git(li, "commit", "-qam", "改", "--no-verify")
    assert refused(push(li, "li"), "li", f"{J}:1: 已写入的条目被修改（原第 1 行起）：改前“progress: 造林 100 亩”，"
                                         "改后“progress: 造林 200 亩”；日志只能追加，更正请追加一条新条目（update --corrects）")
    git(li, "reset", "-q", "--hard", "HEAD~1")
    write(li / J, "- date: 2023-03-02\n  task: 1\n  progress: 只剩这条\n")
    git(li, "commit", "-qam", "删", "--no-verify")
    assert refused(push(li, "li"), "li", f"{J}:1: 已写入的条目被修改（原第 1 行起）：改前“- date: 2023-03-01 / progress: "
                                         "造林 100 亩”，改后“- date: 2023-03-02 / progress: 只剩这条”；日志只能追加，"
                                         "更正请追加一条新条目（update --corrects）")
    git(li, "reset", "-q", "--hard", "HEAD~1")
    git(li, "rm", "-q", J)
    git(li, "commit", "-qm", "整个删掉", "--no-verify")
    # even the office may not remove entries
    assert refused(push(li, "office"), "office", f"{J}: 日志被删除了（原有 1 条条目）；日志只能追加，不能删除")
    assert git(central, "rev-parse", "main").strip() == before


def test_an_invalid_entry_is_refused(hub):
    central, li = hub
    with open(li / J, "a", encoding="utf-8") as journal:
        journal.write("- date: 2023-03-02\n  task: 9\n  percent: 150\n  progress: 手写\n")
    git(li, "commit", "-qam", "手写", "--no-verify")
    assert refused(push(li, "li"), "li", f"{J}:5: 任务序号 9 不存在；有效序号为 1–5",
                   f"{J}:6: 进度应在 0 到 100 之间，实际是 150")


def test_a_journal_of_another_unit_is_refused(hub):
    central, li = hub
    assert update(li, 2, "--date", "2023-03-02", "-n", "替交通局报", "-u", "交通局", "--commit").code == 0
    assert refused(push(li, "li"), "li", f"{T}: 账号 li 不能写县交通运输局的日志：只有县交通运输局的账号（roads）"
                                         "和办公室账号能推送它（账号与单位的对应在 data/units.yaml 各单位的 accounts）")
    # the same push by the roads bureau's account, named by GitLab, is accepted
    assert push(li, "roads", variable="GL_USERNAME").returncode == 0


def test_the_task_list_registry_config_and_other_files_are_the_offices(hub, tmp_path):
    central, li = hub
    before = git(central, "rev-parse", "main").strip()
    write(li / "data" / "units.yaml", UNITS.replace("accounts: [roads]", "accounts: [roads, li]"))
    write(li / "data" / "config.yaml", "yellow_gap: 5\n")
    write(li / "README.md", "说明\n")
    git(li, "add", "-A")
    git(li, "commit", "-qm", "给自己加权限", "--no-verify")
    assert refused(push(li, "li", variable="GITEA_PUSHER_NAME"), "li",
                   "README.md: 账号 li 不能改动日志以外的文件：只有办公室账号（gx-office、office）能改动进展日志以外的文件",
                   "data/config.yaml: 账号 li 不能改动配置：只有办公室账号（gx-office、office）能改动进展日志以外的文件",
                   "data/units.yaml: 账号 li 不能改动单位名录：只有办公室账号（gx-office、office）能改动进展日志以外的文件",
                   variable="GITEA_PUSHER_NAME", layer="Gitea/Forgejo")
    assert git(central, "rev-parse", "main").strip() == before
    # the office may; but not a registry with an error in it
    write(li / "data" / "units.yaml", UNITS + "- name: 县财政局\n  accounts: [cai zheng]\n")
    git(li, "commit", "-qam", "坏的名录", "--no-verify")
    assert refused(push(li, "gx-office"), "gx-office",
                   "data/units.yaml:11: 账号“cai zheng”不能含空格或换行；应为托管平台或 gitolite 的用户名，如 shuili-zhang")
    git(li, "reset", "-q", "--hard", "HEAD~1")
    assert push(li, "gx-office").returncode == 0


def test_a_symbolic_link_is_refused_even_from_the_office(hub):
    central, li = hub
    (li / "data" / "progress" / "县水利局.yaml").symlink_to("/etc/passwd")
    git(li, "add", "-A")
    git(li, "commit", "-qm", "链接", "--no-verify")
    assert refused(push(li, "office"), "office", "data/progress/县水利局.yaml: 是符号链接；仓库里只能有普通文件"
                                                 "（符号链接在每个克隆里都会指向别处）")


def test_branches_tags_force_and_the_first_push(hub, tmp_path):
    central, li = hub
    assert update(li, 1, "--date", "2023-03-02", "-n", "补植", "--commit").code == 0
    assert push(li, "li", "origin", "HEAD:refs/heads/li-branch").returncode == 0  # judged against main
    done = push(li, "li", "origin", ":refs/heads/li-branch")
    said = done.stderr
    assert done.returncode == 1 and "只有办公室账号（gx-office、office）能删除分支或标签；账号 li 不是办公室账号" in said
    git(li, "tag", "v1")
    assert "只有办公室账号（gx-office、office）能推送分支以外的引用（如标签）" in push(li, "li", "origin", "v1").stderr
    git(li, "reset", "-q", "--hard", "HEAD~1")
    assert update(li, 1, "--date", "2023-03-03", "-n", "另一条", "--commit").code == 0
    git(li, "push", "-q", "origin", "HEAD:main", env={"GL_USER": "li"})
    git(li, "commit", "-q", "--amend", "-m", "改写已推送的提交说明")  # the same files, another history
    forced = push(li, "office", "-f", "origin", "HEAD:main")
    assert forced.returncode == 1 and "[remote rejected] HEAD -> main (non-fast-forward)" in forced.stderr
    # a new, empty hub: only the office may push the first ledger
    empty = tmp_path / "empty.git"
    assert run("hub", "init", empty, "--office", "office").code == 0
    git(li, "remote", "add", "empty", str(empty))
    done = push(li, "li", "empty", "HEAD:main")
    assert done.returncode == 1 and "仓库里还没有台账，第一次推送只能由办公室账号（office）进行" in done.stderr


def test_without_a_hosting_layer_the_pusher_is_the_system_account(hub):
    import getpass

    central, li = hub
    assert update(li, 1, "--date", "2023-03-02", "-n", "补植", "--commit").code == 0
    env = {key: value for key, value in os.environ.items() if key not in ("GL_USER", "GL_USERNAME", "GITEA_PUSHER_NAME")}
    done = subprocess.run(["git", "push", "-q", "origin", "HEAD:main"], cwd=li, capture_output=True, text=True, env=env)
    me = getpass.getuser()
    assert done.returncode == 1
    assert (f"remote: ledger：中央仓库拒绝了这次推送（账号 {me}，系统账号（没有 GL_USER、GL_USERNAME、GITEA_PUSHER_NAME））："
            in done.stderr)


# --- end to end through gitolite ---

def _gitolite_missing():
    missing = [name for name, path in (("gitolite3", "/usr/share/gitolite3/gitolite-shell"), ("openssh-server", "/usr/sbin/sshd"))
               if not os.path.exists(path)]
    return f"没有安装 {'、'.join(missing)}（.ci/run 会安装）" if missing or not shutil.which("gitolite") else None


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def gitolite(tmp_path):
    """A gitolite server (its own home in tmp_path) behind sshd on 127.0.0.1, with keys for the office
    (admin), li (县林业局) and roads (县交通运输局); yields a function that gives a clone's ssh command."""
    reason = _gitolite_missing()
    if reason:
        pytest.skip(reason)
    home, keys = tmp_path / "gitolite-home", tmp_path / "keys"
    home.mkdir()
    keys.mkdir()
    for name in ("admin", "li", "roads", "host"):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", keys / name], check=True)
    env = {**os.environ, "HOME": str(home)}
    subprocess.run(["gitolite", "setup", "-pk", keys / "admin.pub"], env=env, check=True, capture_output=True)
    for name in ("li", "roads"):
        shutil.copy(keys / f"{name}.pub", home / ".gitolite" / "keydir" / f"{name}.pub")
    write(home / ".gitolite" / "conf" / "gitolite.conf",
          "repo gitolite-admin\n    RW+ = admin\nrepo ledger\n    RW+ = admin\n    RW = li roads\n")
    subprocess.run(["gitolite", "setup"], env=env, check=True, capture_output=True)
    port = _free_port()
    write(tmp_path / "sshd_config", "\n".join([
        f"Port {port}", "ListenAddress 127.0.0.1", f"HostKey {keys / 'host'}",
        f"AuthorizedKeysFile {home / '.ssh' / 'authorized_keys'}", f"PidFile {tmp_path / 'sshd.pid'}",
        "StrictModes no", "PasswordAuthentication no", "KbdInteractiveAuthentication no", "UsePAM no",
        "PermitRootLogin prohibit-password", f"SetEnv HOME={home} XDG_CACHE_HOME={os.environ['XDG_CACHE_HOME']}", ""]))
    if os.geteuid() == 0:
        os.makedirs("/run/sshd", exist_ok=True)  # sshd's privilege separation folder, as its service makes it
    server = subprocess.Popen(["/usr/sbin/sshd", "-D", "-e", "-f", tmp_path / "sshd_config"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    user = "root" if os.geteuid() == 0 else os.environ.get("USER") or subprocess.check_output(["id", "-un"], text=True).strip()

    def ssh(name):
        return (f"ssh -F /dev/null -i {keys / name} -p {port} -o IdentitiesOnly=yes -o BatchMode=yes "
                "-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR")

    for _ in range(100):  # until sshd answers
        probe = subprocess.run(ssh("admin").split() + [f"{user}@127.0.0.1", "info"], capture_output=True, text=True)
        if "R W" in probe.stdout:
            break
        time.sleep(0.1)
    else:
        server.terminate()
        pytest.fail(f"gitolite 没有通过 ssh 应答：{probe.stdout}{probe.stderr}{server.stderr.read1(4096)}")
    yield ssh, f"{user}@127.0.0.1:ledger", home / "repositories" / "ledger.git"
    server.terminate()
    server.wait(timeout=10)


def test_through_gitolite_over_ssh_each_key_writes_only_its_units_journal(tmp_path, gitolite):
    ssh, url, served = gitolite
    assert run("hub", "init", served, "--office", "admin").code == 0  # gitolite made it: the hook is added
    office = office_repo(tmp_path / "office")
    write(office / "data" / "units.yaml", UNITS)
    git(office, "commit", "-qam", "账号")
    git(office, "remote", "add", "origin", url)
    git(office, "push", "-q", "-u", "origin", "main", env={"GIT_SSH_COMMAND": ssh("admin")})
    li, roads = (tmp_path / "li", tmp_path / "roads")
    for folder, key, name in ((li, "li", "林业局李四"), (roads, "roads", "交通局王五")):
        git(tmp_path, "clone", "-q", "-c", f"core.sshCommand={ssh(key)}", url, str(folder))
        identity(folder, name, f"{key}@example.org")
        assert run("setup", root=folder).code == 0
    assert update(li, 1, "--date", "2023-03-01", "-n", "造林 100 亩").code == 0
    assert run("sync", root=li).code == 0  # accepted
    forbidden = [  # (what li's key pushes, the line that refuses it)
        (J, lambda text: text.replace("造林 100 亩", "造林 900 亩"), f"{J}:2: 已写入的条目被修改（原第 2 行起）"),
        (J, lambda text: text + "- date: 2023-03-02\n  task: 1\n  percent: 150\n  progress: 手写\n",
         f"{J}:8: 进度应在 0 到 100 之间，实际是 150"),
        ("data/tasks.yaml", lambda text: text.replace("title: 造林", "title: 造林造林"),
         "data/tasks.yaml: 账号 li 不能改动任务清单：只有办公室账号（admin）能改动进展日志以外的文件")]
    for path, change, line in forbidden:
        write(li / path, change((li / path).read_text(encoding="utf-8")))
        git(li, "commit", "-qam", "不该推送的", "--no-verify")
        done = git(li, "push", ok=False)
        assert done.returncode == 1 and f"remote:   refs/heads/main：{line}" in done.stderr, done.stderr
        git(li, "reset", "-q", "--hard", "origin/main")
    assert update(roads, 1, "--date", "2023-03-02", "-n", "替林业局报", "-u", "林业局").code == 0
    result = run("sync", root=roads)
    assert result.code == 1
    assert (f"ledger：中央仓库拒绝了这次推送（账号 roads，由 gitolite 的 GL_USER 给出）：\n  refs/heads/main：{J}: "
            "账号 roads 不能写县林业局的日志：只有县林业局的账号（li、zhao）和办公室账号能推送它") in result.err
    git(roads, "reset", "-q", "--hard", "origin/main")  # the refused commit given up
    assert update(roads, 2, "--date", "2023-03-02", "-n", "路基开工").code == 0
    assert run("sync", root=roads).code == 0
    git(li, "pull", "-q")
    assert run("validate", root=li) == (0, "", "")
    assert [line for line in (li / T).read_text(encoding="utf-8").splitlines() if "progress" in line] == ["  progress: 路基开工"]
    assert git(served, "log", "--format=%an", "main") == "交通局王五\n林业局李四\n办公室\n办公室\n"
    assert Path(served / "hooks" / "pre-receive").read_text(encoding="utf-8").startswith("#!/bin/sh\n# ledger hub init")
