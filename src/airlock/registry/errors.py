"""Registry errors: each maps to one HTTP status and to exit code 2 on the command line."""

from __future__ import annotations

from airlock.errors import AirlockError


class RegistryError(AirlockError):
    """Base class; ``status`` is the HTTP status the service answers with."""

    status = 400
    code = "invalid"


class InvalidRequest(RegistryError):
    """The request is malformed or breaks a rule (bad manifest, bad policy, bad statement)."""


class NotFound(RegistryError):
    status = 404
    code = "not_found"


class Conflict(RegistryError):
    """The request clashes with the current state (wrong state transition, replay, duplicate)."""

    status = 409
    code = "conflict"


class Unauthorized(RegistryError):
    status = 401
    code = "unauthorized"


class Forbidden(RegistryError):
    status = 403
    code = "forbidden"


class SignatureInvalid(RegistryError):
    """A signed document (DSSE envelope, OMS bundle, allowlist) did not verify."""

    status = 422
    code = "bad_signature"


class DatabaseError(RegistryError):
    """The database could not be opened, migrated or reached."""

    status = 503
    code = "database"


class RemoteError(RegistryError):
    """A registry server answered with an error or could not be reached."""

    status = 502
    code = "remote"
