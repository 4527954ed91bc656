"""Start-up time of the ``connectors`` command against ``python -c pass``, in the same run.

    .venv/bin/python benchmarks/bench_cli_start.py [--repeats 15]

A third-party plugin (tests/plugins/example, pip-installed into a temporary folder put on
PYTHONPATH) is installed for every run, ``python -c pass`` included, so both sides see the same
sys.path. The commands run interleaved (one of each per round, the order rotating), after one
warm-up round that also fills the entry-point cache. Prints the median and the minimum wall
time of each command and its ratio to ``python -c pass`` (target: median at most 6x), and the
median CPU time (user + system) of each, which the load of other processes inflates least.

``--baseline DIR`` also times the same commands from another checkout of the package (an
older commit, say) in the same interleaved rounds, for a before/after comparison.

Bytecode is written and used (PYTHONDONTWRITEBYTECODE is removed from the environment), as
after ``pip install``; ``--no-bytecode`` measures with every module compiled at each start.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PLUGIN = ROOT / "tests" / "plugins" / "example"
URL = "postgresql://app:secret@db.example.com:5432/app?sslmode=require"


def install_plugin(target: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
         "--no-build-isolation", "--no-index", "--target", str(target), str(PLUGIN)],
        check=True,
        capture_output=True,
    )  # fmt: skip


def connectors_command() -> list[str]:
    script = Path(sys.executable).with_name("connectors")
    if script.exists():
        return [sys.executable, str(script)]  # the console script, as a user runs it
    return [sys.executable, "-c", "from connectors.cli import main; main()"]


def commands(baseline: bool) -> dict[str, list[str]]:
    cli = connectors_command()
    found = {"python -c pass": [sys.executable, "-c", "pass"]}
    for prefix in ("", "baseline: ") if baseline else ("",):
        found[f"{prefix}connectors parse URL --json"] = [*cli, "parse", URL, "--json"]
        found[f"{prefix}connectors types"] = [*cli, "types"]
        found[f"{prefix}connectors --help"] = [*cli, "--help"]
    return found


def run(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall time and CPU time (user + system, the child's own) of one run of ``argv``."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as errors:
        child = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(child.pid, 0)
        elapsed = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            errors.seek(0)
            raise SystemExit(f"{argv[-1]!r} failed: {errors.read().decode()[-400:]}")
    return elapsed, usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--no-bytecode", action="store_true")
    parser.add_argument("--baseline", type=Path, help="another checkout to time alongside")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-cli-") as tmp:
        site = Path(tmp) / "site"
        install_plugin(site)
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(site), str(ROOT)]),
            "CONNECTORS_HOME": str(Path(tmp) / "home"),
            "XDG_CACHE_HOME": str(Path(tmp) / "cache"),
        }
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        if args.no_bytecode:
            env["PYTHONDONTWRITEBYTECODE"] = "1"
        todo = commands(args.baseline is not None)
        names = list(todo)
        envs = {name: env for name in names}
        if args.baseline is not None:
            other = {**env, "PYTHONPATH": os.pathsep.join([str(site), str(args.baseline)])}
            envs.update({name: other for name in names if name.startswith("baseline: ")})
        cold = {name: run(todo[name], envs[name])[0] for name in names}  # warm-up, fills caches
        times: dict[str, list[float]] = {name: [] for name in names}
        cpu: dict[str, list[float]] = {name: [] for name in names}
        for round_number in range(args.repeats):
            shift = round_number % len(names)
            for name in names[shift:] + names[:shift]:
                wall, used = run(todo[name], envs[name])
                times[name].append(wall)
                cpu[name].append(used)
        types_out = subprocess.run(todo["connectors types"], env=env, capture_output=True)
        assert b"example_kv" in types_out.stdout, "the third-party plugin is not listed"

    base_median = statistics.median(times["python -c pass"])
    base_min = min(times["python -c pass"])
    load = os.getloadavg()
    print(
        f"CLI start, {args.repeats} interleaved rounds, third-party plugin installed, "
        f"bytecode {'off' if args.no_bytecode else 'cached'}, load average {load[0]:.2f} "
        f"(machine has {os.cpu_count()} CPUs)"
    )
    base_cpu = statistics.median(cpu["python -c pass"])
    print(f"{'command':<40}{'first (ms)':>11}{'median (ms)':>13}{'min (ms)':>10}"
          f"{'median ratio':>14}{'min ratio':>11}{'CPU (ms)':>10}{'CPU ratio':>11}")  # fmt: skip
    for name in names:
        median = statistics.median(times[name])
        low = min(times[name])
        used = statistics.median(cpu[name])
        print(
            f"{name:<40}{cold[name] * 1e3:>11.1f}{median * 1e3:>13.1f}{low * 1e3:>10.1f}"
            f"{median / base_median:>13.2f}x{low / base_min:>10.2f}x"
            f"{used * 1e3:>10.1f}{used / base_cpu:>10.2f}x"
        )
    print(
        "ratio = command time / python -c pass time (target: median ratio <= 6x); CPU = the "
        "child's user + system time, median (what another process's load inflates least)"
    )


if __name__ == "__main__":
    main()
