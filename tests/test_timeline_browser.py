"""The timeline page in a real headless browser (Debian chromium driven by Playwright),
as tests/test_report_browser.py does for the report.

The runs: the recorded fixture (tests/fixtures/timeline, replayed from its cassette: real
model output) and the hand-made negotiation of tests/timeline_records.py, whose flags are
known, one of its targets carrying `<script>`. The page is opened from file:// with a
fresh profile; a screenshot goes to test-artifacts/timeline.png.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from conftest import ROOT
from test_report_browser import page  # noqa: F401  (the browser fixture)
from timeline_fixture import replayed
from timeline_records import negotiation

from extractor.cli.main import main
from extractor.timeline import build_timeline

ARTIFACTS = ROOT / "test-artifacts"


def test_timeline_in_browser(page: Any, tmp_path: Path) -> None:  # noqa: F811
    hand = negotiation()
    hand[1].stances[1].target = "<script>alert(1)</script> truce"
    runs = [*replayed(), *hand]
    run = tmp_path / "run.jsonl"
    run.write_text("".join(r.model_dump_json() + "\n" for r in runs))
    html = tmp_path / "timeline.html"
    assert main(["timeline", str(run), "--html", str(html)]) == 0
    timeline = build_timeline(runs)

    problems: list[str] = []
    dialogs: list[str] = []
    page.on("console", lambda m: m.type in ("error", "warning") and problems.append(m.text))
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("request", lambda r: r.url.startswith("file://") or problems.append(r.url))
    page.goto(html.as_uri())
    assert problems == []  # e.g. a CSP refusal of the page's own style

    # one row per actor and target, one marker per position, dates as the axis
    assert page.locator("tbody tr.row").count() == len(timeline.rows)
    points = sum(len(r.points) + len(r.undated) for r in timeline.rows)
    assert page.locator("tbody .mk").count() == points
    assert page.locator("thead th.day").all_inner_texts() == [*timeline.dates, "undated"]
    assert "2026-03-02" in timeline.dates and "2016-10-01" in timeline.dates
    # flags: highlighted rows and markers, and one side-by-side card per flag
    flagged_rows = sum(1 for r in timeline.rows if r.shifts)
    assert page.locator("tr.row.has-flags").count() == flagged_rows >= 2
    assert page.locator("section.shifts article.shift").count() == len(timeline.shifts) >= 5
    card = page.locator("article.shift.kind-position").first
    assert card.locator(".side").count() == 2 and card.locator(".quote").count() >= 2
    assert (
        card.locator(".side.before .date").inner_text()
        < card.locator(".side.after .date").inner_text()
    )
    same_day = [s for s in timeline.shifts if s.kind == "same day"]
    # one from the hand-written negotiation; the replay's same-day pair (2026-03-16) went
    # with the stances the parse does not read (the model's alone fall below 0.5)
    assert page.locator("article.shift.kind-same-day").count() == len(same_day) >= 1

    # a marker opens its evidence
    lind = page.locator('tr.row[data-actor="Lind"]').first
    marker = lind.locator(".mk.flagged").last
    assert not marker.locator(".card").is_visible()
    marker.locator("summary").click()
    assert marker.locator(".card").is_visible()
    assert "Lind" in lind.inner_text() and marker.locator(".card .quote").count() >= 1
    assert "⚑" in marker.locator(".card").inner_text()

    # the model's <script> is text, never markup, and nothing ran
    assert "<script>alert(1)</script> truce" in page.locator("section.joins").inner_text() or (
        "<script>alert(1)</script> truce" in page.locator("table.timeline").inner_text()
    )
    assert page.evaluate("document.querySelectorAll('script, img').length") == 0
    assert dialogs == [] and problems == []

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "timeline.png"), full_page=True)
