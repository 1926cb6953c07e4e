"""S3 and S3-compatible object stores (and ``gs://`` through GCS's S3-compatible XML API).

boto3 takes credentials and the endpoint from its standard chain (``AWS_*`` variables,
``~/.aws``, instance roles; ``AWS_ENDPOINT_URL_S3``/``AWS_ENDPOINT_URL`` for MinIO, Ceph,
R2...). ``gs://`` uses ``AIRLOCK_GS_ENDPOINT`` (default ``https://storage.googleapis.com``) with
HMAC keys. Objects are read with ``Range`` and pinned by their listed ETag (``IfMatch``), so an
object replaced mid-judgement is an error. A full-object SHA-256 checksum, when the store holds
one, is the stated digest; otherwise digests are computed by streaming.
"""

from __future__ import annotations

import base64
import binascii
import os
import threading
from collections.abc import Callable, Iterator
from typing import Any

from airlock.sources import plan as P
from airlock.sources.errors import SourceError
from airlock.sources.httpio import range_total
from airlock.sources.hub import safe_path
from airlock.sources.remote import MAX_REMOTE_FILES, RemoteFile, RemoteModel
from airlock.sources.spec import ModelName

GS_ENDPOINT = "https://storage.googleapis.com"
CHUNK = 1024**2


def _client(kind: str) -> Any:
    try:
        import boto3
        from botocore.config import Config
    except ModuleNotFoundError:
        from airlock.errors import DependencyError

        raise DependencyError(
            "s3:// and gs:// need boto3: pip install 'model-airlock[remote]'"
        ) from None
    timeout = float(os.environ.get("AIRLOCK_HTTP_TIMEOUT", "30") or 30)
    attempts = int(float(os.environ.get("AIRLOCK_HTTP_RETRIES", "4") or 4))
    config = Config(
        connect_timeout=timeout,
        read_timeout=timeout,
        retries={"max_attempts": max(1, attempts), "mode": "standard"},
    )
    endpoint = os.environ.get("AIRLOCK_GS_ENDPOINT", GS_ENDPOINT) if kind == "gs" else None
    return boto3.client("s3", endpoint_url=endpoint, config=config)


def _explain(exc: Exception, where: str) -> SourceError:
    from botocore.exceptions import ClientError, NoCredentialsError

    if isinstance(exc, NoCredentialsError):
        return SourceError(
            f"{where}: no credentials (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, ~/.aws, or a role)"
        )
    if isinstance(exc, ClientError):
        err = exc.response.get("Error", {})
        code = str(err.get("Code", "?"))
        if code in ("NoSuchBucket", "NoSuchKey", "404"):
            return SourceError(f"{where}: not found ({code})")
        if code in ("AccessDenied", "403", "InvalidAccessKeyId", "SignatureDoesNotMatch"):
            return SourceError(f"{where}: access denied ({code}): check the credentials")
        if code in ("PreconditionFailed", "412"):
            return SourceError(f"{where}: the object changed while it was being judged")
        return SourceError(f"{where}: {code}: {err.get('Message', '')}".rstrip(": "))
    return SourceError(f"{where}: {type(exc).__name__}: {exc}")


class S3Reader:
    def __init__(self, client: Any, scheme: str, bucket: str, etags: dict[str, str]) -> None:
        self.client = client
        self.scheme = scheme
        self.bucket = bucket
        self.etags = etags
        self._lock = threading.Lock()
        self.received = 0

    def _count(self, n: int) -> None:
        with self._lock:
            self.received += n

    def _where(self, f: RemoteFile) -> str:
        return f"{self.scheme}://{self.bucket}/{f.key}"

    def _get(self, f: RemoteFile, rng: str | None) -> Any:
        kwargs: dict[str, Any] = {"Bucket": self.bucket, "Key": f.key}
        if rng:
            kwargs["Range"] = rng
        if f.key in self.etags:
            kwargs["IfMatch"] = self.etags[f.key]
        try:
            return self.client.get_object(**kwargs)
        except Exception as exc:
            raise _explain(exc, self._where(f)) from None

    def read_range(self, f: RemoteFile, start: int, end: int) -> bytes:
        if end <= start:
            return b""
        resp = self._get(f, f"bytes={start}-{end - 1}")
        body = resp["Body"]
        total = range_total(resp.get("ContentRange"))
        if total is not None and total != f.size:
            body.close()
            raise SourceError(f"{self._where(f)}: listed as {f.size:,} bytes, served as {total:,}")
        try:
            data = body.read(end - start)
        except Exception as exc:
            raise _explain(exc, self._where(f)) from None
        finally:
            body.close()
        self._count(len(data))
        if len(data) != end - start:
            raise SourceError(f"{self._where(f)}: short read at {start}")
        return bytes(data)

    def stream(
        self, f: RemoteFile, progress: Callable[[int], None] | None, start: int = 0
    ) -> Iterator[bytes]:
        done = start
        failures = 0
        attempts = 4
        while done < f.size:
            resp = self._get(f, f"bytes={done}-" if done else None)
            body = resp["Body"]
            try:
                for chunk in body.iter_chunks(CHUNK):
                    if done + len(chunk) > f.size:
                        raise SourceError(f"{self._where(f)}: more bytes than listed")
                    done += len(chunk)
                    self._count(len(chunk))
                    if progress is not None:
                        progress(len(chunk))
                    yield chunk
                if done < f.size:
                    raise SourceError(f"{self._where(f)}: body ended early")
            except SourceError:
                failures += 1
                if failures >= attempts:
                    raise
            except Exception as exc:
                failures += 1
                if failures >= attempts:
                    raise _explain(exc, self._where(f)) from None
            finally:
                body.close()

    def bytes_received(self) -> int:
        return self.received

    def close(self) -> None:
        self.client.close()


