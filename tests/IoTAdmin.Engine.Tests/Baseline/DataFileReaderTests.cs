using IoTAdmin.Engine.Baseline.DataFiles;

namespace IoTAdmin.Engine.Tests.Baseline;

public sealed class DataFileReaderTests
{
    [Fact]
    public void ReadHashtable_ShouldReadTheDataLanguage()
    {
        const string text = """
            # A comment
            <# a block
               comment #>
            @{
                Name = 'O''Brien'; Count = 3
                Big = 3000000000
                Version = 1.2
                'Quoted Key' = "tab`there"
                On = $true; Off = $false; Nothing = $null
                List = 22, 2222
                Array = @(
                    'a'
                    'b'
                )
                Nested = @{ Inner = @() }
                Here = @'
            line one
            line $two
            '@
            }
            """;

        var table = DataFileReader.ReadHashtable(text, "test.psd1");

        Assert.Equal("O'Brien", table["name"]);
        Assert.Equal(3, table["Count"]);
        Assert.Equal(3000000000L, table["Big"]);
        Assert.Equal(1.2, table["Version"]);
        Assert.Equal("tab\there", table["Quoted Key"]);
        Assert.Equal(true, table["On"]);
        Assert.Equal(false, table["Off"]);
        Assert.Null(table["Nothing"]);
        Assert.Equal(new object?[] { 22, 2222 }, (List<object?>)table["List"]!);
        Assert.Equal(new object?[] { "a", "b" }, (List<object?>)table["Array"]!);
        Assert.Empty((List<object?>)((DataTable)table["Nested"]!)["Inner"]!);
        Assert.Equal("line one\nline $two", table["Here"]);
        Assert.Equal(new[] { "Name", "Count", "Big", "Version", "Quoted Key", "On", "Off", "Nothing", "List", "Array",
            "Nested", "Here" }, table.KeysInOrder);
    }

    [Theory]
    [InlineData("@{ A = $env:HOME }", "variable")]
    [InlineData("@{ A = \"x $(Remove-Item /)\" }", "expand")]
    [InlineData("@{ A = \"$HOME\" }", "expand")]
    [InlineData("@{ A = Get-Date }", "cannot start a value")]
    [InlineData("@{ A = [int]'3' }", "cannot start a value")]
    [InlineData("@{ A = { 'script' } }", "cannot start a value")]
    [InlineData("@{ A = 1 } ; Remove-Item /", "nothing may follow")]
    [InlineData("Remove-Item /", "one hashtable")]
    [InlineData("@{ A = 1; A = 2 }", "twice")]
    [InlineData("@{ A = 'open }", "not closed")]
    [InlineData("@{ A = 1", "not closed")]
    [InlineData("@{ A = 1 B = 2 }", "after the value")]
    public void ReadHashtable_WithCodeOrBrokenSyntax_ShouldRefuseWithLineAndColumn(string text, string message)
    {
        var error = Assert.Throws<DataFileException>(() => DataFileReader.ReadHashtable(text, "bad.psd1"));

        Assert.Contains(message, error.Message);
        Assert.Contains("bad.psd1 line 1, column", error.Message);
    }

    [Fact]
    public void ReadHashtable_WithDeepNesting_ShouldStopAtTheLimit()
    {
        var text = "@{ A = " + string.Concat(Enumerable.Repeat("@(", 200)) + string.Concat(Enumerable.Repeat(")", 200))
            + " }";

        var error = Assert.Throws<DataFileException>(() => DataFileReader.ReadHashtable(text, "deep.psd1"));

        Assert.Contains("nested deeper", error.Message);
    }
}
