"""crmconf's benchmarks: one command measures everything and writes ``bench/RESULTS.md``.

    python bench/run.py             # the full run: 2-6 minutes on two cores, more on a busy machine
    python bench/run.py --quick     # every section at tiny sizes, one or two repeats: checks it works

Every comparison is taken side by side in one run: the variants are interleaved (the order turns
each round), each is repeated, and the ratio is the ratio of the medians. Suites are run as the
user runs them (``crmconf run ...`` in a new process) and timed from outside, wall clock.
Synthetic suites are generated into a temporary folder, never into the repository.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import pstats
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))

import synthetic  # noqa: E402 (bench/ is not a package)
from crmconf_bench_probe import PROBE, collected  # noqa: E402

from crmconf.lint import Suite  # noqa: E402

PYTHON = sys.executable
CONTACT_CASSETTE = "contact_information_show/show-returns-the-contact-named-by-its-identifier.yaml"
PAGE_CASSETTE = "provisioning_get_pending/a-page-never-holds-more-than-number-of-results-requests--50.yaml"
SHOW_SCHEMA = "operations/contact_information/show.json"
PAGE_SCHEMA = "operations/provisioning/generic_provisioning_requests/get_pending.json"
PACKAGES = (
    "pytest",
    "pytest-bdd",
    "vcrpy",
    "jsonschema",
    "jsonschema-rs",
    "referencing",
    "PyYAML",
    "requests",
    "urllib3",
    "waitress",
    "pytest-xdist",
)


@dataclass(frozen=True)
class Size:
    small: int
    large: int
    rounds: int  # repeats of each variant in the replay, live and parallel comparisons
    validation_rounds: int
    validation_seconds: float  # per variant and round


FULL = Size(small=100, large=1000, rounds=5, validation_rounds=7, validation_seconds=0.25)
QUICK = Size(small=10, large=40, rounds=1, validation_rounds=2, validation_seconds=0.02)


# -- measuring ----------------------------------------------------------------------------------


@dataclass
class Samples:
    values: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    def spread(self, unit: Callable[[float], str]) -> str:
        return f"{unit(min(self.values))}–{unit(max(self.values))}"


def interleaved(variants: dict[str, Callable[[], float]], rounds: int) -> dict[str, Samples]:
    """Each variant ``rounds`` times, round-robin, the order turning each round."""
    names = list(variants)
    samples = {name: Samples() for name in names}
    for index in range(rounds):
        turn = names[index % len(names) :] + names[: index % len(names)]
        for name in turn:
            samples[name].values.append(variants[name]())
    return samples


def seconds(value: float) -> str:
    return f"{value:.2f} s"


def per_second(value: float) -> str:
    return f"{value:,.0f}/s"


def milliseconds(value: float) -> str:
    return f"{value * 1000:.2f} ms"


class CommandFailed(Exception):
    pass


@dataclass
class Command:
    """One command line of the report, run in a new process and timed from outside."""

    argv: list[str]
    shown: str
    env: dict[str, str] = field(default_factory=dict)
    outcome: str = ""
    cpu: list[float] = field(default_factory=list)
    """User + system CPU seconds of each run, its worker processes included."""

    def __call__(self) -> float:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        done = subprocess.run(
            self.argv, cwd=REPO, env=environment(self.env), capture_output=True, text=True, check=False
        )
        elapsed = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        summary = pytest_summary(done.stdout)
        if done.returncode != 0:
            raise CommandFailed(
                f"`{self.shown}` exited {done.returncode}: {summary or done.stderr.strip()[-2000:] or done.stdout[-2000:]}"
            )
        self.outcome = summary
        return elapsed


def environment(extra: dict[str, str]) -> dict[str, str]:
    """The caller's environment without crmconf settings (a replay must stay a replay), with
    ``bench/`` importable for the benchmark plugins."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("CRM_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(BENCH), env.get("PYTHONPATH", "")]))
    env.update(extra)
    return env


def pytest_summary(output: str) -> str:
    lines = [
        line.strip("= ") for line in output.splitlines() if re.search(r"\d+ (passed|failed|error)", line)
    ]
    return re.sub(r" in [\d.]+s.*", "", lines[-1]) if lines else ""


def crmconf_run(suite: Path, *extra: str, shown_suite: str, pytest_args: tuple[str, ...] = ()) -> Command:
    argv = [PYTHON, "-m", "crmconf", "run", "--suite", str(suite), *extra]
    shown = " ".join(["crmconf run --suite", shown_suite, *extra])
    if pytest_args:
        argv += ["--", *pytest_args]
        shown += " -- " + " ".join(pytest_args)
    return Command(argv, shown)


# -- the sections -------------------------------------------------------------------------------


@dataclass
class Row:
    """One line of the summary table."""

    measure: str
    result: str
    target: str
    holds: bool | None


@dataclass
class Report:
    quick: bool
    rows: list[Row] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    commands: list[str] = field(default_factory=list)

    def command(self, shown: str) -> None:
        if shown not in self.commands:
            self.commands.append(shown)


