"""Airlock: let open-weight models in safely."""
