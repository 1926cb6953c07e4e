"""Run-time input/output guard: normalisation, rules, a numpy-only classifier, a scanner pipeline.

Public entry points: :func:`airlock.guard.factory.default_pipeline` and
:class:`airlock.guard.pipeline.Pipeline`; the HTTP proxy lives in :mod:`airlock.guard.proxy`.
"""