def recorded_body(cassette: str, wanted: Callable[[Any], bool]) -> Any:
    from crmconf.recording import ReadableYamlSerializer

    text = (REPO / "cassettes" / cassette).read_text(encoding="utf-8")
    for interaction in ReadableYamlSerializer.deserialize(text)["interactions"]:
        body = json.loads(interaction["response"]["body"]["string"])
        if wanted(body):
            return body
    raise SystemExit(f"cassettes/{cassette}: no recorded body of the kind this benchmark needs")


def _pending_count(body: Any) -> int:
    data = body.get("data") if isinstance(body, dict) else None
    subscriptions = data.get("subscriptions_set", []) if isinstance(data, dict) else []
    return sum(len(s.get("pending_provisioning_requests_set") or []) for s in subscriptions)


def validation(report: Report, size: Size) -> None:
    from crmconf.schemas import SchemaCatalogue

    catalogue = SchemaCatalogue(REPO / "schemas")
    contact = recorded_body(
        CONTACT_CASSETTE, lambda b: isinstance(b.get("data"), dict) and "demographics" in b["data"]
    )
    page = recorded_body(PAGE_CASSETTE, lambda b: _pending_count(b) == 50)
    broken = json.loads(json.dumps(contact))
    broken["data"]["demographics"]["date_of_birth"]["month"] = "March"
    [mismatch, *_] = catalogue.mismatches(broken, SHOW_SCHEMA)

    def rate(check: Callable[[], Any]) -> Callable[[], float]:
        def measure() -> float:
            count, started = 0, time.perf_counter()
            while (elapsed := time.perf_counter() - started) < size.validation_seconds or count < 3:
                check()
                count += 1
            return count / elapsed

        return measure

    lines = [
        "## Schema validation throughput",
        "",
        "In-process, `SchemaCatalogue.mismatches(body, schema)` as `check_response` calls it for every "
        "response, against the jsonschema validator alone (built once, reused: the previous code path). "
        f"{size.validation_rounds} interleaved rounds of at least {size.validation_seconds} s per variant.",
        "",
        "| body | schema | crmconf (jsonschema-rs, jsonschema on failure) | jsonschema only | ratio |",
        "|---|---|---|---|---|",
    ]
    for label, body, schema in (
        (f"contact (show body, {len(json.dumps(contact)):,} bytes)", contact, SHOW_SCHEMA),
        (f"get_pending page, 50 requests ({len(json.dumps(page)):,} bytes)", page, PAGE_SCHEMA),
        ("contact with one wrong type (failure path)", broken, SHOW_SCHEMA),
    ):
        validator = catalogue.validator(schema)
        samples = interleaved(
            {
                "crmconf": rate(lambda body=body, schema=schema: catalogue.mismatches(body, schema)),
                "jsonschema": rate(lambda body=body, validator=validator: list(validator.iter_errors(body))),
            },
            size.validation_rounds,
        )
        fast, slow = samples["crmconf"], samples["jsonschema"]
        lines.append(
            f"| {label} | `{schema}` | {per_second(fast.median)} ({fast.spread(per_second)}) "
            f"| {per_second(slow.median)} ({slow.spread(per_second)}) | {fast.median / slow.median:.0f}× |"
        )
        if body is contact:
            report.rows.append(
                Row(
                    "validation, contact",
                    f"{per_second(fast.median)} ({fast.spread(per_second)})",
                    "≥ 20,000/s",
                    fast.median >= 20_000,
                )
            )
        if body is page:
            report.rows.append(Row("validation, 50-item page", f"{per_second(fast.median)}", "", None))
    lines += [
        "",
        f"The failure path still names the place: the broken contact gives `{mismatch.pointer}`, "
        f"expected `{mismatch.expected}`, schema path `{mismatch.schema_path}`.",
    ]
    report.sections.append("\n".join(lines))


