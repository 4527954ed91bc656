"""The documentation names only what exists: commands, options, environment variables, links.

README.md and docs/*.md are read as text. Every ``connectors ...`` invocation in a code block or
an inline code span must name a real command (and subcommand for groups) whose options include
every ``--flag`` written after it; every command that prints data has ``--json``; every
``CONNECTORS_*`` variable is read somewhere under connectors/; every relative link resolves.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from connectors.cli import cli

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
DOCS = [README, *sorted((ROOT / "docs").glob("*.md"))]

# Commands that print no data of their own, so need no --json (none today: keep the reason here).
JSON_EXCEPTIONS: dict[str, str] = {}

# Words that follow a ``|`` in a shell line: a pipe into a tool, not an alternative subcommand.
SHELL_TOOLS = {"head", "tail", "grep", "jq", "less", "sort", "wc", "tee", "xargs", "cat"}

FENCE = re.compile(r"^```[^\n]*\n(.*?)^```", re.S | re.M)
INLINE = re.compile(r"`([^`\n]+)`")
INVOCATION = re.compile(r"(?:^|[\s;&(|$])connectors((?:\s+[^\s#;&)|]+)*)")
OPTION = re.compile(r"(?<![\w-])(--[a-z][a-z0-9-]*)")
ENV_VAR = re.compile(r"CONNECTORS_[A-Z0-9_]*(?:<[A-Z]+>[A-Z0-9_]*)?")
PY_IMPORT = re.compile(r"\b(?:from|import)\s+connectors\b")
LINK = re.compile(r"\]\(([^)\s]+)\)")


def doc_id(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def code_lines(text: str) -> Iterator[str]:
    """Lines of fenced code blocks, then inline code spans outside them."""
    for block in FENCE.findall(text):
        for line in block.splitlines():
            yield line.removeprefix("$ ")
    prose = FENCE.sub("", text)
    yield from INLINE.findall(prose)


def invocations(path: Path) -> list[tuple[list[str], list[str], str]]:
    """(command words, alternatives after ' | ', the line) for each ``connectors`` call."""
    found = []
    for line in code_lines(path.read_text(encoding="utf-8")):
        code = line.split(" # ", 1)[0].split("  #", 1)[0]
        if code.lstrip().startswith("#") or PY_IMPORT.search(code):
            continue
        for match in INVOCATION.finditer(code):
            start = match.start(1)
            rest = code[start:]
            main, *alternatives = rest.split(" | ")
            words = main.split()
            while words and words[0] == "--debug":
                words.pop(0)
            if not words or not re.fullmatch(r"[a-z][a-z-]*", words[0]):
                continue  # "connectors" as a word in prose or a package name
            found.append((words, [a.split()[0] for a in alternatives if a.split()], line))
    return found


def resolve(words: list[str]) -> tuple[list[str], click.Command | None]:
    """The command path named by ``words`` (group + subcommand) and its click command."""
    ctx = click.Context(cli)
    command = cli.get_command(ctx, words[0])
    path = [words[0]]
    if isinstance(command, click.Group) and len(words) > 1:
        sub = command.get_command(ctx, words[1])
        path.append(words[1])
        command = sub
    return path, command


def option_names(command: click.Command) -> set[str]:
    names = {"--help", "-h"}
    for param in command.params:
        names.update(param.opts)
        names.update(param.secondary_opts)
    return names


def all_commands() -> list[tuple[str, click.Command]]:
    ctx = click.Context(cli)
    found: list[tuple[str, click.Command]] = []
    for name in cli.list_commands(ctx):
        command = cli.get_command(ctx, name)
        assert command is not None, f"connectors {name}: listed but does not load"
        if isinstance(command, click.Group):
            for sub in command.list_commands(ctx):
                subcommand = command.get_command(ctx, sub)
                assert subcommand is not None, f"connectors {name} {sub}: does not load"
                found.append((f"{name} {sub}", subcommand))
        else:
            found.append((name, command))
    return found


CALLS = [(doc, call) for doc in DOCS for call in invocations(doc)]


def test_docs_name_commands() -> None:
    """The extraction itself works: the docs name plenty of commands."""
    named = {" ".join(resolve(words)[0]) for _, (words, _, _) in CALLS}
    assert {"parse", "check", "run", "resource add", "hub export", "env import"} <= named


@pytest.mark.parametrize(
    ("doc", "call"),
    [pytest.param(doc, call, id=f"{doc_id(doc)}: {' '.join(call[0][:2])}") for doc, call in CALLS],
)
def test_documented_command_exists(doc: Path, call: tuple[list[str], list[str], str]) -> None:
    words, alternatives, line = call
    path, command = resolve(words)
    where = f"{doc_id(doc)}: {line.strip()!r}"
    assert command is not None, f"{where}: no command 'connectors {' '.join(path)}'"
    known = option_names(command)
    unknown = [opt for opt in OPTION.findall(" ".join(words)) if opt not in known]
    assert not unknown, f"{where}: 'connectors {' '.join(path)}' has no option {unknown}"
    group = cli.get_command(click.Context(cli), path[0])
    if isinstance(group, click.Group):
        ctx = click.Context(cli)
        for word in alternatives:
            if word not in SHELL_TOOLS and re.fullmatch(r"[a-z][a-z-]*", word):
                assert group.get_command(ctx, word), f"{where}: no 'connectors {path[0]} {word}'"


def test_documented_commands_answer_help() -> None:
    runner = CliRunner()
    named = sorted({tuple(resolve(words)[0]) for _, (words, _, _) in CALLS})
    for path in named:
        result = runner.invoke(cli, [*path, "--help"])
        assert result.exit_code == 0, f"connectors {' '.join(path)} --help: {result.output}"
        assert "Usage: " in result.output


def test_every_data_command_has_json() -> None:
    """README promises --json on every command; the exceptions above say why not."""
    runner = CliRunner()
    missing = []
    for name, command in all_commands():
        if name in JSON_EXCEPTIONS:
            continue
        if "--json" not in option_names(command):
            missing.append(name)
            continue
        result = runner.invoke(cli, [*name.split(), "--help"])
        assert "--json" in result.output, name
    assert not missing, f"commands without --json: {missing}"
    assert "Every command has `--json`" in README.read_text(encoding="utf-8")


def source_text() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "connectors").rglob("*.py"))


def test_documented_env_vars_are_read() -> None:
    from connectors.testing.factory import ServerFactory

    services = ServerFactory(ROOT).services
    source = source_text()
    named = {
        (doc_id(doc), name.rstrip("_"))
        for doc in DOCS
        for name in ENV_VAR.findall(doc.read_text(encoding="utf-8"))
    }
    assert len(named) > 10
    problems = []
    for doc, name in sorted(named):
        if "<" in name:
            # a name built at run time: its fixed prefix is a string literal in the source
            ok = '"' + name.split("<", 1)[0].rstrip("_") in source
        elif re.fullmatch(r"CONNECTORS_TEST_(\w+)_URL", name):
            service = name.removeprefix("CONNECTORS_TEST_").removesuffix("_URL").lower()
            ok = service in services and '"CONNECTORS_TEST_{' in source
        else:
            ok = re.search(rf"\b{name}\b", source) is not None
        if not ok:
            problems.append(f"{doc}: {name}")
    assert not problems, f"documented but never read under connectors/: {problems}"


def test_readme_links_every_doc() -> None:
    text = README.read_text(encoding="utf-8")
    linked = {target for target in LINK.findall(text) if target.startswith("docs/")}
    for target in linked:
        assert (ROOT / target.split("#")[0]).is_file(), f"README.md links to missing {target}"
    docs = {doc_id(doc) for doc in DOCS if doc != README}
    assert docs <= linked, f"docs not linked from README.md: {sorted(docs - linked)}"


@pytest.mark.parametrize("doc", DOCS, ids=doc_id)
def test_relative_links_resolve(doc: Path) -> None:
    for target in LINK.findall(doc.read_text(encoding="utf-8")):
        if re.match(r"[a-z]+:", target) or target.startswith("#"):
            continue
        assert (doc.parent / target.split("#")[0]).exists(), f"{doc_id(doc)}: broken link {target}"


def test_readme_has_the_extra_connectors_install_commands():
    """Issue 17: a short "Extra connectors" section with both install commands, whose extras
    exist in each plugin's pyproject.toml."""
    import tomllib

    section = README.read_text(encoding="utf-8").split("### Extra connectors", 1)[1]
    section = section.split("\n#", 1)[0]
    for plugin, extra in (("mysql", "pymysql"), ("gcs", "google")):
        assert f"pip install './plugins/{plugin}[{extra}]'" in section
        project = tomllib.loads((ROOT / "plugins" / plugin / "pyproject.toml").read_text())
        assert extra in project["project"]["optional-dependencies"]
