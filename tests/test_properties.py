"""Properties over generated journals (hypothesis), valid and broken, through the real CLI.

- any bytes in a journal: validate exits 0 or 1 without a traceback, prints only `file[:line]: message`
  lines in Chinese with lines inside the file, changes nothing; status still runs; update either
  refuses and writes nothing or appends after every old byte without adding a problem;
- generated valid entries written by `ledger update` validate clean and read back exactly.
"""

import datetime as dt
import json
import re
import shutil

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SMALL_TASKS, SMALL_UNITS, run, write
from ledger.vocab import ENTRY_FIELDS, STATUSES

J = "data/progress/县林业局.yaml"
PROBLEM = re.compile(r"data/progress/县林业局\.yaml(?::([1-9][0-9]*))?: (.+)")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.fixture(scope="module")
def ledger(tmp_path_factory):
    root = tmp_path_factory.mktemp("ledger")
    write(root / "data/tasks.yaml", SMALL_TASKS)
    write(root / "data/units.yaml", SMALL_UNITS)
    (root / "data/progress").mkdir()
    return root


def fresh(root):
    """The ledger with no journal, no lock and no temporary file left from the example before."""
    shutil.rmtree(root / "data/progress")
    (root / "data/progress").mkdir()
    return root / J


# -- broken journals ---------------------------------------------------------------------------------

SCALARS = st.one_of(st.text(max_size=12), st.integers(-10, 200), st.floats(), st.booleans(), st.none(),
                    st.sampled_from(["2023-03-01", "2023-02-30", "2023-6-1", "推进中", "已完成", "完成", "no", "0x1A",
                                     "1.10", "~", "完成造林", "[red]x[/red]"]))
KEYS = st.sampled_from([*ENTRY_FIELDS, "percnet", "Progress", "1", "完成造林"])
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=3),
                      max_leaves=6)
ENTRIES = st.lists(st.dictionaries(KEYS, VALUES, max_size=8), max_size=4)
SNIPPETS = st.sampled_from(["\t", "&a ", "*a", "!!python/object/apply:os.system ", "!x ", "<<<<<<< HEAD\n",
                            "=======\n", "\x1b[31m", "\x00", "\r", "\r\n", "\n", ": ", "- ", "[", "]", "{", "'", '"',
                            "#", "? ", "|", ">", "---\n", "...\n", "%YAML 1.1\n", "\ufeff", "\u2028", "\u202e",
                            "  ", "长" * 50, "- date: 2023-03-01\n  task: 1\n  status: 推进中\n  progress: x\n"])


@st.composite
def journal_bytes(draw):
    """A journal: entries with right and wrong fields and values, then cut, spliced and encoded."""
    if draw(st.integers(0, 9)) == 0:
        return draw(st.binary(max_size=300))
    text = yaml.safe_dump(draw(ENTRIES), allow_unicode=True, sort_keys=False)
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(SNIPPETS) + text[at:]
    if draw(st.booleans()):
        text = text[:draw(st.integers(0, len(text)))]
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8", "utf-8-sig", "gbk", "utf-16", "crlf"]))
    if encoding == "crlf":
        return text.replace("\n", "\r\n").encode()
    return text.encode(encoding, errors="replace")


def problems_of(result, data):
    """The problems validate printed, each checked for its form; (line, message) pairs."""
    assert result.code in (0, 1), result.err
    if result.code == 0:
        assert result == (0, "", "")
        return set()
    found = result.out.splitlines()
    assert result.err == f"共 {len(found)} 处问题。\n"
    pairs = set()
    for text in found:
        match = PROBLEM.fullmatch(text)
        assert match, text
        line = int(match.group(1) or 0)
        assert line <= len(data.splitlines()) + 1, text
        assert re.search("[\u4e00-\u9fff]", match.group(2)) and not CONTROL.search(text), text
        pairs.add((line, match.group(2)))
    return pairs


