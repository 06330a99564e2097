using System.Security.Cryptography;
using IoTAdmin.Engine.Snmp;

namespace IoTAdmin.Engine.Tests.Snmp;

/// <summary>DES-CBC and AES-CFB round trips and their RFC-defined properties.</summary>
public sealed class UsmPrivacyTests
{
    [Theory]
    [InlineData(SnmpPrivProtocol.Des, 16)]
    [InlineData(SnmpPrivProtocol.Aes128, 16)]
    [InlineData(SnmpPrivProtocol.Aes192, 24)]
    [InlineData(SnmpPrivProtocol.Aes256Reeder, 32)]
    public void EncryptThenDecrypt_ShouldGiveThePlaintextBack(SnmpPrivProtocol protocol, int keyLength)
    {
        var key = RandomNumberGenerator.GetBytes(keyLength);
        var salt = protocol == SnmpPrivProtocol.Des ? UsmPrivacy.DesSalt(7, 42) : UsmPrivacy.AesSalt(42);
        var plain = RandomNumberGenerator.GetBytes(53);

        var cipher = UsmPrivacy.Encrypt(protocol, key, 7, 1234, salt, plain);
        var back = UsmPrivacy.Decrypt(protocol, key, 7, 1234, salt, cipher);

        Assert.NotEqual(plain, cipher.Take(plain.Length));
        Assert.Equal(plain, back.Take(plain.Length));
    }

    [Fact]
    public void Des_ShouldPadToWholeBlocks_AndAesShouldNot()
    {
        var plain = new byte[53];
        var key = Hex.Parse("0123456789abcdef 0011223344556677");

        var des = UsmPrivacy.Encrypt(SnmpPrivProtocol.Des, key, 1, 2, UsmPrivacy.DesSalt(1, 1), plain);
        var aes = UsmPrivacy.Encrypt(SnmpPrivProtocol.Aes128, key, 1, 2, UsmPrivacy.AesSalt(1), plain);

        Assert.Equal(56, des.Length);
        Assert.Equal(53, aes.Length);
    }

    [Fact]
    public void Aes_ShouldEqualTheFrameworksCfb128()
    {
        var key = RandomNumberGenerator.GetBytes(16);
        var salt = UsmPrivacy.AesSalt(0x0102030405060708);
        var plain = RandomNumberGenerator.GetBytes(64);
        using var aes = Aes.Create();
        aes.Key = key;
        var iv = Hex.Parse("00000005 0000012c").Concat(salt).ToArray();

        var expected = aes.EncryptCfb(plain, iv, PaddingMode.None, 128);

        Assert.Equal(expected, UsmPrivacy.Encrypt(SnmpPrivProtocol.Aes128, key, 5, 300, salt, plain));
    }

    [Fact]
    public void DesSalt_ShouldBeBootsThenCounter()
    {
        Assert.Equal("0000000900000102", Hex.Format(UsmPrivacy.DesSalt(9, 258)));
    }

    [Fact]
    public void Decrypt_DesWithRaggedLength_ShouldThrow()
    {
        Assert.Throws<CryptographicException>(() => UsmPrivacy.Decrypt(
            SnmpPrivProtocol.Des, new byte[16], 1, 1, new byte[8], new byte[13]));
    }
}
