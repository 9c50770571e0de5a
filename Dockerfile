# The Slack app (`talkety slack`) from this checkout's wheel, run as a non-root user.
#
#   docker build -t talkety-slack .
#   docker run --env-file .env -p 3000:3000 talkety-slack
#
# BASE: any Debian-based image with python3 and its venv module (the official Python
# image by default; the project's tests build one from a Debian root instead).
ARG BASE=python:3.13-slim

FROM ${BASE} AS wheel
WORKDIR /src
COPY . .
RUN python3 -m venv /opt/build \
 && /opt/build/bin/pip install --no-cache-dir build==1.2.2.post1 \
 && /opt/build/bin/python -m build --wheel --outdir /dist . \
 && find /dist -name 'talkety-*.whl' -printf 'talkety[slack] @ file://%p\n' > /dist/requirements.txt

FROM ${BASE}
COPY --from=wheel /dist /dist
RUN python3 -m venv /opt/talkety \
 && /opt/talkety/bin/pip install --no-cache-dir --requirement /dist/requirements.txt \
 && rm -r /dist \
 && useradd --system --no-create-home --uid 10001 talkety \
 && install -d -o talkety -g talkety /var/lib/talkety
# Everything the app keeps is in its database (PostgreSQL when several instances run); the
# working directory holds only the SQLite default, for a single instance.
WORKDIR /var/lib/talkety
USER 10001
ENV PATH=/opt/talkety/bin:$PATH \
    PORT=3000 \
    PYTHONUNBUFFERED=1
EXPOSE 3000
# /healthz answers {"ok": false} when the database cannot be read.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["python3", "-c", "import json, os, sys, urllib.request as r; url = 'http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '3000'); sys.exit(0 if json.load(r.urlopen(url, timeout=4))['ok'] else 1)"]
# Python runs as PID 1 and handles SIGTERM itself: requests in flight finish (up to 20 s),
# then the instance releases its calls' leases for the others.
STOPSIGNAL SIGTERM
ENTRYPOINT ["talkety", "slack"]
