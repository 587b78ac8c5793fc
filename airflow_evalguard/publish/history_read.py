"""Reading the history index's objects ahead of the page walk: on S3, several GETs at once.

A page walks the index objects newest first and stops once it holds its runs (publish/history.py).
Read one at a time, an index that was never compacted (one object per gate try) costs one round
trip per object: 7.5 s for a page of 1,000 runs x 11 gates on S3. Here up to PARALLEL_READS
objects are read ahead of the walk, so the round trips overlap; what is held at once is that
window of objects, whatever the number of runs stored. A local store is read in order, one
object at a time: a disk read has no round trip to hide. On S3 a DAG's live records are also
listed newest first a window at a time (S3LiveListing), not all 11,000 names before the first read.

On S3 the reads use the hook's boto3 client, which is safe to share between threads, rather than
the store's read_bytes (its S3Hook.get_key makes a boto3 resource object, which is not, and costs
a HEAD before each GET).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from airflow_evalguard.store.base import ArtifactStore
from airflow_evalguard.store.history_keys import parse_stamp, stamp_of
from airflow_evalguard.store.s3 import S3Store
from airflow_evalguard.uri import split_s3

PARALLEL_READS = 10  # botocore's default connection pool: more would open and drop connections
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


def read_ahead(items: Iterable[Item], read: Callable[[Item], Read], window: int) -> Generator[Read]:
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


HOUR = timedelta(hours=1)
FIRST_WINDOW = timedelta(days=1)


class S3LiveListing:
    """One DAG's live records on S3, newest first, listing only about what a page reads.

    S3 lists a folder in key order, oldest stamp first, 1,000 keys a request: listing a
    never-compacted index of 11,000 records whole takes seconds before the first read. The
    newest record is found instead by bisecting the stamps (a one-key listing from a stamp says
    whether a record is newer), to the hour, then windows back in time from it, each twice as
    long as the last, are listed and handed over newest first: a page that needs its last two
    days lists about four.
    """

    def __init__(self, store: S3Store, folder: str) -> None:
        self.client = store.hook.conn
        self.bucket, self.prefix = split_s3(store.uri(folder))
        self.prefix = self.prefix.rstrip("/") + "/"
        self.relative = len(self.prefix) - len(folder.rstrip("/") + "/")  # the store root's prefix

    def _first_after(self, stamp: str | None) -> str | None:
        extra = {"StartAfter": self.prefix + stamp} if stamp else {}
        page = self.client.list_objects_v2(Bucket=self.bucket, Prefix=self.prefix, MaxKeys=1, **extra)
        contents = page.get("Contents") or []
        return str(contents[0]["Key"]) if contents else None

    def _between(self, low: str, high: str | None) -> list[str]:
        """Keys after prefix+low and before prefix+high (None: no end), ascending."""
        keys: list[str] = []
        arguments = {"Bucket": self.bucket, "Prefix": self.prefix, "StartAfter": self.prefix + low}
        while True:
            page = self.client.list_objects_v2(**arguments)
            for item in page.get("Contents") or []:
                if high is not None and item["Key"] >= self.prefix + high:
                    return keys
                keys.append(str(item["Key"]))
            if not page.get("IsTruncated"):
                return keys
            arguments["ContinuationToken"] = page["NextContinuationToken"]

    def _stamp_of_key(self, key: str) -> datetime | None:
        try:
            return parse_stamp(key[len(self.prefix) :].split("-", 1)[0])
        except ValueError:
            return None

    def newest_first(self, before: str | None) -> Iterator[str]:
        """Store keys of the live records before the stamp `before` (None: all), newest first."""
        oldest_key = self._first_after(None)
        if oldest_key is None:
            return
        oldest = self._stamp_of_key(oldest_key)
        if oldest is None:  # a foreign name sorts first: list it whole
            yield from (key[self.relative :] for key in reversed(self._between("", before)))
            return
        low, high = oldest - HOUR, parse_stamp(before) if before else datetime.now(UTC) + FIRST_WINDOW
        if before is not None and oldest_key >= self.prefix + before:
            return
        if before is None and self._first_after(stamp_of(high)) is not None:  # a stamp in the future
            yield from (key[self.relative :] for key in reversed(self._between("", None)))
            return
        while high - low > HOUR:  # a record lies after low and before high; halve the gap
            middle = low + (high - low) / 2
            found = self._first_after(stamp_of(middle))
            if found is not None and found < self.prefix + stamp_of(high):
                low = middle
            else:
                high = middle
        end, span = high, FIRST_WINDOW
        while end > oldest - HOUR:
            start = end - span
            yield from (k[self.relative :] for k in reversed(self._between(stamp_of(start), stamp_of(end))))
            end, span = start, span * 2
