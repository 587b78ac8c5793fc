"""A real PostgreSQL server on 127.0.0.1 for the SqlSource tests (Debian's postgresql package).

initdb refuses to run as root, so as root the server runs as the `postgres` user the package
creates; as anyone else, as that user. Trust auth, loopback only, its own socket directory.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from tests.integration.s3_server import free_port


def _bin(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name)


class PostgresServer:
    def __init__(self, base: Path):
        self.base, self.port, self.user, self.db = base, free_port(), "evalguard", "postgres"
        self.data = base / "data"

    def _as_owner(self, args: list[str]) -> list[str]:
        return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args

    def start(self) -> None:
        initdb, pg_ctl = _bin("initdb"), _bin("pg_ctl")
        if not initdb or not pg_ctl:
            message = "PostgreSQL is not installed (apt-get install postgresql; `make test` does it as root)"
            if os.environ.get("CI"):
                pytest.fail(message)
            pytest.skip(message)
        self.base.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            os.chmod(self.base.parent, 0o755)
            shutil.chown(self.base, "postgres")
        done = subprocess.run(
            self._as_owner([initdb, "-D", str(self.data), "-A", "trust", "-U", self.user]),
            capture_output=True,
            text=True,
        )
        if done.returncode:
            pytest.fail(f"initdb failed: {done.stderr or done.stdout}")
        options = f"-h 127.0.0.1 -p {self.port} -k {self.data}"
        subprocess.run(
            self._as_owner(
                [pg_ctl, "-D", str(self.data), "-o", options, "-l", str(self.data / "log"), "-w", "-t", "60", "start"]
            ),
            check=True,
            capture_output=True,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                self.connect().close()
                return
            except Exception:  # noqa: BLE001 - not accepting connections yet
                time.sleep(0.3)
        pytest.fail(f"PostgreSQL did not accept connections on 127.0.0.1:{self.port}")

    def stop(self) -> None:
        pg_ctl = _bin("pg_ctl")
        if pg_ctl and self.data.exists():
            subprocess.run(
                self._as_owner([pg_ctl, "-D", str(self.data), "-m", "fast", "-w", "stop"]), capture_output=True
            )

    def connect(self):
        import psycopg2

        return psycopg2.connect(host="127.0.0.1", port=self.port, user=self.user, dbname=self.db)

    def conn_uri(self) -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{self.db}"

    def load(self, name: str, frame) -> None:
        """CREATE TABLE from a DataFrame (text, double, boolean, timestamptz columns)."""
        import pandas as pd
        from psycopg2.extras import execute_values

        types = []
        for col, dtype in frame.dtypes.items():
            if isinstance(dtype, pd.DatetimeTZDtype):
                sql_type = "timestamptz"
            elif pd.api.types.is_bool_dtype(dtype):
                sql_type = "boolean"
            elif pd.api.types.is_numeric_dtype(dtype):
                sql_type = "double precision"
            else:
                sql_type = "text"
            types.append(f'"{col}" {sql_type}')
        rows = [
            tuple(
                None
                if pd.isna(v)
                else (v.to_pydatetime() if hasattr(v, "to_pydatetime") else (v.item() if hasattr(v, "item") else v))
                for v in r
            )
            for r in frame.itertuples(index=False)
        ]
        with self.connect() as conn, conn.cursor() as cur:
            cur.execute(f'DROP TABLE IF EXISTS "{name}"')
            cur.execute(f'CREATE TABLE "{name}" ({", ".join(types)})')
            execute_values(cur, f'INSERT INTO "{name}" VALUES %s', rows, page_size=5000)
