"""Replays the attacks of issue 18 against a portal this script starts itself,
and prints a table of attempts and outcomes.

Loopback only and bounded (a few hundred requests in all). The portal runs
under gunicorn (one worker, four threads, ``DEBUG`` off) on ``--port``
(default 8102) with its own SQLite database in a temporary folder, no Redis
(the limits count in the worker's memory; tasks run in the request) and
``TRUSTED_PROXY_COUNT=1``, so that the script can speak from many client
addresses through ``X-Forwarded-For``. Messages are read from the outbox rows.

    .venv/bin/python bench/attacks.py
    .venv/bin/python bench/attacks.py --port 8102

The outbox faults (findings 7 and 8) are replayed by ``bench/outbox_faults.py``.
Exits non-zero when an attack gets through.
"""

import argparse
import http.client
import os
import re
import subprocess
import sys
import tempfile
import urllib.parse
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
sys.path[:0] = [str(BENCH), str(ROOT)]

import signup_race as race  # noqa: E402

PHISH = "补贴发放通知：请于今日登录 http://kexie-butie.example/l 领取科普补贴"
SITE_URL = "https://kexie.example.cn"
PASSWORD = "correct-horse-battery-staple"


class Browser:
    """One visitor: cookies, CSRF token, and the client address it claims."""

    def __init__(self, port: int, address: str = "198.51.100.1"):
        self.port = port
        self.address = address
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, data: dict | None = None, host: str | None = None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {
            "X-Forwarded-For": self.address,
            "Host": host or f"127.0.0.1:{self.port}",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        body = None
        if data is not None:
            data = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **data}
            body = urllib.parse.urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        content = response.read().decode("utf-8", "replace")
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        conn.close()
        return response.status, content, response.getheader("Location") or ""

    def get(self, path: str, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path: str, data: dict, **kwargs):
        if "csrftoken" not in self.cookies:
            self.get(path)
        return self.request("POST", path, data, **kwargs)


def environment(workdir: Path) -> dict:
    env = dict(os.environ)
    env.pop("REDIS_URL", None)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "outbox_faults_settings",
            "PYTHONPATH": os.pathsep.join([str(BENCH), str(ROOT)]),
            "DEBUG": "0",
            "SECRET_KEY": "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0",
            "SITE_URL": SITE_URL,
            "DATABASE_URL": f"sqlite:///{workdir / 'attacks.sqlite3'}",
            "EMAIL_URL": "locmem://",
            "OUTBOX_FAULTS_SMS_LOG": str(workdir / "sms.log"),
            "TRUSTED_PROXY_COUNT": "1",
            "PAGE_CACHE_SECONDS": "0",
            "LOG_LEVEL": "ERROR",
        }
    )
    return env


def seed() -> dict:
    from django.utils import timezone

    from kexie.platform.accounts.models import User
    from outreach.models import Audience
    from tests.factories import BranchFactory, OrgManagerFactory, PersonFactory, UserFactory
    from tests.outreach.factories import EventFactory, LectureTopicFactory

    starts = timezone.now() + timedelta(days=7)
    branch = BranchFactory(name="当湖街道科协")
    manager = OrgManagerFactory(
        user=UserFactory(
            name="基层管理员", email="manager@bench.test", role=User.Role.MANAGER, is_staff=True
        ),
        branch=branch,
    ).user
    from django.contrib.auth.models import Permission

    manager.user_permissions.set(Permission.objects.filter(codename__endswith="_person"))
    return {
        "team": LectureTopicFactory(title="走近北斗导航").team,
        "event": EventFactory(title="航天科普讲座", starts_at=starts, capacity=50),
        "known": UserFactory(name="已注册用户", email="known@bench.test", phone="13800007777"),
        "stranger": UserFactory(name="外单位的秘密用户", email="secret@bench.test"),
        "person": PersonFactory(name="本街道科技工作者", branch=branch),
        "manager": manager,
        "audience": Audience.objects.first(),
        "town": branch.town,
    }


def messages_to(prefix: str = "", contains: str = ""):
    from kexie.platform.outbox.models import Notification

    rows = Notification.objects.filter(recipient__startswith=prefix)
    if contains:
        rows = rows.filter(body__contains=contains)
    return rows


