"""CSRF tokens drawn from one read of the system's randomness
(kexie.platform.lib.csrf_random): the same alphabet, length and cipher as
Django's, each character uniform, and tokens Django's check accepts."""

import pytest
from django.middleware import csrf
from django.test import Client, RequestFactory

from kexie.platform.lib import csrf_random

CHARS = csrf.CSRF_ALLOWED_CHARS


def _djangos_cipher(secret: str, mask: str) -> str:
    pairs = zip((CHARS.index(x) for x in secret), (CHARS.index(x) for x in mask), strict=True)
    return mask + "".join(CHARS[(x + y) % len(CHARS)] for x, y in pairs)


def test_django_draws_its_csrf_strings_here():
    assert csrf._get_new_csrf_string is csrf_random.new_csrf_string
    assert csrf._mask_cipher_secret is csrf_random.mask_cipher_secret


def test_a_new_string_is_32_characters_of_the_alphabet_and_differs_each_time():
    drawn = {csrf_random.new_csrf_string() for _ in range(200)}
    assert len(drawn) == 200
    assert all(len(s) == csrf.CSRF_SECRET_LENGTH and set(s) <= set(CHARS) for s in drawn)


def test_each_byte_below_248_is_one_character_and_the_others_are_dropped(monkeypatch):
    # 0..61 → the alphabet, 62..123 → again, …; 248..255 stand for nothing.
    reads = iter([bytes([255, 248, 0, 61, 62, 247] + [1] * 34), bytes(range(40))])
    monkeypatch.setattr(csrf_random.os, "urandom", lambda n: next(reads))
    drawn = csrf_random.new_csrf_string()
    assert drawn == CHARS[0] + CHARS[61] + CHARS[0] + CHARS[247 % 62] + CHARS[1] * 28


def test_too_few_kept_bytes_read_more(monkeypatch):
    reads = iter([bytes([250] * 30 + [5] * 10), bytes([7] * 40)])
    monkeypatch.setattr(csrf_random.os, "urandom", lambda n: next(reads))
    assert csrf_random.new_csrf_string() == CHARS[5] * 10 + CHARS[7] * 22


def test_every_byte_value_below_248_stands_for_as_many_of_each_character():
    counts = {c: 0 for c in CHARS}
    for b in range(csrf_random._KEEP):
        counts[chr(csrf_random._TABLE[b])] += 1
    assert set(counts.values()) == {4}


def test_the_mask_ciphers_the_secret_as_django_does(monkeypatch):
    secret = csrf_random.new_csrf_string()
    for _ in range(50):
        mask = csrf_random.new_csrf_string()
        monkeypatch.setattr(csrf_random, "new_csrf_string", lambda mask=mask: mask)
        token = csrf_random.mask_cipher_secret(secret)
        assert token == _djangos_cipher(secret, mask)
        assert csrf._unmask_cipher_token(token) == secret


def test_get_token_gives_a_new_visitor_a_secret_and_masks_it():
    request = RequestFactory().get("/")
    token = csrf.get_token(request)
    assert len(token) == csrf.CSRF_TOKEN_LENGTH
    assert csrf._unmask_cipher_token(token) == request.META["CSRF_COOKIE"]
    assert csrf.get_token(request) != token


@pytest.mark.django_db
def test_a_form_posted_with_the_token_of_its_page_passes_the_check(staff_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_user)
    html = client.get("/staff/").content.decode()
    token = html.split('name="csrfmiddlewaretoken" value="')[1][:64]
    wrong = csrf_random.mask_cipher_secret(csrf_random.new_csrf_string())
    assert client.post("/accounts/logout/", {"csrfmiddlewaretoken": wrong}).status_code == 403
    assert client.get("/staff/").status_code == 200
    assert client.post("/accounts/logout/", {"csrfmiddlewaretoken": token}).status_code == 302
    assert client.get("/staff/").status_code == 302
