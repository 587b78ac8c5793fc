"""Upper bounds shared by the resampling parameters of every check.

A parameter that sets how much work a check does is an input like any other: `n_boot=10**12`
from a templated DAG param would hold a worker (and its memory) until the task times out.
The bounds sit far above any setting that changes a verdict: at 100,000 resamples the Monte
Carlo error of a 95% interval end is already below a tenth of a percent.
"""

MAX_RESAMPLES = 100_000  # bootstrap resamples, permutations, Monte Carlo simulations
MAX_SEED = 2**32 - 1  # numpy accepts larger seeds, but no user needs more than 32 bits
MAX_NEIGHBOURS = 1_000  # top-k of a retrieval check
