"""Extraction helpers that dbt Python models import: work that a set-based SQL model cannot express well."""
