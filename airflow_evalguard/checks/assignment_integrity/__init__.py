"""assignment_integrity (problem 8): may this prompt experiment's lift be read at all?

When the routing hash and the prompt assembler share an input, "arm B" can quietly mean "long
prompts", and the lift is manufactured. Before data: a field both hashed and read by the assembler
fails (`shared`). With data: sample ratio mismatch (`srm`: chi-square at srm_alpha), covariate
balance (`balance`: SMD significantly beyond its band, Holm), dependence of the arm on each
assembler input (`dependence`: Cramér's V with a permutation p-value, Holm), and for A/A runs a
lift that must include 0 (`aa`).
"""
