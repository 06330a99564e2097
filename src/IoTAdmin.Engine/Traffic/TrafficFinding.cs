using System;
using System.Net;

namespace IoTAdmin.Engine.Traffic;

/// <summary>
/// Flows from one device to one destination, port and protocol, judged against the device's policy. Flows
/// with the same four are counted into one finding; the evidence is the first record seen.
/// </summary>
public sealed class TrafficFinding
{
    public TrafficFinding(PolicyDevice device, FlowRecord first, bool allowed, string reason)
    {
        Device = first.Source.ToString();
        DeviceName = device.Name;
        Profile = device.Profile;
        Destination = first.Destination.ToString();
        DestinationPort = first.DestinationPort;
        Protocol = first.Protocol;
        Allowed = allowed;
        Reason = reason;
        Evidence = first.Evidence;
        Origin = first.Origin;
    }

    public string Device { get; }

    public string DeviceName { get; }

    public string Profile { get; }

    public string Destination { get; }

    public int DestinationPort { get; }

    public string Protocol { get; }

    /// <summary>Gets Forbidden (to a destination the policy does not allow) or Allowed.</summary>
    public string Verdict => Allowed ? "Allowed" : "Forbidden";

    public bool Allowed { get; }

    /// <summary>Gets the SYS.4.4 measures the finding bears on.</summary>
    public string Measures => "M12, M17";

    /// <summary>Gets why: the rule that allowed the flow, or the rules that did not.</summary>
    public string Reason { get; }

    public long Count { get; private set; }

    public long? Bytes { get; private set; }

    public long? Packets { get; private set; }

    public DateTimeOffset? FirstSeen { get; private set; }

    public DateTimeOffset? LastSeen { get; private set; }

    /// <summary>Gets the first record of these flows as read.</summary>
    public string Evidence { get; }

    /// <summary>Gets where that record was: file and line, or file, packet, set and record.</summary>
    public string Origin { get; }

    internal void Add(FlowRecord flow)
    {
        Count++;
        if (flow.Bytes is { } bytes)
        {
            Bytes = (Bytes ?? 0) + bytes;
        }

        if (flow.Packets is { } packets)
        {
            Packets = (Packets ?? 0) + packets;
        }

        if (flow.Time is { } time)
        {
            FirstSeen = FirstSeen is null || time < FirstSeen ? time : FirstSeen;
            LastSeen = LastSeen is null || time > LastSeen ? time : LastSeen;
        }
    }

    internal static (IPAddress, IPAddress, int, string) Key(FlowRecord flow) =>
        (flow.Source, flow.Destination, flow.DestinationPort, flow.Protocol);

    public override string ToString() =>
        $"{Verdict}: {Device} -> {Destination}:{DestinationPort}/{Protocol} x{Count}";
}
