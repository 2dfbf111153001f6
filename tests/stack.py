"""The production stack on loopback: static files built by ``bin/build-static``,
gunicorn with production settings, and Debian's nginx in front rendered from
``deploy/nginx/kexie.conf.template`` (the file the compose file's proxy uses).

Used by the production smoke test (``tests/sweeps/test_production_smoke.py``)
and the fault runs under ``bench/``. Every process it starts is stopped by
its own ``stop()``; ports are free loopback ports.
"""

import contextlib
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NGINX_TEMPLATE = ROOT / "deploy" / "nginx" / "kexie.conf.template"
HOST = "kexie.smoke.test"
SECRET = "smoke-test-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz"

# Set by pytest-env or a developer's shell; the stack gets its own.
_NOT_INHERITED = {
    "DEBUG",
    "SECRET_KEY",
    "SECURE_SSL_REDIRECT",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "DJANGO_SETTINGS_MODULE",
    "STATIC_ROOT",
    "MEDIA_ROOT",
    "PRIVATE_MEDIA_ROOT",
    "TRUSTED_PROXY_COUNT",
    "EMAIL_URL",
    "SMS_BACKEND",
}


def nginx_path() -> str | None:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx",) if os.access(p, os.X_OK)), None
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(*, database_url: str, static_root: Path, media_root: Path, **extra) -> dict:
    """The environment of a production process: DEBUG off, a secret, the
    TLS redirect on, one trusted proxy."""
    env = {k: v for k, v in os.environ.items() if k not in _NOT_INHERITED}
    env.update(
        {
            "DEBUG": "0",
            "SECRET_KEY": SECRET,
            "ALLOWED_HOSTS": HOST,
            "DATABASE_URL": database_url,
            "CONN_MAX_AGE": "0",
            "STATIC_ROOT": str(static_root),
            "MEDIA_ROOT": str(media_root),
            "PRIVATE_MEDIA_ROOT": str(media_root.parent / "private-media"),
            "TRUSTED_PROXY_COUNT": "1",
            "EMAIL_URL": "locmem://",
            "SMS_BACKEND": "kexie.platform.outbox.sms.LocmemSmsBackend",
            "LOG_LEVEL": "WARNING",
        }
    )
    env.update({key: str(value) for key, value in extra.items()})
    return env


def build_static(static_root: Path) -> None:
    """``bin/build-static``, the image's own step, into ``static_root``."""
    env = production_env(
        database_url="sqlite://",
        static_root=static_root,
        media_root=static_root.with_name(static_root.name + "-media"),
    )
    env["PYTHON"] = sys.executable
    result = subprocess.run(
        [str(ROOT / "bin" / "build-static")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if result.returncode != 0:
        raise RuntimeError(f"bin/build-static failed:\n{result.stdout}{result.stderr}")


def render_nginx_server(**values: str) -> str:
    """The compose proxy's server block with its ``${KEXIE_*}`` variables
    filled, as the official image's envsubst step does (other ``$`` stay)."""
    text = NGINX_TEMPLATE.read_text()
    names = set(re.findall(r"\$\{(KEXIE_[A-Z_]+)\}", text))
    missing = names - values.keys()
    if missing:
        raise ValueError(f"no value for {sorted(missing)}")
    for name in names:
        text = text.replace("${" + name + "}", values[name])
    return text


def wait_for_port(port: int, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on {port} after {seconds} s")


class Process:
    """A child process in its own process group, stopped with the group."""

    def __init__(self, args: list[str], *, env: dict | None = None, log: Path, cwd=ROOT):
        self.log = log
        self._log_file = open(log, "ab")  # noqa: SIM115 (closed in stop)
        self.popen = subprocess.Popen(
            args,
            cwd=cwd,
            env=env,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def stop(self) -> None:
        if self.popen.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.popen.pid, signal.SIGKILL)
                self.popen.wait(timeout=10)
        self._log_file.close()

    def output(self) -> str:
        self._log_file.flush()
        return self.log.read_text(errors="replace")[-4000:]


def start_gunicorn(env: dict, workdir: Path, *, workers: int = 2) -> tuple[Process, int]:
    port = free_port()
    process = Process(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "kexie.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--timeout",
            "60",
        ],
        env=env,
        log=workdir / "gunicorn.log",
    )
    try:
        wait_for_port(port, process.popen)
    except RuntimeError:
        process.stop()
        raise RuntimeError("gunicorn did not start:\n" + process.output()) from None
    return process, port


def start_nginx(
    *, upstream_port: int, static_root: Path, media_root: Path, workdir: Path, max_body="11m"
) -> tuple[Process, int]:
    """Debian's nginx with the compose proxy's server block, as this user."""
    port = free_port()
    prefix = workdir / "nginx"
    for sub in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (prefix / sub).mkdir(parents=True, exist_ok=True)
    server = render_nginx_server(
        KEXIE_UPSTREAM=f"127.0.0.1:{upstream_port}",
        KEXIE_LISTEN=f"127.0.0.1:{port}",
        KEXIE_STATIC_ROOT=str(static_root),
        KEXIE_MEDIA_ROOT=str(media_root),
        KEXIE_CLIENT_MAX_BODY_SIZE=max_body,
    )
    # The rest of the official image's nginx.conf, with paths this user may write.
    user = "user root;\n" if os.geteuid() == 0 else ""
    conf = f"""{user}worker_processes 1;
daemon off;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {prefix}/access.log;
    sendfile on;
    keepalive_timeout 65;
    client_body_temp_path {prefix}/client_body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
{server}
}}
"""
    (prefix / "nginx.conf").write_text(conf)
    process = Process(
        [nginx_path(), "-p", str(prefix), "-e", str(prefix / "error.log"), "-c", "nginx.conf"],
        log=workdir / "nginx.out",
    )
    try:
        wait_for_port(port, process.popen, seconds=10)
    except RuntimeError:
        process.stop()
        error = (prefix / "error.log").read_text() if (prefix / "error.log").exists() else ""
        raise RuntimeError("nginx did not start:\n" + process.output() + error) from None
    return process, port


def get(port: int, path: str, *, https=True, host=HOST, headers=None, timeout=30):
    """One GET on loopback: ``(status, headers, body)``. ``https`` says what a
    TLS-terminating proxy in front would have said in X-Forwarded-Proto."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        sent = {"Host": host, **(headers or {})}
        if https:
            sent["X-Forwarded-Proto"] = "https"
        # Non-ASCII in a path or query goes percent-encoded, as a browser sends it.
        path = urllib.parse.quote(path, safe="/?&=%:+@,;#!$'()*~")
        connection.request("GET", path, headers=sent)
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()
