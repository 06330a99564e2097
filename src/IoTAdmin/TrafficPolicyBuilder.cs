using System;
using System.Collections;
using System.IO;
using System.Management.Automation;
using System.Text.Json;
using IoTAdmin.Engine.Traffic;

namespace IoTAdmin.Commands;

/// <summary>
/// Builds a <see cref="TrafficPolicy"/> from Test-IoTTraffic's parameters: devices (IoTDevice objects,
/// objects with Address/Profile/Name, addresses, CIDRs), rules for all, and a policy hashtable or JSON file
/// whose keys are profile names or device addresses and whose values are lists of allowed destinations.
/// </summary>
internal static class TrafficPolicyBuilder
{
    public static bool TryBuild(IoTCmdletBase cmdlet, object[] devices, string[] allow, object? policyInput,
        out TrafficPolicy policy)
    {
        policy = new TrafficPolicy();
        try
        {
            foreach (var device in devices)
            {
                policy.AddDevice(ToDevice(device));
            }

            foreach (var rule in allow)
            {
                policy.Everyone.Add(AllowRule.Parse(rule));
            }

            if (policyInput != null)
            {
                AddPolicy(policy, Table(cmdlet, policyInput));
            }

            return true;
        }
        catch (Exception ex) when (ex is FormatException || ex is JsonException || ex is IOException)
        {
            var error = new ArgumentException("The traffic policy cannot be used: " + ex.Message, ex);
            var record = new ErrorRecord(error, "InvalidTrafficPolicy", ErrorCategory.InvalidArgument, policyInput);
            cmdlet.WriteError(record);
            return false;
        }
    }

    private static PolicyDevice ToDevice(object input)
    {
        var value = PSObject.AsPSObject(input);
        if (value.BaseObject is string text)
        {
            return new PolicyDevice(IpNetwork.Parse(text), "General", string.Empty);
        }

        var address = Property(value, "Address") ?? Property(value, "IPAddress")
            ?? throw new FormatException($"the device '{input}' has no Address property");
        return new PolicyDevice(IpNetwork.Parse(address), Property(value, "Profile") ?? "General",
            Property(value, "Name") ?? string.Empty);
    }

    private static string? Property(PSObject value, string name) => value.Properties[name]?.Value?.ToString();

    private static IDictionary Table(PSCmdlet cmdlet, object input)
    {
        var value = PSObject.AsPSObject(input).BaseObject;
        if (value is IDictionary dictionary)
        {
            return dictionary;
        }

        var path = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(value.ToString());
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var table = new Hashtable(StringComparer.OrdinalIgnoreCase);
        foreach (var member in document.RootElement.EnumerateObject())
        {
            var rules = new ArrayList();
            foreach (var rule in member.Value.EnumerateArray())
            {
                rules.Add(rule.GetString());
            }

            table[member.Name] = rules;
        }

        return table;
    }

    private static void AddPolicy(TrafficPolicy policy, IDictionary table)
    {
        foreach (DictionaryEntry entry in table)
        {
            var key = entry.Key.ToString()!;
            var values = PSObject.AsPSObject(entry.Value).BaseObject is IEnumerable list and not string
                ? list
                : new[] { entry.Value };
            foreach (var item in values)
            {
                var rule = AllowRule.Parse(PSObject.AsPSObject(item).BaseObject.ToString()!);
                if (System.Net.IPAddress.TryParse(key, out var device))
                {
                    policy.AllowForDevice(device, rule);
                }
                else
                {
                    policy.AllowForProfile(key, rule);
                }
            }
        }
    }
}
