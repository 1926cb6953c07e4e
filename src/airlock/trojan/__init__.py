"""Backdoor (trojan) detection relative to a known base model.

``analyse_trojan(model, base, options) -> TrojanReport``; see ``airlock.trojan.analyse``.
"""
