"""An SMS backend for ``bench/outbox_faults.py``: every send appends a line
(time, phone, idempotency key) to the file named by ``OUTBOX_FAULTS_SMS_LOG``,
so the benchmark counts deliveries made by any process."""

import os
import time

from kexie.platform.outbox.sms import BaseSmsBackend


class FileSmsBackend(BaseSmsBackend):
    def send(self, phone: str, text: str, *, idempotency_key: str = "") -> None:
        line = f"{time.time():.3f}\t{phone}\t{idempotency_key}\n".encode()
        fd = os.open(os.environ["OUTBOX_FAULTS_SMS_LOG"], os.O_WRONLY | os.O_APPEND | os.O_CREAT)
        try:
            os.write(fd, line)
        finally:
            os.close(fd)
