"""Benchmarks run against a dedicated PostgreSQL database (see bench/catalogue.py)."""
