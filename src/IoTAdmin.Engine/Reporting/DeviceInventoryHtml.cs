using System;
using System.IO;
using System.Linq;
using IoTAdmin.Engine.Inventory;

namespace IoTAdmin.Engine.Reporting;

/// <summary>Writes the inventory block of one device: its facts, services and what each protocol said.</summary>
internal static class DeviceInventoryHtml
{
    public static void Write(TextWriter w, IoTDevice device, string anchor)
    {
        w.Write($"<section class=\"device\" id=\"{anchor}\">\n<h3>{E(device.Address)}");
        w.Write(device.Name is null ? "</h3>\n" : $" &ndash; {E(device.Name)}</h3>\n");

        w.Write("<dl class=\"facts\">\n");
        WriteFact(w, "Address", device.Address);
        WriteFact(w, "Name", device.Name);
        WriteFact(w, "Vendor", device.Vendor);
        WriteFact(w, "Model", device.Model);
        WriteFact(w, "Firmware", device.FirmwareVersion);
        WriteFact(w, "Profile", device.Profile.ToString());
        WriteFact(w, "Discovered by", string.Join(", ", device.DiscoveredBy));
        WriteFact(w, "Description", device.Description);
        w.Write("</dl>\n");

        WriteServices(w, device);
        WriteObservations(w, device);
        w.Write("</section>\n");
    }

    private static string E(string? text) => HtmlText.Escape(text);

    private static void WriteFact(TextWriter w, string label, string? value) =>
        w.Write($"<dt>{label}</dt><dd>{(string.IsNullOrEmpty(value) ? "&ndash;" : E(value))}</dd>\n");

    private static void WriteServices(TextWriter w, IoTDevice device)
    {
        if (device.Services.Count == 0)
        {
            w.Write("<p class=\"empty\">No services seen.</p>\n");
            return;
        }

        w.Write("<table>\n<thead><tr><th>Service</th><th>Transport</th><th>Port</th><th>Seen by</th>");
        w.Write("<th>Detail</th></tr></thead>\n<tbody>\n");
        foreach (var service in JsonReportWriter.OrderedServices(device.Services))
        {
            w.Write($"<tr><td>{E(service.Name)}</td><td>{service.Transport}</td>");
            w.Write($"<td class=\"num\">{service.Port}</td>");
            w.Write($"<td>{service.Source}</td><td class=\"text\">{E(service.Detail)}</td></tr>\n");
        }

        w.Write("</tbody>\n</table>\n");
    }

    private static void WriteObservations(TextWriter w, IoTDevice device)
    {
        foreach (var observation in device.Observations.OrderBy(o => o.Protocol))
        {
            w.Write($"<details><summary>What {observation.Protocol} reported</summary>\n<dl class=\"facts\">\n");
            WriteFact(w, "Name", observation.Name);
            WriteFact(w, "Vendor", observation.Vendor);
            WriteFact(w, "Model", observation.Model);
            WriteFact(w, "Firmware", observation.FirmwareVersion);
            WriteFact(w, "Description", observation.Description);
            foreach (var pair in observation.Attributes.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                WriteFact(w, E(pair.Key), pair.Value);
            }

            if (observation.Error is not null)
            {
                WriteFact(w, "Problem", observation.Error);
            }

            w.Write("</dl>\n</details>\n");
        }
    }
}
