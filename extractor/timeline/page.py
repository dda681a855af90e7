"""The timeline as one self-contained HTML page, in the report's style.

One table row per actor and joined target, one column per date (the time axis) and one
for undated articles; a marker per point opens its evidence (a <details> element: no
script at all). Flagged markers and rows are highlighted, and each flag is shown again
below the table with its two points side by side: quotes, dates, articles. Last, the
wordings that were joined into one target, and how.

Rendered from `timeline/templates/timeline.html.j2` with autoescaping on: model output
and article titles are text, never markup. The CSS (the report's stylesheet, read as a
package resource of `extractor.reports`, then `timeline/templates/timeline.css`) is inline
and allowed by its hash; the Content-Security-Policy allows nothing else.
"""

from __future__ import annotations

import base64
import hashlib
from importlib.resources import files
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from extractor.timeline.rows import Timeline

TEMPLATES = Path(__file__).resolve().parent / "templates"
REPORT_CSS = files("extractor.reports") / "templates" / "report.css"  # the report's look
SYMBOL = {"support": "+", "oppose": "−", "neutral": "=", "unclear": "?"}


def render_html(timeline: Timeline, *, title: str | None = None) -> str:
    css = "\n".join(
        [
            REPORT_CSS.read_text(encoding="utf-8"),
            (TEMPLATES / "timeline.css").read_text(encoding="utf-8"),
        ]
    )
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    flag_ids = {id(s): f"f{n}" for n, s in enumerate(timeline.shifts)}
    return env.get_template("timeline.html.j2").render(
        title=title or "stance timeline",
        t=timeline,
        symbol=SYMBOL,
        flag_id=lambda shift: flag_ids[id(shift)],
        joined=[g for g in timeline.groups if len(g.wordings) > 1],
        css=css,
        csp=f"default-src 'none'; style-src '{_hash(css)}'",
    )


def _hash(source: str) -> str:
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")
