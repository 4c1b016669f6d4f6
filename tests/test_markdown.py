import pytest

from core.markdown import render_markdown

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


# Links a browser follows to another host although they name no scheme, or to a scheme hidden behind
# spaces, tabs or control characters.
LINKS_THAT_LEAVE_THE_SITE = [
    "[x](//evil.example/x)",
    '<a href="//evil.example">x</a>',
    '<a href="  //evil.example">x</a>',
    "[x](<//evil.example>)",
    "<a href='&#47;&#47;evil.example'>x</a>",
    "[x](///evil.example)",
    '<a href="\\\\evil.example">x</a>',
    '<a href="/\\evil.example">x</a>',
    '<a href="\\/evil.example">x</a>',
    '<a href="/&#9;/evil.example">x</a>',
    '<a href="&#1;//evil.example">x</a>',
    "[x]( javascript:alert(1))",
    "[x](java\tscript:alert(1))",
    '<a href="java\tscript:alert(1)">x</a>',
    '<a href="java&#9;script:alert(1)">x</a>',
    '<a href="java&#10;script:alert(1)">x</a>',
    '<a href="&#14;javascript:alert(1)">x</a>',
]


@pytest.mark.parametrize("payload", LINKS_THAT_LEAVE_THE_SITE)
def test_links_to_another_host_without_a_scheme_or_to_a_hidden_scheme_are_dropped(payload):
    html = render_markdown(payload)
    assert "href" not in html, html
    assert ">x</a>" in html, html  # the words stay, as text


@pytest.mark.parametrize(
    ("payload", "href"),
    [
        ("[ok](/groups/kendal/)", "/groups/kendal/"),
        ("[ok](#results)", "#results"),
        ("[ok](?page=2)", "?page=2"),
        ("[ok](report.pdf)", "report.pdf"),
        ("[ok](https://example.org/a:b)", "https://example.org/a:b"),
        ("[ok](mailto:hello@example.org)", "mailto:hello@example.org"),
    ],
)
def test_links_on_this_site_and_with_allowed_schemes_are_kept(payload, href):
    assert f'href="{href}"' in render_markdown(payload)
