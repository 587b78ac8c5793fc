"""The four parts of judge_drift (pin, anchors, dual window, human agreement), one module each."""
