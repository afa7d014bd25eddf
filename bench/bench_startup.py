"""Benchmark: console start to first reply (figure in README, issue #18).

    python bench/bench_startup.py [--rounds 5] [--before REV]

Runs the README's console command, ``python main.py``, with a message and ``/quit`` piped
in, on a SQLite file made beforehand (the first start, which creates and migrates it, is
not counted), and measures from the process's start to the first byte of its first reply:
wall time, and the CPU time the process had used by then (user + system, from
``/proc/<pid>/stat``, 10 ms steps); then the whole run to its exit with its peak memory.
Two first messages: ``/start`` (the README's example) and a job offer to check (which needs
the analyzer, the distress triage and the language dictionaries at once).

``--before REV`` measures an earlier commit's code too (``git archive`` into a temporary
folder), the two in turn in every round, so both meet the same machine load. The load
average is printed with the figures: on a shared machine the wall times move with it.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TICK = os.sysconf("SC_CLK_TCK")
MESSAGES = {
    "/start": "/start",
    "an offer": ("Lowongan kerja di Malaysia, gaji 20 juta sebulan, paspor dipegang agen, "
                 "bayar biaya proses 5 juta dulu. Hubungi WA 081234567890"),
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--before", help="also measure this earlier commit")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        trees = [("now", ROOT)]
        if args.before:
            old = Path(tmp) / "before"
            archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.before],
                                     capture_output=True, check=True).stdout
            with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
                tar.extractall(old, filter="data")
            trees.insert(0, (args.before, old))
        data = {name: Path(tmp) / f"data-{n}" for n, (name, _tree) in enumerate(trees)}
        for name, tree in trees:  # the SQLite file and the secret key, made once
            run(tree, data[name], "")
        results: dict[tuple[str, str], list[dict[str, float]]] = {}
        loads = []
        for _round in range(args.rounds):
            for label, text in MESSAGES.items():
                for name, tree in trees:
                    results.setdefault((label, name), []).append(run(tree, data[name], text))
            loads.append(os.getloadavg()[0])
        print(f"load average during the runs: {min(loads):.1f}-{max(loads):.1f} "
              f"({os.cpu_count()} cores); medians of {args.rounds} rounds [min-max]")
        for (label, name), runs in results.items():
            print(f"{label:>9} | {name:>8} | first reply {_spread(runs, 'first_wall')} s "
                  f"wall, {_spread(runs, 'first_cpu')} s CPU | to exit "
                  f"{_spread(runs, 'exit_wall')} s, {_spread(runs, 'exit_cpu')} s CPU, "
                  f"peak {statistics.median(r['peak_mib'] for r in runs):.0f} MiB")


def run(tree: Path, data_dir: Path, message: str) -> dict[str, float]:
    env = {**os.environ, "DATA_DIR": str(data_dir)}
    env.pop("LOG_LEVEL", None)
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, str(tree / "main.py")], cwd=tree, env=env,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write(f"{message}\n/quit\n".encode() if message else b"/quit\n")
    proc.stdin.close()
    first = proc.stdout.read1(65536)
    first_wall = time.perf_counter() - started
    first_cpu = _cpu_of(proc.pid)
    proc.stdout.read()
    _pid, status, usage = os.wait4(proc.pid, 0)
    exit_wall = time.perf_counter() - started
    stderr = proc.stderr.read() if proc.stderr else b""
    if status != 0 or (message and not first):
        raise SystemExit(f"{tree}: status {status}, stderr:\n{stderr.decode()}")
    return {"first_wall": first_wall, "first_cpu": first_cpu, "exit_wall": exit_wall,
            "exit_cpu": usage.ru_utime + usage.ru_stime, "peak_mib": usage.ru_maxrss / 1024}


def _cpu_of(pid: int) -> float:
    """User + system CPU seconds of a running process, all its threads."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime


def _spread(runs: list[dict[str, float]], key: str) -> str:
    values = [r[key] for r in runs]
    return f"{statistics.median(values):.2f} [{min(values):.2f}-{max(values):.2f}]"


if __name__ == "__main__":
    main()
