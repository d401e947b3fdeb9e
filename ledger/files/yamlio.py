"""YAML in and out: values with the line each came from, problems instead of exceptions.

The reader resolves only a small, unsurprising set of plain scalars (null, true/false, decimal
integers and decimals); everything else, dates and `no`/`on`/`0x1A` included, stays text, so the
YAML 1.1 traps cannot turn a note into a boolean. Tags outside the core schema, anchors and aliases,
duplicate keys, invisible control characters and nesting deeper than a ledger needs are refused,
each as a Problem with its line.
"""

import re

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver

from ledger.files.store import collector_paused
from ledger.vocab import Problem

try:  # libyaml's parser is several times faster; construction below is ours either way
    from yaml._yaml import CParser as _Parser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, Parser, Composer):
        def __init__(self, stream):
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)


T_STR, T_INT, T_FLOAT, T_BOOL, T_NULL = (
    "tag:yaml.org,2002:" + name for name in ("str", "int", "float", "bool", "null"))
T_SEQ, T_MAP = "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"


# tag -> (the plain form it is read from, what a value with that tag must be)
PLAIN = {
    T_NULL: (re.compile(r"^(?:~|null|Null|NULL|)$"), "空值（null 或 ~）"),
    T_BOOL: (re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), "true 或 false"),
    T_INT: (re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), "十进制整数"),
    T_FLOAT: (re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+][0-9]+)?$"), "十进制数字"),
}
# first character of a plain scalar -> the (tag, pattern) pairs it may resolve to; each pattern is a
# subset of PyYAML's YAML 1.1 one, so what its dumper writes plain reads back alike
_IMPLICIT = {}
for _tag, _first in ((T_NULL, ["~", "n", "N", ""]), (T_BOOL, list("tTfF")), (T_INT, list("-+0123456789")),
                     (T_FLOAT, list("-+0123456789."))):
    for _char in _first:
        _IMPLICIT[_char] = _IMPLICIT.get(_char, ()) + ((_tag, PLAIN[_tag][0]),)


class _Resolver(BaseResolver):
    """Resolves plain scalars by _IMPLICIT alone: called once per node, so kept to a dictionary lookup."""

    def resolve(self, kind, value, implicit):
        if kind is ScalarNode:
            if implicit[0]:
                for tag, pattern in _IMPLICIT.get(value[:1], ()):
                    if pattern.match(value):
                        return tag
            return T_STR
        return T_SEQ if kind is SequenceNode else T_MAP

    def descend_resolver(self, current_node, current_index):
        pass  # no path resolvers

    def ascend_resolver(self):
        pass


class _Loader(_Parser, _Resolver):
    def __init__(self, stream):
        _Parser.__init__(self, stream)
        _Resolver.__init__(self)


class LineDict(dict):
    """A mapping read from YAML that remembers its own line and the line of each key."""

    __slots__ = ("line", "key_lines")

    def line_of(self, key):
        return self.key_lines.get(key, self.line)


class LineList(list):
    """A sequence read from YAML that remembers its own line and the line of each item."""

    __slots__ = ("line", "item_lines")


CONFLICT_MARKER = re.compile(r"^(<{7}|={7}|>{7})(?: |$)", re.M)
# what YAML forbids (C0 but tab and line feed, DEL, C1), what YAML counts as a line break where
# editors do not (NEL, U+2028, U+2029), and bidirectional overrides that make text read differently
# than it is stored: none belongs in a ledger, and each would reach a terminal as an escape sequence
UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
                         "\ud800-\udfff\ufffe\uffff]")
# an anchor is "&" then a name, where a node may begin: after a space, at a line's start or in a flow
MAY_ANCHOR = re.compile(r"(?:^|[\s\[{,])&[^\s,\[\]{}]", re.M)
MAX_DEPTH = 16  # a task file nests five deep; anything far deeper is a mistake or an attack
ANCHORS = "不允许使用 YAML 锚点和别名（&、*）；请把内容直接写出来，以 & 或 * 开头的文本请加引号"
TAGS = "台账文件只用普通的文本、数字、列表和映射，以 ! 开头的文本请加引号"
TOO_DEEP = f"列表和映射嵌套超过 {MAX_DEPTH} 层；台账文件只需要几层，请检查缩进和括号"


