# The portal's images (see docker-compose.yml):
#   app    gunicorn serving Django; the same image runs the Celery worker and beat
#   proxy  nginx serving /static/ (built here) and /media/ (the uploads volume),
#          proxying the rest to app
# Both are built with production settings: bin/build-static runs collectstatic
# with DEBUG off, as the production smoke test (tests/sweeps/) does, so the
# manifest the pages need is in the image.
FROM python:3.11-slim-bookworm AS app

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# The certificate PDF embeds a CJK font (CERTIFICATE_FONT_PATH, by default
# this package's /usr/share/fonts/truetype/wqy/wqy-microhei.ttc); without it
# the PDF only names a font and leaves the glyphs to each viewer.
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-wqy-microhei \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 1000 kexie
WORKDIR /app

COPY pyproject.toml ./
RUN pip install --upgrade pip && pip install .
COPY . .
# The compiled catalogue (locale/*/LC_MESSAGES/django.mo) is committed: the
# image needs no gettext. Nothing else at build time needs the deployment's
# environment (bin/build-static uses a throwaway key).
RUN pip install --no-deps . \
    && bin/build-static \
    && test -f locale/en/LC_MESSAGES/django.mo \
    && mkdir -p /data/media /data/private-media \
    && chown -R kexie:kexie /data /app

USER kexie
ENV MEDIA_ROOT=/data/media \
    PRIVATE_MEDIA_ROOT=/data/private-media
EXPOSE 8000
CMD ["gunicorn", "kexie.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]


FROM nginx:1.28-bookworm AS proxy

# The official image renders /etc/nginx/templates/*.template into conf.d with
# the KEXIE_* variables of docker-compose.yml.
RUN rm -f /etc/nginx/conf.d/default.conf
COPY deploy/nginx/kexie.conf.template /etc/nginx/templates/kexie.conf.template
COPY --from=app /app/build/static /srv/static
ENV KEXIE_UPSTREAM=web:8000 \
    KEXIE_LISTEN=80 \
    KEXIE_STATIC_ROOT=/srv/static \
    KEXIE_MEDIA_ROOT=/srv/media \
    KEXIE_CLIENT_MAX_BODY_SIZE=11m
EXPOSE 80
