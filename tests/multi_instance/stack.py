"""The production deployment of ``deploy/`` on this machine, for the multi-instance test and its
benchmark: PgBouncer in transaction mode in front of a PostgreSQL, ``codeflash-engine serve``
instances started from the systemd unit, and HAProxy in front of them, all on loopback ports.

Each deployment file is used as it is; only ports and paths change:

- ``deploy/pgbouncer/pgbouncer.ini``: its ``${CF_...}`` placeholders are filled (what ``envsubst``
  does when installing it); every placeholder must be given.
- ``deploy/systemd/codeflash-engine@.service``: the ``[Service]`` section's ``ExecStart``,
  ``Environment`` and ``EnvironmentFile`` are followed, with ``%i`` (the port), the install path and
  the environment file's path replaced. ``User``/``Group`` and the sandboxing options need systemd
  and are not applied; ``KillMode=control-group`` is imitated by signalling the process group.
- ``deploy/haproxy/haproxy.cfg``: run unchanged, its addresses in environment variables.
"""

import os
import pwd
import re
import shlex
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import httpx

from codeflash_engine.testing.service import engine_command, free_port

DEPLOY = Path(__file__).parents[2] / "deploy"
PGBOUNCER_INI = DEPLOY / "pgbouncer" / "pgbouncer.ini"
HAPROXY_CFG = DEPLOY / "haproxy" / "haproxy.cfg"
SYSTEMD_UNIT = DEPLOY / "systemd" / "codeflash-engine@.service"
# What the unit and the PgBouncer configuration expect; the test creates this role and database.
DATABASE_USER = "codeflash"
DATABASE_NAME = "codeflash"
UNIT_INSTALL_PATH = "/opt/codeflash-engine/.venv/bin/codeflash-engine"
UNIT_ENV_FILE = "/etc/codeflash-engine/env"


def pgbouncer_binary() -> str | None:
    return shutil.which("pgbouncer") or next(
        (path for path in ("/usr/sbin/pgbouncer", "/usr/bin/pgbouncer") if Path(path).exists()), None
    )


def haproxy_binary() -> str | None:
    return shutil.which("haproxy") or next(
        (path for path in ("/usr/sbin/haproxy",) if Path(path).exists()), None
    )


def fill_placeholders(template: str, values: Mapping[str, str]) -> str:
    """``envsubst`` for ``${NAME}``, except that a placeholder without a value is an error."""

    def value(match: re.Match[str]) -> str:
        if match[1] not in values:
            raise KeyError(f"no value for ${{{match[1]}}}")
        return values[match[1]]

    return re.sub(r"\$\{([A-Z0-9_]+)\}", value, template)


def wait_for_port(
    port: int, process: subprocess.Popen[bytes], what: str, log: Path, timeout: float = 20
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}:\n{tail(log)}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"{what} did not listen on {port} within {timeout} s:\n{tail(log)}")


def tail(path: Path, chars: int = 4000) -> str:
    try:
        return path.read_text(errors="replace")[-chars:]
    except OSError:
        return ""


def stop_process(
    process: subprocess.Popen[bytes] | None, sig: int = signal.SIGTERM, timeout: float = 10
) -> None:
    if process is None or process.poll() is not None:
        return
    process.send_signal(sig)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


class PgBouncer:
    """``deploy/pgbouncer/pgbouncer.ini`` in front of the PostgreSQL at ``postgres_url`` (a database
    owned by ``codeflash``); ``url`` is the ``DATABASE_URL`` the instances get."""

    def __init__(self, postgres_url: str, password: str) -> None:
        # Not under pytest's basetemp, which only root may enter (PgBouncer may run as another user).
        self.workdir = Path(tempfile.mkdtemp(prefix="codeflash-pgbouncer-"))
        self.password = password
        self.port = free_port()
        parts = urlsplit(postgres_url)
        # pgserver's URL names the socket directory in ?host=; a TCP server has a host name instead.
        host = parse_qs(parts.query).get("host", [parts.hostname or "127.0.0.1"])[0]
        self.values = {
            "CF_POSTGRES_HOST": host,
            "CF_POSTGRES_PORT": str(parts.port or 5432),
            "CF_POSTGRES_DATABASE": parts.path.lstrip("/"),
            "CF_PGBOUNCER_ADDR": "127.0.0.1",
            "CF_PGBOUNCER_PORT": str(self.port),
            "CF_PGBOUNCER_DIR": str(self.workdir),
        }
        self.config = self.workdir / "pgbouncer.ini"
        self.log = self.workdir / "pgbouncer.log"
        self._process: subprocess.Popen[bytes] | None = None
        # PgBouncer refuses to run as root: it then runs as the owner of PostgreSQL's socket
        # directory (pgserver's own user when the tests run as root), who can reach that socket.
        self.run_as = pwd.getpwuid(Path(host).stat().st_uid).pw_name if os.geteuid() == 0 else None

    @property
    def url(self) -> str:
        return f"postgresql://{DATABASE_USER}:{quote(self.password)}@127.0.0.1:{self.port}/{DATABASE_NAME}"

    def start(self) -> "PgBouncer":
        binary = pgbouncer_binary()
        assert binary is not None, "pgbouncer is not installed"
        self.config.write_text(fill_placeholders(PGBOUNCER_INI.read_text(), self.values))
        (self.workdir / "userlist.txt").write_text(f'"{DATABASE_USER}" "{self.password}"\n')
        self.log.touch()
        if self.run_as is not None:
            user = pwd.getpwnam(self.run_as)
            for path in (self.workdir, *self.workdir.iterdir()):
                os.chown(path, user.pw_uid, user.pw_gid)
        command = [binary, *(["-u", self.run_as] if self.run_as else []), str(self.config)]
        with self.log.open("ab") as log:
            self._process = subprocess.Popen(command, stdout=log, stderr=log, stdin=subprocess.DEVNULL)
        wait_for_port(self.port, self._process, "pgbouncer", self.log)
        return self

    def stop(self) -> None:
        # SIGTERM is PgBouncer's immediate shutdown: every client and server connection is closed.
        stop_process(self._process)
        self._process = None

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)

    def restart(self, down_for_s: float = 0.0) -> None:
        self.stop()
        time.sleep(down_for_s)
        self.start()

    def show_pools(self) -> list[dict[str, str]]:
        """``SHOW POOLS`` on the admin console (simple query protocol only, hence psql)."""
        done = subprocess.run(
            [psql_binary(), "-h", "127.0.0.1", "-p", str(self.port), "-U", DATABASE_USER, "-d", "pgbouncer",
             "--csv", "-c", "SHOW POOLS"],
            env={**os.environ, "PGPASSWORD": self.password},
            capture_output=True, text=True, timeout=10, check=True,
        )  # fmt: skip
        header, *rows = done.stdout.strip().splitlines()
        names = header.split(",")
        return [dict(zip(names, row.split(","), strict=True)) for row in rows]


