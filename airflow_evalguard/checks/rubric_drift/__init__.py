"""rubric_drift (problem 5): did the rubric (humans) or the judge (relative to humans) drift, per
criterion, behind a steady composite?

Per criterion, on items rated in both periods, the change in the judge's score splits exactly
into a rubric axis (the human mean moved: the rubric or its reading changed, and the judge moved
with it) and a judge axis (the judge moved relative to the humans):
    judge_cand - judge_base = (human_cand - human_base) + ((judge - human)_cand - (judge - human)_base)
The composite change (weighted sum over criteria) splits the same way, so its criterion
contributions add up exactly; opposite moves on two criteria can cancel in the composite, which
is the HIDDEN_DRIFT finding. All axes and the composite form one Holm family (core.compose).

Modules: `spec` (inputs, parameters), `read` (rows or per-item sums -> per-item sums), `paired`
(periods, scale, items paired across periods, weights), `axes` (the two axes per criterion),
`composite` (the weighted composite), `words` (sentences), `decide` (puts them together).
"""
