using System.Security.Cryptography;
using System.Text;
using IoTAdmin.Engine.Snmp;

namespace IoTAdmin.Engine.Tests.Snmp;

/// <summary>USM keys and digests against RFC 3414 A.3, FIPS 180-4, RFC 4231 and keys net-snmp derived.</summary>
public sealed class UsmCryptoTests
{
    private static readonly byte[] s_rfcEngine = Hex.Parse("000000000000000000000002");

    // Engine IDs and localised keys as net-snmp 5.9.3 stored them in its persistent snmpd.conf after
    // "createUser <user> <auth> authpass123 <priv> privpass123".
    private const string EngineA = "80001f8880a20d9f282caa116b00000000";
    private const string EngineB = "80001f8880ba01483336aa116b00000000";

    [Theory]
    [InlineData(SnmpAuthProtocol.Md5, "9faf3283884e92834ebc9847d8edd963", "526f5eed9fcce26f8964c2930787d82b")]
    [InlineData(
        SnmpAuthProtocol.Sha1,
        "9fb5cc0381497b3793528939ff788d5d79145211",
        "6695febc9288e36282235fc7151f128497b38f3f")]
    public void PasswordToKey_Rfc3414A3_ShouldGiveTheKnownKeys(SnmpAuthProtocol protocol, string ku, string kul)
    {
        var master = UsmCrypto.PasswordToKey(protocol, "maplesyrup");

        Assert.Equal(ku, Convert.ToHexString(master).ToLowerInvariant());
        var localized = UsmCrypto.Localize(protocol, master, s_rfcEngine);
        Assert.Equal(kul, Convert.ToHexString(localized).ToLowerInvariant());
    }

    [Theory]
    [InlineData(EngineA, SnmpAuthProtocol.Md5, "f6c5904f0deacdaee8b4744b04f8372d")]
    [InlineData(EngineA, SnmpAuthProtocol.Sha1, "dd4c34669bb97bb372bd7b1cc5f2a0fc44f56745")]
    [InlineData(EngineA, SnmpAuthProtocol.Sha224, "12eb3b4fc40e143706f7c07dcccc4ed593b9f059cec2102cac5ffaa2")]
    [InlineData(EngineB, SnmpAuthProtocol.Sha256, "2ab70ff07c0b3779fc0ee39aed48716d9376068a3f511dd92073322477a0d2f7")]
    [InlineData(
        EngineB,
        SnmpAuthProtocol.Sha384,
        "9c4c4623cdcab1ec768c8cb0842ba768b3f29cd2810ec1c2f82f9b8839468ea95ef2d8977f4c5ddf1c90628ca1bf6810")]
    [InlineData(
        EngineA,
        SnmpAuthProtocol.Sha512,
        "3bdfbd2fa0b662028eb0817a45585814b8aad38b866f0559b442fbad11b0779f"
        + "25f8ecb9c9f940c6f198c69a7c26c39b5670fa4284c5c75ae50ee4f32ef55fa1")]
    public void LocalizedAuthKey_ShouldEqualNetSnmps(string engine, SnmpAuthProtocol protocol, string expected)
    {
        var credential = new SnmpV3Credential("u", protocol, "authpass123");

        var keys = credential.KeysFor(Hex.Parse(engine));

        Assert.Equal(expected, Convert.ToHexString(keys.AuthKey).ToLowerInvariant());
    }

    [Theory]
    [InlineData(EngineA, SnmpAuthProtocol.Sha224, SnmpPrivProtocol.Des, "fbab41b5e94503ae2dea994648a090aa")]
    [InlineData(EngineB, SnmpAuthProtocol.Sha384, SnmpPrivProtocol.Aes128, "b28e58de613de2777d8b43ff27fa9bda")]
    [InlineData(
        EngineA, SnmpAuthProtocol.Md5, SnmpPrivProtocol.Aes192, "8cf0d070d3f823088c9d18a0a422bb2ea7df0bb9016dd3a4")]
    [InlineData(
        EngineB, SnmpAuthProtocol.Sha256, SnmpPrivProtocol.Aes192Reeder,
        "acc3e4b5496e61880eecc188059a3522dfe761b928a918e8")]
    [InlineData(
        EngineB, SnmpAuthProtocol.Sha1, SnmpPrivProtocol.Aes256,
        "aa449280441585b69bcc2c8e5b2ece2a6e274fa32c07c369e884a4950b6f1ebc")]
    [InlineData(
        EngineA, SnmpAuthProtocol.Sha1, SnmpPrivProtocol.Aes256Reeder,
        "0600a1d891c5509138e8ec00997a737fc1eca3ee70378f1bbd7fb78574609d9e")]
    [InlineData(
        EngineB, SnmpAuthProtocol.Md5, SnmpPrivProtocol.Aes256Reeder,
        "8a34e9a52bd409a73bb13526af064fbc225a12f8403c29125b0f64582bd09bd4")]
    [InlineData(
        EngineA, SnmpAuthProtocol.Sha512, SnmpPrivProtocol.Aes256Reeder,
        "83c7039cc32cd65454f36f847b249431a2e6887f71e2b7f0ccb8ffdfa6977520")]
    public void PrivKey_BlumenthalAndReeder_ShouldEqualNetSnmps(
        string engine, SnmpAuthProtocol auth, SnmpPrivProtocol priv, string expected)
    {
        var credential = new SnmpV3Credential("u", auth, "authpass123", priv, "privpass123");

        var keys = credential.KeysFor(Hex.Parse(engine));

        Assert.Equal(expected, Convert.ToHexString(keys.PrivKey).ToLowerInvariant());
    }

