import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talenta.settings.local")

app = Celery("talenta")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# The recompute pipeline lives in the project package, above the apps whose steps it chains.
app.autodiscover_tasks(["talenta"], related_name="pipeline")
app.autodiscover_tasks(["talenta"], related_name="exports")
