"""The Redis cache backend keeps one client per connection pool (see
``kexie/platform/lib/redis_cache.py``) and otherwise behaves as Django's."""

import os

from django.core.cache.backends.redis import RedisCache

from kexie.platform.lib.redis_cache import ReusingRedisCache
from tests.conftest import requires_redis


def _backend(location: str) -> ReusingRedisCache:
    return ReusingRedisCache(location, {"KEY_PREFIX": "kexie-test-redis-cache"})


def test_it_is_djangos_redis_cache():
    assert issubclass(ReusingRedisCache, RedisCache)


def test_the_same_client_serves_every_call_without_connecting():
    backend = _backend("redis://127.0.0.1:1/0")  # nothing listens: no call may connect
    client = backend._cache.get_client("a")
    assert backend._cache.get_client("b") is client
    assert backend._cache.get_client("c", write=True) is client
    assert client.connection_pool is backend._cache._get_connection_pool(False)


def test_a_client_per_server_when_reading_from_replicas():
    backend = _backend("redis://127.0.0.1:1/0,redis://127.0.0.1:2/0")
    writer = backend._cache.get_client(write=True)
    assert backend._cache.get_client(write=True) is writer
    assert backend._cache.get_client() is not writer  # the replica's


@requires_redis
def test_values_round_trip_through_a_real_redis():
    backend = _backend(os.environ["REDIS_URL"])
    try:
        backend.set("answer", {"seats": 42}, 30)
        assert backend.get("answer") == {"seats": 42}
        assert backend.get_many(["answer", "missing"]) == {"answer": {"seats": 42}}
        assert backend.add("answer", 1) is False
        backend.set("counter", 1, 30)
        assert backend.incr("counter") == 2
    finally:
        backend.delete_many(["answer", "counter"])
