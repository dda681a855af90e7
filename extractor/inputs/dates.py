"""The publication date a plain text states at its top, read by a date library
(python-dateutil), never guessed from the body.

Only the first `TOP_LINES` non-empty lines are looked at, and only these forms count:

- a labelled line, the date right after the label: "Published 3 May 2024",
  "Updated: March 4, 2024 10:02 GMT", "Posted on 2024-03-04", "Date: 4 March 2024" (the
  first date of "... | Updated ...");
- a line that is a date and nothing else: "4 March 2024", "Monday, March 4, 2024";
- a wire dateline: "WASHINGTON, Oct. 25, 2016 (Reuters) - ...".

The date must name its year, month and day, with the month as a word or in ISO order
(YYYY-MM-DD): "03/04/2024" is March or April depending on the country, so it is not read.
"""

from __future__ import annotations

import re
import warnings
from datetime import datetime

from dateutil import parser as date_parser

TOP_LINES = 5
_MONTH = (
    r"jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|"
    r"sep(t|tember)?|oct(ober)?|nov(ember)?|dec(ember)?"
)
_NAMED = re.compile(rf"\b({_MONTH})\b\.?", re.IGNORECASE)
_ISO = re.compile(r"(?<!\d)\d{4}-\d{2}-\d{2}(?!\d)")
_DAY = r"(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?"
_LABEL = re.compile(  # the date right after the label: "Updated figures show ..." is not one
    r"^(?:(?:first|originally|last)\s+)?(?:published|updated|posted|modified|dated?)"
    rf"\s*:?\s*(?:on\s+)?(?P<date>(?:\d|(?:{_MONTH}|{_DAY})\b).{{0,60}})$",
    re.IGNORECASE,
)
_WIRE = re.compile(
    rf"^[A-Z][A-Z .'’-]{{1,40}},\s+(?P<date>(?:{_MONTH})\.?\s+\d{{1,2}},?\s+\d{{4}})\b",
    re.IGNORECASE,
)
_ALONE_MAX = 40  # a line longer than this is not "a date and nothing else"


def dateline(text: str) -> tuple[int, str] | None:
    """(index among the non-empty top lines, ISO date) of the first dateline, or None."""
    lines = [line.strip() for line in text.splitlines() if line.strip()][:TOP_LINES]
    for index, line in enumerate(lines):
        line = line.lstrip("#*_ ").rstrip("*_ ")
        if m := _LABEL.match(line):
            # the first date of "... | Updated ...", without its time ("10.02 GMT")
            first = re.split(r"\s[|·•]\s|\s[-–—]\s|,?\s+(?:at\s+)?\d{1,2}[.:]\d{2}\b", m["date"])[0]
            found = _parse(first, fuzzy=True)
        elif m := _WIRE.match(line):
            found = _parse(m["date"], fuzzy=False)
        elif len(line) <= _ALONE_MAX:
            found = _parse(line, fuzzy=False)
        else:
            found = None
        if found:
            return index, found
    return None


def _parse(value: str, *, fuzzy: bool) -> str | None:
    """`value` as an ISO date when it names year, month and day unambiguously."""
    if not (_NAMED.search(value) or _ISO.search(value)):
        return None
    # parsed twice with different defaults: a part that changes was not in the text
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # an unknown time zone name ("BST")
            one = date_parser.parse(value, fuzzy=fuzzy, default=datetime(2001, 1, 1))
            two = date_parser.parse(value, fuzzy=fuzzy, default=datetime(2002, 2, 2))
    except (ValueError, OverflowError):
        return None
    if (one.year, one.month, one.day) != (two.year, two.month, two.day):
        return None
    return one.date().isoformat()
