from celery import shared_task


@shared_task
def recompute_candidates_task(periode_id: int, instansi_id: int | None = None) -> dict:
    from assessment.services import PeriodeClosed

    from .services import candidates_compute, candidates_started, progress_reporter

    candidates_started(periode_id=periode_id, instansi_id=instansi_id)
    try:
        return candidates_compute(
            periode_id=periode_id, instansi_id=instansi_id, report=progress_reporter(periode_id, instansi_id)
        )
    except PeriodeClosed:
        return {}
