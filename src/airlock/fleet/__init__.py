"""Fleet scanning: judge a whole model store once per file digest, on Celery workers.

- ``tables``: the fleet's rows in the registry database (verdict cache, rule sets, jobs, files);
- ``ruleset``: what a verdict depends on (analyser, allowlist, rules, policy) as versions + docs;
- ``codec``/``evidence``/``judge``: a per-file scan result stored relocatably, the evidence a
  re-judgement needs, and the verdict under a policy;
- ``cache``: the content-addressed verdict cache (also used by ``airlock scan``/``check``);
- ``jobs``: job and file bookkeeping (idempotent writes); ``tasks``: the Celery app and task;
- ``submit``, ``rejudge``, ``publish``, ``metrics``: the commands' logic.

Nothing here imports Celery unless a worker or submitter runs (``tasks`` imports it).
"""
