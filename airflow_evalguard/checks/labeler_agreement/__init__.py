"""labeler_agreement (problem 7): is rising labeler agreement real, or have labelers homogenized?

Rising inter-labeler agreement reads as a better eval, but labelers who converge on one safe
mark agree perfectly and measure nothing. Per batch (in time order) the check reports
Krippendorff's alpha beside three readings agreement cannot fake (label entropy, discrimination
between items, accuracy on gold items; `readings`) and gates on the signature of homogenization
(`homogenization`): alpha rising while discrimination falls and gold accuracy does not rise.

The gate is an intersection of one-sided conditions (alpha up AND discrimination down AND gold
not up), each judged by its own bootstrap interval; an intersection-union test needs no
multiplicity correction to stay at level alpha.
"""
