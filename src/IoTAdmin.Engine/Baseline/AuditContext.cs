using IoTAdmin.Engine.Diagnostics;

namespace IoTAdmin.Engine.Baseline;

/// <summary>What a rule may use while it checks a device: the run's options and its log.</summary>
public sealed class AuditContext
{
    public AuditContext(AuditOptions options, IActivityLog log)
    {
        Options = options;
        Log = log;
    }

    public AuditOptions Options { get; }

    public IActivityLog Log { get; }
}