def replay(report: Report, size: Size, work: Path) -> dict[str, Any]:
    """The shipped suite and synthetic suites, replayed, against the stubbed run; -n 2 on the largest."""
    small = synthetic.generate(work / "suite-small", size.small)
    large = synthetic.generate(work / "suite-large", size.large)
    suites = [
        ("shipped suite", REPO, "."),
        (f"synthetic, {size.small} scenarios", small, f"$SUITE_{size.small}"),
        (f"synthetic, {size.large} scenarios", large, f"$SUITE_{size.large}"),
    ]
    lines = [
        "## Replay cost",
        "",
        "`replay` is the shipped harness; `stubbed` is the same command with `-p crmconf_bench_stub`, "
        "which still reads and parses each scenario's cassette but hands the recorded responses to the "
        "client without vcrpy, requests or urllib3, and skips schema validation: what is left is pytest, "
        "pytest-bdd, the steps and the fixtures. Wall clock of the whole command, "
        f"{size.rounds} interleaved rounds (the largest suite: {size.rounds + 2}, with `-n 2` in the same "
        "rounds).",
        "",
        "| suite | scenarios | replay | stubbed | replay / stubbed | replay per scenario |",
        "|---|---|---|---|---|---|",
    ]
    per_scenario: dict[int, float] = {}
    stubbed: dict[int, float] = {}
    parallel: dict[str, Any] = {}
    outcomes = []
    for label, suite, shown in suites:
        count = _scenario_count(suite)
        variants = {
            "replay": crmconf_run(suite, shown_suite=shown),
            "stubbed": crmconf_run(suite, shown_suite=shown, pytest_args=("-p", "crmconf_bench_stub")),
        }
        if suite is large:
            variants["-n 2"] = crmconf_run(suite, shown_suite=shown, pytest_args=("-n", "2"))
        for command in variants.values():
            report.command(command.shown)
        samples = interleaved(variants, size.rounds + (2 if suite is large and not report.quick else 0))
        real, stub = samples["replay"], samples["stubbed"]
        if suite is not REPO:
            per_scenario[count] = real.median / count
            stubbed[count] = stub.median
        outcomes.append(f"{label}: {variants['replay'].outcome}")
        lines.append(
            f"| {label} | {count} | {seconds(real.median)} ({real.spread(seconds)}) "
            f"| {seconds(stub.median)} ({stub.spread(seconds)}) | {real.median / stub.median:.2f} "
            f"| {milliseconds(real.median / count)} |"
        )
        if suite is large:
            parallel = {"samples": samples, "commands": variants}
            report.rows.append(
                Row(
                    f"replay / stubbed, {count} scenarios",
                    f"{real.median / stub.median:.2f}",
                    "≤ 1.5",
                    real.median / stub.median <= 1.5,
                )
            )
        if suite is REPO:
            report.rows.append(
                Row(
                    f"replay / stubbed, shipped suite ({count})",
                    f"{real.median / stub.median:.2f}",
                    "",
                    None,
                )
            )
    small_count, large_count = sorted(per_scenario)
    marginal = (per_scenario[large_count] * large_count - per_scenario[small_count] * small_count) / (
        large_count - small_count
    )
    linear = per_scenario[large_count] <= per_scenario[small_count] * 1.1
    reads = isolation(large, work)
    lines += [
        "",
        f"Outcomes: {'; '.join(outcomes)}.",
        "",
        f"Linear in the number of scenarios: {milliseconds(per_scenario[small_count])} per scenario at "
        f"{small_count}, {milliseconds(per_scenario[large_count])} at {large_count}; each scenario past the "
        f"first {small_count} adds {milliseconds(marginal)} "
        f"({'no growth: the start-up cost is spread thinner' if linear else 'the cost per scenario GROWS with the suite'}). "
        f"{reads}",
    ]
    report.rows.append(
        Row(
            "replay cost linear in scenarios",
            f"{milliseconds(per_scenario[small_count])}/scenario at {small_count}, "
            f"{milliseconds(per_scenario[large_count])} at {large_count}",
            "per-scenario cost does not grow",
            linear,
        )
    )
    report.sections.append("\n".join(lines))
    stub_marginal = (stubbed[large_count] - stubbed[small_count]) / (large_count - small_count)
    return {"large": large, "parallel": parallel, "large_count": large_count, "stub_marginal": stub_marginal}


def _scenario_count(suite: Path) -> int:
    """Tests the suite holds: one per scenario, one per Examples row of an outline."""
    return sum(1 for _ in Suite(suite).tests())


def isolation(suite: Path, work: Path) -> str:
    """A probed (untimed) replay: every test reads its own cassette and no other."""
    probe = work / "probe-reads"
    command = crmconf_run(suite, shown_suite="$SUITE", pytest_args=("-p", "crmconf_bench_probe"))
    command.env = {PROBE: str(probe)}
    command()
    reads = collected(probe)["reads"]
    own = sum(1 for paths in reads.values() if len(paths) == 1)
    return (
        f"A probed replay of the largest suite (`-p crmconf_bench_probe`) saw {len(reads)} tests read "
        f"{sum(len(p) for p in reads.values())} cassette files: {own} read exactly one, their own."
    )


def parallel_section(report: Report, size: Size, work: Path, replayed: dict[str, Any]) -> None:
    samples, commands = replayed["parallel"]["samples"], replayed["parallel"]["commands"]
    serial, two = samples["replay"], samples["-n 2"]
    serial_cpu, two_cpu = Samples(commands["replay"].cpu), Samples(commands["-n 2"].cpu)
    count = replayed["large_count"]
    lines = [
        "## Parallel replay and recording",
        "",
        f"The {count}-scenario replay, serial against `-n 2` (pytest-xdist), from the same interleaved rounds "
        "as the replay table. CPU is user + system time of the command and its worker processes.",
        "",
        "| variant | wall clock | CPU | serial / variant (wall clock) |",
        "|---|---|---|---|",
        f"| serial | {seconds(serial.median)} ({serial.spread(seconds)}) | {seconds(serial_cpu.median)} | 1.00 |",
        f"| `-n 2` | {seconds(two.median)} ({two.spread(seconds)}) | {seconds(two_cpu.median)} "
        f"| {serial.median / two.median:.2f} |",
        "",
        f"`-n 2` spends {seconds(two_cpu.median - serial_cpu.median)} more CPU than the serial run: each worker "
        "starts Python, imports pytest, pytest-bdd and the plugin, and collects every feature file again, and "
        "the controller receives every report. Two workers and the controller share the two cores, so the "
        "best `-n 2` can do here is the serial CPU time plus that overhead, halved.",
    ]
    report.rows.append(
        Row(
            f"`-n 2` speed-up, {count} scenarios",
            f"{serial.median / two.median:.2f}×",
            "> 1",
            serial.median > two.median,
        )
    )
    verdict, detail = recording_under_xdist(report, size, work)
    lines += ["", detail]
    report.rows.append(
        Row("recording under `-n 2`", verdict, "each cassette written once, intact", verdict == "safe")
    )
    report.sections.append("\n".join(lines))