def main() -> int:  # noqa: C901 - one attack after another reads best top to bottom
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8102)
    args = parser.parse_args()
    if not race.port_is_free(args.port):
        raise SystemExit(f"port {args.port} is busy: choose another --port")
    workdir = Path(tempfile.mkdtemp(prefix="attacks-"))
    env = environment(workdir)
    os.environ.update(env)
    python = sys.executable
    subprocess.run(
        [python, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    import django

    django.setup()
    from django.utils import timezone

    world = seed()
    server = subprocess.Popen(
        [
            str(Path(python).with_name("gunicorn")),
            "kexie.wsgi:application",
            "--workers",
            "1",
            "--threads",
            "4",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=(workdir / "gunicorn.log").open("ab"),
        stderr=subprocess.STDOUT,
    )
    rows: list[tuple[str, str, int, str, bool]] = []

    def result(finding: str, attack: str, attempts: int, outcome: str, held: bool) -> None:
        rows.append((finding, attack, attempts, outcome, held))
        print(f"  {finding}: {attack}: {outcome}", flush=True)

    try:
        race.wait_for_port(args.port)
        team_path = f"/events/speakers/{world['team'].pk}/"
        event_path = f"/events/{world['event'].pk}/"
        lecture = {
            "topic_text": PHISH,
            "organisation": PHISH,
            "town": world["town"].pk,
            "contact_name": "李老师",
            "preferred_date": str(timezone.localdate() + timedelta(days=20)),
            "audience": world["audience"].pk,
            "expected_attendance": 30,
        }

        # Finding 2: an official SMS quoting a stranger's text and link.
        one = Browser(args.port, "198.51.100.1")
        statuses = [
            one.post(team_path, {**lecture, "contact_phone": f"1395555{n:04d}"})[0]
            for n in range(30)
        ]
        sent = messages_to("1395555").count()
        quoting = messages_to("1395555", "kexie-butie").count()
        result(
            "2",
            "30 lecture requests with a phishing topic from one address",
            30,
            f"{statuses.count(302)} accepted, {statuses.count(429)} refused (429); "
            f"{sent} SMS, {quoting} quoting the text",
            quoting == 0 and sent <= 5,
        )
        statuses = [
            Browser(args.port, f"198.51.101.{n}").post(
                team_path, {**lecture, "contact_phone": "13966660000"}
            )[0]
            for n in range(30)
        ]
        sent = messages_to("13966660000").count()
        result(
            "2",
            "30 lecture requests to one phone from 30 addresses",
            30,
            f"{statuses.count(302)} accepted, {statuses.count(429)} refused; {sent} SMS to it",
            sent <= 3,
        )
        status, _, _ = Browser(args.port, "198.51.102.1").post(
            event_path,
            {"name": PHISH[:50], "phone": "13977770000", "party_size": 1, "email": "v@bench.test"},
        )
        quoting = (
            messages_to("v@bench.test", "kexie-butie").count()
            + messages_to("13977770000", "kexie-butie").count()
        )
        result(
            "2",
            "sign-up with a phishing name and a victim's mailbox",
            1,
            f"HTTP {status}; {quoting} messages quoting the name",
            quoting == 0,
        )

        # Finding 3: password reset without a limit.
        for n in range(30):
            Browser(args.port, f"198.51.103.{n}").post(
                "/accounts/password/reset/", {"email": "known@bench.test"}
            )
        mails = messages_to("known@bench.test").count()
        result(
            "3",
            "30 password resets for one mailbox from 30 addresses",
            30,
            f"{mails} mails queued",
            mails <= 3,
        )

        # Finding 4: the lockout counted spellings separately (5 tries each).
        spellings = ["Known@bench.test", "known@bench.test", "KNOWN@bench.test", "kNown@bench.test"]
        attacker = Browser(args.port, "198.51.104.1")
        for spelling in spellings:
            for _ in range(4):
                attacker.post("/accounts/login/", {"username": spelling, "password": "wrong"})
        status, _, _ = Browser(args.port, "198.51.104.1").post(
            "/accounts/login/", {"username": spellings[0], "password": PASSWORD}
        )
        result(
            "4",
            "4 wrong passwords under each of 4 spellings (16 guesses), then the right one",
            17,
            f"HTTP {status} ({'logged in' if status == 302 else 'locked out'})",
            status == 429,
        )

        # Finding 5: one sign-up per phone, bypassed with other digits.
        # "13" in ASCII, the rest in another script (Python's \d takes any digit).
        forms = ["13812340000", "13８１２３４００００", "13٨١٢٣٤٠٠٠٠", "13۸۱۲۳۴۰۰۰۰", "13८१२३४००००"]
        answers = [
            Browser(args.port, f"198.51.105.{n}").post(
                event_path, {"name": "王小明", "phone": phone, "party_size": 1}
            )[0]
            for n, phone in enumerate(forms)
        ]
        from outreach.models import Registration

        made = Registration.objects.filter(event=world["event"], name="王小明").count()
        result(
            "5",
            "one phone in 5 digit scripts on one event",
            5,
            f"HTTP {answers}; {made} sign-ups",
            made == 1,
        )

        # Finding 11: the reset link's host from the request; the token in the outbox.
        Browser(args.port, "198.51.106.1").post(
            "/accounts/password/reset/",
            {"email": "secret@bench.test"},
            host="localhost:8102",
        )
        row = messages_to("secret@bench.test").first()
        body = row.body if row else ""
        host_ok = SITE_URL in body and "localhost" not in body
        token_hidden = bool(row) and "SECRET-HIDDEN" in body and not row.secret
        result(
            "11",
            "password reset with Host: localhost:8102",
            1,
            f"link on {'SITE_URL' if host_ok else 'the request host'}; "
            f"token {'not ' if token_hidden else ''}readable in the outbox row",
            host_ok and token_hidden,
        )

        # Finding 13: a manager reads any account's name through a raw-id field.
        manager = Browser(args.port, "198.51.107.1")
        manager.post("/accounts/login/", {"username": "manager@bench.test", "password": PASSWORD})
        status, page, _ = manager.get(f"/admin/members/person/add/?user={world['stranger'].pk}")
        leaked = "外单位的秘密用户" in page
        result(
            "13",
            "manager opens the person form with another account's id",
            1,
            f"HTTP {status}; name {'shown' if leaked else 'not shown'}",
            status == 200 and not leaked,
        )

        # Finding 14: registration says which addresses exist; English rules.
        def page_for(address: str, data: dict) -> tuple[int, str, str]:
            status, page, location = Browser(args.port, "198.51.108.1").post(
                "/accounts/register/",
                # ``contact`` for the code-first form of an earlier attempt.
                {"name": "张晓明", "contact": address, "email": address, "role": "public", **data},
            )
            page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)
            return status, page.replace(address, "ADDRESS"), location

        attempt = {
            "code": "123456",
            "password1": "kexie-pinghu-2026",
            "password2": "kexie-pinghu-2026",
        }
        known, unknown = (
            page_for("known@bench.test", attempt),
            page_for("unknown@bench.test", attempt),
        )
        same_submit = known == unknown
        result(
            "14",
            "registration with a known and an unknown mailbox",
            2,
            f"HTTP {known[0]} / {unknown[0]}; "
            f"registration answers {'identical' if same_submit else 'differ'}",
            same_submit,
        )
        _, page, _ = page_for(
            "x@bench.test", {"code": "123456", "password1": "abc", "password2": "abc"}
        )
        errors = re.findall(r'id="error_\d+_id_password1"[^>]*>(.*?)</p>', page, re.S)
        english = [e for e in errors if re.search(r"[A-Za-z]{4,}", re.sub(r"<[^>]+>", "", e))]
        result(
            "14",
            "a 3-character password on the Chinese page",
            1,
            f"{len(errors)} rule messages, {len(english)} in English",
            bool(errors) and not english,
        )
    finally:
        race.stop(server)

    print("\n| finding | attack | attempts | outcome | held |")
    print("| --- | --- | ---: | --- | --- |")
    for finding, attack, attempts, outcome, held in rows:
        print(f"| {finding} | {attack} | {attempts} | {outcome} | {'yes' if held else 'NO'} |")
    print(f"\nserver log and database in {workdir}")
    return 0 if all(row[4] for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
