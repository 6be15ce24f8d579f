"""The sign-in page tells a wrong password from a locked account: one failure says the email
and password do not match, and only django-axes' lockout names the cool-off, in minutes,
from AXES_COOLOFF_TIME. A locked account refuses even the right password, and locks nobody
else."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "correct horse battery"


def sign_in(client: Client, email: str, password: str) -> Any:
    return client.post("/login/", {"username": email, "password": password})


def test_one_wrong_password_says_they_do_not_match_and_nothing_of_a_lockout(people: Any) -> None:
    answer = sign_in(Client(), people.adjuster_a.email, "wrong")
    page = answer.content.decode()
    assert answer.status_code == 200
    assert "That email and password do not match." in page
    assert "minutes" not in page and "locked" not in page
    assert 'value="ann@a.example"' in page  # kept, to correct the password alone


def test_five_wrong_passwords_lock_the_account_for_the_configured_cool_off(people: Any) -> None:
    client = Client()
    answers = [sign_in(client, people.adjuster_a.email, "wrong") for _ in range(5)]
    assert all("minutes" not in a.content.decode() for a in answers[:4])
    locked = answers[4].content.decode()
    assert answers[4].status_code == 429
    assert "This account is locked for 15 minutes" in locked  # AXES_COOLOFF_TIME: 0.25 hours
    assert "That email and password do not match." not in locked
    assert "Work queue" not in locked  # still nobody's pages

    refused = sign_in(client, people.adjuster_a.email, PASSWORD)
    assert refused.status_code == 429 and "_auth_user_id" not in client.session
    assert "This account is locked for 15 minutes" in refused.content.decode()
    assert client.get("/").status_code == 302  # to the sign-in page

    other = Client()  # another person is not locked out
    assert sign_in(other, people.adjuster_b.email, PASSWORD).status_code == 302


@override_settings(AXES_COOLOFF_TIME=1)  # hours, as axes reads a whole number
def test_the_cool_off_shown_is_the_one_in_force(people: Any) -> None:
    client = Client()
    for _ in range(5):
        answer = sign_in(client, people.adjuster_a.email, "wrong")
    assert "This account is locked for 60 minutes" in answer.content.decode()
