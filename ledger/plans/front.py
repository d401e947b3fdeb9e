"""A plan document's front matter -> its title, issuer, document number and signing date, and the plan's year.

The year is taken from the first of: --year, the title (2025年, 2024—2025年), the document number
(〔2025〕), the signing date, the deadlines the tasks name; what was used is said. A plan whose year
its title (or --year) states covers that year; one whose year had to be inferred covers that year and
runs on to the latest deadline its tasks name.
"""

import re
from typing import NamedTuple

from ledger.plans import annotations
from ledger.vocab import LedgerError

NOTICE = re.compile(r"^(.*?)关于印发[《“]?(.+?)[》”]?的通知$")
DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,12}[〔\[［【(（]\s*((?:19|20)\d{2})\s*[〕\]］】)）]\s*第?\s*\d{1,4}\s*号")
CN_DIGITS = "〇一二三四五六七八九"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
DATE_CN = re.compile(r"((?:19|20)\d{2}|[〇○零O一二三四五六七八九]{4})\s*年\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*月"
                     r"\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*日")
DATE_ISO = re.compile(r"^((?:19|20)\d{2})-(\d{2})-(\d{2})$")
PLAN_WORDS = re.compile(r"任务|计划|方案|要点|清单|安排|措施|意见|目标|分工")
TITLE_YEARS = re.compile(r"((?:19|20)\d{2})\s*(?:年\s*)?[-—–－~～至到]\s*((?:19|20)\d{2})\s*年|((?:19|20)\d{2})\s*年")
UNKNOWN = "未注明"


class Year(NamedTuple):
    """The plan's years and where they came from."""

    first: int
    last: int
    source: str        # in words: 标题“…”, 文号“…”, 成文日期 …, 完成时限, --year
    stated: bool       # True when the title or --year states it: the plan covers exactly these years


def front_matter(lines, source_name, notes):
    """(plan fields but the period, the numbers of the lines they were read from, the last line of the front)."""
    first_header = next((line.number for line in lines if line.level is not None and line.level <= 2),
                        next((line.number for line in lines if line.level is not None), len(lines) + 1))
    front = [line for line in lines if line.number < first_header and line.text and not line.leftover]
    used = set()
    notices = [(line, NOTICE.match(line.text)) for line in front if NOTICE.match(line.text)]
    title, issuer = "", ""
    if notices:
        title = notices[-1][1].group(2)
        issuer = re.sub(r"\s+", "", notices[-1][1].group(1))
        used.update(line.number for line, _ in notices)
    number_line = _number_line(front, [line for line, _ in notices])
    number = re.sub(r"\s+", "", DOC_NUMBER.search(number_line.text).group(0)) if number_line else ""
    date, date_line, signer = _date(lines, front)
    if signer:
        issuer = issuer or signer[0]
        used.update(signer[1])
    if not title:
        title_line = next((line for line in front if _titlelike(line.text) and PLAN_WORDS.search(line.text)),
                          next((line for line in front if _titlelike(line.text)), None))
        title = title_line.text if title_line else re.sub(r"\.\w+$", "", source_name)
        used.add(getattr(title_line, "number", 0))
    used.update(line.number for line in (number_line, date_line) if line)
    used.update(line.number for line in front if line.text == title)
    for value, what in ((issuer, "发文机关"), (number, "文号")):
        if not value:
            notes.append((0, f"没有找到{what}，已填“{UNKNOWN}”；请在 data/tasks.yaml 的 plan 里填写"))
    plan = {"title": title, "issuer": issuer or UNKNOWN, "number": number or UNKNOWN, "date": date,
            "source": source_name or None}
    return plan, used - {0}, first_header - 1


