"""Run one command and report its wall time and peak memory: the measuring end of bench/measure.py.

    python -S spawn.py RESULT_FILE TIMEOUT_SECONDS COMMAND [ARGS...]

Linux seeds a child's peak RSS (`ru_maxrss`) with the RSS of the process that spawned it, so
the benchmark runner, which holds tens of MiB, cannot spawn the command itself without
inflating every figure. This wrapper is tiny (run with -S, importing nothing but built-ins),
spawns the command, waits for it with `os.wait4` and writes `seconds peak_kib exit_code`
to RESULT_FILE. Standard input and output pass straight through.

A command may start processes of its own (a large import prepares documents in workers):
where Linux shows them (/proc), a thread adds up the resident memory of the whole process
tree every few milliseconds, and the peak is the larger of that sum and the command's own.
"""

import _thread
import os
import signal
import sys
import time

SAMPLE_EVERY = 0.005  # seconds between looks at the process tree
FIRST_SAMPLE = 0.05  # start-up measurements end before this: nothing competes with them
PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024


def tree_kib(root: int) -> int:
    """Resident KiB of `root` and every process below it (0 where /proc cannot tell)."""
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        try:
            with open(f"/proc/{pid}/statm") as statm:
                total += int(statm.read().split()[1]) * PAGE_KIB
            with open(f"/proc/{pid}/task/{pid}/children") as children:
                stack.extend(int(child) for child in children.read().split())
        except (OSError, ValueError, IndexError):
            continue
    return total


def sample(pid: int, peak: list[int], running: list[bool]) -> None:
    time.sleep(FIRST_SAMPLE)
    while running[0]:
        peak[0] = max(peak[0], tree_kib(pid))
        time.sleep(SAMPLE_EVERY)


def main() -> None:
    result, timeout, argv = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
    start = time.perf_counter()
    pid = os.posix_spawnp(argv[0], argv, os.environ)

    def stop(_signum, _frame) -> None:
        os.kill(pid, signal.SIGKILL)

    if timeout > 0:
        signal.signal(signal.SIGALRM, stop)
        signal.setitimer(signal.ITIMER_REAL, timeout)
    peak, running = [0], [True]
    _thread.start_new_thread(sample, (pid, peak, running))
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - start
    running[0] = False
    signal.setitimer(signal.ITIMER_REAL, 0)
    with open(result, "w") as out:
        out.write(f"{seconds:.6f} {max(usage.ru_maxrss, peak[0])} {os.waitstatus_to_exitcode(status)}\n")


if __name__ == "__main__":
    main()
