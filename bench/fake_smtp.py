"""A small SMTP server for the fault runs, on a loopback port, in a thread.

It accepts every message and records (time, Message-ID, recipients). Its mode
can change while it runs:

- ``normal``: answers at once;
- ``silent``: accepts the TCP connection and never says a word (a dead peer);
- ``slow_quit``: takes the message (250 after DATA) and then waits
  ``quit_delay`` seconds before answering QUIT, so a sender killed meanwhile
  has had its message accepted without knowing it.
"""

import re
import socketserver
import threading
import time

MESSAGE_ID_RE = re.compile(rb"^Message-ID:\s*(\S+)", re.IGNORECASE | re.MULTILINE)


class FakeSmtp:
    def __init__(self, port: int = 0):
        self.mode = "normal"
        self.quit_delay = 3.0
        self.received: list[tuple[float, str, tuple[str, ...]]] = []
        self.lock = threading.Lock()
        owner = self

        class Handler(socketserver.StreamRequestHandler):
            timeout = 120

            def reply(self, line: str) -> None:
                self.wfile.write(line.encode() + b"\r\n")
                self.wfile.flush()

            def handle(self):
                if owner.mode == "silent":
                    # Hold the connection open and say nothing until the
                    # client gives up (or the server stops).
                    while owner.mode == "silent" and not owner.stopping.is_set():
                        time.sleep(0.1)
                    return
                self.reply("220 fake-smtp ready")
                recipients: list[str] = []
                while True:
                    line = self.rfile.readline()
                    if not line:
                        return
                    command = line.strip().upper()
                    if command.startswith((b"EHLO", b"HELO")):
                        self.reply("250 fake-smtp")
                    elif command.startswith(b"MAIL FROM"):
                        recipients = []
                        self.reply("250 OK")
                    elif command.startswith(b"RCPT TO"):
                        recipients.append(line.split(b":", 1)[1].strip().strip(b"<>").decode())
                        self.reply("250 OK")
                    elif command == b"DATA":
                        self.reply("354 go ahead")
                        data = b""
                        while True:
                            chunk = self.rfile.readline()
                            if not chunk or chunk == b".\r\n":
                                break
                            data += chunk
                        found = MESSAGE_ID_RE.search(data)
                        message_id = found.group(1).decode() if found else ""
                        with owner.lock:
                            owner.received.append((time.time(), message_id, tuple(recipients)))
                        self.reply("250 OK queued")
                    elif command == b"QUIT":
                        if owner.mode == "slow_quit":
                            time.sleep(owner.quit_delay)
                        self.reply("221 bye")
                        return
                    elif command in (b"RSET", b"NOOP"):
                        self.reply("250 OK")
                    else:
                        self.reply("502 not implemented")

        class Server(socketserver.ThreadingTCPServer):
            allow_reuse_address = True
            daemon_threads = True

        self.stopping = threading.Event()
        self.server = Server(("127.0.0.1", port), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> "FakeSmtp":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self.server.shutdown()
        self.server.server_close()

    def snapshot(self) -> list[tuple[float, str, tuple[str, ...]]]:
        with self.lock:
            return list(self.received)
