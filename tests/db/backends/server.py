"""What a server restart does to a test's pooled connections, done on purpose."""

from __future__ import annotations

from djanco.db import DatabaseWrapper
from djanco.db.backends import create_wrapper


def kill_other_sessions(wrapper: DatabaseWrapper) -> None:
    """What a server restart does to pooled connections: kill every other session."""
    admin = create_wrapper("admin", wrapper.settings_url)
    try:
        if wrapper.vendor == "postgresql":
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        else:
            ids = admin.execute(
                "SELECT id FROM information_schema.processlist "
                "WHERE db = DATABASE() AND id <> CONNECTION_ID()"
            ).scalars()
            for session in ids:
                admin.execute(f"KILL {int(session)}")  # type: ignore[call-overload]
    finally:
        admin.close()
