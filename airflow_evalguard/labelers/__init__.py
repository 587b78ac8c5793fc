"""Weak labelers that turn free-text completions into behaviour labels when no judge labelled them."""