def psql_binary() -> str:
    import pgserver

    bundled = Path(pgserver.__file__).parent / "pginstall" / "bin" / "psql"
    return str(bundled) if bundled.exists() else (shutil.which("psql") or "psql")


class SystemdUnit:
    """The ``[Service]`` section of ``deploy/systemd/codeflash-engine@.service``."""

    def __init__(self, path: Path = SYSTEMD_UNIT) -> None:
        self.path = path
        self.settings: dict[str, list[str]] = {}
        section = None
        for raw in path.read_text().splitlines():
            line = raw.strip()
            if not line or line.startswith(("#", ";")):
                continue
            if line.startswith("["):
                section = line.strip("[]")
                continue
            if section == "Service":
                key, _, value = line.partition("=")
                self.settings.setdefault(key.strip(), []).append(value.strip())

    def one(self, key: str) -> str:
        [value] = self.settings[key]
        return value

    def environment(self, env_file: Path) -> dict[str, str]:
        """``Environment=`` assignments, then the environment file (whose values win, as in systemd)."""
        env: dict[str, str] = {}
        for line in self.settings.get("Environment", []):
            for assignment in shlex.split(line):
                name, _, value = assignment.partition("=")
                env[name] = value
        assert self.one("EnvironmentFile") == UNIT_ENV_FILE
        for line in env_file.read_text().splitlines():
            if line.strip() and not line.startswith("#"):
                name, _, value = line.partition("=")
                env[name.strip()] = value.strip()
        return env

    def command(self, port: int) -> list[str]:
        argv = shlex.split(self.one("ExecStart").replace("%i", str(port)))
        assert argv[0] == UNIT_INSTALL_PATH, argv
        return [*engine_command(), *argv[1:]]


class Instance:
    """One ``codeflash-engine@<port>`` as systemd would start it (its own process group)."""

    def __init__(self, unit: SystemdUnit, env_file: Path, workdir: Path) -> None:
        self.unit = unit
        self.port = free_port()
        self.env_file = env_file
        self.log = workdir / f"engine-{self.port}.log"
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self) -> "Instance":
        # systemd starts services with a clean environment: PATH and what the unit sets.
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(self.log.parent)}
        env |= self.unit.environment(self.env_file)
        with self.log.open("ab") as log:
            self._process = subprocess.Popen(
                self.unit.command(self.port),
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        return self

    def wait_ready(self, timeout: float = 90) -> None:
        assert self._process is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(
                    f"instance {self.port} exited with {self._process.returncode}:\n{tail(self.log)}"
                )
            try:
                if httpx.get(f"http://{self.address}/healthcheck", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"instance {self.port} did not answer within {timeout} s:\n{tail(self.log)}")

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def kill(self) -> None:
        """SIGKILL to the whole unit, as a crash or the OOM killer would end it."""
        assert self._process is not None
        os.killpg(self._process.pid, signal.SIGKILL)
        self._process.wait(timeout=10)

    def stop(self, timeout: float = 20) -> None:
        """``systemctl stop`` with ``KillMode=control-group``: SIGTERM to every process of the
        unit, SIGKILL after the timeout."""
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


class HAProxy:
    """``deploy/haproxy/haproxy.cfg``, unchanged, in front of ``instances``."""

    def __init__(self, instances: list[Instance], workdir: Path) -> None:
        self.port = free_port()
        self.log = workdir / "haproxy.log"
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "CF_LISTEN": f"127.0.0.1:{self.port}",
            **{f"CF_ENGINE_{n}": instance.address for n, instance in enumerate(instances, start=1)},
        }
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "HAProxy":
        binary = haproxy_binary()
        assert binary is not None, "haproxy is not installed"
        with self.log.open("ab") as log:
            self._process = subprocess.Popen(
                [binary, "-db", "-f", str(HAPROXY_CFG)],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        wait_for_port(self.port, self._process, "haproxy", self.log)
        return self

    def stop(self) -> None:
        stop_process(self._process, signal.SIGUSR1)  # HAProxy's graceful stop
        self._process = None


def create_database(psql: Callable[[str], object], name: str) -> None:
    """The ``codeflash`` role (created once per server) and a new, empty database it owns."""
    psql(f"DO $$ BEGIN CREATE ROLE {DATABASE_USER} LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;")
    psql(f"CREATE DATABASE {name} OWNER {DATABASE_USER} TEMPLATE template0;")
