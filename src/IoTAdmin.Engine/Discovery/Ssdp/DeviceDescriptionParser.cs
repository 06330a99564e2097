using System;
using System.IO;
using System.Xml;

namespace IoTAdmin.Engine.Discovery.Ssdp;

/// <summary>
/// Reads UPnP device descriptions safely (BR-24, BR-25). The DTD is ignored, so a harmless DOCTYPE
/// still parses while entities it declares are never expanded or fetched: no resolver is set and
/// entity expansion is capped. Elements are matched by local name, so devices with a wrong or
/// missing namespace (Belkin's urn:Belkin:device-1-0) are read too.
/// </summary>
public static class DeviceDescriptionParser
{
    private const int RootDepth = 0;
    private const int RootDeviceDepth = 1;
    private const int RootDeviceFieldDepth = 2;

    public static DeviceDescription Parse(byte[] body)
    {
        if (body is null || body.Length == 0 || IsBlank(body))
        {
            throw new DeviceDescriptionException("The device description is empty.");
        }

        try
        {
            using var stream = new MemoryStream(body, writable: false);
            using var reader = XmlReader.Create(stream, SafeSettings(body.Length));
            return Read(reader);
        }
        catch (XmlException ex)
        {
            throw new DeviceDescriptionException($"The device description is not well-formed XML: {ex.Message}", ex);
        }
    }

    internal static XmlReaderSettings SafeSettings(int maxCharacters) => new XmlReaderSettings
    {
        DtdProcessing = DtdProcessing.Ignore,
        XmlResolver = null,
        MaxCharactersFromEntities = 1024,
        MaxCharactersInDocument = Math.Max(1024, (long)maxCharacters * 2),
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        CloseInput = false,
    };

    private static DeviceDescription Read(XmlReader reader)
    {
        var description = new DeviceDescription();
        var sawRootDevice = false;
        while (!reader.EOF)
        {
            if (reader.NodeType != XmlNodeType.Element)
            {
                reader.Read();
                continue;
            }

            sawRootDevice |= reader.Depth == RootDeviceDepth && reader.LocalName == "device";
            if (!TryReadField(reader, description))
            {
                reader.Read();
            }
        }

        Check(description, sawRootDevice);
        return description;
    }

    /// <summary>Reads the element if it is a field we keep; returns false to let the caller move on.</summary>
    private static bool TryReadField(XmlReader reader, DeviceDescription description)
    {
        var name = reader.LocalName;
        var depth = reader.Depth;
        if (name == "serviceType" || name == "deviceType")
        {
            var value = reader.ReadElementContentAsString().Trim();
            AddType(description, name, value, depth);
            return true;
        }

        if (depth == 1 && name == "URLBase")
        {
            description.UrlBase = reader.ReadElementContentAsString().Trim();
            return true;
        }

        return depth == RootDeviceFieldDepth && reader.IsStartElement() && TryReadRootDeviceField(reader, description);
    }

    private static void AddType(DeviceDescription description, string name, string value, int depth)
    {
        if (value.Length == 0)
        {
            return;
        }

        if (name == "serviceType" && !description.ServiceTypes.Contains(value))
        {
            description.ServiceTypes.Add(value);
        }

        if (name == "deviceType")
        {
            description.DeviceTypes.Add(value);
            if (depth == RootDeviceFieldDepth)
            {
                description.DeviceType ??= value;
            }
        }
    }

    private static bool TryReadRootDeviceField(XmlReader reader, DeviceDescription description)
    {
        switch (reader.LocalName)
        {
            case "friendlyName":
                description.FriendlyName = ReadText(reader);
                return true;
            case "manufacturer":
                description.Manufacturer = ReadText(reader);
                return true;
            case "modelName":
                description.ModelName = ReadText(reader);
                return true;
            case "modelNumber":
                description.ModelNumber = ReadText(reader);
                return true;
            case "modelDescription":
                description.ModelDescription = ReadText(reader);
                return true;
            case "serialNumber":
                description.SerialNumber = ReadText(reader);
                return true;
            case "UDN":
                description.Udn = ReadText(reader);
                return true;
            case "firmwareVersion":
                description.FirmwareVersion = ReadText(reader);
                return true;
            case "presentationURL":
                description.PresentationUrl = ReadText(reader);
                return true;
            default:
                return false;
        }
    }

    private static string? ReadText(XmlReader reader)
    {
        var text = reader.ReadElementContentAsString().Trim();
        return text.Length == 0 ? null : text;
    }

    private static void Check(DeviceDescription description, bool sawRootDevice)
    {
        if (!sawRootDevice)
        {
            throw new DeviceDescriptionException("The description has no <device> element under its root.");
        }

        if (description.UrlBase is not null && !IsHttpUrl(description.UrlBase))
        {
            description.Problems.Add($"URLBase '{description.UrlBase}' is not a valid http URL; kept as text.");
        }
    }

    private static bool IsHttpUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && uri.Host.Length > 0;

    private static bool IsBlank(byte[] body)
    {
        foreach (var b in body)
        {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n')
            {
                return false;
            }
        }

        return true;
    }
}