@SETTINGS
@given(data=journal_bytes())
def test_any_journal_is_answered_in_chinese_and_never_changed(ledger, data):
    journal = fresh(ledger)
    journal.write_bytes(data)
    before = problems_of(run("validate", root=ledger), data)
    assert journal.read_bytes() == data
    status = run("status", "--as-of", "2023-12-31", "--format", "json", root=ledger)
    assert status.code == 0 and len(json.loads(status.out)) == 5, status.err
    result = run("update", 1, "--date", "2023-12-31", "--note", "追加", root=ledger)
    assert result.code in (0, 1), result.err
    if result.code == 1:
        assert result.err.startswith("没有写入，日志保持原样：\n") and journal.read_bytes() == data
    else:
        after = journal.read_bytes()
        assert after.startswith(data)
        assert problems_of(run("validate", root=ledger), after) <= before


# -- valid entries round-trip through `ledger update` ------------------------------------------------

REFUSED = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"  # bidirectional overrides
CHARACTERS = st.characters(blacklist_categories=("Cs", "Cc", "Cn", "Zl", "Zp"), blacklist_characters=REFUSED)
TEXT = st.text(st.one_of(CHARACTERS, st.sampled_from("\n\t -:#'\"[]{}&*!|>%@`,?")), min_size=1, max_size=30).filter(
    str.strip)
NUMBER = st.floats(allow_nan=False, allow_infinity=False)


@st.composite
def valid_entries(draw):
    """One to three entries of 县林业局 for task 1, in date order, every optional field maybe."""
    days = sorted(draw(st.lists(st.dates(dt.date(2023, 1, 1), dt.date(2023, 12, 31)), min_size=1, max_size=3)))
    entries = []
    for day in days:
        status = draw(st.sampled_from(STATUSES))
        percent = draw(st.none() | st.floats(0, 100))
        if status == "已完成" and percent is not None:
            percent = 100
        entry = {"date": day.isoformat(), "status": status, "percent": percent, "progress": draw(TEXT)}
        for field in ("problems", "next", "reporter"):
            entry[field] = draw(st.none() | TEXT)
        # an amount done is never negative (update refuses it)
        entry["actuals"] = draw(st.none() | NUMBER.filter(lambda value: value >= 0).map(lambda value: {"完成造林": value}))
        entries.append(entry)
    return entries


def options(entry):
    args = ["update", 1, "--date", entry["date"], "--status", entry["status"], f"--note={entry['progress']}",
            "--force"]  # the same entry twice is what the property may draw
    args += [] if entry["percent"] is None else ["--percent", repr(entry["percent"])]
    for field, option in (("problems", "--problem"), ("next", "--next"), ("reporter", "--reporter")):
        args += [] if entry[field] is None else [f"{option}={entry[field]}"]
    args += [] if entry["actuals"] is None else ["--metric", f"完成造林={entry['actuals']['完成造林']!r}"]
    return args


@SETTINGS
@given(entries=valid_entries())
def test_valid_entries_round_trip_through_update(ledger, entries):
    journal = fresh(ledger)
    for entry in entries:
        result = run(*options(entry), root=ledger)
        assert result.code == 0, result.err
        line = int(re.match(f"已追加到 {J} 第 ([0-9]+) 行：第 1 项 造林 — .+\n截至 {entry['date']}，第 1 项：",
                            result.out).group(1))
        assert journal.read_text(encoding="utf-8").splitlines()[line - 1] == f"- date: {entry['date']}"
    assert run("validate", root=ledger) == (0, "", "")
    card = json.loads(run("show", 1, "--as-of", "2023-12-31", "--format", "json", root=ledger).out)
    read = [{key: entry[key] or None if key == "actuals" else entry[key]
             for key in ("date", "status", "percent", "progress", "problems", "next", "actuals", "reporter")}
            for entry in card["entries"]]
    texts = ("progress", "problems", "next", "reporter")  # update trims what it is given
    assert read == [{**entry, **{key: entry[key].strip() for key in texts if entry[key]}} for entry in entries]
    assert journal.read_bytes().count(b"\n- date: ") == len(entries)  # the header, then one item per entry
