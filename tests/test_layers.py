"""The package's layers: each imports only its own layer and those below, and only the command line writes to
the terminal. Read from the source with ast, so a lazy import inside a function counts too."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "ledger"
# lowest first; a module may import its own layer and any lower one
LAYERS = {"ledger.vocab": 0, "ledger.files": 1, "ledger.plans": 2, "ledger.core": 3, "ledger.output": 4,
          "ledger.cli": 5, "ledger.shell": 5, "ledger.ask": 5, "ledger.__main__": 5, "ledger.__init__": 5}
MODULES = sorted(PACKAGE.rglob("*.py"))


def module_name(path):
    return "ledger." + ".".join(path.relative_to(PACKAGE).with_suffix("").parts)


def layer(name):
    for prefix in sorted(LAYERS, key=len, reverse=True):
        if name == prefix or name.startswith(prefix + "."):
            return LAYERS[prefix]
    raise AssertionError(f"{name} is in no layer: add its folder to LAYERS")


def imports(path):
    """(line, module imported) for every import of ledger's own modules in the file."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names if alias.name.startswith("ledger")]
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("ledger"):
            if node.module == "ledger":
                found += [(node.lineno, f"ledger.{alias.name}") for alias in node.names]
            else:
                found.append((node.lineno, node.module))
    return found


@pytest.mark.parametrize("path", MODULES, ids=module_name)
def test_no_module_imports_a_layer_above_its_own(path):
    mine = layer(module_name(path))
    upward = [f"{path.name}:{line}: {target}" for line, target in imports(path)
              if target != "ledger.__version__" and layer(target) > mine]
    assert upward == []


def test_the_layers_test_can_fail(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from ledger.output import views\n", encoding="utf-8")
    assert [layer(target) for _, target in imports(bad)] == [4]
    assert layer("ledger.files.store") == 1 and layer("ledger.core.state") == 3


def writes_to_terminal(path):
    """Lines that print or write to sys.stdout or sys.stderr."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "print":
            found.append(node.lineno)
        elif (isinstance(node, ast.Attribute) and node.attr in ("stdout", "stderr")
              and isinstance(node.value, ast.Name) and node.value.id == "sys"):
            found.append(node.lineno)
    return found


# the one exception: LEDGER_TEST_PAUSE's hook says on stderr where it stopped, for the fault tests to read
HOOK = {"ledger.files.journal": 1}


@pytest.mark.parametrize("path", [p for p in MODULES if layer(module_name(p)) < 5], ids=module_name)
def test_only_the_command_line_writes_to_the_terminal(path):
    assert len(set(writes_to_terminal(path))) == HOOK.get(module_name(path), 0)


def test_the_printing_test_can_fail(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import sys\nprint('x')\nsys.stdout.write('y')\n", encoding="utf-8")
    assert writes_to_terminal(bad) == [2, 3]


def test_only_the_command_line_reads_the_clock():
    found = [f"{path.name}:{node.lineno}" for path in MODULES if path.name != "cli.py"
             for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
             if isinstance(node, ast.Attribute) and node.attr in ("today", "now") and isinstance(node.value, ast.Attribute)
             and node.value.attr in ("date", "datetime")]
    assert found == []


def test_warm_listings_import_neither_pydantic_nor_yaml(tmp_path):
    """A warm command reads the cache: pydantic and PyYAML (a fifth of a second at start-up) stay unloaded."""
    import os
    import shutil
    import subprocess
    import sys

    demo = tmp_path / "demo"
    shutil.copytree(PACKAGE.parent / "examples" / "demo", demo, symlinks=False)
    env = {key: value for key, value in os.environ.items() if not key.startswith("LEDGER_")}
    for command in (["status"], ["status", "--unit", "水利局"], ["show", "25"], ["report"], ["overdue"], ["units"]):
        argv = [sys.executable, "-X", "importtime", "-m", "ledger", "--root", str(demo), *command, "--as-of", "2023-08-31"]
        subprocess.run(argv, capture_output=True, env=env, check=True)  # fills the cache
        imported = subprocess.run(argv, capture_output=True, text=True, env=env, check=True).stderr
        loaded = {line.rsplit("|", 1)[-1].strip() for line in imported.splitlines() if line.startswith("import time:")}
        assert {"pydantic", "yaml", "openpyxl"} & loaded == set(), command
