"""Generators of backdoored and honest models/datasets for the trojan bench (by seed)."""
