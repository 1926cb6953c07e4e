"""Isolated execution for anything that must load or run an untrusted model.

bubblewrap namespaces with minimal read-only binds, a seccomp filter, Landlock in Python
workers, rlimits, a wall-clock timeout and process-group kill. Without a usable backend the
sandbox refuses to run (fail closed) unless the caller explicitly allows running unsandboxed.
"""
