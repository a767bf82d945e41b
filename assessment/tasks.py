from celery import shared_task


@shared_task(bind=True)
def recompute_placements_task(self, periode_id: int, instansi_id: int | None = None) -> int:
    from .services import PeriodeClosed, placements_compute, progress_reporter, recompute_started

    recompute_started(periode_id=periode_id, instansi_id=instansi_id)
    try:
        return placements_compute(
            periode_id=periode_id, instansi_id=instansi_id, report=progress_reporter(periode_id, instansi_id)
        )
    except PeriodeClosed:
        return 0  # closed between enqueue and run: a closed period never changes


@shared_task
def recompute_open_periods_task() -> dict:
    from .services import placements_compute_open

    return placements_compute_open()
