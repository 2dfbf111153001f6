"""What each app holds about a phone number, and its retention rules,
registered in the apps' ``AppConfig.ready`` so the platform imports none of
them.

A *source* answers for one kind of record: ``find(phone)`` lists what it
holds (plain, translated label/value pairs the person may see and download)
and ``erase(phone)`` removes the person from it (deleting or anonymising,
keeping the counts the reports need) and returns how many records changed.
An *account source* does the same for a signed-in account:
``find(user)`` and ``erase(user)``, for records tied to the account rather
than to a phone number (an expert's profile, an enterprise's contact).
A *retention rule* anonymises what is past its time: ``run(now, dry_run)``
returns how many records it changed (or would change).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class SubjectSource:
    name: str
    label: str
    find: Callable[[str], list[dict]]
    erase: Callable[[str], int]


@dataclass(frozen=True)
class AccountSource:
    name: str
    label: str
    find: Callable[[object], list[dict]]
    erase: Callable[[object], int]


@dataclass(frozen=True)
class RetentionRule:
    name: str
    label: str
    run: Callable[[datetime, bool], int]


_sources: dict[str, SubjectSource] = {}
_rules: dict[str, RetentionRule] = {}
_account_sources: dict[str, AccountSource] = {}


def register_source(name: str, *, label, find, erase) -> None:
    _sources[name] = SubjectSource(name=name, label=label, find=find, erase=erase)


def register_account_source(name: str, *, label, find, erase) -> None:
    _account_sources[name] = AccountSource(name=name, label=label, find=find, erase=erase)


def register_retention(name: str, *, label, run) -> None:
    _rules[name] = RetentionRule(name=name, label=label, run=run)


def sources() -> list[SubjectSource]:
    return [_sources[name] for name in sorted(_sources)]


def account_sources() -> list[AccountSource]:
    return [_account_sources[name] for name in sorted(_account_sources)]


def rules() -> list[RetentionRule]:
    return [_rules[name] for name in sorted(_rules)]