def recording_under_xdist(report: Report, size: Size, work: Path) -> tuple[str, str]:
    """Record a synthetic suite with ``-n 2`` into an empty folder, then check every cassette."""
    from crmconf.recording import ReadableYamlSerializer

    suite = synthetic.generate(work / "suite-record", size.small)
    cassettes = work / "recorded-cassettes"
    probe = work / "probe-writes"
    record = crmconf_run(
        suite,
        "--mode",
        "record",
        "--server",
        "embedded",
        "--cassettes",
        str(cassettes),
        shown_suite=f"$SUITE_{size.small}",
        pytest_args=("-n", "2", "-p", "crmconf_bench_probe"),
    )
    record.shown = record.shown.replace(str(cassettes), "$EMPTY_FOLDER")
    record.env = {PROBE: str(probe)}
    report.command(record.shown)
    record_seconds = record()
    writes = collected(probe)["writes"]
    expected = {p.relative_to(suite / "cassettes") for p in (suite / "cassettes").rglob("*.yaml")}
    written = [Path(w).relative_to(cassettes) for w in writes]
    files = {p.relative_to(cassettes) for p in cassettes.rglob("*.yaml")}
    leftovers = [p.name for p in cassettes.rglob("*") if p.is_file() and p.suffix != ".yaml"]
    broken = []
    for name in sorted(files):
        try:
            cassette = ReadableYamlSerializer.deserialize((cassettes / name).read_text(encoding="utf-8"))
            if not cassette["interactions"]:
                broken.append(str(name))
        except Exception as error:  # noqa: BLE001 - any failure to read is what this looks for
            broken.append(f"{name}: {error}")
    twice = len(written) - len(set(written))
    replay = crmconf_run(suite, "--cassettes", str(cassettes), shown_suite=f"$SUITE_{size.small}")
    replay.shown = replay.shown.replace(str(cassettes), "$EMPTY_FOLDER")
    report.command(replay.shown)
    replay()
    safe = files == expected and set(written) == expected and not twice and not leftovers and not broken
    detail = (
        f"Recording the {size.small}-scenario synthetic suite with `-n 2` into an empty folder took "
        f"{seconds(record_seconds)} ({record.outcome}); the probe saw {len(written)} cassette writes for "
        f"{len(expected)} scenarios ({twice} written twice), {len(files)} cassette files on disk "
        f"({'the expected set' if files == expected else 'NOT the expected set'}), {len(leftovers)} stray "
        f"temporary files, {len(broken)} unreadable or empty; replaying them serially: {replay.outcome}."
    )
    return ("safe" if safe else "NOT safe"), detail


