"""The README's first two commands stay true: CI runs the second one."""

import re

from conftest import REPO


def commands():
    block = re.search(r"```sh\n(.*?)```", (REPO / "README.md").read_text(encoding="utf-8"), re.S).group(1)
    return [line for line in block.splitlines() if line and not line.startswith("#")]


def test_ci_runs_the_readme_test_command():
    demo, test = commands()
    assert demo.startswith("python3 -m venv .venv && ") and "ledger --root examples/demo status" in demo
    assert test in (REPO / ".ci" / "run").read_text(encoding="utf-8")
