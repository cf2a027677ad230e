"""The worker as `manage.py worker --batch` runs it: every ready task, then it stops."""

from workers.runner import HeartbeatWorker

BATCH = {
    "queue_names": ["default"],
    "interval": 0,
    "batch": True,
    "backend_name": "default",
    "startup_delay": False,
    "max_tasks": None,
    "excluded_queue_names": [],
}


def batch_worker(worker_id: str) -> HeartbeatWorker:
    """The portal's worker (heartbeat, patience with the database)."""
    return HeartbeatWorker(**BATCH, worker_id=worker_id)
