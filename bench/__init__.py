"""Benchmarks (run as scripts); a package so the generators under ``bench/trojan`` import."""