def live(report: Report, size: Size, work: Path, floor_per_scenario: float) -> None:
    def live_run(plugin: str) -> Command:
        """``crmconf run --mode live --server embedded`` of the shipped suite with a bench plugin."""
        return crmconf_run(REPO, "--mode", "live", "--server", "embedded", shown_suite=".", pytest_args=("-p", plugin))

    probe = work / "probe-live"
    capture = live_run("crmconf_bench_probe")
    capture.env = {PROBE: str(probe)}
    capture()
    captured = collected(probe)["requests"]
    requests_file = work / "live-requests.json"
    requests_file.write_text(json.dumps(captured), encoding="utf-8")

    harness = live_run("crmconf_bench_clock")
    clock = work / "clock.json"
    harness.env = {"CRMCONF_BENCH_CLOCK": str(clock)}
    harness.shown = "crmconf run --mode live --server embedded"
    loop_stats: list[dict[str, Any]] = []
    phases: list[float] = []

    loop_cpu: list[float] = []

    def plain() -> float:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        done = subprocess.run(
            [PYTHON, str(BENCH / "plain_loop.py"), str(requests_file)],
            cwd=REPO,
            env=environment({}),
            capture_output=True,
            text=True,
            check=True,
        )
        elapsed = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        loop_cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        loop_stats.append(json.loads(done.stdout.strip().splitlines()[-1]))
        return elapsed

    def crmconf() -> float:
        elapsed = harness()
        phases.append(json.loads(clock.read_text(encoding="utf-8"))["scenarios_seconds"])
        return elapsed

    empty = work / "empty-suite"
    empty.mkdir(exist_ok=True)
    floor, floor_scenarios, floor_steps = synthetic.floor_suite(work / "floor-suite")
    floor_clock = work / "floor-clock.json"
    floor_phases: list[float] = []

    def plain_pytest(folder: Path, expected_exit: int, *options: str) -> float:
        started = time.perf_counter()
        done = subprocess.run(
            [PYTHON, "-m", "pytest", "-q", "-p", "no:cacheprovider", *options, str(folder)],
            cwd=folder,
            env=environment({"CRMCONF_BENCH_CLOCK": str(floor_clock)}),
            capture_output=True,
            text=True,
        )
        if done.returncode != expected_exit:
            raise SystemExit(f"python -m pytest {folder}: exit {done.returncode}\n{done.stdout}{done.stderr}")
        return time.perf_counter() - started

    def bare_pytest() -> float:
        """pytest with its installed plugins (pytest-bdd among them) and nothing to run: the start-up
        any pytest suite pays on this installation."""
        return plain_pytest(empty, 5)  # 5: no tests collected

    def pytest_bdd_floor() -> float:
        """The suite's scenarios and steps as they run, bound to steps that do nothing."""
        elapsed = plain_pytest(floor, 0, "-p", "crmconf_bench_clock")
        floor_phases.append(json.loads(floor_clock.read_text(encoding="utf-8"))["scenarios_seconds"])
        return elapsed

    report.command(harness.shown)
    report.command(
        f"python bench/plain_loop.py $REQUESTS  # the {len(captured)} requests a probed live run sent"
    )
    report.command("python -m pytest -q -p no:cacheprovider $EMPTY_FOLDER  # start-up only, for comparison")
    report.command(
        f"python -m pytest -q -p no:cacheprovider -p crmconf_bench_clock $FLOOR_SUITE  # {floor_scenarios} "
        f"scenarios, {floor_steps} steps that do nothing"
    )
    samples = interleaved(
        {"crmconf": crmconf, "plain": plain, "pytest": bare_pytest, "floor": pytest_bdd_floor},
        1 if report.quick else size.rounds + 2,
    )
    whole, loop, bare = samples["crmconf"], samples["plain"], samples["pytest"]
    floor_phase = Samples(floor_phases)
    scenarios = _scenario_count(REPO)
    phase = Samples(phases)
    loops = Samples([entry["loop_seconds"] for entry in loop_stats])
    differing = max(entry["statuses_differing"] for entry in loop_stats)
    report.rows.append(
        Row(
            "live / plain loop: scenarios against the request loop",
            f"{phase.median / loops.median:.2f}",
            "≤ 1.5",
            phase.median / loops.median <= 1.5,
        )
    )
    report.rows.append(
        Row(
            "live: lowest scenario ratio pytest-bdd leaves (loop + floor suite) / loop",
            f"{(loops.median + floor_phase.median) / loops.median:.2f}",
            "",
            None,
        )
    )
    report.rows.append(
        Row("live / plain loop: whole commands, start-up included", f"{whole.median / loop.median:.2f}", "", None)
    )
    report.sections.append(
        "\n".join(
            [
                "## Live cost",
                "",
                f"`crmconf run --mode live --server embedded` (the shipped suite: {harness.outcome}) against "
                f"`bench/plain_loop.py`, which starts the same embedded tenant in a new process and sends the "
                f"same {len(captured)} requests (captured from a probed live run, tokens swapped for the ones "
                f"its tenant issues; {differing} HTTP statuses differed from the capture) through one "
                "`requests.Session`, reading each body and nothing more. "
                f"{len(whole.values)} interleaved rounds.",
                "",
                "| measure | crmconf live | plain loop | ratio |",
                "|---|---|---|---|",
                f"| whole command, wall clock | {seconds(whole.median)} ({whole.spread(seconds)}) "
                f"| {seconds(loop.median)} ({loop.spread(seconds)}) | {whole.median / loop.median:.2f} |",
                f"| whole command, CPU (user + system) | {seconds(Samples(harness.cpu).median)} "
                f"| {seconds(Samples(loop_cpu).median)} "
                f"| {Samples(harness.cpu).median / Samples(loop_cpu).median:.2f} |",
                f"| scenarios (first test start to last test end) vs the request loop | {seconds(phase.median)} "
                f"({phase.spread(seconds)}) | {seconds(loops.median)} ({loops.spread(seconds)}) | "
                f"{phase.median / loops.median:.2f} |",
                "",
                f"| start-up: pytest and its plugins on an empty folder (`python -m pytest EMPTY`), for comparison "
                f"| {seconds(bare.median)} ({bare.spread(seconds)}) | | |",
                f"| floor: the suite's {floor_scenarios} scenarios and {floor_steps} steps as they run, bound to steps "
                f"that do nothing (pytest-bdd with crmconf's step lookup), scenarios | {seconds(floor_phase.median)} "
                f"({floor_phase.spread(seconds)}) | | |",
                "",
                f"Per request: {milliseconds(phase.median / len(captured))} in crmconf's scenarios, "
                f"{milliseconds(loops.median / len(captured))} in the plain loop.",
                "",
                "The target is read on the scenarios: both sides send the same requests to the same tenant, "
                "timed from the first to the last, so the ratio is what the harness adds to each exchange "
                "(pytest's protocol, pytest-bdd's steps, the checks, the report). The whole commands also "
                "differ by a start-up that does not grow with the suite, and most of it is pytest's own: "
                f"pytest with its plugins (pytest-bdd, pytest-xdist) and nothing to collect takes {seconds(bare.median)} here, while the loop's "
                f"whole process outside its loop takes {seconds(loop.median - loops.median)}. The whole-command "
                "ratio is shown for information; it falls toward the scenario ratio as a suite grows.",
                "",
                f"Inside the scenarios, crmconf spends {seconds(phase.median - loops.median)} more than the loop. "
                f"pytest and pytest-bdd alone take {seconds(floor_phase.median)} of it: the floor suite, the same "
                f"scenarios and steps with nothing done in them. So even a harness doing nothing but send the "
                f"requests could not go below {(loops.median + floor_phase.median) / loops.median:.2f} times the loop "
                f"here; the harness's own work (its fixtures and client, the JSON and schema checks of every "
                f"response, the paging and contact checks, the report) is the remaining "
                f"{seconds(max(phase.median - loops.median - floor_phase.median, 0.0))}, "
                f"{milliseconds(max(phase.median - loops.median - floor_phase.median, 0.0) / len(captured))} per request.",
                "",
                f"Where the difference is: outside the scenarios, the crmconf command spends "
                f"{seconds(whole.median - phase.median)} (Python, pytest, pytest-bdd and the plugin imported, the feature "
                f"files collected, the schemas checked, the tenant started) against {seconds(loop.median - loops.median)} "
                f"for the loop's process (Python, requests and the tenant). Inside them, crmconf spends "
                f"{milliseconds((phase.median - loops.median) / scenarios)} more per scenario than the loop spends on the "
                f"same requests; each scenario of the stubbed replay above, which sends nothing and validates "
                f"nothing, adds {milliseconds(floor_per_scenario)} (between its two synthetic suites): what pytest and "
                "pytest-bdd spend on a scenario "
                "(fixtures, step lookup, reports) whatever the harness does. The profile below splits a live run.",
            ]
        )
    )


