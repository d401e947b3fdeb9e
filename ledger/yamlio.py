"""YAML in and out: values with the line each came from, problems instead of exceptions.

The reader resolves only a small, unsurprising set of plain scalars (null, true/false, decimal
integers and decimals); everything else, dates and `no`/`on`/`0x1A` included, stays text, so the
YAML 1.1 traps cannot turn a note into a boolean. Tags outside the core schema, anchors and aliases
and duplicate keys are refused, each as a Problem with its line.
"""

import gc
import re

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver

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


# first character of a plain scalar -> the (tag, pattern) pairs it may resolve to; each pattern is a
# subset of PyYAML's YAML 1.1 one, so what its dumper writes plain reads back alike
_IMPLICIT = {}
for _tag, _pattern, _first in (
    (T_NULL, r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    (T_BOOL, r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    (T_INT, r"^[-+]?(?:0|[1-9][0-9]*)$", list("-+0123456789")),
    (T_FLOAT, r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+][0-9]+)?$", list("-+0123456789.")),
):
    for _char in _first:
        _IMPLICIT[_char] = _IMPLICIT.get(_char, ()) + ((_tag, re.compile(_pattern)),)


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


def decode(data, name):
    """The text of a file's bytes, or a Problem: UTF-8 only (a BOM is dropped), line ends normalised."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        guess = ""
        try:
            data.decode("gb18030")
            guess = "，看起来是 GBK/GB18030 编码"
        except UnicodeDecodeError:
            pass
        return None, Problem(name, line, f"文件不是 UTF-8 编码{guess}；请用 UTF-8 重新保存（第 {line} 行起无法解码）")
    return text.replace("\r\n", "\n").replace("\r", "\n"), None


def parse(text, name):
    """Returns (value, problems) for one YAML document; value is None when it cannot be read."""
    marker = CONFLICT_MARKER.search(text)
    if marker:
        line = text.count("\n", 0, marker.start()) + 1
        return None, [Problem(name, line, "文件里留有 git 合并冲突标记（<<<<<<< / ======= / >>>>>>>）；"
                                          "请解决冲突、保留双方的条目并删除标记行")]
    loader = _Loader(text)
    collecting = gc.isenabled()
    gc.disable()  # a large file is a burst of short-lived allocations with no cycles among them
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        return None, [Problem(name, mark.line + 1 if mark else 0, _syntax_message(error))]
    except yaml.YAMLError as error:
        return None, [Problem(name, 0, f"YAML 语法错误：{error}")]
    finally:
        loader.dispose()
        if collecting:
            gc.enable()
    if node is None:
        return None, [Problem(name, 0, "文件是空的（没有任何数据）")]
    problems = []
    gc.disable()
    try:
        value = _Builder(name, problems).build(node)
    finally:
        if collecting:
            gc.enable()
    return value, problems


def _syntax_message(error):
    detail = "；".join(part for part in (error.context, error.problem) if part)
    hint = "请检查缩进（只能用空格，不能用 Tab）、冒号后的空格、引号是否成对"
    if "found character '\\t'" in (error.problem or ""):
        hint = "YAML 不允许用 Tab 缩进，请改为空格"
    return f"YAML 语法错误（{detail}）：{hint}"


class _Builder:
    """Turns a composed node tree into plain values, refusing what a ledger file never needs."""

    def __init__(self, name, problems):
        self.name = name
        self.problems = problems
        self.seen = set()

    def refuse(self, node, message):
        self.problems.append(Problem(self.name, node.start_mark.line + 1, message))

    def build(self, node):
        if id(node) in self.seen:
            self.refuse(node, "不允许使用 YAML 锚点和别名（&、*）；请把内容直接写出来")
            return None
        tag = node.tag
        if isinstance(node, ScalarNode):
            return self.scalar(node, tag)
        self.seen.add(id(node))
        if isinstance(node, SequenceNode) and tag == T_SEQ:
            result = LineList(self.build(item) for item in node.value)
            result.line = node.start_mark.line + 1
            result.item_lines = [item.start_mark.line + 1 for item in node.value]
            return result
        if isinstance(node, MappingNode) and tag == T_MAP:
            return self.mapping(node)
        self.refuse(node, f"不允许使用 YAML 标签 {tag}；台账文件只用普通的文本、数字、列表和映射")
        return None

    def scalar(self, node, tag):
        value = node.value
        if tag == T_STR:
            return value
        try:
            if tag == T_INT:
                return int(value)
            if tag == T_FLOAT:
                return float(value)
        except ValueError:
            self.refuse(node, f"“{value}”不是十进制数字")
            return None
        if tag == T_BOOL:
            return value.lower() == "true"
        if tag == T_NULL:
            return None
        self.refuse(node, f"不允许使用 YAML 标签 {tag}；台账文件只用普通的文本、数字、列表和映射")
        return None

    def mapping(self, node):
        result = LineDict()
        result.line = node.start_mark.line + 1
        result.key_lines = lines = {}
        for key_node, value_node in node.value:
            # text keys and values are most of a journal: taken directly, without a call each
            key = key_node.value if key_node.tag == T_STR and type(key_node) is ScalarNode else self.build(key_node)
            line = key_node.start_mark.line + 1
            if not isinstance(key, (str, int)):
                self.refuse(key_node, "映射的键必须是文本或数字")
                continue
            if key in lines:
                self.refuse(key_node, f"键“{key}”重复（第 {lines[key]} 行已有）；"
                                      "PyYAML 会悄悄只保留后一个，请删除或合并其中一个")
                continue
            lines[key] = line
            if value_node.tag == T_STR and type(value_node) is ScalarNode:
                result[key] = value_node.value
            else:
                result[key] = self.build(value_node)
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
