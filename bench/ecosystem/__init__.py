"""The real-artifact corpus: models and checkpoints written by the libraries' own savers.

``python -m bench.ecosystem.generate OUT`` writes it (one child process per library, cached by
library versions); ``python -m bench.ecosystem.check OUT`` scans it and compares the symbolic
pickle machine with the real unpickler. See ``bench/ecosystem/README.md``.
"""
