"""Reading the history index's objects ahead of the page walk: on S3, several GETs at once.

A page walks the index objects newest first and stops once it holds its runs (publish/history.py).
Read one at a time, an index that was never compacted (one object per gate try) costs one round
trip per object: 7.5 s for a page of 1,000 runs x 11 gates on S3. Here up to PARALLEL_READS
objects are read ahead of the walk, so the round trips overlap; what is held at once is that
window of objects, whatever the number of runs stored. A local store is read in order, one
object at a time: a disk read has no round trip to hide.

On S3 the reads use the hook's boto3 client, which is safe to share between threads, rather than
the store's read_bytes (its S3Hook.get_key makes a boto3 resource object, which is not, and costs
a HEAD before each GET).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

from airflow_evalguard.store.base import ArtifactStore
from airflow_evalguard.store.s3 import S3Store
from airflow_evalguard.uri import split_s3

PARALLEL_READS = 16
Item = TypeVar("Item")
Read = TypeVar("Read")


def object_reader(store: ArtifactStore) -> tuple[Callable[[str], bytes], int]:
    """(read a key's bytes, how many reads may run at once) for `store`."""
    if not isinstance(store, S3Store):
        return store.read_bytes, 1
    client = store.hook.conn  # made here, in one thread: the hook caches it without a lock

    def read(key: str) -> bytes:
        bucket, full_key = split_s3(store.uri(key))  # store.uri refuses a key leaving the root
        body: bytes = client.get_object(Bucket=bucket, Key=full_key)["Body"].read()
        return body

    return read, PARALLEL_READS


def read_ahead(items: Sequence[Item], read: Callable[[Item], Read], window: int) -> Iterator[Read]:
    """`read(item)` of each item, in order, with up to `window` reads running ahead of the
    consumer. A read's exception is raised where its item comes; closing the iterator early
    (the page is full) cancels the reads not yet started and waits for none of them."""
    if window <= 1:
        for item in items:
            yield read(item)
        return
    pool = ThreadPoolExecutor(max_workers=window, thread_name_prefix="evalguard-history")
    pending: deque[Future[Read]] = deque()
    try:
        upcoming = iter(items)
        for item in upcoming:
            pending.append(pool.submit(read, item))
            if len(pending) >= window:
                break
        while pending:
            done = pending.popleft().result()
            for following in upcoming:  # one more read starts as this one is handed over
                pending.append(pool.submit(read, following))
                break
            yield done
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
