"""Fuzzing the parsers: a seeded mutation corpus and the properties every string must keep.

The corpus is every registered connector's ``examples`` (plugins included, through the
registry); a mutation inserts, replaces, deletes, truncates, duplicates or splices pieces that
have broken parsers before (reserved characters, bad percent escapes, lone surrogates, NUL,
huge numbers, long runs, another family's string). Each string is parsed as each family and
with auto-detection, and must keep these properties (``examine``):

1. only ``ParseError`` escapes ``parse``, and its message holds no secret of the example it
   was made from;
2. an accepted value is canonical (``validate`` gives it back) and serialises in every output
   form: ``to_connection_string`` (re-parsed to the same value), ``--json``
   (``Resource.to_dict``), the wmill format (re-read to the same value), every other
   ``--format`` (``connectors.formats.render``) and, when ``store`` is on, the workspace
   (``set_resource`` then ``get_resource``);
3. no secret of an accepted value appears in any masked output (``repr``, ``to_dict``, every
   format, the notes).

``python -m connectors.testing.fuzz --count 1000000`` runs the long campaign (per family) and
prints the figures docs/reliability.md quotes; tests/test_fuzz.py runs a bounded part in CI.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import connectors
from connectors.errors import ParseError, ValidationError
from connectors.redact import encoded_forms, public_strings, redact_value, secrets_of

NASTY = list("@:/?#%+;=&[]'\" \\,.\t\n!$*()<>{}|^`~")
UNICODE = [
    "é",
    "\u00a0",
    "\u2028",
    "\U0001f600",
    "\x00",
    "\x7f",
    "ß",
    "İ",
    "\uff03",
    "\ufeff",
    "\u0661",
    "²",
    "\udcff",  # a lone surrogate: what Python makes of an undecodable argv byte
    "\ud800",
]
PERCENT = ["%", "%g0", "%zz", "%ff", "%c3", "%e2%82", "%00", "%2", "%fe%ff", "%25", "%2F", "%40"]
NUMBERS = ["0", "65536", "-1", "99999999999999999999", "9" * 4301, "0" * 4400 + "1", "1e999"]
RUNS = ["a" * 300, "." * 200, "%41" * 100, ":" * 100, "@" * 50, "[" * 120, "{" * 120]
PIECES = NASTY + UNICODE + PERCENT + NUMBERS + RUNS
OPERATIONS = ("insert", "replace", "delete", "truncate", "duplicate", "splice")

#: the masked outputs' formats (rendered through connectors.formats)
FORMATS = ("airflow", "dlt", "env", "wmill")
# a secret this short is masked only as a whole word, and may equal other text by chance
_MIN_SECRET = 6
# what the secret fields of a value hold in the baseline the masked outputs are compared with
_SENTINEL = "SENTINEL0x"


def families() -> list[str | None]:
    """Every registered type, then ``None`` (auto-detection)."""
    from connectors.plugins import get_registry

    return [*sorted(get_registry().connectors), None]


def corpus() -> list[str]:
    """Every registered connector's examples (plugins included), as the plugin author kit
    takes them (``connectors.testing.contract.examples``), in a stable order."""
    from connectors.plugins import get_registry
    from connectors.testing.contract import examples

    registered = get_registry().connectors
    found = [text for name in sorted(registered) for text in examples(registered[name])]
    return list(dict.fromkeys(found))


def mutate(text: str, rng: random.Random, others: list[str]) -> str:
    """``text`` with 1-4 random operations applied (``others``: strings to splice from)."""
    for _ in range(rng.randint(1, 4)):
        op = rng.choice(OPERATIONS)
        at = rng.randint(0, len(text))
        if op == "insert":
            text = text[:at] + _piece(rng) + text[at:]
        elif op == "replace":
            text = text[:at] + _piece(rng) + text[at + 1 :]
        elif op == "delete":
            text = text[:at] + text[at + rng.randint(1, 4) :]
        elif op == "truncate":
            text = text[:at]
        elif op == "duplicate":
            size = rng.randint(1, 12)
            text = text[: at + size] + text[at : at + size] + text[at + size :]
        else:
            other = rng.choice(others)
            cut = rng.randint(0, len(other))
            text = text[:at] + other[cut:] if rng.random() < 0.5 else other[:cut] + text[at:]
    return text


def _piece(rng: random.Random) -> str:
    if rng.random() < 0.15:
        return "".join(chr(rng.randint(1, 0x2FFF)) for _ in range(rng.randint(1, 3)))
    return rng.choice(PIECES)


@dataclass
class Failure:
    kind: str  # "unexpected" | "roundtrip" | "leak"
    family: str | None
    text: str
    detail: str


@dataclass
class Tally:
    strings: int = 0
    accepted: int = 0
    rejected: int = 0
    failures: list[Failure] = field(default_factory=list)

    def counts(self) -> Counter[str]:
        return Counter(f.kind for f in self.failures)


def secrets_in_text(text: str) -> list[str]:
    """The secrets of ``text`` when it parses (its example's), long enough to search for."""
    try:
        resource = connectors.parse(text)
    except ParseError:
        return []
    found = secrets_of(resource.resource_type, resource.value)
    return [s for s in found if isinstance(s, str) and len(s) >= _MIN_SECRET]


def examine(
    text: str,
    family: str | None,
    known_secrets: list[str],
    *,
    store: bool = False,
    seen: set[str] | None = None,
) -> tuple[bool, Failure | None]:
    """Parse ``text`` as ``family`` and check the properties; (accepted, failure or None).

    ``seen``: the resources already examined (their outputs are the same; not done again).
    """
    try:
        resource = connectors.parse(text, type=family)
    except ParseError as error:
        shown = f"{error}\n{error!r}"
        for secret in known_secrets:
            forms = encoded_forms(secret)
            if _stands_alone(secret, text) and any(form in shown for form in forms):
                # the same text with the secret swapped out: a word of the message ("secret
                # access key") is not a leak
                baseline = _error_text(text.replace(secret, "SENTINEL0x"), family)
                if any(shown.count(form) > baseline.count(form) for form in forms):
                    return False, Failure("leak", family, text, f"a secret in the error: {error}")
        return False, None
    except Exception:
        return False, Failure("unexpected", family, text, _last_line(traceback.format_exc()))
    try:
        if seen is not None:
            key = json.dumps(resource.to_dict(show_secrets=True), sort_keys=True)
            if key in seen:
                return True, None
            seen.add(key)
        return True, _outputs(resource, store)
    except Exception:
        return True, Failure("unexpected", family, text, _last_line(traceback.format_exc()))


def _outputs(resource: connectors.Resource, store: bool) -> Failure | None:
    from connectors.formats import render

    kind, value = resource.resource_type, resource.value

    def failed(how: str, detail: str) -> Failure:
        return Failure(how, kind, "", detail)

    if json.loads(json.dumps(value)) != value:
        return failed("roundtrip", "the value is not JSON")
    if connectors.validate(kind, value) != value:
        return failed("roundtrip", "the value is not canonical (validate changes it)")
    try:
        native = connectors.to_connection_string(resource)
    except ValidationError:
        native = None  # a value with no native string (an azure container URI alone)
    if native is not None:
        again = connectors.parse(native, type=kind)
        if again.value != value:
            return failed("roundtrip", f"to_connection_string re-parses differently: {native!r}")
    if json.loads(json.dumps(resource.to_dict(show_secrets=True)))["value"] != value:
        return failed("roundtrip", "--json output differs")
    shown = _masked_outputs(resource, native)
    for fmt in FORMATS:
        try:
            plain = render(resource, fmt, show_secrets=True)
        except ValueError as exc:
            # no mapping for this type, or the value has no native string (see above)
            if type(exc).__name__ == "FormatError" or (
                native is None and isinstance(exc, ValidationError)
            ):
                continue
            raise
        if fmt == "wmill" and _yaml_value(plain) != value:
            return failed("roundtrip", "the wmill format re-reads differently")
    secrets = [s for s in secrets_of(kind, value) if isinstance(s, str) and len(s) >= _MIN_SECRET]
    forms = [form for secret in secrets for form in encoded_forms(secret) if form in shown]
    if forms:
        baseline = _baseline(resource, native, secrets)
        for form in forms:
            if _tokens(shown, form) > _tokens(baseline, form):
                at = shown.find(form)
                return failed("leak", f"a secret in a masked output: {shown[at - 80 : at]!r}")
    if store:
        connectors.set_resource(f"u/fuzz/{kind}", value, kind)
        if connectors.get_resource(f"u/fuzz/{kind}", interpolated=False) != value:
            return failed("roundtrip", "the workspace gives back a different value")
    return None


def _baseline(resource: connectors.Resource, native: str | None, secrets: list[str]) -> str:
    """The masked outputs of the same resource with its secret fields (and their text in the
    notes) swapped for a sentinel: a secret's text that also shows there comes from a field
    that is not secret (a host that contains the password)."""
    kind = resource.resource_type
    public = "\n".join([*public_strings(kind, resource.value), *_keys(resource.value)])
    notes = list(resource.notes)
    for secret in secrets:
        if secret not in public:  # else a note may quote the field that holds it
            notes = [note.replace(secret, _SENTINEL) for note in notes]
    try:
        swapped = connectors.Resource(
            kind,
            redact_value(kind, resource.value, mask=_SENTINEL),
            provider=resource.provider,
            notes=notes,
        )
        return _masked_outputs(swapped, native)
    except Exception:  # a sentinel the type refuses: compare with nothing
        return ""


def _keys(value: Any) -> list[str]:
    """Every key of the mappings inside ``value`` (a driver parameter's name is user text)."""
    if isinstance(value, dict):
        return [str(key) for key in value] + [k for item in value.values() for k in _keys(item)]
    if isinstance(value, list):
        return [key for item in value for key in _keys(item)]
    return []


def _error_text(text: str, family: str | None) -> str:
    """The ParseError's text for ``text``, or "" when it parses (or fails otherwise)."""
    try:
        connectors.parse(text, type=family)
    except ParseError as error:
        return f"{error}\n{error!r}"
    except Exception:
        return ""
    return ""


def _masked_outputs(resource: connectors.Resource, native: str | None) -> str:
    """Every masked output of ``resource``, joined."""
    from connectors.formats import render

    texts = [repr(resource), json.dumps(resource.to_dict())]  # the notes are in both
    for fmt in FORMATS:
        try:
            texts.append(render(resource, fmt))
        except ValueError as exc:
            if type(exc).__name__ == "FormatError" or native is None:
                continue
            raise
    return "\n".join(texts)


def _stands_alone(secret: str, text: str) -> bool:
    """Whether ``secret`` is a word of ``text``: a mutation that ran it into another word
    (``AWSexample``) made a word that is no secret."""
    return _tokens(text, secret) > 0


def _tokens(text: str, form: str) -> int:
    """How often ``form`` stands in ``text`` as a whole token, not inside a longer word: where
    display masks a secret (``connectors.redact.Redactor``)."""
    count, at = 0, text.find(form)
    while at >= 0:
        end = at + len(form)
        glued = (_word(form[0]) and _word(text[at - 1 : at])) or (
            _word(form[-1]) and _word(text[end : end + 1])
        )
        count += not glued
        at = text.find(form, at + 1)
    return count


def _word(char: str) -> bool:
    return char != "" and (char.isalnum() or char == "_")


def _yaml_value(text: str) -> Any:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(text, Loader=loader)["value"]


def _last_line(trace: str) -> str:
    lines = [line for line in trace.strip().splitlines() if line.strip()]
    return " | ".join(lines[-3:])


def run(
    family: str | None,
    count: int,
    seed: int,
    *,
    store: bool = False,
    tally: Tally | None = None,
    progress: int = 0,
    seconds: float | None = None,
) -> Tally:
    """Examine ``count`` mutated strings as ``family`` (a progress line on stderr every
    ``progress`` strings, and each failure as it is found, when ``progress`` is set), or as
    many as ``seconds`` of wall time allow."""
    tally = tally or Tally()
    seen: set[str] = set()
    secrets_of_example: dict[str, list[str]] = {}
    rng = random.Random(seed)
    base = corpus()
    ends = None if seconds is None else time.monotonic() + seconds
    for _ in range(count):
        if ends is not None and tally.strings % 100 == 0 and time.monotonic() > ends:
            break
        example = rng.choice(base)
        text = mutate(example, rng, base)
        if example not in secrets_of_example:
            secrets_of_example[example] = secrets_in_text(example)
        accepted, failure = examine(
            text, family, secrets_of_example[example], store=store, seen=seen
        )
        tally.strings += 1
        tally.accepted += accepted
        tally.rejected += not accepted
        if failure is not None:
            failure.text = failure.text or text
            failure.family = family
            tally.failures.append(failure)
            if progress:
                print(f"FAILURE {failure.kind}: {text!r}: {failure.detail}", file=sys.stderr)
        if progress and tally.strings % progress == 0:
            counts = tally.counts()
            print(
                f"progress {family or 'auto-detect'} strings={tally.strings} "
                f"accepted={tally.accepted} unexpected={counts['unexpected']} "
                f"roundtrip={counts['roundtrip']} leak={counts['leak']}",
                file=sys.stderr,
                flush=True,
            )
    return tally


def main(argv: list[str] | None = None) -> int:
    """The long campaign: ``--count`` strings per family; prints a table, exits 1 on failures."""
    parser = argparse.ArgumentParser(prog="python -m connectors.testing.fuzz")
    parser.add_argument("--count", type=int, default=10_000, help="strings per family")
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--family", action="append", help="a type name, or 'auto' (repeatable)")
    parser.add_argument("--no-store", action="store_true", help="skip the workspace round trip")
    parser.add_argument("--failures", type=int, default=5, help="failures shown per family")
    parser.add_argument("--progress", type=int, default=0, help="a progress line every N")
    parser.add_argument(
        "--seconds",
        type=float,
        help="stop each family after this much wall time (the table "
        "says how many strings it reached)",
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("CONNECTORS_HOME", tempfile.mkdtemp(prefix="connectors-fuzz-"))
    chosen = families()
    if args.family:
        chosen = [None if name == "auto" else name for name in args.family]
    print("| family | strings | accepted | rejected | unexpected | round-trip | leaks | seconds |")
    print("|---|---|---|---|---|---|---|---|")
    total = 0
    for family in chosen:
        started = time.monotonic()
        tally = run(
            family,
            args.count,
            args.seed,
            store=not args.no_store,
            progress=args.progress,
            seconds=args.seconds,
        )
        counts = tally.counts()
        total += len(tally.failures)
        print(
            f"| {family or 'auto-detect'} | {tally.strings:,} | {tally.accepted:,} | "
            f"{tally.rejected:,} | {counts['unexpected']} | {counts['roundtrip']} | "
            f"{counts['leak']} | {time.monotonic() - started:.0f} |",
            flush=True,
        )
        for failure in tally.failures[: args.failures]:
            print(f"    {failure.kind}: {failure.text!r}: {failure.detail}", file=sys.stderr)
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
