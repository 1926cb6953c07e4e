# The image the admission manifests run (`airlock policy k8s --admission --image ...`): the
# webhook (`airlock admission serve`) and the injected init container (`airlock verify`).
#   docker build -t registry.example/airlock:0.1.0 .
# Runs as UID 65532 (the manifests' runAsUser) on a read-only root file system; the webhook's
# spool is the /spool volume the Deployment mounts.
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY src ./src
RUN pip wheel --no-cache-dir --wheel-dir /wheels ".[admission]"

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
COPY --from=build /wheels /wheels
RUN pip install --no-index --find-links /wheels "model-airlock[admission]" && rm -rf /wheels \
 && useradd --uid 65532 --user-group --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin airlock
USER 65532:65532
ENTRYPOINT ["airlock"]
CMD ["--help"]
