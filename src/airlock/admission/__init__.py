"""Kubernetes admission: only approved, unrevoked models run (``airlock admission serve``).

``review`` parses AdmissionReview v1 into the models a workload names (pure); ``decide`` turns
registry answers into an admission answer (pure); ``mutate`` builds the verifying init
container patch (pure); ``cache`` keeps registry answers and follows the audit log so that
revocations reach decisions within a bounded delay; ``registry`` and ``spool`` are the edges
(registry HTTP, the on-disk queue of decisions for the audit chain); ``server`` is the HTTPS app.
"""
