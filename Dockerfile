# fakecampaign: a local, offline fake of ActiveCampaign, with the demo fixtures loaded.
#
#   docker build -t fakecampaign .
#   docker run --rm -p 8080:8080 -v fakecampaign-data:/data fakecampaign
#
# Every option is an environment variable FAKECAMPAIGN_<NAME> (see `fakecampaign serve --help`).
FROM python:3.12-slim

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_ROOT_USER_ACTION=ignore

# An unprivileged user that owns the state volume; numeric ids so orchestrators can check runAsNonRoot.
RUN groupadd --system --gid 10001 fakecampaign \
    && useradd --system --uid 10001 --gid fakecampaign --no-create-home --home-dir /nonexistent \
       --shell /usr/sbin/nologin fakecampaign \
    && mkdir -p /data \
    && chown fakecampaign:fakecampaign /data

WORKDIR /src

# Dependencies first, from pyproject.toml alone: this layer survives edits to the code, README and fixtures.
# All of them are pure or manylinux wheels, so no compiler is needed (or left) in the image.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install --no-cache-dir --only-binary=:all: -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

# Then the package itself (pyproject's `readme = "README.md"` needs README.md at build time).
COPY README.md ./
COPY fakecampaign/ ./fakecampaign/
RUN pip install --no-cache-dir --no-deps . \
    && rm -rf build ./*.egg-info

# Build-time smoke test: the console script is installed and imports.
RUN fakecampaign --help

WORKDIR /app
COPY fixtures/ /app/fixtures/

# Listen on all interfaces; keep state in the /data volume; start with the demo fixtures
# (set FAKECAMPAIGN_FIXTURES to another file to load that instead).
ENV FAKECAMPAIGN_HOST=0.0.0.0 \
    FAKECAMPAIGN_PORT=8080 \
    FAKECAMPAIGN_DB=/data/fakecampaign.sqlite3 \
    FAKECAMPAIGN_FIXTURES=/app/fixtures/demo.json \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1

USER 10001:10001
VOLUME /data
EXPOSE 8080

# No curl in the image: probe with the standard library.
HEALTHCHECK --interval=5s --timeout=3s --start-period=5s --retries=5 \
    CMD ["python", "-c", "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8080/_fakecampaign/health?wait=all', timeout=2).status == 200 else 1)"]

ENTRYPOINT ["fakecampaign"]
CMD ["serve"]
