import pytest

from groups.markdown import render_markdown

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "<svg onload=alert(1)>",
    "[click](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    '<iframe src="https://evil.example"></iframe>',
    "<body onload=alert(1)>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    "[x](JaVaScRiPt:alert(1))",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
]


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_no_script_survives(payload):
    html = render_markdown(payload).lower()
    assert "<script" not in html
    assert "javascript:" not in html
    assert "onerror" not in html and "onload" not in html
    assert "<iframe" not in html and "<svg" not in html and "style=" not in html


def test_links_are_nofollow_ugc():
    html = render_markdown("See [our report](https://example.org/report).")
    assert 'href="https://example.org/report"' in html
    assert 'rel="nofollow ugc noopener"' in html


def test_ordinary_markdown_renders():
    html = render_markdown("## Results\n\n- **32%** cut\n- *hydro*")
    assert "<h2>Results</h2>" in html
    assert "<strong>32%</strong>" in html
    assert "<em>hydro</em>" in html