# -- where the time goes ------------------------------------------------------------------------

BUCKETS = (
    ("whole command (profiled)", "crmconf/cli.py", "run"),
    ("› collection: feature files into tests", "_pytest/main.py", "perform_collect"),
    ("› tests: pytest's protocol (fixtures, reports, the scenarios)", "_pytest/runner.py", "runtestprotocol"),
    ("› › scenarios: pytest-bdd running the steps", "pytest_bdd/scenario.py", "_execute_scenario"),
    ("› › › finding step definitions (pytest-bdd, remembered per feature file)", "crmconf/step_lookup.py", "get_step_function"),
    ("› › › cassette loaded by vcrpy", "vcr/cassette.py", "load"),
    ("› › › › YAML parsed (`load_yaml`, libyaml)", "crmconf/recording.py", "load_yaml"),
    ("› › › client sending (requests + replay adapter or the tenant)", "crmconf/client.py", "_send"),
    ("› › › › matching a recorded request (vcrpy)", "vcr/cassette.py", "play_response"),
    ("› › › › schema validation (`check_response`)", "crmconf/checks.py", "check_response"),
)


def profile_section(report: Report, size: Size, work: Path) -> None:
    suite = work / "suite-small"
    count = _scenario_count(suite)
    lines = [
        "## Where the time goes",
        "",
        f"cProfile of one replay of the {count}-scenario synthetic suite and one live run of the shipped "
        "suite (`python -m cProfile -o OUT -m crmconf run ...`), in this run, on the code as it is now. "
        "Cumulative times; a row marked › is part of the nearest row above with one › fewer. "
        "cProfile inflates Python-heavy code, "
        "so read shares, not absolute times.",
        "",
        "| part | replay, share | replay, ms per scenario | live, share |",
        "|---|---|---|---|",
    ]
    replay_stats = _profile(work / "replay.prof", [str(suite)], [])
    live_stats = _profile(work / "live.prof", [str(REPO)], ["--mode", "live", "--server", "embedded"])
    replay_total = replay_stats[BUCKETS[0][0]]
    live_total = live_stats[BUCKETS[0][0]]
    for label, _, _ in BUCKETS:
        lines.append(
            f"| {label} | {replay_stats[label] / replay_total:.0%} | {replay_stats[label] / count * 1000:.2f} "
            f"| {live_stats[label] / live_total:.0%} |"
        )
    lines += ["", PROFILE_NOTES]
    report.sections.append("\n".join(lines))


def _profile(output: Path, suite: list[str], options: list[str]) -> dict[str, float]:
    argv = [PYTHON, "-m", "cProfile", "-o", str(output), "-m", "crmconf", "run", "--suite", *suite, *options]
    subprocess.run(argv, cwd=REPO, env=environment({}), capture_output=True, text=True, check=True)
    stats = pstats.Stats(str(output)).stats  # type: ignore[attr-defined]
    found = {}
    for label, path, function in BUCKETS:
        found[label] = sum(
            entry[3]
            for (filename, _line, name), entry in stats.items()
            if name == function and filename.replace(os.sep, "/").endswith(path)
        )
    return found


