from celery import shared_task

from talenta import progress

from .services import simulasi_run, simulation_progress_name


@shared_task
def simulasi_task(simulasi_id: int) -> int:
    """A what-if simulation of a scheme version; progress in the cache for its page."""
    name = simulation_progress_name(simulasi_id)

    def report(stage: str, done: int, total: int) -> None:
        progress.report(name, stage=stage, done=done, total=total)

    try:
        return simulasi_run(simulasi_id=simulasi_id, report=report)
    finally:
        progress.clear(name)
