"""Numeric targets a task asks to reach: 新增就业5000人以上, 用水总量控制在2.5亿立方米以内, 增长6.5%.

Numbers that only qualify a noun (投资500万元以上的项目), durations (6个月) and policy parameters (给予最高
50万元奖励, 每人每月200元补贴) are not targets."""

import re

# what a target can be counted in; 万 and 亿 stay in the measure (万亩, 亿立方米), the value stays as written
BASE_MEASURES = """家 个 人 名 亩 % ％ 立方米 千瓦时 千瓦 公里 千米 平方公里 平方米 场 吨 座 处 条 所 项 类 头 只 斤 元 次 人次
    课时 个百分点 百分点 个工作日 工作日 张 床 户 批 辆 台 套 件 篇 公顷 株 册""".split()
MEASURE = "(?:万|亿)?(?:" + "|".join(map(re.escape, sorted(BASE_MEASURES, key=len, reverse=True))) + ")"
NUMBER = re.compile(r"(?<![A-Za-z0-9.])(\d+(?:\.\d+)?)(余|多)?(" + MEASURE + r")(以上|以内|以下|左右)?")
# a policy's parameters, not goals: 给予最高50万元奖励, 按每亩200元补贴, 每人每月200元, 50万元奖励
POLICY_BEFORE = re.compile(r"(?:最高|最低|最多|每[人户亩年月次个家项台吨]?|给予|一次性|按)(?:不超过|不低于)?$"
                           r"|每[人户亩月].{0,6}?(?:补助|补贴|奖励|发放)$")
POLICY_AFTER = re.compile(r"(?:的)?(?:奖励|补贴|补助|奖补|资助|贴息|的标准|/[人户亩年月])")
QUOTED = re.compile(r"《[^》]*》|“[^”]*”|\"[^\"]*\"")
# words before a number that say how it compares, removed from the target's name
PREFIX_AT_LEAST = ("不少于", "不低于", "至少", "达到", "超过", "突破", "提高至", "提高到", "提升至", "提升到", "增加到",
                   "增加至", "扩大至", "扩大到", "保持在", "稳定在", "达")
PREFIX_AT_MOST = ("控制在", "不超过", "不高于", "低于", "少于", "压减至", "压减到", "压缩至", "压缩到", "降至", "降低到",
                  "下降到")
PREFIX_ABOUT = ("大约", "约")
COMPARATOR_WORDS = {**dict.fromkeys(PREFIX_AT_LEAST, "at_least"), **dict.fromkeys(PREFIX_AT_MOST, "at_most"),
                    **dict.fromkeys(PREFIX_ABOUT, "about")}
GROWTH = ("增长", "增速", "增幅")
REMARK = re.compile(r"[(（][^)）]*[,，、;；][^)）]*[)）]?")  # a parenthetical remark, not part of a name
FILLERS = ("力争", "积极", "全县", "全市", "全区", "全年", "年内", "确保", "年底前")
# a deadline that opens a clause (2024年底前新建…, 第三季度开工…) is the task's due date, not part of a target's name
LEADING_MARK = re.compile(r"^(?:[①-⑳]|[(（]?\d{1,2}[)）]|[(（][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+是)[、.．]?")  # ① (1) 一是
LEADING_DEADLINE = re.compile(r"^(?:(?:\d{4}年)?(?:上半年|下半年|第?[一二三四]季度末?前?|\d{1,2}月底前|\d{1,2}月\d{1,2}日前)"
                              r"|\d{4}年(?:底前?|末前?|内)|年底前?|年末前?|年内)[,，]?")


def targets_of(text):
    """Each numeric target a task's text asks to reach, with the sentence it came from."""
    quoted = [m.span() for m in QUOTED.finditer(text)]
    targets = []
    for sentence_start, sentence in _sentences(text):
        found, qualifier_end = [], -1
        for match in NUMBER.finditer(sentence):
            if any(a <= sentence_start + match.start() < b for a, b in quoted):
                continue
            if _is_qualifier(sentence, match) or sentence[qualifier_end:match.start()] == "、":
                qualifier_end = match.end()
                continue
            found.append(match)
        breaks = _hard_breaks(sentence)
        boundary = 0
        for index, match in enumerate(found):
            start = max([boundary] + [b + 1 for b in breaks if b < match.start()])
            end = next((b for b in breaks if b >= match.end()), len(sentence))
            if index + 1 < len(found) and found[index + 1].start() < end:
                following = found[index + 1].start()
                comma = sentence.find("、", match.end(), following)
                end = comma if comma != -1 else following
            targets.append(_target(match, sentence[start:match.start()], sentence[match.end():end], sentence))
            boundary = end + 1
    _disambiguate(targets)
    return targets


def _sentences(text):
    start = 0
    for piece in re.split(r"(?<=[。\n])", text):
        if piece:
            yield start, piece
        start += len(piece)


def _hard_breaks(sentence):
    """Positions of the commas, semicolons and full stops that are not inside parentheses."""
    depth, breaks = 0, []
    for position, char in enumerate(sentence):
        depth += char in "(（"
        depth -= char in ")）" and depth > 0
        if depth == 0 and char in "，,；;。":
            breaks.append(position)
    return breaks


def _is_qualifier(sentence, match):
    """True for numbers that qualify a noun rather than set a target: 投资500万元以上的, 前100项, 30万千瓦以下小机组,
    durations (6个月) and policy parameters (给予最高50万元奖励, 每人每月200元)."""
    before = sentence[:match.start()]
    after = sentence[match.end():]
    ends_clause = after[:1] in ("", "，", ",", "、", "；", ";", "。", "\n")
    ends_sentence = after[:1] in ("", "，", ",", "；", ";", "。", "\n")
    # 前100项 and 第3批 say which, not how many; 投资500万元以上的 qualifies a noun, but 完成投资1.5亿元， is a target
    if before.endswith(("前", "第")) or before.endswith("投资") and not ends_sentence:
        return True
    if match.group(3) == "个" and after[:1] in ("月", "小", "季"):  # 6个月, 24个小时, 2个季度: how long, not how much
        return True
    clause = re.split(r"[，,；;。\n]", before)[-1]
    if POLICY_BEFORE.search(clause) or POLICY_AFTER.match(after):
        return True
    if match.group(4) in ("以上", "以下") and after.startswith("的"):
        return True
    return match.group(4) == "以下" and not ends_clause


def _target(match, before, after, sentence):
    value_text, _more, measure, suffix = match.groups()
    comparator = {"以内": "at_most", "以下": "at_most", "左右": "about"}.get(suffix, "at_least")
    word = max((w for w in COMPARATOR_WORDS if before.endswith(w)), key=len, default="")  # 不少于 before 少于
    if word:
        before = before[: -len(word)]
        comparator = comparator if suffix == "左右" else COMPARATOR_WORDS[word]
    kind = "growth" if before.endswith(GROWTH) else "amount"
    name = REMARK.sub("", _strip_fillers(before) + after).strip()
    value = float(value_text) if "." in value_text else int(value_text)
    return {"name": name or measure, "value": value, "measure": measure, "comparator": comparator,
            "kind": kind, "source": sentence.strip()}


def _strip_fillers(text):
    changed = True
    while changed:
        text, count = re.subn(LEADING_DEADLINE.pattern + "|" + LEADING_MARK.pattern, "", text)
        changed = bool(count) and bool(text)
        for word in FILLERS:
            if text.startswith(word):
                text, changed = text[len(word):], True
    return text


def _disambiguate(targets):
    """Targets that share a name take the name of the target before them in front of theirs."""
    names = [t["name"] for t in targets]
    for index, target in enumerate(targets):
        if names.count(target["name"]) > 1 and index > 0:
            previous = targets[index - 1]
            if previous["source"] == target["source"]:
                target["name"] = previous["name"] + target["name"]