PROFILE_NOTES = """\
What the profile showed before the harness was changed (cProfile, replay of a 300-scenario
synthetic suite, 60 ms per scenario profiled against 21 ms for the stubbed run), and what was done:

* **Sending through vcrpy's patched connections** was the largest part: requests, urllib3 and
  vcrpy's fake sockets and responses took about 8 ms per request profiled. Replay now answers at
  `requests`' transport adapter (`crmconf.recording`): vcrpy still loads the cassette, matches
  each request with the suite's matchers and raises its own error naming the cassette and the
  nearest recording on a miss, but no socket, connection pool or urllib3 response is made.
  Recorded retries replay as urllib3 would make them, without the back-off sleeps.
* **vcrpy's patchers** tried to import boto3, httplib2, tornado, aiohttp and httpx on entering and
  leaving every cassette (about 5 ms per scenario profiled, failed imports searching `sys.path`):
  they are skipped (`skip_patchers`), and replay no longer enters vcrpy's patching at all.
* **Scrubbing each loaded response** (`before_record_response` runs on load too): replayed
  cassettes were scrubbed when recorded, so the hook now runs in record mode only.
* **Schema validation** with jsonschema took about 1.6 ms per contact and 3 ms per response with
  the envelope: jsonschema-rs now answers "valid" (µs), jsonschema still builds the mismatch list
  when a body fails, so failures keep their JSON pointer and schema path.
* **The environment lookups of `requests`** (proxies and `.netrc` for every request, about 0.3 ms
  a request) are skipped in replay, where no connection is made.
* **YAML loading** (already libyaml's C parser) spent more than half of its time in PyYAML's
  generic constructor: `crmconf.recording.load_yaml` builds the plain mappings, lists and strings
  of a cassette itself and leaves every other scalar to the safe constructor (1.4-1.8× faster,
  the same objects). The stubbed run parses cassettes with it too.

* **Finding step definitions**: for every step, pytest-bdd asked pytest which definitions of
  every fixture name the test sees (about 40 names, 8,000 lookups in a live run of the suite) and
  then resolved a temporary fixture: 18% of the replay profile, 11% of the live one.
  `crmconf.step_lookup` answers a step already looked up in the same feature file with the same
  definition, and searches a first one among the step definitions listed once per feature file;
  `tests/e2e/test_step_lookup_suite.py` checks every step of the suite finds what pytest-bdd's own
  search finds. It is now under 2% of either profile.
* **Live connections**: each scenario's client opened its own connection pool, so every scenario
  began with a new TCP connection and the tenant's accept. A live run now shares one pool (each
  scenario keeps its own session and cookies), and requests to the embedded tenant skip the proxy
  and `.netrc` lookups, as a replay does.
* **Schemas checked twice**: every schema is checked against the metaschema before the first
  scenario, and was checked again when its validator was first built, inside the first scenarios
  that used it (about 80 ms of a live run). It is checked once.
* **The reference tenant's seed** built a `TenantOptions` (type hints read anew) for each of 115
  requests while importing: the import took about 100 ms in the loop's process and crmconf's alike;
  now about 15 ms.
* **pytest-bdd's work on each step, beyond the search**: a first lookup still injected a temporary
  fixture and asked pytest to resolve it (115 lookups in a live run), each step's function had its
  signature read twice, and each fixture a step asked for was looked up dynamically the first time
  in each scenario. `crmconf.step_lookup` now takes the definition pytest-bdd's fixture would
  resolve to straight from its indexed search (the comparing plugin of the e2e test checks every
  step against pytest-bdd's own lookup), signatures are read once per function, and each scenario
  test names the harness fixtures its steps use, so pytest finds them at collection and sets them
  up with the test. Together: 6.6% fewer Python calls in a live run (1,045,000 to 976,000, counted
  by cProfile) and, in series of ten interleaved pairs, the main thread's CPU ratio to the loop
  from 1.7-1.8 to 1.58.
* **The end of every process, and what crosses from the workers** (the `-n 2` run): Python's
  exit ran full garbage collections over every object still alive, 0.6 s after 1,000 scenarios,
  in the serial command and in each worker, and the controller waited for its workers to exit.
  A process that runs the suite (the `crmconf` command, a pytest-xdist worker) now freezes what
  is left at exit (`crmconf.process`), after pytest's own last collection. And each worker sent
  pytest-bdd's report data (about 1.1 KB, 60% of each serialised report) with every report, for
  a Cucumber JSON that reads only the call's and is seldom asked for: it now crosses only in a
  `--cucumberjson` run, with the call's report. Five interleaved rounds of the 1000-scenario
  replay, the code before and after side by side on a quiet machine: serial 5.15 s to 4.54 s,
  `-n 2` 4.55 s to 3.82 s, speed-up 1.13× to 1.19×. The `-n 2` run still pays a controller that
  starts before its workers (about 0.5 s) and receives five messages per test (about 0.6 s of its
  CPU, on the cores the workers use).

What is left in the replay is the YAML parse of each cassette and pytest-bdd's own work on each
step; both are in the stubbed run too, which is why the replay / stubbed ratio stays above 1 only
by the matching and the `requests` layer. In a live run, the floor suite (the live section) shows
what pytest and pytest-bdd cost for the suite's scenarios and steps with nothing done in them; the
rest of the difference with the loop is the harness's own work on each scenario and response:
setting up its fixtures (a client, a session and a cassette per scenario), pytest-bdd's injection
of the exchange each request step returns (`target_fixture`), decoding and checking every JSON
body (about 20 ms for the 253 bodies, 1 MB; `json.loads` is most of it, schema validation about
2 ms), the paging and contact checks, and the reports. Tried and left out: a faster JSON decoder
(orjson: 8 ms less for the whole run, not worth a dependency) and tuning or freezing the garbage
collector (no measurable change).

How much the verdicts move: four full runs on this machine while the harness was optimised (the
same code but for the last small changes) gave a 1000-scenario replay / stubbed ratio of 1.31,
1.55, 1.30 and 1.23, and a `-n 2` speed-up of 0.87×, 0.72×, 1.41× and 1.25× (within one set of
rounds a `-n 2` run took 11 s and another 37 s); a full run after the change to the end of each
process gave 1.15× on a quieter day (the serial 1000-scenario replay took 4.5 s, against 8-11 s
in those four). CPU time does not filter this out here: on this virtual machine it follows the
wall clock. Read a verdict near its threshold as within the noise.
The live scenario ratio was 1.8-2.3 before the step lookup, the shared connections and the single
schema check; after them, two full runs gave 1.75 and 1.54, and separate series of ten
interleaved pairs gave medians of 1.44 to 1.53: on the threshold, within the noise."""


