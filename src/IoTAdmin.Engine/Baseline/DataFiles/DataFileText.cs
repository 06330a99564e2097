namespace IoTAdmin.Engine.Baseline.DataFiles;

/// <summary>Writes values in PowerShell data-file notation, the inverse of <see cref="DataFileReader"/>.</summary>
public static class DataFileText
{
    /// <summary>22, 'text' (quotes doubled), $true, @(22, 2222).</summary>
    public static string Format(object value) => ParameterValues.Format(value);

    /// <summary>Text in single quotes, with embedded quotes doubled.</summary>
    public static string Quote(string text) => "'" + text.Replace("'", "''") + "'";
}
