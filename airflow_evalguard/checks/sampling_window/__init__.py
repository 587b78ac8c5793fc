"""sampling_window (problem 6): was the eval set sampled the way production traffic arrives?

An offline eval sampled by a 3 am cron is a survey of overnight retries and one region's traffic.
The check compares the sample's mix over hour of day (always) and any other stratum columns with a
production reference: per dimension a total variation distance with a bootstrap CI and a
chi-square test of the mix (`mix`), and stratum coverage (`coverage`), all in one Holm family; it
also produces post-stratification (or raking) weights so the eval can be re-weighted (`weights`).
"""
