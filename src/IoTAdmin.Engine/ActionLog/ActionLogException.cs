using System;

namespace IoTAdmin.Engine.ActionLog;

/// <summary>The action log cannot be written or read: missing key, lock timeout, a tampered head.</summary>
public class ActionLogException : Exception
{
    public ActionLogException(string message)
        : base(message)
    {
    }

    public ActionLogException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
