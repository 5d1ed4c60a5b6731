"""The README stays true: its configuration table names every setting the code reads, and the
shell blocks of "Run it in production" run, in order, on this machine (a block that begins
"# by hand" needs a real server or a person, and is checked by hand)."""

import os
import re
import shutil
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import POSTGRES_URL, unavailable
from test_health import free_port, get, wait_for
from test_importer_cli import QUIRKS
from test_samhsa import REAL, REAL_NAME, needs_real_file

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def section(title: str) -> str:
    return README.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


def production_blocks() -> list[str]:
    return re.findall(r"```sh\n(.*?)```", section("Run it in production"), re.S)


def settings_the_code_reads() -> set[str]:
    code = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "finder").rglob("*.py"))
    factory = (ROOT / "finder" / "__init__.py").read_text(encoding="utf-8")
    defaults = re.findall(r"^        ([A-Z_]+)=", factory, re.M)
    read = re.findall(r"config(?:\[|\.get\()[\"']([A-Z_]+)[\"']", code)
    return {
        "DATABASE_URL" if k == "SQLALCHEMY_DATABASE_URI" else f"FINDER_{k}" for k in defaults + read
    }


def test_the_configuration_table_names_every_setting_the_code_reads():
    documented = re.findall(r"^\| `([A-Z_]+)` \|", section("Configuration"), re.M)

    assert len(documented) == len(set(documented))
    assert set(documented) == settings_the_code_reads() | {"PORT", "WEB_CONCURRENCY"}
    assert "${PORT:-8000}" in (ROOT / "run").read_text()
    assert 'os.environ.get("WEB_CONCURRENCY"' in (ROOT / "gunicorn.conf.py").read_text()


def test_the_readme_keeps_two_set_up_commands():
    block = re.search(r"```sh\n(.*?)```", section("Set up"), re.S).group(1)
    assert [line.split()[0] for line in block.splitlines()] == ["./run", "./test"]


@pytest.fixture
def postgres_database(postgres_schemas):
    """A database of its own (pg_dump takes whole databases), dropped afterwards."""
    name = f"finder_readme_{uuid.uuid4().hex[:12]}"
    server = sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.make_url(POSTGRES_URL).set(drivername="postgresql", database=name)
    yield url.render_as_string(hide_password=False)
    with server.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    server.dispose()


@pytest.fixture
def clone(tmp_path):
    """A folder to run the commands in, as if it were the clone: the server's files, SAMHSA's
    export under its own name, and a SQLite database with three programs in instance/."""
    folder = tmp_path / "clone"
    (folder / "instance").mkdir(parents=True)
    for name in ("gunicorn.conf.py", "wsgi.py"):
        (folder / name).symlink_to(ROOT / name)
    (folder / REAL_NAME).symlink_to(REAL)
    env = {**commands_env(), "DATABASE_URL": f"sqlite:///{folder / 'instance' / 'finder.sqlite'}"}
    subprocess.run(["flask", "--app", "finder", "import", QUIRKS], cwd=folder, env=env, check=True)
    return folder


def commands_env() -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "FINDER_"))}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    return env


@pytest.mark.slow
@needs_real_file
def test_the_production_commands_run(clone, postgres_database, tmp_path):
    for tool in ("sqlite3", "pg_dump", "pg_restore", "curl"):
        if shutil.which(tool) is None:
            unavailable(tool, "it is not installed")
    port = free_port()
    backups = tmp_path / "backups"
    env = commands_env() | {
        "DATABASE_URL": postgres_database,
        "FINDER_SECRET_KEY": "readme-" + uuid.uuid4().hex,
        "FINDER_PROXY_COUNT": "1",
        "FINDER_SESSION_COOKIE_SECURE": "true",
        "BACKUPS": str(backups),
    }
    blocks = [b.replace("127.0.0.1:8000", f"127.0.0.1:{port}") for b in production_blocks()]
    runnable = [b for b in blocks if not b.startswith("# by hand")]
    assert len(runnable) >= 5 and any("gunicorn" in b for b in runnable)
    server = None
    try:
        for block in runnable:
            if block.startswith("gunicorn "):
                server = subprocess.Popen(
                    ["bash", "-c", "exec " + block], cwd=clone, env=env, text=True,
                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
                )  # fmt: skip
                wait_for(f"http://127.0.0.1:{port}/healthz")
                continue
            done = subprocess.run(
                ["bash", "-euo", "pipefail", "-c", block], cwd=clone, env=env, text=True,
                input="correct horse battery staple\n" * 2, capture_output=True, timeout=600,
                start_new_session=True,  # no terminal: create-admin reads its password here
            )  # fmt: skip
            assert done.returncode == 0, f"{block}\n{done.stdout}\n{done.stderr}"

        found = get(f"http://127.0.0.1:{port}/api/facilities?near=Boston,+MA&radius=any")
        assert b'"total":422' in found.replace(b" ", b"")  # SAMHSA's, on PostgreSQL
        page = get(f"http://127.0.0.1:{port}/search?near=02139&radius=25").decode()
        assert "Demo data:" not in page
    finally:
        if server is not None:
            server.terminate()
            log = server.communicate(timeout=30)[0]
    assert "GET /api/facilities" in log and "/healthz" not in log

    engine = sa.create_engine(postgres_database.replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT email FROM admin")).scalars().all() == [
            "admin@example.org"
        ]
    engine.dispose()
    dumps, copies = list(backups.glob("finder-*.dump")), list(backups.glob("finder-*.sqlite"))
    assert len(dumps) == len(copies) == 1 and dumps[0].stat().st_size > 10_000
    with sqlite3.connect(copies[0]) as copy:
        assert copy.execute("SELECT count(*) FROM program").fetchone()[0] == 3
    copy.close()
