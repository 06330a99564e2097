using System;
using System.Text.RegularExpressions;

namespace IoTAdmin.Engine.Snmp;

/// <summary>The sysDescr and enterprise-number rules behind <see cref="SnmpDeviceIdentity"/>.</summary>
internal static class SnmpDescriptionPatterns
{
    private static readonly TimeSpan s_regexTimeout = TimeSpan.FromMilliseconds(200);

    // "; AXIS Q1656; Box Camera; 10.12.240; ..."
    private static readonly Regex s_axis = Create(@"^\s*;\s*(AXIS [^;]+?)\s*;[^;]*;\s*(\d+(?:\.\d+)+)");

    // "APC Web/SNMP Management Card (MB:v4.1.0 PF:v7.0.8 ... MN:AP9631 ..."
    private static readonly Regex s_apc = Create(@"PF:v?(\d+(?:\.\d+)+).*?MN:(\S+)");

    // "DrayTek Corporation, Router Model: Vigor2920 Series, Version: 3.8.8.2, ..."
    private static readonly Regex s_routerModel = Create(@"Router Model:\s*(\S+)");

    // "HP ETHERNET MULTI-ENVIRONMENT,...,PID:HP Color LaserJet Pro M252dw"
    private static readonly Regex s_productId = Create(@"PID:([^,]+)");

    // "Firmware Ver.1.01", "fw:1.5.5_2394", "Version: 3.8.8.2", "firmware 1.2.3"
    private static readonly Regex s_firmware = Create(
        @"\b(?:firmware(?:\s+ver(?:sion)?)?|fw|version|ver)\.?\s*[:=]?\s*v?(\d+(?:\.\d+)+[\w.-]*)");

    // "Linux RUT955 5.4.291 #0 ...", with a vendor build tag such as "-v1.2.6.1" kept as firmware
    private static readonly Regex s_linux = Create(@"^Linux\s+(\S+)\s+(\d+\.\d+(?:\.\d+)?[^\s-]*)(\S*)");
    private static readonly Regex s_buildTag = Create(@"-v(\d+(?:\.\d+){2,})");
    private static readonly Regex s_teltonikaHost = Create(@"^(RUTX?\d+|TRB\d+|RUTM\d+)$");

    // "Room Alert 12E v3.3.0", "Schneider Electric NetBotz 750 5.4.0.11", "V5.5.3"
    private static readonly Regex s_trailingVersion = Create(@"^(.*?)\s+[Vv]?(\d+(?:\.\d+){1,3})\s*$");

    // "... DS-2CD2142FWD-I firmware" once the version is cut off: the keyword is not part of the model
    private static readonly Regex s_versionKeyword = Create(@"[\s,;:]*\b(?:firmware|version|ver|fw)\W*$");

    // "DH-NVR4108HS-8P-4KS2", "ENVIROMUX-MICRO": a description that is only a model code
    private static readonly Regex s_modelCode = Create(@"^[A-Z0-9][A-Za-z0-9._/-]*-[A-Za-z0-9._/-]+$");

    // "VC-2042-IR", "DS-2CD2142FWD-I" inside a longer sentence: dashed tokens with letters and digits
    private static readonly Regex s_embeddedModelCode = Create(
        @"(?<![\w.-])(?=[A-Za-z0-9-]*\d)(?=[A-Za-z0-9-]*[A-Za-z])[A-Za-z0-9]+(?:-[A-Za-z0-9]+)+(?![\w.-])");

    // A model name is short; longer text before a version is a sentence, not a model.
    private const int LongestModelName = 40;

    private static readonly (Regex Pattern, string Vendor)[] s_vendorWords =
    {
        (Create(@"\bHikvision\b"), "Hikvision"),
        (Create(@"\bZebra"), "Zebra"),
        (Create(@"^DH-"), "Dahua"),
        (Create(@"\bAXIS\b"), "Axis"),
        (Create(@"\bSchneider Electric\b"), "Schneider Electric"),
        (Create(@"\bAPC\b"), "APC"),
        (Create(@"\bBrother\b"), "Brother"),
        (Create(@"\bDrayTek\b"), "DrayTek"),
        (Create(@"\bJanitza\b"), "Janitza"),
        (Create(@"\bStulz\b"), "Stulz"),
        (Create(@"\bRittal\b"), "Rittal"),
        (Create(@"\bENVIROMUX\b"), "Network Technologies"),
        (Create(@"^2N\b"), "2N"),
        (Create(@"\bSynology\b"), "Synology"),
        (Create(@"\bQNAP\b"), "QNAP"),
    };

