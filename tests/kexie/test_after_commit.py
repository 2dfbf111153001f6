"""Redis commands after commit: a transaction's in one round trip, none for
what was rolled back (kexie.platform.lib.after_commit)."""

import os
import uuid

import pytest
import time_machine
from django.db import transaction
from redis.client import Pipeline, Redis

from kexie.platform.lib import redis_trip
from kexie.platform.lib.after_commit import redis_client, redis_on_commit
from kexie.platform.outbox import services as outbox
from outreach.services.registrations import registration_create
from tests.conftest import requires_redis
from tests.outreach.conftest import NOW
from tests.outreach.factories import EventFactory

pytestmark = [requires_redis, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def redis(settings):
    """The default cache on Redis (the tests' own prefix), and the round trips
    made to it."""
    prefix = f"kexie-test-after-commit-{uuid.uuid4().hex[:8]}"
    settings.CACHES = {
        "default": {
            "BACKEND": "kexie.platform.lib.redis_cache.ReusingRedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": prefix,
        }
    }
    trips = []
    real_execute, real_pipeline = Redis.execute_command, Pipeline.execute
    real_trip = redis_trip.round_trip

    def execute(self, *parts, **options):
        trips.append(str(parts[0]))
        return real_execute(self, *parts, **options)

    def pipeline(self, *args, **kwargs):
        trips.append(tuple(str(command[0][0]) for command in self.command_stack))
        return real_pipeline(self, *args, **kwargs)

    def round_trip(client, stack):
        trips.append(tuple(str(command[0]) for command in stack))
        return real_trip(client, stack)

    Redis.execute_command, Pipeline.execute = execute, pipeline
    redis_trip.round_trip = round_trip
    try:
        yield trips
    finally:
        Redis.execute_command, Pipeline.execute = real_execute, real_pipeline
        redis_trip.round_trip = real_trip
        client = redis_client()
        keys = list(client.scan_iter(f"{prefix}:*"))
        if keys:
            client.delete(*keys)


def _set(name: str, finished: list):
    key = f"kexie-test-after-commit:{name}:{uuid.uuid4().hex}"
    redis_on_commit(lambda pipe: pipe.set(key, name, ex=60), finished.append)
    return key


def _stored(key: str):
    value = redis_client().get(key)
    return value.decode() if value is not None else None


def _sent(trips: list) -> list:
    """The round trips, but the test's own reads (``_stored``)."""
    return [trip for trip in trips if trip != "GET"]


def test_a_transactions_commands_are_sent_together_once_it_commits(redis):
    finished = []
    with transaction.atomic():
        first, second = _set("a", finished), _set("b", finished)
        assert _stored(first) is None
    assert _sent(redis) == [("SET", "SET")]  # one round trip
    assert (_stored(first), _stored(second)) == ("a", "b")
    assert finished == [[True], [True]]


def test_a_savepoint_rolled_back_drops_its_commands_only(redis):
    finished = []
    with transaction.atomic():
        before = _set("before", finished)
        try:
            with transaction.atomic():
                dropped = _set("dropped", finished)
                raise RuntimeError
        except RuntimeError:
            pass
        after = _set("after", finished)
    assert _sent(redis) == [("SET", "SET")]
    assert (_stored(before), _stored(dropped), _stored(after)) == ("before", None, "after")


def test_a_rolled_back_transaction_sends_nothing_and_the_next_one_its_own(redis):
    finished = []
    with pytest.raises(RuntimeError), transaction.atomic():
        dropped = _set("dropped", finished)
        raise RuntimeError
    assert redis == [] and finished == []
    with transaction.atomic():
        kept = _set("kept", finished)
    assert (_stored(dropped), _stored(kept)) == (None, "kept")
    assert _sent(redis) == [("SET",)]


def test_outside_a_transaction_the_commands_run_at_once(redis):
    finished = []
    key = _set("now", finished)
    assert _stored(key) == "now" and finished == [[True]]


def test_with_redis_away_each_call_hears_of_it_and_the_commit_stands(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "kexie.platform.lib.redis_cache.ReusingRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens
            "OPTIONS": {"socket_connect_timeout": 0.2},
        }
    }
    finished = []
    with transaction.atomic():
        _set("a", finished)
        _set("b", finished)
    assert [type(results[0]).__name__ for results in finished] == ["ConnectionError"] * 2


def test_a_sign_up_bumps_its_pages_and_wakes_the_outbox_in_one_round_trip(redis, monkeypatch):
    asked = []
    monkeypatch.setattr(
        outbox,
        "_drain_task",
        lambda channel: type("T", (), {"apply_async": lambda *a, **k: asked.append(channel)}),
    )
    with time_machine.travel(NOW, tick=False):
        event = EventFactory(capacity=5, max_party_size=1)
        redis.clear()  # the event's own writes
        registration_create(event=event, name="家长", phone="13900000001", party_size=1)
        # The page cache's dependency bump and the outbox's request, together.
        assert redis == [("EVAL", "SET")]
        assert asked == ["sms"]
        registration_create(event=event, name="家长", phone="13900000002", party_size=1)
    # The drain asked for holds the request: no second task.
    assert redis == [("EVAL", "SET")] * 2 and asked == ["sms"]


def test_a_command_redis_refuses_gets_its_error_and_the_others_their_replies(redis):
    finished = []
    key = f"kexie-test-after-commit:refused:{uuid.uuid4().hex}"
    with transaction.atomic():
        redis_on_commit(lambda pipe: pipe.eval("return redis.call('NOPE')", 0), finished.append)
        redis_on_commit(lambda pipe: pipe.set(key, "x", ex=60, nx=True), finished.append)
        redis_on_commit(lambda pipe: pipe.set(key, "y", ex=60, nx=True), finished.append)
    assert _sent(redis) == [("EVAL", "SET", "SET")]
    assert type(finished[0][0]).__name__ == "ResponseError"
    # SET as redis-py answers it: True when set, None when NX found the key.
    assert finished[1:] == [[True], [None]]
    assert _stored(key) == "x"


def test_a_connection_redis_dropped_is_replaced_and_the_commands_sent(redis):
    client = redis_client()
    key = f"kexie-test-after-commit:dropped:{uuid.uuid4().hex}"
    connection = client.connection_pool.get_connection()
    client.connection_pool.release(connection)
    # The pooled connection's socket closed under it, as a Redis restart does.
    connection._sock.close()
    assert redis_trip.round_trip(client, [("SET", key, "z", "EX", 60)]) == [True]
    assert _stored(key) == "z"
