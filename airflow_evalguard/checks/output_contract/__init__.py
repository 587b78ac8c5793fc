"""output_contract: do tool-call outputs still meet their versioned contract, and are escalations
still answered by a person?

An `escalate_to_human` call is a promise: a person will read the reason and act. The promise
breaks in two ways. The records stop matching the contract (a field dropped, a severity nobody
handles): Great Expectations checks those, compiled from the contract file. Or every record is
valid but the world changed around it: the agent escalates half as often as it used to, or the
queue it escalates to is now answered by a bot. GX has no words for those, so the check has
parts for them: the escalation-rate band and the human-handled share.
"""
