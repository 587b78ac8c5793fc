"""judge_drift (problem 4): did the LLM judge change under the eval?

An LLM judge endpoint can silently update and move every score. Each part runs when its input is
given: the pin (`pin`: every score from the pinned snapshot; a changed snapshot fails directly),
judge parse failures (`parse_failures`: counted, never dropped), anchors (`anchors`: a fixed item
set re-scored by the judge as it is now), the dual window (`dual`: both systems scored by the old
and the new snapshot, so a lift is reported net of the ruler effect) and human agreement
(`human`, `agreement`). The gated effects of every part form one Holm family (core.compose), so
the chance of any false FAIL stays at alpha however many parts run.
"""
