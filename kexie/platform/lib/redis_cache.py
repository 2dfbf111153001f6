"""Django's Redis cache, keeping one client per connection pool.

``django.core.cache.backends.redis.RedisCacheClient.get_client`` builds a new
``redis.Redis`` for every cache call. With redis-py 8 that costs about 200 µs
(the client sets up its table of response callbacks each time), more than the
round trip to Redis itself, and the page cache makes such calls on every
request. A client holds no connection of its own (the pool does) and is safe
to share, so one per pool is kept. Django's cache handler already gives each
thread its own cache object, hence its own clients.

Keys are not checked against memcached's limits (``validate_key``).
"""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ReusingRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient

    def validate_key(self, key):
        """No check against memcached's limits on keys: Redis takes any key,
        and the check walks each key's characters, about 0.2 ms for the
        eighty keys an event list reads (its cards, their stamps and seats)."""
