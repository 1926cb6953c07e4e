"""CI integrations: the GitHub Action's entry point (``action.yml`` at the repository root)."""
