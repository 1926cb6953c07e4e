"""Provenance: which exact bytes a model is (manifests, digests, caches, signatures)."""
