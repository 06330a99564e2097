using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using Microsoft.Data.Sqlite;

namespace IoTAdmin.Engine.Inventory.Store;

/// <summary>
/// The device inventory in one SQLite file. Several processes (scheduled tasks, consoles) may use the
/// same file at once: the database runs in WAL mode, every change is one IMMEDIATE transaction, a busy
/// database is waited for (busy timeout) and the whole transaction is retried a bounded number of
/// times before an <see cref="InventoryBusyException"/>. A damaged or foreign file is never changed.
/// </summary>
/// <remarks>
/// WAL needs shared memory between the writers, so the file must live on a local disk, not a network
/// share; SQLite documents this limit and it applies here.
/// </remarks>
public sealed partial class InventoryStore : IDisposable
{
    /// <summary>The environment variable that names the inventory file when -InventoryPath is not given.</summary>
    public const string PathVariable = "IOTADMIN_INVENTORY";

    private const int DefaultBusyTimeoutSeconds = 5;
    private const int DefaultMaxAttempts = 5;
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteCorrupt = 11;
    private const int SqliteNotADatabase = 26;

    private readonly SqliteConnection _connection;
    private readonly Dictionary<string, SqliteCommand> _prepared = new Dictionary<string, SqliteCommand>();
    private readonly int _busyTimeoutSeconds;
    private readonly int _maxAttempts;

    private InventoryStore(string path, string actor, int busyTimeoutSeconds, int maxAttempts,
        SqliteOpenMode mode = SqliteOpenMode.ReadWriteCreate)
    {
        Path = path;
        Actor = actor;
        _busyTimeoutSeconds = busyTimeoutSeconds;
        _maxAttempts = maxAttempts;
        IsReadOnly = mode != SqliteOpenMode.ReadWriteCreate;
        _connection = new SqliteConnection(ConnectionString(path, busyTimeoutSeconds, mode));
    }

