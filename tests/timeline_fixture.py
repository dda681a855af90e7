"""The dated fixture run: the five hand-written items of tests/fixtures/timeline/articles
through the whole pipeline (agenda strategy), every HTTP answer replayed from the
cassette that tests/test_timeline_fixture.py recorded from a real model."""

from __future__ import annotations

from pathlib import Path

import cassette_format
from conftest import ROOT

from extractor import Extractor
from extractor.api import EMBEDDED_TIMEOUT
from extractor.pipeline import articles
from extractor.schemas import ArticleResult

FIXTURE = ROOT / "tests" / "fixtures" / "timeline"
ARTICLES = FIXTURE / "articles"
EXPECTED = FIXTURE / "expected.jsonl"
CASSETTE = ROOT / "cassettes" / "test_timeline_fixture" / "test_timeline_fixture.yaml"
REPLAY_URL = "http://127.0.0.1:9/v1"  # nothing listens here
# The recording's model: the quality probe (Qwen2.5-Coder-1.5B-Instruct, GGUF) on the
# embedded llama.cpp server, which names the model after the file's stem.
MODEL = "qwen2.5-coder-1.5b"


def extract(base_url: str) -> list[ArticleResult]:
    """The fixture's articles through the pipeline against `base_url`; paths relative to
    the repository, so the records do not depend on where it is checked out."""
    with Extractor(
        base_url=base_url,
        model=MODEL,
        mode="json_grammar",
        strategy="agenda",
        timeout=EMBEDDED_TIMEOUT,
        context_tokens=8192,  # the embedded server's n_ctx: the same chunks either way
        cache=None,  # every answer from the recording, never from a cache of this machine
    ) as ex:
        results = [ex.run(article) for article in articles.load([str(ARTICLES)])]
    for r in results:
        r.article.path = Path(r.article.path).relative_to(ROOT).as_posix()
    return results


def replayed() -> list[ArticleResult]:
    """`extract` with every answer from the cassette (outside pytest-recording's fixture)."""
    import vcr

    replay = vcr.VCR(record_mode="none", match_on=["method", "path", "body"])
    replay.register_serializer("yaml", cassette_format)
    with replay.use_cassette(str(CASSETTE)):
        return extract(REPLAY_URL)


if __name__ == "__main__":
    # `make fixtures`: the expected records rewritten from the recorded answers, after a
    # change to what the pipeline makes of them (review the diff; nothing is re-asked).
    EXPECTED.write_text("".join(r.model_dump_json() + "\n" for r in replayed()), encoding="utf-8")
