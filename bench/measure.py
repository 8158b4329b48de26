"""Whole-process measurements: wall time and peak memory of a command, as a user feels them.

Each run starts the command afresh (interpreter start-up and imports included) through the
small wrapper in spawn.py, which waits for it with `os.wait4` and so gets that child's own
wall time and peak resident set size. The figure reported is the median wall time over the
runs and the largest peak memory of any run.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

SPAWN = Path(__file__).with_name("spawn.py")


@dataclass
class Measurement:
    """What several runs of one command took; `error` says why there is no figure."""

    times: list[float] = field(default_factory=list)  # seconds, one per run
    peaks: list[float] = field(default_factory=list)  # MiB, one per run
    error: str | None = None

    @property
    def seconds(self) -> float | None:
        return statistics.median(self.times) if self.times else None

    @property
    def peak_mib(self) -> float | None:
        return max(self.peaks) if self.peaks else None


@dataclass
class Run:
    seconds: float
    peak_mib: float
    returncode: int
    stderr: str


def run_once(
    argv: list[str],
    cwd: Path | None = None,
    stdout: Path | None = None,
    env: dict[str, str] | None = None,
    timeout: float | None = None,
) -> Run:
    """One run of `argv` through spawn.py: wall time from spawn to exit, and its own peak RSS.

    Output goes to files (stdout to `stdout` or nowhere), never to a pipe we would have to
    drain while timing.
    """
    with tempfile.TemporaryDirectory() as tmp:
        result = Path(tmp) / "result"
        wrapper = [sys.executable, "-S", "-I", str(SPAWN), str(result), str(timeout or 0), *argv]
        with tempfile.TemporaryFile() as err, open(stdout or os.devnull, "wb") as out:
            subprocess.run(wrapper, cwd=cwd, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env)
            err.seek(0)
            stderr = err.read().decode("utf-8", errors="replace")
        try:
            seconds, peak_kib, code = result.read_text().split()
        except (OSError, ValueError):
            return Run(0.0, 0.0, -1, stderr + f"\ncould not run {argv[0]}")
    if int(code) == -9 and timeout:
        stderr += f"\ntimed out after {timeout:.0f} s"
    return Run(float(seconds), int(peak_kib) / 1024, int(code), stderr)


def measure(
    argv: list[str],
    runs: int,
    cwd: Path | None = None,
    stdout: Path | None = None,
    env: dict[str, str] | None = None,
    before=None,
    timeout: float | None = None,
    repeat_under: float = 60.0,
    warmup: bool = False,
) -> Measurement:
    """Median of `runs` runs; `before()` runs untimed ahead of each (a fresh catalog for import).

    A run longer than `repeat_under` seconds is not repeated: at that length one run is a
    fair figure and three would not fit in a session. `warmup` adds an untimed first run, so
    that start-up is measured with the page cache and bytecode caches warm, as a user has them.
    """
    result = Measurement()
    if warmup:
        run_once(argv, cwd=cwd, env=env, timeout=timeout)
    for _ in range(runs):
        if before:
            before()
        run = run_once(argv, cwd=cwd, stdout=stdout, env=env, timeout=timeout)
        if run.returncode != 0:
            lines = [line.strip() for line in run.stderr.splitlines() if line.strip()]
            result.error = lines[-1] if lines else f"exit status {run.returncode}"
            return result
        result.times.append(run.seconds)
        result.peaks.append(run.peak_mib)
        if run.seconds > repeat_under:
            break
    return result
