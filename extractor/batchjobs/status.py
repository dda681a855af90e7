"""`status`: each batch's state, request counts and errors, refreshed from the API into
the manifest, and one exit code for the whole: 0 every batch completed, 1 some batch
ended without completing (failed, expired, cancelled: `collect` takes what it answered,
the next `prepare` round asks the rest again), 3 some batch still running, 4 some shard
not submitted yet.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from extractor.batchjobs.manifest import FINISHED, SUPERSEDED, Manifest, Shard

DONE, ENDED_EARLY, RUNNING, UNSUBMITTED = 0, 1, 3, 4


def refresh(directory: Path, manifest: Manifest, client: Any) -> None:
    """Read every submitted batch that has not finished yet; save what changed."""
    for shard in manifest.shards:
        if not shard.batch_id or (shard.status in FINISHED and shard.counts):
            continue
        update(shard, client.batches.retrieve(shard.batch_id))
        manifest.save(directory)


def update(shard: Shard, batch: Any) -> None:
    shard.status = batch.status
    counts = batch.request_counts
    if counts is not None:
        shard.counts = {
            "total": counts.total,
            "completed": counts.completed,
            "failed": counts.failed,
        }
    errors = getattr(batch.errors, "data", None) or []
    shard.errors = [
        f"{e.code or 'error'}: {e.message or ''}" + (f" (line {e.line})" if e.line else "")
        for e in errors
    ]
    shard.output_file_id = batch.output_file_id
    shard.error_file_id = batch.error_file_id


def exit_code(manifest: Manifest) -> int:
    submitted = [s for s in manifest.shards if s.batch_id]
    if any(s.status not in FINISHED for s in submitted):
        return RUNNING
    if any(not s.batch_id and s.status != SUPERSEDED for s in manifest.shards):
        return UNSUBMITTED
    if all(s.status == "completed" for s in submitted):
        return DONE
    return ENDED_EARLY