    /// <summary>$IOTADMIN_INVENTORY, else inventory.db in the user's data folder under IoTAdmin.</summary>
    public static string DefaultPath
    {
        get
        {
            var fromEnvironment = Environment.GetEnvironmentVariable(PathVariable);
            if (!string.IsNullOrWhiteSpace(fromEnvironment))
            {
                return System.IO.Path.GetFullPath(fromEnvironment);
            }

            var dataFolder = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData,
                Environment.SpecialFolderOption.DoNotVerify);
            return System.IO.Path.Combine(dataFolder, "IoTAdmin", "inventory.db");
        }
    }

    /// <summary>The account recorded as the actor of changes: DOMAIN\user on Windows, user elsewhere.</summary>
    public static string CurrentActor =>
        Environment.OSVersion.Platform == PlatformID.Win32NT
            ? $"{Environment.UserDomainName}\\{Environment.UserName}"
            : Environment.UserName;

    public string Path { get; }

    /// <summary>Who the changes made through this instance are recorded under.</summary>
    public string Actor { get; }

    /// <summary>Whether this instance only looks (<see cref="OpenReadOnly"/>): changes never reach the file.</summary>
    public bool IsReadOnly { get; }

    /// <summary>Opens (creating when missing) the inventory and brings its schema up to date.</summary>
    /// <exception cref="InventoryCorruptException">Not a SQLite database, damaged, or another program's.</exception>
    /// <exception cref="InventorySchemaException">Written by a newer IoTAdmin.</exception>
    /// <exception cref="InventoryBusyException">Other writers held it through every retry.</exception>
    public static InventoryStore Open(string path, string? actor = null) =>
        Open(path, actor, DefaultBusyTimeoutSeconds, DefaultMaxAttempts);

    /// <summary>Opens with a chosen busy timeout (seconds, at least 1) and number of attempts per change.</summary>
    internal static InventoryStore Open(string path, string? actor, int busyTimeoutSeconds, int maxAttempts)
    {
        SqliteNativeLibrary.EnsurePrepared();
        var fullPath = NotAFolder(path);
        var folder = System.IO.Path.GetDirectoryName(fullPath);
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        var store = new InventoryStore(fullPath, actor ?? CurrentActor, Math.Max(1, busyTimeoutSeconds),
            Math.Max(1, maxAttempts));
        try
        {
            store.Initialize();
            return store;
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <summary>The full path, unless it names a folder (SQLite would only say it cannot open it).</summary>
    private static string NotAFolder(string path)
    {
        var fullPath = System.IO.Path.GetFullPath(path);
        return Directory.Exists(fullPath) ? throw new InventoryPathIsFolderException(fullPath) : fullPath;
    }

    /// <summary>
    /// Opens the inventory for a -WhatIf run without creating or changing anything on disk: an existing file
    /// is read as it is, a missing one is an empty inventory. A file of an older schema is read through an
    /// in-memory copy brought up to date there, so the file itself is not migrated.
    /// </summary>
    /// <exception cref="InventoryCorruptException">Not a SQLite database, damaged, or another program's.</exception>
    /// <exception cref="InventorySchemaException">Written by a newer IoTAdmin.</exception>
    public static InventoryStore OpenReadOnly(string path, string? actor = null)
    {
        SqliteNativeLibrary.EnsurePrepared();
        var fullPath = NotAFolder(path);
        if (!File.Exists(fullPath))
        {
            return OpenInMemory(fullPath, actor, source: null);
        }

        var file = new InventoryStore(fullPath, actor ?? CurrentActor, DefaultBusyTimeoutSeconds, DefaultMaxAttempts,
            SqliteOpenMode.ReadOnly);
        try
        {
            file.OpenConnection();
            file.RejectForeignDatabase();
            var found = file.SchemaVersion;
            file.RejectNewerSchema(found);
            if (found == LatestSchemaVersion)
            {
                return file;
            }

            using (file)
            {
                return OpenInMemory(fullPath, actor, file);
            }
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>An inventory that lives in memory only, empty or copied from <paramref name="source"/>.</summary>
    private static InventoryStore OpenInMemory(string path, string? actor, InventoryStore? source)
    {
        var store = new InventoryStore(path, actor ?? CurrentActor, DefaultBusyTimeoutSeconds, DefaultMaxAttempts,
            SqliteOpenMode.Memory);
        try
        {
            store.OpenConnection();
            source?.Read(() =>
            {
                source._connection.BackupDatabase(store._connection);
                return 0;
            });
            store.Migrate();
            return store;
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var command in _prepared.Values)
        {
            command.Dispose();
        }

        _connection.Dispose();
    }

    private static string ConnectionString(string path, int busyTimeoutSeconds, SqliteOpenMode mode)
    {
        var builder = new SqliteConnectionStringBuilder
        {
            // A private in-memory database: the path is kept only to name the inventory in messages.
            DataSource = mode switch
            {
                SqliteOpenMode.Memory => ":memory:",
                SqliteOpenMode.ReadOnly => ReadOnlySource(path),
                _ => path,
            },
            Mode = mode == SqliteOpenMode.Memory ? SqliteOpenMode.ReadWriteCreate : mode,

            // No pooling: Dispose must close the file so it can be moved, backed up or deleted.
            Pooling = false,
            DefaultTimeout = busyTimeoutSeconds,
            ForeignKeys = true,
        };
        return builder.ToString();
    }

    /// <summary>
    /// Reading a WAL database creates its -wal and -shm files unless they exist. Without a -wal file no writer has
    /// the inventory open and everything is in the main file, so it is read as immutable, which creates nothing.
    /// </summary>
    private static string ReadOnlySource(string path) =>
        File.Exists(path + "-wal") ? path : new Uri(path).AbsoluteUri + "?immutable=1";

    private void OpenConnection() =>
        Guard(() =>
        {
            _connection.Open();
            Execute($"PRAGMA busy_timeout = {_busyTimeoutSeconds * 1000};");
            return 0;
        });

    private void Initialize()
    {
        OpenConnection();
        RejectForeignDatabase();
        Guard(() =>
        {
            // Changing the journal mode takes a write lock, so it is done only when needed and retried.
            using var mode = Command("PRAGMA journal_mode;");
            if (!string.Equals(mode.ExecuteScalar() as string, "wal", StringComparison.OrdinalIgnoreCase))
            {
                Execute("PRAGMA journal_mode = WAL;");
            }

            Execute("PRAGMA synchronous = NORMAL;");
            return 0;
        });
        Migrate();
    }

    /// <summary>Runs <paramref name="work"/> in one IMMEDIATE transaction, retried when the file is busy.</summary>
    internal T Write<T>(Func<SqliteTransaction, T> work) =>
        Guard(() =>
        {
            using var transaction = _connection.BeginTransaction(deferred: false);
            var result = work(transaction);
            transaction.Commit();
            return result;
        });

    /// <summary>Runs a read, retried when the file is busy and mapped to inventory errors.</summary>
    internal T Read<T>(Func<T> work) => Guard(work);

    private T Guard<T>(Func<T> work)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return work();
            }
            catch (SqliteException ex) when (IsBusy(ex) && attempt < _maxAttempts)
            {
                // Backs off a little longer each time, with jitter so two waiting writers do not collide again.
                var delay = (50 << attempt) + new Random().Next(0, 50);
                Thread.Sleep(delay);
            }
            catch (SqliteException ex) when (IsBusy(ex))
            {
                throw new InventoryBusyException(
                    $"The inventory '{Path}' stayed locked by another writer through {_maxAttempts} attempts of "
                    + $"{_busyTimeoutSeconds} s each; nothing was changed. Try again later.", ex);
            }
            catch (SqliteException ex) when (IsCorrupt(ex))
            {
                throw Corrupt(ex.Message, ex);
            }
        }
    }

    private InventoryCorruptException Corrupt(string reason, Exception? inner = null) =>
        new InventoryCorruptException(
            $"The inventory '{Path}' cannot be used: {reason.TrimEnd('.')}. The file was left untouched; restore "
            + "it from a backup or name another file with -InventoryPath.", inner);

    private static bool IsBusy(SqliteException ex) =>
        ex.SqliteErrorCode == SqliteBusy || ex.SqliteErrorCode == SqliteLocked;

    private static bool IsCorrupt(SqliteException ex) =>
        ex.SqliteErrorCode == SqliteCorrupt || ex.SqliteErrorCode == SqliteNotADatabase;

    private int Execute(string sql, SqliteTransaction? transaction = null)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command.ExecuteNonQuery();
    }

    /// <summary>
    /// A command kept for reuse, so the statements run once per device are compiled once per store; it
    /// comes with no parameters and must not be disposed by the caller.
    /// </summary>
    internal SqliteCommand Prepared(string sql, SqliteTransaction? transaction)
    {
        if (!_prepared.TryGetValue(sql, out var command))
        {
            command = _connection.CreateCommand();
            command.CommandText = sql;
            _prepared[sql] = command;
        }

        command.Transaction = transaction;
        command.Parameters.Clear();
        return command;
    }

    internal SqliteCommand Command(string sql, SqliteTransaction? transaction = null)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }
}
