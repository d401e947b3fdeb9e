"""The CI files shipped for a ledger's hosting platform (examples/ci/): on every merge request they validate
the ledger, review the journals against the target branch (failing on what a reviewer must see) and keep the
HTML bulletin as an artifact. Their scripts are run here as the platforms run them, on a real merge request
branch; only the install step (pip install "$LEDGER_PACKAGE") is left to the platform."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import REPO, write
from gitrepo import LI, J, clones, git, update
from gitrepo import isolated_git  # noqa: F401 - the autouse fixture

CI = REPO / "examples" / "ci"


def gitea():
    return yaml.safe_load((CI / ".gitea" / "workflows" / "ledger.yaml").read_text(encoding="utf-8"))


def gitlab():
    return yaml.safe_load((CI / ".gitlab-ci.yml").read_text(encoding="utf-8"))


def test_the_workflows_run_on_merge_requests_with_history_and_keep_the_bulletin():
    workflow = gitea()
    assert workflow[True] == ["pull_request"]  # YAML 1.1 reads the key `on` as true
    steps = workflow["jobs"]["ledger"]["steps"]
    assert steps[0] == {"uses": "actions/checkout@v4", "with": {"fetch-depth": 0}}
    assert steps[2]["run"] == 'pip install -q "$LEDGER_PACKAGE"'
    assert steps[-1] == {"uses": "actions/upload-artifact@v3", "if": "always()",
                         "with": {"name": "bulletin", "path": "bulletin.html"}}
    job = gitlab()["ledger"]
    assert job["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'}]
    assert job["variables"] == {"GIT_DEPTH": "0"}
    assert job["before_script"] == ['pip install -q "$LEDGER_PACKAGE"']
    assert job["artifacts"] == {"when": "always", "name": "bulletin", "paths": ["bulletin.html"]}


def scripts():
    """(platform, the shell script it runs after installing ledger, its environment)."""
    gitea_step = gitea()["jobs"]["ledger"]["steps"][3]
    return [("gitea", gitea_step["run"], {"TARGET": "main"}),
            ("gitlab", "\n".join(gitlab()["ledger"]["script"]), {"CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main"})]


@pytest.mark.parametrize("platform, script, env", scripts(), ids=lambda value: value if value in ("gitea", "gitlab") else "")
def test_the_ci_script_passes_a_clean_merge_request_and_fails_one_that_edits_an_entry(tmp_path, platform, script, env):
    (li,) = clones(tmp_path, LI)
    assert update(li, 1, "--date", "2023-03-01", "-n", "造林 100 亩", "--commit").code == 0
    git(li, "push", "-q")
    # the merge request: a branch with one more entry, checked out fresh as a runner does
    git(li, "switch", "-q", "-c", "li-report")
    assert update(li, 1, "--date", "2023-03-02", "-n", "补植", "--commit").code == 0
    git(li, "push", "-q", "origin", "li-report")
    runner = tmp_path / "runner"
    git(tmp_path, "clone", "-q", "--branch", "li-report", str(tmp_path / "central.git"), str(runner))
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    done = subprocess.run(["bash", "-e", "-c", script], cwd=runner, capture_output=True, text=True,
                          env={**os.environ, **env, "PATH": path})
    assert done.returncode == 0, done.stdout + done.stderr
    assert "自 origin/main" in done.stdout and "新增的进展：1 条" in done.stdout
    assert (runner / "bulletin.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    # another merge request edits the entry already written: the job fails, the bulletin is still there
    write(runner / J, (runner / J).read_text(encoding="utf-8").replace("造林 100 亩", "造林 200 亩"))
    git(runner, "-c", "user.name=x", "-c", "user.email=x@example.org", "commit", "-qam", "改", "--no-verify")
    (runner / "bulletin.html").unlink()
    done = subprocess.run(["bash", "-e", "-c", script], cwd=runner, capture_output=True, text=True,
                          env={**os.environ, **env, "PATH": path})
    assert done.returncode == 1
    assert "已写入的条目被修改" in done.stdout and (runner / "bulletin.html").exists()
