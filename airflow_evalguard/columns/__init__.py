"""Column-level helpers shared by checks: timestamp parsing and stratum encoding."""
