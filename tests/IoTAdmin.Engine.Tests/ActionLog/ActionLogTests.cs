using System.Security;
using IoTAdmin.Engine.ActionLog;

namespace IoTAdmin.Engine.Tests.ActionLog;

/// <summary>Writes real logs in a temp folder and tampers with them in every way the verifier must catch.</summary>
public sealed class ActionLogTests : IDisposable
{
    private readonly string _folder =
        Path.Combine(Path.GetTempPath(), "iotadmin-actionlog-" + Guid.NewGuid().ToString("N"));
    private readonly ActionLogOptions _options;

    public ActionLogTests()
    {
        _options = new ActionLogOptions(
            Path.Combine(_folder, "logs", "actions.jsonl"),
            Path.Combine(_folder, "keys", "action.key"));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void AnUntouchedLogIsIntact()
    {
        WriteEntries(5);

        var result = Verify();

        Assert.True(result.IsIntact, string.Join("; ", result.Problems));
        Assert.Equal(5, result.EntryCount);
        Assert.Equal(5, result.LastSequence);
    }

    [Fact]
    public void KeyAndAnchorLiveApartFromTheLogAndTheKeyIsOwnerOnly()
    {
        WriteEntries(1);

        Assert.NotEqual(Path.GetDirectoryName(_options.LogPath), Path.GetDirectoryName(_options.KeyPath));
        Assert.Equal(Path.GetDirectoryName(_options.KeyPath), Path.GetDirectoryName(_options.AnchorPath));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_options.KeyPath));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute,
            File.GetUnixFileMode(Path.GetDirectoryName(_options.KeyPath)!));
    }

    [Fact]
    public void AKeyOthersCanReadIsRefused()
    {
        WriteEntries(1);
        File.SetUnixFileMode(_options.KeyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        var error = Assert.Throws<ActionLogException>(() => Verify());

        Assert.Contains("chmod 600", error.Message);
    }

    [Fact]
    public void SecretsNeverReachTheFile()
    {
        var record = new ActionRecord("Set-IoTPassword", "10.47.0.11", "Success");
        record.Parameters["NewPassword"] = "hunter2-plain";
        record.Parameters["Community"] = "private-community";
        record.Parameters["Value"] = new SecureString();
        record.Parameters["Oid"] = "sysLocation.0";
        new ActionLogWriter(_options).Append(record);

        var text = File.ReadAllText(_options.LogPath);

        Assert.DoesNotContain("hunter2-plain", text);
        Assert.DoesNotContain("private-community", text);
        Assert.Contains("\"Oid\":\"sysLocation.0\"", text);
        Assert.Contains(SecretScrubber.Mask, text);
    }

    [Fact]
    public void SwitchesAndKeyFilePathsAreShownAsTheyAre()
    {
        var record = new ActionRecord("Add-IoTSshKey", "10.47.0.13", "Success");
        record.Parameters["DisablePasswordLogin"] = true;
        record.Parameters["KeyFile"] = "/home/admin/.ssh/id_ed25519.pub";
        record.Parameters["Password"] = "not-a-switch";
        new ActionLogWriter(_options).Append(record);

        var text = File.ReadAllText(_options.LogPath);

        Assert.Contains("\"DisablePasswordLogin\":\"True\"", text);
        Assert.Contains("/home/admin/.ssh/id_ed25519.pub", text);
        Assert.DoesNotContain("not-a-switch", text);
    }

    [Fact]
    public void AnEditedEntryIsNamed()
    {
        WriteEntries(4);
        var lines = Lines();
        lines[1] = lines[1].Replace("\"outcome\":\"Success\"", "\"outcome\":\"Failed\"");
        File.WriteAllLines(_options.LogPath, lines);

        var problem = Assert.Single(Verify().Problems);

        Assert.Equal(ActionLogProblemKind.Edited, problem.Kind);
        Assert.Equal(2, problem.Line);
        Assert.Equal(2, problem.Sequence);
    }

    [Fact]
    public void AnEntryDeletedFromTheMiddleIsNamed()
    {
        WriteEntries(5);
        var lines = Lines().ToList();
        lines.RemoveAt(2);
        File.WriteAllLines(_options.LogPath, lines);

        var problem = Assert.Single(Verify().Problems);

        Assert.Equal(ActionLogProblemKind.Deleted, problem.Kind);
        Assert.Equal(4, problem.Sequence);
        Assert.Contains("entries 3 to 3", problem.Message);
    }

    [Fact]
    public void TheFirstEntryDeletedIsNamed()
    {
        WriteEntries(3);
        File.WriteAllLines(_options.LogPath, Lines().Skip(1));

        Assert.Equal(ActionLogProblemKind.Deleted, Assert.Single(Verify().Problems).Kind);
    }

    [Fact]
    public void ATruncatedTailIsCaughtThroughTheAnchor()
    {
        WriteEntries(5);
        File.WriteAllLines(_options.LogPath, Lines().Take(3));

        var result = Verify();

        var problem = Assert.Single(result.Problems);
        Assert.False(result.IsIntact);
        Assert.Equal(ActionLogProblemKind.Truncated, problem.Kind);
        Assert.Contains("entries 4 to 5", problem.Message);
    }

    [Fact]
    public void AnEmptiedLogIsCaughtThroughTheAnchor()
    {
        WriteEntries(2);
        File.WriteAllText(_options.LogPath, string.Empty);

        Assert.Equal(ActionLogProblemKind.Truncated, Assert.Single(Verify().Problems).Kind);
    }

    [Fact]
    public void SwappedEntriesAreReordered()
    {
        WriteEntries(5);
        var lines = Lines();
        (lines[1], lines[2]) = (lines[2], lines[1]);
        File.WriteAllLines(_options.LogPath, lines);

        var problems = Verify().Problems;

        Assert.NotEmpty(problems);
        Assert.All(problems, p => Assert.Equal(ActionLogProblemKind.Reordered, p.Kind));
        Assert.Equal(2, problems[0].Line);
    }

    [Fact]
    public void AReplayedCopyIsInserted()
    {
        WriteEntries(4);
        var lines = Lines().ToList();
        lines.Insert(3, lines[0]);
        File.WriteAllLines(_options.LogPath, lines);

        var problem = Assert.Single(Verify().Problems);

        Assert.Equal(ActionLogProblemKind.Inserted, problem.Kind);
        Assert.Equal(4, problem.Line);
    }

    [Fact]
    public void AForgedEntryWithoutTheKeyIsCaught()
    {
        WriteEntries(2);
        var lines = Lines().ToList();
        var forged = lines[1].Replace("\"seq\":2", "\"seq\":3").Replace("Set-IoTSnmpValue", "Approve-Waiver");
        lines.Add(forged);
        File.WriteAllLines(_options.LogPath, lines);

        var problems = Verify().Problems;

        Assert.Contains(problems, p => p.Kind == ActionLogProblemKind.Edited && p.Line == 3);
    }

    [Fact]
    public void AnEntryFromAnotherLogWithTheSameKeyBreaksTheChain()
    {
        WriteEntries(3);
        var otherOptions = new ActionLogOptions(Path.Combine(_folder, "other.jsonl"), _options.KeyPath,
            Path.Combine(_folder, "keys", "other.head"));
        for (var i = 0; i < 3; i++)
        {
            new ActionLogWriter(otherOptions).Append(new ActionRecord("Other", "10.0.0.1", "Success"));
        }

        var lines = Lines();
        lines[1] = File.ReadAllLines(otherOptions.LogPath)[1];
        File.WriteAllLines(_options.LogPath, lines);

        var problem = Assert.Single(Verify().Problems);
        Assert.Equal(ActionLogProblemKind.ChainBroken, problem.Kind);
        Assert.Equal(2, problem.Line);
    }

    [Fact]
    public void GarbageLinesAreMalformed()
    {
        WriteEntries(2);
        File.AppendAllText(_options.LogPath, "{\"seq\":3,\"time\":\"2026-01-01T00:00\n");

        Assert.Contains(Verify().Problems, p => p.Kind == ActionLogProblemKind.Malformed && p.Line == 3);
    }

    [Fact]
    public void AnEditedAnchorIsInvalid()
    {
        WriteEntries(2);
        File.WriteAllText(_options.AnchorPath, File.ReadAllText(_options.AnchorPath).Replace("\"seq\":2", "\"seq\":1"));

        Assert.Equal(ActionLogProblemKind.AnchorInvalid, Assert.Single(Verify().Problems).Kind);
    }

    [Fact]
    public void AMissingAnchorIsInvalid()
    {
        WriteEntries(2);
        File.Delete(_options.AnchorPath);

        Assert.Equal(ActionLogProblemKind.AnchorInvalid, Assert.Single(Verify().Problems).Kind);
    }

    [Fact]
    public void TheWriterRefusesToChainOntoATruncatedLog()
    {
        WriteEntries(3);
        File.WriteAllLines(_options.LogPath, Lines().Take(2));

        var error = Assert.Throws<ActionLogException>(() => WriteEntries(1));

        Assert.Contains("anchor records entry 3", error.Message);
        Assert.Equal(ActionLogProblemKind.Truncated, Assert.Single(Verify().Problems).Kind);
    }

    [Fact]
    public void ConcurrentWritersKeepOneUnbrokenChain()
    {
        const int Writers = 6;
        const int PerWriter = 25;
        Parallel.For(0, Writers, new ParallelOptions { MaxDegreeOfParallelism = Writers }, writer =>
        {
            // A writer per thread with its own file handles contends for the lock like separate processes do.
            var own = new ActionLogOptions(_options.LogPath, _options.KeyPath, _options.AnchorPath);
            var log = new ActionLogWriter(own);
            for (var i = 0; i < PerWriter; i++)
            {
                log.Append(new ActionRecord("Concurrent", $"writer{writer}", "Success"));
            }
        });

        var result = Verify();

        Assert.True(result.IsIntact, string.Join("; ", result.Problems));
        Assert.Equal(Writers * PerWriter, result.EntryCount);
    }

    [Fact]
    public void TheReaderFiltersByDeviceActionAndTime()
    {
        WriteEntries(3);
        new ActionLogWriter(_options).Append(new ActionRecord("Disable-IoTService", "10.47.0.13", "Success"));

        var filter = new ActionLogFilter
        {
            Device = d => d == "10.47.0.13",
            After = DateTimeOffset.UtcNow.AddMinutes(-5),
        };
        var found = ActionLogReader.Read(_options.LogPath, filter).ToList();

        var entry = Assert.Single(found);
        Assert.Equal("Disable-IoTService", entry.Action);
        var yesterday = new ActionLogFilter { Before = DateTimeOffset.UtcNow.AddDays(-1) };
        Assert.Empty(ActionLogReader.Read(_options.LogPath, yesterday));
    }

    private void WriteEntries(int count)
    {
        var writer = new ActionLogWriter(_options);
        for (var i = 0; i < count; i++)
        {
            var record = new ActionRecord("Set-IoTSnmpValue", $"10.47.0.{10 + i}", "Success");
            record.Parameters["Oid"] = "sysLocation.0";
            record.Parameters["Value"] = $"room {i}";
            writer.Append(record);
        }
    }

    private string[] Lines() => File.ReadAllLines(_options.LogPath);

    private ActionLogVerification Verify() => new ActionLogVerifier(_options).Verify();
}
