"""Data contracts: the contract language users write, compiled into Great Expectations suites.

Nothing here imports GX at module level: contracts are loaded from DAG-adjacent code.
"""