    [Theory]
    [InlineData(SnmpPrivProtocol.Aes192, SnmpPrivProtocol.Aes192Reeder)]
    [InlineData(SnmpPrivProtocol.Aes256, SnmpPrivProtocol.Aes256Reeder)]
    public void PrivKey_ExtendedKeys_ShouldShareOnlyTheLocalisedPrefix(
        SnmpPrivProtocol blumenthal, SnmpPrivProtocol reeder)
    {
        var engine = Hex.Parse(EngineA);
        var first = new SnmpV3Credential("u", SnmpAuthProtocol.Sha1, "authpass123", blumenthal, "privpass123");
        var second = new SnmpV3Credential("u", SnmpAuthProtocol.Sha1, "authpass123", reeder, "privpass123");

        var a = first.KeysFor(engine).PrivKey;
        var b = second.KeysFor(engine).PrivKey;

        Assert.Equal(a.Take(20), b.Take(20));
        Assert.NotEqual(a.Skip(20), b.Skip(20));
    }

    [Theory]
    [InlineData("", "d14a028c2a3a2bc9476102bb288234c415a2b01f828ea62ac5b3e42f")]
    [InlineData("abc", "23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7")]
    [InlineData(
        "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
        "75388b16512776cc5dba5da1fd890150b0c6455cb4f58b1952522525")]
    public void Sha224_Fips180Vectors_ShouldMatch(string message, string expected)
    {
        using var sha = new Sha224();

        var digest = sha.ComputeHash(Encoding.ASCII.GetBytes(message));

        Assert.Equal(expected, Convert.ToHexString(digest).ToLowerInvariant());
    }

    [Fact]
    public void Sha224_MillionAsInOddChunks_ShouldMatchFips180()
    {
        using var sha = new Sha224();
        var chunk = Encoding.ASCII.GetBytes(new string('a', 1000));
        for (var i = 0; i < 1000; i++)
        {
            // Uneven pieces exercise the partial-block buffering.
            sha.TransformBlock(chunk, 0, 333, null, 0);
            sha.TransformBlock(chunk, 333, 667, null, 0);
        }

        sha.TransformFinalBlock(Array.Empty<byte>(), 0, 0);

        var digest = Convert.ToHexString(sha.Hash!).ToLowerInvariant();
        Assert.Equal("20794655980c91d8bbb4c1ea97618a4bf03f42581948b2ee4ee7ad67", digest);
    }

    [Theory]
    [InlineData("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "Hi There",
        "896fb1128abbdf196832107cd49df33f47b4b1169912ba4f53684b22")]
    [InlineData("4a656665", "what do ya want for nothing?",
        "a30e01098bc6dbbf45690f3a7e9e6d0f8bbea2a39e6148008fd05e44")]
    public void HmacSha224_Rfc4231Vectors_ShouldMatch(string key, string data, string expected)
    {
        var mac = UsmCrypto.Hmac(SnmpAuthProtocol.Sha224, Hex.Parse(key), Encoding.ASCII.GetBytes(data));

        Assert.Equal(expected, Convert.ToHexString(mac).ToLowerInvariant());
    }

    [Fact]
    public void HmacSha224_LongKey_ShouldMatchRfc4231Case6()
    {
        var key = Enumerable.Repeat((byte)0xaa, 131).ToArray();
        var data = Encoding.ASCII.GetBytes("Test Using Larger Than Block-Size Key - Hash Key First");

        var mac = UsmCrypto.Hmac(SnmpAuthProtocol.Sha224, key, data);

        Assert.Equal(
            "95e9a0db962095adaebe9b2d6f0dbce2d499f112f2d2b7273fa6870e", Convert.ToHexString(mac).ToLowerInvariant());
    }

    [Theory]
    [InlineData(SnmpAuthProtocol.Md5)]
    [InlineData(SnmpAuthProtocol.Sha1)]
    [InlineData(SnmpAuthProtocol.Sha256)]
    [InlineData(SnmpAuthProtocol.Sha384)]
    [InlineData(SnmpAuthProtocol.Sha512)]
    public void Hmac_ShouldEqualTheFrameworks(SnmpAuthProtocol protocol)
    {
        var key = RandomNumberGenerator.GetBytes(48);
        var data = RandomNumberGenerator.GetBytes(333);
        using HMAC framework = protocol switch
        {
            SnmpAuthProtocol.Md5 => new HMACMD5(key),
            SnmpAuthProtocol.Sha1 => new HMACSHA1(key),
            SnmpAuthProtocol.Sha256 => new HMACSHA256(key),
            SnmpAuthProtocol.Sha384 => new HMACSHA384(key),
            _ => new HMACSHA512(key),
        };

        Assert.Equal(framework.ComputeHash(data), UsmCrypto.Hmac(protocol, key, data));
    }

    [Theory]
    [InlineData(SnmpAuthProtocol.Md5, 12)]
    [InlineData(SnmpAuthProtocol.Sha1, 12)]
    [InlineData(SnmpAuthProtocol.Sha224, 16)]
    [InlineData(SnmpAuthProtocol.Sha256, 24)]
    [InlineData(SnmpAuthProtocol.Sha384, 32)]
    [InlineData(SnmpAuthProtocol.Sha512, 48)]
    public void DigestLength_ShouldFollowRfc3414AndRfc7860(SnmpAuthProtocol protocol, int length)
    {
        var digest = UsmCrypto.Digest(protocol, new byte[16], new byte[10]);

        Assert.Equal(length, digest.Length);
    }
}
