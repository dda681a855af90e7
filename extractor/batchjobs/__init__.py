"""Batches: every request `extract` would send, run by the OpenAI Batch API or by
`vllm run-batch`, and the answers turned into the same records by the same code.

A batch lives in a directory (`manifest.py`): `prepare` renders the requests into shard
files under the per-file limits (`prepare.py`), `submit` uploads them and creates one batch
per shard, resumable without duplicates (`submit.py`), `status` follows the batches
(`status.py`), and `collect` reads their output (`results.py`) and runs each article
through `Extractor.run` with those answers in place of HTTP (`answers.py`, `collect.py`).
Requests the answer cache holds are never written; collected answers go into it.

Layering: this package uses the library (api, strategies, llm, cache, output); only the
CLI (`extractor.cli.batch`) uses it.
"""
