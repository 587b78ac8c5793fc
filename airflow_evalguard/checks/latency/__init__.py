"""Parts of the latency_tail check: reading requests, cold starts, training windows, tail groups."""
