"""`extractor batch` gives the records `extract` gives, on answers recorded from the
embedded model (SmolLM2-135M on llama-cpp-python's server).

`extract` runs three articles (sentence strategy) replaying the cassette; the loopback
Batch API fake answers every batch request with the answer the cassette recorded for that
very body, so a batch body that differs from what `extract` sent finds no answer and the
test fails. Then prepare, submit, finish, collect, in rounds until every article is
complete (answers that fail validation need a re-ask, which the next round asks), and the
records must equal `extract`'s, usage included.

Re-record (starts the embedded server): `pytest tests/test_batch_e2e.py --record-mode=rewrite`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import cassette_format
import pytest
import vcr
from conftest import ROOT, SEED, _request, _response
from handmade import TEXT

from extractor import Extractor
from extractor.api import EMBEDDED_TIMEOUT
from extractor.backends.embedded import MODEL_ALIAS, EmbeddedServer
from extractor.batchjobs.bodies import canonical
from extractor.cli.main import main
from extractor.pipeline.articles import load
from extractor.runtime.cache import Cache
from tests.support.batch_fake import BatchAPI
from tests.support.fakeserver import Reply

CASSETTE = ROOT / "cassettes" / "test_batch_e2e" / "three_articles.yaml"
REPLAY_URL = "http://127.0.0.1:9/v1"  # nothing listens: extract's answers come from the cassette
POLNEAR_SYNTHETIC = ROOT / "tests" / "fixtures" / "polnear-synthetic" / "text"
OPTIONS = ["--model", MODEL_ALIAS, "--mode", "json_grammar", "--strategy", "sentences"]


@pytest.fixture
def embedded_url(record_mode: str) -> Iterator[str]:
    if record_mode == "none":
        yield REPLAY_URL
        return
    with EmbeddedServer() as server:
        yield server.base_url


@pytest.fixture
def three(tmp_path: Path) -> Path:
    """Three articles: the seed, the hand-written tram article, the synthetic PolNeAR one."""
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a_seed.txt").write_text(SEED.read_text("utf-8"), "utf-8")
    (folder / "b_tram.txt").write_text(TEXT, "utf-8")
    for path in POLNEAR_SYNTHETIC.glob("*.txt"):
        (folder / f"c_{path.name}").write_text(path.read_text("utf-8"), "utf-8")
    return folder


def _extract(base_url: str, folder: Path, cache: Path, record_mode: str) -> list[dict[str, Any]]:
    if record_mode == "rewrite":  # pytest-recording's mode: a new cassette from scratch
        CASSETTE.unlink(missing_ok=True)
        record_mode = "all"
    recorder = vcr.VCR(
        record_mode=record_mode,
        match_on=["method", "path", "body"],
        before_record_request=_request,
        before_record_response=_response,
        decode_compressed_response=True,
    )
    recorder.register_serializer("yaml", cassette_format)
    with (
        recorder.use_cassette(str(CASSETTE), serializer="yaml"),
        Extractor(
            base_url=base_url,
            model=MODEL_ALIAS,
            mode="json_grammar",
            strategy="sentences",
            timeout=EMBEDDED_TIMEOUT,
            cache=cache,
        ) as ex,
    ):
        return [json.loads(ex.run(a).model_dump_json()) for a in load([str(folder)])]


def _recorded() -> dict[str, dict[str, Any]]:
    """Each recorded request body (canonical JSON) and the completion answered to it."""
    data = cassette_format.deserialize(CASSETTE.read_text("utf-8"))
    out = {}
    for item in data["interactions"]:
        if item["request"]["method"] != "POST":
            continue
        body = canonical(json.loads(item["request"]["body"]))
        out.setdefault(body, json.loads(item["response"]["body"]["string"]))
    return out


def test_batch_records_equal_extract(
    embedded_url: str, three: Path, tmp_path: Path, record_mode: str
) -> None:
    expected = _extract(embedded_url, three, tmp_path / "extract.sqlite", record_mode)
    assert len(expected) == 3 and all(r["error"] is None for r in expected)
    assert sum(len(r["stances"]) + len(r["claims"]) for r in expected) >= 1
    recorded = _recorded()
    unknown: list[dict[str, Any]] = []

    def answer(body: dict[str, Any]) -> Reply:
        found = recorded.get(canonical(body))
        if found is None:
            unknown.append(body)
            return Reply(400, {"error": {"message": "no recorded answer for this body"}})
        return Reply(200, found)

    batch, out = tmp_path / "batch", tmp_path / "batch.jsonl"
    cache = ["--cache", str(tmp_path / "batch.sqlite")]
    with BatchAPI(answer) as api:
        prepare = ["batch", "prepare", str(three), "--dir", str(batch), *OPTIONS]
        prepare += ["--base-url", api.base_url, *cache, "-q"]
        rounds = 0
        while True:
            rounds += 1
            assert main(prepare) == 0
            prepare = ["batch", "prepare", "--dir", str(batch), "-q"]  # the same cache
            assert main(["batch", "submit", "--dir", str(batch)]) == 0
            api.finish_all()
            assert main(["batch", "status", "--dir", str(batch)]) == 0
            code = main(["batch", "collect", "--dir", str(batch), "-o", str(out), "-q"])
            assert not unknown, "a batch body differs from every body extract sent"
            if code == 0 or rounds == 5:
                break
        assert api.chat_requests == []  # nothing went around the batches
    # collect stored its answers in prepare's cache (its default): one per question, as
    # extract stored them in its own
    stored, extracts = Cache(tmp_path / "batch.sqlite"), Cache(tmp_path / "extract.sqlite")
    assert len(stored) == len(extracts) > 0
    stored.close()
    extracts.close()
    got = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert code == 0, [r["error"] for r in got]
    # the model and server of `extract` were the embedded server's; the batch's: the fake
    assert got == expected
    assert rounds <= 2  # the sentence strategy with one re-ask: a second round at most
