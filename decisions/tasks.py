from celery import shared_task

from .services import chains_verify


@shared_task
def verify_chains_task() -> int:
    """The beat's periodic check; a broken chain is stored on its row and shown on the dashboard."""
    return sum(1 for finding in chains_verify() if not finding["utuh"])
