"""slice_retention: did distillation drop a rare but load-bearing behaviour?

Teacher and student scored on the same examples. The overall average can stay flat while a
2%-frequency slice loses ten points; this check judges every slice (each value of each slice
column) by the gate rule on its paired drop, Holm across slices, names slices too small to
measure, and fails when a slice the team declared required was never measured at all.
"""
