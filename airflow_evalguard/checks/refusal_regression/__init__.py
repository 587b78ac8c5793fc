"""refusal_regression: did fine-tuning strip refusal training, or add over-refusal?

Paired on prompt id, a baseline and a candidate model's behaviour on harmful prompts (should
refuse) and benign ones (should comply). Two regressions, both gated: more harmful compliance,
and more refusals of benign prompts (XSTest's over-refusal). Overall and per category, with
Newcombe's paired interval for each delta and McNemar's test.
"""
