"""What PostgreSQL can do."""

from __future__ import annotations

from djanco.db.backends.base.features import Features

__all__ = ["DatabaseFeatures"]


class DatabaseFeatures(Features):
    has_select_for_update = True
    has_select_for_update_nowait = True
    has_select_for_update_skip_locked = True
    max_query_params = 65535
