"""HTML reports: one self-contained report.html per gate run, and a run summary page.

Jinja2 with autoescape renders every string from data as text; plots are matplotlib SVG with
text drawn as paths (no text nodes a string from data could break out of), inlined, so a report
opens with no network at all. It renders result dicts and imports neither the store nor the
publish layer (which reads and writes stored results through it). matplotlib loads only when a
plot is drawn.
"""