def plan_year(plan, deadline_years, given=None):
    """The plan's Year: --year, else the title's, the document number's, the signing date's or the deadlines'."""
    if given:
        return Year(given, given, "--year", True)
    found = TITLE_YEARS.search(plan["title"])
    if found:
        first, last = (found.group(1), found.group(2)) if found.group(1) else (found.group(3), found.group(3))
        if int(first) <= int(last):
            return Year(int(first), int(last), f"标题“{plan['title']}”", True)
    found = DOC_NUMBER.search(plan["number"])
    if found:
        return Year(int(found.group(1)), int(found.group(1)), f"文号“{plan['number']}”", False)
    if plan["date"]:
        return Year(int(plan["date"][:4]), int(plan["date"][:4]), f"成文日期 {plan['date']}", False)
    if deadline_years:
        return Year(min(deadline_years), min(deadline_years), "任务的完成时限（最早的年份）", False)
    raise LedgerError("无法确定计划年度：标题、文号、成文日期和完成时限里都没有年份；"
                      "请用 --year 指定（如 --year 2025），或在文件标题中写明年度后再导入")


def _number_line(front, notices):
    """The line holding the document number: the one right after the notice's title, else before it, else the first."""
    def only_number(line):
        return line is not None and DOC_NUMBER.fullmatch(re.sub(r"\s+", "", line.text))

    for offset in (1, -1):
        for notice in notices:
            index = front.index(notice) + offset
            if 0 <= index < len(front) and only_number(front[index]):
                return front[index]
    return next((line for line in front if only_number(line)),
                next((line for line in front if DOC_NUMBER.search(line.text)), None))


def _date(lines, front):
    """(ISO date the document was signed, its line, (issuer named beside it, its line number) or None).

    A date with the issuer beside it (the signature) wins over one standing alone (under the title)."""
    found = []
    for line in front + [line for line in lines if line not in front]:
        text = line.text.strip("()（） ")
        date = DATE_CN.search(text)
        if not date or date.end() != len(text) or not _real(iso(date)):
            continue
        before = text[:date.start()].strip()
        if before:
            if _office(before):
                return iso(date), line, (before, [line.number])
            continue
        signers = []  # the offices signing above the date; jointly issued plans have several
        for above in reversed([l for l in lines[:lines.index(line)] if l.text][-3:]):
            if not _office(above.text):
                break
            signers.insert(0, above)
        if signers:
            return iso(date), line, ("、".join(l.text for l in signers), [l.number for l in signers])
        found.append((iso(date), line, None))
    if found:
        return found[0]
    line = next((line for line in front if DATE_ISO.match(line.text)), None)
    return (line.text, line, None) if line else ("", None, None)


def _real(text):
    import datetime as dt  # noqa: PLC0415

    try:
        return bool(dt.date.fromisoformat(text))
    except ValueError:
        return False


def _office(text):
    return len(text) <= 40 and (annotations.looks_like_unit(text) or text.endswith(("政府", "办公室", "委员会")))


def iso(found):
    """The ISO date of a DATE_CN match: 2023年8月29日, 二〇二三年八月二十九日."""
    year, month, day = found.groups()
    if not year.isdigit():
        year = "".join("0" if c in "〇○零O" else str(CN_DIGITS.index(c)) for c in year)
    return f"{year}-{count(month):02d}-{count(day):02d}"


def count(text):
    """12, 十二 or 一百零一 -> the number (task, month and day numbers as plans write them)."""
    if text.isdigit():
        return int(text)
    if text in CIRCLED:
        return CIRCLED.index(text) + 1
    total, digit = 0, None
    for char in text:
        if char in "十百":
            total += (1 if digit is None else digit) * (10 if char == "十" else 100)
            digit = None
        else:
            digit = CN_DIGITS.index(char) if char in CN_DIGITS else 0  # 零
    return total + (digit or 0)


def _titlelike(text):
    return (6 <= len(text) <= 60 and text[-1] not in "。：:，,；;" and not DOC_NUMBER.search(text)
            and not DATE_CN.search(text) and not DATE_ISO.match(text) and not re.fullmatch(r"[\d/\-\s]+", text))
