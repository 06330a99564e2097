using System.Security.Cryptography;
using IoTAdmin.Engine.Inventory;
using IoTAdmin.Engine.Inventory.Store;
using Microsoft.Data.Sqlite;

namespace IoTAdmin.Engine.Tests.DeviceInventory;

public sealed class InventoryStoreTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "iotadmin-inv-" + Guid.NewGuid().ToString("N"));

    public InventoryStoreTests() => Directory.CreateDirectory(_folder);

    private string DbPath => Path.Combine(_folder, "inventory.db");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void FileOfTheFirstSchemaIsMigratedWithItsRowsKept()
    {
        using (var store = InventoryStore.Open(DbPath, "tester"))
        {
            store.Add(new[] { new DeviceUpdate("10.0.0.5") { Name = "kept" } });
        }

        // Turn the file back into what the first release wrote.
        Exec("DROP TABLE firewall_export; DELETE FROM schema_version WHERE version > 1");

        using (var store = InventoryStore.Open(DbPath, "tester"))
        {
            Assert.Equal(InventoryStore.LatestSchemaVersion, store.SchemaVersion);
            Assert.Equal("kept", store.FindActive("10.0.0.5")!.Name);
            Assert.Empty(store.FirewallExports());
        }
    }

    [Fact]
    public void NewFileGetsTheLatestSchemaInWalMode()
    {
        using (var store = InventoryStore.Open(DbPath, "tester"))
        {
            Assert.Equal(InventoryStore.LatestSchemaVersion, store.SchemaVersion);
        }

        Assert.Equal("wal", Scalar("PRAGMA journal_mode"));
        Assert.Equal(1L, Scalar("SELECT count(*) FROM schema_version WHERE version = 1"));
    }

    [Fact]
    public void AddingAKnownAddressMergesIntoOneEntry()
    {
        using var store = InventoryStore.Open(DbPath, "tester");
        var camera = new DeviceUpdate("10.47.0.11") { Name = "cam1", Profile = DeviceProfile.Camera };
        camera.Tags = Tags("a");
        store.Add(new[] { camera });
        store.Add(new[]
        {
            new DeviceUpdate("10.47.0.11") { Owner = "Facility", Profile = DeviceProfile.General, Tags = Tags("b") },
            new DeviceUpdate("10.47.0.11") { Name = "  ", Location = "Hall" },
        });

        var all = store.Find(new InventoryQuery { IncludeHistory = true });
        var device = Assert.Single(all);
        Assert.Equal("cam1", device.Name);
        Assert.Equal("Facility", device.Owner);
        Assert.Equal("Hall", device.Location);
        Assert.Equal(DeviceProfile.Camera, device.Profile);
        Assert.Equal("a;b", device.Tags.ToString());
        Assert.Equal(new[] { "Added", "Merged", "Merged" }, device.History!.Select(h => h.Action));
        Assert.All(device.History!, h => Assert.Equal("tester", h.Actor));
    }

    [Fact]
    public void FindFiltersByNameAddressTagProfileAndState()
    {
        using var store = InventoryStore.Open(DbPath, "tester");
        store.Add(new[]
        {
            new DeviceUpdate("10.0.0.1")
            {
                Name = "Cam-Entrance", Profile = DeviceProfile.Camera, Tags = Tags("cctv;north"),
            },
            new DeviceUpdate("10.0.0.2") { Name = "cam-yard", Profile = DeviceProfile.Camera, Tags = Tags("cctv") },
            new DeviceUpdate("10.0.1.3")
            {
                Name = "ahu*1", Profile = DeviceProfile.BuildingControl, Tags = Tags("north"),
            },
        });
        store.RecordApproval("10.0.0.2", "9 Pass", "ticket 1");

        Assert.Equal(new[] { "10.0.0.1", "10.0.0.2" }, Addresses(store, q => q.NamePatterns.Add("cam-*")));
        Assert.Equal(new[] { "10.0.1.3" }, Addresses(store, q => q.NamePatterns.Add("AHU`*?")));
        Assert.Equal(new[] { "10.0.0.1", "10.0.0.2" }, Addresses(store, q => q.AddressPatterns.Add("10.0.0.*")));
        Assert.Equal(new[] { "10.0.0.1", "10.0.1.3" }, Addresses(store, q => q.Tags.Add("NORTH")));
        Assert.Equal(new[] { "10.0.1.3" }, Addresses(store, q => q.Profiles.Add(DeviceProfile.BuildingControl)));
        Assert.Equal(new[] { "10.0.0.2" }, Addresses(store, q => q.States.Add(LifecycleState.Approved)));
        Assert.Equal(new[] { "10.0.0.1" }, Addresses(store, q =>
        {
            q.Tags.Add("cctv");
            q.States.Add(LifecycleState.Planned);
        }));
    }

    [Fact]
    public void SetChangesAndClearsFieldsAndRecordsWhatChanged()
    {
        using var store = InventoryStore.Open(DbPath, "tester");
        store.Add(new[] { new DeviceUpdate("10.0.0.1") { Owner = "A", Location = "L1", Tags = Tags("x;y") } });

        var update = new DeviceUpdate("10.0.0.1") { Owner = "B", Location = string.Empty, Tags = Tags("z") };
        var device = store.Set(update);

        Assert.Equal("B", device.Owner);
        Assert.Null(device.Location);
        Assert.Equal("z", device.Tags.ToString());
        Assert.Contains("Owner: 'A' -> 'B'", device.History!.Last().Detail);
        Assert.Throws<DeviceNotFoundException>(() => store.Set(new DeviceUpdate("10.9.9.9") { Owner = "C" }));
    }

    [Fact]
    public void LifecycleAllowsOnlyItsTransitions()
    {
        using var store = InventoryStore.Open(DbPath, "tester");
        store.Add(new[] { new DeviceUpdate("10.0.0.1") });

        Assert.Throws<LifecycleTransitionException>(() => store.ChangeState("10.0.0.1", LifecycleState.Productive));
        Assert.Throws<LifecycleTransitionException>(() => store.ChangeState("10.0.0.1", LifecycleState.Approved));
        var approved = store.RecordApproval("10.0.0.1", "9 Pass (9 rules)", "CHG-1");
        Assert.Equal(LifecycleState.Approved, approved.State);
        Assert.Equal("tester", approved.ApprovedBy);
        Assert.Equal("CHG-1", approved.ApprovalNote);
        Assert.Throws<LifecycleTransitionException>(() => store.RecordApproval("10.0.0.1", "x", "again"));
        Assert.Equal(LifecycleState.Productive, store.ChangeState("10.0.0.1", LifecycleState.Productive).State);
        var planned = store.ChangeState("10.0.0.1", LifecycleState.Planned);
        Assert.Null(planned.ApprovedBy);
        Assert.Contains(planned.History!, h => h.Action == "Approved");
    }

    [Fact]
    public void DecommissionedEntryStaysAsARecordAndFreesItsAddress()
    {
        using var store = InventoryStore.Open(DbPath, "tester");
        store.Add(new[] { new DeviceUpdate("10.0.0.1") { Name = "old", CredentialReference = "vault:old" } });

        var retired = store.MarkDecommissioned("10.0.0.1", "backup ok; wiped");
        store.Add(new[] { new DeviceUpdate("10.0.0.1") { Name = "new" } });

        Assert.Equal(LifecycleState.Decommissioned, retired.State);
        Assert.Null(retired.CredentialReference);
        var entries = store.Find(new InventoryQuery());
        Assert.Equal(new[] { "old", "new" }, entries.Select(e => e.Name));
        Assert.Equal("new", store.FindActive("10.0.0.1")!.Name);
        Assert.Throws<DeviceNotFoundException>(() => store.MarkDecommissioned("10.0.0.9", "x"));
    }

    [Fact]
    public void RemoveDeletesTheActiveEntryOnly()
    {
        using var store = InventoryStore.Open(DbPath, "tester");
        store.Add(new[] { new DeviceUpdate("10.0.0.1"), new DeviceUpdate("10.0.0.2") });

        Assert.True(store.Remove("10.0.0.1"));
        Assert.False(store.Remove("10.0.0.1"));
        Assert.Equal(new[] { "10.0.0.2" }, store.Find(new InventoryQuery()).Select(d => d.Address));
        Assert.Equal(0L, Scalar("SELECT count(*) FROM device_history h LEFT JOIN device d ON d.id = h.device_id "
            + "WHERE d.id IS NULL"));
    }

    [Fact]
    public void NewerSchemaIsRefusedAndTheFileLeftAlone()
    {
        InventoryStore.Open(DbPath, "tester").Dispose();
        Exec("INSERT INTO schema_version (version, applied_at, applied_by) VALUES (99, 'x', 'future')");
        var before = Hash(DbPath);

        var ex = Assert.Throws<InventorySchemaException>(() => InventoryStore.Open(DbPath, "tester"));

        Assert.Contains("schema version 99", ex.Message);
        Assert.Contains("newer IoTAdmin", ex.Message);
        Assert.Equal(before, Hash(DbPath));
    }

    [Fact]
    public void ReadOnlyOpenOfAMissingFileIsEmptyAndCreatesNothing()
    {
        var path = Path.Combine(_folder, "absent", "inventory.db");

        using (var store = InventoryStore.OpenReadOnly(path, "tester"))
        {
            Assert.True(store.IsReadOnly);
            Assert.Equal(path, store.Path);
            Assert.Null(store.FindActive("10.47.0.50"));
        }

        Assert.False(Directory.Exists(Path.GetDirectoryName(path)));
    }

    [Fact]
    public void ReadOnlyOpenReadsAnExistingFileAndLeavesNoTrace()
    {
        using (var store = InventoryStore.Open(DbPath, "tester"))
        {
            store.Add(new[] { new DeviceUpdate("10.47.0.11") { Name = "cam1" } });
        }

        var before = Hash(DbPath);
        var filesBefore = Directory.GetFiles(_folder);

        using (var store = InventoryStore.OpenReadOnly(DbPath, "tester"))
        {
            Assert.Equal("cam1", store.FindActive("10.47.0.11")!.Name);
            Assert.ThrowsAny<SqliteException>(() => store.Remove("10.47.0.11"));
        }

        Assert.Equal(before, Hash(DbPath));
        Assert.Equal(filesBefore, Directory.GetFiles(_folder));
    }

    [Fact]
    public void ReadOnlyOpenOfAnUnmigratedFileDoesNotMigrateIt()
    {
        Exec("PRAGMA user_version = 0");
        var before = Hash(DbPath);

        using (var store = InventoryStore.OpenReadOnly(DbPath, "tester"))
        {
            Assert.Equal(InventoryStore.LatestSchemaVersion, store.SchemaVersion);
            Assert.Empty(store.Find(new InventoryQuery()));
        }

        Assert.Equal(before, Hash(DbPath));
        Assert.Equal(0L, Scalar("SELECT count(*) FROM sqlite_master"));
    }

    [Fact]
    public void CorruptFileIsRefusedAndLeftAlone()
    {
        var garbage = new byte[8192];
        new Random(6).NextBytes(garbage);
        File.WriteAllBytes(DbPath, garbage);

        var ex = Assert.Throws<InventoryCorruptException>(() => InventoryStore.Open(DbPath, "tester"));

        Assert.Contains(DbPath, ex.Message);
        Assert.Contains("left untouched", ex.Message);
        Assert.Equal(garbage, File.ReadAllBytes(DbPath));
    }

    [Fact]
    public void DamagedPageIsReportedAsCorrupt()
    {
        using (var store = InventoryStore.Open(DbPath, "tester"))
        {
            store.Add(Enumerable.Range(1, 2000).Select(i => new DeviceUpdate($"10.1.{i / 250}.{i % 250}")
            {
                Name = new string('n', 200),
            }));
        }

        Exec("PRAGMA wal_checkpoint(TRUNCATE)");
        var bytes = File.ReadAllBytes(DbPath);
        for (var i = 4096 * 3; i < 4096 * 40; i++)
        {
            bytes[i] = 0x5A;
        }

        File.WriteAllBytes(DbPath, bytes);

        using var damaged = InventoryStore.Open(DbPath, "tester");
        var ex = Assert.Throws<InventoryCorruptException>(() => damaged.Find(new InventoryQuery()));
        Assert.Contains("left untouched", ex.Message);
    }

    [Fact]
    public void AnotherProgramsDatabaseIsRefusedAndLeftAlone()
    {
        Exec("CREATE TABLE photos (id INTEGER PRIMARY KEY)");
        var before = Hash(DbPath);

        var ex = Assert.Throws<InventoryCorruptException>(() => InventoryStore.Open(DbPath, "tester"));

        Assert.Contains("another program", ex.Message);
        Assert.Equal(before, Hash(DbPath));
    }

    [Fact]
    public void LockedFileGivesABusyErrorAfterItsRetriesAndLosesNothing()
    {
        using (var store = InventoryStore.Open(DbPath, "tester"))
        {
            store.Add(new[] { new DeviceUpdate("10.0.0.1") });
        }

        using var holder = Connection();
        using (var take = holder.CreateCommand())
        {
            take.CommandText = "BEGIN EXCLUSIVE";
            take.ExecuteNonQuery();
        }

        using var blocked = InventoryStore.Open(DbPath, "tester", busyTimeoutSeconds: 1, maxAttempts: 2);
        var ex = Assert.Throws<InventoryBusyException>(() => blocked.Add(new[] { new DeviceUpdate("10.0.0.2") }));
        Assert.Contains("nothing was changed", ex.Message);

        using (var release = holder.CreateCommand())
        {
            release.CommandText = "ROLLBACK";
            release.ExecuteNonQuery();
        }

        blocked.Add(new[] { new DeviceUpdate("10.0.0.2") });
        Assert.Equal(new[] { "10.0.0.1", "10.0.0.2" }, blocked.Find(new InventoryQuery()).Select(d => d.Address));
    }

    [Fact]
    public void ConcurrentWritersLoseNothing()
    {
        InventoryStore.Open(DbPath, "tester").Dispose();
        var writers = Enumerable.Range(0, 3).Select(w => Task.Run(() =>
        {
            using var store = InventoryStore.Open(DbPath, $"writer{w}");
            for (var batch = 0; batch < 20; batch++)
            {
                var updates = Enumerable.Range(0, 10).Select(i => new DeviceUpdate($"10.{w}.{batch}.{i}")
                {
                    Tags = Tags("shared;w" + w),
                });
                store.Add(updates, batchSize: 10);
                store.Add(new[] { new DeviceUpdate("10.99.0.1") { Tags = Tags("w" + w) } });
            }
        })).ToArray();
        Task.WaitAll(writers);

        using var reader = InventoryStore.Open(DbPath, "tester");
        Assert.Equal(601, reader.Find(new InventoryQuery()).Count);
        Assert.Equal("w0;w1;w2", reader.FindActive("10.99.0.1")!.Tags.ToString());
        Assert.Equal(600, reader.Find(new InventoryQuery { Tags = { "shared" } }).Count);
    }

    [Fact]
    public void NativeLibraryIsFoundUnderRuntimes()
    {
        var path = SqliteNativeLibrary.FindLibraryFile();

        Assert.NotNull(path);
        Assert.Contains(Path.Combine("runtimes", ""), path);
    }

    [Theory]
    [InlineData("cam*", "cam*")]
    [InlineData("a`*b", "a[*]b")]
    [InlineData("x`?[ab]", "x[?][ab]")]
    public void WildcardsBecomeGlobs(string wildcard, string glob) =>
        Assert.Equal(glob, InventoryStore.Glob(wildcard));

    private static TagSet Tags(string text) => TagSet.Parse(new[] { text });

    private static string[] Addresses(InventoryStore store, Action<InventoryQuery> filter)
    {
        var query = new InventoryQuery();
        filter(query);
        return store.Find(query).Select(d => d.Address).ToArray();
    }

    private SqliteConnection Connection()
    {
        var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False");
        connection.Open();
        return connection;
    }

    private object? Scalar(string sql)
    {
        using var connection = Connection();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private void Exec(string sql)
    {
        using var connection = Connection();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static string Hash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));
}
