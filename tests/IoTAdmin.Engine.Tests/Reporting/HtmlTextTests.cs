using IoTAdmin.Engine.Reporting;

namespace IoTAdmin.Engine.Tests.Reporting;

public sealed class HtmlTextTests
{
    [Theory]
    [InlineData("cam-1 10.0.0.1", "cam-1 10.0.0.1")]
    [InlineData("a\tb\nc<d", "a\tb\nc&lt;d")]
    [InlineData("<'\"`&>", "&lt;&#39;&quot;&#96;&amp;&gt;")]
    [InlineData("ok\u0001\u007F\u0085end", "ok\uFFFD\uFFFD\uFFFDend")]
    [InlineData("", "")]
    public void Escape_ShouldReplaceMarkupAndForbiddenControls(string text, string expected)
    {
        Assert.Equal(expected, HtmlText.Escape(text));
    }

    [Fact]
    public void Escape_OfSafeText_ShouldReturnTheSameString()
    {
        var text = "Linux camera firmware V5.4.5";

        Assert.Same(text, HtmlText.Escape(text));
    }
}
