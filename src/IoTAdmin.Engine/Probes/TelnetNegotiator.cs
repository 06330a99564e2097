using System.Collections.Generic;

namespace IoTAdmin.Engine.Probes;

/// <summary>
/// Separates Telnet commands from data and answers option negotiation in the spirit of RFC 1143:
/// a request for a state already in effect is never acknowledged, every reply names the option it
/// answers, unknown options are refused once, and the number of replies is capped so a server that
/// repeats itself (BR-28) cannot keep the client negotiating forever.
/// </summary>
internal sealed class TelnetNegotiator
{
    public const byte Iac = 255;
    public const byte Dont = 254;
    public const byte Do = 253;
    public const byte Wont = 252;
    public const byte Will = 251;
    public const byte SubnegotiationBegin = 250;
    public const byte SubnegotiationEnd = 240;
    public const byte OptionEcho = 1;
    public const byte OptionSuppressGoAhead = 3;

    /// <summary>Most replies for one option; a server that flips an option back and forth gets no more.</summary>
    public const int MaxRepliesPerOption = 4;

    /// <summary>Most replies in one session.</summary>
    public const int MaxReplies = 40;

    private readonly bool[] _remoteEnabled = new bool[256];
    private readonly bool[] _remoteRefused = new bool[256];
    private readonly bool[] _localRefused = new bool[256];
    private readonly int[] _repliesPerOption = new int[256];
    private ParserState _state = ParserState.Data;
    private byte _verb;

    private enum ParserState
    {
        Data,
        Command,
        Option,
        Subnegotiation,
        SubnegotiationIac,
    }

    /// <summary>Replies sent so far in this session.</summary>
    public int RepliesSent { get; private set; }

    /// <summary>Whether the server has agreed to echo (so it will not echo a typed password).</summary>
    public bool RemoteEcho => _remoteEnabled[OptionEcho];

    /// <summary>Feeds received bytes; data goes to <paramref name="data"/>, answers to <paramref name="replies"/>.
    /// </summary>
    public void Process(byte[] buffer, int count, List<byte> data, List<byte> replies)
    {
        for (var index = 0; index < count; index++)
        {
            Step(buffer[index], data, replies);
        }
    }

    private void Step(byte value, List<byte> data, List<byte> replies)
    {
        switch (_state)
        {
            case ParserState.Data:
                if (value == Iac)
                {
                    _state = ParserState.Command;
                }
                else
                {
                    data.Add(value);
                }

                break;
            case ParserState.Command:
                OnCommand(value, data);
                break;
            case ParserState.Option:
                _state = ParserState.Data;
                OnOption(_verb, value, replies);
                break;
            case ParserState.Subnegotiation:
                _state = value == Iac ? ParserState.SubnegotiationIac : ParserState.Subnegotiation;
                break;
            case ParserState.SubnegotiationIac:
                _state = value == SubnegotiationEnd ? ParserState.Data : ParserState.Subnegotiation;
                break;
        }
    }

    private void OnCommand(byte value, List<byte> data)
    {
        if (value == Iac)
        {
            data.Add(Iac);
            _state = ParserState.Data;
        }
        else if (value >= Will)
        {
            _verb = value;
            _state = ParserState.Option;
        }
        else if (value == SubnegotiationBegin)
        {
            // We never enable an option that needs subnegotiation, so its content is skipped.
            _state = ParserState.Subnegotiation;
        }
        else
        {
            // NOP, GA, data mark and the like carry nothing a login needs.
            _state = ParserState.Data;
        }
    }

    private void OnOption(byte verb, byte option, List<byte> replies)
    {
        switch (verb)
        {
            case Will:
                OnWill(option, replies);
                break;
            case Wont:
                if (_remoteEnabled[option])
                {
                    _remoteEnabled[option] = false;
                    Reply(Dont, option, replies);
                }

                break;
            case Do:
                // We enable nothing on our side; refuse once, repeated requests change no state.
                if (!_localRefused[option])
                {
                    _localRefused[option] = true;
                    Reply(Wont, option, replies);
                }

                break;
            default:
                // DONT for an option we never enabled: already in effect, nothing to say.
                break;
        }
    }

    private void OnWill(byte option, List<byte> replies)
    {
        if (_remoteEnabled[option])
        {
            return;
        }

        if (option == OptionEcho || option == OptionSuppressGoAhead)
        {
            if (Reply(Do, option, replies))
            {
                _remoteEnabled[option] = true;
            }

            return;
        }

        if (!_remoteRefused[option])
        {
            _remoteRefused[option] = true;
            Reply(Dont, option, replies);
        }
    }

    private bool Reply(byte verb, byte option, List<byte> replies)
    {
        if (RepliesSent >= MaxReplies || _repliesPerOption[option] >= MaxRepliesPerOption)
        {
            return false;
        }

        _repliesPerOption[option]++;
        RepliesSent++;
        replies.Add(Iac);
        replies.Add(verb);
        replies.Add(option);
        return true;
    }
}
