"""HTML reports: one self-contained report.html per gate run, and a run summary page.

Jinja2 with autoescape renders every string from data as text; plots are matplotlib SVG with
text drawn as paths (no text nodes a string from data could break out of), inlined, so a report
opens with no network at all. matplotlib and Jinja2 load only when a report is rendered.
"""
