"""Helpers shared by several checks: reading rated tables, aggregated inputs, pairing two runs,
paired binary outcomes and paired score shifts. A helper used by one check lives in its package."""
