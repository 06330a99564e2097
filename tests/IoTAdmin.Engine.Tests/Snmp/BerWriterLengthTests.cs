using IoTAdmin.Engine.Snmp;

namespace IoTAdmin.Engine.Tests.Snmp;

/// <summary>Constructed values written in place get the same minimal lengths as values written whole.</summary>
public sealed class BerWriterLengthTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(125)]
    [InlineData(126)]
    [InlineData(300)]
    [InlineData(70_000)]
    public void WriteConstructed_AnyContentLength_ShouldMatchTheSameSequenceWrittenWhole(int contentLength)
    {
        var payload = Enumerable.Range(0, contentLength).Select(i => (byte)i).ToArray();

        var inPlace = new BerWriter();
        inPlace.WriteConstructed(0x30, outer => outer.WriteConstructed(0x30, inner => inner.WriteOctetString(payload)));

        var contents = new BerWriter();
        contents.WriteOctetString(payload);
        var middle = new BerWriter();
        middle.WriteTlv(0x30, contents.ToArray());
        var whole = new BerWriter();
        whole.WriteTlv(0x30, middle.ToArray());

        Assert.Equal(whole.ToArray(), inPlace.ToArray());
    }

    [Fact]
    public void WriteConstructed_FollowedByMoreValues_ShouldKeepThemAfterTheWidenedLength()
    {
        var writer = new BerWriter();
        writer.WriteConstructed(0x30, s => s.WriteOctetString(new byte[200]));
        writer.WriteInteger(7);

        var bytes = writer.ToArray();

        Assert.Equal(new byte[] { 0x30, 0x81, 0xCB, 0x04, 0x81, 0xC8 }, bytes.Take(6));
        Assert.Equal(new byte[] { 0x02, 0x01, 0x07 }, bytes.Skip(bytes.Length - 3));
    }
}
