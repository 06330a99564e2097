using System;
using System.Collections.Generic;
using System.Linq;

namespace IoTAdmin.Engine.Vulnerabilities;

/// <summary>An NVD configuration node: CPE matches joined by OR or AND, optionally negated.</summary>
public sealed class CpeNode
{
    public CpeNode(bool all, bool negate, IReadOnlyList<CpeMatchCriterion> matches)
    {
        All = all;
        Negate = negate;
        Matches = matches;
    }

    /// <summary>True for operator AND, false for OR.</summary>
    public bool All { get; }

    public bool Negate { get; }

    public IReadOnlyList<CpeMatchCriterion> Matches { get; }

    public MatchOutcome Evaluate(IReadOnlyList<CpeName> device)
    {
        var outcomes = Matches.Select(m => m.Evaluate(device)).ToList();
        var outcome = All ? MatchOutcome.AllOf(outcomes) : MatchOutcome.AnyOf(outcomes);
        return Negate ? outcome.Negated() : outcome;
    }
}

/// <summary>
/// One NVD configuration: nodes joined by OR or AND. "Firmware X AND running on hardware Y" is an
/// AND of two nodes, so a device must match both (its firmware and its hardware CPE).
/// </summary>
public sealed class CpeConfiguration
{
    public CpeConfiguration(bool all, IReadOnlyList<CpeNode> nodes)
    {
        All = all;
        Nodes = nodes;
    }

    public bool All { get; }

    public IReadOnlyList<CpeNode> Nodes { get; }

    public MatchOutcome Evaluate(IReadOnlyList<CpeName> device)
    {
        var outcomes = Nodes.Select(n => n.Evaluate(device)).ToList();
        return All ? MatchOutcome.AllOf(outcomes) : MatchOutcome.AnyOf(outcomes);
    }
}

/// <summary>The source format a CVE record was read from.</summary>
public enum CveRecordFormat
{
    NvdApi2,
    CveJson5,
}

/// <summary>
/// A CVE with the products it affects, read from an NVD API 2.0 "cve" object or a CVE JSON 5
/// record. Only what matching needs is kept: id, description, severity and configurations.
/// </summary>
public sealed class CveRecord
{
    public CveRecord(string id, CveRecordFormat format, IReadOnlyList<CpeConfiguration> configurations)
    {
        Id = id;
        Format = format;
        Configurations = configurations;
    }

    /// <summary>CVE-YYYY-NNNN.</summary>
    public string Id { get; }

    public CveRecordFormat Format { get; }

    /// <summary>The English description, if any.</summary>
    public string? Description { get; set; }

    /// <summary>The highest CVSS base score the record carries, if any.</summary>
    public double? BaseScore { get; set; }

    public IReadOnlyList<CpeConfiguration> Configurations { get; }

    /// <summary>Parts of the record that could not be used for matching (free-text versions, bad CPEs).</summary>
    public List<string> Notes { get; } = new List<string>();

    /// <summary>Whether any configuration affects the device named by <paramref name="device"/>.</summary>
    public MatchOutcome Evaluate(IReadOnlyList<CpeName> device)
    {
        var outcomes = Configurations.Select(c => c.Evaluate(device)).ToList();
        var best = MatchOutcome.AnyOf(outcomes);

        // Only a vulnerable criterion makes a match; a node that matched a platform alone does not.
        return best.State != MatchState.No && best.Criterion?.Vulnerable == false ? MatchOutcome.No : best;
    }

    public override string ToString() => Id;
}

/// <summary>An entry of the CISA Known Exploited Vulnerabilities catalogue.</summary>
public sealed class KevEntry
{
    public KevEntry(string cveId, string vendorProject, string product)
    {
        CveId = cveId;
        VendorProject = vendorProject;
        Product = product;
    }

    public string CveId { get; }

    public string VendorProject { get; }

    public string Product { get; }

    public string? VulnerabilityName { get; set; }

    public DateTime? DateAdded { get; set; }

    public DateTime? DueDate { get; set; }

    public string? RequiredAction { get; set; }

    /// <summary>"Known" or "Unknown" as CISA writes it.</summary>
    public string? KnownRansomwareCampaignUse { get; set; }

    public override string ToString() => $"{CveId} ({VendorProject} {Product})";
}

/// <summary>A record or file of vulnerability data that could not be used, and why.</summary>
public sealed class DataProblem
{
    public DataProblem(string file, int? recordIndex, string? recordId, string message)
    {
        File = file;
        RecordIndex = recordIndex;
        RecordId = recordId;
        Message = message;
    }

    public string File { get; }

    /// <summary>The record's position in the file (0-based); null when the whole file is concerned.</summary>
    public int? RecordIndex { get; }

    public string? RecordId { get; }

    public string Message { get; }

    public override string ToString()
    {
        var where = RecordIndex is null ? File : $"{File} record {RecordIndex}";
        return RecordId is null ? $"{where}: {Message}" : $"{where} ({RecordId}): {Message}";
    }
}
