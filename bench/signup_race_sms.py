"""An SMS backend for ``bench/signup_race.py``: every send appends one line to
the file named by ``SIGNUP_RACE_SMS_LOG``, so the benchmark counts real
deliveries made by any process (gunicorn workers, the Celery worker, sweeps)."""

import os

from kexie.platform.outbox.sms import BaseSmsBackend


class FileSmsBackend(BaseSmsBackend):
    def send(self, phone: str, text: str, *, idempotency_key: str = "") -> None:
        line = f"{os.getpid()}\t{phone}\t{text[:40]!r}\n".encode()
        # O_APPEND keeps lines from several processes whole.
        fd = os.open(os.environ["SIGNUP_RACE_SMS_LOG"], os.O_WRONLY | os.O_APPEND | os.O_CREAT)
        try:
            os.write(fd, line)
        finally:
            os.close(fd)
