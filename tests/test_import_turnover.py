"""A new year's plan: it goes into a new ledger that takes over the old one's unit registry (names, aliases,
reviewers); the old ledger is refused a plan of other years, and stays as it was."""

from conftest import run, write
from test_import_documents import PLANS
from test_import_transaction import state

PLAN_2026 = (PLANS / "city-i.txt").read_text(encoding="utf-8").replace("2025", "2026").replace(
    "（市园林局负责）", "（市水务局负责）")


def old_ledger(tmp_path):
    """The 2025 ledger: the city plan imported, the registry given reviewers and an alias, one report made."""
    root = tmp_path / "2025"
    assert run("init", root).code == 0
    assert run("import", PLANS / "city-i.txt", root=root).code == 0
    units = root / "data/units.yaml"
    text = units.read_text(encoding="utf-8").replace(
        "- name: 市住房城乡建设局\n  aliases: []\n  reviewers: []\n",
        "- name: 市住房城乡建设局\n  aliases:\n  - 市住建局\n  reviewers:\n  - zhang-jian\n")
    units.write_text(text, encoding="utf-8")
    write(root / "data/config.yaml", "office: 市财政局\n")
    write(root / "data/progress/市园林局.yaml", "- date: 2025-03-01\n  task: 4\n  progress: 绿道选线\n")
    assert run("validate", root=root) == (0, "", "")
    return root


def test_a_plan_of_another_year_is_refused_by_the_old_ledger(tmp_path):
    root = old_ledger(tmp_path)
    write(tmp_path / "plan-2026.txt", PLAN_2026)
    before = state(root), (root / "data/progress/市园林局.yaml").read_bytes()
    result = run("import", tmp_path / "plan-2026.txt", root=root)
    assert result == (1, "", (
        "台账里是 2025 年的计划《青石市2025年城市更新行动方案》，这份文件是 2026 年的《青石市2026年城市更新行动方案》；"
        "没有写入任何文件。新一年的计划请导入新台账，本台账原样留作 2025 年的记录（见 README“新一年的计划”）：\n"
        "  ledger init 新台账目录\n"
        f"  ledger --root 新台账目录 import 计划文件 --units-from {root}\n"))
    assert (state(root), (root / "data/progress/市园林局.yaml").read_bytes()) == before


def test_a_new_ledger_takes_over_the_registry(tmp_path):
    old = old_ledger(tmp_path)
    before = state(old)
    write(tmp_path / "plan-2026.txt", PLAN_2026)
    new = tmp_path / "2026"
    assert run("init", new).code == 0
    result = run("import", tmp_path / "plan-2026.txt", "--units-from", old, root=new)
    assert result.code == 0, result.err
    assert ("接过 --units-from 台账登记的单位 8 个（简称、审核人照旧）；新计划没有点名、没有接过的 1 个：市园林局\n"
            in result.out)
    assert "新登记的单位 1 个：市水务局\n" in result.out
    assert result.out.splitlines()[-1] == (
        "已写入：data/units.yaml（接过 8 个单位、新登记 1 个单位）、data/tasks.yaml（7 项任务）、"
        "data/source/tasks.imported.yaml（本次导入的原样结果，供下次导入比对人工修改）。")
    units = (new / "data/units.yaml").read_text(encoding="utf-8")
    assert "- name: 市住房城乡建设局\n  aliases:\n  - 市住建局\n  reviewers:\n  - zhang-jian\n" in units
    assert "- name: 市发展改革委\n  aliases:\n  - 市发改委\n  reviewers: []\n" in units
    assert "市园林局" not in units and units.endswith("- name: 市水务局\n  aliases: []\n  reviewers: []\n")
    assert run("validate", root=new) == (0, "", "")
    listed = run("status", "--unit", "市住建局", "--as-of", "2026-03-01", "--format", "csv", root=new)
    assert [line.split(",")[0] for line in listed.out.splitlines()[1:]] == ["1", "2"]  # the alias taken over
    assert state(old) == before  # the old year's ledger is left as it was


def test_units_from_is_only_for_a_ledger_without_units(tmp_path):
    old = old_ledger(tmp_path)
    assert run("import", PLANS / "city-i.txt", "--units-from", old, root=old) == (
        2, "", "--units-from 只用于还没有登记单位的新台账；本台账已登记 9 个单位。要接过另一台账的简称和审核人，"
               "请在 data/units.yaml 里手工补上\n")
    (tmp_path / "empty").mkdir()
    assert run("import", PLANS / "city-i.txt", "--units-from", tmp_path / "nowhere", root=tmp_path / "empty") == (
        2, "", f"--units-from：“{tmp_path / 'nowhere'}”里没有 data/units.yaml；应为上一年台账的目录\n")
