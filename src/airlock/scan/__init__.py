"""Static scanning: engine, format handlers, rules, allowlists.

``airlock.scan`` is both this package and the function the issue promises (``airlock.scan(path)
-> ScanReport``): once any submodule is imported Python binds the package to ``airlock.scan``,
so the package itself is made callable and forwards to ``engine.scan``.
"""

from __future__ import annotations

import os
import sys
import types
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from airlock.scan.engine import ScanOptions
    from airlock.scan.result import ScanReport


class _CallableModule(types.ModuleType):
    def __call__(
        self,
        path: str | os.PathLike[str],
        options: ScanOptions | None = None,
        *,
        download: bool = False,
    ) -> ScanReport:
        if download or (isinstance(path, str) and "://" in path[:8]):
            from airlock.sources.scanning import scan_models  # hf://, s3://, gs://, https://

            report: ScanReport = scan_models([path], options, download=download)
            return report
        from airlock.scan.engine import scan

        return scan(path, options)


sys.modules[__name__].__class__ = _CallableModule
