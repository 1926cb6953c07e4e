"""Fine-tuning data: poisoning signals (``poison``) and memorisation / leak tests (``leak``)."""
