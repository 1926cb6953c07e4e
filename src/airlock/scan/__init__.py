"""Static scanning: engine, rules, allowlists."""
