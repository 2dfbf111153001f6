"""Redis commands in one round trip, without redis-py's layers per call.

A sign-up makes two round trips to Redis (its limits before, its commit's
commands after), and redis-py 8 wraps each in a client call or a pipeline,
a retry wrapper, response callbacks and its observability counters: about
twice the CPU of the round trip itself (issue 15). ``round_trip`` takes a
connection from the client's own pool (which checks it is connected and
ready, as for any command), sends the commands packed together, reads each
reply and gives the connection back.

Replies are Redis's own (an integer, bytes, None), an error reply as the
``ResponseError`` in its place, ``SET`` as redis-py answers it (True when
set, None when ``NX`` found the key). A connection that fails is dropped and
the round trip tried once more on a fresh one, as redis-py retries; a second
failure raises.
"""

from redis.exceptions import ConnectionError, ResponseError, TimeoutError


class Commands:
    """The commands of one round trip, queued as a redis-py pipeline queues
    them (the few this portal sends after commit)."""

    def __init__(self):
        self.stack: list[tuple] = []

    def __len__(self) -> int:
        return len(self.stack)

    def execute_command(self, *args) -> None:
        self.stack.append(args)

    def set(self, name, value, ex: int | None = None, nx: bool = False) -> None:
        args = ["SET", name, value]
        if ex is not None:
            args += ["EX", ex]
        if nx:
            args.append("NX")
        self.execute_command(*args)

    def eval(self, script: str, numkeys: int, *keys_and_args) -> None:
        self.execute_command("EVAL", script, numkeys, *keys_and_args)


def _reply(command: tuple, reply):
    if command[0] == "SET" and not isinstance(reply, Exception):
        # redis-py's answer to SET: True, or None when NX found the key.
        return True if reply in (b"OK", "OK") else None
    return reply


def _pack(connection, stack: list[tuple]) -> list:
    """The commands in Redis's protocol, as ``connection.pack_commands``
    writes them: each ``str`` in UTF-8, each ``int`` in decimal (what
    redis-py's encoder does with them); any other value is left to redis-py."""
    out = []
    for args in stack:
        out.append(b"*%d\r\n" % len(args))
        for arg in args:
            kind = type(arg)
            if kind is str:
                arg = arg.encode()
            elif kind is int:
                arg = b"%d" % arg
            elif kind is not bytes:
                return connection.pack_commands(stack)
            out.append(b"$%d\r\n%s\r\n" % (len(arg), arg))
    return [b"".join(out)]


def round_trip(client, stack: list[tuple]) -> list:
    """Each command's reply, the commands sent together on one connection."""
    try:
        return _round_trip(client, stack)
    except (ConnectionError, TimeoutError):
        return _round_trip(client, stack)


def _round_trip(client, stack: list[tuple]) -> list:
    pool = client.connection_pool
    connection = pool.get_connection()
    try:
        connection.send_packed_command(_pack(connection, stack))
        replies = []
        for command in stack:
            try:
                reply = connection.read_response()
            except ResponseError as exc:
                reply = exc
            replies.append(_reply(command, reply))
    except BaseException:
        # Half a conversation: the connection is not given back as it is.
        connection.disconnect()
        raise
    finally:
        pool.release(connection)
    return replies