def shorten(text, limit=60):
    """text, cut to limit characters with the full length said, so a message stays one readable line."""
    text = str(text)
    return text if len(text) <= limit else f"{text[:limit]}…（共 {len(text)} 个字符）"


def decode(data, name):
    """The text of a file's bytes, or a Problem: UTF-8 only (a BOM is dropped), line ends normalised."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        return None, Problem(name, line, f"文件不是 UTF-8 编码{_encoding_guess(data)}；"
                                         f"请用 UTF-8 重新保存（第 {line} 行起无法解码）")
    return text.replace("\r\n", "\n").replace("\r", "\n"), None


def _encoding_guess(data):
    # GB18030 decodes almost any bytes, NUL included, so UTF-16 (Windows Notepad's "Unicode") goes first
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in data:
        return "，看起来是 UTF-16 编码（Windows 记事本的“Unicode”）"
    try:
        data.decode("gb18030")
    except UnicodeDecodeError:
        return ""
    return "，看起来是 GBK/GB18030 编码"


def parse(text, name):
    """Returns (value, problems) for one YAML document; value is None when it cannot be read."""
    marker = CONFLICT_MARKER.search(text)
    if marker:
        line = text.count("\n", 0, marker.start()) + 1
        return None, [Problem(name, line, "文件里留有 git 合并冲突标记（<<<<<<< / ======= / >>>>>>>）；"
                                          "请解决冲突、保留双方的条目并删除标记行")]
    unprintable = UNPRINTABLE.search(text)
    if unprintable:
        return None, [_unprintable(text, unprintable, name)]
    with collector_paused():  # a large file is a burst of short-lived allocations with no cycles among them
        return _parse(text, name)


def _parse(text, name):
    loader = None
    try:
        anchors = _anchor_lines(text)
        if anchors:  # refused before composing: nothing is ever expanded, every line is the one written
            return None, [Problem(name, line, ANCHORS) for line in anchors]
        loader = _Loader(text)
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        return None, [Problem(name, mark.line + 1 if mark else 0, _syntax_message(error))]
    except yaml.YAMLError as error:
        return None, [Problem(name, 0, f"YAML 语法错误：{error}")]
    except RecursionError:  # the pure-Python composer recurses once per level; libyaml stops at 1000
        mark = loader.get_mark() if hasattr(loader, "get_mark") else None
        return None, [Problem(name, mark.line + 1 if mark else 0, TOO_DEEP)]
    finally:
        if loader is not None:
            loader.dispose()
    if node is None:
        return None, [Problem(name, 0, "文件是空的（没有任何数据）")]
    problems = []
    value = _Builder(name, problems).build(node)
    return value, problems


def _unprintable(text, found, name):
    line = text.count("\n", 0, found.start()) + 1
    column = found.start() - text.rfind("\n", 0, found.start())
    count = len(UNPRINTABLE.findall(text))
    more = f"，全文共 {count} 处" if count > 1 else ""
    return Problem(name, line, f"含有不可见的控制字符 U+{ord(found.group()):04X}（第 {column} 列{more}）；"
                               "台账文件只能有文字、空格、Tab 和换行，请删除它")


def _anchor_lines(text):
    """Lines with an anchor (&name) or an alias (*name), read from the events, which expand nothing.

    An anchor no alias uses is refused too: it drops its own text silently (`&重点 完成` reads as `完成`).
    """
    if not MAY_ANCHOR.search(text):  # both need an anchor; "R&D" or "抚育 & 验收" in a note is none
        return []
    loader, lines = _Loader(text), set()
    try:
        while loader.check_event():
            event = loader.get_event()
            if getattr(event, "anchor", None):
                lines.add(event.start_mark.line + 1)
    finally:
        loader.dispose()
    return sorted(lines)


def _syntax_message(error):
    said = f"{error.context} {error.problem}"
    # a note that begins with *, & or ! is read as an alias, anchor or tag: say so, not "syntax error"
    if "alias" in said or "anchor" in said:
        return ANCHORS
    if "tag" in said:
        return f"不允许使用 YAML 标签；{TAGS}"
    if "nesting depth" in said:  # libyaml's own limit, the same fault as ours
        return TOO_DEEP
    if "'\\t'" in said or "tab character" in said:  # PyYAML's wording, then libyaml's: one message for both
        return "YAML 语法错误：这一行用 Tab 缩进；YAML 不允许用 Tab 缩进，请改为空格（文字里的 Tab 要放在引号里）"
    detail = "；".join(part for part in (error.context, error.problem) if part)
    return f"YAML 语法错误（{detail}）：请检查缩进（只能用空格，不能用 Tab）、冒号后的空格、引号是否成对"


class _Builder:
    """Turns a composed node tree into plain values, refusing what a ledger file never needs."""

    def __init__(self, name, problems):
        self.name = name
        self.problems = problems
        self.seen = set()

    def refuse(self, node, message):
        self.problems.append(Problem(self.name, node.start_mark.line + 1, message))

    def build(self, node, depth=0):
        if id(node) in self.seen:  # an alias: parse refuses them first; this keeps any from being expanded
            self.refuse(node, ANCHORS)
            return None
        self.seen.add(id(node))
        if depth > MAX_DEPTH:
            self.refuse(node, TOO_DEEP)
            return None
        tag = node.tag
        if isinstance(node, ScalarNode):
            return self.scalar(node, tag)
        if isinstance(node, SequenceNode) and tag == T_SEQ:
            result = LineList(self.build(item, depth + 1) for item in node.value)
            result.line = node.start_mark.line + 1
            result.item_lines = [item.start_mark.line + 1 for item in node.value]
            return result
        if isinstance(node, MappingNode) and tag == T_MAP:
            return self.mapping(node, depth)
        return self.refuse_tag(node, tag)

    def refuse_tag(self, node, tag):
        shown = tag.replace("tag:yaml.org,2002:", "!!")
        self.refuse(node, f"不允许使用 YAML 标签 {shorten(shown)}；{TAGS}")

    def scalar(self, node, tag):
        value = node.value
        if tag == T_STR:
            return value
        if tag not in PLAIN:
            return self.refuse_tag(node, tag)
        pattern, what = PLAIN[tag]
        if not pattern.match(value):  # an explicit !!int, !!float, !!bool or !!null on another form
            self.refuse(node, f"“{shorten(value)}”不是{what}")
            return None
        try:
            return {T_INT: int, T_FLOAT: float, T_BOOL: lambda text: text.lower() == "true",
                    T_NULL: lambda text: None}[tag](value)
        except ValueError:  # more digits than Python converts
            self.refuse(node, f"数字“{shorten(value)}”位数太多")
            return None

    def mapping(self, node, depth):
        result = LineDict()
        result.line = node.start_mark.line + 1
        result.key_lines = lines = {}
        for key_node, value_node in node.value:
            # text keys and values are most of a journal: taken directly, without a call each
            key = key_node.value if key_node.tag == T_STR and type(key_node) is ScalarNode else \
                self.build(key_node, depth + 1)
            line = key_node.start_mark.line + 1
            if not isinstance(key, (str, int)) or isinstance(key, bool):
                written = f"“{shorten(key_node.value)}”" if isinstance(key_node, ScalarNode) and key_node.value else ""
                self.refuse(key_node, f"映射的键{written}应为文本或整数；如果本意是文本，请加引号")
                continue
            if key in lines:
                self.refuse(key_node, f"键“{shorten(key)}”重复（第 {lines[key]} 行已有）；"
                                      "PyYAML 会悄悄只保留后一个，请删除或合并其中一个")
                continue
            lines[key] = line
            if value_node.tag == T_STR and type(value_node) is ScalarNode:
                result[key] = value_node.value
            else:
                result[key] = self.build(value_node, depth + 1)
        return result


class _Dumper(yaml.SafeDumper):
    pass


ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _represent_str(dumper, value):
    if ISO_DATE.match(value):  # plain, as YAML readers everywhere expect a date; ours keeps it text
        return dumper.represent_scalar("tag:yaml.org,2002:timestamp", value)
    style = "|" if "\n" in value else None
    return dumper.represent_scalar(T_STR, value, style=style)


_Dumper.add_representer(str, _represent_str)


def dump(value):
    """Block-style YAML text for value: Chinese as is, keys in the given order, no line folding."""
    return yaml.dump(value, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=1 << 30)
