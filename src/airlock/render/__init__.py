"""Renderers: reports to text, JSON, SARIF."""
