"""Format readers: parse bytes of model files into small typed structures, never executing them."""
