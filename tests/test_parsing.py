"""The shared parsing helpers."""

from __future__ import annotations

import re
from urllib.parse import unquote_to_bytes, urlsplit

import pytest
from hypothesis import given, strategies as st

from connectors import ParseError
from connectors.parsing import (
    parse_env_block,
    percent_decode,
    split_host_port,
    split_url,
    url_scheme,
)
from connectors.pasted import early

#: what url_scheme answers, written as a regular expression
URL_SCHEME = re.compile(r"\s*([A-Za-z][A-Za-z0-9+.\-]*)://")


def scheme_by_pattern(text: str) -> str | None:
    match = URL_SCHEME.match(text)
    return match.group(1).lower() if match else None


@pytest.mark.parametrize(
    "text",
    [
        "postgresql://h/d",
        "  Redis://h",
        "\u00a0s3://b",
        "mongodb+srv://x",
        "a.b-c+d://",
        "1abc://h",
        "://h",
        "host=x password=a://b",
        "ré://h",
        "x y://h",
        "a://b://c",
        "no scheme at all",
        "",
    ],
)
def test_url_scheme_answers_as_the_pattern(text):
    assert url_scheme(text) == scheme_by_pattern(text)


@given(st.text(alphabet=st.sampled_from("aZ9+.-: /\t\u00a0é=@"), max_size=12))
def test_url_scheme_answers_as_the_pattern_on_any_text(text):
    assert url_scheme(text) == scheme_by_pattern(text)
    url_scheme("another text")
    assert url_scheme(text) == scheme_by_pattern(text)  # the second time, from what it saw


@given(st.text(alphabet=st.sampled_from("psqlmongo-cira+.:/ =\t"), max_size=16))
def test_a_text_with_a_url_scheme_is_no_command_line(text):
    # connectors.parse does not look for a command line in a URL it detects
    assert url_scheme(text) is None or early(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A=1\nB=2", {"A": "1", "B": "2"}),
        (
            "export A=1; export B='x y' C=abc== D=e;f",
            {"A": "1", "B": "x y", "C": "abc==", "D": "e;f"},
        ),
        (
            '# comment\nCONN="AccountName=a;AccountKey=k=="',
            {"CONN": "AccountName=a;AccountKey=k=="},
        ),
        ("TOKEN==;", {"TOKEN": "=;"}),
        ("URL: https://x.example\nTOKEN: t", {"URL": "https://x.example", "TOKEN": "t"}),
        ("A=1 # trailing comment", {"A": "1"}),
    ],
)
def test_env_blocks(text, expected):
    assert parse_env_block(text) == expected


@pytest.mark.parametrize(
    "text", ["postgresql://u:p@h/db?a=1&b=2", "redis://h:6379", "just words", "A B=1"]
)
def test_other_text_is_not_an_env_block(text):
    assert parse_env_block(text) == {}


def test_percent_decode_is_strict_and_keeps_plus():
    assert percent_decode("p%40ss+w%2Frd") == "p@ss+w/rd"
    with pytest.raises(ParseError) as info:
        percent_decode("ab%zz", offset=10, what="password")
    assert info.value.position == 12
    assert "password" in str(info.value) and "zz" not in str(info.value)
    with pytest.raises(ParseError, match="forbidden %00"):
        percent_decode("a%00b")


def decoded_by_urllib(text: str) -> str:
    """What percent_decode answers, by its rules written with urllib: the decoded text, or the
    kind of error."""
    if not re.fullmatch(r"(?:[^%]|%[0-9A-Fa-f]{2})*", text):
        return "invalid percent-encoding"
    if "%00" in text:
        return "forbidden %00"
    try:
        return unquote_to_bytes(text).decode()
    except UnicodeDecodeError:
        return "not UTF-8"


@given(st.text(alphabet=st.sampled_from("a%C3BcF0f9+\\xé/\u00a0"), max_size=16))
def test_percent_decode_reads_what_urllib_reads(text):
    try:
        decoded = percent_decode(text)
    except ParseError as exc:
        kinds = ("invalid percent-encoding", "forbidden %00", "not UTF-8")
        decoded = next(kind for kind in kinds if kind in exc.message)
    assert decoded == decoded_by_urllib(text)


def test_split_host_port_with_ipv6():
    assert split_host_port("[::1]:5433").host == "::1"
    assert split_host_port("[::1]:5433").port == 5433
    assert split_host_port("db.example.com", default_port=5432).port == 5432
    with pytest.raises(ParseError, match="closing"):
        split_host_port("[::1")
    with pytest.raises(ParseError, match="invalid port"):
        split_host_port("h:99999")


def test_check_host_shortcut_accepts_exactly_what_its_loop_accepts():
    from connectors.parsing import _HOST_NAME

    differ = [
        hex(code)
        for code in range(0x110000)
        if bool(_HOST_NAME.fullmatch(chr(code))) != (chr(code).isalnum() or chr(code) in "-._")
    ]
    assert differ == []


@pytest.mark.parametrize(
    "text",
    [
        "https://a.blob.core.windows.net/c/b?sv=1&sig=2#f",
        "http://127.0.0.1:10000/devstoreaccount1",
        "HTTPS://[::1]:8/x",
        "https://u:p@h?q/#x?y",
        "https://h#a?b/c",
        "https://",
        "http://h/a%2Fb",
    ],
)
def test_split_url_splits_as_urlsplit(text):
    assert split_url(text) == urlsplit(text)


@given(st.text(alphabet=st.sampled_from("ab:/?#@[]%.9é "), max_size=16))
def test_split_url_splits_as_urlsplit_on_any_url(tail):
    text = "https://" + tail
    try:
        expected = urlsplit(text)
    except ValueError:  # urlsplit's own check of brackets: the callers read the host after
        return
    assert split_url(text) == expected
