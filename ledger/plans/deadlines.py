"""Deadlines written in a task: 年底前, 2026年3月底前, 6月30日前, 上半年, 第三季度, 年内, a task table's 完成时限：9月."""

import datetime as dt
import re
from typing import NamedTuple

# (pattern, month-day or how to find it); 每月/每季度 are routines, not deadlines
DEADLINES = (
    (re.compile(r"(?<!每)(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日(?:之?前|为止)"), None),
    (re.compile(r"(?<!每)(?<!每个)(?:(\d{4})年)?(\d{1,2})(?:月底|月末|月份前|月份之前|月前|月之前)"), "month"),
    (re.compile(r"(?<!每)(?:(\d{4})\s*)?年(?:底|末)"), "12-31"),
    (re.compile(r"(?:(\d{4})|(?<![十百\d]))年内"), "12-31"),
    (re.compile(r"(?:(\d{4})年)?上半年"), "06-30"),
    (re.compile(r"(?:(\d{4})年)?下半年"), "12-31"),
    (re.compile(r"(?<!每)(?:(\d{4})年)?(?:第)?([一二三四1-4])季度"), "quarter"),
    (re.compile(r"完成时限[:：]\s*(?:(\d{4})年)?(\d{1,2})月(?![\d底末份])"), "month"),  # a task table's 6月
    (re.compile(r"完成时限[:：]\s*(?:(\d{4})\s*[年.\-/])?(\d{1,2})\s*[月.\-/]\s*(\d{1,2})日?(?!\d)"), None),  # 6月30日
)
QUARTER_ENDS = {"一": (3, 31), "二": (6, 30), "三": (9, 30), "四": (12, 31), "1": (3, 31), "2": (6, 30),
                "3": (9, 30), "4": (12, 31)}
NAMED_YEAR = re.compile(r"(?:19|20)\d{2}")


class Deadline(NamedTuple):
    day: str          # ISO date
    written: str      # the words in the text: 2026年3月底前
    year_named: bool  # the words name the year (2026年3月底前), rather than meaning the plan's (6月底前)


def deadlines(text, year):
    """Every deadline text names, in the order found; year: the plan's (first) year, for words that name none."""
    found = []
    for pattern, month_day in DEADLINES:
        for match in pattern.finditer(text):
            named = match.group(1)
            if named and not NAMED_YEAR.fullmatch(named):
                continue
            on_year = int(named or year)
            if month_day is None:
                month, day = int(match.group(2)), int(match.group(3))
            elif month_day == "month":
                month, day = int(match.group(2)), 31
            elif month_day == "quarter":
                month, day = QUARTER_ENDS[match.group(2)]
            else:
                month, day = map(int, month_day.split("-"))
            day_text = _real(on_year, month, day, month_day == "month")
            if day_text:
                found.append(Deadline(day_text, match.group(0), bool(named)))
    return found


def deadline_years(texts):
    """The years deadlines in texts name (2026年3月底前 -> 2026)."""
    return [int(d.day[:4]) for text in texts for d in deadlines(text, 1900) if d.year_named]


def _real(year, month, day, month_end):
    """The ISO date, month_end: the month's last day; None when there is no such day (2月30日, 13月底)."""
    if not 1 <= month <= 12:
        return None
    if month_end:
        following = dt.date(year + month // 12, month % 12 + 1, 1)
        return (following - dt.timedelta(days=1)).isoformat()
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None