# -- the report ---------------------------------------------------------------------------------


def versions() -> list[str]:
    found = [f"Python {platform.python_version()} ({platform.python_implementation()})"]
    for package in PACKAGES:
        try:
            found.append(f"{package} {metadata.version(package)}")
        except metadata.PackageNotFoundError:
            found.append(f"{package} (not installed)")
    import yaml

    found.append(
        f"libyaml {'used (CSafeLoader)' if getattr(yaml, '__with_libyaml__', False) else 'NOT available'}"
    )
    return found


def render(report: Report, started: float) -> str:
    verdict = {True: "holds", False: "**does not hold**", None: "(information)"}
    table = ["| measure | result | target | verdict |", "|---|---|---|---|"]
    table += [
        f"| {row.measure} | {row.result} | {row.target} | {verdict[row.holds]} |" for row in report.rows
    ]
    mode = (
        "quick mode (tiny sizes, one or two repeats: it checks that the benchmarks work; its timings mean nothing)"
        if report.quick
        else "full mode"
    )
    return "\n".join(
        [
            "# crmconf benchmarks",
            "",
            f"Written by `python bench/run.py{' --quick' if report.quick else ''}` on {time.strftime('%Y-%m-%d %H:%M')}, "
            f"{mode}, in {time.time() - started:.0f} s. Every figure below comes from this one run.",
            "",
            "## Machine",
            "",
            f"{os.cpu_count()} cores ({platform.machine()}, {platform.system()} {platform.release()}), shared and "
            "noisy: medians with their spread (min–max) of interleaved repeats; single runs vary by 20-50 %.",
            "",
            "Versions: " + "; ".join(versions()) + ".",
            "",
            "## Summary",
            "",
            *table,
            "",
            *[section + "\n" for section in report.sections],
            "## Commands",
            "",
            "Run from the repository with the virtual environment's `python`; `bench/` on `PYTHONPATH` for the "
            "benchmark plugins (`crmconf_bench_stub`, `crmconf_bench_probe`, `crmconf_bench_clock`); `$SUITE_N` "
            "is a synthetic suite that `bench/synthetic.py` writes into a temporary folder.",
            "",
            "```sh",
            "python bench/run.py" + (" --quick" if report.quick else ""),
            *report.commands,
            "```",
            "",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="tiny sizes, one or two repeats: checks it works"
    )
    parser.add_argument("--output", type=Path, default=BENCH / "RESULTS.md", help="where to write the report")
    arguments = parser.parse_args(argv)
    size = QUICK if arguments.quick else FULL
    started = time.time()
    report = Report(quick=arguments.quick)
    work = Path(tempfile.mkdtemp(prefix="crmconf-bench-"))
    try:
        steps: list[tuple[str, Callable[[], Any]]] = [
            ("validation", lambda: validation(report, size)),
        ]
        for name, step in steps:
            print(f"bench: {name}", file=sys.stderr, flush=True)
            step()
        print("bench: replay", file=sys.stderr, flush=True)
        replayed = replay(report, size, work)
        print("bench: parallel and recording", file=sys.stderr, flush=True)
        parallel_section(report, size, work, replayed)
        print("bench: live", file=sys.stderr, flush=True)
        live(report, size, work, replayed["stub_marginal"])
        print("bench: profile", file=sys.stderr, flush=True)
        profile_section(report, size, work)
    except CommandFailed as error:
        print(f"bench: {error}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(work, ignore_errors=True)
    arguments.output.parent.mkdir(parents=True, exist_ok=True)
    arguments.output.write_text(render(report, started), encoding="utf-8")
    print(f"bench: wrote {arguments.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
