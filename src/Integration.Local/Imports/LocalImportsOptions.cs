using System.ComponentModel.DataAnnotations;

namespace Integration.Local.Imports;

/// <summary>
/// The local watcher's key in the imports section (<c>Imports:LocalPollInterval</c>); the container and everything else
/// come from the core's <c>ImportsOptions</c>, bound to the same section.
/// </summary>
public sealed class LocalImportsOptions
{
    public const string SectionName = "Imports";

    /// <summary>How often the local run (<c>integration run</c>) looks for new blobs; Azure uses the Event Grid blob trigger.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan LocalPollInterval { get; set; } = TimeSpan.FromSeconds(5);
}
