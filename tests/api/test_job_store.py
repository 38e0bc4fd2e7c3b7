"""The job-store contract, run on SQLite and on PostgreSQL: the same guarantees from both."""

from __future__ import annotations

import threading
import time

import pytest

from service.api.jobs import IdempotencyMismatch, JobStore
from service.api.stores import open_job_store
from service.errors import ConfigError
from service.settings import Settings

from .stores import Database


def test_recovers_what_a_dead_worker_left_running(database: Database) -> None:
    store = database.open(max_attempts=2)
    job_id, created = store.create_job([{"article": "a"}, {"article": "b"}], {})
    assert created
    first = store.claim_next()
    assert first is not None and first.seq == 0 and first.attempts == 1
    store.close()  # the process "dies" with item 0 running

    store = database.open(max_attempts=2)
    assert store.recover() == 1
    again = store.claim_next()
    assert again is not None and again.seq == 0 and again.attempts == 2
    assert store.finish(again, "done", result={"ok": 1})
    assert not store.finish(again, "done", result={"ok": 2})  # never twice
    crashing = store.claim_next()
    assert crashing is not None and crashing.seq == 1
    store.close()

    store = database.open(max_attempts=2)  # item 1 killed the process; it kills it again
    store.recover()
    item = store.claim_next()
    assert item is not None and item.seq == 1 and item.attempts == 2
    store.close()
    store = database.open(max_attempts=2)
    store.recover()
    results = list(store.results(job_id))
    assert [(r["status"], (r["error"] or {}).get("code")) for r in results] == [("done", None), ("failed", "worker_crashed")]
    assert results[0]["result"] == {"ok": 1}
    store.close()


def test_a_live_workers_articles_are_left_alone(database: Database) -> None:
    """Two replicas on one store: one's recovery must not steal what the other is running."""
    one, two = database.open(), database.open()
    try:
        one.create_job([{"article": "a"}, {"article": "b"}], {})
        running = one.claim_next()
        assert running is not None
        assert two.recover() == 0 and one.recover() == 0
        other = two.claim_next()
        assert other is not None and other.seq != running.seq
        assert not two.finish(running, "done", result={"by": "two"})  # not its article
        assert one.finish(running, "done", result={"by": "one"})
        assert two.finish(other, "done", result={"by": "two"})
    finally:
        one.close()
        two.close()


def test_concurrent_claims_take_each_article_once(database: Database) -> None:
    stores = [database.open() for _ in range(3)]
    try:
        job_id, _ = stores[0].create_job([{"article": f"a{i}"} for i in range(30)], {})
        claimed: list[list[int]] = [[] for _ in stores]

        def drain(index: int) -> None:
            store = stores[index]
            while (item := store.claim_next()) is not None:
                claimed[index].append(item.seq)
                assert store.finish(item, "done", result={"by": index})

        threads = [threading.Thread(target=drain, args=(i,)) for i in range(len(stores))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        every = sorted(seq for seqs in claimed for seq in seqs)
        assert every == list(range(30))
        status = stores[0].job(job_id)
        assert status is not None and status["status"] == "done" and status["counts"]["done"] == 30
    finally:
        for store in stores:
            store.close()


def test_idempotency_and_cancel(database: Database) -> None:
    store = database.open()
    try:
        job_id, created = store.create_job([{"id": "x", "article": "a"}], {"guard": "off"}, "key-1", "fp-1")
        assert created
        assert store.create_job([{"article": "a"}], {}, "key-1", "fp-1") == (job_id, False)
        with pytest.raises(IdempotencyMismatch):
            store.create_job([{"article": "b"}], {}, "key-1", "fp-2")
        assert store.pending_count() == 1
        assert store.cancel(job_id) and not store.cancel("no-such-job")
        status = store.job(job_id)
        assert status is not None and status["status"] == "cancelled" and status["options"] == {"guard": "off"}
        assert [r["status"] for r in store.results(job_id)] == ["cancelled"]
        assert store.claim_next() is None and store.pending_count() == 0
    finally:
        store.close()


def test_open_job_store_reads_the_url(database: Database, tmp_path) -> None:  # type: ignore[no-untyped-def]
    store = open_job_store(Settings(database_url=database.url, database_path=tmp_path / "unused.sqlite3", _env_file=None))
    try:
        assert isinstance(store, JobStore) and database.kind in type(store).__name__.lower()
        store.create_job([{"article": "a"}], {})
        assert store.pending_count() == 1
    finally:
        store.close()


def test_bad_database_url_is_a_clear_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ConfigError, match="postgresql://"):
        open_job_store(Settings(database_url="mysql://x", _env_file=None))
    with pytest.raises(ConfigError, match="cannot connect to PostgreSQL"):
        open_job_store(Settings(database_url="postgresql://nobody:secret@127.0.0.1:1/none?connect_timeout=2", _env_file=None))


def test_hardening_contract_owner_pending_limit_cancel_recovery_purge_size(database: Database) -> None:
    """Issue #12's store rules on both databases: jobs scoped to an owner, the pending limit in the insert
    transaction, a cancelled job not resumed after a crash, purge really deleting, a size for /metrics."""
    from service.api.jobs import PendingLimitExceeded

    store = database.open()
    mine, _ = store.create_job([{"article": "a"}, {"article": "b"}], {}, "key-1", "fp", owner="alice")
    assert store.job(mine, owner="alice") is not None and store.job(mine, owner="bob") is None
    assert not store.cancel(mine, owner="bob")
    theirs, created = store.create_job([{"article": "c"}], {}, "key-1", "other", owner="bob")  # bob's own key space
    assert created and theirs != mine
    with pytest.raises(IdempotencyMismatch):
        store.create_job([{"article": "x"}], {}, "key-1", "different", owner="alice")
    with pytest.raises(PendingLimitExceeded):
        store.create_job([{"article": "d"}], {}, max_pending=3)
    assert store.claim_next() is not None  # alice's article 0 runs...
    assert store.cancel(mine, owner="alice")
    store.close()  # ...when the process dies
    store = database.open()
    store.recover()
    assert [r["status"] for r in store.results(mine)] == ["cancelled", "cancelled"]
    item = store.claim_next()
    assert item is not None and item.job_id == theirs
    assert store.finish(item, "done", result={"ok": 1})
    assert store.purge(time.time() + 1) == 2 and store.job(mine) is None and store.job(theirs) is None
    assert (store.size_bytes() or 0) > 0
    store.close()
