# The portal's image: gunicorn serving Django, the same image runs the Celery
# worker and beat (see docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN useradd --create-home --uid 1000 kexie
WORKDIR /app

COPY pyproject.toml ./
RUN pip install --upgrade pip && pip install .
COPY . .
RUN pip install --no-deps . \
    && DEBUG=1 python manage.py collectstatic --noinput \
    && mkdir -p /data/media /data/private-media \
    && chown -R kexie:kexie /data /app

USER kexie
ENV MEDIA_ROOT=/data/media \
    PRIVATE_MEDIA_ROOT=/data/private-media
EXPOSE 8000
CMD ["gunicorn", "kexie.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
