"""Run one command and report its wall time and peak memory: the measuring end of bench/measure.py.

    python -S spawn.py RESULT_FILE TIMEOUT_SECONDS COMMAND [ARGS...]

Linux seeds a child's peak RSS (`ru_maxrss`) with the RSS of the process that spawned it, so
the benchmark runner, which holds tens of MiB, cannot spawn the command itself without
inflating every figure. This wrapper is tiny (run with -S, importing nothing but built-ins),
spawns the command, waits for it with `os.wait4` and writes `seconds peak_kib exit_code`
to RESULT_FILE. Standard input and output pass straight through.
"""

import os
import signal
import sys
import time


def main() -> None:
    result, timeout, argv = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
    start = time.perf_counter()
    pid = os.posix_spawnp(argv[0], argv, os.environ)

    def stop(_signum, _frame) -> None:
        os.kill(pid, signal.SIGKILL)

    if timeout > 0:
        signal.signal(signal.SIGALRM, stop)
        signal.setitimer(signal.ITIMER_REAL, timeout)
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - start
    signal.setitimer(signal.ITIMER_REAL, 0)
    with open(result, "w") as out:
        out.write(f"{seconds:.6f} {usage.ru_maxrss} {os.waitstatus_to_exitcode(status)}\n")


if __name__ == "__main__":
    main()
