"""Signed check verdicts: ``airlock check --attest`` as an in-toto Statement in a DSSE envelope.

``statement`` builds and parses the statement (pure); ``bundle`` signs it into a Sigstore
bundle v0.3 (the same container OMS signatures use, key or certificate method) and verifies one.
"""