    public static void Apply(SnmpDeviceIdentity identity)
    {
        var description = identity.Description ?? string.Empty;
        ApplyVendorSpecific(identity, description);
        ApplyLinux(identity, description);
        ApplyVendor(identity, description);
        ApplyGeneric(identity, description);
    }

    private static void ApplyVendorSpecific(SnmpDeviceIdentity identity, string description)
    {
        var axis = s_axis.Match(description);
        if (axis.Success)
        {
            identity.Suggest("Axis", axis.Groups[1].Value, axis.Groups[2].Value);
        }

        var apc = s_apc.Match(description);
        if (apc.Success)
        {
            identity.Suggest("APC", apc.Groups[2].Value, apc.Groups[1].Value);
        }

        var router = s_routerModel.Match(description);
        if (router.Success)
        {
            identity.Suggest(model: router.Groups[1].Value);
        }

        var product = s_productId.Match(description);
        if (product.Success)
        {
            identity.Suggest(model: product.Groups[1].Value);
        }
    }

    private static void ApplyLinux(SnmpDeviceIdentity identity, string description)
    {
        var linux = s_linux.Match(description);
        if (!linux.Success)
        {
            return;
        }

        var kernel = linux.Groups[2].Value;
        identity.Suggest(os: "Linux " + kernel);

        var buildTag = s_buildTag.Match(linux.Groups[3].Value);
        if (buildTag.Success)
        {
            identity.Suggest(firmware: buildTag.Groups[1].Value);
        }

        // Teltonika routers keep their model as host name; net-snmp's sysObjectID does not name them.
        foreach (var host in new[] { linux.Groups[1].Value, identity.Name ?? string.Empty })
        {
            if (s_teltonikaHost.IsMatch(host))
            {
                identity.Suggest("Teltonika", host);
            }
        }
    }

    private static void ApplyVendor(SnmpDeviceIdentity identity, string description)
    {
        if (identity.EnterpriseNumber is uint enterprise)
        {
            identity.Suggest(SnmpEnterpriseNumbers.VendorOf(enterprise));
        }

        foreach (var (pattern, vendor) in s_vendorWords)
        {
            if (pattern.IsMatch(description))
            {
                identity.Suggest(vendor);
                return;
            }
        }
    }

    private static void ApplyGeneric(SnmpDeviceIdentity identity, string description)
    {
        var firmware = s_firmware.Match(description);
        if (firmware.Success)
        {
            identity.Suggest(firmware: firmware.Groups[1].Value);
        }

        if (identity.OperatingSystem is null)
        {
            ApplyTrailingVersion(identity, description);
        }

        if (s_modelCode.IsMatch(description))
        {
            identity.Suggest(model: description);
        }

        if (identity.Model is null)
        {
            SuggestEmbeddedModelCode(identity, description);
        }
    }

    private static void SuggestEmbeddedModelCode(SnmpDeviceIdentity identity, string description)
    {
        // Only from the part before the first comma: later parts name the OS or build ("Linux 3.10-rt").
        var head = description.Split(',')[0];
        var code = s_embeddedModelCode.Match(head);
        if (code.Success)
        {
            identity.Suggest(model: code.Value);
        }
    }

    private static void ApplyTrailingVersion(SnmpDeviceIdentity identity, string description)
    {
        var trailing = s_trailingVersion.Match(description);
        if (!trailing.Success)
        {
            return;
        }

        var model = s_versionKeyword.Replace(trailing.Groups[1].Value, string.Empty);
        if (identity.Vendor is not null && model.StartsWith(identity.Vendor + " ", StringComparison.OrdinalIgnoreCase))
        {
            model = model.Substring(identity.Vendor.Length + 1);
        }

        if (model.Length > LongestModelName || model.IndexOf(',') >= 0)
        {
            // "Camera, firmware V5.4.5 build 170123, Linux 3.10.0": the trailing version is the OS's.
            return;
        }

        identity.Suggest(model: model, firmware: trailing.Groups[2].Value);
    }

    private static Regex Create(string pattern) =>
        new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, s_regexTimeout);
}
