"""Differential tests: generated mutated/polyglot model files, loaded by the real victim loaders
in Airlock's sandbox (the oracle), compared with what ``airlock.check`` decides."""
