# Production image of ASN Kinerja Portal: one image for web (gunicorn), the Celery workers and
# beat. See deploy/README.md for how docker-compose.yml wires the services together.

# --- Stage 1: install the locked Python dependencies into a virtualenv -------------------------
FROM python:3.11-slim-bookworm AS builder

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1

RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH

WORKDIR /src
COPY pyproject.toml requirements.lock build-constraints.txt ./
COPY scripts/runtime-requirements.py scripts/
# The same lock as `make install`, every file checked against its hashes, runtime packages only
# (not the dev extra): first pip at the lock's version (its entry, with hashes), because pip 26
# takes the hashes of all other files from the lock given as constraints; then the runtime
# dependencies of pyproject.toml at the lock's versions. The code itself is not installed: it runs
# from /app (templates/, static/ and locale/ live at the repo root, beside the packages, and
# settings.BASE_DIR must point there). xstatic-bootstrap's sdist build breaks with setuptools>=81:
# the constraint file caps the build backend of the isolated build. The venv's bundled setuptools
# is removed: nothing at runtime uses it, and it is not in the lock.
RUN python scripts/runtime-requirements.py --pip > /tmp/pip.txt \
    && pip install --require-hashes --no-deps -r /tmp/pip.txt \
    && python scripts/runtime-requirements.py > /tmp/runtime.txt \
    && PIP_BUILD_CONSTRAINT=/src/build-constraints.txt \
       pip install --require-hashes -c requirements.lock -r /tmp/runtime.txt \
    && pip uninstall -y setuptools \
    && pip check

# --- Stage 2: runtime ---------------------------------------------------------------------------
FROM python:3.11-slim-bookworm

# Pango/HarfBuzz/fontconfig for WeasyPrint, DejaVu (and Liberation for Arial/Times metrics) so PDFs
# never fall back to a missing font, gettext for compilemessages, tini to reap children and pass
# signals on to gunicorn/celery.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz0b \
        libharfbuzz-subset0 \
        libfontconfig1 \
        fonts-dejavu-core \
        fonts-liberation2 \
        shared-mime-info \
        gettext \
        tini \
    && rm -rf /var/lib/apt/lists/*

# A fixed uid/gid so that the files on the volumes keep one owner across rebuilds. The writable
# home holds fontconfig's per-user cache (WeasyPrint) and gunicorn's control socket.
RUN groupadd --system --gid 10001 asn \
    && useradd --system --uid 10001 --gid asn --home-dir /home/asn --create-home \
        --shell /usr/sbin/nologin asn

ENV PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/app \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=asn_portal.settings \
    ASN_DATA_DIR=/app/var \
    MEDIA_ROOT=/app/var/private \
    STATIC_ROOT=/app/staticfiles

COPY --from=builder /opt/venv /opt/venv

WORKDIR /app
COPY . /app

# Compile the translation catalogues into the image so that every container (web, workers that
# send mail and render PDFs) has the same .mo files. A throw-away data dir keeps the development
# defaults that settings.py creates on import out of the image.
RUN mkdir -p locale \
    && ASN_DATA_DIR=/tmp/build-var python manage.py compilemessages --ignore=".*" -v 1 \
    && rm -rf /tmp/build-var \
    && python -m compileall -q /app \
    && mkdir -p /app/var/private /app/staticfiles \
    && chown -R asn:asn /app/var /app/staticfiles

# /app/var: private uploads and generated reports (MEDIA_ROOT=/app/var/private) and the beat
# schedule. /app/staticfiles: collectstatic output, shared with nginx.
VOLUME ["/app/var", "/app/staticfiles"]

USER asn:asn
EXPOSE 8000

ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["gunicorn", "-c", "deploy/gunicorn.conf.py", "asn_portal.wsgi:application"]
