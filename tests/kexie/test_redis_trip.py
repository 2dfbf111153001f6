"""Commands sent in one round trip are the bytes redis-py would send
(kexie.platform.lib.redis_trip)."""

import pytest
from redis import Connection

from kexie.platform.lib.redis_trip import Commands, _pack


@pytest.mark.parametrize(
    "stack",
    [
        [("EVAL", "return redis.call('GET', KEYS[1]) -- 家长", 2, "k:a", "k:b", 5, -1, 60)],
        [("SET", "kexie:outbox", 1, "EX", 30, "NX"), ("EVAL", "return 0", 0)],
        [("SET", b"\x00\xff", "值", "EX", 30)],
        # A value the short way does not take: redis-py packs the lot.
        [("SET", "k", 1.5), ("SET", "k", 2)],
    ],
)
def test_commands_are_packed_as_redis_py_packs_them(stack):
    connection = Connection()
    assert b"".join(_pack(connection, stack)) == b"".join(connection.pack_commands(stack))


def test_commands_are_queued_as_a_pipeline_queues_them():
    pipe = Commands()
    pipe.set("k", 1, ex=30, nx=True)
    pipe.set("j", "v")
    pipe.eval("return 1", 1, "k", "a")
    assert len(pipe) == 3
    assert pipe.stack == [
        ("SET", "k", 1, "EX", 30, "NX"),
        ("SET", "j", "v"),
        ("EVAL", "return 1", 1, "k", "a"),
    ]
