"""The portal's worker as `manage.py worker --batch` runs it: every ready task, then it stops."""

from workers.runner import HeartbeatWorker


def batch_worker(worker_id: str) -> HeartbeatWorker:
    return HeartbeatWorker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )
