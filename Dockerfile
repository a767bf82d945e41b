FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=talenta.settings.production
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
# collectstatic needs settings but no real secrets or services.
RUN DJANGO_SECRET_KEY=build-only DJANGO_ALLOWED_HOSTS=localhost DATABASE_URL=sqlite:////tmp/build.db \
    CELERY_BROKER_URL=memory:// CACHE_URL=locmemcache:// python manage.py collectstatic --noinput
RUN useradd --create-home talenta && mkdir -p /app/media && chown talenta /app/media
USER talenta
EXPOSE 8000
CMD ["gunicorn", "talenta.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "120"]
