using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IoTAdmin.Engine.Configuration.Settings;

namespace IoTAdmin.Engine.Configuration;

/// <summary>What a setting provider read from a device and what it would do about it.</summary>
public sealed class SettingObservation
{
    public SettingObservation(string desired, string actual, bool inDesiredState)
    {
        Desired = desired;
        Actual = actual;
        InDesiredState = inDesiredState;
    }

    public string Desired { get; }

    public string Actual { get; }

    public bool InDesiredState { get; }

    public List<PlannedOperation> Plan { get; } = new List<PlannedOperation>();

    /// <summary>Why part of the drift has no automatic remedy; null when the plan covers it all.</summary>
    public string? NotRemediable { get; set; }
}

/// <summary>One manageable setting: reads the actual state and plans the operations that fix drift.</summary>
public interface IConfigurationSetting
{
    string Name { get; }

    bool IsManaged(DesiredConfiguration desired);

    Task<SettingObservation> ObserveAsync(SettingContext context, CancellationToken cancellationToken);
}

/// <summary>
/// Test and Set for one device. Test reads every managed setting and plans the fix of each drift;
/// the caller approves operations (ShouldProcess, so -WhatIf lists them and runs nothing); Set runs
/// only the approved operations, through the engines that own them, then re-tests the device so
/// every result reports the state read back, not the state hoped for.
/// </summary>
public sealed class ConfigurationEngine
{
    public ConfigurationEngine()
        : this(DefaultSettings())
    {
    }

    public ConfigurationEngine(IReadOnlyList<IConfigurationSetting> settings)
    {
        Settings = settings;
    }

    public IReadOnlyList<IConfigurationSetting> Settings { get; }

    /// <summary>Names of every setting the engine manages, in the order they are tested and set.</summary>
    public static IReadOnlyList<string> SettingNames => DefaultSettings().Select(s => s.Name).ToList();

    public static IReadOnlyList<IConfigurationSetting> DefaultSettings() => new IConfigurationSetting[]
    {
        new ServicesOffSetting(),
        new SnmpAgentSetting(),
        new NtpSetting(),
        new SyslogSetting(),
        new SshKeyOnlySetting(),
        new AccountsSetting(),
        new AllowedPortsSetting(),
        new BaselineSetting(),
    };

    /// <summary>Reads every managed setting; a setting that cannot be read is an Error result, the rest go on.</summary>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<IReadOnlyList<ConfigurationResult>> TestAsync(
        SettingContext context, CancellationToken cancellationToken)
    {
        var results = new List<ConfigurationResult>();
        foreach (var setting in Selected(context))
        {
            results.Add(await TestOneAsync(setting, context, cancellationToken).ConfigureAwait(false));
        }

        return results;
    }

    /// <summary>
    /// Runs the approved operations of <paramref name="tested"/> in plan order (password changes
    /// last), then re-tests the device. Settings whose operations were not approved keep their
    /// test result; the others become Changed or Failed by what the re-test reads back.
    /// </summary>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<IReadOnlyList<ConfigurationResult>> ApplyAsync(
        SettingContext context,
        IReadOnlyList<ConfigurationResult> tested,
        IReadOnlyCollection<PlannedOperation> approved,
        CancellationToken cancellationToken)
    {
        var failures = new Dictionary<string, string>(StringComparer.Ordinal);
        var ordered = tested.SelectMany(r => r.Operations).Where(approved.Contains)
            .OrderBy(o => o.RunsLast).ToList();
        foreach (var operation in ordered)
        {
            // After a failed step the setting's later steps would build on a broken state: skip them.
            if (failures.TryGetValue(operation.Setting, out var earlier) && earlier.Length > 0)
            {
                continue;
            }

            var error = await RunOperationAsync(operation, context, cancellationToken).ConfigureAwait(false);
            failures[operation.Setting] = error ?? string.Empty;
        }

        context.ForgetScan();
        var retested = await TestAsync(context, cancellationToken).ConfigureAwait(false);
        return retested.Select(after => Judge(after, tested, failures)).ToList();
    }

    private static ConfigurationResult Judge(
        ConfigurationResult after, IReadOnlyList<ConfigurationResult> before, IReadOnlyDictionary<string, string> ran)
    {
        var earlier = before.FirstOrDefault(b => b.Setting == after.Setting);
        if (!ran.TryGetValue(after.Setting, out var error))
        {
            return after;
        }

        after.Operations = earlier?.Operations ?? after.Operations;
        if (error.Length == 0 && after.Status == ConfigurationStatus.InDesiredState)
        {
            after.Status = ConfigurationStatus.Changed;
            return after;
        }

        after.Message = error.Length > 0 ? error
            : after.Status == ConfigurationStatus.Error ? "The change ran but could not be read back: " + after.Message
            : "The change ran but the device still drifts: " + after.Actual;
        after.Status = ConfigurationStatus.Failed;
        return after;
    }

    private static async Task<string?> RunOperationAsync(
        PlannedOperation operation, SettingContext context, CancellationToken cancellationToken)
    {
        context.Log.Verbose($"{context.Target}: {operation.Description}.");
        try
        {
            await operation.Apply(context, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            // The device may be half-changed: the re-test that follows reports what it really is.
            context.Log.Warning($"{context.Target}: {operation.Description} failed: {ex.Message}");
            context.Reconnect();
            return $"{operation.Description} failed: {ex.Message}";
        }
    }

    private IEnumerable<IConfigurationSetting> Selected(SettingContext context)
    {
        var wanted = context.Options.Settings;
        return Settings.Where(s => s.IsManaged(context.Desired))
            .Where(s => wanted.Count == 0 || wanted.Contains(s.Name, StringComparer.OrdinalIgnoreCase));
    }

    private static async Task<ConfigurationResult> TestOneAsync(
        IConfigurationSetting setting, SettingContext context, CancellationToken cancellationToken)
    {
        var result = new ConfigurationResult(context.Target.Address, context.Target.Name, setting.Name);
        try
        {
            var seen = await setting.ObserveAsync(context, cancellationToken).ConfigureAwait(false);
            result.Desired = seen.Desired;
            result.Actual = seen.Actual;
            result.Operations = seen.InDesiredState ? Array.Empty<PlannedOperation>() : seen.Plan;
            result.Status = seen.InDesiredState ? ConfigurationStatus.InDesiredState
                : seen.Plan.Count > 0 ? ConfigurationStatus.Drift : ConfigurationStatus.NotRemediable;
            result.Message = seen.InDesiredState ? null : seen.NotRemediable;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            context.Log.Verbose($"{context.Target}: reading {setting.Name} failed: {ex.Message}");
            result.Status = ConfigurationStatus.Error;
            result.Message = ex.Message;
            context.Reconnect();
        }

        return result;
    }
}
