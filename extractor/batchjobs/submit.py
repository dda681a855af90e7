"""`submit`: upload each shard and create its batch, recording every id in the manifest
the moment it exists, so that a submit stopped anywhere and run again never uploads a
shard twice nor creates a second batch for it.

The one gap a file cannot close, a kill after `batches.create` returned but before the
manifest was saved, is closed by asking the API: before creating a batch for an uploaded
file, the batches already made from that file are looked up (`batches.list`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from extractor.batchjobs.bodies import URL
from extractor.batchjobs.manifest import SUPERSEDED, Manifest, Shard

WINDOW = "24h"  # the only completion window the Batch API offers
Say = Callable[[str], None]


def submit(directory: Path, manifest: Manifest, client: Any, say: Say) -> int:
    """Submit every shard that has no batch yet; the number of batches created."""
    created = 0
    for shard in manifest.shards:
        if shard.batch_id or shard.status == SUPERSEDED:
            continue
        if not shard.input_file_id:
            with (directory / shard.file).open("rb") as fh:
                uploaded = client.files.create(file=(Path(shard.file).name, fh), purpose="batch")
            shard.input_file_id = uploaded.id
            manifest.save(directory)
            say(f"uploaded {shard.file} ({shard.requests} requests) as {uploaded.id}")
        batch = _existing(client, shard) or client.batches.create(
            input_file_id=shard.input_file_id,
            endpoint=URL,
            completion_window=WINDOW,
            metadata={"extractor_shard": shard.file},
        )
        shard.batch_id, shard.status = batch.id, batch.status
        manifest.save(directory)
        created += 1
        say(f"created batch {batch.id} for {shard.file}")
    return created


def _existing(client: Any, shard: Shard) -> Any | None:
    """A batch made from this shard's uploaded file by an earlier, interrupted submit."""
    for batch in client.batches.list(limit=100):
        if batch.input_file_id == shard.input_file_id:
            return batch
    return None
