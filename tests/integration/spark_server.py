"""A real Spark Connect server on 127.0.0.1 for the Spark tests (pyspark from PyPI, Java from Debian).

pyspark's wheel has spark-submit and the spark-connect jar, but not start-connect-server.sh, so
the server is started the way that script does: spark-submit of SparkConnectServer, in local[2]
mode with a small driver, no UI, gRPC, driver and block manager bound to loopback, and the
warehouse (saveAsTable) in its own temporary directory. One JVM per test session file.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

from tests.integration.s3_server import free_port

SERVER_CLASS = "org.apache.spark.sql.connect.service.SparkConnectServer"


def _spark_home() -> Path:
    import pyspark

    return Path(pyspark.__file__).parent


def _unavailable(message: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


class SparkConnectServer:
    # C1 only: the JIT's second tier costs more CPU than the tests' small queries win back
    # (the benchmark passes "" to get the full JIT for its 100M-row scans).
    def __init__(self, base: Path, driver_memory: str = "1g", java_options: str = "-XX:TieredStopAtLevel=1"):
        self.base, self.port, self.driver_memory = base, free_port(), driver_memory
        self.java_options = java_options
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"sc://127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        conf = {
            "spark.connect.grpc.binding.address": "127.0.0.1",
            "spark.connect.grpc.binding.port": str(self.port),
            "spark.driver.host": "127.0.0.1",
            "spark.driver.bindAddress": "127.0.0.1",
            "spark.ui.enabled": "false",
            "spark.sql.session.timeZone": "UTC",
            "spark.sql.shuffle.partitions": "2",  # the tests' tables are small: 200 tasks would dominate
            "spark.sql.warehouse.dir": str(self.base / "warehouse"),
            "spark.driver.extraJavaOptions": f"-Dderby.system.home={self.base} {self.java_options}".strip(),
        }
        args = [str(_spark_home() / "bin" / "spark-submit"), "--class", SERVER_CLASS, "--name", "evalguard-tests"]
        args += ["--master", "local[2]", "--driver-memory", self.driver_memory]
        for key, setting in conf.items():
            args += ["--conf", f"{key}={setting}"]
        return [*args, "spark-internal"]

    def start(self, timeout: float = 90) -> None:
        if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
            _unavailable("Java is not installed (apt-get install default-jre-headless; `make test` does it as root)")
        try:
            home = _spark_home()
        except ImportError:
            _unavailable("pyspark is not installed (pip install -e '.[dev]')")
        self.base.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "SPARK_HOME": str(home), "SPARK_LOCAL_IP": "127.0.0.1"}
        log = (self.base / "server.log").open("wb")
        self.process = subprocess.Popen(
            self.command(), cwd=self.base, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"Spark Connect server exited ({self.process.returncode}): {self.log_tail()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.5)
        self.stop()
        pytest.fail(f"Spark Connect server did not listen on 127.0.0.1:{self.port}: {self.log_tail()}")

    def log_tail(self, chars: int = 2000) -> str:
        path = self.base / "server.log"
        return path.read_text(errors="replace")[-chars:] if path.exists() else ""

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, 15)  # spark-submit's shell and the JVM it started: our own group
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, 9)
            self.process.wait()

    def session(self):
        from pyspark.sql import SparkSession

        return SparkSession.builder.remote(self.url).create()

    def load(self, name: str, frame) -> None:
        """A managed table from a DataFrame (saveAsTable: it outlives the loading session)."""
        import pyarrow as pa

        quoted = "`" + name.replace("`", "``") + "`"
        # through Arrow: pyspark 4.2's own pandas conversion fails on some pandas 3 columns
        table = pa.Table.from_pandas(frame, preserve_index=False).combine_chunks()
        session = self.session()
        try:
            session.createDataFrame(table).write.mode("overwrite").saveAsTable(quoted)
        finally:
            session.stop()
