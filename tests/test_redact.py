"""Redaction: secrets masked in every encoded form, in text, values and reprs."""

from __future__ import annotations

import base64
from urllib.parse import quote, quote_plus

import pytest

from connectors import Resource
from connectors.redact import MASK, Redactor, redact_text, redact_value

NASTY = "p@ss:w/rd%40#+ é"


@pytest.mark.parametrize(
    "form",
    [
        NASTY,
        quote(NASTY, safe=""),
        quote(NASTY),
        quote_plus(NASTY),
        base64.b64encode(NASTY.encode()).decode(),
        base64.urlsafe_b64encode(NASTY.encode()).decode().rstrip("="),
    ],
)
def test_every_encoded_form_is_masked(form):
    redactor = Redactor([NASTY])
    text = f"connecting with {form} failed"
    assert redactor(text) == f"connecting with {MASK} failed"


def test_passwords_in_urls_are_masked_even_when_unknown():
    text = (
        "could not connect to postgresql://admin:topsecret@db:5432/x and redis://:pw123456@h:6379"
    )
    masked = redact_text(text)
    assert "topsecret" not in masked and "pw123456" not in masked
    assert "postgresql://admin:********@db:5432/x" in masked


def test_keyword_passwords_are_masked():
    masked = redact_text("host=db password='se cret' user=x;AccountKey=abc==;sig=xyz%3D")
    assert "se cret" not in masked and "abc==" not in masked and "xyz%3D" not in masked
    assert "user=x" in masked


def test_short_secrets_are_masked_only_as_whole_words():
    redactor = Redactor(["ab"])
    assert redactor("password is ab.") == f"password is {MASK}."
    assert redactor("table cabbage") == "table cabbage"


def test_references_are_not_secrets():
    assert redact_value("postgresql", {"host": "h", "password": "$var:f/db/pw"}) == {
        "host": "h",
        "password": "$var:f/db/pw",
    }


def test_redact_value_masks_secret_fields_and_connection_string_passwords_only():
    value = {
        "host": "h",
        "password": NASTY,
        "options": f"-c x={quote(NASTY, safe='')}",
        "service": f"postgresql://u:{quote(NASTY, safe='')}@h/db",
    }
    masked = redact_value("postgresql", value)
    assert masked["password"] == MASK
    assert masked["options"] == value["options"]  # not a secret field, not a password position
    assert masked["service"] == f"postgresql://u:{MASK}@h/db"
    assert value["password"] == NASTY  # the original is untouched


def test_nested_secret_fields_are_masked():
    value = {"servers": [{"host": "h"}], "credential": {"username": "u", "password": "s3cret!"}}
    assert redact_value("mongodb", value)["credential"] == {"username": "u", "password": MASK}


def test_unknown_types_fall_back_to_key_names():
    value = {"api_key": "k-123456", "nested": {"client_secret": "zzz999"}, "name": "n"}
    assert redact_value("state", value) == {
        "api_key": MASK,
        "nested": {"client_secret": MASK},
        "name": "n",
    }


def test_resource_repr_and_str_hide_secrets():
    resource = Resource("postgresql", {"host": "h", "password": NASTY})
    assert NASTY not in repr(resource) and NASTY not in str(resource)
    assert MASK in repr(resource)
    assert resource.to_dict(show_secrets=True)["value"]["password"] == NASTY
