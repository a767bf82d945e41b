from celery import shared_task


@shared_task
def validate_import_task(job_id: int) -> None:
    from .services import import_job_validate

    import_job_validate(job_id=job_id)


@shared_task
def apply_import_task(job_id: int) -> None:
    from .services import import_job_apply

    import_job_apply(job_id=job_id)


@shared_task
def fail_stale_imports_task() -> int:
    from .services import import_jobs_fail_stale

    return import_jobs_fail_stale()
