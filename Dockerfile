# The HTTP service and editors' page on the offline default model (CPU).
# Built with the same set-up script as the README quickstart and CI (scripts/setup.sh), so
# CI's run of that script covers this image's install steps.
FROM python:3.11-slim-bookworm

RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential cmake git \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
COPY service ./service
COPY model_configs ./model_configs
COPY prompts ./prompts
COPY samples ./samples
COPY scripts ./scripts

# torch 2.13.0 CPU: set TORCH_SPEC (e.g. to a CPU wheel index) if your registry serves a CUDA build.
ARG TORCH_SPEC="torch==2.13.0"
ENV BRIEF_CACHE_DIR=/app/cache \
    BRIEF_DATABASE_PATH=/data/jobs.sqlite3 \
    PYTHON=python3.11 \
    TORCH_SPEC=${TORCH_SPEC}
RUN scripts/setup.sh

# Secure default: `brief serve` refuses to listen on 0.0.0.0 without API keys, so give the container
# at least one key (a comma-separated list, or a JSON list), e.g.
#   docker run -p 8000:8000 -e BRIEF_API_KEYS="$(python -c 'import secrets; print(secrets.token_urlsafe(32))')" IMAGE
# or, only behind a gateway that checks access itself, -e BRIEF_ALLOW_OPEN=1. See SECURITY.md.
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz')"
CMD [".venv/bin/brief", "serve", "--host", "0.0.0.0", "--port", "8000"]
