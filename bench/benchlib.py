"""Helpers shared by the benchmark scripts: finding Odoo, connecting, timing."""

import os
import subprocess
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent  # holds repeat_sales/
OUT_DIR = BENCH_DIR / "out"


def clock():
    """Monotonic seconds that freezegun does not freeze (it patches perf_counter)."""
    return time.clock_gettime(time.CLOCK_MONOTONIC)


def odoo_root():
    """Odoo source root (holding odoo-bin and addons/), found by ``import odoo``."""
    import odoo

    return os.path.dirname(os.path.dirname(odoo.__file__))


def pg_settings():
    return {
        "host": os.environ.get("PGHOST", "127.0.0.1"),
        "port": os.environ.get("PGPORT", "5432"),
        "user": os.environ.get("PGUSER", "root"),
    }


def odoo_args(db, log_level="warn"):
    """Command-line options of Odoo for this database and these addons."""
    pg = pg_settings()
    root = odoo_root()
    return [
        "-d",
        db,
        "--db_host",
        pg["host"],
        "--db_port",
        pg["port"],
        "--db_user",
        pg["user"],
        f"--addons-path={root}/addons,{REPO_DIR}",
        f"--log-level={log_level}",
    ]


def registry(db):
    """The registry of ``db``; Odoo's configuration is loaded on the first call
    (it cannot be parsed twice in one process)."""
    import odoo
    from odoo.modules.registry import Registry

    if not _configured:
        odoo.tools.config.parse_config(odoo_args(db))
        _configured.append(db)
    return Registry(db)


_configured = []


def connect(db, autocommit=True):
    """A plain psycopg2 connection (for VACUUM and read-only facts)."""
    import psycopg2

    pg = pg_settings()
    cnx = psycopg2.connect(dbname=db, host=pg["host"], port=pg["port"], user=pg["user"])
    cnx.autocommit = autocommit
    return cnx


def odoo_bin(db, *options, log_level="warn", logfile=None):
    """Run odoo-bin on ``db``; returns (seconds, returncode)."""
    cmd = [
        sys.executable,
        os.path.join(odoo_root(), "odoo-bin"),
        *odoo_args(db, log_level),
        *options,
    ]
    start = clock()
    with open(logfile, "w") if logfile else open(os.devnull, "w") as log:
        proc = subprocess.run(cmd, stdout=log, stderr=subprocess.STDOUT)
    return clock() - start, proc.returncode


def machine_facts(cr):
    """Lines describing the machine and the PostgreSQL server."""
    mem_kib = 0
    try:
        with open("/proc/meminfo") as meminfo:
            for line in meminfo:
                if line.startswith("MemTotal:"):
                    mem_kib = int(line.split()[1])
    except OSError:
        pass
    cr.execute("SELECT version()")
    version = cr.fetchone()[0].split(" on ")[0]
    settings = []
    for name in (
        "shared_buffers",
        "work_mem",
        "maintenance_work_mem",
        "max_parallel_workers_per_gather",
        "synchronous_commit",
        "jit",
        "autovacuum",
    ):
        cr.execute(f"SHOW {name}")
        settings.append(f"{name}={cr.fetchone()[0]}")
    return [
        f"machine: {os.cpu_count()} cores (nproc {len(os.sched_getaffinity(0))}), "
        f"{mem_kib / 1024 / 1024:.1f} GiB RAM, Python {sys.version.split()[0]}",
        f"database: {version}; {', '.join(settings)}",
    ]


def fmt_s(seconds):
    return f"{seconds:8.3f} s"


def median(values):
    ordered = sorted(values)
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[mid]
    return (ordered[mid - 1] + ordered[mid]) / 2


class ForeignLoad:
    """CPU time used by other processes than this benchmark while it runs.

    A thread samples /proc every second; the benchmark's own processes (this one
    and its children) and the PostgreSQL backends of its database do not count,
    nor PostgreSQL's own background processes. Other work on a 2-core machine
    (a test suite, another benchmark) shows up here and makes timings unreliable.
    """

    def __init__(self, db, interval=1.0):
        import threading

        self.db = db
        self.interval = interval
        self.ticks = os.sysconf("SC_CLK_TCK")
        self.seen = {}
        self.foreign = 0.0
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.sample()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        while not self.stop.wait(self.interval):
            self.sample()

    def processes(self):
        for name in os.listdir("/proc"):
            if not name.isdigit():
                continue
            try:
                with open(f"/proc/{name}/stat") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
                with open(f"/proc/{name}/cmdline", "rb") as cmdline:
                    command = (
                        cmdline.read().replace(b"\0", b" ").decode(errors="replace")
                    )
            except OSError:
                continue
            # fields[0] is the state: ppid is fields[1], utime/stime fields[11]/[12]
            yield int(name), int(fields[1]), int(fields[11]) + int(fields[12]), command

    def sample(self):
        rows = list(self.processes())
        parents = {pid: ppid for pid, ppid, _cpu, _cmd in rows}
        mine = os.getpid()
        foreign = 0
        for pid, _ppid, cpu, command in rows:
            delta = cpu - self.seen.get(pid, cpu)
            self.seen[pid] = cpu
            if not delta or self.is_ours(pid, parents, mine, command):
                continue
            foreign += delta
        with self.lock:
            self.foreign += foreign / self.ticks

    def is_ours(self, pid, parents, mine, command):
        if command.startswith("postgres:"):
            words = command.split()
            # backends name their database; background processes name none
            return self.db in words or len(words) <= 4 or "autovacuum" in command
        while pid > 1:
            if pid == mine:
                return True
            pid = parents.get(pid, 0)
        return False

    def take(self):
        """Foreign CPU seconds since the previous call."""
        self.sample()
        with self.lock:
            value, self.foreign = self.foreign, 0.0
        return value

    def close(self):
        self.stop.set()
        self.thread.join()
