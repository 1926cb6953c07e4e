"""Airlock's model runtime: Hugging Face folders read as data, tokenizers and forward passes.

Shared by the backdoor probe (``airlock.trojan``) and the dataset scan (``airlock.data``); runs
no model code.
"""
