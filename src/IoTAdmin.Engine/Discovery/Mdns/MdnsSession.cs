using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using IoTAdmin.Engine.Diagnostics;

namespace IoTAdmin.Engine.Discovery.Mdns;

/// <summary>
/// The state of one mDNS run: the socket, records seen, names already asked for and malformed
/// datagram counts per sender. It asks follow-up questions for whatever an answer leaves open.
/// </summary>
internal sealed class MdnsSession
{
    private const int MaxQuestionsPerQuery = 16;
    private const int MaxQuestions = 512;

    private readonly IPEndPoint _group;
    private readonly IActivityLog _log;
    private readonly HashSet<string> _asked = new HashSet<string>(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _malformed = new Dictionary<string, int>(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _firstProblem = new Dictionary<string, string>(StringComparer.Ordinal);
    private ushort _nextId = (ushort)new Random().Next(1, ushort.MaxValue);

    public MdnsSession(UdpClient client, IPEndPoint group, IActivityLog log)
    {
        Client = client;
        Receiver = new UdpReceiver(client);
        _group = group;
        _log = log;
    }

    public UdpClient Client { get; }

    public UdpReceiver Receiver { get; }

    public MdnsRecordSet Records { get; } = new MdnsRecordSet();

    public async Task AskAsync(IEnumerable<DnsQuestion> questions, bool repeat = false)
    {
        var fresh = questions.Where(q => repeat || _asked.Add(q.Name.Key + "/" + q.Type)).ToList();
        if (_asked.Count > MaxQuestions)
        {
            return;
        }

        foreach (var batch in Batches(fresh))
        {
            var query = DnsMessageWriter.Query(_nextId++, batch);
            try
            {
                await Client.SendAsync(query, query.Length, _group).ConfigureAwait(false);
            }
            catch (SocketException ex)
            {
                _log.Warning($"mDNS: sending a query to {_group} failed: {ex.Message}");
            }
        }
    }

    public async Task HandleAsync(UdpReceiveResult datagram)
    {
        var sender = datagram.RemoteEndPoint.Address;
        DnsMessage message;
        try
        {
            message = DnsMessageParser.Parse(datagram.Buffer);
        }
        catch (DnsFormatException ex)
        {
            CountMalformed(sender, ex.Message);
            return;
        }

        foreach (var warning in message.Warnings)
        {
            CountMalformed(sender, warning);
        }

        if (!message.IsResponse)
        {
            return;
        }

        var added = message.Records.Where(r => Records.Add(r, sender)).ToList();
        await AskAsync(FollowUps(added)).ConfigureAwait(false);
    }

    public void LogMalformedCounts()
    {
        foreach (var pair in _malformed)
        {
            _log.Debug(
                $"mDNS: {pair.Value} malformed datagram(s) or record(s) from {pair.Key}; "
                + $"first: {_firstProblem[pair.Key]}");
        }
    }

    /// <summary>The questions an answer raises: instances of a type, SRV/TXT of an instance, A of a host.</summary>
    private IEnumerable<DnsQuestion> FollowUps(IEnumerable<DnsRecord> added)
    {
        foreach (var record in added)
        {
            if (record.Type == DnsRecordType.Ptr && record.Name.Key == MdnsRecordSet.ServicesName)
            {
                yield return new DnsQuestion(record.Target!, DnsRecordType.Ptr);
            }
            else if (record.Type == DnsRecordType.Ptr && !HasRecord(record.Target!, DnsRecordType.Srv))
            {
                yield return new DnsQuestion(record.Target!, DnsRecordType.Srv);
                yield return new DnsQuestion(record.Target!, DnsRecordType.Txt);
            }
            else if (record.Type == DnsRecordType.Srv && !HasRecord(record.Target!, DnsRecordType.A))
            {
                yield return new DnsQuestion(record.Target!, DnsRecordType.A);
            }
        }
    }

    private bool HasRecord(DnsName name, ushort type) => Records.Find(name, type).Any();

    private void CountMalformed(IPAddress sender, string problem)
    {
        var key = sender.ToString();
        _malformed.TryGetValue(key, out var count);
        _malformed[key] = count + 1;
        if (count == 0)
        {
            _firstProblem[key] = problem;
        }
    }

    private static IEnumerable<List<DnsQuestion>> Batches(List<DnsQuestion> questions)
    {
        for (var start = 0; start < questions.Count; start += MaxQuestionsPerQuery)
        {
            yield return questions.Skip(start).Take(MaxQuestionsPerQuery).ToList();
        }
    }
}
