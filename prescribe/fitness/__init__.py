"""The light fitness-tier model (placeholder during development)."""
