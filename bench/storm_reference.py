"""The least a Django sign-up can do, as the reference of ``bench/storm.py``.

One file: a CSRF-checked POST, one locked counter row, one insert, a redirect; the GET
renders a form with its token. Served by gunicorn exactly as the portal is (same
workers, same PostgreSQL server), so the portal's sign-up rate can be read as a
fraction of what Django itself allows on this machine.

    STORM_REFERENCE_DATABASE=kexie_bench_stormref gunicorn storm_reference:application
"""

import os

from django.conf import settings

settings.configure(
    DEBUG=False,
    SECRET_KEY="storm-reference-only-0123456789abcdefghijklmnopqrstuvwxyz",
    ALLOWED_HOSTS=["127.0.0.1", "testserver"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[
        "django.middleware.security.SecurityMiddleware",
        "django.middleware.common.CommonMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
    ],
    INSTALLED_APPS=[],
    DATABASES={
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "HOST": "127.0.0.1",
            "USER": "postgres",
            "NAME": os.environ.get("STORM_REFERENCE_DATABASE", "kexie_bench_stormref"),
            "CONN_MAX_AGE": 600,
        }
    },
    TEMPLATES=[],
)

import django  # noqa: E402

django.setup()

from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.http import HttpResponse, HttpResponseRedirect  # noqa: E402
from django.middleware.csrf import get_token  # noqa: E402
from django.urls import path  # noqa: E402

FORM = (
    '<form method="post"><input type="hidden" name="csrfmiddlewaretoken" value="{token}">'
    '<input name="name"><input name="phone"><input name="party_size"></form>'
)


def create_tables(capacity: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "DROP TABLE IF EXISTS reg; DROP TABLE IF EXISTS ev;"
            "CREATE TABLE ev (id int primary key, cap int, taken int default 0);"
            "CREATE TABLE reg (id serial primary key, ev int references ev, phone text,"
            " name text, status text, unique (ev, phone));"
        )
        cursor.execute("INSERT INTO ev VALUES (1, %s, 0)", [capacity])


def counts() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT status, count(*) FROM reg GROUP BY status")
        return dict(cursor.fetchall())


def event(request, pk):
    if request.method == "POST":
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT cap, taken FROM ev WHERE id = %s FOR UPDATE", [pk])
            capacity, taken = cursor.fetchone()
            status = "confirmed" if taken < capacity else "waitlisted"
            cursor.execute(
                "INSERT INTO reg (ev, phone, name, status) VALUES (%s, %s, %s, %s)",
                [pk, request.POST["phone"], request.POST["name"], status],
            )
            if status == "confirmed":
                cursor.execute("UPDATE ev SET taken = taken + 1 WHERE id = %s", [pk])
        return HttpResponseRedirect(f"/events/{pk}/")
    return HttpResponse(FORM.format(token=get_token(request)))


urlpatterns = [path("events/<int:pk>/", event)]
application = get_wsgi_application()


def cpu_per_signup(n: int = 300) -> float:
    """CPU milliseconds of this process per sign-up POST, in process through
    Django's test client (CSRF checked), as ``bench/signup_profile.py --plain``
    measures the portal's."""
    import time

    from django.test import Client

    create_tables(50)
    visitors = []
    for _ in range(n):
        client = Client(enforce_csrf_checks=True)
        page = client.get("/events/1/").content.decode()
        visitors.append((client, page.split('value="')[1].split('"')[0]))
    started = time.process_time()
    for i, (client, token) in enumerate(visitors):
        client.post(
            "/events/1/",
            {"csrfmiddlewaretoken": token, "name": f"家长{i}", "phone": f"139{i:08d}"},
        )
    return (time.process_time() - started) / n * 1000
