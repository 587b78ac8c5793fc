"""Parts of assignment_integrity: its sufficient statistics, from units or from aggregates."""