def _stated_sha256(client: Any, bucket: str, key: str) -> str | None:
    """A full-object SHA-256 checksum the store keeps for the object, if any."""
    try:
        head = client.head_object(Bucket=bucket, Key=key, ChecksumMode="ENABLED")
    except Exception:
        return None
    value = head.get("ChecksumSHA256")
    kind = head.get("ChecksumType", "FULL_OBJECT")
    if not isinstance(value, str) or "-" in value or kind != "FULL_OBJECT":
        return None
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return None
    return raw.hex() if len(raw) == 32 else None


def _with_checksums(client: Any, bucket: str, files: list[RemoteFile]) -> list[RemoteFile]:
    """Large objects with the SHA-256 the store keeps (one HEAD each, several at once: a
    141-shard checkpoint costs a few round trips of latency, not 141)."""
    from concurrent.futures import ThreadPoolExecutor
    from dataclasses import replace

    big = [i for i, f in enumerate(files) if f.size > P.SMALL_BYTES]
    if not big:
        return files
    with ThreadPoolExecutor(min(HEAD_WORKERS, len(big)), thread_name_prefix="airlock-s3") as pool:
        sums = list(pool.map(lambda i: _stated_sha256(client, bucket, files[i].key), big))
    out = list(files)
    for i, sha in zip(big, sums, strict=True):
        out[i] = replace(files[i], sha256=sha)
    return out


HEAD_WORKERS = 8


def open_bucket(name: ModelName) -> RemoteModel:
    """List the objects under ``s3://BUCKET/PREFIX`` (or the one object it names)."""
    assert name.bucket is not None
    kind = name.kind
    client = _client(kind)
    bucket, prefix = name.bucket, name.prefix
    where = f"{kind}://{bucket}/{prefix}"
    files: list[RemoteFile] = []
    etags: dict[str, str] = {}
    try:
        if prefix and not prefix.endswith("/"):
            try:
                head = client.head_object(Bucket=bucket, Key=prefix)
            except Exception:
                head = None
            if head is not None:
                size = int(head.get("ContentLength", 0))
                etags[prefix] = head.get("ETag", "")
                sha = _stated_sha256(client, bucket, prefix) if size > P.SMALL_BYTES else None
                files.append(RemoteFile(".", size, sha, key=prefix))
        if not files:
            base = prefix if (not prefix or prefix.endswith("/")) else prefix + "/"
            pages = client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=base)
            for page in pages:
                for obj in page.get("Contents", []):
                    key = obj["Key"]
                    rel = key[len(base) :]
                    if key.endswith("/") and int(obj.get("Size", 0)) == 0:
                        continue  # a "folder" marker
                    if safe_path(rel) is None:
                        raise SourceError(f"{where}: unsafe object name {key!r}")
                    size = int(obj.get("Size", 0))
                    etags[key] = obj.get("ETag", "")
                    files.append(RemoteFile(rel, size, None, key=key))
                    if len(files) > MAX_REMOTE_FILES:
                        raise SourceError(f"{where}: more than {MAX_REMOTE_FILES} objects")
            prefix = base
            files = _with_checksums(client, bucket, files)
    except SourceError:
        client.close()
        raise
    except Exception as exc:
        client.close()
        raise _explain(exc, where) from None
    if not files:
        client.close()
        raise SourceError(f"{where}: no objects under this prefix")
    reader = S3Reader(client, kind, bucket, {k: v for k, v in etags.items() if v})
    return RemoteModel(f"{kind}://{bucket}/{prefix}", name.short, files, reader, source=kind)
