"""Attribution relations from brat standoff (.ann) files, as PolNeAR writes them.

Text-bound lines give spans with character offsets into the article text; a
discontinuous span lists its fragments separated by ";" (brat joins their texts with a
space):

    T1<TAB>Source 0 15<TAB>Washington Post
    T26<TAB>Content 752 760;769 800<TAB>failings are outweighed by her strengths

Event lines tie them together; the trigger is an `Attribution` span (or
`Attribution-no-source` when the text names no source) and numbered roles (`Content2`)
add fragments to the same role:

    E1<TAB>Attribution:T4 Content:T3 Cue:T2 Source:T1

Other lines (relations, attributes, notes, `Discuss` / `Discard` spans) are skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from extractor.errors import ConfigError

Span = tuple[int, int]
_ROLES = ("Source", "Cue", "Content")


@dataclass
class Attribution:
    """One Source / Cue / Content triple; `source` is empty when the text names none."""

    id: str
    source: list[Span] = field(default_factory=list)
    cue: list[Span] = field(default_factory=list)
    content: list[Span] = field(default_factory=list)
    source_text: str = ""
    content_text: str = ""


def read_ann(path: str | Path) -> list[Attribution]:
    p = Path(path)
    try:
        lines = p.read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read this brat file ({exc}).") from exc
    return parse_ann(lines, str(path))


def parse_ann(lines: list[str], where: str = "<ann>") -> list[Attribution]:
    spans: dict[str, tuple[list[Span], str]] = {}
    events: list[tuple[str, list[tuple[str, str]]]] = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        parts = line.split("\t")
        try:
            if parts[0].startswith("T"):
                _label, offsets = parts[1].split(" ", 1)
                frags = [_span(f) for f in offsets.split(";")]
                spans[parts[0]] = (frags, parts[2] if len(parts) > 2 else "")
            elif parts[0].startswith("E"):
                args = [tuple(a.split(":", 1)) for a in parts[1].split()]
                events.append((parts[0], args))  # type: ignore[arg-type]
        except (IndexError, ValueError) as exc:
            raise ConfigError(
                f"{where}:{n}: not a brat standoff line ({line[:60]!r}). "
                "Pass a directory with PolNeAR's text/ and attributions/."
            ) from exc
    return [_attribution(eid, args, spans, where) for eid, args in events]


def _span(fragment: str) -> Span:
    start, end = fragment.split()
    return int(start), int(end)


def _attribution(
    eid: str, args: list[tuple[str, str]], spans: dict[str, tuple[list[Span], str]], where: str
) -> Attribution:
    out = Attribution(eid)
    texts: dict[str, list[str]] = {role: [] for role in _ROLES}
    for role, ref in args:
        base = re.sub(r"\d+$", "", role)
        if base not in _ROLES:
            continue  # the trigger (Attribution / Attribution-no-source)
        if ref not in spans:
            raise ConfigError(f"{where}: event {eid} refers to {ref}, which is not defined.")
        frags, text = spans[ref]
        getattr(out, base.lower()).extend(frags)
        texts[base].append(text)
    out.source_text = " ".join(texts["Source"])
    out.content_text = " ".join(texts["Content"])
    return out
